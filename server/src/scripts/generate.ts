/**
 * Regenerates the committed generated files from the code: the Kysely table types (src/platform/db/schema.ts) from a
 * freshly migrated database, and the OpenAPI document (openapi.json) from the route schemas. CI runs it and fails when
 * the result differs from what is committed. Uses TEST_DATABASE_URL (default: the machine's PostgreSQL), else
 * ZHENGYUN_GENERATE_DB=embedded for an embedded one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrate } from '../platform/db/migrate.js';
import { startEmbeddedPostgres } from '../platform/db/embedded.js';
import { createLogger } from '../platform/logger.js';
import { loadConfig } from '../platform/config.js';
import { createDatabase } from '../platform/db/database.js';
import { FieldCipher } from '../platform/crypto/sm.js';
import { JobQueue } from '../platform/jobs/jobs.js';
import { buildApp } from '../app.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const logger = createLogger('warn');

async function withFreshDatabase(fn: (url: string) => Promise<void>): Promise<void> {
  if (process.env.ZHENGYUN_GENERATE_DB === 'embedded') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-gen-'));
    fs.chmodSync(dir, 0o711);
    const embedded = await startEmbeddedPostgres({ dataDir: dir, port: 54398, logger, database: 'zhengyun_generate' });
    try {
      await fn(embedded.url);
    } finally {
      await embedded.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `zy_generate_${process.pid}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`drop database if exists ${name}`);
  await c.query(`create database ${name} encoding 'UTF8' template template0`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  try {
    await fn(u.toString());
  } finally {
    const d = new pg.Client({ connectionString: admin });
    await d.connect();
    await d.query(`drop database if exists ${name} with (force)`);
    await d.end();
  }
}

await withFreshDatabase(async (url) => {
  await migrate(url, logger);
  const codegen = spawnSync(
    'npx',
    ['kysely-codegen', '--dialect', 'postgres', '--camel-case', '--date-parser', 'string', '--url', url,
      '--out-file', 'src/platform/db/schema.ts', '--exclude-pattern', 'zhengyun_migrations', '--log-level', 'error'],
    { cwd: serverDir, stdio: 'inherit' },
  );
  if (codegen.status !== 0) throw new Error('kysely-codegen failed');

  const config = loadConfig({ databaseUrl: url, logLevel: 'silent', masterKey: '0'.repeat(32), demo: false }, {});
  const database = createDatabase(url, 2);
  const jobs = new JobQueue(url, logger);
  const { app } = await buildApp({ config, logger, db: database.db, pool: database.pool, cipher: new FieldCipher('0'.repeat(32)), jobs, embedded: false }, { serveWeb: false });
  const doc = app.swagger();
  fs.writeFileSync(path.join(serverDir, 'openapi.json'), JSON.stringify(doc, null, 2) + '\n');
  await app.close();
  await database.close();
});
console.log('generated src/platform/db/schema.ts and openapi.json');
