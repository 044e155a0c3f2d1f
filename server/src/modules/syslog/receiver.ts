/**
 * The syslog receiver: UDP and TCP on one port. Each message is matched to its source by the sender's address
 * (longest prefix), parsed, mapped to a security-device or host log record, buffered per (provider, node, table) and
 * written through the ingestion writer every second or every 5,000 records. Nothing here may throw into the socket
 * handlers: bad input is counted, never fatal.
 */
import net from 'node:net';
import type { Logger } from '../../platform/logger.js';
import type { IngestWriter, RecordError } from '../ingestion/index.js';
import { FrameDecoder, MAX_FRAME_BYTES } from './framing.js';
import { mapMessage, type SourceEntry } from './mapping.js';
import { normalizeIp, PrefixMatcher } from './network.js';
import { decodeText, parseSyslog } from './parser.js';
import { UdpWorker } from './udp-worker.js';
import type { ReceiverCounters, UnknownSender } from './sources.schemas.js';

export interface SourceProvider {
  loadAll(): Promise<SourceEntry[]>;
  onChange(listener: () => void): () => void;
}

export interface ReceiverTuning {
  /** Flush every this many ms (default 1,000). */
  flushIntervalMs?: number;
  /** Flush a buffer as soon as it holds this many records (default 5,000). */
  flushMaxRecords?: number;
  /** Records buffered at most across all buffers; beyond, messages are dropped and counted (default 200,000). */
  maxBuffered?: number;
  /** Reload the sources this often even without a change (default 30 s). */
  refreshIntervalMs?: number;
  maxFrameBytes?: number;
  /** UDP receive buffer asked for; the OS grants at most its limit (net.core.rmem_max on Linux). Default 64 MiB. */
  recvBufferBytes?: number;
  /** Idle TCP connections are closed after this many ms (default 10 minutes). */
  tcpIdleMs?: number;
  /** Batches of one buffer written at the same time (default 3). */
  writeConcurrency?: number;
}

export interface ReceiverAddress {
  host: string;
  /** 0: any free port (the same number for UDP and TCP). */
  port: number;
}

interface Buffered {
  providerOrgId: string;
  nodeId: string;
  table: string;
  records: Record<string, string>[];
  /** Writes of this buffer under way (several at once: PostgreSQL COPYs them in parallel backends). */
  inflight: Set<Promise<void>>;
  failures: number;
}

const MAX_UNKNOWN = 100;
const SAMPLE_CHARS = 500;
const MAX_WRITE_ATTEMPTS = 5;
/** TCP connections pause reading at this share of maxBuffered and resume below TCP_RESUME_AT. */
const TCP_PAUSE_AT = 0.8;
const TCP_RESUME_AT = 0.5;

export class SyslogReceiver {
  private udp: UdpWorker | null = null;
  private tcp: net.Server | null = null;
  private readonly connections = new Set<net.Socket>();
  /** Connections not read while the buffers are nearly full, with what resumes each. */
  private readonly paused = new Map<net.Socket, () => void>();
  private matcher = new PrefixMatcher<SourceEntry>();
  private sourceCount = 0;
  private readonly buffers = new Map<string, Buffered>();
  private bufferedTotal = 0;
  private readonly unknown = new Map<string, { ip: string; firstSeen: Date; lastSeen: Date; count: number; sample: string }>();
  private flushTimer: NodeJS.Timeout | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  private address: { host: string; port: number } | null = null;
  private recvBufferBytes: number | null = null;
  private startedAt: Date | null = null;
  private lastFlushAt: Date | null = null;
  private lastErrorLog = 0;
  private startError: string | null = null;
  private stopping = false;
  private readonly tuning: Required<ReceiverTuning>;
  readonly counters: Omit<ReceiverCounters, 'buffered' | 'tcpConnections'> = {
    received: 0,
    stored: 0,
    rejected: 0,
    dropped: 0,
    unmatched: 0,
    disabled: 0,
    framingErrors: 0,
    udp: 0,
    tcp: 0,
  };

  constructor(
    private readonly deps: { logger: Logger; writer: IngestWriter; sources: SourceProvider },
    tuning: ReceiverTuning = {},
  ) {
    this.tuning = {
      flushIntervalMs: tuning.flushIntervalMs ?? 1000,
      flushMaxRecords: tuning.flushMaxRecords ?? 5000,
      maxBuffered: tuning.maxBuffered ?? 200_000,
      refreshIntervalMs: tuning.refreshIntervalMs ?? 30_000,
      maxFrameBytes: tuning.maxFrameBytes ?? MAX_FRAME_BYTES,
      recvBufferBytes: tuning.recvBufferBytes ?? 64 * 1024 * 1024,
      tcpIdleMs: tuning.tcpIdleMs ?? 10 * 60_000,
      writeConcurrency: tuning.writeConcurrency ?? 3,
    };
  }

  get running(): boolean {
    return this.udp !== null;
  }

  /** Loads the sources and listens on UDP and TCP; resolves with the port bound (for port 0, a free one). */
  async start(addr: ReceiverAddress): Promise<{ host: string; port: number; recvBufferBytes: number }> {
    if (this.udp) throw new Error('the syslog receiver is already running');
    try {
      const r = await this.listen(addr);
      this.startError = null;
      return r;
    } catch (e) {
      this.startError = (e as Error).message;
      throw e;
    }
  }

  private async listen(addr: ReceiverAddress): Promise<{ host: string; port: number; recvBufferBytes: number }> {
    await this.refreshSources();
    const type = net.isIPv6(addr.host) ? 'udp6' : 'udp4';
    let lastError: unknown;
    for (let attempt = 0; attempt < (addr.port === 0 ? 10 : 1); attempt++) {
      // allowHalfOpen: a sender's FIN does not close the connection before its held frames are handled.
      const tcp = net.createServer({ allowHalfOpen: true }, (socket) => this.onConnection(socket));
      tcp.maxConnections = 2000;
      try {
        await new Promise<void>((resolve, reject) => {
          tcp.once('error', reject);
          tcp.listen({ host: addr.host, port: addr.port }, () => {
            tcp.off('error', reject);
            resolve();
          });
        });
      } catch (e) {
        throw new Error(`syslog: cannot listen on TCP ${addr.host}:${addr.port} (ZHENGYUN_SYSLOG_HOST / ZHENGYUN_SYSLOG_PORT): ${(e as Error).message}`, { cause: e });
      }
      const port = (tcp.address() as net.AddressInfo).port;
      let udp: UdpWorker;
      try {
        const r = await UdpWorker.start(
          { host: addr.host, port, type, recvBufferBytes: this.tuning.recvBufferBytes },
          (msg, ip) => this.handle(msg, ip, 'udp'),
          (message) => this.deps.logger.error({ message }, 'syslog UDP socket error'),
        );
        udp = r.udp;
        this.recvBufferBytes = r.recvBufferBytes;
      } catch (e) {
        lastError = e;
        await new Promise<void>((r) => tcp.close(() => r()));
        continue; // the UDP port of that number was taken: try another free TCP port
      }
      tcp.on('error', (err) => this.deps.logger.error({ err }, 'syslog TCP server error'));
      this.udp = udp;
      this.tcp = tcp;
      this.address = { host: addr.host, port };
      this.startedAt = new Date();
      this.flushTimer = setInterval(() => void this.flushAll(), this.tuning.flushIntervalMs);
      this.flushTimer.unref();
      this.refreshTimer = setInterval(() => void this.refreshSources(), this.tuning.refreshIntervalMs);
      this.refreshTimer.unref();
      this.unsubscribe = this.deps.sources.onChange(() => void this.refreshSources());
      this.deps.logger.info(
        { host: addr.host, port, recvBufferBytes: this.recvBufferBytes, requested: this.tuning.recvBufferBytes, sources: this.sourceCount },
        'syslog receiver listening (UDP and TCP)',
      );
      return { host: addr.host, port, recvBufferBytes: this.recvBufferBytes };
    }
    throw new Error(`syslog: cannot listen on UDP ${addr.host}:${addr.port} (ZHENGYUN_SYSLOG_HOST / ZHENGYUN_SYSLOG_PORT): ${(lastError as Error | undefined)?.message ?? 'port taken'}`);
  }

  /** Stops listening, ends the TCP connections (their last frames are still read) and flushes every buffer. */
  async stop(): Promise<void> {
    if (!this.udp) return;
    const udp = this.udp;
    const tcp = this.tcp!;
    this.udp = null;
    this.tcp = null;
    if (this.flushTimer) clearInterval(this.flushTimer);
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.unsubscribe?.();
    await udp.close();
    // Held TCP frames are taken in now, and the rest of each connection read to its end: stop() flushes them all.
    this.stopping = true;
    const held = [...this.paused.values()];
    this.paused.clear();
    for (const pump of held) pump();
    const closed = new Promise<void>((r) => tcp.close(() => r()));
    for (const c of this.connections) c.end();
    const force = setTimeout(() => {
      for (const c of this.connections) c.destroy();
    }, 2000);
    await closed;
    clearTimeout(force);
    await this.flushAll(true);
    this.stopping = false;
    this.deps.logger.info({ ...this.counters }, 'syslog receiver stopped');
  }

  status() {
    return {
      running: this.running,
      error: this.running ? null : this.startError,
      host: this.address?.host ?? null,
      udpPort: this.running ? this.address!.port : null,
      tcpPort: this.running ? this.address!.port : null,
      receiveBufferBytes: this.recvBufferBytes,
      startedAt: this.startedAt?.toISOString() ?? null,
      lastFlushAt: this.lastFlushAt?.toISOString() ?? null,
      sources: this.sourceCount,
      counters: { ...this.counters, buffered: this.bufferedTotal, tcpConnections: this.connections.size },
    };
  }

  /** The last 100 senders that match no source, most recent first. */
  unknownSenders(): UnknownSender[] {
    return [...this.unknown.values()].reverse().map((u) => ({
      ip: u.ip,
      firstSeen: u.firstSeen.toISOString(),
      lastSeen: u.lastSeen.toISOString(),
      count: u.count,
      sample: u.sample,
    }));
  }

  /** Reloads the sources now (coalesced: a change during a reload triggers one more). */
  refreshSources(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        try {
          const entries = await this.deps.sources.loadAll();
          this.matcher = new PrefixMatcher(entries.map((e) => ({ network: e.network, value: e })));
          this.sourceCount = entries.length;
          // Senders registered since: no longer unknown.
          for (const ip of this.unknown.keys()) if (this.matcher.match(ip)) this.unknown.delete(ip);
        } catch (err) {
          this.deps.logger.error({ err }, 'syslog: loading the sources failed; keeping the previous ones');
        }
      } while (this.refreshAgain);
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /**
   * Handles one message (a datagram or a TCP frame) from `ip`. Public for tests and the benchmark. `force`: buffer it
   * even beyond maxBuffered (frames of a TCP connection closing while held back).
   */
  handle(msg: Buffer, senderIp: string, transport: 'udp' | 'tcp', force = false): void {
    this.counters.received++;
    this.counters[transport]++;
    try {
      const ip = normalizeIp(senderIp);
      const source = this.matcher.match(ip);
      if (!source) {
        this.counters.unmatched++;
        this.rememberUnknown(ip, msg);
        return;
      }
      if (!source.enabled) {
        this.counters.disabled++;
        return;
      }
      if (this.bufferedTotal >= this.tuning.maxBuffered && !force) {
        this.counters.dropped++;
        return;
      }
      const now = new Date();
      const { table, record } = mapMessage(parseSyslog(msg, now), source, ip, now);
      const key = `${source.providerOrgId}|${source.nodeId}|${table}`;
      let buf = this.buffers.get(key);
      if (!buf) this.buffers.set(key, (buf = { providerOrgId: source.providerOrgId, nodeId: source.nodeId, table, records: [], inflight: new Set(), failures: 0 }));
      buf.records.push(record);
      this.bufferedTotal++;
      if (buf.records.length >= this.tuning.flushMaxRecords && buf.inflight.size < this.tuning.writeConcurrency) void this.flush(buf);
    } catch (err) {
      this.counters.dropped++;
      this.logRateLimited(err, 'syslog: a message could not be handled');
    }
  }

  /** Writes every buffer now; with `drain`, waits until nothing is buffered or in flight (stop, tests). */
  async flushAll(drain = false): Promise<void> {
    do {
      await Promise.all([...this.buffers.values()].map((b) => this.flush(b)));
    } while (drain && [...this.buffers.values()].some((b) => b.records.length > 0 || b.inflight.size > 0) && (await settle(this.buffers)));
  }

  /** Starts writes of the buffer's records, up to `writeConcurrency` at once; resolves when those started are done. */
  private flush(buf: Buffered): Promise<void> {
    while (buf.records.length > 0 && buf.inflight.size < this.tuning.writeConcurrency) {
      const records = buf.records.splice(0, this.tuning.flushMaxRecords);
      const p: Promise<void> = this.write(buf, records).finally(() => {
        buf.inflight.delete(p);
        if (buf.records.length >= this.tuning.flushMaxRecords) void this.flush(buf);
      });
      buf.inflight.add(p);
    }
    return Promise.all(buf.inflight).then(() => undefined);
  }

  private async write(buf: Buffered, records: Record<string, string>[]): Promise<void> {
    try {
      await this.writeOnce(buf, records);
    } finally {
      if (this.paused.size > 0 && this.bufferedTotal < this.tuning.maxBuffered * TCP_RESUME_AT) {
        const resume = [...this.paused.values()];
        this.paused.clear();
        for (const pump of resume) pump();
      }
    }
  }

  private async writeOnce(buf: Buffered, records: Record<string, string>[]): Promise<void> {
    try {
      const r = await this.deps.writer.writeBatch({
        providerOrgId: buf.providerOrgId,
        nodeId: buf.nodeId,
        table: buf.table,
        source: 'syslog',
        mode: 'partial',
        contentType: 'application/syslog',
        records,
      });
      buf.failures = 0;
      this.bufferedTotal -= records.length;
      this.counters.stored += r.accepted;
      this.counters.rejected += r.rejected;
      this.lastFlushAt = new Date();
      if (r.rejected > 0) this.logRejected(buf, r.errors);
    } catch (err) {
      buf.failures++;
      if (buf.failures >= MAX_WRITE_ATTEMPTS) {
        // Give up on this batch (e.g. its provider or node was removed); the next one starts afresh.
        this.bufferedTotal -= records.length;
        this.counters.dropped += records.length;
        buf.failures = 0;
        this.deps.logger.error({ err, table: buf.table, providerOrgId: buf.providerOrgId, nodeId: buf.nodeId, lost: records.length }, 'syslog: batch dropped after repeated write failures');
      } else {
        // Kept for the next flush (database restarting): back in front, order preserved.
        buf.records.unshift(...records);
        this.logRateLimited(err, 'syslog: writing a batch failed; retrying at the next flush');
      }
    }
  }

  private onConnection(socket: net.Socket): void {
    this.connections.add(socket);
    const ip = socket.remoteAddress ?? '';
    const decoder = new FrameDecoder(this.tuning.maxFrameBytes);
    let dropped = 0;
    let errors = 0;
    let ended = false;
    // Frames decoded but not handled yet: held while the buffers are nearly full (back-pressure instead of loss: the
    // connection stops being read, so a TCP sender waits and queues on its side).
    let pending: Buffer[] = [];
    const pump = () => {
      const limit = this.stopping ? Infinity : this.tuning.maxBuffered * TCP_PAUSE_AT;
      let i = 0;
      while (i < pending.length && this.bufferedTotal < limit) this.handle(pending[i++]!, ip, 'tcp', this.stopping);
      pending = i === pending.length ? [] : pending.slice(i);
      this.counters.dropped += decoder.dropped - dropped;
      this.counters.framingErrors += decoder.framingErrors - errors;
      dropped = decoder.dropped;
      errors = decoder.framingErrors;
      if (pending.length > 0) {
        socket.pause();
        this.paused.set(socket, pump);
        return;
      }
      if (ended) socket.end();
      else socket.resume();
    };
    socket.setTimeout(this.tuning.tcpIdleMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      decoder.push(chunk, pending);
      pump();
    });
    socket.on('end', () => {
      ended = true;
      decoder.end(pending);
      pump();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.connections.delete(socket);
      this.paused.delete(socket);
      // Frames of a connection closed while held (stop, reset) are handled rather than lost.
      if (pending.length > 0) {
        for (const f of pending) this.handle(f, ip, 'tcp', true);
        pending = [];
      }
    });
  }

  private rememberUnknown(ip: string, msg: Buffer): void {
    const now = new Date();
    const sample = decodeText(msg.subarray(0, SAMPLE_CHARS * 3)).slice(0, SAMPLE_CHARS);
    const u = this.unknown.get(ip);
    if (u) {
      this.unknown.delete(ip); // re-inserted last: the map stays in order of last sight
      u.lastSeen = now;
      u.count++;
      u.sample = sample;
      this.unknown.set(ip, u);
      return;
    }
    this.unknown.set(ip, { ip, firstSeen: now, lastSeen: now, count: 1, sample });
    if (this.unknown.size > MAX_UNKNOWN) this.unknown.delete(this.unknown.keys().next().value!);
  }

  private logRejected(buf: Buffered, errors: RecordError[]): void {
    const now = Date.now();
    if (now - this.lastErrorLog < 10_000) return;
    this.lastErrorLog = now;
    this.deps.logger.warn({ table: buf.table, providerOrgId: buf.providerOrgId, nodeId: buf.nodeId, errors: errors.slice(0, 3) }, 'syslog: records refused by validation');
  }

  private logRateLimited(err: unknown, message: string): void {
    const now = Date.now();
    if (now - this.lastErrorLog < 10_000) return;
    this.lastErrorLog = now;
    this.deps.logger.error({ err }, message);
  }
}

async function settle(buffers: Map<string, Buffered>): Promise<boolean> {
  await Promise.all([...buffers.values()].flatMap((b) => [...b.inflight]));
  return true;
}
