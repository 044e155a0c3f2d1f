/**
 * Reading back what a batch stored, for the modules that react to pushed data (inventory, data quality): batches in id
 * order after a watermark, and a batch's records keyed by the registry's field names, every value as the text the
 * provider would have sent (dates YYYY-MM-DD, times YYYY-MM-DD HH:mm:ss Beijing time, numbers as decimal strings).
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { INTERFACE_TABLES } from './interface-tables.js';
import type { InterfaceTable } from './registry.types.js';

export interface StoredBatch {
  id: string;
  table: string;
  providerOrgId: string;
  nodeId: string;
  receivedAt: Date;
}

const byName = new Map<string, InterfaceTable>(INTERFACE_TABLES.map((t) => [t.name, t]));

export function interfaceTable(name: string): InterfaceTable {
  const t = byName.get(name);
  if (!t) throw new AppError('not_found', 'ingest.unknown_table', `Unknown interface table "${name}"`, { table: name });
  return t;
}

/** Batches with at least one stored record, of the given tables, with id > afterId, in id order. */
export async function listStoredBatches(trx: Executor, opts: { afterId: string; tables: readonly string[]; limit: number }): Promise<StoredBatch[]> {
  if (opts.tables.length === 0) return [];
  const rows = await trx
    .selectFrom('ingestBatches')
    .select(['id', 'tableName', 'providerOrgId', 'nodeId', 'receivedAt'])
    .where('id', '>', opts.afterId)
    .where('tableName', 'in', [...opts.tables])
    .where('acceptedCount', '>', 0)
    .orderBy('id')
    .limit(opts.limit)
    .execute();
  return rows.map((r) => ({ id: String(r.id), table: r.tableName, providerOrgId: r.providerOrgId, nodeId: r.nodeId, receivedAt: new Date(r.receivedAt as unknown as string) }));
}

function columnAsText(t: InterfaceTable['fields'][number]) {
  const col = sql.ref(t.column);
  switch (t.rule.kind) {
    case 'datetime':
      return sql<string | null>`to_char(${col} at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')`.as(t.name);
    case 'date':
      return sql<string | null>`to_char(${col}, 'YYYY-MM-DD')`.as(t.name);
    default:
      return sql<string | null>`${col}::text`.as(t.name);
  }
}

/** The records a batch stored, keyed by field name; values as text (null where empty). */
export async function readBatchRecords(trx: Executor, batch: StoredBatch): Promise<Array<Record<string, string | null>>> {
  const t = interfaceTable(batch.table);
  const from = new Date(batch.receivedAt.getTime() - 86_400_000);
  const to = new Date(batch.receivedAt.getTime() + 86_400_000);
  const result = await sql<Record<string, string | null>>`
    select ${sql.join(t.fields.map(columnAsText))}
    from ${sql.table(t.sqlTable)}
    where batch_id = ${batch.id} and received_at >= ${from} and received_at < ${to}`.execute(trx);
  return result.rows;
}

/**
 * Record counts of one interface table that arrived in [from, to), grouped by some of its fields (by the registry's
 * field names; values as stored text), most frequent first: the statistics other modules show over pushed data
 * (e.g. attacks by name and system) without reading the table themselves. At most `limit` groups. With
 * `byProvider` the groups are also split by the pushing provider (`providerOrgId` of each group).
 */
export async function countRecords(
  trx: Executor,
  opts: { table: string; from: Date; to: Date; groupBy: readonly string[]; limit?: number; providerOrgId?: string; byProvider?: boolean },
): Promise<Array<{ keys: Record<string, string | null>; count: number; providerOrgId?: string }>> {
  const t = interfaceTable(opts.table);
  const fields = opts.groupBy.map((name) => {
    const f = t.fields.find((x) => x.name === name);
    if (!f) throw new AppError('validation', 'ingest.unknown_field', `The table ${t.name} has no field ${name}`, { field: name });
    return f;
  });
  const cols = fields.map((f) => sql<string | null>`${sql.ref(f.column)}::text`.as(f.name));
  if (opts.byProvider) cols.push(sql<string | null>`provider_org_id::text`.as('pushedbyprovider'));
  const groups = cols.length;
  const result = await sql<Record<string, string | null> & { n: string }>`
    select ${sql.join([...cols, sql<string>`count(*)`.as('n')])}
    from ${sql.table(t.sqlTable)}
    where received_at >= ${opts.from} and received_at < ${opts.to}
      ${opts.providerOrgId ? sql`and provider_org_id = ${opts.providerOrgId}` : sql``}
    ${groups > 0 ? sql`group by ${sql.join(cols.map((_, i) => sql.raw(String(i + 1))))}` : sql``}
    order by n desc
    limit ${opts.limit ?? 50}`.execute(trx);
  return result.rows.map((r) => ({
    keys: Object.fromEntries(fields.map((f) => [f.name, r[f.name] ?? null])),
    count: Number(r.n),
    ...(opts.byProvider ? { providerOrgId: r['pushedbyprovider'] ?? undefined } : {}),
  }));
}
