import { CamelCasePlugin, Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';
import type { RequestContext } from '../context.js';

export type { DB };
export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Either the root database handle or an open transaction: repositories accept both. */
export type Executor = Kysely<DB>;

/** Application role without BYPASSRLS: every pooled connection switches to it, so row-level security always applies. */
export const APP_ROLE = 'zhengyun_app';

// numeric and bigint stay strings (never floats); timestamps stay Date.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export interface Database {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function createDatabase(url: string, poolSize = 10): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    application_name: 'zhengyun',
    // Awaited by the pool before it hands the client out (pg-pool ≥ 3.10): a 'connect' listener is not, and the first
    // query of the borrower then overlapped the role switch on the same client (pg deprecates overlapping queries).
    onConnect: async (client) => {
      // pg emits 'error' on a client whose server went away (restart, crash) even while it is checked out, where the
      // pool listens no more: unhandled, that would end the process. The failed query rejects anyway; the pool drops it.
      client.on('error', () => undefined);
      // Before the migrations have created the role (a fresh database) the switch fails; the session stays as is.
      await client.query(`set role ${APP_ROLE}; set time zone 'Asia/Shanghai'`).catch(() => undefined);
    },
  });
  pool.on('error', () => undefined);
  // Column names are snake_case in SQL and camelCase in TypeScript; keys inside jsonb values are data and stay as stored.
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })] });
  return { db, pool, close: () => db.destroy() };
}

/**
 * Runs `fn` in one transaction with the actor's row-level-security scope set (transaction-local). Policies fail
 * closed: without these settings no tenant row is visible.
 */
export async function withTx<T>(db: Db, ctx: RequestContext, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await applyScope(trx, ctx);
    return fn(trx);
  });
}

export async function applyScope(trx: Tx, ctx: RequestContext): Promise<void> {
  const { actor } = ctx;
  const all = actor.scope.all ? 'on' : 'off';
  const roots = actor.scope.all ? '' : actor.scope.roots.join(',');
  await sql`select set_config('zhengyun.scope_all', ${all}, true),
                   set_config('zhengyun.scope_roots', ${roots}, true),
                   set_config('zhengyun.business_access', ${actor.businessAccess ? 'on' : 'off'}, true),
                   set_config('zhengyun.actor_user_id', ${actor.userId ?? ''}, true),
                   set_config('zhengyun.actor_org_id', ${actor.orgId ?? ''}, true)`.execute(trx);
}
