import ExcelJS from 'exceljs';
import type { ContractDetail } from './contracts.schemas.js';

const STATUS_CN: Record<string, string> = { draft: '草稿', active: '执行中', closed: '已关闭' };
const STATE_CN: Record<string, string> = { paid: '已支付', overdue: '已逾期', due_soon: '30日内到期', pending: '未到期', no_date: '未定日期' };
const WARNING_CN: Record<string, string> = { consumption_80: '已消耗80%', consumption_100: '已消耗100%', milestone_due: '付款节点30日内到期', milestone_overdue: '付款节点已逾期' };

const thin = { style: 'thin' as const };
const border = { top: thin, left: thin, bottom: thin, right: thin };

/** The data a contract summary workbook is built from: the contract detail and when it was produced. */
export interface ContractWorkbookData {
  contract: ContractDetail;
  /** Beijing time, `YYYY-MM-DD HH:mm:ss`. */
  generatedAt: string;
}

/**
 * Contract summary (合同概要) and payment schedule (付款计划) as an .xlsx: merged title row, the contract's particulars,
 * the milestones with exact amounts and uppercase amounts, a 合计 row, the billed consumption by month. A pure function
 * of its data (no database), so the signed exports (documents module) can reuse it.
 */
export async function buildContractWorkbook(data: ContractWorkbookData): Promise<Buffer> {
  const c = data.contract;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Zhengyun';
  const ws = wb.addWorksheet('合同概要');
  ws.columns = [{ width: 8 }, { width: 18 }, { width: 40 }, { width: 12 }, { width: 18 }, { width: 36 }, { width: 14 }, { width: 14 }, { width: 14 }];
  const lastCol = 9;

  const title = ws.addRow([`${c.name}（${c.contractNo}）合同概要及付款计划`]);
  ws.mergeCells(title.number, 1, title.number, lastCol);
  title.font = { bold: true, size: 14 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  title.height = 28;

  const particulars: Array<[string, string]> = [
    ['合同编号', c.contractNo],
    ['合同名称', c.name],
    ['采购人（甲方）', c.unit.name],
    ['云服务商（乙方）', c.provider.name],
    ['合同金额（元）', c.amount],
    ['合同金额（大写）', c.amountUppercase],
    ['服务期限', `${c.serviceStart} 至 ${c.serviceEnd}`],
    ['签订日期', c.signedDate ?? ''],
    ['预算年度', c.fiscalYears.join('、')],
    ['关联信息系统', c.systems.map((s) => `${s.name}（${s.systemNo}）`).join('、')],
    ['合同状态', STATUS_CN[c.status] ?? c.status],
    ['已结算费用（元）', c.consumption.consumed],
    ['剩余金额（元）', c.consumption.remaining],
    ['执行比例', c.consumption.percent === null ? '' : `${c.consumption.percent}%`],
    ['生成时间', data.generatedAt],
  ];
  for (const [label, value] of particulars) {
    const row = ws.addRow([label, '', value]);
    ws.mergeCells(row.number, 1, row.number, 2);
    ws.mergeCells(row.number, 3, row.number, lastCol);
    row.getCell(1).font = { bold: true };
    row.getCell(3).numFmt = '@';
  }

  ws.addRow([]);
  const scheduleTitle = ws.addRow(['付款计划']);
  ws.mergeCells(scheduleTitle.number, 1, scheduleTitle.number, lastCol);
  scheduleTitle.font = { bold: true, size: 12 };
  scheduleTitle.alignment = { horizontal: 'center' };
  const header = ws.addRow(['序号', '付款节点', '付款条件', '比例（%）', '金额（元）', '金额（大写）', '计划日期', '支付日期', '状态']);
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.border = border;
    cell.alignment = { horizontal: 'center' };
  });
  for (const m of c.schedule) {
    const row = ws.addRow([m.seq, m.name, m.condition ?? '', m.percent, m.amount, m.amountUppercase, m.dueDate ?? '', m.paidDate ?? '', STATE_CN[m.state] ?? m.state]);
    row.eachCell({ includeEmpty: true }, (cell) => (cell.border = border));
    row.getCell(4).numFmt = '@';
    row.getCell(5).numFmt = '@';
    row.getCell(5).alignment = { horizontal: 'right' };
  }
  const total = ws.addRow(['合计', '', '', '100', c.amount, c.amountUppercase, '', '', '']);
  ws.mergeCells(total.number, 1, total.number, 3);
  total.font = { bold: true };
  total.eachCell({ includeEmpty: true }, (cell) => (cell.border = border));
  total.getCell(5).alignment = { horizontal: 'right' };

  if (c.burnDown.length) {
    ws.addRow([]);
    const burnTitle = ws.addRow(['费用消耗（按月）']);
    ws.mergeCells(burnTitle.number, 1, burnTitle.number, lastCol);
    burnTitle.font = { bold: true, size: 12 };
    burnTitle.alignment = { horizontal: 'center' };
    const h = ws.addRow(['月份', '', '本月费用（元）', '', '累计（元）', '剩余（元）']);
    h.font = { bold: true };
    for (const p of c.burnDown) ws.addRow([p.month, '', p.amount, '', p.cumulative, p.remaining]);
  }

  if (c.warnings.length) {
    ws.addRow([]);
    const wTitle = ws.addRow(['预警']);
    ws.mergeCells(wTitle.number, 1, wTitle.number, lastCol);
    wTitle.font = { bold: true, size: 12 };
    for (const w of c.warnings) ws.addRow([WARNING_CN[w.kind] ?? w.kind, '', w.milestoneSeq ? `付款节点 ${w.milestoneSeq}` : `执行比例 ${String(w.details.percent ?? '')}%`]);
  }
  ws.pageSetup = { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
