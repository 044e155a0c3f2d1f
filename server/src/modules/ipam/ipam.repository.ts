import { sql, type RawBuilder } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import type { Purpose, ReservedRange } from './ipam.schemas.js';

/**
 * SQL of the ipam tables. Every read takes `ctx` and filters by what the actor may see (requests and allocations: the
 * requester / holder organisation in the actor's subtrees, or the provider running the node; scope-all actors see
 * all); RLS is the backstop. Names of nodes, zones, organisations and systems are joined read-only for display.
 */

export interface PoolRow {
  id: string;
  nodeId: string;
  nodeCode: string;
  nodeName: string;
  providerOrgId: string | null;
  zoneId: string;
  zoneName: string;
  zoneType: string;
  name: string;
  cidr: string;
  family: number;
  purpose: Purpose;
  gateway: string | null;
  reserved: ReservedRange[];
  description: string | null;
  status: 'active' | 'retired';
}

const poolSelect = sql`
  select p.id, p.node_id, n.code as node_code, n.name as node_name, n.provider_org_id, p.zone_id, z.name as zone_name,
         z.zone_type, p.name, p.cidr::text as cidr, p.family, p.purpose, host(p.gateway) as gateway, p.reserved,
         p.description, p.status
  from ipam_pools p join cloud_nodes n on n.id = p.node_id join network_zones z on z.id = p.zone_id`;

export async function listPools(trx: Executor, where: { nodeId?: string; zoneId?: string; family?: number; purpose?: string; status?: string; ids?: string[] }): Promise<PoolRow[]> {
  const conds: RawBuilder<unknown>[] = [sql`true`];
  if (where.nodeId) conds.push(sql`p.node_id = ${where.nodeId}`);
  if (where.zoneId) conds.push(sql`p.zone_id = ${where.zoneId}`);
  if (where.family) conds.push(sql`p.family = ${where.family}`);
  if (where.purpose) conds.push(sql`p.purpose = ${where.purpose}`);
  if (where.status) conds.push(sql`p.status = ${where.status}`);
  if (where.ids) conds.push(sql`p.id = any(${where.ids}::uuid[])`);
  const r = await sql<PoolRow>`${poolSelect} where ${sql.join(conds, sql` and `)} order by n.name, z.name, p.family, p.cidr`.execute(trx);
  return r.rows;
}

export async function getPool(trx: Executor, id: string, forUpdate = false): Promise<PoolRow | null> {
  const r = await sql<PoolRow>`${poolSelect} where p.id = ${id} ${forUpdate ? sql`for update of p` : sql``}`.execute(trx);
  return r.rows[0] ?? null;
}

/** Active pools whose block overlaps `cidr` (PostgreSQL's && on cidr), other than `exceptId`. */
export async function overlappingPools(trx: Executor, cidr: string, exceptId?: string): Promise<Array<{ id: string; name: string; cidr: string; nodeName: string }>> {
  const r = await sql<{ id: string; name: string; cidr: string; nodeName: string }>`
    select p.id, p.name, p.cidr::text as cidr, n.name as node_name from ipam_pools p join cloud_nodes n on n.id = p.node_id
    where p.status = 'active' and p.cidr && ${cidr}::cidr ${exceptId ? sql`and p.id <> ${exceptId}` : sql``}
    order by p.cidr`.execute(trx);
  return r.rows;
}

export interface AllocationRow {
  id: string;
  poolId: string;
  poolName: string;
  poolCidr: string;
  nodeId: string;
  nodeName: string;
  zoneId: string;
  zoneName: string;
  requestId: string | null;
  holderOrgId: string;
  holderName: string | null;
  systemId: string | null;
  systemName: string | null;
  systemNo: string | null;
  applicationId: string | null;
  kind: 'subnet' | 'addresses';
  firstAddress: string;
  lastAddress: string;
  note: string | null;
  status: 'active' | 'released';
  allocatedAt: Date;
  releasedAt: Date | null;
}

/** Rows the actor may see: scope-all, or the organisation (requester / holder) or the node's provider in its subtrees. */
export function visibleWhere(ctx: RequestContext, orgCol: RawBuilder<unknown>, nodeCol: RawBuilder<unknown>): RawBuilder<unknown> {
  const { actor } = ctx;
  if (!actor.businessAccess) return sql`false`;
  if (actor.scope.all) return sql`true`;
  if (actor.scope.roots.length === 0) return sql`false`;
  const roots = sql`array[${sql.join(actor.scope.roots.map((r) => sql`${r}::uuid`))}]`;
  return sql`(exists (select 1 from organisations vo where vo.id = ${orgCol} and vo.path && ${roots})
          or exists (select 1 from cloud_nodes vn join organisations vp on vp.id = vn.provider_org_id
                     where vn.id = ${nodeCol} and vp.path && ${roots}))`;
}

/** True when `orgId` lies in the actor's subtrees (or the actor sees all). */
export async function orgInScope(trx: Executor, ctx: RequestContext, orgId: string): Promise<boolean> {
  const { actor } = ctx;
  if (actor.scope.all) return true;
  if (actor.scope.roots.length === 0) return false;
  const roots = sql`array[${sql.join(actor.scope.roots.map((r) => sql`${r}::uuid`))}]`;
  const r = await sql<{ ok: boolean }>`select exists (select 1 from organisations where id = ${orgId} and path && ${roots}) as ok`.execute(trx);
  return r.rows[0]?.ok ?? false;
}

const allocationSelect = sql`
  select a.id, a.pool_id, p.name as pool_name, p.cidr::text as pool_cidr, a.node_id, n.name as node_name, p.zone_id,
         z.name as zone_name, a.request_id, a.holder_org_id, ho.name as holder_name, a.system_id, s.name as system_name,
         s.system_no, a.application_id, a.kind, host(a.first_address) as first_address, host(a.last_address) as last_address,
         a.note, a.status, a.allocated_at, a.released_at
  from ipam_allocations a
  join ipam_pools p on p.id = a.pool_id
  join cloud_nodes n on n.id = a.node_id
  join network_zones z on z.id = p.zone_id
  left join organisations ho on ho.id = a.holder_org_id
  left join information_systems s on s.id = a.system_id`;

export interface AllocationWhere {
  nodeId?: string;
  poolId?: string;
  holderOrgId?: string;
  systemId?: string;
  status?: string;
  address?: string;
  requestIds?: string[];
  ids?: string[];
}

function allocationConds(ctx: RequestContext, w: AllocationWhere): RawBuilder<unknown> {
  const conds: RawBuilder<unknown>[] = [visibleWhere(ctx, sql`a.holder_org_id`, sql`a.node_id`)];
  if (w.nodeId) conds.push(sql`a.node_id = ${w.nodeId}`);
  if (w.poolId) conds.push(sql`a.pool_id = ${w.poolId}`);
  if (w.holderOrgId) conds.push(sql`a.holder_org_id = ${w.holderOrgId}`);
  if (w.systemId) conds.push(sql`a.system_id = ${w.systemId}`);
  if (w.status) conds.push(sql`a.status = ${w.status}`);
  if (w.address) conds.push(sql`a.addresses @> ${w.address}::inet`);
  if (w.requestIds) conds.push(sql`a.request_id = any(${w.requestIds}::uuid[])`);
  if (w.ids) conds.push(sql`a.id = any(${w.ids}::uuid[])`);
  return sql.join(conds, sql` and `);
}

export async function listAllocations(trx: Executor, ctx: RequestContext, w: AllocationWhere, page?: { limit: number; offset: number }): Promise<{ rows: AllocationRow[]; total: number }> {
  const where = allocationConds(ctx, w);
  const r = await sql<AllocationRow>`${allocationSelect} where ${where}
    order by a.status, n.name, a.first_address ${page ? sql`limit ${page.limit} offset ${page.offset}` : sql``}`.execute(trx);
  if (!page) return { rows: r.rows, total: r.rows.length };
  const c = await sql<{ n: string }>`select count(*) as n from ipam_allocations a where ${where}`.execute(trx);
  return { rows: r.rows, total: Number(c.rows[0]!.n) };
}

/** Every active allocation's bounds in the given pools (no visibility filter: only for arithmetic by scope-all callers). */
export async function activeRangesOfPools(trx: Executor, poolIds: string[]): Promise<Array<{ poolId: string; firstAddress: string; lastAddress: string }>> {
  if (!poolIds.length) return [];
  const r = await sql<{ poolId: string; firstAddress: string; lastAddress: string }>`
    select pool_id, host(first_address) as first_address, host(last_address) as last_address
    from ipam_allocations where status = 'active' and pool_id = any(${poolIds}::uuid[])`.execute(trx);
  return r.rows;
}

/** Active allocations overlapping [first, last] (the exclusion constraint's question, asked first to name them). */
export async function overlappingAllocations(trx: Executor, first: string, last: string): Promise<Array<{ id: string; firstAddress: string; lastAddress: string }>> {
  const r = await sql<{ id: string; firstAddress: string; lastAddress: string }>`
    select id, host(first_address) as first_address, host(last_address) as last_address from ipam_allocations
    where status = 'active' and addresses && zy_inetrange(${first}::inet, ${last}::inet, '[]')`.execute(trx);
  return r.rows;
}

export interface RequestRow {
  id: string;
  requesterOrgId: string;
  requesterName: string | null;
  requesterKind: 'unit' | 'provider';
  systemId: string | null;
  systemName: string | null;
  systemNo: string | null;
  applicationId: string | null;
  nodeId: string;
  nodeName: string;
  providerOrgId: string | null;
  zoneId: string | null;
  zoneName: string | null;
  poolId: string | null;
  poolName: string | null;
  poolCidr: string | null;
  family: number;
  purpose: Purpose;
  addressCount: number | null;
  prefixLength: number | null;
  reason: string;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  submittedAt: Date;
  dueAt: Date;
  decidedAt: Date | null;
  decisionReason: string | null;
}

const requestSelect = sql`
  select r.id, r.requester_org_id, ro.name as requester_name, r.requester_kind, r.system_id, s.name as system_name,
         s.system_no, r.application_id, r.node_id, n.name as node_name, n.provider_org_id, r.zone_id, z.name as zone_name,
         r.pool_id, p.name as pool_name, p.cidr::text as pool_cidr, r.family, r.purpose, r.address_count, r.prefix_length,
         r.reason, r.status, r.submitted_at, r.due_at, r.decided_at, r.decision_reason
  from ipam_requests r
  join cloud_nodes n on n.id = r.node_id
  left join network_zones z on z.id = r.zone_id
  left join ipam_pools p on p.id = r.pool_id
  left join organisations ro on ro.id = r.requester_org_id
  left join information_systems s on s.id = r.system_id`;

export async function listRequests(
  trx: Executor,
  ctx: RequestContext,
  w: { mineOrgRoots?: readonly string[]; status?: string; nodeId?: string; id?: string },
  page?: { limit: number; offset: number },
): Promise<{ rows: RequestRow[]; total: number }> {
  const conds: RawBuilder<unknown>[] = [visibleWhere(ctx, sql`r.requester_org_id`, sql`r.node_id`)];
  if (w.mineOrgRoots) {
    const roots = w.mineOrgRoots.length ? sql`array[${sql.join(w.mineOrgRoots.map((x) => sql`${x}::uuid`))}]` : sql`array[]::uuid[]`;
    conds.push(sql`exists (select 1 from organisations mo where mo.id = r.requester_org_id and mo.path && ${roots})`);
  }
  if (w.status) conds.push(sql`r.status = ${w.status}`);
  if (w.nodeId) conds.push(sql`r.node_id = ${w.nodeId}`);
  if (w.id) conds.push(sql`r.id = ${w.id}`);
  const where = sql.join(conds, sql` and `);
  const r = await sql<RequestRow>`${requestSelect} where ${where}
    order by (r.status = 'pending') desc, case when r.status = 'pending' then r.due_at end asc, r.submitted_at desc
    ${page ? sql`limit ${page.limit} offset ${page.offset}` : sql``}`.execute(trx);
  if (!page) return { rows: r.rows, total: r.rows.length };
  const c = await sql<{ n: string }>`select count(*) as n from ipam_requests r where ${where}`.execute(trx);
  return { rows: r.rows, total: Number(c.rows[0]!.n) };
}

export async function recordEvent(trx: Executor, requestId: string, kind: string, actorUserId: string | null, note: string | null = null): Promise<boolean> {
  const r = await sql`insert into ipam_request_events (request_id, kind, actor_user_id, note) values (${requestId}, ${kind}, ${actorUserId}, ${note})
    on conflict (request_id, kind) do nothing`.execute(trx);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function requestEvents(trx: Executor, requestId: string): Promise<Array<{ kind: string; at: Date; note: string | null }>> {
  const r = await sql<{ kind: string; at: Date; note: string | null }>`select kind, at, note from ipam_request_events where request_id = ${requestId} order by id`.execute(trx);
  return r.rows;
}
