import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { auditRecords, createOrg, signedInUser, type Session } from '../../test/fixtures.js';
import { systemContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { sm3Hex } from '../../platform/crypto/index.js';
import { createHttpServer } from '../../platform/http/server.js';
import { createLogger } from '../../platform/logger.js';
import { anonymousContext } from '../../platform/context.js';
import { canonicalRequest, signedHeaders, MAX_CLOCK_SKEW_SECONDS, useRawBody, signedRequestParts, type SignedRequestParts } from './index.js';

let t: TestApp;
let providerA: { id: string };
let providerB: { id: string };
let nodeA: string;
let nodeA2: string;
let nodeB: string;
let nodeACode: string;
let adminA: Session;
let adminB: Session;
let staffA: Session;
let mgmt: Session;
let sysAdmin: Session;

function parts(cred: { token: string; signingSecret: string }, body: string | Buffer, opts: { url?: string; timestamp?: string; nonce?: string; tamper?: (p: SignedRequestParts) => void } = {}): SignedRequestParts {
  const url = opts.url ?? `/api/ingest/v1/cloudHostMonitoring?node=${nodeACode}`;
  const headers = signedHeaders(cred, { method: 'POST', pathWithQuery: url, body, ...(opts.timestamp ? { timestamp: opts.timestamp } : {}), ...(opts.nonce ? { nonce: opts.nonce } : {}) });
  const p: SignedRequestParts = { method: 'POST', url, headers, rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body), ip: '127.0.0.9' };
  opts.tamper?.(p);
  return p;
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

async function issue(session: Session, body: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/ingest/credentials', headers: session.headers, payload: { name: unique('cred-'), ...body } });
}

beforeAll(async () => {
  t = await createTestApp();
  const m = await createOrg(t, { kind: 'management_unit' });
  providerA = await createOrg(t, { kind: 'cloud_provider' });
  providerB = await createOrg(t, { kind: 'cloud_provider' });
  const sys = systemContext('test');
  nodeACode = unique('NA').slice(0, 30);
  nodeA = await t.container.directory.ensureCloudNode(sys, { code: nodeACode, name: '节点A', cloudType: 'service', providerOrgId: providerA.id });
  nodeA2 = await t.container.directory.ensureCloudNode(sys, { code: unique('NA2').slice(0, 30), name: '节点A2', cloudType: 'office', providerOrgId: providerA.id });
  nodeB = await t.container.directory.ensureCloudNode(sys, { code: unique('NB').slice(0, 30), name: '节点B', cloudType: 'service', providerOrgId: providerB.id });
  adminA = (await signedInUser(t, { orgId: providerA.id, roles: ['provider_admin'] })).session;
  adminB = (await signedInUser(t, { orgId: providerB.id, roles: ['provider_admin'] })).session;
  staffA = (await signedInUser(t, { orgId: providerA.id, roles: ['provider_staff'] })).session;
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
});

afterAll(async () => {
  await t?.close();
});

describe('issuing, listing and revoking credentials', () => {
  it('a provider admin issues a credential for its own provider; token and secret are shown once and audited', async () => {
    const res = await issue(adminA, { nodeIds: [nodeA] });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.token).toMatch(/^zyi_[A-Za-z0-9_-]{43}$/);
    expect(body.signingSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.credential).toMatchObject({ provider: { id: providerA.id }, status: 'active', nodes: [{ id: nodeA, code: nodeACode }] });
    expect(body.token.startsWith(body.credential.tokenPrefix)).toBe(true);

    const list = await t.app.inject({ url: '/api/ingest/credentials', headers: adminA.headers });
    expect(list.statusCode).toBe(200);
    const item = list.json().items.find((i: { id: string }) => i.id === body.id);
    expect(item).toBeDefined();
    expect(JSON.stringify(list.json())).not.toContain(body.signingSecret);
    expect(JSON.stringify(list.json())).not.toContain(body.token);

    const audit = await auditRecords(t, { action: 'ingest_credentials.issue', targetId: body.id });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).not.toContain(body.signingSecret);

    // Stored: SM3 of the token, SM4 of the secret — neither in clear.
    const c = new pg.Client({ connectionString: t.ownerUrl });
    await c.connect();
    const row = (await c.query('select token_hash, signing_secret_enc from ingest_credentials where id = $1', [body.id])).rows[0];
    await c.end();
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.signing_secret_enc).toMatch(/^sm4:v1:/);
    expect(row.signing_secret_enc).not.toContain(body.signingSecret);
  });

  it('refuses another provider, a non-provider organisation, nodes of another provider and a past expiry', async () => {
    const other = await issue(adminA, { providerOrgId: providerB.id });
    expect(other.statusCode).toBe(404);
    const foreignNode = await issue(adminA, { nodeIds: [nodeB] });
    expect(foreignNode.statusCode).toBe(400);
    expect(foreignNode.json()).toMatchObject({ code: 'ingest.node_not_of_provider', details: { issues: [{ field: 'body.nodeIds', rule: 'own_node', value: nodeB }] } });
    const past = await issue(adminA, { expiresAt: '2020-01-01T00:00:00+08:00' });
    expect(past.statusCode).toBe(400);
    expect(past.json().code).toBe('ingest.expiry_in_past');
    const unitOrg = await createOrg(t, { kind: 'user_unit' });
    await expect(t.container.credentials.issue(systemContext('test'), { providerOrgId: unitOrg.id, name: 'x' })).rejects.toMatchObject({ code: 'ingest.not_a_provider' });
  });

  it('only provider admins issue; management staff list all providers; staff, other roles and the three admins cannot', async () => {
    expect((await issue(mgmt, { providerOrgId: providerA.id })).statusCode).toBe(403);
    expect((await issue(staffA, {})).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/ingest/credentials', headers: staffA.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/ingest/credentials', headers: sysAdmin.headers })).statusCode).toBe(403);
    const b = (await issue(adminB, {})).json();
    const all = await t.app.inject({ url: `/api/ingest/credentials?pageSize=200`, headers: mgmt.headers });
    expect(all.statusCode).toBe(200);
    const providers = new Set(all.json().items.map((i: { provider: { id: string } }) => i.provider.id));
    expect(providers.has(providerA.id) && providers.has(providerB.id)).toBe(true);
    // Isolation: provider A sees none of B's credentials, and B's credential answers 404 to A.
    const mine = await t.app.inject({ url: `/api/ingest/credentials?pageSize=200`, headers: adminA.headers });
    expect(mine.json().items.every((i: { provider: { id: string } }) => i.provider.id === providerA.id)).toBe(true);
    const cross = await t.app.inject({ method: 'DELETE', url: `/api/ingest/credentials/${b.id}`, headers: adminA.headers });
    expect(cross.statusCode).toBe(404);
  });

  it('filters by status', async () => {
    const a = (await issue(adminA, {})).json();
    await t.app.inject({ method: 'DELETE', url: `/api/ingest/credentials/${a.id}`, headers: adminA.headers });
    const revoked = (await t.app.inject({ url: '/api/ingest/credentials?status=revoked&pageSize=200', headers: adminA.headers })).json();
    expect(revoked.items.map((i: { id: string }) => i.id)).toContain(a.id);
    const active = (await t.app.inject({ url: '/api/ingest/credentials?status=active&pageSize=200', headers: adminA.headers })).json();
    expect(active.items.map((i: { id: string }) => i.id)).not.toContain(a.id);
  });
});

describe('verifying signed requests', () => {
  let cred: { id: string; token: string; signingSecret: string };
  beforeAll(async () => {
    cred = (await issue(adminA, { nodeIds: [nodeA] })).json();
  });

  it('accepts a correctly signed request and names the provider and its nodes', async () => {
    const v = await t.container.credentials.verify(parts(cred, '[{"a":1}]'));
    // The body's SM3 comes along (computed for the signature anyway), for the batch's idempotency check.
    expect(v).toEqual({ credentialId: cred.id, providerOrgId: providerA.id, nodeIds: [nodeA], bodySm3: sm3Hex('[{"a":1}]') });
    // last_used_at is recorded (at most once a minute).
    const list = (await t.app.inject({ url: '/api/ingest/credentials?pageSize=200', headers: adminA.headers })).json();
    const item = list.items.find((i: { id: string }) => i.id === cred.id);
    expect(item.lastUsedAt).not.toBeNull();
    expect(item.lastUsedIp).toBe('127.0.0.9');
  });

  it('accepts an empty body and a GBK body signed over its bytes', async () => {
    await expect(t.container.credentials.verify(parts(cred, Buffer.alloc(0)))).resolves.toMatchObject({ credentialId: cred.id });
    const gbk = Buffer.from([0xd5, 0xfe, 0xd4, 0xc6]); // 政云 in GBK
    await expect(t.container.credentials.verify(parts(cred, gbk))).resolves.toMatchObject({ credentialId: cred.id });
  });

  it('refuses a tampered body, path or method with ingest.signature_invalid and shows the canonical request', async () => {
    const body = parts(cred, '[{"a":1}]', { tamper: (p) => (p.rawBody = Buffer.from('[{"a":2}]')) });
    const e = await refusal(t.container.credentials.verify(body));
    expect(e.code).toBe('ingest.signature_invalid');
    expect(e.status).toBe(401);
    expect((e.details as { canonicalRequest: string }).canonicalRequest).toContain(`/api/ingest/v1/cloudHostMonitoring?node=${nodeACode}`);
    expect((e.details as { canonicalRequest: string }).canonicalRequest).not.toContain(cred.signingSecret);
    // The server's canonical request is signature.ts's, for the bytes it received.
    expect((e.details as { canonicalRequest: string }).canonicalRequest).toBe(
      canonicalRequest({ method: 'POST', pathWithQuery: body.url, timestamp: body.headers['x-zy-timestamp'] as string, nonce: body.headers['x-zy-nonce'] as string, body: body.rawBody }),
    );
    const path = parts(cred, '[]', { tamper: (p) => (p.url = `/api/ingest/v1/assets?node=${nodeACode}`) });
    expect((await refusal(t.container.credentials.verify(path))).code).toBe('ingest.signature_invalid');
    const method = parts(cred, '[]', { tamper: (p) => (p.method = 'PUT') });
    expect((await refusal(t.container.credentials.verify(method))).code).toBe('ingest.signature_invalid');
    const wrongSecret = parts({ token: cred.token, signingSecret: 'not-the-secret' }, '[]');
    expect((await refusal(t.container.credentials.verify(wrongSecret))).code).toBe('ingest.signature_invalid');
  });

  it('refuses stale and future timestamps with ingest.clock_skew naming the server time', async () => {
    const now = Math.floor(Date.now() / 1000);
    const stale = await refusal(t.container.credentials.verify(parts(cred, '[]', { timestamp: String(now - MAX_CLOCK_SKEW_SECONDS - 10) })));
    expect(stale.code).toBe('ingest.clock_skew');
    expect(stale.details).toMatchObject({ maxSkewSeconds: MAX_CLOCK_SKEW_SECONDS });
    expect(Math.abs((stale.details as { serverTime: number }).serverTime - now)).toBeLessThan(5);
    const future = await refusal(t.container.credentials.verify(parts(cred, '[]', { timestamp: String(now + MAX_CLOCK_SKEW_SECONDS + 10) })));
    expect(future.code).toBe('ingest.clock_skew');
    // Within the window is fine.
    await expect(t.container.credentials.verify(parts(cred, '[]', { timestamp: String(now - MAX_CLOCK_SKEW_SECONDS + 30) }))).resolves.toBeDefined();
    expect((await refusal(t.container.credentials.verify(parts(cred, '[]', { timestamp: '17e8' })))).code).toBe('ingest.timestamp_invalid');
  });

  it('refuses a reused nonce (replay) and a malformed one', async () => {
    const nonce = `n${unique()}`.padEnd(20, 'x');
    const first = parts(cred, '[1]', { nonce });
    await expect(t.container.credentials.verify(first)).resolves.toBeDefined();
    const again = await refusal(t.container.credentials.verify(first));
    expect(again.code).toBe('ingest.replayed');
    // The same nonce is refused even with a new signature over another body.
    expect((await refusal(t.container.credentials.verify(parts(cred, '[2]', { nonce })))).code).toBe('ingest.replayed');
    expect((await refusal(t.container.credentials.verify(parts(cred, '[]', { nonce: 'short' })))).code).toBe('ingest.nonce_invalid');
    expect((await refusal(t.container.credentials.verify(parts(cred, '[]', { nonce: 'has spaces in it, no good!' })))).code).toBe('ingest.nonce_invalid');
  });

  it('refuses missing headers, a malformed or unknown token', async () => {
    const missing = await refusal(t.container.credentials.verify(parts(cred, '[]', { tamper: (p) => delete p.headers['x-zy-signature'] })));
    expect(missing.code).toBe('ingest.signature_missing');
    expect(missing.details).toEqual({ missing: ['X-Zy-Signature'] });
    const none = await refusal(t.container.credentials.verify({ method: 'POST', url: '/x', headers: {}, rawBody: Buffer.alloc(0), ip: null }));
    expect((none.details as { missing: string[] }).missing).toHaveLength(4);
    const malformed = await refusal(t.container.credentials.verify(parts({ token: 'zy_abc', signingSecret: 'x' }, '[]')));
    expect(malformed).toMatchObject({ code: 'ingest.credential_invalid', details: { reason: 'malformed' } });
    const unknown = await refusal(t.container.credentials.verify(parts({ token: `zyi_${'A'.repeat(43)}`, signingSecret: 'x' }, '[]')));
    expect(unknown).toMatchObject({ code: 'ingest.credential_invalid', details: { reason: 'unknown' } });
  });

  it('refuses a revoked credential at once and an expired one', async () => {
    const c = (await issue(adminA, {})).json();
    await expect(t.container.credentials.verify(parts(c, '[]'))).resolves.toBeDefined();
    const del = await t.app.inject({ method: 'DELETE', url: `/api/ingest/credentials/${c.id}`, headers: adminA.headers });
    expect(del.statusCode).toBe(204);
    expect(await refusal(t.container.credentials.verify(parts(c, '[]')))).toMatchObject({ code: 'ingest.credential_invalid', details: { reason: 'revoked' } });
    expect(await auditRecords(t, { action: 'ingest_credentials.revoke', targetId: c.id })).toHaveLength(1);

    const soon = await t.container.credentials.issue(systemContext('test'), { providerOrgId: providerA.id, name: 'short-lived', expiresAt: new Date(Date.now() + 1500) });
    await expect(t.container.credentials.verify(parts(soon, '[]'))).resolves.toBeDefined();
    await new Promise((r) => setTimeout(r, 1600));
    expect(await refusal(t.container.credentials.verify(parts(soon, '[]')))).toMatchObject({ code: 'ingest.credential_invalid', details: { reason: 'expired' } });
  });

  it('management staff may revoke any provider’s credential', async () => {
    const c = (await issue(adminB, {})).json();
    const del = await t.app.inject({ method: 'DELETE', url: `/api/ingest/credentials/${c.id}`, headers: mgmt.headers });
    expect(del.statusCode).toBe(204);
    expect(await refusal(t.container.credentials.verify(parts(c, '[]')))).toMatchObject({ details: { reason: 'revoked' } });
  });

  it('another provider’s credential names that provider, and resolveNode refuses the nodes it does not run', async () => {
    const b = (await issue(adminB, {})).json();
    const vb = await t.container.credentials.verify(parts(b, '[]'));
    expect(vb.providerOrgId).toBe(providerB.id);
    await expect(t.container.credentials.resolveNode(vb, nodeACode)).rejects.toMatchObject({ code: 'ingest.own_node', status: 403 });
    const va = await t.container.credentials.verify(parts(cred, '[]'));
    await expect(t.container.credentials.resolveNode(va, nodeACode)).resolves.toMatchObject({ id: nodeA });
    // The credential is limited to node A: node A2 of the same provider is refused too.
    const a2 = (await t.container.directory.listCloudNodes(systemContext('t'))).find((n) => n.id === nodeA2)!;
    await expect(t.container.credentials.resolveNode(va, a2.code)).rejects.toMatchObject({ code: 'ingest.own_node' });
    await expect(t.container.credentials.resolveNode(va, 'NO-SUCH-NODE-X')).rejects.toMatchObject({ code: 'ingest.unknown_node', status: 404 });
    await expect(t.container.credentials.resolveNode(va, undefined)).rejects.toMatchObject({ code: 'ingest.node_required', status: 400 });
  });

  it('a disabled provider organisation is refused once the cache expires (fresh service)', async () => {
    const p = await createOrg(t, { kind: 'cloud_provider' });
    const c = await t.container.credentials.issue(systemContext('test'), { providerOrgId: p.id, name: 'x' });
    const owner = new pg.Client({ connectionString: t.ownerUrl });
    await owner.connect();
    await owner.query(`update organisations set status = 'disabled' where id = $1`, [p.id]);
    await owner.end();
    const { ProviderCredentialService } = await import('./index.js');
    const fresh = new ProviderCredentialService(t.deps.db, t.deps.cipher, t.container.organisations);
    expect(await refusal(fresh.verify(parts(c, '[]')))).toMatchObject({ details: { reason: 'provider_disabled' } });
  });

  it('purges expired nonces only', async () => {
    const owner = new pg.Client({ connectionString: t.ownerUrl });
    await owner.connect();
    await owner.query(`insert into ingest_nonces (credential_id, nonce, expires_at) values ($1, $2, now() - interval '1 minute')`, [cred.id, `old${unique()}`.padEnd(20, 'o')]);
    const before = Number((await owner.query('select count(*) from ingest_nonces where credential_id = $1 and expires_at >= now()', [cred.id])).rows[0].count);
    const purged = await t.container.credentials.purgeNonces();
    expect(purged).toBeGreaterThanOrEqual(1);
    const after = (await owner.query('select count(*) filter (where expires_at < now()) as old, count(*) filter (where expires_at >= now()) as live from ingest_nonces where credential_id = $1', [cred.id])).rows[0];
    await owner.end();
    expect(Number(after.old)).toBe(0);
    expect(Number(after.live)).toBe(before);
  });
});

describe('raw bodies for signed routes', () => {
  it('hands the exact bytes of any content type to the route and refuses a body over the limit with 413', async () => {
    const app = await createHttpServer({
      logger: createLogger('silent'),
      trustProxy: false,
      authenticate: async () => {
        throw new AppError('unauthenticated', 'auth.unauthenticated', 'no');
      },
      anonymous: (r) => anonymousContext(r.id, r.ip, null),
    });
    let seen: SignedRequestParts | null = null;
    await app.register(async (scope) => {
      useRawBody(scope, { bodyLimit: 1024 });
      scope.post('/api/raw-test', { config: { public: true } }, async (request) => {
        seen = signedRequestParts(request);
        return { isBuffer: Buffer.isBuffer(request.body), length: seen.rawBody.length };
      });
    });
    // The JSON parser of the rest of the app is untouched.
    app.post('/api/json-test', { config: { public: true } }, async (request) => ({ body: request.body }));
    await app.ready();
    try {
      const gbk = Buffer.from([0xd5, 0xfe, 0xd4, 0xc6, 0x2c, 0x31, 0x0a]);
      for (const [type, payload] of [['application/json', Buffer.from(' [ {"a": 1} ] ')], ['text/csv; charset=gbk', gbk], ['application/x-ndjson', Buffer.from('{"a":1}\n{"a":2}\n')], ['application/octet-stream', Buffer.from([0, 1, 2])]] as const) {
        const res = await app.inject({ method: 'POST', url: '/api/raw-test?node=X', headers: { 'content-type': type }, payload });
        expect(res.statusCode, type).toBe(200);
        expect(res.json()).toEqual({ isBuffer: true, length: payload.length });
        expect(seen!.rawBody.equals(payload)).toBe(true);
        expect(seen!.url).toBe('/api/raw-test?node=X');
      }
      const big = await app.inject({ method: 'POST', url: '/api/raw-test', headers: { 'content-type': 'application/json' }, payload: Buffer.alloc(2048, 0x20) });
      expect(big.statusCode).toBe(413);
      expect(big.json()).toMatchObject({ code: 'ingest.body_too_large', details: { limitBytes: 1024 } });
      const json = await app.inject({ method: 'POST', url: '/api/json-test', headers: { 'content-type': 'application/json' }, payload: '{"a":1}' });
      expect(json.json()).toEqual({ body: { a: 1 } });
    } finally {
      await app.close();
    }
  });
});
