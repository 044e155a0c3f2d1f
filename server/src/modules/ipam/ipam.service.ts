import { sql } from 'kysely';
import { systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, forbidden, notFound, validationError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import type { CalendarService } from '../calendar/index.js';
import type { InventoryService } from '../inventory/index.js';
import {
  addressText,
  bitsOf,
  cidrRange,
  contains,
  firstFreeBlock,
  firstFreeRange,
  formatCidr,
  formatRange,
  IpError,
  overlaps,
  parseAddress,
  parseCidr,
  rangeSize,
  type Range,
} from './ip.js';
import * as repo from './ipam.repository.js';
import { canCancel, canDecide, canManage, canRelease, requesterKind } from './ipam.policy.js';
import { deadlineState, poolModel, reviewDueAt, sumUtilisation, unavailable, utilisation, workingDaysLeft, type PoolModel } from './ipam.rules.js';
import { PURPOSE_CN } from './ipam.schemas.js';
import type {
  Allocation,
  AllocationFilter,
  AllocationListQuery,
  Approve,
  Conflict,
  ConflictList,
  ConflictQuery,
  IpRequest,
  NewAllocation,
  NewPool,
  NewRequest,
  Pool,
  PoolListQuery,
  PoolPatch,
  RequestListQuery,
  ReservedRange,
  Utilisation,
  UtilisationRow,
} from './ipam.schemas.js';
import { writeAllocationsWorkbook } from './ipam.xlsx.js';

/** What the ipam module hands to the notifications module (`NotificationService.notify`, same shape). */
export interface IpamNotice {
  recipients: { userIds?: string[]; roleCodes?: string[]; orgIds?: string[]; orgKinds?: Array<'management_unit' | 'supervision_provider' | 'cloud_provider' | 'user_unit' | 'external_data_user'> };
  kind: string;
  title: string;
  body?: string;
  link?: string | null;
  severity?: 'info' | 'warning' | 'critical';
}
/** Sends a notice inside the caller's transaction. Absent: notices are only recorded as request events. */
export type IpamNotifier = (trx: Tx, notice: IpamNotice) => Promise<unknown>;

/** Inventory attributes that carry an address, per resource kind (docs/inventory.md). */
export const OBSERVED_IP_FIELDS: Readonly<Record<string, readonly string[]>> = {
  cloud_host: ['internalIp'],
  physical_device: ['internalIp'],
  internet_bandwidth: ['internetIp'],
  load_balancer: ['internalIp', 'externalIp', 'loadBalancerIp'],
  waf: ['ipAddress'],
  leased_line: ['localEndAddress'],
};
/** At most this many inventory resources are read per conflict scan (200 a page). */
export const CONFLICT_SCAN_MAX = 20_000;

const EXPORT_MAX_ROWS = 50_000;
const iso = (d: Date | string | null): string | null => (d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString());

function ipIssue(field: string, e: unknown, value: unknown): AppError {
  if (e instanceof IpError) return validationError('ipam.invalid_address', e.message, [{ field, rule: e.rule, message: e.message, value }]);
  throw e;
}

function parseCidrField(field: string, value: string) {
  try {
    return parseCidr(value);
  } catch (e) {
    throw ipIssue(field, e, value);
  }
}
function parseAddressField(field: string, value: string) {
  try {
    return parseAddress(value);
  } catch (e) {
    throw ipIssue(field, e, value);
  }
}

const rangeOf = (first: string, last: string): Range => {
  const a = parseAddress(first);
  return { family: a.family, first: a.value, last: parseAddress(last).value };
};

type Need = { kind: 'subnet'; prefixLength: number; cidr?: string } | { kind: 'addresses'; count: number; start?: string };

/**
 * IP address management (内部地址规划与分发): pools per node and zone, requests reviewed within 3 working days,
 * allocations that never overlap, utilisation, and conflicts with the addresses the CMDB inventory reports.
 */
export class IpamService {
  /** The clock; tests set it to place requests on chosen days. */
  clock: () => Date = () => new Date();

  constructor(
    private readonly db: Db,
    private readonly calendar: CalendarService,
    private readonly inventory: InventoryService,
    private notifier: IpamNotifier | null = null,
  ) {}

  /** When a request submitted at `at` must be reviewed: 3 working days on the business calendar (read in `trx`). */
  async reviewDeadline(trx: Tx, at: Date): Promise<Date> {
    return reviewDueAt(await this.calendar.days(trx), at);
  }

  /** Connects the notifications module (container wiring). */
  setNotifier(notifier: IpamNotifier | null): void {
    this.notifier = notifier;
  }

  // ---- pools ------------------------------------------------------------------------------------------------------

  async listPools(ctx: RequestContext, q: PoolListQuery): Promise<Pool[]> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await repo.listPools(trx, q);
      return this.withUtilisation(rows);
    });
  }

  async getPool(ctx: RequestContext, id: string): Promise<Pool> {
    return withTx(this.db, ctx, async (trx) => {
      const row = await repo.getPool(trx, id);
      if (!row) throw notFound('ipam.pool', id);
      return (await this.withUtilisation([row]))[0]!;
    });
  }

  /**
   * Utilisation counts every active allocation, whoever holds it (a unit sees how full a pool is without seeing other
   * holders' allocations): the bounds are read in a system transaction, nothing else of them leaves it.
   */
  private async allocatedRanges(poolIds: string[]): Promise<Map<string, Range[]>> {
    const rows = await withTx(this.db, systemContext('ipam.utilisation'), (trx) => repo.activeRangesOfPools(trx, poolIds));
    const out = new Map<string, Range[]>();
    for (const r of rows) {
      const list = out.get(r.poolId) ?? [];
      list.push(rangeOf(r.firstAddress, r.lastAddress));
      out.set(r.poolId, list);
    }
    return out;
  }

  private async withUtilisation(rows: repo.PoolRow[]): Promise<Pool[]> {
    const ranges = await this.allocatedRanges(rows.map((r) => r.id));
    return rows.map((r) => {
      const allocs = ranges.get(r.id) ?? [];
      return {
        id: r.id,
        node: { id: r.nodeId, code: r.nodeCode, name: r.nodeName },
        zone: { id: r.zoneId, name: r.zoneName, zoneType: r.zoneType },
        name: r.name,
        cidr: r.cidr,
        family: r.family === 6 ? 6 : 4,
        purpose: r.purpose,
        gateway: r.gateway,
        reserved: r.reserved,
        description: r.description,
        status: r.status,
        utilisation: utilisation(poolModel(r.cidr, r.gateway, r.reserved), allocs),
        activeAllocations: allocs.length,
      };
    });
  }

  /** Validates gateway and reserved ranges against the pool's block; returns them normalised. */
  private checkPoolParts(cidrText: string, gateway: string | null | undefined, reserved: readonly ReservedRange[] | undefined): { gateway: string | null; reserved: ReservedRange[] } {
    const cidr = parseCidr(cidrText);
    const block = cidrRange(cidr);
    let gw: string | null = null;
    if (gateway) {
      const g = parseAddressField('body.gateway', gateway);
      if (!contains(cidr, g)) {
        throw validationError('ipam.gateway_outside_pool', 'The gateway must be an address of the pool', [{ field: 'body.gateway', rule: 'inside_pool', message: `${gateway} is not in ${formatCidr(cidr)}`, value: gateway }]);
      }
      if (cidr.family === 4 && cidr.prefix <= 30 && (g.value === block.first || g.value === block.last)) {
        throw validationError('ipam.gateway_outside_pool', 'The gateway cannot be the network or broadcast address', [{ field: 'body.gateway', rule: 'host_address', message: `${gateway} is the network or broadcast address of ${formatCidr(cidr)}`, value: gateway }]);
      }
      gw = addressText(g.family, g.value);
    }
    const out: ReservedRange[] = [];
    (reserved ?? []).forEach((r, i) => {
      const a = parseAddressField(`body.reserved[${i}].from`, r.from);
      const b = r.to ? parseAddressField(`body.reserved[${i}].to`, r.to) : a;
      if (a.family !== b.family || a.value > b.value) {
        throw validationError('ipam.invalid_reserved', 'A reserved range must run forward within one family', [{ field: `body.reserved[${i}]`, rule: 'range_order', message: `${r.from}–${r.to} is not a forward range`, value: r }]);
      }
      if (!contains(cidr, { family: a.family, first: a.value, last: b.value })) {
        throw validationError('ipam.invalid_reserved', 'Reserved ranges must lie inside the pool', [{ field: `body.reserved[${i}]`, rule: 'inside_pool', message: `${r.from}–${r.to ?? r.from} is not inside ${formatCidr(cidr)}`, value: r }]);
      }
      out.push({ from: addressText(a.family, a.value), ...(r.to ? { to: addressText(b.family, b.value) } : {}), ...(r.note ? { note: r.note } : {}) });
    });
    return { gateway: gw, reserved: out };
  }

  private async refuseOverlap(trx: Tx, cidr: string, exceptId?: string): Promise<void> {
    const hits = await repo.overlappingPools(trx, cidr, exceptId);
    if (hits.length) {
      const h = hits[0]!;
      throw new AppError('conflict', 'ipam.pool_overlap', `${cidr} overlaps pool ${h.name} (${h.cidr}, ${h.nodeName})`, { pools: hits });
    }
  }

  async createPool(ctx: RequestContext, input: NewPool): Promise<Pool> {
    const cidr = parseCidrField('body.cidr', input.cidr);
    const cidrText = formatCidr(cidr);
    if (cidr.prefix < (cidr.family === 4 ? 8 : 16)) {
      throw validationError('ipam.pool_too_large', 'A pool is at most a /8 (IPv4) or a /16 (IPv6)', [{ field: 'body.cidr', rule: 'max_size', message: `${cidrText} is larger than a pool may be`, value: input.cidr }]);
    }
    const parts = this.checkPoolParts(cidrText, input.gateway, input.reserved);
    const id = await withTx(this.db, ctx, async (trx) => {
      const zone = await sql<{ id: string; nodeId: string; cidrs: string[]; status: string }>`
        select id, node_id, cidrs, status from network_zones where id = ${input.zoneId}`.execute(trx);
      const z = zone.rows[0];
      if (!z || z.nodeId !== input.nodeId) {
        throw validationError('ipam.zone_not_on_node', 'The network zone is not a zone of this cloud node', [{ field: 'body.zoneId', rule: 'zone_of_node', message: 'choose a zone of the node', value: input.zoneId }]);
      }
      // The zone's declared blocks of the pool's family bound the pool (zones declare IPv4 blocks today; none: no bound).
      const declared = (z.cidrs ?? []).map((c) => parseCidr(c, false)).filter((c) => c.family === cidr.family);
      if (declared.length && !declared.some((c) => contains(c, cidr))) {
        throw validationError('ipam.pool_outside_zone', `The pool must lie inside the zone's address blocks (${declared.map(formatCidr).join(', ')})`, [
          { field: 'body.cidr', rule: 'inside_zone', message: `${cidrText} is not inside ${declared.map(formatCidr).join(', ')}`, value: input.cidr },
        ]);
      }
      await this.refuseOverlap(trx, cidrText);
      const row = await sql<{ id: string }>`
        insert into ipam_pools (node_id, zone_id, name, cidr, purpose, gateway, reserved, description, created_by)
        values (${input.nodeId}, ${input.zoneId}, ${input.name}, ${cidrText}::cidr, ${input.purpose}, ${parts.gateway}::inet,
                ${JSON.stringify(parts.reserved)}::jsonb, ${input.description ?? null}, ${ctx.actor.userId})
        returning id`.execute(trx).catch((e: unknown) => {
        throw this.mapDbError(e, cidrText);
      });
      const newId = row.rows[0]!.id;
      await recordAudit(trx, ctx, { action: 'ipam.pool_create', targetType: 'ipam_pool', targetId: newId, after: { ...input, cidr: cidrText, ...parts } });
      return newId;
    });
    return this.getPool(ctx, id);
  }

  async updatePool(ctx: RequestContext, id: string, patch: PoolPatch): Promise<Pool> {
    await withTx(this.db, ctx, async (trx) => {
      const row = await repo.getPool(trx, id, true);
      if (!row) throw notFound('ipam.pool', id);
      const parts = this.checkPoolParts(row.cidr, patch.gateway === undefined ? row.gateway : patch.gateway, patch.reserved ?? row.reserved);
      const allocated = (await repo.activeRangesOfPools(trx, [id])).map((r) => rangeOf(r.firstAddress, r.lastAddress));
      if (patch.status === 'retired' && allocated.length) {
        throw new AppError('conflict', 'ipam.pool_in_use', `The pool still has ${allocated.length} active allocation(s): release them first`, { activeAllocations: allocated.length });
      }
      if (patch.status === 'active' && row.status === 'retired') await this.refuseOverlap(trx, row.cidr, id);
      const m = poolModel(row.cidr, parts.gateway, parts.reserved);
      const clash = allocated.find((a) => m.reserved.some((r) => overlaps(r, a)));
      if (clash) {
        throw new AppError('conflict', 'ipam.reserved_allocated', `${formatRange(clash)} is allocated: it cannot become reserved or the gateway`, { range: formatRange(clash) });
      }
      await sql`update ipam_pools set name = ${patch.name ?? row.name}, gateway = ${parts.gateway}::inet, reserved = ${JSON.stringify(parts.reserved)}::jsonb,
                description = ${patch.description === undefined ? row.description : patch.description}, status = ${patch.status ?? row.status}, updated_at = now()
                where id = ${id}`.execute(trx).catch((e: unknown) => {
        throw this.mapDbError(e, row.cidr);
      });
      await recordAudit(trx, ctx, { action: 'ipam.pool_update', targetType: 'ipam_pool', targetId: id, before: { name: row.name, gateway: row.gateway, reserved: row.reserved, status: row.status }, after: patch });
    });
    return this.getPool(ctx, id);
  }

  /** Utilisation per node, or per node and zone, and family. */
  async utilisationBy(ctx: RequestContext, groupBy: 'node' | 'zone' = 'node'): Promise<UtilisationRow[]> {
    const pools = await this.listPools(ctx, { status: 'active' });
    const groups = new Map<string, { row: Omit<UtilisationRow, keyof Utilisation | 'pools'>; items: Pool[] }>();
    for (const p of pools) {
      const key = `${p.node.id}|${groupBy === 'zone' ? p.zone.id : ''}|${p.family}`;
      const g = groups.get(key) ?? { row: { node: { id: p.node.id, name: p.node.name }, zone: groupBy === 'zone' ? { id: p.zone.id, name: p.zone.name } : null, family: p.family }, items: [] };
      g.items.push(p);
      groups.set(key, g);
    }
    return [...groups.values()].map((g) => ({ ...g.row, ...sumUtilisation(g.items.map((p) => p.utilisation)), pools: g.items.length }));
  }

  // ---- requests ---------------------------------------------------------------------------------------------------

  async createRequest(ctx: RequestContext, input: NewRequest): Promise<IpRequest> {
    const kind = requesterKind(ctx.actor);
    if (!kind || !ctx.actor.orgId) throw forbidden('ipam.requester_kind', 'Only user units and cloud providers request addresses');
    const orgId = ctx.actor.orgId;
    const id = await withTx(this.db, ctx, async (trx) => {
      const node = (await sql<{ id: string; providerOrgId: string | null; status: string }>`select id, provider_org_id, status from cloud_nodes where id = ${input.nodeId}`.execute(trx)).rows[0];
      if (!node || node.status !== 'active') {
        throw validationError('ipam.unknown_node', 'No active cloud node with this id', [{ field: 'body.nodeId', rule: 'active_node', message: 'choose an active cloud node', value: input.nodeId }]);
      }
      if (kind === 'provider' && node.providerOrgId !== orgId) throw forbidden('ipam.not_your_node', 'A cloud provider requests addresses only on the nodes it runs');
      let systemId: string | null = null;
      if (input.systemId) {
        const sys = (await sql<{ id: string; unitId: string; nodeId: string; status: string }>`select id, unit_id, node_id, status from information_systems where id = ${input.systemId}`.execute(trx)).rows[0];
        if (!sys || (kind === 'unit' && !(await repo.orgInScope(trx, ctx, sys.unitId)))) throw notFound('ipam.system', input.systemId);
        if (sys.status !== 'active') {
          throw validationError('ipam.system_retired', 'The information system was retired', [{ field: 'body.systemId', rule: 'active_system', message: 'choose an active system', value: input.systemId }]);
        }
        if (sys.nodeId !== input.nodeId) {
          throw validationError('ipam.system_node_mismatch', 'The information system is deployed on another cloud node', [{ field: 'body.nodeId', rule: 'system_node', message: 'request on the node the system is deployed on', value: input.nodeId }]);
        }
        systemId = sys.id;
      } else if (kind === 'unit') {
        throw validationError('ipam.system_required', 'A unit requests addresses for one of its information systems', [{ field: 'body.systemId', rule: 'required', message: 'choose the information system' }]);
      }
      let family: 4 | 6 = input.family ?? 4;
      let zoneId = input.zoneId ?? null;
      if (zoneId) {
        const z = (await sql<{ nodeId: string }>`select node_id from network_zones where id = ${zoneId}`.execute(trx)).rows[0];
        if (!z || z.nodeId !== input.nodeId) throw validationError('ipam.zone_not_on_node', 'The network zone is not a zone of this cloud node', [{ field: 'body.zoneId', rule: 'zone_of_node', message: 'choose a zone of the node', value: zoneId }]);
      }
      if (input.poolId) {
        const p = await repo.getPool(trx, input.poolId);
        const problem = !p ? 'unknown pool' : p.status !== 'active' ? 'the pool is retired' : p.nodeId !== input.nodeId ? 'the pool is on another node' : zoneId && p.zoneId !== zoneId ? 'the pool is in another zone' : input.family && p.family !== input.family ? 'the pool is of the other family' : p.purpose !== input.purpose ? `the pool is for ${PURPOSE_CN[p.purpose]}` : null;
        if (problem) throw validationError('ipam.pool_mismatch', `The pool does not fit the request: ${problem}`, [{ field: 'body.poolId', rule: 'pool_fits', message: problem, value: input.poolId }]);
        family = p!.family === 6 ? 6 : 4;
        zoneId = p!.zoneId;
      }
      if (input.prefixLength !== undefined && input.prefixLength > bitsOf(family)) {
        throw validationError('ipam.invalid_prefix', `An IPv${family} prefix length is at most ${bitsOf(family)}`, [{ field: 'body.prefixLength', rule: 'max', message: `at most ${bitsOf(family)}`, value: input.prefixLength }]);
      }
      const now = this.clock();
      const due = await this.reviewDeadline(trx, now);
      const row = await sql<{ id: string }>`
        insert into ipam_requests (requester_org_id, requester_kind, system_id, application_id, node_id, zone_id, pool_id, family, purpose,
                                   address_count, prefix_length, reason, submitted_at, due_at, created_by)
        values (${orgId}, ${kind}, ${systemId}, ${input.applicationId ?? null}, ${input.nodeId}, ${zoneId}, ${input.poolId ?? null}, ${family},
                ${input.purpose}, ${input.addressCount ?? null}, ${input.prefixLength ?? null}, ${input.reason}, ${now}, ${due}, ${ctx.actor.userId})
        returning id`.execute(trx);
      const newId = row.rows[0]!.id;
      await repo.recordEvent(trx, newId, 'submitted', ctx.actor.userId);
      await recordAudit(trx, ctx, { action: 'ipam.request_create', targetType: 'ipam_request', targetId: newId, after: { ...input, dueAt: due.toISOString() } });
      await this.notify(trx, {
        recipients: { roleCodes: ['mgmt_staff'], orgKinds: ['management_unit'] },
        kind: 'ipam.request_submitted',
        title: '新的 IP 地址申请待审核',
        body: `${input.addressCount ? `${input.addressCount} 个地址` : `/${input.prefixLength} 子网`}（${PURPOSE_CN[input.purpose]}），请于 ${beijing(due)} 前审核。`,
        link: `/ipam/requests?id=${newId}`,
      });
      return newId;
    });
    return this.getRequest(ctx, id);
  }

  async listRequests(ctx: RequestContext, q: RequestListQuery): Promise<{ items: IpRequest[]; total: number; page: number; pageSize: number }> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    return withTx(this.db, ctx, async (trx) => {
      const view = q.view ?? 'all';
      const { rows, total } = await repo.listRequests(
        trx,
        ctx,
        {
          mineOrgRoots: view === 'mine' ? (ctx.actor.orgId ? [ctx.actor.orgId] : []) : undefined,
          status: view === 'review' ? 'pending' : q.status,
          nodeId: q.nodeId,
        },
        { limit: pageSize, offset: (page - 1) * pageSize },
      );
      return { items: await this.toRequests(trx, ctx, rows), total, page, pageSize };
    });
  }

  async getRequest(ctx: RequestContext, id: string): Promise<IpRequest> {
    return withTx(this.db, ctx, async (trx) => {
      const { rows } = await repo.listRequests(trx, ctx, { id });
      if (!rows.length) throw notFound('ipam.request', id);
      return (await this.toRequests(trx, ctx, rows))[0]!;
    });
  }

  private async toRequests(trx: Tx, ctx: RequestContext, rows: repo.RequestRow[]): Promise<IpRequest[]> {
    if (!rows.length) return [];
    const cal = await this.calendar.days(trx);
    const now = this.clock();
    const allocs = await repo.listAllocations(trx, ctx, { requestIds: rows.map((r) => r.id) });
    const allocDtos = await this.toAllocations(trx, ctx, allocs.rows);
    const out: IpRequest[] = [];
    for (const r of rows) {
      const pending = r.status === 'pending';
      const state = pending ? deadlineState(cal, now, r.dueAt) : 'ok';
      const inScope = await repo.orgInScope(trx, ctx, r.requesterOrgId);
      out.push({
        id: r.id,
        requester: { id: r.requesterOrgId, name: r.requesterName, kind: r.requesterKind },
        system: r.systemId ? { id: r.systemId, name: r.systemName, systemNo: r.systemNo } : null,
        applicationId: r.applicationId,
        node: { id: r.nodeId, name: r.nodeName },
        zone: r.zoneId ? { id: r.zoneId, name: r.zoneName ?? '' } : null,
        pool: r.poolId ? { id: r.poolId, name: r.poolName ?? '', cidr: r.poolCidr ?? '' } : null,
        family: r.family === 6 ? 6 : 4,
        purpose: r.purpose,
        addressCount: r.addressCount,
        prefixLength: r.prefixLength,
        reason: r.reason,
        status: r.status,
        submittedAt: iso(r.submittedAt)!,
        dueAt: iso(r.dueAt)!,
        workingDaysLeft: pending ? workingDaysLeft(cal, now, r.dueAt) : null,
        dueSoon: state === 'due_soon',
        overdue: state === 'overdue',
        decidedAt: iso(r.decidedAt),
        decisionReason: r.decisionReason,
        allocations: allocDtos.filter((a) => a.requestId === r.id),
        abilities: { approve: canDecide(ctx.actor, r.status), reject: canDecide(ctx.actor, r.status), cancel: canCancel(ctx.actor, r.status, inScope) },
      });
    }
    return out;
  }

  private async lockRequest(trx: Tx, ctx: RequestContext, id: string): Promise<repo.RequestRow> {
    const { rows } = await repo.listRequests(trx, ctx, { id });
    if (!rows.length) throw notFound('ipam.request', id);
    await sql`select 1 from ipam_requests where id = ${id} for update`.execute(trx);
    const fresh = (await repo.listRequests(trx, ctx, { id })).rows[0]!;
    if (fresh.status !== 'pending') throw new AppError('conflict', 'ipam.already_decided', `The request is already ${fresh.status}`, { status: fresh.status });
    return fresh;
  }

  /** Approves a pending request and allocates: the chosen subnet / start address, or first fit. */
  async approve(ctx: RequestContext, id: string, body: Approve): Promise<IpRequest> {
    if (!canManage(ctx.actor)) throw forbidden('ipam.not_reviewer', 'Only the management unit reviews address requests');
    await withTx(this.db, ctx, async (trx) => {
      const r = await this.lockRequest(trx, ctx, id);
      const need: Need = r.prefixLength !== null ? { kind: 'subnet', prefixLength: r.prefixLength, cidr: body.cidr } : { kind: 'addresses', count: r.addressCount!, start: body.startAddress };
      if (body.cidr && need.kind !== 'subnet') throw validationError('ipam.choice_mismatch', 'The request is for a number of addresses: choose a start address', [{ field: 'body.cidr', rule: 'subnet_request_only', message: 'use startAddress', value: body.cidr }]);
      if (body.startAddress && need.kind !== 'addresses') throw validationError('ipam.choice_mismatch', 'The request is for a subnet: choose a CIDR', [{ field: 'body.startAddress', rule: 'address_request_only', message: 'use cidr', value: body.startAddress }]);
      const poolId = body.poolId ?? r.poolId;
      let candidates: repo.PoolRow[];
      if (poolId) {
        const p = await repo.getPool(trx, poolId);
        if (!p || p.status !== 'active' || p.nodeId !== r.nodeId || p.family !== r.family) {
          throw validationError('ipam.pool_mismatch', 'The pool is not an active pool of the request’s node and family', [{ field: 'body.poolId', rule: 'pool_fits', message: 'choose an active pool of the node and family', value: poolId }]);
        }
        candidates = [p];
      } else {
        candidates = await repo.listPools(trx, { nodeId: r.nodeId, zoneId: r.zoneId ?? undefined, family: r.family, purpose: r.purpose, status: 'active' });
        if (!candidates.length) {
          throw validationError('ipam.no_pool', `No active ${PURPOSE_CN[r.purpose]} IPv${r.family} pool on the node${r.zoneName ? ` in ${r.zoneName}` : ''}`, [{ field: 'body.poolId', rule: 'required', message: 'create a pool first or choose one' }]);
        }
      }
      let lastError: AppError | null = null;
      let allocated = false;
      for (const p of candidates) {
        try {
          await this.allocateIn(trx, ctx, p, { holderOrgId: r.requesterOrgId, systemId: r.systemId, applicationId: r.applicationId, requestId: r.id, need, note: body.note ?? null });
          allocated = true;
          break;
        } catch (e) {
          // First fit over several pools: an exhausted pool passes to the next; anything else stops.
          if (e instanceof AppError && e.code === 'ipam.pool_exhausted' && candidates.length > 1) {
            lastError = e;
            continue;
          }
          throw e;
        }
      }
      if (!allocated) throw lastError!;
      await sql`update ipam_requests set status = 'approved', decided_at = now(), decided_by = ${ctx.actor.userId}, decision_reason = ${body.note ?? null} where id = ${id}`.execute(trx);
      await repo.recordEvent(trx, id, 'approved', ctx.actor.userId, body.note ?? null);
      await recordAudit(trx, ctx, { action: 'ipam.request_approve', targetType: 'ipam_request', targetId: id, after: body });
      await this.notify(trx, { recipients: { orgIds: [r.requesterOrgId] }, kind: 'ipam.request_approved', title: 'IP 地址申请已通过', body: '地址已分配，请在“IP 地址管理 → 地址分配”中查看。', link: `/ipam/requests?id=${id}` });
    });
    return this.getRequest(ctx, id);
  }

  async reject(ctx: RequestContext, id: string, reason: string): Promise<IpRequest> {
    if (!canManage(ctx.actor)) throw forbidden('ipam.not_reviewer', 'Only the management unit reviews address requests');
    await withTx(this.db, ctx, async (trx) => {
      const r = await this.lockRequest(trx, ctx, id);
      await sql`update ipam_requests set status = 'rejected', decided_at = now(), decided_by = ${ctx.actor.userId}, decision_reason = ${reason} where id = ${id}`.execute(trx);
      await repo.recordEvent(trx, id, 'rejected', ctx.actor.userId, reason);
      await recordAudit(trx, ctx, { action: 'ipam.request_reject', targetType: 'ipam_request', targetId: id, after: { reason } });
      await this.notify(trx, { recipients: { orgIds: [r.requesterOrgId] }, kind: 'ipam.request_rejected', title: 'IP 地址申请未通过', body: `原因：${reason}`, link: `/ipam/requests?id=${id}`, severity: 'warning' });
    });
    return this.getRequest(ctx, id);
  }

  async cancel(ctx: RequestContext, id: string): Promise<IpRequest> {
    await withTx(this.db, ctx, async (trx) => {
      const r = await this.lockRequest(trx, ctx, id);
      if (!canCancel(ctx.actor, r.status, await repo.orgInScope(trx, ctx, r.requesterOrgId))) throw forbidden('ipam.not_requester', 'Only the requesting organisation withdraws its request');
      await sql`update ipam_requests set status = 'cancelled', decided_at = now(), decided_by = ${ctx.actor.userId} where id = ${id}`.execute(trx);
      await repo.recordEvent(trx, id, 'cancelled', ctx.actor.userId);
      await recordAudit(trx, ctx, { action: 'ipam.request_cancel', targetType: 'ipam_request', targetId: id });
    });
    return this.getRequest(ctx, id);
  }

  // ---- allocations ------------------------------------------------------------------------------------------------

  /**
   * Allocates in `pool` inside the caller's transaction. One allocation at a time per pool (advisory lock), checked
   * against active allocations, reserved ranges and the gateway; the exclusion constraint is the backstop.
   */
  private async allocateIn(
    trx: Tx,
    ctx: RequestContext,
    pool: repo.PoolRow,
    a: { holderOrgId: string; systemId: string | null; applicationId: string | null; requestId: string | null; need: Need; note: string | null },
  ): Promise<string> {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`ipam.pool:${pool.id}`}, 0))`.execute(trx);
    const m: PoolModel = poolModel(pool.cidr, pool.gateway, pool.reserved);
    const taken = (await repo.activeRangesOfPools(trx, [pool.id])).map((r) => rangeOf(r.firstAddress, r.lastAddress));
    const blocked = unavailable(m, a.need.kind);
    let range: Range | null;
    const need = a.need;
    if (need.kind === 'subnet') {
      if (need.prefixLength < m.cidr.prefix || need.prefixLength > bitsOf(m.cidr.family)) {
        throw validationError('ipam.prefix_outside_pool', `A /${need.prefixLength} does not fit in the pool ${pool.cidr}`, [{ field: 'prefixLength', rule: 'fits_pool', message: `between /${m.cidr.prefix} and /${bitsOf(m.cidr.family)}`, value: need.prefixLength }]);
      }
      if (need.cidr) {
        const c = parseCidrField('body.cidr', need.cidr);
        if (c.prefix !== need.prefixLength) throw validationError('ipam.prefix_mismatch', `The request asks for a /${need.prefixLength}`, [{ field: 'body.cidr', rule: 'prefix_length', message: `choose a /${need.prefixLength}`, value: need.cidr }]);
        range = cidrRange(c);
      } else {
        const block = firstFreeBlock(m.cidr, [...taken, ...blocked], need.prefixLength);
        range = block ? cidrRange(block) : null;
      }
    } else if (need.start) {
      const s = parseAddressField('body.startAddress', need.start);
      range = { family: s.family, first: s.value, last: s.value + BigInt(need.count) - 1n };
    } else {
      range = firstFreeRange(m.cidr, [...taken, ...blocked], BigInt(need.count));
    }
    if (!range) {
      const u = utilisation(m, taken);
      throw new AppError('conflict', 'ipam.pool_exhausted', `The pool ${pool.name} (${pool.cidr}) has no free ${need.kind === 'subnet' ? `/${need.prefixLength} block` : `run of ${need.count} addresses`}`, { pool: { id: pool.id, name: pool.name, cidr: pool.cidr }, free: u.free });
    }
    const field = need.kind === 'subnet' ? 'body.cidr' : 'body.startAddress';
    if (!contains(m.cidr, range)) {
      throw validationError('ipam.outside_pool', `${formatRange(range)} is not inside the pool ${pool.cidr}`, [{ field, rule: 'inside_pool', message: `choose addresses of ${pool.cidr}`, value: formatRange(range) }]);
    }
    const hitReserved = blocked.find((b) => overlaps(b, range));
    if (hitReserved) {
      throw validationError('ipam.reserved_address', `${formatRange(range)} includes reserved addresses (${formatRange(hitReserved)})`, [{ field, rule: 'not_reserved', message: `${formatRange(hitReserved)} is reserved, the gateway, or the network/broadcast address`, value: formatRange(range) }]);
    }
    const first = addressText(range.family, range.first);
    const last = addressText(range.family, range.last);
    const clash = await repo.overlappingAllocations(trx, first, last);
    if (clash.length) {
      throw new AppError('conflict', 'ipam.allocation_overlap', `${formatRange(range)} overlaps the allocation ${formatRange(rangeOf(clash[0]!.firstAddress, clash[0]!.lastAddress))}`, {
        allocations: clash.map((c) => ({ id: c.id, range: formatRange(rangeOf(c.firstAddress, c.lastAddress)) })),
      });
    }
    const row = await sql<{ id: string }>`
      insert into ipam_allocations (pool_id, request_id, holder_org_id, system_id, application_id, node_id, kind, first_address, last_address, note, allocated_by)
      values (${pool.id}, ${a.requestId}, ${a.holderOrgId}, ${a.systemId}, ${a.applicationId}, ${pool.nodeId}, ${need.kind}, ${first}::inet, ${last}::inet, ${a.note}, ${ctx.actor.userId})
      returning id`.execute(trx).catch((e: unknown) => {
      throw this.mapDbError(e, formatRange(range));
    });
    const id = row.rows[0]!.id;
    await recordAudit(trx, ctx, { action: 'ipam.allocate', targetType: 'ipam_allocation', targetId: id, after: { pool: pool.cidr, range: formatRange(range), holderOrgId: a.holderOrgId, systemId: a.systemId, requestId: a.requestId } });
    return id;
  }

  /** A direct allocation by the management unit (no request). */
  async createAllocation(ctx: RequestContext, input: NewAllocation): Promise<Allocation> {
    if (!canManage(ctx.actor)) throw forbidden('ipam.not_reviewer', 'Only the management unit allocates directly');
    const id = await withTx(this.db, ctx, async (trx) => {
      const pool = await repo.getPool(trx, input.poolId);
      if (!pool || pool.status !== 'active') throw validationError('ipam.pool_mismatch', 'Choose an active pool', [{ field: 'body.poolId', rule: 'active_pool', message: 'unknown or retired pool', value: input.poolId }]);
      const holder = (await sql<{ kind: string }>`select kind from organisations where id = ${input.holderOrgId}`.execute(trx)).rows[0];
      if (!holder || !['user_unit', 'cloud_provider', 'management_unit'].includes(holder.kind)) {
        throw validationError('ipam.invalid_holder', 'The holder must be a user unit, a cloud provider or the management unit', [{ field: 'body.holderOrgId', rule: 'holder_kind', message: 'choose a unit or a provider', value: input.holderOrgId }]);
      }
      if (input.systemId) {
        const sys = (await sql<{ unitId: string; nodeId: string }>`select unit_id, node_id from information_systems where id = ${input.systemId}`.execute(trx)).rows[0];
        if (!sys) throw validationError('ipam.unknown_system', 'No such information system', [{ field: 'body.systemId', rule: 'exists', message: 'unknown system', value: input.systemId }]);
        if (sys.nodeId !== pool.nodeId) throw validationError('ipam.system_node_mismatch', 'The information system is deployed on another cloud node', [{ field: 'body.systemId', rule: 'system_node', message: 'the pool is on another node', value: input.systemId }]);
      }
      let need: Need;
      if (input.cidr) {
        const c = parseCidrField('body.cidr', input.cidr);
        need = { kind: 'subnet', prefixLength: c.prefix, cidr: input.cidr };
      } else if (input.prefixLength !== undefined) need = { kind: 'subnet', prefixLength: input.prefixLength };
      else need = { kind: 'addresses', count: input.addressCount!, start: input.startAddress };
      return this.allocateIn(trx, ctx, pool, { holderOrgId: input.holderOrgId, systemId: input.systemId ?? null, applicationId: input.applicationId ?? null, requestId: null, need, note: input.note ?? null });
    });
    return this.getAllocation(ctx, id);
  }

  async getAllocation(ctx: RequestContext, id: string): Promise<Allocation> {
    return withTx(this.db, ctx, async (trx) => {
      const { rows } = await repo.listAllocations(trx, ctx, { ids: [id] });
      if (!rows.length) throw notFound('ipam.allocation', id);
      return (await this.toAllocations(trx, ctx, rows))[0]!;
    });
  }

  async listAllocations(ctx: RequestContext, q: AllocationListQuery): Promise<{ items: Allocation[]; total: number; page: number; pageSize: number }> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const address = q.address ? this.addressFilter(q.address) : undefined;
    return withTx(this.db, ctx, async (trx) => {
      const { rows, total } = await repo.listAllocations(trx, ctx, { ...q, address }, { limit: pageSize, offset: (page - 1) * pageSize });
      return { items: await this.toAllocations(trx, ctx, rows), total, page, pageSize };
    });
  }

  private addressFilter(text: string): string {
    const a = parseAddressField('querystring.address', text);
    return addressText(a.family, a.value);
  }

  async exportXlsx(ctx: RequestContext, filter: AllocationFilter): Promise<Buffer> {
    const address = filter.address ? this.addressFilter(filter.address) : undefined;
    const items = await withTx(this.db, ctx, async (trx) => {
      const { rows } = await repo.listAllocations(trx, ctx, { ...filter, address }, { limit: EXPORT_MAX_ROWS, offset: 0 });
      return this.toAllocations(trx, ctx, rows);
    });
    return writeAllocationsWorkbook(items);
  }

  private async toAllocations(trx: Tx, ctx: RequestContext, rows: repo.AllocationRow[]): Promise<Allocation[]> {
    const scopeCache = new Map<string, boolean>();
    const out: Allocation[] = [];
    for (const r of rows) {
      if (!scopeCache.has(r.holderOrgId)) scopeCache.set(r.holderOrgId, await repo.orgInScope(trx, ctx, r.holderOrgId));
      const range = rangeOf(r.firstAddress, r.lastAddress);
      out.push({
        id: r.id,
        pool: { id: r.poolId, name: r.poolName, cidr: r.poolCidr },
        node: { id: r.nodeId, name: r.nodeName },
        zone: { id: r.zoneId, name: r.zoneName },
        requestId: r.requestId,
        holder: { id: r.holderOrgId, name: r.holderName },
        system: r.systemId ? { id: r.systemId, name: r.systemName, systemNo: r.systemNo } : null,
        applicationId: r.applicationId,
        kind: r.kind,
        family: range.family,
        firstAddress: r.firstAddress,
        lastAddress: r.lastAddress,
        range: formatRange(range),
        count: rangeSize(range).toString(),
        note: r.note,
        status: r.status,
        allocatedAt: iso(r.allocatedAt)!,
        releasedAt: iso(r.releasedAt),
        abilities: { release: canRelease(ctx.actor, r.status, scopeCache.get(r.holderOrgId)!) },
      });
    }
    return out;
  }

  async release(ctx: RequestContext, id: string): Promise<Allocation> {
    await withTx(this.db, ctx, async (trx) => {
      const { rows } = await repo.listAllocations(trx, ctx, { ids: [id] });
      const r = rows[0];
      if (!r) throw notFound('ipam.allocation', id);
      if (r.status !== 'active') throw new AppError('conflict', 'ipam.already_released', 'The allocation was released already');
      if (!canRelease(ctx.actor, r.status, await repo.orgInScope(trx, ctx, r.holderOrgId))) throw forbidden('ipam.not_holder', 'Only the holder or the management unit releases an allocation');
      const upd = await sql`update ipam_allocations set status = 'released', released_at = now(), released_by = ${ctx.actor.userId} where id = ${id} and status = 'active'`.execute(trx);
      if (Number(upd.numAffectedRows ?? 0) !== 1) throw new AppError('conflict', 'ipam.already_released', 'The allocation was released already');
      if (r.requestId) await repo.recordEvent(trx, r.requestId, 'released', ctx.actor.userId, formatRange(rangeOf(r.firstAddress, r.lastAddress)));
      await recordAudit(trx, ctx, { action: 'ipam.release', targetType: 'ipam_allocation', targetId: id, before: { range: formatRange(rangeOf(r.firstAddress, r.lastAddress)), holderOrgId: r.holderOrgId } });
    });
    return this.getAllocation(ctx, id);
  }

  // ---- deadlines --------------------------------------------------------------------------------------------------

  /**
   * Records the review-deadline warnings of pending requests: `due_soon` when one working day or less is left,
   * `overdue` once past the due time; each once per request (ipam_request_events is unique per request and kind),
   * and notifies the management unit's staff. Job `ipam.deadlines`. Returns what was recorded now.
   */
  async checkDeadlines(now: Date = this.clock()): Promise<{ dueSoon: string[]; overdue: string[] }> {
    const ctx = systemContext('job:ipam.deadlines');
    return withTx(this.db, ctx, async (trx) => {
      const cal = await this.calendar.days(trx);
      const pending = await sql<{ id: string; dueAt: Date; dueSoonWarnedAt: Date | null; overdueWarnedAt: Date | null; requesterName: string | null }>`
        select r.id, r.due_at, r.due_soon_warned_at, r.overdue_warned_at, o.name as requester_name
        from ipam_requests r left join organisations o on o.id = r.requester_org_id
        where r.status = 'pending' and r.overdue_warned_at is null for update of r skip locked`.execute(trx);
      const result = { dueSoon: [] as string[], overdue: [] as string[] };
      for (const r of pending.rows) {
        const state = deadlineState(cal, now, r.dueAt);
        if (state === 'overdue') {
          await sql`update ipam_requests set overdue_warned_at = ${now}, due_soon_warned_at = coalesce(due_soon_warned_at, ${now}) where id = ${r.id}`.execute(trx);
          if (await repo.recordEvent(trx, r.id, 'overdue', null, `due ${r.dueAt.toISOString()}`)) {
            result.overdue.push(r.id);
            await this.notify(trx, { recipients: { roleCodes: ['mgmt_staff'], orgKinds: ['management_unit'] }, kind: 'ipam.review_overdue', title: 'IP 地址申请审核已超期', body: `${r.requesterName ?? ''} 的地址申请应于 ${beijing(r.dueAt)} 前审核。`, link: `/ipam/requests?id=${r.id}`, severity: 'critical' });
          }
        } else if (state === 'due_soon' && !r.dueSoonWarnedAt) {
          await sql`update ipam_requests set due_soon_warned_at = ${now} where id = ${r.id}`.execute(trx);
          if (await repo.recordEvent(trx, r.id, 'due_soon', null, `due ${r.dueAt.toISOString()}`)) {
            result.dueSoon.push(r.id);
            await this.notify(trx, { recipients: { roleCodes: ['mgmt_staff'], orgKinds: ['management_unit'] }, kind: 'ipam.review_due_soon', title: 'IP 地址申请即将到期', body: `${r.requesterName ?? ''} 的地址申请须于 ${beijing(r.dueAt)} 前审核（剩余不足 1 个工作日）。`, link: `/ipam/requests?id=${r.id}`, severity: 'warning' });
          }
        }
      }
      return result;
    });
  }

  /** The events (submitted, warnings, decision, release) of a request the caller may see. */
  async requestEvents(ctx: RequestContext, id: string): Promise<Array<{ kind: string; at: string; note: string | null }>> {
    return withTx(this.db, ctx, async (trx) => {
      const { rows } = await repo.listRequests(trx, ctx, { id });
      if (!rows.length) throw notFound('ipam.request', id);
      return (await repo.requestEvents(trx, id)).map((e) => ({ kind: e.kind, at: iso(e.at)!, note: e.note }));
    });
  }

  /**
   * Sends a notice through the notifications module inside a savepoint: a notification that fails (no recipient,
   * a channel's error) is dropped — the request events still record what happened — and never undoes the request, decision or warning it reports.
   */
  private async notify(trx: Tx, notice: IpamNotice): Promise<void> {
    if (!this.notifier) return;
    await sql`savepoint ipam_notify`.execute(trx);
    try {
      await this.notifier(trx, notice);
      await sql`release savepoint ipam_notify`.execute(trx);
    } catch {
      await sql`rollback to savepoint ipam_notify`.execute(trx);
    }
  }

  // ---- conflicts --------------------------------------------------------------------------------------------------

  /**
   * Compares the addresses the CMDB inventory reports (active resources the caller may see, read through the
   * inventory module's list API) with the pools and allocations of the same node:
   * `unallocated` — inside a pool, not reserved, in no active allocation; `system_mismatch` — allocated to one
   * information system, reported for another; `holder_mismatch` — allocated without a system to an organisation that
   * is neither the resource's provider nor its unit. Allocations the caller may not see are named without holder.
   */
  async conflicts(ctx: RequestContext, q: ConflictQuery): Promise<ConflictList> {
    const pools = (await this.listPools(ctx, { status: 'active', nodeId: q.nodeId })).map((p) => ({ p, m: poolModel(p.cidr, p.gateway, p.reserved) }));
    const allocRows = await withTx(this.db, systemContext('ipam.conflicts'), (trx) => repo.listAllocations(trx, systemContext('ipam.conflicts'), { status: 'active', nodeId: q.nodeId }));
    const visibleIds = new Set(
      (await withTx(this.db, ctx, (trx) => repo.listAllocations(trx, ctx, { status: 'active', nodeId: q.nodeId }))).rows.map((r) => r.id),
    );
    const allocs = allocRows.rows.map((r) => ({ r, range: rangeOf(r.firstAddress, r.lastAddress) }));
    const items: Conflict[] = [];
    let scanned = 0;
    let truncated = false;
    for (const [kind, fields] of Object.entries(OBSERVED_IP_FIELDS)) {
      for (let page = 1; ; page++) {
        if (scanned >= CONFLICT_SCAN_MAX) {
          truncated = true;
          break;
        }
        const res = await this.inventory.list(ctx, { kind: kind as never, status: 'active', nodeId: q.nodeId, page, pageSize: 200, sort: 'name', order: 'asc' });
        scanned += res.items.length;
        for (const resource of res.items) {
          for (const field of fields) {
            const text = resource.attributes[field];
            if (!text) continue;
            let addr;
            try {
              addr = parseAddress(text);
            } catch {
              continue;
            }
            const hit = pools.find(({ p, m }) => p.node.id === resource.node.id && contains(m.cidr, addr));
            if (!hit) continue;
            if (hit.m.reserved.some((r) => contains(r, addr))) continue;
            const alloc = allocs.find((a) => a.r.nodeId === resource.node.id && contains(a.range, addr));
            let type: Conflict['type'] | null = null;
            if (!alloc) type = 'unallocated';
            else if (alloc.r.systemId) {
              const same = resource.system ? resource.system.id === alloc.r.systemId : resource.systemNo !== null && resource.systemNo === alloc.r.systemNo;
              if (!same) type = 'system_mismatch';
            } else if (alloc.r.holderOrgId !== resource.provider.id && alloc.r.holderOrgId !== resource.unit?.id) type = 'holder_mismatch';
            if (!type || (q.type && q.type !== type)) continue;
            const shown = alloc && visibleIds.has(alloc.r.id);
            items.push({
              type,
              address: addressText(addr.family, addr.value),
              node: { id: resource.node.id, name: resource.node.name },
              pool: { id: hit.p.id, name: hit.p.name, cidr: hit.p.cidr },
              resource: { id: resource.id, kind: resource.kind, name: resource.name, field, systemNo: resource.systemNo, system: resource.system, provider: resource.provider },
              allocation: alloc
                ? {
                    id: alloc.r.id,
                    range: formatRange(alloc.range),
                    holder: { id: alloc.r.holderOrgId, name: shown ? alloc.r.holderName : null },
                    system: alloc.r.systemId && shown ? { id: alloc.r.systemId, name: alloc.r.systemName, systemNo: alloc.r.systemNo } : null,
                  }
                : null,
            });
          }
        }
        if (res.items.length < 200) break;
      }
    }
    const counts: Record<string, number> = {};
    for (const c of items) counts[c.type] = (counts[c.type] ?? 0) + 1;
    return { items, counts, scannedResources: scanned, truncated };
  }

  private mapDbError(e: unknown, what: string): unknown {
    const code = (e as { code?: string }).code;
    const constraint = (e as { constraint?: string }).constraint;
    if (code === '23P01' && constraint === 'ipam_pools_no_overlap') return new AppError('conflict', 'ipam.pool_overlap', `${what} overlaps another active pool`);
    if (code === '23P01' && constraint === 'ipam_allocations_no_overlap') return new AppError('conflict', 'ipam.allocation_overlap', `${what} overlaps another active allocation`);
    if (code === '23505' && constraint === 'ipam_pools_node_id_name_key') {
      return validationError('ipam.pool_name_taken', 'The node already has a pool of this name', [{ field: 'body.name', rule: 'unique', message: 'choose another name' }]);
    }
    return e;
  }
}

function beijing(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
