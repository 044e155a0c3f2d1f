import { describe, expect, it } from 'vitest';
import { parsePatchDate, patchStatus } from './security.patches.js';

describe('patch dates and status', () => {
  it('reads the dates providers write into the free-text time fields, and nothing else', () => {
    expect(parsePatchDate('2026-11-02')).toBe('2026-11-02');
    expect(parsePatchDate('2026/11/2 10:00:00')).toBe('2026-11-02');
    expect(parsePatchDate('2026.1.5')).toBe('2026-01-05');
    expect(parsePatchDate('2026年11月2日')).toBe('2026-11-02');
    expect(parsePatchDate('2026-02-30')).toBeNull();
    expect(parsePatchDate('未安装')).toBeNull();
    expect(parsePatchDate('')).toBeNull();
    expect(parsePatchDate(null)).toBeNull();
  });

  it('judges against the window in natural days: the last day of the window is still on time', () => {
    // Released 2026-11-01, window 30 days: due 2026-12-01.
    expect(patchStatus('2026-11-01', '2026-12-01', '2026-12-06', 30)).toBe('on_time');
    expect(patchStatus('2026-11-01', '2026-12-02', '2026-12-06', 30)).toBe('late');
    expect(patchStatus('2026-11-01', null, '2026-12-01', 30)).toBe('pending');
    expect(patchStatus('2026-11-01', null, '2026-12-02', 30)).toBe('missing');
    expect(patchStatus(null, '2026-12-02', '2026-12-06', 30)).toBe('unknown');
    // Across February of a leap year (29 days): due 2028-03-02.
    expect(patchStatus('2028-02-01', '2028-03-03', '2028-03-10', 30)).toBe('late');
    expect(patchStatus('2028-02-01', '2028-03-02', '2028-03-10', 30)).toBe('on_time');
  });
});
