import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type pg from 'pg';
import type { Db } from './db/database.js';
import type { FieldCipher } from './crypto/sm.js';
import type { JobQueue } from './jobs/jobs.js';

/** What the platform hands every module: explicit wiring, no decorators, no globals. */
export interface PlatformDeps {
  config: Config;
  logger: Logger;
  db: Db;
  /** The pool behind `db` (role zhengyun_app), for COPY and other work Kysely does not express. */
  pool: pg.Pool;
  cipher: FieldCipher;
  jobs: JobQueue;
  /** True when the database is the embedded PostgreSQL of `./data`. */
  embedded: boolean;
}
