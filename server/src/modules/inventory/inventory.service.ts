import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { systemContext, type RequestContext } from '../../platform/context.js';
import { applyScope, withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import { Dec } from '../../platform/money.js';
import { maskPhone } from '../access/index.js';
import { interfaceTable, listStoredBatches, readBatchRecords, type StoredBatch } from '../ingestion/index.js';
import {
  BUSINESS_SYSTEM_TABLE,
  INVENTORY_TABLES,
  KIND_MAPPINGS,
  MAPPING_BY_TABLE,
  PLATFORM_SPEC_TABLE,
  QUANTITY_KEYS,
  beijingDate,
  compareSystem,
  diffResource,
  resourceFromRecord,
  type KindMapping,
  type QuantityKey,
  type ReportedRecord,
  type ResourceKind,
} from './inventory.kinds.js';
import * as repo from './inventory.repository.js';
import {
  CAPACITY_RESOURCES,
  type ApplyResult,
  type CapacityResource,
  type Flag,
  type FlagList,
  type FlagsQuery,
  type Resource,
  type ResourceDetail,
  type ResourceFilter,
  type ResourceFlag,
  type ResourceListQuery,
  type Summary,
  type SummaryGroup,
  type SummaryQuery,
  type Trends,
  type TrendsQuery,
} from './inventory.schemas.js';
import { writeResourcesWorkbook } from './inventory.xlsx.js';

/** Batches read per page while applying. */
const PAGE = 200;
/** The watermark only passes batches older than this (minutes): see repo.advanceCursor. */
const SAFETY_MINUTES = 10;
export const EXPORT_MAX_ROWS = 50_000;

/** 云平台规格数据 total / allocated fields per capacity resource. */
const CAPACITY_FIELDS: Record<CapacityResource, [string, string]> = {
  cpuCores: ['cpuTotal', 'cpuAllocated'],
  memoryGb: ['memoryTotal', 'memoryAllocated'],
  standardStorageGb: ['standardStorageTotal', 'standardStorageAllocated'],
  highPerfStorageGb: ['highPerfStorageTotal', 'highPerfStorageAllocated'],
  staticStorageGb: ['staticStorageTotal', 'staticStorageAllocated'],
  bandwidthMbps: ['internetBandwidthTotal', 'internetBandwidthAllocated'],
};

/** Resources a work order delivered, as recorded at acceptance (see InventoryService.recordDelivered). */
export interface DeliveredResources {
  providerOrgId: string;
  nodeId: string;
  systemId: string;
  unitOrgId: string;
  applicationId: string;
  /** Beijing date of the acceptance (YYYY-MM-DD): the resources' created_date, metering starts that day. */
  acceptedDate: string;
  items: Array<{ kind: ResourceKind; naturalKey: string; name: string; quantities: Partial<Record<QuantityKey, string>>; attributes: Record<string, string | null> }>;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/**
 * The CMDB inventory (资源清单) built from the pushed service and asset data: applies stored batches to the resources
 * with their history, links them to the registered information systems, flags what does not match, and answers the
 * resource, summary, trend and flag views.
 */
/** An active cloud host found by `InventoryService.locateHosts`. */
export interface LocatedHost {
  resourceId: string;
  cloudHostId: string;
  name: string;
  ip: string | null;
  providerOrgId: string;
  nodeId: string;
  unitOrgId: string | null;
  systemId: string | null;
}

export class InventoryService {
  constructor(private readonly db: Db) {}

  /** A read in the caller's scope; without JIT (row policies inflate the estimates into JIT compiles of ~250 ms). */
  private read<T>(ctx: RequestContext, fn: (trx: Tx) => Promise<T>): Promise<T> {
    return withTx(this.db, ctx, async (trx) => {
      await sql`set local jit = off`.execute(trx);
      return fn(trx);
    });
  }

  /**
   * Applies every stored batch of the inventory's tables not applied yet (resources, 业务系统数据, 云平台规格数据), then
   * relinks resources to the directory and deletes resources whose end date has come. Idempotent: a batch is applied
   * once, and a resource never goes back to an older batch's version.
   */
  async applyPending(): Promise<ApplyResult> {
    const ctx = systemContext('job:inventory.apply');
    const total: ApplyResult = { batches: 0, created: 0, changed: 0, deleted: 0, systems: 0, capacity: 0, expired: 0, relinked: 0 };
    // One transaction per page of batches, so a long backlog commits as it goes; the lock is taken before the
    // applied set is read, so two runners never apply the same batch.
    let after: string | null = null;
    for (;;) {
      const full: boolean = await withTx(this.db, ctx, async (trx) => {
        await repo.lockApply(trx);
        const page = await listStoredBatches(trx, { afterId: after ?? (await repo.readCursor(trx)), tables: INVENTORY_TABLES, limit: PAGE });
        const done = await repo.appliedAmong(trx, page.map((b) => b.id));
        for (const batch of page) {
          if (done.has(batch.id)) continue;
          await this.applyBatch(trx, batch, total);
          await repo.markApplied(trx, batch);
          total.batches++;
        }
        if (page.length > 0) after = page[page.length - 1]!.id;
        return page.length === PAGE;
      });
      if (!full) break;
    }
    return withTx(this.db, ctx, async (trx) => {
      await repo.lockApply(trx);
      await repo.advanceCursor(trx, SAFETY_MINUTES);
      total.expired = await repo.expireResources(trx);
      total.relinked = await repo.relinkResources(trx);
      await this.relinkSystems(trx);
      return total;
    });
  }

  private async applyBatch(trx: Tx, batch: StoredBatch, total: ApplyResult): Promise<void> {
    const records = (await readBatchRecords(trx, batch)) as ReportedRecord[];
    if (batch.table === BUSINESS_SYSTEM_TABLE) {
      const last = new Map<string, ReportedRecord>();
      for (const r of records) if (r.systemId) last.set(r.systemId, r);
      for (const [systemNo, r] of last) {
        if (await repo.upsertReportedSystem(trx, { providerOrgId: batch.providerOrgId, systemNo, nodeId: batch.nodeId, attributes: clean(r), seenAt: batch.receivedAt, batchId: batch.id })) total.systems++;
      }
      return;
    }
    if (batch.table === PLATFORM_SPEC_TABLE) {
      const last = new Map<string, ReportedRecord>();
      for (const r of records) if (r.machineRoom) last.set(r.machineRoom, r);
      for (const [machineRoom, r] of last) {
        if (await repo.upsertCapacity(trx, { providerOrgId: batch.providerOrgId, nodeId: batch.nodeId, machineRoom, attributes: clean(r), reportedAt: batch.receivedAt, batchId: batch.id })) total.capacity++;
      }
      return;
    }
    const mapping = MAPPING_BY_TABLE.get(batch.table);
    if (mapping) await this.applyResources(trx, batch, mapping, records, total);
  }

  private async applyResources(trx: Tx, batch: StoredBatch, m: KindMapping, records: ReportedRecord[], total: ApplyResult): Promise<void> {
    const today = beijingDate();
    const versions = new Map<string, NonNullable<ReturnType<typeof resourceFromRecord>>>();
    // Within one batch the last record of a resource wins.
    for (const r of records) {
      const version = resourceFromRecord(m, r, today);
      if (version) versions.set(version.naturalKey, version);
    }
    if (versions.size === 0) return;
    const stored = await repo.loadResources(trx, batch.providerOrgId, m.kind, [...versions.keys()]);
    const inserts: repo.NewResourceRow[] = [];
    const changes: repo.NewChange[] = [];
    const touched: string[] = [];
    const updates: repo.NewResourceRow[] = [];
    for (const version of versions.values()) {
      const row: repo.NewResourceRow = { id: randomUUID(), providerOrgId: batch.providerOrgId, nodeId: batch.nodeId, seenAt: batch.receivedAt, batchId: batch.id, ...version };
      const old = stored.get(version.naturalKey);
      if (!old) {
        inserts.push(row);
        changes.push({ resourceId: row.id, changedAt: batch.receivedAt, action: 'created', before: {}, after: { ...version.attributes, status: version.status }, batchId: batch.id });
        total.created++;
        continue;
      }
      // A batch older than the resource's last one (committed late) never overwrites a newer version.
      if (BigInt(batch.id) <= BigInt(old.lastBatchId)) continue;
      // A resource recorded by an accepted delivery keeps its marker, and its metering start (the acceptance date)
      // unless the provider reports a later creation date.
      if (old.attributes.source === 'delivery') {
        version.attributes = { ...version.attributes, source: 'delivery', applicationId: old.attributes.applicationId ?? null };
        if (old.createdDate !== null && (version.createdDate === null || version.createdDate < old.createdDate)) version.createdDate = old.createdDate;
        row.attributes = version.attributes;
        row.createdDate = version.createdDate;
      }
      const diff = diffResource(old, { nodeId: batch.nodeId, attributes: version.attributes, status: version.status });
      if (Object.keys(diff.after).length === 0) {
        touched.push(old.id);
        continue;
      }
      updates.push({ ...row, id: old.id });
      const deleted = old.status === 'active' && version.status === 'deleted';
      changes.push({ resourceId: old.id, changedAt: batch.receivedAt, action: deleted ? 'deleted' : 'changed', before: diff.before, after: diff.after, batchId: batch.id });
      if (deleted) total.deleted++;
      else total.changed++;
    }
    await repo.insertResources(trx, inserts);
    await repo.updateResources(trx, updates);
    await repo.insertChanges(trx, changes);
    await repo.touchResources(trx, touched, batch.receivedAt, batch.id);
  }

  /** Links each reported 业务系统数据 record to its registration and stores the differences. */
  private async relinkSystems(trx: Tx): Promise<void> {
    for (const r of await repo.reportedSystemsWithRegistration(trx)) {
      const mismatches =
        r.regId === null
          ? []
          : compareSystem(r.attributes, r.nodeId, {
              systemNo: r.systemNo,
              name: r.regName ?? '',
              nodeId: r.regNodeId ?? '',
              nodeCode: r.regNodeCode ?? '',
              nodeName: r.regNodeName ?? '',
              unitCode: r.regUnitCode,
              machineRoomCode: r.regRoomCode,
              gradingLevel: r.regGrading ?? '',
              networkNature: r.regNetwork ?? '',
            });
      if (r.systemId !== r.regId || r.unitOrgId !== r.regUnitId || JSON.stringify(r.mismatches) !== JSON.stringify(mismatches)) {
        await repo.setReportedSystemLink(trx, r.providerOrgId, r.systemNo, r.regId, r.regUnitId, mismatches);
      }
    }
  }

  /** Fills inventory_daily for `day` (default today, Beijing time) from the active resources. Idempotent. */
  async snapshotDaily(day = beijingDate()): Promise<number> {
    const ctx = systemContext('job:inventory.daily');
    return withTx(this.db, ctx, async (trx) => {
      await sql`set local jit = off`.execute(trx);
      return repo.snapshotDay(trx, day);
    });
  }

  async list(ctx: RequestContext, q: ResourceListQuery): Promise<{ items: Resource[]; total: number; page: number; pageSize: number }> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    // The repository's filter ignores page, pageSize, sort and order.
    return this.read(ctx, async (trx) => {
      const { rows, total } = await repo.listResources(trx, ctx, q, { limit: pageSize, offset: (page - 1) * pageSize, sort: q.sort ?? 'name', order: q.order ?? 'asc' });
      return { items: rows.map((r) => toResource(r, ctx)), total, page, pageSize };
    });
  }

  async get(ctx: RequestContext, id: string): Promise<ResourceDetail> {
    return this.read(ctx, async (trx) => {
      const row = await repo.getResource(trx, ctx, id);
      if (!row) throw notFound('inventory.resource', id);
      const changes = await repo.resourceChanges(trx, id);
      const table = KIND_MAPPINGS.find((m) => m.kind === row.kind)!.table;
      return {
        ...toResource(row, ctx),
        fieldLabels: Object.fromEntries(interfaceTable(table).fields.map((f) => [f.name, f.cn])),
        changes: changes.map((c) => ({
          id: String(c.id),
          action: c.action as 'created' | 'changed' | 'deleted',
          before: maskPersonal(c.before as Record<string, string | null>, ctx, row.providerOrgId),
          after: maskPersonal(c.after as Record<string, string | null>, ctx, row.providerOrgId),
          changedAt: iso(c.changedAt),
          batchId: String(c.batchId),
        })),
      };
    });
  }

  /**
   * Finds active cloud hosts by their provider's cloud host ID (云主机 ID) or their internal IP (内部 IP), optionally
   * within one provider or node: the link from security findings, probes and metrics to the host, its system, unit
   * and provider. References that match nothing are simply absent from the answer (the caller lists them).
   */
  async locateHosts(
    ctx: RequestContext,
    q: { providerOrgId?: string | null; nodeId?: string | null; cloudHostIds?: readonly string[]; ips?: readonly string[] },
  ): Promise<LocatedHost[]> {
    const ids = [...new Set(q.cloudHostIds ?? [])];
    const ips = [...new Set(q.ips ?? [])];
    if (ids.length === 0 && ips.length === 0) return [];
    if (ids.length + ips.length > 5000) {
      const out: LocatedHost[] = [];
      for (let i = 0; i < ids.length; i += 5000) out.push(...(await this.locateHosts(ctx, { ...q, ips: [], cloudHostIds: ids.slice(i, i + 5000) })));
      for (let i = 0; i < ips.length; i += 5000) out.push(...(await this.locateHosts(ctx, { ...q, cloudHostIds: [], ips: ips.slice(i, i + 5000) })));
      return out;
    }
    return this.read(ctx, async (trx) => {
      let query = trx
        .selectFrom('inventoryResources')
        .select(['id', 'naturalKey', 'name', 'providerOrgId', 'nodeId', 'unitOrgId', 'systemId', sql<string | null>`attributes->>'internalIp'`.as('ip')])
        .where('kind', '=', 'cloud_host')
        .where('status', '=', 'active')
        .where((eb) => {
          const ors = [];
          if (ids.length > 0) ors.push(eb('naturalKey', 'in', ids));
          if (ips.length > 0) ors.push(eb(sql<string>`attributes->>'internalIp'`, 'in', ips));
          return eb.or(ors);
        });
      if (q.providerOrgId) query = query.where('providerOrgId', '=', q.providerOrgId);
      if (q.nodeId) query = query.where('nodeId', '=', q.nodeId);
      const rows = await query.execute();
      return rows.map((r) => ({ resourceId: r.id, cloudHostId: r.naturalKey, name: r.name, ip: r.ip, providerOrgId: r.providerOrgId, nodeId: r.nodeId, unitOrgId: r.unitOrgId, systemId: r.systemId }));
    });
  }

  async summary(ctx: RequestContext, q: SummaryQuery): Promise<Summary> {
    const dim = q.groupBy ?? 'node';
    const where = repo.resourceWhere(ctx, { nodeId: q.nodeId, providerOrgId: q.providerOrgId, unitOrgId: q.unitOrgId });
    return this.read(ctx, async (trx) => {
      const counts = await repo.countsBy(trx, dim, where);
      const quantities = await repo.quantitiesBy(trx, dim, where);
      // Capacity is per provider and node; a unit filter or unit grouping has none.
      const capacity = dim === 'unit' || q.unitOrgId ? [] : await repo.capacityRows(trx, ctx, { nodeId: q.nodeId, providerOrgId: q.providerOrgId });
      const flags = await repo.flagCounts(trx, where, repo.systemFlagWhere(ctx, q));
      const groups = new Map<string | null, Acc>();
      const acc = (id: string | null) => {
        let a = groups.get(id);
        if (!a) groups.set(id, (a = newAcc()));
        return a;
      };
      const totals = newAcc();
      for (const c of counts) {
        for (const a of [acc(c.groupId), totals]) {
          a.counts[c.kind] = (a.counts[c.kind] ?? 0) + c.n;
          a.total += c.n;
        }
      }
      for (const x of quantities) {
        for (const a of [acc(x.groupId), totals]) a.quantities[x.key] = (a.quantities[x.key] ?? new Dec(0)).plus(x.total);
      }
      for (const c of capacity) {
        const gid = dim === 'node' ? c.nodeId : c.providerOrgId;
        for (const a of [acc(gid), totals]) {
          a.hasCapacity = true;
          for (const res of CAPACITY_RESOURCES) {
            const [tf, af] = CAPACITY_FIELDS[res];
            a.capTotal[res] = (a.capTotal[res] ?? new Dec(0)).plus(c.attributes[tf] ?? 0);
            a.capAllocated[res] = (a.capAllocated[res] ?? new Dec(0)).plus(c.attributes[af] ?? 0);
          }
        }
      }
      const names = await repo.groupNames(trx, dim, [...groups.keys()].filter((k): k is string => k !== null));
      const finish = (id: string | null, a: Acc): SummaryGroup => ({
        id,
        name: id === null ? null : (names.get(id) ?? null),
        counts: a.counts,
        total: a.total,
        quantities: Object.fromEntries(Object.entries(a.quantities).map(([k, d]) => [k, d.toFixed()])),
        capacity:
          dim === 'unit' || !a.hasCapacity
            ? null
            : Object.fromEntries(
                CAPACITY_RESOURCES.map((res) => {
                  const t = a.capTotal[res] ?? new Dec(0);
                  const ar = a.capAllocated[res] ?? new Dec(0);
                  const ai = a.quantities[res] ?? new Dec(0);
                  return [res, { total: t.toFixed(), allocatedReported: ar.toFixed(), allocatedInventory: ai.toFixed(), freeReported: t.minus(ar).toFixed(), freeInventory: t.minus(ai).toFixed() }];
                }),
              ),
      });
      const list = [...groups.entries()].map(([id, a]) => finish(id, a));
      list.sort((x, y) => (x.name ?? '\uffff').localeCompare(y.name ?? '\uffff', 'zh-CN') || String(x.id).localeCompare(String(y.id)));
      return { groupBy: dim, totals: finish(null, totals), groups: list, flags, quantityKeys: [...QUANTITY_KEYS] };
    });
  }

  async trends(ctx: RequestContext, q: TrendsQuery): Promise<Trends> {
    const today = beijingDate();
    const to = q.to ?? today;
    const from = q.from ?? beijingDate(new Date(Date.now() - 29 * 86_400_000));
    if (from > to) throw new AppError('validation', 'inventory.bad_range', 'from must not be after to', { issues: [{ field: 'querystring.from', rule: 'range', message: 'from must not be after to' }] });
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > 400) {
      throw new AppError('validation', 'inventory.bad_range', 'At most 400 days', { issues: [{ field: 'querystring.from', rule: 'max_range', message: 'At most 400 days between from and to' }] });
    }
    return this.read(ctx, async (trx) => {
      const rows = await repo.dailySeries(trx, ctx, { ...q, from, to });
      const byDay = new Map<string, { counts: Record<string, number>; count: number; quantities: Record<string, Dec> }>();
      const add = (day: string, kind: string, n: number, quantities: Record<string, string>) => {
        let d = byDay.get(day);
        if (!d) byDay.set(day, (d = { counts: {}, count: 0, quantities: {} }));
        d.counts[kind] = (d.counts[kind] ?? 0) + n;
        d.count += n;
        for (const [k, x] of Object.entries(quantities)) d.quantities[k] = (d.quantities[k] ?? new Dec(0)).plus(x);
      };
      for (const r of rows) if (r.day !== today) add(r.day, r.kind, r.n, r.quantities);
      // Today is always the live state (the snapshot of today is replaced through the day).
      if (to >= today && from <= today) {
        const where = repo.resourceWhere(ctx, { kind: q.kind, nodeId: q.nodeId, providerOrgId: q.providerOrgId, unitOrgId: q.unitOrgId });
        const live = await repo.liveByKind(trx, where);
        byDay.set(today, { counts: {}, count: 0, quantities: {} });
        for (const l of live) add(today, l.kind, l.n, l.quantities);
      }
      const items = [...byDay.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([day, d]) => ({ day, count: d.count, counts: d.counts, quantities: Object.fromEntries(Object.entries(d.quantities).map(([k, x]) => [k, x.toFixed()])), live: day === today }));
      return { items };
    });
  }

  async flags(ctx: RequestContext, q: FlagsQuery): Promise<FlagList> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    return this.read(ctx, async (trx) => {
      const rows = await repo.listFlags(trx, ctx, q, pageSize, (page - 1) * pageSize);
      const counts = await repo.flagCounts(trx, repo.resourceWhere(ctx, { nodeId: q.nodeId, providerOrgId: q.providerOrgId, unitOrgId: q.unitOrgId }), repo.systemFlagWhere(ctx, q));
      // Node differences are stored as node ids; people read node names (cloud nodes are public directory data).
      const nodeIds = [...new Set(rows.flatMap((r) => (r.details ?? []).filter((d) => d.field === 'nodeId').flatMap((d) => [d.reported, d.registered])))].filter((x): x is string => !!x);
      const nodeNames = await repo.groupNames(trx, 'node', nodeIds);
      const nodeName = (id: string | null) => (id === null ? null : (nodeNames.get(id) ?? id));
      const items: Flag[] = rows.map((r) => ({
        type: r.type as Flag['type'],
        provider: { id: r.providerOrgId, name: r.providerName },
        node: { id: r.nodeId, name: r.nodeName },
        systemNo: r.systemNo,
        system: r.systemId ? { id: r.systemId, name: r.systemName } : null,
        unit: r.unitOrgId ? { id: r.unitOrgId, name: r.unitName } : null,
        resource: r.resourceId ? { id: r.resourceId, kind: r.resourceKind!, name: r.resourceName ?? '' } : null,
        details: (r.details ?? []).map((d) => (d.field === 'nodeId' ? { ...d, reported: nodeName(d.reported), registered: nodeName(d.registered) } : d)),
        lastSeenAt: iso(r.lastSeenAt),
      }));
      const total = q.type ? (counts[q.type] ?? 0) : Object.values(counts).reduce((a, b) => a + b, 0);
      return { items, total, page, pageSize, counts };
    });
  }

  /**
   * Records what a work order delivered once the unit accepted it (验收), inside the caller's transaction: each item
   * is created (history 'created') or, when the provider already has a resource of that kind and natural key, updated
   * (history 'changed', reported fields kept, the delivered ones and the quantities merged over them). Items carry the
   * natural key the data interface uses (cloud host: the cloud host ID; internet IP: 信息系统编号|IP), so a later push
   * of the same resource updates this row instead of adding a second one. New rows: created_date = `acceptedDate`
   * (metering starts that day), attributes.source = 'delivery' and applicationId, linked to the system, its unit and
   * node. The rows are written with the system scope (the accepting unit may not see the provider's organisation);
   * the caller's scope is restored afterwards.
   */
  async recordDelivered(trx: Tx, ctx: RequestContext, input: DeliveredResources): Promise<{ created: number; changed: number }> {
    const out = { created: 0, changed: 0 };
    if (input.items.length === 0) return out;
    await applyScope(trx, systemContext('applications.accept'));
    try {
      const system = await trx.selectFrom('informationSystems').select(['systemNo', 'nodeId']).where('id', '=', input.systemId).executeTakeFirstOrThrow();
      const now = new Date();
      for (const item of input.items) {
        const attributes: Record<string, string | null> = { ...item.attributes, source: 'delivery', applicationId: input.applicationId };
        const old = await trx
          .selectFrom('inventoryResources')
          .select(['id', 'nodeId', 'attributes', 'quantities', 'status'])
          .where('providerOrgId', '=', input.providerOrgId)
          .where('kind', '=', item.kind)
          .where('naturalKey', '=', item.naturalKey)
          .forUpdate()
          .executeTakeFirst();
        if (!old) {
          const id = randomUUID();
          await repo.insertResources(trx, [
            {
              id,
              kind: item.kind,
              providerOrgId: input.providerOrgId,
              nodeId: input.nodeId,
              naturalKey: item.naturalKey,
              systemNo: system.systemNo,
              name: item.name.slice(0, 300),
              attributes,
              quantities: item.quantities,
              createdDate: input.acceptedDate,
              deletedDate: null,
              status: 'active',
              seenAt: now,
              batchId: '0',
            },
          ]);
          await trx.updateTable('inventoryResources').set({ systemId: input.systemId, unitOrgId: input.unitOrgId, systemNodeId: system.nodeId }).where('id', '=', id).execute();
          await repo.insertChanges(trx, [{ resourceId: id, changedAt: now, action: 'created', before: {}, after: { ...attributes, ...item.quantities, status: 'active' }, batchId: '0' }]);
          out.created++;
          continue;
        }
        const oldAttrs = old.attributes as Record<string, string | null>;
        const oldQ = old.quantities as Record<string, string>;
        const merged = { ...oldAttrs, ...attributes };
        const quantities = { ...oldQ, ...item.quantities };
        const status = old.status as 'active' | 'deleted';
        const diff = diffResource({ nodeId: old.nodeId, attributes: { ...oldAttrs, ...oldQ }, status }, { nodeId: old.nodeId, attributes: { ...merged, ...quantities }, status: 'active' });
        if (Object.keys(diff.after).length === 0) continue;
        await trx
          .updateTable('inventoryResources')
          .set({
            systemNo: system.systemNo,
            systemId: input.systemId,
            unitOrgId: input.unitOrgId,
            systemNodeId: system.nodeId,
            attributes: JSON.stringify(merged),
            quantities: JSON.stringify(quantities),
            status: 'active',
            deletedDate: null,
            changedAt: now,
          })
          .where('id', '=', old.id)
          .execute();
        await repo.insertChanges(trx, [{ resourceId: old.id, changedAt: now, action: 'changed', before: diff.before, after: diff.after, batchId: '0' }]);
        out.changed++;
      }
      return out;
    } finally {
      await applyScope(trx, ctx);
    }
  }

  /**
   * 退云 accepted: the system's active resources at the provider end on `deletedDate` (deleted, history 'deleted'),
   * so metering stops that day. A later push that still reports one of them active brings it back (the provider's data
   * wins). Returns how many were deleted.
   */
  async recordExited(trx: Tx, ctx: RequestContext, input: { providerOrgId: string; systemId: string; applicationId: string; deletedDate: string }): Promise<number> {
    await applyScope(trx, systemContext('applications.accept'));
    try {
      const rows = await trx
        .updateTable('inventoryResources')
        .set({ status: 'deleted', deletedDate: input.deletedDate, changedAt: new Date() })
        .where('providerOrgId', '=', input.providerOrgId)
        .where('systemId', '=', input.systemId)
        .where('status', '=', 'active')
        .returning(['id', 'lastBatchId'])
        .execute();
      await repo.insertChanges(
        trx,
        rows.map((r) => ({
          resourceId: r.id,
          changedAt: new Date(),
          action: 'deleted' as const,
          before: { status: 'active' },
          after: { status: 'deleted', deletedDate: input.deletedDate, applicationId: input.applicationId },
          batchId: String(r.lastBatchId),
        })),
      );
      return rows.length;
    } finally {
      await applyScope(trx, ctx);
    }
  }

  async exportXlsx(ctx: RequestContext, filter: ResourceFilter): Promise<Buffer> {
    const rows = await this.read(ctx, (trx) => repo.exportRows(trx, ctx, filter, EXPORT_MAX_ROWS));
    if (rows.length > EXPORT_MAX_ROWS) {
      throw new AppError('validation', 'inventory.export_too_large', `More than ${EXPORT_MAX_ROWS} resources match; narrow the filter`, { max: EXPORT_MAX_ROWS });
    }
    return writeResourcesWorkbook(rows.map((r) => toResource(r, ctx)));
  }
}

interface Acc {
  counts: Record<string, number>;
  total: number;
  quantities: Record<string, Dec>;
  hasCapacity: boolean;
  capTotal: Partial<Record<CapacityResource, Dec>>;
  capAllocated: Partial<Record<CapacityResource, Dec>>;
}
const newAcc = (): Acc => ({ counts: {}, total: 0, quantities: {}, hasCapacity: false, capTotal: {}, capAllocated: {} });

function clean(r: ReportedRecord): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(r)) out[k] = v === undefined || v === null || String(v).trim() === '' ? null : String(v);
  return out;
}

/** Reported fields that are personal data (管理人联系方式): shown in full only to the provider that reported them. */
const PERSONAL_FIELDS = ['managerPhone'];

function maskPersonal(values: Record<string, string | null>, ctx: RequestContext, providerOrgId: string): Record<string, string | null> {
  const { actor } = ctx;
  const own = actor.orgId === providerOrgId || (!actor.scope.all && actor.scope.roots.includes(providerOrgId));
  if (own || !PERSONAL_FIELDS.some((f) => values[f])) return values;
  const out = { ...values };
  for (const f of PERSONAL_FIELDS) if (out[f]) out[f] = maskPhone(out[f]!);
  return out;
}

function toResource(r: repo.ResourceRow, ctx: RequestContext): Resource {
  const flags = [...(r.flags as ResourceFlag[])];
  if (r.stale) flags.push('stale');
  return {
    id: r.id,
    kind: r.kind,
    provider: { id: r.providerOrgId, name: r.providerName },
    node: { id: r.nodeId, name: r.nodeName },
    naturalKey: r.naturalKey,
    systemNo: r.systemNo,
    system: r.systemId ? { id: r.systemId, name: r.systemName } : null,
    unit: r.unitOrgId ? { id: r.unitOrgId, name: r.unitName } : null,
    name: r.name,
    attributes: maskPersonal(r.attributes, ctx, r.providerOrgId),
    quantities: r.quantities,
    createdDate: r.createdDate,
    deletedDate: r.deletedDate,
    status: r.status,
    flags: r.status === 'active' ? flags : [],
    firstSeenAt: iso(r.firstSeenAt),
    lastSeenAt: iso(r.lastSeenAt),
    changedAt: iso(r.changedAt),
  };
}
