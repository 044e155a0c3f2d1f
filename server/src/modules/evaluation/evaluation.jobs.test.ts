import { describe, expect, it } from 'vitest';
import { previousMonth } from './evaluation.jobs.js';

describe('the monthly job’s month', () => {
  it('is the previous month in Asia/Shanghai', () => {
    // 2026-12-31T16:30Z is already 1 January 2027 in Beijing.
    expect(previousMonth(new Date('2026-12-31T16:30:00Z'))).toBe('2026-12');
    expect(previousMonth(new Date('2026-12-31T15:30:00Z'))).toBe('2026-11');
    expect(previousMonth(new Date('2027-01-15T00:00:00Z'))).toBe('2026-12');
  });
});
