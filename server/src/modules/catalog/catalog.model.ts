import { Dec, parseDecimal, sum, type Dec as Decimal } from '../../platform/money.js';
import { parseUnit } from './units.js';

/**
 * The service catalog (服务目录) as plain data, and the rules on it that need no database: reading seed 004's
 * catalog (catalog.json), the weighted price Σ(price × weight) and the checks a version must pass to be published.
 */

/** basic 基础服务 (1001–1023, priced, weighted); baseline 基础安全保障 (2001–2017, free); extension 扩展服务 (3001…, priced by providers). */
export type ItemKind = 'basic' | 'baseline' | 'extension';

/** What one unit of an item is charged per. Extension items leave it to each provider's price list (null). */
export type BillingPeriod = 'month' | 'year' | 'occurrence' | 'message' | 'certificate_year' | 'one_off';

export interface CatalogItemData {
  code: string;
  kind: ItemKind;
  category: string;
  subcategory: string | null;
  item: string;
  englishName: string | null;
  /** Billing unit as printed (`100 GB`, `1Mb 带宽`); null for baseline items and extension items. */
  billingUnitText: string | null;
  billingPeriod: BillingPeriod | null;
  /** Price period as printed (`元/月`). */
  pricePeriodText: string | null;
  /** Maximum unit price (最高限制单价) as exact text with two decimals; basic items only. */
  maxUnitPrice: string | null;
  /** Weight (权值) as a fraction with up to 4 decimals (`0.16` for 16%); basic items only. */
  weight: string | null;
  remark: string | null;
  /** Curated alternative names agencies write (see docs/catalog.md); matched exactly after normalisation. */
  aliases: string[];
}

interface CatalogJson {
  basic: { items: Array<Record<string, unknown>>; projectMaxPrice: { text: string } };
  securityBaseline: { items: Array<Record<string, unknown>> };
  extension: { items: Array<Record<string, unknown>> };
}

/**
 * Names agencies write for catalog items in the real orders (seeds 000–002) that differ from the printed item text
 * only by wording. Each is a deliberate, reviewed mapping — the estimator matches nothing by similarity.
 */
export const CURATED_ALIASES: Record<string, string[]> = {
  '1020': ['SSL VPN服务'],
  '1023': ['web应用防火墙服务', 'WAF防护', 'Web应用防火墙'],
};

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** Weight text `16%` → `0.16`; refuses anything but a plain percentage. */
export function weightFromText(text: string): string {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  if (!m) throw new RangeError(`weight "${text}" is not a percentage`);
  return new Dec(m[1]!).dividedBy(100).toString();
}

/** Reads catalog.json (seed 004 §3.1) into catalog items: prices from maxUnitPriceText, weights from weightText. */
export function itemsFromCatalogJson(json: unknown): CatalogItemData[] {
  const c = json as CatalogJson;
  const basic = c.basic.items.map((it): CatalogItemData => {
    const code = String(it.code);
    const billingUnitText = String(it.billingUnit);
    if (!parseUnit(billingUnitText).ok) throw new RangeError(`item ${code}: unknown billing unit "${billingUnitText}"`);
    return {
      code,
      kind: 'basic',
      category: String(it.category),
      subcategory: str(it.subcategory),
      item: String(it.item),
      englishName: str(it.englishName),
      billingUnitText,
      billingPeriod: it.pricePeriod === '元/月' ? 'month' : null,
      pricePeriodText: str(it.pricePeriod),
      maxUnitPrice: parseDecimal(String(it.maxUnitPriceText), { maxDecimals: 2 }).toFixed(2),
      weight: weightFromText(String(it.weightText)),
      remark: str(it.remark),
      aliases: CURATED_ALIASES[code] ?? [],
    };
  });
  const baseline = c.securityBaseline.items.map(
    (it): CatalogItemData => ({
      code: String(it.code),
      kind: 'baseline',
      category: String(it.category),
      subcategory: String(it.name),
      item: String(it.content),
      englishName: str(it.englishName),
      billingUnitText: null,
      billingPeriod: null,
      pricePeriodText: null,
      maxUnitPrice: null,
      weight: null,
      remark: '免费提供（用户无需另行购买即可享受服务）',
      aliases: [],
    }),
  );
  // The extension table prints no codes: they are numbered 3001… in the printed order (docs/catalog.md).
  const extension = c.extension.items.map(
    (it, i): CatalogItemData => ({
      code: String(3001 + i),
      kind: 'extension',
      category: String(it.category),
      subcategory: str(it.subcategory),
      item: String(it.item),
      englishName: str(it.subcategoryEn),
      billingUnitText: null,
      billingPeriod: null,
      pricePeriodText: null,
      maxUnitPrice: null,
      weight: null,
      remark: str(it.remark),
      aliases: [],
    }),
  );
  return [...basic, ...baseline, ...extension];
}

/** Σ(price × weight) over the basic items, exact (not rounded). `price` defaults to each item's maximum price. */
export function weightedPrice(items: readonly CatalogItemData[], price: (item: CatalogItemData) => Decimal | null = (i) => (i.maxUnitPrice === null ? null : new Dec(i.maxUnitPrice))): Decimal {
  return sum(
    items
      .filter((i) => i.kind === 'basic')
      .map((i) => {
        const p = price(i);
        if (p === null) throw new RangeError(`basic item ${i.code} has no price`);
        return p.times(new Dec(i.weight ?? 0));
      }),
  );
}

export interface PublishIssue {
  field: string;
  rule: 'duplicate_code' | 'weights_sum' | 'missing_cap' | 'missing_weight' | 'missing_unit' | 'unknown_unit';
  message: string;
  value?: unknown;
}

/** Checks a draft must pass to be published: unique codes, basic weights sum to 100%, every basic item has a cap and a unit. */
export function publishIssues(items: readonly CatalogItemData[]): PublishIssue[] {
  const issues: PublishIssue[] = [];
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (seen.has(it.code)) issues.push({ field: `items[${i}].code`, rule: 'duplicate_code', message: `Code ${it.code} appears more than once`, value: it.code });
    seen.add(it.code);
    if (it.kind !== 'basic') return;
    if (it.maxUnitPrice === null) issues.push({ field: `items[${i}].maxUnitPrice`, rule: 'missing_cap', message: `Basic item ${it.code} has no maximum unit price`, value: it.code });
    if (it.weight === null) issues.push({ field: `items[${i}].weight`, rule: 'missing_weight', message: `Basic item ${it.code} has no weight`, value: it.code });
    if (it.billingUnitText === null) issues.push({ field: `items[${i}].billingUnitText`, rule: 'missing_unit', message: `Basic item ${it.code} has no billing unit`, value: it.code });
    else if (!parseUnit(it.billingUnitText).ok) issues.push({ field: `items[${i}].billingUnitText`, rule: 'unknown_unit', message: `Basic item ${it.code}: unknown billing unit "${it.billingUnitText}"`, value: it.billingUnitText });
  });
  const weights = sum(items.filter((i) => i.kind === 'basic' && i.weight !== null).map((i) => new Dec(i.weight!)));
  if (!weights.equals(1)) {
    issues.push({ field: 'items', rule: 'weights_sum', message: `Weights of the basic items add up to ${weights.times(100).toString()}%, not 100%`, value: weights.times(100).toString() });
  }
  return issues;
}
