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

/**
 * The columns of a record, with the jsonb columns read as text and parsed here: the Kysely CamelCasePlugin would
 * otherwise rename snake_case keys inside them (`first_seq` → `firstSeq`), showing and hashing something else than
 * what was recorded.
 */
function recordColumns<Q extends AuditQuery>(q: Q) {
  return q.select([
    'seq',
    'occurredAt',
    'actorUserId',
    'actorUsername',
    'actorOrgId',
    'actorKind',
    'action',
    'targetType',
    'targetId',
    'outcome',
    sql<string | null>`before::text`.as('beforeJson'),
    sql<string | null>`after::text`.as('afterJson'),
    sql<string | null>`details::text`.as('detailsJson'),
    'sourceIp',
    'requestId',
    'prevHash',
    'hash',
  ]);
}

type RawRow = Awaited<ReturnType<ReturnType<typeof recordColumns>['execute']>>[number];

export interface AuditRow extends Omit<RawRow, 'beforeJson' | 'afterJson' | 'detailsJson' | 'occurredAt' | 'seq'> {
  seq: string;
  occurredAt: Date;
  before: unknown;
  after: unknown;
  details: unknown;
}

function parse(rows: RawRow[]): AuditRow[] {
  return rows.map(({ beforeJson, afterJson, detailsJson, ...r }) => ({
    ...r,
    seq: String(r.seq),
    occurredAt: r.occurredAt as Date,
    before: beforeJson === null ? null : (JSON.parse(beforeJson) as unknown),
    after: afterJson === null ? null : (JSON.parse(afterJson) as unknown),
    details: detailsJson === null ? null : (JSON.parse(detailsJson) as unknown),
  }));
}

/** Records in seq order after `after` (from the very first when null, whatever its seq): the verification scan. */
export async function chainBatch(trx: Tx, after: string | null, size: number): Promise<AuditRow[]> {
  let q = recordColumns(trx.selectFrom('auditLog')).orderBy('seq').limit(size);
  if (after !== null) q = q.where('seq', '>', after);
  return parse(await q.execute());
}

export async function countRecords(trx: Tx, f: AuditFilter, upTo: string | null = null): Promise<number> {
  let q = applyFilter(trx.selectFrom('auditLog'), f);
  if (upTo !== null) q = q.where('seq', '<=', upTo);
  const r = await q
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One page, newest first. */
export async function listPage(trx: Tx, f: AuditFilter, page: number, pageSize: number): Promise<AuditRow[]> {
  const rows = await recordColumns(applyFilter(trx.selectFrom('auditLog'), f))
    .orderBy('seq', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return parse(rows);
}

/** Newest first, in batches by keyset (seq below `before`), for exports that must not hold every row in memory. */
export async function nextBatch(trx: Tx, f: AuditFilter, before: string | null, size: number): Promise<AuditRow[]> {
  let q = recordColumns(applyFilter(trx.selectFrom('auditLog'), f)).orderBy('seq', 'desc').limit(size);
  if (before !== null) q = q.where('seq', '<', before);
  return parse(await q.execute());
}

export async function lastSeq(trx: Tx): Promise<string | null> {
  const r = await trx.selectFrom('auditLog').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return r ? String(r.seq) : null;
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
