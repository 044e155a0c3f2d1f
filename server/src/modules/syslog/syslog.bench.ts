/**
 * Syslog benchmark (issue 4): the application and its syslog receiver in this process, a separate sender process
 * sending RFC 5424 messages over UDP at a fixed rate; then every stored row is counted.
 *   npx tsx server/src/modules/syslog/syslog.bench.ts [--rate 20000] [--seconds 10]
 * Prints messages/s sent and stored, lost (= sent − stored), the UDP receive buffer obtained, and the kernel's count of
 * datagrams it dropped for a full receive buffer (/proc/net/snmp RcvbufErrors) during the run.
 * DATABASE_URL: the database to use; default a scratch database created (and dropped) on
 * TEST_DATABASE_URL / postgres://postgres@127.0.0.1:5432.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { migrate } from '../../platform/db/migrate.js';
import { createLogger } from '../../platform/logger.js';
import { createDatabase } from '../../platform/db/database.js';
import { loadConfig } from '../../platform/config.js';
import { FieldCipher } from '../../platform/crypto/sm.js';
import { JobQueue } from '../../platform/jobs/jobs.js';
import { systemContext } from '../../platform/context.js';
import { withTx } from '../../platform/db/database.js';
import type { PlatformDeps } from '../../platform/deps.js';
import { buildApp } from '../../app.js';

export interface SyslogBenchOptions {
  /** Messages per second the sender aims at (default 20,000). */
  rate?: number;
  /** How long the sender sends (default 10 s). */
  seconds?: number;
  /** Database to use; default a scratch database on `adminUrl`. */
  databaseUrl?: string;
  adminUrl?: string;
  log?: (line: string) => void;
}

export interface SyslogBenchResult {
  sent: number;
  sendSeconds: number;
  sentPerSecond: number;
  received: number;
  stored: number;
  /** sent − stored */
  lost: number;
  storedPerSecond: number;
  /** Seconds from the first message sent to the last row committed. */
  totalSeconds: number;
  recvBufferBytes: number;
  /** Datagrams the kernel dropped for a full receive buffer during the run (all sockets of the machine), or null. */
  kernelRcvbufErrors: number | null;
  rejected: number;
  dropped: number;
}

const SENDER = `
import dgram from 'node:dgram';
const [port, rate, seconds] = process.argv.slice(1).map(Number);
const from = process.argv[4];
const s = dgram.createSocket('udp4');
const total = rate * seconds;
let sent = 0;
let inFlight = 0;
const t0 = performance.now();
function tick() {
  const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
  const ts = new Date().toISOString();
  while (sent < due && inFlight < 4000) {
    const i = sent++;
    const msg = '<' + (132 + (i & 3)) + '>1 ' + ts + ' fw-bench ips ' + (1000 + (i % 50)) + ' IPS_' + (i % 20) +
      ' [flow@32473 srcip="10.' + (i % 200) + '.' + (i % 250) + '.1" srcport="' + (1024 + (i % 60000)) + '" dstip="172.16.0.' + (i % 250) + '" dstport="443"]' +
      ' benchmark message #' + i + ' 阻断 attack from a simulated source with some padding text to look like a real log line';
    inFlight++;
    s.send(msg, port, '127.0.0.1', done);
  }
  if (sent < total) setTimeout(tick, 1);
  else {
    const wait = () => (inFlight > 0 ? setTimeout(wait, 5) : (process.stdout.write(JSON.stringify({ sent, seconds: (performance.now() - t0) / 1000 })), s.close()));
    wait();
  }
}
function done() {
  inFlight--;
}
s.bind(0, from, tick);
`;
/** The address the sender process sends from (any 127/8 address is local on Linux). */
const SENDER_IP = '127.0.99.1';

function rcvbufErrors(): number | null {
  try {
    const lines = fs.readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
    const head = lines[0]!.split(/\s+/);
    const vals = lines[1]!.split(/\s+/);
    const i = head.indexOf('RcvbufErrors');
    return i === -1 ? null : Number(vals[i]);
  } catch {
    return null;
  }
}

export async function runSyslogBench(opts: SyslogBenchOptions = {}): Promise<SyslogBenchResult> {
  const rate = opts.rate ?? 20_000;
  const seconds = opts.seconds ?? 10;
  const log = opts.log ?? ((l: string) => console.log(l));
  const admin = opts.adminUrl ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let url = opts.databaseUrl ?? process.env.DATABASE_URL;
  let dropScratch: (() => Promise<void>) | null = null;
  if (!url) {
    const name = `zy_bench_syslog_${process.pid}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`create database ${name} encoding 'UTF8' template template0`);
    await c.end();
    const u = new URL(admin);
    u.pathname = `/${name}`;
    url = u.toString();
    dropScratch = async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    };
  }
  const logger = createLogger(process.env.ZHENGYUN_LOG_LEVEL ?? 'warn');
  try {
    await migrate(url, logger);
    const config = loadConfig({ databaseUrl: url, logLevel: 'warn', demo: false, masterKey: '00112233445566778899aabbccddeeff' }, {});
    const database = createDatabase(url, 10);
    const jobs = new JobQueue(url, logger);
    const deps: PlatformDeps = { config, logger, db: database.db, pool: database.pool, cipher: new FieldCipher(config.masterKey!), jobs, embedded: false };
    const { app, container } = await buildApp(deps, { serveWeb: false });
    let cleanup: (() => Promise<void>) | null = null;
    try {
      // One provider, one node, the sender's address registered as a firewall.
      const ctx = systemContext('bench');
      const stamp = Date.now().toString(36);
      const providerId = await withTx(deps.db, ctx, (trx) =>
        container.organisations.createIn(trx, ctx, { kind: 'cloud_provider', name: `基准云服务商-${stamp}`, parentId: null, code: null, shortName: null, description: null }),
      );
      const nodeId = await container.directory.ensureCloudNode(ctx, { code: `SB${stamp}`.slice(0, 30), name: `基准节点-${stamp}`, cloudType: 'service', providerOrgId: providerId });
      // The sender binds a loopback address of its own, so an existing database's sources are not touched.
      if ((await container.syslogSources.loadAll()).some((x) => x.network === `${SENDER_IP}/32`)) {
        throw new Error(`a syslog source for ${SENDER_IP} already exists in this database: use a scratch database (unset DATABASE_URL)`);
      }
      const source = await container.syslogSources.create(ctx, {
        network: SENDER_IP, providerOrgId: providerId, nodeId, kind: 'security_device', deviceName: '基准防火墙', serialNumber: 'BENCH-FW-1', deviceType: '防火墙', enabled: true,
      });
      cleanup = () => container.syslogSources.remove(ctx, source.id);

      const receiver = container.syslogReceiver;
      const started = await receiver.start({ host: '127.0.0.1', port: 0 });
      log(`receiver on udp/tcp 127.0.0.1:${started.port}, UDP receive buffer ${started.recvBufferBytes} bytes (${(started.recvBufferBytes / 2 ** 20).toFixed(1)} MiB)`);
      log(`sending ${rate} messages/s for ${seconds} s from a separate process …`);
      const errorsBefore = rcvbufErrors();
      const t0 = performance.now();
      const out = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', SENDER, String(started.port), String(rate), String(seconds), SENDER_IP], { stdio: ['ignore', 'pipe', 'inherit'] });
        let text = '';
        child.stdout.on('data', (d: Buffer) => (text += d.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`sender exited with ${code}`))));
      });
      const { sent, seconds: sendSeconds } = JSON.parse(out) as { sent: number; seconds: number };
      // Wait until nothing more arrives, then write what is buffered.
      let last = -1;
      while (receiver.counters.received !== last) {
        last = receiver.counters.received;
        await new Promise((r) => setTimeout(r, 500));
      }
      await receiver.flushAll(true);
      const totalSeconds = (performance.now() - t0) / 1000;
      const errorsAfter = rcvbufErrors();
      // Counted as the platform: the pool's role sees interface rows only inside a scoped transaction (RLS).
      const scoped = await countScoped(database.pool, providerId);
      const result: SyslogBenchResult = {
        sent,
        sendSeconds: round(sendSeconds),
        sentPerSecond: Math.round(sent / sendSeconds),
        received: receiver.counters.received,
        stored: scoped,
        lost: sent - scoped,
        storedPerSecond: Math.round(scoped / totalSeconds),
        totalSeconds: round(totalSeconds),
        recvBufferBytes: started.recvBufferBytes,
        kernelRcvbufErrors: errorsBefore === null || errorsAfter === null ? null : errorsAfter - errorsBefore,
        rejected: receiver.counters.rejected,
        dropped: receiver.counters.dropped,
      };
      log(`sent      ${result.sent} messages in ${result.sendSeconds} s = ${result.sentPerSecond} messages/s`);
      log(`received  ${result.received} (receiver counter)`);
      log(`stored    ${result.stored} rows in ingest_security_device_log, ${result.storedPerSecond} rows/s over ${result.totalSeconds} s (last row committed)`);
      log(`lost      ${result.lost} (sent − stored)${result.lost === 0 ? ' — none lost' : ''}; rejected by validation ${result.rejected}, dropped by the receiver ${result.dropped}`);
      log(`UDP receive buffer ${result.recvBufferBytes} bytes; kernel RcvbufErrors during the run: ${result.kernelRcvbufErrors ?? 'n/a'}`);
      log(`goal: ${rate} messages/s with none lost → ${result.sentPerSecond >= rate * 0.95 && result.lost === 0 ? 'MET' : 'NOT MET'}`);
      return result;
    } finally {
      await app.close();
      await cleanup?.().catch(() => undefined);
      await jobs.stop().catch(() => undefined);
      await database.close();
    }
  } finally {
    await dropScratch?.();
  }
}

async function countScoped(pool: pg.Pool, providerId: string): Promise<number> {
  const c = await pool.connect();
  try {
    await c.query("begin; select set_config('zhengyun.scope_all', 'on', true), set_config('zhengyun.business_access', 'on', true)");
    const r = await c.query<{ n: string }>('select count(*) as n from ingest_security_device_log where provider_org_id = $1', [providerId]);
    await c.query('commit');
    return Number(r.rows[0]!.n);
  } finally {
    c.release();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function argValue(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return undefined;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Options of the other benchmarks of bench:ingest are passed through too and ignored here.
  runSyslogBench({ rate: argValue('syslog-rate') ?? argValue('rate'), seconds: argValue('seconds') })
    .then(() => process.exit(0))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(2);
    });
}
