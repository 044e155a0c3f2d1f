/**
 * Benchmark of the monthly bill run on a scratch database: 50,000 resources (40,000 cloud hosts with vCPU, memory and
 * standard storage; 10,000 internet IPs with bandwidth) of 200 units on 5 providers, metered for 30 days (day 1 by
 * `meterDay`, timed; days 2–30 copied by SQL), two price-list versions per provider (prices change on the 16th).
 * Then, in the same run: a plain SQL aggregate over the same usage (the baseline) and `runMonth` (the bill run).
 *   npx tsx src/modules/billing/billing.bench.ts [resources=50000]
 * Uses TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) to create and drop the scratch database.
 */
import pg from 'pg';
import { migrate } from '../../platform/db/migrate.js';
import { createLogger } from '../../platform/logger.js';
import { createDatabase } from '../../platform/db/database.js';
import { systemContext } from '../../platform/context.js';
import { CatalogService } from '../catalog/index.js';
import { BillingService } from './billing.service.js';

const n = Number(process.argv[2] ?? 50_000);
const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `zy_bench_billing_${process.pid}`;
const c = new pg.Client({ connectionString: admin });
await c.connect();
await c.query(`create database ${name} encoding 'UTF8' template template0`);
await c.end();
const u = new URL(admin);
u.pathname = `/${name}`;
const url = u.toString();
const MONTH = '2026-04';
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

try {
  await migrate(url, createLogger('warn'));
  const owner = new pg.Client({ connectionString: url });
  owner.on('error', () => undefined);
  await owner.connect();
  const t0 = performance.now();
  await owner.query(`insert into organisations (id, path, kind, name) select g, array[g], 'cloud_provider', '服务商' || n from (select gen_random_uuid() g, n from generate_series(1, 5) n) x`);
  await owner.query(`insert into organisations (id, path, kind, name) select g, array[g], 'user_unit', '单位' || n from (select gen_random_uuid() g, n from generate_series(1, 200) n) x`);
  await owner.query(`insert into cloud_nodes (code, name, cloud_type, provider_org_id)
                     select 'BN' || row_number() over (order by id), '节点' || row_number() over (order by id), 'service', id from organisations where kind = 'cloud_provider'`);
  await owner.query(`
    with p as (select id, row_number() over (order by id) - 1 as i from organisations where kind = 'cloud_provider'),
         un as (select id, row_number() over (order by id) - 1 as i from organisations where kind = 'user_unit'),
         nd as (select id, provider_org_id from cloud_nodes)
    insert into inventory_resources (kind, provider_org_id, node_id, natural_key, system_no, unit_org_id, name, attributes, quantities, created_date, status,
                                     first_seen_at, last_seen_at, changed_at, last_batch_id)
    select case when g % 5 = 0 then 'internet_bandwidth' else 'cloud_host' end, p.id, nd.id, 'R' || g, 'SYS' || (g % 2000), un.id, '资源' || g, '{}',
           case when g % 5 = 0 then jsonb_build_object('bandwidthMbps', (g % 50 + 1)::text)
                else jsonb_build_object('cpuCores', (2 ^ (g % 4 + 1))::int::text, 'memoryGb', (4 * (g % 8 + 1))::text, 'standardStorageGb', (100 + g % 900)::text) end,
           '2026-01-01', 'active', now(), now(), now(), 0
      from generate_series(1, ${n}) g
      join p on p.i = g % 5
      join un on un.i = g % 200
      join nd on nd.provider_org_id = p.id`);
  const v = (await owner.query<{ id: string }>(`select id from catalog_versions where version_no = 1`)).rows[0]!.id;
  await owner.query(`
    insert into price_lists (provider_id, provider_name, catalog_version_id, version_no, effective_from, effective_to, status)
    select id, name, $1::uuid, 1, date '2026-01-01', date '2026-04-15', 'approved' from organisations where kind = 'cloud_provider'
    union all
    select id, name, $1::uuid, 2, date '2026-04-16', null::date, 'approved' from organisations where kind = 'cloud_provider'`, [v]);
  await owner.query(`
    insert into price_list_items (price_list_id, item_code, unit_price, billing_unit_text, billing_period)
    select p.id, i.code, round(i.max_unit_price * (case when p.version_no = 1 then 0.9 else 0.85 end), 2), i.billing_unit_text, 'month'
      from price_lists p cross join catalog_items i where i.version_id = $1 and i.kind = 'basic'`, [v]);
  await owner.query('analyze');
  console.log(`setup: ${n} resources, 5 providers × 2 price lists, 200 units in ${s(performance.now() - t0)}`);

  const database = createDatabase(url, 4);
  const billing = new BillingService(database.db, new CatalogService(database.db));
  const m0 = performance.now();
  const day1 = await billing.meterDay(`${MONTH}-01`);
  console.log(`meterDay(${MONTH}-01): ${day1.resources} resources → ${day1.usageRows} usage rows in ${s(performance.now() - m0)}`);
  const c0 = performance.now();
  await owner.query(`
    insert into billing_usage (day, month, resource_id, source_key, resource_kind, provider_org_id, node_id, unit_org_id, system_id, system_no, item_code,
                               item_kind, quantity, source_quantity, billing_unit, unmapped_reason)
    select u.day + d, u.month, u.resource_id, u.source_key, u.resource_kind, u.provider_org_id, u.node_id, u.unit_org_id, u.system_id, u.system_no, u.item_code,
           u.item_kind, u.quantity, u.source_quantity, u.billing_unit, u.unmapped_reason
      from billing_usage u cross join generate_series(1, 29) d where u.day = '${MONTH}-01'`);
  await owner.query('vacuum analyze billing_usage');
  const rows = Number((await owner.query<{ n: string }>(`select count(*) as n from billing_usage`)).rows[0]!.n);
  console.log(`usage: ${rows} rows (${n} resources × 30 days) copied in ${s(performance.now() - c0)}`);

  // Baseline: a plain SQL aggregate over the same usage — sums per unit × provider × system × item, no prices.
  const b0 = performance.now();
  const base = await owner.query(`select unit_org_id, provider_org_id, node_id, system_no, item_code, sum(quantity), count(*) from billing_usage
                                   where month = '${MONTH}-01' and item_code is not null group by 1, 2, 3, 4, 5`);
  const baselineMs = performance.now() - b0;
  console.log(`baseline plain SQL aggregate: ${base.rowCount} groups in ${s(baselineMs)}`);

  const r0 = performance.now();
  const run = await billing.runMonth(systemContext('bench'), MONTH);
  const runMs = performance.now() - r0;
  console.log(`bill run: ${run.bills} bills, ${run.lines} lines, total ${run.total} 元, ${run.priceMissingLines} lines without price, in ${s(runMs)}`);
  const r1 = performance.now();
  const again = await billing.runMonth(systemContext('bench'), MONTH);
  console.log(`recompute (idempotent): ${again.bills} bills, total ${again.total} 元 in ${s(performance.now() - r1)}`);
  console.log(`ratio bill run / baseline: ${(runMs / baselineMs).toFixed(1)}×; goal < 10 s: ${runMs < 10_000 ? 'met' : 'NOT met'}`);
  await database.close();
  await owner.end();
} catch (e) {
  console.error('bench failed:', e);
  process.exitCode = 1;
} finally {
  const d = new pg.Client({ connectionString: admin });
  await d.connect();
  await d.query(`drop database if exists ${name} with (force)`);
  await d.end();
}
