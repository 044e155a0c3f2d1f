import { describe, expect, it } from 'vitest';
import { Dec, formatYuan, parseDecimal, roundYuan, splitByPercentages, sum, toChineseUppercase } from './money.js';

const d = (s: string) => new Dec(s);

describe('decimal parsing', () => {
  it('accepts decimal text and whole numbers, refuses floats and junk', () => {
    expect(parseDecimal('79.0430').toString()).toBe('79.043');
    expect(parseDecimal(12).toString()).toBe('12');
    expect(() => parseDecimal(0.1)).toThrow(/whole number/);
    expect(() => parseDecimal('1e3')).toThrow(/not a decimal/);
    expect(() => parseDecimal('12.345', { maxDecimals: 2 })).toThrow(/3 decimals; at most 2/);
  });
});

describe('rounding and sums', () => {
  it('rounds half-up to 0.01 元, exactly (no binary float error)', () => {
    expect(formatYuan(d('2.675'))).toBe('2.68');
    expect(formatYuan(d('1.005'))).toBe('1.01');
    expect(roundYuan(d('-1.005')).toFixed(2)).toBe('-1.01');
    expect(sum([d('0.1'), d('0.2')]).toString()).toBe('0.3');
  });
});

describe('payment milestones', () => {
  it('splits 80/20 and 70/30 exactly', () => {
    expect(splitByPercentages(d('4313088'), [d('80'), d('20')]).map((x) => x.toFixed(2))).toEqual(['3450470.40', '862617.60']);
    expect(splitByPercentages(d('100.01'), [d('70'), d('30')]).map((x) => x.toFixed(2))).toEqual(['70.01', '30.00']);
  });
  it('splits 50/16.67/33.33 so the parts add up to the total', () => {
    const total = d('1213440.00');
    const parts = splitByPercentages(total, [d('50'), d('16.67'), d('33.33')]);
    expect(sum(parts).equals(total)).toBe(true);
    expect(parts.map((x) => x.toFixed(2))).toEqual(['606720.00', '202280.45', '404439.55']);
  });
  it('refuses percentages that do not add up to 100', () => {
    expect(() => splitByPercentages(d('10'), [d('50'), d('40')])).toThrow(/add up to 90/);
  });
});

describe('Chinese uppercase amounts (大写金额)', () => {
  it.each([
    ['1213440', '壹佰贰拾壹万叁仟肆佰肆拾元整'],
    ['4313088', '肆佰叁拾壹万叁仟零捌拾捌元整'],
    ['1000.05', '壹仟元零伍分'],
    ['0.5', '伍角'],
    ['0.05', '伍分'],
    ['10', '壹拾元整'],
    ['100000001', '壹亿零壹元整'],
    ['101000', '壹拾万壹仟元整'],
    ['1010.10', '壹仟零壹拾元壹角'],
    ['1000100', '壹佰万零壹佰元整'],
    ['100001000', '壹亿零壹仟元整'],
    ['100000', '壹拾万元整'],
    ['0', '零元整'],
    ['-25.3', '负贰拾伍元叁角'],
  ])('%s → %s', (amount, expected) => {
    expect(toChineseUppercase(d(amount))).toBe(expected);
  });
});
