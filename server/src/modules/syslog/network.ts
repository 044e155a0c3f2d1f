/**
 * Addresses and networks of syslog senders: parsing an IP or a CIDR block (host bits must be zero), and the
 * longest-prefix match of a sender address against the registered sources.
 */
import net from 'node:net';

export interface ParsedNetwork {
  family: 4 | 6;
  bytes: Uint8Array;
  prefix: number;
  /** Canonical text: `10.1.0.0/16`, `10.1.2.3/32`, `2001:db8::/32`. */
  text: string;
}

/** IPv4-mapped IPv6 senders (`::ffff:10.0.0.1`, from dual-stack sockets) are their IPv4 address. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

export function ipBytes(ip: string): Uint8Array | null {
  const kind = net.isIP(ip);
  if (kind === 4) {
    const parts = ip.split('.');
    return Uint8Array.from(parts.map(Number));
  }
  if (kind === 6) {
    let s = ip;
    const zone = s.indexOf('%');
    if (zone !== -1) s = s.slice(0, zone);
    let tail: number[] = [];
    const lastColon = s.lastIndexOf(':');
    const last = s.slice(lastColon + 1);
    if (last.includes('.')) {
      tail = last.split('.').map(Number);
      s = `${s.slice(0, lastColon + 1)}0:0`;
    }
    const [head, rest] = s.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const r = rest !== undefined && rest !== '' ? rest.split(':') : [];
    const groups = rest === undefined ? h : [...h, ...Array<string>(8 - h.length - r.length).fill('0'), ...r];
    const out = new Uint8Array(16);
    groups.forEach((g, i) => {
      const v = parseInt(g, 16);
      out[i * 2] = v >> 8;
      out[i * 2 + 1] = v & 0xff;
    });
    if (tail.length === 4) out.set(tail, 12);
    return out;
  }
  return null;
}

function bytesToText(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart === -1) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}

function mask(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    out[i] = bits === 0 ? 0 : bytes[i]! & ((0xff << (8 - bits)) & 0xff);
  }
  return out;
}

/**
 * Parses `10.1.2.3`, `10.1.0.0/16`, `2001:db8::/32`. Returns an error sentence (naming the rule) instead of throwing.
 */
export function parseNetwork(input: string): ParsedNetwork | { error: string } {
  const s = input.trim();
  const slash = s.indexOf('/');
  const ip = slash === -1 ? s : s.slice(0, slash);
  const bytes = ipBytes(ip);
  if (!bytes || ip.includes('%')) return { error: 'must be an IP address or a CIDR block such as 10.1.0.0/16' };
  const family = bytes.length === 4 ? 4 : 6;
  const max = family === 4 ? 32 : 128;
  let prefix = max;
  if (slash !== -1) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > max) return { error: `the prefix length must be a whole number from 0 to ${max}` };
    prefix = Number(p);
  }
  const masked = mask(bytes, prefix);
  if (masked.some((b, i) => b !== bytes[i])) {
    return { error: `host bits must be zero: did you mean ${bytesToText(masked)}/${prefix}?` };
  }
  return { family, bytes, prefix, text: `${bytesToText(bytes)}/${prefix}` };
}

function key(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Longest-prefix match of addresses against networks; results are cached per address until the table changes. */
export class PrefixMatcher<T> {
  private readonly byLength = new Map<number, Map<string, T>>();
  private lengths4: number[] = [];
  private lengths6: number[] = [];
  private readonly cache = new Map<string, T | null>();
  private static readonly CACHE_MAX = 65_536;

  constructor(entries: Iterable<{ network: string; value: T }> = []) {
    const l4 = new Set<number>();
    const l6 = new Set<number>();
    for (const { network, value } of entries) {
      const n = parseNetwork(network);
      if ('error' in n) continue;
      const slot = n.family === 4 ? n.prefix : 1000 + n.prefix;
      (n.family === 4 ? l4 : l6).add(n.prefix);
      let m = this.byLength.get(slot);
      if (!m) this.byLength.set(slot, (m = new Map()));
      m.set(key(n.bytes), value);
    }
    this.lengths4 = [...l4].sort((a, b) => b - a);
    this.lengths6 = [...l6].sort((a, b) => b - a);
  }

  get size(): number {
    let n = 0;
    for (const m of this.byLength.values()) n += m.size;
    return n;
  }

  match(ip: string): T | null {
    const cached = this.cache.get(ip);
    if (cached !== undefined) return cached;
    const found = this.lookup(ip);
    if (this.cache.size >= PrefixMatcher.CACHE_MAX) this.cache.clear();
    this.cache.set(ip, found);
    return found;
  }

  private lookup(ip: string): T | null {
    const bytes = ipBytes(normalizeIp(ip));
    if (!bytes) return null;
    const v4 = bytes.length === 4;
    for (const len of v4 ? this.lengths4 : this.lengths6) {
      const hit = this.byLength.get(v4 ? len : 1000 + len)?.get(key(mask(bytes, len)));
      if (hit !== undefined) return hit;
    }
    return null;
  }
}
