import type { EstimateDetail } from '../estimates/index.js';
import { formatCell, type DocumentModel } from './documents.model.js';

const PERIOD_TEXT: Record<string, string> = { month: '元/月', year: '元/年', occurrence: '元/次', message: '元/条', certificate_year: '元/张/年', one_off: '元' };

/** An estimate (预算测算) as a document: 服务项 | 计量 (单位, 数量, 期限) | 金额（元） (单价, 金额), totals, milestones. */
export function estimateDocument(e: EstimateDetail): DocumentModel {
  const meta = [{ label: '状态', value: '草稿（测算，非正式报价）' }];
  if (e.result.budget) meta.push({ label: '预算金额', value: `${formatCell(e.result.budget.amount, 'money')} 元${e.result.budget.overrun ? '（超出预算）' : ''}` });
  if (e.result.ceiling) meta.push({ label: '最高限价', value: `${formatCell(e.result.ceiling.amount, 'money')} 元${e.result.ceiling.overrun ? '（超出最高限价）' : ''}` });
  return {
    docType: 'estimate',
    title: `预算测算：${e.title}`,
    meta,
    sheetName: '预算测算',
    columns: [
      { key: 'no', header: ['序号'], kind: 'integer', width: 5 },
      { key: 'category', header: ['服务项目', '服务类别'], width: 12 },
      { key: 'item', header: ['服务项目', '服务项'], width: 24 },
      { key: 'unit', header: ['计量', '计价单位'], width: 10 },
      { key: 'quantity', header: ['计量', '数量'], kind: 'quantity', width: 9 },
      { key: 'months', header: ['计量', '期限（月）'], kind: 'integer', width: 8 },
      { key: 'unitPrice', header: ['金额（元）', '单价'], kind: 'money', width: 12 },
      { key: 'period', header: ['金额（元）', '计费周期'], width: 9 },
      { key: 'amount', header: ['金额（元）', '金额'], kind: 'money', width: 14 },
    ],
    rows: e.result.lines.map((l, i) => {
      const input = e.lines[i];
      return {
        no: i + 1,
        category: input?.category ?? '',
        item: input?.itemText ?? l.mapping?.itemText ?? '',
        unit: input?.unit ?? l.conversion?.to ?? '',
        quantity: input?.quantity ?? null,
        months: input?.months ?? null,
        unitPrice: l.unitPrice,
        period: l.billingPeriod ? (PERIOD_TEXT[l.billingPeriod] ?? l.billingPeriod) : '',
        amount: l.amount,
      };
    }),
    totals: { label: '合计', values: { amount: e.result.total } },
    amountInWords: { amount: e.result.total },
    notes: e.result.milestones.map((m) => `付款节点 ${m.percent}%：${formatCell(m.amount, 'money')} 元（${m.uppercase}）`),
    signatures: ['编制单位（盖章）', '审核'],
  };
}
