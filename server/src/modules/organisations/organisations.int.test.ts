import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { auditRecords, createOrg, createOrgTree, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

describe('organisations', () => {
  let t: TestApp;
  let mgmt: TestOrg;
  let unitA: { root: TestOrg; child: TestOrg };
  let unitB: { root: TestOrg; child: TestOrg };
  let sys: Session;
  let adminA: Session;
  let staffA: Session;

  beforeAll(async () => {
    t = await createTestApp();
    mgmt = await createOrg(t, { kind: 'management_unit' });
    unitA = await createOrgTree(t, 'user_unit');
    unitB = await createOrgTree(t, 'user_unit');
    sys = (await signedInUser(t, { orgId: mgmt.id, roles: ['system_admin'] })).session;
    adminA = (await signedInUser(t, { orgId: unitA.root.id, roles: ['unit_admin'] })).session;
    staffA = (await signedInUser(t, { orgId: unitA.child.id, roles: ['unit_staff'] })).session;
  });
  afterAll(async () => t.close());

  it('the system administrator creates top-level organisations; the record is audited', async () => {
    const code = unique('P-');
    const res = await t.app.inject({ method: 'POST', url: '/api/organisations', headers: sys.headers, payload: { kind: 'cloud_provider', name: unique('云服务商'), code, shortName: '云' } });
    expect(res.statusCode).toBe(201);
    const org = res.json();
    expect(org).toMatchObject({ kind: 'cloud_provider', code, parentId: null, path: [org.id], status: 'active', abilities: { update: true, disable: true, createChild: true } });
    expect((await auditRecords(t, { action: 'organisations.create', targetId: org.id }))[0]).toMatchObject({ outcome: 'success' });
    const dup = await t.app.inject({ method: 'POST', url: '/api/organisations', headers: sys.headers, payload: { kind: 'cloud_provider', name: unique('x'), code } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'organisations.code_taken', details: { field: 'code' } });
  });

  it('a unit administrator creates sub-units of its own kind under its unit, never top-level ones', async () => {
    const top = await t.app.inject({ method: 'POST', url: '/api/organisations', headers: adminA.headers, payload: { kind: 'user_unit', name: unique('x') } });
    expect(top.statusCode).toBe(403);
    expect(top.json().code).toBe('organisations.top_level_forbidden');
    const wrongKind = await t.app.inject({ method: 'POST', url: '/api/organisations', headers: adminA.headers, payload: { parentId: unitA.root.id, kind: 'cloud_provider', name: unique('x') } });
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.json().code).toBe('organisations.kind_mismatch');
    const sub = await t.app.inject({ method: 'POST', url: '/api/organisations', headers: adminA.headers, payload: { parentId: unitA.child.id, kind: 'user_unit', name: '科室' } });
    expect(sub.statusCode).toBe(201);
    expect(sub.json().path).toEqual([unitA.root.id, unitA.child.id, sub.json().id]);
    expect(sub.json().parent).toEqual({ id: unitA.child.id, name: unitA.child.name });
    const sibling = await t.app.inject({ method: 'POST', url: '/api/organisations', headers: adminA.headers, payload: { parentId: unitA.child.id, kind: 'user_unit', name: '科室' } });
    expect(sibling.json().code).toBe('organisations.name_taken');
  });

  it('administration reaches only below the own unit: edit and disable sub-units, not the own unit', async () => {
    const own = await t.app.inject({ method: 'PATCH', url: `/api/organisations/${unitA.root.id}`, headers: adminA.headers, payload: { description: 'x' } });
    expect(own.statusCode).toBe(403);
    expect((await t.app.inject({ url: `/api/organisations/${unitA.root.id}`, headers: adminA.headers })).json().abilities).toEqual({ update: false, disable: false, enable: false, createChild: true });
    const sub = await createOrg(t, { kind: 'user_unit', parentId: unitA.root.id });
    const edit = await t.app.inject({ method: 'PATCH', url: `/api/organisations/${sub.id}`, headers: adminA.headers, payload: { shortName: '简称', description: "'; drop table organisations; --" } });
    expect(edit.statusCode).toBe(200);
    expect(edit.json().description).toBe("'; drop table organisations; --");
    const off = await t.app.inject({ method: 'PATCH', url: `/api/organisations/${sub.id}`, headers: adminA.headers, payload: { status: 'disabled' } });
    expect(off.json()).toMatchObject({ status: 'disabled', abilities: { enable: true, disable: false } });
    expect((await auditRecords(t, { action: 'organisations.disable', targetId: sub.id })).length).toBe(1);
    // Staff read, but do not write: the denial is audited.
    const denied = await t.app.inject({ method: 'PATCH', url: `/api/organisations/${sub.id}`, headers: staffA.headers, payload: { status: 'active' } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('auth.permission_denied');
    const [rec] = await auditRecords(t, { action: 'auth.permission_denied', requestId: denied.json().requestId });
    expect(rec).toMatchObject({ outcome: 'failure', target_id: 'PATCH /api/organisations/:id' });
  });

  it('unit B cannot read or change unit A’s organisations: 404', async () => {
    const adminB = (await signedInUser(t, { orgId: unitB.root.id, roles: ['unit_admin'] })).session;
    for (const id of [unitA.root.id, unitA.child.id]) {
      const get = await t.app.inject({ url: `/api/organisations/${id}`, headers: adminB.headers });
      expect(get.statusCode).toBe(404);
      expect(get.json().code).toBe('organisations.not_found');
      expect((await t.app.inject({ method: 'PATCH', url: `/api/organisations/${id}`, headers: adminB.headers, payload: { name: 'x' } })).statusCode).toBe(404);
    }
    const child = await t.app.inject({ method: 'POST', url: '/api/organisations', headers: adminB.headers, payload: { parentId: unitA.root.id, kind: 'user_unit', name: 'x' } });
    expect(child.statusCode).toBe(404);
    const list = await t.app.inject({ url: '/api/organisations?pageSize=200', headers: adminB.headers });
    const ids = list.json().items.map((o: { id: string }) => o.id);
    expect(ids).toContain(unitB.root.id);
    expect(ids).toContain(unitB.child.id);
    expect(ids).not.toContain(unitA.root.id);
    const tree = await t.app.inject({ url: '/api/organisations/tree', headers: adminB.headers });
    expect(tree.json().items).toHaveLength(1);
    expect(tree.json().items[0]).toMatchObject({ id: unitB.root.id, children: [{ id: unitB.child.id }] });
  });

  it('the management unit sees every organisation; lists filter, search literally and page', async () => {
    const res = await t.app.inject({ url: `/api/organisations?parentId=${unitA.root.id}&kind=user_unit&page=1&pageSize=1`, headers: sys.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ page: 1, pageSize: 1 });
    expect(res.json().total).toBeGreaterThanOrEqual(1);
    const q = await t.app.inject({ url: `/api/organisations?q=${encodeURIComponent(unitB.root.name)}`, headers: sys.headers });
    expect(q.json().items.map((o: { id: string }) => o.id)).toEqual([unitB.root.id]);
    const wildcard = await t.app.inject({ url: `/api/organisations?q=${encodeURIComponent('%')}`, headers: sys.headers });
    expect(wildcard.json().total).toBe(0);
  });

  it('rejects bad input naming the field', async () => {
    const cases: Array<[unknown, string, string?]> = [
      [{ kind: 'user_unit', name: 'x'.repeat(101) }, 'body.name', 'too_big'],
      [{ kind: 'planet', name: 'x' }, 'body.kind'],
      [{ kind: 'user_unit', name: 42 }, 'body.name', 'invalid_type'],
      [{ kind: 'user_unit', name: 'x', colour: 'red' }, 'body.colour', 'unknown_field'],
      [{ kind: 'user_unit', name: 'x', parentId: 'not-a-uuid' }, 'body.parentId'],
      [{ kind: 'user_unit', name: 'x', code: 'has space' }, 'body.code'],
    ];
    for (const [payload, field, rule] of cases) {
      const res = await t.app.inject({ method: 'POST', url: '/api/organisations', headers: sys.headers, payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      const issue = res.json().details.issues.find((i: { field: string }) => i.field === field);
      expect(issue, `${field} in ${res.body}`).toBeDefined();
      if (rule) expect(issue.rule).toBe(rule);
    }
    for (const qs of ['page=0', 'pageSize=201', 'page=1.5', 'pageSize=abc', 'unknown=1', 'kind=planet']) {
      const res = await t.app.inject({ url: `/api/organisations?${qs}`, headers: sys.headers });
      expect(res.statusCode, qs).toBe(400);
    }
    expect((await t.app.inject({ url: '/api/organisations/not-a-uuid', headers: sys.headers })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/organisations/${unitB.child.id}`, headers: sys.headers, payload: {} })).statusCode).toBe(400);
    const [rec] = await auditRecords(t, { action: 'request.rejected' });
    expect(rec).toMatchObject({ outcome: 'failure' });
  });

  it('stores SQL-looking names literally', async () => {
    const name = "x'); delete from users; --";
    const res = await t.app.inject({ method: 'POST', url: '/api/organisations', headers: sys.headers, payload: { kind: 'user_unit', name, parentId: unitB.root.id } });
    expect(res.statusCode).toBe(201);
    expect((await t.app.inject({ url: `/api/organisations/${res.json().id}`, headers: sys.headers })).json().name).toBe(name);
  });
});
