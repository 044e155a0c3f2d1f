/**
 * Benchmark of evaluation on a scratch database at the scale: 8 providers (each with a node and an approved
 * price list), 300 units, 5,000 cloud hosts. Utilisation comes from an in-process source of the monitoring shape
 * (deterministic per host; monitoring is wired after the merge). Timed: the month's efficiency with advice, the
 * provider evaluation, and the overview API
 * p95 for the management unit and for a unit under 10 concurrent callers. Baseline in the same run: reading the same
 * 5,000 hosts through the inventory's list (the figure evaluation cannot avoid).
 *   npm run bench:evaluation [-- hosts=5000]
 * Uses TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) to create and drop the scratch database.
 */
import pg from 'pg';
import { migrate } from '../../platform/db/migrate.js';
import { createLogger } from '../../platform/logger.js';
import { createDatabase } from '../../platform/db/database.js';
import { SYSTEM_ACTOR, systemContext, type RequestContext } from '../../platform/context.js';
import { ApplicationsService } from '../applications/index.js';
import { BillingService } from '../billing/index.js';
import { CalendarService } from '../calendar/index.js';
import { CatalogService } from '../catalog/index.js';
import { DirectoryService } from '../directory/index.js';
import { EstimatesService } from '../estimates/index.js';
import { InventoryService } from '../inventory/index.js';
import { QualityService } from '../quality/index.js';
import { SecurityService } from '../security/index.js';
import { ServiceDeskService } from '../servicedesk/index.js';
import { WorkflowService } from '../workflow/index.js';
import { EvaluationService } from './evaluation.service.js';
import type { HostUtilisation } from './evaluation.sources.js';

const hosts = Number(process.argv[2] ?? 5000);
const UNITS = 300;
const PROVIDERS = 8;
const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `zy_bench_evaluation_${process.pid}`;
const c = new pg.Client({ connectionString: admin });
await c.connect();
await c.query(`create database ${name} encoding 'UTF8' template template0`);
await c.end();
const u = new URL(admin);
u.pathname = `/${name}`;
const url = u.toString();
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const month = '2026-10';

try {
  await migrate(url, createLogger('warn'));
  const owner = new pg.Client({ connectionString: url });
  owner.on('error', () => undefined);
  await owner.connect();
  await owner.query(`insert into organisations (id, path, kind, name) select g, array[g], 'cloud_provider', '服务商' || n from (select gen_random_uuid() g, n from generate_series(1, ${PROVIDERS}) n) x`);
  await owner.query(`insert into organisations (id, path, kind, name) select g, array[g], 'user_unit', '单位' || n from (select gen_random_uuid() g, n from generate_series(1, ${UNITS}) n) x`);
  await owner.query(`insert into cloud_nodes (code, name, cloud_type, provider_org_id)
                     select 'EN' || row_number() over (order by id), '节点' || row_number() over (order by id), 'service', id from organisations where kind = 'cloud_provider'`);
  await owner.query(`
    with nd as (select id, provider_org_id, row_number() over (order by id) - 1 as i from cloud_nodes),
         un as (select id, row_number() over (order by id) - 1 as i from organisations where kind = 'user_unit')
    insert into inventory_resources (kind, provider_org_id, node_id, natural_key, name, unit_org_id, attributes, quantities, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
    select 'cloud_host', nd.provider_org_id, nd.id, 'VM' || g, '主机' || g, un.id, '{}'::jsonb,
           jsonb_build_object('cpuCores', (2 ^ (g % 4 + 1))::int::text, 'memoryGb', (4 * 2 ^ (g % 4))::int::text, 'standardStorageGb', '200'), 'active', now(), now(), now(), 0
      from generate_series(0, ${hosts - 1}) g join nd on nd.i = g % ${PROVIDERS} join un on un.i = g % ${UNITS}`);
  await owner.query('analyze');
  const database = createDatabase(url, 6);
  const db = database.db;
  const logger = createLogger('warn');
  const ctx = systemContext('bench');
  const calendar = new CalendarService(db);
  const catalog = new CatalogService(db);
  const inventory = new InventoryService(db);
  const estimates = new EstimatesService(db, catalog);
  const workflow = new WorkflowService(db, calendar);
  const evaluation = new EvaluationService(db, {
    inventory, catalog, calendar, billing: new BillingService(db, catalog), quality: new QualityService(db), serviceDesk: new ServiceDeskService(db, calendar, logger),
    security: new SecurityService(db, inventory, new DirectoryService(db), calendar, logger), applications: new ApplicationsService(db, catalog, estimates, calendar, workflow),
  });
  const version = await catalog.getCurrent(ctx);
  const basic = version.items.filter((i) => i.kind === 'basic' && i.maxUnitPrice !== null);
  const providers = (await owner.query(`select id from organisations where kind = 'cloud_provider' order by id`)).rows.map((r) => r.id as string);
  for (const [i, p] of providers.entries()) {
    const list = await catalog.createPriceList(ctx, { providerId: p, catalogVersionId: version.id, effectiveFrom: '2026-01-01', note: null, items: basic.map((it) => ({ itemCode: it.code, unitPrice: (Number(it.maxUnitPrice) * (0.8 + i * 0.02)).toFixed(2) })) });
    await catalog.submitPriceList(ctx, list.id);
    await catalog.decidePriceList(ctx, list.id, 'approved', null);
  }
  // Utilisation of the monitoring shape, deterministic per host: a quarter idle, a third oversized, the rest busy.
  const byRow = (await owner.query(`select id, unit_org_id, provider_org_id, node_id, (regexp_replace(natural_key, '\\D', '', 'g'))::int n from inventory_resources`)).rows;
  evaluation.setFigureSources({
    monitoring: {
      async hostUtilisation() {
        return byRow.map((r): HostUtilisation => {
          const k = r.n % 12;
          const cpu = k < 3 ? 2 + k : k < 7 ? 12 + k * 2 : 55 + k;
          const mem = k < 3 ? 20 : k < 7 ? 25 + k : 75;
          return { resourceId: r.id, systemId: null, unitOrgId: r.unit_org_id, providerOrgId: r.provider_org_id, nodeId: r.node_id, cpuP95: cpu, cpuAvg: cpu / 2, memP95: mem, memAvg: mem / 2, hoursWithData: 740, hoursInWindow: 744 };
        });
      },
    },
  });

  // Baseline: the hosts through the inventory's list, as the computation reads them.
  const tb = performance.now();
  let read = 0;
  for (let page = 1; ; page++) {
    const r = await inventory.list(ctx, { kind: 'cloud_host', status: 'active', page, pageSize: 200 });
    read += r.items.length;
    if (r.items.length < 200) break;
  }
  const baseline = performance.now() - tb;
  console.log(`baseline: ${read} hosts read through InventoryService.list in ${s(baseline)}`);

  const te = performance.now();
  const eff = await evaluation.computeEfficiency(ctx, { month });
  const effMs = performance.now() - te;
  console.log(`efficiency ${month}: ${eff.hosts} hosts, ${eff.units} units, ${eff.advice} advice in ${s(effMs)} — ratio to the baseline ${(effMs / baseline).toFixed(1)}×`);
  const te2 = performance.now();
  await evaluation.computeEfficiency(ctx, { month });
  console.log(`efficiency recomputed (formula pinned, decided advice kept) in ${s(performance.now() - te2)}`);

  const sets = await evaluation.indicatorSets(ctx);
  const tp = performance.now();
  const run = await evaluation.runProviders(ctx, { setId: sets.find((x) => x.code === 'seed004')!.id, month });
  console.log(`provider evaluation: ${run.scores.length} providers in ${s(performance.now() - tp)}`);

  const unitId = (await owner.query(`select id from organisations where kind = 'user_unit' limit 1`)).rows[0].id as string;
  const unitCtx: RequestContext = { actor: { ...SYSTEM_ACTOR, kind: 'user', orgKind: 'user_unit', orgId: unitId, scope: { all: false, roots: [unitId] }, permissions: new Set(['evaluation:read']) }, requestId: 'bench', ip: null, userAgent: null };
  const time = async (c2: RequestContext, live: boolean) => {
    const lat: number[] = [];
    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 10 }, async () => {
        const t = performance.now();
        await evaluation.overview(c2, { month }, { live });
        lat.push(performance.now() - t);
      }));
    }
    return lat;
  };
  const tr = performance.now();
  await evaluation.refreshOverviewSnapshot(month);
  console.log(`overview snapshot refreshed (all parts) in ${(performance.now() - tr).toFixed(0)} ms`);
  const f = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)} ms p95 ${pct(xs, 95).toFixed(0)} ms`;
  // Same run, same data, alternated so the machine's load hits both alike.
  const live1 = await time(ctx, true);
  const snap1 = await time(ctx, false);
  const live2 = await time(ctx, true);
  const snap2 = await time(ctx, false);
  const un = await time(unitCtx, true);
  console.log(`overview API (service), 10 concurrent × 10, management: live ${f([...live1, ...live2])}; snapshot ${f([...snap1, ...snap2])}; a unit (live) ${f(un)} (goal p95 < 150 ms)`);
  await database.close();
  await owner.end();
} finally {
  const d = new pg.Client({ connectionString: admin });
  await d.connect();
  await d.query(`drop database if exists ${name} with (force)`);
  await d.end();
}
