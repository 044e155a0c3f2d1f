/**
 * `zhengyun simulate`: runs simulated cloud providers against a platform over its public push API and syslog port.
 *
 *   zhengyun simulate --url http://127.0.0.1:8080 --credentials creds.json [--providers N] [--hosts-per-system K]
 *     [--speed 60] [--from ISO --to ISO] [--fault-rate 0.02] [--outage CODE:MIN[@START]] [--skip-table CODE:table]
 *     [--syslog-port 5514 | --no-syslog] [--seed 1] [--density 1] [--concurrency 4]
 *   zhengyun simulate --bootstrap [--save-credentials creds.json] …   (reads the directory and issues credentials
 *     through the database of DATABASE_URL / the configuration; the platform keeps running elsewhere)
 *
 * The credentials file is a JSON array of { providerCode, node | nodes, token, signingSecret } with, optionally,
 * `providerName`, `rooms` (machine room codes of the node) and `systems` ([{ systemId, name, unitCode, unitName }]):
 * without rooms the records name made-up rooms, which the platform refuses (rule code).
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { buildFleet, fleetSummary, type SkeletonProvider } from './fleet.js';
import { parseOutage, parseSkip, type Outage } from './faults.js';
import { Pusher, type ProviderCredential } from './pusher.js';
import { SyslogSender } from './syslog-sender.js';
import { Simulation } from './engine.js';
import { startQueryEndpoint, type QueryEndpointServer } from './query-endpoint.js';
import { inOutage } from './faults.js';
import type { BootstrapContainer } from './bootstrap.js';

export interface CredentialFileEntry extends ProviderCredential {
  providerName?: string;
  rooms?: string[];
  systems?: Array<{ systemId: string; name?: string; unitCode?: string; unitName?: string }>;
}

export interface SimulateCliOptions {
  url: string;
  credentials?: string;
  bootstrap?: boolean;
  saveCredentials?: string;
  providers?: string;
  hostsPerSystem: string;
  speed?: string;
  from?: string;
  to?: string;
  faultRate: string;
  outage: string[];
  skipTable: string[];
  syslog: boolean;
  syslogHost: string;
  syslogPort: string;
  seed: string;
  density: string;
  concurrency: string;
  queryEndpoints: boolean;
}

/** Reads and checks a credentials file; errors name the entry and the field. */
export function readCredentialsFile(path: string): CredentialFileEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`--credentials ${path}: cannot read it as JSON (${(e as Error).message})`, { cause: e });
  }
  if (!Array.isArray(data) || data.length === 0) throw new Error(`--credentials ${path}: expected a non-empty JSON array of { providerCode, node, token, signingSecret }`);
  return data.map((raw, i) => {
    const e = raw as Record<string, unknown>;
    const need = (k: string, re: RegExp, rule: string) => {
      if (typeof e[k] !== 'string' || !re.test(e[k])) throw new Error(`--credentials ${path}: entry ${i}: ${k} ${rule}`);
    };
    need('providerCode', /^[A-Za-z0-9]{4}$/, 'must be the 4-character cloudProvider code (an4)');
    need('token', /^\S{8,}$/, 'must be the credential token (zyi_…)');
    need('signingSecret', /^\S{8,}$/, 'must be the signing secret');
    if (typeof e.node !== 'string' && !(Array.isArray(e.nodes) && e.nodes.every((n) => typeof n === 'string'))) throw new Error(`--credentials ${path}: entry ${i}: node (a cloud node code) or nodes (a list) is required`);
    return e as unknown as CredentialFileEntry;
  });
}

/** The fleet skeleton a credentials file describes (providers in file order, nodes per provider). */
export function skeletonFromCredentials(entries: readonly CredentialFileEntry[]): SkeletonProvider[] {
  const providers = new Map<string, SkeletonProvider>();
  for (const e of entries) {
    let p = providers.get(e.providerCode);
    if (!p) {
      p = { code: e.providerCode, name: e.providerName ?? `云服务商 ${e.providerCode}`, nodes: [] };
      providers.set(e.providerCode, p);
    }
    for (const node of [...(e.nodes ?? []), ...(e.node ? [e.node] : [])]) {
      if (p.nodes.some((n) => n.code === node)) continue;
      const idx = p.nodes.length + 1;
      const rooms = e.rooms?.length ? e.rooms : [`${e.providerCode.slice(0, 2)}${String(idx).padStart(2, '0')}`];
      const systems = e.systems?.length
        ? e.systems.map((s) => {
            const unitCode = s.unitCode ?? s.systemId.replace(/\d{3}$/, '');
            return { systemId: s.systemId, name: s.name ?? s.systemId, unitCode, unitName: s.unitName ?? unitCode, registered: true };
          })
        : [1, 2, 3].map((k) => ({ systemId: `SIM${e.providerCode}${idx}${String(k).padStart(3, '0')}`, name: `${node} 模拟系统 ${k}`, unitCode: `SIM${e.providerCode}${idx}`, unitName: `${node} 模拟单位`, registered: false }));
      p.nodes.push({ code: node, name: node, rooms, systems });
    }
  }
  return [...providers.values()];
}

function num(name: string, v: string | undefined, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} ${v}: must be a number from ${min} to ${max}`);
  return n;
}

function time(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new Error(`--${name} ${v}: must be an ISO 8601 time such as 2026-11-28T00:00:00+08:00`);
  return t;
}

/** Adds the `simulate` command. `bootstrap` opens the platform's database and returns its container (and a closer). */
export function addSimulateCommand(program: Command, bootstrap: () => Promise<{ container: BootstrapContainer; close(): Promise<void> }>): void {
  program
    .command('simulate')
    .description('Simulate cloud providers: push every interface table through the signed push API and send syslog, in real time or accelerated, with faults and outages')
    .option('--url <url>', 'the platform’s base URL', 'http://127.0.0.1:8080')
    .option('--credentials <file>', 'JSON file: [{ providerCode, node, token, signingSecret, rooms?, systems? }]')
    .option('--bootstrap', 'read providers, nodes, rooms and systems from the platform’s database (DATABASE_URL or the configuration) and issue credentials named demo-simulator')
    .option('--save-credentials <file>', 'with --bootstrap: write the issued credentials (with rooms and systems) to this file')
    .option('--providers <n>', 'simulate only the first N providers')
    .option('--hosts-per-system <k>', 'cloud hosts per information system', '4')
    .option('--speed <x>', 'simulated time per real time (1 = real time); never ahead of the real clock, so an accelerated run starts in the past (--from, default 24 h ago) and catches up. Default: 1, or as fast as possible with --from')
    .option('--from <iso>', 'simulated start (default: now); a past start is backfilled')
    .option('--to <iso>', 'simulated end (default: run until stopped)')
    .option('--fault-rate <share>', 'share of records broken in one field (wrong length, date, IP, code, number, unknown or missing field)', '0')
    .option('--outage <code:minutes[@start]>', 'provider silent for MINUTES from START minutes after the simulated start (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--skip-table <code:table>', 'a table a provider never sends (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--no-syslog', 'send no syslog')
    .option('--syslog-host <host>', 'the platform’s syslog receiver', '127.0.0.1')
    .option('--syslog-port <port>', 'the platform’s syslog port (UDP and TCP)', '5514')
    .option('--seed <n>', 'seed of the fleet and the data', '1')
    .option('--density <x>', 'volume of network-protocol records and logs (1 = normal)', '1')
    .option('--concurrency <n>', 'pushes in flight at once', '4')
    .option('--no-query-endpoints', 'with --bootstrap and no --to: do not serve and register the providers’ query endpoints')
    .action(async (o: SimulateCliOptions) => {
      const seed = num('seed', o.seed, 0, 2 ** 31, 1);
      const hostsPerSystem = num('hosts-per-system', o.hostsPerSystem, 0, 1000, 4);
      const faultRate = num('fault-rate', o.faultRate, 0, 1, 0);
      const density = num('density', o.density, 0, 100, 1);
      const concurrency = num('concurrency', o.concurrency, 1, 64, 4);
      const providersLimit = o.providers === undefined ? undefined : num('providers', o.providers, 1, 10_000, 1);
      let from = time('from', o.from);
      const to = time('to', o.to);
      const speed = o.speed !== undefined ? num('speed', o.speed, 0.001, 1_000_000, 1) : from !== undefined ? Infinity : 1;
      // Accelerated without a start: replay the last day at that speed, then go on in real time.
      if (from === undefined && speed > 1) from = Date.now() - 86_400_000;
      const outages: Outage[] = o.outage.map(parseOutage);
      const skipTables = o.skipTable.map(parseSkip);
      if (!o.credentials && !o.bootstrap) throw new Error('simulate: give --credentials <file> or --bootstrap');

      let skeleton: SkeletonProvider[];
      let credentials: ProviderCredential[];
      let boot: { container: BootstrapContainer; close(): Promise<void> } | null = null;
      const servers: QueryEndpointServer[] = [];
      if (o.bootstrap) {
        const b = await import('./bootstrap.js');
        boot = await bootstrap();
        skeleton = await b.readDirectorySkeleton(boot.container, { providers: providersLimit });
        if (skeleton.length === 0) throw new Error('simulate --bootstrap: no cloud provider runs a node in this database');
        credentials = await b.issueCredentials(boot.container, skeleton, 'simulator-cli');
        if (o.saveCredentials) {
          const entries: CredentialFileEntry[] = skeleton.flatMap((p) =>
            p.nodes.map((n) => {
              const c = credentials.find((x) => x.providerCode === p.code)!;
              return { providerCode: p.code, providerName: p.name, node: n.code, token: c.token, signingSecret: c.signingSecret, rooms: n.rooms, systems: n.systems.filter((s) => s.registered).map((s) => ({ systemId: s.systemId, name: s.name, unitCode: s.unitCode, unitName: s.unitName })) };
            }),
          );
          fs.writeFileSync(o.saveCredentials, JSON.stringify(entries, null, 2), { mode: 0o600 });
          console.log(`Credentials written to ${o.saveCredentials} (keep it secret).`);
        }
      } else {
        const entries = readCredentialsFile(o.credentials!);
        skeleton = skeletonFromCredentials(entries).slice(0, providersLimit);
        credentials = entries;
      }
      const fleet = buildFleet(skeleton, { seed, hostsPerSystem });
      const simStartRef = { at: from ?? Date.now() };
      // A run with an end (a backfill) sends no syslog (only live slots do) and needs no query endpoints: leave the
      // registered sources and endpoints (e.g. the demo feed's) alone.
      if (boot && to === undefined) {
        const b = await import('./bootstrap.js');
        if (o.syslog) {
          const r = await b.registerSyslogSources(boot.container, fleet);
          console.log(`Syslog sources: ${r.created} registered, ${r.updated} updated.`);
        }
        if (o.queryEndpoints) {
          for (const p of fleet.providers) servers.push(await startQueryEndpoint(p, { isDown: () => inOutage(outages, p.code, simStartRef.at, Date.now()) }));
          const secrets = await b.registerQueryEndpoints(boot.container, fleet, (node) => servers.find((s) => s.provider.nodes.some((n) => n.code === node))!.baseUrl(node));
          for (const s of servers) for (const n of s.provider.nodes) if (secrets.has(n.code)) s.setSecret(n.code, secrets.get(n.code)!);
          console.log(`Query endpoints: ${secrets.size} node(s) point at this process.`);
        }
      }
      const summary = fleetSummary(fleet);
      console.log(
        `Fleet (seed ${seed}): ${summary.providers} providers [${fleet.providers.map((p) => p.code).join(', ')}], ${summary.nodes} nodes, ${summary.rooms} rooms, ${summary.systems} systems, ${summary.hosts} cloud hosts, ${summary.devices} devices, ${summary.envDevices} environment devices.`,
      );
      const syslog = o.syslog ? new SyslogSender({ host: o.syslogHost, port: num('syslog-port', o.syslogPort, 1, 65535, 5514) }) : null;
      const sim = new Simulation({
        fleet,
        pusher: new Pusher({ url: o.url, credentials, concurrency }),
        syslog,
        faultRate,
        outages,
        skipTables,
        density,
        runId: `sim-${seed}-${Date.now().toString(36)}`,
        log: (line) => console.log(line),
        progressEveryMs: 2000,
      });
      const stop = () => sim.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const started = Date.now();
      const stats = await sim.run({ from, to, speed });
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await syslog?.close();
      for (const s of servers) await s.close();
      await boot?.close();
      const secs = (Date.now() - started) / 1000;
      console.log(
        `Done: ${stats.slots} slots, ${stats.records} records in ${stats.batches} batches (${stats.faulty} made faulty) in ${secs.toFixed(1)} s: accepted ${stats.accepted}, rejected ${stats.rejected}, failed batches ${stats.batchesFailed}, syslog ${stats.syslogSent}.`,
      );
      for (const [k, n] of Object.entries(stats.failures)) console.log(`  ${n} × ${k}`);
      if (stats.batchesFailed > 0 && stats.accepted === 0) process.exitCode = 1;
    });
}
