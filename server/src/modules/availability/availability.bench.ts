/**
 * Benchmark of the probe scheduler on a scratch database: N probes (default 10,000) every 60 s against local targets
 * in a child process — HTTP servers (one answers after 1.5 s), TCP listeners, a closed port (down), ICMP on
 * 127.0.0.0/8 — run by one ProbeScheduler for M minutes: slots run, schedule slip p50/p99, missed slots (a slot run
 * more than one interval late, or not at all), CPU and peak RSS of this process. Baseline in the same run: a bare
 * loop of the same requests on the same schedule (fetch = Node's undici, net.connect, fping) with no database. Then
 * the status-board query (page 1, a state filter, a keyword) under 10 concurrent callers: p95, against a bare SQL page.
 * The board is measured three ways in the same run: the service (cached counts, one statement), the previous form (a
 * group-by of the counts and the page, then the rows, every request) and a bare SQL page. Then over HTTP: the real
 * application (buildApp) listening on a loopback port, signed-in sessions (management staff, a provider's staff),
 * 10 concurrent callers × 20 requests per shape of GET /api/availability/probes (fetch, JSON read).
 *   npx tsx src/modules/availability/availability.bench.ts [--probes 10000] [--minutes 3] [--board-only]
 * --board-only skips the scheduler (states are set directly: 5 % down, 2 % maintenance, 3 % unknown, the rest up).
 * Uses TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) to create and drop the scratch database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import pg from 'pg';
import { migrate } from '../../platform/db/migrate.js';
import { createLogger } from '../../platform/logger.js';
import { createDatabase, withTx, type Db } from '../../platform/db/database.js';
import { sql } from 'kysely';
import { systemContext, type RequestContext } from '../../platform/context.js';
import { CalendarService } from '../calendar/index.js';
import { DocumentsService } from '../documents/index.js';
import { InformationSystemService } from '../directory/index.js';
import { InventoryService } from '../inventory/index.js';
import { NotificationService } from '../notifications/index.js';
import { FieldCipher } from '../../platform/crypto/sm.js';
import { loadConfig } from '../../platform/config.js';
import { JobQueue } from '../../platform/jobs/jobs.js';
import { buildApp } from '../../app.js';
import { AvailabilityService } from './availability.service.js';
import { ProbeScheduler } from './availability.scheduler.js';
import { defaultGuard, probeIcmpMany } from './probes.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('probes', 10_000);
const MINUTES = arg('minutes', 3);
const BOARD_ONLY = process.argv.includes('--board-only');
const INTERVAL = 60;
const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `zy_bench_probes_${process.pid}`;
const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : NaN);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The targets live in a child process so their CPU is not counted as the worker's. */
function startTargets(): Promise<{ child: ChildProcess; http: number[]; slow: number; tcp: number[]; closed: number }> {
  const code = `
    const http = require('node:http'); const net = require('node:net');
    const listen = (srv) => new Promise((r) => srv.listen(0, '127.0.0.1', () => r(srv.address().port)));
    (async () => {
      const ok = await Promise.all([0,1,2,3].map(() => listen(http.createServer((q, s) => s.end('<html>政务服务 正常</html>')))));
      const slow = await listen(http.createServer((q, s) => setTimeout(() => s.end('slow 正常'), 1500)));
      const tcp = await Promise.all([0,1,2,3].map(() => listen(net.createServer((c) => c.end()))));
      const c = net.createServer(); const closed = await listen(c); c.close();
      process.send({ http: ok, slow, tcp, closed });
    })();`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve) => child.once('message', (m) => resolve({ child, ...(m as { http: number[]; slow: number; tcp: number[]; closed: number }) })));
}

type Spec = { kind: 'http' | 'tcp' | 'icmp'; target: string; port: number | null; config: Record<string, unknown> };
function specs(t: { http: number[]; slow: number; tcp: number[]; closed: number }): Spec[] {
  const out: Spec[] = [];
  for (let i = 0; i < N; i++) {
    const r = i % 20;
    if (r < 8) out.push({ kind: 'http', target: `http://127.0.0.1:${r === 0 ? t.slow : t.http[i % 4]}/`, port: null, config: { keyword: '正常' } });
    else if (r < 16) out.push({ kind: 'tcp', target: '127.0.0.1', port: r === 8 ? t.closed : t.tcp[i % 4]!, config: {} });
    else out.push({ kind: 'icmp', target: `127.${1 + (i % 200)}.${Math.floor(i / 200) % 250}.${1 + (i % 250)}`, port: null, config: {} });
  }
  return out;
}

function cpuAndRss() {
  const start = process.cpuUsage();
  const t0 = performance.now();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 500);
  return () => {
    clearInterval(timer);
    const u = process.cpuUsage(start);
    const wall = performance.now() - t0;
    return { cpuPct: ((u.user + u.system) / 1000 / wall) * 100, rssMiB: peak / 2 ** 20 };
  };
}

/** The same requests on the same schedule, no database: fetch (undici), net.connect, one fping per second. */
async function bareLoop(list: Spec[], ms: number): Promise<{ runs: number; slip: number[] }> {
  const slip: number[] = [];
  let runs = 0;
  const t0 = Date.now();
  const next = list.map((_, i) => t0 + Math.floor((i / list.length) * INTERVAL * 1000));
  const end = t0 + ms;
  const tcp = (host: string, port: number) => new Promise<void>((resolve) => {
    const s = net.connect({ host, port });
    const done = () => { s.destroy(); resolve(); };
    s.setTimeout(3000, done);
    s.once('connect', done);
    s.once('error', done);
  });
  while (Date.now() < end) {
    const now = Date.now();
    const icmp: string[] = [];
    for (let i = 0; i < list.length; i++) {
      if (next[i]! > now) continue;
      slip.push(now - next[i]!);
      next[i]! += INTERVAL * 1000;
      runs++;
      const p = list[i]!;
      if (p.kind === 'http') void fetch(p.target, { signal: AbortSignal.timeout(3000) }).then((r) => r.text()).catch(() => undefined);
      else if (p.kind === 'tcp') void tcp(p.target, p.port!);
      else icmp.push(p.target);
    }
    if (icmp.length) void probeIcmpMany(icmp, { timeoutMs: 3000, count: 3 });
    await sleep(1000);
  }
  await sleep(4000);
  return { runs, slip };
}

/** The board as it was before the counts were cached (for the before/after figures): counts, page ids, rows — every request. */
async function previousBoard(db: Db, ctx: RequestContext, q: Parameters<AvailabilityService['listProbes']>[1]): Promise<number> {
  return withTx(db, ctx, async (trx) => {
    await sql`set local jit = off`.execute(trx);
    let base = trx.selectFrom('availabilityProbes as p');
    if (q.keyword) {
      const kw = `%${q.keyword}%`;
      base = base.where((eb) => eb.or([eb('p.name', 'ilike', kw), eb('p.target', 'ilike', kw)]));
    }
    const byState = base;
    if (q.state) base = base.where('p.state', '=', q.state);
    await byState.select((eb) => ['p.state', eb.fn.countAll<string>().as('n')]).groupBy('p.state').execute();
    const ids = await base.select('p.id').orderBy('p.stateRank').orderBy('p.name').orderBy('p.id').limit(q.pageSize ?? 20).offset(((q.page ?? 1) - 1) * (q.pageSize ?? 20)).execute();
    const rows = ids.length ? await trx.selectFrom('availabilityProbes as p').leftJoin('informationSystems as s', 's.id', 'p.systemId').leftJoin('organisations as u', 'u.id', 'p.unitOrgId').leftJoin('organisations as v', 'v.id', 'p.providerOrgId')
      .selectAll('p').select(['s.name as systemName', 'u.name as unitName', 'v.name as providerName']).where('p.id', 'in', ids.map((r) => r.id)).execute() : [];
    return rows.length;
  });
}

const c = new pg.Client({ connectionString: admin });
await c.connect();
await c.query(`create database ${name} encoding 'UTF8' template template0`);
await c.end();
const u = new URL(admin);
u.pathname = `/${name}`;
const url = u.toString();
const targets = await startTargets();
try {
  await migrate(url, createLogger('warn'));
  const logger = createLogger('warn');
  const database = createDatabase(url, 10);
  const config = loadConfig({ databaseUrl: url, logLevel: 'silent', masterKey: '00112233445566778899aabbccddeeff', demo: false }, {});
  const cipher = new FieldCipher('00112233445566778899aabbccddeeff');
  const jobs = new JobQueue(url, logger);
  const service = new AvailabilityService(database.db, {
    inventory: new InventoryService(database.db), systems: new InformationSystemService(database.db, cipher), notifications: new NotificationService(database.db, cipher, config, logger, jobs),
    calendar: new CalendarService(database.db), documents: new DocumentsService(database.db, cipher), logger,
  });
  const list = specs(targets);
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  // Slots spread over the first interval, as a running system's are.
  await owner.query(
    `insert into availability_probes (name, kind, target, port, config, interval_seconds, timeout_ms, retries, next_run_at)
     select '探测' || i, k, t, p, c::jsonb, ${INTERVAL}, 3000, 1, now() + interval '5 seconds' + make_interval(secs => (i - 1) * ${INTERVAL}.0 / ${N})
       from unnest($1::text[], $2::text[], $3::int[], $4::text[]) with ordinality as x(k, t, p, c, i)`,
    [list.map((s) => s.kind), list.map((s) => s.target), list.map((s) => s.port), list.map((s) => JSON.stringify(s.config))],
  );
  await owner.query('analyze');
  console.log(`${N} probes every ${INTERVAL} s (${list.filter((s) => s.kind === 'http').length} HTTP, ${list.filter((s) => s.kind === 'tcp').length} TCP, ${list.filter((s) => s.kind === 'icmp').length} ICMP; 5 % down, 5 % slow), ${MINUTES} min`);

  if (!BOARD_ONLY) {
  const initial = new Map((await owner.query(`select id, next_run_at from availability_probes`)).rows.map((r) => [r.id as string, new Date(r.next_run_at).getTime()]));
  const scheduler = new ProbeScheduler(service, logger, { workerId: 'bench', guard: defaultGuard(['127.0.0.0/8']), maxInFlight: 1000 });
  await sleep(4000);
  const stop = cpuAndRss();
  const runStart = new Date();
  scheduler.start();
  // The first interval is the warm-up: every probe changes from unknown and opens its first interval (one by one).
  await sleep(INTERVAL * 1000);
  const warm = scheduler.stats.slipMs.length;
  await sleep(Math.max(0, MINUTES * 60_000 - INTERVAL * 1000));
  await scheduler.stop();
  const w = stop();
  const runEnd = new Date();
  const slip = scheduler.stats.slipMs;
  // Missed: slots due in the run (up to 10 s before its end, the time a slot may take) without a result.
  const done = new Map<string, number>();
  for (const r of (await owner.query(`select probe_id, count(*)::int n from availability_results where attempt = 0 and slot between $1 and $2 group by probe_id`, [new Date(runStart.getTime() - 1000), new Date(runEnd.getTime() - 10_000)])).rows) done.set(r.probe_id, r.n);
  let expectedSlots = 0;
  let missed = 0;
  for (const [id, first] of initial) {
    let n = 0;
    for (let t = first; t <= runEnd.getTime() - 10_000; t += INTERVAL * 1000) if (t >= runStart.getTime() - 1000) n++;
    expectedSlots += n;
    missed += Math.max(0, n - (done.get(id) ?? 0));
  }
  const late = slip.filter((x) => x > INTERVAL * 1000).length;
  console.log(`worker: ${scheduler.stats.recorded} slots recorded (${(scheduler.stats.recorded / MINUTES).toFixed(0)}/min), ${scheduler.stats.duplicates} duplicates, ${scheduler.stats.errors} errors`);
  const steady = slip.slice(warm);
  console.log(`  slip after the first interval (steady state, ${steady.length} slots): p50 ${pct(steady, 50)} ms, p99 ${pct(steady, 99)} ms`);
  console.log(`  slip over the whole run: p50 ${pct(slip, 50)} ms, p99 ${pct(slip, 99)} ms, max ${Math.max(...slip)} ms; missed slots: ${missed} of ${expectedSlots} due, ${late} run more than ${INTERVAL} s late`);
  console.log(`  CPU ${w.cpuPct.toFixed(0)} % of one core, peak RSS ${w.rssMiB.toFixed(0)} MiB (this process: worker + its database client)`);

  const stopBare = cpuAndRss();
  const bare = await bareLoop(list, MINUTES * 60_000);
  const b = stopBare();
  console.log(`bare loop (fetch/net/fping, no database): ${bare.runs} runs, slip p99 ${pct(bare.slip, 99)} ms, CPU ${b.cpuPct.toFixed(0)} %, peak RSS ${b.rssMiB.toFixed(0)} MiB`);
  console.log(`ratio worker / bare: CPU ${(w.cpuPct / b.cpuPct).toFixed(2)}×, RSS ${(w.rssMiB / b.rssMiB).toFixed(2)}×`);
  } else {
    await owner.query(`update availability_probes set state = case when random() < 0.05 then 'down' when random() < 0.02 then 'maintenance' when random() < 0.03 then 'unknown' else 'up' end`);
  }
  // 20 providers and 40 units own the probes (round robin): a provider's staff sees its 1/20 through row-level security.
  const provIds = (await owner.query(`insert into organisations (kind, name, path) select 'cloud_provider', '压测服务商' || i, '{}' from generate_series(1, 20) i returning id`)).rows.map((r: { id: string }) => r.id);
  const unitIds = (await owner.query(`insert into organisations (kind, name, path) select 'user_unit', '压测单位' || i, '{}' from generate_series(1, 40) i returning id`)).rows.map((r: { id: string }) => r.id);
  await owner.query(`update organisations set path = array[id] where id = any($1::uuid[])`, [[...provIds, ...unitIds]]);
  await owner.query(
    `update availability_probes p set provider_org_id = ($1::uuid[])[1 + x.n % 20], unit_org_id = ($2::uuid[])[1 + x.n % 40]
       from (select id, row_number() over (order by id) as n from availability_probes) x where x.id = p.id`,
    [provIds, unitIds],
  );
  await owner.query('analyze availability_probes');
  await owner.query('analyze organisations');

  // Status board with N probes: 10 concurrent callers, 200 requests per query shape.
  const sys = systemContext('bench');
  const provider: RequestContext = { ...sys, actor: { ...sys.actor, kind: 'user', username: 'bench-provider', orgId: provIds[0]!, orgKind: 'cloud_provider', permissions: new Set(['availability:read']), scope: { all: false, roots: [provIds[0]!] } } };
  const shapes: Array<[string, RequestContext, Parameters<AvailabilityService['listProbes']>[1]]> = [
    ['page 1', sys, { page: 1, pageSize: 20 }], ['state=down', sys, { state: 'down', page: 1, pageSize: 20 }], ['keyword', sys, { keyword: '探测99', page: 1, pageSize: 20 }], ['page 50', sys, { page: 50, pageSize: 20 }],
    ['provider page 1', provider, { page: 1, pageSize: 20 }], ['provider state=down', provider, { state: 'down', page: 1, pageSize: 20 }],
  ];
  for (const [, ctx, q] of shapes) await service.listProbes(ctx, q);
  for (const [label, ctx, q] of shapes) {
    const times: number[] = [];
    await Promise.all(Array.from({ length: 10 }, async () => {
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        await service.listProbes(ctx, q);
        times.push(performance.now() - t0);
      }
    }));
    // Counts not cached (as after a state change): the whole statement every request.
    const coldTimes: number[] = [];
    await Promise.all(Array.from({ length: 10 }, async () => {
      for (let i = 0; i < 20; i++) {
        (service as unknown as { boardChanged(): void }).boardChanged();
        const t0 = performance.now();
        await service.listProbes(ctx, q);
        coldTimes.push(performance.now() - t0);
      }
    }));
    const prevTimes: number[] = [];
    await Promise.all(Array.from({ length: 10 }, async () => {
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        await previousBoard(database.db, ctx, q);
        prevTimes.push(performance.now() - t0);
      }
    }));
    const bareTimes: number[] = [];
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    await Promise.all(Array.from({ length: 10 }, async () => {
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        await pool.query(`select * from availability_probes order by state_rank, name, id limit 20 offset ${((q.page ?? 1) - 1) * 20}`);
        bareTimes.push(performance.now() - t0);
      }
    }));
    await pool.end();
    console.log(`board ${label}: p95 ${pct(times, 95).toFixed(1)} ms, counts uncached p95 ${pct(coldTimes, 95).toFixed(1)} ms (previous form p95 ${pct(prevTimes, 95).toFixed(1)} ms; bare SQL page p95 ${pct(bareTimes, 95).toFixed(1)} ms, ratio ${(pct(times, 95) / pct(bareTimes, 95)).toFixed(1)}×)`);
  }
  // Over HTTP: the real application and its route, with the session cookie of a signed-in user.
  const mgmtOrg = (await owner.query(`insert into organisations (kind, name, path) values ('management_unit', '压测管理单位', '{}') returning id`)).rows[0].id as string;
  await owner.query(`update organisations set path = array[id] where id = $1`, [mgmtOrg]);
  const appDb = createDatabase(url, 10);
  const appJobs = new JobQueue(url, logger);
  const built = await buildApp({ config, logger, db: appDb.db, pool: appDb.pool, cipher, jobs: appJobs, embedded: false }, { serveWeb: false });
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = built.app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const CSRF = { 'x-requested-with': 'zhengyun' };
  const session = async (orgId: string, role: string, username: string) => {
    const password = 'Bench-Passw0rd!';
    await withTx(appDb.db, systemContext('bench'), (trx) => built.container.access.createUserIn(trx, systemContext('bench'), { orgId, username, displayName: username, email: null, phone: null, password, mustChangePassword: false, roleCodes: [role] }));
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { ...CSRF, 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    const body = (await res.json()) as { status: string };
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('zy_session='))?.split(';')[0];
    if (body.status !== 'signed_in' || !cookie) throw new Error(`bench sign-in of ${username}: ${res.status} ${JSON.stringify(body)}`);
    return { cookie, ...CSRF };
  };
  const mgmtHeaders = await session(mgmtOrg, 'mgmt_staff', 'bench_mgmt');
  const provHeaders = await session(provIds[0]!, 'provider_staff', 'bench_provider');
  const httpShapes: Array<[string, Record<string, string>, string]> = [
    ['page 1', mgmtHeaders, 'page=1&pageSize=20'], ['state=down', mgmtHeaders, 'state=down&page=1&pageSize=20'], ['keyword', mgmtHeaders, `keyword=${encodeURIComponent('探测99')}&page=1&pageSize=20`],
    ['page 50', mgmtHeaders, 'page=50&pageSize=20'], ['provider page 1', provHeaders, 'page=1&pageSize=20'], ['provider state=down', provHeaders, 'state=down&page=1&pageSize=20'],
  ];
  for (const [label, headers, query] of httpShapes) {
    const get = async () => {
      const res = await fetch(`${base}/api/availability/probes?${query}`, { headers });
      const body = (await res.json()) as { items?: unknown[] };
      if (res.status !== 200 || !Array.isArray(body.items)) throw new Error(`board over HTTP (${label}): ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    };
    await get();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 10 }, async () => {
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        await get();
        times.push(performance.now() - t0);
      }
    }));
    console.log(`board over HTTP ${label}: p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms (10 concurrent callers × 20, signed-in session)`);
  }
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min)`);
  await built.app.close();
  await appJobs.stop();
  await appDb.close();
  await owner.end();
  await database.close();
} finally {
  targets.child.kill();
  const d = new pg.Client({ connectionString: admin });
  await d.connect();
  await d.query(`drop database if exists ${name} with (force)`);
  await d.end();
}
