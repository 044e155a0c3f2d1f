/**
 * The fault model of the simulator: a configurable share of records is broken in one field, each in a way the
 * platform's validator must refuse with a known rule, and outages (a provider silent for a period, a table a provider
 * never sends) lower completeness. Data quality therefore drops measurably and predictably.
 */
import { INTERFACE_TABLES, type InterfaceField } from '../modules/ingestion/index.js';
import type { Rng } from './random.js';
import type { SimRecord } from './generators.js';

export type FaultKind = 'length' | 'date' | 'ip' | 'code' | 'numeric' | 'unknown_field' | 'required';
export const FAULT_KINDS: readonly FaultKind[] = ['length', 'date', 'ip', 'code', 'numeric', 'unknown_field', 'required'];

export interface AppliedFault {
  kind: FaultKind;
  /** The field broken (null for an unknown extra field: then `extraField` names it). */
  field: string;
  /** The rule(s) the validator reports for it (RecordError.rule). */
  rules: readonly string[];
  value: string | null;
}

/** The rule names a fault is expected to be refused with (the first is the one the platform's validator uses). */
export const EXPECTED_RULES: Record<FaultKind, readonly string[]> = {
  length: ['length'],
  date: ['date', 'datetime'],
  ip: ['ip'],
  code: ['code'],
  numeric: ['format'],
  unknown_field: ['unknown_field'],
  required: ['required'],
};

const tables = new Map(INTERFACE_TABLES.map((t) => [t.name, t]));

/** The broken values used per fault kind (one is picked at random). */
export const FAULT_VALUES = {
  date: ['2026-02-30', '2026/03/01', '20260301'],
  datetime: ['2026-02-30 10:00:00', '2026-13-01 10:00:00', '2026-03-01 24:00:00', '2026-03-01 10:00'],
  ip: ['300.1.2.3', '10.0.0.256', 'not-an-ip'],
  numeric: ['abc', '12a', '一百'],
} as const;

function candidates(fields: readonly InterfaceField[], record: SimRecord, kind: FaultKind): InterfaceField[] {
  const present = (f: InterfaceField) => record[f.name] !== undefined && record[f.name] !== '';
  switch (kind) {
    case 'length':
      return fields.filter((f) => f.rule.kind === 'text' && !f.codeTable && !f.semantic && f.rule.max <= 800 && present(f));
    case 'date':
      return fields.filter((f) => (f.rule.kind === 'date' || f.rule.kind === 'datetime') && present(f));
    case 'ip':
      return fields.filter((f) => f.semantic === 'ip' && present(f));
    case 'code':
      return fields.filter((f) => f.codeTable && present(f));
    case 'numeric':
      return fields.filter((f) => (f.rule.kind === 'integer' || f.rule.kind === 'decimal') && !f.semantic && present(f));
    case 'required':
      return fields.filter((f) => f.required && present(f));
    case 'unknown_field':
      return [];
  }
}

/** The faults that can be applied to this record of this table. */
export function applicableFaults(table: string, record: SimRecord): FaultKind[] {
  const t = tables.get(table);
  if (!t) return [];
  return FAULT_KINDS.filter((k) => k === 'unknown_field' || candidates(t.fields, record, k).length > 0);
}

/**
 * Breaks one field of `record` (mutating it) with a fault of the given kind, or a random applicable kind. Returns
 * what was done, or null when the kind does not apply to this table.
 */
export function applyFault(table: string, record: SimRecord, rng: Rng, kind?: FaultKind): AppliedFault | null {
  const t = tables.get(table);
  if (!t) return null;
  const k = kind ?? rng.pick(applicableFaults(table, record));
  if (k === 'unknown_field') {
    record.unexpectedField = 'x';
    return { kind: k, field: 'unexpectedField', rules: EXPECTED_RULES[k], value: 'x' };
  }
  const options = candidates(t.fields, record, k);
  if (options.length === 0) return null;
  const f = rng.pick(options);
  let value: string | null;
  switch (k) {
    case 'length': {
      const max = f.rule.kind === 'text' ? f.rule.max : 10;
      value = '长'.repeat(max + 1);
      break;
    }
    case 'date':
      value = rng.pick(f.rule.kind === 'date' ? FAULT_VALUES.date : FAULT_VALUES.datetime);
      break;
    case 'ip':
      value = rng.pick(FAULT_VALUES.ip);
      break;
    case 'code': {
      const len = f.rule.kind === 'text' ? f.rule.max : 4;
      value = len >= 4 ? 'ZZZZ' : 'Z'.repeat(Math.max(1, len));
      break;
    }
    case 'numeric':
      value = rng.pick(FAULT_VALUES.numeric);
      break;
    case 'required':
      value = null;
      break;
  }
  if (value === null) delete record[f.name];
  else record[f.name] = value;
  return { kind: k, field: f.name, rules: EXPECTED_RULES[k], value };
}

export interface Outage {
  /** cloudProvider code (an4) of the provider that goes silent. */
  provider: string;
  /** Silence starts this many simulated minutes after the simulation start. */
  startMinute: number;
  minutes: number;
}

/** `CODE:MINUTES` or `CODE:MINUTES@START` (minutes after the start of the simulation). */
export function parseOutage(spec: string): Outage {
  const m = /^([A-Za-z0-9]{1,4}):(\d{1,6})(?:@(\d{1,6}))?$/.exec(spec.trim());
  if (!m) throw new Error(`--outage ${spec}: expected PROVIDER:MINUTES or PROVIDER:MINUTES@START, e.g. HJ01:60 or HJ01:30@120`);
  return { provider: m[1]!, minutes: Number(m[2]), startMinute: Number(m[3] ?? 0) };
}

/** `CODE:table` — a table this provider never sends. */
export function parseSkip(spec: string): { provider: string; table: string } {
  const m = /^([A-Za-z0-9]{1,4}):([A-Za-z0-9]+)$/.exec(spec.trim());
  if (!m || !tables.has(m[2]!)) throw new Error(`--skip-table ${spec}: expected PROVIDER:table with an interface table name, e.g. HJ01:hostLog`);
  return { provider: m[1]!, table: m[2]! };
}

export function inOutage(outages: readonly Outage[], provider: string, simStartMs: number, atMs: number): boolean {
  return outages.some((o) => o.provider === provider && atMs >= simStartMs + o.startMinute * 60_000 && atMs < simStartMs + (o.startMinute + o.minutes) * 60_000);
}
