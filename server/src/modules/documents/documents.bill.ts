import type { RequestContext } from '../../platform/context.js';
import type { DocumentModel } from './documents.model.js';

/**
 * The parts of a monthly bill (billing module's BillDetail) that the document shows. Declared here structurally so the
 * documents module does not depend on the billing module's internals; BillingService.get satisfies BillSource.
 */
export interface BillDocumentData {
  month: string;
  unit: { name: string };
  provider: { name: string };
  status: string;
  total: string;
  computedAt: string;
  providerConfirmedAt: string | null;
  unitConfirmedAt: string | null;
  lockedAt: string | null;
  priceMissingCount: number;
  daysInMonth: number;
  lines: ReadonlyArray<{
    lineType: string;
    systemNo: string | null;
    systemName: string | null;
    itemCode: string | null;
    itemName: string | null;
    billingUnit: string | null;
    unitPrice: string | null;
    billingPeriod: string | null;
    quantityDays: string | null;
    averageQuantity: string | null;
    amount: string | null;
    priceStatus: string;
    reason: string | null;
  }>;
}

export interface BillSource {
  get(ctx: RequestContext, id: string): Promise<BillDocumentData>;
}

const STATUS_CN: Record<string, string> = { draft: '草稿', provider_confirmed: '云服务商已确认', unit_confirmed: '用户单位已确认', locked: '已锁定' };
const PERIOD_CN: Record<string, string> = { month: '元/月', year: '元/年', occurrence: '元/次', message: '元/条', certificate_year: '元/张/年', one_off: '元' };

/** Beijing time of an ISO instant, `YYYY-MM-DD HH:mm`. */
function beijing(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** A monthly bill (月度账单) as a document: one row per line (系统 × 服务项), 合计 = the bill's total, 大写. */
export function billDocument(b: BillDocumentData): DocumentModel {
  const [year, month] = b.month.split('-');
  const meta = [
    { label: '用户单位', value: b.unit.name },
    { label: '云服务商', value: b.provider.name },
    { label: '账期', value: `${year}年${Number(month)}月（${b.daysInMonth} 天）` },
    { label: '账单状态', value: STATUS_CN[b.status] ?? b.status },
    { label: '计算时间', value: beijing(b.computedAt) },
  ];
  if (b.providerConfirmedAt) meta.push({ label: '云服务商确认', value: beijing(b.providerConfirmedAt) });
  if (b.unitConfirmedAt) meta.push({ label: '用户单位确认', value: beijing(b.unitConfirmedAt) });
  if (b.lockedAt) meta.push({ label: '锁定时间', value: beijing(b.lockedAt) });
  const notes = ['数量：资源·天为当月每日计费数量之和，月均 = 资源·天 ÷ 当月天数；金额 = 月均 × 单价，逐行四舍五入到分，合计为各行之和。'];
  if (b.priceMissingCount > 0) notes.push(`有 ${b.priceMissingCount} 行缺少有效价格，未计金额。`);
  if (b.status !== 'locked') notes.push('本账单尚未锁定，金额可能因重算而变化。');
  return {
    docType: 'bill',
    title: `${year}年${Number(month)}月政务云服务费用账单`,
    subtitle: `${b.unit.name} — ${b.provider.name}`,
    sheetName: `账单${b.month}`,
    meta,
    columns: [
      { key: 'no', header: ['序号'], kind: 'integer', width: 5 },
      { key: 'systemNo', header: ['信息系统', '编号'], width: 12 },
      { key: 'systemName', header: ['信息系统', '名称'], width: 16 },
      { key: 'itemCode', header: ['服务项', '编号'], width: 9 },
      { key: 'itemName', header: ['服务项', '名称'], width: 18 },
      { key: 'unit', header: ['计费', '单位'], width: 8 },
      { key: 'unitPrice', header: ['计费', '单价（元）'], kind: 'money', width: 10 },
      { key: 'period', header: ['计费', '周期'], width: 7 },
      { key: 'quantityDays', header: ['数量', '资源·天'], kind: 'quantity', width: 10 },
      { key: 'average', header: ['数量', '月均'], kind: 'quantity', width: 9 },
      { key: 'amount', header: ['金额（元）'], kind: 'money', width: 13 },
      { key: 'remark', header: ['说明'], width: 12 },
    ],
    rows: b.lines.map((l, i) => ({
      no: i + 1,
      systemNo: l.systemNo ?? '',
      systemName: l.systemName ?? '',
      itemCode: l.itemCode ?? '',
      itemName: l.itemName ?? '',
      unit: l.billingUnit ?? '',
      unitPrice: l.unitPrice,
      period: l.billingPeriod ? (PERIOD_CN[l.billingPeriod] ?? l.billingPeriod) : '',
      quantityDays: l.quantityDays,
      average: l.averageQuantity,
      amount: l.amount,
      remark: [l.lineType === 'adjustment' ? '调整' : '', l.priceStatus !== 'ok' ? (l.reason ?? '未计价') : ''].filter(Boolean).join('；'),
    })),
    totals: { label: '合计', values: { amount: b.total } },
    amountInWords: { amount: b.total },
    notes,
    signatures: ['云服务商（盖章）', '用户单位（盖章）'],
  };
}
