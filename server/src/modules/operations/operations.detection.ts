/**
 * Detection of major changes (重大变更) in the data providers push anyway: the 云平台规格数据 (interface table
 * `platformSpec`) of a node and machine room whose totals — vCPU, memory, storage (standard + high-performance +
 * static), internet bandwidth — moved by more than the configured share against the previous record of that node
 * and machine room. Pure parts here; the cursor loop (ingestion's public `listStoredBatches` / `readBatchRecords`) is
 * `MajorChangeService.detectFromPushedData`.
 */

export const SPEC_TABLE = 'platformSpec';
/** Batches received longer ago than this only update the last-seen totals (catching up raises no alarms). */
export const DETECTION_LOOKBACK_DAYS = 7;

export const SPEC_FIGURES = ['vcpu', 'memory', 'storage', 'bandwidth'] as const;
export type SpecFigure = (typeof SPEC_FIGURES)[number];
/** Totals of one platform spec record, decimal strings with 2 decimals ("4096.00"); null when not reported. */
export type SpecFigures = Record<SpecFigure, string | null>;

export const SPEC_FIGURE_CN: Record<SpecFigure, string> = { vcpu: 'vCPU', memory: '内存', storage: '存储', bandwidth: '互联网带宽' };

/** Hundredths of a reported decimal string ("4096.5" → 409650n), null when empty or not a number. */
function hundredths(v: string | null | undefined): bigint | null {
  if (v === null || v === undefined) return null;
  const m = /^\s*(-?)(\d+)(?:\.(\d{1,2})\d*)?\s*$/.exec(v);
  if (!m) return null;
  const n = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -n : n;
}
const text = (h: bigint | null) => (h === null ? null : `${h < 0n ? '-' : ''}${(h < 0n ? -h : h) / 100n}.${String((h < 0n ? -h : h) % 100n).padStart(2, '0')}`);

/** The four totals of a platformSpec record (fields by the registry's names). */
export function specFigures(r: Readonly<Record<string, string | null>>): SpecFigures {
  const storageParts = [r['standardStorageTotal'], r['highPerfStorageTotal'], r['staticStorageTotal']].map(hundredths);
  const storage = storageParts.every((p) => p === null) ? null : storageParts.reduce<bigint>((a, p) => a + (p ?? 0n), 0n);
  return { vcpu: text(hundredths(r['cpuTotal'])), memory: text(hundredths(r['memoryTotal'])), storage: text(storage), bandwidth: text(hundredths(r['internetBandwidthTotal'])) };
}

export interface SpecChange {
  figure: SpecFigure;
  before: string;
  after: string;
  /** Relative change in percent, one decimal ("+30.0", "-12.5"); "new" when the total was 0 before. */
  changePct: string;
}

/**
 * The totals that moved by more than `thresholdPct` percent (strictly) between two records (pure). A total missing on
 * either side is not compared; from 0 to more than 0 is a change.
 */
export function specChanges(before: SpecFigures, after: SpecFigures, thresholdPct: string): SpecChange[] {
  const limit = hundredths(thresholdPct) ?? 1000n; // hundredths of a percent
  const out: SpecChange[] = [];
  for (const f of SPEC_FIGURES) {
    const b = hundredths(before[f]);
    const a = hundredths(after[f]);
    if (b === null || a === null || a === b) continue;
    if (b === 0n) {
      out.push({ figure: f, before: text(b)!, after: text(a)!, changePct: 'new' });
      continue;
    }
    const diff = a - b;
    // |diff| / b * 100 > threshold  ⇔  |diff| * 10000 > threshold(hundredths) * |b|
    const abs = diff < 0n ? -diff : diff;
    const base = b < 0n ? -b : b;
    if (abs * 10000n <= limit * base) continue;
    const tenths = (abs * 1000n + base / 2n) / base; // percent × 10, rounded
    out.push({ figure: f, before: text(b)!, after: text(a)!, changePct: `${diff < 0n ? '-' : '+'}${tenths / 10n}.${tenths % 10n}` });
  }
  return out;
}

/** One line per changed total for titles and details: "vCPU 1000.00 → 1300.00（+30.0%）". */
export function describeSpecChange(c: SpecChange): string {
  return `${SPEC_FIGURE_CN[c.figure]} ${c.before} → ${c.after}（${c.changePct === 'new' ? '新增' : `${c.changePct}%`}）`;
}
