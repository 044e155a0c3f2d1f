/**
 * Bodies of the push API: a JSON array (or `{"records": […]}`), NDJSON (one JSON object a line) or CSV (RFC 4180, a
 * header row of field names, English or the Chinese names of the standard), in UTF-8 or GBK as the Content-Type's
 * charset says. A broken record (an NDJSON line that is not JSON, a CSV row of the wrong width) becomes a
 * `RecordParseError` in its place, which the validator reports for that record; a body that cannot be read at all (wrong
 * encoding, malformed JSON, an unterminated CSV quote) is refused as a whole.
 */
import { AppError } from '../../platform/errors.js';
import type { InterfaceTable } from './registry.types.js';

export type BodyFormat = 'json' | 'ndjson' | 'csv';

/** Stands in a batch for a record that could not be parsed; the validator turns it into the record's error. */
export class RecordParseError {
  constructor(
    readonly rule: string,
    readonly message: string,
    readonly value: string | null,
  ) {}
}

export interface ParsedBody {
  format: BodyFormat;
  charset: 'utf-8' | 'gbk';
  records: unknown[];
}

/** 413 answers (the platform's AppError kinds have no 413): body or record count over the limits. */
export class PayloadTooLargeError extends AppError {
  override get status(): number {
    return 413;
  }
}

export const MAX_RECORDS_PER_BATCH = 10_000;

const bad = (code: string, message: string, details?: unknown) => new AppError('validation', code, message, details ?? null);

/** Format and charset from a Content-Type header; 400 `ingest.unsupported_media_type` for anything else. */
export function bodyFormat(contentType: string | undefined): { format: BodyFormat; charset: 'utf-8' | 'gbk' } {
  const [type = '', ...params] = (contentType ?? '').split(';').map((s) => s.trim().toLowerCase());
  let format: BodyFormat;
  if (type === 'application/json') format = 'json';
  else if (type === 'application/x-ndjson' || type === 'application/ndjson' || type === 'application/jsonl' || type === 'application/x-jsonlines') format = 'ndjson';
  else if (type === 'text/csv') format = 'csv';
  else {
    throw bad(
      'ingest.unsupported_media_type',
      `Content-Type must be application/json, application/x-ndjson or text/csv (optionally with charset=utf-8 or charset=gbk), not ${type || 'none'}`,
      { contentType: (contentType ?? '').slice(0, 100) },
    );
  }
  let charset: 'utf-8' | 'gbk' = 'utf-8';
  for (const p of params) {
    const m = /^charset\s*=\s*"?([a-z0-9_-]+)"?$/.exec(p);
    if (!m) continue;
    const c = m[1]!;
    if (c === 'utf-8' || c === 'utf8') charset = 'utf-8';
    else if (c === 'gbk' || c === 'gb2312' || c === 'gb18030' || c === 'cp936') charset = 'gbk';
    else throw bad('ingest.unsupported_charset', `charset must be utf-8 or gbk, not ${c}`, { charset: c });
  }
  return { format, charset };
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The body as text; 400 `ingest.bad_encoding` naming the line of the first byte that is not valid in the charset. */
export function decodeBody(body: Buffer, charset: 'utf-8' | 'gbk'): string {
  let text: string;
  try {
    text = new TextDecoder(charset, { fatal: true }).decode(body);
  } catch {
    const loose = new TextDecoder(charset).decode(body);
    const at = loose.indexOf('\ufffd');
    const line = at === -1 ? 1 : lineOfOffset(loose, at);
    throw bad(
      'ingest.bad_encoding',
      `The body is not valid ${charset === 'gbk' ? 'GBK' : 'UTF-8'} (first invalid bytes on line ${line}); declare the encoding with Content-Type charset=utf-8 or charset=gbk`,
      { charset, line },
    );
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function tooMany(count: number): PayloadTooLargeError {
  return new PayloadTooLargeError('validation', 'ingest.too_many_records', `A batch holds at most ${MAX_RECORDS_PER_BATCH} records; this one has ${count > MAX_RECORDS_PER_BATCH ? 'more' : count}`, {
    maxRecords: MAX_RECORDS_PER_BATCH,
  });
}

function parseJson(text: string): unknown[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw bad('ingest.malformed_json', `The body is not valid JSON: ${(e as Error).message}`, null);
  }
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object' && Array.isArray((v as { records?: unknown }).records)) return (v as { records: unknown[] }).records;
  throw bad('ingest.not_an_array', 'A JSON body is an array of records, or an object {"records": [ … ]}', null);
}

function parseNdjson(text: string, maxRecords: number): unknown[] {
  const out: unknown[] = [];
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    if (out.length === maxRecords) throw tooMany(out.length + 1);
    try {
      out.push(JSON.parse(line));
    } catch (e) {
      out.push(new RecordParseError('json', `Line ${lineNo} is not valid JSON: ${(e as Error).message} (rule json)`, line.slice(0, 200)));
    }
  }
  return out;
}

/** Map from CSV header names (English field name or Chinese name of the standard) to field names. */
function headerNames(table: InterfaceTable): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of table.fields) {
    m.set(f.name, f.name);
    m.set(f.name.toLowerCase(), f.name);
    if (!m.has(f.cn)) m.set(f.cn, f.name);
    const compact = f.cn.replace(/\s+/g, '');
    if (!m.has(compact)) m.set(compact, f.name);
  }
  return m;
}

/**
 * Splits CSV text into rows of fields (RFC 4180: `,` separated, `"` quoted with `""` inside, CRLF or LF line ends,
 * newlines allowed inside quotes). Returns each row with the line number it starts on. A quote left open, or text after a
 * closing quote, is a 400 `ingest.csv_malformed` naming the line.
 */
export function splitCsv(text: string, onRow: (fields: string[], line: number, raw: string) => void): void {
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const rowStart = i;
    const rowLine = line;
    const fields: string[] = [];
    for (;;) {
      // One field starting at i.
      if (text.charCodeAt(i) === 34) {
        const quoteLine = line;
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1) {
            throw bad('ingest.csv_malformed', `The CSV is truncated or malformed: the quoted field opened on line ${quoteLine} is never closed`, { line: quoteLine });
          }
          const chunk = text.slice(from, q);
          for (let k = chunk.indexOf('\n'); k !== -1; k = chunk.indexOf('\n', k + 1)) line++;
          value += chunk;
          if (text.charCodeAt(q + 1) === 34) {
            value += '"';
            from = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        fields.push(value);
        const c = text.charCodeAt(i);
        if (c === 44) {
          i++;
          continue;
        }
        if (i >= n || c === 10 || (c === 13 && text.charCodeAt(i + 1) === 10)) break;
        throw bad('ingest.csv_malformed', `The CSV is malformed on line ${line}: text after a closing quote (a quote inside a field must be doubled, "")`, { line });
      }
      // Unquoted field: up to the next comma or line end.
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        if (c === 34) throw bad('ingest.csv_malformed', `The CSV is malformed on line ${line}: a quote inside an unquoted field (quote the field and double the quote, "")`, { line });
        j++;
      }
      fields.push(text.slice(i, j));
      i = j;
      if (text.charCodeAt(i) === 44) {
        i++;
        continue;
      }
      if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) !== 10) {
        throw bad('ingest.csv_malformed', `The CSV is malformed on line ${line}: a carriage return outside quotes not followed by a line feed`, { line });
      }
      break;
    }
    // Line end.
    if (text.charCodeAt(i) === 13) i++;
    if (text.charCodeAt(i) === 10) {
      i++;
      line++;
    }
    onRow(fields, rowLine, text.slice(rowStart, i));
  }
}

function parseCsv(text: string, table: InterfaceTable, maxRecords: number): unknown[] {
  const names = headerNames(table);
  let header: string[] | null = null;
  const out: unknown[] = [];
  splitCsv(text, (fields, line, raw) => {
    if (fields.length === 1 && fields[0]!.trim() === '' && raw.trim() === '') return; // blank line
    if (header === null) {
      const seen = new Set<string>();
      header = fields.map((h, pos) => {
        const key = h.trim();
        const name = names.get(key) ?? names.get(key.toLowerCase()) ?? names.get(key.replace(/\s+/g, ''));
        if (name === undefined) {
          throw bad('ingest.csv_unknown_column', `CSV header column ${pos + 1} "${key.slice(0, 60)}" is not a field of the interface table ${table.name} (English or Chinese name)`, {
            line,
            column: pos + 1,
            value: key.slice(0, 60),
          });
        }
        if (seen.has(name)) throw bad('ingest.csv_duplicate_column', `CSV header names the field ${name} twice`, { line, column: pos + 1, value: key.slice(0, 60) });
        seen.add(name);
        return name;
      });
      return;
    }
    if (out.length === maxRecords) throw tooMany(out.length + 1);
    const h: string[] = header;
    if (fields.length !== h.length) {
      out.push(new RecordParseError('csv_columns', `Line ${line} has ${fields.length} columns, the header has ${h.length} (rule csv_columns)`, raw.slice(0, 200)));
      return;
    }
    const rec: Record<string, string> = {};
    for (let k = 0; k < h.length; k++) rec[h[k]!] = fields[k]!;
    out.push(rec);
  });
  return out;
}

/** Parses a push body. Throws 400 for an unreadable body and 413 `ingest.too_many_records` over `maxRecords`. */
export function parseBody(body: Buffer, contentType: string | undefined, table: InterfaceTable, maxRecords = MAX_RECORDS_PER_BATCH): ParsedBody {
  const { format, charset } = bodyFormat(contentType);
  const text = decodeBody(body, charset);
  let records: unknown[];
  if (format === 'json') {
    records = parseJson(text);
    if (records.length > maxRecords) throw tooMany(records.length);
  } else if (format === 'ndjson') records = parseNdjson(text, maxRecords);
  else records = parseCsv(text, table, maxRecords);
  return { format, charset, records };
}
