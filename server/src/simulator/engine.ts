/**
 * The simulation loop: walks simulated time slot by slot (5 minutes), generates every table for every (provider,
 * node) — 5-minute tables per slot, daily tables at each Beijing midnight and at the start, weekly ones on Mondays and
 * at the start — injects faults and outages, batches records (≤ 500, one batch per table and node per live slot;
 * batches span slots while backfilling) and pushes them; security-device and host logs of live slots also go out as
 * syslog. The simulated clock runs at `speed` × real time but never ahead of the real clock, so accelerated runs
 * catch up with the present and continue in real time.
 */
import type { Fleet, FleetNode, FleetProvider } from './fleet.js';
import { fleetNodes } from './fleet.js';
import { GENERATORS, type SimRecord } from './generators.js';
import { applyFault, inOutage, type Outage } from './faults.js';
import { MAX_BATCH_RECORDS, type BodyFormat, type PushOutcome, type Pusher } from './pusher.js';
import { Rng, SLOT_MS, beijingDateTime, beijingDayStart, beijingWeekStart, slotStart } from './random.js';
import { hostMessage, securityMessage, syslogSources, type SyslogSender, type SyslogSourceDevice } from './syslog-sender.js';

export interface SimulationOptions {
  fleet: Fleet;
  pusher: Pusher;
  syslog?: SyslogSender | null;
  /** Share of records broken in one field (0…1). */
  faultRate?: number;
  outages?: Outage[];
  /** Tables a provider never sends: provider code → table names. */
  skipTables?: Array<{ provider: string; table: string }>;
  /** Volume of network-protocol records and logs (1 = normal). */
  density?: number;
  /** Share of batches sent as CSV in GBK, and as NDJSON. */
  csvShare?: number;
  ndjsonShare?: number;
  /** Share of syslog messages sent over TCP, and in RFC 3164 (else 5424). */
  syslogTcpShare?: number;
  syslog3164Share?: number;
  /** Syslog messages per source per live slot (mean). */
  syslogPerSourceSlot?: number;
  /** Only these tables (default all 35). */
  tables?: readonly string[];
  /** Prefix of idempotency keys (unique per run). */
  runId: string;
  /** Progress lines (one per interval). */
  log?: (line: string) => void;
  /** Minimum real time between two progress lines while backfilling (default 2 s). */
  progressEveryMs?: number;
  /** A slot is "live" when its end is within this of the real clock: then batches are flushed per slot and syslog sent. */
  liveWindowMs?: number;
  now?: () => number;
  /** Called once, when the first live slot has been sent (the backfill is over). */
  onCaughtUp?: (stats: SimulationStats) => void;
  /** Called with every batch outcome (tests). */
  onBatch?: (table: string, providerCode: string, nodeCode: string, outcome: PushOutcome, faulty: number) => void;
}

export interface SimulationStats {
  slots: number;
  /** Records pushed and answered (accepted + rejected), of which `faulty` were broken on purpose. */
  records: number;
  faulty: number;
  accepted: number;
  rejected: number;
  batches: number;
  batchesFailed: number;
  replayed: number;
  syslogSent: number;
  skippedOutage: number;
  /** Records of pushes cancelled by an abandoning stop (neither accepted nor rejected). */
  cancelled: number;
  /** Per table: accepted, rejected. */
  perTable: Record<string, { accepted: number; rejected: number; batches: number }>;
  /** Distinct failures (code/message) with counts. */
  failures: Record<string, number>;
}

interface Buffer {
  provider: FleetProvider;
  node: FleetNode;
  table: string;
  records: SimRecord[];
}

export class Simulation {
  readonly stats: SimulationStats = { slots: 0, records: 0, faulty: 0, accepted: 0, rejected: 0, batches: 0, batchesFailed: 0, replayed: 0, syslogSent: 0, skippedOutage: 0, cancelled: 0, perTable: {}, failures: {} };
  private readonly buffers = new Map<string, Buffer>();
  /** Records broken by the fault model (counted exactly per batch). */
  private readonly faultyRecords = new WeakSet<SimRecord>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly generators;
  private readonly nodes;
  private readonly sources: SyslogSourceDevice[];
  private seq = 0;
  private simStart = 0;
  private lastProgress = 0;
  private lastPrinted: SimulationStats | null = null;
  private stopped = false;
  private caughtUp = false;
  private abandoned = false;
  private wake: (() => void) | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: SimulationOptions) {
    this.generators = GENERATORS.filter((g) => !opts.tables || opts.tables.includes(g.table));
    this.nodes = fleetNodes(opts.fleet);
    this.sources = opts.syslog ? syslogSources(opts.fleet) : [];
    this.now = opts.now ?? Date.now;
  }

  /**
   * Stops a running `run()` after the slot in progress: the records buffered are still pushed, unless `abandon`
   * (shutting down): then pending pushes are cancelled and the buffers dropped.
   */
  stop(opts: { abandon?: boolean } = {}): void {
    this.stopped = true;
    if (opts.abandon) {
      this.abandoned = true;
      this.opts.pusher.cancel();
    }
    this.wake?.();
  }

  /**
   * Runs from `from` (default: now) until `to` (default: until stopped), at `speed` × real time (Infinity: as fast
   * as possible) but never ahead of the real clock. Resolves when done, after every push has been answered.
   */
  async run(opts: { from?: number; to?: number; speed?: number } = {}): Promise<SimulationStats> {
    const realStart = this.now();
    const from = slotStart(opts.from ?? realStart);
    const speed = opts.speed ?? 1;
    this.simStart = from;
    let slot = from;
    let first = true;
    while (!this.stopped) {
      const slotEnd = slot + SLOT_MS;
      if (opts.to !== undefined && slotEnd > opts.to) break;
      // Wait until the simulated clock has passed the end of the slot.
      for (;;) {
        if (this.stopped) break;
        const real = this.now();
        const sim = speed === Infinity ? real : Math.min(real, from + (real - realStart) * speed);
        if (sim >= slotEnd) break;
        const waitMs = speed === Infinity ? slotEnd - real : Math.min(slotEnd - real, (slotEnd - sim) / speed);
        await this.sleep(Math.max(5, Math.min(waitMs, 60_000)));
      }
      if (this.stopped) break;
      await this.slot(slot, first, speed !== Infinity);
      first = false;
      slot = slotEnd;
    }
    if (!this.abandoned) await this.flushAll();
    await this.drain();
    this.progress(slot, true);
    return this.stats;
  }

  /**
   * Generates and sends one slot [at, at + 5 min). `first`: also the daily and weekly tables. `paced`: the run follows
   * a clock (finite speed), so the slot is sent as a whole like a live one, syslog included.
   */
  async slot(at: number, first = false, paced = false): Promise<void> {
    const { fleet } = this.opts;
    const live = paced || at + SLOT_MS >= this.now() - (this.opts.liveWindowMs ?? 10 * 60_000);
    const dayStart = beijingDayStart(at);
    const newDay = first || dayStart === at;
    const newWeek = first || beijingWeekStart(at) === at;
    for (const { provider, node } of this.nodes) {
      if (inOutage(this.opts.outages ?? [], provider.code, this.simStart, at)) {
        this.stats.skippedOutage++;
        continue;
      }
      for (const g of this.generators) {
        if (this.opts.skipTables?.some((s) => s.provider === provider.code && s.table === g.table)) continue;
        let periodAt: number;
        if (g.period === 'PT5M') periodAt = at;
        else if (g.period === 'P1D') {
          if (!newDay) continue;
          periodAt = dayStart;
        } else {
          if (!newWeek) continue;
          periodAt = beijingWeekStart(at);
        }
        const density = this.opts.density ?? 1;
        const records = g.generate({ fleet, provider, node, at: periodAt, rng: Rng.of(fleet.seed, node.code, g.table, periodAt), density });
        if (records.length === 0) continue;
        this.injectFaults(g.table, node.code, periodAt, records);
        this.add(provider, node, g.table, records);
      }
      if (live && this.opts.syslog) this.sendSyslog(provider, node, at);
    }
    this.stats.slots++;
    if (live) {
      await this.flushAll();
      if (!this.caughtUp) {
        this.caughtUp = true;
        this.opts.onCaughtUp?.(this.stats);
      }
    } else await this.backpressure(64);
    this.progress(at + SLOT_MS, live);
  }

  private injectFaults(table: string, nodeCode: string, at: number, records: SimRecord[]): void {
    const rate = this.opts.faultRate ?? 0;
    if (rate <= 0) return;
    const rng = Rng.of(this.opts.fleet.seed, 'fault', nodeCode, table, at);
    for (const r of records) {
      if (rng.chance(rate) && applyFault(table, r, rng)) this.faultyRecords.add(r);
    }
  }

  private add(provider: FleetProvider, node: FleetNode, table: string, records: SimRecord[]): void {
    const key = `${provider.code}\u0000${node.code}\u0000${table}`;
    let b = this.buffers.get(key);
    if (!b) {
      b = { provider, node, table, records: [] };
      this.buffers.set(key, b);
    }
    b.records.push(...records);
    while (b.records.length >= MAX_BATCH_RECORDS) this.send(b, b.records.splice(0, MAX_BATCH_RECORDS));
  }

  private async flushAll(): Promise<void> {
    for (const b of this.buffers.values()) if (b.records.length) this.send(b, b.records.splice(0));
    await this.backpressure(0);
  }

  private send(b: Buffer, records: SimRecord[]): void {
    let faulty = 0;
    for (const r of records) if (this.faultyRecords.has(r)) faulty++;
    this.seq++;
    const rng = Rng.of(this.opts.fleet.seed, 'format', this.opts.runId, this.seq);
    const roll = rng.next();
    const csvShare = this.opts.csvShare ?? 0.03;
    const ndjsonShare = this.opts.ndjsonShare ?? 0.03;
    let format: BodyFormat = roll < csvShare ? 'csv-gbk' : roll < csvShare + ndjsonShare ? 'ndjson' : 'json';
    // An unknown column refuses a whole CSV (its header is wrong), not one record: such batches go as JSON.
    if (format === 'csv-gbk' && records.some((r) => 'unexpectedField' in r)) format = 'json';
    const idempotencyKey = `${this.opts.runId}-${this.seq}`;
    const p = this.opts.pusher
      .push({ providerCode: b.provider.code, node: b.node.code, table: b.table, records, idempotencyKey, format })
      .then((outcome) => {
        if (outcome.error === 'cancelled') {
          this.stats.cancelled += records.length;
          return;
        }
        this.stats.records += records.length;
        this.stats.faulty += faulty;
        this.stats.batches++;
        this.stats.accepted += outcome.accepted;
        this.stats.rejected += outcome.rejected;
        if (outcome.replayed) this.stats.replayed++;
        const t = (this.stats.perTable[b.table] ??= { accepted: 0, rejected: 0, batches: 0 });
        t.accepted += outcome.accepted;
        t.rejected += outcome.rejected;
        t.batches++;
        if (outcome.error && (outcome.status === 0 || outcome.status >= 400) && outcome.accepted === 0) {
          this.stats.batchesFailed++;
          const k = `${outcome.status} ${outcome.error}`.slice(0, 200);
          this.stats.failures[k] = (this.stats.failures[k] ?? 0) + 1;
        }
        this.opts.onBatch?.(b.table, b.provider.code, b.node.code, outcome, faulty);
      });
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private sendSyslog(provider: FleetProvider, node: FleetNode, at: number): void {
    const syslog = this.opts.syslog!;
    const rng = Rng.of(this.opts.fleet.seed, 'syslog', node.code, at);
    const mean = this.opts.syslogPerSourceSlot ?? 1;
    const tcpShare = this.opts.syslogTcpShare ?? 0.2;
    const bsdShare = this.opts.syslog3164Share ?? 0.5;
    const fleet = this.opts.fleet;
    for (const src of this.sources) {
      if (src.providerCode !== provider.code || src.nodeCode !== node.code) continue;
      const table = src.kind === 'security_device' ? 'securityDeviceLog' : 'hostLog';
      // Reuse the table's generator for realistic content, pinned to this device / host.
      const recs = GENERATORS.find((g) => g.table === table)!.generate({ fleet, provider, node, at, rng, density: mean / (table === 'hostLog' ? 4 : 2) });
      for (const r of recs) {
        const format = rng.chance(bsdShare) ? '3164' : '5424';
        let message: string;
        if (src.kind === 'security_device' && src.device) message = securityMessage({ ...r, deviceName: src.device.name }, format);
        else if (src.host) message = hostMessage({ ...r, hostName: src.host.name }, format);
        else continue;
        const p = syslog.send(src.address, message, format, rng.chance(tcpShare)).then((ok) => {
          if (ok) this.stats.syslogSent++;
        });
        this.inflight.add(p);
        void p.finally(() => this.inflight.delete(p));
      }
    }
  }

  /** Waits until at most `max` pushes are pending. */
  private async backpressure(max: number): Promise<void> {
    while (this.inflight.size > max) await Promise.race(this.inflight);
  }

  private async drain(): Promise<void> {
    await this.backpressure(0);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  private progress(simTime: number, force: boolean): void {
    const log = this.opts.log;
    if (!log) return;
    const real = Date.now();
    if (!force && real - this.lastProgress < (this.opts.progressEveryMs ?? 2000)) return;
    this.lastProgress = real;
    const s = this.stats;
    const prev = this.lastPrinted;
    const d = (k: 'records' | 'accepted' | 'rejected' | 'faulty' | 'batches' | 'syslogSent') => s[k] - (prev?.[k] ?? 0);
    log(
      `${beijingDateTime(simTime).slice(0, 16)}  +${d('records')} records (${d('faulty')} faulty) in +${d('batches')} batches: accepted +${d('accepted')}, rejected +${d('rejected')}; syslog +${d('syslogSent')}` +
        `  | total pushed ${s.records}, accepted ${s.accepted}, rejected ${s.rejected}, failed batches ${s.batchesFailed}, syslog ${s.syslogSent}`,
    );
    this.lastPrinted = { ...s, perTable: {}, failures: {} };
  }

  /** Backpressure for callers that drive `slot()` themselves. */
  async settle(): Promise<void> {
    await this.flushAll();
    await this.drain();
  }

  /** Bounded in-flight pushes while backfilling: call between slots. */
  async throttle(max = 64): Promise<void> {
    await this.backpressure(max);
  }
}
