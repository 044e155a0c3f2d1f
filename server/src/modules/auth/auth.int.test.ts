import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { auditRecords, createOrg, createUser, CSRF, nextTotpCode, signIn, TEST_PASSWORD, type TestOrg } from '../../test/fixtures.js';
import { totpCode, currentStep } from '../../platform/crypto/index.js';

describe('sign-in, sessions and the own account', () => {
  let t: TestApp;
  let unit: TestOrg;
  let owner: pg.Client;
  const login = (username: string, password: string, headers: Record<string, string> = CSRF) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', headers, payload: { username, password } });

  beforeAll(async () => {
    t = await createTestApp();
    unit = await createOrg(t, { kind: 'user_unit' });
    owner = new pg.Client({ connectionString: t.ownerUrl });
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
    await t.close();
  });

  it('signs in with password and sets a strict httpOnly session cookie', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_staff'] });
    const res = await login(u.username, u.password);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('signed_in');
    expect(res.json().me).toMatchObject({ username: u.username, org: { id: unit.id, kind: 'user_unit' }, permissions: ['application:read', 'application:write', 'availability:read', 'billing:confirm', 'billing:read', 'budget:read', 'calendar:read', 'catalog:read', 'contract:read', 'directory:read', 'estimate:read', 'estimate:write', 'evaluation:advice', 'evaluation:read', 'inventory:read', 'ipam:read', 'ipam:request', 'kb:read', 'keyperiod:read', 'monitoring:read', 'org:read', 'price:read', 'security:read', 'system:read', 'system:write', 'ticket:create', 'ticket:read', 'workflow:read'], adminKinds: [], mfaRequired: false, idleTimeoutMinutes: 30 });
    const cookie = res.cookies.find((c) => c.name === 'zy_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(cookie.path).toBe('/');
    const [rec] = await auditRecords(t, { action: 'auth.sign_in', targetId: u.id });
    expect(rec).toMatchObject({ outcome: 'success', actor_username: u.username });
    // The session id is stored as its SM3 hash, never in clear.
    const rows = await owner.query('select id_hash from sessions where user_id = $1', [u.id]);
    expect(rows.rows[0].id_hash).not.toBe(cookie.value);
    expect(rows.rows[0].id_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a wrong password with a clear error and an audit record; unknown users alike', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_staff'] });
    const res = await login(u.username, 'Wrong-password-1');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'auth.invalid_credentials', details: { remainingAttempts: 4 } });
    const [rec] = await auditRecords(t, { action: 'auth.sign_in', targetId: u.id });
    expect(rec).toMatchObject({ outcome: 'failure' });
    expect((rec!.details as { reason: string }).reason).toBe('wrong_password');
    const ghost = unique('ghost');
    const res2 = await login(ghost, 'whatever');
    expect(res2.statusCode).toBe(401);
    expect(res2.json().code).toBe('auth.invalid_credentials');
    const [rec2] = await auditRecords(t, { action: 'auth.sign_in', actorUsername: ghost });
    expect(rec2).toMatchObject({ outcome: 'failure' });
  });

  it('locks the account after the threshold, says until when, and the administrator can unlock it', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_staff'] });
    for (let i = 0; i < 4; i++) expect((await login(u.username, 'Nope-nope-1')).statusCode).toBe(401);
    const fifth = await login(u.username, 'Nope-nope-1');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('auth.account_locked');
    const until = Date.parse(fifth.json().details.lockedUntil);
    expect(until).toBeGreaterThan(Date.now() + 29 * 60_000);
    // Even the right password is refused while locked.
    const right = await login(u.username, u.password);
    expect(right.statusCode).toBe(423);
    const [rec] = await auditRecords(t, { action: 'auth.sign_in', targetId: u.id });
    expect((rec!.details as { reason: string }).reason).toBe('locked');
    const admin = await createUser(t, { orgId: unit.id, roles: ['unit_admin'] });
    const s = await signIn(t, admin);
    const locked = await t.app.inject({ url: `/api/users?status=locked&q=${u.username}`, headers: s.headers });
    expect(locked.json().items.map((x: { id: string }) => x.id)).toEqual([u.id]);
    const detail = await t.app.inject({ url: `/api/users/${u.id}`, headers: s.headers });
    expect(detail.json()).toMatchObject({ locked: true, abilities: { unlock: true } });
    const unlock = await t.app.inject({ method: 'POST', url: `/api/users/${u.id}/unlock`, headers: s.headers });
    expect(unlock.statusCode).toBe(200);
    expect(unlock.json().locked).toBe(false);
    expect((await login(u.username, u.password)).json().status).toBe('signed_in');
  });

  it('forces the change of an initial password, enforcing the policy with named rules and history', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_staff'], mustChangePassword: true });
    const res = await login(u.username, u.password);
    expect(res.json()).toMatchObject({ status: 'password_change_required', reason: 'initial' });
    const challenge = res.json().challenge as string;
    const change = (newPassword: string) => t.app.inject({ method: 'POST', url: '/api/auth/login/password', headers: CSRF, payload: { challenge, newPassword } });
    const short = await change('Ab1!');
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ code: 'auth.password_too_short', details: { minLength: 10, rule: 'too_short' } });
    expect(short.json().details.issues[0]).toMatchObject({ field: 'body.newPassword', rule: 'too_short' });
    expect((await change('abcdefghijklmn')).json().code).toBe('auth.password_too_few_classes');
    expect((await change(`${u.username}-Aa1!`)).json().code).toBe('auth.password_contains_username');
    expect((await change(TEST_PASSWORD)).json().code).toBe('auth.password_reused');
    const ok = await change('Brand-new-Passw0rd');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('signed_in');
    // The challenge is used up.
    expect((await change('Another-Passw0rd!')).json().code).toBe('auth.challenge_invalid');
    const recs = await auditRecords(t, { action: 'auth.password_change', targetId: u.id });
    expect(recs.filter((r) => r.outcome === 'failure').length).toBeGreaterThanOrEqual(4);
    expect(recs.some((r) => r.outcome === 'success')).toBe(true);
  });

  it('limits attempts on a challenge', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_staff'], mustChangePassword: true });
    const { challenge } = (await login(u.username, u.password)).json();
    for (let i = 0; i < 5; i++) await t.app.inject({ method: 'POST', url: '/api/auth/login/password', headers: CSRF, payload: { challenge, newPassword: 'short' } });
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login/password', headers: CSRF, payload: { challenge, newPassword: 'Brand-new-Passw0rd' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.challenge_invalid');
  });

  it('asks for a new password when the old one expired', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_staff'] });
    await owner.query(`update users set password_changed_at = now() - interval '91 days' where id = $1`, [u.id]);
    const res = await login(u.username, u.password);
    expect(res.json()).toMatchObject({ status: 'password_change_required', reason: 'expired' });
    const s = await signIn(t, u);
    expect(Date.parse(s.me.passwordExpiresAt as string)).toBeGreaterThan(Date.now() + 89 * 86_400_000);
  });

  it('asks for the second factor before a forced password change', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_staff'], mfa: true });
    await owner.query(`update users set password_changed_at = now() - interval '91 days' where id = $1`, [u.id]);
    const first = await login(u.username, u.password);
    expect(first.json().status).toBe('mfa_required');
    const second = await t.app.inject({ method: 'POST', url: '/api/auth/login/mfa', headers: CSRF, payload: { challenge: first.json().challenge, code: await nextTotpCode(u.totpSecret!) } });
    expect(second.json()).toMatchObject({ status: 'password_change_required', reason: 'expired' });
    const third = await t.app.inject({ method: 'POST', url: '/api/auth/login/password', headers: CSRF, payload: { challenge: second.json().challenge, newPassword: 'Brand-new-Passw0rd' } });
    expect(third.json().status).toBe('signed_in');
  });

  it('enrols TOTP when a role requires it, then asks for codes and refuses wrong and replayed ones', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_admin'], mfa: false });
    const res = await login(u.username, u.password);
    expect(res.json()).toMatchObject({ status: 'mfa_enrolment_required' });
    const { challenge, secret, otpauthUri } = res.json();
    expect(otpauthUri).toContain(`secret=${secret}`);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login/mfa', headers: CSRF, payload: { challenge, code: '000000' === totpCode(secret, currentStep()) ? '111111' : '000000' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('auth.mfa_invalid_code');
    const code = await nextTotpCode(secret);
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/login/mfa', headers: CSRF, payload: { challenge, code } });
    expect(ok.json().status).toBe('signed_in');
    expect(ok.json().me).toMatchObject({ mfaEnabled: true, mfaRequired: true });
    expect((await auditRecords(t, { action: 'auth.mfa_enrol', targetId: u.id }))[0]).toMatchObject({ outcome: 'success' });

    // Next sign-in: the code just used is refused as a replay.
    const again = await login(u.username, u.password);
    expect(again.json().status).toBe('mfa_required');
    const replay = await t.app.inject({ method: 'POST', url: '/api/auth/login/mfa', headers: CSRF, payload: { challenge: again.json().challenge, code } });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('auth.mfa_code_reused');
    const [rec] = await auditRecords(t, { action: 'auth.mfa', targetId: u.id });
    expect((rec!.details as { reason: string }).reason).toBe('replay');
    const fresh = await t.app.inject({ method: 'POST', url: '/api/auth/login/mfa', headers: CSRF, payload: { challenge: again.json().challenge, code: await nextTotpCode(secret) } });
    expect(fresh.json().status).toBe('signed_in');
  });

  it('times out idle sessions and audits forged ones', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_staff'] });
    const s = await signIn(t, u);
    expect((await t.app.inject({ url: '/api/auth/me', headers: s.headers })).statusCode).toBe(200);
    await owner.query(`update sessions set last_seen_at = now() - interval '31 minutes' where user_id = $1`, [u.id]);
    const idle = await t.app.inject({ url: '/api/organisations', headers: s.headers });
    expect(idle.statusCode).toBe(401);
    expect(idle.json()).toMatchObject({ code: 'auth.session_expired', details: { reason: 'idle' } });
    // Revoked for good: even fresh activity does not revive it.
    await owner.query(`update sessions set last_seen_at = now() where user_id = $1`, [u.id]);
    expect((await t.app.inject({ url: '/api/auth/me', headers: s.headers })).json().code).toBe('auth.session_invalid');

    const forged = await t.app.inject({ url: '/api/organisations', headers: { cookie: 'zy_session=forged-value-123', 'x-request-id': `forged-${unique()}` } });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().code).toBe('auth.session_invalid');
    const [rec] = await auditRecords(t, { requestId: forged.json().requestId });
    expect(rec).toMatchObject({ action: 'auth.authenticate', outcome: 'failure' });
    const none = await t.app.inject({ url: '/api/organisations' });
    expect(none.json().code).toBe('auth.required');
  });

  it('ends sessions after their absolute maximum age', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_staff'] });
    const s = await signIn(t, u);
    await owner.query(`update sessions set expires_at = now() - interval '1 second' where user_id = $1`, [u.id]);
    const res = await t.app.inject({ url: '/api/auth/me', headers: s.headers });
    expect(res.json()).toMatchObject({ code: 'auth.session_expired', details: { reason: 'max_age' } });
  });

  it('slides last_seen_at (throttled to once a minute)', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_staff'] });
    const s = await signIn(t, u);
    await owner.query(`update sessions set last_seen_at = now() - interval '5 minutes' where user_id = $1`, [u.id]);
    await t.app.inject({ url: '/api/auth/me', headers: s.headers });
    const r = await owner.query(`select extract(epoch from now() - last_seen_at) as age from sessions where user_id = $1`, [u.id]);
    expect(Number(r.rows[0].age)).toBeLessThan(5);
  });

  it('rejects cookie-authenticated writes without the CSRF header', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_staff'] });
    const s = await signIn(t, u);
    const res = await t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: { cookie: s.cookie }, payload: { displayName: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.csrf_header_missing');
    const login2 = await login(u.username, u.password, {});
    expect(login2.json().code).toBe('auth.csrf_header_missing');
  });

  it('signs out', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_staff'] });
    const s = await signIn(t, u);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: s.headers })).statusCode).toBe(401);
    expect((await auditRecords(t, { action: 'auth.sign_out', targetId: u.id })).length).toBe(1);
  });

  it('refuses disabled accounts and members of disabled organisations', async () => {
    const sub = await createOrg(t, { kind: 'user_unit', parentId: unit.id });
    const u = await createUser(t, { orgId: sub.id, roles: ['unit_staff'] });
    const s = await signIn(t, u);
    await owner.query(`update organisations set status = 'disabled' where id = $1`, [sub.id]);
    expect((await t.app.inject({ url: '/api/auth/me', headers: s.headers })).statusCode).toBe(401);
    expect((await login(u.username, u.password)).json().code).toBe('auth.organisation_disabled');
    await owner.query(`update organisations set status = 'active' where id = $1`, [sub.id]);
    await owner.query(`update users set status = 'disabled' where id = $1`, [u.id]);
    expect((await login(u.username, u.password)).json().code).toBe('auth.account_disabled');
  });

  it('me: profile with SM4-encrypted contact data, own password change, validation', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_staff'] });
    const s = await signIn(t, u);
    const patch = await t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: s.headers, payload: { displayName: '张三', email: 'zhang@example.gov.cn', phone: '13812345678' } });
    expect(patch.statusCode).toBe(200);
    expect(patch.json()).toMatchObject({ displayName: '张三', email: 'zhang@example.gov.cn', phone: '13812345678' });
    const stored = await owner.query('select email_enc, phone_enc from users where id = $1', [u.id]);
    expect(stored.rows[0].email_enc).toMatch(/^sm4:v1:/);
    expect(stored.rows[0].email_enc).not.toContain('zhang');
    const bad = await t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: s.headers, payload: { email: 'not-an-email', extra: 1 } });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['body.email', 'body.extra']));

    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/me/password', headers: s.headers, payload: { currentPassword: 'nope', newPassword: 'Brand-new-Passw0rd' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('auth.wrong_current_password');
    const reused = await t.app.inject({ method: 'POST', url: '/api/auth/me/password', headers: s.headers, payload: { currentPassword: u.password, newPassword: u.password } });
    expect(reused.json().code).toBe('auth.password_reused');
    const other = await signIn(t, u);
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/me/password', headers: s.headers, payload: { currentPassword: u.password, newPassword: 'Brand-new-Passw0rd' } });
    expect(ok.statusCode).toBe(200);
    // Other sessions end; this one goes on.
    expect((await t.app.inject({ url: '/api/auth/me', headers: other.headers })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/auth/me', headers: s.headers })).statusCode).toBe(200);
    expect((await login(u.username, 'Brand-new-Passw0rd')).json().status).toBe('signed_in');
  });

  it('me: sets up, confirms and removes TOTP; refuses removal while a role requires it', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_staff'] });
    const s = await signIn(t, u);
    const setup = await t.app.inject({ method: 'POST', url: '/api/auth/me/mfa/setup', headers: s.headers });
    expect(setup.statusCode).toBe(200);
    const { secret } = setup.json();
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/me/mfa/confirm', headers: s.headers, payload: { code: '12345' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.issues[0].field).toBe('body.code');
    const code = await nextTotpCode(secret);
    const confirm = await t.app.inject({ method: 'POST', url: '/api/auth/me/mfa/confirm', headers: s.headers, payload: { code } });
    expect(confirm.json().mfaEnabled).toBe(true);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/auth/me/mfa', headers: s.headers, payload: { code } })).json().code).toBe('auth.mfa_invalid_code');
    const off = await t.app.inject({ method: 'DELETE', url: '/api/auth/me/mfa', headers: s.headers, payload: { code: await nextTotpCode(secret) } });
    expect(off.json().mfaEnabled).toBe(false);

    const admin = await createUser(t, { orgId: unit.id, roles: ['unit_admin'] });
    const sa = await signIn(t, admin);
    const refused = await t.app.inject({ method: 'DELETE', url: '/api/auth/me/mfa', headers: sa.headers, payload: { code: await nextTotpCode(admin.totpSecret!) } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('auth.mfa_required_by_role');
  });

  it('purges expired challenges and long-ended sessions', async () => {
    const u = await createUser(t, { orgId: unit.id, roles: ['unit_staff'], mustChangePassword: true });
    await login(u.username, u.password);
    await owner.query(`update auth_challenges set expires_at = now() - interval '1 minute' where user_id = $1`, [u.id]);
    await t.container.authService.purgeExpired();
    const left = await owner.query('select count(*)::int as n from auth_challenges where user_id = $1', [u.id]);
    expect(left.rows[0].n).toBe(0);
  });

  it('the management unit and the supervision provider see every organisation; others their own subtree', async () => {
    const mgmt = await createOrg(t, { kind: 'management_unit' });
    const sup = await createOrg(t, { kind: 'supervision_provider' });
    const staff = await signIn(t, await createUser(t, { orgId: mgmt.id, roles: ['mgmt_staff'] }));
    const supervisor = await signIn(t, await createUser(t, { orgId: sup.id, roles: ['supervisor_staff'] }));
    for (const s of [staff, supervisor]) {
      const res = await t.app.inject({ url: `/api/organisations/${unit.id}`, headers: s.headers });
      expect(res.statusCode).toBe(200);
      expect(res.json().abilities).toEqual({ update: false, disable: false, enable: false, createChild: false });
    }
    const other = await createOrg(t, { kind: 'user_unit' });
    const unitStaff = await signIn(t, await createUser(t, { orgId: unit.id, roles: ['unit_staff'] }));
    expect((await t.app.inject({ url: `/api/organisations/${other.id}`, headers: unitStaff.headers })).statusCode).toBe(404);
  });

  it('bad input on sign-in: wrong types, unknown fields, over-long and SQL-looking values', async () => {
    const wrongType = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: CSRF, payload: { username: 123, password: ['x'] } });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().details.issues.map((i: { field: string }) => i.field)).toEqual(expect.arrayContaining(['body.username', 'body.password']));
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: CSRF, payload: { username: 'a', password: 'b', admin: true } });
    expect(unknown.json().details.issues[0]).toMatchObject({ field: 'body.admin', rule: 'unknown_field' });
    const long = await login('x'.repeat(65), 'y');
    expect(long.json().details.issues[0].field).toBe('body.username');
    const sql = await login("admin' OR '1'='1", "' OR 1=1 --");
    expect(sql.statusCode).toBe(401);
    expect(sql.json().code).toBe('auth.invalid_credentials');
    const malformed = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { ...CSRF, 'content-type': 'application/json' }, payload: '{"username":' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('validation.malformed_json');
  });
});
