/**
 * The metric store's write path: one stored batch of a monitoring table → series (linked to the inventory), raw
 * points (deduplicated, upserted: a re-pushed or late batch corrects them) and the hourly and daily rollups of the
 * buckets the batch touched, recomputed from their raw points (exact p95, bounded work, no rescan of history).
 */
import { sql } from 'kysely';
import type pg from 'pg';
import { systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logger.js';
import { listStoredBatches, readBatchRecords, parseBeijingDateTime, type StoredBatch } from '../ingestion/index.js';
import type { InventoryService, LocatedHost } from '../inventory/index.js';
import {
  METRICS,
  LINK_TABLE,
  SLOT_MS,
  STORE_TABLES,
  beijingDay,
  checkInstant,
  checkValue,
  dedupePoints,
  hourOf,
  linkUsage,
  type Point,
  type Refusal,
  type SeriesKind,
} from './monitoring.metrics.js';

export interface IngestResult {
  batchId: string;
  table: string;
  points: number;
  refused: number;
  unmatchedHosts: string[];
  alreadyProcessed: boolean;
}

/** An information system found by its number (信息系统编号) for egress series. */
export interface LocatedSystem {
  id: string;
  unitOrgId: string | null;
  name: string;
}
export type SystemLookup = (ctx: RequestContext, systemNos: readonly string[]) => Promise<Map<string, LocatedSystem>>;

interface SeriesInput {
  key: string;
  kind: SeriesKind;
  resourceId: string | null;
  systemId: string | null;
  unitOrgId: string | null;
  label: string;
  first: number;
  last: number;
}

const MAX_REFUSALS_STORED = 1000;
const PAGE = 100;

export class MetricStore {
  private readonly partitions = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
    private readonly inventory: InventoryService,
    private readonly logger: Logger,
  ) {}

  private systemLookup: SystemLookup | null = null;

  /** 信息系统 by number (directory): egress series are linked to their system and unit, so a unit sees its own systems' egress. */
  setSystemLookup(lookup: SystemLookup): void {
    this.systemLookup = lookup;
  }

  /** The raw partition of each Beijing day touched, created outside the writing transaction when missing. */
  private async ensurePartitions(instants: Iterable<number>): Promise<void> {
    const days = new Map<string, number>();
    for (const at of instants) days.set(beijingDay(at), at);
    for (const [day, at] of days) {
      if (this.partitions.has(day)) continue;
      await this.pool.query('select zy_monitoring_ensure_partition($1)', [new Date(at).toISOString()]);
      this.partitions.add(day);
    }
  }

  /** Forgets the cached partitions (after the retention dropped some). */
  forgetPartitions(): void {
    this.partitions.clear();
  }

  async rawRetentionDays(trx: Tx): Promise<number> {
    const r = await sql<{ d: number }>`select raw_retention_days as d from monitoring_settings`.execute(trx.withoutPlugins());
    return r.rows[0]?.d ?? 30;
  }

  /**
   * Processes the given stored batches (ids) of the monitored tables, each once (a processed batch is skipped).
   * Only these batches are touched — never "everything pending" — so concurrent writers never see each other's work.
   */
  async ingestBatches(batchIds: readonly string[], now = Date.now()): Promise<IngestResult[]> {
    const out: IngestResult[] = [];
    for (const id of batchIds) {
      const r = await this.ingestBatch(id, now);
      if (r) out.push(r);
    }
    return out;
  }

  /** One batch; null when it is not a stored batch of a monitored table. */
  async ingestBatch(batchId: string, now = Date.now()): Promise<IngestResult | null> {
    return this.ingestOne(batchId, now, true);
  }

  /**
   * The benchmark's baseline: the same batch through the same path without the rollup maintenance (raw points only).
   * Never used by the live ingest: rollups missing here are not rebuilt later.
   */
  async ingestBatchWithoutRollups(batchId: string, now = Date.now()): Promise<IngestResult | null> {
    return this.ingestOne(batchId, now, false);
  }

  private async ingestOne(batchId: string, now: number, rollups: boolean): Promise<IngestResult | null> {
    const ctx = systemContext('job:monitoring.ingest');
    const pre = await withTx(this.db, ctx, async (trx) => {
      const [batch] = await listStoredBatches(trx, { afterId: (BigInt(batchId) - 1n).toString(), tables: STORE_TABLES, limit: 1 });
      if (!batch || batch.id !== batchId) return null;
      const done = await sql<{ points: number; refused: number; table_name: string }>`select points, refused, table_name from monitoring_batches where batch_id = ${batchId}`.execute(trx.withoutPlugins());
      if (done.rows[0]) return { batch, done: done.rows[0] };
      const records = await readBatchRecords(trx, batch);
      if (batch.table === LINK_TABLE) {
        await this.storeLinks(trx, batch, records);
        return { batch, done: { points: 0, refused: 0, table_name: batch.table }, links: true };
      }
      const links = new Map<string, number>();
      if (batch.table === 'appNetworkEgress') {
        const r = await sql<{ network_type: string; mbps: string }>`select network_type, sum(primary_mbps)::text as mbps from monitoring_links where provider_org_id = ${batch.providerOrgId}::uuid group by network_type`.execute(trx.withoutPlugins());
        for (const x of r.rows) links.set(x.network_type, Number(x.mbps));
      }
      return { batch, records, links, retention: await this.rawRetentionDays(trx), done: null };
    });
    if (!pre) return null;
    if (pre.done) return { batchId, table: pre.batch.table, points: pre.done.points, refused: pre.done.refused, unmatchedHosts: [], alreadyProcessed: !('links' in pre) };
    const { batch, records, retention, links } = pre as { batch: StoredBatch; records: Array<Record<string, string | null>>; retention: number; links: Map<string, number> };
    const located = new Map<string, LocatedHost>();
    if (batch.table === 'cloudHostMonitoring') {
      const ids = [...new Set(records.map((r) => r['cloudHostId']).filter((x): x is string => !!x))];
      for (const h of await this.inventory.locateHosts(ctx, { providerOrgId: batch.providerOrgId, cloudHostIds: ids })) located.set(h.cloudHostId, h);
    }
    const systems = new Map<string, LocatedSystem>();
    if (batch.table === 'appNetworkEgress' && this.systemLookup) {
      const nos = [...new Set(records.map((r) => r['systemId']).filter((x): x is string => !!x))];
      if (nos.length > 0) for (const [no, sys] of await this.systemLookup(ctx, nos)) systems.set(no, sys);
    }
    const refusals: Refusal[] = [];
    const series = new Map<string, SeriesInput>();
    const points: Point[] = [];
    const unmatched = new Set<string>();
    const metrics = METRICS.filter((m) => m.table === batch.table);
    records.forEach((r, index) => {
      let key: string | null;
      let kind: SeriesKind;
      let at: number | null;
      let label: string;
      let host: LocatedHost | undefined;
      // What the series is linked to: a host's resource, system and unit, or an egress series' system and unit.
      let link: { resourceId: string | null; systemId: string | null; unitOrgId: string | null } | undefined;
      if (batch.table === 'cloudHostMonitoring') {
        key = r['cloudHostId'] ?? null;
        kind = 'host';
        at = r['monitoredAt'] ? (parseBeijingDateTime(r['monitoredAt'])?.getTime() ?? null) : null;
        host = key ? located.get(key) : undefined;
        link = host;
        label = host?.name ?? key ?? '';
        if (key && !host) unmatched.add(key);
      } else if (batch.table === 'appNetworkEgress') {
        key = r['systemId'] ? `${r['systemId']}/${r['networkType'] ?? ''}` : null;
        kind = 'system';
        at = r['monitoredAt'] ? (parseBeijingDateTime(r['monitoredAt'])?.getTime() ?? null) : null;
        const sys = r['systemId'] ? systems.get(r['systemId']) : undefined;
        if (sys) link = { resourceId: null, systemId: sys.id, unitOrgId: sys.unitOrgId };
        label = sys ? `${sys.name} · ${r['networkType'] ?? ''}` : (key ?? '');
      } else {
        // 环控数据 carry no time of their own: the 5-minute slot the batch arrived in. A generator names no machine
        // room: its series is 发电机/<id>.
        key = batch.table === 'generator'
          ? (r['generatorId'] ? `发电机/${r['generatorId']}` : null)
          : r['machineRoom'] ? `${r['machineRoom']}/${r['location'] ?? ''}` : null;
        kind = 'env';
        at = Math.floor(batch.receivedAt.getTime() / SLOT_MS) * SLOT_MS;
        label = key ?? '';
      }
      if (!key) {
        refusals.push({ index, field: kind === 'host' ? 'cloudHostId' : kind === 'system' ? 'systemId' : batch.table === 'generator' ? 'generatorId' : 'machineRoom', rule: 'required', value: null, message: 'The measured object is not named' });
        return;
      }
      if (at === null) {
        refusals.push({ index, field: 'monitoredAt', rule: 'datetime', value: r['monitoredAt'] ?? null, message: 'The time is missing or not a date-time' });
        return;
      }
      const bad = checkInstant(at, now, retention, index, kind === 'env' ? 'receivedAt' : 'monitoredAt', r['monitoredAt'] ?? null);
      if (bad) {
        refusals.push(bad);
        return;
      }
      const s = series.get(key);
      if (s) {
        s.first = Math.min(s.first, at);
        s.last = Math.max(s.last, at);
      } else {
        series.set(key, { key, kind, resourceId: link?.resourceId ?? null, systemId: link?.systemId ?? null, unitOrgId: link?.unitOrgId ?? null, label: label.slice(0, 300), first: at, last: at });
      }
      for (const m of metrics) {
        if (m.name === 'egress_usage') {
          const up = Number(r['bandwidthUpPeak']);
          const down = Number(r['bandwidthDownPeak']);
          const u = Number.isFinite(up) && Number.isFinite(down) ? linkUsage(up, down, links.get(r['networkType'] ?? '')) : null;
          if (u !== null) points.push({ seriesKey: key, metric: m.code, at, value: Math.round(u * 10000) / 10000 });
          continue;
        }
        const text = r[m.field];
        if (text === null || text === undefined || text === '') continue; // a gap is a gap
        const raw = m.derive ? m.derive(r) : text;
        if (raw === null) {
          refusals.push({ index, field: m.field, rule: 'known_status', value: text, message: `${m.cn}: the status text is not one the platform knows` });
          continue;
        }
        const err = checkValue(m, raw, index);
        if (err) refusals.push(err);
        else points.push({ seriesKey: key, metric: m.code, at, value: Number(raw) });
      }
    });
    const unique = dedupePoints(points);
    await this.ensurePartitions(unique.map((p) => p.at));
    const stored = await withTx(this.db, ctx, async (trx) => {
      // Two runners of the same batch: the second waits, then finds it processed.
      await sql`select pg_advisory_xact_lock(hashtext('monitoring.ingest'), ${Number(BigInt(batchId) % 2147483647n)}::int)`.execute(trx.withoutPlugins());
      const again = await sql<{ n: number }>`select 1 as n from monitoring_batches where batch_id = ${batchId}`.execute(trx.withoutPlugins());
      if (again.rows.length > 0) return null;
      const ids = await this.upsertSeries(trx, batch, [...series.values()]);
      const n = await this.writePoints(trx, batchId, unique, ids, rollups);
      await sql`insert into monitoring_batches (batch_id, table_name, provider_org_id, points, refused, refusals)
                values (${batchId}, ${batch.table}, ${batch.providerOrgId}, ${n}, ${refusals.length}, ${JSON.stringify([...refusals.slice(0, MAX_REFUSALS_STORED), ...[...unmatched].slice(0, 100).map((h) => ({ index: -1, field: 'cloudHostId', rule: 'known_host', value: h, message: 'No active cloud host of this provider in the inventory: points kept, linked when the host appears' }))])}::jsonb)`.execute(trx.withoutPlugins());
      return n;
    });
    if (stored === null) return { batchId, table: batch.table, points: 0, refused: 0, unmatchedHosts: [], alreadyProcessed: true };
    return { batchId, table: batch.table, points: stored, refused: refusals.length, unmatchedHosts: [...unmatched], alreadyProcessed: false };
  }

  /** 云平台网络接入 IP 数据 (a daily full list): replaces the provider's links; a record without bandwidth is skipped. */
  private async storeLinks(trx: Tx, batch: StoredBatch, records: Array<Record<string, string | null>>): Promise<void> {
    const rows = new Map<string, { type: string; room: string; carrier: string; primary: number; backup: number | null }>();
    for (const r of records) {
      const primary = Number(r['primaryLinkBandwidth']);
      if (!r['networkType'] || !Number.isFinite(primary) || primary < 0) continue;
      const backup = r['backupLinkBandwidth'] ? Number(r['backupLinkBandwidth']) : null;
      const k = `${r['networkType']}|${r['machineRoom'] ?? ''}|${r['carrier'] ?? ''}`;
      const cur = rows.get(k);
      // Several address ranges of one room × carrier share the link: its bandwidth once (the largest figure).
      if (!cur || primary > cur.primary) rows.set(k, { type: r['networkType'], room: r['machineRoom'] ?? '', carrier: r['carrier'] ?? '', primary, backup: backup !== null && Number.isFinite(backup) && backup >= 0 ? backup : null });
    }
    await sql`delete from monitoring_links where provider_org_id = ${batch.providerOrgId}::uuid`.execute(trx.withoutPlugins());
    const list = [...rows.values()];
    if (list.length > 0) {
      await sql`insert into monitoring_links (provider_org_id, network_type, machine_room, carrier, primary_mbps, backup_mbps, batch_id, reported_at)
        select ${batch.providerOrgId}::uuid, t, r, c, p, b, ${batch.id}::bigint, ${batch.receivedAt}
        from unnest(${list.map((x) => x.type)}::text[], ${list.map((x) => x.room)}::text[], ${list.map((x) => x.carrier)}::text[], ${list.map((x) => String(x.primary))}::numeric[], ${list.map((x) => (x.backup === null ? null : String(x.backup)))}::numeric[]) as x(t, r, c, p, b)`.execute(trx.withoutPlugins());
    }
    await sql`insert into monitoring_batches (batch_id, table_name, provider_org_id, points, refused) values (${batch.id}, ${batch.table}, ${batch.providerOrgId}, 0, 0) on conflict (batch_id) do nothing`.execute(trx.withoutPlugins());
  }

  private async upsertSeries(trx: Tx, batch: StoredBatch, list: SeriesInput[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    if (list.length === 0) return ids;
    const rows = await sql<{ id: string; object_key: string }>`
      insert into monitoring_series (kind, object_key, provider_org_id, node_id, resource_id, system_id, unit_org_id, label, first_at, last_at)
      select k, key, ${batch.providerOrgId}::uuid, ${batch.nodeId}::uuid, res, sys, unit, label, f, l
      from unnest(${list.map((s) => s.kind)}::text[], ${list.map((s) => s.key)}::text[], ${list.map((s) => s.resourceId)}::uuid[],
                  ${list.map((s) => s.systemId)}::uuid[], ${list.map((s) => s.unitOrgId)}::uuid[], ${list.map((s) => s.label)}::text[],
                  ${list.map((s) => new Date(s.first).toISOString())}::timestamptz[], ${list.map((s) => new Date(s.last).toISOString())}::timestamptz[])
           as x(k, key, res, sys, unit, label, f, l)
      on conflict (provider_org_id, kind, object_key) do update set
        node_id = excluded.node_id,
        resource_id = coalesce(excluded.resource_id, monitoring_series.resource_id),
        system_id = case when excluded.resource_id is not null or excluded.system_id is not null then excluded.system_id else monitoring_series.system_id end,
        unit_org_id = case when excluded.resource_id is not null or excluded.system_id is not null then excluded.unit_org_id else monitoring_series.unit_org_id end,
        label = excluded.label,
        first_at = least(monitoring_series.first_at, excluded.first_at),
        last_at = greatest(monitoring_series.last_at, excluded.last_at),
        updated_at = now()
      returning id::text, object_key`.execute(trx.withoutPlugins());
    for (const r of rows.rows) ids.set(r.object_key, r.id);
    return ids;
  }

  /** Upserts the points and marks their (series, hour) buckets dirty (recomputed by flushRollups, outside this transaction). */
  private async writePoints(trx: Tx, batchId: string, points: Point[], ids: Map<string, string>, rollups: boolean): Promise<number> {
    if (points.length === 0) return 0;
    const s: string[] = [];
    const m: number[] = [];
    const at: string[] = [];
    const v: number[] = [];
    for (const p of points) {
      s.push(ids.get(p.seriesKey)!);
      m.push(p.metric);
      at.push(new Date(p.at).toISOString());
      v.push(p.value);
    }
    await sql`
      insert into monitoring_points (series_id, metric, at, value, batch_id)
      select s, m, a, v, ${batchId}::bigint from unnest(${s}::bigint[], ${m}::smallint[], ${at}::timestamptz[], ${v}::float8[]) as x(s, m, a, v)
      on conflict (series_id, metric, at) do update set value = excluded.value, batch_id = excluded.batch_id`.execute(trx.withoutPlugins());
    if (rollups) await markDirty(trx, s, points.map((p) => p.at));
    return points.length;
  }

  /**
   * The sweep (job monitoring.sweep): batches of the monitored tables after the sweep cursor that no wake-up
   * processed (a lost job, a restart), each processed on its own; a batch that fails is logged and skipped.
   */
  async sweep(now = Date.now()): Promise<{ batches: number; failed: number }> {
    const ctx = systemContext('job:monitoring.sweep');
    let batches = 0;
    let failed = 0;
    for (;;) {
      const page = await withTx(this.db, ctx, async (trx) => {
        const cur = await sql<{ c: string }>`select sweep_cursor::text as c from monitoring_settings`.execute(trx.withoutPlugins());
        return listStoredBatches(trx, { afterId: cur.rows[0]?.c ?? '0', tables: STORE_TABLES, limit: PAGE });
      });
      for (const b of page) {
        try {
          const r = await this.ingestBatch(b.id, now);
          if (r && !r.alreadyProcessed) batches++;
        } catch (e) {
          failed++;
          this.logger.warn({ err: e, batchId: b.id }, 'monitoring: batch could not be processed');
        }
      }
      if (page.length > 0) {
        const last = page[page.length - 1]!.id;
        await withTx(this.db, ctx, (trx) => sql`update monitoring_settings set sweep_cursor = greatest(sweep_cursor, ${last}::bigint)`.execute(trx.withoutPlugins()));
      }
      if (page.length < PAGE) break;
    }
    return { batches, failed };
  }

  /** Recomputes the dirty buckets' hourly and daily rollups (all, or the given series'); see flushRollups. */
  flushRollups(opts: { seriesIds?: readonly string[]; now?: number } = {}): Promise<{ buckets: number; chunks: number }> {
    return flushRollups(this.db, opts);
  }

  /** Refreshes the TopN window summaries of the standard periods; see refreshWindows. */
  refreshWindows(now = Date.now()) {
    return refreshWindows(this.db, now);
  }

  /** Dirty buckets waiting for flushRollups (and the oldest one's hour), for the answers' freshness. */
  async pendingBuckets(trx: Tx, seriesIds?: readonly string[]): Promise<{ buckets: number; oldestHour: string | null }> {
    const r = await sql<{ n: string; h: Date | null }>`select count(*) as n, min(hour) as h from monitoring_dirty ${seriesIds ? sql`where series_id = any(${seriesIds}::bigint[])` : sql``}`.execute(trx.withoutPlugins());
    return { buckets: Number(r.rows[0]?.n ?? 0), oldestHour: r.rows[0]?.h ? new Date(r.rows[0].h).toISOString() : null };
  }

  /** Retention: drops raw partitions older than the raw retention, deletes hourly and daily rows past theirs. */
  async applyRetention(): Promise<{ partitions: string[]; hourly: number; daily: number }> {
    return withTx(this.db, systemContext('job:monitoring.retention'), async (trx) => {
      const s = (await sql<{ r: number; h: number; d: number }>`select raw_retention_days as r, hourly_retention_days as h, daily_retention_days as d from monitoring_settings`.execute(trx.withoutPlugins())).rows[0]!;
      const parts = await sql<{ p: string }>`select zy_monitoring_drop_partitions(now() - make_interval(days => ${s.r}::int) - interval '1 day') as p`.execute(trx.withoutPlugins());
      const h = await sql`delete from monitoring_hourly where hour < now() - make_interval(days => ${s.h}::int)`.execute(trx.withoutPlugins());
      const d = await sql`delete from monitoring_daily where day < (now() at time zone 'Asia/Shanghai')::date - ${s.d}::int`.execute(trx.withoutPlugins());
      this.forgetPartitions();
      return { partitions: parts.rows.map((r) => r.p), hourly: Number(h.numAffectedRows ?? 0), daily: Number(d.numAffectedRows ?? 0) };
    });
  }
}

/** Metric codes per series kind (the metrics a dirty (series, hour) bucket is recomputed for). */
const KIND_CODES: Record<SeriesKind, number[]> = { host: [], system: [], env: [] };
for (const m of METRICS) KIND_CODES[m.kind].push(m.code);
const ALL_CODES = METRICS.map((m) => m.code);

/**
 * In the ingest transaction: the (series, hour) buckets of the batch's points are marked dirty — one small insert,
 * ON CONFLICT DO NOTHING (a bucket already waiting stays marked once). The rollups are recomputed by flushRollups.
 */
export async function markDirty(trx: Tx, seriesIds: readonly string[], instants: readonly number[]): Promise<void> {
  const keys = new Map<string, { s: string; h: number }>();
  for (let i = 0; i < seriesIds.length; i++) {
    const h = hourOf(instants[i]!);
    keys.set(`${seriesIds[i]}|${h}`, { s: seriesIds[i]!, h });
  }
  if (keys.size === 0) return;
  const ks = [...keys.values()];
  await sql`
    insert into monitoring_dirty (series_id, hour)
    select * from unnest(${ks.map((k) => k.s)}::bigint[], ${ks.map((k) => new Date(k.h).toISOString())}::timestamptz[])
    on conflict do nothing`.execute(trx.withoutPlugins());
}

/** Dirty buckets taken per transaction by flushRollups (× up to 11 metrics each). */
export const FLUSH_CHUNK = 2000;

/**
 * Recomputes the rollups of dirty buckets (all, or those of the given series), outside any ingest transaction, in
 * chunks of FLUSH_CHUNK buckets, each chunk in one transaction under one advisory lock (two flushes never merge into
 * the same daily row at once): the chunk's dirty rows are deleted (a crash rolls the deletion back: still dirty),
 * every metric of the series kind is aggregated from the bucket's raw points (count/min/avg/max, exact p95) and
 * upserted into monitoring_hourly; the change of each touched hour is merged into its daily row (count and sum by
 * difference, min/max/p95 by least/greatest); a day where a correction lowered an hour's max or p95 or raised its min
 * (or a day row missing while the day had hours) is recomputed from its hourly rows. The series whose closed hours
 * changed are marked for the TopN window summaries. A point arriving during a flush marks its bucket again
 * (its insert waits for the deleting transaction), so nothing is lost. History is never rescanned.
 */
export async function flushRollups(db: Db, opts: { seriesIds?: readonly string[]; now?: number } = {}): Promise<{ buckets: number; chunks: number }> {
  let buckets = 0;
  let chunks = 0;
  for (;;) {
    const n = await withTx(db, systemContext('job:monitoring.rollup'), async (trx) => {
      const x = trx.withoutPlugins();
      await sql`select pg_advisory_xact_lock(hashtext('monitoring.rollup'), 0)`.execute(x);
      // Index lookups per bucket: JIT compilation would cost more than the statement.
      await sql`set local jit = off`.execute(x);
      const taken = (await sql<{ s: string; h: Date }>`
        delete from monitoring_dirty where (series_id, hour) in (
          select series_id, hour from monitoring_dirty
          ${opts.seriesIds ? sql`where series_id = any(${opts.seriesIds}::bigint[])` : sql``}
          order by hour limit ${FLUSH_CHUNK} for update skip locked)
        returning series_id::text as s, hour as h`.execute(x)).rows;
      if (taken.length === 0) return 0;
      const s = taken.map((r) => r.s);
      const h = taken.map((r) => new Date(r.h).toISOString());
      const closedHour = new Date(hourOf(opts.now ?? Date.now())).toISOString();
      const recompute = (await sql<{ s: string; m: number; d: string }>`
        with k as (
          select k.s, k.h, m.m
          from unnest(${s}::bigint[], ${h}::timestamptz[]) k(s, h)
          join monitoring_series se on se.id = k.s
          cross join lateral unnest(case se.kind when 'host' then ${KIND_CODES.host}::smallint[] when 'system' then ${KIND_CODES.system}::smallint[] else ${KIND_CODES.env}::smallint[] end) m(m)
        ), nw as (
          -- LATERAL: one index range scan per bucket and metric (points) and one primary-key lookup (the old hourly row).
          select k.s, k.m, k.h, x.n, x.mi, x.a, x.ma, x.p, o.n as o_n, o.min as o_min, o.avg as o_avg, o.max as o_max, o.p95 as o_p95
          from k cross join lateral (
            select count(*)::int as n, min(p.value) as mi, avg(p.value) as a, max(p.value) as ma, percentile_cont(0.95) within group (order by p.value) as p
            from monitoring_points p where p.series_id = k.s and p.metric = k.m and p.at >= k.h and p.at < k.h + interval '1 hour'
          ) x
          left join lateral (select o.n, o.min, o.avg, o.max, o.p95 from monitoring_hourly o where o.series_id = k.s and o.metric = k.m and o.hour = k.h) o on true
        ), up as (
          insert into monitoring_hourly (series_id, metric, hour, n, min, avg, max, p95, slots)
          select s, m, h, n, mi, a, ma, p, null from nw where n > 0
          on conflict (series_id, metric, hour) do update set n = excluded.n, min = excluded.min, avg = excluded.avg, max = excluded.max, p95 = excluded.p95, slots = null
        ), wd as (
          insert into monitoring_window_dirty (series_id)
          select distinct s from k where h < ${closedHour}::timestamptz
          on conflict do nothing
        ), dd as (
          select nw.s, nw.m, (nw.h at time zone 'Asia/Shanghai')::date as d,
                 sum(case when nw.n > 0 then nw.n - coalesce(nw.o_n, 0) else 0 end) as dn,
                 sum(case when nw.n > 0 then nw.a * nw.n - coalesce(nw.o_avg * nw.o_n, 0) else 0 end) as ds,
                 min(nw.mi) as mi, max(nw.ma) as ma, max(nw.p) as p,
                 bool_or(nw.o_n is not null and nw.n > 0 and (nw.mi > nw.o_min or nw.ma < nw.o_max or nw.p < nw.o_p95)) as rc,
                 bool_or(nw.o_n is not null) as had
          from nw
          group by 1, 2, 3
        ), dj as (
          select dd.*, od.n as o_n, od.min as o_min, od.avg as o_avg, od.max as o_max, od.p95 as o_p95
          from dd left join lateral (select od.n, od.min, od.avg, od.max, od.p95 from monitoring_daily od where od.series_id = dd.s and od.metric = dd.m and od.day = dd.d) od on true
        ), dup as (
          insert into monitoring_daily (series_id, metric, day, n, min, avg, max, p95)
          select s, m, d, coalesce(o_n, 0) + dn, least(o_min, mi), (coalesce(o_avg * o_n, 0) + ds) / (coalesce(o_n, 0) + dn), greatest(o_max, ma), greatest(o_p95, p)
          from dj where not rc and not (had and o_n is null) and coalesce(o_n, 0) + dn > 0
          on conflict (series_id, metric, day) do update set n = excluded.n, min = excluded.min, avg = excluded.avg, max = excluded.max, p95 = excluded.p95
        )
        select s::text as s, m, d::text as d from dj where rc or (had and o_n is null)`.execute(x)).rows;
      if (recompute.length > 0) {
        // Daily p95 = the highest hourly p95 of the day (an upper bound of the day's p95).
        await sql`
          insert into monitoring_daily (series_id, metric, day, n, min, avg, max, p95)
          select k.s, k.m, k.d, x.n, x.mi, x.a, x.ma, x.p
          from unnest(${recompute.map((k) => k.s)}::bigint[], ${recompute.map((k) => k.m)}::smallint[], ${recompute.map((k) => k.d)}::date[]) as k(s, m, d)
          cross join lateral (
            select sum(h.n)::int as n, min(h.min) as mi, sum(h.avg * h.n) / sum(h.n) as a, max(h.max) as ma, max(h.p95) as p
            from monitoring_hourly h where h.series_id = k.s and h.metric = k.m
              and h.hour >= (k.d::timestamp at time zone 'Asia/Shanghai') and h.hour < ((k.d + 1)::timestamp at time zone 'Asia/Shanghai')
          ) x
          where x.n > 0
          on conflict (series_id, metric, day) do update set n = excluded.n, min = excluded.min, avg = excluded.avg, max = excluded.max, p95 = excluded.p95`.execute(x);
      }
      return taken.length;
    });
    if (n === 0) break;
    buckets += n;
    chunks++;
    if (n < FLUSH_CHUNK) break;
  }
  return { buckets, chunks };
}

/** The standard TopN periods with a window summary, and their length. */
export const WINDOW_PERIODS = { '24h': 24 * 3_600_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type WindowPeriod = keyof typeof WINDOW_PERIODS;
const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;

/**
 * The rollup rows of [from, to) for TopN (series_id, s = avg × n, n, p95, max): for 7 d and 30 d (daily = true) the
 * daily rollups of the whole Beijing days inside the window and the hourly rollups of the edge hours, else the hourly
 * rollups only. The same figures either way (sample-weighted average, highest hourly p95, max).
 */
export function windowParts(q: { codes: readonly number[]; from: Date; to: Date; daily: boolean; seriesIds?: readonly string[] | null }) {
  const dayFrom = Math.ceil((q.from.getTime() + BEIJING_MS) / DAY_MS) * DAY_MS - BEIJING_MS;
  const dayTo = Math.floor((q.to.getTime() + BEIJING_MS) / DAY_MS) * DAY_MS - BEIJING_MS;
  const daily = q.daily && dayTo > dayFrom;
  const hs = q.seriesIds ? sql`and h.series_id = any(${q.seriesIds}::bigint[])` : sql``;
  const ds = q.seriesIds ? sql`and d.series_id = any(${q.seriesIds}::bigint[])` : sql``;
  const dayOf = (ms: number) => new Date(ms + BEIJING_MS).toISOString().slice(0, 10);
  const sqlParts = daily
    ? sql`
        select h.series_id, h.metric, h.avg * h.n as s, h.n, h.p95, h.max from monitoring_hourly h
        where h.metric = any(${q.codes}::smallint[]) and ((h.hour >= ${q.from} and h.hour < ${new Date(dayFrom)}) or (h.hour >= ${new Date(dayTo)} and h.hour < ${q.to})) ${hs}
        union all
        select d.series_id, d.metric, d.avg * d.n, d.n, d.p95, d.max from monitoring_daily d
        where d.metric = any(${q.codes}::smallint[]) and d.day >= ${dayOf(dayFrom)}::date and d.day < ${dayOf(dayTo)}::date ${ds}`
    : sql`select h.series_id, h.metric, h.avg * h.n as s, h.n, h.p95, h.max from monitoring_hourly h where h.metric = any(${q.codes}::smallint[]) and h.hour >= ${q.from} and h.hour < ${q.to} ${hs}`;
  return { sql: sqlParts, source: daily ? ('daily+hourly' as const) : ('hourly' as const) };
}

/**
 * Refreshes the TopN window summaries (job monitoring.rollup, after flushRollups), one transaction: per standard
 * period the closed part [closedTo - period, closedTo) (closedTo = the start of the current hour) is recomputed for
 * every series when the hour changed since the last refresh, else only for the series whose closed hours were
 * recomputed since (monitoring_window_dirty); then the open hour's hourly rollups are merged into every row. as_of =
 * `now`: the summary equals the on-the-fly TopN over [closedTo - period, now) of the rollups as they were then.
 */
export async function refreshWindows(db: Db, now = Date.now()): Promise<{ periods: Array<{ period: WindowPeriod; full: boolean; series: number }>; ms: number }> {
  const t0 = performance.now();
  const closedTo = hourOf(now);
  return withTx(db, systemContext('job:monitoring.rollup'), async (trx) => {
    const x = trx.withoutPlugins();
    await sql`select pg_advisory_xact_lock(hashtext('monitoring.window'), 0)`.execute(x);
    await sql`set local jit = off`.execute(x);
    const dirty = (await sql<{ s: string }>`delete from monitoring_window_dirty returning series_id::text as s`.execute(x)).rows.map((r) => r.s);
    const state = new Map((await sql<{ period: string; closed_to: Date }>`select period, closed_to from monitoring_window_state`.execute(x)).rows.map((r) => [r.period, new Date(r.closed_to).getTime()]));
    const out: Array<{ period: WindowPeriod; full: boolean; series: number }> = [];
    for (const [period, len] of Object.entries(WINDOW_PERIODS) as Array<[WindowPeriod, number]>) {
      const full = state.get(period) !== closedTo;
      if (full || dirty.length > 0) {
        const ids = full ? null : dirty;
        await sql`delete from monitoring_window where period = ${period} ${ids ? sql`and series_id = any(${ids}::bigint[])` : sql``}`.execute(x);
        const parts = windowParts({ codes: ALL_CODES, from: new Date(closedTo - len), to: new Date(closedTo), daily: period !== '24h', seriesIds: ids });
        await sql`
          insert into monitoring_window (period, metric, series_id, c_n, c_s, c_max, c_p95, n, s, max, p95, avg_r, p95_r)
          select ${period}, y.metric, y.series_id, y.n, y.s, y.max, y.p95, y.n, y.s, y.max, y.p95, round((y.s / y.n)::numeric, 8), round(y.p95::numeric, 8)
          from (select p.series_id, p.metric, sum(p.n) as n, sum(p.s) as s, max(p.max) as max, max(p.p95) as p95 from (${parts.sql}) p group by 1, 2) y`.execute(x);
      }
      // The open hour, for every series (the row of a series with only an open hour is created here).
      if (closedTo < now) await sql`
        insert into monitoring_window as w (period, metric, series_id, c_n, c_s, c_max, c_p95, n, s, max, p95, avg_r, p95_r)
        select ${period}, h.metric, h.series_id, 0, 0, null, null, h.n, h.avg * h.n, h.max, h.p95, round(h.avg::numeric, 8), round(h.p95::numeric, 8)
        from monitoring_hourly h where h.metric = any(${ALL_CODES}::smallint[]) and h.hour = ${new Date(closedTo)}
        on conflict (period, metric, series_id) do update set n = w.c_n + excluded.n, s = w.c_s + excluded.s,
          max = greatest(w.c_max, excluded.max), p95 = greatest(w.c_p95, excluded.p95),
          avg_r = round(((w.c_s + excluded.s) / (w.c_n + excluded.n))::numeric, 8), p95_r = round(greatest(w.c_p95, excluded.p95)::numeric, 8)`.execute(x);
      await sql`
        insert into monitoring_window_state (period, closed_to, as_of) values (${period}, ${new Date(closedTo)}, ${new Date(now)})
        on conflict (period) do update set closed_to = excluded.closed_to, as_of = excluded.as_of`.execute(x);
      out.push({ period, full, series: full ? -1 : dirty.length });
    }
    return { periods: out, ms: performance.now() - t0 };
  });
}
