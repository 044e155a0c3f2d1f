import { parseDecimal, toChineseUppercase } from '../../platform/money.js';

/**
 * The document model that both renderers (.xlsx and PDF) take: a title, meta lines, a table with multi-level Chinese
 * headers, a totals row, the amount in Chinese uppercase and a signature block. Amounts are decimal strings (元).
 */
export type CellValue = string | number | null;

/** text: as is; money: 元 with two decimals (#,##0.00); quantity: a decimal as given; integer: a whole number. */
export type ColumnKind = 'text' | 'money' | 'quantity' | 'integer';

export interface DocumentColumn {
  key: string;
  /** Header path from the top level down, e.g. ['费用（元）', '月费用']; columns sharing a prefix share a merged cell. */
  header: readonly string[];
  kind?: ColumnKind;
  /** Width in characters (one Chinese character counts 2). */
  width?: number;
}

export interface DocumentModel {
  /** Kind of document (bill, contract, estimate …), recorded in the signature. */
  docType: string;
  title: string;
  subtitle?: string;
  /** Lines under the title: 单位, 期间, 编号 … */
  meta?: ReadonlyArray<{ label: string; value: string }>;
  columns: readonly DocumentColumn[];
  rows: ReadonlyArray<Record<string, CellValue>>;
  /** Totals row: label in the first column, values (decimal strings) by column key. */
  totals?: { label: string; values: Record<string, string> };
  /** The amount written in Chinese uppercase under the table (大写金额). */
  amountInWords?: { label?: string; amount: string };
  notes?: readonly string[];
  /** Signature block labels, e.g. ['出账单位（盖章）', '确认单位（盖章）']; each gets a line for a signature and a date. */
  signatures?: readonly string[];
  sheetName?: string;
}

export interface HeaderCell {
  text: string;
  /** 0-based header row and column. */
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

export interface HeaderLayout {
  depth: number;
  cells: HeaderCell[];
}

/**
 * Merged header cells of multi-level headers: adjacent columns with the same header prefix share one cell per level;
 * a column whose path is shorter than the deepest one has its last label merged down to the bottom header row.
 */
export function headerLayout(columns: readonly DocumentColumn[]): HeaderLayout {
  columns.forEach((c, i) => {
    if (c.header.length === 0) throw new RangeError(`columns[${i}].header is empty`);
  });
  const depth = Math.max(1, ...columns.map((c) => c.header.length));
  const cells: HeaderCell[] = [];
  for (let level = 0; level < depth; level++) {
    let col = 0;
    while (col < columns.length) {
      const c = columns[col]!;
      const last = c.header.length - 1;
      if (level > last) {
        col++;
        continue;
      }
      if (level === last) {
        cells.push({ text: c.header[level]!, row: level, col, rowSpan: depth - level, colSpan: 1 });
        col++;
        continue;
      }
      const prefix = c.header.slice(0, level + 1).join('\u0000');
      let end = col + 1;
      while (end < columns.length) {
        const n = columns[end]!;
        if (n.header.length - 1 <= level || n.header.slice(0, level + 1).join('\u0000') !== prefix) break;
        end++;
      }
      cells.push({ text: c.header[level]!, row: level, col, rowSpan: 1, colSpan: end - col });
      col = end;
    }
  }
  return { depth, cells };
}

/** Text of a cell as shown (money with thousands separators and two decimals). */
export function formatCell(value: CellValue, kind: ColumnKind = 'text'): string {
  if (value === null || value === undefined) return '';
  if (kind === 'money') {
    const d = parseDecimal(String(value));
    const [i = '0', f = '00'] = d.abs().toFixed(2).split('.');
    return `${d.isNegative() ? '-' : ''}${i.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${f}`;
  }
  return String(value);
}

export function amountInWordsText(model: DocumentModel): string | null {
  if (!model.amountInWords) return null;
  return `${model.amountInWords.label ?? '合计金额（大写）'}：${toChineseUppercase(parseDecimal(model.amountInWords.amount))}`;
}

/** Checks the model before rendering: keys unique, money values decimal text. Throws RangeError naming the field. */
export function validateModel(model: DocumentModel): void {
  if (!model.title.trim()) throw new RangeError('title is empty');
  if (model.columns.length === 0) throw new RangeError('columns is empty');
  const keys = new Set<string>();
  model.columns.forEach((c, i) => {
    if (keys.has(c.key)) throw new RangeError(`columns[${i}].key "${c.key}" is used twice`);
    keys.add(c.key);
  });
  model.rows.forEach((row, r) => {
    for (const c of model.columns) {
      const v = row[c.key];
      if (v === null || v === undefined || c.kind === undefined || c.kind === 'text') continue;
      try {
        parseDecimal(typeof v === 'number' ? String(v) : v);
      } catch {
        throw new RangeError(`rows[${r}].${c.key}: "${String(v)}" is not a decimal number`);
      }
    }
  });
  for (const [k, v] of Object.entries(model.totals?.values ?? {})) {
    if (!keys.has(k)) throw new RangeError(`totals.values.${k}: no such column`);
    parseDecimal(v);
  }
  if (model.amountInWords) parseDecimal(model.amountInWords.amount);
}
