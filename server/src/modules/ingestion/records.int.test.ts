import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';
import { IngestRecordsService } from './records.service.js';
import { PushWriter } from './writer.js';

/**
 * Rows are written as the database owner straight into the partitions zy_ingest_ensure_partition() creates, the way
 * the writer stores them (one batch row, then the batch's records), so these tests exercise reading only.
 */
interface Seeded {
  batchId: string;
}

describe('ingest records: search, export, batches', () => {
  let t: TestApp;
  let owner: pg.Client;
  let provA: TestOrg;
  let provB: TestOrg;
  let nodeA: string;
  let nodeB: string;
  let mgmt: Session;
  let staffA: Session;
  let staffB: Session;
  let unitStaff: Session;
  let batchA: Seeded;
  let batchOldA: Seeded;
  let batchB: Seeded;
  const tag = unique('主机甲');
  const now = Date.now();

  async function seedHostLog(provider: string, node: string, receivedAt: Date, rows: number, opts: { host: string; errors?: unknown[] }): Promise<Seeded> {
    const b = await owner.query<{ id: string }>(
      `insert into ingest_batches (provider_org_id, node_id, table_name, source, received_at, record_count, accepted_count, rejected_count, status, errors)
       values ($1, $2, 'hostLog', 'api', $3, $4, $5, $6, $7, $8::jsonb) returning id::text`,
      [provider, node, receivedAt, rows + (opts.errors?.length ?? 0), rows, opts.errors?.length ?? 0, opts.errors?.length ? 'partial' : 'accepted', JSON.stringify(opts.errors ?? [])],
    );
    const batchId = b.rows[0]!.id;
    await owner.query(`select zy_ingest_ensure_partition('hostLog', $1)`, [receivedAt]);
    await owner.query(
      `insert into ingest_host_log (provider_org_id, node_id, batch_id, received_at, record_time, occurred_at, cloud_host_id, host_name, host_ip, os_type, log_name, log_type, log_body)
       select $1, $2, $3, $4, '2026-11-01 08:00:00+08'::timestamptz + make_interval(mins => g), '2026-11-01 08:00:00+08'::timestamptz + make_interval(mins => g),
              'vm-' || g, $5, '10.0.0.' || g, 'Linux', 'secure', case when g % 3 = 0 then 'auth' else 'system' end,
              case when g % 5 = 0 then '登录失败 user=root 100%_done' else '服务启动 ' || g end
       from generate_series(1, $6) g`,
      [provider, node, batchId, receivedAt, opts.host, rows],
    );
    return { batchId };
  }

  beforeAll(async () => {
    t = await createTestApp();
    owner = new pg.Client({ connectionString: t.ownerUrl });
    await owner.connect();
    provA = await createOrg(t, { kind: 'cloud_provider', name: unique('云服务商甲') });
    provB = await createOrg(t, { kind: 'cloud_provider', name: unique('云服务商乙') });
    nodeA = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('NA').slice(0, 20), name: '甲节点', cloudType: 'service', providerOrgId: provA.id });
    nodeB = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('NB').slice(0, 20), name: '乙节点', cloudType: 'service', providerOrgId: provB.id });
    const m = await createOrg(t, { kind: 'management_unit' });
    const unit = await createOrg(t, { kind: 'user_unit' });
    [mgmt, staffA, staffB, unitStaff] = await Promise.all([
      signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] }).then((u) => u.session),
      signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] }).then((u) => u.session),
      signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] }).then((u) => u.session),
      signedInUser(t, { orgId: unit.id, roles: ['unit_staff'] }).then((u) => u.session),
    ]);
    batchA = await seedHostLog(provA.id, nodeA, new Date(now - 3600_000), 30, {
      host: tag,
      errors: [{ index: 30, field: 'hostIp', value: '10.0.0.999', rule: 'ip', message: 'hostIp must be an IP address' }],
    });
    batchOldA = await seedHostLog(provA.id, nodeA, new Date(now - 3 * 86_400_000), 5, { host: tag });
    batchB = await seedHostLog(provB.id, nodeB, new Date(now - 1800_000), 10, { host: `${tag}-B` });
  });
  afterAll(async () => {
    await owner?.end();
    await t?.close();
  });

  const get = (session: Session, url: string) => t.app.inject({ url, headers: session.headers });
  type ListBody = { items: Array<{ batchId: string; providerName: string | null; nodeName: string | null; receivedAt: string; values: Record<string, string | null> }>; total: number; totalCapped: boolean };

  it('describes every table: categories, Chinese names, formats, retention', async () => {
    const res = await get(mgmt, '/api/ingest/tables');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { categories: Array<{ name: string; tables: string[] }>; tables: Array<{ name: string; cn: string; minRetentionDays: number; retentionDays: number; fields: Array<{ name: string; cn: string; format: string; kind: string; codeTable: string | null }> }> };
    expect(body.categories).toHaveLength(7);
    expect(body.tables).toHaveLength(35);
    expect(body.categories.flatMap((c) => c.tables)).toHaveLength(35);
    const hostLog = body.tables.find((x) => x.name === 'hostLog')!;
    expect(hostLog.cn).toBe('主机日志');
    expect(hostLog.minRetentionDays).toBe(183);
    expect(hostLog.fields.find((f) => f.name === 'occurredAt')).toMatchObject({ cn: '产生日期', format: 'an19', kind: 'datetime' });
    expect(body.tables.find((x) => x.name === 'tcp')!.minRetentionDays).toBe(31);
    expect(body.tables.find((x) => x.name === 'vulnerabilityScan')!.fields.find((f) => f.name === 'riskLevel')!.codeTable).toBe('riskLevel');
  });

  it('searches the last 24 hours by default, newest first, keyed by field names with provider and node names', async () => {
    const res = await get(mgmt, `/api/ingest/tables/hostLog/records?provider=${provA.id}&pageSize=10`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as ListBody;
    expect(body.total).toBe(30);
    expect(body.totalCapped).toBe(false);
    expect(body.items).toHaveLength(10);
    const r = body.items[0]!;
    expect(r.batchId).toBe(batchA.batchId);
    expect(r.providerName).toBe(provA.name);
    expect(r.nodeName).toBe('甲节点');
    expect(r.values.hostName).toBe(tag);
    expect(r.values.occurredAt).toMatch(/^2026-11-01 0[89]:\d\d:00$/);
    expect(Object.keys(r.values)).toEqual(['occurredAt', 'cloudHostId', 'hostName', 'hostIp', 'osType', 'logName', 'logType', 'logBody']);

    const page3 = (await get(mgmt, `/api/ingest/tables/hostLog/records?provider=${provA.id}&pageSize=10&page=3`)).json() as ListBody;
    expect(page3.items).toHaveLength(10);
    const page4 = (await get(mgmt, `/api/ingest/tables/hostLog/records?provider=${provA.id}&pageSize=10&page=4`)).json() as ListBody;
    expect(page4.items).toHaveLength(0);
    const all = new Set<string>();
    for (let p = 1; p <= 3; p++) {
      const b = (await get(mgmt, `/api/ingest/tables/hostLog/records?provider=${provA.id}&pageSize=10&page=${p}`)).json() as ListBody;
      for (const i of b.items) all.add(i.values.cloudHostId!);
    }
    expect(all.size).toBe(30);
  });

  it('widens to older arrivals, filters by record time, batch, node, field equality and keyword', async () => {
    const from = encodeURIComponent(new Date(now - 4 * 86_400_000).toISOString());
    const wide = (await get(mgmt, `/api/ingest/tables/hostLog/records?provider=${provA.id}&receivedFrom=${from}`)).json() as ListBody;
    expect(wide.total).toBe(35);
    const old = (await get(mgmt, `/api/ingest/tables/hostLog/records?batch=${batchOldA.batchId}&receivedFrom=${from}`)).json() as ListBody;
    expect(old.total).toBe(5);
    const byNode = (await get(mgmt, `/api/ingest/tables/hostLog/records?node=${nodeB}`)).json() as ListBody;
    expect(byNode.total).toBe(10);

    const eq = (await get(mgmt, `/api/ingest/tables/hostLog/records?provider=${provA.id}&f.logType=auth`)).json() as ListBody;
    expect(eq.total).toBe(10);
    expect(eq.items.every((i) => i.values.logType === 'auth')).toBe(true);
    const at = (await get(mgmt, `/api/ingest/tables/hostLog/records?provider=${provA.id}&f.occurredAt=${encodeURIComponent('2026-11-01 08:07:00')}`)).json() as ListBody;
    expect(at.total).toBe(1);
    expect(at.items[0]!.values.cloudHostId).toBe('vm-7');
    const host = (await get(mgmt, `/api/ingest/tables/hostLog/records?f.hostName=${encodeURIComponent(tag)}`)).json() as ListBody;
    expect(host.total).toBe(30);

    const rt = (await get(mgmt, `/api/ingest/tables/hostLog/records?provider=${provA.id}&recordFrom=${encodeURIComponent('2026-11-01T08:10:00+08:00')}&recordTo=${encodeURIComponent('2026-11-01T08:20:00+08:00')}`)).json() as ListBody;
    expect(rt.total).toBe(10);

    const kw = (await get(mgmt, `/api/ingest/tables/hostLog/records?provider=${provA.id}&q=${encodeURIComponent('登录失败')}`)).json() as ListBody;
    expect(kw.total).toBe(6);
    // % and _ in the keyword match themselves, not any text
    const pct = (await get(mgmt, `/api/ingest/tables/hostLog/records?provider=${provA.id}&q=${encodeURIComponent('100%_d')}`)).json() as ListBody;
    expect(pct.total).toBe(6);
    const nothing = (await get(mgmt, `/api/ingest/tables/hostLog/records?provider=${provA.id}&q=${encodeURIComponent('1%0')}`)).json() as ListBody;
    expect(nothing.total).toBe(0);
  });

  it('refuses unknown tables, unknown fields, malformed values and oversized pages, naming the field and rule', async () => {
    const unknownTable = await get(mgmt, '/api/ingest/tables/nope/records');
    expect(unknownTable.statusCode).toBe(404);
    expect(unknownTable.json().code).toBe('ingest.unknown_table');

    const unknownField = await get(mgmt, '/api/ingest/tables/hostLog/records?f.password=x');
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json()).toMatchObject({ code: 'ingest.invalid_filter', details: { issues: [{ field: 'query.f.password', rule: 'unknown_field' }] } });

    const notAFilter = await get(mgmt, '/api/ingest/tables/hostLog/records?hostName=x');
    expect(notAFilter.statusCode).toBe(400);
    expect(notAFilter.json().details.issues[0]).toMatchObject({ field: 'query.hostName', rule: 'unknown_field' });

    const badTime = await get(mgmt, '/api/ingest/tables/hostLog/records?f.occurredAt=2026-13-01');
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json().details.issues[0]).toMatchObject({ field: 'query.f.occurredAt', rule: 'datetime' });

    const badDecimal = await get(mgmt, '/api/ingest/tables/cloudHostMonitoring/records?f.cpuUsage=abc');
    expect(badDecimal.statusCode).toBe(400);
    expect(badDecimal.json().details.issues[0]).toMatchObject({ field: 'query.f.cpuUsage', rule: 'decimal' });

    expect((await get(mgmt, '/api/ingest/tables/hostLog/records?pageSize=500')).statusCode).toBe(400);
    const range = await get(mgmt, `/api/ingest/tables/hostLog/records?receivedFrom=${encodeURIComponent('2026-11-02T00:00:00+08:00')}&receivedTo=${encodeURIComponent('2026-11-01T00:00:00+08:00')}`);
    expect(range.statusCode).toBe(400);
    expect(range.json().details.issues[0]).toMatchObject({ field: 'query.receivedFrom', rule: 'range' });
  });

  it('exports .xlsx readable by exceljs, with Chinese and English header rows', async () => {
    const res = await get(mgmt, `/api/ingest/tables/hostLog/records/export?format=xlsx&provider=${provA.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('主机日志'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('主机日志');
    expect(ws.rowCount).toBe(32);
    expect(ws.getRow(1).values).toEqual([undefined, '云服务商', '云节点', '批次号', '接收时间', '产生日期', '云主机 ID', '主机名称', '主机 IP', '操作系统类型', '日志名称', '日志类型', '日志正文']);
    expect((ws.getRow(2).values as unknown[]).slice(1, 6)).toEqual(['provider', 'node', 'batchId', 'receivedAt', 'occurredAt']);
    const first = ws.getRow(3).values as unknown[];
    expect(first[1]).toBe(provA.name);
    expect(first[2]).toBe('甲节点');
    expect(first[7]).toBe(tag);
    const bodies = [];
    for (let i = 3; i <= 32; i++) bodies.push(ws.getRow(i).getCell(12).value);
    expect(bodies.filter((b) => b === '登录失败 user=root 100%_done')).toHaveLength(6);
    const audit = await owner.query(`select details from audit_log where action = 'ingest.records.export' and details->'filter'->>'provider' = $1`, [provA.id]);
    expect(audit.rowCount).toBeGreaterThanOrEqual(1);
  });

  it('exports CSV in UTF-8 with a BOM by default, and in GBK on request with the same Chinese text', async () => {
    const utf8 = await get(mgmt, `/api/ingest/tables/hostLog/records/export?format=csv&provider=${provA.id}&f.logType=auth`);
    expect(utf8.statusCode).toBe(200);
    expect(utf8.headers['content-type']).toContain('text/csv');
    const raw = utf8.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.subarray(3).toString('utf8');
    const lines = text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('云服务商,云节点,批次号,接收时间,产生日期,云主机 ID,主机名称,主机 IP,操作系统类型,日志名称,日志类型,日志正文');
    expect(lines[1]!.startsWith(`${provA.name},甲节点,${batchA.batchId},`)).toBe(true);

    const gbk = await get(mgmt, `/api/ingest/tables/hostLog/records/export?format=csv&charset=gbk&provider=${provA.id}&f.logType=auth`);
    expect(gbk.statusCode).toBe(200);
    expect(gbk.headers['content-type']).toContain('GBK');
    expect(gbk.rawPayload[0]).not.toBe(0xef);
    expect(gbk.rawPayload.length).toBeLessThan(raw.length); // two bytes per Chinese character instead of three
    expect(new TextDecoder('gbk').decode(gbk.rawPayload)).toBe(text);
    expect(text).toContain('登录失败 user=root 100%_done');

    expect((await get(mgmt, `/api/ingest/tables/hostLog/records/export?format=pdf`)).statusCode).toBe(400);
    expect((await get(mgmt, `/api/ingest/tables/hostLog/records/export?format=xlsx&charset=gbk`)).json().details.issues[0]).toMatchObject({ field: 'query.charset' });
  });

  it('refuses an export beyond its limit and asks to narrow the filter', async () => {
    const small = new IngestRecordsService(t.deps.db, { xlsx: 20, csv: 40 });
    await expect(small.prepareExport(systemContext(), 'hostLog', { format: 'xlsx', provider: provA.id })).rejects.toMatchObject({ code: 'ingest.export_too_large', message: expect.stringContaining('Narrow') });
    await expect(small.prepareExport(systemContext(), 'hostLog', { format: 'csv', provider: provA.id })).resolves.toMatchObject({ total: 30 });
  });

  it('lists batches with counts and shows a batch’s stored per-record errors', async () => {
    const list = await get(mgmt, `/api/ingest/batches?provider=${provA.id}&table=hostLog`);
    expect(list.statusCode).toBe(200);
    const items = list.json().items as Array<{ id: string; status: string; acceptedCount: number; rejectedCount: number; providerName: string; nodeName: string; tableCn: string }>;
    expect(items.map((i) => i.id)).toEqual([batchA.batchId, batchOldA.batchId]);
    expect(items[0]).toMatchObject({ status: 'partial', acceptedCount: 30, rejectedCount: 1, providerName: provA.name, nodeName: '甲节点', tableCn: '主机日志' });
    const partial = (await get(mgmt, `/api/ingest/batches?provider=${provA.id}&status=partial`)).json() as { total: number };
    expect(partial.total).toBe(1);
    const detail = await get(mgmt, `/api/ingest/batches/${batchA.batchId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().errors).toEqual([{ index: 30, field: 'hostIp', value: '10.0.0.999', rule: 'ip', message: 'hostIp must be an IP address' }]);
    expect((await get(mgmt, '/api/ingest/batches?table=nope')).statusCode).toBe(400);
    expect((await get(mgmt, '/api/ingest/batches/abc')).statusCode).toBe(400);
  });

  it('finds what the push writer stored, values as pushed, with decimal and time equality filters', async () => {
    const writer = new PushWriter(t.deps.db, t.database.pool, t.deps.logger);
    const host = unique('vm-');
    const rec = (cpu: string, at: string) => ({
      cloudHostId: host, monitoredAt: at, internalIp: '10.1.2.3', cpuUsage: cpu, memoryUsage: '40.25', standardStorageUsage: '1', highPerfStorageUsage: '0',
      staticStorageUsage: '0', localVideoStorageUsage: '0', offsiteVideoUsage: '0', diskWritePeak: '123.4567', diskReadPeak: '0', bandwidthUpPeak: '1.12345678', bandwidthDownPeak: '0',
    });
    const result = await writer.writeBatch({
      providerOrgId: provA.id, nodeId: nodeA, table: 'cloudHostMonitoring', source: 'api', mode: 'partial',
      records: [rec('12.5', '2026-11-30 10:05:00'), rec('99.99', '2026-11-30 10:10:00'), rec('abc', '2026-11-30 10:15:00')],
    });
    expect(result).toMatchObject({ accepted: 2, rejected: 1, status: 'partial' });
    const body = (await get(mgmt, `/api/ingest/tables/cloudHostMonitoring/records?batch=${result.batchId}`)).json() as ListBody;
    expect(body.total).toBe(2);
    expect(body.items.map((i) => i.values.cpuUsage).sort()).toEqual(['12.5', '99.99']);
    expect(body.items[0]!.values).toMatchObject({ cloudHostId: host, memoryUsage: '40.25', diskWritePeak: '123.4567', bandwidthUpPeak: '1.12345678' });
    const eq = (await get(mgmt, `/api/ingest/tables/cloudHostMonitoring/records?f.cloudHostId=${host}&f.cpuUsage=12.50`)).json() as ListBody;
    expect(eq.items.map((i) => i.values.monitoredAt)).toEqual(['2026-11-30 10:05:00']);
    const at = (await get(mgmt, `/api/ingest/tables/cloudHostMonitoring/records?f.cloudHostId=${host}&f.monitoredAt=${encodeURIComponent('2026-11-30 10:10:00')}`)).json() as ListBody;
    expect(at.items.map((i) => i.values.cpuUsage)).toEqual(['99.99']);
    const detail = (await get(mgmt, `/api/ingest/batches/${result.batchId}`)).json() as { errors: Array<{ index: number; field: string; rule: string }> };
    expect(detail.errors).toEqual([expect.objectContaining({ index: 2, field: 'cpuUsage', value: 'abc' })]);
  });

  it('shows a provider only its own rows and batches; a unit user lacks ingest:read', async () => {
    const own = (await get(staffB, '/api/ingest/tables/hostLog/records?pageSize=200')).json() as ListBody;
    expect(own.total).toBe(10);
    expect(own.items.every((i) => i.providerName === provB.name)).toBe(true);
    const theirs = (await get(staffB, `/api/ingest/tables/hostLog/records?provider=${provA.id}`)).json() as ListBody;
    expect(theirs.total).toBe(0);
    const ownA = (await get(staffA, `/api/ingest/tables/hostLog/records?f.hostName=${encodeURIComponent(`${tag}-B`)}`)).json() as ListBody;
    expect(ownA.total).toBe(0);
    const csv = await get(staffB, `/api/ingest/tables/hostLog/records/export?format=csv&provider=${provA.id}`);
    expect(csv.rawPayload.subarray(3).toString('utf8').trimEnd().split('\r\n')).toHaveLength(1);

    const batches = (await get(staffB, '/api/ingest/batches?pageSize=200')).json() as { items: Array<{ id: string; providerOrgId: string }> };
    expect(batches.items.map((b) => b.id)).toContain(batchB.batchId);
    expect(batches.items.every((b) => b.providerOrgId === provB.id)).toBe(true);
    expect((await get(staffB, `/api/ingest/batches/${batchA.batchId}`)).statusCode).toBe(404);
    expect((await get(staffA, `/api/ingest/batches/${batchA.batchId}`)).statusCode).toBe(200);

    for (const url of ['/api/ingest/tables', '/api/ingest/tables/hostLog/records', '/api/ingest/tables/hostLog/records/export?format=csv', '/api/ingest/batches', '/api/ingest/retention']) {
      const res = await get(unitStaff, url);
      expect(res.statusCode, url).toBe(403);
    }
  });

  it('shows the three administrators nothing: no ingest:read, and row-level security closes the rows without business access', async () => {
    const m = await createOrg(t, { kind: 'management_unit' });
    const sysadmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
    expect((await get(sysadmin, '/api/ingest/tables/hostLog/records')).statusCode).toBe(403);
    const base = systemContext('test');
    const closed = { ...base, actor: { ...base.actor, businessAccess: false } };
    const svc = new IngestRecordsService(t.deps.db);
    expect((await svc.search(base, 'hostLog', { provider: provA.id })).total).toBe(30);
    expect((await svc.search(closed, 'hostLog', { provider: provA.id })).total).toBe(0);
  });
});
