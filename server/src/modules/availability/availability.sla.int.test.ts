import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

// SLA objectives per catalog service, approved planned work (operations) as maintenance, a working-time objective
// across a holiday and its make-up working day (calendar), and the probe detail export. Real PostgreSQL, the real
// operations and calendar modules; probes are recorded through the service (no scheduler run: the database is shared
// with the other availability tests, which run probes of their own).

let t: TestApp;
let owner: pg.Client;
let prov: TestOrg;
let nodeId: string;
let unitId: string;
let mgmt: Session;
let unit: Session;
let otherUnit: Session;
let system: { id: string; systemNo: string };
const H = 3_600_000;

const inject = (s: Session, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

/** A probe row as the inventory sync would make it (origin, resource), switched off: nothing runs it here. */
async function probe(origin: 'manual' | 'inventory_host' | 'inventory_ip', opts: { systemId?: string | null; resourceId?: string | null } = {}): Promise<string> {
  return (
    await owner.query(
      `insert into availability_probes (name, kind, target, origin, resource_id, system_id, unit_org_id, provider_org_id, node_id, enabled)
       values ($1, 'icmp', '127.0.0.1', $2, $3, $4, $5, $6, $7, false) returning id`,
      [unique('SLA探测'), origin, opts.resourceId ?? null, opts.systemId ?? null, opts.systemId ? unitId : null, prov.id, nodeId],
    )
  ).rows[0].id as string;
}
async function spans(probeId: string, t0: number, list: Array<[string, number, number]>): Promise<void> {
  for (const [state, a, b] of list) await owner.query(`insert into availability_intervals (probe_id, state, started_at, ended_at, simulated) values ($1, $2, $3, $4, true)`, [probeId, state, new Date(t0 + a), new Date(t0 + b)]);
}
/** Every cell's text of a workbook. */
async function readXlsx(data: Buffer): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const texts: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value)))));
  return texts;
}
/** A Beijing wall-clock time as epoch ms. */
const bj = (s: string) => Date.parse(`${s}+08:00`);

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  prov = await createOrg(t, { kind: 'cloud_provider', name: unique('SLA服务商') });
  nodeId = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('SL').slice(0, 20), name: 'SLA节点', cloudType: 'service', providerOrgId: prov.id });
  const u = await createOrg(t, { kind: 'user_unit', code: unique('SLU') });
  const u2 = await createOrg(t, { kind: 'user_unit', code: unique('SLV') });
  unitId = u.id;
  const m = await createOrg(t, { kind: 'management_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  unit = (await signedInUser(t, { orgId: u.id, roles: ['unit_staff'] })).session;
  otherUnit = (await signedInUser(t, { orgId: u2.id, roles: ['unit_staff'] })).session;
  const reg = await inject(unit, 'POST', '/api/information-systems', {
    nodeId, name: unique('SLA门户'), systemType: '公众服务', gradingLevel: '三级', operatingHours: '7*24小时', networkNature: '政务外网', contactName: '李四', contactMobile: '13812348001', contactEmail: 'sla@x.cn',
    serviceAudience: '公众', serviceScope: '全市', interconnection: '无', functionDescription: '办事', preApprovalStatus: '已审批', accessUrl: 'http://127.0.0.1:9/', appVendor: '某公司',
  });
  expect(reg.statusCode, reg.body).toBe(201);
  system = reg.json();
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('SLA objectives per catalog service', () => {
  it('a service objective names a probed catalog item; its compliance averages the provider’s hosts and is in the monthly table, not in the per-system rows', async () => {
    // Bad input: a code not in the catalog, a catalog service Zhengyun does not probe, a non-UUID system.
    const missing = await inject(mgmt, 'PUT', '/api/availability/objectives', { scope: 'service', scopeId: 'NOPE', targetPercent: '99.99' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details.issues[0]).toMatchObject({ field: 'body.scopeId', rule: 'catalog_code' });
    const storage = await inject(mgmt, 'PUT', '/api/availability/objectives', { scope: 'service', scopeId: '1013', targetPercent: '99.99' });
    expect(storage.statusCode).toBe(400);
    expect(storage.json()).toMatchObject({ code: 'availability.service_not_probed' });
    expect(storage.json().details.issues[0]).toMatchObject({ field: 'body.scopeId', rule: 'probed_service' });
    const notUuid = await inject(mgmt, 'PUT', '/api/availability/objectives', { scope: 'system', scopeId: '1001', targetPercent: '99.9' });
    expect(notUuid.statusCode).toBe(400);
    expect(notUuid.json().details.issues[0]).toMatchObject({ field: 'body.scopeId', rule: 'uuid' });
    expect((await inject(unit, 'PUT', '/api/availability/objectives', { scope: 'service', scopeId: '1001', targetPercent: '99.99' })).statusCode).toBe(403);

    const obj = await inject(mgmt, 'PUT', '/api/availability/objectives', { scope: 'service', scopeId: '1001', targetPercent: '99.99', period: 'month', source: '政务云服务目录 平台云主机服务平均可用性 ≥ 99.99%' });
    expect(obj.statusCode, obj.body).toBe(200);
    expect(obj.json()).toMatchObject({ scope: 'service', scopeId: '1001', targetPercent: '99.99', probeOrigins: ['inventory_host'] });
    expect(obj.json().scopeName).toMatch(/^1001 .*云主机/);

    // March 2025 (744 h): host 1 down 2 h; host 2 unknown 1 h; an internet-IP probe (another service) down 10 h.
    const t0 = bj('2025-03-01T00:00:00');
    const h1 = await probe('inventory_host', { resourceId: crypto.randomUUID() });
    const h2 = await probe('inventory_host', { resourceId: crypto.randomUUID() });
    const ip = await probe('inventory_ip', { resourceId: crypto.randomUUID() });
    await probe('inventory_host', { resourceId: crypto.randomUUID() }); // no record in March: takes no part
    await spans(h1, t0, [['up', 0, 100 * H], ['down', 100 * H, 102 * H], ['up', 102 * H, 744 * H]]);
    await spans(h2, t0, [['up', 0, 300 * H], ['unknown', 300 * H, 301 * H], ['up', 301 * H, 744 * H]]);
    await spans(ip, t0, [['up', 0, 10 * H], ['down', 10 * H, 20 * H], ['up', 20 * H, 744 * H]]);

    const rows = await t.container.availability.serviceCompliance(systemContext(), { from: new Date(t0), to: new Date(t0 + 744 * H) });
    const mine = rows.filter((r) => r.providerOrgId === prov.id);
    expect(mine).toHaveLength(1);
    const row = mine[0]!;
    expect(row).toMatchObject({ serviceCode: '1001', targetPercent: '99.99', probes: 2, downSeconds: 2 * 3600, unknownSeconds: 3600, maintenanceSeconds: 0, longestOutageSeconds: 2 * 3600, interruptions: 1, met: false });
    expect(row.measuredSeconds).toBe((744 + 743) * 3600);
    expect(row.availabilityPercent).toBeCloseTo((1 - 2 / 1487) * 100, 8);
    expect(row.providerName).toBe(prov.name);

    // In the monthly table (with the other scopes), and absent from the per-system contract rows.
    const table = await inject(mgmt, 'GET', '/api/availability/compliance?month=2025-03');
    expect(table.statusCode, table.body).toBe(200);
    const tr = table.json().items.find((r: { scope: string; providerOrgId: string }) => r.scope === 'service' && r.providerOrgId === prov.id);
    expect(tr).toMatchObject({ systemId: null, unitOrgId: null, availabilityText: '99.8655', met: false, probes: 2 });
    expect(tr.reasons.join()).toMatch(/可用率低于目标/);
    const contract = await t.container.availability.slaCompliance(systemContext(), { from: new Date(t0), to: new Date(t0 + 744 * H) });
    expect(contract.some((r) => r.providerOrgId === prov.id && r.systemId === null)).toBe(false);
    // A service objective is city-wide: a unit does not see it.
    const seen = await inject(otherUnit, 'GET', '/api/availability/compliance?month=2025-03');
    expect(seen.json().items.some((r: { scope: string }) => r.scope === 'service')).toBe(false);
    const xlsx = await inject(mgmt, 'GET', '/api/availability/compliance.xlsx?month=2025-03');
    expect(xlsx.statusCode).toBe(200);
    const sheet = await readXlsx(xlsx.rawPayload);
    expect(JSON.stringify(sheet)).toContain('服务：1001');
  }, 60_000);
});

describe('approved planned work (operations) counts as maintenance', () => {
  it('a failure inside an approved change window is maintenance (no outage); its past window is excluded from the SLA; a draft change is not planned work', async () => {
    const hostId = (
      await owner.query(
        `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, system_no, system_id, unit_org_id, system_node_id, name, attributes, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
         values ('cloud_host', $1, $2, $3, $4, $5, $6, $2, $3, $7, 'active', now(), now(), now(), $8) returning id`,
        [prov.id, nodeId, unique('vm-'), system.systemNo, system.id, unitId, JSON.stringify({ systemId: system.systemNo, internalIp: '127.0.0.9' }), Math.floor(Math.random() * 1e9)],
      )
    ).rows[0].id as string;
    const ops = t.container.operations;
    const ctx = systemContext('test:planned');
    const change = (from: number, to: number, title: string) =>
      ops.createChange(ctx, { providerOrgId: prov.id, changeType: 'resource', title, description: '扩容', businessImpact: false, impactedResourceIds: [hostId], windowStart: new Date(from).toISOString(), windowEnd: new Date(to).toISOString() });

    // Now: a draft change does not count; once submitted (no business impact: approved) it does.
    const hostProbe = await probe('inventory_host', { systemId: system.id, resourceId: hostId });
    const draft = await change(Date.now() - 60_000, Date.now() + H, unique('草稿变更'));
    expect(draft.status).toBe('draft');
    const slot = (at: Date) => ({ id: hostProbe, name: 'h', kind: 'icmp' as const, target: '127.0.0.9', port: null, config: {}, intervalSeconds: 60, timeoutMs: 1000, retries: 0, state: 'unknown' as const, slot: at });
    const fail = (at: Date) => [{ attempt: 0, checkedAt: at, ok: false, rttMs: null, detail: '100% 丢包' }];
    const svc = t.container.availability;
    // A fresh source read (the scheduler reuses planned windows for 30 s): re-wire the same real source.
    svc.setPlannedWorkSource(ops);
    const first = new Date();
    await svc.recordSlots('wp', [{ probe: slot(first), attempts: fail(first) }]);
    expect((await owner.query(`select state from availability_probes where id = $1`, [hostProbe])).rows[0].state).toBe('down');
    await owner.query(`update availability_outages set ended_at = now() where probe_id = $1 and ended_at is null`, [hostProbe]);
    await owner.query(`update availability_probes set state = 'up' where id = $1`, [hostProbe]);

    await ops.submitChange(ctx, draft.id);
    svc.setPlannedWorkSource(ops);
    const outagesBefore = (await owner.query(`select count(*)::int n from availability_outages where probe_id = $1`, [hostProbe])).rows[0].n;
    const second = new Date(Date.now() + 1000);
    const r = await svc.recordSlots('wp', [{ probe: { ...slot(second), state: 'up' }, attempts: fail(second) }]);
    expect(r.recorded).toBe(1);
    expect((await owner.query(`select state from availability_probes where id = $1`, [hostProbe])).rows[0].state).toBe('maintenance');
    expect((await owner.query(`select count(*)::int n from availability_outages where probe_id = $1`, [hostProbe])).rows[0].n).toBe(outagesBefore);

    // The past: April 2025 (720 h), a 2 h failure inside an approved 4 h change window of the system's host.
    const t0 = bj('2025-04-01T00:00:00');
    const site = await probe('manual', { systemId: system.id });
    await spans(site, t0, [['up', 0, 100 * H], ['down', 100 * H, 102 * H], ['up', 102 * H, 200 * H], ['down', 200 * H, 201 * H], ['up', 201 * H, 720 * H]]);
    const sysObj = await inject(mgmt, 'PUT', '/api/availability/objectives', { scope: 'system', scopeId: system.id, targetPercent: '99.9', period: 'month' });
    expect(sysObj.statusCode, sysObj.body).toBe(200);
    const past = await change(t0 + 99 * H, t0 + 103 * H, unique('已批准变更'));
    await ops.submitChange(ctx, past.id);
    const rows = await svc.slaCompliance(systemContext(), { from: new Date(t0), to: new Date(t0 + 720 * H) });
    const row = rows.find((x) => x.systemId === system.id)!;
    expect(row).toBeTruthy();
    // The host probe has no record in April; the site's 2 h inside the window are maintenance, the 1 h outside is down.
    expect(row.maintenanceSeconds).toBe(4 * 3600);
    expect(row.downSeconds).toBe(3600);
    expect(row.measuredSeconds).toBe((720 - 4) * 3600);
    expect(row.longestOutageSeconds).toBe(3600);
    // The unit sees the same figures for its system (planned work is read as the platform, not as the caller).
    const asUnit = await inject(unit, 'GET', '/api/availability/compliance?month=2025-04');
    expect(asUnit.statusCode, asUnit.body).toBe(200);
    expect(asUnit.json().items.find((x: { systemId: string }) => x.systemId === system.id)).toMatchObject({ maintenanceSeconds: 4 * 3600, downSeconds: 3600 });
    // A draft over the same hours would not have excused them: the other down hour (200 h) is untouched by any window.
    const unapproved = await change(t0 + 199 * H, t0 + 202 * H, unique('未提交变更'));
    expect(unapproved.status).toBe('draft');
    const again = (await svc.slaCompliance(systemContext(), { from: new Date(t0), to: new Date(t0 + 720 * H) })).find((x) => x.systemId === system.id)!;
    expect(again.downSeconds).toBe(3600);
    await owner.query(`update inventory_resources set status = 'deleted' where id = $1`, [hostId]);
  }, 60_000);
});

describe('a working-time objective across a holiday and its make-up working day', () => {
  it('counts office hours of the make-up Sunday (2025-09-28) and none of the National Day holiday or an ordinary weekend; lunch break excluded', async () => {
    const res = await inject(mgmt, 'PUT', '/api/availability/objectives', { scope: 'system', scopeId: system.id, targetPercent: '99', period: 'month', schedule: 'working', maxInterruptionMinutes: 240 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().schedule).toBe('working');
    const p = await probe('manual', { systemId: system.id });
    const t0 = bj('2025-09-01T00:00:00');
    const at = (s: string) => bj(s) - t0;
    await spans(p, t0, [
      ['up', 0, at('2025-09-27T10:00:00')],
      ['down', at('2025-09-27T10:00:00'), at('2025-09-27T11:00:00')], // Saturday, an ordinary rest day: 0
      ['up', at('2025-09-27T11:00:00'), at('2025-09-28T10:00:00')],
      ['down', at('2025-09-28T10:00:00'), at('2025-09-28T11:00:00')], // Sunday worked (调休上班): 1 h
      ['up', at('2025-09-28T11:00:00'), at('2025-09-29T11:30:00')],
      ['down', at('2025-09-29T11:30:00'), at('2025-09-29T14:00:00')], // Monday across lunch (12:00–13:30 off): 1 h
      ['up', at('2025-09-29T14:00:00'), at('2025-10-02T10:00:00')],
      ['down', at('2025-10-02T10:00:00'), at('2025-10-02T15:00:00')], // 国庆节 holiday: 0
      ['up', at('2025-10-02T15:00:00'), at('2025-11-01T00:00:00')],
    ]);
    const sep = (await t.container.availability.monthlyCompliance(systemContext(), '2025-09')).find((r) => r.systemId === system.id)!;
    expect(sep.schedule).toBe('working');
    expect(sep.downSeconds).toBe(2 * 3600);
    expect(sep.interruptions).toBe(2);
    expect(sep.unknownSeconds).toBe(0);
    // September 2025 has 22 working days (Mon–Fri) plus the make-up Sunday: 23 × 7.5 office hours.
    expect(sep.measuredSeconds).toBe(23 * 7.5 * 3600);
    const oct = (await t.container.availability.monthlyCompliance(systemContext(), '2025-10')).find((r) => r.systemId === system.id)!;
    expect(oct.downSeconds).toBe(0);
    expect(oct.met).toBe(true);
    // October 2025: 1–8 off; working days 9, 10, 11 (make-up Saturday), 13–17, 20–24, 27–31 = 18.
    expect(oct.measuredSeconds).toBe(18 * 7.5 * 3600);
  }, 60_000);
});

describe('probe detail export', () => {
  it('is a signed .xlsx with the figures, timeline and results; another tenant gets 404; bad ranges name the field', async () => {
    const p = await probe('manual', { systemId: system.id });
    const now = Date.now();
    await owner.query(`insert into availability_results (probe_id, slot, checked_at, ok, attempt, rtt_ms, detail, worker) values ($1, $2, $2, true, 0, 1.25, 'ok', 'w1'), ($1, $3, $3, false, 0, null, '超时', 'w1')`, [p, new Date(now - 2 * H), new Date(now - H)]);
    await spans(p, now - 3 * H, [['up', 0, 2 * H], ['down', 2 * H, 2.5 * H], ['up', 2.5 * H, 3 * H]]);
    const res = await inject(unit, 'GET', `/api/availability/probes/${p}/detail.xlsx`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    expect(String(res.headers['content-disposition'])).toMatch(/xlsx/);
    const text = JSON.stringify(await readXlsx(res.rawPayload));
    expect(text).toContain('拨测详情');
    expect(text).toContain('超时');
    expect(text).toContain('1.25');
    expect(text).toMatch(/中断 \d/);
    const verified = await t.container.documents.verify(res.rawPayload);
    expect(verified).toMatchObject({ valid: true, docType: 'availability_probe' });
    expect((await inject(otherUnit, 'GET', `/api/availability/probes/${p}/detail.xlsx`)).statusCode).toBe(404);
    const bad = await inject(unit, 'GET', `/api/availability/probes/${p}/detail.xlsx?from=${encodeURIComponent(new Date(now).toISOString())}&to=${encodeURIComponent(new Date(now - H).toISOString())}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.issues[0]).toMatchObject({ field: 'query.from', rule: 'before_to' });
  }, 60_000);
});

describe('objective edit and delete', () => {
  it('replaces an objective of the same scope, deletes it (audited), a unit may not, an unknown id is 404, a malformed one 400', async () => {
    const u = await createOrg(t, { kind: 'user_unit', name: unique('目标单位') });
    const created = await inject(mgmt, 'PUT', '/api/availability/objectives', { scope: 'unit', scopeId: u.id, targetPercent: '99.9', period: 'year', schedule: '24x7', excluded: '不可抗力' });
    expect(created.statusCode, created.body).toBe(200);
    const id = created.json().id as string;
    const edited = await inject(mgmt, 'PUT', '/api/availability/objectives', { scope: 'unit', scopeId: u.id, targetPercent: '99.95', period: 'quarter', schedule: 'working', maxInterruptionMinutes: null });
    expect(edited.json()).toMatchObject({ id, targetPercent: '99.95', period: 'quarter', schedule: 'working', maxInterruptionMinutes: null });
    expect((await inject(unit, 'DELETE', `/api/availability/objectives/${id}`)).statusCode).toBe(403);
    expect((await inject(mgmt, 'DELETE', `/api/availability/objectives/${id}`)).statusCode).toBe(204);
    const list = (await inject(mgmt, 'GET', '/api/availability/objectives')).json();
    expect(list.items.some((o: { id: string }) => o.id === id)).toBe(false);
    expect((await inject(mgmt, 'DELETE', `/api/availability/objectives/${id}`)).statusCode).toBe(404);
    expect((await inject(mgmt, 'DELETE', '/api/availability/objectives/not-a-uuid')).statusCode).toBe(400);
    const audit = await owner.query(`select action from audit_log where target_id = $1 order by seq`, [id]);
    expect(audit.rows.map((r: { action: string }) => r.action)).toEqual(['availability.objective_set', 'availability.objective_set', 'availability.objective_deleted']);
  }, 60_000);
});
