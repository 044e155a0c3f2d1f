/**
 * IPv4 and IPv6 address arithmetic (pure, BigInt): parsing, RFC 5952 formatting, CIDR blocks, ranges, containment,
 * overlap, first-fit search and counts. Addresses are unsigned integers of 32 or 128 bits; a range is inclusive
 * [first, last] of one family. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) stay IPv6: the two families never mix.
 */

export type Family = 4 | 6;

export interface Address {
  family: Family;
  value: bigint;
}

/** A CIDR block: `base` has no host bits set. */
export interface Cidr {
  family: Family;
  base: bigint;
  prefix: number;
}

/** An inclusive range of addresses of one family. */
export interface Range {
  family: Family;
  first: bigint;
  last: bigint;
}

/** A parse error: `rule` names what was wrong (`ipv4`, `ipv6`, `prefix`, `host_bits_set`). */
export class IpError extends Error {
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = 'IpError';
  }
}

export const bitsOf = (family: Family): number => (family === 4 ? 32 : 128);
const maxOf = (family: Family): bigint => (1n << BigInt(bitsOf(family))) - 1n;

function parseIpv4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0n;
  for (const p of parts) {
    // No leading zeros: "010" is octal to some tools and decimal to others.
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIpv6(s: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return null;
  let head = s;
  let tailV4: bigint | null = null;
  // An embedded dotted IPv4 tail (::ffff:192.0.2.1) is two groups.
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    tailV4 = parseIpv4(s.slice(lastColon + 1));
    if (tailV4 === null) return null;
    head = s.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groupsWanted = tailV4 === null ? 8 : 6;
  const dbl = head.indexOf('::');
  if (dbl !== head.lastIndexOf('::')) return null;
  const splitGroups = (x: string): string[] | null => {
    if (x === '') return [];
    const g = x.split(':');
    return g.every((p) => /^[0-9a-fA-F]{1,4}$/.test(p)) ? g : null;
  };
  let groups: string[];
  if (dbl >= 0) {
    const left = splitGroups(head.slice(0, dbl));
    const right = splitGroups(head.slice(dbl + 2));
    if (!left || !right) return null;
    const missing = groupsWanted - left.length - right.length;
    // "::" stands for at least one zero group.
    if (missing < 1) return null;
    groups = [...left, ...Array<string>(missing).fill('0'), ...right];
  } else {
    const g = splitGroups(head);
    if (!g || g.length !== groupsWanted) return null;
    groups = g;
  }
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(parseInt(g, 16));
  if (tailV4 !== null) v = (v << 32n) | tailV4;
  return v;
}

/** Parses an IPv4 (dotted decimal) or IPv6 address (full, compressed or with a dotted IPv4 tail). */
export function parseAddress(input: string): Address {
  const s = input.trim();
  if (s.includes(':')) {
    const v = parseIpv6(s);
    if (v === null) throw new IpError('ipv6', `"${input}" is not an IPv6 address`);
    return { family: 6, value: v };
  }
  const v = parseIpv4(s);
  if (v === null) throw new IpError('ipv4', `"${input}" is not an IPv4 address (four numbers 0–255, no leading zeros)`);
  return { family: 4, value: v };
}

/** True when `s` parses as an address. */
export function isAddress(s: string): boolean {
  try {
    parseAddress(s);
    return true;
  } catch {
    return false;
  }
}

/** Formats an address: dotted decimal, or IPv6 in the RFC 5952 canonical form (lower case, longest zero run as ::). */
export function formatAddress(a: Address): string {
  if (a.family === 4) return [24n, 16n, 8n, 0n].map((sh) => String((a.value >> sh) & 255n)).join('.');
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((a.value >> BigInt(i * 16)) & 0xffffn));
  // The longest run of two or more zero groups (the first when tied) becomes "::".
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

export const addressText = (family: Family, value: bigint): string => formatAddress({ family, value });

/** Mask of the host bits of a /prefix. */
const hostMask = (family: Family, prefix: number): bigint => (1n << BigInt(bitsOf(family) - prefix)) - 1n;

/**
 * Parses `address/prefix` (or a bare address as /32 or /128). `strict` (the default) refuses host bits set
 * (10.0.0.1/24); otherwise they are cleared.
 */
export function parseCidr(input: string, strict = true): Cidr {
  const s = input.trim();
  const slash = s.indexOf('/');
  const a = parseAddress(slash < 0 ? s : s.slice(0, slash));
  const bits = bitsOf(a.family);
  let prefix = bits;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > bits) throw new IpError('prefix', `"${input}": the prefix length must be a whole number from 0 to ${bits}`);
    prefix = Number(p);
  }
  const mask = hostMask(a.family, prefix);
  if (a.value & mask) {
    if (strict) throw new IpError('host_bits_set', `"${input}" has host bits set: the block starts at ${formatCidr({ family: a.family, base: a.value & ~mask, prefix })}`);
  }
  return { family: a.family, base: a.value & ~mask & maxOf(a.family), prefix };
}

export function formatCidr(c: Cidr): string {
  return `${formatAddress({ family: c.family, value: c.base })}/${c.prefix}`;
}

/** Number of addresses in a block (2^(bits − prefix)). */
export function cidrSize(c: Pick<Cidr, 'family' | 'prefix'>): bigint {
  return 1n << BigInt(bitsOf(c.family) - c.prefix);
}

export function cidrRange(c: Cidr): Range {
  return { family: c.family, first: c.base, last: c.base + cidrSize(c) - 1n };
}

export function addressRange(a: Address): Range {
  return { family: a.family, first: a.value, last: a.value };
}

export const rangeSize = (r: Range): bigint => r.last - r.first + 1n;

/** True when `inner` (block, range or address) lies entirely inside `outer`. Different families never contain. */
export function contains(outer: Cidr | Range, inner: Cidr | Range | Address): boolean {
  const o = 'prefix' in outer ? cidrRange(outer) : outer;
  const i = 'prefix' in inner ? cidrRange(inner) : 'value' in inner ? addressRange(inner) : inner;
  return o.family === i.family && i.first >= o.first && i.last <= o.last;
}

/** True when the two share at least one address. Different families never overlap. */
export function overlaps(a: Cidr | Range, b: Cidr | Range): boolean {
  const x = 'prefix' in a ? cidrRange(a) : a;
  const y = 'prefix' in b ? cidrRange(b) : b;
  return x.family === y.family && x.first <= y.last && y.first <= x.last;
}

/** Sorts and merges overlapping or adjacent ranges (one family). */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.first <= last.last + 1n) {
      if (r.last > last.last) last.last = r.last;
    } else out.push({ ...r });
  }
  return out;
}

/** Addresses covered by the ranges, each counted once. */
export function countAddresses(ranges: readonly Range[]): bigint {
  return mergeRanges(ranges).reduce((s, r) => s + rangeSize(r), 0n);
}

/** The parts of `ranges` that lie inside `within` (clipped). */
export function clipRanges(ranges: readonly Range[], within: Range): Range[] {
  return ranges
    .filter((r) => r.family === within.family && r.first <= within.last && r.last >= within.first)
    .map((r) => ({ family: r.family, first: r.first > within.first ? r.first : within.first, last: r.last < within.last ? r.last : within.last }));
}

const alignUp = (v: bigint, size: bigint): bigint => ((v + size - 1n) / size) * size;

/**
 * The first aligned /`prefix` block inside `pool` that overlaps none of `used` (first fit), or null when the pool is
 * exhausted for that size.
 */
export function firstFreeBlock(pool: Cidr, used: readonly Range[], prefix: number): Cidr | null {
  if (!Number.isInteger(prefix) || prefix < pool.prefix || prefix > bitsOf(pool.family)) return null;
  const size = cidrSize({ family: pool.family, prefix });
  const p = cidrRange(pool);
  let candidate = alignUp(p.first, size);
  for (const u of mergeRanges(clipRanges(used, p))) {
    if (candidate + size - 1n < u.first) break;
    if (u.last >= candidate) candidate = alignUp(u.last + 1n, size);
  }
  return candidate + size - 1n <= p.last ? { family: pool.family, base: candidate, prefix } : null;
}

/** The first run of `count` consecutive addresses inside `pool` that overlaps none of `used`, or null. */
export function firstFreeRange(pool: Cidr | Range, used: readonly Range[], count: bigint): Range | null {
  if (count < 1n) return null;
  const p = 'prefix' in pool ? cidrRange(pool) : pool;
  let candidate = p.first;
  for (const u of mergeRanges(clipRanges(used, p))) {
    if (candidate + count - 1n < u.first) break;
    if (u.last >= candidate) candidate = u.last + 1n;
  }
  return candidate + count - 1n <= p.last ? { family: p.family, first: candidate, last: candidate + count - 1n } : null;
}

/** The smallest list of CIDR blocks that exactly covers a range (for display and export). */
export function rangeToCidrs(r: Range): Cidr[] {
  const bits = bitsOf(r.family);
  const out: Cidr[] = [];
  let cur = r.first;
  while (cur <= r.last) {
    let hostBits = 0;
    // Grow the block while it stays aligned and inside the range.
    while (hostBits < bits) {
      const size = 1n << BigInt(hostBits + 1);
      if (cur % size !== 0n || cur + size - 1n > r.last) break;
      hostBits++;
    }
    out.push({ family: r.family, base: cur, prefix: bits - hostBits });
    cur += 1n << BigInt(hostBits);
  }
  return out;
}

/** "a – b" for a range, or the CIDR when the range is exactly one block, or the address when it is one address. */
export function formatRange(r: Range): string {
  if (r.first === r.last) return addressText(r.family, r.first);
  const blocks = rangeToCidrs(r);
  if (blocks.length === 1) return formatCidr(blocks[0]!);
  return `${addressText(r.family, r.first)}-${addressText(r.family, r.last)}`;
}

/** Parses `a-b` (inclusive, same family, a ≤ b), a CIDR or a single address as a range. */
export function parseRange(input: string): Range {
  const s = input.trim();
  const dash = s.indexOf('-');
  if (dash < 0) return s.includes('/') ? cidrRange(parseCidr(s)) : addressRange(parseAddress(s));
  const a = parseAddress(s.slice(0, dash));
  const b = parseAddress(s.slice(dash + 1));
  if (a.family !== b.family) throw new IpError('family', `"${input}": both ends must be of one family`);
  if (a.value > b.value) throw new IpError('order', `"${input}": the range must not end before it starts`);
  return { family: a.family, first: a.value, last: b.value };
}

/** `part / whole` as a percentage with two decimals ("12.50"), exact for any size; "0.00" when whole is 0. */
export function percentText(part: bigint, whole: bigint): string {
  if (whole <= 0n) return '0.00';
  const hundredths = (part * 10000n + whole / 2n) / whole;
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;
}
