import { describe, expect, it } from 'vitest';
import { percent } from './quality.xlsx.js';

describe('percent (exact text arithmetic for the export)', () => {
  it('turns a 4-decimal ratio into a 2-decimal percentage', () => {
    expect(percent('0.9549')).toBe('95.49');
    expect(percent('1.0000')).toBe('100.00');
    expect(percent('0.0050')).toBe('0.50');
    expect(percent('0.0000')).toBe('0.00');
    expect(percent('0.1')).toBe('10.00');
    expect(percent(null)).toBeNull();
  });
});
