import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../calendar/index.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

let t: TestApp;
let provA: TestOrg;
let provB: TestOrg;
let provAStaff: Session;
let provBStaff: Session;
let mgmt: Session;
let unitStaff: Session;
const inject = (s: Session, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
const DAY = 86_400_000;
const day = (offset: number) => localDate(new Date(Date.now() + offset * DAY));

beforeAll(async () => {
  t = await createTestApp();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('资质服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('资质服务商乙') });
  provAStaff = (await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] })).session;
  provBStaff = (await signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] })).session;
  const m = await createOrg(t, { kind: 'management_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  const unit = await createOrg(t, { kind: 'user_unit' });
  unitStaff = (await signedInUser(t, { orgId: unit.id, roles: ['unit_staff'] })).session;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('qualification update after a policy change (3 months, exit after 6)', () => {
  it('suspends the named providers until they update; overdue and exit are visible as findings; providers see only themselves', async () => {
    const ops = t.container.operations;
    // Both hold a current qualification: not suspended before the policy change.
    for (const p of [provA, provB]) {
      expect((await inject(mgmt, 'POST', '/api/operations/qualifications', { providerOrgId: p.id, name: '运营资质', validFrom: day(-400), validTo: day(400) })).statusCode).toBe(201);
    }
    expect(await ops.isProviderSuspended(provA.id)).toBe(false);

    const body = { title: unique('数据安全新规'), description: '新规要求云服务商补充数据安全管理资质', announcedOn: day(-100), providerOrgIds: [provA.id, provB.id] };
    let res = await inject(mgmt, 'POST', '/api/operations/policy-changes', { ...body, announcedOn: day(5) });
    expect(res.json()).toMatchObject({ code: 'operations.announced_in_future', details: { issues: [{ field: 'body.announcedOn', rule: 'not_future' }] } });
    res = await inject(mgmt, 'POST', '/api/operations/policy-changes', { ...body, providerOrgIds: [provA.id, '00000000-0000-4000-8000-000000000000'] });
    expect(res.json()).toMatchObject({ code: 'operations.provider_not_found', details: { issues: [{ field: 'body.providerOrgIds.1', rule: 'cloud_provider' }] } });
    expect((await inject(mgmt, 'POST', '/api/operations/policy-changes', { ...body, providerOrgIds: [] })).statusCode).toBe(400);
    expect((await inject(provAStaff, 'POST', '/api/operations/policy-changes', body)).statusCode).toBe(403);
    expect((await inject(mgmt, 'GET', '/api/operations/policy-changes')).json().items.filter((c: { title: string }) => c.title === body.title)).toEqual([]);

    res = await inject(mgmt, 'POST', '/api/operations/policy-changes', body);
    expect(res.statusCode, res.body).toBe(201);
    const change = res.json();
    // 100 days after the announcement: past the 3-month window, not yet 6 months.
    expect(change.providers.map((p: { state: string; suspended: boolean }) => [p.state, p.suspended])).toEqual([['overdue', true], ['overdue', true]]);
    expect(await ops.isProviderSuspended(provA.id)).toBe(true);

    res = await inject(provAStaff, 'POST', `/api/operations/policy-changes/${change.id}/updates`, { updatedOn: day(-101), note: '已提交' });
    expect(res.json()).toMatchObject({ code: 'operations.update_day', details: { issues: [{ field: 'body.updatedOn', rule: 'announced_to_today' }] } });
    res = await inject(provAStaff, 'POST', `/api/operations/policy-changes/${change.id}/updates`, { updatedOn: day(0), note: '已取得数据安全管理资质并备案' });
    expect(res.statusCode, res.body).toBe(201);
    // The provider sees only itself in the change.
    expect(res.json().providers).toEqual([expect.objectContaining({ providerOrgId: provA.id, state: 'updated_late', suspended: false })]);
    expect((await inject(provAStaff, 'POST', `/api/operations/policy-changes/${change.id}/updates`, { updatedOn: day(0), note: 'x' })).json().code).toBe('operations.update_exists');
    expect(await ops.isProviderSuspended(provA.id)).toBe(false);
    expect(await ops.isProviderSuspended(provB.id)).toBe(true);
    // Provider B cannot record A's update: its own only (404 for another's id).
    expect((await inject(provBStaff, 'POST', `/api/operations/policy-changes/${change.id}/updates`, { providerOrgId: provA.id, updatedOn: day(0), note: 'x' })).statusCode).toBe(404);
    const bView = (await inject(provBStaff, 'GET', '/api/operations/policy-changes')).json().items.find((c: { id: string }) => c.id === change.id);
    expect(bView.providers).toEqual([expect.objectContaining({ providerOrgId: provB.id, state: 'overdue' })]);
    expect((await inject(unitStaff, 'GET', '/api/operations/policy-changes')).statusCode).toBe(403);

    // After 6 months without an update: the exit threshold.
    const old = (await inject(mgmt, 'POST', '/api/operations/policy-changes', { ...body, title: unique('旧规'), announcedOn: day(-200), providerOrgIds: [provB.id] })).json();
    expect(old.providers[0]).toMatchObject({ state: 'exit', suspended: true });
    const mgmtView = (await inject(mgmt, 'GET', '/api/operations/policy-changes')).json().items.find((c: { id: string }) => c.id === change.id);
    expect(mgmtView.providers.map((p: { state: string }) => p.state)).toEqual(['updated_late', 'overdue']);
  });
});
