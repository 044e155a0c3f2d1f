import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded.js';
import { createLogger } from '../logger.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const logger = createLogger(process.env.ZY_DEBUG ? 'debug' : 'silent');
const dirs: string[] = [];

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-crash-'));
  fs.chmodSync(d, 0o711);
  dirs.push(d);
  return d;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/** Runs the crash writer until it has committed `rows` rows, kills it with SIGKILL, returns the last committed id. */
async function writeThenKill(dataDir: string, port: number, rows: number, alsoKillPostgres: boolean): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-writer.fixture.ts'), dataDir, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let last = 0;
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^committed (\d+)$/.exec(line);
        if (m) last = Number(m[1]);
      }
      if (last >= rows) resolve();
    });
    child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
  });
  const pidLine = fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0];
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  if (alsoKillPostgres) {
    // Power loss: the postmaster and all its backends die at once, with no shutdown checkpoint.
    const postmaster = Number(pidLine);
    const children = fs.readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    for (const pid of [postmaster, ...children]) process.kill(pid, 'SIGKILL');
    for (const pid of [postmaster, ...children]) {
      while (running(pid)) await new Promise((r) => setTimeout(r, 20));
    }
    while (await listening(port)) await new Promise((r) => setTimeout(r, 20));
  }
  await exited;
  return last;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Alive and not a zombie (a killed process whose parent has not reaped it yet). */
function running(pid: number): boolean {
  try {
    const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

// Runs in the embedded pass of the suite (it starts its own servers; once is enough).
describe.runIf(inject('databaseKind') === 'embedded')('embedded PostgreSQL survives a killed process', () => {
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('keeps every committed row when the Zhengyun process is killed (its PostgreSQL orphaned)', async () => {
    const dir = tempDir();
    const port = await freePort();
    const last = await writeThenKill(dir, port, 300, false);
    const db = await startEmbeddedPostgres({ dataDir: dir, port, logger });
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const r = await c.query<{ n: string; max: number }>('select count(*) as n, max(id) as max from crash_probe');
    await c.end();
    await db.stop();
    expect(Number(r.rows[0]!.n)).toBeGreaterThanOrEqual(last);
    expect(r.rows[0]!.max).toBeGreaterThanOrEqual(last);
  });

  it('recovers after PostgreSQL itself is killed mid-write (crash recovery from WAL)', async () => {
    const dir = tempDir();
    const port = await freePort();
    const last = await writeThenKill(dir, port, 300, true);
    const db = await startEmbeddedPostgres({ dataDir: dir, port, logger });
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const ids = await c.query<{ id: number }>('select id from crash_probe where id <= $1 order by id', [last]);
    await c.end();
    await db.stop();
    expect(ids.rows.length).toBe(last);
  });
});
