import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { INTERFACE_TABLES } from './interface-tables.js';
import { bodyFormat, decodeBody, parseBody, RecordParseError, splitCsv, MAX_RECORDS_PER_BATCH } from './parse.js';
import { compiledTable, validateRecords, EMPTY_CODES } from './validator.js';

const host = INTERFACE_TABLES.find((t) => t.name === 'hostLog')!;

/** GBK encoder for tests, built from the platform's GBK decoder (two-byte codes 0x81–0xFE × 0x40–0xFE). */
const GBK = (() => {
  const m = new Map<string, number[]>();
  const dec = new TextDecoder('gbk');
  for (let a = 0x81; a <= 0xfe; a++)
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const ch = dec.decode(Buffer.from([a, b]));
      if (ch.length === 1 && ch !== '\ufffd' && !m.has(ch)) m.set(ch, [a, b]);
    }
  return m;
})();
export function gbk(s: string): Buffer {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else out.push(...(GBK.get(ch) ?? (() => { throw new Error(`no GBK code for ${ch}`); })()));
  }
  return Buffer.from(out);
}

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('content types', () => {
  it('json, ndjson, csv with utf-8 or gbk', () => {
    expect(bodyFormat('application/json')).toEqual({ format: 'json', charset: 'utf-8' });
    expect(bodyFormat('application/x-ndjson; charset=UTF-8')).toEqual({ format: 'ndjson', charset: 'utf-8' });
    expect(bodyFormat('text/csv; charset=gbk')).toEqual({ format: 'csv', charset: 'gbk' });
    expect(bodyFormat('text/csv;charset="GB2312"')).toEqual({ format: 'csv', charset: 'gbk' });
  });
  it('refuses other types and charsets', () => {
    expect(refusal(() => bodyFormat('text/plain')).code).toBe('ingest.unsupported_media_type');
    expect(refusal(() => bodyFormat(undefined)).code).toBe('ingest.unsupported_media_type');
    expect(refusal(() => bodyFormat('text/csv; charset=latin1')).code).toBe('ingest.unsupported_charset');
  });
});

describe('encodings', () => {
  it('strips a UTF-8 BOM', () => {
    expect(decodeBody(Buffer.from('\ufeff[1]'), 'utf-8')).toBe('[1]');
  });
  it('wrong encoding: GBK bytes declared as UTF-8 are refused naming the line', () => {
    const body = Buffer.concat([Buffer.from('occurredAt,hostIp\n2024-01-01 00:00:00,10.0.0.1\n'), gbk('中文'), Buffer.from(',x\n')]);
    const e = refusal(() => parseBody(body, 'text/csv', host));
    expect(e.code).toBe('ingest.bad_encoding');
    expect(e.status).toBe(400);
    expect(e.details).toEqual({ charset: 'utf-8', line: 3 });
  });
  it('GBK CSV with Chinese header names (with or without the printed spaces)', () => {
    const body = gbk('产生日期,云主机 ID,主机名称,主机IP,操作系统类型,日志名称,日志类型,日志正文\n2024-06-01 08:00:00,vm-1,主机一,10.0.0.1,麒麟,安全日志,登录,登录成功\n');
    const p = parseBody(body, 'text/csv; charset=gbk', host);
    expect(p.charset).toBe('gbk');
    expect(p.records).toEqual([
      { occurredAt: '2024-06-01 08:00:00', cloudHostId: 'vm-1', hostName: '主机一', hostIp: '10.0.0.1', osType: '麒麟', logName: '安全日志', logType: '登录', logBody: '登录成功' },
    ]);
    const v = validateRecords(compiledTable('hostLog')!, p.records, EMPTY_CODES, Date.now());
    expect(v.errors).toEqual([]);
  });
});

describe('JSON and NDJSON', () => {
  it('an array or {records}', () => {
    expect(parseBody(Buffer.from('[{"a":1}]'), 'application/json', host).records).toEqual([{ a: 1 }]);
    expect(parseBody(Buffer.from('{"records":[{"a":1},2]}'), 'application/json', host).records).toEqual([{ a: 1 }, 2]);
    expect(refusal(() => parseBody(Buffer.from('{"a":1}'), 'application/json', host)).code).toBe('ingest.not_an_array');
    expect(refusal(() => parseBody(Buffer.from('[{"a":1}'), 'application/json', host)).code).toBe('ingest.malformed_json');
  });
  it('NDJSON: blank lines skipped, a broken line is that record error with its line number', () => {
    const p = parseBody(Buffer.from('{"a":1}\r\n\n{"a":\n{"a":3}'), 'application/x-ndjson', host);
    expect(p.records).toHaveLength(3);
    expect(p.records[1]).toBeInstanceOf(RecordParseError);
    const v = validateRecords(compiledTable('hostLog')!, p.records, EMPTY_CODES, Date.now());
    const e = v.errors.find((x) => x.rule === 'json')!;
    expect(e).toMatchObject({ index: 1, field: null, rule: 'json', value: '{"a":' });
    expect(e.message).toContain('Line 3');
  });
  it('a NUL in a broken line is not passed on to the stored errors', () => {
    const p = parseBody(Buffer.from('{"a":"\u0000\n'), 'application/x-ndjson', host);
    const v = validateRecords(compiledTable('hostLog')!, p.records, EMPTY_CODES, Date.now());
    expect(v.errors[0]!.value).toBe('{"a":"\ufffd');
    expect(v.errors[0]!.message).not.toContain('\u0000');
  });
  it('too many records: 413', () => {
    const body = Buffer.from(JSON.stringify(Array.from({ length: MAX_RECORDS_PER_BATCH + 1 }, () => ({}))));
    const e = refusal(() => parseBody(body, 'application/json', host));
    expect(e.code).toBe('ingest.too_many_records');
    expect(e.status).toBe(413);
    const nd = Buffer.from('{}\n'.repeat(MAX_RECORDS_PER_BATCH + 1));
    expect(refusal(() => parseBody(nd, 'application/x-ndjson', host)).status).toBe(413);
    expect(parseBody(Buffer.from('{}\n'.repeat(MAX_RECORDS_PER_BATCH)), 'application/x-ndjson', host).records).toHaveLength(MAX_RECORDS_PER_BATCH);
  });
});

describe('CSV (RFC 4180)', () => {
  function rows(text: string): Array<[string[], number]> {
    const out: Array<[string[], number]> = [];
    splitCsv(text, (f, line) => out.push([f, line]));
    return out;
  }
  it('quotes, doubled quotes, commas and newlines inside quotes, CRLF', () => {
    expect(rows('a,b\r\n"x,1","say ""hi"""\r\n"multi\nline",\n')).toEqual([
      [['a', 'b'], 1],
      [['x,1', 'say "hi"'], 2],
      [['multi\nline', ''], 3],
    ]);
    expect(rows('a,b')).toEqual([[['a', 'b'], 1]]);
  });
  it('an unterminated quote (truncated file) is refused naming the line', () => {
    const e = refusal(() => parseBody(Buffer.from('occurredAt,logBody\n2024-06-01 08:00:00,ok\n2024-06-01 08:00:00,"trunc\nated'), 'text/csv', host));
    expect(e.code).toBe('ingest.csv_malformed');
    expect(e.details).toEqual({ line: 3 });
    expect(e.message).toContain('line 3');
  });
  it('text after a closing quote and stray quotes are refused', () => {
    expect(refusal(() => splitCsv('"a"b,c\n', () => undefined)).code).toBe('ingest.csv_malformed');
    expect(refusal(() => splitCsv('a"b,c\n', () => undefined)).code).toBe('ingest.csv_malformed');
  });
  it('rows of the wrong width are per-record csv_columns errors; empty cells are empty values', () => {
    const head = 'occurredAt,cloudHostId,hostName,hostIp,osType,logName,logType,logBody\n';
    const p = parseBody(Buffer.from(`\ufeff${head}2024-06-01 08:00:00,vm,h,10.0.0.1,linux,l,t,ok\n1,2\n2024-06-01 08:00:00,vm,h,10.0.0.2,,l,t,x\n`), 'text/csv', host);
    expect(p.records).toHaveLength(3);
    const v = validateRecords(compiledTable('hostLog')!, p.records, EMPTY_CODES, Date.now());
    expect(v.errors.map((e) => [e.index, e.field, e.rule])).toEqual([
      [1, null, 'csv_columns'],
      [2, 'osType', 'required'],
    ]);
    expect(v.errors[0]!.message).toContain('Line 3 has 2 columns, the header has 8');
  });
  it('unknown or duplicate header columns are refused', () => {
    expect(refusal(() => parseBody(Buffer.from('occurredAt,nope\n'), 'text/csv', host)).code).toBe('ingest.csv_unknown_column');
    expect(refusal(() => parseBody(Buffer.from('occurredAt,产生日期\n'), 'text/csv', host)).code).toBe('ingest.csv_duplicate_column');
  });
});
