import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg } from '../../test/fixtures.js';
import { SYSTEM_ACTOR, systemContext, type RequestContext } from '../../platform/context.js';
import { withTx } from '../../platform/db/database.js';
import { INTERFACE_TABLES, signedHeaders, type BatchResult } from './index.js';
import { beijingDateTime, sampleRecord } from './validator.js';

let t: TestApp;
let owner: pg.Client;
let providerA: { id: string };
let providerB: { id: string };
let nodeA: string;
let nodeACode: string;
let nodeA2Code: string;
let nodeBCode: string;
let codeA: string;
let codeB: string;
let credA: { token: string; signingSecret: string };
let credALimited: { token: string; signingSecret: string };
let credB: { token: string; signingSecret: string };
const ROOM = 'R001';

function code4(): string {
  const abc = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let s = 'Q';
  for (let i = 0; i < 3; i++) s += abc[Math.floor(Math.random() * abc.length)];
  return s;
}

/** GBK bytes of a text, from the platform's decoder (tests only). */
function gbk(s: string): Buffer {
  const map = new Map<string, number[]>();
  const dec = new TextDecoder('gbk');
  for (let a = 0x81; a <= 0xfe; a++)
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const ch = dec.decode(Buffer.from([a, b]));
      if (ch.length === 1 && ch !== '\ufffd' && !map.has(ch)) map.set(ch, [a, b]);
    }
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    out.push(...(c < 0x80 ? [c] : map.get(ch)!));
  }
  return Buffer.from(out);
}

interface PushOpts {
  node?: string;
  mode?: 'partial' | 'atomic';
  contentType?: string;
  key?: string;
  cred?: { token: string; signingSecret: string };
}

async function push(table: string, body: string | Buffer | unknown[], opts: PushOpts = {}) {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const url = `/api/ingest/v1/${table}?node=${encodeURIComponent(opts.node ?? nodeACode)}${opts.mode ? `&mode=${opts.mode}` : ''}`;
  const headers = signedHeaders(opts.cred ?? credA, { method: 'POST', pathWithQuery: url, body: payload });
  return t.app.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': opts.contentType ?? 'application/json', ...(opts.key ? { 'idempotency-key': opts.key } : {}) },
    payload,
  });
}

const codes = () => ({ machineRoom: ROOM, cloudProvider: codeA });

async function storedRows(sqlTable: string, batchId: string): Promise<Array<Record<string, unknown>>> {
  return (await owner.query(`select * from ${sqlTable} where batch_id = $1 order by ctid`, [batchId])).rows;
}

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  providerA = await createOrg(t, { kind: 'cloud_provider' });
  providerB = await createOrg(t, { kind: 'cloud_provider' });
  const sys = systemContext('test');
  nodeACode = unique('PA').slice(0, 30);
  nodeA2Code = unique('PA2').slice(0, 30);
  nodeBCode = unique('PB').slice(0, 30);
  nodeA = await t.container.directory.ensureCloudNode(sys, { code: nodeACode, name: '节点A', cloudType: 'service', providerOrgId: providerA.id });
  await t.container.directory.ensureCloudNode(sys, { code: nodeA2Code, name: '节点A2', cloudType: 'office', providerOrgId: providerA.id });
  const nodeB = await t.container.directory.ensureCloudNode(sys, { code: nodeBCode, name: '节点B', cloudType: 'service', providerOrgId: providerB.id });
  await t.container.directory.createRoom(sys, nodeA, { code: ROOM, name: '一号机房' });
  await t.container.directory.createRoom(sys, nodeB, { code: 'R777', name: 'B 机房' });
  for (;;) {
    codeA = code4();
    codeB = code4();
    if (codeA === codeB) continue;
    const r = await owner.query(
      `insert into ingest_code_values (code_table, code, label_zh, org_id) values ('cloudProvider', $1, '甲', $2), ('cloudProvider', $3, '乙', $4) on conflict do nothing`,
      [codeA, providerA.id, codeB, providerB.id],
    );
    if (r.rowCount === 2) break;
    await owner.query(`delete from ingest_code_values where org_id in ($1, $2)`, [providerA.id, providerB.id]);
  }
  t.container.pushWriter.codes.invalidate();
  const issue = async (providerOrgId: string, nodeIds?: string[]) => {
    const c = await t.container.credentials.issue(sys, { providerOrgId, name: unique('cred-'), ...(nodeIds ? { nodeIds } : {}) });
    return { token: c.token, signingSecret: c.signingSecret };
  };
  credA = await issue(providerA.id);
  credALimited = await issue(providerA.id, [nodeA]);
  credB = await issue(providerB.id);
});

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('every interface table', () => {
  it.each(INTERFACE_TABLES.map((x) => [x.name, x] as const))('%s: a valid record is accepted and stored', async (_name, table) => {
    const rec = sampleRecord(table, { codes: codes() });
    const res = await push(table.name, [rec]);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as BatchResult;
    expect(body).toMatchObject({ table: table.name, status: 'accepted', recordCount: 1, accepted: 1, rejected: 0, errors: [], replayed: false });
    const rows = await storedRows(table.sqlTable, body.batchId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider_org_id: providerA.id, node_id: nodeA });
    expect(rows[0]!.record_time === null).toBe(table.timeField === null);
    const text = table.fields.find((f) => f.rule.kind === 'text' && !f.codeTable && !f.semantic);
    if (text) expect(rows[0]![text.column]).toBe(rec[text.name]);
  });
});

describe('per-record errors and batch modes', () => {
  const at = Date.now();
  const good = () => sampleRecord(INTERFACE_TABLES.find((x) => x.name === 'cloudHostMonitoring')!, { codes: codes(), at });
  const batch = () => [good(), { ...good(), cpuUsage: '1000.5', color: 'red' }, good(), { ...good(), internalIp: '10.0.0.300', monitoredAt: '2024-02-30 10:00:00' }];

  it('partial (default): the valid records are stored, every error named by index, field, value and rule', async () => {
    const res = await push('cloudHostMonitoring', batch());
    expect(res.statusCode).toBe(200);
    const body = res.json() as BatchResult;
    expect(body).toMatchObject({ status: 'partial', recordCount: 4, accepted: 2, rejected: 2 });
    expect(body.errors.map((e) => [e.index, e.field, e.value, e.rule])).toEqual([
      [1, 'color', 'red', 'unknown_field'],
      [1, 'cpuUsage', '1000.5', 'digits'],
      [3, 'monitoredAt', '2024-02-30 10:00:00', 'datetime'],
      [3, 'internalIp', '10.0.0.300', 'ip'],
    ]);
    expect(body.errors[1]!.message).toContain('cpuUsage (n1..3,2)');
    expect(await storedRows('ingest_cloud_host_monitoring', body.batchId)).toHaveLength(2);
    const b = (await owner.query('select * from ingest_batches where id = $1', [body.batchId])).rows[0];
    expect(b).toMatchObject({ status: 'partial', record_count: 4, accepted_count: 2, rejected_count: 2, on_time_count: 2, source: 'api', mode: 'partial' });
    expect(b.errors).toHaveLength(4);
  });

  it('atomic: one bad record and nothing is stored (422), the batch is recorded as rejected', async () => {
    const res = await push('cloudHostMonitoring', batch(), { mode: 'atomic' });
    expect(res.statusCode).toBe(422);
    const body = res.json() as BatchResult;
    expect(body).toMatchObject({ status: 'rejected', recordCount: 4, accepted: 0, rejected: 4 });
    expect(body.errors).toHaveLength(4);
    expect(await storedRows('ingest_cloud_host_monitoring', body.batchId)).toHaveLength(0);
    const ok = await push('cloudHostMonitoring', [good(), good()], { mode: 'atomic' });
    expect(ok.statusCode).toBe(200);
    expect(await storedRows('ingest_cloud_host_monitoring', ok.json().batchId)).toHaveLength(2);
  });

  it('timeliness: a record older than its period + 5 minutes is stored but not on time', async () => {
    const late = { ...good(), monitoredAt: beijingDateTime(Date.now() - 3_600_000) };
    const res = await push('cloudHostMonitoring', [good(), late]);
    const b = (await owner.query('select accepted_count, on_time_count from ingest_batches where id = $1', [res.json().batchId])).rows[0];
    expect(b).toEqual({ accepted_count: 2, on_time_count: 1 });
  });

  it('code tables: the node machine rooms and the provider own code', async () => {
    const tbl = INTERFACE_TABLES.find((x) => x.name === 'platformSpec')!;
    const ok = sampleRecord(tbl, { codes: codes() });
    const res = await push('platformSpec', [ok, { ...ok, machineRoom: 'R777' }, { ...ok, cloudProvider: codeB }, { ...ok, cloudProvider: 'ZZZZ' }]);
    expect(res.json().errors.map((e: { index: number; rule: string }) => [e.index, e.rule])).toEqual([
      [1, 'code'],
      [2, 'own_provider'],
      [3, 'code'],
    ]);
  });

  it('a code added while the cache holds the old table is found at once', async () => {
    const tbl = INTERFACE_TABLES.find((x) => x.name === 'cloudHostSpec')!;
    const fresh = code4();
    const rec = { ...sampleRecord(tbl, { codes: codes() }), cloudHostType: fresh };
    await push('cloudHostSpec', [sampleRecord(tbl, { codes: codes() })]);
    await owner.query(`insert into ingest_code_values (code_table, code, label_zh) values ('cloudHostType', $1, '新型') on conflict do nothing`, [fresh]);
    await new Promise((r) => setTimeout(r, 300));
    const res = await push('cloudHostSpec', [rec]);
    expect(res.json()).toMatchObject({ status: 'accepted' });
    await owner.query(`delete from ingest_code_values where code_table = 'cloudHostType' and code = $1`, [fresh]);
  });
});

describe('idempotency', () => {
  it('a retried batch is answered from the stored result and not stored twice; another body with the key is a conflict', async () => {
    const tbl = INTERFACE_TABLES.find((x) => x.name === 'hostLog')!;
    const body = JSON.stringify([sampleRecord(tbl, { seq: 1 }), sampleRecord(tbl, { seq: 2 })]);
    const key = unique('idem-');
    const first = await push('hostLog', body, { key });
    expect(first.statusCode).toBe(200);
    const again = await push('hostLog', body, { key });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    const n = await owner.query(`select count(*)::int as n from ingest_host_log where batch_id = $1`, [first.json().batchId]);
    expect(n.rows[0].n).toBe(2);
    const other = await push('hostLog', JSON.stringify([sampleRecord(tbl, { seq: 3 })]), { key });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('ingest.idempotency_conflict');
    const concurrent = unique('idem-');
    const both = await Promise.all([push('hostLog', body, { key: concurrent }), push('hostLog', body, { key: concurrent })]);
    expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(both.map((r) => r.json().replayed).sort()).toEqual([false, true]);
    expect(await storedRows('ingest_host_log', both[0]!.json().batchId)).toHaveLength(2);
  });
  it('onStored announces each new batch once after its commit, never a replay', async () => {
    const tbl = INTERFACE_TABLES.find((x) => x.name === 'hostLog')!;
    const seen: Array<{ batchId: string; table: string; accepted: number }> = [];
    t.container.pushWriter.onStored((b) => seen.push({ batchId: b.batchId, table: b.table, accepted: b.accepted }));
    const key = unique('notice-');
    const body = JSON.stringify([sampleRecord(tbl, { seq: 1 }), sampleRecord(tbl, { seq: 2 })]);
    const first = (await push('hostLog', body, { key })).json();
    await push('hostLog', body, { key });
    const mine = seen.filter((s) => s.batchId === first.batchId);
    expect(mine).toEqual([{ batchId: first.batchId, table: 'hostLog', accepted: 2 }]);
    const committed = await owner.query('select count(*)::int as n from ingest_host_log where batch_id = $1', [first.batchId]);
    expect(committed.rows[0].n).toBe(2);
  });
  it("keys are stored as given: quotes, backslashes, Chinese", async () => {
    const tbl = INTERFACE_TABLES.find((x) => x.name === 'hostLog')!;
    const key = `it's a "key" \\ 批次 ${unique()}`;
    const body = JSON.stringify([sampleRecord(tbl)]);
    const first = await push('hostLog', body, { key });
    expect(first.statusCode).toBe(200);
    const stored = await owner.query('select idempotency_key, body_sm3 from ingest_batches where id = $1', [first.json().batchId]);
    expect(stored.rows[0].idempotency_key).toBe(key);
    expect(stored.rows[0].body_sm3).toMatch(/^[0-9a-f]{64}$/);
    expect((await push('hostLog', body, { key })).json().replayed).toBe(true);
  });
  it('the key is 1–200 characters', async () => {
    const res = await push('hostLog', '[]', { key: 'k'.repeat(201) });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('ingest.idempotency_key_invalid');
  });
});

describe('group commit', () => {
  it('concurrent batches are written together, each with its own id, result and idempotency', async () => {
    const tbl = INTERFACE_TABLES.find((x) => x.name === 'hostLog')!;
    const w = t.container.pushWriter;
    const base = { providerOrgId: providerA.id, nodeId: nodeA, table: 'hostLog', source: 'api' as const, mode: 'partial' as const };
    const recs = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ ...sampleRecord(tbl, { seq: i }), logBody: `${tag}-${i}` }));
    const key = unique('grp-');
    const conflictKey = unique('grp-');
    await w.writeBatch({ ...base, records: recs(1, 'first'), idempotencyKey: conflictKey, bodySm3: 'a'.repeat(64) });
    const jobs = [
      ...Array.from({ length: 24 }, (_, i) => w.writeBatch({ ...base, records: recs(3 + (i % 5), `plain${i}`) })),
      w.writeBatch({ ...base, records: recs(4, 'keyed'), idempotencyKey: key, bodySm3: 'b'.repeat(64) }),
      w.writeBatch({ ...base, records: recs(4, 'keyed'), idempotencyKey: key, bodySm3: 'b'.repeat(64) }),
      w.writeBatch({ ...base, records: recs(2, 'conflict'), idempotencyKey: conflictKey, bodySm3: 'c'.repeat(64) }),
      w.writeBatch({ ...base, mode: 'atomic', records: [...recs(2, 'atomic'), { nope: 1 }] }),
    ];
    const settled = await Promise.allSettled(jobs);
    const ok = settled.slice(0, 24).map((s) => (s as PromiseFulfilledResult<BatchResult>).value);
    expect(new Set(ok.map((r) => r.batchId)).size).toBe(24);
    ok.forEach((r, i) => expect(r).toMatchObject({ status: 'accepted', accepted: 3 + (i % 5), replayed: false }));
    const [k1, k2] = [settled[24], settled[25]].map((s) => (s as PromiseFulfilledResult<BatchResult>).value);
    expect(k1!.batchId).toBe(k2!.batchId);
    expect([k1!.replayed, k2!.replayed].sort()).toEqual([false, true]);
    expect(settled[26]).toMatchObject({ status: 'rejected', reason: { code: 'ingest.idempotency_conflict' } });
    expect(settled[27]).toMatchObject({ status: 'fulfilled', value: { status: 'rejected', accepted: 0 } });
    const ids = [...ok.map((r) => r.batchId), k1!.batchId];
    const stored = await owner.query<{ batch_id: string; n: number; tags: number }>(
      `select batch_id::text, count(*)::int as n, count(distinct split_part(log_body, '-', 1))::int as tags from ingest_host_log where batch_id = any($1::bigint[]) group by batch_id`,
      [ids],
    );
    const byId = new Map(stored.rows.map((r) => [r.batch_id, r]));
    ok.forEach((r) => expect(byId.get(r.batchId)).toMatchObject({ n: r.accepted, tags: 1 }));
    expect(byId.get(k1!.batchId)).toMatchObject({ n: 4, tags: 1 });
    // Grouped: fewer transactions than batches.
    const tx = await owner.query<{ n: number }>(`select count(distinct xmin::text)::int as n from ingest_batches where id = any($1::bigint[])`, [ids]);
    expect(tx.rows[0]!.n).toBeLessThan(ids.length);
  });

  it('a batch the database refuses fails alone; the others of its group are stored', async () => {
    const tbl = INTERFACE_TABLES.find((x) => x.name === 'hostLog')!;
    const w = t.container.pushWriter;
    const base = { providerOrgId: providerA.id, nodeId: nodeA, table: 'hostLog', source: 'api' as const, mode: 'partial' as const };
    const jobs = Array.from({ length: 12 }, (_, i) =>
      w.writeBatch({ ...base, records: [sampleRecord(tbl, { seq: i })], ...(i === 5 ? { idempotencyKey: 'k'.repeat(201), bodySm3: 'd'.repeat(64) } : {}) }),
    );
    const settled = await Promise.allSettled(jobs);
    expect(settled.map((s) => s.status)).toEqual(settled.map((_, i) => (i === 5 ? 'rejected' : 'fulfilled')));
    expect((settled[5] as PromiseRejectedResult).reason).toMatchObject({ code: '23514' });
    const ids = settled.filter((s) => s.status === 'fulfilled').map((s) => (s as PromiseFulfilledResult<BatchResult>).value.batchId);
    const n = await owner.query<{ n: number }>(`select count(*)::int as n from ingest_host_log where batch_id = any($1::bigint[])`, [ids]);
    expect(n.rows[0]!.n).toBe(11);
  });
});

describe('bodies', () => {
  const head = '产生日期,云主机 ID,主机名称,主机 IP,操作系统类型,日志名称,日志类型,日志正文\r\n';
  it('GBK CSV with the Chinese header, stored as text', async () => {
    const body = gbk(`${head}${beijingDateTime(Date.now())},vm-1,主机一,10.0.0.1,麒麟,安全日志,登录,"用户 张三 登录成功, 来自 ""堡垒机"""\r\n`);
    const res = await push('hostLog', body, { contentType: 'text/csv; charset=gbk' });
    expect(res.statusCode, res.body).toBe(200);
    const rows = await storedRows('ingest_host_log', res.json().batchId);
    expect(rows[0]).toMatchObject({ host_name: '主机一', os_type: '麒麟', log_body: '用户 张三 登录成功, 来自 "堡垒机"' });
  });
  it('NDJSON, and text with tabs, newlines and backslashes stored exactly', async () => {
    const tbl = INTERFACE_TABLES.find((x) => x.name === 'hostLog')!;
    const tricky = 'a\tb\nc\\d\\N e\r\n 😀 末尾';
    const lines = [JSON.stringify({ ...sampleRecord(tbl), logBody: tricky }), '', JSON.stringify(sampleRecord(tbl)), '{not json'].join('\n');
    const res = await push('hostLog', lines, { contentType: 'application/x-ndjson' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 2, rejected: 1, errors: [{ index: 2, rule: 'json' }] });
    expect((await storedRows('ingest_host_log', res.json().batchId))[0]!.log_body).toBe(tricky);
  });
  it('NUL characters in values and field names are reported, not a server error', async () => {
    const tbl = INTERFACE_TABLES.find((x) => x.name === 'hostLog')!;
    const res = await push('hostLog', [{ ...sampleRecord(tbl), logBody: 'a\u0000b', ['x\u0000y']: 1 }, sampleRecord(tbl)]);
    expect(res.statusCode).toBe(200);
    expect(res.json().errors.map((e: { field: string; value: string; rule: string }) => [e.field, e.value, e.rule])).toEqual([
      ['x\ufffdy', '1', 'unknown_field'],
      ['logBody', 'a\ufffdb', 'format'],
    ]);
  });
  it('truncated CSV: 400 naming the line', async () => {
    const res = await push('hostLog', `${head}2024-06-01 08:00:00,vm,h,10.0.0.1,linux,l,t,"cut off`, { contentType: 'text/csv' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'ingest.csv_malformed', details: { line: 2 } });
  });
  it('wrong encoding: GBK sent as UTF-8 is refused', async () => {
    const res = await push('hostLog', gbk('occurredAt,cloudHostId,hostName,hostIp,osType,logName,logType,logBody\n2024-06-01 08:00:00,vm,主机,10.0.0.1,麒麟,l,t,x\n'), { contentType: 'text/csv; charset=utf-8' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'ingest.bad_encoding', details: { line: 2 } });
  });
  it('a 10 MB body: 413', async () => {
    const res = await push('hostLog', Buffer.alloc(10 * 1024 * 1024, 0x20));
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('ingest.body_too_large');
  });
  it('more than 10,000 records: 413', async () => {
    const res = await push('hostLog', '{}\n'.repeat(10_001), { contentType: 'application/x-ndjson' });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('ingest.too_many_records');
  });
  it('an empty batch, an unknown content type, an unknown table', async () => {
    expect((await push('hostLog', '[]')).json().code).toBe('ingest.empty_batch');
    expect((await push('hostLog', '[]', { contentType: 'text/plain' })).json().code).toBe('ingest.unsupported_media_type');
    const res = await push('noSuchTable', '[]');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('ingest.unknown_table');
  });
});

describe('who may push what', () => {
  const rec = () => sampleRecord(INTERFACE_TABLES.find((x) => x.name === 'hostLog')!);
  it("another provider's node is refused (403), as is a node outside the credential's nodes", async () => {
    const res = await push('hostLog', [rec()], { node: nodeBCode });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toMatch(/^ingest\.(own_node|node_not_yours)$/);
    const limited = await push('hostLog', [rec()], { node: nodeA2Code, cred: credALimited });
    expect(limited.statusCode).toBe(403);
    expect((await push('hostLog', [rec()], { node: nodeA2Code })).statusCode).toBe(200);
  });
  it('an unsigned or wrongly signed request is refused (401)', async () => {
    const url = `/api/ingest/v1/hostLog?node=${nodeACode}`;
    const res = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify([rec()]) });
    expect(res.statusCode).toBe(401);
    const headers = signedHeaders(credA, { method: 'POST', pathWithQuery: url, body: '[]' });
    const forged = await t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify([rec()]) });
    expect(forged.statusCode).toBe(401);
  });
  it("RLS: provider B cannot read provider A's rows; A can", async () => {
    const res = await push('hostLog', [rec()]);
    const batchId = res.json().batchId as string;
    const scoped = (orgId: string): RequestContext => ({
      actor: { ...SYSTEM_ACTOR, kind: 'user', orgId, orgKind: 'cloud_provider', scope: { all: false, roots: [orgId] }, businessAccess: true },
      requestId: 'rls-test',
      ip: null,
      userAgent: null,
    });
    const count = (ctx: RequestContext) =>
      withTx(t.deps.db, ctx, async (trx) => {
        const r = await sql<{ n: number }>`select count(*)::int as n from ingest_host_log where batch_id = ${batchId}`.execute(trx);
        const b = await sql<{ n: number }>`select count(*)::int as n from ingest_batches where id = ${batchId}`.execute(trx);
        return [r.rows[0]!.n, b.rows[0]!.n];
      });
    expect(await count(scoped(providerA.id))).toEqual([1, 1]);
    expect(await count(scoped(providerB.id))).toEqual([0, 0]);
    // Pushing with B's credential for B's node stores B's rows, invisible to A.
    const tbl = INTERFACE_TABLES.find((x) => x.name === 'hostLog')!;
    const resB = await push('hostLog', [sampleRecord(tbl)], { node: nodeBCode, cred: credB });
    expect(resB.statusCode).toBe(200);
  });
});
