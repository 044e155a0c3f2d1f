import ExcelJS from 'exceljs';
import type { OrgKind } from '../../platform/context.js';
import type { FieldIssue } from '../../platform/errors.js';
import { newOrganisationSchema, type Organisation } from './organisations.schemas.js';

/** 单位类型 as written in the workbook. */
export const KIND_LABELS: Record<OrgKind, string> = {
  management_unit: '管理单位',
  supervision_provider: '监管服务商',
  cloud_provider: '云服务商',
  user_unit: '使用单位',
  external_data_user: '外部数据用户',
};
const KIND_BY_LABEL = new Map(Object.entries(KIND_LABELS).map(([k, v]) => [v, k as OrgKind]));
const STATUS_LABELS = { active: '正常', disabled: '停用' } as const;

const COLUMNS = [
  { header: '单位编号', key: 'code', width: 18 },
  { header: '单位名称', key: 'name', width: 40 },
  { header: '简称', key: 'shortName', width: 20 },
  { header: '单位类型', key: 'kind', width: 12 },
  { header: '上级单位编号', key: 'parentCode', width: 18 },
  { header: '说明', key: 'description', width: 40 },
  { header: '状态', key: 'status', width: 8 },
] as const;
const REQUIRED = ['单位编号', '单位名称', '单位类型'];

/** Units (单位) as an .xlsx: one row each, parents before children, all cells text. */
export async function writeOrganisationsWorkbook(rows: Array<Organisation & { parentCode: string | null }>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Zhengyun';
  const ws = wb.addWorksheet('单位');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const o of rows) {
    ws.addRow({
      code: o.code,
      name: o.name,
      shortName: o.shortName,
      kind: KIND_LABELS[o.kind as OrgKind],
      parentCode: o.parentCode,
      description: o.description,
      status: STATUS_LABELS[o.status as keyof typeof STATUS_LABELS],
    }).eachCell((cell) => (cell.numFmt = '@'));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface OrganisationImportRow {
  row: number;
  code: string;
  name: string;
  shortName: string | null;
  kind: OrgKind;
  parentCode: string | null;
  description: string | null;
}

/** Reads the workbook; returns the rows that are well-formed and an issue per broken cell (row, column, rule). */
export async function readOrganisationsWorkbook(data: Buffer): Promise<{ rows: OrganisationImportRow[]; issues: FieldIssue[] }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    return { rows: [], issues: [{ field: 'file', rule: 'xlsx', message: 'The file is not a readable .xlsx workbook' }] };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { rows: [], issues: [{ field: 'file', rule: 'xlsx', message: 'The workbook has no worksheet' }] };
  const headerIndex = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => headerIndex.set(cellText(cell.value) ?? '', col));
  const missing = REQUIRED.filter((h) => !headerIndex.has(h));
  if (missing.length) {
    return { rows: [], issues: missing.map((h) => ({ field: `columns.${h}`, rule: 'required', message: `The header row lacks the column ${h}` })) };
  }
  const rows: OrganisationImportRow[] = [];
  const issues: FieldIssue[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const get = (header: string) => {
      const col = headerIndex.get(header);
      return col === undefined ? null : cellText(ws.getRow(r).getCell(col).value);
    };
    const values = { code: get('单位编号'), name: get('单位名称'), shortName: get('简称'), kindLabel: get('单位类型'), parentCode: get('上级单位编号'), description: get('说明') };
    if (Object.values(values).every((v) => v === null)) continue;
    const before = issues.length;
    const kind = values.kindLabel === null ? undefined : KIND_BY_LABEL.get(values.kindLabel);
    if (values.kindLabel === null) issues.push(issue(r, '单位类型', 'required', 'required'));
    else if (!kind) issues.push(issue(r, '单位类型', 'one_of', `one of ${[...KIND_BY_LABEL.keys()].join('、')}`, values.kindLabel));
    if (values.code === null) issues.push(issue(r, '单位编号', 'required', 'required'));
    const parsed = newOrganisationSchema.safeParse({
      kind: kind ?? 'user_unit',
      name: values.name ?? '',
      shortName: values.shortName,
      code: values.code ?? 'x',
      description: values.description,
    });
    if (!parsed.success) {
      const column: Record<string, string> = { name: '单位名称', shortName: '简称', code: '单位编号', description: '说明' };
      for (const i of parsed.error.issues) {
        const key = String(i.path[0] ?? '');
        issues.push(issue(r, column[key] ?? key, i.code === 'too_small' ? 'required' : i.code, i.message));
      }
    }
    if (issues.length === before && kind && values.code && values.name) {
      rows.push({ row: r, code: values.code, name: values.name, shortName: values.shortName, kind, parentCode: values.parentCode, description: values.description });
    }
  }
  return { rows, issues };
}

export function issue(row: number, column: string, rule: string, message: string, value?: unknown): FieldIssue {
  return { field: `rows[${row}].${column}`, rule, message, ...(value === undefined ? {} : { value }) };
}

function cellText(v: ExcelJS.CellValue): string | null {
  if (v === null || v === undefined) return null;
  let text: string;
  if (typeof v === 'object' && 'richText' in v) text = v.richText.map((p) => p.text).join('');
  else if (typeof v === 'object' && 'text' in v) text = String(v.text);
  else if (typeof v === 'object' && 'result' in v) text = String(v.result ?? '');
  else if (v instanceof Date) text = v.toISOString().slice(0, 10);
  else text = String(v);
  text = text.trim();
  return text === '' ? null : text;
}
