/**
 * Benchmark of the data-quality computation on a scratch database: P providers, each with H cloud hosts sampled every
 * 5 minutes for a whole day (H × 288 rows), 10 sensors, and E network-protocol records; the day before and after get
 * the same metric volume, so partition pruning matters. Then times `computeDay` for that day and shows the partitions
 * the host-sample query reads.
 *   npx tsx src/modules/quality/quality.bench.ts [providers=4] [hosts=500] [events=200000]
 * Uses TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) to create and drop the scratch database.
 */
import pg from 'pg';
import { migrate } from '../../platform/db/migrate.js';
import { createLogger } from '../../platform/logger.js';
import { createDatabase } from '../../platform/db/database.js';
import { QualityService } from './quality.service.js';
import { addDays, dayStart } from './quality.rules.js';

const providers = Number(process.argv[2] ?? 4);
const hosts = Number(process.argv[3] ?? 500);
const events = Number(process.argv[4] ?? 200_000);
const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `zy_bench_quality_${process.pid}`;
const c = new pg.Client({ connectionString: admin });
await c.connect();
await c.query(`create database ${name} encoding 'UTF8' template template0`);
await c.end();
const u = new URL(admin);
u.pathname = `/${name}`;
const url = u.toString();

const DAY = '2026-03-02';
const days = [addDays(DAY, -2), addDays(DAY, -1), DAY, addDays(DAY, 1), addDays(DAY, 2)];

try {
  await migrate(url, createLogger('warn'));
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  for (const t of ['cloudHostMonitoring', 'tcp', 'temperatureHumiditySensor']) {
    for (const d of days) await owner.query(`select zy_ingest_ensure_partition($1, $2)`, [t, new Date(dayStart(d).getTime() + 12 * 3600_000)]);
  }
  await owner.query(`select zy_ingest_ensure_partition('cloudHostSpec', $1)`, [dayStart(DAY)]);
  const t0 = performance.now();
  let rows = 0;
  for (let p = 0; p < providers; p++) {
    const org = (await owner.query<{ id: string }>(
      `insert into organisations (id, path, kind, name) select g, array[g], 'cloud_provider', $1 from gen_random_uuid() g returning id`,
      [`bench provider ${p}`],
    )).rows[0]!.id;
    const node = (await owner.query<{ id: string }>(
      `insert into cloud_nodes (code, name, cloud_type, provider_org_id) values ($1, $1, 'service', $2) returning id`,
      [`bench-${p}`, org],
    )).rows[0]!.id;
    const batch = async (table: string, at: Date, accepted: number) =>
      (await owner.query<{ id: string }>(
        `insert into ingest_batches (provider_org_id, node_id, table_name, source, received_at, record_count, accepted_count, on_time_count, status)
         values ($1, $2, $3, 'api', $4, $5, $5, $5, 'accepted') returning id`,
        [org, node, table, at, accepted],
      )).rows[0]!.id;
    const spec = await batch('cloudHostSpec', new Date(dayStart(DAY).getTime() + 3600_000), hosts);
    await owner.query(
      `insert into ingest_cloud_host_spec (provider_org_id, node_id, batch_id, received_at, record_time, cloud_host_id, created_date)
       select $1, $2, $3, $4, $4, 'host-' || h, '2025-01-01' from generate_series(1, $5) h`,
      [org, node, spec, new Date(dayStart(DAY).getTime() + 3600_000), hosts],
    );
    for (const d of days) {
      const start = dayStart(d);
      const b = await batch('cloudHostMonitoring', new Date(start.getTime() + 12 * 3600_000), hosts * 288);
      // 2% of the samples missing.
      const r = await owner.query(
        `insert into ingest_cloud_host_monitoring (provider_org_id, node_id, batch_id, received_at, record_time, cloud_host_id, cpu_usage)
         select $1, $2, $3, $4::timestamptz + s * interval '5 minutes' + interval '40 seconds', $4::timestamptz + s * interval '5 minutes', 'host-' || h, 12.5
         from generate_series(1, $5) h, generate_series(0, 287) s where (h * 288 + s) % 50 <> 0`,
        [org, node, b, start, hosts],
      );
      rows += r.rowCount ?? 0;
      const e = await batch('tcp', new Date(start.getTime() + 12 * 3600_000), events);
      const r2 = await owner.query(
        `insert into ingest_tcp (provider_org_id, node_id, batch_id, received_at, record_time, src_ip, dst_ip)
         select $1, $2, $3, $4::timestamptz + (i % 86000) * interval '1 second' + interval '20 seconds', $4::timestamptz + (i % 86000) * interval '1 second', '10.0.0.1', '10.0.0.2'
         from generate_series(1, $5) i`,
        [org, node, e, start, events],
      );
      rows += r2.rowCount ?? 0;
      const s = await batch('temperatureHumiditySensor', new Date(start.getTime() + 12 * 3600_000), 2880);
      const r3 = await owner.query(
        `insert into ingest_temperature_humidity_sensor (provider_org_id, node_id, batch_id, received_at, record_time, machine_room, location)
         select $1, $2, $3, $4::timestamptz + k * interval '5 minutes' + interval '10 seconds', null, 'R001', 'L' || d
         from generate_series(1, 10) d, generate_series(0, 287) k`,
        [org, node, s, start],
      );
      rows += r3.rowCount ?? 0;
    }
  }
  await owner.query('analyze');
  const loadS = (performance.now() - t0) / 1000;

  const database = createDatabase(url, 2);
  const service = new QualityService(database.db);
  const now = dayStart(addDays(DAY, 2));
  const runs: number[] = [];
  let result = { rows: 0 };
  for (let i = 0; i < 3; i++) {
    const t1 = performance.now();
    result = await service.computeDay(DAY, { now });
    runs.push(performance.now() - t1);
  }
  const plan = await owner.query<{ 'QUERY PLAN': string }>(
    `explain select provider_org_id, node_id, count(*) from (select distinct provider_org_id, node_id, cloud_host_id,
       floor(extract(epoch from coalesce(record_time, received_at)) / 300) from ingest_cloud_host_monitoring
       where received_at >= $1 and received_at < $2) x group by 1, 2`,
    [dayStart(DAY), dayStart(addDays(DAY, 2))],
  );
  const scanned = [...new Set(plan.rows.map((r) => /ingest_cloud_host_monitoring_p\d+/.exec(r['QUERY PLAN'])?.[0]).filter(Boolean))];
  const score = await owner.query<{ completeness: string; score: string }>(
    `select completeness::text, score::text from data_quality_daily where table_name = 'cloudHostMonitoring' and day = $1 limit 1`,
    [DAY],
  );
  await owner.end();
  await database.close();
  console.log(`interface rows laid down: ${rows.toLocaleString('en')} over 5 days (${providers} providers, ${hosts} hosts each) in ${loadS.toFixed(1)} s`);
  console.log(`computeDay(${DAY}): ${result.rows} quality rows; runs ${runs.map((r) => `${(r / 1000).toFixed(2)} s`).join(', ')}`);
  console.log(`rows of the day read per run: ~${Math.round(rows / 5).toLocaleString('en')} → ${Math.round(rows / 5 / (Math.min(...runs) / 1000)).toLocaleString('en')} rows/s (best run)`);
  console.log(`host-sample query reads partitions: ${scanned.join(', ')} (of ${days.length})`);
  console.log(`cloudHostMonitoring on ${DAY}: completeness ${score.rows[0]?.completeness}, score ${score.rows[0]?.score} (2% of samples left out)`);
} finally {
  if (process.env.QUALITY_BENCH_KEEP) console.log(`kept ${url}`);
  else {
  const d = new pg.Client({ connectionString: admin });
  await d.connect();
  await d.query(`drop database if exists ${name} with (force)`);
  await d.end();
  }
}
