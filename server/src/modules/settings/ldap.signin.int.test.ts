import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { withTx } from '../../platform/db/database.js';
import { CSRF, createOrg, signedInUser, type Session } from '../../test/fixtures.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { BASE_DN, SERVICE_DN, SERVICE_PASSWORD, USERS, freePort, lockLdapSettings, startSlapd, type Slapd } from './slapd.fixture.js';

/*
 * End to end on the real application: the three separated administrators' sessions against the settings API, and
 * an account with auth_source 'ldap' signing in through POST /api/auth/login against a real slapd.
 */

let slapd: Slapd;
let t: TestApp;
let owner: pg.Client;
let systemAdmin: Session;
let securityAdmin: Session;
let auditAdmin: Session;
let unitOrgId: string;

function settingsBody(over: Record<string, unknown> = {}) {
  return {
    enabled: true,
    url: slapd.url,
    startTls: false,
    tlsRejectUnauthorized: true,
    bindDn: SERVICE_DN,
    bindPassword: SERVICE_PASSWORD,
    userSearchBase: BASE_DN,
    userFilter: '(uid={username})',
    attributes: { displayName: 'cn', email: 'mail', phone: 'telephoneNumber' },
    timeoutMs: 3000,
    ...over,
  };
}

const putSettings = (session: Session, body: unknown) =>
  t.app.inject({ method: 'PUT', url: '/api/settings/ldap', headers: session.headers, payload: body as object });

const login = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', headers: CSRF, payload: { username, password } });

async function createLdapAccount(username: string): Promise<string> {
  const ctx = systemContext('ldap-test');
  return withTx(t.deps.db, ctx, (trx) =>
    t.container.access.createUserIn(trx, ctx, {
      orgId: unitOrgId,
      username,
      displayName: `LDAP ${username}`,
      authSource: 'ldap',
      password: null,
      mustChangePassword: false,
      roleCodes: ['unit_staff'],
    }),
  );
}

async function failedAttempts(userId: string): Promise<number> {
  const r = await owner.query<{ failed_attempts: number }>('select failed_attempts from users where id = $1', [userId]);
  return r.rows[0]!.failed_attempts;
}

beforeAll(async () => {
  slapd = await startSlapd();
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  await lockLdapSettings(owner);
  const mgmt = await createOrg(t, { kind: 'management_unit' });
  systemAdmin = (await signedInUser(t, { orgId: mgmt.id, roles: ['system_admin'] })).session;
  securityAdmin = (await signedInUser(t, { orgId: mgmt.id, roles: ['security_admin'] })).session;
  auditAdmin = (await signedInUser(t, { orgId: mgmt.id, roles: ['audit_admin'] })).session;
  unitOrgId = (await createOrg(t, { kind: 'user_unit' })).id;
});

afterAll(async () => {
  await owner?.end();
  await t?.close();
  await slapd?.stop();
});

describe('LDAP settings and the three administrators (三员分立)', () => {
  it('lets the system administrator read, change and test them', async () => {
    const put = await putSettings(systemAdmin, settingsBody());
    expect(put.statusCode, put.body).toBe(200);
    expect(put.body).not.toContain(SERVICE_PASSWORD);
    const get = await t.app.inject({ method: 'GET', url: '/api/settings/ldap', headers: systemAdmin.headers });
    expect(get.json()).toMatchObject({ enabled: true, bindPasswordSet: true });
    const test = await t.app.inject({ method: 'POST', url: '/api/settings/ldap/test', headers: systemAdmin.headers, payload: { username: 'alice', password: USERS.alice.password } });
    expect(test.json()).toMatchObject({ ok: true, dn: USERS.alice.dn });
  });

  it('refuses the security and audit administrators', async () => {
    for (const session of [securityAdmin, auditAdmin]) {
      expect((await putSettings(session, settingsBody({ url: 'ldap://evil.example:389' }))).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: '/api/settings/ldap', headers: session.headers })).statusCode).toBe(403);
      const test = await t.app.inject({ method: 'POST', url: '/api/settings/ldap/test', headers: session.headers, payload: { username: 'alice', password: 'x-guess' } });
      expect(test.statusCode).toBe(403);
    }
    const get = await t.app.inject({ method: 'GET', url: '/api/settings/ldap', headers: systemAdmin.headers });
    expect(get.json()).toMatchObject({ url: slapd.url });
  });
});

describe('signing in with an LDAP account', () => {
  let aliceId: string;

  beforeAll(async () => {
    expect((await putSettings(systemAdmin, settingsBody())).statusCode).toBe(200);
    aliceId = await createLdapAccount('alice');
  });

  it('signs in with the directory password', async () => {
    const res = await login('alice', USERS.alice.password);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'signed_in' });
    expect(res.cookies.some((c) => c.name === 'zy_session')).toBe(true);
  });

  it('refuses a wrong password like a local one and counts it towards the lockout', async () => {
    const before = await failedAttempts(aliceId);
    const res = await login('alice', 'Not-Alices-pw-1');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'auth.invalid_credentials' });
    expect(await failedAttempts(aliceId)).toBe(before + 1);
    expect((await login('alice', USERS.alice.password)).statusCode).toBe(200);
  });

  it('refuses an empty password', async () => {
    const res = await login('alice', '');
    expect([400, 401]).toContain(res.statusCode);
  });

  it('refuses a linked account the directory does not know', async () => {
    await createLdapAccount('ghost-ldap');
    const res = await login('ghost-ldap', 'Whatever-pw-1');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'auth.invalid_credentials' });
  });

  it('does not let a directory user without a Zhengyun account in (no auto-provisioning)', async () => {
    const res = await login('zhangsan', USERS.zhangsan.password);
    expect(res.statusCode).toBe(401);
    const r = await owner.query(`select 1 from users where username = 'zhangsan'`);
    expect(r.rowCount).toBe(0);
  });

  it('answers 503, not 500, and does not count it against the person when the directory is down', async () => {
    const before = await failedAttempts(aliceId);
    const port = await freePort();
    expect((await putSettings(systemAdmin, settingsBody({ url: `ldap://127.0.0.1:${port}` }))).statusCode).toBe(200);
    try {
      const res = await login('alice', USERS.alice.password);
      expect(res.statusCode, res.body).toBe(503);
      // The person signing in learns nothing about the internal network.
      expect(res.body).not.toContain(String(port));
      expect(res.body).not.toContain('127.0.0.1');
      expect(await failedAttempts(aliceId)).toBe(before);
    } finally {
      await putSettings(systemAdmin, settingsBody());
    }
  });

  it('refuses LDAP accounts while LDAP is disabled', async () => {
    expect((await putSettings(systemAdmin, settingsBody({ enabled: false }))).statusCode).toBe(200);
    try {
      const res = await login('alice', USERS.alice.password);
      expect(res.statusCode, res.body).toBe(503);
    } finally {
      await putSettings(systemAdmin, settingsBody());
    }
  });
});
