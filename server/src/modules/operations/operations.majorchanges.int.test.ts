import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unique, type TestApp } from '../../test/harness.js';
import { createOrg, type Session, type TestOrg } from '../../test/fixtures.js';
import { setupOperations, type OperationsFixture } from './test/fixtures.js';
import { matchMajorChange } from './operations.majorchanges.js';

let f: OperationsFixture;
let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let nodeA: string;
let provAStaff: Session;
let provBStaff: Session;
let supervisor: Session;
let supervisorUserId: string;
let unitStaff: Session;
const inject = (s: Session, method: 'GET' | 'POST', url: string, payload?: unknown) => f.inject(s, method, url, payload);
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

beforeAll(async () => {
  f = await setupOperations({ providers: ['变更服务商甲', '变更服务商乙'], node: { codePrefix: 'MC', name: '变更甲节点' } });
  ({ t, owner, provA, provAStaff, provBStaff, supervisor, unitStaff } = f);
  nodeA = f.nodeA!;
  supervisorUserId = f.supervisorUser.id;
}, 120_000);

afterAll(async () => {
  await f?.close();
});

describe('matchMajorChange (pure)', () => {
  const c = (id: string, nodeId: string | null, from: string, to: string, hostIds: string[] = []) => ({ id, nodeId, hostIds, windowStart: new Date(from), windowEnd: new Date(to) });
  it('matches on node, window and shared hosts; the latest-starting window wins', () => {
    const at = new Date('2026-11-30T06:05:00Z');
    const changes = [c('a', 'n1', '2026-11-30T00:00:00Z', '2026-11-30T12:00:00Z'), c('b', null, '2026-11-30T06:00:00Z', '2026-11-30T07:00:00Z'), c('x', 'n2', '2026-11-30T00:00:00Z', '2026-12-01T00:00:00Z')];
    expect(matchMajorChange({ nodeId: 'n1', hostIds: [], occurredAt: at }, changes)?.id).toBe('b');
    expect(matchMajorChange({ nodeId: 'n1', hostIds: [], occurredAt: new Date('2026-11-30T13:00:00Z') }, changes)).toBeNull();
    expect(matchMajorChange({ nodeId: 'n3', hostIds: [], occurredAt: new Date('2026-11-30T01:00:00Z') }, changes)).toBeNull();
    expect(matchMajorChange({ nodeId: 'n1', hostIds: ['h2'], occurredAt: at }, [c('h', 'n1', '2026-11-30T00:00:00Z', '2026-11-30T12:00:00Z', ['h1'])])).toBeNull();
    expect(matchMajorChange({ nodeId: 'n1', hostIds: ['h1'], occurredAt: at }, [c('h', 'n1', '2026-11-30T00:00:00Z', '2026-11-30T12:00:00Z', ['h1'])])?.id).toBe('h');
  });
});

describe('major-change events (重大变更) against approved platform changes', () => {
  it('matches a pushed event to the approved change in force, flags one without and notifies supervision, audited', async () => {
    // an approved change (no business impact: approved on submission) for node A, window 5 h ago → 1 h ago
    let res = await inject(provAStaff, 'POST', '/api/operations/changes', { nodeId: nodeA, changeType: 'memory', title: unique('内存扩容'), description: '宿主机内存扩容', businessImpact: false, windowStart: hoursAgo(5), windowEnd: hoursAgo(1) });
    expect(res.statusCode, res.body).toBe(201);
    const change = (await inject(provAStaff, 'POST', `/api/operations/changes/${res.json().id}/submit`)).json();
    expect(change.status).toBe('approved');
    // a change still in approval does not count
    res = await inject(provAStaff, 'POST', '/api/operations/changes', { nodeId: nodeA, changeType: 'bandwidth', title: unique('带宽调整'), description: '出口带宽', businessImpact: true, windowStart: hoursAgo(12), windowEnd: hoursAgo(8) });
    await inject(provAStaff, 'POST', `/api/operations/changes/${res.json().id}/submit`);

    // two pushed events (trigger mode, stored by the ingestion module): one in the window, one in the in-approval change's window
    const inWindow = unique('CHG-IN');
    const outside = unique('CHG-OUT');
    const ins = await owner.query<{ id: string; external_id: string }>(`insert into provider_events (provider_org_id, node_id, external_id, kind, category, severity, occurred_at, title)
      values ($1, $2, $3, 'major_change', '内存扩容', 'info', $4, '宿主机内存扩容'), ($1, $2, $5, 'major_change', '带宽调整', 'major', $6, '出口带宽未审批调整') returning id, external_id`,
      [provA.id, nodeA, inWindow, hoursAgo(3), outside, hoursAgo(10)]);
    const idOf = (ext: string) => ins.rows.find((r) => r.external_id === ext)!.id;
    res = await inject(supervisor, 'POST', '/api/operations/major-changes/import', { from: hoursAgo(24), to: new Date().toISOString() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().imported).toBeGreaterThanOrEqual(2);
    // idempotent
    await t.container.operations.majorChanges.importPushed({ from: new Date(hoursAgo(24)), to: new Date() });
    const mine = (await inject(supervisor, 'GET', `/api/operations/major-changes?providerOrgId=${provA.id}`)).json().items;
    expect(mine).toHaveLength(2);
    const matched = mine.find((m: { sourceEventId: string }) => m.sourceEventId === idOf(inWindow));
    const unapproved = mine.find((m: { sourceEventId: string }) => m.sourceEventId === idOf(outside));
    expect(matched).toMatchObject({ status: 'matched', source: 'pushed', externalId: inWindow, matchedChange: { id: change.id } });
    expect(unapproved).toMatchObject({ status: 'unapproved', matchedChange: null, reviewedAt: null });

    // filter
    const flagged = (await inject(supervisor, 'GET', `/api/operations/major-changes?providerOrgId=${provA.id}&status=unapproved`)).json().items;
    expect(flagged.map((m: { id: string }) => m.id)).toEqual([unapproved.id]);

    // supervision is notified of the unapproved one only
    const notes = (await owner.query<{ title: string; link: string }>("select title, link from notifications where user_id = $1 and kind = 'operations.unapproved_change'", [supervisorUserId])).rows;
    expect(notes.map((n) => n.link)).toContain(`/operations/major-changes?id=${unapproved.id}`);
    expect(notes.map((n) => n.link)).not.toContain(`/operations/major-changes?id=${matched.id}`);

    // audit
    const audited = (await owner.query<{ action: string; target_id: string }>("select action, target_id from audit_log where target_type = 'ops_major_change' and target_id = any($1::text[])", [[matched.id, unapproved.id]])).rows;
    expect(audited).toContainEqual({ action: 'operations.major_change_matched', target_id: matched.id });
    expect(audited).toContainEqual({ action: 'operations.major_change_unapproved', target_id: unapproved.id });

    // review of the unapproved change (manage only, once, not for a matched one)
    expect((await inject(provAStaff, 'POST', `/api/operations/major-changes/${unapproved.id}/review`, { note: '自查' })).statusCode).toBe(403);
    expect((await inject(supervisor, 'POST', `/api/operations/major-changes/${matched.id}/review`, { note: '核查' })).json().code).toBe('operations.major_change_not_unapproved');
    res = await inject(supervisor, 'POST', `/api/operations/major-changes/${unapproved.id}/review`, { note: '已约谈服务商，补报变更申请' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().reviewNote).toBe('已约谈服务商，补报变更申请');
    expect((await inject(supervisor, 'POST', `/api/operations/major-changes/${unapproved.id}/review`, { note: '再次' })).json().code).toBe('operations.major_change_reviewed');
    expect((await inject(supervisor, 'GET', `/api/operations/major-changes?providerOrgId=${provA.id}&reviewed=false`)).json().items).toHaveLength(1);

    // isolation: the provider sees its own, another provider nothing of it (404), agencies nothing
    expect((await inject(provAStaff, 'GET', '/api/operations/major-changes')).json().items.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining([matched.id, unapproved.id]));
    expect((await inject(provBStaff, 'GET', `/api/operations/major-changes/${matched.id}`)).statusCode).toBe(404);
    expect((await inject(provBStaff, 'GET', '/api/operations/major-changes')).json().items.find((m: { id: string }) => m.id === matched.id)).toBeUndefined();
    expect((await inject(unitStaff, 'GET', '/api/operations/major-changes')).statusCode).toBe(403);
  });

  it('supervision enters an observed change; bad input names the field', async () => {
    expect((await inject(provAStaff, 'POST', '/api/operations/major-changes', { providerOrgId: provA.id, category: '内核', title: '内核升级', occurredAt: hoursAgo(2) })).json().code).toBe('operations.major_change_manage_only');
    expect((await inject(supervisor, 'POST', '/api/operations/major-changes', { providerOrgId: provA.id, category: '内核', title: '内核升级', occurredAt: new Date(Date.now() + 3600_000).toISOString() })).json()).toMatchObject({ code: 'operations.time_in_future', details: { issues: [{ field: 'body.occurredAt' }] } });
    const other = await createOrg(t, { kind: 'cloud_provider', name: unique('别家') });
    expect((await inject(supervisor, 'POST', '/api/operations/major-changes', { providerOrgId: other.id, nodeId: nodeA, category: '内核', title: '内核升级', occurredAt: hoursAgo(2) })).json()).toMatchObject({ code: 'operations.node_not_served', details: { issues: [{ field: 'body.nodeId' }] } });
    const res = await inject(supervisor, 'POST', '/api/operations/major-changes', { providerOrgId: provA.id, nodeId: nodeA, category: '内核', title: '巡查发现内核版本变化', occurredAt: hoursAgo(30) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ source: 'manual', status: 'unapproved', nodeName: '变更甲节点' });
  });
});
