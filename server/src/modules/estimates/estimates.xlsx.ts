import ExcelJS from 'exceljs';
import type { FieldIssue } from '../../platform/errors.js';
import type { EstimateLineInputBody, EstimateDetail } from './estimates.schemas.js';

/**
 * `.xlsx` import and export of an estimate in the layout of the procurement tables (seeds 000–002):
 * 服务类别 | 服务子类 | 服务项 | 计价单位 | 报价单位 | 数量 | 期限 | 单价 | 金额, plus the columns that show how each line was
 * priced (目录编号 as entered, 对应目录项 as mapped, 换算, 说明). Import reads 目录编号 only as entered, so an exported
 * sheet imports back to the same lines.
 */

export const HEADERS = ['序号', '服务类别', '服务子类', '服务项', '计价单位', '报价单位', '数量', '期限', '单价', '金额', '目录编号', '对应目录项', '换算', '说明'] as const;

const MAPPING_TEXT: Record<string, string> = { code: '按编号', item_text: '按服务项', alias: '按别名', subcategory: '按服务子类' };
const PERIOD_TEXT: Record<string, string> = { month: '元/月', year: '元/年', occurrence: '元/次', message: '元/条', certificate_year: '元/张/年', one_off: '元' };

export async function writeEstimateWorkbook(e: EstimateDetail): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Zhengyun';
  const ws = wb.addWorksheet('预算测算');
  ws.addRow([e.title]).font = { bold: true, size: 14 };
  const header = ws.addRow([...HEADERS]);
  header.font = { bold: true };
  e.result.lines.forEach((l, i) => {
    const input = e.lines[i]!;
    ws.addRow([
      i + 1,
      input.category ?? '',
      input.subcategory ?? '',
      input.itemText ?? l.mapping?.itemText ?? '',
      input.unit ?? l.conversion?.to ?? '',
      l.billingPeriod ? PERIOD_TEXT[l.billingPeriod] : '',
      input.quantity,
      input.months ?? '-',
      l.unitPrice ?? '',
      l.amount ?? '',
      input.itemCode ?? '',
      l.mapping ? `${l.mapping.itemCode}（${MAPPING_TEXT[l.mapping.method]}）` : '',
      l.conversion?.explanation ?? '',
      [l.reason, ...l.warnings].filter(Boolean).join('；'),
    ]);
  });
  ws.addRow([]);
  ws.addRow(['', '', '', '月合计', '', '', '', '', '', e.result.monthlyTotal]);
  ws.addRow(['', '', '', '合计', '', '', '', '', '', e.result.total, '', '', e.result.totalUppercase]).font = { bold: true };
  if (e.result.budget) ws.addRow(['', '', '', '预算金额', '', '', '', '', '', e.result.budget.amount, '', '', e.result.budget.overrun ? '超出预算' : '未超出预算']);
  if (e.result.ceiling) ws.addRow(['', '', '', '最高限价', '', '', '', '', '', e.result.ceiling.amount, '', '', e.result.ceiling.overrun ? '超出最高限价' : '未超出最高限价']);
  for (const m of e.result.milestones) ws.addRow(['', '', '', `付款 ${m.percent}%`, '', '', '', '', '', m.amount, '', '', m.uppercase]);
  ws.columns.forEach((c, i) => (c.width = [6, 14, 20, 40, 12, 10, 10, 8, 10, 14, 10, 16, 30, 50][i]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** `fatal`: the file cannot be read at all; `rowIssues`: rows left out of `lines`, with row and column. */
export interface ReadResult {
  lines: EstimateLineInputBody[];
  rowIssues: FieldIssue[];
  fatal: FieldIssue[];
}
const fatal = (issue: FieldIssue): ReadResult => ({ lines: [], rowIssues: [], fatal: [issue] });

const cellText = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    if (v instanceof Date) return v.toISOString();
    return '';
  }
  return String(v).trim();
};

/**
 * Reads the first sheet: finds the header row (it must name 服务项 and 数量; 服务类别, 服务子类, 计价单位, 期限 and 目录编号
 * are used when present), then one line per row until the first row with neither 服务项 nor 目录编号 (totals below a
 * blank row are ignored). Every problem is reported with its spreadsheet row and column.
 */
export async function readEstimateWorkbook(data: Buffer): Promise<ReadResult> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    return fatal({ field: 'file', rule: 'xlsx', message: 'The file is not a readable .xlsx workbook' });
  }
  const ws = wb.worksheets[0];
  if (!ws) return fatal({ field: 'file', rule: 'sheet', message: 'The workbook has no sheet' });
  let headerRow = 0;
  const cols = new Map<string, number>();
  for (let r = 1; r <= Math.min(ws.rowCount, 20) && headerRow === 0; r++) {
    const row = ws.getRow(r);
    const found = new Map<string, number>();
    row.eachCell((cell, col) => found.set(cellText(cell.value).replace(/\s+/g, ''), col));
    if (found.has('服务项') && found.has('数量')) {
      headerRow = r;
      for (const [k, v] of found) cols.set(k, v);
    }
  }
  if (headerRow === 0) return fatal({ field: 'file', rule: 'header', message: 'No header row naming 服务项 and 数量 in the first 20 rows' });
  const col = (name: string) => cols.get(name) ?? cols.get(name === '计价单位' ? '单位' : name === '期限' ? '服务期限(月)' : '');
  const issues: FieldIssue[] = [];
  const lines: EstimateLineInputBody[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const get = (name: string) => {
      const c = col(name);
      return c === undefined ? '' : cellText(row.getCell(c).value);
    };
    const item = get('服务项');
    const code = get('目录编号');
    if (item === '' && code === '') break;
    const at = (f: string) => `rows[${r}].${f}`;
    const before = issues.length;
    const quantity = get('数量');
    if (quantity === '') issues.push({ field: at('数量'), rule: 'required', message: `Row ${r}: 数量 is empty` });
    else if (!/^\d+(\.\d+)?$/.test(quantity)) issues.push({ field: at('数量'), rule: 'non_negative_number', message: `Row ${r}: 数量 "${quantity}" is not a non-negative number`, value: quantity });
    const monthsText = get('期限');
    let months: number | null = null;
    if (monthsText !== '' && monthsText !== '-') {
      if (!/^\d{1,3}$/.test(monthsText) || Number(monthsText) > 120) issues.push({ field: at('期限'), rule: 'months', message: `Row ${r}: 期限 "${monthsText}" is not a whole number of months (0–120)`, value: monthsText });
      else months = Number(monthsText);
    }
    if (issues.length > before) continue;
    lines.push({
      itemCode: code || null,
      itemText: item || null,
      category: get('服务类别') || null,
      subcategory: get('服务子类') || null,
      quantity,
      unit: get('计价单位') || null,
      months,
    });
  }
  if (lines.length === 0 && issues.length === 0) return fatal({ field: 'file', rule: 'rows', message: 'The sheet has no lines below the header' });
  return { lines, rowIssues: issues, fatal: [] };
}
