import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, createTestApp, type TestApp } from '../../test/harness.js';
import { CSRF, signIn } from '../../test/fixtures.js';
import { createAdminAccount, DEFAULT_MANAGEMENT_UNIT } from './index.js';

describe('zhengyun admin create', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let t: TestApp;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    t = await createTestApp({ databaseUrl: scratch.url });
  });
  afterAll(async () => {
    await t.close();
    await scratch.drop();
  });

  it('creates the management unit on an empty database, then an administrator who must change the password and enrol TOTP', async () => {
    const { organisations, access } = t.container;
    const r = await createAdminAccount(t.deps.db, organisations, access, { username: 'sysadmin', displayName: '系统管理员', role: 'system_admin' });
    expect(r).toMatchObject({ createdManagementUnit: true, orgName: DEFAULT_MANAGEMENT_UNIT.name, role: 'system_admin' });
    expect(r.generatedPassword).toMatch(/^.{16}$/);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: CSRF, payload: { username: 'sysadmin', password: r.generatedPassword } });
    expect(login.json()).toMatchObject({ status: 'password_change_required', reason: 'initial' });
    const user = { username: 'sysadmin', password: r.generatedPassword!, totpSecret: null as string | null };
    const s = await signIn(t, user);
    expect(user.totpSecret).not.toBeNull();
    expect(s.me).toMatchObject({ adminKinds: ['system'], mfaEnabled: true, org: { name: DEFAULT_MANAGEMENT_UNIT.name, kind: 'management_unit' } });

    const second = await createAdminAccount(t.deps.db, organisations, access, { username: 'secadmin', displayName: '安全管理员', role: 'security_admin', org: DEFAULT_MANAGEMENT_UNIT.code, password: 'Chosen-Passw0rd!' });
    expect(second).toMatchObject({ createdManagementUnit: false, generatedPassword: null });
    await expect(createAdminAccount(t.deps.db, organisations, access, { username: 'weak', displayName: 'x', role: 'audit_admin', password: 'short' })).rejects.toMatchObject({ code: 'auth.password_too_short' });
    await expect(createAdminAccount(t.deps.db, organisations, access, { username: 'xx1', displayName: 'x', role: 'nope' })).rejects.toMatchObject({ code: 'roles.not_found' });
    await expect(createAdminAccount(t.deps.db, organisations, access, { username: 'xx2', displayName: 'x', role: 'unit_staff' })).rejects.toMatchObject({ code: 'access.role_wrong_organisation' });
    await expect(createAdminAccount(t.deps.db, organisations, access, { username: 'xx3', displayName: 'x', role: 'audit_admin', org: 'NO-SUCH' })).rejects.toMatchObject({ code: 'organisations.not_found' });
    await expect(createAdminAccount(t.deps.db, organisations, access, { username: 'a b', displayName: 'x', role: 'audit_admin' })).rejects.toMatchObject({ code: 'users.invalid_username' });
  });
});
