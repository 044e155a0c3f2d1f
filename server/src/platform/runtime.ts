import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createDatabase, type Database } from './db/database.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
import { migrate } from './db/migrate.js';
import { FieldCipher } from './crypto/sm.js';
import { loadMasterKey } from './keys.js';
import { JobQueue } from './jobs/jobs.js';
import type { PlatformDeps } from './deps.js';

export interface Runtime {
  deps: PlatformDeps;
  database: Database;
  databaseUrl: string;
  close(): Promise<void>;
}

/** Resolves the database (external or embedded), applies migrations and opens the pools. */
export async function openDatabase(config: Config, logger: Logger): Promise<{ url: string; embedded: EmbeddedDatabase | null }> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: null };
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, logger });
  return { url: embedded.url, embedded };
}

export async function openRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const { url, embedded } = await openDatabase(config, logger);
  try {
    await migrate(url, logger);
    const database = createDatabase(url, config.dbPoolSize);
    const cipher = new FieldCipher(loadMasterKey(config.masterKey, config.dataDir, logger));
    const jobs = new JobQueue(url, logger);
    const deps: PlatformDeps = { config, logger, db: database.db, pool: database.pool, cipher, jobs, embedded: embedded !== null };
    return {
      deps,
      database,
      databaseUrl: url,
      async close() {
        await jobs.stop().catch((e: unknown) => logger.error({ err: e }, 'stopping jobs failed'));
        await database.close().catch((e: unknown) => logger.error({ err: e }, 'closing database failed'));
        await embedded?.stop();
      },
    };
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}
