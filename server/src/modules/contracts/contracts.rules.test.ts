import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { Dec, sum } from '../../platform/money.js';
import { burnDown, checkMilestones, consumptionOf, consumptionWarning, normaliseMonth, paymentSchedule } from './contracts.rules.js';

const ms = (percents: string[], dueDates: Array<string | null> = []) =>
  percents.map((percent, i) => ({ seq: i + 1, name: `节点${i + 1}`, condition: null, percent, dueDate: dueDates[i] ?? null, paidDate: null }));

describe('payment milestones', () => {
  it('refuses milestones that do not add up to exactly 100%, naming the sum', () => {
    let err: unknown;
    try {
      checkMilestones([{ percent: '50' }, { percent: '16.67' }, { percent: '33.32' }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('contracts.milestones_not_100');
    expect((err as AppError).details).toMatchObject({ sum: '99.99' });
    expect((err as AppError).message).toContain('99.99');
    expect(() => checkMilestones([{ percent: '70' }, { percent: '40' }])).toThrow(/110/);
    expect(() => checkMilestones([{ percent: '50' }, { percent: '16.67' }, { percent: '33.33' }])).not.toThrow();
  });

  it('splits 1,000,000.01 元 in 30/30/40 exactly, with uppercase amounts', () => {
    const s = paymentSchedule('1000000.01', ms(['30', '30', '40']), '2026-01-01');
    expect(s.map((l) => l.amount)).toEqual(['300000.00', '300000.00', '400000.01']);
    expect(sum(s.map((l) => new Dec(l.amount))).toFixed(2)).toBe('1000000.01');
    expect(s[2]!.amountUppercase).toBe('肆拾万元零壹分');
    expect(s[0]!.amountUppercase).toBe('叁拾万元整');
  });

  it('splits the seed 002 package 2 ceiling (792,898 元) in 50 / 16.67 / 33.33 to the fen', () => {
    const s = paymentSchedule('792898', ms(['50', '16.67', '33.33']), '2026-01-01');
    expect(s.map((l) => l.amount)).toEqual(['396449.00', '132176.10', '264272.90']);
    expect(sum(s.map((l) => new Dec(l.amount))).toFixed(2)).toBe('792898.00');
  });

  it('gives each unpaid milestone its state on the day: overdue, due within 30 days, pending, no date; paid wins', () => {
    const lines = ms(['25', '25', '25', '25'], ['2026-05-31', '2026-06-30', '2026-07-02', null]);
    const s = paymentSchedule('100', lines, '2026-06-01');
    expect(s.map((l) => l.state)).toEqual(['overdue', 'due_soon', 'pending', 'no_date']);
    const paid = paymentSchedule('100', lines.map((l, i) => (i === 0 ? { ...l, paidDate: '2026-05-30' } : l)), '2026-06-01');
    expect(paid[0]!.state).toBe('paid');
  });
});

describe('consumption', () => {
  it('warns at 80% and at 100%, not below', () => {
    expect(consumptionWarning('1000', new Dec('799.99'))).toBeNull();
    expect(consumptionWarning('1000', new Dec('800'))).toBe('consumption_80');
    expect(consumptionWarning('1000', new Dec('999.99'))).toBe('consumption_80');
    expect(consumptionWarning('1000', new Dec('1000'))).toBe('consumption_100');
    expect(consumptionWarning('1000', new Dec('1500'))).toBe('consumption_100');
    expect(consumptionWarning('0', new Dec('0'))).toBeNull();
    expect(consumptionWarning('0', new Dec('1'))).toBe('consumption_100');
  });

  it('reports consumed, remaining and percent, and a cumulative burn-down', () => {
    expect(consumptionOf('3000', new Dec('1000'))).toEqual({ consumed: '1000.00', remaining: '2000.00', percent: '33.33' });
    expect(consumptionOf('0', new Dec('0')).percent).toBeNull();
    expect(burnDown('1000', [{ month: '2026-02', amount: '300.5' }, { month: '2026-01', amount: '200' }])).toEqual([
      { month: '2026-01', amount: '200.00', cumulative: '200.00', remaining: '800.00' },
      { month: '2026-02', amount: '300.50', cumulative: '500.50', remaining: '499.50' },
    ]);
  });

  it('accepts billed months as YYYY-MM or YYYY-MM-01 only', () => {
    expect(normaliseMonth('2026-03')).toBe('2026-03-01');
    expect(normaliseMonth('2026-03-01')).toBe('2026-03-01');
    expect(() => normaliseMonth('2026-13')).toThrow(AppError);
    expect(() => normaliseMonth('2026-03-15')).toThrow(AppError);
  });
});
