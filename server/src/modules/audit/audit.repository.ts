import { sql, type SelectQueryBuilder } from 'kysely';
import type { DB, Tx } from '../../platform/db/database.js';
import type { AuditFilter } from './audit.schemas.js';

export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

type AuditQuery = SelectQueryBuilder<DB, 'auditLog', object>;

function applyFilter<Q extends AuditQuery>(q: Q, f: AuditFilter): Q {
  let r = q as AuditQuery;
  if (f.from) r = r.where('occurredAt', '>=', new Date(f.from));
  if (f.to) r = r.where('occurredAt', '<', new Date(f.to));
  if (f.actor) r = r.where('actorUsername', 'ilike', `%${likeEscape(f.actor)}%`);
  if (f.action) r = r.where('action', 'like', `${likeEscape(f.action)}%`);
  if (f.outcome) r = r.where('outcome', '=', f.outcome);
  if (f.targetType) r = r.where('targetType', '=', f.targetType);
  if (f.q) {
    const p = `%${likeEscape(f.q)}%`;
    r = r.where((eb) =>
      eb.or([
        eb('action', 'ilike', p),
        eb('targetType', 'ilike', p),
        eb('targetId', 'ilike', p),
        eb('actorUsername', 'ilike', p),
        eb(sql<string>`coalesce(details::text, '')`, 'ilike', p),
      ]),
    );
  }
  return r as Q;
}

export type AuditRow = Awaited<ReturnType<typeof listPage>>[number];

export async function countRecords(trx: Tx, f: AuditFilter): Promise<number> {
  const r = await applyFilter(trx.selectFrom('auditLog'), f)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One page, newest first. */
export function listPage(trx: Tx, f: AuditFilter, page: number, pageSize: number) {
  return applyFilter(trx.selectFrom('auditLog'), f)
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
}

/** Newest first, in batches by keyset (seq below `before`), for exports that must not hold every row in memory. */
export function nextBatch(trx: Tx, f: AuditFilter, before: string | null, size: number) {
  let q = applyFilter(trx.selectFrom('auditLog'), f).selectAll().orderBy('seq', 'desc').limit(size);
  if (before !== null) q = q.where('seq', '<', before);
  return q.execute();
}

export async function retentionDays(trx: Tx): Promise<number> {
  const r = await sql<{ days: number }>`select audit_retention_days as days from security_policy where id = 1`.execute(trx);
  return r.rows[0]?.days ?? 180;
}

/** Runs the database's audit_prune() (SECURITY DEFINER: the only way records leave the log). */
export async function prune(trx: Tx, days: number): Promise<number> {
  const r = await sql<{ removed: string }>`select audit_prune(${days}::integer) as removed`.execute(trx);
  return Number(r.rows[0]?.removed ?? 0);
}

export async function anchor(trx: Tx) {
  return trx.selectFrom('auditAnchor').select(['firstSeq', 'prevHash', 'prunedAt']).executeTakeFirst();
}
