import ExcelJS from 'exceljs';
import { parseDecimal } from '../../platform/money.js';
import { amountInWordsText, formatCell, headerLayout, validateModel, type CellValue, type ColumnKind, type DocumentModel } from './documents.model.js';

const MONEY_FORMAT = '#,##0.00';
const THIN = { style: 'thin' as const, color: { argb: 'FF999999' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

function cellValue(value: CellValue, kind: ColumnKind | undefined): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (kind === 'money' || kind === 'quantity' || kind === 'integer') return parseDecimal(String(value)).toNumber();
  return String(value);
}

function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return w;
}

/**
 * Builds the .xlsx of a document (unsigned): title and meta rows, merged multi-level headers (frozen), data rows,
 * totals row, the amount in Chinese uppercase and the signature block. Money cells are numbers shown as #,##0.00.
 */
export async function buildXlsx(model: DocumentModel, opts: { footerNote?: string } = {}): Promise<Buffer> {
  validateModel(model);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Zhengyun 政云';
  // Fixed dates so that the same model gives the same workbook content (the signature records the signing time).
  wb.created = new Date(0);
  wb.modified = new Date(0);
  const ws = wb.addWorksheet((model.sheetName ?? model.title).replace(/[\\/?*[\]:]/g, ' ').slice(0, 31));
  const n = model.columns.length;
  let r = 1;

  ws.mergeCells(r, 1, r, n);
  const title = ws.getCell(r, 1);
  title.value = model.title;
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(r).height = 28;
  r++;
  if (model.subtitle) {
    ws.mergeCells(r, 1, r, n);
    const c = ws.getCell(r, 1);
    c.value = model.subtitle;
    c.alignment = { horizontal: 'center' };
    r++;
  }
  for (const m of model.meta ?? []) {
    ws.mergeCells(r, 1, r, n);
    ws.getCell(r, 1).value = `${m.label}：${m.value}`;
    r++;
  }

  const layout = headerLayout(model.columns);
  const widths = model.columns.map((col, i) => {
    const longest = Math.max(
      ...layout.cells.filter((h) => h.col === i && h.colSpan === 1).map((h) => textWidth(h.text)),
      ...model.rows.slice(0, 200).map((row) => textWidth(formatCell(row[col.key] ?? null, col.kind))),
      col.kind === 'money' ? 14 : 6,
    );
    return col.width ?? Math.min(48, longest + 2);
  });
  // Rows of wrapped text get an explicit height: LibreOffice does not grow them on opening.
  const linesOf = (text: string, width: number) => Math.max(1, Math.ceil(textWidth(text) / Math.max(1, width)));
  const headerTop = r;
  for (const cell of layout.cells) {
    const top = headerTop + cell.row;
    const left = cell.col + 1;
    if (cell.rowSpan > 1 || cell.colSpan > 1) ws.mergeCells(top, left, top + cell.rowSpan - 1, left + cell.colSpan - 1);
    const c = ws.getCell(top, left);
    c.value = cell.text;
  }
  for (let hr = 0; hr < layout.depth; hr++) {
    for (let col = 1; col <= n; col++) {
      const c = ws.getCell(headerTop + hr, col);
      c.font = { bold: true };
      c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFF3F8' } };
      c.border = BORDER;
    }
  }
  for (let hr = 0; hr < layout.depth; hr++) {
    const lines = Math.max(1, ...layout.cells.filter((h) => h.row === hr && h.rowSpan === 1).map((h) => linesOf(h.text, widths.slice(h.col, h.col + h.colSpan).reduce((a, b) => a + b, 0))));
    if (lines > 1) ws.getRow(headerTop + hr).height = 15 * lines;
  }
  r = headerTop + layout.depth;
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: r - 1 }];

  for (const row of model.rows) {
    const lines = Math.max(1, ...model.columns.map((col, i) => (col.kind && col.kind !== 'text' ? 1 : linesOf(formatCell(row[col.key] ?? null, col.kind), widths[i]!))));
    if (lines > 1) ws.getRow(r).height = 15 * lines;
    model.columns.forEach((col, i) => {
      const c = ws.getCell(r, i + 1);
      c.value = cellValue(row[col.key] ?? null, col.kind);
      c.border = BORDER;
      if (col.kind === 'money') c.numFmt = MONEY_FORMAT;
      if (col.kind === 'integer') c.numFmt = '0';
      c.alignment = col.kind && col.kind !== 'text' ? { horizontal: 'right', vertical: 'top' } : { wrapText: true, vertical: 'top' };
    });
    r++;
  }

  if (model.totals) {
    const firstValueCol = model.columns.findIndex((c) => model.totals!.values[c.key] !== undefined);
    const labelSpan = Math.max(1, firstValueCol < 0 ? n : firstValueCol);
    if (labelSpan > 1) ws.mergeCells(r, 1, r, labelSpan);
    ws.getCell(r, 1).value = model.totals.label;
    model.columns.forEach((col, i) => {
      const c = ws.getCell(r, i + 1);
      const v = model.totals!.values[col.key];
      if (v !== undefined) {
        c.value = cellValue(v, col.kind ?? 'money');
        c.numFmt = MONEY_FORMAT;
        c.alignment = { horizontal: 'right' };
      }
      c.font = { bold: true };
      c.border = BORDER;
    });
    r++;
  }
  const words = amountInWordsText(model);
  if (words) {
    ws.mergeCells(r, 1, r, n);
    const c = ws.getCell(r, 1);
    c.value = words;
    c.font = { bold: true };
    c.border = BORDER;
    r++;
  }
  for (const note of model.notes ?? []) {
    ws.mergeCells(r, 1, r, n);
    ws.getCell(r, 1).value = note;
    ws.getCell(r, 1).alignment = { wrapText: true };
    const lines = linesOf(note, widths.reduce((a, b) => a + b, 0));
    if (lines > 1) ws.getRow(r).height = 15 * lines;
    r++;
  }
  if (opts.footerNote) {
    ws.mergeCells(r, 1, r, n);
    ws.getCell(r, 1).value = opts.footerNote;
    ws.getCell(r, 1).font = { size: 9, color: { argb: 'FF666666' } };
    r++;
  }
  if (model.signatures?.length) {
    r++;
    const per = Math.max(1, Math.floor(n / model.signatures.length));
    model.signatures.forEach((label, i) => {
      const left = i * per + 1;
      const right = i === model.signatures!.length - 1 ? Math.max(left, n) : left + per - 1;
      if (right > left) {
        ws.mergeCells(r, left, r, right);
        ws.mergeCells(r + 1, left, r + 1, right);
      }
      ws.getCell(r, left).value = `${label}：`;
      ws.getCell(r + 1, left).value = '日期：';
    });
    r += 2;
  }

  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.pageSetup = { orientation: n > 6 ? 'landscape' : 'portrait', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${headerTop}:${headerTop + layout.depth - 1}` };

  return Buffer.from(await wb.xlsx.writeBuffer());
}
