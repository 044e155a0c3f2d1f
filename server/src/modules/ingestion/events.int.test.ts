import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { auditRecords, createOrg, signedInUser, type Session } from '../../test/fixtures.js';
import { SYSTEM_ACTOR, systemContext, type RequestContext } from '../../platform/context.js';
import { withTx } from '../../platform/db/database.js';
import { signedHeaders, parseBeijingDateTime, validateEvents } from './index.js';

let t: TestApp;
let providerA: { id: string };
let providerB: { id: string };
let nodeA: { id: string; code: string };
let nodeB: { id: string; code: string };
let credA: { token: string; signingSecret: string };
let credB: { token: string; signingSecret: string };
let mgmt: Session;
let supervisor: Session;
let staffA: Session;
let staffB: Session;
let unitStaff: Session;

function push(cred: { token: string; signingSecret: string }, node: string, body: unknown, opts: { raw?: string | Buffer; query?: string; contentType?: string } = {}) {
  const url = `/api/ingest/v1/events?node=${encodeURIComponent(node)}${opts.query ?? ''}`;
  const payload = opts.raw ?? JSON.stringify(body);
  const headers = signedHeaders(cred, { method: 'POST', pathWithQuery: url, body: payload });
  return t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': opts.contentType ?? 'application/json' }, payload });
}

const event = (over: Record<string, unknown> = {}) => ({
  externalId: unique('ev-'),
  kind: 'alarm',
  category: '安全告警',
  severity: 'major',
  occurredAt: '2026-11-30 14:05:00',
  title: '主机 web-01 检测到暴力破解',
  detail: '5 分钟内 300 次 SSH 登录失败',
  resources: [{ cloudHostId: 'vm-0001' }],
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  const m = await createOrg(t, { kind: 'management_unit' });
  const s = await createOrg(t, { kind: 'supervision_provider' });
  providerA = await createOrg(t, { kind: 'cloud_provider' });
  providerB = await createOrg(t, { kind: 'cloud_provider' });
  const unit = await createOrg(t, { kind: 'user_unit' });
  const sys = systemContext('test');
  const codeA = unique('EA').slice(0, 30);
  const codeB = unique('EB').slice(0, 30);
  nodeA = { id: await t.container.directory.ensureCloudNode(sys, { code: codeA, name: '节点A', cloudType: 'service', providerOrgId: providerA.id }), code: codeA };
  nodeB = { id: await t.container.directory.ensureCloudNode(sys, { code: codeB, name: '节点B', cloudType: 'service', providerOrgId: providerB.id }), code: codeB };
  credA = await t.container.credentials.issue(sys, { providerOrgId: providerA.id, name: 'a' });
  credB = await t.container.credentials.issue(sys, { providerOrgId: providerB.id, name: 'b' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  supervisor = (await signedInUser(t, { orgId: s.id, roles: ['supervisor_staff'] })).session;
  staffA = (await signedInUser(t, { orgId: providerA.id, roles: ['provider_staff'] })).session;
  staffB = (await signedInUser(t, { orgId: providerB.id, roles: ['provider_staff'] })).session;
  unitStaff = (await signedInUser(t, { orgId: unit.id, roles: ['unit_staff'] })).session;
});

afterAll(async () => {
  await t?.close();
});

describe('event validation (pure)', () => {
  it('reads Beijing date-times and refuses impossible ones', () => {
    expect(parseBeijingDateTime('2026-11-30 14:05:00')?.toISOString()).toBe('2026-11-30T06:05:00.000Z');
    expect(parseBeijingDateTime('2026-01-01 00:00:00')?.toISOString()).toBe('2025-12-31T16:00:00.000Z');
    for (const bad of ['2026-02-30 10:00:00', '2026-11-30 24:00:00', '2026-11-30T14:05:00', '2026-11-30 14:05', '2026-13-01 00:00:00']) expect(parseBeijingDateTime(bad), bad).toBeNull();
  });

  it('names index, field, value and rule for every broken field', () => {
    const { valid, errors } = validateEvents([
      event(),
      { ...event(), kind: 'incident', severity: 'high', title: 'x'.repeat(201), extra: 1 },
      { ...event(), externalId: '', occurredAt: '2026-02-30 10:00:00', category: 5 },
      'not an object',
      { ...event(), resources: [{ foo: 'x' }, { systemId: '' }] },
      { ...event(), detail: undefined, resources: undefined },
    ]);
    expect(valid.map((v) => v.index)).toEqual([0, 5]);
    const rules = errors.map((e) => `${e.index}:${e.field}:${e.rule}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        '1:extra:unknown_field',
        '1:kind:code',
        '1:severity:code',
        '1:title:length',
        '2:externalId:required',
        '2:category:type',
        '2:occurredAt:datetime',
        '3:null:not_object',
        '4:resources[0].foo:unknown_field',
        '4:resources[0]:required',
        '4:resources[1].systemId:length',
      ]),
    );
    expect(errors.find((e) => e.field === 'severity')?.value).toBe('high');
    expect(errors.find((e) => e.field === 'title')?.value).toHaveLength(200);
    // Lengths count characters, not bytes: 200 Chinese characters are a valid title.
    expect(validateEvents([event({ title: '告'.repeat(200) })]).errors).toEqual([]);
  });
});

describe('POST /api/ingest/v1/events', () => {
  it('stores signed events and answers per event; a retried push stores nothing twice', async () => {
    const e1 = event({ kind: 'major_change', category: '内存扩容', severity: 'info', title: '宿主机 h-12 内存由 512GB 扩至 1TB', resources: [{ cloudHostId: 'vm-1' }, { systemId: 'SYS-9' }] });
    const e2 = event();
    const res = await push(credA, nodeA.code, [e1, e2]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'accepted', recordCount: 2, accepted: 2, duplicates: 0, rejected: 0, errors: [] });
    const again = await push(credA, nodeA.code, [e1, e2]);
    expect(again.json()).toMatchObject({ status: 'accepted', accepted: 0, duplicates: 2 });
    expect(again.json().events.map((e: { id: string }) => e.id)).toEqual(res.json().events.map((e: { id: string }) => e.id));
    // One object instead of an array is fine too.
    const single = await push(credA, nodeA.code, event());
    expect(single.json()).toMatchObject({ accepted: 1 });

    const list = await t.app.inject({ url: `/api/ingest/events?nodeId=${nodeA.id}&kind=major_change`, headers: mgmt.headers });
    expect(list.statusCode).toBe(200);
    const stored = list.json().items.find((i: { externalId: string }) => i.externalId === e1.externalId);
    expect(stored).toMatchObject({ kind: 'major_change', severity: 'info', occurredAt: '2026-11-30T06:05:00.000Z', node: { code: nodeA.code }, provider: { id: providerA.id }, resources: e1.resources, acknowledgedAt: null });
  });

  it('partial mode stores the valid events and reports the others; atomic mode stores none', async () => {
    const good = event();
    const res = await push(credA, nodeA.code, [good, event({ severity: 'urgent' }), event({ occurredAt: '2026/11/30 14:05:00' })]);
    expect(res.json()).toMatchObject({ status: 'partial', recordCount: 3, accepted: 1, rejected: 2 });
    expect(res.json().errors).toEqual([
      expect.objectContaining({ index: 1, field: 'severity', value: 'urgent', rule: 'code' }),
      expect.objectContaining({ index: 2, field: 'occurredAt', value: '2026/11/30 14:05:00', rule: 'datetime' }),
    ]);
    const goodAtomic = event();
    const atomic = await push(credA, nodeA.code, [goodAtomic, event({ kind: 'x' })], { query: '&mode=atomic' });
    expect(atomic.json()).toMatchObject({ status: 'rejected', accepted: 0 });
    const list = await t.app.inject({ url: `/api/ingest/events?q=${encodeURIComponent(goodAtomic.externalId)}`, headers: mgmt.headers });
    expect(list.json().total).toBe(0);
  });

  it('refuses unsigned, tampered and replayed pushes, another provider’s node and bad bodies', async () => {
    const url = `/api/ingest/v1/events?node=${nodeA.code}`;
    const unsigned = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify([event()]) });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().code).toBe('ingest.signature_missing');

    const body = JSON.stringify([event()]);
    const headers = signedHeaders(credA, { method: 'POST', pathWithQuery: url, body });
    const tampered = await t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: body.replace('major', 'minor') });
    expect(tampered.statusCode).toBe(401);
    expect(tampered.json().code).toBe('ingest.signature_invalid');
    const first = await t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: body });
    expect(first.statusCode).toBe(200);
    const replay = await t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: body });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('ingest.replayed');

    const foreign = await push(credB, nodeA.code, [event()]);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('ingest.own_node');
    expect((await push(credA, 'NO-SUCH-NODE', [event()])).statusCode).toBe(404);

    const notJson = await push(credA, nodeA.code, null, { raw: '[{"externalId": ' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().code).toBe('ingest.malformed_body');
    const empty = await push(credA, nodeA.code, []);
    expect(empty.json().code).toBe('ingest.malformed_body');
    const tooMany = await push(credA, nodeA.code, Array.from({ length: 1001 }, () => ({})));
    expect(tooMany.json()).toMatchObject({ code: 'ingest.too_many_records', details: { max: 1000, count: 1001 } });
    const huge = await push(credA, nodeA.code, null, { raw: Buffer.alloc(5 * 1024 * 1024, 0x20) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('ingest.body_too_large');
  });

  it('the same externalId from two providers is two events', async () => {
    const id = unique('shared-');
    expect((await push(credA, nodeA.code, [event({ externalId: id })])).json().accepted).toBe(1);
    expect((await push(credB, nodeB.code, [event({ externalId: id })])).json().accepted).toBe(1);
  });
});

describe('reading and acknowledging events', () => {
  it('a provider sees only its own events; management and supervision see all; user units none', async () => {
    const a = event();
    const b = event();
    await push(credA, nodeA.code, [a]);
    await push(credB, nodeB.code, [b]);
    const ids = async (s: Session) => (await t.app.inject({ url: '/api/ingest/events?pageSize=200', headers: s.headers })).json().items.map((i: { externalId: string }) => i.externalId);
    expect(await ids(staffA)).toContain(a.externalId);
    expect(await ids(staffA)).not.toContain(b.externalId);
    expect(await ids(staffB)).toContain(b.externalId);
    expect(await ids(staffB)).not.toContain(a.externalId);
    for (const s of [mgmt, supervisor]) expect(await ids(s)).toEqual(expect.arrayContaining([a.externalId, b.externalId]));
    expect((await t.app.inject({ url: '/api/ingest/events', headers: unitStaff.headers })).statusCode).toBe(403);
  });

  it('filters by severity, kind and time range', async () => {
    const crit = event({ severity: 'critical', occurredAt: '2026-06-01 08:00:00' });
    await push(credA, nodeA.code, [crit, event({ severity: 'minor', occurredAt: '2026-06-01 09:00:00' })]);
    const res = await t.app.inject({ url: `/api/ingest/events?severity=critical&from=${encodeURIComponent('2026-06-01T07:59:00+08:00')}&to=${encodeURIComponent('2026-06-01T08:01:00+08:00')}`, headers: staffA.headers });
    expect(res.json().items.map((i: { externalId: string }) => i.externalId)).toEqual([crit.externalId]);
    expect((await t.app.inject({ url: '/api/ingest/events?severity=urgent', headers: staffA.headers })).statusCode).toBe(400);
  });

  it('exports the matching events as .xlsx (audited), only the caller’s own for a provider', async () => {
    const mine = event({ title: '导出测试 A', category: '带宽调整' });
    await push(credA, nodeA.code, [mine]);
    await push(credB, nodeB.code, [event({ title: '导出测试 B' })]);
    const res = await t.app.inject({ url: `/api/ingest/events/export?q=${encodeURIComponent('导出测试')}`, headers: staffA.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('发生时间');
    const titles = ws.getColumn(5).values.slice(2);
    expect(titles).toEqual(['导出测试 A']);
    expect(ws.getRow(2).getCell(1).value).toBe('2026-11-30 14:05:00');
    expect(ws.getRow(2).getCell(2).value).toBe('告警');
    expect(await auditRecords(t, { action: 'provider_events.export' })).not.toHaveLength(0);
    expect((await t.app.inject({ url: '/api/ingest/events/export?severity=bad', headers: staffA.headers })).statusCode).toBe(400);
  });

  it('management staff acknowledge an event once (audited); providers cannot; another provider’s event is 404 to a provider', async () => {
    const e = event();
    const pushed = (await push(credA, nodeA.code, [e])).json();
    const id = pushed.events[0].id;
    expect((await t.app.inject({ method: 'POST', url: `/api/ingest/events/${id}/acknowledge`, headers: staffA.headers, payload: {} })).statusCode).toBe(403);
    const ack = await t.app.inject({ method: 'POST', url: `/api/ingest/events/${id}/acknowledge`, headers: mgmt.headers, payload: { note: '已通知服务商处理' } });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ ackNote: '已通知服务商处理', acknowledgedBy: { username: expect.any(String) } });
    expect((await t.app.inject({ method: 'POST', url: `/api/ingest/events/${id}/acknowledge`, headers: mgmt.headers, payload: {} })).statusCode).toBe(409);
    expect(await auditRecords(t, { action: 'provider_events.acknowledge', targetId: id })).toHaveLength(1);
    const unacked = await t.app.inject({ url: '/api/ingest/events?acknowledged=false&pageSize=200', headers: staffA.headers });
    expect(unacked.json().items.map((i: { id: string }) => i.id)).not.toContain(id);
  });
});

describe('row-level security (the backstop behind the scoped queries)', () => {
  it('a provider’s transaction sees only its own credentials, events, endpoints and poll results; administrators none', async () => {
    await push(credA, nodeA.code, [event()]);
    await push(credB, nodeB.code, [event()]);
    const sys = systemContext('test');
    for (const [node, provider] of [[nodeA, providerA], [nodeB, providerB]] as const) {
      const { endpoint } = await t.container.queryPoller.createEndpoint(sys, { nodeId: node.id, baseUrl: 'http://127.0.0.1:9/none' });
      await withTx(t.deps.db, sys, (trx) =>
        trx.insertInto('providerPollResults').values({ endpointId: endpoint.id, providerOrgId: provider.id, nodeId: node.id, resource: 'quotas', ok: false, durationMs: 1, error: 'x' }).execute(),
      );
    }
    const as = (roots: string[], businessAccess = true): RequestContext => ({ ...sys, actor: { ...SYSTEM_ACTOR, kind: 'user', scope: { all: false, roots }, businessAccess } });
    const owners = async (ctx: RequestContext) =>
      withTx(t.deps.db, ctx, async (trx) => {
        const ids = new Set<string>();
        for (const table of ['ingestCredentials', 'providerEvents', 'providerQueryEndpoints', 'providerPollResults'] as const) {
          const rows = await trx.selectFrom(table).select('providerOrgId').execute();
          for (const r of rows) ids.add(`${table}:${r.providerOrgId === providerA.id ? 'A' : r.providerOrgId === providerB.id ? 'B' : 'other'}`);
        }
        return [...ids].filter((x) => !x.endsWith(':other')).sort();
      });
    expect(await owners(as([providerA.id]))).toEqual(['ingestCredentials:A', 'providerEvents:A', 'providerPollResults:A', 'providerQueryEndpoints:A']);
    expect(await owners(as([providerB.id]))).toEqual(['ingestCredentials:B', 'providerEvents:B', 'providerPollResults:B', 'providerQueryEndpoints:B']);
    // Business access off (the three administrators): nothing, even with every organisation in scope.
    expect(await owners({ ...sys, actor: { ...SYSTEM_ACTOR, kind: 'user', businessAccess: false } })).toEqual([]);
    // A provider cannot write a row for another provider.
    await expect(
      withTx(t.deps.db, as([providerA.id]), (trx) =>
        trx.insertInto('providerEvents').values({ providerOrgId: providerB.id, nodeId: nodeB.id, externalId: unique('x'), kind: 'alarm', category: 'c', severity: 'info', occurredAt: new Date(), title: 't' }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
