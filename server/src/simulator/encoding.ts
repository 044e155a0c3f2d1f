/**
 * CSV and GBK encoding for the simulator's occasional CSV pushes (GBK by the platform's encoder).
 */
import { encodeGbk as encodeGbkStrict } from '../platform/gbk.js';

/** Encodes text as GBK, or returns null when a character has no GBK form. */
export function encodeGbk(text: string): Buffer | null {
  return encodeGbkStrict(text, { strict: true });
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV text (CRLF line ends) of records with the header `columns`; absent values are empty cells. */
export function toCsv(columns: readonly string[], records: ReadonlyArray<Record<string, string>>): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const r of records) lines.push(columns.map((c) => csvCell(r[c] ?? '')).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** The columns of a CSV for these records: the table's field order, then any extra keys (a faulty unknown field). */
export function csvColumns(fieldOrder: readonly string[], records: ReadonlyArray<Record<string, string>>): string[] {
  const present = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) present.add(k);
  const cols = fieldOrder.filter((f) => present.has(f));
  for (const k of present) if (!fieldOrder.includes(k)) cols.push(k);
  return cols;
}
