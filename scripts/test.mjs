#!/usr/bin/env node
// Runs the whole server suite twice — on the machine's PostgreSQL (TEST_DATABASE_URL, default 127.0.0.1:5432) and on
// the embedded PostgreSQL — then prints one closing line with the totals: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const passes = [
  { name: 'external PostgreSQL', env: { ZHENGYUN_TEST_DB: 'external' } },
  { name: 'embedded PostgreSQL', env: { ZHENGYUN_TEST_DB: 'embedded' } },
];
const extra = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
let exitCode = 0;
for (const pass of passes) {
  const out = path.join(os.tmpdir(), `zy-vitest-${process.pid}-${pass.env.ZHENGYUN_TEST_DB}.json`);
  console.log(`\n=== server tests on ${pass.name} ===`);
  const r = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}`, ...extra], {
    cwd: path.resolve(import.meta.dirname, '../server'),
    stdio: 'inherit',
    env: { ...process.env, ...pass.env },
  });
  if (r.status !== 0) exitCode = 1;
  if (fs.existsSync(out)) {
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    passed += report.numPassedTests;
    // A test file that fails to load has no failed test but is a failed suite: count it too.
    failed += report.numFailedTests + report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    fs.rmSync(out);
  } else {
    console.error(`vitest wrote no report for the ${pass.name} pass (it failed before running tests; see above)`);
    failed += 1;
    exitCode = 1;
  }
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(exitCode || (failed > 0 ? 1 : 0));
