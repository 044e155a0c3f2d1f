#!/usr/bin/env node
// Ingestion benchmark (issue 4): the HTTP push API (signed batches of 500 cloud-host metric records) against a bare COPY
// of the same records measured in the same run, then syslog over UDP with the count of messages lost. Each part is its
// own script so it can be run alone; this runs both in sequence and passes the options through
// (e.g. `npm run bench:ingest -- --seconds 30`).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const args = process.argv.slice(2);
const parts = [
  ['HTTP push API vs bare COPY', 'server/src/modules/ingestion/ingest.bench.ts'],
  ['syslog over UDP', 'server/src/modules/syslog/syslog.bench.ts'],
];
let failed = 0;
for (const [title, file] of parts) {
  console.log(`\n=== ${title} (${file}) ===`);
  const r = spawnSync(tsx, [path.join(root, file), ...args], { stdio: 'inherit', cwd: root, env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
