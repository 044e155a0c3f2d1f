import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// The platform's own validator: the simulator's records must pass exactly what the push API runs.
import { INTERFACE_TABLES, compiledTable, type CodeContext, type RecordError } from '../modules/ingestion/index.js';
import { buildFleet, syntheticSkeleton, type Fleet } from './fleet.js';
import { GENERATORS, generateRecords, loadFactor, type SimRecord } from './generators.js';
import { EXPECTED_RULES, FAULT_KINDS, FAULT_VALUES, applicableFaults, applyFault, inOutage, parseOutage, parseSkip } from './faults.js';
import { Rng, SLOT_MS, beijingDateTime, beijingDayStart, beijingWeekStart } from './random.js';
import { csvColumns, encodeGbk, toCsv } from './encoding.js';
import { encodeBody, interpret } from './pusher.js';

/** The code tables seeded by migration 0040, read from the migration itself. */
function seededCodeTables(): Map<string, Set<string>> {
  const sql = fs.readFileSync(fileURLToPath(new URL('../../migrations/0040_ingestion.sql', import.meta.url)), 'utf8');
  const map = new Map<string, Set<string>>();
  for (const m of sql.matchAll(/\('([a-zA-Z]+)', '([^']+)', '[^']*', '[^']*', \d+\)/g)) {
    if (!map.has(m[1]!)) map.set(m[1]!, new Set());
    map.get(m[1]!)!.add(m[2]!);
  }
  return map;
}

const codeTables = seededCodeTables();
const fleet: Fleet = buildFleet(syntheticSkeleton({ providers: 2, nodesPerProvider: 2, systemsPerNode: 3 }), { seed: 7, hostsPerSystem: 3 });

function codesFor(providerCode: string, rooms: string[]): CodeContext {
  return { codeTables, machineRooms: new Set(rooms), ownProviderCode: providerCode, providerCodes: new Set(fleet.providers.map((p) => p.code)) };
}

function validate(table: string, records: SimRecord[], codes: CodeContext): RecordError[] {
  const compiled = compiledTable(table)!;
  const errors: RecordError[] = [];
  records.forEach((r, i) => compiled.validate(r, i, codes, errors));
  return errors;
}

// A working-day morning, a night slot, a weekend afternoon, and a Monday midnight (daily and weekly tables).
const monday = beijingWeekStart(Date.UTC(2026, 10, 25, 4));
const INSTANTS = [monday + 2 * 86_400_000 + 10 * 3600_000, monday + 3 * 86_400_000 + 2 * 3600_000 + 35 * 60_000, monday + 5 * 86_400_000 + 15 * 3600_000, monday];

describe('simulator generators', () => {
  it('has one generator for each of the 35 interface tables', () => {
    expect(GENERATORS.map((g) => g.table).sort()).toEqual(INTERFACE_TABLES.map((t) => t.name).sort());
    expect(GENERATORS).toHaveLength(35);
    for (const g of GENERATORS) expect(g.period).toBe(INTERFACE_TABLES.find((t) => t.name === g.table)!.period);
  });

  it('the code tables of migration 0040 are read (the test checks against real codes)', () => {
    expect(codeTables.get('runStatus')).toContain('RUNN');
    expect(codeTables.get('yesNo')).toContain('是');
    expect(codeTables.size).toBeGreaterThanOrEqual(9);
  });

  it('every generated record of every table passes the platform validator', () => {
    const produced = new Map<string, number>();
    for (const provider of fleet.providers) {
      for (const node of provider.nodes) {
        const codes = codesFor(provider.code, node.rooms);
        for (const g of GENERATORS) {
          for (const at of INSTANTS) {
            const periodAt = g.period === 'PT5M' ? at : g.period === 'P1D' ? beijingDayStart(at) : beijingWeekStart(at);
            for (let k = 0; k < (g.period === 'PT5M' ? 6 : 1); k++) {
              const records = generateRecords(fleet, provider, node, g.table, periodAt + k * (g.period === 'PT5M' ? SLOT_MS : 0));
              const errors = validate(g.table, records, codes);
              expect(errors, `${g.table} @ ${beijingDateTime(periodAt)}: ${JSON.stringify(errors.slice(0, 3))}`).toEqual([]);
              produced.set(g.table, (produced.get(g.table) ?? 0) + records.length);
            }
          }
        }
      }
    }
    for (const t of INTERFACE_TABLES) expect(produced.get(t.name) ?? 0, t.name).toBeGreaterThan(0);
  });

  it('a pushed record names only the pushing provider and the node’s own rooms', () => {
    const provider = fleet.providers[0]!;
    const node = provider.nodes[1]!;
    const other = fleet.providers[1]!.code;
    for (const table of ['assets', 'platformSpec', 'cloudHostSpec', 'businessSystem']) {
      const records = generateRecords(fleet, provider, node, table, monday);
      // Against another provider's code context the same records fail with own_provider / code.
      const errors = validate(table, records, { ...codesFor(other, fleet.providers[1]!.nodes[0]!.rooms) });
      expect(errors.length).toBeGreaterThan(0);
      expect(new Set(errors.map((e) => e.rule))).toEqual(new Set(errors.map((e) => e.rule).filter((r) => r === 'own_provider' || r === 'code')));
    }
  });

  it('is deterministic: the same seed gives the same fleet and the same records', () => {
    const again = buildFleet(syntheticSkeleton({ providers: 2, nodesPerProvider: 2, systemsPerNode: 3 }), { seed: 7, hostsPerSystem: 3 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(fleet));
    const p = fleet.providers[1]!;
    const n = p.nodes[0]!;
    expect(generateRecords(again, again.providers[1]!, again.providers[1]!.nodes[0]!, 'cloudHostMonitoring', INSTANTS[0]!)).toEqual(generateRecords(fleet, p, n, 'cloudHostMonitoring', INSTANTS[0]!));
    const other = buildFleet(syntheticSkeleton({ providers: 2 }), { seed: 8, hostsPerSystem: 3 });
    expect(other.providers[0]!.nodes[0]!.hosts[0]!.cloudHostId).not.toBe(fleet.providers[0]!.nodes[0]!.hosts[0]!.cloudHostId);
  });

  it('fleet: 4-character rooms, unique host IDs and IPs, system numbers unit code + 001, catalog sizes', () => {
    const hosts = fleet.providers.flatMap((p) => p.nodes.flatMap((n) => n.hosts));
    expect(hosts).toHaveLength(2 * 2 * 3 * 3);
    expect(new Set(hosts.map((h) => h.cloudHostId)).size).toBe(hosts.length);
    expect(new Set(hosts.map((h) => h.ip)).size).toBe(hosts.length);
    for (const n of fleet.providers.flatMap((p) => p.nodes)) {
      for (const r of n.rooms) expect(r).toMatch(/^[A-Za-z0-9]{4}$/);
      for (const s of n.systems) expect(s.systemId).toBe(`${s.unitCode}001`);
      expect(n.env.map((e) => e.kind)).toEqual(expect.arrayContaining(['temperatureHumidity', 'generator', 'adu', 'ups', 'collector', 'rowPowerCabinet', 'powerMeter']));
      expect(new Set(n.devices.map((d) => d.category))).toEqual(new Set(['SERV', 'STOR', 'NETW', 'SECU']));
    }
    for (const h of hosts) expect([2, 4, 8, 16]).toContain(h.vcpu);
  });

  it('cloud-host metrics follow a daily curve: office systems peak in working hours, not at night', () => {
    const workday10 = monday + 2 * 86_400_000 + 10 * 3600_000; // Wednesday 10:00 Beijing
    const night3 = monday + 2 * 86_400_000 + 3 * 3600_000; // Wednesday 03:00 Beijing
    expect(loadFactor('office', workday10)).toBeGreaterThan(0.7);
    expect(loadFactor('office', night3)).toBeLessThan(0.1);
    expect(loadFactor('public', monday + 2 * 86_400_000 + 12.5 * 3600_000)).toBeGreaterThan(loadFactor('public', night3));
    const node = fleet.providers[0]!.nodes[0]!;
    const avg = (at: number) => {
      const r = generateRecords(fleet, fleet.providers[0]!, node, 'cloudHostMonitoring', at);
      expect(r).toHaveLength(node.hosts.length);
      return r.reduce((s, x) => s + Number(x.cpuUsage), 0) / r.length;
    };
    expect(avg(workday10)).toBeGreaterThan(avg(night3) + 5);
  });
});

describe('simulator faults', () => {
  it('every fault kind on every table where it applies is refused with the intended rule, on that field', () => {
    let tried = 0;
    const values = new Set<string | null>();
    const provider = fleet.providers[0]!;
    const node = provider.nodes[0]!;
    const codes = codesFor(provider.code, node.rooms);
    for (const g of GENERATORS) {
      let base: SimRecord | undefined;
      for (let k = 0; k < 24 && !base; k++) base = generateRecords(fleet, provider, node, g.table, INSTANTS[0]! + k * SLOT_MS)[0];
      expect(base, g.table).toBeDefined();
      for (const kind of applicableFaults(g.table, base!)) {
        for (let seed = 0; seed < 30; seed++) {
          const rec = { ...base! };
          const fault = applyFault(g.table, rec, new Rng(seed + 1), kind);
          expect(fault, `${g.table} ${kind}`).not.toBeNull();
          const errors = validate(g.table, [rec], codes);
          const hit = errors.find((e) => e.field === fault!.field);
          expect(hit, `${g.table} ${kind} on ${fault!.field}: ${JSON.stringify(errors)}`).toBeDefined();
          expect(EXPECTED_RULES[kind]).toContain(hit!.rule);
          values.add(fault!.value);
          tried++;
        }
      }
    }
    expect(tried).toBeGreaterThan(35 * 3 * 30);
    // Every broken value of the fault model was tried somewhere.
    for (const v of Object.values(FAULT_VALUES).flat()) expect(values, v).toContain(v);
    // Each kind is exercised somewhere.
    for (const kind of FAULT_KINDS) expect(GENERATORS.some((g) => applicableFaults(g.table, generateRecords(fleet, provider, node, g.table, monday)[0] ?? {}).includes(kind)), kind).toBe(true);
  });

  it('outage and skip specifications', () => {
    expect(parseOutage('HJ01:60')).toEqual({ provider: 'HJ01', minutes: 60, startMinute: 0 });
    expect(parseOutage('HJ01:30@120')).toEqual({ provider: 'HJ01', minutes: 30, startMinute: 120 });
    expect(() => parseOutage('HJ01')).toThrow(/PROVIDER:MINUTES/);
    expect(parseSkip('YS01:hostLog')).toEqual({ provider: 'YS01', table: 'hostLog' });
    expect(() => parseSkip('YS01:nope')).toThrow(/interface table/);
    const start = Date.UTC(2026, 0, 1);
    const o = [parseOutage('HJ01:30@60')];
    expect(inOutage(o, 'HJ01', start, start + 59 * 60_000)).toBe(false);
    expect(inOutage(o, 'HJ01', start, start + 60 * 60_000)).toBe(true);
    expect(inOutage(o, 'HJ01', start, start + 89 * 60_000)).toBe(true);
    expect(inOutage(o, 'HJ01', start, start + 90 * 60_000)).toBe(false);
    expect(inOutage(o, 'YS01', start, start + 70 * 60_000)).toBe(false);
  });
});

describe('simulator encodings', () => {
  it('GBK: round trip through the platform’s decoder; characters without a GBK form are refused', () => {
    const text = '服务器,华为,机房 A01 — 温度 23.5℃';
    const gbk = encodeGbk(text)!;
    expect(new TextDecoder('gbk').decode(gbk)).toBe(text);
    expect(gbk.length).toBeLessThan(Buffer.byteLength(text));
    expect(encodeGbk('emoji 😀')).toBeNull();
  });

  it('CSV: header from the table’s field order, quoting of commas, quotes and line breaks', () => {
    const cols = csvColumns(['a', 'b', 'c'], [{ b: '1', a: 'x,y' }, { a: 'say "hi"', extra: 'z' }]);
    expect(cols).toEqual(['a', 'b', 'extra']);
    expect(toCsv(cols, [{ a: 'x,y', b: '1' }, { a: 'say "hi"\nthen', extra: 'z' }])).toBe('a,b,extra\r\n"x,y",1,\r\n"say ""hi""\nthen",,z\r\n');
    const body = encodeBody({ table: 'opsMonitoring', format: 'csv-gbk', records: generateRecords(fleet, fleet.providers[0]!, fleet.providers[0]!.nodes[0]!, 'opsMonitoring', monday) });
    expect(body.contentType).toBe('text/csv; charset=gbk');
    expect(new TextDecoder('gbk').decode(body.body).split('\r\n')[0]).toBe('checkType,checkContent,isNormal,checkedAt,checkedBy');
    const nd = encodeBody({ table: 'opsMonitoring', format: 'ndjson', records: [{ a: '1' }, { a: '2' }] });
    expect(nd.body.toString()).toBe('{"a":"1"}\n{"a":"2"}\n');
  });

  it('reads the platform’s answers: batch results, wrapped results and error bodies', () => {
    expect(interpret(200, { batchId: '1', accepted: 8, rejected: 2, errors: [], replayed: true }, 10, 1)).toMatchObject({ accepted: 8, rejected: 2, replayed: true, error: null });
    expect(interpret(422, { error: { code: 'ingest.batch_rejected', message: 'x', details: { errors: [{ index: 0 }] } } }, 10, 2)).toMatchObject({ accepted: 0, rejected: 10, error: 'ingest.batch_rejected: x', attempts: 2 });
    expect(interpret(401, { error: { code: 'ingest.signature_invalid', message: 'bad' } }, 3, 1)).toMatchObject({ rejected: 3, error: 'ingest.signature_invalid: bad' });
  });
});
