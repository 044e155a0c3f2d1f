import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { auditRecords, createOrg, signedInUser, type Session } from '../../test/fixtures.js';
import { systemContext } from '../../platform/context.js';
import { createLogger } from '../../platform/logger.js';
import { safeEqual } from '../../platform/crypto/index.js';
import { MAX_CLOCK_SKEW_SECONDS, POLLER_TOKEN, QueryPollerService, signRequest } from './index.js';

let t: TestApp;
let server: http.Server;
let base: string;
let providerA: { id: string };
let providerB: { id: string };
let adminA: Session;
let adminB: Session;
let staffB: Session;
let mgmt: Session;
const nodes: Record<string, string> = {};
/** Signing secret per scenario prefix, as the provider's endpoint knows it. */
const secrets = new Map<string, string>();
const seen: Array<{ path: string; verified: boolean; auth: string | undefined }> = [];

const goodStatus = { status: 'normal', cpuTotal: 2048, cpuAllocated: 1500, memoryTotalGb: 8192, memoryAllocatedGb: '6000.5', storageTotalGb: 500000, storageAllocatedGb: 320000, vmCount: 812, updatedAt: '2026-11-30 14:00:00' };
const goodQuotas = [{ systemId: 'SYS-001', systemName: '政务服务网', cpuCores: 64, memoryGb: 256, storageGb: '2048', bandwidthMbps: 100, publicIpCount: 2 }];
const goodVms = [{ cloudHostId: 'vm-0001', runStatus: 'RUNN', updatedAt: '2026-11-30 13:59:00' }, { cloudHostId: 'vm-0002', runStatus: 'STOP', updatedAt: '2026-11-30 13:59:00' }];

/** A provider's query endpoint: verifies the platform's HMAC-SM3 signature like the platform verifies pushes. */
function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = req.url ?? '/';
  const [, scenario, resource] = url.split('?')[0]!.split('/');
  const secret = secrets.get(scenario!);
  const ts = String(req.headers['x-zy-timestamp'] ?? '');
  const nonce = String(req.headers['x-zy-nonce'] ?? '');
  const expected = secret ? signRequest(secret, { method: req.method ?? 'GET', pathWithQuery: url, timestamp: ts, nonce, body: '' }) : '';
  const verified =
    !!secret && req.headers.authorization === `Bearer ${POLLER_TOKEN}` && safeEqual(expected, String(req.headers['x-zy-signature'] ?? '')) && Math.abs(Date.now() / 1000 - Number(ts)) <= MAX_CLOCK_SKEW_SECONDS;
  seen.push({ path: url, verified, auth: req.headers.authorization });
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  if (!verified) return send(401, { error: 'bad signature' });
  const good: Record<string, unknown> = { 'platform-status': goodStatus, quotas: goodQuotas, 'vm-states': goodVms };
  switch (scenario) {
    case 'good':
    case 'mgmt':
      return send(200, good[resource!]);
    case 'broken':
      if (resource === 'platform-status') return send(200, { ...goodStatus, cpuTotal: -1, surprise: true });
      if (resource === 'quotas') return send(500, 'internal error');
      return send(200, [{ cloudHostId: 'vm-1', runStatus: 'WIRD', updatedAt: '2026-11-30 13:59:00' }]);
    case 'notjson':
      return send(200, '<html>oops</html>');
    case 'slow':
      setTimeout(() => send(200, good[resource!]), 1500).unref();
      return;
    default:
      return send(404, {});
  }
}

async function createEndpoint(session: Session, nodeId: string, scenario: string, extra: Record<string, unknown> = {}) {
  const res = await t.app.inject({ method: 'POST', url: '/api/ingest/query-endpoints', headers: session.headers, payload: { nodeId, baseUrl: `${base}/${scenario}/`, ...extra } });
  if (res.statusCode === 201) secrets.set(scenario, res.json().signingSecret);
  return res;
}

beforeAll(async () => {
  server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await createTestApp();
  const m = await createOrg(t, { kind: 'management_unit' });
  providerA = await createOrg(t, { kind: 'cloud_provider' });
  providerB = await createOrg(t, { kind: 'cloud_provider' });
  const sys = systemContext('test');
  for (const [name, provider] of [['a1', providerA], ['a2', providerA], ['a3', providerA], ['a4', providerA], ['a5', providerA], ['b1', providerB]] as const) {
    nodes[name] = await t.container.directory.ensureCloudNode(sys, { code: unique(`Q${name}`).slice(0, 30), name: `节点${name}`, cloudType: 'service', providerOrgId: provider.id });
  }
  adminA = (await signedInUser(t, { orgId: providerA.id, roles: ['provider_admin'] })).session;
  adminB = (await signedInUser(t, { orgId: providerB.id, roles: ['provider_admin'] })).session;
  staffB = (await signedInUser(t, { orgId: providerB.id, roles: ['provider_staff'] })).session;
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
});

afterAll(async () => {
  await t?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

describe('query endpoints (查询-响应)', () => {
  let goodId: string;

  it('a provider admin configures its own node (secret shown once, audited); another provider’s node is 404; one endpoint per node', async () => {
    const res = await createEndpoint(adminA, nodes.a1!, 'good', { intervalMinutes: 5 });
    expect(res.statusCode, res.body).toBe(201);
    goodId = res.json().endpoint.id;
    expect(res.json().endpoint).toMatchObject({ baseUrl: `${base}/good`, enabled: true, intervalMinutes: 5, provider: { id: providerA.id } });
    expect(res.json().signingSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const list = await t.app.inject({ url: '/api/ingest/query-endpoints', headers: adminA.headers });
    expect(JSON.stringify(list.json())).not.toContain(res.json().signingSecret);
    expect(await auditRecords(t, { action: 'provider_query_endpoints.create', targetId: goodId })).toHaveLength(1);

    expect((await createEndpoint(adminA, nodes.b1!, 'x')).statusCode).toBe(404);
    expect((await createEndpoint(adminA, nodes.a1!, 'good2')).statusCode).toBe(409);
    const badUrl = await t.app.inject({ method: 'POST', url: '/api/ingest/query-endpoints', headers: adminA.headers, payload: { nodeId: nodes.a2, baseUrl: 'ftp://x/y' } });
    expect(badUrl.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/ingest/query-endpoints', headers: staffB.headers, payload: { nodeId: nodes.b1, baseUrl: `${base}/x` } })).statusCode).toBe(403);
  });

  it('management staff configure any provider’s node', async () => {
    const res = await createEndpoint(mgmt, nodes.b1!, 'mgmt');
    expect(res.statusCode).toBe(201);
    expect(res.json().endpoint.provider.id).toBe(providerB.id);
  });

  it('polls the three resources with signed GETs, validates and stores the answers', async () => {
    seen.length = 0;
    const res = await t.app.inject({ method: 'POST', url: `/api/ingest/query-endpoints/${goodId}/poll`, headers: adminA.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(seen.map((s) => s.path).sort()).toEqual(['/good/platform-status', '/good/quotas', '/good/vm-states']);
    expect(seen.every((s) => s.verified && s.auth === 'Bearer zhengyun')).toBe(true);
    expect(res.json().lastResults).toHaveLength(3);
    expect(res.json().lastResults.every((r: { ok: boolean; httpStatus: number }) => r.ok && r.httpStatus === 200)).toBe(true);

    const results = (await t.app.inject({ url: `/api/ingest/poll-results?endpointId=${goodId}`, headers: adminA.headers })).json();
    expect(results.total).toBe(3);
    const byResource = Object.fromEntries(results.items.map((r: { resource: string }) => [r.resource, r]));
    expect(byResource['platform-status']).toMatchObject({ ok: true, payload: goodStatus, error: null });
    expect(byResource.quotas.payload).toEqual(goodQuotas);
    expect(byResource['vm-states'].payload).toEqual(goodVms);
    expect(byResource.quotas.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('records refused answers: contract violations, HTTP errors, unknown codes, non-JSON, timeouts, bad signatures', async () => {
    const broken = (await createEndpoint(adminA, nodes.a2!, 'broken')).json().endpoint.id;
    const ep = (await t.app.inject({ method: 'POST', url: `/api/ingest/query-endpoints/${broken}/poll`, headers: adminA.headers })).json();
    const r = Object.fromEntries(ep.lastResults.map((x: { resource: string }) => [x.resource, x]));
    expect(r['platform-status']).toMatchObject({ ok: false, httpStatus: 200 });
    expect(r['platform-status'].error).toContain('cpuTotal');
    expect(r['platform-status'].error).toContain('surprise');
    expect(r.quotas).toMatchObject({ ok: false, httpStatus: 500 });
    // A non-JSON error page is not kept (the URL is the provider's to choose): only the status.
    expect(r.quotas.error).toBe('HTTP 500');
    expect(r['vm-states'].error).toContain('0.runStatus: WIRD');

    const notJson = (await createEndpoint(adminA, nodes.a3!, 'notjson')).json().endpoint.id;
    const nj = (await t.app.inject({ method: 'POST', url: `/api/ingest/query-endpoints/${notJson}/poll`, headers: adminA.headers })).json();
    expect(nj.lastResults.every((x: { ok: boolean; error: string }) => !x.ok && x.error.includes('not JSON'))).toBe(true);

    // A poller with a short timeout, against an endpoint that answers after 1.5 s.
    const slow = (await createEndpoint(adminA, nodes.a4!, 'slow')).json().endpoint.id;
    const impatient = new QueryPollerService(t.deps.db, t.deps.cipher, t.container.organisations, createLogger('silent'), { timeoutMs: 300 });
    const sl = await impatient.pollNow(systemContext('t'), slow);
    expect(sl.lastResults.every((x) => !x.ok && x.httpStatus === null && x.error?.includes('no answer within 0.3 s'))).toBe(true);

    // A rotated secret the provider has not installed yet: its endpoint refuses the platform's signature.
    const rotated = await t.app.inject({ method: 'POST', url: `/api/ingest/query-endpoints/${goodId}/secret`, headers: adminA.headers });
    expect(rotated.statusCode).toBe(200);
    const stale = (await t.app.inject({ method: 'POST', url: `/api/ingest/query-endpoints/${goodId}/poll`, headers: adminA.headers })).json();
    expect(stale.lastResults.every((x: { ok: boolean; httpStatus: number; error: string }) => !x.ok && x.httpStatus === 401 && x.error === 'HTTP 401: bad signature')).toBe(true);
    secrets.set('good', rotated.json().signingSecret);
    const fresh = (await t.app.inject({ method: 'POST', url: `/api/ingest/query-endpoints/${goodId}/poll`, headers: adminA.headers })).json();
    expect(fresh.lastResults.every((x: { ok: boolean }) => x.ok)).toBe(true);
  });

  it('never polls link-local addresses (cloud metadata services)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/ingest/query-endpoints', headers: adminA.headers, payload: { nodeId: nodes.a5, baseUrl: 'http://169.254.169.254/latest' } });
    const id = res.json().endpoint.id;
    const ep = (await t.app.inject({ method: 'POST', url: `/api/ingest/query-endpoints/${id}/poll`, headers: adminA.headers })).json();
    expect(ep.lastResults.every((x: { ok: boolean; error: string }) => !x.ok && x.error.includes('link-local'))).toBe(true);
    await t.app.inject({ method: 'DELETE', url: `/api/ingest/query-endpoints/${id}`, headers: adminA.headers });
  });

  it('pollDue polls only endpoints whose interval has passed, once, and moves their next time', async () => {
    const owner = new pg.Client({ connectionString: t.ownerUrl });
    await owner.connect();
    try {
      await owner.query(`update provider_query_endpoints set next_poll_at = now() + interval '1 hour'`);
      await owner.query(`update provider_query_endpoints set next_poll_at = now() - interval '1 second' where id = $1`, [goodId]);
      seen.length = 0;
      expect(await t.container.queryPoller.pollDue()).toBe(1);
      expect(seen).toHaveLength(3);
      expect(await t.container.queryPoller.pollDue()).toBe(0);
      const next = (await owner.query(`select extract(epoch from next_poll_at - now()) as s from provider_query_endpoints where id = $1`, [goodId])).rows[0].s;
      expect(Number(next)).toBeGreaterThan(4 * 60);
      // A disabled endpoint is not polled even when due.
      await t.app.inject({ method: 'PATCH', url: `/api/ingest/query-endpoints/${goodId}`, headers: adminA.headers, payload: { enabled: false } });
      await owner.query(`update provider_query_endpoints set next_poll_at = now() - interval '1 second' where id = $1`, [goodId]);
      expect(await t.container.queryPoller.pollDue()).toBe(0);
    } finally {
      await owner.end();
    }
  });

  it('a provider reads only its own endpoints and results', async () => {
    const b = (await t.app.inject({ url: '/api/ingest/query-endpoints', headers: adminB.headers })).json();
    expect(b.items.every((e: { provider: { id: string } }) => e.provider.id === providerB.id)).toBe(true);
    const resB = (await t.app.inject({ url: '/api/ingest/poll-results?pageSize=200', headers: staffB.headers })).json();
    expect(resB.items.every((r: { provider: { id: string } }) => r.provider.id === providerB.id)).toBe(true);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/ingest/query-endpoints/${goodId}`, headers: adminB.headers, payload: { intervalMinutes: 10 } })).statusCode).toBe(404);
    const all = (await t.app.inject({ url: `/api/ingest/poll-results?endpointId=${goodId}&ok=false&pageSize=200`, headers: mgmt.headers })).json();
    expect(all.total).toBeGreaterThanOrEqual(3);
  });
});
