import { spawn } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';

/**
 * The probes Zhengyun runs itself (可用性探测): ICMP (system `fping`, one process for many targets), TCP connect,
 * HTTP(S) and DNS. Every probe has a hard deadline and a body cap, so a hanging port, a TLS handshake that never
 * finishes, a 10 MB body or a redirect loop each end with a recorded result, never a hung worker.
 * SM2 / TLCP (国密双证书) TLS cannot be probed: Node's OpenSSL has no TLCP; such a site answers with a handshake failure,
 * recorded as such (docs/availability.md).
 */
export interface ProbeOutcome {
  ok: boolean;
  rttMs: number | null;
  lossPct?: number | null;
  httpStatus?: number | null;
  /** Chinese, shown on the board and the probe detail. */
  detail: string;
  tlsExpiresAt?: Date | null;
}

export interface HttpConfig {
  /** Accepted status codes (default 200–399). */
  expectStatus?: number[];
  keyword?: string;
  /** True: the keyword must be absent. */
  keywordAbsent?: boolean;
  followRedirects?: boolean;
  maxRedirects?: number;
  maxBodyBytes?: number;
  /** True: an untrusted chain (self-signed) is recorded but not a failure. Expired certificates always fail. */
  allowUntrustedTls?: boolean;
  /** Fail when the certificate expires within this many days (default 0: only when expired). */
  tlsMinDays?: number;
}

export interface DnsConfig {
  recordType?: 'A' | 'AAAA' | 'CNAME' | 'TXT' | 'MX' | 'NS';
  /** Expected value among the answers (exact, case-insensitive). */
  expected?: string;
  /** DNS server "host" or "host:port" (default: the system's). */
  server?: string;
}

/** Decides whether an address may be probed: null = allowed, else the reason (recorded as the result). */
export type TargetGuard = (address: string) => string | null;

/** Default guard: every address but link-local (cloud metadata 169.254.169.254) and unspecified ones. */
export function defaultGuard(allow?: string[]): TargetGuard {
  const deny = new net.BlockList();
  deny.addSubnet('169.254.0.0', 16, 'ipv4');
  deny.addSubnet('0.0.0.0', 8, 'ipv4');
  deny.addSubnet('fe80::', 10, 'ipv6');
  let only: net.BlockList | null = null;
  if (allow && allow.length) {
    only = new net.BlockList();
    for (const c of allow) {
      const [a, len] = c.split('/');
      const fam = net.isIPv6(a!) ? 'ipv6' : 'ipv4';
      only.addSubnet(a!, Number(len ?? (fam === 'ipv6' ? 128 : 32)), fam);
    }
  }
  return (address) => {
    const fam = net.isIPv6(address) ? 'ipv6' : 'ipv4';
    if (!net.isIP(address)) return null;
    if (deny.check(address, fam)) return `地址 ${address} 不允许探测（链路本地/未指定地址）`;
    if (only && !only.check(address, fam)) return `地址 ${address} 不在允许探测的范围内`;
    return null;
  };
}

const allowAll: TargetGuard = () => null;
const now = () => performance.now();

/** TCP connect to host:port within timeoutMs. */
export function probeTcp(host: string, port: number, timeoutMs: number, guard: TargetGuard = allowAll): Promise<ProbeOutcome> {
  const denied = guard(host);
  if (denied) return Promise.resolve({ ok: false, rttMs: null, detail: denied });
  return new Promise((resolve) => {
    const t0 = now();
    let done = false;
    const sock = net.connect({ host, port });
    const finish = (o: ProbeOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => finish({ ok: false, rttMs: null, detail: `连接超时（${timeoutMs} ms）` }), timeoutMs);
    sock.once('connect', () => finish({ ok: true, rttMs: round(now() - t0), detail: `端口 ${port} 可连接` }));
    sock.once('error', (e: NodeJS.ErrnoException) => finish({ ok: false, rttMs: null, detail: `连接失败：${e.code ?? e.message}` }));
  });
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** HTTP(S) GET with status, keyword, redirect policy, TLS expiry and chain checks; everything inside timeoutMs. */
export async function probeHttp(url: string, cfg: HttpConfig, timeoutMs: number, guard: TargetGuard = allowAll): Promise<ProbeOutcome> {
  const deadline = Date.now() + timeoutMs;
  const t0 = now();
  const maxRedirects = cfg.followRedirects === false ? 0 : (cfg.maxRedirects ?? 5);
  const seen = new Set<string>();
  let current = url;
  for (let hop = 0; ; hop++) {
    let u: URL;
    try {
      u = new URL(current);
    } catch {
      return { ok: false, rttMs: null, detail: `URL 无效：${current}` };
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, rttMs: null, detail: `不支持的协议 ${u.protocol}` };
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const denied = guard(host);
    if (denied) return { ok: false, rttMs: null, detail: denied };
    seen.add(u.href);
    const left = deadline - Date.now();
    if (left <= 0) return { ok: false, rttMs: null, detail: `超时（${timeoutMs} ms）` };
    const r = await httpOnce(u, cfg, left);
    if (r.kind === 'error') return { ok: false, rttMs: null, detail: r.detail, tlsExpiresAt: r.tlsExpiresAt ?? null };
    const isRedirect = r.status >= 300 && r.status < 400 && r.location;
    if (isRedirect && maxRedirects > 0) {
      const next = new URL(r.location!, u).href;
      if (seen.has(next)) return { ok: false, rttMs: null, httpStatus: r.status, detail: `重定向循环：${next}` };
      if (hop + 1 > maxRedirects) return { ok: false, rttMs: null, httpStatus: r.status, detail: `重定向超过 ${maxRedirects} 次` };
      current = next;
      continue;
    }
    const rtt = round(now() - t0);
    const expect = cfg.expectStatus?.length ? cfg.expectStatus : null;
    const statusOk = expect ? expect.includes(r.status) : r.status >= 200 && r.status < 400;
    const notes: string[] = [`HTTP ${r.status}`];
    let ok = statusOk;
    if (!statusOk) notes.push('状态码不符合预期');
    if (cfg.keyword) {
      const found = r.body.includes(cfg.keyword);
      if (cfg.keywordAbsent ? found : !found) {
        ok = false;
        notes.push(cfg.keywordAbsent ? `出现了不应出现的关键字「${cfg.keyword}」` : `未找到关键字「${cfg.keyword}」`);
      }
    }
    if (r.truncated) notes.push(`响应体超过 ${r.cap} 字节，只读取了前 ${r.cap} 字节`);
    if (r.tls) {
      const days = r.tls.expiresAt ? Math.floor((r.tls.expiresAt.getTime() - Date.now()) / 86_400_000) : null;
      if (days !== null && days < 0) {
        ok = false;
        notes.push('证书已过期');
      } else if (days !== null && cfg.tlsMinDays && days < cfg.tlsMinDays) {
        ok = false;
        notes.push(`证书 ${days} 天后到期`);
      } else if (days !== null) notes.push(`证书剩余 ${days} 天`);
      if (!r.tls.authorized) {
        notes.push(`证书链无效：${r.tls.error ?? '未知'}`);
        if (!cfg.allowUntrustedTls) ok = false;
      }
    }
    return { ok, rttMs: rtt, httpStatus: r.status, detail: notes.join('；'), tlsExpiresAt: r.tls?.expiresAt ?? null };
  }
}

type HttpOnce =
  | { kind: 'error'; detail: string; tlsExpiresAt?: Date | null }
  | { kind: 'response'; status: number; location: string | null; body: string; truncated: boolean; cap: number; tls: { authorized: boolean; error: string | null; expiresAt: Date | null } | null };

function httpOnce(u: URL, cfg: HttpConfig, timeoutMs: number): Promise<HttpOnce> {
  const cap = cfg.maxBodyBytes ?? 1_048_576;
  return new Promise((resolve) => {
    let done = false;
    let tlsInfo: { authorized: boolean; error: string | null; expiresAt: Date | null } | null = null;
    const lib = u.protocol === 'https:' ? https : http;
    const req = lib.request(u, {
      method: 'GET',
      headers: { 'user-agent': 'Zhengyun-availability/1', accept: '*/*' },
      agent: false,
      ...(u.protocol === 'https:' ? { rejectUnauthorized: false, servername: net.isIP(u.hostname) ? undefined : u.hostname } : {}),
    });
    const finish = (r: HttpOnce) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    let connected = false;
    const timer = setTimeout(() => {
      const phase = !connected ? '连接超时' : u.protocol === 'https:' && !tlsInfo ? 'TLS 握手超时' : '响应超时';
      finish({ kind: 'error', detail: `${phase}（${timeoutMs} ms）`, tlsExpiresAt: tlsInfo?.expiresAt ?? null });
    }, timeoutMs);
    req.on('socket', (s) => {
      s.once('connect', () => (connected = true));
      if (u.protocol === 'https:') {
        (s as TLSSocket).once('secureConnect', () => {
          const ts = s as TLSSocket;
          const cert = ts.getPeerCertificate();
          tlsInfo = { authorized: ts.authorized, error: ts.authorizationError ? String(ts.authorizationError) : null, expiresAt: cert?.valid_to ? new Date(cert.valid_to) : null };
        });
      }
    });
    req.on('error', (e: NodeJS.ErrnoException) => finish({ kind: 'error', detail: `${u.protocol === 'https:' && !tlsInfo ? '连接或 TLS 握手失败' : '请求失败'}：${e.code ?? e.message}` }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const end = () => finish({ kind: 'response', status: res.statusCode ?? 0, location: typeof res.headers.location === 'string' ? res.headers.location : null, body: Buffer.concat(chunks).toString('utf8'), truncated, cap, tls: tlsInfo });
      res.on('data', (c: Buffer) => {
        if (done) return;
        const room = cap - size;
        if (c.length >= room) {
          chunks.push(c.subarray(0, room));
          size = cap;
          truncated = c.length > room || truncated;
          truncated = true;
          end();
          return;
        }
        chunks.push(c);
        size += c.length;
      });
      res.on('end', end);
      res.on('error', () => end());
    });
    req.end();
  });
}

/** DNS resolution of `name` within timeoutMs against cfg.server (or the system's resolver). */
export async function probeDns(name: string, cfg: DnsConfig, timeoutMs: number): Promise<ProbeOutcome> {
  const resolver = new Resolver({ timeout: Math.max(50, Math.floor(timeoutMs / 2)), tries: 1 });
  if (cfg.server) {
    try {
      resolver.setServers([cfg.server]);
    } catch {
      return { ok: false, rttMs: null, detail: `DNS 服务器地址无效：${cfg.server}` };
    }
  }
  const type = cfg.recordType ?? 'A';
  const t0 = now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
  try {
    const answer = await Promise.race([resolver.resolve(name, type) as Promise<unknown[]>, timeout]);
    if (answer === 'timeout') {
      resolver.cancel();
      return { ok: false, rttMs: null, detail: `DNS 解析超时（${timeoutMs} ms）` };
    }
    const values = answer.map((a) => (typeof a === 'string' ? a : Array.isArray(a) ? a.join('') : typeof a === 'object' && a && 'exchange' in a ? String((a as { exchange: string }).exchange) : JSON.stringify(a)));
    const rtt = round(now() - t0);
    if (cfg.expected && !values.some((v) => v.toLowerCase() === cfg.expected!.toLowerCase())) {
      return { ok: false, rttMs: rtt, detail: `解析结果 ${values.join(', ')} 不含预期值 ${cfg.expected}` };
    }
    return { ok: true, rttMs: rtt, detail: `${type} ${values.slice(0, 5).join(', ')}` };
  } catch (e) {
    return { ok: false, rttMs: null, detail: `DNS 解析失败：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

export const FPING = '/usr/bin/fping';

/**
 * ICMP echo to many targets with one `fping` process: `count` echoes each, loss and average RTT per target. The
 * process is killed at the deadline; a target without a summary line is recorded as 100 % loss.
 */
export function probeIcmpMany(targets: string[], opts: { count?: number; timeoutMs: number; guard?: TargetGuard }): Promise<Map<string, ProbeOutcome>> {
  const out = new Map<string, ProbeOutcome>();
  const guard = opts.guard ?? allowAll;
  const list: string[] = [];
  for (const t of new Set(targets)) {
    const d = guard(t);
    if (d) out.set(t, { ok: false, rttMs: null, lossPct: null, detail: d });
    else if (!net.isIP(t) && !/^[A-Za-z0-9.-]+$/.test(t)) out.set(t, { ok: false, rttMs: null, lossPct: null, detail: `目标无效：${t}` });
    else list.push(t);
  }
  if (!list.length) return Promise.resolve(out);
  const count = opts.count ?? 3;
  const perPing = Math.max(100, Math.min(opts.timeoutMs, 5000));
  return new Promise((resolve) => {
    const args = ['-q', '-c', String(count), '-t', String(perPing), '-p', '200', '-i', '1', '-r', '0', ...list];
    let stderr = '';
    let child;
    try {
      child = spawn(FPING, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      for (const t of list) out.set(t, { ok: false, rttMs: null, lossPct: null, detail: `无法运行 fping：${(e as Error).message}` });
      resolve(out);
      return;
    }
    const hard = setTimeout(() => child.kill('SIGKILL'), count * 200 + perPing + opts.timeoutMs + 1000);
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (e) => {
      stderr += `\nfping error: ${e.message}`;
    });
    child.on('close', () => {
      clearTimeout(hard);
      for (const line of stderr.split('\n')) {
        const m = /^(\S+)\s+:\s+xmt\/rcv\/%loss = (\d+)\/(\d+)\/(\d+)%(?:, min\/avg\/max = ([\d.]+)\/([\d.]+)\/([\d.]+))?/.exec(line.trim());
        if (!m) continue;
        const loss = Number(m[4]);
        const avg = m[6] ? Number(m[6]) : null;
        out.set(m[1]!, { ok: Number(m[3]) > 0, rttMs: avg, lossPct: loss, detail: `丢包 ${loss}%${avg !== null ? `，平均 ${avg} ms` : ''}` });
      }
      for (const t of list) if (!out.has(t)) out.set(t, { ok: false, rttMs: null, lossPct: 100, detail: /error/.test(stderr) ? `fping：${stderr.trim().slice(0, 200)}` : '无响应（丢包 100%）' });
      resolve(out);
    });
  });
}
