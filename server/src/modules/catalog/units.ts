import { Dec, type Dec as Decimal } from '../../platform/money.js';

/**
 * Units of measure (计价单位) of the service catalog and of the orders agencies write, and the explicit conversions
 * between them. Pure: no I/O. A quantity is converted only between units of the same dimension with a known factor;
 * anything else is a typed "cannot convert" result naming both units — never a guess.
 */

/** Dimension a unit measures; only units of one dimension convert into each other. */
export type Dimension =
  | 'data' // GB, TB, 100 GB …
  | 'bandwidth' // Mb, Mbps, M, Gbps
  | 'vcpu' // CPU, vCPU, 核
  | 'tflops'
  | 'count'; // discrete things, each of its own kind (台, 套, 账号 …): a count converts only into the same kind

/** Kind of a counted thing. Different kinds never convert into each other (套 is not 台). */
export type CountKind =
  | 'machine' // 台
  | 'set' // 套
  | 'piece' // 个 (generic)
  | 'account' // 账号
  | 'ip' // IP (unqualified)
  | 'ip_internal' // IP（内网）
  | 'ip_internet' // IP（互联网）
  | 'disk' // 块
  | 'stick' // 条 (memory module) — also 条 for messages, see below
  | 'domain' // 域名
  | 'site' // 站点
  | 'host' // 主机
  | 'certificate' // 张
  | 'occurrence' // 次
  | 'service_item'; // 项

/** Period a quoted price covers, when a unit text carries one (`套/年`, `台/次`, `项/月`). */
export type UnitPeriod = 'month' | 'year' | 'occurrence';

export interface Unit {
  dimension: Dimension;
  /** For `count` units: what is counted. */
  countKind: CountKind | null;
  /** The unit's symbol without its factor, as the platform names it (`GB`, `Mb`, `台`, `IP（内网）`). */
  symbol: string;
  /** Size of the base symbol in the dimension's base unit (GB for data, Mb for bandwidth, 1 otherwise). */
  scale: Decimal;
}

/** A billing unit: a factor times a unit (`100 GB` → factor 100, unit GB; `1Mb 带宽` → 1 Mb). */
export interface BillingUnit {
  factor: Decimal;
  unit: Unit;
  /** Period parsed from a `…/月`, `…/年`, `…/次` suffix, if any. */
  period: UnitPeriod | null;
  /** The text as written. */
  text: string;
}

/**
 * 1 TB = 1024 GB (binary), the convention cloud storage consoles bill in; the seeds state no factor (see
 * docs/decisions.md, "TB to GB").
 */
export const GB_PER_TB = 1024;
/** Bandwidth is SI: 1 Gbps = 1000 Mbps. */
export const MB_PER_GB_BANDWIDTH = 1000;

const ONE = new Dec(1);

interface UnitDef {
  dimension: Dimension;
  countKind: CountKind | null;
  symbol: string;
  scale: Decimal;
}

const def = (dimension: Dimension, symbol: string, scale: number | Decimal = 1, countKind: CountKind | null = null): UnitDef => ({
  dimension,
  countKind,
  symbol,
  scale: new Dec(scale),
});

/** Spellings agencies and the catalog use, normalised (lower case, no spaces, ASCII parentheses). */
const ALIASES: Record<string, UnitDef> = {
  gb: def('data', 'GB'),
  g: def('data', 'GB'),
  tb: def('data', 'TB', GB_PER_TB),
  t: def('data', 'TB', GB_PER_TB),
  pb: def('data', 'PB', GB_PER_TB * GB_PER_TB),
  mb: def('bandwidth', 'Mb'),
  mbps: def('bandwidth', 'Mb'),
  'mbit/s': def('bandwidth', 'Mb'),
  m: def('bandwidth', 'Mb'),
  mb带宽: def('bandwidth', 'Mb'),
  m带宽: def('bandwidth', 'Mb'),
  带宽: def('bandwidth', 'Mb'),
  gbps: def('bandwidth', 'Gbps', MB_PER_GB_BANDWIDTH),
  cpu: def('vcpu', 'vCPU'),
  vcpu: def('vcpu', 'vCPU'),
  核: def('vcpu', 'vCPU'),
  核心: def('vcpu', 'vCPU'),
  vcpu核: def('vcpu', 'vCPU'),
  tflops: def('tflops', 'TFLOPS'),
  台: def('count', '台', 1, 'machine'),
  套: def('count', '套', 1, 'set'),
  个: def('count', '个', 1, 'piece'),
  账号: def('count', '账号', 1, 'account'),
  帐号: def('count', '账号', 1, 'account'),
  ip: def('count', 'IP', 1, 'ip'),
  'ip(内网)': def('count', 'IP（内网）', 1, 'ip_internal'),
  内网ip: def('count', 'IP（内网）', 1, 'ip_internal'),
  'ip(互联网)': def('count', 'IP（互联网）', 1, 'ip_internet'),
  互联网ip: def('count', 'IP（互联网）', 1, 'ip_internet'),
  公网ip: def('count', 'IP（互联网）', 1, 'ip_internet'),
  块: def('count', '块', 1, 'disk'),
  条: def('count', '条', 1, 'stick'),
  域名: def('count', '域名', 1, 'domain'),
  站点: def('count', '站点', 1, 'site'),
  主机: def('count', '主机', 1, 'host'),
  张: def('count', '张', 1, 'certificate'),
  次: def('count', '次', 1, 'occurrence'),
  项: def('count', '项', 1, 'service_item'),
};

const PERIODS: Record<string, UnitPeriod> = { 月: 'month', 年: 'year', 次: 'occurrence' };

/** Lower case, no whitespace, full-width parentheses as ASCII. */
export function normaliseUnitText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .toLowerCase();
}

export type ParseUnitResult = { ok: true; value: BillingUnit } | { ok: false; reason: 'unknown_unit' | 'empty'; text: string };

/**
 * Parses a unit as written — `100 GB`, `1Mb 带宽`, `1 IP（内网）`, `账号`, `Mbps`, `台/次`, `张/年` — into a factor, a unit
 * and an optional period. Unknown spellings are reported, not guessed.
 */
export function parseUnit(text: string): ParseUnitResult {
  const norm = normaliseUnitText(text);
  if (norm === '') return { ok: false, reason: 'empty', text };
  let body = norm;
  let period: UnitPeriod | null = null;
  const slash = body.lastIndexOf('/');
  if (slash > 0 && body !== 'mbit/s') {
    const suffix = body.slice(slash + 1);
    const p = PERIODS[suffix];
    if (p === undefined) return { ok: false, reason: 'unknown_unit', text };
    period = p;
    body = body.slice(0, slash);
  }
  const m = /^(\d+(?:\.\d+)?)?(.*)$/.exec(body)!;
  const factor = m[1] === undefined ? ONE : new Dec(m[1]);
  const symbolText = m[2]!;
  const found = ALIASES[symbolText];
  if (!found || factor.lte(0)) return { ok: false, reason: 'unknown_unit', text };
  return { ok: true, value: { factor, unit: { ...found }, period, text } };
}

export type ConvertResult =
  | {
      ok: true;
      /** The quantity in the target billing unit (e.g. 8505 GB → 85.05 for `100 GB`). Exact. */
      quantity: Decimal;
      /** Multiplier applied: target quantity = source quantity × ratio. */
      ratio: Decimal;
      /** Human-readable explanation: `8505 GB = 85.05 × 100 GB`. */
      explanation: string;
      /** A counted unit (台, 套 …) that came out fractional: priced, but reported. */
      nonIntegral: boolean;
    }
  | {
      ok: false;
      reason: 'incompatible_units' | 'unknown_unit';
      from: string;
      to: string;
      message: string;
    };

function compatible(a: Unit, b: Unit): boolean {
  if (a.dimension !== b.dimension) return false;
  if (a.dimension !== 'count') return true;
  if (a.countKind === b.countKind) return true;
  // An unqualified IP is either kind of IP; 内网 and 互联网 IPs are different things.
  const ips = new Set<CountKind | null>(['ip', 'ip_internal', 'ip_internet']);
  return ips.has(a.countKind) && ips.has(b.countKind) && (a.countKind === 'ip' || b.countKind === 'ip');
}

/**
 * Converts `quantity` written in `from` to the billing unit `to`. GB → 100 GB divides by 100; TB → GB multiplies by
 * 1024; Mbps ≡ Mb; 核 ≡ vCPU. Units of different dimensions or count kinds answer `incompatible_units`.
 */
export function convert(quantity: Decimal, from: BillingUnit | string, to: BillingUnit | string): ConvertResult {
  const f = typeof from === 'string' ? parseUnit(from) : { ok: true as const, value: from };
  const t = typeof to === 'string' ? parseUnit(to) : { ok: true as const, value: to };
  const fromText = typeof from === 'string' ? from : from.text;
  const toText = typeof to === 'string' ? to : to.text;
  if (!f.ok || !t.ok) {
    const bad = !f.ok ? fromText : toText;
    return { ok: false, reason: 'unknown_unit', from: fromText, to: toText, message: `Unknown unit "${bad}"` };
  }
  const a = f.value;
  const b = t.value;
  if (!compatible(a.unit, b.unit)) {
    return {
      ok: false,
      reason: 'incompatible_units',
      from: fromText,
      to: toText,
      message: `Cannot convert "${fromText}" (${a.unit.symbol}) to the billing unit "${toText}" (${b.unit.symbol})`,
    };
  }
  const ratio = a.factor.times(a.unit.scale).dividedBy(b.factor.times(b.unit.scale));
  const converted = quantity.times(ratio);
  const nonIntegral = b.unit.dimension === 'count' && !converted.isInteger();
  const target = b.factor.equals(1) ? b.unit.symbol : `${b.factor.toString()} ${b.unit.symbol}`;
  const source = a.factor.equals(1) ? a.unit.symbol : `${a.factor.toString()} ${a.unit.symbol}`;
  return {
    ok: true,
    quantity: converted,
    ratio,
    nonIntegral,
    explanation: `${quantity.toString()} ${source} = ${converted.toString()} × ${target}`,
  };
}

/** Structured form of a billing unit, as stored with a catalog item. */
export function describeBillingUnit(text: string): { factor: string; symbol: string; dimension: Dimension; countKind: CountKind | null } | null {
  const p = parseUnit(text);
  if (!p.ok) return null;
  return { factor: p.value.factor.toString(), symbol: p.value.unit.symbol, dimension: p.value.unit.dimension, countKind: p.value.unit.countKind };
}
