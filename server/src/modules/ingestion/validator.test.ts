import { describe, expect, it } from 'vitest';
import type { InterfaceTable } from './registry.types.js';
import { INTERFACE_TABLES } from './interface-tables.js';
import {
  compileTable,
  compiledTable,
  isOnTime,
  sampleRecord,
  SEEDED_SAMPLE_CODES,
  validateRecords,
  type CodeContext,
} from './validator.js';
import type { RecordError } from './ingestion.types.js';

const codes: CodeContext = {
  codeTables: new Map(Object.entries(SEEDED_SAMPLE_CODES).map(([t, c]) => [t, new Set([c, ...(t === 'networkType' ? ['GWWW'] : [])])])),
  machineRooms: new Set(['R001', 'R002']),
  ownProviderCode: 'HJYC',
  providerCodes: new Set(['HJYC', 'YBYC']),
};
const sampleCodes = { machineRoom: 'R001', cloudProvider: 'HJYC' };

/** A table of one field per edge case, compiled like the registry's. */
function table(fields: InterfaceTable['fields'], extra: Partial<InterfaceTable> = {}): InterfaceTable {
  return { name: 't', cn: 't', category: 'c', categoryCn: 'c', sqlTable: 'ingest_t', period: 'PT5M', partitionUnit: 'day', retentionDays: 1, timeField: null, fields, ...extra };
}
function f(name: string, format: string, rule: InterfaceTable['fields'][number]['rule'], more: Partial<InterfaceTable['fields'][number]> = {}) {
  return { name, column: name, cn: name, printedFormat: format, format, rule, required: true, ...more };
}
function errorsOf(t: InterfaceTable, rec: unknown): RecordError[] {
  const errors: RecordError[] = [];
  compileTable(t).validate(rec, 0, codes, errors);
  return errors;
}
function ruleOf(t: InterfaceTable, rec: unknown): string[] {
  return errorsOf(t, rec).map((e) => `${e.field}:${e.rule}`);
}

describe('every interface table', () => {
  it.each(INTERFACE_TABLES.map((t) => [t.name, t] as const))('%s accepts its sample record', (_n, t) => {
    const c = compiledTable(t.name)!;
    const errors: RecordError[] = [];
    const r = c.validate(sampleRecord(t, { codes: sampleCodes }), 0, codes, errors);
    expect(errors).toEqual([]);
    expect(r!.values).toHaveLength(t.fields.length);
    expect(c.columns).toEqual(t.fields.map((x) => x.column));
    if (t.timeField) expect(r!.recordTime).toBeTypeOf('number');
    else expect(r!.recordTime).toBeNull();
  });
  it('has 35 tables', () => expect(INTERFACE_TABLES).toHaveLength(35));
});

describe('text anX / anX..Y', () => {
  const an4 = table([f('code', 'an4', { kind: 'text', min: 4, max: 4 })]);
  const an0to10 = table([f('note', 'an0..10', { kind: 'text', min: 0, max: 10 }, { required: false })]);
  it('an4: exactly 4 characters, Chinese characters and emoji counted once', () => {
    expect(ruleOf(an4, { code: 'ABCD' })).toEqual([]);
    expect(ruleOf(an4, { code: '机房一号' })).toEqual([]);
    expect(ruleOf(an4, { code: '😀😀😀😀' })).toEqual([]);
    expect(ruleOf(an4, { code: '😀😀' })).toEqual(['code:length']);
    expect(ruleOf(an4, { code: 'ABC' })).toEqual(['code:length']);
    expect(ruleOf(an4, { code: 'ABCDE' })).toEqual(['code:length']);
    const [e] = errorsOf(an4, { code: 'ABCDE' });
    expect(e).toMatchObject({ index: 0, field: 'code', value: 'ABCDE', rule: 'length' });
    expect(e!.message).toContain('code');
    expect(e!.message).toContain('an4');
    expect(e!.message).toContain('exactly 4 characters');
  });
  it('an0..10 optional: empty, null and absent are null; 11 characters refused', () => {
    const c = compileTable(an0to10);
    for (const rec of [{}, { note: '' }, { note: null }]) {
      const errors: RecordError[] = [];
      expect(c.validate(rec, 0, codes, errors)!.values).toEqual([null]);
      expect(errors).toEqual([]);
    }
    expect(ruleOf(an0to10, { note: '一二三四五六七八九十' })).toEqual([]);
    expect(ruleOf(an0to10, { note: '一二三四五六七八九十一' })).toEqual(['note:length']);
  });
  it('required: absent, null and empty refused with rule required', () => {
    for (const rec of [{}, { code: null }, { code: '' }]) expect(ruleOf(an4, rec)).toEqual(['code:required']);
  });
  it('objects, arrays and booleans refused with rule type; numbers taken as their text', () => {
    expect(ruleOf(an4, { code: ['ABCD'] })).toEqual(['code:type']);
    expect(ruleOf(an4, { code: true })).toEqual(['code:type']);
    expect(ruleOf(an4, { code: 1234 })).toEqual([]);
  });
  it('NUL characters refused (PostgreSQL text cannot hold them)', () => {
    expect(ruleOf(an4, { code: 'AB\u0000C' })).toEqual(['code:format']);
  });
  it('the value in an error is cut to 200 characters', () => {
    const t = table([f('s', 'an1..10', { kind: 'text', min: 1, max: 10 })]);
    expect(errorsOf(t, { s: 'x'.repeat(5000) })[0]!.value).toHaveLength(200);
  });
});

describe('numbers', () => {
  const t = table([
    f('pct', 'n1..3,2', { kind: 'decimal', intDigits: 3, fracDigits: 2 }),
    f('volt', 'n1..6.2', { kind: 'decimal', intDigits: 6, fracDigits: 2 }),
    f('port', 'n1..5', { kind: 'integer', maxDigits: 5 }, { semantic: 'port' }),
  ]);
  const ok = { pct: '100.00', volt: '220.5', port: '443' };
  it('accepts 100.00 in n1..3,2 and JSON numbers by their decimal text', () => {
    expect(ruleOf(t, ok)).toEqual([]);
    expect(ruleOf(t, { pct: 99.5, volt: 123456.78, port: 65535 })).toEqual([]);
    const r = compileTable(t).validate({ pct: 99.5, volt: 12, port: 0 }, 0, codes, [])!;
    expect(r.values).toEqual(['99.5', '12', '0']);
  });
  it('comma and dot notations of the format mean the same; the value uses a dot', () => {
    expect(ruleOf(t, { ...ok, pct: '12,5' })).toEqual(['pct:format']);
    expect(ruleOf(t, { ...ok, pct: '1000' })).toEqual(['pct:digits']);
    expect(ruleOf(t, { ...ok, pct: '1.005' })).toEqual(['pct:decimals']);
    expect(ruleOf(t, { ...ok, volt: '1234567.5' })).toEqual(['volt:digits']);
  });
  it("refuses '1e3', '-1', ' 12', '12.', '.5' and their JSON forms", () => {
    for (const v of ['1e3', '-1', ' 12', '12.', '.5']) {
      expect(ruleOf(t, { ...ok, pct: v, port: v }), v).toEqual(['pct:format', 'port:format']);
    }
    expect(ruleOf(t, { ...ok, pct: -1, port: 1e21 })).toEqual(['pct:format', 'port:format']);
    expect(ruleOf(t, { ...ok, pct: 0.1 + 0.2 })).toEqual(['pct:decimals']);
  });
  it('n1..5 ports: 0–65535', () => {
    expect(ruleOf(t, { ...ok, port: '65536' })).toEqual(['port:port']);
    expect(ruleOf(t, { ...ok, port: '123456' })).toEqual(['port:digits']);
    const [e] = errorsOf(t, { ...ok, port: '70000' });
    expect(e!.message).toMatch(/port \(n1\.\.5\).*0–65535.*rule port/);
  });
});

describe('dates, times, time of record and timeliness', () => {
  const t = table(
    [f('at', 'an19', { kind: 'datetime' }), f('day', 'an10', { kind: 'date' }), f('until', 'an0..10', { kind: 'date' }, { required: false })],
    { timeField: 'at', period: 'PT5M' },
  );
  it('an19 bad dates refused with rule datetime; an10 with rule date', () => {
    for (const v of ['2024-02-30 10:00:00', '2024-06-01 24:00:00', '2024-06-01', '2024/06/01 10:00:00', '2024-06-01 10:00:00.123'])
      expect(ruleOf(t, { at: v, day: '2024-06-01' }), v).toEqual(['at:datetime']);
    expect(ruleOf(t, { at: '2024-06-01 10:00:00', day: '2023-02-29' })).toEqual(['day:date']);
    expect(ruleOf(t, { at: '2024-06-01 10:00:00', day: 20240601 })).toEqual(['day:type']);
  });
  it('record_time is the Beijing time of the time field; T separator accepted', () => {
    const r = compileTable(t).validate({ at: '2024-06-01T08:00:00', day: '2024-06-01', until: '' }, 0, codes, [])!;
    expect(new Date(r.recordTime!).toISOString()).toBe('2024-06-01T00:00:00.000Z');
    expect(r.values).toEqual(['2024-06-01 08:00:00+08', '2024-06-01', null]);
  });
  it('on time: within the period + 5 minutes', () => {
    const c = compileTable(t);
    const at = Date.UTC(2024, 5, 1);
    expect(isOnTime(c, at, at + 10 * 60_000)).toBe(true);
    expect(isOnTime(c, at, at + 10 * 60_000 + 1)).toBe(false);
    expect(isOnTime(c, null, at)).toBe(true);
    const res = validateRecords(c, [
      { at: '2024-06-01 08:00:00', day: '2024-06-01' },
      { at: '2024-06-01 07:00:00', day: '2024-06-01' },
      { at: 'bad', day: '2024-06-01' },
    ], codes, at + 60_000);
    expect(res.records).toHaveLength(2);
    expect(res.onTime).toBe(1);
    expect(res.rejected).toBe(1);
  });
});

describe('addresses', () => {
  const t = table([
    f('ip', 'an7..40', { kind: 'text', min: 7, max: 40 }, { semantic: 'ip' }),
    f('range', 'an1..800', { kind: 'text', min: 1, max: 800 }, { semantic: 'ipList' }),
  ]);
  it('IPv4 and IPv6 addresses, lists of addresses, CIDRs and ranges', () => {
    expect(ruleOf(t, { ip: '2001:db8::8a2e:370:7334', range: '10.0.0.0/8; 2001:db8::/32, 10.1.1.1-10.1.1.9 ::1' })).toEqual([]);
    expect(ruleOf(t, { ip: '10.0.0.256', range: '10.0.0.1,not-an-ip' })).toEqual(['ip:ip', 'range:ipList']);
    expect(errorsOf(t, { ip: '10.0.0.1', range: '10.0.0.1,not-an-ip' })[0]!.message).toContain('not-an-ip');
    expect(ruleOf(t, { ip: '::1', range: '::1' })).toEqual(['ip:length']);
  });
});

describe('code tables', () => {
  const t = table([
    f('room', 'an4', { kind: 'text', min: 4, max: 4 }, { codeTable: 'machineRoom' }),
    f('provider', 'an4', { kind: 'text', min: 4, max: 4 }, { codeTable: 'cloudProvider' }),
    f('net', 'an4', { kind: 'text', min: 4, max: 4 }, { codeTable: 'networkType' }),
  ]);
  it('accepts the node rooms, the own provider code and active codes', () => {
    expect(ruleOf(t, { room: 'R002', provider: 'HJYC', net: 'GWWW' })).toEqual([]);
  });
  it('refuses another node room, another provider (own_provider), an unknown provider, an unknown code', () => {
    expect(ruleOf(t, { room: 'R999', provider: 'YBYC', net: 'XXXX' })).toEqual(['room:code', 'provider:own_provider', 'net:code']);
    expect(ruleOf(t, { room: 'R001', provider: 'ZZZZ', net: 'INET' })).toEqual(['provider:code']);
    expect(errorsOf(t, { room: 'R001', provider: 'YBYC', net: 'INET' })[0]!.message).toContain('HJYC');
  });
});

describe('records', () => {
  const t = table([f('a', 'an1..5', { kind: 'text', min: 1, max: 5 }), f('b', 'n1..3', { kind: 'integer', maxDigits: 3 })]);
  it('collects every error of a record, unknown fields included', () => {
    const errors = errorsOf(t, { a: '', b: 'x', c: 1, d: null });
    expect(errors.map((e) => `${e.field}:${e.rule}`)).toEqual(['c:unknown_field', 'd:unknown_field', 'a:required', 'b:format']);
    expect(errors[0]!.message).toContain('not a field of the interface table t');
  });
  it('refuses non-objects with not_object', () => {
    for (const r of [null, 'x', 1, [1, 2]]) expect(ruleOf(t, r)).toEqual(['null:not_object']);
  });
  it('indexes errors by position in the batch', () => {
    const res = validateRecords(compileTable(t), [{ a: 'ok', b: '1' }, { a: 'ok', b: '1000' }, 5], codes, Date.now());
    expect(res.errors.map((e) => [e.index, e.rule])).toEqual([[1, 'digits'], [2, 'not_object']]);
    expect(res.records).toHaveLength(1);
  });
  it('accepts 20,000 generated cloudHostMonitoring records without an error (speed: npm run bench:ingest)', () => {
    const c = compiledTable('cloudHostMonitoring')!;
    const recs = Array.from({ length: 20_000 }, (_, i) => sampleRecord(c.table, { seq: i, codes: sampleCodes }));
    const res = validateRecords(c, recs, codes, Date.now());
    expect(res.errors).toEqual([]);
    expect(res.records).toHaveLength(20_000);
  });
});
