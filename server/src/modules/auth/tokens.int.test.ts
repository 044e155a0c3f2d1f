import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { auditRecords, createApiToken, createOrgTree, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

describe('API tokens', () => {
  let t: TestApp;
  let providerA: { root: TestOrg; child: TestOrg };
  let providerB: { root: TestOrg; child: TestOrg };
  let adminA: Session;
  let adminAId: string;
  let adminB: Session;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
    providerA = await createOrgTree(t, 'cloud_provider');
    providerB = await createOrgTree(t, 'cloud_provider');
    const a = await signedInUser(t, { orgId: providerA.root.id, roles: ['provider_admin'] });
    adminA = a.session;
    adminAId = a.user.id;
    adminB = (await signedInUser(t, { orgId: providerB.root.id, roles: ['provider_admin'] })).session;
  });
  afterAll(async () => t.close());

  it('creates a token shown once, stored as an SM3 hash, usable as Bearer with its permissions only', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/api-tokens', headers: adminA.headers, payload: { name: '数据推送', permissions: ['org:read'] } });
    expect(res.statusCode).toBe(201);
    const { token, apiToken } = res.json();
    expect(token).toMatch(/^zy_[A-Za-z0-9_-]{43}$/);
    expect(apiToken).toMatchObject({ name: '数据推送', tokenPrefix: token.slice(0, 10), permissions: ['org:read'], status: 'active', org: { id: providerA.root.id }, createdBy: { id: adminAId } });
    const owner = new pg.Client({ connectionString: t.ownerUrl });
    await owner.connect();
    const stored = await owner.query('select token_hash from api_tokens where id = $1', [apiToken.id]);
    await owner.end();
    expect(stored.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.rows[0].token_hash).not.toContain(token.slice(3));

    const orgs = await t.app.inject({ url: '/api/organisations', headers: bearer(token) });
    expect(orgs.statusCode).toBe(200);
    expect(orgs.json().items.map((o: { id: string }) => o.id).sort()).toEqual([providerA.root.id, providerA.child.id].sort());
    const users = await t.app.inject({ url: '/api/users', headers: bearer(token) });
    expect(users.statusCode).toBe(403);
    // Token writes need no CSRF header (no cookie involved), but tokens do not administer.
    const write = await t.app.inject({ method: 'POST', url: '/api/api-tokens', headers: bearer(token), payload: { name: 'x', permissions: ['org:read'] } });
    expect(write.statusCode).toBe(403);
    const list = await t.app.inject({ url: '/api/api-tokens', headers: adminA.headers });
    const listed = list.json().items.find((x: { id: string }) => x.id === apiToken.id);
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.json())).not.toContain(token);
    expect((await auditRecords(t, { action: 'api_tokens.create', targetId: apiToken.id })).length).toBe(1);
  });

  it('refuses permissions beyond the creator’s, past expiry dates and reserved permissions', async () => {
    const beyond = await t.app.inject({ method: 'POST', url: '/api/api-tokens', headers: adminA.headers, payload: { name: 'x', permissions: ['role:write'] } });
    expect(beyond.statusCode).toBe(403);
    expect(beyond.json()).toMatchObject({ code: 'api_tokens.permission_beyond_own', details: { permissions: ['role:write'] } });
    const past = await t.app.inject({ method: 'POST', url: '/api/api-tokens', headers: adminA.headers, payload: { name: 'x', permissions: ['org:read'], expiresAt: '2020-01-01T00:00:00Z' } });
    expect(past.json().code).toBe('api_tokens.expiry_in_past');
    const reserved = await t.app.inject({ method: 'POST', url: '/api/api-tokens', headers: adminA.headers, payload: { name: 'x', permissions: ['audit:read'] } });
    expect(reserved.json().code).toBe('access.permission_reserved');
    const empty = await t.app.inject({ method: 'POST', url: '/api/api-tokens', headers: adminA.headers, payload: { name: 'x', permissions: [] } });
    expect(empty.json().details.issues[0].field).toBe('body.permissions');
    const badDate = await t.app.inject({ method: 'POST', url: '/api/api-tokens', headers: adminA.headers, payload: { name: 'x', permissions: ['org:read'], expiresAt: 'tomorrow' } });
    expect(badDate.json().details.issues[0].field).toBe('body.expiresAt');
    const longName = await t.app.inject({ method: 'POST', url: '/api/api-tokens', headers: adminA.headers, payload: { name: 'x'.repeat(51), permissions: ['org:read'] } });
    expect(longName.json().details.issues[0].field).toBe('body.name');
  });

  it('revoked, expired, unknown, malformed and missing tokens answer 401 and are audited', async () => {
    const a = await createApiToken(t, adminA, { permissions: ['org:read'] });
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/api-tokens/${a.id}`, headers: adminA.headers });
    expect(revoke.statusCode).toBe(204);
    expect((await auditRecords(t, { action: 'api_tokens.revoke', targetId: a.id })).length).toBe(1);
    const afterRevoke = await t.app.inject({ url: '/api/organisations', headers: bearer(a.token) });
    expect(afterRevoke.statusCode).toBe(401);
    expect(afterRevoke.json()).toMatchObject({ code: 'auth.invalid_token', details: { reason: 'revoked' } });

    const soon = new Date(Date.now() + 60_000).toISOString();
    const b = await createApiToken(t, adminA, { permissions: ['org:read'], expiresAt: soon });
    const owner = new pg.Client({ connectionString: t.ownerUrl });
    await owner.connect();
    await owner.query(`update api_tokens set expires_at = now() - interval '1 second' where id = $1`, [b.id]);
    await owner.end();
    expect((await t.app.inject({ url: '/api/organisations', headers: bearer(b.token) })).json().details.reason).toBe('expired');

    const unknown = `zy_${'A'.repeat(43)}`;
    for (const [header, reason] of [[`Bearer ${unknown}`, 'unknown'], ['Bearer zy_short', 'malformed'], ['Bearer ', 'malformed'], ["Bearer ' or 1=1 --", 'malformed'], ['Basic dXNlcjpwYXNz', 'malformed']] as const) {
      const rid = `tok-${unique()}`;
      const res = await t.app.inject({ url: '/api/organisations', headers: { authorization: header, 'x-request-id': rid } });
      expect(res.statusCode, header).toBe(401);
      expect(res.json().details.reason, header).toBe(reason);
      const [rec] = await auditRecords(t, { requestId: rid });
      expect(rec, header).toMatchObject({ action: 'auth.authenticate', outcome: 'failure', target_type: 'api_token' });
    }
    const rid = `none-${unique()}`;
    const none = await t.app.inject({ url: '/api/organisations', headers: { 'x-request-id': rid } });
    expect(none.statusCode).toBe(401);
    expect((await auditRecords(t, { requestId: rid }))[0]).toMatchObject({ action: 'auth.authenticate', outcome: 'failure' });
  });

  it('a token stops working when its creator is disabled or loses the permission', async () => {
    const creator = await signedInUser(t, { orgId: providerA.child.id, roles: ['provider_admin'] });
    const tok = await createApiToken(t, creator.session, { permissions: ['org:read', 'user:read'] });
    expect((await t.app.inject({ url: '/api/users', headers: bearer(tok.token) })).statusCode).toBe(200);
    await t.app.inject({ method: 'PUT', url: `/api/users/${creator.user.id}/roles`, headers: adminA.headers, payload: { roleIds: [] } });
    expect((await t.app.inject({ url: '/api/users', headers: bearer(tok.token) })).statusCode).toBe(403);
    await t.app.inject({ method: 'POST', url: `/api/users/${creator.user.id}/disable`, headers: adminA.headers });
    expect((await t.app.inject({ url: '/api/organisations', headers: bearer(tok.token) })).json().details.reason).toBe('creator_disabled');
  });

  it('unit B cannot list, read or revoke unit A’s tokens: 404', async () => {
    const a = await createApiToken(t, adminA, { permissions: ['org:read'] });
    const list = await t.app.inject({ url: '/api/api-tokens?pageSize=200', headers: adminB.headers });
    expect(list.json().items.map((x: { id: string }) => x.id)).not.toContain(a.id);
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/api-tokens/${a.id}`, headers: adminB.headers });
    expect(revoke.statusCode).toBe(404);
    const forOther = await t.app.inject({ method: 'POST', url: '/api/api-tokens', headers: adminB.headers, payload: { name: 'x', permissions: ['org:read'], orgId: providerA.root.id } });
    expect(forOther.statusCode).toBe(404);
    // A token of unit B sees nothing of unit A.
    const b = await createApiToken(t, adminB, { permissions: ['org:read'] });
    expect((await t.app.inject({ url: `/api/organisations/${providerA.root.id}`, headers: bearer(b.token) })).statusCode).toBe(404);
    // A token for a sub-unit is bound to that sub-unit.
    const sub = await createApiToken(t, adminA, { permissions: ['org:read'], orgId: providerA.child.id });
    const seen = await t.app.inject({ url: '/api/organisations', headers: bearer(sub.token) });
    expect(seen.json().items.map((o: { id: string }) => o.id)).toEqual([providerA.child.id]);
    const filtered = await t.app.inject({ url: '/api/api-tokens?status=revoked', headers: adminA.headers });
    expect(filtered.statusCode).toBe(200);
  });
});
