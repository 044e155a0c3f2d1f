/**
 * SQL of the inventory. Every function runs inside the caller's transaction (withTx sets the RLS scope): the apply
 * side with the system context, the read side with the caller's. Reads of the directory (information systems, nodes,
 * machine rooms, units) are joins on its tables; the inventory never writes them.
 */
import { sql, type RawBuilder } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db/database.js';
import type { QuantityKey, ResourceKind } from './inventory.kinds.js';
import type { ResourceFilter } from './inventory.schemas.js';

/** Resources not reported for longer than this are stale: two update periods (daily service data, weekly assets). */
export const STALE_SQL = sql`(r.status = 'active' and r.last_seen_at < now() - case when r.kind = 'physical_device' then interval '14 days' else interval '2 days' end)`;

export interface StoredResourceRow {
  id: string;
  naturalKey: string;
  nodeId: string;
  attributes: Record<string, string | null>;
  status: 'active' | 'deleted';
  lastBatchId: string;
  createdDate: string | null;
}

export async function lockApply(trx: Tx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('zy_inventory_apply'))`.execute(trx);
  // Row policies make the planner's estimates huge, which triggers JIT compilation (~250 ms per statement, measured)
  // on statements that run in milliseconds.
  await sql`set local jit = off`.execute(trx);
}

export async function readCursor(trx: Tx): Promise<string> {
  const row = await trx.selectFrom('inventoryCursor').select('lastBatchId').where('id', '=', 1).executeTakeFirstOrThrow();
  return String(row.lastBatchId);
}

export async function appliedAmong(trx: Tx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await trx.selectFrom('inventoryAppliedBatches').select('batchId').where('batchId', 'in', ids).execute();
  return new Set(rows.map((r) => String(r.batchId)));
}

export async function markApplied(trx: Tx, batch: { id: string; receivedAt: Date }): Promise<void> {
  await trx.insertInto('inventoryAppliedBatches').values({ batchId: batch.id, receivedAt: batch.receivedAt }).onConflict((oc) => oc.doNothing()).execute();
}

/**
 * Moves the watermark over the applied batches older than `safetyMinutes`: a push transaction that took its batch id
 * earlier but committed later is still seen, as long as it lasted less than the window.
 */
export async function advanceCursor(trx: Tx, safetyMinutes: number): Promise<void> {
  await sql`
    update inventory_cursor c set last_batch_id = w.m, updated_at = now()
    from (select max(batch_id) as m from inventory_applied_batches where received_at < now() - make_interval(mins => ${safetyMinutes})) w
    where c.id = 1 and w.m is not null and w.m > c.last_batch_id`.execute(trx);
  await sql`delete from inventory_applied_batches where batch_id <= (select last_batch_id from inventory_cursor where id = 1)`.execute(trx);
}

export async function loadResources(trx: Tx, providerOrgId: string, kind: ResourceKind, keys: string[]): Promise<Map<string, StoredResourceRow>> {
  const out = new Map<string, StoredResourceRow>();
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await trx
      .selectFrom('inventoryResources')
      .select(['id', 'naturalKey', 'nodeId', 'attributes', 'status', 'lastBatchId', 'createdDate'])
      .where('providerOrgId', '=', providerOrgId)
      .where('kind', '=', kind)
      .where('naturalKey', 'in', keys.slice(i, i + 1000))
      .execute();
    for (const r of rows) out.set(r.naturalKey, { ...r, attributes: r.attributes as Record<string, string | null>, status: r.status as 'active' | 'deleted', lastBatchId: String(r.lastBatchId) });
  }
  return out;
}

export interface NewResourceRow {
  id: string;
  kind: ResourceKind;
  providerOrgId: string;
  nodeId: string;
  naturalKey: string;
  systemNo: string | null;
  name: string;
  attributes: Record<string, string | null>;
  quantities: Partial<Record<QuantityKey, string>>;
  createdDate: string | null;
  deletedDate: string | null;
  status: 'active' | 'deleted';
  seenAt: Date;
  batchId: string;
}

export async function insertResources(trx: Tx, rows: NewResourceRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('inventoryResources')
      .values(
        rows.slice(i, i + 500).map((r) => ({
          id: r.id,
          kind: r.kind,
          providerOrgId: r.providerOrgId,
          nodeId: r.nodeId,
          naturalKey: r.naturalKey,
          systemNo: r.systemNo,
          name: r.name,
          attributes: JSON.stringify(r.attributes),
          quantities: JSON.stringify(r.quantities),
          createdDate: r.createdDate,
          deletedDate: r.deletedDate,
          status: r.status,
          firstSeenAt: r.seenAt,
          lastSeenAt: r.seenAt,
          changedAt: r.seenAt,
          lastBatchId: r.batchId,
        })),
      )
      .execute();
  }
}

/** Writes the new versions of changed resources (one statement per 1,000). */
export async function updateResources(trx: Tx, rows: NewResourceRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000).map((r) => ({
      id: r.id,
      node_id: r.nodeId,
      system_no: r.systemNo,
      name: r.name,
      attributes: r.attributes,
      quantities: r.quantities,
      created_date: r.createdDate,
      deleted_date: r.deletedDate,
      status: r.status,
      seen_at: r.seenAt.toISOString(),
      batch_id: r.batchId,
    }));
    await sql`
      update inventory_resources r
         set node_id = v.node_id, system_no = v.system_no, name = v.name, attributes = v.attributes, quantities = v.quantities,
             created_date = v.created_date, deleted_date = v.deleted_date, status = v.status,
             last_seen_at = greatest(r.last_seen_at, v.seen_at), changed_at = v.seen_at, last_batch_id = v.batch_id
        from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as v(id uuid, node_id uuid, system_no text, name text, attributes jsonb,
             quantities jsonb, created_date date, deleted_date date, status text, seen_at timestamptz, batch_id bigint)
       where r.id = v.id`.execute(trx);
  }
}

/** Reported again unchanged: only the time last seen and the batch move. */
export async function touchResources(trx: Tx, ids: string[], seenAt: Date, batchId: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    await trx
      .updateTable('inventoryResources')
      .set({ lastSeenAt: sql<Date>`greatest(last_seen_at, ${seenAt}::timestamptz)`, lastBatchId: batchId })
      .where('id', 'in', ids.slice(i, i + 1000))
      .execute();
  }
}

export interface NewChange {
  resourceId: string;
  changedAt: Date;
  action: 'created' | 'changed' | 'deleted';
  before: Record<string, string | null>;
  after: Record<string, string | null>;
  batchId: string;
}

export async function insertChanges(trx: Tx, changes: NewChange[]): Promise<void> {
  for (let i = 0; i < changes.length; i += 500) {
    await trx
      .insertInto('inventoryChanges')
      .values(changes.slice(i, i + 500).map((c) => ({ ...c, before: JSON.stringify(c.before), after: JSON.stringify(c.after) })))
      .execute();
  }
}

export async function upsertReportedSystem(
  trx: Tx,
  row: { providerOrgId: string; systemNo: string; nodeId: string; attributes: Record<string, string | null>; seenAt: Date; batchId: string },
): Promise<boolean> {
  const res = await sql`
    insert into inventory_reported_systems (provider_org_id, system_no, node_id, attributes, first_seen_at, last_seen_at, last_batch_id)
    values (${row.providerOrgId}, ${row.systemNo}, ${row.nodeId}, ${JSON.stringify(row.attributes)}::jsonb, ${row.seenAt}, ${row.seenAt}, ${row.batchId})
    on conflict (provider_org_id, system_no) do update
      set node_id = excluded.node_id, attributes = excluded.attributes,
          last_seen_at = greatest(inventory_reported_systems.last_seen_at, excluded.last_seen_at), last_batch_id = excluded.last_batch_id
      where inventory_reported_systems.last_batch_id < excluded.last_batch_id`.execute(trx);
  return Number(res.numAffectedRows ?? 0) > 0;
}

export async function upsertCapacity(
  trx: Tx,
  row: { providerOrgId: string; nodeId: string; machineRoom: string; attributes: Record<string, string | null>; reportedAt: Date; batchId: string },
): Promise<boolean> {
  const res = await sql`
    insert into inventory_capacity (provider_org_id, node_id, machine_room, attributes, reported_at, last_batch_id)
    values (${row.providerOrgId}, ${row.nodeId}, ${row.machineRoom}, ${JSON.stringify(row.attributes)}::jsonb, ${row.reportedAt}, ${row.batchId})
    on conflict (provider_org_id, node_id, machine_room) do update
      set attributes = excluded.attributes, reported_at = excluded.reported_at, last_batch_id = excluded.last_batch_id
      where inventory_capacity.last_batch_id < excluded.last_batch_id`.execute(trx);
  return Number(res.numAffectedRows ?? 0) > 0;
}

/**
 * Links every resource to the registered system its number names (system, unit, registered node) and recomputes the
 * stored flags; only rows whose link or flags change are written. Returns how many changed.
 */
export async function relinkResources(trx: Tx): Promise<number> {
  // The systems are read once (materialized: their row policy runs per system, not per resource), then hash-joined.
  const res = await sql`
    with s as materialized (select id, system_no, unit_id, node_id, status from information_systems),
    computed as (
      select r.id, s.id as system_id, s.unit_id, s.node_id as system_node_id,
             array_remove(array[
               case when r.system_no is not null and s.id is null then 'unowned' end,
               case when s.id is not null and s.node_id <> r.node_id then 'node_mismatch' end,
               case when s.id is not null and s.status = 'retired' then 'system_retired' end
             ], null) as flags,
             r.system_id as old_system_id, r.unit_org_id as old_unit, r.system_node_id as old_node, r.flags as old_flags
      from inventory_resources r
      left join s on s.system_no = r.system_no
    )
    update inventory_resources r
       set system_id = c.system_id, unit_org_id = c.unit_id, system_node_id = c.system_node_id, flags = c.flags
      from computed c
     where c.id = r.id
       and (c.old_system_id is distinct from c.system_id or c.old_unit is distinct from c.unit_id
            or c.old_node is distinct from c.system_node_id or c.old_flags <> c.flags)`.execute(trx);
  return Number(res.numAffectedRows ?? 0);
}

/** Active resources whose end date has come are deleted (recorded in their history). */
export async function expireResources(trx: Tx): Promise<number> {
  const rows = await sql<{ id: string; lastBatchId: string }>`
    update inventory_resources set status = 'deleted', changed_at = now()
     where status = 'active' and deleted_date is not null and deleted_date <= (now() at time zone 'Asia/Shanghai')::date
    returning id, last_batch_id`.execute(trx);
  await insertChanges(
    trx,
    rows.rows.map((r) => ({ resourceId: r.id, changedAt: new Date(), action: 'deleted' as const, before: { status: 'active' }, after: { status: 'deleted' }, batchId: String(r.lastBatchId) })),
  );
  return rows.rows.length;
}

export interface ReportedSystemRow {
  providerOrgId: string;
  systemNo: string;
  nodeId: string;
  attributes: Record<string, string | null>;
  systemId: string | null;
  unitOrgId: string | null;
  mismatches: unknown;
  regId: string | null;
  regUnitId: string | null;
  regName: string | null;
  regNodeId: string | null;
  regNodeCode: string | null;
  regNodeName: string | null;
  regUnitCode: string | null;
  regRoomCode: string | null;
  regGrading: string | null;
  regNetwork: string | null;
}

export async function reportedSystemsWithRegistration(trx: Tx): Promise<ReportedSystemRow[]> {
  const res = await sql<ReportedSystemRow>`
    select rs.provider_org_id, rs.system_no, rs.node_id, rs.attributes, rs.system_id, rs.unit_org_id, rs.mismatches,
           s.id as reg_id, s.unit_id as reg_unit_id, s.name as reg_name, s.node_id as reg_node_id, n.code as reg_node_code,
           n.name as reg_node_name, u.code as reg_unit_code, m.code as reg_room_code, s.grading_level as reg_grading,
           s.network_nature as reg_network
      from inventory_reported_systems rs
      left join information_systems s on s.system_no = rs.system_no
      left join cloud_nodes n on n.id = s.node_id
      left join organisations u on u.id = s.unit_id
      left join machine_rooms m on m.id = s.machine_room_id`.execute(trx);
  return res.rows;
}

export async function setReportedSystemLink(trx: Tx, providerOrgId: string, systemNo: string, systemId: string | null, unitOrgId: string | null, mismatches: unknown): Promise<void> {
  await trx
    .updateTable('inventoryReportedSystems')
    .set({ systemId, unitOrgId, mismatches: JSON.stringify(mismatches) })
    .where('providerOrgId', '=', providerOrgId)
    .where('systemNo', '=', systemNo)
    .execute();
}

/** Replaces the snapshot of `day` with the active resources now. */
export async function snapshotDay(trx: Tx, day: string): Promise<number> {
  await sql`delete from inventory_daily where day = ${day}::date`.execute(trx);
  const res = await sql`
    insert into inventory_daily (day, provider_org_id, node_id, unit_org_id, kind, resource_count, quantities)
    select ${day}::date, c.provider_org_id, c.node_id, c.unit_org_id, c.kind, c.n,
           coalesce((select jsonb_object_agg(q.key, q.total::text) from (
              select e.key, sum(e.value::numeric) as total
                from inventory_resources r2 cross join lateral jsonb_each_text(r2.quantities) e
               where r2.status = 'active' and r2.provider_org_id = c.provider_org_id and r2.node_id = c.node_id
                 and r2.unit_org_id is not distinct from c.unit_org_id and r2.kind = c.kind
               group by e.key) q), '{}'::jsonb)
      from (select provider_org_id, node_id, unit_org_id, kind, count(*)::int as n
              from inventory_resources where status = 'active'
             group by provider_org_id, node_id, unit_org_id, kind) c`.execute(trx);
  return Number(res.numAffectedRows ?? 0);
}

// ---- read side ----

/**
 * What the actor may see, in the query itself (row-level security is the backstop): nothing without business access;
 * everything for scope-all readers; else the rows whose provider (or unit) lies in the actor's subtrees.
 */
export function visibleSql(ctx: RequestContext, providerCol: RawBuilder<unknown>, unitCol: RawBuilder<unknown> | null): RawBuilder<unknown> {
  const { actor } = ctx;
  if (!actor.businessAccess) return sql`false`;
  if (actor.scope.all) return sql`true`;
  if (actor.scope.roots.length === 0) return sql`false`;
  const roots = sql`array[${sql.join(actor.scope.roots.map((r) => sql`${r}::uuid`))}]`;
  const inScope = (col: RawBuilder<unknown>) => sql`exists (select 1 from organisations vo where vo.id = ${col} and vo.path && ${roots})`;
  return unitCol === null ? inScope(providerCol) : sql`(${inScope(providerCol)} or ${inScope(unitCol)})`;
}

export function resourceWhere(ctx: RequestContext, f: ResourceFilter): RawBuilder<unknown> {
  const parts: Array<RawBuilder<unknown>> = [visibleSql(ctx, sql`r.provider_org_id`, sql`r.unit_org_id`)];
  if (f.kind) parts.push(sql`r.kind = ${f.kind}`);
  if (f.nodeId) parts.push(sql`r.node_id = ${f.nodeId}`);
  if (f.providerOrgId) parts.push(sql`r.provider_org_id = ${f.providerOrgId}`);
  if (f.unitOrgId) parts.push(sql`r.unit_org_id = ${f.unitOrgId}`);
  if (f.systemNo) parts.push(sql`r.system_no = ${f.systemNo}`);
  if (f.status) parts.push(sql`r.status = ${f.status}`);
  if (f.flag === 'stale') parts.push(STALE_SQL);
  else if (f.flag) parts.push(sql`(r.status = 'active' and ${f.flag} = any(r.flags))`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(sql`(r.name ilike ${like} or r.natural_key ilike ${like} or r.system_no ilike ${like})`);
  }
  return sql.join(parts, sql` and `);
}

export interface ResourceRow {
  id: string;
  kind: ResourceKind;
  providerOrgId: string;
  providerName: string | null;
  nodeId: string;
  nodeName: string | null;
  naturalKey: string;
  systemNo: string | null;
  systemId: string | null;
  systemName: string | null;
  unitOrgId: string | null;
  unitName: string | null;
  name: string;
  attributes: Record<string, string | null>;
  quantities: Record<string, string>;
  createdDate: string | null;
  deletedDate: string | null;
  status: 'active' | 'deleted';
  flags: string[];
  stale: boolean;
  firstSeenAt: Date;
  lastSeenAt: Date;
  changedAt: Date;
}

const RESOURCE_SELECT = sql`
  r.id, r.kind, r.provider_org_id, zy_provider_name(r.provider_org_id) as provider_name, r.node_id, n.name as node_name,
  r.natural_key, r.system_no, r.system_id, s.name as system_name, r.unit_org_id, u.name as unit_name, r.name,
  r.attributes, r.quantities, to_char(r.created_date, 'YYYY-MM-DD') as created_date,
  to_char(r.deleted_date, 'YYYY-MM-DD') as deleted_date, r.status, r.flags, ${STALE_SQL} as stale,
  r.first_seen_at, r.last_seen_at, r.changed_at`;
const RESOURCE_FROM = sql`
  inventory_resources r
  left join cloud_nodes n on n.id = r.node_id
  left join information_systems s on s.id = r.system_id
  left join organisations u on u.id = r.unit_org_id`;

const SORT_SQL: Record<string, RawBuilder<unknown>> = {
  name: sql`r.name`,
  kind: sql`r.kind`,
  createdDate: sql`r.created_date`,
  lastSeenAt: sql`r.last_seen_at`,
  changedAt: sql`r.changed_at`,
  systemNo: sql`r.system_no`,
};

export async function listResources(
  trx: Tx,
  ctx: RequestContext,
  f: ResourceFilter,
  opts: { limit: number; offset: number; sort: string; order: 'asc' | 'desc' },
): Promise<{ rows: ResourceRow[]; total: number }> {
  const where = resourceWhere(ctx, f);
  const total = await sql<{ n: string }>`select count(*) as n from inventory_resources r where ${where}`.execute(trx);
  const dir = opts.order === 'desc' ? sql`desc nulls last` : sql`asc nulls last`;
  const rows = await sql<ResourceRow>`
    select ${RESOURCE_SELECT} from ${RESOURCE_FROM}
     where ${where}
     order by ${SORT_SQL[opts.sort] ?? SORT_SQL.name} ${dir}, r.id
     limit ${opts.limit} offset ${opts.offset}`.execute(trx);
  return { rows: rows.rows, total: Number(total.rows[0]?.n ?? 0) };
}

export async function getResource(trx: Tx, ctx: RequestContext, id: string): Promise<ResourceRow | undefined> {
  const rows = await sql<ResourceRow>`select ${RESOURCE_SELECT} from ${RESOURCE_FROM} where r.id = ${id} and ${resourceWhere(ctx, {})}`.execute(trx);
  return rows.rows[0];
}

export async function resourceChanges(trx: Tx, id: string) {
  return trx.selectFrom('inventoryChanges').selectAll().where('resourceId', '=', id).orderBy('id').execute();
}

export type Dimension = 'node' | 'provider' | 'unit';
const DIM_COL: Record<Dimension, RawBuilder<unknown>> = { node: sql`r.node_id`, provider: sql`r.provider_org_id`, unit: sql`r.unit_org_id` };

export async function countsBy(trx: Tx, dim: Dimension, where: RawBuilder<unknown>): Promise<Array<{ groupId: string | null; kind: string; n: number }>> {
  const res = await sql<{ groupId: string | null; kind: string; n: number }>`
    select ${DIM_COL[dim]} as group_id, r.kind, count(*)::int as n
      from inventory_resources r where r.status = 'active' and ${where}
     group by 1, 2`.execute(trx);
  return res.rows;
}

export async function quantitiesBy(trx: Tx, dim: Dimension, where: RawBuilder<unknown>): Promise<Array<{ groupId: string | null; key: string; total: string }>> {
  const res = await sql<{ groupId: string | null; key: string; total: string }>`
    select ${DIM_COL[dim]} as group_id, e.key, sum(e.value::numeric)::text as total
      from inventory_resources r cross join lateral jsonb_each_text(r.quantities) e
     where r.status = 'active' and ${where}
     group by 1, 2`.execute(trx);
  return res.rows;
}

export async function capacityRows(trx: Tx, ctx: RequestContext, f: { nodeId?: string; providerOrgId?: string }) {
  let q = trx
    .selectFrom('inventoryCapacity')
    .select(['providerOrgId', 'nodeId', 'machineRoom', 'attributes', 'reportedAt'])
    .where(sql<boolean>`${visibleSql(ctx, sql`inventory_capacity.provider_org_id`, null)}`);
  if (f.nodeId) q = q.where('nodeId', '=', f.nodeId);
  if (f.providerOrgId) q = q.where('providerOrgId', '=', f.providerOrgId);
  return (await q.execute()).map((r) => ({ ...r, attributes: r.attributes as Record<string, string | null> }));
}

export async function groupNames(trx: Tx, dim: Dimension, ids: string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const res =
    dim === 'node'
      ? await sql<{ id: string; name: string | null }>`select id, name from cloud_nodes where id = any(${ids}::uuid[])`.execute(trx)
      : dim === 'provider'
        ? await sql<{ id: string; name: string | null }>`select id, zy_provider_name(id) as name from unnest(${ids}::uuid[]) as id`.execute(trx)
        : await sql<{ id: string; name: string | null }>`select id, name from organisations where id = any(${ids}::uuid[])`.execute(trx);
  return new Map(res.rows.map((r) => [r.id, r.name]));
}

export async function flagCounts(trx: Tx, where: RawBuilder<unknown>, systemWhere: RawBuilder<unknown>): Promise<Record<string, number>> {
  const res = await sql<{ type: string; n: number }>`
    select f as type, count(*)::int as n from inventory_resources r cross join lateral unnest(r.flags) f
     where r.status = 'active' and ${where} group by f
    union all
    select 'stale', count(*)::int from inventory_resources r where ${STALE_SQL} and ${where}
    union all
    select case when rs.system_id is null then 'unregistered_system' else 'system_mismatch' end, count(*)::int
      from inventory_reported_systems rs
     where (rs.system_id is null or jsonb_array_length(rs.mismatches) > 0) and ${systemWhere}
     group by 1`.execute(trx);
  const out: Record<string, number> = {};
  for (const r of res.rows) if (r.n > 0) out[r.type] = (out[r.type] ?? 0) + r.n;
  return out;
}

export interface FlagRow {
  type: string;
  providerOrgId: string;
  providerName: string | null;
  nodeId: string;
  nodeName: string | null;
  systemNo: string | null;
  systemId: string | null;
  systemName: string | null;
  unitOrgId: string | null;
  unitName: string | null;
  resourceId: string | null;
  resourceKind: ResourceKind | null;
  resourceName: string | null;
  details: Array<{ field: string; reported: string | null; registered: string | null }>;
  lastSeenAt: Date;
}

export async function listFlags(
  trx: Tx,
  ctx: RequestContext,
  f: { type?: string; nodeId?: string; providerOrgId?: string; unitOrgId?: string },
  limit: number,
  offset: number,
): Promise<FlagRow[]> {
  const resWhere = resourceWhere(ctx, { nodeId: f.nodeId, providerOrgId: f.providerOrgId, unitOrgId: f.unitOrgId });
  const sysWhere = systemFlagWhere(ctx, f);
  const type = f.type ?? null;
  const res = await sql<FlagRow>`
    with flags as (
      select f as type, r.provider_org_id, r.node_id, r.system_no, r.system_id, r.unit_org_id, r.id as resource_id,
             r.kind as resource_kind, r.name as resource_name,
             case when f = 'node_mismatch'
                  then jsonb_build_array(jsonb_build_object('field', 'nodeId', 'reported', r.node_id::text, 'registered', r.system_node_id::text))
                  else '[]'::jsonb end as details,
             r.last_seen_at
        from inventory_resources r cross join lateral unnest(r.flags) f
       where r.status = 'active' and ${resWhere}
      union all
      select 'stale', r.provider_org_id, r.node_id, r.system_no, r.system_id, r.unit_org_id, r.id, r.kind, r.name, '[]'::jsonb, r.last_seen_at
        from inventory_resources r where ${STALE_SQL} and ${resWhere}
      union all
      select case when rs.system_id is null then 'unregistered_system' else 'system_mismatch' end, rs.provider_org_id, rs.node_id,
             rs.system_no, rs.system_id, rs.unit_org_id, null, null, null, rs.mismatches, rs.last_seen_at
        from inventory_reported_systems rs
       where (rs.system_id is null or jsonb_array_length(rs.mismatches) > 0) and ${sysWhere}
    )
    select fl.type, fl.provider_org_id, zy_provider_name(fl.provider_org_id) as provider_name, fl.node_id, n.name as node_name,
           fl.system_no, fl.system_id, s.name as system_name, fl.unit_org_id, u.name as unit_name, fl.resource_id,
           fl.resource_kind, fl.resource_name, fl.details, fl.last_seen_at
      from flags fl
      left join cloud_nodes n on n.id = fl.node_id
      left join information_systems s on s.id = fl.system_id
      left join organisations u on u.id = fl.unit_org_id
     where ${type}::text is null or fl.type = ${type}
     order by fl.type, fl.system_no nulls last, fl.resource_name nulls first, fl.resource_id
     limit ${limit} offset ${offset}`.execute(trx);
  return res.rows;
}

export function systemFlagWhere(ctx: RequestContext, f: { nodeId?: string; providerOrgId?: string; unitOrgId?: string }): RawBuilder<unknown> {
  const parts: Array<RawBuilder<unknown>> = [visibleSql(ctx, sql`rs.provider_org_id`, sql`rs.unit_org_id`)];
  if (f.nodeId) parts.push(sql`rs.node_id = ${f.nodeId}`);
  if (f.providerOrgId) parts.push(sql`rs.provider_org_id = ${f.providerOrgId}`);
  if (f.unitOrgId) parts.push(sql`rs.unit_org_id = ${f.unitOrgId}`);
  return sql.join(parts, sql` and `);
}

export async function dailySeries(
  trx: Tx,
  ctx: RequestContext,
  f: { from: string; to: string; kind?: string; nodeId?: string; providerOrgId?: string; unitOrgId?: string },
): Promise<Array<{ day: string; kind: string; n: number; quantities: Record<string, string> }>> {
  const parts: Array<RawBuilder<unknown>> = [sql`d.day between ${f.from}::date and ${f.to}::date`, visibleSql(ctx, sql`d.provider_org_id`, sql`d.unit_org_id`)];
  if (f.kind) parts.push(sql`d.kind = ${f.kind}`);
  if (f.nodeId) parts.push(sql`d.node_id = ${f.nodeId}`);
  if (f.providerOrgId) parts.push(sql`d.provider_org_id = ${f.providerOrgId}`);
  if (f.unitOrgId) parts.push(sql`d.unit_org_id = ${f.unitOrgId}`);
  const res = await sql<{ day: string; kind: string; n: number; quantities: Record<string, string> }>`
    select to_char(d.day, 'YYYY-MM-DD') as day, d.kind, d.resource_count as n, d.quantities
      from inventory_daily d where ${sql.join(parts, sql` and `)}
     order by d.day`.execute(trx);
  return res.rows;
}

export async function exportRows(trx: Tx, ctx: RequestContext, f: ResourceFilter, max: number): Promise<ResourceRow[]> {
  const rows = await sql<ResourceRow>`
    select ${RESOURCE_SELECT} from ${RESOURCE_FROM}
     where ${resourceWhere(ctx, f)}
     order by r.kind, r.name, r.id
     limit ${max + 1}`.execute(trx);
  return rows.rows;
}

/** Active resources now, per kind: count and summed quantities. */
export async function liveByKind(trx: Tx, where: RawBuilder<unknown>): Promise<Array<{ kind: string; n: number; quantities: Record<string, string> }>> {
  const counts = await sql<{ kind: string; n: number }>`
    select r.kind, count(*)::int as n from inventory_resources r where r.status = 'active' and ${where} group by r.kind`.execute(trx);
  const sums = await sql<{ kind: string; key: string; total: string }>`
    select r.kind, e.key, sum(e.value::numeric)::text as total
      from inventory_resources r cross join lateral jsonb_each_text(r.quantities) e
     where r.status = 'active' and ${where} group by 1, 2`.execute(trx);
  return counts.rows.map((c) => ({
    kind: c.kind,
    n: c.n,
    quantities: Object.fromEntries(sums.rows.filter((s) => s.kind === c.kind).map((s) => [s.key, s.total])),
  }));
}
