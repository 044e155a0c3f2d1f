import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { anonymousContext, type RequestContext } from '../../platform/context.js';
import { createHttpServer, type App } from '../../platform/http/server.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { createLdapPasswordCheck, createLdapVerifier, registerSettingsRoutes } from './index.js';
import { BASE_DN, SERVICE_DN, SERVICE_PASSWORD, USERS, freePort, lockLdapSettings, startSlapd, type Slapd } from './slapd.fixture.js';

/*
 * The settings API through HTTP on the real database and a real slapd. The routes run behind the platform's own
 * permission hook; the caller's permissions come from a test header so this file does not depend on the sign-in
 * flow (the real application is checked for wiring: unauthenticated calls answer 401).
 */

let slapd: Slapd;
let testApp: TestApp;
let api: App;
let owner: pg.Client;

const ADMIN = 'settings:read,settings:write';
const READER = 'settings:read';

beforeAll(async () => {
  slapd = await startSlapd();
  testApp = await createTestApp();
  api = await createHttpServer({
    logger: testApp.deps.logger,
    trustProxy: false,
    anonymous: (request) => anonymousContext(request.id, request.ip, null),
    authenticate: async (request) => {
      const header = request.headers['x-test-permissions'];
      if (typeof header !== 'string') throw new AppError('unauthenticated', 'auth.required', 'Sign in first');
      const base = anonymousContext(request.id, request.ip, null);
      const ctx: RequestContext = {
        ...base,
        actor: { ...base.actor, kind: 'user', username: 'settings-test-admin', permissions: new Set(header.split(',').filter(Boolean)) },
      };
      return ctx;
    },
  });
  registerSettingsRoutes(api, testApp.container.settings);
  await api.ready();
  owner = new pg.Client({ connectionString: testApp.ownerUrl });
  await owner.connect();
  await lockLdapSettings(owner);
});

afterAll(async () => {
  await owner?.end();
  await api?.close();
  await testApp?.close();
  await slapd?.stop();
});

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

async function put(body: unknown, permissions = ADMIN) {
  return api.inject({ method: 'PUT', url: '/api/settings/ldap', headers: { 'x-test-permissions': permissions }, payload: body as object });
}

async function testSignIn(username: string, password: string, permissions = ADMIN) {
  return api.inject({ method: 'POST', url: '/api/settings/ldap/test', headers: { 'x-test-permissions': permissions }, payload: { username, password } });
}

async function storedRow() {
  const r = await owner.query<{ value: Record<string, unknown>; updated_at: Date }>(`select value, updated_at from system_settings where key = 'ldap'`);
  return r.rows[0];
}

async function auditSince(seq: string, action: string) {
  const r = await owner.query<{ seq: string; outcome: string; before: unknown; after: unknown; details: Record<string, unknown> | null; actor_username: string }>(
    `select seq, outcome, before, after, details, actor_username from audit_log where seq > $1 and action = $2 order by seq`,
    [seq, action],
  );
  return r.rows;
}

async function lastSeq(): Promise<string> {
  const r = await owner.query<{ seq: string | null }>('select max(seq)::text as seq from audit_log');
  return r.rows[0]?.seq ?? '0';
}

describe('settings API', () => {
  it('is wired into the application and needs a signed-in caller', async () => {
    for (const [method, url] of [
      ['GET', '/api/settings/ldap'],
      ['PUT', '/api/settings/ldap'],
      ['POST', '/api/settings/ldap/test'],
    ] as const) {
      const res = await testApp.app.inject({ method, url, payload: method === 'GET' ? undefined : {} });
      expect(res.statusCode, `${method} ${url} ${res.body}`).toBe(401);
      expect(res.json()).toMatchObject({ code: 'auth.required' });
    }
  });

  it('is described in the OpenAPI document under the settings tag', async () => {
    const doc = (await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { tags?: string[] }>> };
    expect(doc.paths['/api/settings/ldap']?.get?.tags).toEqual(['settings']);
    expect(doc.paths['/api/settings/ldap']?.put?.tags).toEqual(['settings']);
    expect(doc.paths['/api/settings/ldap/test']?.post?.tags).toEqual(['settings']);
  });

  it('lets only settings:write change the settings', async () => {
    const before = await storedRow();
    for (const permissions of [READER, 'user:write,org:write,policy:write', '']) {
      const res = await put(settingsBody(), permissions);
      expect(res.statusCode, permissions).toBe(403);
      expect(res.json()).toMatchObject({ code: 'auth.permission_denied' });
    }
    const res = await testSignIn('alice', USERS.alice.password, READER);
    expect(res.statusCode).toBe(403);
    expect(await storedRow()).toEqual(before);
  });

  it('needs settings:read to read them', async () => {
    const res = await api.inject({ method: 'GET', url: '/api/settings/ldap', headers: { 'x-test-permissions': 'settings:write' } });
    expect(res.statusCode).toBe(403);
  });

  it('stores the bind password SM4-encrypted, never returns it, and audits the change without it', async () => {
    const seq = await lastSeq();
    const res = await put(settingsBody());
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(SERVICE_PASSWORD);
    const view = res.json() as Record<string, unknown>;
    expect(view).not.toHaveProperty('bindPassword');
    expect(view).toMatchObject({ enabled: true, url: slapd.url, bindDn: SERVICE_DN, bindPasswordSet: true, userFilter: '(uid={username})' });

    const row = await storedRow();
    expect(row).toBeDefined();
    const stored = JSON.stringify(row!.value);
    expect(stored).not.toContain(SERVICE_PASSWORD);
    expect(row!.value.bindPasswordEnc).toMatch(/^sm4:v1:/);
    expect(testApp.deps.cipher.decrypt(row!.value.bindPasswordEnc as string)).toBe(SERVICE_PASSWORD);

    const got = await api.inject({ method: 'GET', url: '/api/settings/ldap', headers: { 'x-test-permissions': READER } });
    expect(got.statusCode).toBe(200);
    expect(got.body).not.toContain(SERVICE_PASSWORD);
    expect(got.body).not.toContain('sm4:v1:');
    expect(got.json()).toMatchObject({ bindPasswordSet: true, url: slapd.url });

    const audits = await auditSince(seq, 'settings.ldap_update');
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actor_username).toBe('settings-test-admin');
    expect(audits[0]!.details).toEqual({ bindPassword: 'replaced' });
    expect(JSON.stringify(audits[0])).not.toContain(SERVICE_PASSWORD);
    expect(JSON.stringify(audits[0])).not.toContain('sm4:v1:');
  });

  it('keeps the stored password when it is omitted and removes it on null', async () => {
    const encBefore = (await storedRow())!.value.bindPasswordEnc;
    const { bindPassword: _omit, ...withoutPassword } = settingsBody({ timeoutMs: 4000 });
    const kept = await put(withoutPassword);
    expect(kept.statusCode).toBe(200);
    expect(kept.json()).toMatchObject({ bindPasswordSet: true, timeoutMs: 4000 });
    expect((await storedRow())!.value.bindPasswordEnc).toBe(encBefore);

    const removed = await put(settingsBody({ bindPassword: null }));
    expect(removed.json()).toMatchObject({ bindPasswordSet: false });
    expect((await storedRow())!.value.bindPasswordEnc).toBeNull();

    expect((await put(settingsBody())).json()).toMatchObject({ bindPasswordSet: true });
  });

  it('refuses malformed settings with a validation error and changes nothing', async () => {
    const before = await storedRow();
    const cases: Array<[unknown, string]> = [
      [{ ...settingsBody(), surprise: true }, 'body.surprise'],
      [settingsBody({ timeoutMs: '3000' }), 'body.timeoutMs'],
      [settingsBody({ url: 'http://127.0.0.1:389' }), 'body.url'],
      [settingsBody({ userFilter: '(uid=alice)' }), 'body.userFilter'],
      [settingsBody({ url: slapd.ldapsUrl, startTls: true }), 'body.startTls'],
    ];
    for (const [body, field] of cases) {
      const res = await put(body);
      expect(res.statusCode, field).toBe(400);
      const json = res.json() as { code: string; details: { issues: Array<{ field: string }> } };
      expect(json.code).toBe('validation.failed');
      // The exact field path is the platform error mapper's job (platform/http/server.ts), not asserted here.
      expect(json.details.issues.length, JSON.stringify(json)).toBeGreaterThan(0);
    }
    expect(await storedRow()).toEqual(before);
  });
});

describe('POST /api/settings/ldap/test', () => {
  beforeAll(async () => {
    expect((await put(settingsBody())).statusCode).toBe(200);
  });

  it('signs in with the right password and shows what the directory returned', async () => {
    const res = await testSignIn('alice', USERS.alice.password);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      ok: true,
      dn: USERS.alice.dn,
      attributes: { displayName: 'Alice Wang', email: 'alice@zhengyun.test', phone: '+86 10 6500 0001' },
    });
  });

  it.each([
    ['a wrong password', 'alice', 'wrong-password', 'settings.ldap.wrong_password', /refused the password/],
    ['an unknown user', 'nobody', 'whatever-1', 'settings.ldap.user_not_found', /No directory entry matches/],
    ['an empty password', 'alice', '', 'settings.ldap.empty_password', /empty password is refused/],
    ['a filter injection', '*)(uid=*', USERS.alice.password, 'settings.ldap.user_not_found', /No directory entry matches/],
  ])('explains %s', async (_name, username, password, code, message) => {
    const res = await testSignIn(username, password);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { ok: boolean; error: { code: string; message: string } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
  });

  it('audits every test, success or failure, without the password', async () => {
    const seq = await lastSeq();
    await testSignIn('alice', USERS.alice.password);
    await testSignIn('alice', 'Wrong-Secret-77');
    const audits = await auditSince(seq, 'settings.ldap_test');
    expect(audits.map((a) => a.outcome)).toEqual(['success', 'failure']);
    expect(audits[0]!.details).toMatchObject({ username: 'alice', dn: USERS.alice.dn });
    expect(audits[1]!.details).toMatchObject({ username: 'alice', reason: 'wrong_password' });
    expect(JSON.stringify(audits)).not.toContain(USERS.alice.password);
    expect(JSON.stringify(audits)).not.toContain('Wrong-Secret-77');
  });

  it('says clearly when the server cannot be reached', async () => {
    const port = await freePort();
    expect((await put(settingsBody({ url: `ldap://127.0.0.1:${port}` }))).statusCode).toBe(200);
    try {
      const body = (await testSignIn('alice', USERS.alice.password)).json() as { ok: boolean; error: { code: string; message: string } };
      expect(body).toMatchObject({ ok: false, error: { code: 'settings.ldap.cannot_connect' } });
      expect(body.error.message).toMatch(/^Cannot connect to the LDAP server/);
    } finally {
      await put(settingsBody());
    }
  });

  it('reports a bind password that no longer decrypts instead of failing with a 500', async () => {
    const row = (await storedRow())!;
    await owner.query(`update system_settings set value = $1 where key = 'ldap'`, [{ ...row.value, bindPasswordEnc: 'sm4:v1:AAAA' }]);
    try {
      const body = (await testSignIn('alice', USERS.alice.password)).json() as { ok: boolean; error: { code: string; message: string } };
      expect(body).toMatchObject({ ok: false, error: { code: 'settings.ldap.service_bind_failed' } });
      expect(body.error.message).toMatch(/cannot be decrypted/);
    } finally {
      await put(settingsBody());
    }
  });
});

describe('createLdapVerifier (the sign-in flow’s entry point)', () => {
  it('verifies against the stored settings and refuses everything while LDAP is disabled', async () => {
    const verify = createLdapVerifier({ db: testApp.deps.db, cipher: testApp.deps.cipher });
    expect((await put(settingsBody({ enabled: true }))).statusCode).toBe(200);
    expect(await verify('alice', USERS.alice.password)).toMatchObject({ ok: true, profile: { dn: USERS.alice.dn, email: 'alice@zhengyun.test' } });
    expect(await verify('alice', 'nope-nope')).toMatchObject({ ok: false, reason: 'wrong_password' });
    expect(await verify('alice', '')).toMatchObject({ ok: false, reason: 'empty_password' });

    expect((await put(settingsBody({ enabled: false }))).statusCode).toBe(200);
    expect(await verify('alice', USERS.alice.password)).toMatchObject({ ok: false, reason: 'disabled' });
    const viaService = createLdapVerifier({ settings: testApp.container.settings });
    expect(await viaService('alice', USERS.alice.password)).toMatchObject({ ok: false, reason: 'disabled' });

    // The connection test still works while disabled, so settings can be checked before switching them on.
    expect((await testSignIn('alice', USERS.alice.password)).json()).toMatchObject({ ok: true });
  });

  it('answers the auth module’s boolean check: true, false for wrong credentials, a rejection for directory trouble', async () => {
    const check = createLdapPasswordCheck({ settings: testApp.container.settings });
    expect((await put(settingsBody({ enabled: true }))).statusCode).toBe(200);
    expect(await check('alice', USERS.alice.password)).toBe(true);
    expect(await check('alice', 'nope-nope')).toBe(false);
    expect(await check('nobody', 'nope-nope')).toBe(false);
    expect(await check('alice', '')).toBe(false);
    expect(await check('*)(uid=*', USERS.alice.password)).toBe(false);
    await expect(check('dup', USERS.dupPeople.password)).rejects.toMatchObject({ kind: 'unavailable', code: 'settings.ldap.ambiguous_user' });

    const port = await freePort();
    expect((await put(settingsBody({ url: `ldap://127.0.0.1:${port}` }))).statusCode).toBe(200);
    const down = await check('alice', USERS.alice.password).then(
      () => null,
      (e: unknown) => e as Error & { kind: string; code: string },
    );
    expect(down).toMatchObject({ kind: 'unavailable', code: 'settings.ldap.cannot_connect' });
    expect(down!.message).not.toContain(String(port));
    expect((down!.cause as Error).message).toMatch(new RegExp(`^Cannot connect to the LDAP server.*${port}`));

    expect((await put(settingsBody({ enabled: false }))).statusCode).toBe(200);
    await expect(check('alice', USERS.alice.password)).rejects.toMatchObject({ kind: 'unavailable', code: 'settings.ldap.disabled' });
  });
});
