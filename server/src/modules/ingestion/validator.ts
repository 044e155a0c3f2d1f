/**
 * Record validation of the interface tables: each table is compiled once into one closure per field (no schema
 * library on the hot path), and each record is checked field by field, collecting every error of the record (one per
 * field: the first rule the field breaks) and producing the column values COPY writes.
 *
 * Column values are text in PostgreSQL's input form: numbers as their digits, dates `YYYY-MM-DD`, times
 * `YYYY-MM-DD HH:mm:ss+08`; null for an empty optional field.
 */
import type { RecordError } from './ingestion.types.js';
import type { InterfaceField, InterfaceTable } from './registry.types.js';
import { INTERFACE_TABLES } from './interface-tables.js';
import {
  checkDecimal,
  checkInteger,
  codePointLength,
  dateTimeColumn,
  hasNul,
  invalidIpListItems,
  isIpAddress,
  isPort,
  numberText,
  parseDate,
  parseDateTime,
} from './formats.js';
import { RecordParseError } from './parse.js';

/** The code tables (码表) a batch is checked against: loaded per pushing provider and node. */
export interface CodeContext {
  /** Active codes per code table name (ingest_code_values), cloudProvider excluded. */
  codeTables: ReadonlyMap<string, ReadonlySet<string>>;
  /** Codes of the machine rooms of the node the batch is pushed for (code table `machineRoom`). */
  machineRooms: ReadonlySet<string>;
  /** The pushing provider's own cloudProvider code, or null when none is configured. */
  ownProviderCode: string | null;
  /** Every active cloudProvider code (to tell another provider's code from an unknown one). */
  providerCodes: ReadonlySet<string>;
}

export const EMPTY_CODES: CodeContext = { codeTables: new Map(), machineRooms: new Set(), ownProviderCode: null, providerCodes: new Set() };

/** Grace after a table's update period within which a record still counts as on time (及时). */
export const ON_TIME_GRACE_MS = 5 * 60_000;

const PERIOD_MS: Record<InterfaceTable['period'], number> = { PT5M: 5 * 60_000, P1D: 86_400_000, P1W: 7 * 86_400_000 };

export const MAX_ERROR_VALUE_CHARS = 200;

/** The instant the last date / time check parsed (validation is synchronous: read right after the check). */
let lastParsedTime = NaN;

/** Returned by a field check for an invalid value (the error is already pushed). */
const INVALID = undefined;
type FieldCheck = (raw: unknown, index: number, codes: CodeContext, errors: RecordError[]) => string | null | undefined;

export interface ValidatedRecord {
  /** Column values in `CompiledTable.columns` order. */
  values: Array<string | null>;
  /** The record's own time (table.timeField) in ms since the epoch, or null. */
  recordTime: number | null;
}

export interface CompiledTable {
  table: InterfaceTable;
  /** The table's field columns, in registry order (the COPY column list after the fixed ones). */
  columns: readonly string[];
  /** Per column: true when the value is free text that may need COPY escaping (numbers and times never do). */
  textColumns: readonly boolean[];
  /** Period + grace: a record that arrives later than this after its own time is late. */
  onTimeLimitMs: number;
  /** Position of table.timeField in `columns` (-1 without one) and its kind: its column value gives record_time. */
  timeIndex: number;
  timeKind: 'date' | 'datetime' | null;
  /** Validates one record; pushes its errors and returns null when it has any. */
  validate(record: unknown, index: number, codes: CodeContext, errors: RecordError[]): ValidatedRecord | null;
}

export interface ValidationResult {
  records: ValidatedRecord[];
  errors: RecordError[];
  /** Indexes (in the batch) of the records that had at least one error. */
  rejected: number;
  /** Valid records that arrived on time (within the period + 5 min of their own time; always when no time field). */
  onTime: number;
}

/** Cut to 200 characters; NUL (which jsonb cannot store) shown as U+FFFD. */
function truncate(v: string): string {
  const s = v.length > MAX_ERROR_VALUE_CHARS ? v.slice(0, MAX_ERROR_VALUE_CHARS) : v;
  return s.indexOf('\u0000') === -1 ? s : s.replaceAll('\u0000', '\ufffd');
}

function describe(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string') return truncate(raw);
  try {
    return truncate(typeof raw === 'object' ? JSON.stringify(raw) : String(raw));
  } catch {
    return truncate(String(raw));
  }
}

function lengthText(min: number, max: number): string {
  return min === max ? `exactly ${max} characters` : `${min} to ${max} characters`;
}

function compileField(tableName: string, f: InterfaceField): FieldCheck {
  const name = f.name;
  const label = `Field ${name} (${f.format})`;
  const rule = f.rule;
  const numeric = rule.kind === 'integer' || rule.kind === 'decimal';
  const fail = (errors: RecordError[], index: number, raw: unknown, r: string, what: string): undefined => {
    errors.push({ index, field: name, value: describe(raw), rule: r, message: `${label} ${what} (rule ${r})` });
    return INVALID;
  };

  // 1. The value as text, or the empty / required outcome.
  const required = f.required;
  // 2. The format check on non-empty text; returns the column value.
  let format: (s: string, raw: unknown, index: number, errors: RecordError[]) => string | undefined;
  switch (rule.kind) {
    case 'text': {
      const { min, max } = rule;
      const what = `must have ${lengthText(min, max)} (counted as Unicode characters)`;
      format = (s, raw, index, errors) => {
        // UTF-16 length n bounds the code-point length cp: n / 2 <= cp <= n. Count only when the bounds do not decide.
        const n = s.length;
        let ok: boolean;
        if (n < min || n > 2 * max) ok = false;
        else if (n <= max && n >= 2 * min) ok = true;
        else {
          const cp = codePointLength(s);
          ok = cp >= min && cp <= max;
        }
        if (!ok) return fail(errors, index, raw, 'length', `${what}, has ${codePointLength(s)}`);
        if (hasNul(s)) return fail(errors, index, raw, 'format', 'must not contain a NUL character');
        return s;
      };
      break;
    }
    case 'integer': {
      const { maxDigits } = rule;
      format = (s, raw, index, errors) => {
        const fault = checkInteger(s, maxDigits);
        if (fault === null) return s;
        return fault === 'digits'
          ? fail(errors, index, raw, 'digits', `must have at most ${maxDigits} digits`)
          : fail(errors, index, raw, 'format', `must be an unsigned integer of digits only (no sign, exponent, spaces or decimal point)`);
      };
      break;
    }
    case 'decimal': {
      const { intDigits, fracDigits } = rule;
      format = (s, raw, index, errors) => {
        const fault = checkDecimal(s, intDigits, fracDigits);
        if (fault === null) return s;
        if (fault === 'digits') return fail(errors, index, raw, 'digits', `must have at most ${intDigits} digits before the decimal point`);
        if (fault === 'decimals') return fail(errors, index, raw, 'decimals', `must have at most ${fracDigits} digits after the decimal point`);
        return fail(errors, index, raw, 'format', `must be an unsigned decimal number such as 12 or 12.5 (digits, optionally a dot and digits; no sign, exponent or spaces)`);
      };
      break;
    }
    case 'date':
      format = (s, raw, index, errors) => {
        const ms = parseDate(s);
        if (Number.isNaN(ms)) return fail(errors, index, raw, 'date', 'must be a real calendar date YYYY-MM-DD');
        lastParsedTime = ms;
        return s;
      };
      break;
    case 'datetime':
      format = (s, raw, index, errors) => {
        const ms = parseDateTime(s);
        if (Number.isNaN(ms)) return fail(errors, index, raw, 'datetime', 'must be a real Beijing time YYYY-MM-DD HH:mm:ss (00:00:00–23:59:59)');
        lastParsedTime = ms;
        return dateTimeColumn(s);
      };
      break;
  }

  // 3. Semantic checks and code tables on the formatted text.
  const extra: Array<(s: string, raw: unknown, index: number, codes: CodeContext, errors: RecordError[]) => boolean> = [];
  if (f.semantic === 'ip') {
    extra.push((s, raw, index, _c, errors) => isIpAddress(s) || (fail(errors, index, raw, 'ip', 'must be an IPv4 or IPv6 address'), false));
  } else if (f.semantic === 'ipList') {
    extra.push((s, raw, index, _c, errors) => {
      const bad = invalidIpListItems(s);
      if (bad.length === 0) return true;
      fail(errors, index, raw, 'ipList', `must list addresses, CIDR blocks (a.b.c.d/n) or ranges (a-b) separated by , ; or spaces; not valid: ${truncate(bad.slice(0, 5).join(' '))}`);
      return false;
    });
  } else if (f.semantic === 'port') {
    extra.push((s, raw, index, _c, errors) => isPort(s) || (fail(errors, index, raw, 'port', 'must be a port number 0–65535'), false));
  }
  const codeTable = f.codeTable;
  if (codeTable === 'machineRoom') {
    extra.push((s, raw, index, c, errors) =>
      c.machineRooms.has(s) || (fail(errors, index, raw, 'code', 'must be the code of a machine room (机房) of the cloud node the batch is pushed for'), false));
  } else if (codeTable === 'cloudProvider') {
    extra.push((s, raw, index, c, errors) => {
      if (c.ownProviderCode !== null && s === c.ownProviderCode) return true;
      if (c.providerCodes.has(s)) {
        fail(errors, index, raw, 'own_provider', `must be the pushing provider's own code${c.ownProviderCode ? ` (${c.ownProviderCode})` : ' (none is configured: ask the management unit)'}, not another provider's`);
      } else {
        fail(errors, index, raw, 'code', `must be a code of the code table cloudProvider${c.ownProviderCode ? ` (yours is ${c.ownProviderCode})` : ''}`);
      }
      return false;
    });
  } else if (codeTable !== undefined) {
    extra.push((s, raw, index, c, errors) =>
      c.codeTables.get(codeTable)?.has(s) === true || (fail(errors, index, raw, 'code', `must be an active code of the code table ${codeTable}`), false));
  }
  void tableName;

  const typeWhat = numeric ? 'must be a string or a number' : rule.kind === 'text' ? 'must be a string or a number' : 'must be a string';
  return (raw, index, codes, errors) => {
    let s: string;
    if (typeof raw === 'string') s = raw;
    else if (raw === undefined || raw === null) s = '';
    else if (typeof raw === 'number' && (numeric || rule.kind === 'text')) s = numberText(raw);
    else return fail(errors, index, raw, 'type', `${typeWhat}, not ${Array.isArray(raw) ? 'an array' : typeof raw}`);
    if (s === '') return required ? fail(errors, index, raw, 'required', 'is required') : null;
    const v = format(s, raw, index, errors);
    if (v === INVALID) return INVALID;
    for (let i = 0; i < extra.length; i++) if (!extra[i]!(s, raw, index, codes, errors)) return INVALID;
    return v;
  };
}

/** Compiles a table's fields into closures. Cached per table by `compiledTable`. */
export function compileTable(table: InterfaceTable): CompiledTable {
  const fields = table.fields;
  const n = fields.length;
  const checks = fields.map((f) => compileField(table.name, f));
  const names = fields.map((f) => f.name);
  const known: Record<string, true> = Object.create(null) as Record<string, true>;
  for (const f of fields) known[f.name] = true;
  const timeIndex = table.timeField === null ? -1 : fields.findIndex((f) => f.name === table.timeField);
  const timeKind = timeIndex === -1 ? null : fields[timeIndex]!.rule.kind;
  if (timeKind !== null && timeKind !== 'date' && timeKind !== 'datetime') throw new Error(`${table.name}.timeField ${table.timeField} is not a date or time`);
  const tableLabel = table.name;

  function validate(record: unknown, index: number, codes: CodeContext, errors: RecordError[]): ValidatedRecord | null {
    if (record instanceof RecordParseError) {
      const message = record.message.indexOf('\u0000') === -1 ? record.message : record.message.replaceAll('\u0000', '\ufffd');
      errors.push({ index, field: null, value: record.value === null ? null : truncate(record.value), rule: record.rule, message });
      return null;
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      errors.push({ index, field: null, value: describe(record), rule: 'not_object', message: `Record ${index} is not an object of field names and values (rule not_object)` });
      return null;
    }
    const rec = record as Record<string, unknown>;
    const before = errors.length;
    for (const k in rec) {
      if (known[k] !== true) {
        const name = truncate(k);
        errors.push({ index, field: name, value: describe(rec[k]), rule: 'unknown_field', message: `Field ${name} is not a field of the interface table ${tableLabel} (rule unknown_field)` });
      }
    }
    const values = new Array<string | null>(n);
    let recordTime: number | null = null;
    for (let i = 0; i < n; i++) {
      lastParsedTime = NaN;
      const v = checks[i]!(rec[names[i]!], index, codes, errors);
      values[i] = v === INVALID ? null : v;
      if (i === timeIndex && v !== null && v !== INVALID) recordTime = lastParsedTime;
    }
    if (errors.length !== before) return null;
    return { values, recordTime };
  }

  return {
    table,
    columns: fields.map((f) => f.column),
    textColumns: fields.map((f) => f.rule.kind === 'text'),
    onTimeLimitMs: PERIOD_MS[table.period] + ON_TIME_GRACE_MS,
    timeIndex,
    timeKind: timeKind as 'date' | 'datetime' | null,
    validate,
  };
}

const TABLES_BY_NAME = new Map<string, InterfaceTable>(INTERFACE_TABLES.map((t) => [t.name, t]));
const COMPILED = new Map<string, CompiledTable>();

/** The interface table of that name (the push URL's `:table`), or undefined. */
export function interfaceTable(name: string): InterfaceTable | undefined {
  return TABLES_BY_NAME.get(name);
}

/** The compiled validator of a table (compiled on first use), or undefined for an unknown table. */
export function compiledTable(name: string): CompiledTable | undefined {
  let c = COMPILED.get(name);
  if (c === undefined) {
    const t = TABLES_BY_NAME.get(name);
    if (t === undefined) return undefined;
    c = compileTable(t);
    COMPILED.set(name, c);
  }
  return c;
}

/** True when a record with this own time (ms, or null) arriving at `receivedAt` is on time for the table. */
export function isOnTime(compiled: CompiledTable, recordTime: number | null, receivedAt: number): boolean {
  return recordTime === null || receivedAt - recordTime <= compiled.onTimeLimitMs;
}

/** Validates a whole batch: every error of every record, the valid records' column values, the on-time count. */
export function validateRecords(compiled: CompiledTable, records: ReadonlyArray<unknown>, codes: CodeContext, receivedAt: number): ValidationResult {
  const errors: RecordError[] = [];
  const valid: ValidatedRecord[] = [];
  let onTime = 0;
  let rejected = 0;
  const limit = compiled.onTimeLimitMs;
  for (let i = 0; i < records.length; i++) {
    const r = compiled.validate(records[i], i, codes, errors);
    if (r === null) {
      rejected++;
      continue;
    }
    valid.push(r);
    if (r.recordTime === null || receivedAt - r.recordTime <= limit) onTime++;
  }
  return { records: valid, errors, rejected, onTime };
}

/** Codes of the code tables seeded by migration 0040, one per table: what `sampleRecord` uses by default. */
export const SEEDED_SAMPLE_CODES: Readonly<Record<string, string>> = {
  assetCategory: 'SERV',
  networkType: 'INET',
  runStatus: 'RUNN',
  powerSupplyType: 'DUAL',
  managementType: 'SELF',
  cloudHostType: 'GENE',
  riskLevel: '高',
  yesNo: '是',
  remediationStatus: '完成整改',
};

/** `YYYY-MM-DD HH:mm:ss` Beijing time of an instant. */
export function beijingDateTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * A valid record of a table (every field filled, times = `at`), for tests, the simulator and the benchmark. The code
 * fields take `codes[codeTable]`, else the seeded codes; `machineRoom` and `cloudProvider` must be given.
 */
export function sampleRecord(table: InterfaceTable, opts: { codes?: Record<string, string>; at?: number; seq?: number } = {}): Record<string, string> {
  const at = opts.at ?? Date.now();
  const seq = opts.seq ?? 1;
  const rec: Record<string, string> = {};
  for (const f of table.fields) {
    const rule = f.rule;
    let v: string;
    if (f.codeTable !== undefined) {
      const code = opts.codes?.[f.codeTable] ?? SEEDED_SAMPLE_CODES[f.codeTable];
      if (code === undefined) throw new Error(`sampleRecord(${table.name}): no code given for the code table ${f.codeTable}`);
      v = code;
    } else if (f.semantic === 'ip') v = `10.${(seq >> 16) & 255}.${(seq >> 8) & 255}.${seq & 255}`;
    else if (f.semantic === 'ipList') v = '10.1.0.0/24, 10.2.0.1-10.2.0.9';
    else if (f.semantic === 'port') v = String(1024 + (seq % 60000));
    else if (rule.kind === 'integer') v = String(seq % 10 ** Math.min(rule.maxDigits, 9));
    else if (rule.kind === 'decimal') v = rule.intDigits >= 2 ? `${seq % 100}.${rule.fracDigits >= 2 ? '25' : '5'}` : '1.5';
    else if (rule.kind === 'date') v = beijingDateTime(at).slice(0, 10);
    else if (rule.kind === 'datetime') v = beijingDateTime(at);
    else {
      const base = `${f.name}-${seq}`;
      const len = Math.max(rule.min, Math.min(rule.max, base.length));
      v = base.length >= len ? base.slice(0, len) : base.padEnd(len, 'x');
    }
    rec[f.name] = v;
  }
  return rec;
}
