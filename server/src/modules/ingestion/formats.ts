/**
 * The printed formats of the data-interface standard (数据接口标准), checked on one value at a time. Pure, allocation-light
 * functions: they run for every field of every pushed record (≥ 100,000 records/s), so no regular expression is compiled
 * per call and no object is created on success.
 *
 * Interpretation (docs/data-interface.md §Formats):
 *  - anX / anX..Y: X to Y characters counted in Unicode code points (a Chinese character or an emoji is one).
 *  - n1..N: an unsigned integer of 1 to N digits: digits only, no sign, exponent, spaces or decimal point.
 *  - n1..N.D and n1..N,D (both notations are printed): 1 to N digits before the decimal point and 0 to D after it,
 *    written with a dot (`12.5`); no sign, no exponent, no `12.` or `.5`.
 *  - an10: YYYY-MM-DD, a real calendar date.
 *  - an19: YYYY-MM-DD HH:mm:ss (or with `T`), Beijing time (Asia/Shanghai, UTC+8, no daylight saving), a real time.
 */
import { isIP } from 'node:net';

/** Length in Unicode code points: a surrogate pair (emoji) counts once. */
export function codePointLength(s: string): number {
  const n = s.length;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return n - pairs;
}

/** True when the text holds a NUL character, which PostgreSQL text cannot store. */
export function hasNul(s: string): boolean {
  return s.indexOf('\u0000') !== -1;
}

/** Why a numeric value failed, or null when it is valid. */
export type NumberFault = 'format' | 'digits' | 'decimals' | null;

/** n1..N: 1 to `maxDigits` ASCII digits, nothing else. */
export function checkInteger(s: string, maxDigits: number): NumberFault {
  const n = s.length;
  if (n === 0) return 'format';
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return 'format';
  }
  return n > maxDigits ? 'digits' : null;
}

/** n1..N.D: 1 to `intDigits` digits, optionally a dot and 1 to `fracDigits` digits. */
export function checkDecimal(s: string, intDigits: number, fracDigits: number): NumberFault {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  const intLen = i;
  if (intLen === 0) return 'format';
  if (i === n) return intLen > intDigits ? 'digits' : null;
  if (s.charCodeAt(i) !== 46) return 'format';
  i++;
  const fracStart = i;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return 'format';
    i++;
  }
  const fracLen = i - fracStart;
  if (fracLen === 0) return 'format';
  if (intLen > intDigits) return 'digits';
  return fracLen > fracDigits ? 'decimals' : null;
}

/**
 * The decimal text of a JSON number as a provider wrote it, as far as it can be recovered: integral and plain decimal
 * numbers give their digits (`12`, `12.5`); exponent forms (`1e21`, `1e-7`), negatives, NaN and infinities give their
 * JavaScript text, which the format checks then refuse.
 */
export function numberText(v: number): string {
  return String(v);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digitsAt(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  if (m === 2) return d <= ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28);
  return d <= DAYS_IN_MONTH[m - 1]!;
}

/** Milliseconds of the date's midnight in Beijing time, or NaN when `s` is not a real YYYY-MM-DD date. */
export function parseDate(s: string): number {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const y = digitsAt(s, 0, 4);
  const m = digitsAt(s, 5, 2);
  const d = digitsAt(s, 8, 2);
  if (y < 1 || m < 0 || d < 0 || !validDay(y, m, d)) return NaN;
  return Date.UTC(y, m - 1, d) - SHANGHAI_OFFSET_MS;
}

export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * Milliseconds since the epoch of a `YYYY-MM-DD HH:mm:ss` (or `YYYY-MM-DDTHH:mm:ss`) Beijing time, or NaN when it is not
 * a real time (Feb 30, 24:00:00, 12:60:00 …). Asia/Shanghai has had no daylight saving since 1991: a fixed UTC+8.
 */
export function parseDateTime(s: string): number {
  if (s.length !== 19) return NaN;
  const sep = s.charCodeAt(10);
  if ((sep !== 32 && sep !== 84) || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const y = digitsAt(s, 0, 4);
  const mo = digitsAt(s, 5, 2);
  const d = digitsAt(s, 8, 2);
  const h = digitsAt(s, 11, 2);
  const mi = digitsAt(s, 14, 2);
  const se = digitsAt(s, 17, 2);
  if (y < 1 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0) return NaN;
  if (!validDay(y, mo, d) || h > 23 || mi > 59 || se > 59) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, se) - SHANGHAI_OFFSET_MS;
}

/** The column value of a valid an19 time for PostgreSQL's timestamptz input: `YYYY-MM-DD HH:mm:ss+08`. */
export function dateTimeColumn(s: string): string {
  return s.charCodeAt(10) === 84 ? `${s.slice(0, 10)} ${s.slice(11)}+08` : `${s}+08`;
}

/** An IPv4 or IPv6 address (node:net isIP: no zone-less garbage, no CIDR). */
export function isIpAddress(s: string): boolean {
  return isIP(s) !== 0;
}

/** A TCP/UDP port: the integer check has passed; the value must be 0–65535. */
export function isPort(s: string): boolean {
  return s.length <= 5 && Number(s) <= 65535;
}

const LIST_SEPARATOR = /[,;\s]+/;

function ipv4ToNumber(s: string): number {
  const p = s.split('.');
  return ((Number(p[0]) << 24) >>> 0) + (Number(p[1]) << 16) + (Number(p[2]) << 8) + Number(p[3]);
}

/** One item of an address list: an address, a CIDR block (`a.b.c.d/n`, `x::/n`) or a range `a-b` of one family. */
export function isIpListItem(item: string): boolean {
  const slash = item.indexOf('/');
  if (slash !== -1) {
    const family = isIP(item.slice(0, slash));
    const bits = item.slice(slash + 1);
    if (family === 0 || bits.length === 0 || bits.length > 3 || checkInteger(bits, 3) !== null) return false;
    return Number(bits) <= (family === 4 ? 32 : 128);
  }
  const dash = item.indexOf('-');
  if (dash !== -1) {
    const a = item.slice(0, dash);
    const b = item.slice(dash + 1);
    const fa = isIP(a);
    if (fa === 0 || fa !== isIP(b)) return false;
    return fa === 6 || ipv4ToNumber(a) <= ipv4ToNumber(b);
  }
  return isIP(item) !== 0;
}

/** The invalid items of an address list (separated by `,` `;` or white space); empty when all are valid. */
export function invalidIpListItems(s: string): string[] {
  const bad: string[] = [];
  let items = 0;
  for (const item of s.split(LIST_SEPARATOR)) {
    if (item === '') continue;
    items++;
    if (!isIpListItem(item)) bad.push(item);
  }
  if (items === 0) bad.push(s);
  return bad;
}
