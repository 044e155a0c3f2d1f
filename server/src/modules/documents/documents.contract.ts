import type { ContractDetail } from '../contracts/index.js';
import { formatCell, type DocumentModel } from './documents.model.js';

const STATUS_CN: Record<string, string> = { draft: '草稿', active: '执行中', closed: '已关闭' };
const STATE_CN: Record<string, string> = { paid: '已支付', overdue: '已逾期', due_soon: '30日内到期', pending: '未到期', no_date: '未定日期' };

/**
 * A contract summary and payment schedule (合同概要及付款计划) as a document: the particulars as meta lines, the
 * milestones with exact and uppercase amounts, 合计 = the contract amount, the billed consumption by month as notes.
 */
export function contractDocument(c: ContractDetail, generatedAt: string): DocumentModel {
  const money = (v: string) => `${formatCell(v, 'money')} 元`;
  return {
    docType: 'contract',
    title: `${c.name}（${c.contractNo}）合同概要及付款计划`,
    sheetName: '合同概要',
    meta: [
      { label: '合同编号', value: c.contractNo },
      { label: '采购人（甲方）', value: c.unit.name },
      { label: '云服务商（乙方）', value: c.provider.name },
      { label: '合同金额', value: `${money(c.amount)}（${c.amountUppercase}）` },
      { label: '服务期限', value: `${c.serviceStart} 至 ${c.serviceEnd}` },
      { label: '签订日期', value: c.signedDate ?? '—' },
      { label: '预算年度', value: c.fiscalYears.join('、') || '—' },
      { label: '关联信息系统', value: c.systems.map((s) => `${s.name}（${s.systemNo}）`).join('、') || '—' },
      { label: '合同状态', value: STATUS_CN[c.status] ?? c.status },
      { label: '已结算 / 剩余', value: `${money(c.consumption.consumed)} / ${money(c.consumption.remaining)}${c.consumption.percent === null ? '' : `（执行 ${c.consumption.percent}%）`}` },
      { label: '生成时间', value: generatedAt },
    ],
    columns: [
      { key: 'seq', header: ['付款节点', '序号'], kind: 'integer', width: 5 },
      { key: 'name', header: ['付款节点', '名称'], width: 10 },
      { key: 'condition', header: ['付款节点', '付款条件'], width: 20 },
      { key: 'percent', header: ['付款金额', '比例（%）'], kind: 'quantity', width: 8 },
      { key: 'amount', header: ['付款金额', '金额（元）'], kind: 'money', width: 13 },
      { key: 'uppercase', header: ['付款金额', '金额（大写）'], width: 22 },
      { key: 'dueDate', header: ['日期', '计划日期'], width: 10 },
      { key: 'paidDate', header: ['日期', '支付日期'], width: 10 },
      { key: 'state', header: ['状态'], width: 8 },
    ],
    rows: c.schedule.map((m) => ({
      seq: m.seq,
      name: m.name,
      condition: m.condition ?? '',
      percent: m.percent,
      amount: m.amount,
      uppercase: m.amountUppercase,
      dueDate: m.dueDate ?? '',
      paidDate: m.paidDate ?? '',
      state: STATE_CN[m.state] ?? m.state,
    })),
    totals: { label: '合计', values: { amount: c.amount } },
    amountInWords: { label: '合同金额（大写）', amount: c.amount },
    notes: c.burnDown.length
      ? ['已结算费用（按月）：', ...c.burnDown.map((p) => `${p.month}：${money(p.amount)}，累计 ${money(p.cumulative)}，剩余 ${money(p.remaining)}`)]
      : [],
    signatures: ['采购人（甲方）（盖章）', '云服务商（乙方）（盖章）'],
  };
}
