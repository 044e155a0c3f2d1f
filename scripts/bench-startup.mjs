#!/usr/bin/env node
// Start-up benchmark: time until /api/health answers "ok" and the process's resident memory, for a first start (initdb,
// migrations, demo city) and a restart on the same data directory, against a baseline measured in the same run: the
// bare embedded PostgreSQL starting on its own. Needs `npm run build` first.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';

const root = path.resolve(import.meta.dirname, '..');
const main = path.join(root, 'server/dist/main.js');
if (!fs.existsSync(main)) {
  console.error('Run `npm run build` first.');
  process.exit(1);
}
const { startEmbeddedPostgres } = await import(path.join(root, 'server/dist/platform/db/embedded.js'));
const { createLogger } = await import(path.join(root, 'server/dist/platform/logger.js'));

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });

function tempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-bench-'));
  fs.chmodSync(d, 0o711);
  return d;
}

async function baseline(dir) {
  const port = await freePort();
  const t0 = performance.now();
  const db = await startEmbeddedPostgres({ dataDir: dir, port, logger: createLogger('silent') });
  const ms = performance.now() - t0;
  await db.stop();
  return ms;
}

async function startZhengyun(dir) {
  const port = await freePort();
  const pgPort = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [main, 'start', '--port', String(port), '--data-dir', dir], {
    env: { ...process.env, ZHENGYUN_EMBEDDED_PG_PORT: String(pgPort), ZHENGYUN_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.ok && (await r.json()).status === 'ok') break;
    } catch {
      /* not listening yet */
    }
    if (child.exitCode !== null) throw new Error('zhengyun exited during start-up');
    await new Promise((r) => setTimeout(r, 25));
  }
  const ms = performance.now() - t0;
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  return { ms, rssMiB: rssKiB / 1024 };
}

const runs = Number(process.env.BENCH_RUNS ?? 3);
const rows = [];
for (let i = 0; i < runs; i++) {
  const pgDir = tempDir();
  const zyDir = tempDir();
  const baseFirst = await baseline(pgDir);
  const baseAgain = await baseline(pgDir);
  const first = await startZhengyun(zyDir);
  const again = await startZhengyun(zyDir);
  rows.push({ baseFirst, baseAgain, first, again });
  fs.rmSync(pgDir, { recursive: true, force: true });
  fs.rmSync(zyDir, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x) => x.toFixed(0).padStart(6);
const bf = median(rows.map((r) => r.baseFirst));
const ba = median(rows.map((r) => r.baseAgain));
const zf = median(rows.map((r) => r.first.ms));
const za = median(rows.map((r) => r.again.ms));
console.log(`start-up, median of ${runs} runs (ms)            first start   restart`);
console.log(`baseline: bare embedded PostgreSQL           ${f(bf)}      ${f(ba)}`);
console.log(`zhengyun start until /api/health ok          ${f(zf)}      ${f(za)}`);
console.log(`ratio zhengyun / baseline                    ${(zf / bf).toFixed(2).padStart(6)}      ${(za / ba).toFixed(2).padStart(6)}`);
console.log(`resident memory after start (MiB)            ${f(median(rows.map((r) => r.first.rssMiB)))}      ${f(median(rows.map((r) => r.again.rssMiB)))}`);
