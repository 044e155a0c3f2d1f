/**
 * SQL of data quality. Everything is aggregated in PostgreSQL (GROUP BY over the interface tables, bounded by
 * received_at so only the partitions of the days concerned are read); JavaScript only combines per-group counts.
 * Raw SQL throughout: the interface tables are chosen from the registry at run time.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db/database.js';

/** A count per provider × node. Key: `${provider}|${node}`. */
export type PairCounts = Map<string, bigint>;

export const pairKey = (provider: string, node: string): string => `${provider}|${node}`;

/** `coalesce(record_time, received_at)`: the record's own time, or its arrival for tables without a time field. */
const T = sql.raw('coalesce(record_time, received_at)');
const SLOT = sql.raw('floor(extract(epoch from coalesce(record_time, received_at)) / 300)::bigint');

function providerFilter(providers: readonly string[] | null, column = 'provider_org_id'): RawBuilder<unknown> {
  return providers === null ? sql`` : sql`and ${sql.ref(column)} = any(${sql.val([...providers])}::uuid[])`;
}

interface Window {
  /** received_at range read (partition pruning). */
  receivedFrom: Date;
  receivedTo: Date;
  /** Own-time range counted. */
  from: Date;
  to: Date;
}

function toMap(rows: Array<{ provider: string; node: string; n: string }>): PairCounts {
  const m: PairCounts = new Map();
  for (const r of rows) m.set(pairKey(r.provider, r.node), BigInt(r.n));
  return m;
}

/** Distinct (device key, 5-minute slot) per provider × node in [from, to). */
export async function deviceSlots(trx: Tx, sqlTable: string, keyColumns: readonly string[], w: Window, providers: readonly string[] | null): Promise<PairCounts> {
  const key = keyExpression(keyColumns);
  const { rows } = await sql<{ provider: string; node: string; n: string }>`
    select provider, node, count(*)::text as n from (
      select distinct provider_org_id as provider, node_id as node, ${key} as device, ${SLOT} as slot
      from ${sql.table(sqlTable)}
      where received_at >= ${w.receivedFrom} and received_at < ${w.receivedTo}
        and ${T} >= ${w.from} and ${T} < ${w.to} ${providerFilter(providers)}
    ) x group by provider, node`.execute(trx);
  return toMap(rows);
}

/** Distinct devices per provider × node with a record in [from, to). */
export async function distinctDevices(trx: Tx, sqlTable: string, keyColumns: readonly string[], w: Window, providers: readonly string[] | null): Promise<PairCounts> {
  const key = keyExpression(keyColumns);
  const { rows } = await sql<{ provider: string; node: string; n: string }>`
    select provider_org_id as provider, node_id as node, count(distinct ${key})::text as n
    from ${sql.table(sqlTable)}
    where received_at >= ${w.receivedFrom} and received_at < ${w.receivedTo}
      and ${T} >= ${w.from} and ${T} < ${w.to} ${providerFilter(providers)}
    group by provider_org_id, node_id`.execute(trx);
  return toMap(rows);
}

/** Distinct 5-minute slots with at least one record per provider × node in [from, to). */
export async function eventSlots(trx: Tx, sqlTable: string, w: Window, providers: readonly string[] | null): Promise<PairCounts> {
  const { rows } = await sql<{ provider: string; node: string; n: string }>`
    select provider_org_id as provider, node_id as node, count(distinct ${SLOT})::text as n
    from ${sql.table(sqlTable)}
    where received_at >= ${w.receivedFrom} and received_at < ${w.receivedTo}
      and ${T} >= ${w.from} and ${T} < ${w.to} ${providerFilter(providers)}
    group by provider_org_id, node_id`.execute(trx);
  return toMap(rows);
}

/** 1 per provider × node with any record in [from, to) (daily and weekly tables). */
export async function anyRecord(trx: Tx, sqlTable: string, w: Window, providers: readonly string[] | null): Promise<PairCounts> {
  const { rows } = await sql<{ provider: string; node: string; n: string }>`
    select provider_org_id as provider, node_id as node, '1' as n
    from ${sql.table(sqlTable)}
    where received_at >= ${w.receivedFrom} and received_at < ${w.receivedTo}
      and ${T} >= ${w.from} and ${T} < ${w.to} ${providerFilter(providers)}
    group by provider_org_id, node_id`.execute(trx);
  return toMap(rows);
}

/**
 * Active cloud hosts per provider × node on `day`: distinct cloudHostId in the provider's latest cloudHostSpec delivery
 * (the last Beijing-time day since `since` with an accepted cloudHostSpec batch, up to the end of `day`), not deleted by `day`,
 * not created after it. A pair whose latest delivery lists no active host gets 0.
 */
export async function activeHosts(trx: Tx, day: string, since: Date, dayEnd: Date, providers: readonly string[] | null): Promise<PairCounts> {
  const { rows: latest } = await sql<{ provider: string; node: string; d: string }>`
    select distinct on (provider_org_id, node_id) provider_org_id as provider, node_id as node,
           to_char((received_at at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD') as d
    from ingest_batches
    where table_name = 'cloudHostSpec' and accepted_count > 0 and received_at >= ${since} and received_at < ${dayEnd} ${providerFilter(providers)}
    order by provider_org_id, node_id, received_at desc`.execute(trx);
  if (latest.length === 0) return new Map();
  const days = [...new Set(latest.map((l) => l.d))].sort();
  const lo = sql`(${days[0]!}::date)::timestamp at time zone 'Asia/Shanghai'`;
  const hi = sql`(${days[days.length - 1]!}::date + 1)::timestamp at time zone 'Asia/Shanghai'`;
  const { rows } = await sql<{ provider: string; node: string; n: string }>`
    with latest as (
      select * from unnest(${sql.val(latest.map((l) => l.provider))}::uuid[], ${sql.val(latest.map((l) => l.node))}::uuid[],
                           ${sql.val(latest.map((l) => l.d))}::date[]) as l(provider, node, d)
    )
    select l.provider, l.node, count(distinct s.cloud_host_id)::text as n
    from latest l
    left join ingest_cloud_host_spec s on s.provider_org_id = l.provider and s.node_id = l.node
      and s.received_at >= ${lo} and s.received_at < ${hi}
      and s.received_at >= l.d::timestamp at time zone 'Asia/Shanghai'
      and s.received_at < (l.d + 1)::timestamp at time zone 'Asia/Shanghai'
      and (s.deleted_date is null or s.deleted_date > ${day}::date)
      and (s.created_date is null or s.created_date <= ${day}::date)
    group by l.provider, l.node`.execute(trx);
  return toMap(rows);
}

export interface BatchSums {
  provider: string;
  node: string;
  table: string;
  accepted: bigint;
  rejected: bigint;
  onTime: bigint;
}

/** Accepted, rejected and on-time records of the batches that arrived in [from, to), per provider × node × table. */
export async function batchSums(trx: Tx, from: Date, to: Date, tables: readonly string[], providers: readonly string[] | null): Promise<BatchSums[]> {
  if (tables.length === 0) return [];
  const { rows } = await sql<{ provider: string; node: string; tbl: string; accepted: string; rejected: string; ontime: string }>`
    select provider_org_id as provider, node_id as node, table_name as tbl,
           sum(accepted_count)::text as accepted, sum(rejected_count)::text as rejected, sum(on_time_count)::text as ontime
    from ingest_batches
    where received_at >= ${from} and received_at < ${to} and table_name = any(${sql.val([...tables])}::text[]) ${providerFilter(providers)}
    group by provider_org_id, node_id, table_name`.execute(trx);
  return rows.map((r) => ({ provider: r.provider, node: r.node, table: r.tbl, accepted: BigInt(r.accepted), rejected: BigInt(r.rejected), onTime: BigInt(r.ontime) }));
}

export interface ProviderNode {
  provider: string;
  node: string;
}

/**
 * The provider × node pairs whose tables are expected: nodes a cloud provider pushed data for since `since`, nodes its
 * live ingestion credentials cover (all its active nodes for a credential without a node list), and nodes named by a
 * mandatory quality expectation (a provider-wide one: all its active nodes).
 */
export async function expectedPairs(trx: Tx, since: Date, at: Date, providers: readonly string[] | null): Promise<ProviderNode[]> {
  const hasCredentials = (await sql<{ ok: boolean }>`select to_regclass('ingest_credentials') is not null as ok`.execute(trx)).rows[0]?.ok === true;
  const credentials = hasCredentials
    ? sql`union
      select c.provider_org_id, n.id from ingest_credentials c
      join cloud_nodes n on n.status = 'active'
        and ((c.node_ids is null and n.provider_org_id = c.provider_org_id) or n.id = any(c.node_ids))
      where c.revoked_at is null and (c.expires_at is null or c.expires_at > ${at}) ${providerFilter(providers, 'c.provider_org_id')}`
    : sql``;
  const { rows } = await sql<ProviderNode>`
    select p.provider_org_id as provider, p.node_id as node from (
      select distinct provider_org_id, node_id from ingest_batches where received_at >= ${since} ${providerFilter(providers)}
      ${credentials}
      union
      select q.provider_org_id, coalesce(q.node_id, n.id) from quality_expectations q
      left join cloud_nodes n on q.node_id is null and n.provider_org_id = q.provider_org_id and n.status = 'active'
      where q.mandatory and coalesce(q.node_id, n.id) is not null ${providerFilter(providers, 'q.provider_org_id')}
    ) p(provider_org_id, node_id)
    join organisations o on o.id = p.provider_org_id and o.kind = 'cloud_provider'
    order by 1, 2`.execute(trx);
  return rows;
}

export interface ExpectationRow {
  id: string;
  providerOrgId: string;
  nodeId: string | null;
  tableName: string;
  mandatory: boolean;
  note: string | null;
  updatedAt: Date;
}

export async function listExpectations(trx: Tx, providers: readonly string[] | null): Promise<ExpectationRow[]> {
  const { rows } = await sql<{ id: string; provider: string; node: string | null; tbl: string; mandatory: boolean; note: string | null; updated: Date }>`
    select id, provider_org_id as provider, node_id as node, table_name as tbl, mandatory, note, updated_at as updated
    from quality_expectations where true ${providerFilter(providers)}
    order by provider_org_id, node_id nulls first, table_name`.execute(trx);
  return rows.map((r) => ({ id: r.id, providerOrgId: r.provider, nodeId: r.node, tableName: r.tbl, mandatory: r.mandatory, note: r.note, updatedAt: r.updated }));
}

export async function upsertExpectation(
  trx: Tx,
  e: { providerOrgId: string; nodeId: string | null; tableName: string; mandatory: boolean; note: string | null; userId: string | null },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    insert into quality_expectations (provider_org_id, node_id, table_name, mandatory, note, updated_by)
    values (${e.providerOrgId}, ${e.nodeId}, ${e.tableName}, ${e.mandatory}, ${e.note}, ${e.userId})
    on conflict (provider_org_id, coalesce(node_id, '00000000-0000-0000-0000-000000000000'::uuid), table_name)
    do update set mandatory = excluded.mandatory, note = excluded.note, updated_by = excluded.updated_by, updated_at = now()
    returning id`.execute(trx);
  return rows[0]!.id;
}

export async function deleteExpectation(trx: Tx, id: string): Promise<boolean> {
  const r = await sql`delete from quality_expectations where id = ${id}`.execute(trx);
  return (r.numAffectedRows ?? 0n) > 0n;
}

export interface QualityRow {
  provider: string;
  node: string;
  table: string;
  day: string;
  period: 'day' | 'week';
  method: string;
  mandatory: boolean;
  expected: bigint;
  received: bigint;
  onTime: bigint;
  accepted: bigint;
  rejected: bigint;
  completeness: string | null;
  timeliness: string | null;
  validity: string | null;
  score: string | null;
  meetsTarget: boolean | null;
}

/**
 * Replaces the rows of `day` (period day) and of the ISO week starting `weekStart` (period week), for the given
 * providers or all: delete, then one insert from arrays. Serialised by an advisory lock.
 */
export async function replaceRows(trx: Tx, day: string, weekStart: string, rows: readonly QualityRow[], providers: readonly string[] | null): Promise<void> {
  // One computation at a time: two days of one ISO week share its weekly rows.
  await sql`select pg_advisory_xact_lock(hashtext('zy_quality'))`.execute(trx);
  await sql`delete from data_quality_daily
    where ((period = 'day' and day = ${day}::date) or (period = 'week' and day = ${weekStart}::date)) ${providerFilter(providers)}`.execute(trx);
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    const col = <K extends keyof QualityRow>(k: K) => sql.val(chunk.map((r) => (typeof r[k] === 'bigint' ? String(r[k]) : r[k])));
    await sql`insert into data_quality_daily (provider_org_id, node_id, table_name, day, period, method, mandatory, expected, received,
        on_time, accepted, rejected, completeness, timeliness, validity, score, meets_target)
      select * from unnest(${col('provider')}::uuid[], ${col('node')}::uuid[], ${col('table')}::text[], ${col('day')}::date[],
        ${col('period')}::text[], ${col('method')}::text[], ${col('mandatory')}::boolean[], ${col('expected')}::bigint[],
        ${col('received')}::bigint[], ${col('onTime')}::bigint[], ${col('accepted')}::bigint[], ${col('rejected')}::bigint[],
        ${col('completeness')}::numeric[], ${col('timeliness')}::numeric[], ${col('validity')}::numeric[], ${col('score')}::numeric[],
        ${col('meetsTarget')}::boolean[])`.execute(trx);
  }
}

export interface RowFilter {
  from: string;
  to: string;
  provider?: string | undefined;
  node?: string | undefined;
  table?: string | undefined;
}

/**
 * Rows in [from, to]: daily rows by their day; weekly rows whose ISO week overlaps the range (their Monday is at most
 * 6 days before `from`).
 */
function rowWhere(f: RowFilter): RawBuilder<unknown> {
  return sql`((q.period = 'day' and q.day between ${f.from}::date and ${f.to}::date)
              or (q.period = 'week' and q.day between ${f.from}::date - 6 and ${f.to}::date))
    ${f.provider ? sql`and q.provider_org_id = ${f.provider}::uuid` : sql``}
    ${f.node ? sql`and q.node_id = ${f.node}::uuid` : sql``}
    ${f.table ? sql`and q.table_name = ${f.table}` : sql``}`;
}

export interface StoredRow {
  providerOrgId: string;
  providerName: string | null;
  nodeId: string;
  nodeCode: string | null;
  nodeName: string | null;
  tableName: string;
  day: string;
  period: 'day' | 'week';
  method: string;
  mandatory: boolean;
  expected: string;
  received: string;
  onTime: string;
  accepted: string;
  rejected: string;
  completeness: string | null;
  timeliness: string | null;
  validity: string | null;
  score: string | null;
  meetsTarget: boolean | null;
  computedAt: Date;
}

export async function listRows(trx: Tx, f: RowFilter, limit: number): Promise<{ rows: StoredRow[]; total: number }> {
  const { rows } = await sql<{
    provider: string; pname: string | null; node: string; ncode: string | null; nname: string | null; tbl: string; day: string;
    period: 'day' | 'week'; method: string; mandatory: boolean; expected: string; received: string; ontime: string; accepted: string;
    rejected: string; completeness: string | null; timeliness: string | null; validity: string | null; score: string | null;
    meets: boolean | null; computed: Date; total: string;
  }>`
    select q.provider_org_id as provider, zy_provider_name(q.provider_org_id) as pname, q.node_id as node, n.code as ncode, n.name as nname,
           q.table_name as tbl, to_char(q.day, 'YYYY-MM-DD') as day, q.period, q.method, q.mandatory,
           q.expected::text as expected, q.received::text as received, q.on_time::text as ontime, q.accepted::text as accepted,
           q.rejected::text as rejected, q.completeness::text as completeness, q.timeliness::text as timeliness,
           q.validity::text as validity, q.score::text as score, q.meets_target as meets, q.computed_at as computed,
           count(*) over ()::text as total
    from data_quality_daily q
    left join cloud_nodes n on n.id = q.node_id
    where ${rowWhere(f)}
    order by pname, q.provider_org_id, n.code, q.table_name, q.day
    limit ${limit}`.execute(trx);
  return {
    total: rows.length === 0 ? 0 : Number(rows[0]!.total),
    rows: rows.map((r) => ({
      providerOrgId: r.provider, providerName: r.pname, nodeId: r.node, nodeCode: r.ncode, nodeName: r.nname, tableName: r.tbl, day: r.day,
      period: r.period, method: r.method, mandatory: r.mandatory, expected: r.expected, received: r.received, onTime: r.ontime,
      accepted: r.accepted, rejected: r.rejected, completeness: r.completeness, timeliness: r.timeliness, validity: r.validity,
      score: r.score, meetsTarget: r.meets, computedAt: r.computed,
    })),
  };
}

export interface TableSumRow {
  provider: string;
  providerName: string | null;
  table: string;
  expected: string;
  receivedCapped: string;
  onTime: string;
  accepted: string;
  rejected: string;
  mandatory: boolean;
}

/** Per provider × table sums over [from, to] (all nodes together), received capped at expected row by row. */
export async function tableSums(trx: Tx, f: RowFilter): Promise<TableSumRow[]> {
  const { rows } = await sql<{ provider: string; pname: string | null; tbl: string; expected: string; received: string; ontime: string; accepted: string; rejected: string; mandatory: boolean }>`
    select q.provider_org_id as provider, zy_provider_name(q.provider_org_id) as pname, q.table_name as tbl,
           sum(q.expected)::text as expected, sum(least(q.received, q.expected))::text as received,
           sum(q.on_time)::text as ontime, sum(q.accepted)::text as accepted, sum(q.rejected)::text as rejected,
           bool_or(q.mandatory) as mandatory
    from data_quality_daily q
    where ${rowWhere(f)}
    group by q.provider_org_id, q.table_name
    order by pname, q.provider_org_id, q.table_name`.execute(trx);
  return rows.map((r) => ({
    provider: r.provider, providerName: r.pname, table: r.tbl, expected: r.expected, receivedCapped: r.received, onTime: r.ontime,
    accepted: r.accepted, rejected: r.rejected, mandatory: r.mandatory,
  }));
}

export interface TableDaySumRow extends TableSumRow {
  day: string;
  period: 'day' | 'week';
}

/** Per table × day (weekly tables: × ISO week) sums of one provider over [from, to], all its nodes together. */
export async function tableDaySums(trx: Tx, f: RowFilter & { provider: string }): Promise<TableDaySumRow[]> {
  const { rows } = await sql<{ tbl: string; day: string; period: 'day' | 'week'; expected: string; received: string; ontime: string; accepted: string; rejected: string; mandatory: boolean }>`
    select q.table_name as tbl, to_char(q.day, 'YYYY-MM-DD') as day, q.period,
           sum(q.expected)::text as expected, sum(least(q.received, q.expected))::text as received,
           sum(q.on_time)::text as ontime, sum(q.accepted)::text as accepted, sum(q.rejected)::text as rejected,
           bool_or(q.mandatory) as mandatory
    from data_quality_daily q
    where ${rowWhere(f)}
    group by q.table_name, q.day, q.period
    order by q.table_name, q.day`.execute(trx);
  return rows.map((r) => ({
    provider: f.provider, providerName: null, table: r.tbl, day: r.day, period: r.period, expected: r.expected, receivedCapped: r.received,
    onTime: r.ontime, accepted: r.accepted, rejected: r.rejected, mandatory: r.mandatory,
  }));
}

function keyExpression(columns: readonly string[]): RawBuilder<unknown> {
  if (columns.length === 1) return sql`coalesce(${sql.ref(columns[0]!)}, '')`;
  return sql`concat_ws(chr(31), ${sql.join(columns.map((c) => sql`coalesce(${sql.ref(c)}, '')`))})`;
}
