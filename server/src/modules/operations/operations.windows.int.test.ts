import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let provB: TestOrg;
let nodeA: string;
let nodeB: string;
let mgmt: Session;
let provAStaff: Session;
let provBStaff: Session;
const sys = systemContext('test');
const inject = (s: Session, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('窗口服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('窗口服务商乙') });
  nodeA = await t.container.directory.ensureCloudNode(sys, { code: unique('WA').slice(0, 20), name: '窗口甲节点', cloudType: 'service', providerOrgId: provA.id });
  nodeB = await t.container.directory.ensureCloudNode(sys, { code: unique('WB').slice(0, 20), name: '窗口乙节点', cloudType: 'service', providerOrgId: provB.id });
  const m = await createOrg(t, { kind: 'management_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  provAStaff = (await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] })).session;
  provBStaff = (await signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] })).session;
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

const resource = async (kind: string, provider: string, node: string) =>
  (await owner.query(
    `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, name, attributes, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
     values ($1, $2, $3, $4, $4, '{}', 'active', now(), now(), now(), $5) returning id`,
    [kind, provider, node, unique('res-'), Math.floor(Math.random() * 1e9)],
  )).rows[0].id as string;

describe('planned maintenance windows (the planned-work contract)', () => {
  it('returns approved and implemented changes overlapping the range with their hosts; not drafts, approvals pending, or other providers’ for a provider', async () => {
    const host = await resource('cloud_host', provA.id, nodeA);
    const bandwidth = await resource('internet_bandwidth', provA.id, nodeA);
    const change = async (s: Session, node: string, title: string, ws: string, we: string, opts: { impact?: boolean; resources?: string[]; submit?: boolean } = {}) => {
      const res = await inject(s, 'POST', '/api/operations/changes', { nodeId: node, changeType: 'kernel', title, description: 'x', businessImpact: opts.impact ?? false, impactedResourceIds: opts.resources ?? [], windowStart: ws, windowEnd: we });
      expect(res.statusCode, res.body).toBe(201);
      const c = res.json();
      if (opts.submit !== false) expect((await inject(s, 'POST', `/api/operations/changes/${c.id}/submit`)).statusCode).toBe(200);
      return c as { id: string; impactedHostIds: string[] };
    };
    const approved = await change(provAStaff, nodeA, unique('窗口内核'), '2026-12-10T01:00:00+08:00', '2026-12-10T05:00:00+08:00', { resources: [host, bandwidth] });
    expect(approved.impactedHostIds).toEqual([host]);
    const implemented = await change(provAStaff, nodeA, unique('已实施'), '2026-12-10T22:00:00+08:00', '2026-12-11T02:00:00+08:00');
    expect((await inject(provAStaff, 'POST', `/api/operations/changes/${implemented.id}/implement`, { implementedFrom: '2026-12-10T22:00:00+08:00', implementedTo: '2026-12-11T01:00:00+08:00', result: 'success' })).statusCode).toBe(200);
    const pending = await change(provAStaff, nodeA, unique('待批'), '2026-12-10T02:00:00+08:00', '2026-12-10T03:00:00+08:00', { impact: true });
    const draft = await change(provAStaff, nodeA, unique('草稿'), '2026-12-10T02:00:00+08:00', '2026-12-10T03:00:00+08:00', { submit: false });
    const outside = await change(provAStaff, nodeA, unique('区间外'), '2026-12-12T02:00:00+08:00', '2026-12-12T03:00:00+08:00');
    const other = await change(provBStaff, nodeB, unique('乙变更'), '2026-12-10T03:00:00+08:00', '2026-12-10T04:00:00+08:00');

    const range = { from: new Date('2026-12-10T00:00:00+08:00'), to: new Date('2026-12-11T00:00:00+08:00') };
    const all = await t.container.operations.plannedMaintenanceWindows(sys, range);
    const ids = all.map((w) => w.changeId);
    expect(ids).toEqual(expect.arrayContaining([approved.id, implemented.id, other.id]));
    for (const no of [pending.id, draft.id, outside.id]) expect(ids).not.toContain(no);
    const w = all.find((x) => x.changeId === approved.id)!;
    expect(w).toMatchObject({ providerOrgId: provA.id, nodeId: nodeA, hostIds: [host], systemIds: [] });
    expect(w.startsAt).toEqual(new Date('2026-12-09T17:00:00Z'));
    expect(w.endsAt).toBeInstanceOf(Date);
    // Ordered by start.
    const starts = all.map((x) => x.startsAt.getTime());
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);

    // A window ending exactly at the range's start does not overlap.
    const touching = await t.container.operations.plannedMaintenanceWindows(sys, { from: new Date('2026-12-10T05:00:00+08:00'), to: new Date('2026-12-10T06:00:00+08:00') });
    expect(touching.map((x) => x.changeId)).not.toContain(approved.id);

    // Approving the pending change makes it planned work.
    const instance = (await inject(provAStaff, 'GET', `/api/operations/changes/${pending.id}`)).json().workflowInstanceId;
    const task = ((await inject(mgmt, 'GET', `/api/workflow/tasks?instanceId=${instance}`)).json().items as Array<{ id: string; status: string }>).find((x) => x.status === 'pending')!;
    expect((await inject(mgmt, 'POST', `/api/workflow/tasks/${task.id}/actions`, { action: 'approve' })).statusCode).toBe(200);
    expect((await t.container.operations.plannedMaintenanceWindows(sys, range)).map((x) => x.changeId)).toContain(pending.id);

    // Over HTTP, a provider sees only its own windows.
    const res = await inject(provBStaff, 'GET', `/api/operations/maintenance-windows?from=${encodeURIComponent('2026-12-10T00:00:00+08:00')}&to=${encodeURIComponent('2026-12-11T00:00:00+08:00')}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((x: { changeId: string }) => x.changeId)).toEqual([other.id]);
    const bad = await inject(mgmt, 'GET', `/api/operations/maintenance-windows?from=${encodeURIComponent('2026-12-11T00:00:00+08:00')}&to=${encodeURIComponent('2026-12-10T00:00:00+08:00')}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'operations.invalid_range', details: { issues: [{ field: 'query.to', rule: 'after_from' }] } });
  });
});
