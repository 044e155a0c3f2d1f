import { describe, expect, it } from 'vitest';
import { addMonths, rectifyMonthsRule } from './evaluation.assessments.js';

describe('construction-phase rectification periods (seed 004 §4.3.2.2.1)', () => {
  it('初期: 1 month; 中期: 3–6 months', () => {
    expect(rectifyMonthsRule('initial', undefined)).toEqual({ months: 1 });
    expect(rectifyMonthsRule('initial', 1)).toEqual({ months: 1 });
    expect(rectifyMonthsRule('initial', 3)).toMatchObject({ issue: { field: 'body.rectifyMonths', rule: 'initial_1_month' } });
    expect(rectifyMonthsRule('mid', undefined)).toMatchObject({ issue: { rule: 'required' } });
    expect(rectifyMonthsRule('mid', 2)).toMatchObject({ issue: { rule: 'mid_3_to_6_months' } });
    expect(rectifyMonthsRule('mid', 7)).toMatchObject({ issue: { rule: 'mid_3_to_6_months' } });
    expect(rectifyMonthsRule('mid', 4.5)).toMatchObject({ issue: { rule: 'mid_3_to_6_months' } });
    expect(rectifyMonthsRule('mid', 6)).toEqual({ months: 6 });
  });

  it('calendar months, clamped to the last day of a shorter month', () => {
    expect(addMonths('2026-03-15', 1)).toBe('2026-04-15');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-08-31', 6)).toBe('2025-02-28');
    expect(addMonths('2026-10-10', 3)).toBe('2027-01-10');
  });
});
