/**
 * Syslog message parser: RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG`) and RFC 3164 / BSD
 * (`<PRI>Mmm dd hh:mm:ss HOST TAG[pid]: MSG`) with the variants real devices send: no PRI, an ISO timestamp in a BSD
 * header, a year in the BSD timestamp (Huawei, Cisco `*Mar  1 …`), a Cisco sequence number, no hostname, no header at
 * all (FortiGate `date=… time=… key=value`). Pure and allocation-light: it runs for every datagram.
 */

export const FACILITY_NAMES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security',
  'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
] as const;
export const SEVERITY_NAMES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

export interface SdElement {
  id: string;
  params: Record<string, string>;
}

export interface SyslogMessage {
  format: 'rfc5424' | 'rfc3164';
  /** False when the message had no `<PRI>`: facility user (1), severity notice (5) are assumed (RFC 3164 §4.3.3). */
  hasPri: boolean;
  facility: number;
  severity: number;
  /** The message's own time, or null when it carried none (the caller uses the arrival time). */
  timestamp: Date | null;
  hostname: string | null;
  app: string | null;
  procid: string | null;
  msgid: string | null;
  structuredData: SdElement[];
  message: string;
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

/** Decodes bytes as UTF-8 (BOM removed); bytes that are not UTF-8 are read as GB18030, which Chinese devices send. */
export function decodeText(buf: Uint8Array): string {
  let start = 0;
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
  const b = start ? buf.subarray(start) : buf;
  const s = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  if (s.includes('\uFFFD')) {
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(b);
    } catch {
      return s;
    }
  }
  return s;
}

/** Parses one syslog message (one datagram or one frame). Never throws: anything unparsable becomes the message text. */
export function parseSyslog(input: Uint8Array | string, now: Date = new Date()): SyslogMessage {
  let text = typeof input === 'string' ? input : decodeText(input);
  // Trailing newlines / NULs some senders add to datagrams.
  let end = text.length;
  while (end > 0) {
    const c = text.charCodeAt(end - 1);
    if (c === 10 || c === 13 || c === 0) end--;
    else break;
  }
  if (end !== text.length) text = text.slice(0, end);
  // NUL cannot be stored in PostgreSQL text (the interface tables would refuse the record): shown as U+FFFD.
  if (text.includes('\u0000')) text = text.replaceAll('\u0000', '\uFFFD');

  let pos = 0;
  let hasPri = false;
  let facility = 1;
  let severity = 5;
  if (text.charCodeAt(0) === 60 /* < */) {
    const close = text.indexOf('>', 1);
    if (close > 1 && close <= 4) {
      const digits = text.slice(1, close);
      if (/^\d{1,3}$/.test(digits)) {
        const pri = Number(digits);
        if (pri <= 191) {
          hasPri = true;
          facility = pri >> 3;
          severity = pri & 7;
          pos = close + 1;
        }
      }
    }
  }
  // RFC 5424: VERSION "1" then SP.
  if (hasPri && text.charCodeAt(pos) === 49 /* 1 */ && text.charCodeAt(pos + 1) === 32) {
    const r = parse5424(text, pos + 2, facility, severity);
    if (r) return r;
  }
  return parse3164(text, pos, hasPri, facility, severity, now);
}

function nextToken(text: string, pos: number): [string, number] | null {
  if (pos >= text.length) return null;
  const sp = text.indexOf(' ', pos);
  if (sp === -1) return [text.slice(pos), text.length];
  return [text.slice(pos, sp), sp + 1];
}

function nil(v: string): string | null {
  return v === '-' ? null : v;
}

function parse5424(text: string, start: number, facility: number, severity: number): SyslogMessage | null {
  let pos = start;
  const fields: string[] = [];
  for (let i = 0; i < 5; i++) {
    const t = nextToken(text, pos);
    if (!t) return null;
    fields.push(t[0]);
    pos = t[1];
  }
  const [ts, host, app, procid, msgid] = fields as [string, string, string, string, string];
  let timestamp: Date | null = null;
  if (ts !== '-') {
    timestamp = parseIsoTimestamp(ts);
    if (!timestamp) return null;
  }
  const structuredData: SdElement[] = [];
  if (text.charCodeAt(pos) === 45 /* - */) {
    pos++;
  } else if (text.charCodeAt(pos) === 91 /* [ */) {
    const r = parseStructuredData(text, pos, structuredData);
    if (r < 0) {
      // Broken structured data: keep everything after the header as the message rather than lose it.
      return { format: 'rfc5424', hasPri: true, facility, severity, timestamp, hostname: nil(host), app: nil(app), procid: nil(procid), msgid: nil(msgid), structuredData: [], message: text.slice(pos) };
    }
    pos = r;
  }
  if (text.charCodeAt(pos) === 32) pos++;
  let message = text.slice(pos);
  if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
  return { format: 'rfc5424', hasPri: true, facility, severity, timestamp, hostname: nil(host), app: nil(app), procid: nil(procid), msgid: nil(msgid), structuredData, message };
}

/** Parses `[id p="v" …][id2 …]` from `pos`; returns the position after it, or -1 when malformed. */
function parseStructuredData(text: string, pos: number, out: SdElement[]): number {
  const n = text.length;
  while (pos < n && text.charCodeAt(pos) === 91) {
    pos++;
    let idEnd = pos;
    while (idEnd < n) {
      const c = text.charCodeAt(idEnd);
      if (c === 32 || c === 93) break;
      idEnd++;
    }
    if (idEnd === pos || idEnd >= n) return -1;
    const element: SdElement = { id: text.slice(pos, idEnd), params: {} };
    pos = idEnd;
    for (;;) {
      if (pos >= n) return -1;
      const c = text.charCodeAt(pos);
      if (c === 93) {
        pos++;
        break;
      }
      if (c !== 32) return -1;
      pos++;
      const eq = text.indexOf('=', pos);
      if (eq === -1 || text.charCodeAt(eq + 1) !== 34) return -1;
      const name = text.slice(pos, eq);
      if (!name || name.includes(' ') || name.includes(']')) return -1;
      pos = eq + 2;
      let value = '';
      let segStart = pos;
      for (;;) {
        if (pos >= n) return -1;
        const v = text.charCodeAt(pos);
        if (v === 92 /* \ */) {
          const e = text.charCodeAt(pos + 1);
          // Only \" \\ \] are escapes; any other backslash is kept as it is (RFC 5424 §6.3.3).
          if (e === 34 || e === 92 || e === 93) {
            value += text.slice(segStart, pos) + text[pos + 1];
            pos += 2;
            segStart = pos;
            continue;
          }
          pos++;
          continue;
        }
        if (v === 34) {
          value += text.slice(segStart, pos);
          pos++;
          break;
        }
        pos++;
      }
      element.params[name] = value;
    }
    out.push(element);
  }
  return pos;
}

/** RFC 3339 time (`2026-11-30T06:01:45.775239+00:00`, `…Z`); a time without an offset is Beijing time. */
export function parseIsoTimestamp(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, se, frac, tz] = m;
  const month = Number(mo) - 1;
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(se);
  if (month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  let t = Date.UTC(Number(y), month, day, hour, minute, Math.min(second, 59), ms);
  if (!tz) t -= SHANGHAI_OFFSET_MS;
  else if (tz !== 'Z' && tz !== 'z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 3600_000 + Number(digits.slice(2)) * 60_000);
  }
  const date = new Date(t);
  return Number.isNaN(date.getTime()) ? null : date;
}

// `Mmm dd hh:mm:ss`, `Mmm  d hh:mm:ss`, `Mmm dd yyyy hh:mm:ss`, with optional milliseconds, leading `*`/`.` (Cisco
// clock state) and a trailing `:`; optionally preceded by a Cisco sequence number `123: `.
const BSD_TS = /^(?:\d+: )?[*.]?([A-Za-z]{3}) {1,2}(\d{1,2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?: (UTC|GMT|CST|BJT|CCT)(?=[ :]))?:? ?/;
const ISO_TS = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?) /i;
// A tag: name (no spaces, colons or brackets) with an optional [pid], ending with a colon.
const TAG = /^([^\s:[\]]{1,64})(?:\[([^\]\s]{1,32})\])?:(?: |$)/;
const TAG_NO_COLON = /^([^\s:[\]]{1,64})\[([^\]\s]{1,32})\](?: |$)/;
// Huawei / H3C / Cisco mnemonics: `%%01SEC/5/POLICYPERMIT(l):vsys=…`, `%SYS-5-CONFIG_I: …`.
const MNEMONIC = /^(%%?[^\s:]{1,80}):\s?/;

function parse3164(text: string, pos: number, hasPri: boolean, facility: number, severity: number, now: Date): SyslogMessage {
  let rest = pos ? text.slice(pos) : text;
  let timestamp: Date | null = null;
  let sawHeader = false;
  const bsd = BSD_TS.exec(rest);
  if (bsd) {
    const month = MONTHS[bsd[1]!.toLowerCase()];
    if (month !== undefined) {
      const utc = bsd[7] === 'UTC' || bsd[7] === 'GMT';
      timestamp = bsdTime(month, Number(bsd[2]), bsd[3] ? Number(bsd[3]) : null, Number(bsd[4]), Number(bsd[5]), Number(bsd[6]), now, utc);
      if (timestamp) {
        rest = rest.slice(bsd[0].length);
        sawHeader = true;
      }
    }
  }
  if (!sawHeader) {
    const iso = ISO_TS.exec(rest);
    if (iso) {
      timestamp = parseIsoTimestamp(iso[1]!);
      if (timestamp) {
        rest = rest.slice(iso[0].length);
        sawHeader = true;
      }
    }
  }
  let hostname: string | null = null;
  let app: string | null = null;
  let procid: string | null = null;
  if (sawHeader) {
    // HOSTNAME, unless the next token already is the tag (devices that omit the hostname).
    if (!TAG.test(rest) && !TAG_NO_COLON.test(rest) && !rest.startsWith('%')) {
      const t = nextToken(rest, 0);
      if (t && t[0] && !t[0].includes('=')) {
        hostname = t[0];
        rest = rest.slice(t[1]);
      }
    }
    const tag = TAG.exec(rest) ?? TAG_NO_COLON.exec(rest) ?? MNEMONIC.exec(rest);
    if (tag) {
      app = tag[1]!;
      procid = tag[2] ?? null;
      rest = rest.slice(tag[0].length);
    }
  }
  return { format: 'rfc3164', hasPri, facility, severity, timestamp, hostname, app, procid, msgid: null, structuredData: [], message: rest };
}

/** A BSD timestamp is Beijing time (unless labelled UTC/GMT); without a year it is the current year, or the previous one when that would lie ahead. */
function bsdTime(month: number, day: number, year: number | null, h: number, mi: number, s: number, now: Date, utc = false): Date | null {
  if (day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) return null;
  const build = (y: number) => new Date(Date.UTC(y, month, day, h, mi, Math.min(s, 59)) - (utc ? 0 : SHANGHAI_OFFSET_MS));
  if (year !== null) return build(year);
  const currentYear = new Date(now.getTime() + SHANGHAI_OFFSET_MS).getUTCFullYear();
  const t = build(currentYear);
  // A December message read on 1 January belongs to last year (allow a day of clock drift ahead).
  if (t.getTime() - now.getTime() > 86_400_000) return build(currentYear - 1);
  return t;
}

let lastSecond = NaN;
let lastFormatted = '';

/** `YYYY-MM-DD HH:mm:ss` in Beijing time (the an19 format of the interface tables). Cached per second: bursts share one. */
export function formatShanghai(d: Date): string {
  const second = Math.floor(d.getTime() / 1000);
  if (second === lastSecond) return lastFormatted;
  const t = new Date(second * 1000 + SHANGHAI_OFFSET_MS);
  const p = (n: number) => (n < 10 ? `0${n}` : String(n));
  lastFormatted = `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}`;
  lastSecond = second;
  return lastFormatted;
}

// key=value pairs in free text: FortiGate `srcip=1.2.3.4`, Huawei `SrcIp=…`, quoted values `devname="FG 100"`.
const KV = /(?:^|[\s,;])([A-Za-z][A-Za-z0-9_.-]{0,40})=("([^"]*)"|[^\s,;]*)/g;

/** The `key=value` pairs of a free-text message (keys lower-cased; the first occurrence wins). */
export function keyValuePairs(message: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!message.includes('=')) return out;
  KV.lastIndex = 0;
  for (let m = KV.exec(message); m; m = KV.exec(message)) {
    const key = m[1]!.toLowerCase();
    if (!out.has(key)) out.set(key, m[3] ?? m[2]!);
  }
  return out;
}
