/**
 * Data quality on real PostgreSQL: interface-table rows and batches are laid down directly (as the database owner, at
 * chosen arrival times) for a past Monday, the day is computed, and the stored and served figures are checked exactly.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session } from '../../test/fixtures.js';

const D = '2026-03-02'; // a Monday
const at = (local: string) => new Date(`${local}+08:00`);
const AFTER = at('2026-03-04T00:00:00'); // D is over, its ISO week is not

let t: TestApp;
let owner: pg.Client;
let provA: string;
let provB: string;
let nodeA: string;
let nodeB: string;
let mgmt: Session;
let staffB: Session;
let adminSys: Session;

async function node(provider: string): Promise<string> {
  const code = unique('n').slice(0, 28);
  const { rows } = await owner.query<{ id: string }>(
    `insert into cloud_nodes (code, name, cloud_type, provider_org_id) values ($1, $2, 'service', $3) returning id`,
    [code, code, provider],
  );
  return rows[0]!.id;
}

async function batch(provider: string, nodeId: string, table: string, receivedAt: Date, c: { accepted: number; rejected?: number; onTime: number }): Promise<string> {
  const rejected = c.rejected ?? 0;
  const { rows } = await owner.query<{ id: string }>(
    `insert into ingest_batches (provider_org_id, node_id, table_name, source, received_at, record_count, accepted_count, rejected_count, on_time_count, status)
     values ($1, $2, $3, 'api', $4, $5, $6, $7, $8, $9) returning id`,
    [provider, nodeId, table, receivedAt, c.accepted + rejected, c.accepted, rejected, c.onTime, rejected ? 'partial' : 'accepted'],
  );
  return rows[0]!.id;
}

async function partitions(table: string, ...days: string[]): Promise<void> {
  for (const d of days) await owner.query(`select zy_ingest_ensure_partition($1, $2)`, [table, at(`${d}T12:00:00`)]);
}

function get(t2: TestApp, session: Session, url: string) {
  return t2.app.inject({ method: 'GET', url, headers: session.headers });
}

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = (await createOrg(t, { kind: 'cloud_provider' })).id;
  provB = (await createOrg(t, { kind: 'cloud_provider' })).id;
  const mu = await createOrg(t, { kind: 'management_unit' });
  nodeA = await node(provA);
  nodeB = await node(provB);
  mgmt = (await signedInUser(t, { orgId: mu.id, roles: ['mgmt_staff'] })).session;
  staffB = (await signedInUser(t, { orgId: provB, roles: ['provider_staff'] })).session;
  adminSys = (await signedInUser(t, { orgId: mu.id, roles: ['system_admin'] })).session;

  await partitions('cloudHostMonitoring', D);
  await partitions('temperatureHumiditySensor', D, '2026-02-27');
  await partitions('tcp', D);
  await partitions('cloudHostSpec', D);
  await partitions('assets', D);

  // cloudHostSpec: an older delivery (h1, h2, h5) and the latest one on D (h1, h2, and h4 deleted on D): 2 active hosts.
  const oldSpec = await batch(provA, nodeA, 'cloudHostSpec', at('2026-03-01T10:00:00'), { accepted: 3, onTime: 3 });
  await owner.query(
    `insert into ingest_cloud_host_spec (provider_org_id, node_id, batch_id, received_at, record_time, cloud_host_id, created_date, deleted_date)
     select $1, $2, $3, $4, $4, h, '2025-01-01', null from unnest(array['h1','h2','h5']) h`,
    [provA, nodeA, oldSpec, at('2026-03-01T10:00:00')],
  );
  const spec = await batch(provA, nodeA, 'cloudHostSpec', at(`${D}T09:00:00`), { accepted: 3, onTime: 3 });
  await owner.query(
    `insert into ingest_cloud_host_spec (provider_org_id, node_id, batch_id, received_at, record_time, cloud_host_id, created_date, deleted_date)
     values ($1, $2, $3, $4, $4, 'h1', '2025-01-01', null), ($1, $2, $3, $4, $4, 'h2', '2025-01-01', '2026-03-03'),
            ($1, $2, $3, $4, $4, 'h4', '2025-01-01', $5)`,
    [provA, nodeA, spec, at(`${D}T09:00:00`), D],
  );

  // cloudHostMonitoring: h1 every slot of D (and a duplicate of slot 0), h2 slots 0–258; one h1 sample of the day
  // before arriving just after midnight does not count. Batches: 500 (480 on time) and 48 + 12 rejected.
  const m1 = await batch(provA, nodeA, 'cloudHostMonitoring', at(`${D}T12:00:00`), { accepted: 500, onTime: 480 });
  await batch(provA, nodeA, 'cloudHostMonitoring', at(`${D}T23:00:00`), { accepted: 48, rejected: 12, onTime: 0 });
  const dayStart = at(`${D}T00:00:00`).toISOString();
  await owner.query(
    `insert into ingest_cloud_host_monitoring (provider_org_id, node_id, batch_id, received_at, record_time, cloud_host_id)
     select $1, $2, $3, $4::timestamptz + s * interval '5 minutes' + interval '1 minute', $4::timestamptz + s * interval '5 minutes' + interval '30 seconds', h
     from (select 'h1' as h, generate_series(0, 287) as s union all select 'h2', generate_series(0, 258) union all select 'h1', 0) x`,
    [provA, nodeA, m1, dayStart],
  );
  await owner.query(
    `insert into ingest_cloud_host_monitoring (provider_org_id, node_id, batch_id, received_at, record_time, cloud_host_id)
     values ($1, $2, $3, $4::timestamptz + interval '30 seconds', $4::timestamptz - interval '1 minute', 'h1')`,
    [provA, nodeA, m1, dayStart],
  );

  // temperatureHumiditySensor (no time field: arrival time): R001/A1 reports 144 slots on D; R001/A2 was seen 3 days
  // before, so 2 sensors are expected.
  const s1 = await batch(provA, nodeA, 'temperatureHumiditySensor', at(`${D}T13:00:00`), { accepted: 144, onTime: 144 });
  await owner.query(
    `insert into ingest_temperature_humidity_sensor (provider_org_id, node_id, batch_id, received_at, record_time, machine_room, location)
     select $1, $2, $3, $4::timestamptz + s * interval '10 minutes' + interval '10 seconds', null, 'R001', 'A1' from generate_series(0, 143) s`,
    [provA, nodeA, s1, dayStart],
  );
  await owner.query(
    `insert into ingest_temperature_humidity_sensor (provider_org_id, node_id, batch_id, received_at, record_time, machine_room, location)
     values ($1, $2, $3, $4, null, 'R001', 'A2')`,
    [provA, nodeA, s1, at('2026-02-27T08:00:00')],
  );

  // tcp (event-like): records in slots 0–99, three per slot. 250 accepted (200 on time), 50 rejected.
  const tc = await batch(provA, nodeA, 'tcp', at(`${D}T09:00:00`), { accepted: 250, rejected: 50, onTime: 200 });
  await owner.query(
    `insert into ingest_tcp (provider_org_id, node_id, batch_id, received_at, record_time)
     select $1, $2, $3, $4::timestamptz + s * interval '5 minutes' + interval '2 minutes', $4::timestamptz + s * interval '5 minutes' + k * interval '1 minute'
     from generate_series(0, 99) s, generate_series(0, 2) k`,
    [provA, nodeA, tc, dayStart],
  );

  // assets (weekly): one record on Tuesday of D's week.
  const as = await batch(provA, nodeA, 'assets', at('2026-03-03T10:00:00'), { accepted: 1, onTime: 1 });
  await owner.query(
    `insert into ingest_assets (provider_org_id, node_id, batch_id, received_at, record_time, device_name) values ($1, $2, $3, $4, $4, 'x')`,
    [provA, nodeA, as, at('2026-03-03T10:00:00')],
  );

  // Provider B: tcp in every slot of D.
  const tb = await batch(provB, nodeB, 'tcp', at(`${D}T23:59:00`), { accepted: 288, onTime: 288 });
  await owner.query(
    `insert into ingest_tcp (provider_org_id, node_id, batch_id, received_at, record_time)
     select $1, $2, $3, $4::timestamptz + s * interval '5 minutes' + interval '1 minute', $4::timestamptz + s * interval '5 minutes'
     from generate_series(0, 287) s`,
    [provB, nodeB, tb, dayStart],
  );
});

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

interface Row {
  table: string;
  day: string;
  period: string;
  method: string;
  mandatory: boolean;
  expected: string;
  received: string;
  onTime: string;
  accepted: string;
  rejected: string;
  completeness: string | null;
  timeliness: string | null;
  validity: string | null;
  score: string | null;
  meetsTarget: boolean | null;
}

async function rowsOf(session: Session, provider: string, from = D, to = D): Promise<Map<string, Row>> {
  const res = await get(t, session, `/api/data-quality/daily?provider=${provider}&from=${from}&to=${to}`);
  expect(res.statusCode, res.body).toBe(200);
  return new Map((res.json() as { items: Row[] }).items.map((r) => [r.table, r]));
}

describe('data quality', () => {
  it('a table made optional for a provider is not expected', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/data-quality/expectations',
      headers: mgmt.headers,
      payload: { providerOrgId: provA, nodeId: null, tableName: 'ftp', mandatory: false, note: '无 FTP 服务' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/data-quality/expectations',
      headers: mgmt.headers,
      payload: { providerOrgId: provA, nodeId: nodeB, tableName: 'ftp', mandatory: true },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'quality.node_not_of_provider' });
    const denied = await t.app.inject({
      method: 'PUT',
      url: '/api/data-quality/expectations',
      headers: staffB.headers,
      payload: { providerOrgId: provB, nodeId: null, tableName: 'ftp', mandatory: false },
    });
    expect(denied.statusCode).toBe(403);
  });

  it('computes completeness, timeliness, validity and score per table exactly', async () => {
    const first = await t.container.quality.computeDay(D, { now: AFTER, providers: [provA, provB] });
    const again = await t.container.quality.computeDay(D, { now: AFTER, providers: [provA, provB] });
    expect(again.rows).toBe(first.rows);
    // Two days of one ISO week at once (job and a manual recompute): their shared weekly rows do not collide.
    const both = await Promise.all([
      t.container.quality.computeDay(D, { now: AFTER, providers: [provA, provB] }),
      t.container.quality.computeDay('2026-03-03', { now: AFTER, providers: [provA, provB] }),
    ]);
    expect(both[0].rows).toBe(first.rows);
    // A: 35 tables less ftp (optional, nothing sent); B: 35.
    expect(first.rows).toBe(34 + 35);

    const a = await rowsOf(mgmt, provA);
    expect(a.size).toBe(34);
    expect(a.has('ftp')).toBe(false);
    expect(a.get('cloudHostMonitoring')).toMatchObject({
      method: 'host_samples', expected: '576', received: '547', onTime: '480', accepted: '548', rejected: '12',
      completeness: '0.9497', timeliness: '0.8759', validity: '0.9786', score: '94.07', meetsTarget: false,
    });
    expect(a.get('temperatureHumiditySensor')).toMatchObject({
      method: 'device_samples', expected: '576', received: '144', completeness: '0.2500', timeliness: '1.0000', validity: '1.0000', score: '55.00',
    });
    expect(a.get('tcp')).toMatchObject({ method: 'event_slots', expected: '288', received: '100', completeness: '0.3472', score: '53.50' });
    expect(a.get('cloudHostSpec')).toMatchObject({ method: 'daily', expected: '1', received: '1', completeness: '1.0000', score: '100.00', meetsTarget: true });
    expect(a.get('businessSystem')).toMatchObject({ method: 'daily', expected: '1', received: '0', completeness: '0.0000', timeliness: null, score: '0.00' });
    expect(a.get('http')).toMatchObject({ expected: '288', received: '0', completeness: '0.0000', score: '0.00', mandatory: true });
    // No sensor of this kind seen in 7 days: nothing expected.
    expect(a.get('generator')).toMatchObject({ expected: '0', completeness: null, score: null });
    // Weekly: one row per ISO week, on its Monday; delivered this week.
    expect(a.get('assets')).toMatchObject({ period: 'week', day: D, expected: '1', received: '1', accepted: '1', completeness: '1.0000' });
    // Weekly table not delivered yet in an unfinished week: pending.
    expect(a.get('securityAttack')).toMatchObject({ period: 'week', expected: '0', completeness: null });

    const b = await rowsOf(mgmt, provB);
    expect(b.get('tcp')).toMatchObject({ expected: '288', received: '288', completeness: '1.0000', timeliness: '1.0000', score: '100.00', meetsTarget: true });
  });

  it('summarises a provider: mean completeness over due tables, record shares for the rest', async () => {
    const res = await get(t, mgmt, `/api/data-quality/summary?from=${D}&to=${D}&provider=${provA}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { target: string; providers: Array<Record<string, unknown> & { tables: Row[]; tablesBelowTarget: string[] }> };
    expect(body.target).toBe('0.95');
    expect(body.providers).toHaveLength(1);
    const p = body.providers[0]!;
    // 23 tables due: 4 with data on D + assets (week), 9 event tables and 9 daily tables without data.
    expect(p).toMatchObject({ providerOrgId: provA, tablesCounted: 23, completeness: '0.1542', timeliness: '0.8753', validity: '0.9385', score: '45.53', meetsTarget: false });
    expect(p.tablesBelowTarget).toContain('cloudHostMonitoring');
    expect(p.tablesBelowTarget).not.toContain('cloudHostSpec');
    expect(p.tablesBelowTarget).toHaveLength(21);
  });

  it('prorates today to the finished 5-minute slots', async () => {
    await t.container.quality.computeDay(D, { now: at(`${D}T12:07:00`), providers: [provA] });
    const a = await rowsOf(mgmt, provA);
    // 145 slots have ended at 12:07; the hosts' samples after 12:05 are not counted yet.
    expect(a.get('tcp')).toMatchObject({ expected: '145', received: '100', completeness: '0.6897' });
    expect(a.get('cloudHostMonitoring')).toMatchObject({ expected: '290', received: '290', completeness: '1.0000' });
    // A daily table is due once the day is over; one delivered already counts.
    expect(a.get('businessSystem')).toMatchObject({ expected: '0', completeness: null });
    expect(a.get('cloudHostSpec')).toMatchObject({ expected: '1', received: '1' });
    await t.container.quality.computeDay(D, { now: AFTER, providers: [provA] });
    expect((await rowsOf(mgmt, provA)).get('tcp')).toMatchObject({ expected: '288' });
  });

  it('a provider sees only its own rows; the three administrators none', async () => {
    const own = await get(t, staffB, `/api/data-quality/summary?from=${D}&to=${D}`);
    expect(own.statusCode).toBe(200);
    const ids = (own.json() as { providers: Array<{ providerOrgId: string }> }).providers.map((p) => p.providerOrgId);
    expect(ids).toEqual([provB]);
    expect((await rowsOf(staffB, provA)).size).toBe(0);
    expect((await get(t, staffB, `/api/data-quality/heat?provider=${provA}&from=${D}&to=${D}`)).statusCode).toBe(404);
    expect((await get(t, staffB, `/api/data-quality/heat?provider=${provB}&from=${D}&to=${D}`)).statusCode).toBe(200);
    const all = await get(t, mgmt, `/api/data-quality/summary?from=${D}&to=${D}`);
    const allIds = (all.json() as { providers: Array<{ providerOrgId: string }> }).providers.map((p) => p.providerOrgId);
    expect(allIds).toEqual(expect.arrayContaining([provA, provB]));
    expect((await get(t, adminSys, `/api/data-quality/summary?from=${D}&to=${D}`)).statusCode).toBe(403);
    const sp = await createOrg(t, { kind: 'supervision_provider' });
    const supervisor = (await signedInUser(t, { orgId: sp.id, roles: ['supervisor_staff'] })).session;
    const sup = await get(t, supervisor, `/api/data-quality/summary?from=${D}&to=${D}`);
    expect((sup.json() as { providers: Array<{ providerOrgId: string }> }).providers.map((p) => p.providerOrgId)).toEqual(expect.arrayContaining([provA, provB]));
  });

  it('heat table: table × day cells of one provider', async () => {
    const res = await get(t, mgmt, `/api/data-quality/heat?provider=${provA}&from=${D}&to=2026-03-03`);
    expect(res.statusCode, res.body).toBe(200);
    const cells = (res.json() as { cells: Array<{ table: string; day: string; completeness: string | null }> }).cells;
    expect(cells.find((c) => c.table === 'cloudHostMonitoring' && c.day === D)?.completeness).toBe('0.9497');
    expect(cells.find((c) => c.table === 'assets')?.day).toBe(D);
  });

  it('registers the 15-minute job', () => {
    expect(t.deps.jobs.state().queues).toContain('quality.compute');
  });

  it('rejects bad ranges naming the field', async () => {
    const res = await get(t, mgmt, `/api/data-quality/summary?from=2026-03-05&to=2026-03-01`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('to');
    expect((await get(t, mgmt, `/api/data-quality/summary?from=2026-02-30&to=2026-03-01`)).statusCode).toBe(400);
    expect((await get(t, mgmt, `/api/data-quality/daily?from=${D}&to=${D}&table=nope`)).statusCode).toBe(400);
    const future = await t.app.inject({ method: 'POST', url: '/api/data-quality/compute', headers: mgmt.headers, payload: { day: '2999-01-01' } });
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({ code: 'quality.future_day' });
  });

  it('a mandatory expectation brings in nodes without data; a spec of deleted hosts expects no samples', async () => {
    const provC = (await createOrg(t, { kind: 'cloud_provider' })).id;
    const c1 = await node(provC);
    const c2 = await node(provC);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/data-quality/expectations',
      headers: mgmt.headers,
      payload: { providerOrgId: provC, nodeId: null, tableName: 'businessSystem', mandatory: true },
    });
    expect(put.statusCode, put.body).toBe(200);
    // c1 delivered a cloudHostSpec on D whose only host was deleted before D, and still sent 10 samples of it.
    const spec = await batch(provC, c1, 'cloudHostSpec', at(`${D}T08:00:00`), { accepted: 1, onTime: 1 });
    await owner.query(
      `insert into ingest_cloud_host_spec (provider_org_id, node_id, batch_id, received_at, record_time, cloud_host_id, created_date, deleted_date)
       values ($1, $2, $3, $4, $4, 'gone', '2025-01-01', '2026-02-20')`,
      [provC, c1, spec, at(`${D}T08:00:00`)],
    );
    const m = await batch(provC, c1, 'cloudHostMonitoring', at(`${D}T09:00:00`), { accepted: 10, onTime: 10 });
    await owner.query(
      `insert into ingest_cloud_host_monitoring (provider_org_id, node_id, batch_id, received_at, record_time, cloud_host_id)
       select $1, $2, $3, $4::timestamptz + s * interval '5 minutes' + interval '1 minute', $4::timestamptz + s * interval '5 minutes', 'gone'
       from generate_series(0, 9) s`,
      [provC, c1, m, at(`${D}T00:00:00`).toISOString()],
    );
    const r = await t.container.quality.computeDay(D, { now: AFTER, providers: [provC] });
    expect(r.rows).toBe(70);
    const res = await get(t, mgmt, `/api/data-quality/daily?provider=${provC}&from=${D}&to=${D}&table=cloudHostMonitoring`);
    const rows = new Map((res.json() as { items: Array<Row & { nodeId: string }> }).items.map((x) => [x.nodeId, x]));
    expect(rows.get(c1)).toMatchObject({ expected: '0', received: '10', completeness: null, score: null });
    expect(rows.get(c2)).toMatchObject({ expected: '0', received: '0', completeness: null });
    const bs = await get(t, mgmt, `/api/data-quality/daily?provider=${provC}&node=${c2}&from=${D}&to=${D}&table=businessSystem`);
    expect((bs.json() as { items: Row[] }).items).toMatchObject([{ expected: '1', received: '0', completeness: '0.0000', mandatory: true }]);
  });

  it('exports the period as .xlsx with Chinese headers', async () => {
    const res = await get(t, mgmt, `/api/data-quality/export?from=${D}&to=${D}&provider=${provA}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['服务商汇总', '数据表汇总', '每日明细']);
    const ps = wb.getWorksheet('服务商汇总')!;
    expect(ps.getRow(1).getCell(4).value).toBe('得分');
    expect(ps.getRow(2).getCell(4).value).toBe('45.53');
    expect(ps.getRow(2).getCell(5).value).toBe('15.42');
    expect(wb.getWorksheet('每日明细')!.rowCount).toBe(1 + 34);
  });
});
