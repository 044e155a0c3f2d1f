import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session } from '../../test/fixtures.js';
import { periodStart } from './index.js';

/**
 * 报表管理: a saved report with filters returns only the matching rows the caller may see (a unit its own
 * resources, the management unit every unit's), as JSON and as a signed .xlsx read back here; scheduled runs deliver
 * the .xlsx as a notification; a definition is its owner's only.
 */
let t: TestApp;
let owner: pg.Client;
let unitA: Session;
let unitB: Session;
let mgmt: Session;
let unitBId: string;
let provId: string;
const tag = unique('rpt').replace(/[^a-z0-9]/gi, '').slice(-10);
const names = { a1: `${tag}-a1`, a2: `${tag}-a2`, aBw: `${tag}-a-bw`, b1: `${tag}-b1` };

const inject = (s: Session, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

async function xlsxRows(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const out: string[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : typeof v === 'object' && v && 'richText' in v ? (v as { richText: Array<{ text: string }> }).richText.map((x) => x.text).join('') : String(v)))));
  return out;
}

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  const prov = await createOrg(t, { kind: 'cloud_provider', name: unique('报表服务商') });
  provId = prov.id;
  const node = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('RP').slice(0, 20), name: '报表节点', cloudType: 'service', providerOrgId: prov.id });
  const a = await createOrg(t, { kind: 'user_unit', name: unique('报表单位甲') });
  const b = await createOrg(t, { kind: 'user_unit', name: unique('报表单位乙') });
  unitBId = b.id;
  const signedA = await signedInUser(t, { orgId: a.id, roles: ['unit_staff'] });
  unitA = signedA.session;
  unitB = (await signedInUser(t, { orgId: b.id, roles: ['unit_staff'] })).session;
  mgmt = (await signedInUser(t, { orgId: (await createOrg(t, { kind: 'management_unit' })).id, roles: ['mgmt_staff'] })).session;
  let batch = Math.floor(Math.random() * 1e9);
  const res = async (name: string, kind: string, unit: string, cpu: string) => {
    await owner.query(
      `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, unit_org_id, name, attributes, quantities, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
       values ($1, $2, $3, $4, $5, $4, '{}', $6, 'active', now(), now(), now(), $7)`,
      [kind, prov.id, node, name, unit, JSON.stringify({ cpuCores: cpu, memoryGb: '8' }), batch++],
    );
  };
  await res(names.a1, 'cloud_host', a.id, '4');
  await res(names.a2, 'cloud_host', a.id, '8');
  await res(names.aBw, 'internet_bandwidth', a.id, '0');
  await res(names.b1, 'cloud_host', b.id, '2');
  // One outage of a unit-A probe and one of a unit-B probe in 2026-10 (Beijing): 90 s and 45 min.
  const outage = async (name: string, unit: string, start: string, end: string) => {
    const p = await owner.query(`insert into availability_probes (name, kind, target, unit_org_id, provider_org_id, node_id, enabled) values ($1, 'icmp', '127.0.0.1', $2, $3, $4, false) returning id`, [name, unit, prov.id, node]);
    await owner.query(`insert into availability_outages (probe_id, started_at, confirmed_at, ended_at) values ($1, $2, $2, $3)`, [p.rows[0].id, start, end]);
  };
  await outage(`${tag}-probe-a`, a.id, '2026-10-05T10:00:00+08:00', '2026-10-05T10:01:30+08:00');
  await outage(`${tag}-probe-b`, b.id, '2026-10-31T23:30:00+08:00', '2026-11-01T00:15:00+08:00');
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('报表管理', () => {
  it('lists the datasets the caller may read, with columns and filters', async () => {
    const res = await inject(unitA, 'GET', '/api/reports/datasets');
    expect(res.statusCode, res.body).toBe(200);
    const codes = res.json().items.map((d: { code: string }) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['inventory.resources', 'billing.bills', 'servicedesk.tickets', 'security.findings']));
    const inv = res.json().items.find((d: { code: string }) => d.code === 'inventory.resources');
    expect(inv.filters.map((f: { key: string }) => f.key)).toContain('kind');
  });

  it('outages and SLA datasets read availability with the caller\'s visibility; alerts through monitoring', async () => {
    const codes = (await inject(mgmt, 'GET', '/api/reports/datasets')).json().items.map((d: { code: string }) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['monitoring.alerts', 'availability.outages', 'availability.sla']));
    const body = { name: 'x', dataset: 'availability.outages', columns: ['probe', 'unit', 'durationMinutes'], filters: { month: '2026-10', providerId: provId } };
    const m = await inject(mgmt, 'POST', '/api/reports/preview', body);
    expect(m.statusCode, m.body).toBe(200);
    expect(m.json().rows.map((r: { probe: string }) => r.probe).sort()).toEqual([`${tag}-probe-a`, `${tag}-probe-b`]);
    expect(m.json().rows.find((r: { probe: string }) => r.probe === `${tag}-probe-b`).durationMinutes).toBe(45);
    // Unit A sees only its own probe's outage (1.5 minutes).
    const a = (await inject(unitA, 'POST', '/api/reports/preview', body)).json();
    expect(a.rows).toEqual([{ probe: `${tag}-probe-a`, unit: expect.any(String), durationMinutes: 1.5 }]);
    // November: only the outage that lasted into 1 November.
    const nov = (await inject(mgmt, 'POST', '/api/reports/preview', { ...body, filters: { month: '2026-11', providerId: provId } })).json();
    expect(nov.rows.map((r: { probe: string }) => r.probe)).toEqual([`${tag}-probe-b`]);
    const bad = await inject(mgmt, 'POST', '/api/reports/preview', { ...body, filters: { month: '2026-13x' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.issues[0]).toMatchObject({ field: 'body.filters.month', rule: 'month' });

    const sla = await inject(mgmt, 'POST', '/api/reports/preview', { name: 'x', dataset: 'availability.sla', columns: ['scopeName', 'met', 'availabilityPercent'], filters: { month: '2026-10' } });
    expect(sla.statusCode, sla.body).toBe(200);
    expect(sla.json().columns.map((c: { label: string }) => c.label)).toEqual(['对象', '达标', '可用率（%）']);
    const alerts = await inject(unitA, 'POST', '/api/reports/preview', { name: 'x', dataset: 'monitoring.alerts', columns: ['severity', 'objectLabel'], filters: { providerId: provId } });
    expect(alerts.statusCode, alerts.body).toBe(200);
    expect(alerts.json().rows).toEqual([]);
  });

  it('refuses unknown columns, filters and values naming the field and rule', async () => {
    const bad = await inject(unitA, 'POST', '/api/reports/definitions', { name: 'x', dataset: 'inventory.resources', columns: ['name', 'nope'], filters: { kind: 'spaceship', colour: 'red', unitOrgId: 'abc' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('reports.invalid_definition');
    const issues = bad.json().details.issues;
    expect(issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'body.columns[1]', rule: 'known_column', value: 'nope' }),
      expect.objectContaining({ field: 'body.filters.kind', rule: 'one_of', value: 'spaceship' }),
      expect.objectContaining({ field: 'body.filters.colour', rule: 'known_filter' }),
      expect.objectContaining({ field: 'body.filters.unitOrgId', rule: 'uuid' }),
    ]));
    const unknown = await inject(unitA, 'POST', '/api/reports/definitions', { name: 'x', dataset: 'secret.things', columns: ['name'] });
    expect(unknown.json().details.issues[0]).toMatchObject({ field: 'body.dataset', rule: 'known_dataset' });
  });

  it('a saved report with a filter returns only the matching rows the caller may see, as JSON and as .xlsx', async () => {
    const body = { name: `${tag} 云主机`, dataset: 'inventory.resources', columns: ['name', 'kind', 'unit', 'cpuCores'], filters: { kind: 'cloud_host', q: tag } };
    const created = await inject(unitA, 'POST', '/api/reports/definitions', body);
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;

    const run = await inject(unitA, 'GET', `/api/reports/definitions/${id}/run`);
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json().columns.map((c: { label: string }) => c.label)).toEqual(['名称', '类型', '使用单位', 'vCPU（核）']);
    // Unit A: its two cloud hosts — not its bandwidth (filter), not unit B's host (visibility).
    expect(run.json().rows.map((r: { name: string }) => r.name).sort()).toEqual([names.a1, names.a2]);
    expect(run.json().rows.every((r: { kind: string }) => r.kind === '云主机')).toBe(true);
    expect(Object.keys(run.json().rows[0]).sort()).toEqual(['cpuCores', 'kind', 'name', 'unit']);

    const xlsx = await inject(unitA, 'GET', `/api/reports/definitions/${id}/export`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const rows = await xlsxRows(xlsx.rawPayload);
    const header = rows.findIndex((r) => r[0] === '名称' && r[1] === '类型');
    expect(header).toBeGreaterThanOrEqual(0);
    const data = rows.slice(header + 1).filter((r) => r[0]?.startsWith(`${tag}-`));
    expect(data.map((r) => r[0]).sort()).toEqual([names.a1, names.a2]);
    expect(data.find((r) => r[0] === names.a2)?.[3]).toBe('8');
    expect(await t.container.documents.verify(xlsx.rawPayload)).toMatchObject({ valid: true });

    // The same definition for the management unit sees every unit's hosts (its own saved copy).
    const m = (await inject(mgmt, 'POST', '/api/reports/definitions', body)).json();
    const all = (await inject(mgmt, 'GET', `/api/reports/definitions/${m.id}/run`)).json().rows.map((r: { name: string }) => r.name).sort();
    expect(all).toEqual([names.a1, names.a2, names.b1]);
    // A unit filtering on another unit gets nothing of it.
    const peek = (await inject(unitA, 'POST', '/api/reports/preview', { ...body, filters: { q: tag, unitOrgId: unitBId } })).json();
    expect(peek.rows).toEqual([]);

    // Another person neither reads, runs nor changes it.
    expect((await inject(unitB, 'GET', `/api/reports/definitions/${id}`)).statusCode).toBe(404);
    expect((await inject(unitB, 'GET', `/api/reports/definitions/${id}/run`)).statusCode).toBe(404);
    expect((await inject(unitB, 'PUT', `/api/reports/definitions/${id}`, body)).statusCode).toBe(404);
    expect((await inject(unitB, 'GET', '/api/reports/definitions')).json().items.find((d: { id: string }) => d.id === id)).toBeUndefined();
  });

  it('scheduled: a weekly report runs once per week as its owner and arrives as a notification with the .xlsx', async () => {
    const def = (await inject(unitA, 'POST', '/api/reports/definitions', { name: `${tag} 周报`, dataset: 'inventory.resources', columns: ['name', 'unit'], filters: { q: tag }, schedule: 'weekly' })).json();
    const now = new Date('2026-12-09T02:00:00Z'); // Wednesday 10:00 Asia/Shanghai
    expect(periodStart('weekly', now).toISOString()).toBe('2026-12-06T16:00:00.000Z'); // Monday 00:00 +08:00
    expect(periodStart('monthly', now).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(await t.container.reports.runScheduled(now, { definitionIds: [def.id] })).toEqual({ ran: 1, skipped: 0, failed: 0 });
    expect(await t.container.reports.runScheduled(new Date(now.getTime() + 86_400_000), { definitionIds: [def.id] })).toEqual({ ran: 0, skipped: 0, failed: 0 });

    const runs = (await inject(unitA, 'GET', `/api/reports/definitions/${def.id}/runs`)).json().items;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ origin: 'scheduled', rowCount: 3 });
    const inbox = (await inject(unitA, 'GET', '/api/notifications?limit=50')).json().items;
    const note = inbox.find((n: { kind: string; link: string | null }) => n.kind === 'reports.scheduled' && n.link === `/reports?run=${runs[0].id}`);
    expect(note).toBeTruthy();
    const fileUrl = `/api/reports/runs/${runs[0].id}/file`;
    const file = await inject(unitA, 'GET', fileUrl);
    expect(file.statusCode).toBe(200);
    const rows = await xlsxRows(file.rawPayload);
    expect(rows.filter((r) => r[0]?.startsWith(`${tag}-`)).map((r) => r[0]).sort()).toEqual([names.a1, names.a2, names.aBw].sort());
    expect((await inject(unitB, 'GET', fileUrl)).statusCode).toBe(404);
  });
});

describe('报表管理: operations datasets (read through the operations module’s public functions)', () => {
  it('duty log and drills: each provider its own rows, the management unit both; month and kind filters; a unit is not offered them', async () => {
    const pA = await createOrg(t, { kind: 'cloud_provider', name: unique('报表运维甲') });
    const pB = await createOrg(t, { kind: 'cloud_provider', name: unique('报表运维乙') });
    const staffA = (await signedInUser(t, { orgId: pA.id, roles: ['provider_staff'] })).session;
    const staffB = (await signedInUser(t, { orgId: pB.id, roles: ['provider_staff'] })).session;
    const log = async (s: Session, at: string, kind: string, body: string) => {
      const r = await inject(s, 'POST', '/api/operations/duty/log', { at, kind, person: '值班员', body });
      expect(r.statusCode, r.body).toBe(201);
    };
    await log(staffA, '2026-09-10T10:00:00+08:00', 'event', `${tag} 甲 事件`);
    await log(staffA, '2026-09-30T23:30:00+08:00', 'handover', `${tag} 甲 交接`);
    await log(staffA, '2026-10-01T00:30:00+08:00', 'event', `${tag} 甲 十月`); // 30 September 16:30 UTC, but October in Beijing
    await log(staffB, '2026-09-11T09:00:00+08:00', 'event', `${tag} 乙 事件`);
    const drill = async (s: Session, plannedOn: string, scenario: string) => expect((await inject(s, 'POST', '/api/operations/drills', { level: 'provider', kind: 'desktop', scenario, plannedOn })).statusCode).toBe(201);
    await drill(staffA, '2026-09-15', `${tag} 甲 断电演练`);
    await drill(staffB, '2026-09-16', `${tag} 乙 断网演练`);

    const duty = { name: 'x', dataset: 'operations.duty_log', columns: ['org', 'kind', 'body'], filters: { month: '2026-09' } };
    const mine = (s: Session, body: object) => inject(s, 'POST', '/api/reports/preview', body).then((r) => {
      expect(r.statusCode, r.body).toBe(200);
      return (r.json().rows as Array<Record<string, string>>).filter((x) => Object.values(x).some((v) => typeof v === 'string' && v.includes(tag)));
    });
    expect(await mine(staffA, duty)).toEqual([{ org: pA.name, kind: '事件', body: `${tag} 甲 事件` }, { org: pA.name, kind: '交接班', body: `${tag} 甲 交接` }]);
    expect(await mine(staffB, duty)).toEqual([{ org: pB.name, kind: '事件', body: `${tag} 乙 事件` }]);
    expect((await mine(mgmt, duty)).map((r) => r.body).sort()).toEqual([`${tag} 甲 事件`, `${tag} 甲 交接`, `${tag} 乙 事件`].sort());
    expect((await mine(mgmt, { ...duty, filters: { month: '2026-09', kind: 'handover' } })).map((r) => r.body)).toEqual([`${tag} 甲 交接`]);
    expect((await mine(staffA, { ...duty, filters: { month: '2026-10' } })).map((r) => r.body)).toEqual([`${tag} 甲 十月`]);

    const drills = { name: 'x', dataset: 'operations.drills', columns: ['org', 'scenario', 'status', 'plannedOn'], filters: { month: '2026-09' } };
    expect(await mine(staffA, drills)).toEqual([{ org: pA.name, scenario: `${tag} 甲 断电演练`, status: '逾期未开展', plannedOn: '2026-09-15' }]);
    expect((await mine(mgmt, drills)).map((r) => r.org).sort()).toEqual([pA.name, pB.name].sort());
    expect(await mine(mgmt, { ...drills, filters: { month: '2026-08' } })).toEqual([]);

    const codes = (await inject(unitA, 'GET', '/api/reports/datasets')).json().items.map((d: { code: string }) => d.code);
    expect(codes.filter((c: string) => c.startsWith('operations.'))).toEqual([]);
    expect((await inject(mgmt, 'GET', '/api/reports/datasets')).json().items.map((d: { code: string }) => d.code))
      .toEqual(expect.arrayContaining(['operations.inspections', 'operations.drills', 'operations.duty_log', 'operations.changes']));
  });
});
