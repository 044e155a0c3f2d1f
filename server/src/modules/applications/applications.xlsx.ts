import ExcelJS from 'exceljs';
import type { Application } from './applications.schemas.js';

export const KIND_TEXT: Record<Application['kind'], string> = { onboarding: '入云', change: '变更', exit: '退云' };
export const STATUS_TEXT: Record<Application['status'], string> = {
  draft: '草稿',
  in_approval: '审批中',
  returned: '已退回',
  rejected: '已驳回',
  terminated: '已终止',
  fulfilling: '服务商实施中',
  delivered: '待验收',
  accepted: '已验收',
};
const HEADERS = ['申请编号', '申请类型', '标题', '申请单位', '信息系统', '服务商', '等保级别', '月金额（元）', '总金额（元）', '状态', '创建时间', '提交时间', '审批通过', '验收时间'] as const;

const local = (d: Date | null) => (d ? d.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16) : '');

/** The application list as .xlsx (one row per application, times in Asia/Shanghai). */
export async function writeApplicationsWorkbook(rows: readonly Application[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Zhengyun';
  const ws = wb.addWorksheet('申请列表');
  ws.addRow([...HEADERS]).font = { bold: true };
  for (const a of rows) {
    ws.addRow([
      a.appNo,
      KIND_TEXT[a.kind],
      a.title,
      a.unitName,
      a.systemName,
      a.providerName,
      a.protectionLevel ? `${a.protectionLevel}级` : '未定级',
      Number(a.monthlyTotal),
      Number(a.total),
      STATUS_TEXT[a.status],
      local(a.createdAt),
      local(a.submittedAt),
      local(a.approvedAt),
      local(a.acceptedAt),
    ]);
  }
  ws.getColumn(8).numFmt = '#,##0.00';
  ws.getColumn(9).numFmt = '#,##0.00';
  ws.columns.forEach((c, i) => (c.width = [16, 8, 36, 24, 24, 20, 8, 14, 14, 12, 17, 17, 17, 17][i]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
