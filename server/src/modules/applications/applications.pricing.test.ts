import { describe, expect, it } from 'vitest';
import { priceLines, protectionLevel, quotaProblems, totals, type OfferedItem } from './applications.pricing.js';
import { workOrderDeadline } from './applications.service.js';

const offer = new Map<string, OfferedItem>([
  ['1001', { code: '1001', item: 'vCPU', category: '计算服务', unitPrice: '14.02', billingUnitText: '1 CPU', billingPeriod: 'month' }],
  ['3022', { code: '3022', item: '堡垒机', category: '安全服务', unitPrice: '600.00', billingUnitText: '1 台', billingPeriod: 'year' }],
  ['3031', { code: '3031', item: '短信服务', category: '其他', unitPrice: '0.05', billingUnitText: '条', billingPeriod: 'message' }],
]);
const names = new Map([...offer.keys()].map((k) => [k, offer.get(k)!.item] as const).concat([['3001', '商用操作系统套餐']]));

describe('pricing of application lines', () => {
  it('per month, per year pro rata, per message; totals are sums of rounded lines', () => {
    const r = priceLines('onboarding', [{ itemCode: '1001', quantity: '16' }, { itemCode: '3022', quantity: '1', months: 6 }, { itemCode: '3031', quantity: '1001' }], offer, names);
    expect(r.issues).toEqual([]);
    expect(r.lines.map((l) => [l.monthlyAmount, l.amount, l.months])).toEqual([
      ['224.32', '2691.84', 12],
      ['50.00', '300.00', 6],
      [null, '50.05', null],
    ]);
    expect(totals(r.lines)).toEqual({ monthlyTotal: '274.32', total: '3041.89' });
  });
  it('a change is priced on its delta (shrink negative); an exit releases its quantity', () => {
    const c = priceLines('change', [{ itemCode: '1001', quantity: '8', delta: '-8' }], offer, names);
    expect(c.lines[0]).toMatchObject({ basis: '-8', monthlyAmount: '-112.16', amount: '-1345.92' });
    const e = priceLines('exit', [{ itemCode: '1001', quantity: '8' }], offer, names);
    expect(e.lines[0]).toMatchObject({ basis: '-8', delta: null });
  });
  it('refuses items not offered (naming them), unknown items, duplicates, missing or impossible deltas', () => {
    const r = priceLines('change', [{ itemCode: '3001', quantity: '1', delta: '1' }, { itemCode: '9999', quantity: '1', delta: '1' }, { itemCode: '1001', quantity: '4' }, { itemCode: '1001', quantity: '4', delta: '6' }], offer, names);
    expect(r.notOffered).toEqual(['3001 商用操作系统套餐']);
    expect(r.issues.map((i) => [i.field, i.rule])).toEqual([
      ['body.lines[0].itemCode', 'item_not_offered'],
      ['body.lines[1].itemCode', 'unknown_item'],
      ['body.lines[2].delta', 'required'],
      ['body.lines[3].itemCode', 'duplicate'],
      ['body.lines[3].delta', 'not_below_zero'],
    ]);
  });
  it('quota: monthly cap and item caps against what is already used', () => {
    const lines = priceLines('onboarding', [{ itemCode: '1001', quantity: '16' }], offer, names).lines;
    expect(quotaProblems({ maxMonthlyAmount: '1000', itemCaps: { '1001': '20' }, usedMonthlyAmount: '775.68', usedItems: { '1001': '4' } }, lines)).toEqual([]);
    const over = quotaProblems({ maxMonthlyAmount: '1000', itemCaps: { '1001': '19' }, usedMonthlyAmount: '775.69', usedItems: { '1001': '4' } }, lines);
    expect(over.map((i) => [i.field, i.value])).toEqual([['body.lines', '1000.01'], ['body.lines[0].quantity', '20']]);
  });
  it('等保级别 and work-order deadlines', () => {
    expect([protectionLevel('三级'), protectionLevel('未定级')]).toEqual([3, null]);
    expect(workOrderDeadline('change', false).rule).toEqual({ clockHours: 4 });
    expect(workOrderDeadline('change', true).rule).toEqual({ clockHours: 2 });
    expect(workOrderDeadline('onboarding', true)).toEqual({ kind: 'initial_resources', rule: { workingDays: 3 } });
  });
});
