import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../platform/db/migrate.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../platform/db/embedded.js';
import { createLogger } from '../platform/logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: 'external' | 'embedded';
  }
}

/**
 * One fresh database per test run, migrated once; test files share it and stay apart by creating their own
 * organisations. ZHENGYUN_TEST_DB=embedded runs the suite on the embedded PostgreSQL; otherwise on the server at
 * TEST_DATABASE_URL (default: the machine's PostgreSQL on 127.0.0.1:5432).
 */
export default async function setup(project: TestProject) {
  const logger = createLogger('warn');
  const kind = process.env.ZHENGYUN_TEST_DB === 'embedded' ? 'embedded' : 'external';
  let url: string;
  let teardown: () => Promise<void>;
  if (kind === 'embedded') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-test-pg-'));
    fs.chmodSync(dir, 0o711);
    const port = await freePort();
    const embedded: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir: dir, port, logger, database: 'zhengyun_test' });
    url = embedded.url;
    teardown = async () => {
      await embedded.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `zy_test_${Date.now()}_${process.pid}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect().catch((e: Error) => {
      throw new Error(`Tests need PostgreSQL at ${admin} (set TEST_DATABASE_URL, or ZHENGYUN_TEST_DB=embedded): ${e.message}`);
    });
    await client.query(`create database ${name} encoding 'UTF8' template template0`);
    await client.end();
    const u = new URL(admin);
    u.pathname = `/${name}`;
    url = u.toString();
    teardown = async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  await migrate(url, logger);
  project.provide('databaseUrl', url);
  project.provide('databaseKind', kind);
  return teardown;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
