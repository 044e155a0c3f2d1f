/**
 * The demo feed: on the embedded default with the demo city, `zhengyun start` feeds the demo providers' data through
 * the platform's own push API and syslog port, as the providers would. After the server listens, in the background:
 *
 * 1. the fleet is read from the directory (demo providers, nodes, machine rooms, information systems), each provider
 *    gets its cloudProvider code (码表) if it has none;
 * 2. one ingestion credential per provider named `demo-simulator` is issued (the previous run's are revoked: the
 *    secrets live only in this process's memory);
 * 3. each simulated security device and a few hosts are registered as syslog sources (each sends from its own
 *    loopback address 127.0.1.n / 127.0.2.n), and each node's query endpoint points at a small server of this process;
 * 4. the last 3 days are backfilled (or the gap since the last stored metrics) at reduced density — at most 20 hosts per
 *    provider, 5-minute slots, a fifth of the protocol and log volume — then data is pushed in real time every 5 minutes.
 *
 * Nothing here may delay or fail the start: every step that is refused is logged and the rest goes on.
 * Switched off by `--no-demo` or ZHENGYUN_DEMO_FEED=off.
 */
import type { Logger } from '../platform/logger.js';
import { DEMO_ORGS } from '../modules/demo/index.js';
import { buildFleet, fleetSummary, type Fleet } from './fleet.js';
import { issueCredentials, lastMetricTimes, readDirectorySkeleton, registerQueryEndpoints, registerSyslogSources, type BootstrapContainer } from './bootstrap.js';
import { Pusher } from './pusher.js';
import { SyslogSender } from './syslog-sender.js';
import { Simulation, type SimulationStats } from './engine.js';
import { startQueryEndpoint, type QueryEndpointServer } from './query-endpoint.js';
import { DAY_MS, SLOT_MS, slotStart } from './random.js';
import { inOutage, type Outage } from './faults.js';

export interface DemoFeedOptions {
  /** Base URL of the platform's API (this process). */
  url: string;
  logger: Logger;
  /** The platform's syslog receiver, or null when it is off. */
  syslog?: { host: string; port: number } | null;
  backfillDays?: number;
  hostsPerProvider?: number;
  /** Volume of protocol records and logs (1 = the simulator's normal). */
  density?: number;
  faultRate?: number;
  seed?: number;
  now?: () => number;
  /**
   * Called once the backfill is stored (errors are logged): the platform applies it to the inventory and scores its
   * data quality at once instead of at the jobs' next ticks, so the demo pages are filled right after start.
   */
  afterBackfill?: (backfill: { from: number; to: number }) => Promise<void>;
}

export interface DemoFeed {
  fleet: Fleet;
  /** Simulated start: the backfill's beginning (UTC ms). */
  from: number;
  simulation: Simulation;
  /** Resolves when the backfill is over and the first live slot was sent. */
  caughtUp: Promise<SimulationStats>;
  /** Resolves when the feed stops (after `stop()`). */
  done: Promise<SimulationStats>;
  stop(): Promise<void>;
}

/** ZHENGYUN_DEMO_FEED=off (or false, 0, no) switches the demo feed off. */
export function demoFeedEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.ZHENGYUN_DEMO_FEED ?? '').trim().toLowerCase();
  return !['off', 'false', '0', 'no'].includes(v);
}

/**
 * Starts the demo feed; resolves once set up (the backfill and live pushes continue in the background), or null
 * when there is nothing to feed or setting up failed (logged). Never throws.
 */
export async function startDemoFeed(container: BootstrapContainer, opts: DemoFeedOptions): Promise<DemoFeed | null> {
  const log = opts.logger;
  const now = opts.now ?? Date.now;
  const servers: QueryEndpointServer[] = [];
  try {
    // Only the demo city's providers: an embedded install with real providers is never fed simulated data.
    const skeleton = await readDirectorySkeleton(container, { providerOrgCodes: DEMO_ORGS.filter((o) => o.kind === 'cloud_provider').map((o) => o.code) });
    if (skeleton.length === 0) {
      log.info('demo feed: no demo provider (CSP-HJ, CSP-YS, CSP-KX) runs a node, nothing to simulate');
      return null;
    }
    const fleet = buildFleet(skeleton, { seed: opts.seed ?? 1, hostsPerSystem: 6, maxHostsPerProvider: opts.hostsPerProvider ?? 20 });
    const credentials = await issueCredentials(container, skeleton);
    // One table a provider never sends and a 2-hour silence of another inside the backfill: data quality shows both.
    const backfillDays = opts.backfillDays ?? 3;
    const skipTables = fleet.providers.length > 1 ? [{ provider: fleet.providers[1]!.code, table: 'vpnRemoteLogin' }] : [];
    let syslog: SyslogSender | null = null;
    if (opts.syslog) {
      try {
        const r = await registerSyslogSources(container, fleet);
        syslog = new SyslogSender({ host: opts.syslog.host, port: opts.syslog.port });
        log.info({ ...r }, 'demo feed: syslog sources of the simulated devices registered');
      } catch (err) {
        log.warn({ err }, 'demo feed: registering syslog sources was refused; no syslog is sent');
      }
    }
    const outages: Outage[] = [];
    let simStart = now();
    try {
      for (const p of fleet.providers) servers.push(await startQueryEndpoint(p, { isDown: () => inOutage(outages, p.code, simStart, now()) }));
      const secrets = await registerQueryEndpoints(container, fleet, (nodeCode) => servers.find((s) => s.provider.nodes.some((n) => n.code === nodeCode))!.baseUrl(nodeCode));
      for (const s of servers) for (const n of s.provider.nodes) if (secrets.has(n.code)) s.setSecret(n.code, secrets.get(n.code)!);
    } catch (err) {
      log.warn({ err }, 'demo feed: registering the query endpoints was refused; the poller has nothing to ask');
    }
    // Resume after the last stored metrics, else backfill `backfillDays`.
    const t = now();
    const last = await lastMetricTimes(container, fleet.providers.map((p) => p.orgId!).filter(Boolean));
    const floor = slotStart(t - backfillDays * DAY_MS);
    const resumeAt = fleet.providers.map((p) => (p.orgId && last.has(p.orgId) ? slotStart(last.get(p.orgId)!) + SLOT_MS : floor));
    const from = Math.max(floor, Math.min(...resumeAt));
    simStart = from;
    if (fleet.providers.length > 1 && t - from > 12 * 3600_000) outages.push({ provider: fleet.providers[fleet.providers.length - 1]!.code, startMinute: Math.round((t - from) / 60_000 / 2), minutes: 120 });
    const pusher = new Pusher({ url: opts.url, credentials, concurrency: 2 });
    let caughtUp!: (s: SimulationStats) => void;
    const caughtUpPromise = new Promise<SimulationStats>((resolve) => (caughtUp = resolve));
    const started = now();
    const simulation = new Simulation({
      fleet,
      pusher,
      syslog,
      faultRate: opts.faultRate ?? 0.01,
      outages,
      skipTables,
      density: opts.density ?? 0.2,
      runId: `demo-${started.toString(36)}`,
      log: (line) => log.debug({ feed: line }, 'demo feed progress'),
      progressEveryMs: 30_000,
      onCaughtUp: (s) => {
        log.info(
          { slots: s.slots, records: s.records, accepted: s.accepted, rejected: s.rejected, failedBatches: s.batchesFailed, failures: s.failures, ms: now() - started },
          'demo feed: backfill done, now pushing every 5 minutes',
        );
        caughtUp({ ...s });
        if (opts.afterBackfill) {
          opts.afterBackfill({ from, to: now() }).catch((err: unknown) => log.warn({ err }, 'demo feed: processing the backfill failed'));
        }
      },
    });
    log.info({ ...fleetSummary(fleet), providers: fleet.providers.map((p) => p.code), from: new Date(from).toISOString(), syslog: syslog !== null, queryEndpoints: servers.length }, 'demo feed: started');
    const done = simulation.run({ from, speed: Infinity }).catch((err: unknown) => {
      log.error({ err }, 'demo feed stopped on an error');
      return simulation.stats;
    });
    return {
      fleet,
      from,
      simulation,
      caughtUp: caughtUpPromise,
      done,
      async stop() {
        // Shutting down: do not hold the stop for the queued pushes; a restart resumes after the last stored metrics.
        simulation.stop({ abandon: true });
        await done;
        await syslog?.close();
        for (const s of servers) await s.close();
      },
    };
  } catch (err) {
    log.warn({ err }, 'demo feed: not started');
    for (const s of servers) await s.close().catch(() => undefined);
    return null;
  }
}
