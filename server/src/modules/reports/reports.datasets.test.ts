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

describe('reports datasets: operations', () => {
  const record = (slot: string, abnormal: number, late = false) => ({
    id: `r-${slot}`, planId: 'pl', planName: '机房日巡检', providerOrgId: 'p1', nodeId: 'n1', slotStart: slot, slotEnd: slot.replace('T00', 'T08'), performedAt: slot.replace('T00', 'T01'), inspectorName: '李四', abnormalCount: abnormal, late, note: null,
    results: [{ itemKey: 'a', label: '温湿度', result: abnormal ? 'abnormal' : 'normal', note: abnormal ? '湿度 75%' : null, documentId: null }, { itemKey: 'b', label: 'UPS', result: 'normal', note: null, documentId: null }],
    rectifications: abnormal ? [{ status: 'open' }, { status: 'done' }] : [],
  });
  const change = (id: string, windowStart: string, windowEnd: string, outsideWindow: boolean) => ({
    id, providerOrgId: 'p1', nodeId: null, changeType: 'kernel', title: `变更 ${id}`, description: '', businessImpact: true, impactedResourceIds: [], impactedSystemIds: ['s1', 's2'], impactedHostIds: [],
    windowStart, windowEnd, status: 'implemented', workflowInstanceId: null, implementedFrom: windowStart, implementedTo: windowEnd, result: 'rolled_back', resultNote: null, outsideWindow,
  });
  function opsStubs(records = [record('2026-11-02T16:00:00.000Z', 1), record('2026-11-01T16:00:00.000Z', 0, true)]) {
    const calls: { records: unknown[]; missed: unknown[]; names: unknown[]; duty: unknown[] } = { records: [], missed: [], names: [], duty: [] };
    const deps = {
      operations: {
        service: {
          listRecords: async (_: unknown, q: unknown) => { calls.records.push(q); return records; },
          missedInspections: async (_: unknown, q: unknown) => { calls.missed.push(q); return [{ planId: 'pl', planName: '机房日巡检', providerOrgId: 'p1', nodeId: 'n1', slotStart: '2026-11-03T16:00:00.000Z', slotEnd: '2026-11-04T16:00:00.000Z' }]; },
          listDrills: async () => [
            { id: 'd1', orgId: 'p1', level: 'provider', planId: null, kind: 'live', scenario: '断电', plannedOn: '2026-10-28', heldOn: '2026-11-01', participants: ['a', 'b', 'c'], findings: '切换慢', report: 'x', status: 'held' },
            { id: 'd2', orgId: 'p1', level: 'provider', planId: null, kind: 'desktop', scenario: '断网', plannedOn: '2026-12-01', heldOn: null, participants: [], findings: null, report: null, status: 'planned' },
          ],
          listChanges: async () => [change('c1', '2026-10-31T15:00:00.000Z', '2026-10-31T17:00:00.000Z', true), change('c2', '2026-10-30T15:00:00.000Z', '2026-10-30T17:00:00.000Z', false)],
        },
        reads: {
          names: async (_: unknown, q: unknown) => { calls.names.push(q); return { orgs: new Map([['p1', '服务商甲']]), nodes: new Map([['n1', '节点一']]) }; },
          dutyLog: async (_: unknown, q: { limit: number }) => { calls.duty.push(q); return Array.from({ length: Math.min(q.limit, 3) }, (_x, i) => ({ id: `l${i}`, orgId: 'p1', orgName: '服务商甲', at: '2026-11-05T02:00:00.000Z', kind: 'handover', person: '王五', body: `交接 ${i}` })); },
        },
      },
    } as unknown as DatasetDeps;
    const find = (code: string) => datasets(deps).find((x) => x.code === code)!;
    return { calls, find };
  }

  it('offered only when operations is wired, with its page permission', () => {
    expect(datasets({} as DatasetDeps).map((d) => d.code).filter((c) => c.startsWith('operations.'))).toEqual([]);
    const { find } = opsStubs();
    for (const code of ['operations.inspections', 'operations.drills', 'operations.duty_log', 'operations.changes']) expect(find(code).permission).toBe('operations:read');
  });

  it('inspections: records and missed slots of the month (Asia/Shanghai), newest slot first, result labels and filters', async () => {
    const { calls, find } = opsStubs();
    const d = find('operations.inspections');
    const r = await d.fetch(ctx, { month: '2026-11', providerOrgId: 'p1' }, 5000);
    expect(calls.records[0]).toEqual({ from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z', providerOrgId: 'p1' });
    expect(calls.missed[0]).toEqual({ from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z'), providerOrgId: 'p1' });
    expect(calls.names[0]).toEqual({ orgIds: ['p1'], nodeIds: ['n1'] });
    expect(r.rows.map((x) => x.result)).toEqual(['漏检', '异常', '正常']);
    expect(r.rows[0]).toMatchObject({ provider: '服务商甲', node: '节点一', performedAt: null, inspector: null, abnormalCount: null });
    expect(r.rows[1]).toMatchObject({ abnormalCount: 1, abnormalItems: '温湿度（湿度 75%）', openRectifications: 1, late: '否', inspector: '李四' });
    expect(r.rows[2]).toMatchObject({ abnormalItems: null, openRectifications: 0, late: '是' });
    expect(r.truncated).toBe(false);
    expect((await d.fetch(ctx, { result: 'abnormal' }, 5000)).rows.map((x) => x.result)).toEqual(['异常']);
    expect(calls.missed).toHaveLength(1); // not asked for missed slots when filtering on records
    expect((await d.fetch(ctx, { result: 'missed' }, 5000)).rows.map((x) => x.result)).toEqual(['漏检']);
    expect(calls.records).toHaveLength(2); // not asked for records when only missed slots are wanted
    expect(await d.fetch(ctx, {}, 2)).toMatchObject({ truncated: true });
    // The service answers at most 500 records: a full page says the list may be cut.
    const full = opsStubs(Array.from({ length: 500 }, (_x, i) => record(new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(), 0)));
    expect((await full.find('operations.inspections').fetch(ctx, {}, 5000)).truncated).toBe(true);
  });

  it('drills: a month keeps drills planned or held in it; labels; participants counted', async () => {
    const d = opsStubs().find('operations.drills');
    const nov = await d.fetch(ctx, { month: '2026-11' }, 5000);
    expect(nov.rows).toEqual([{ org: '服务商甲', level: '云服务商', kind: '实战演练', scenario: '断电', plannedOn: '2026-10-28', heldOn: '2026-11-01', status: '已开展', participants: 3, findings: '切换慢' }]);
    expect((await d.fetch(ctx, { month: '2026-10' }, 5000)).rows.map((x) => x.scenario)).toEqual(['断电']);
    expect((await d.fetch(ctx, { status: 'planned' }, 5000)).rows.map((x) => x.scenario)).toEqual(['断网']);
  });

  it('duty log: the month as its Asia/Shanghai range, one more row asked to know it was cut', async () => {
    const { calls, find } = opsStubs();
    const d = find('operations.duty_log');
    const r = await d.fetch(ctx, { month: '2026-11', kind: 'handover', orgId: 'p1' }, 2);
    expect(calls.duty[0]).toEqual({ from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z'), kind: 'handover', orgId: 'p1', limit: 3 });
    expect(r).toMatchObject({ truncated: true });
    expect(r.rows).toEqual([{ at: '2026-11-05T02:00:00.000Z', org: '服务商甲', kind: '交接班', person: '王五', body: '交接 0' }, { at: '2026-11-05T02:00:00.000Z', org: '服务商甲', kind: '交接班', person: '王五', body: '交接 1' }]);
  });

  it('changes: a month keeps the changes whose window overlaps it (Asia/Shanghai); outside-window filter; labels', async () => {
    const d = opsStubs().find('operations.changes');
    // c1's window 23:00–01:00 Beijing on 31 Oct / 1 Nov overlaps November; c2 (30 Oct) does not.
    const nov = await d.fetch(ctx, { month: '2026-11' }, 5000);
    expect(nov.rows).toHaveLength(1);
    expect(nov.rows[0]).toMatchObject({ title: '变更 c1', provider: '服务商甲', node: null, changeType: '内核变更', businessImpact: '是', status: '已实施', result: '已回退', outsideWindow: '是', impactedSystems: 2 });
    expect((await d.fetch(ctx, { outsideWindow: 'false' }, 5000)).rows.map((x) => x.title)).toEqual(['变更 c2']);
  });
});
