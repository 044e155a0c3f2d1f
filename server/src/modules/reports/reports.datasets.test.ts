import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../../platform/context.js';
import { datasets, monthRange, type DatasetDeps } from './reports.datasets.js';

/**
 * The monitoring and availability datasets over stub services: what each passes to the module's public list function
 * (filters translated, the month as its Asia/Shanghai range, paging) and how rows are shown (Chinese labels,
 * seconds as minutes with one decimal, hand-computed here).
 */
const ctx = {} as RequestContext;
const alert = (i: number) => ({
  id: `a${i}`, ruleName: 'CPU 高', metric: 'cpu_util', severity: 'major', status: 'acknowledged', objectLabel: `host-${i}`, message: 'CPU 95% 持续 10 分钟', value: 95.5,
  providerName: '服务商甲', nodeName: '节点一', unitName: '单位甲', systemName: '系统甲', startedAt: '2026-11-03T01:00:00.000Z', acknowledgedAt: '2026-11-03T01:05:00.000Z', resolvedAt: null,
});
const outage = { probeName: 'HTTP 门户', target: 'https://portal.example.cn', system: { id: 's', name: '门户' }, unit: { id: 'u', name: '单位甲' }, provider: { id: 'p', name: '服务商甲' },
  startedAt: '2026-11-03T01:00:00.000Z', confirmedAt: '2026-11-03T01:01:00.000Z', endedAt: '2026-11-03T01:01:30.000Z', durationSeconds: 90, causeNote: null, simulated: false };
const sla = (met: boolean | null) => ({ scope: 'system', scopeName: '门户', providerName: '服务商甲', unitName: '单位甲', systemName: '门户', targetPercent: '99.9', availabilityPercent: met === null ? null : 99.95833,
  met, interruptions: 2, downSeconds: 1800, longestOutageSeconds: 1230, maintenanceSeconds: 3600, unknownSeconds: 0, reasons: met === false ? ['可用率低于目标', '单次中断超过 4 小时'] : [] });

function stubs() {
  const calls: { alerts: unknown[]; outages: unknown[]; sla: unknown[] } = { alerts: [], outages: [], sla: [] };
  const deps = {
    monitoring: { listAlerts: async (_: unknown, q: { page: number; pageSize: number }) => { calls.alerts.push(q); return { items: q.page === 1 ? Array.from({ length: q.pageSize }, (_x, i) => alert(i)) : [alert(999)] }; } },
    availability: {
      listOutages: async (_: unknown, q: unknown) => { calls.outages.push(q); return { items: [outage] }; },
      complianceDetails: async (_: unknown, r: unknown) => { calls.sla.push(r); return [sla(true), sla(false), sla(null)]; },
    },
  } as unknown as DatasetDeps;
  return { calls, list: datasets(deps) };
}

describe('reports datasets: monitoring and availability', () => {
  it('a month is its Asia/Shanghai range; none is the current month there', () => {
    expect(monthRange('2026-12')).toEqual({ from: new Date('2026-11-30T16:00:00Z'), to: new Date('2026-12-31T16:00:00Z') });
    // 2026-11-30 17:00 UTC is already 1 December in Beijing.
    expect(monthRange(undefined, new Date('2026-11-30T17:00:00Z')).from).toEqual(new Date('2026-11-30T16:00:00Z'));
  });

  it('offers the new datasets only when the services are wired', () => {
    const codes = stubs().list.map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['monitoring.alerts', 'availability.outages', 'availability.sla']));
    const bare = datasets({} as DatasetDeps).map((d) => d.code);
    expect(bare).not.toContain('monitoring.alerts');
    expect(bare).not.toContain('availability.sla');
  });

  it('alerts: filters pass through, pages until the end, labels in Chinese, cut at max', async () => {
    const { calls, list } = stubs();
    const d = list.find((x) => x.code === 'monitoring.alerts')!;
    expect(d.permission).toBe('monitoring:read');
    const r = await d.fetch(ctx, { status: 'open', severity: 'major' }, 5000);
    expect(calls.alerts).toEqual([{ status: 'open', severity: 'major', page: 1, pageSize: 200 }, { status: 'open', severity: 'major', page: 2, pageSize: 200 }]);
    expect(r.rows).toHaveLength(201);
    expect(r.truncated).toBe(false);
    expect(r.rows[0]).toMatchObject({ severity: '重要', status: '已确认', objectLabel: 'host-0', value: 95.5, provider: '服务商甲', resolvedAt: null });
    const cut = await d.fetch(ctx, {}, 150);
    expect(cut).toMatchObject({ truncated: true });
    expect(cut.rows).toHaveLength(150);
  });

  it('outages: the month becomes from/to, open a boolean; 90 s is 1.5 minutes', async () => {
    const { calls, list } = stubs();
    const d = list.find((x) => x.code === 'availability.outages')!;
    const r = await d.fetch(ctx, { month: '2026-11', open: 'false', providerId: 'p' }, 5000);
    expect(calls.outages[0]).toEqual({ providerId: 'p', from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z'), open: false, page: 1, pageSize: 200 });
    expect(r.rows[0]).toMatchObject({ probe: 'HTTP 门户', system: '门户', durationMinutes: 1.5, simulated: '否', cause: null });
    await d.fetch(ctx, {}, 5000);
    expect(calls.outages[1]).toEqual({ page: 1, pageSize: 200 });
  });

  it('SLA: one row per objective × object of the month, the met filter, minutes and reasons', async () => {
    const { calls, list } = stubs();
    const d = list.find((x) => x.code === 'availability.sla')!;
    const all = await d.fetch(ctx, { month: '2026-11' }, 5000);
    expect(calls.sla[0]).toEqual({ from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z') });
    expect(all.rows.map((x) => x.met)).toEqual(['是', '否', '无测量']);
    // 1800 s = 30 min; 1230 s = 20.5 min; 99.95833 % shown to 3 decimals.
    expect(all.rows[1]).toMatchObject({ scope: '信息系统', targetPercent: '99.9', availabilityPercent: 99.958, downMinutes: 30, longestOutageMinutes: 20.5, maintenanceMinutes: 60, reasons: '可用率低于目标；单次中断超过 4 小时' });
    expect(all.rows[2]).toMatchObject({ availabilityPercent: null, reasons: null });
    expect((await d.fetch(ctx, { month: '2026-11', met: 'no' }, 5000)).rows.map((x) => x.met)).toEqual(['否']);
    expect((await d.fetch(ctx, { met: 'unmeasured' }, 5000)).rows.map((x) => x.met)).toEqual(['无测量']);
  });
});
