import ExcelJS from 'exceljs';
import { KIND_CN, QUANTITY_CN, QUANTITY_KEYS } from './inventory.kinds.js';
import type { Resource } from './inventory.schemas.js';

const FLAG_CN: Record<string, string> = {
  unowned: '无主资源',
  node_mismatch: '部署节点与登记不符',
  system_retired: '信息系统已退出',
  stale: '超期未上报',
};
const STATUS_CN: Record<string, string> = { active: '在用', deleted: '已删除' };

/** Beijing time, YYYY-MM-DD HH:mm:ss. */
function beijing(isoText: string): string {
  return new Date(Date.parse(isoText) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The resources as one sheet with Chinese headers; text cells throughout (no serial dates, no 1.2E+10 numbers). */
export async function writeResourcesWorkbook(items: Resource[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Zhengyun';
  const ws = wb.addWorksheet('资源清单');
  const columns: Array<{ header: string; width: number; value: (r: Resource) => string | null }> = [
    { header: '资源类型', width: 14, value: (r) => KIND_CN[r.kind] },
    { header: '名称', width: 28, value: (r) => r.name },
    { header: '标识', width: 36, value: (r) => r.naturalKey },
    { header: '云服务商', width: 20, value: (r) => r.provider.name },
    { header: '云节点', width: 16, value: (r) => r.node.name },
    { header: '信息系统编号', width: 18, value: (r) => r.systemNo },
    { header: '信息系统名称', width: 28, value: (r) => r.system?.name ?? null },
    { header: '使用单位', width: 24, value: (r) => r.unit?.name ?? null },
    { header: '状态', width: 8, value: (r) => STATUS_CN[r.status] ?? r.status },
    { header: '创建日期', width: 12, value: (r) => r.createdDate },
    { header: '删除日期', width: 12, value: (r) => r.deletedDate },
    ...QUANTITY_KEYS.map((k) => ({ header: QUANTITY_CN[k], width: 12, value: (r: Resource) => r.quantities[k] ?? null })),
    { header: '异常', width: 24, value: (r) => r.flags.map((f) => FLAG_CN[f] ?? f).join('、') || null },
    { header: '首次上报时间', width: 20, value: (r) => beijing(r.firstSeenAt) },
    { header: '最近上报时间', width: 20, value: (r) => beijing(r.lastSeenAt) },
    { header: '最近变更时间', width: 20, value: (r) => beijing(r.changedAt) },
  ];
  ws.columns = columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of items) {
    const row: Record<string, string | null> = {};
    columns.forEach((c, i) => (row[`c${i}`] = c.value(r)));
    ws.addRow(row).eachCell((cell) => (cell.numFmt = '@'));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
