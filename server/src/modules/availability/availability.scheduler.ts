import os from 'node:os';
import type { Logger } from '../../platform/logger.js';
import type { AvailabilityService, Attempt, ClaimedProbe } from './availability.service.js';
import { defaultGuard, probeDns, probeHttp, probeIcmpMany, probeTcp, type DnsConfig, type HttpConfig, type ProbeOutcome, type TargetGuard } from './probes.js';

export interface SchedulerOptions {
  /** This worker's name in claims and results (default host:pid). */
  workerId?: string;
  /** Probes in flight at most (default 400). */
  maxInFlight?: number;
  /** How often due probes are claimed (default 1000 ms). */
  tickMs?: number;
  /** Added to a claim's run time (timeout × attempts) before it expires (default 15 s). */
  leaseMs?: number;
  /** Which addresses may be probed (default: all but link-local and unspecified ones). */
  guard?: TargetGuard;
}

/** Runs one probe once. ICMP is batched by the caller (one fping for many targets). */
async function runOne(p: ClaimedProbe, guard: TargetGuard): Promise<ProbeOutcome> {
  if (p.kind === 'tcp') return probeTcp(p.target, p.port ?? 0, p.timeoutMs, guard);
  if (p.kind === 'http') return probeHttp(p.target, p.config as HttpConfig, p.timeoutMs, guard);
  if (p.kind === 'dns') return probeDns(p.target, p.config as DnsConfig, p.timeoutMs);
  const res = await probeIcmpMany([p.target], { timeoutMs: p.timeoutMs, guard, count: 3 });
  return res.get(p.target) ?? { ok: false, rttMs: null, detail: '无结果' };
}

/**
 * The probe scheduler of one worker process: every tick it claims the due probes (up to what it has room for) and
 * runs them without waiting for the tick's others; a failed slot is re-checked at once `retries` times (立即核实)
 * before it counts as down. ICMP probes of a tick share one fping process. Any number of workers may run it: claims
 * are FOR UPDATE SKIP LOCKED and a slot's result is unique, so no slot runs twice; a claim expires, so a killed
 * worker's probes run again elsewhere within one interval.
 */
export class ProbeScheduler {
  readonly workerId: string;
  private readonly maxInFlight: number;
  private readonly tickMs: number;
  private readonly leaseMs: number;
  private readonly guard: TargetGuard;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private readonly running = new Set<Promise<void>>();
  /** Counters since start (benchmark and health). */
  readonly stats = { slots: 0, recorded: 0, duplicates: 0, errors: 0, slipMs: [] as number[] };

  constructor(private readonly service: AvailabilityService, private readonly logger: Logger, opts: SchedulerOptions = {}) {
    this.workerId = opts.workerId ?? `${os.hostname()}:${process.pid}`;
    this.maxInFlight = opts.maxInFlight ?? 400;
    this.tickMs = opts.tickMs ?? 1000;
    this.leaseMs = opts.leaseMs ?? 15_000;
    this.guard = opts.guard ?? defaultGuard();
  }

  get started(): boolean {
    return this.timer !== null;
  }

  /** Starts the claim loop (idempotent). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
    void this.tick();
  }

  /** Stops claiming and waits for the probes in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running]);
  }

  /** Claims and starts what is due; resolves once claimed (not when the probes finish). */
  async tick(): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    try {
      const room = this.maxInFlight - this.inFlight;
      const claimed = await this.service.claimDue(this.workerId, room, this.leaseMs);
      if (!claimed.length) return 0;
      const now = Date.now();
      for (const p of claimed) this.stats.slipMs.push(now - p.slot.getTime());
      if (this.stats.slipMs.length > 200_000) this.stats.slipMs.splice(0, 100_000);
      const icmp = claimed.filter((p) => p.kind === 'icmp');
      const others = claimed.filter((p) => p.kind !== 'icmp');
      for (const p of others) this.track(this.runSlot(p, () => runOne(p, this.guard)));
      if (icmp.length) this.track(this.runIcmpBatch(icmp));
      return claimed.length;
    } catch (e) {
      this.stats.errors++;
      this.logger.warn({ err: e }, 'availability: claiming due probes failed');
      return 0;
    } finally {
      this.ticking = false;
    }
  }

  /** Runs everything due now and waits for it (tests, the sweep job). */
  async runDue(): Promise<number> {
    const n = await this.tick();
    await Promise.allSettled([...this.running]);
    return n;
  }

  private pending: Array<{ probe: ClaimedProbe; attempts: Attempt[]; done: () => void }> = [];
  private flushTimer: NodeJS.Timeout | null = null;

  /** Finished slots are written in batches (every 200 ms or 500 slots): one transaction for the many that keep their state. */
  private record(probe: ClaimedProbe, attempts: Attempt[]): Promise<void> {
    return new Promise((done) => {
      this.pending.push({ probe, attempts, done });
      if (this.pending.length >= 500) void this.flush();
      else if (!this.flushTimer) this.flushTimer = setTimeout(() => void this.flush(), 200);
    });
  }

  private async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const batch = this.pending.splice(0);
    if (!batch.length) return;
    try {
      const r = await this.service.recordSlots(this.workerId, batch);
      this.stats.recorded += r.recorded;
      this.stats.duplicates += r.duplicates;
    } catch (e) {
      this.stats.errors++;
      this.logger.warn({ err: e }, 'availability: recording probe results failed');
    } finally {
      for (const b of batch) b.done();
    }
  }

  private track(p: Promise<void>): void {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  private async runIcmpBatch(list: ClaimedProbe[]): Promise<void> {
    const timeoutMs = Math.max(...list.map((p) => p.timeoutMs));
    this.inFlight += list.length;
    let first: Map<string, ProbeOutcome>;
    try {
      first = await probeIcmpMany(list.map((p) => p.target), { timeoutMs, guard: this.guard, count: 3 });
    } catch (e) {
      first = new Map(list.map((p) => [p.target, { ok: false, rttMs: null, detail: `fping 失败：${(e as Error).message}` }]));
    } finally {
      this.inFlight -= list.length;
    }
    await Promise.all(list.map((p) => this.runSlot(p, () => runOne(p, this.guard), first.get(p.target))));
  }

  private async runSlot(p: ClaimedProbe, run: () => Promise<ProbeOutcome>, firstOutcome?: ProbeOutcome): Promise<void> {
    this.inFlight++;
    this.stats.slots++;
    try {
      const attempts: Attempt[] = [];
      let o = firstOutcome ?? (await safe(run));
      attempts.push({ ...o, attempt: 0, checkedAt: new Date() });
      // 立即核实: a failure is re-checked at once before the probe counts as down (not while it is down already).
      for (let i = 1; !o.ok && p.state !== 'down' && i <= p.retries; i++) {
        o = await safe(run);
        attempts.push({ ...o, attempt: i, checkedAt: new Date() });
      }
      await this.record(p, attempts);
    } catch (e) {
      this.stats.errors++;
      this.logger.warn({ err: e, probeId: p.id }, 'availability: a probe slot failed');
    } finally {
      this.inFlight--;
    }
  }
}

async function safe(run: () => Promise<ProbeOutcome>): Promise<ProbeOutcome> {
  try {
    return await run();
  } catch (e) {
    return { ok: false, rttMs: null, detail: `探测异常：${(e as Error).message}` };
  }
}
