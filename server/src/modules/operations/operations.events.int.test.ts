import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import type { TestApp } from '../../test/harness.js';
import type { Session, TestOrg } from '../../test/fixtures.js';
import { setupOperations, type OperationsFixture } from './test/fixtures.js';

let f: OperationsFixture;
let t: TestApp;
let provA: TestOrg;
let provB: TestOrg;
let nodeA: string;
let provAStaff: Session;
let provBStaff: Session;
let supervisor: Session;
let unitStaff: Session;
const sys = systemContext('test');
const inject = (s: Session, method: 'GET' | 'POST', url: string, payload?: unknown) => f.inject(s, method, url, payload);
const MIN = 60_000;

beforeAll(async () => {
  f = await setupOperations({ providers: ['应急服务商甲', '应急服务商乙'], node: { codePrefix: 'EA', name: '应急甲节点' } });
  ({ t, provA, provB, provAStaff, provBStaff, supervisor, unitStaff } = f);
  nodeA = f.nodeA!;
}, 120_000);

afterAll(async () => {
  await f?.close();
});

describe('emergency events (应急事件)', () => {
  it('report → respond → recover → review, with minutes against the targets, the signed report, and isolation', async () => {
    const occurred = new Date(Date.now() - 3 * 60 * MIN);
    const body = { nodeId: nodeA, title: '存储集群故障', severity: 'III', description: '存储集群一个控制器宕机，部分云主机 IO 挂起', occurredAt: occurred.toISOString() };
    let res = await inject(provAStaff, 'POST', '/api/operations/emergency-events', { ...body, occurredAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'operations.time_in_future', details: { issues: [{ field: 'body.occurredAt', rule: 'not_future' }] } });
    res = await inject(provAStaff, 'POST', '/api/operations/emergency-events', { ...body, severity: 'V' });
    expect(res.statusCode).toBe(400);
    res = await inject(provBStaff, 'POST', '/api/operations/emergency-events', body);
    expect(res.json().code).toBe('operations.node_not_served');
    res = await inject(unitStaff, 'POST', '/api/operations/emergency-events', body);
    expect(res.statusCode).toBe(403);

    res = await inject(provAStaff, 'POST', '/api/operations/emergency-events', body);
    expect(res.statusCode, res.body).toBe(201);
    const ev = res.json();
    expect(ev).toMatchObject({ status: 'reported', providerOrgId: provA.id, responseMinutes: null, recoveryWithinTarget: null });
    expect(ev.number).toMatch(/^EE-\d{8}-\d{6}$/);

    // Steps out of order and times out of order are refused; nothing changes.
    res = await inject(provAStaff, 'POST', `/api/operations/emergency-events/${ev.id}/recover`, { recoveredAt: new Date().toISOString(), note: 'x' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'operations.event_state', details: { status: 'reported', needed: 'responding' } });
    res = await inject(provAStaff, 'POST', `/api/operations/emergency-events/${ev.id}/respond`, { respondedAt: new Date(occurred.getTime() - MIN).toISOString(), note: 'x' });
    expect(res.json()).toMatchObject({ code: 'operations.before_occurrence', details: { issues: [{ field: 'body.respondedAt', rule: 'after_occurred_at' }] } });
    expect((await inject(provAStaff, 'GET', `/api/operations/emergency-events/${ev.id}/report`)).json().code).toBe('operations.event_not_reviewed');

    res = await inject(provAStaff, 'POST', `/api/operations/emergency-events/${ev.id}/respond`, { respondedAt: new Date(occurred.getTime() + 12 * MIN).toISOString(), note: '切换到备用控制器' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'responding', responseMinutes: 12, responseWithinTarget: true });
    expect((await inject(provAStaff, 'POST', `/api/operations/emergency-events/${ev.id}/respond`, { respondedAt: new Date().toISOString(), note: 'x' })).statusCode).toBe(409);
    res = await inject(provAStaff, 'POST', `/api/operations/emergency-events/${ev.id}/recover`, { recoveredAt: new Date(occurred.getTime() + 5 * MIN).toISOString(), note: 'x' });
    expect(res.json()).toMatchObject({ code: 'operations.before_response', details: { issues: [{ field: 'body.recoveredAt' }] } });
    res = await inject(provAStaff, 'POST', `/api/operations/emergency-events/${ev.id}/recover`, { recoveredAt: new Date(occurred.getTime() + 41 * MIN).toISOString(), note: 'IO 恢复，业务验证正常' });
    expect(res.json()).toMatchObject({ status: 'recovered', recoveryMinutes: 41, recoveryWithinTarget: false });
    res = await inject(supervisor, 'POST', `/api/operations/emergency-events/${ev.id}/review`, { rootCause: '控制器固件缺陷', measures: '升级固件，增加控制器心跳监控' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'reviewed', rootCause: '控制器固件缺陷', lessons: null });
    expect(res.json().reviewedAt).not.toBeNull();

    const pdf = await inject(supervisor, 'GET', `/api/operations/emergency-events/${ev.id}/report`);
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    // Isolation: another provider and a unit see nothing; the supervisor sees it.
    expect((await inject(provBStaff, 'GET', `/api/operations/emergency-events/${ev.id}`)).statusCode).toBe(404);
    expect((await inject(provBStaff, 'POST', `/api/operations/emergency-events/${ev.id}/review`, { rootCause: 'x', measures: 'y' })).statusCode).toBe(404);
    expect((await inject(provBStaff, 'GET', '/api/operations/emergency-events')).json().items).toEqual([]);
    expect((await inject(unitStaff, 'GET', '/api/operations/emergency-events')).statusCode).toBe(403);
    expect((await inject(supervisor, 'GET', `/api/operations/emergency-events?providerOrgId=${provA.id}`)).json().items.map((x: { id: string }) => x.id)).toEqual([ev.id]);
    const xlsx = await inject(provAStaff, 'GET', '/api/operations/export/events');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});

describe('training records (培训记录) and the two-monthly obligation', () => {
  it('records trainings, refuses bad input, counts emergency-response training per two-month period, provider sees only its own', async () => {
    const base = { kind: 'emergency_response', topic: '应急响应流程培训', trainer: '李工', participants: 18, hours: '2.5' };
    let res = await inject(provAStaff, 'POST', '/api/operations/trainings', { ...base, heldOn: '2099-01-01' });
    expect(res.json()).toMatchObject({ code: 'operations.held_in_future', details: { issues: [{ field: 'body.heldOn', rule: 'not_future' }] } });
    for (const hours of ['0', '2.55', 2.5, '-1', '100']) {
      res = await inject(provAStaff, 'POST', '/api/operations/trainings', { ...base, heldOn: '2026-03-10', hours });
      expect(res.statusCode, String(hours)).toBe(400);
    }
    expect((await inject(provAStaff, 'POST', '/api/operations/trainings', { ...base, heldOn: '2026-03-10', participants: 0 })).statusCode).toBe(400);
    expect((await inject(provAStaff, 'POST', '/api/operations/trainings', { ...base, heldOn: '2026-03-10', orgId: provB.id })).statusCode).toBe(404);

    res = await inject(provAStaff, 'POST', '/api/operations/trainings', { ...base, heldOn: '2026-01-15' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ orgId: provA.id, hours: '2.5', participants: 18, heldOn: '2026-01-15' });
    await inject(provAStaff, 'POST', '/api/operations/trainings', { ...base, heldOn: '2026-05-20' });
    // A business training does not count towards the emergency-response obligation.
    await inject(provAStaff, 'POST', '/api/operations/trainings', { ...base, kind: 'business', topic: '业务培训', heldOn: '2026-03-20' });

    const q = `from=${encodeURIComponent('2026-01-01T00:00:00+08:00')}&to=${encodeURIComponent('2026-07-01T00:00:00+08:00')}`;
    res = await inject(supervisor, 'GET', `/api/operations/training-obligations?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json().items.find((x: { providerOrgId: string }) => x.providerOrgId === provA.id);
    expect(a).toMatchObject({ held: 2, required: 3, missed: 1 });
    expect(a.periods.map((p: { start: string; status: string }) => [p.start, p.status])).toEqual([['2026-01-01', 'met'], ['2026-03-01', 'missed'], ['2026-05-01', 'met']]);
    const b = res.json().items.find((x: { providerOrgId: string }) => x.providerOrgId === provB.id);
    expect(b).toMatchObject({ held: 0, required: 3, missed: 3 });
    // The evaluation-facing figure is the same function.
    expect((await t.container.operations.trainingCounts(sys, { from: new Date('2026-01-01T00:00:00+08:00'), to: new Date('2026-07-01T00:00:00+08:00') })).find((x) => x.providerOrgId === provA.id)?.held).toBe(2);

    const own = (await inject(provBStaff, 'GET', `/api/operations/training-obligations?${q}`)).json().items;
    expect(own.map((x: { providerOrgId: string }) => x.providerOrgId)).toEqual([provB.id]);
    expect((await inject(provBStaff, 'GET', '/api/operations/trainings')).json().items).toEqual([]);
    expect((await inject(provAStaff, 'GET', '/api/operations/trainings')).json().items).toHaveLength(3);
    expect((await inject(unitStaff, 'GET', '/api/operations/trainings')).statusCode).toBe(403);
    expect((await inject(supervisor, 'GET', '/api/operations/training-obligations?from=2026-01-01&to=x')).statusCode).toBe(400);
    expect((await inject(provAStaff, 'GET', '/api/operations/export/trainings')).statusCode).toBe(200);
  });
});
