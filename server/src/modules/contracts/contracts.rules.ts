import { AppError, validationError, type FieldIssue } from '../../platform/errors.js';
import { Dec, formatYuan, parseDecimal, splitByPercentages, sum, toChineseUppercase } from '../../platform/money.js';
import type { ContractInput, MilestoneInput, ScheduleLine, WarningKind } from './contracts.schemas.js';

/** Milestones due within this many days raise `milestone_due`. */
export const DUE_WITHIN_DAYS = 30;
/** Consumption thresholds (percent of the contract or budget amount). */
export const THRESHOLDS: ReadonlyArray<{ percent: number; kind: WarningKind }> = [
  { percent: 100, kind: 'consumption_100' },
  { percent: 80, kind: 'consumption_80' },
];

/** Refuses milestones whose percentages do not add up to exactly 100 (the error names the sum). */
export function checkMilestones(milestones: readonly Pick<MilestoneInput, 'percent'>[]): void {
  const total = sum(milestones.map((m) => parseDecimal(m.percent)));
  if (!total.equals(100)) {
    throw new AppError('validation', 'contracts.milestones_not_100', `The payment milestones add up to ${total.toString()}%, not 100%`, {
      sum: total.toString(),
      issues: [{ field: 'body.milestones', rule: 'sum_100', message: `The percentages add up to ${total.toString()}, not 100`, value: total.toString() }],
    });
  }
}

/** Checks the contract's fields beyond their formats: dates in order, milestones adding to 100, a paid date only with a sensible date. */
export function checkContract(input: ContractInput): void {
  const issues: FieldIssue[] = [];
  if (input.serviceEnd < input.serviceStart) issues.push({ field: 'body.serviceEnd', rule: 'after_start', message: 'The service period ends before it starts', value: input.serviceEnd });
  input.milestones.forEach((m, i) => {
    if (parseDecimal(m.percent).lte(0)) issues.push({ field: `body.milestones[${i}].percent`, rule: 'positive', message: 'A milestone percentage must be above 0', value: m.percent });
  });
  const names = new Set<string>();
  input.milestones.forEach((m, i) => {
    if (names.has(m.name)) issues.push({ field: `body.milestones[${i}].name`, rule: 'unique', message: `Milestone "${m.name}" is named twice`, value: m.name });
    names.add(m.name);
  });
  if (issues.length) throw validationError('contracts.invalid', 'The contract is not valid', issues);
  checkMilestones(input.milestones);
}

/** Days from `from` to `to` (YYYY-MM-DD, calendar days). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The payment schedule: each milestone's exact amount (the parts add up to the contract amount), uppercase, state on `today`. */
export function paymentSchedule(amount: string, milestones: ReadonlyArray<{ seq: number; name: string; condition: string | null; percent: string; dueDate: string | null; paidDate: string | null }>, today: string): ScheduleLine[] {
  if (milestones.length === 0) return [];
  const parts = splitByPercentages(parseDecimal(amount), milestones.map((m) => parseDecimal(m.percent)));
  return milestones.map((m, i) => {
    const part = parts[i]!;
    let state: ScheduleLine['state'];
    if (m.paidDate) state = 'paid';
    else if (!m.dueDate) state = 'no_date';
    else if (m.dueDate < today) state = 'overdue';
    else if (daysBetween(today, m.dueDate) <= DUE_WITHIN_DAYS) state = 'due_soon';
    else state = 'pending';
    return { seq: m.seq, name: m.name, condition: m.condition, percent: new Dec(m.percent).toString(), amount: formatYuan(part), amountUppercase: toChineseUppercase(part), dueDate: m.dueDate, paidDate: m.paidDate, state };
  });
}

/** consumed / amount in percent with two decimals (null for a zero amount), and what remains. */
export function consumptionOf(amount: string, consumed: Dec): { consumed: string; remaining: string; percent: string | null } {
  const a = new Dec(amount);
  return {
    consumed: formatYuan(consumed),
    remaining: formatYuan(a.minus(consumed)),
    percent: a.isZero() ? null : consumed.times(100).dividedBy(a).toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2),
  };
}

/** The highest consumption warning reached (100% replaces 80%), or null. A zero amount with any consumption counts as 100%. */
export function consumptionWarning(amount: string, consumed: Dec): WarningKind | null {
  const a = new Dec(amount);
  if (consumed.lte(0)) return null;
  if (a.isZero()) return 'consumption_100';
  const pct = consumed.times(100).dividedBy(a);
  for (const t of THRESHOLDS) if (pct.gte(t.percent)) return t.kind;
  return null;
}

/** Monthly series: amount, cumulative and remaining after each month (months sorted). */
export function burnDown(amount: string, months: ReadonlyArray<{ month: string; amount: string }>): Array<{ month: string; amount: string; cumulative: string; remaining: string }> {
  let cumulative = new Dec(0);
  const a = new Dec(amount);
  return [...months]
    .sort((x, y) => x.month.localeCompare(y.month))
    .map((m) => {
      cumulative = cumulative.plus(m.amount);
      return { month: m.month, amount: formatYuan(new Dec(m.amount)), cumulative: formatYuan(cumulative), remaining: formatYuan(a.minus(cumulative)) };
    });
}

/** `YYYY-MM` or `YYYY-MM-01` → `YYYY-MM-01`; anything else is refused. */
export function normaliseMonth(month: string): string {
  const m = /^(\d{4})-(0[1-9]|1[0-2])(-01)?$/.exec(month.trim());
  if (!m) throw validationError('contracts.invalid_month', 'A billed month is written YYYY-MM', [{ field: 'month', rule: 'month', message: `"${month}" is not a month (YYYY-MM)`, value: month }]);
  return `${m[1]}-${m[2]}-01`;
}
