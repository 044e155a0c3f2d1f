import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { auditRecords, createOrg, createOrgTree, createUser, CSRF, nextTotpCode, signedInUser, signIn, type Session, type TestOrg } from '../../test/fixtures.js';
import { withTx } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/context.js';

describe('users and role assignment', () => {
  let t: TestApp;
  let mgmt: TestOrg;
  let unitA: { root: TestOrg; child: TestOrg };
  let unitB: { root: TestOrg; child: TestOrg };
  let sys: Session;
  let sec: Session;
  let secUserId: string;
  let audit: Session;
  let adminA: Session;
  let adminAId: string;
  const roleId = async (s: Session, code: string) => {
    const res = await t.app.inject({ url: `/api/roles?q=${code}&pageSize=200`, headers: s.headers });
    return (res.json().items as Array<{ id: string; code: string }>).find((r) => r.code === code)!.id;
  };

  beforeAll(async () => {
    t = await createTestApp();
    mgmt = await createOrg(t, { kind: 'management_unit' });
    unitA = await createOrgTree(t, 'user_unit');
    unitB = await createOrgTree(t, 'user_unit');
    sys = (await signedInUser(t, { orgId: mgmt.id, roles: ['system_admin'] })).session;
    const s = await signedInUser(t, { orgId: mgmt.id, roles: ['security_admin'] });
    sec = s.session;
    secUserId = s.user.id;
    audit = (await signedInUser(t, { orgId: mgmt.id, roles: ['audit_admin'] })).session;
    const a = await signedInUser(t, { orgId: unitA.root.id, roles: ['unit_admin'] });
    adminA = a.session;
    adminAId = a.user.id;
  });
  afterAll(async () => t.close());

  it('creates a user with an initial password shown once, to be changed at first sign-in', async () => {
    const username = unique('new');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: adminA.headers,
      payload: { orgId: unitA.child.id, username, displayName: '李四', email: 'li.si@example.gov.cn', phone: '13900001111', roleIds: [await roleId(adminA, 'unit_staff')] },
    });
    expect(res.statusCode).toBe(201);
    const { user, initialPassword } = res.json();
    expect(initialPassword).toMatch(/^.{16}$/);
    expect(user).toMatchObject({ username, mustChangePassword: true, email: 'li.si@example.gov.cn', contactMasked: false, roles: [{ code: 'unit_staff' }], org: { id: unitA.child.id } });
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: CSRF, payload: { username, password: initialPassword } });
    expect(login.json()).toMatchObject({ status: 'password_change_required', reason: 'initial' });
    expect((await auditRecords(t, { action: 'users.create', targetId: user.id }))[0]).toMatchObject({ outcome: 'success' });
    const roles = await auditRecords(t, { action: 'users.set_roles', targetId: user.id });
    expect(roles[0]!.after).toEqual({ roles: ['unit_staff'] });
    // Personal data is SM4-encrypted at rest and masked in the audit record.
    expect(JSON.stringify((await auditRecords(t, { action: 'users.create', targetId: user.id }))[0])).not.toContain('li.si@');
    const dup = await t.app.inject({ method: 'POST', url: '/api/users', headers: adminA.headers, payload: { orgId: unitA.child.id, username: username.toUpperCase(), displayName: 'x' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('users.username_taken');
  });

  it('masks contact data for viewers who may not administer the account', async () => {
    const u = await createUser(t, { orgId: unitA.child.id, roles: ['unit_staff'], email: 'wang.wu@example.gov.cn', phone: '13812345678' });
    const asAdmin = await t.app.inject({ url: `/api/users/${u.id}`, headers: adminA.headers });
    expect(asAdmin.json()).toMatchObject({ email: 'wang.wu@example.gov.cn', phone: '13812345678', contactMasked: false });
    const asSec = await t.app.inject({ url: `/api/users/${u.id}`, headers: sec.headers });
    expect(asSec.json()).toMatchObject({ email: 'w***@example.gov.cn', phone: '138****5678', contactMasked: true, abilities: { update: false, assignRoles: true } });
    const list = await t.app.inject({ url: `/api/users?orgId=${unitA.child.id}&q=${u.username}`, headers: sec.headers });
    expect(list.json().items[0].email).toBe('w***@example.gov.cn');
  });

  it('resets passwords, disables, enables and resets MFA, each audited', async () => {
    const u = await createUser(t, { orgId: unitA.child.id, roles: ['unit_staff'], mfa: true });
    const s = await signIn(t, u);
    const reset = await t.app.inject({ method: 'POST', url: `/api/users/${u.id}/reset-password`, headers: adminA.headers });
    expect(reset.statusCode).toBe(200);
    const pw = reset.json().initialPassword as string;
    // The old session ends; the next sign-in must change the reset password.
    expect((await t.app.inject({ url: '/api/auth/me', headers: s.headers })).statusCode).toBe(401);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: CSRF, payload: { username: u.username, password: pw } });
    expect(login.json().status).toBe('mfa_required');
    const afterMfa = await t.app.inject({ method: 'POST', url: '/api/auth/login/mfa', headers: CSRF, payload: { challenge: login.json().challenge, code: await nextTotpCode(u.totpSecret!) } });
    expect(afterMfa.json()).toMatchObject({ status: 'password_change_required', reason: 'reset' });
    const mfa = await t.app.inject({ method: 'POST', url: `/api/users/${u.id}/reset-mfa`, headers: adminA.headers });
    expect(mfa.json().mfaEnabled).toBe(false);
    const off = await t.app.inject({ method: 'POST', url: `/api/users/${u.id}/disable`, headers: adminA.headers });
    expect(off.json()).toMatchObject({ status: 'disabled', abilities: { enable: true, disable: false } });
    const on = await t.app.inject({ method: 'POST', url: `/api/users/${u.id}/enable`, headers: adminA.headers });
    expect(on.json().status).toBe('active');
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/users/${u.id}`, headers: adminA.headers, payload: { displayName: "Robert'); DROP TABLE users;--" } });
    expect(patch.json().displayName).toBe("Robert'); DROP TABLE users;--");
    for (const action of ['users.reset_password', 'users.reset_mfa', 'users.disable', 'users.enable', 'users.update']) {
      expect((await auditRecords(t, { action, targetId: u.id })).length, action).toBe(1);
    }
  });

  it('hierarchical administration: nobody administers themselves, more powerful users, or other units (404)', async () => {
    const self = await t.app.inject({ method: 'POST', url: `/api/users/${adminAId}/disable`, headers: adminA.headers });
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('access.cannot_manage_self');
    const peer = await createUser(t, { orgId: unitA.child.id, roles: ['unit_admin'] });
    expect((await t.app.inject({ method: 'POST', url: `/api/users/${peer.id}/reset-password`, headers: adminA.headers })).statusCode).toBe(200);
    const b = await createUser(t, { orgId: unitB.child.id, roles: ['unit_staff'] });
    for (const [method, url] of [['GET', `/api/users/${b.id}`], ['PATCH', `/api/users/${b.id}`], ['POST', `/api/users/${b.id}/reset-password`], ['POST', `/api/users/${b.id}/disable`], ['PUT', `/api/users/${b.id}/roles`]] as const) {
      const payload = method === 'PATCH' ? { displayName: 'x' } : method === 'PUT' ? { roleIds: [] } : undefined;
      const res = await t.app.inject({ method, url, headers: adminA.headers, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const create = await t.app.inject({ method: 'POST', url: '/api/users', headers: adminA.headers, payload: { orgId: unitB.root.id, username: unique('x'), displayName: 'x' } });
    expect(create.statusCode).toBe(404);
    const list = await t.app.inject({ url: '/api/users?pageSize=200', headers: adminA.headers });
    expect(list.json().items.every((u: { org: { id: string } }) => [unitA.root.id, unitA.child.id].includes(u.org.id))).toBe(true);
    const filtered = await t.app.inject({ url: `/api/users?orgId=${unitB.root.id}`, headers: adminA.headers });
    expect(filtered.json().total).toBe(0);
  });

  it('role:assign holders grant only roles within their own rights; nobody changes their own roles', async () => {
    const u = await createUser(t, { orgId: unitA.child.id, roles: ['unit_staff'] });
    const own = await t.app.inject({ method: 'PUT', url: `/api/users/${adminAId}/roles`, headers: adminA.headers, payload: { roleIds: [] } });
    expect(own.json().code).toBe('access.cannot_change_own_roles');
    const secRole = await roleId(sec, 'security_admin');
    const tooMuch = await t.app.inject({ method: 'PUT', url: `/api/users/${u.id}/roles`, headers: adminA.headers, payload: { roleIds: [secRole] } });
    expect(tooMuch.statusCode).toBe(403);
    expect(tooMuch.json().code).toBe('access.role_not_assignable');
    const wrongKind = await t.app.inject({ method: 'PUT', url: `/api/users/${u.id}/roles`, headers: adminA.headers, payload: { roleIds: [await roleId(adminA, 'data_user')] } });
    expect(wrongKind.json().code).toBe('access.role_wrong_organisation');
    const ok = await t.app.inject({ method: 'PUT', url: `/api/users/${u.id}/roles`, headers: adminA.headers, payload: { roleIds: [await roleId(adminA, 'unit_admin')] } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().roles.map((r: { code: string }) => r.code)).toEqual(['unit_admin']);
    // The system administrator manages accounts but does not assign roles (三员分立).
    const bySys = await t.app.inject({ method: 'PUT', url: `/api/users/${u.id}/roles`, headers: sys.headers, payload: { roleIds: [] } });
    expect(bySys.statusCode).toBe(403);
    const repeated = await t.app.inject({ method: 'PUT', url: `/api/users/${u.id}/roles`, headers: adminA.headers, payload: { roleIds: [secRole, secRole] } });
    expect(repeated.statusCode).toBe(400);
  });

  it('three-admin separation: the security administrator assigns any role but never two administrator kinds or to themselves', async () => {
    const u = await createUser(t, { orgId: mgmt.id, roles: [] });
    const [sysRole, secRole, auditRole, staffRole] = await Promise.all(['system_admin', 'security_admin', 'audit_admin', 'mgmt_staff'].map((c) => roleId(sec, c)));
    const two = await t.app.inject({ method: 'PUT', url: `/api/users/${u.id}/roles`, headers: sec.headers, payload: { roleIds: [sysRole, auditRole] } });
    expect(two.statusCode).toBe(409);
    expect(two.json()).toMatchObject({ code: 'access.three_admin_separation', details: { adminKinds: expect.arrayContaining(['system', 'audit']) } });
    const mixed = await t.app.inject({ method: 'PUT', url: `/api/users/${u.id}/roles`, headers: sec.headers, payload: { roleIds: [auditRole, staffRole] } });
    expect(mixed.json().code).toBe('access.admin_role_exclusive');
    const ok = await t.app.inject({ method: 'PUT', url: `/api/users/${u.id}/roles`, headers: sec.headers, payload: { roleIds: [auditRole] } });
    expect(ok.json()).toMatchObject({ adminKinds: ['audit'], permissions: ['audit:export', 'audit:read'] });
    const self = await t.app.inject({ method: 'PUT', url: `/api/users/${secUserId}/roles`, headers: sec.headers, payload: { roleIds: [secRole, sysRole] } });
    expect(self.json().code).toBe('access.cannot_change_own_roles');
    expect((await auditRecords(t, { action: 'request.rejected', targetId: 'PUT /api/users/:id/roles' })).length).toBeGreaterThan(0);
  });

  it('the audit administrator can do nothing but read the audit log; administrators are not business users', async () => {
    const me = await t.app.inject({ url: '/api/auth/me', headers: audit.headers });
    expect(me.json()).toMatchObject({ adminKinds: ['audit'], permissions: ['audit:export', 'audit:read'] });
    for (const [method, url] of [['GET', '/api/users'], ['GET', '/api/organisations'], ['GET', '/api/roles'], ['GET', '/api/security-policy'], ['GET', '/api/api-tokens'], ['POST', '/api/users']] as const) {
      const res = await t.app.inject({ method, url, headers: audit.headers, ...(method === 'POST' ? { payload: { orgId: mgmt.id, username: unique('x'), displayName: 'x' } } : {}) });
      expect(res.statusCode, url).toBe(403);
    }
    // The security administrator cannot create accounts; the system administrator cannot change the policy.
    expect((await t.app.inject({ method: 'POST', url: '/api/users', headers: sec.headers, payload: { orgId: mgmt.id, username: unique('x'), displayName: 'x' } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/security-policy', headers: sys.headers })).statusCode).toBe(403);
  });

  it('creates LDAP accounts without a password and refuses bad input naming the field', async () => {
    const ldap = await t.app.inject({ method: 'POST', url: '/api/users', headers: sys.headers, payload: { orgId: unitB.root.id, username: unique('ldap'), displayName: 'L', authSource: 'ldap' } });
    expect(ldap.statusCode).toBe(201);
    expect(ldap.json()).toMatchObject({ initialPassword: null, user: { authSource: 'ldap', mustChangePassword: false } });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ orgId: unitB.root.id, username: 'a b', displayName: 'x' }, 'body.username'],
      [{ orgId: unitB.root.id, username: 'x'.repeat(65), displayName: 'x' }, 'body.username'],
      [{ orgId: unitB.root.id, username: unique('v'), displayName: 'x'.repeat(51) }, 'body.displayName'],
      [{ orgId: unitB.root.id, username: unique('v'), displayName: 'x', email: 'nope' }, 'body.email'],
      [{ orgId: unitB.root.id, username: unique('v'), displayName: 'x', phone: "1'; --" }, 'body.phone'],
      [{ orgId: unitB.root.id, username: unique('v'), displayName: 'x', isAdmin: true }, 'body.isAdmin'],
      [{ orgId: 7, username: unique('v'), displayName: 'x' }, 'body.orgId'],
      [{ orgId: unitB.root.id, username: unique('v'), displayName: 'x', roleIds: 'all' }, 'body.roleIds'],
    ];
    for (const [payload, field] of cases) {
      const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: sys.headers, payload });
      expect(res.statusCode, field).toBe(400);
      expect(res.json().details.issues.map((i: { field: string }) => i.field), field).toContain(field);
    }
    expect((await t.app.inject({ url: '/api/users?status=gone', headers: sys.headers })).statusCode).toBe(400);
  });

  it('row-level security is the backstop: users of another organisation are invisible even without a filter', async () => {
    const b = await createUser(t, { orgId: unitB.root.id, roles: ['unit_staff'] });
    const ctx: RequestContext = {
      requestId: 'rls-test',
      ip: null,
      userAgent: null,
      actor: {
        kind: 'user', userId: null, tokenId: null, sessionId: null, username: 'x', orgId: unitA.root.id, orgKind: 'user_unit',
        permissions: new Set(), adminKinds: new Set(), scope: { all: false, roots: [unitA.root.id] }, businessAccess: true,
      },
    };
    const rows = await withTx(t.deps.db, ctx, (trx) => trx.selectFrom('users').select('id').where('orgId', 'in', [unitA.root.id, unitB.root.id]).execute());
    expect(rows.map((r) => r.id)).not.toContain(b.id);
    expect(rows.length).toBeGreaterThan(0);
    const orgs = await withTx(t.deps.db, ctx, (trx) => trx.selectFrom('organisations').select('id').where('id', '=', unitB.root.id).execute());
    expect(orgs).toEqual([]);
    // Fail closed: a transaction without scope settings sees no tenant row at all.
    const bare = await t.deps.db.transaction().execute((trx) => sql<{ n: string }>`select count(*) as n from users`.execute(trx));
    expect(bare.rows[0]!.n).toBe('0');
    // A direct write into another organisation is refused by the policy's WITH CHECK.
    await expect(
      withTx(t.deps.db, ctx, (trx) => trx.insertInto('users').values({ orgId: unitB.root.id, username: unique('rls'), displayName: 'x' }).execute()),
    ).rejects.toThrow(/row-level security/);
    const owner = new pg.Client({ connectionString: t.ownerUrl });
    await owner.connect();
    const all = await owner.query('select count(*)::int as n from users where org_id = $1', [unitB.root.id]);
    await owner.end();
    expect(all.rows[0].n).toBeGreaterThan(0);
  });
});
