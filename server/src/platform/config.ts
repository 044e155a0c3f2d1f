import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * Configuration: an optional JSON file (`zhengyun.config.json` in the working directory, or the path in
 * `ZHENGYUN_CONFIG` / `--config`) overridden by environment variables. Every key is documented in docs/configuration.md.
 * Invalid configuration stops start-up with a message naming the key and the rule.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const bool = z.preprocess(
  (v) => (typeof v === 'string' ? ({ true: true, '1': true, yes: true, false: false, '0': false, no: false } as Record<string, boolean>)[v.toLowerCase()] ?? v : v),
  z.boolean({ error: 'must be true or false' }),
);
const int = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
    z.number({ error: `must be a whole number from ${min} to ${max}` }).int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
  );

export const configSchema = z.strictObject({
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  dataDir: z.string().min(1).default('./data'),
  embeddedPgPort: int(1024, 65535).default(54329),
  host: z.string().min(1).default('127.0.0.1'),
  port: int(0, 65535).default(8080),
  role: z.enum(['all', 'api', 'worker']).default('all'),
  demo: bool.default(true),
  masterKey: z.string().regex(/^[0-9a-fA-F]{32}$/, 'must be 32 hexadecimal characters (a 128-bit SM4 key)').optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  logPretty: bool.default(false),
  cookieSecure: bool.default(false),
  trustProxy: bool.default(false),
  webDir: z.string().default(path.join(repoRoot, 'web/dist')),
  dbPoolSize: int(1, 200).default(10),
  syslogHost: z.string().min(1).default('127.0.0.1'),
  syslogPort: int(0, 65535).default(5514),
  publicUrl: z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL').optional(),
  smtpUrl: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL').optional(),
  smtpHost: z.string().min(1).optional(),
  smtpPort: int(1, 65535).optional(),
  smtpSecure: bool.optional(),
  smtpUser: z.string().min(1).optional(),
  smtpPassword: z.string().optional(),
  smtpFrom: z.string().min(3).default('政云 Zhengyun <noreply@zhengyun.local>'),
  /** Bearer token of GET /metrics (Prometheus text); without one the endpoint is off (404). */
  metricsToken: z.string().min(16, 'at least 16 characters').optional(),
});

export type Config = z.output<typeof configSchema>;

const ENV_KEYS: Record<keyof Config, string> = {
  databaseUrl: 'DATABASE_URL',
  dataDir: 'ZHENGYUN_DATA_DIR',
  embeddedPgPort: 'ZHENGYUN_EMBEDDED_PG_PORT',
  host: 'ZHENGYUN_HOST',
  port: 'ZHENGYUN_PORT',
  role: 'ZHENGYUN_ROLE',
  demo: 'ZHENGYUN_DEMO',
  masterKey: 'ZHENGYUN_MASTER_KEY',
  logLevel: 'ZHENGYUN_LOG_LEVEL',
  logPretty: 'ZHENGYUN_LOG_PRETTY',
  cookieSecure: 'ZHENGYUN_COOKIE_SECURE',
  trustProxy: 'ZHENGYUN_TRUST_PROXY',
  webDir: 'ZHENGYUN_WEB_DIR',
  dbPoolSize: 'ZHENGYUN_DB_POOL_SIZE',
  syslogHost: 'ZHENGYUN_SYSLOG_HOST',
  syslogPort: 'ZHENGYUN_SYSLOG_PORT',
  publicUrl: 'ZHENGYUN_PUBLIC_URL',
  smtpUrl: 'ZHENGYUN_SMTP_URL',
  smtpHost: 'ZHENGYUN_SMTP_HOST',
  smtpPort: 'ZHENGYUN_SMTP_PORT',
  smtpSecure: 'ZHENGYUN_SMTP_SECURE',
  smtpUser: 'ZHENGYUN_SMTP_USER',
  smtpPassword: 'ZHENGYUN_SMTP_PASSWORD',
  smtpFrom: 'ZHENGYUN_SMTP_FROM',
  metricsToken: 'ZHENGYUN_METRICS_TOKEN',
};

export class ConfigError extends Error {}

/** Loads and validates configuration; `overrides` (from CLI flags) win over environment and file. */
export function loadConfig(
  overrides: Partial<Record<keyof Config, unknown>> = {},
  env: NodeJS.ProcessEnv = process.env,
  configFile?: string,
): Config {
  const file = configFile ?? env.ZHENGYUN_CONFIG ?? (fs.existsSync('zhengyun.config.json') ? 'zhengyun.config.json' : undefined);
  let fromFile: Record<string, unknown> = {};
  if (file) {
    try {
      fromFile = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError(`Configuration file ${file} cannot be read as JSON: ${(e as Error).message}`);
    }
  }
  const fromEnv: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV_KEYS)) {
    const v = env[name];
    if (v !== undefined && v !== '') fromEnv[key] = v;
  }
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const parsed = configSchema.safeParse({ ...fromFile, ...fromEnv, ...defined });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      const envName = ENV_KEYS[key as keyof Config];
      return `  - ${key}${envName ? ` (${envName})` : ''}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  return { ...config, dataDir: path.resolve(config.dataDir) };
}

export const configKeys = ENV_KEYS;
