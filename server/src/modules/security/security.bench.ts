/**
 * Benchmark of vulnerability imports on a scratch database: 10,000 cloud hosts of 5 providers in the inventory; a
 * 50,000-finding CSV scan report (5 per host) imported, then a second report of the same hosts with 10% of the findings
 * fixed (absent) and 5% new. Baseline in the same run: a plain `insert … on conflict do update` of the same rows into a
 * bare table. Then the table grows to 500,000 findings and the open-findings list (first page and a filtered page) is
 * timed under 10 concurrent callers.
 *   npx tsx src/modules/security/security.bench.ts [findings=50000]
 * BENCH_KEEP_DB=1 keeps the scratch database (for EXPLAIN ANALYZE afterwards).
 * Uses TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) to create and drop the scratch database.
 */
import os from 'node:os';
import pg from 'pg';
import { migrate } from '../../platform/db/migrate.js';
import { createLogger } from '../../platform/logger.js';
import { createDatabase } from '../../platform/db/database.js';
import { systemContext } from '../../platform/context.js';
import { CalendarService } from '../calendar/index.js';
import { DirectoryService } from '../directory/index.js';
import { InventoryService } from '../inventory/index.js';
import { SecurityService } from './security.service.js';

const total = Number(process.argv[2] ?? 50_000);
const perHost = 5;
const hosts = Math.ceil(total / perHost);
const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// BENCH_REUSE_DB=<name>: time the list again on a database kept by BENCH_KEEP_DB (no set-up, no imports).
const reuse = process.env.BENCH_REUSE_DB ?? null;
const name = reuse ?? `zy_bench_security_${process.pid}`;
if (!reuse) {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name} encoding 'UTF8' template template0`);
  await c.end();
}
const u = new URL(admin);
u.pathname = `/${name}`;
const url = u.toString();
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ipOf = (h: number) => `10.${Math.floor(h / 65536) % 256}.${Math.floor(h / 256) % 256}.${h % 256}`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const sev = ['高危', '中危', '低危', '紧急'];

function report(rows: Array<[number, number]>): Buffer {
  const lines = ['IP地址,端口,漏洞名称,风险等级,漏洞编号'];
  for (const [h, v] of rows) lines.push(`${ipOf(h)},${1000 + (v % 50)},漏洞${v},${sev[v % 4]},V${v}`);
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

try {
  if (!reuse) await migrate(url, createLogger('warn'));
  const owner = new pg.Client({ connectionString: url });
  owner.on('error', () => undefined);
  await owner.connect();
  if (!reuse) {
    await owner.query(`insert into organisations (id, path, kind, name) select g, array[g], 'cloud_provider', '服务商' || n from (select gen_random_uuid() g, n from generate_series(1, 5) n) x`);
    await owner.query(`insert into cloud_nodes (code, name, cloud_type, provider_org_id)
                       select 'SN' || row_number() over (order by id), '节点' || row_number() over (order by id), 'service', id from organisations where kind = 'cloud_provider'`);
    await owner.query(`
      with nd as (select id, provider_org_id, row_number() over (order by id) - 1 as i from cloud_nodes)
      insert into inventory_resources (kind, provider_org_id, node_id, natural_key, name, attributes, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
      select 'cloud_host', nd.provider_org_id, nd.id, 'VM' || g, '主机' || g,
             jsonb_build_object('internalIp', (g / 65536 % 256)::text || '.' || (g / 256 % 256)::text || '.' || (g % 256)::text), 'active', now(), now(), now(), 0
        from generate_series(0, ${hosts - 1}) g join nd on nd.i = g % 5`);
    await owner.query(`update inventory_resources set attributes = jsonb_set(attributes, '{internalIp}', to_jsonb('10.' || (attributes->>'internalIp')))`);
    await owner.query('analyze');
  }
  const database = createDatabase(url, 4);
  const logger = createLogger('warn');
  const security = new SecurityService(database.db, new InventoryService(database.db), new DirectoryService(database.db), new CalendarService(database.db), logger);
  const ctx = systemContext('bench');
  if (!reuse) {

    const first: Array<[number, number]> = [];
    for (let h = 0; h < hosts; h++) for (let k = 0; k < perHost; k++) first.push([h, h * perHost + k]);
    const second = first.filter((_, i) => i % 10 !== 3);
    for (let i = 0; i < Math.round(total * 0.05); i++) second.push([i % hosts, total + i]);
    const r1 = report(first.slice(0, total));
    const r2 = report(second);

    const t1 = performance.now();
    const a = await security.importReport(ctx, { format: 'csv', fileName: 'scan-1.csv', bytes: r1 });
    const import1 = performance.now() - t1;
    console.log(`import 1: ${a.findings} findings (${a.newFindings} new) in ${s(import1)} — ${Math.round(a.findings / (import1 / 1000))} findings/s`);
    const t2 = performance.now();
    const b = await security.importReport(ctx, { format: 'csv', fileName: 'scan-2.csv', bytes: r2 });
    const import2 = performance.now() - t2;
    console.log(`import 2: ${b.findings} findings: ${b.newFindings} new, ${b.closedFindings} verified fixed, ${b.reopenedFindings} reopened, ${b.unchanged} seen again in ${s(import2)}`);

    // Baseline: the same rows as a plain upsert into a bare table (no parsing, no host matching, no history).
    await owner.query(`create table bench_upsert (dedup_key text primary key, host_ref text not null, name text not null, severity text not null, last_seen timestamptz not null)`);
    const upsert = async (rows: Array<[number, number]>) => {
      const t = performance.now();
      for (let i = 0; i < rows.length; i += 5000) {
        const chunk = rows.slice(i, i + 5000);
        await owner.query(
          `insert into bench_upsert (dedup_key, host_ref, name, severity, last_seen)
           select k, h, n, s, now() from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as x(k, h, n, s)
           on conflict (dedup_key) do update set last_seen = excluded.last_seen`,
          [chunk.map(([h, v]) => `${ipOf(h)}|${1000 + (v % 50)}|V${v}`), chunk.map(([h]) => ipOf(h)), chunk.map(([, v]) => `漏洞${v}`), chunk.map(([, v]) => sev[v % 4]!)],
        );
      }
      return performance.now() - t;
    };
    const b1 = await upsert(first.slice(0, total));
    const b2 = await upsert(second);
    console.log(`baseline insert … on conflict: ${s(b1)} and ${s(b2)}; ratio import/baseline ${(import1 / b1).toFixed(1)}× and ${(import2 / b2).toFixed(1)}×`);

    // Grow to 500,000 findings (copies of the imported ones on other host references), then time the list.
    const grow = 500_000 - Number((await owner.query('select count(*) from security_findings')).rows[0].count);
    if (grow > 0) {
      await owner.query(`
        insert into security_findings (dedup_key, source_kind, host_ref, ip, port, vuln_id, name, severity, resource_id, provider_org_id, node_id, status,
                                       first_seen_at, last_seen_at, first_scan_id, last_scan_id, deadline)
        select 'G' || g || '|' || f.dedup_key, f.source_kind, 'G' || g || '-' || f.host_ref, f.ip, f.port, f.vuln_id, f.name, f.severity, f.resource_id, f.provider_org_id, f.node_id,
               case when g % 3 = 0 then 'fixed' else 'open' end, f.first_seen_at - (g || ' days')::interval, f.last_seen_at, f.first_scan_id, f.last_scan_id, f.deadline - g
          from generate_series(1, ${Math.ceil(grow / total)}) g cross join (select * from security_findings limit ${total}) f
         limit ${grow}`);
      await owner.query('vacuum analyze security_findings');
  }
  }
  const count = Number((await owner.query('select count(*) from security_findings')).rows[0].count);
  const provider = (await owner.query(`select id from organisations where kind = 'cloud_provider' limit 1`)).rows[0].id as string;
  const time = async (q: Parameters<SecurityService['listFindings']>[1]) => {
    const lat: number[] = [];
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const t = performance.now();
          await security.listFindings(ctx, q);
          lat.push(performance.now() - t);
        }),
      );
    }
    return lat;
  };
  // Warm the pool's connections, then one caller at a time (the statements' own cost), then 10 at once.
  await time({ status: 'unfixed' });
  const single = async (q: Parameters<SecurityService['listFindings']>[1]) => {
    const lat: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await security.listFindings(ctx, q);
      lat.push(performance.now() - t);
    }
    return lat;
  };
  const s1 = await single({ status: 'unfixed' });
  const s2 = await single({ status: 'unfixed', severity: 'high', providerId: provider, page: 3 });
  console.log(`one caller at a time × 20: first page p50 ${pct(s1, 50).toFixed(1)} ms p95 ${pct(s1, 95).toFixed(1)} ms; provider + severity, page 3: p50 ${pct(s2, 50).toFixed(1)} ms p95 ${pct(s2, 95).toFixed(1)} ms`);
  const page1 = await time({ status: 'unfixed' });
  const filtered = await time({ status: 'unfixed', severity: 'high', providerId: provider, page: 3 });
  // The plans of the capped count (what each list call pays most for), as the application role sees them.
  for (const [label, extra] of [['first page', ''], ['provider + severity', ` and severity_rank = 1 and provider_org_id = '${provider}'`]] as const) {
    await owner.query('begin');
    await owner.query(`set local role zhengyun_app; set local jit = off; select set_config('zhengyun.scope_all', 'on', true), set_config('zhengyun.business_access', 'on', true)`);
    const plan = (await owner.query(`explain (analyze, format json) select count(*) from (select 1 from security_findings where status in ('open','notified','replied')${extra} limit 10001) c`)).rows[0]['QUERY PLAN'][0];
    await owner.query('rollback');
    const nodes: string[] = [];
    const walk = (n: { 'Node Type': string; 'Index Name'?: string; 'Heap Fetches'?: number; Plans?: unknown[] }) => {
      if (n['Index Name']) nodes.push(`${n['Node Type']} ${n['Index Name']}${n['Heap Fetches'] !== undefined ? ` (heap fetches ${n['Heap Fetches']})` : ''}`);
      for (const c of (n.Plans ?? []) as Array<typeof n>) walk(c);
    };
    walk(plan.Plan);
    console.log(`capped count, ${label}: ${nodes.join(', ')}, ${plan['Execution Time'].toFixed(1)} ms`);
  }
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min)`);
  console.log(`open-findings list over ${count} findings, 10 concurrent callers × 5: first page p50 ${pct(page1, 50).toFixed(0)} ms p95 ${pct(page1, 95).toFixed(0)} ms; provider + severity, page 3: p50 ${pct(filtered, 50).toFixed(0)} ms p95 ${pct(filtered, 95).toFixed(0)} ms`);
  await database.close();
  await owner.end();
} finally {
  if (process.env.BENCH_KEEP_DB || reuse) {
    console.log(`kept the scratch database ${name} (BENCH_KEEP_DB)`);
  } else {
    const d = new pg.Client({ connectionString: admin });
    await d.connect();
    await d.query(`drop database if exists ${name} with (force)`);
    await d.end();
  }
}
