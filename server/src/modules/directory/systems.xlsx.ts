import ExcelJS from 'exceljs';
import type { FieldIssue } from '../../platform/errors.js';
import type { InformationSystem } from './directory.schemas.js';
import type { SystemFields } from './systems.rules.js';

/** Columns in the order of 业务系统数据 (interfaces.json); 单位地址邮编 (no format given) belongs to the unit, not here. */
const COLUMNS: Array<{ header: string; key: keyof SystemFields | 'unitCode' | 'cloudPlatform' | 'deploymentNode' | 'machineRoom' | 'systemNo'; width: number }> = [
  { header: '使用单位编号', key: 'unitCode', width: 16 },
  { header: '云平台', key: 'cloudPlatform', width: 16 },
  { header: '部署节点', key: 'deploymentNode', width: 14 },
  { header: '机房', key: 'machineRoom', width: 8 },
  { header: '信息系统编号', key: 'systemNo', width: 18 },
  { header: '信息系统名称', key: 'name', width: 30 },
  { header: '入云测试日期', key: 'cloudTestDate', width: 12 },
  { header: '联系人姓名', key: 'contactName', width: 10 },
  { header: '联系人手机号', key: 'contactMobile', width: 14 },
  { header: '联系人电子邮箱', key: 'contactEmail', width: 22 },
  { header: '联系人座机', key: 'contactLandline', width: 14 },
  { header: '技术人联系人姓名', key: 'techContactName', width: 10 },
  { header: '技术联系人手机号', key: 'techContactMobile', width: 14 },
  { header: '前置审批情况', key: 'preApprovalStatus', width: 20 },
  { header: '功能描述', key: 'functionDescription', width: 40 },
  { header: '系统类型', key: 'systemType', width: 12 },
  { header: '信息系统定级情况', key: 'gradingLevel', width: 10 },
  { header: '信息系统运行时间', key: 'operatingHours', width: 10 },
  { header: '系统服务对象', key: 'serviceAudience', width: 16 },
  { header: '系统服务范围', key: 'serviceScope', width: 16 },
  { header: '网络性质', key: 'networkNature', width: 14 },
  { header: '系统互联情况及涉及单位', key: 'interconnection', width: 20 },
  { header: '其他说明', key: 'otherNotes', width: 20 },
  { header: '上线日期', key: 'goLiveDate', width: 12 },
  { header: '退出日期', key: 'exitDate', width: 12 },
  { header: '退出原因', key: 'exitReason', width: 16 },
  { header: '信息系统访问地址', key: 'accessUrl', width: 30 },
  { header: '应用厂商', key: 'appVendor', width: 20 },
];
export const SYSTEM_HEADERS = COLUMNS.map((c) => c.header);
const REQUIRED_HEADERS = ['使用单位编号', '部署节点', '信息系统名称'];

export async function writeSystemsWorkbook(items: InformationSystem[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Zhengyun';
  const ws = wb.addWorksheet('业务系统数据');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const s of items) {
    const row: Record<string, string | null> = {
      unitCode: s.unit.code,
      cloudPlatform: s.node.provider?.name ?? null,
      deploymentNode: s.node.code,
      machineRoom: s.machineRoom?.code ?? null,
      systemNo: s.systemNo,
    };
    for (const c of COLUMNS) if (!(c.key in row)) row[c.key] = (s as unknown as Record<string, string | null>)[c.key] ?? null;
    // Text cells throughout: numbers and dates stay exactly as stored (no 1.38E+10 phones, no serial dates).
    ws.addRow(row).eachCell((cell) => (cell.numFmt = '@'));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface SystemsReadRow {
  row: number;
  unitCode: string | null;
  /** 信息系统编号 as in the file (an exported row); the import never assigns it from the file. */
  systemNo: string | null;
  node: string | null;
  room: string | null;
  fields: Partial<Record<keyof SystemFields, string | null>>;
}

export interface SystemsReadResult {
  rows: SystemsReadRow[];
  fileIssues: FieldIssue[];
  /** The Chinese column header of a field, for error reports. */
  columnOf(field: string): string | null;
}

function cellText(v: ExcelJS.CellValue): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((p) => p.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return v.result === undefined || v.result === null ? null : cellText(v.result as ExcelJS.CellValue);
    return null;
  }
  return String(v);
}

const keyHeader = new Map<string, string>([
  ...COLUMNS.map((c) => [c.key as string, c.header] as [string, string]),
  ['unitCode', '使用单位编号'],
  ['deploymentNode', '部署节点'],
]);

export async function readSystemsWorkbook(data: Buffer): Promise<SystemsReadResult> {
  const columnOf = (field: string) => keyHeader.get(field) ?? null;
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    return { rows: [], fileIssues: [{ field: 'file', rule: 'xlsx', message: 'Not a readable .xlsx file' }], columnOf };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { rows: [], fileIssues: [{ field: 'file', rule: 'no_sheet', message: 'The workbook has no sheet' }], columnOf };
  const header = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => {
    const t = cellText(cell.value)?.replace(/\s+/g, '');
    if (t) header.set(t, col);
  });
  const missing = REQUIRED_HEADERS.filter((h) => !header.has(h));
  if (missing.length) return { rows: [], fileIssues: missing.map((h) => ({ field: `header.${h}`, rule: 'missing_column', message: `Column ${h} is missing` })), columnOf };
  const rows: SystemsReadRow[] = [];
  ws.eachRow((r, n) => {
    if (n === 1) return;
    const get = (h: string) => {
      const col = header.get(h);
      return col ? cellText(r.getCell(col).value) : null;
    };
    const values = COLUMNS.map((c) => get(c.header));
    if (values.every((v) => v === null || v.trim() === '')) return;
    const fields: SystemsReadRow['fields'] = {};
    for (const c of COLUMNS) {
      if (['unitCode', 'cloudPlatform', 'deploymentNode', 'machineRoom', 'systemNo'].includes(c.key)) continue;
      fields[c.key as keyof SystemFields] = get(c.header);
    }
    rows.push({ row: n, unitCode: get('使用单位编号')?.trim() || null, systemNo: get('信息系统编号')?.trim() || null, node: get('部署节点')?.trim() || null, room: get('机房')?.trim() || null, fields });
  });
  return { rows, fileIssues: [], columnOf };
}
