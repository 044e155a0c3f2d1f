import { Dec, roundYuan, sum } from '../../platform/money.js';
import type { FieldIssue } from '../../platform/errors.js';
import type { ApplicationKind } from './applications.schemas.js';

/** An item the chosen provider offers, with its price from the approved price list in force. */
export interface OfferedItem {
  code: string;
  item: string;
  category: string | null;
  unitPrice: string;
  billingUnitText: string;
  billingPeriod: string;
}

export interface LineIn {
  itemCode: string;
  quantity: string;
  delta?: string | null;
  months?: number | null;
}

export interface PricedLine {
  lineNo: number;
  itemCode: string;
  itemText: string;
  category: string | null;
  billingUnitText: string;
  billingPeriod: string;
  quantity: string;
  delta: string | null;
  months: number | null;
  unitPrice: string;
  /** Per-month amount of the line (per-year items: a twelfth); null for one-off, per-occurrence, per-message items. */
  monthlyAmount: string | null;
  amount: string;
  /** The quantity the line adds (onboarding: the quantity; change: the delta; exit: minus the quantity). */
  basis: string;
}

export const DEFAULT_MONTHS = 12;

/**
 * Prices the lines of an application with the provider's offer. The basis of a line is what it adds to the unit's
 * resources: the quantity (入云), the signed delta (变更), or minus the quantity released (退云). Amounts: per month
 * price × basis × months, per year price × basis × months / 12, otherwise price × basis; each rounded half-up to
 * 0.01, totals are sums of rounded lines. Every problem is reported at once with its field.
 */
export function priceLines(kind: ApplicationKind, lines: readonly LineIn[], offer: ReadonlyMap<string, OfferedItem>, catalogNames: ReadonlyMap<string, string>): { lines: PricedLine[]; issues: FieldIssue[]; notOffered: string[] } {
  const issues: FieldIssue[] = [];
  const notOffered: string[] = [];
  const out: PricedLine[] = [];
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    const at = (f: string) => `body.lines[${i}].${f}`;
    const o = offer.get(l.itemCode);
    if (seen.has(l.itemCode)) issues.push({ field: at('itemCode'), rule: 'duplicate', message: `${l.itemCode} appears twice: one line per item`, value: l.itemCode });
    seen.add(l.itemCode);
    if (!o) {
      const name = catalogNames.get(l.itemCode);
      if (name === undefined) issues.push({ field: at('itemCode'), rule: 'unknown_item', message: `No catalog item ${l.itemCode}`, value: l.itemCode });
      else {
        notOffered.push(`${l.itemCode} ${name}`);
        issues.push({ field: at('itemCode'), rule: 'item_not_offered', message: `The provider does not offer ${l.itemCode} ${name} (not in its approved price list in force)`, value: l.itemCode });
      }
      return;
    }
    const quantity = new Dec(l.quantity);
    let basis: InstanceType<typeof Dec>;
    if (kind === 'change') {
      if (l.delta === undefined || l.delta === null) return void issues.push({ field: at('delta'), rule: 'required', message: `${l.itemCode}: a change line gives the change of quantity (delta)` });
      basis = new Dec(l.delta);
      if (basis.isZero()) return void issues.push({ field: at('delta'), rule: 'non_zero', message: `${l.itemCode}: the change is 0`, value: l.delta });
      if (quantity.minus(basis).isNegative()) {
        return void issues.push({ field: at('delta'), rule: 'not_below_zero', message: `${l.itemCode}: the quantity before the change (${quantity.minus(basis).toString()}) would be negative`, value: l.delta });
      }
    } else {
      if (l.delta !== undefined && l.delta !== null) return void issues.push({ field: at('delta'), rule: 'change_only', message: 'delta is given only on change applications', value: l.delta });
      if (quantity.isZero()) return void issues.push({ field: at('quantity'), rule: 'positive', message: `${l.itemCode}: the quantity is 0`, value: l.quantity });
      basis = kind === 'exit' ? quantity.negated() : quantity;
    }
    const price = new Dec(o.unitPrice);
    const periodic = o.billingPeriod === 'month' || o.billingPeriod === 'year';
    const months = periodic ? (l.months ?? DEFAULT_MONTHS) : null;
    let monthly: InstanceType<typeof Dec> | null = null;
    let amount: InstanceType<typeof Dec>;
    if (o.billingPeriod === 'month') {
      monthly = roundYuan(price.times(basis));
      amount = roundYuan(price.times(basis).times(months!));
    } else if (o.billingPeriod === 'year') {
      monthly = roundYuan(price.times(basis).div(12));
      amount = roundYuan(price.times(basis).times(months!).div(12));
    } else {
      amount = roundYuan(price.times(basis));
    }
    out.push({
      lineNo: out.length + 1,
      itemCode: o.code,
      itemText: o.item,
      category: o.category,
      billingUnitText: o.billingUnitText,
      billingPeriod: o.billingPeriod,
      quantity: quantity.toString(),
      delta: kind === 'change' ? basis.toString() : null,
      months,
      unitPrice: price.toFixed(2),
      monthlyAmount: monthly === null ? null : monthly.toFixed(2),
      amount: amount.toFixed(2),
      basis: basis.toString(),
    });
  });
  return { lines: out, issues, notOffered };
}

export function totals(lines: readonly Pick<PricedLine, 'monthlyAmount' | 'amount'>[]): { monthlyTotal: string; total: string } {
  return {
    monthlyTotal: sum(lines.filter((l) => l.monthlyAmount !== null).map((l) => new Dec(l.monthlyAmount!))).toFixed(2),
    total: sum(lines.map((l) => new Dec(l.amount))).toFixed(2),
  };
}

/** 等保级别 as a number for workflow conditions (未定级 → none). */
export function protectionLevel(grading: string): number | null {
  return ({ 一级: 1, 二级: 2, 三级: 3, 四级: 4, 五级: 5 } as Record<string, number>)[grading] ?? null;
}

export interface QuotaState {
  maxMonthlyAmount: string | null;
  itemCaps: Record<string, string>;
  usedMonthlyAmount: string;
  usedItems: Record<string, string>;
}

/** Over-quota problems of an application: its monthly amount and item bases added to what the unit already uses. */
export function quotaProblems(q: QuotaState, lines: readonly Pick<PricedLine, 'itemCode' | 'itemText' | 'monthlyAmount' | 'basis'>[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const monthly = sum(lines.filter((l) => l.monthlyAmount !== null).map((l) => new Dec(l.monthlyAmount!)));
  if (q.maxMonthlyAmount !== null && monthly.isPositive()) {
    const after = new Dec(q.usedMonthlyAmount).plus(monthly);
    if (after.gt(q.maxMonthlyAmount)) {
      issues.push({
        field: 'body.lines',
        rule: 'over_quota',
        message: `月度金额超出配额：配额 ${new Dec(q.maxMonthlyAmount).toFixed(2)} 元/月，已占用 ${new Dec(q.usedMonthlyAmount).toFixed(2)} 元/月，本申请 ${monthly.toFixed(2)} 元/月，合计 ${after.toFixed(2)} 元/月`,
        value: after.toFixed(2),
      });
    }
  }
  lines.forEach((l, i) => {
    const cap = q.itemCaps[l.itemCode];
    if (cap === undefined || !new Dec(l.basis).isPositive()) return;
    const after = new Dec(q.usedItems[l.itemCode] ?? '0').plus(l.basis);
    if (after.gt(cap)) {
      issues.push({
        field: `body.lines[${i}].quantity`,
        rule: 'over_quota',
        message: `${l.itemCode} ${l.itemText} 数量超出配额：配额 ${cap}，已占用 ${q.usedItems[l.itemCode] ?? '0'}，本申请 ${l.basis}，合计 ${after.toString()}`,
        value: after.toString(),
      });
    }
  });
  return issues;
}
