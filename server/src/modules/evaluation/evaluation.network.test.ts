import { describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { networkOf } from './evaluation.service.js';
import { systemEgressFrom, type EgressReader } from './evaluation.sources.js';

const point = (at: string, max: number) => ({ at, max });

/** Two egress series of system S (two network types) and one of T, with daily points around July 2026. */
const reader = (calls: Array<{ seriesId: string; now?: Date }>): EgressReader => ({
  async listSeries() {
    return [
      { id: '1', systemId: 'S', unitOrgId: 'U' },
      { id: '2', systemId: 'S', unitOrgId: 'U' },
      { id: '3', systemId: 'T', unitOrgId: 'U' },
      { id: '4', systemId: null, unitOrgId: null }, // egress of a number no registered system has: skipped
    ];
  },
  async chart(_ctx, q) {
    calls.push({ seriesId: q.seriesId, now: q.now });
    if (q.seriesId === '1') {
      return { metrics: [
        // 06-30 and 08-01 lie outside the month: their (higher) peaks do not count.
        { metric: 'egress_up', points: [point('2026-06-30', 500), point('2026-07-01', 40), point('2026-07-31', 55.5), point('2026-08-01', 700)] },
        { metric: 'egress_down', points: [point('2026-07-01', 80)] },
        { metric: 'egress_usage', points: [point('2026-07-01', 30), point('2026-07-31', 45.25)] },
      ] };
    }
    if (q.seriesId === '2') return { metrics: [{ metric: 'egress_up', points: [point('2026-07-15', 60)] }, { metric: 'egress_usage', points: [point('2026-07-15', 20)] }] };
    return { metrics: [{ metric: 'egress_up', points: [point('2026-08-02', 10)] }] };
  },
});

describe('system egress of a month', () => {
  it('takes the highest daily peak over the month’s Beijing days, across the system’s series; a system without a day in the month is absent', async () => {
    const calls: Array<{ seriesId: string; now?: Date }> = [];
    const from = new Date('2026-06-30T16:00:00Z');
    const to = new Date('2026-07-31T16:00:00Z');
    const rows = await systemEgressFrom(reader(calls))(systemContext(), { from, to });
    expect(rows).toEqual([{ systemId: 'S', unitOrgId: 'U', upPeakMbps: 60, downPeakMbps: 80, linkUsagePeak: 45.25, daysWithData: 3 }]);
    expect(calls.map((c) => c.seriesId)).toEqual(['1', '2', '3']);
    expect(calls.every((c) => c.now?.getTime() === to.getTime())).toBe(true);
  });

  it('a row’s figures: sums of the systems’ peaks (2 decimals), the highest link usage; a peak nobody reported stays null; no system → null', () => {
    expect(networkOf([])).toBeNull();
    expect(networkOf([
      { systemId: 'A', unitOrgId: 'U', upPeakMbps: 10.005, downPeakMbps: null, linkUsagePeak: 20, daysWithData: 30 },
      { systemId: 'B', unitOrgId: 'U', upPeakMbps: 0.1, downPeakMbps: null, linkUsagePeak: 75.5, daysWithData: 12 },
    ])).toEqual({ upPeakMbps: 10.11, downPeakMbps: null, linkUsagePeak: 75.5, daysWithData: 30 });
  });
});
