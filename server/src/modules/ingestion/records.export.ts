/**
 * Writers of record exports: .xlsx through exceljs' streaming WorkbookWriter and CSV (UTF-8 with BOM, or GBK), both
 * consuming rows batch by batch and honouring the output's back-pressure, so memory does not grow with the export.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { InterfaceField, InterfaceTable } from './registry.types.js';
import { encodeGbk } from '../../platform/gbk.js';
import { beijingDateTime } from '../../platform/time.js';

export interface ExportRow {
  providerName: string;
  nodeName: string;
  batchId: string;
  receivedAt: string;
  /** Field values in registry order, as text. */
  values: Array<string | null>;
}

export interface ExportColumn {
  cn: string;
  name: string;
  width: number;
  kind: InterfaceField['rule']['kind'] | 'meta';
}

/** Fixed columns (provider, node, batch, arrival) then every field of the table in registry order. */
export function exportColumns(t: InterfaceTable): ExportColumn[] {
  return [
    { cn: '云服务商', name: 'provider', width: 24, kind: 'meta' },
    { cn: '云节点', name: 'node', width: 20, kind: 'meta' },
    { cn: '批次号', name: 'batchId', width: 10, kind: 'meta' },
    { cn: '接收时间', name: 'receivedAt', width: 20, kind: 'meta' },
    ...t.fields.map((f) => ({
      cn: f.cn,
      name: f.name,
      kind: f.rule.kind,
      width: Math.min(40, Math.max(10, f.cn.length * 2 + 2, f.rule.kind === 'datetime' ? 20 : f.rule.kind === 'text' ? Math.min(f.rule.max, 30) : 12)),
    })),
  ];
}

/** YYYY-MM-DD HH:mm:ss in Asia/Shanghai (UTC+8 all year, no daylight saving). */
export function shanghaiTime(d: Date): string {
  return beijingDateTime(d);
}

function cells(r: ExportRow): Array<string | null> {
  return [r.providerName, r.nodeName, r.batchId, r.receivedAt, ...r.values];
}

/** Numbers stay numbers in the sheet where that loses nothing (≤ 15 significant digits); else the exact text. */
function xlsxValue(v: string | null, kind: ExportColumn['kind']): string | number | null {
  if (v === null) return null;
  if ((kind === 'integer' || kind === 'decimal') && v.replace(/[-.]/g, '').replace(/^0+/, '').length <= 15) {
    const n = Number(v);
    if (Number.isFinite(n)) return n;
  }
  return v;
}

/**
 * The .xlsx: row 1 the Chinese names (中文名称), row 2 the field names of the interface standard (the keys a provider
 * pushes), both frozen; then one row per record. Strings are written as strings (never formulas).
 */
export async function writeRecordsWorkbook(
  out: Writable,
  meta: { table: InterfaceTable; columns: ExportColumn[]; exportedBy: string; exportedAt: Date },
  batches: AsyncIterable<ExportRow[]>,
): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = `Zhengyun 政云 (${meta.exportedBy})`;
  wb.created = meta.exportedAt;
  // Sheet names: at most 31 characters, none of : \ / ? * [ ]
  const ws = wb.addWorksheet(meta.table.cn.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = meta.columns.map((c) => ({ width: c.width }));
  const cn = ws.addRow(meta.columns.map((c) => c.cn));
  cn.font = { bold: true };
  cn.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  });
  cn.commit();
  const en = ws.addRow(meta.columns.map((c) => c.name));
  en.font = { italic: true, color: { argb: 'FF666666' } };
  en.eachCell((cell) => {
    cell.border = { bottom: { style: 'thin' } };
  });
  en.commit();
  const kinds = meta.columns.map((c) => c.kind);
  for await (const batch of batches) {
    for (const r of batch) ws.addRow(cells(r).map((v, i) => xlsxValue(v, kinds[i]!))).commit();
  }
  ws.commit();
  await wb.commit();
}

/**
 * A CSV field: quoted when it holds a comma, quote, line break or edge spaces. Text that a spreadsheet would run as a
 * formula (= + - @ first, not a number) gets a leading apostrophe (CSV injection).
 */
export function csvField(v: string | null, kind: ExportColumn['kind']): string {
  if (v === null) return '';
  let s = v;
  if ((kind === 'text' || kind === 'meta') && /^[=+\-@\t\r]/.test(s) && !/^[-+]?[0-9.]+$/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function write(out: Writable, chunk: Buffer): Promise<void> {
  if (out.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      out.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      out.off('drain', onDrain);
      reject(err);
    };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

/**
 * The CSV: one header row of Chinese names (the .xlsx carries the field names too), CRLF line ends, UTF-8 with a BOM
 * (so Excel recognises it) or GBK (for older Excel and tools set to the Chinese code page).
 */
export { encodeGbk };

export async function writeRecordsCsv(out: Writable, meta: { columns: ExportColumn[]; charset: 'utf-8' | 'gbk' }, batches: AsyncIterable<ExportRow[]>): Promise<void> {
  const encode = meta.charset === 'gbk' ? encodeGbk : (s: string) => Buffer.from(s, 'utf8');
  const kinds = meta.columns.map((c) => c.kind);
  const header = `${meta.columns.map((c) => csvField(c.cn, 'text')).join(',')}\r\n`;
  await write(out, meta.charset === 'gbk' ? encode(header) : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), encode(header)]));
  for await (const batch of batches) {
    let chunk = '';
    for (const r of batch) chunk += `${cells(r).map((v, i) => csvField(v, kinds[i]!)).join(',')}\r\n`;
    await write(out, encode(chunk));
  }
  out.end();
}
