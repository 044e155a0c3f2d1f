import ExcelJS from 'exceljs';
import type { Allocation } from './ipam.schemas.js';

const STATUS_CN: Record<string, string> = { active: '在用', released: '已释放' };
const KIND_CN: Record<string, string> = { subnet: '子网', addresses: '地址' };

/** Beijing time, YYYY-MM-DD HH:mm:ss. */
function beijing(isoText: string | null): string | null {
  return isoText === null ? null : new Date(Date.parse(isoText) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The allocations as one sheet (地址分配) with Chinese headers; every cell is text. */
export async function writeAllocationsWorkbook(items: Allocation[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Zhengyun';
  const ws = wb.addWorksheet('地址分配');
  const columns: Array<{ header: string; width: number; value: (a: Allocation) => string | null }> = [
    { header: '地址/地址段', width: 30, value: (a) => a.range },
    { header: '起始地址', width: 24, value: (a) => a.firstAddress },
    { header: '结束地址', width: 24, value: (a) => a.lastAddress },
    { header: '地址数', width: 12, value: (a) => a.count },
    { header: '类型', width: 8, value: (a) => KIND_CN[a.kind] ?? a.kind },
    { header: '协议', width: 8, value: (a) => `IPv${a.family}` },
    { header: '地址池', width: 20, value: (a) => a.pool.name },
    { header: '地址池网段', width: 22, value: (a) => a.pool.cidr },
    { header: '云节点', width: 16, value: (a) => a.node.name },
    { header: '网络区域', width: 16, value: (a) => a.zone.name },
    { header: '使用单位/服务商', width: 24, value: (a) => a.holder.name },
    { header: '信息系统编号', width: 18, value: (a) => a.system?.systemNo ?? null },
    { header: '信息系统名称', width: 24, value: (a) => a.system?.name ?? null },
    { header: '申请单', width: 38, value: (a) => a.requestId },
    { header: '关联申请（入云/变更）', width: 38, value: (a) => a.applicationId },
    { header: '状态', width: 8, value: (a) => STATUS_CN[a.status] ?? a.status },
    { header: '分配时间', width: 20, value: (a) => beijing(a.allocatedAt) },
    { header: '释放时间', width: 20, value: (a) => beijing(a.releasedAt) },
    { header: '备注', width: 30, value: (a) => a.note },
  ];
  ws.columns = columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const a of items) {
    const row: Record<string, string | null> = {};
    columns.forEach((c, i) => (row[`c${i}`] = c.value(a)));
    ws.addRow(row).eachCell((cell) => (cell.numFmt = '@'));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
