/**
 * CSV and GBK encoding for the simulator's occasional CSV pushes. Node decodes GBK (TextDecoder, full ICU) but does not
 * encode it; the encoder is the inverse of the decoder over every GBK double-byte sequence, built once on first use.
 */

let gbkTable: Map<number, number> | null = null;

function table(): Map<number, number> {
  if (gbkTable) return gbkTable;
  const decoder = new TextDecoder('gbk', { fatal: false });
  const map = new Map<number, number>();
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const s = decoder.decode(pair);
      if (s.length === 1 && s !== '\ufffd') {
        const cp = s.charCodeAt(0);
        if (!map.has(cp)) map.set(cp, (lead << 8) | trail);
      }
    }
  }
  gbkTable = map;
  return map;
}

/** Encodes text as GBK, or returns null when a character has no GBK form. */
export function encodeGbk(text: string): Buffer | null {
  const t = table();
  const out = Buffer.allocUnsafe(text.length * 2);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) out[n++] = c;
    else {
      const g = t.get(c);
      if (g === undefined) return null;
      out[n++] = g >> 8;
      out[n++] = g & 0xff;
    }
  }
  return out.subarray(0, n);
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
