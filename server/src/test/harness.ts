import pg from 'pg';
import { inject } from 'vitest';
import { migrate } from '../platform/db/migrate.js';
import { loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { createDatabase, type Database } from '../platform/db/database.js';
import { FieldCipher } from '../platform/crypto/sm.js';
import { JobQueue } from '../platform/jobs/jobs.js';
import type { PlatformDeps } from '../platform/deps.js';
import { buildApp, type BuiltApp } from '../app.js';

export const TEST_MASTER_KEY = '00112233445566778899aabbccddeeff';

export interface TestApp extends BuiltApp {
  deps: PlatformDeps;
  database: Database;
  /** A second pool connected as the database owner (superuser in tests): for tamper tests and direct checks. */
  ownerUrl: string;
  close(): Promise<void>;
}

/** Builds the real application on the run's test database (external or embedded PostgreSQL). */
export async function createTestApp(overrides: Partial<Record<string, unknown>> = {}): Promise<TestApp> {
  const url = (overrides.databaseUrl as string | undefined) ?? inject('databaseUrl');
  const config = loadConfig({ databaseUrl: url, logLevel: 'silent', masterKey: TEST_MASTER_KEY, demo: false, ...overrides }, {});
  const logger = createLogger('silent');
  const database = createDatabase(url, 4);
  const jobs = new JobQueue(url, logger);
  const deps: PlatformDeps = { config, logger, db: database.db, pool: database.pool, cipher: new FieldCipher(TEST_MASTER_KEY), jobs, embedded: false };
  const built = await buildApp(deps, { serveWeb: false });
  return {
    ...built,
    deps,
    database,
    ownerUrl: url,
    async close() {
      await built.app.close();
      await jobs.stop();
      await database.close();
    },
  };
}

/** A unique suffix so parallel test files never collide on names or codes. */
export function unique(prefix = 't'): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

/**
 * A new, migrated, empty database on the run's PostgreSQL server, for tests that need a database of their own
 * (first-start behaviour such as the demo loader). Drop it when done.
 */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = new URL(inject('databaseUrl'));
  const name = unique('zy_scratch_').toLowerCase();
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`create database ${name} encoding 'UTF8' template template0`);
  await c.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  await migrate(url.toString(), createLogger('silent'));
  return {
    url: url.toString(),
    async drop() {
      const d = new pg.Client({ connectionString: admin.toString() });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}
