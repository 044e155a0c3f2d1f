/**
 * Benchmark of the push API (issue 4 §9): cloud-host metric records (cloudHostMonitoring) pushed over real HTTP in
 * signed batches of 500 by concurrent clients into the application running in this process, for ~20 s; then, in the
 * same run, the same records through one bare COPY from one process into the same table: the ceiling.
 *
 *   npx tsx server/src/modules/ingestion/ingest.bench.ts
 *
 * Environment: DATABASE_URL (default: a scratch database created on BENCH_ADMIN_URL, postgres://postgres@127.0.0.1:5432,
 * and dropped at the end), BENCH_SECONDS (20), BENCH_CONCURRENCY (6), BENCH_BATCH (500), BENCH_POOL (database pool, 10).
 * Goals on the 2-core machine: ≥ 100,000 records/s sustained, ≥ 30% of the bare-COPY ceiling, p99 < 250 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { migrate } from '../../platform/db/migrate.js';
import { createLogger } from '../../platform/logger.js';
import { createDatabase, withTx } from '../../platform/db/database.js';
import { loadConfig } from '../../platform/config.js';
import { FieldCipher, sm3Hex } from '../../platform/crypto/index.js';
import { JobQueue } from '../../platform/jobs/jobs.js';
import { systemContext } from '../../platform/context.js';
import type { PlatformDeps } from '../../platform/deps.js';
import { buildApp } from '../../app.js';
import { compiledTable, sampleRecord, validateRecords, EMPTY_CODES } from './validator.js';
import { copyText } from './writer.js';
import { SIGNATURE_HEADERS } from './signature.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 6);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const POOL = Number(process.env.BENCH_POOL ?? 10);
const WARMUP_MS = 2000;
const DISTINCT_BODIES = 40;
const MASTER_KEY = '0123456789abcdef0123456789abcdef';
const TABLE = 'cloudHostMonitoring';

interface ClientResult {
  latencies: number[];
  measuredRecords: number;
  totalAccepted: number;
  failures: number;
  firstFailure: string;
  measuredSeconds: number;
}

/** The benchmark's HTTP clients (plain JavaScript, run in a worker thread): signed keep-alive requests, N in flight. */
const CLIENT_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
const http = require('node:http');
const crypto = require('node:crypto');
const agent = new http.Agent({ keepAlive: true, maxSockets: w.concurrency });
const bodies = w.bodies.map((b) => ({ buf: Buffer.from(b.buf.buffer, b.buf.byteOffset, b.buf.byteLength), hash: b.hash }));
let nonceSeq = 0;
function send(body) {
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = 'bench' + process.pid + 't' + (nonceSeq++).toString(36).padStart(10, '0');
  const signature = crypto.createHmac('sm3', w.secret).update(['POST', w.path, ts, nonce, body.hash].join('\\n')).digest('hex');
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: w.port, path: w.path, method: 'POST', agent, headers: {
      authorization: 'Bearer ' + w.token, [w.headers.timestamp]: ts, [w.headers.nonce]: nonce, [w.headers.signature]: signature,
      'content-type': 'application/json', 'content-length': body.buf.length } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body.buf);
  });
}
const r = { latencies: [], measuredRecords: 0, totalAccepted: 0, failures: 0, firstFailure: '', measuredSeconds: 0 };
const start = performance.now();
const measureFrom = start + w.warmupMs;
const end = measureFrom + w.seconds * 1000;
let next = 0;
let measuring = false;
async function client() {
  while (performance.now() < end) {
    const body = bodies[next++ % bodies.length];
    const t0 = performance.now();
    if (!measuring && t0 >= measureFrom) { measuring = true; parentPort.postMessage({ measuring: true }); }
    const res = await send(body);
    const t1 = performance.now();
    if (res.status !== 200) { r.failures++; if (!r.firstFailure) r.firstFailure = res.status + ' ' + res.body.slice(0, 300); continue; }
    const accepted = JSON.parse(res.body).accepted;
    r.totalAccepted += accepted;
    if (t0 >= measureFrom && t1 <= end) { r.latencies.push(t1 - t0); r.measuredRecords += accepted; }
  }
}
Promise.all(Array.from({ length: w.concurrency }, client)).then(() => {
  r.measuredSeconds = (end - measureFrom) / 1000;
  r.latencies.sort((a, b) => a - b);
  agent.destroy();
  parentPort.postMessage(r);
});
`;

const logger = createLogger('silent');
let url = process.env.DATABASE_URL;
let dropDb: (() => Promise<void>) | null = null;
if (!url) {
  const admin = new URL(process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const name = `zy_bench_ingest_${process.pid}`;
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`create database ${name} encoding 'UTF8' template template0`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  url = u.toString();
  dropDb = async () => {
    const d = new pg.Client({ connectionString: admin.toString() });
    await d.connect();
    await d.query(`drop database if exists ${name} with (force)`);
    await d.end();
  };
}

/** CPU seconds (user + system) used so far by these processes, from /proc (PostgreSQL on this machine), or null. */
function cpuSecondsOf(pids: number[]): number | null {
  try {
    let ticks = 0;
    for (const pid of pids) {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

try {
  await migrate(url, logger);
  const config = loadConfig({ databaseUrl: url, logLevel: 'silent', masterKey: MASTER_KEY, demo: false, dbPoolSize: POOL }, {});
  const database = createDatabase(url, POOL);
  const jobs = new JobQueue(url, logger);
  const deps: PlatformDeps = { config, logger, db: database.db, pool: database.pool, cipher: new FieldCipher(MASTER_KEY), jobs, embedded: false };
  const { app, container } = await buildApp(deps, { serveWeb: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;

  // A provider, its node and an ingestion credential.
  const sys = systemContext('bench');
  const suffix = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const providerOrgId = await withTx(deps.db, sys, (trx) =>
    container.organisations.createIn(trx, sys, { kind: 'cloud_provider', name: `基准测试云服务商 ${suffix}`, parentId: null, code: null, shortName: null, description: null }),
  );
  const nodeCode = `BENCH-${suffix}`.slice(0, 30);
  await container.directory.ensureCloudNode(sys, { code: nodeCode, name: '基准测试节点', cloudType: 'service', providerOrgId });
  const cred = await container.credentials.issue(sys, { providerOrgId, name: `bench ${suffix}` });

  // Distinct bodies of BATCH records (distinct hosts), with their SM3 computed once, as a client would.
  const compiled = compiledTable(TABLE)!;
  const now = Date.now();
  const batches = Array.from({ length: DISTINCT_BODIES }, (_, b) =>
    Array.from({ length: BATCH }, (_, i) => {
      const seq = b * BATCH + i;
      const r = sampleRecord(compiled.table, { seq, at: now });
      return { ...r, cloudHostId: `vm-${String(seq).padStart(6, '0')}`, cpuUsage: `${seq % 100}.${seq % 10}5`, memoryUsage: `${(seq * 7) % 100}.5` };
    }),
  );
  const bodies = batches.map((recs) => {
    const buf = Buffer.from(JSON.stringify(recs));
    return { buf, hash: sm3Hex(buf) };
  });
  const path = `/api/ingest/v1/${TABLE}?node=${nodeCode}`;
  // The clients run in a worker thread (as they would on other machines): the server's event loop does server work only.
  const worker = new Worker(CLIENT_SOURCE, {
    eval: true,
    workerData: {
      port,
      path,
      token: cred.token,
      secret: cred.signingSecret,
      bodies: bodies.map((b) => ({ buf: new Uint8Array(b.buf), hash: b.hash })),
      concurrency: CONCURRENCY,
      warmupMs: WARMUP_MS,
      seconds: SECONDS,
      headers: SIGNATURE_HEADERS,
    },
  });
  let elu0 = performance.eventLoopUtilization();
  let cpu0 = process.cpuUsage();
  const watcher = new pg.Client({ connectionString: url });
  await watcher.connect();
  let backends: number[] = [];
  let backendCpu0: number | null = null;
  worker.on('message', (m: { measuring?: boolean }) => {
    if (m.measuring) {
      elu0 = performance.eventLoopUtilization();
      cpu0 = process.cpuUsage();
      void watcher
        .query<{ pid: number }>("select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()")
        .then((r) => {
          backends = r.rows.map((x) => x.pid);
          backendCpu0 = cpuSecondsOf(backends);
        });
    }
  });
  const result = await new Promise<ClientResult>((resolve, reject) => {
    worker.on('message', (m: ClientResult | { measuring: boolean }) => {
      if ('latencies' in m) resolve(m);
    });
    worker.on('error', reject);
  });
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  const backendCpu1 = cpuSecondsOf(backends);
  await watcher.end();
  await worker.terminate();
  const { measuredRecords, totalAccepted, failures, firstFailure, measuredSeconds } = result;
  const latencies = result.latencies;
  const httpRate = measuredRecords / measuredSeconds;
  latencies.sort((a, b) => a - b);

  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  const stored = Number(
    (await owner.query<{ n: string }>(`select count(*) as n from ${compiled.table.sqlTable} where provider_org_id = $1`, [providerOrgId])).rows[0]!.n,
  );
  await app.close();
  await database.close();

  // Ceiling: the same records, validated column values, one bare COPY from one process into the same partition.
  const part = (await owner.query<{ p: string }>('select zy_ingest_ensure_partition($1, now()) as p', [TABLE])).rows[0]!.p;
  const texts = batches.map((recs, b) => {
    const v = validateRecords(compiled, recs, EMPTY_CODES, Date.now());
    if (v.errors.length) throw new Error(JSON.stringify(v.errors[0]));
    return Buffer.from(copyText(compiled, v.records, `${providerOrgId}\t00000000-0000-4000-8000-000000000000\t${-1 - b}\t${new Date().toISOString()}\t`));
  });
  const ceilingRecords = Math.max(BATCH * DISTINCT_BODIES, Math.min(measuredRecords, 4_000_000));
  const columns = ['provider_org_id', 'node_id', 'batch_id', 'received_at', 'record_time', ...compiled.columns].join(', ');
  const copyPid = (await owner.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  const copyCpu0 = cpuSecondsOf([copyPid]);
  const c0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const stream = owner.query(copyFrom(`copy ${part} (${columns}) from stdin`));
    stream.on('error', reject);
    stream.on('finish', resolve);
    let written = 0;
    let i = 0;
    const pump = () => {
      while (written < ceilingRecords) {
        const ok = stream.write(texts[i++ % texts.length]!);
        written += BATCH;
        if (!ok) return void stream.once('drain', pump);
      }
      stream.end();
    };
    pump();
  });
  const ceilingSeconds = (performance.now() - c0) / 1000;
  const ceilingRate = ceilingRecords / ceilingSeconds;
  const copyCpu1 = cpuSecondsOf([copyPid]);
  await owner.end();

  const p50 = pct(latencies, 50);
  const p99 = pct(latencies, 99);
  const ratio = httpRate / ceilingRate;
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const f = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`Ingestion benchmark — ${os.cpus().length} cores, load average ${load}, Node ${process.version}`);
  console.log(`HTTP push  ${TABLE}, batches of ${BATCH}, ${CONCURRENCY} concurrent clients, ${SECONDS} s after ${WARMUP_MS / 1000} s warm-up`);
  console.log(`  ${f(measuredRecords)} records in ${measuredSeconds.toFixed(1)} s = ${f(httpRate)} records/s (${f(latencies.length / measuredSeconds)} batches/s)`);
  console.log(`  batch latency p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms; failed requests ${failures}${firstFailure ? ` (first: ${firstFailure})` : ''}`);
  console.log(`  server event loop busy ${(elu.utilization * 100).toFixed(0)}% of the time; this process (server + client thread) used ${((cpu.user + cpu.system) / 1e6 / measuredSeconds).toFixed(2)} cores`);
  console.log(`  acknowledged ${f(totalAccepted)} records, stored ${f(stored)}${stored === totalAccepted ? ' (all)' : ' — MISMATCH'}`);
  console.log(`Bare COPY  ${f(ceilingRecords)} records in ${ceilingSeconds.toFixed(1)} s = ${f(ceilingRate)} records/s (one process, one COPY)`);
  console.log(`Ratio      HTTP / bare COPY = ${(ratio * 100).toFixed(1)}%`);
  // CPU per record does not depend on how busy the machine is (much): what the same code would do on idle cores.
  const appUs = ((cpu.user + cpu.system) / measuredRecords) ;
  const pgUs = backendCpu0 !== null && backendCpu1 !== null ? ((backendCpu1 - backendCpu0) * 1e6) / measuredRecords : null;
  const copyUs = copyCpu0 !== null && copyCpu1 !== null ? ((copyCpu1 - copyCpu0) * 1e6) / ceilingRecords : null;
  if (pgUs !== null && copyUs !== null) {
    const cores = os.cpus().length;
    console.log(
      `CPU/record HTTP path: ${appUs.toFixed(1)} µs in this process + ${pgUs.toFixed(1)} µs in PostgreSQL backends; bare COPY: ${copyUs.toFixed(1)} µs in its backend`,
    );
    console.log(
      `Idle-machine estimate (CPU-bound, ${cores} cores): HTTP ≈ ${f(cores / ((appUs + pgUs) / 1e6))} records/s, bare COPY ≈ ${f(1e6 / copyUs)} records/s (one backend), ratio ≈ ${((cores / (appUs + pgUs)) / (1 / copyUs) * 100).toFixed(0)}%`,
    );
  }
  console.log(
    `Goals      ≥ 100,000 records/s: ${httpRate >= 100_000 ? 'met' : 'NOT met'}; ≥ 30% of the ceiling: ${ratio >= 0.3 ? 'met' : 'NOT met'}; p99 < 250 ms: ${p99 < 250 ? 'met' : 'NOT met'}`,
  );
  if (stored !== totalAccepted) process.exitCode = 1;
} finally {
  await dropDb?.();
}
