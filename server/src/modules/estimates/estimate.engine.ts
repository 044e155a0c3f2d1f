import { Dec, parseDecimal, roundYuan, splitByPercentages, sum, toChineseUppercase, type Dec as Decimal } from '../../platform/money.js';
import { convert, type BillingPeriod, type CatalogItemData } from '../catalog/index.js';

/**
 * 预算测算: maps an agency's order lines to catalog items, converts quantities to the items' billing units and prices
 * them. Pure: the service feeds it the catalog version and a price source. Nothing is guessed: a line that cannot be
 * mapped, converted or priced is listed with the reason.
 */

export interface EstimateLineInput {
  /** Catalog item code, when the agency picked one. */
  itemCode?: string | null;
  /** Free text as ordered (服务项), and the category / subcategory cells if the table had them. */
  itemText?: string | null;
  category?: string | null;
  subcategory?: string | null;
  /** Quantity as text or integer (exact). */
  quantity: string;
  /** Unit as the agency wrote it (`GB`, `1 IP（内网）`, `核`). Empty = the item's billing unit. */
  unit?: string | null;
  /** Service months (期限); null for one-off or per-message lines. */
  months?: number | null;
}

/** A price for one item: basic items from a price list or the maximum price; extension items from a provider's list. */
export interface PriceEntry {
  unitPrice: string;
  /** The unit the price is per (for extension items the provider's own). */
  billingUnitText: string;
  billingPeriod: BillingPeriod;
}

export type PriceSource = { kind: 'maximum' } | { kind: 'price_list'; priceListId: string; prices: ReadonlyMap<string, PriceEntry> };

export type LineProblem =
  | 'unknown_code'
  | 'no_match'
  | 'ambiguous'
  | 'baseline_item'
  | 'unknown_unit'
  | 'incompatible_units'
  | 'no_price'
  | 'invalid_quantity'
  | 'months_required';

export interface PricedLine {
  index: number;
  input: EstimateLineInput;
  /** How the line was mapped: by code, by item text, by a curated alias, or by subcategory. */
  mapping: { itemCode: string; itemText: string; method: 'code' | 'item_text' | 'alias' | 'subcategory' } | null;
  candidates: string[];
  conversion: { from: string; to: string; quantity: string; ratio: string; explanation: string; nonIntegral: boolean } | null;
  unitPrice: string | null;
  billingPeriod: BillingPeriod | null;
  /** Monthly amount (per-month items only), rounded half-up to 0.01. */
  monthlyAmount: string | null;
  /** Line amount = unit price × converted quantity × months (per-month items), half-up to 0.01. */
  amount: string | null;
  problem: LineProblem | null;
  /** The reason in English; `reasonParams` lets a client word it in its own language (key: the problem code). */
  reason: string | null;
  reasonParams: Record<string, string> | null;
  /** Warnings in English, and the same as codes with parameters for translation. */
  warnings: string[];
  warningCodes: LineWarning[];
}

/** `text_differs`: mapped although the ordered text differs from the catalog's; `non_integral`: a count came out fractional. */
export interface LineWarning {
  code: 'text_differs' | 'non_integral';
  params: Record<string, string>;
}

export interface EstimateResult {
  lines: PricedLine[];
  /** Sum of the monthly amounts of the priced per-month lines. */
  monthlyTotal: string;
  /** Sum of the rounded line amounts. */
  total: string;
  totalUppercase: string;
  pricedCount: number;
  unpricedCount: number;
  /** Security-baseline items (2001–2017): free and included for every system. */
  baselineIncluded: Array<{ code: string; name: string }>;
  budget: { amount: string; overrun: boolean; difference: string } | null;
  ceiling: { amount: string; overrun: boolean; difference: string } | null;
  milestones: Array<{ percent: string; amount: string; uppercase: string }>;
}

/** NFKC, no whitespace, ASCII parentheses, no list punctuation, lower case. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[（]/g, '(')
    .replace(/[）]/g, ')')
    .replace(/[、，,。；;：:]/g, '')
    .toLowerCase();
}

/** The text without parenthesised specifications: `普通存储(单盘iops1000-3000)` → `普通存储`. */
export function baseText(text: string): string {
  return normaliseText(text).replace(/\([^()]*\)/g, '');
}

type Method = 'code' | 'item_text' | 'alias' | 'subcategory';
type MapResult =
  | { ok: true; item: CatalogItemData; method: Method; warnings: string[]; warningCodes: LineWarning[] }
  | { ok: false; problem: LineProblem; reason: string; reasonParams: Record<string, string>; candidates: string[] };

function narrow(found: CatalogItemData[], line: EstimateLineInput): CatalogItemData[] {
  if (found.length <= 1 || !line.subcategory) return found;
  const sub = baseText(line.subcategory);
  const narrowed = found.filter((i) => i.subcategory !== null && baseText(i.subcategory) === sub);
  return narrowed.length > 0 ? narrowed : found;
}

/** Maps one line to one catalog item: by code, exact item text, base text, curated alias, subcategory — else reports why. */
export function mapLine(items: readonly CatalogItemData[], line: EstimateLineInput): MapResult {
  if (line.itemCode) {
    const item = items.find((i) => i.code === line.itemCode);
    if (!item) return { ok: false, problem: 'unknown_code', reason: `No catalog item has the code ${line.itemCode}`, reasonParams: { code: line.itemCode }, candidates: [] };
    return { ok: true, item, method: 'code', warnings: [], warningCodes: [] };
  }
  const text = line.itemText ?? '';
  if (text.trim() === '') return { ok: false, problem: 'no_match', reason: 'The line names no item', reasonParams: { text: '' }, candidates: [] };
  const attempts: Array<{ method: Method; pick: (i: CatalogItemData) => boolean; text: string }> = [];
  const full = normaliseText(text);
  const base = baseText(text);
  attempts.push({ method: 'item_text', text: full, pick: (i) => normaliseText(i.item) === full });
  attempts.push({ method: 'item_text', text: base, pick: (i) => baseText(i.item) === base });
  attempts.push({ method: 'alias', text: base, pick: (i) => i.aliases.some((a) => baseText(a) === base) });
  attempts.push({ method: 'subcategory', text: base, pick: (i) => i.subcategory !== null && baseText(i.subcategory) === base });
  // `X86平台云主机服务-vCPU`: subcategory and item joined by a hyphen.
  const dash = text.lastIndexOf('-');
  if (dash > 0) {
    const tail = baseText(text.slice(dash + 1));
    attempts.push({ method: 'item_text', text: tail, pick: (i) => baseText(i.item) === tail });
  }
  if (line.subcategory) {
    const sub = baseText(line.subcategory);
    attempts.push({ method: 'subcategory', text: sub, pick: (i) => i.subcategory !== null && baseText(i.subcategory) === sub });
  }
  for (const a of attempts) {
    const found = narrow(items.filter(a.pick), line);
    if (found.length === 1) {
      const item = found[0]!;
      const warnings: string[] = [];
      const warningCodes: LineWarning[] = [];
      if (normaliseText(item.item) !== full) {
        warnings.push(`Mapped by ${a.method.replace('_', ' ')}: the ordered text "${text}" differs from the catalog text "${item.item}"`);
        warningCodes.push({ code: 'text_differs', params: { method: a.method, ordered: text, catalog: item.item } });
      }
      return { ok: true, item, method: a.method, warnings, warningCodes };
    }
    if (found.length > 1) {
      return { ok: false, problem: 'ambiguous', reason: `"${text}" matches several catalog items: ${found.map((f) => f.code).join(', ')}`, reasonParams: { text, codes: found.map((f) => f.code).join(', ') }, candidates: found.map((f) => f.code) };
    }
  }
  return { ok: false, problem: 'no_match', reason: `No catalog item has the text, alias or subcategory "${text}"`, reasonParams: { text }, candidates: [] };
}

const MONTHLY: ReadonlySet<BillingPeriod> = new Set(['month']);

export interface EstimateOptions {
  budget?: string | null;
  ceiling?: string | null;
  /** Payment milestones as percentages (80/20, 50/16.67/33.33); must add up to 100. */
  milestonePercents?: readonly string[];
}

/** Prices every line and totals the estimate. */
export function computeEstimate(items: readonly CatalogItemData[], lines: readonly EstimateLineInput[], source: PriceSource, opts: EstimateOptions = {}): EstimateResult {
  const priced = lines.map((line, index) => priceLine(items, line, index, source));
  const amounts = priced.filter((l) => l.amount !== null).map((l) => new Dec(l.amount!));
  const total = roundYuan(sum(amounts));
  const monthlyTotal = sum(priced.filter((l) => l.monthlyAmount !== null).map((l) => new Dec(l.monthlyAmount!)));
  const compare = (limit: string | null | undefined) => {
    if (limit === null || limit === undefined) return null;
    const l = parseDecimal(limit, { maxDecimals: 2 });
    return { amount: l.toFixed(2), overrun: total.gt(l), difference: l.minus(total).toFixed(2) };
  };
  const percents = (opts.milestonePercents ?? []).map((p) => parseDecimal(p));
  const parts = percents.length > 0 ? splitByPercentages(total, percents) : [];
  return {
    lines: priced,
    monthlyTotal: monthlyTotal.toFixed(2),
    total: total.toFixed(2),
    totalUppercase: toChineseUppercase(total),
    pricedCount: priced.filter((l) => l.amount !== null).length,
    unpricedCount: priced.filter((l) => l.amount === null).length,
    baselineIncluded: items.filter((i) => i.kind === 'baseline').map((i) => ({ code: i.code, name: i.subcategory ?? i.item })),
    budget: compare(opts.budget),
    ceiling: compare(opts.ceiling),
    milestones: parts.map((amount, i) => ({ percent: percents[i]!.toString(), amount: amount.toFixed(2), uppercase: toChineseUppercase(amount) })),
  };
}

function priceLine(items: readonly CatalogItemData[], line: EstimateLineInput, index: number, source: PriceSource): PricedLine {
  const out: PricedLine = {
    index,
    input: line,
    mapping: null,
    candidates: [],
    conversion: null,
    unitPrice: null,
    billingPeriod: null,
    monthlyAmount: null,
    amount: null,
    problem: null,
    reason: null,
    reasonParams: null,
    warnings: [],
    warningCodes: [],
  };
  const fail = (problem: LineProblem, reason: string, reasonParams: Record<string, string>): PricedLine => ({ ...out, problem, reason, reasonParams });
  let quantity: Decimal;
  try {
    quantity = parseDecimal(line.quantity);
  } catch {
    return fail('invalid_quantity', `Quantity "${line.quantity}" is not a number`, { quantity: line.quantity });
  }
  if (quantity.isNegative()) return fail('invalid_quantity', `Quantity ${line.quantity} is negative`, { quantity: line.quantity });
  const mapped = mapLine(items, line);
  if (!mapped.ok) return { ...out, candidates: mapped.candidates, problem: mapped.problem, reason: mapped.reason, reasonParams: mapped.reasonParams };
  const item = mapped.item;
  out.mapping = { itemCode: item.code, itemText: item.item, method: mapped.method };
  out.warnings.push(...mapped.warnings);
  out.warningCodes.push(...mapped.warningCodes);
  if (item.kind === 'baseline') {
    return fail('baseline_item', `${item.code} ${item.subcategory ?? item.item} is a free security-baseline item, included for every system`, { code: item.code, name: item.subcategory ?? item.item });
  }
  let entry: PriceEntry | null = null;
  if (source.kind === 'maximum') {
    if (item.maxUnitPrice !== null && item.billingUnitText !== null && item.billingPeriod !== null) {
      entry = { unitPrice: item.maxUnitPrice, billingUnitText: item.billingUnitText, billingPeriod: item.billingPeriod };
    }
  } else entry = source.prices.get(item.code) ?? null;
  if (entry === null) {
    return fail(
      'no_price',
      source.kind === 'maximum'
        ? `${item.code} is an extension item: the catalog sets no maximum price; price the estimate with a provider's price list`
        : `The chosen price list has no price for ${item.code}`,
      { code: item.code, source: source.kind },
    );
  }
  const unitText = line.unit && line.unit.trim() !== '' ? line.unit : entry.billingUnitText;
  const conv = convert(quantity, unitText, entry.billingUnitText);
  if (!conv.ok) return fail(conv.reason, conv.message, { from: unitText, to: entry.billingUnitText });
  out.conversion = { from: unitText, to: entry.billingUnitText, quantity: conv.quantity.toString(), ratio: conv.ratio.toString(), explanation: conv.explanation, nonIntegral: conv.nonIntegral };
  if (conv.nonIntegral) {
    out.warnings.push(`${conv.quantity.toString()} is not a whole number of ${entry.billingUnitText}`);
    out.warningCodes.push({ code: 'non_integral', params: { quantity: conv.quantity.toString(), unit: entry.billingUnitText } });
  }
  const price = new Dec(entry.unitPrice);
  out.unitPrice = price.toFixed(2);
  out.billingPeriod = entry.billingPeriod;
  const base = price.times(conv.quantity);
  if (MONTHLY.has(entry.billingPeriod)) {
    if (line.months === null || line.months === undefined) return fail('months_required', `${item.code} is priced per month: the line needs a number of months`, { code: item.code });
    out.monthlyAmount = roundYuan(base).toFixed(2);
    out.amount = roundYuan(base.times(line.months)).toFixed(2);
  } else if (entry.billingPeriod === 'year' || entry.billingPeriod === 'certificate_year') {
    // A yearly price covers the service months pro rata (12 months = one year).
    const months = line.months ?? 12;
    out.amount = roundYuan(base.times(months).dividedBy(12)).toFixed(2);
  } else {
    out.amount = roundYuan(base).toFixed(2);
  }
  return out;
}
