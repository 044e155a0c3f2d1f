import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sm3Hex } from '../crypto/sm.js';
import type { Logger } from '../logger.js';

/** Hand-written SQL migrations in server/migrations, applied in name order, each in its own transaction. */
export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

const LOCK_KEY = 784_201_001;

export async function migrate(databaseUrl: string, logger: Logger): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`create table if not exists zhengyun_migrations (
      name text primary key, checksum text not null, applied_at timestamptz not null default now())`);
    const done = new Map<string, string>(
      (await client.query<{ name: string; checksum: string }>('select name, checksum from zhengyun_migrations')).rows.map((r) => [
        r.name,
        r.checksum,
      ]),
    );
    const files = fs.readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort();
    for (const file of files) {
      const text = fs.readFileSync(path.join(migrationsDir, file), 'utf8');
      const checksum = sm3Hex(text);
      const previous = done.get(file);
      if (previous !== undefined) {
        if (previous !== checksum) throw new Error(`Migration ${file} was changed after it was applied (checksum differs); add a new migration instead`);
        continue;
      }
      await client.query('begin');
      try {
        await client.query(text);
        await client.query('insert into zhengyun_migrations (name, checksum) values ($1, $2)', [file, checksum]);
        await client.query('commit');
      } catch (e) {
        await client.query('rollback');
        throw new Error(`Migration ${file} failed: ${(e as Error).message}`, { cause: e });
      }
      applied.push(file);
      logger.info({ migration: file }, 'migration applied');
    }
    // Policies of any migration (also one applied out of order, after 0100) get the once-per-statement form of the
    // actor's switches (0100_rls_initplan.sql).
    if (applied.length > 0 && (await client.query(`select to_regproc('zy_rls_initplan_policies') is not null as ok`)).rows[0]?.ok) {
      const changed = (await client.query<{ n: number }>('select zy_rls_initplan_policies() as n')).rows[0]?.n ?? 0;
      if (changed > 0) logger.info({ policies: changed }, 'row-level security policies rewritten to evaluate the actor switches once per statement');
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
  return applied;
}
