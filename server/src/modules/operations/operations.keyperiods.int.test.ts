import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

let t: TestApp;
let provA: TestOrg;
let nodeA: string;
let nodeOther: string;
let provAStaff: Session;
let provBStaff: Session;
let supervisor: Session;
const sys = systemContext('test');
const inject = (s: Session, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

beforeAll(async () => {
  t = await createTestApp();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('重保服务商甲') });
  const provB = await createOrg(t, { kind: 'cloud_provider', name: unique('重保服务商乙') });
  nodeA = await t.container.directory.ensureCloudNode(sys, { code: unique('KA').slice(0, 20), name: '重保甲节点', cloudType: 'service', providerOrgId: provA.id });
  nodeOther = await t.container.directory.ensureCloudNode(sys, { code: unique('KB').slice(0, 20), name: '重保甲二节点', cloudType: 'service', providerOrgId: provA.id });
  provAStaff = (await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] })).session;
  provBStaff = (await signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] })).session;
  const sup = await createOrg(t, { kind: 'supervision_provider' });
  supervisor = (await signedInUser(t, { orgId: sup.id, roles: ['supervisor_staff'] })).session;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const contacts = [{ name: '张三', role: '重保负责人', phone: '13800000001' }];

describe('key-period (重保) work plans', () => {
  it('needs ≥ 30 on site and a node in scope; daily reports within the period, missing days listed; summary after the end; signed PDF', async () => {
    const past = await t.container.keyPeriods.create(sys, { name: unique('国庆重保'), startsAt: '2026-10-01T00:00:00+08:00', endsAt: '2026-10-04T00:00:00+08:00', scope: 'nodes', nodeIds: [nodeA] });
    const future = await t.container.keyPeriods.create(sys, { name: unique('春节重保'), startsAt: '2027-02-10T00:00:00+08:00', endsAt: '2027-02-18T00:00:00+08:00', scope: 'nodes', nodeIds: [nodeA] });
    const body = { keyPeriodId: past.id, nodeId: nodeA, onsiteStaff: 29, dutyArrangement: '7×24 双人值守', contacts };
    let res = await inject(provAStaff, 'POST', '/api/operations/key-period-plans', body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'operations.key_period_staffing', details: { issues: [{ field: 'body.onsiteStaff', rule: 'min_30_onsite' }] } });
    res = await inject(provAStaff, 'POST', '/api/operations/key-period-plans', { ...body, onsiteStaff: 32, nodeId: nodeOther });
    expect(res.json()).toMatchObject({ code: 'operations.node_not_in_period', details: { issues: [{ field: 'body.nodeId', rule: 'in_period_scope' }] } });
    res = await inject(provAStaff, 'POST', '/api/operations/key-period-plans', { ...body, onsiteStaff: 32, contacts: [] });
    expect(res.statusCode).toBe(400);
    res = await inject(provBStaff, 'POST', '/api/operations/key-period-plans', { ...body, onsiteStaff: 32 });
    expect(res.json().code).toBe('operations.node_not_served');
    res = await inject(provAStaff, 'POST', '/api/operations/key-period-plans', { ...body, keyPeriodId: '00000000-0000-4000-8000-000000000000', onsiteStaff: 32 });
    expect(res.json()).toMatchObject({ code: 'operations.key_period_not_found', details: { issues: [{ field: 'body.keyPeriodId' }] } });

    res = await inject(provAStaff, 'POST', '/api/operations/key-period-plans', { ...body, onsiteStaff: 32 });
    expect(res.statusCode, res.body).toBe(201);
    const plan = res.json();
    expect(plan).toMatchObject({ onsiteStaff: 32, staffOnRecord: 0, missingDays: ['2026-10-01', '2026-10-02', '2026-10-03'], summary: null });
    expect((await inject(provAStaff, 'POST', '/api/operations/key-period-plans', { ...body, onsiteStaff: 32 })).json().code).toBe('operations.key_period_plan_exists');

    res = await inject(provAStaff, 'POST', `/api/operations/key-period-plans/${plan.id}/reports`, { day: '2026-10-04', onsiteStaff: 31, body: '平稳' });
    expect(res.json()).toMatchObject({ code: 'operations.report_outside_period', details: { issues: [{ field: 'body.day', rule: 'within_period' }] } });
    res = await inject(provAStaff, 'POST', `/api/operations/key-period-plans/${plan.id}/reports`, { day: '2026-10-02', onsiteStaff: 31, incidents: 1, body: '一起链路抖动，已处置' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().missingDays).toEqual(['2026-10-01', '2026-10-03']);
    expect((await inject(provAStaff, 'POST', `/api/operations/key-period-plans/${plan.id}/reports`, { day: '2026-10-02', onsiteStaff: 31, body: 'x' })).json().code).toBe('operations.report_exists');

    res = await inject(provAStaff, 'POST', `/api/operations/key-period-plans/${plan.id}/summary`, { summary: '重保期间平稳，共 1 起事件。' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().summary).toContain('平稳');
    const fut = (await inject(provAStaff, 'POST', '/api/operations/key-period-plans', { ...body, keyPeriodId: future.id, onsiteStaff: 30 })).json();
    expect((await inject(provAStaff, 'POST', `/api/operations/key-period-plans/${fut.id}/summary`, { summary: 'x' })).json().code).toBe('operations.period_not_ended');

    const pdf = await inject(supervisor, 'GET', `/api/operations/key-period-plans/${plan.id}/export`);
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // Another provider does not see the plan.
    expect((await inject(provBStaff, 'GET', `/api/operations/key-period-plans/${plan.id}`)).statusCode).toBe(404);
    expect((await inject(provBStaff, 'GET', '/api/operations/key-period-plans')).json().items).toEqual([]);
    expect((await inject(supervisor, 'GET', `/api/operations/key-period-plans?keyPeriodId=${past.id}`)).json().items.map((x: { id: string }) => x.id)).toEqual([plan.id]);
  });
});
