import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { AuditFilter } from './audit.schemas.js';
import type { AuditRecord } from './audit.schemas.js';
import { beijingDateTime } from '../../platform/time.js';

/** Columns of the exported workbook: Chinese headers, widths in characters. */
export const EXPORT_COLUMNS: ReadonlyArray<{ header: string; width: number; value: (r: AuditRecord) => string | number }> = [
  { header: '序号', width: 10, value: (r) => Number(r.seq) },
  { header: '时间', width: 20, value: (r) => shanghaiTime(r.occurredAt) },
  { header: '操作人', width: 18, value: (r) => r.actorUsername },
  { header: '所属单位', width: 26, value: (r) => r.actorOrgName ?? '' },
  { header: '操作', width: 26, value: (r) => r.action },
  { header: '对象类型', width: 14, value: (r) => r.targetType ?? '' },
  { header: '对象', width: 38, value: (r) => r.targetId ?? '' },
  { header: '结果', width: 8, value: (r) => (r.outcome === 'success' ? '成功' : '失败') },
  { header: '来源IP', width: 16, value: (r) => r.sourceIp ?? '' },
  { header: '请求ID', width: 38, value: (r) => r.requestId ?? '' },
  { header: '变更前', width: 40, value: (r) => cellJson(r.before) },
  { header: '变更后', width: 40, value: (r) => cellJson(r.after) },
  { header: '哈希', width: 68, value: (r) => r.hash },
];

/** YYYY-MM-DD HH:mm:ss in Asia/Shanghai (UTC+8 all year, no daylight saving). */
export function shanghaiTime(iso: string | Date): string {
  return beijingDateTime(iso);
}

const CELL_LIMIT = 32_767; // Excel's maximum characters in a cell

function cellJson(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = JSON.stringify(v);
  return s.length > CELL_LIMIT ? `${s.slice(0, CELL_LIMIT - 1)}…` : s;
}

/** A readable summary of the filters, for the second row of the sheet. */
export function filterSummary(f: AuditFilter): string {
  const parts: string[] = [];
  if (f.from) parts.push(`起始时间 ${shanghaiTime(f.from)}`);
  if (f.to) parts.push(`截止时间 ${shanghaiTime(f.to)}`);
  if (f.actor) parts.push(`操作人包含「${f.actor}」`);
  if (f.action) parts.push(`操作以「${f.action}」开头`);
  if (f.outcome) parts.push(`结果 ${f.outcome === 'success' ? '成功' : '失败'}`);
  if (f.targetType) parts.push(`对象类型 ${f.targetType}`);
  if (f.q) parts.push(`关键字「${f.q}」`);
  return `筛选条件：${parts.length ? parts.join('；') : '全部记录'}`;
}

/**
 * Streams an .xlsx of audit records to `out` (exceljs streaming writer: rows are committed as they come, so memory
 * does not grow with the export). `batches` yields records newest first.
 */
export async function writeAuditWorkbook(
  out: Writable,
  meta: { filter: AuditFilter; total: number; exportedBy: string; exportedAt: Date },
  batches: AsyncIterable<AuditRecord[]>,
): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Zhengyun 政云';
  wb.created = meta.exportedAt;
  const ws = wb.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 3 }] });
  ws.columns = EXPORT_COLUMNS.map((c) => ({ width: c.width }));
  const title = ws.addRow(['政云 审计日志导出']);
  title.font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, EXPORT_COLUMNS.length);
  title.commit();
  const sub = ws.addRow([`${filterSummary(meta.filter)}；共 ${meta.total} 条；导出人 ${meta.exportedBy}；导出时间 ${shanghaiTime(meta.exportedAt)}`]);
  ws.mergeCells(2, 1, 2, EXPORT_COLUMNS.length);
  sub.commit();
  const header = ws.addRow(EXPORT_COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  header.commit();
  for await (const batch of batches) {
    for (const r of batch) ws.addRow(EXPORT_COLUMNS.map((c) => c.value(r))).commit();
  }
  ws.commit();
  await wb.commit();
}
