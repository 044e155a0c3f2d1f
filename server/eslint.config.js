// ESLint for the server: recommended JS + TypeScript rules, and the module boundaries of ARCHITECTURE.md — across
// server/src/modules only a module's index.ts may be imported (`../<module>/index.js`), tests included; src/platform
// holds no business rules and imports no module; the entry points (main, app, container, scripts) use index.js too.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const onlyIndex = 'Import another module only through its index.ts (../<module>/index.js): the rest is its internals.';

export default tseslint.config(
  { ignores: ['dist/**', 'src/platform/db/schema.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            // ../audit/audit.service.js — a sibling module's internals
            { regex: '^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.js$).+', message: onlyIndex },
            // ../../modules/audit/audit.service.js — the same, by a longer way round
            { regex: '^(\\.\\./)+modules/[^/]+/(?!index\\.js$).+', message: onlyIndex },
          ],
        },
      ],
    },
  },
  {
    files: ['src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)modules/', message: 'src/platform has no business rules: it must not import a module (wire it in container.ts).' }] },
      ],
    },
  },
  {
    files: ['src/*.ts', 'src/scripts/**/*.ts', 'src/test/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(\\./|(\\.\\./)+)modules/[^/]+/(?!index\\.js$).+', message: onlyIndex }] }],
    },
  },
);
