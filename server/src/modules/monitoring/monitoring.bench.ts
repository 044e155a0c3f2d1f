/**
 * Benchmark of the metric store on a scratch database: H cloud hosts × D days of 5-minute 云主机监控数据 (11 metrics a
 * record) pushed through the real PushWriter in batches of ≤ 500 (in time order: each slot of every node) and processed
 * by the live path (MetricStore.ingestBatch: points upserted, touched (series, hour) buckets marked dirty) with the
 * rollup job's flush (flushRollups: dirty buckets recomputed from raw points) run as production runs it — once per 5
 * minutes of data, i.e. after every ⌈H / 500⌉ batches — its time counted. Baseline in the same run: the same batches
 * without rollups (raw points only), and the same points inserted into a bare table and aggregated by a plain
 * `insert … select … group by`. Then the window summaries are refreshed and checked against the on-the-fly TopN at
 * their asOf, and p50/p95 of the host chart (24 h raw, 7 d hourly, 90 d daily), TopN over all hosts (24 h, 30 d; window
 * summaries and on the fly) and the alarm view, each under 10 concurrent callers, and one alert-evaluation cycle.
 *   npx tsx src/modules/monitoring/monitoring.bench.ts [hosts=100] [days=3] [historyDays=0] [only]
 * days may be a fraction (0.0834 = 2 hours). only = `top`: no push or ingest; H host series with 30 days of hourly
 * rollups (cpu, memory, net up/down) and 30 days of daily rollups written directly, the window summaries refreshed
 * (timed) and checked against the on-the-fly TopN, then TopN (24 h, 7 d, 30 d; by average and by p95; one node) from
 * the summaries and, as the before figure, on the fly, under 10 concurrent callers.
 * BENCH_EXPLAIN=1 logs the plans of statements slower than 1 s (auto_explain, this database only).
 * The issue's full size is 5000 hosts × 90 days (1.3 billion points: hours here). TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) is used to create and drop the scratch database.
 */
import os from 'node:os';
import pg from 'pg';
import { migrate } from '../../platform/db/migrate.js';
import { createLogger } from '../../platform/logger.js';
import { createDatabase } from '../../platform/db/database.js';
import { systemContext } from '../../platform/context.js';
import { loadConfig } from '../../platform/config.js';
import { FieldCipher } from '../../platform/crypto/sm.js';
import { JobQueue } from '../../platform/jobs/jobs.js';
import { createContainer } from '../../container.js';
import { loadMonitoringDemo } from './monitoring.demo.js';

const hostCount = Number(process.argv[2] ?? 100);
const days = Number(process.argv[3] ?? 3);
const historyDays = Number(process.argv[4] ?? 0);
const only = process.argv[5] ?? '';
/** Thrown to end a partial run (the scratch database is still dropped). */
const DONE = new Error('done');
let container: ReturnType<typeof createContainer> | null = null;
const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `zy_bench_monitoring_${process.pid}`;
const c = new pg.Client({ connectionString: admin });
await c.connect();
await c.query(`create database ${name} encoding 'UTF8' template template0`);
// BENCH_EXPLAIN=1: plans of statements slower than 1 s go to the server log (auto_explain), for this database only.
if (process.env.BENCH_EXPLAIN) await c.query(`alter database ${name} set session_preload_libraries = 'auto_explain'; alter database ${name} set auto_explain.log_min_duration = '1s'; alter database ${name} set auto_explain.log_analyze = on`);
await c.end();
const u = new URL(admin);
u.pathname = `/${name}`;
const url = u.toString();
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const SLOT = 300_000;
const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

/** The window summaries' answer equals the on-the-fly answer at their asOf (every standard period, by avg and p95). */
async function checkSame(ctx: ReturnType<typeof systemContext>): Promise<void> {
  const { monitoring } = container!;
  const out: string[] = [];
  for (const period of ['24h', '7d', '30d'] as const) {
    for (const by of ['avg', 'p95'] as const) {
      const w = await monitoring.topN(ctx, { metric: 'cpu', period, by, n: 20 });
      const f = await monitoring.topN(ctx, { metric: 'cpu', period, by, n: 20, now: new Date(w.asOf), source: 'rollups' });
      out.push(`${period}/${by} ${w.source === 'window' && w.from === f.from && w.to === f.to && JSON.stringify(w.items) === JSON.stringify(f.items)}`);
    }
  }
  console.log(`TopN from the window summaries equals the on-the-fly query at asOf: ${out.join(', ')}`);
}

async function concurrent(label: string, n: number, fn: () => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  const rounds = 5;
  for (let r = 0; r < rounds; r++) {
    await Promise.all(Array.from({ length: n }, async () => {
      const t0 = performance.now();
      await fn();
      times.push(performance.now() - t0);
    }));
  }
  console.log(`${label.padEnd(44)} p50 ${pct(times, 50).toFixed(1)} ms  p95 ${pct(times, 95).toFixed(1)} ms  (${times.length} calls, ${n} concurrent; load ${os.loadavg()[0]!.toFixed(2)})`);
}

try {
  await migrate(url, createLogger('warn'));
  const owner = new pg.Client({ connectionString: url });
  owner.on('error', () => undefined);
  await owner.connect();
  await owner.query(`update monitoring_settings set raw_retention_days = greatest(30, ${days + 2})`);
  await owner.query(`insert into organisations (id, path, kind, name) select g, array[g], 'cloud_provider', '服务商' || n from (select gen_random_uuid() g, n from generate_series(1, 2) n) x`);
  await owner.query(`insert into cloud_nodes (code, name, cloud_type, provider_org_id)
                     select 'MN' || row_number() over (order by id), '节点' || row_number() over (order by id), 'service', id from organisations where kind = 'cloud_provider'`);
  await owner.query(`
    with nd as (select id, provider_org_id, row_number() over (order by id) - 1 as i from cloud_nodes)
    insert into inventory_resources (kind, provider_org_id, node_id, natural_key, name, attributes, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
    select 'cloud_host', nd.provider_org_id, nd.id, 'VM' || g, '主机' || g, '{}'::jsonb, 'active', now(), now(), now(), 0
      from generate_series(0, ${hostCount - 1}) g join nd on nd.i = g % 2`);
  const nodes = (await owner.query<{ id: string; provider_org_id: string; i: number }>(`select id, provider_org_id, (row_number() over (order by id) - 1)::int as i from cloud_nodes order by id`)).rows;

  // 'error': the unstarted job queue's refusals of the wake-ups (the bench runs the ingest itself) are warnings.
  const logger = createLogger('error');
  const config = loadConfig({ databaseUrl: url, logLevel: 'warn', masterKey: '00112233445566778899aabbccddeeff', demo: false }, {});
  const database = createDatabase(url, 12);
  const jobs = new JobQueue(url, logger);
  container = createContainer({ config, logger, db: database.db, pool: database.pool, cipher: new FieldCipher('00112233445566778899aabbccddeeff'), jobs, embedded: false });
  const { pushWriter, monitoring } = container;
  await loadMonitoringDemo(database.db);

  if (only === 'top') {
    // Rollups only, written directly: hourly rows of the last 30 days (4 metrics, with slots) and daily rows.
    const t0 = performance.now();
    await owner.query(`insert into monitoring_series (kind, object_key, provider_org_id, node_id, label, first_at, last_at)
      select 'host', 'VM' || g, n.provider_org_id, n.id, '主机' || g, now() - interval '30 days', now()
      from generate_series(0, ${hostCount - 1}) g join (select id, provider_org_id, row_number() over (order by id) - 1 as i from cloud_nodes) n on n.i = g % 2`);
    const hourNow = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    for (let d = 29; d >= 0; d--) {
      // One day at a time, in time order (as batches land): 24 hours × hosts × metrics.
      await owner.query(`insert into monitoring_hourly (series_id, metric, hour, n, min, avg, max, p95, slots)
        select s.id, m, h, 12, 5, 20 + (s.id * 7 + m * 13 + extract(hour from h)::int) % 60, 95, 90,
               array_fill((20 + (s.id * 7 + m * 13) % 60)::float8, array[12])
        from generate_series(to_timestamp(${hourNow / 1000}) - make_interval(days => ${d + 1}), to_timestamp(${hourNow / 1000}) - make_interval(days => ${d}) - interval '1 hour', interval '1 hour') h
        cross join monitoring_series s cross join unnest(array[1, 2, 10, 11]) m`);
    }
    await owner.query(`insert into monitoring_daily (series_id, metric, day, n, min, avg, max, p95)
      select series_id, metric, (hour at time zone 'Asia/Shanghai')::date, sum(n), min(min), sum(avg * n) / sum(n), max(max), max(p95) from monitoring_hourly group by 1, 2, 3`);
    await owner.query('vacuum analyze monitoring_hourly');
    await owner.query('vacuum analyze monitoring_daily');
    const rows = (await owner.query<{ h: string; d: string }>(`select (select count(*) from monitoring_hourly)::text as h, (select count(*) from monitoring_daily)::text as d`)).rows[0]!;
    console.log(`${hostCount} host series: ${Number(rows.h).toLocaleString()} hourly and ${Number(rows.d).toLocaleString()} daily rollup rows written in ${s(performance.now() - t0)}`);
    const ctx = systemContext('bench');
    // Same answer from both paths (the 30 d figure reads whole days from the daily rollups).
    const a = await monitoring.topN(ctx, { metric: 'cpu', period: '30d', n: 20, source: 'rollups' });
    const b = await monitoring.topN(ctx, { metric: 'cpu', period: '30d', n: 20, source: 'hourly' });
    console.log(`TopN 30 d from daily + edge hours equals hourly only: ${JSON.stringify(a.items) === JSON.stringify(b.items)}`);
    const r0 = performance.now();
    const ref = await monitoring.store.refreshWindows();
    console.log(`TopN window summaries refreshed (${ref.periods.map((p) => `${p.period}${p.full ? ' full' : ''}`).join(', ')}; all metrics)  ${s(performance.now() - r0)}`);
    const r1 = performance.now();
    await monitoring.store.refreshWindows();
    console.log(`again in the same hour (open hour only, no corrected series)  ${s(performance.now() - r1)}`);
    await owner.query('analyze monitoring_window');
    await checkSame(ctx);
    for (const period of ['24h', '7d', '30d'] as const) {
      for (const by of ['avg', 'p95'] as const) await concurrent(`TopN CPU over all hosts, ${period}, by ${by} (window)`, 10, () => monitoring.topN(ctx, { metric: 'cpu', period, by }));
    }
    await concurrent('TopN CPU, 24 h, one node (window)', 10, () => monitoring.topN(ctx, { metric: 'cpu', period: '24h', nodeId: nodes[0]!.id }));
    for (const period of ['24h', '30d'] as const) await concurrent(`before: on the fly from the rollups, ${period}`, 10, () => monitoring.topN(ctx, { metric: 'cpu', period, source: 'rollups' }));
    await owner.end();
    await database.close();
    throw DONE;
  }

  const end = Math.floor(Date.now() / SLOT) * SLOT - SLOT;
  const start = end - days * 86_400_000;
  const slots = Math.floor((end - start) / SLOT);
  const records = hostCount * slots;
  console.log(`${hostCount} hosts × ${days} days: ${records.toLocaleString()} records, ${(records * 11).toLocaleString()} points`);
  // 1. Push every batch through the PushWriter (as the providers' data interface stores it).
  let pushMs = 0;
  const batchIds: string[] = [];
  const perNode = new Map<string, number[]>();
  for (let h = 0; h < hostCount; h++) {
    const n = nodes[h % nodes.length]!;
    let l = perNode.get(n.id);
    if (!l) perNode.set(n.id, (l = []));
    l.push(h);
  }
  const v = (h: number, k: number, i: number) => (20 + ((h * 7 + k * 13 + i) % 60) + (h % 17 === 0 && i > slots - 6 ? 35 : 0)).toFixed(2);
  // In time order, as the providers push: each 5-minute slot of every node (a node's batch holds ≤ 500 records).
  const bufs = new Map<string, Array<Record<string, string>>>();
  const flushNode = async (n: (typeof nodes)[number]) => {
    const buf = bufs.get(n.id) ?? [];
    if (buf.length === 0) return;
    const t0 = performance.now();
    const res = await pushWriter.writeBatch({ providerOrgId: n.provider_org_id, nodeId: n.id, table: 'cloudHostMonitoring', source: 'api', mode: 'partial', records: buf });
    pushMs += performance.now() - t0;
    batchIds.push(res.batchId);
    bufs.set(n.id, []);
  };
  for (let i = 0; i < slots; i++) {
    const at = start + i * SLOT;
    for (const n of nodes) {
      const hs = perNode.get(n.id) ?? [];
      if (!bufs.has(n.id)) bufs.set(n.id, []);
      for (const h of hs) {
        bufs.get(n.id)!.push({
          cloudHostId: `VM${h}`, monitoredAt: beijing(at), internalIp: '10.0.0.1', cpuUsage: v(h, 1, i), memoryUsage: v(h, 2, i), standardStorageUsage: v(h, 3, i), highPerfStorageUsage: v(h, 4, i),
          staticStorageUsage: v(h, 5, i), localVideoStorageUsage: '0.00', offsiteVideoUsage: '0.00', diskWritePeak: v(h, 8, i), diskReadPeak: v(h, 9, i), bandwidthUpPeak: v(h, 10, i), bandwidthDownPeak: v(h, 11, i),
        });
        if (bufs.get(n.id)!.length === 500) await flushNode(n);
      }
    }
  }
  for (const n of nodes) await flushNode(n);
  console.log(`push (PushWriter, COPY)                        ${s(pushMs)}  (${batchIds.length} batches of ≤ 500 records)`);

  // 2. The goal "rollup maintenance adding < 20 % to ingest time": the same batches through the same store path
  // (parse, validate, series, raw points, batch record), once without and once with the rollup maintenance.
  // The rollup job (monitoring.rollup, every 5 minutes) is run as production would: once per 5 minutes of data,
  // i.e. after every ⌈hosts / 500⌉ batches (one slot of every host), and once at the end; its time is counted.
  const reset = () => owner.query('truncate monitoring_points, monitoring_hourly, monitoring_daily, monitoring_batches, monitoring_dirty, monitoring_window_dirty, monitoring_window, monitoring_window_state');
  const perRun = Math.max(1, Math.ceil(hostCount / 500));
  const ingestAll = async (withRollups: boolean) => {
    let points = 0;
    let txMs = 0;
    let flushMs = 0;
    let runs = 0;
    let buckets = 0;
    const flush = async () => {
      const f0 = performance.now();
      const r = await monitoring.store.flushRollups();
      flushMs += performance.now() - f0;
      runs++;
      buckets += r.buckets;
    };
    for (let i = 0; i < batchIds.length; i++) {
      const t0 = performance.now();
      const r = withRollups ? await monitoring.store.ingestBatch(batchIds[i]!) : await monitoring.store.ingestBatchWithoutRollups(batchIds[i]!);
      txMs += performance.now() - t0;
      points += r?.points ?? 0;
      if (withRollups && (i + 1) % perRun === 0) await flush();
    }
    if (withRollups) await flush();
    return { ms: txMs + flushMs, txMs, flushMs, runs, buckets, points };
  };
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const plain = await ingestAll(false);
  console.log(`store ingest without rollups (raw points only)  ${s(plain.ms)}  ${plain.points.toLocaleString()} points, ${Math.round(plain.points / (plain.ms / 1000)).toLocaleString()} points/s  (load ${load()})`);
  await reset();
  const live = await ingestAll(true);
  console.log(`store ingest marking dirty buckets (in the tx)  ${s(live.txMs)}  ${live.points.toLocaleString()} points  (load ${load()})`);
  console.log(`rollup job: ${live.runs} flushes (every ${perRun} batches), ${live.buckets.toLocaleString()} (series, hour) buckets recomputed  ${s(live.flushMs)}`);
  console.log(`ingest + rollup job (live path, total)          ${s(live.ms)}  ${Math.round(live.points / (live.ms / 1000)).toLocaleString()} points/s  (load ${load()})`);
  console.log(`rollup maintenance adds ${(((live.ms - plain.ms) / plain.ms) * 100).toFixed(1)} % to the store's ingest time in total (goal < 20 %): ${(((live.txMs - plain.ms) / plain.ms) * 100).toFixed(1)} % in the ingest transaction + ${((live.flushMs / plain.ms) * 100).toFixed(1)} % the job's recompute; to push + store ${(((live.ms - plain.ms) / (pushMs + plain.ms)) * 100).toFixed(1)} %`);

  // 3. The issue's comparison: the same points into a bare table, then one plain insert … select aggregation into
  // bare rollup tables (all at once, after the fact: what "rebuild from history" would cost).
  await owner.query(`create table bench_points (series_id bigint, metric smallint, at timestamptz, value double precision, batch_id bigint)`);
  await owner.query(`create table bench_hourly (series_id bigint, metric smallint, hour timestamptz, n int, min float8, avg float8, max float8, p95 float8)`);
  await owner.query(`create table bench_daily (series_id bigint, metric smallint, day date, n int, min float8, avg float8, max float8, p95 float8)`);
  const b0 = performance.now();
  await owner.query(`insert into bench_points select series_id, metric, at, value, batch_id from monitoring_points`);
  const b1 = performance.now();
  await owner.query(`insert into bench_hourly select series_id, metric, date_trunc('hour', at), count(*), min(value), avg(value), max(value), percentile_cont(0.95) within group (order by value) from bench_points group by 1, 2, 3`);
  await owner.query(`insert into bench_daily select series_id, metric, (at at time zone 'Asia/Shanghai')::date, count(*), min(value), avg(value), max(value), percentile_cont(0.95) within group (order by value) from bench_points group by 1, 2, 3`);
  const b2 = performance.now();
  console.log(`baseline: plain insert of the points            ${s(b1 - b0)}`);
  console.log(`baseline: insert … select aggregation           ${s(b2 - b1)}  (hourly + daily, once over all rows)`);
  console.log(`ratio rollup maintenance in the store (${s(live.ms - plain.ms)}) / plain aggregation ${((live.ms - plain.ms) / (b2 - b1)).toFixed(2)}×`);
  const diff = (await owner.query(`select count(*)::int as n from bench_hourly b full join monitoring_hourly h using (series_id, metric, hour) where h.n is null or b.n is null or abs(b.avg - h.avg) > 1e-9 or b.n <> h.n or abs(b.p95 - h.p95) > 1e-9 or b.min <> h.min or b.max <> h.max`)).rows[0].n;
  const diffD = (await owner.query(`select count(*)::int as n from bench_daily b full join monitoring_daily d using (series_id, metric, day) where d.n is null or b.n is null or abs(b.avg - d.avg) > 1e-9 or b.n <> d.n or b.min <> d.min or b.max <> d.max`)).rows[0].n;
  console.log(`hourly buckets differing from the baseline: ${diff}; daily (count/min/avg/max): ${diffD}`);
  if (historyDays > 0) {
    // Rollup history before the ingested days for the read figures (90 d chart, 30 d TopN), written directly:
    // daily rows of every metric for historyDays, hourly rows of cpu and memory for min(historyDays, 30) days.
    const h0 = performance.now();
    await owner.query(`insert into monitoring_daily (series_id, metric, day, n, min, avg, max, p95)
      select s.id, m.m, d::date, 288, 5, 20 + (s.id * 7 + m.m * 13 + extract(doy from d)::int) % 60, 95, 90
      from monitoring_series s cross join unnest(array[1,2,3,4,5,6,7,8,9,10,11]::smallint[]) m(m)
      cross join generate_series((to_timestamp(${start} / 1000.0) at time zone 'Asia/Shanghai')::date - ${historyDays}, (to_timestamp(${start} / 1000.0) at time zone 'Asia/Shanghai')::date - 1, interval '1 day') d
      on conflict do nothing`);
    await owner.query(`insert into monitoring_hourly (series_id, metric, hour, n, min, avg, max, p95)
      select s.id, m.m, h, 12, 5, 20 + (s.id * 7 + m.m * 13 + extract(hour from h)::int) % 60, 95, 90
      from monitoring_series s cross join unnest(array[1,2]::smallint[]) m(m)
      cross join generate_series(to_timestamp(${start} / 1000.0) - make_interval(days => least(${historyDays}, 30)), to_timestamp(${start} / 1000.0) - interval '1 hour', interval '1 hour') h
      on conflict do nothing`);
    console.log(`rollup history written for the read figures: ${historyDays} days daily (all metrics), ${Math.min(historyDays, 30)} days hourly (cpu, memory) in ${s(performance.now() - h0)}`);
  }
  await owner.query('analyze');

  const ctx = systemContext('bench');
  const series = (await owner.query<{ id: string }>(`select id::text from monitoring_series order by id`)).rows.map((r) => r.id);
  let k = 0;
  const next = () => series[k++ % series.length]!;
  await concurrent('host chart 24 h (raw)', 10, () => monitoring.chart(ctx, { seriesId: next(), range: '24h', metrics: ['cpu', 'memory'] }));
  await concurrent('host chart 7 d (hourly)', 10, () => monitoring.chart(ctx, { seriesId: next(), range: '7d' }));
  await concurrent('host chart 90 d (daily)', 10, () => monitoring.chart(ctx, { seriesId: next(), range: '90d' }));
  const r0 = performance.now();
  const ref = await monitoring.store.refreshWindows();
  console.log(`TopN window summaries refreshed (${ref.periods.map((p) => `${p.period}${p.full ? ' full' : ''}`).join(', ')})  ${s(performance.now() - r0)}`);
  await checkSame(ctx);
  await concurrent('TopN CPU over all hosts, 24 h (window summary)', 10, () => monitoring.topN(ctx, { metric: 'cpu', period: '24h' }));
  await concurrent('TopN CPU over all hosts, 30 d (window summary)', 10, () => monitoring.topN(ctx, { metric: 'cpu', period: '30d' }));
  await concurrent('TopN CPU over all hosts, 24 h (on the fly)', 10, () => monitoring.topN(ctx, { metric: 'cpu', period: '24h', source: 'rollups' }));
  await concurrent('TopN CPU over all hosts, 30 d (on the fly)', 10, () => monitoring.topN(ctx, { metric: 'cpu', period: '30d', source: 'rollups' }));
  const e0 = performance.now();
  const cycle = await monitoring.evaluate(new Date(end + SLOT));
  console.log(`alert evaluation cycle (${cycle.rules} rules × ${hostCount} hosts)   ${s(performance.now() - e0)}  fired ${cycle.fired}`);
  await concurrent('alarm view (summary + first page)', 10, () => Promise.all([monitoring.alertSummary(ctx), monitoring.listAlerts(ctx, { status: 'open', page: 1, pageSize: 20 })]));
  const e1 = performance.now();
  const again = await monitoring.evaluate(new Date(end + SLOT));
  console.log(`second cycle (nothing new to open)           ${s(performance.now() - e1)}  fired ${again.fired}`);
  await owner.end();
  await database.close();
} catch (e) {
  if (e !== DONE) throw e;
} finally {
  const d = new pg.Client({ connectionString: admin });
  await d.connect();
  await d.query(`drop database if exists ${name} with (force)`);
  await d.end();
}
