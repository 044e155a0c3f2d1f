import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_HEADERS, signRequest } from '../modules/ingestion/index.js';
import { Pusher } from './pusher.js';
import { readCredentialsFile, skeletonFromCredentials } from './simulate.js';
import { buildFleet } from './fleet.js';
import { startQueryEndpoint } from './query-endpoint.js';

const cred = { providerCode: 'HJ01', node: 'FWY-LLQ', token: 'zyi_test_token', signingSecret: 'secret-0123456789' };

function fakeFetch(answers: Array<number | 'network'>, seen: Array<{ url: string; headers: Record<string, string>; body: Buffer }>): typeof fetch {
  let i = 0;
  return (async (url: string, init: RequestInit) => {
    seen.push({ url, headers: init.headers as Record<string, string>, body: Buffer.from(init.body as Uint8Array) });
    const a = answers[Math.min(i++, answers.length - 1)]!;
    if (a === 'network') throw new TypeError('fetch failed');
    const body = a === 200 ? { batchId: '1', table: 'opsMonitoring', status: 'accepted', recordCount: 1, accepted: 1, rejected: 0, errors: [], replayed: i > 1 } : { error: { code: 'x.y', message: 'busy' } };
    return new Response(JSON.stringify(body), { status: a, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
}

describe('pusher', () => {
  it('signs each request, sends the Idempotency-Key, and retries network errors, 5xx and 429 with the same key and body', async () => {
    const seen: Array<{ url: string; headers: Record<string, string>; body: Buffer }> = [];
    const pusher = new Pusher({ url: 'http://platform.test/', credentials: [cred], backoffMs: 1, fetch: fakeFetch(['network', 503, 429, 200], seen) });
    const out = await pusher.push({ providerCode: 'HJ01', node: 'FWY-LLQ', table: 'opsMonitoring', records: [{ checkType: 'x' }], idempotencyKey: 'k-1', format: 'json' });
    expect(out).toMatchObject({ status: 200, accepted: 1, rejected: 0, attempts: 4, error: null });
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((s) => s.headers['idempotency-key']))).toEqual(new Set(['k-1']));
    expect(new Set(seen.map((s) => s.body.toString()))).toEqual(new Set(['[{"checkType":"x"}]']));
    expect(new Set(seen.map((s) => s.headers[SIGNATURE_HEADERS.nonce])).size).toBe(4);
    for (const s of seen) {
      expect(s.url).toBe('http://platform.test/api/ingest/v1/opsMonitoring?node=FWY-LLQ&mode=partial');
      expect(s.headers.authorization).toBe('Bearer zyi_test_token');
      const pathWithQuery = '/api/ingest/v1/opsMonitoring?node=FWY-LLQ&mode=partial';
      expect(s.headers[SIGNATURE_HEADERS.signature]).toBe(
        signRequest(cred.signingSecret, { method: 'POST', pathWithQuery, timestamp: s.headers[SIGNATURE_HEADERS.timestamp]!, nonce: s.headers[SIGNATURE_HEADERS.nonce]!, body: s.body }),
      );
    }
  });

  it('does not retry a 4xx; gives up after the last attempt; refuses a node without credential', async () => {
    const seen: Array<{ url: string; headers: Record<string, string>; body: Buffer }> = [];
    const p401 = new Pusher({ url: 'http://p', credentials: [cred], backoffMs: 1, fetch: fakeFetch([401], seen) });
    expect(await p401.push({ providerCode: 'HJ01', node: 'FWY-LLQ', table: 't', records: [{}, {}], idempotencyKey: 'k', format: 'json' })).toMatchObject({ status: 401, rejected: 2, attempts: 1, error: 'x.y: busy' });
    const p500 = new Pusher({ url: 'http://p', credentials: [cred], backoffMs: 1, maxAttempts: 3, fetch: fakeFetch([500], seen) });
    expect(await p500.push({ providerCode: 'HJ01', node: 'FWY-LLQ', table: 't', records: [{}], idempotencyKey: 'k', format: 'json' })).toMatchObject({ status: 500, rejected: 1, attempts: 3 });
    expect(await p500.push({ providerCode: 'ZZ01', node: 'N', table: 't', records: [{}], idempotencyKey: 'k', format: 'json' })).toMatchObject({ status: 0, error: expect.stringMatching(/no credential/) });
  });

  it('limits the requests in flight', async () => {
    let inFlight = 0;
    let max = 0;
    const slow = (async () => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight--;
      return new Response(JSON.stringify({ accepted: 1, rejected: 0 }), { status: 200 });
    }) as unknown as typeof fetch;
    const pusher = new Pusher({ url: 'http://p', credentials: [cred], concurrency: 3, fetch: slow });
    await Promise.all(Array.from({ length: 12 }, (_, i) => pusher.push({ providerCode: 'HJ01', node: 'FWY-LLQ', table: 't', records: [{}], idempotencyKey: `k${i}`, format: 'json' })));
    expect(max).toBe(3);
  });
});

describe('pusher cancel', () => {
  it('aborts the requests in flight and answers the waiting ones without sending them', async () => {
    let sent = 0;
    const hanging = ((_url: string, init: RequestInit) => {
      sent++;
      return new Promise<Response>((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    }) as unknown as typeof fetch;
    const pusher = new Pusher({ url: 'http://p', credentials: [cred], concurrency: 2, backoffMs: 1, fetch: hanging });
    const pushes = Array.from({ length: 6 }, (_, i) => pusher.push({ providerCode: 'HJ01', node: 'FWY-LLQ', table: 't', records: [{}], idempotencyKey: `k${i}`, format: 'json' }));
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toBe(2);
    pusher.cancel({ abortInFlight: true });
    const outcomes = await Promise.all(pushes);
    expect(sent).toBe(2);
    expect(outcomes.every((o) => o.error === 'cancelled' && o.accepted === 0)).toBe(true);
    expect(pusher.pending).toBe(0);
    expect((await pusher.push({ providerCode: 'HJ01', node: 'FWY-LLQ', table: 't', records: [{}], idempotencyKey: 'late', format: 'json' })).error).toBe('cancelled');
  });
});

describe('credentials file', () => {
  it('is checked entry by entry and gives the skeleton (rooms and systems when given)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-sim-'));
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify([
      { ...cred, rooms: ['LLQ1'], systems: [{ systemId: 'U-GGZY001', name: '交易平台' }] },
      { ...cred, node: 'BGY-TZ' },
      { providerCode: 'YS01', nodes: ['FWY-TZ', 'BF-MY'], token: 'zyi_other_token', signingSecret: 'another-secret' },
    ]));
    const sk = skeletonFromCredentials(readCredentialsFile(good));
    expect(sk.map((p) => [p.code, p.nodes.map((n) => n.code)])).toEqual([['HJ01', ['FWY-LLQ', 'BGY-TZ']], ['YS01', ['FWY-TZ', 'BF-MY']]]);
    expect(sk[0]!.nodes[0]!.rooms).toEqual(['LLQ1']);
    expect(sk[0]!.nodes[0]!.systems).toEqual([{ systemId: 'U-GGZY001', name: '交易平台', unitCode: 'U-GGZY', unitName: 'U-GGZY', registered: true }]);
    expect(sk[0]!.nodes[1]!.systems.every((s) => !s.registered)).toBe(true);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify([{ ...cred, providerCode: 'CSP-HJ' }]));
    expect(() => readCredentialsFile(bad)).toThrow(/entry 0: providerCode must be the 4-character cloudProvider code/);
    fs.writeFileSync(bad, JSON.stringify([{ providerCode: 'HJ01', token: 'zyi_test_token', signingSecret: 'secret-0123456789' }]));
    expect(() => readCredentialsFile(bad)).toThrow(/entry 0: node/);
    fs.writeFileSync(bad, '{');
    expect(() => readCredentialsFile(bad)).toThrow(/cannot read it as JSON/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('query endpoint', () => {
  it('answers the poller’s three resources, checks the signature when the secret is set, 503 in an outage', async () => {
    const fleet = buildFleet(skeletonFromCredentials([{ ...cred, rooms: ['LLQ1'] }]), { seed: 1, hostsPerSystem: 2 });
    let down = false;
    const server = await startQueryEndpoint(fleet.providers[0]!, { isDown: () => down });
    try {
      const base = server.baseUrl('FWY-LLQ');
      const vm = (await (await fetch(`${base}/vm-states`)).json()) as Array<{ cloudHostId: string; runStatus: string }>;
      expect(vm).toHaveLength(fleet.providers[0]!.nodes[0]!.hosts.length);
      expect(vm[0]!.runStatus).toBe('RUNN');
      const status = (await (await fetch(`${base}/platform-status`)).json()) as { cpuAllocated: number; vmCount: number };
      expect(status.vmCount).toBe(vm.length);
      expect(((await (await fetch(`${base}/quotas`)).json()) as unknown[]).length).toBe(3);
      expect((await fetch(`${base}/nothing`)).status).toBe(404);
      server.setSecret('FWY-LLQ', 'endpoint-secret');
      expect((await fetch(`${base}/quotas`)).status).toBe(401);
      const pathWithQuery = new URL(`${base}/quotas`).pathname;
      const headers = { authorization: 'Bearer zhengyun', [SIGNATURE_HEADERS.timestamp]: '1', [SIGNATURE_HEADERS.nonce]: 'nonce-0123456789abcdef' };
      const sig = signRequest('endpoint-secret', { method: 'GET', pathWithQuery, timestamp: '1', nonce: 'nonce-0123456789abcdef', body: '' });
      expect((await fetch(`${base}/quotas`, { headers: { ...headers, [SIGNATURE_HEADERS.signature]: sig } })).status).toBe(200);
      down = true;
      expect((await fetch(`${base}/quotas`, { headers: { ...headers, [SIGNATURE_HEADERS.signature]: sig } })).status).toBe(503);
    } finally {
      await server.close();
    }
  });
});
