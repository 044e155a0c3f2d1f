import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { auditRecords, createOrg, createOrgTree, createUser, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

describe('roles, permission catalog and security policy', () => {
  let t: TestApp;
  let mgmt: TestOrg;
  let unitA: { root: TestOrg; child: TestOrg };
  let unitB: { root: TestOrg; child: TestOrg };
  let sec: Session;
  let sys: Session;
  let adminA: Session;
  let adminB: Session;

  beforeAll(async () => {
    t = await createTestApp();
    mgmt = await createOrg(t, { kind: 'management_unit' });
    unitA = await createOrgTree(t, 'user_unit');
    unitB = await createOrgTree(t, 'user_unit');
    sec = (await signedInUser(t, { orgId: mgmt.id, roles: ['security_admin'] })).session;
    sys = (await signedInUser(t, { orgId: mgmt.id, roles: ['system_admin'] })).session;
    adminA = (await signedInUser(t, { orgId: unitA.root.id, roles: ['unit_admin'] })).session;
    adminB = (await signedInUser(t, { orgId: unitB.root.id, roles: ['unit_admin'] })).session;
  });
  afterAll(async () => t.close());

  it('lists the permission catalog grouped by menu with Chinese and English names', async () => {
    const res = await t.app.inject({ url: '/api/permissions', headers: adminA.headers });
    expect(res.statusCode).toBe(200);
    const codes = res.json().map((p: { code: string }) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['org:read', 'org:write', 'user:read', 'user:write', 'role:read', 'role:write', 'role:assign', 'policy:read', 'policy:write', 'token:read', 'token:write', 'settings:read', 'settings:write', 'audit:read', 'audit:export']));
    expect(res.json()[0]).toMatchObject({ code: 'org:read', group: 'organisations', nameZh: '查看组织机构', nameEn: 'View organisations' });
  });

  it('lists built-in roles with their permissions and MFA requirement', async () => {
    const res = await t.app.inject({ url: '/api/roles?pageSize=200', headers: sec.headers });
    const byCode = new Map((res.json().items as Array<{ id: string; code: string }>).map((r) => [r.code, r]));
    expect(byCode.get('system_admin')).toMatchObject({ builtin: true, adminKind: 'system', requiresMfa: true, permissions: ['directory:read', 'directory:write', 'org:read', 'org:write', 'settings:read', 'settings:write', 'token:read', 'token:write', 'user:read', 'user:write'] });
    expect(byCode.get('audit_admin')).toMatchObject({ adminKind: 'audit', permissions: ['audit:export', 'audit:read'] });
    expect(byCode.get('unit_staff')).toMatchObject({ adminKind: null, requiresMfa: false, permissions: ['application:read', 'application:write', 'availability:read', 'billing:confirm', 'billing:read', 'budget:read', 'calendar:read', 'catalog:read', 'contract:read', 'directory:read', 'estimate:read', 'estimate:write', 'evaluation:advice', 'evaluation:read', 'inventory:read', 'ipam:read', 'ipam:request', 'kb:read', 'keyperiod:read', 'monitoring:read', 'org:read', 'price:read', 'security:read', 'system:read', 'system:write', 'ticket:create', 'ticket:read', 'workflow:read'] });
    expect(byCode.get('provider_admin')).toMatchObject({ requiresMfa: true });
    const detail = await t.app.inject({ url: `/api/roles/${(byCode.get('system_admin') as { id: string }).id}`, headers: sec.headers });
    expect(detail.json().abilities).toEqual({ update: false, delete: false, assign: true });
    const change = await t.app.inject({ method: 'PATCH', url: `/api/roles/${(byCode.get('system_admin') as { id: string }).id}`, headers: sec.headers, payload: { name: 'x' } });
    expect(change.json().code).toBe('roles.builtin_readonly');
  });

  it('a unit administrator defines roles within its own rights, in its own unit; administrative ones require TOTP', async () => {
    const beyond = await t.app.inject({ method: 'POST', url: '/api/roles', headers: adminA.headers, payload: { name: unique('r'), permissions: ['token:write'] } });
    expect(beyond.statusCode).toBe(403);
    expect(beyond.json()).toMatchObject({ code: 'access.permission_beyond_own', details: { permissions: ['token:write'] } });
    const res = await t.app.inject({ method: 'POST', url: '/api/roles', headers: adminA.headers, payload: { name: '科室管理员', nameEn: 'Section admin', permissions: ['user:read', 'user:write', 'org:read'] } });
    expect(res.statusCode).toBe(201);
    const role = res.json();
    expect(role).toMatchObject({ builtin: false, requiresMfa: true, org: { id: unitA.root.id }, abilities: { update: true, delete: true } });
    expect((await auditRecords(t, { action: 'roles.create', targetId: role.id })).length).toBe(1);
    const dup = await t.app.inject({ method: 'POST', url: '/api/roles', headers: adminA.headers, payload: { name: '科室管理员', permissions: ['org:read'] } });
    expect(dup.json().code).toBe('roles.name_taken');
    // Usable inside the unit's subtree.
    const u = await createUser(t, { orgId: unitA.child.id, roles: [] });
    const grant = await t.app.inject({ method: 'PUT', url: `/api/users/${u.id}/roles`, headers: adminA.headers, payload: { roleIds: [role.id] } });
    expect(grant.json().roles[0].id).toBe(role.id);
    const inUse = await t.app.inject({ method: 'DELETE', url: `/api/roles/${role.id}`, headers: adminA.headers });
    expect(inUse.json()).toMatchObject({ code: 'roles.in_use', details: { userCount: 1 } });
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/roles/${role.id}`, headers: adminA.headers, payload: { permissions: ['org:read'], description: '只读' } });
    expect(patch.json()).toMatchObject({ permissions: ['org:read'], requiresMfa: true, description: '只读' });
    await t.app.inject({ method: 'PUT', url: `/api/users/${u.id}/roles`, headers: adminA.headers, payload: { roleIds: [] } });
    const del = await t.app.inject({ method: 'DELETE', url: `/api/roles/${role.id}`, headers: adminA.headers });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ url: `/api/roles/${role.id}`, headers: adminA.headers })).statusCode).toBe(404);
    expect((await auditRecords(t, { action: 'roles.delete', targetId: role.id })).length).toBe(1);
  });

  it('unit B cannot see or change unit A’s roles: 404', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/roles', headers: adminA.headers, payload: { name: unique('r'), permissions: ['org:read'] } });
    const id = res.json().id;
    expect((await t.app.inject({ url: `/api/roles/${id}`, headers: adminB.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/roles/${id}`, headers: adminB.headers, payload: { name: 'x' } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/roles/${id}`, headers: adminB.headers })).statusCode).toBe(404);
    const list = await t.app.inject({ url: '/api/roles?pageSize=200', headers: adminB.headers });
    expect(list.json().items.map((r: { id: string }) => r.id)).not.toContain(id);
    const other = await t.app.inject({ method: 'POST', url: '/api/roles', headers: adminB.headers, payload: { name: unique('r'), orgId: unitA.root.id, permissions: ['org:read'] } });
    expect(other.statusCode).toBe(404);
    const bUser = await createUser(t, { orgId: unitB.root.id, roles: [] });
    const grant = await t.app.inject({ method: 'PUT', url: `/api/users/${bUser.id}/roles`, headers: adminB.headers, payload: { roleIds: [id] } });
    expect(grant.statusCode).toBe(404);
  });

  it('the security administrator defines any role except with the reserved permissions of the three administrators', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/roles', headers: sec.headers, payload: { name: unique('ops'), orgId: mgmt.id, permissions: ['settings:read', 'token:read'] } });
    expect(res.statusCode).toBe(201);
    expect(res.json().requiresMfa).toBe(false);
    const reserved = await t.app.inject({ method: 'POST', url: '/api/roles', headers: sec.headers, payload: { name: unique('aud'), orgId: mgmt.id, permissions: ['audit:read'] } });
    expect(reserved.json().code).toBe('access.permission_reserved');
    const policy = await t.app.inject({ method: 'POST', url: '/api/roles', headers: sec.headers, payload: { name: unique('pol'), orgId: mgmt.id, permissions: ['policy:write', 'settings:write'] } });
    expect(policy.json()).toMatchObject({ code: 'access.permission_reserved', details: { permissions: ['policy:write', 'settings:write'] } });
    const bad = await t.app.inject({ method: 'POST', url: '/api/roles', headers: sec.headers, payload: { name: 'x', permissions: ['root:everything'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.issues[0].field).toBe('body.permissions.0');
    const dup = await t.app.inject({ method: 'POST', url: '/api/roles', headers: sec.headers, payload: { name: 'x', permissions: ['org:read', 'org:read'] } });
    expect(dup.statusCode).toBe(400);
  });

  it('security policy: read and replaced by the security administrator only, validated, audited', async () => {
    const get = await t.app.inject({ url: '/api/security-policy', headers: sec.headers });
    expect(get.statusCode).toBe(200);
    const current = get.json();
    expect(current).toMatchObject({ passwordMinLength: 10, lockoutThreshold: 5, idleTimeoutMinutes: 30, auditRetentionDays: expect.any(Number) });
    const { updatedAt: _u, updatedBy: _b, ...body } = current;
    const tooShort = await t.app.inject({ method: 'PUT', url: '/api/security-policy', headers: sec.headers, payload: { ...body, auditRetentionDays: 90 } });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().details.issues[0]).toMatchObject({ field: 'body.auditRetentionDays', rule: 'too_small' });
    const asString = await t.app.inject({ method: 'PUT', url: '/api/security-policy', headers: sec.headers, payload: { ...body, lockoutThreshold: '5' } });
    expect(asString.json().details.issues[0]).toMatchObject({ field: 'body.lockoutThreshold', rule: 'invalid_type' });
    const missing = await t.app.inject({ method: 'PUT', url: '/api/security-policy', headers: sec.headers, payload: { passwordMinLength: 12 } });
    expect(missing.statusCode).toBe(400);
    const bySys = await t.app.inject({ method: 'PUT', url: '/api/security-policy', headers: sys.headers, payload: body });
    expect(bySys.statusCode).toBe(403);
    // Same values again (other test files share the policy): the write is still recorded.
    const put = await t.app.inject({ method: 'PUT', url: '/api/security-policy', headers: sec.headers, payload: body });
    expect(put.statusCode).toBe(200);
    expect(put.json().updatedBy).toMatchObject({ username: expect.any(String) });
    const [rec] = await auditRecords(t, { action: 'security_policy.update' });
    expect(rec).toMatchObject({ outcome: 'success' });
  });

  it('lists the roles an account of a unit can hold: built-in roles of its kind and custom roles of it or its ancestors', async () => {
    const custom = await t.app.inject({ method: 'POST', url: '/api/roles', headers: adminA.headers, payload: { name: unique('科室角色'), orgId: unitA.root.id, permissions: ['org:read'] } });
    expect(custom.statusCode).toBe(201);
    const res = await t.app.inject({ url: `/api/roles?pageSize=200&usableIn=${unitA.child.id}`, headers: adminA.headers });
    expect(res.statusCode).toBe(200);
    const codes = (res.json().items as Array<{ code: string | null; id: string }>).map((r) => r.code ?? r.id);
    expect(codes).toEqual(expect.arrayContaining(['unit_admin', 'unit_staff', custom.json().id]));
    expect(codes).not.toContain('provider_admin');
    expect(codes).not.toContain('system_admin');
    const other = await t.app.inject({ url: `/api/roles?pageSize=200&usableIn=${unitA.child.id}`, headers: adminB.headers });
    expect(other.json().items).toEqual([]);
  });
});
