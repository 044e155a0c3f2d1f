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
  percentile,
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
      const n = await this.writePoints(trx, batchId, batch.providerOrgId, unique, ids, rollups);
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

  /** Upserts the points, then recomputes every touched hourly and daily bucket from its raw points. */
  private async writePoints(trx: Tx, batchId: string, providerOrgId: string, points: Point[], ids: Map<string, string>, rollups: boolean): Promise<number> {
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
    if (rollups) await rollupBuckets(trx, providerOrgId, points.map((p, i) => ({ seriesId: s[i]!, metric: p.metric, at: p.at, value: p.value })));
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

interface Bucket {
  n: number;
  min: number;
  avg: number;
  max: number;
  p95: number;
}
interface HourlyRow extends Bucket {
  slots: Array<number | null> | null;
}
const SLOTS = 12;
const stats = (slots: ReadonlyArray<number | null>): Bucket | null => {
  const vs = slots.filter((x): x is number => x !== null);
  if (vs.length === 0) return null;
  let sum = 0;
  let mi = Infinity;
  let ma = -Infinity;
  for (const x of vs) {
    sum += x;
    if (x < mi) mi = x;
    if (x > ma) ma = x;
  }
  return { n: vs.length, min: mi, avg: sum / vs.length, max: ma, p95: percentile(vs, 0.95)! };
};
const pgArray = (xs: ReadonlyArray<number | null>) => `{${xs.map((x) => (x === null ? 'NULL' : String(x))).join(',')}}`;

/**
 * Rollup maintenance of one batch's points, set-based and without reading raw points back: each hourly bucket keeps
 * its twelve 5-minute values (slots), the batch's points overwrite theirs (a late or re-pushed point corrects its
 * slot) and count/min/avg/max/p95 are recomputed from the twelve (exact p95). Each touched daily bucket is merged
 * with the change of its touched hours (count and sum by difference, min/max/p95 by least/greatest), and recomputed
 * from the day's hourly rows only when a correction lowered an hour's max or p95 or raised its min. A bucket with a
 * point off the 5-minute grid (or an old bucket without slots) is recomputed from its raw points, as before.
 * Four statements per batch (old hourly rows, old daily rows, hourly upsert, daily upsert), serialized per provider
 * (a series belongs to one provider) so two batches never merge into the same bucket at once.
 */
export async function rollupBuckets(trx: Tx, providerOrgId: string, points: ReadonlyArray<{ seriesId: string; metric: number; at: number; value: number }>): Promise<void> {
  if (points.length === 0) return;
  const db = trx.withoutPlugins();
  await sql`select pg_advisory_xact_lock(hashtext('monitoring.rollup'), hashtext(${providerOrgId}))`.execute(db);
  const hours = new Map<string, { s: string; m: number; h: number; slots: Array<number | null>; offGrid: boolean }>();
  for (const p of points) {
    const h = hourOf(p.at);
    const k = `${p.seriesId}|${p.metric}|${h}`;
    let b = hours.get(k);
    if (!b) hours.set(k, (b = { s: p.seriesId, m: p.metric, h, slots: new Array<number | null>(SLOTS).fill(null), offGrid: false }));
    if (p.at % SLOT_MS !== 0) b.offGrid = true;
    else b.slots[(p.at - h) / SLOT_MS] = p.value;
  }
  const hk = [...hours.values()];
  const dayKey = (b: { s: string; m: number; h: number }) => `${b.s}|${b.m}|${beijingDay(b.h)}`;
  const dayKeys = new Map<string, { s: string; m: number; d: string }>();
  for (const b of hk) dayKeys.set(dayKey(b), { s: b.s, m: b.m, d: beijingDay(b.h) });
  const dk = [...dayKeys.values()];
  const oldH = new Map<string, HourlyRow>();
  // = any on each key column (the primary key's index; a join with unnest is planned as a scan): a superset of the
  // touched buckets, the map lookups below pick the touched ones.
  const uniq = <T>(xs: T[]) => [...new Set(xs)];
  for (const r of (await sql<{ k: string; n: number; min: number; avg: number; max: number; p95: number; slots: Array<number | null> | null }>`
      select h.series_id || '|' || h.metric || '|' || (extract(epoch from h.hour) * 1000)::bigint as k, h.n, h.min, h.avg, h.max, h.p95, h.slots
      from monitoring_hourly h
      where h.series_id = any(${uniq(hk.map((b) => b.s))}::bigint[]) and h.metric = any(${uniq(hk.map((b) => b.m))}::smallint[])
        and h.hour = any(${uniq(hk.map((b) => new Date(b.h).toISOString()))}::timestamptz[])`.execute(db)).rows) oldH.set(r.k, r);
  const oldD = new Map<string, Bucket>();
  for (const r of (await sql<{ k: string } & Bucket>`
      select d.series_id || '|' || d.metric || '|' || to_char(d.day, 'YYYY-MM-DD') as k, d.n, d.min, d.avg, d.max, d.p95
      from monitoring_daily d
      where d.series_id = any(${uniq(dk.map((b) => b.s))}::bigint[]) and d.metric = any(${uniq(dk.map((b) => b.m))}::smallint[]) and d.day = any(${uniq(dk.map((b) => b.d))}::date[])`.execute(db)).rows) oldD.set(r.k, r);
  // Hourly: merged from slots, or recomputed from raw points (off-grid, or an old bucket without slots).
  const merged: Array<{ b: (typeof hk)[number]; row: HourlyRow }> = [];
  const fromRaw: typeof hk = [];
  for (const b of hk) {
    const old = oldH.get(`${b.s}|${b.m}|${b.h}`);
    if (b.offGrid || (old && old.slots === null)) {
      fromRaw.push(b);
      continue;
    }
    const slots = old?.slots ? b.slots.map((x, i) => (x === null ? (old.slots![i] ?? null) : x)) : b.slots;
    merged.push({ b, row: { ...stats(slots)!, slots } });
  }
  const newH = new Map<string, Bucket>();
  if (merged.length > 0) {
    await sql`
      insert into monitoring_hourly (series_id, metric, hour, n, min, avg, max, p95, slots)
      select s, m, h, n, mi, a, ma, p, sl::float8[]
      from unnest(${merged.map((x) => x.b.s)}::bigint[], ${merged.map((x) => x.b.m)}::smallint[], ${merged.map((x) => new Date(x.b.h).toISOString())}::timestamptz[],
                  ${merged.map((x) => x.row.n)}::int[], ${merged.map((x) => x.row.min)}::float8[], ${merged.map((x) => x.row.avg)}::float8[],
                  ${merged.map((x) => x.row.max)}::float8[], ${merged.map((x) => x.row.p95)}::float8[], ${merged.map((x) => pgArray(x.row.slots!))}::text[]) as x(s, m, h, n, mi, a, ma, p, sl)
      on conflict (series_id, metric, hour) do update set n = excluded.n, min = excluded.min, avg = excluded.avg, max = excluded.max, p95 = excluded.p95, slots = excluded.slots`.execute(db);
    for (const x of merged) newH.set(`${x.b.s}|${x.b.m}|${x.b.h}`, x.row);
  }
  if (fromRaw.length > 0) {
    // LATERAL: one index range scan per bucket (a plain join is estimated into a hash join over every point).
    const rows = await sql<{ k: string } & Bucket>`
      insert into monitoring_hourly (series_id, metric, hour, n, min, avg, max, p95, slots)
      select k.s, k.m, k.h, x.n, x.mi, x.a, x.ma, x.p, null
      from unnest(${fromRaw.map((b) => b.s)}::bigint[], ${fromRaw.map((b) => b.m)}::smallint[], ${fromRaw.map((b) => new Date(b.h).toISOString())}::timestamptz[]) as k(s, m, h)
      cross join lateral (
        select count(*)::int as n, min(p.value) as mi, avg(p.value) as a, max(p.value) as ma, percentile_cont(0.95) within group (order by p.value) as p
        from monitoring_points p where p.series_id = k.s and p.metric = k.m and p.at >= k.h and p.at < k.h + interval '1 hour'
      ) x
      where x.n > 0
      on conflict (series_id, metric, hour) do update set n = excluded.n, min = excluded.min, avg = excluded.avg, max = excluded.max, p95 = excluded.p95, slots = null
      returning series_id || '|' || metric || '|' || (extract(epoch from hour) * 1000)::bigint as k, n, min, avg, max, p95`.execute(db);
    for (const r of rows.rows) newH.set(r.k, r);
  }

  // Daily: the old day row plus the change of its touched hours; recomputed from the hourly rows after a correction
  // that can lower a day's extreme (or when the day row is missing while the day had hours before).
  const days = new Map<string, { d: (typeof dk)[number]; dn: number; dsum: number; min: number; max: number; p95: number; recompute: boolean }>();
  for (const b of hk) {
    const k = `${b.s}|${b.m}|${b.h}`;
    const o = oldH.get(k);
    const nw = newH.get(k);
    const dkey = dayKey(b);
    let d = days.get(dkey);
    if (!d) days.set(dkey, (d = { d: dayKeys.get(dkey)!, dn: 0, dsum: 0, min: Infinity, max: -Infinity, p95: -Infinity, recompute: false }));
    if (!nw) {
      if (o) d.recompute = true;
      continue;
    }
    d.dn += nw.n - (o?.n ?? 0);
    d.dsum += nw.avg * nw.n - (o ? o.avg * o.n : 0);
    d.min = Math.min(d.min, nw.min);
    d.max = Math.max(d.max, nw.max);
    d.p95 = Math.max(d.p95, nw.p95);
    if (o && (nw.min > o.min || nw.max < o.max || nw.p95 < o.p95)) d.recompute = true;
    if (o && !oldD.has(dkey)) d.recompute = true;
  }
  const put: Array<{ d: (typeof dk)[number] } & Bucket> = [];
  const recompute: typeof dk = [];
  for (const [k, d] of days) {
    if (d.recompute) {
      recompute.push(d.d);
      continue;
    }
    const o = oldD.get(k);
    if (!o) {
      if (d.dn > 0) put.push({ d: d.d, n: d.dn, min: d.min, avg: d.dsum / d.dn, max: d.max, p95: d.p95 });
      continue;
    }
    const n = o.n + d.dn;
    put.push({ d: d.d, n, min: Math.min(o.min, d.min), avg: (o.avg * o.n + d.dsum) / n, max: Math.max(o.max, d.max), p95: Math.max(o.p95, d.p95) });
  }
  if (put.length > 0) {
    await sql`
      insert into monitoring_daily (series_id, metric, day, n, min, avg, max, p95)
      select * from unnest(${put.map((x) => x.d.s)}::bigint[], ${put.map((x) => x.d.m)}::smallint[], ${put.map((x) => x.d.d)}::date[], ${put.map((x) => x.n)}::int[],
                           ${put.map((x) => x.min)}::float8[], ${put.map((x) => x.avg)}::float8[], ${put.map((x) => x.max)}::float8[], ${put.map((x) => x.p95)}::float8[])
      on conflict (series_id, metric, day) do update set n = excluded.n, min = excluded.min, avg = excluded.avg, max = excluded.max, p95 = excluded.p95`.execute(db);
  }
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
      on conflict (series_id, metric, day) do update set n = excluded.n, min = excluded.min, avg = excluded.avg, max = excluded.max, p95 = excluded.p95`.execute(db);
  }
}
