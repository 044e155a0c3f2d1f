import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itemsFromCatalogJson } from '../catalog/index.js';
import { computeEstimate, mapLine, type PriceEntry } from './estimate.engine.js';
import { linesFromOrderTable, type OrderRow } from './orders.import.js';

const read = (rel: string): unknown => JSON.parse(fs.readFileSync(new URL(rel, import.meta.url), 'utf8'));
const items = itemsFromCatalogJson(read('../catalog/data/catalog.json'));

interface OrderDoc {
  seed: string;
  package?: number;
  budgetYuan: number | null;
  maxPriceYuan: number | null;
  payment: { milestones: Array<{ percent: number }> };
  tables: Array<{ rows: OrderRow[] }>;
}
const docs = (read('./data/orders.json') as { documents: OrderDoc[] }).documents;
const doc = (seed: string, pkg?: number) => docs.find((d) => d.seed === seed && (pkg === undefined || d.package === pkg))!;

function priceOrder(d: OrderDoc) {
  return computeEstimate(items, d.tables.flatMap((t) => linesFromOrderTable(t)), { kind: 'maximum' }, {
    budget: d.budgetYuan === null ? null : d.budgetYuan.toFixed(2),
    ceiling: d.maxPriceYuan === null ? null : d.maxPriceYuan.toFixed(2),
    milestonePercents: d.payment.milestones.map((m) => String(m.percent)),
  });
}

describe('orders of seed 000 at the maximum prices', () => {
  const r = priceOrder(doc('000'));
  it('converts storage from GB to 100 GB and prices it per month', () => {
    const storage = r.lines[5]!;
    expect(storage.mapping).toMatchObject({ itemCode: '1011' });
    // 184000 GB = 1840 × 100 GB; 1840 × 28.60 = 52624.00 a month; × 12 = 631488.00
    expect(storage.conversion?.explanation).toBe('184000 GB = 1840 × 100 GB');
    expect(storage.monthlyAmount).toBe('52624.00');
    expect(storage.amount).toBe('631488.00');
    // 2062 vCPU × 14.02 × 12 = 346910.88
    expect(r.lines[0]).toMatchObject({ mapping: { itemCode: '1001' }, amount: '346910.88' });
  });
  it('lists WAF ordered per internet IP as unconvertible to 套, never guessing', () => {
    expect(r.lines[14]).toMatchObject({ mapping: { itemCode: '1023' }, problem: 'incompatible_units', amount: null });
    expect(r.lines[14]!.reason).toContain('套');
  });
  it('lists the physical server whose configuration is not in the catalog, and extension items without a cap', () => {
    expect(r.lines[2]).toMatchObject({ problem: 'no_match', mapping: null });
    expect(r.lines[15]).toMatchObject({ mapping: { itemCode: '3004' }, problem: 'no_price' });
    expect(r.lines[20]).toMatchObject({ problem: 'no_match' });
  });
  it('totals and splits 80/20', () => {
    expect(r.pricedCount).toBe(13);
    expect(r.unpricedCount).toBe(9);
    expect(r.monthlyTotal).toBe('620004.33');
    expect(r.total).toBe('7440051.96');
    expect(r.milestones.map((m) => m.amount)).toEqual(['5952041.57', '1488010.39']);
    expect(r.milestones[0]!.uppercase).toBe('伍佰玖拾伍万贰仟零肆拾壹元伍角柒分');
    expect(r.baselineIncluded).toHaveLength(17);
  });
});

describe('order of seed 001 at the maximum prices', () => {
  const r = priceOrder(doc('001'));
  it('maps "X86平台云主机服务-vCPU" and the curated alias "SSL VPN服务"', () => {
    expect(r.lines[0]).toMatchObject({ mapping: { itemCode: '1001' }, amount: '121132.80' });
    expect(r.lines[6]).toMatchObject({ mapping: { itemCode: '1020', method: 'alias' }, amount: '30926.40' });
  });
  it('72400 GB of high-performance storage = 724 × 100 GB × 64.25 × 12 = 558204.00', () => {
    expect(r.lines[2]).toMatchObject({ mapping: { itemCode: '1012' }, amount: '558204.00' });
  });
  it('totals, compares with the budget and splits 70/30', () => {
    expect(r.total).toBe('1723278.60');
    expect(r.budget).toEqual({ amount: '4313088.00', overrun: false, difference: '2589809.40' });
    expect(r.milestones.map((m) => m.amount)).toEqual(['1206295.02', '516983.58']);
    expect(r.unpricedCount).toBe(12);
  });
});

describe('order of seed 002 package 3 at the maximum prices', () => {
  const r = priceOrder(doc('002', 3));
  it('8505 GB = 85.05 × 100 GB; 85.05 × 28.60 = 2432.43 a month; × 11 = 26756.73', () => {
    expect(r.lines[4]).toMatchObject({ mapping: { itemCode: '1011', method: 'subcategory' }, monthlyAmount: '2432.43', amount: '26756.73' });
    expect(r.lines[4]!.conversion?.quantity).toBe('85.05');
  });
  it('rounds the line, not the month: 40.42 × 88.45 × 11 = 39326.639 → 39326.64', () => {
    expect(r.lines[6]).toMatchObject({ mapping: { itemCode: '1014' }, monthlyAmount: '3575.15', amount: '39326.64' });
  });
  it('核 is vCPU, Mbps is Mb, 内网IP is IP（内网）', () => {
    expect(r.lines[0]).toMatchObject({ mapping: { itemCode: '1001' }, amount: '9561.64' });
    expect(r.lines[7]).toMatchObject({ mapping: { itemCode: '1016' }, amount: '54505.00' });
    expect(r.lines[9]).toMatchObject({ mapping: { itemCode: '1018' }, amount: '1462.34' });
  });
  it('a physical-server configuration matching two catalog items is ambiguous, not guessed', () => {
    expect(r.lines[2]).toMatchObject({ problem: 'ambiguous', candidates: ['1003', '1004'] });
  });
  it('compares with budget and ceiling, splits 50/16.67/33.33 exactly', () => {
    expect(r.total).toBe('282294.44');
    expect(r.ceiling).toEqual({ amount: '444816.00', overrun: false, difference: '162521.56' });
    expect(r.budget?.overrun).toBe(false);
    expect(r.milestones.map((m) => m.amount)).toEqual(['141147.22', '47058.48', '94088.74']);
    expect(r.milestones.map((m) => m.uppercase)[1]).toBe('肆万柒仟零伍拾捌元肆角捌分');
  });
});

describe('estimate rules', () => {
  it('flags an overrun of the ceiling', () => {
    const r = computeEstimate(items, [{ itemCode: '1001', quantity: '100', unit: '核', months: 12 }], { kind: 'maximum' }, { ceiling: '10000.00', budget: '20000' });
    expect(r.total).toBe('16824.00');
    expect(r.ceiling).toMatchObject({ overrun: true, difference: '-6824.00' });
    expect(r.budget).toMatchObject({ overrun: false });
  });
  it('reports unknown codes, negative and non-numeric quantities, GB for a per-account item', () => {
    const r = computeEstimate(items, [
      { itemCode: '9999', quantity: '1', months: 1 },
      { itemCode: '1001', quantity: '-1', months: 1 },
      { itemCode: '1001', quantity: 'ten', months: 1 },
      { itemCode: '1019', quantity: '10', unit: 'GB', months: 1 },
      { itemCode: '2011', quantity: '1', months: 1 },
      { itemCode: '1001', quantity: '1', months: null },
    ], { kind: 'maximum' });
    expect(r.lines.map((l) => l.problem)).toEqual(['unknown_code', 'invalid_quantity', 'invalid_quantity', 'incompatible_units', 'baseline_item', 'months_required']);
    expect(r.total).toBe('0.00');
  });
  it("prices with a provider's list, including extension items per year and per message", () => {
    const prices = new Map<string, PriceEntry>([
      ['1001', { unitPrice: '12.00', billingUnitText: '1 CPU', billingPeriod: 'month' }],
      ['3022', { unitPrice: '600.00', billingUnitText: '1 台', billingPeriod: 'year' }],
      ['3031', { unitPrice: '0.05', billingUnitText: '1 条', billingPeriod: 'message' }],
    ]);
    const r = computeEstimate(items, [
      { itemCode: '1001', quantity: '10', months: 11 },
      { itemCode: '3022', quantity: '3', unit: '台', months: 6 },
      { itemCode: '3031', quantity: '1000000', unit: '条', months: null },
      { itemCode: '1002', quantity: '1', months: 1 },
    ], { kind: 'price_list', priceListId: 'x', prices });
    expect(r.lines.map((l) => l.amount)).toEqual(['1320.00', '900.00', '50000.00', null]);
    expect(r.lines[3]!.problem).toBe('no_price');
    expect(r.total).toBe('52220.00');
  });
  it('maps nothing by similarity', () => {
    expect(mapLine(items, { itemText: '云主机', quantity: '1' })).toMatchObject({ ok: false, problem: 'no_match' });
    expect(mapLine(items, { itemText: '消息队列服务', quantity: '1' })).toMatchObject({ ok: false, problem: 'ambiguous' });
  });
});
