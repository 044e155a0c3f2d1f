import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let provB: TestOrg;
let nodeA: string;
let nodeB: string;
let mgmt: Session;
let supervisor: Session;
let sysAdmin: Session;
let provAStaff: Session;
let provBStaff: Session;
let unitStaff: Session;
let supOrg: TestOrg;

const inject = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
const sys = systemContext('test');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Template = { id: string; category: string; items: Array<{ key: string; label: string }> };
let templates: Template[];
const tpl = (c: string) => templates.find((x) => x.category === c)!;
const allNormal = (c: string) => tpl(c).items.map((i) => ({ itemKey: i.key, result: 'normal' as const }));

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('运维服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('运维服务商乙') });
  nodeA = await t.container.directory.ensureCloudNode(sys, { code: unique('OA').slice(0, 20), name: '运维甲节点', cloudType: 'service', providerOrgId: provA.id });
  nodeB = await t.container.directory.ensureCloudNode(sys, { code: unique('OB').slice(0, 20), name: '运维乙节点', cloudType: 'service', providerOrgId: provB.id });
  const m = await createOrg(t, { kind: 'management_unit' });
  supOrg = await createOrg(t, { kind: 'supervision_provider' });
  const unit = await createOrg(t, { kind: 'user_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
  supervisor = (await signedInUser(t, { orgId: supOrg.id, roles: ['supervisor_staff'] })).session;
  provAStaff = (await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] })).session;
  provBStaff = (await signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] })).session;
  unitStaff = (await signedInUser(t, { orgId: unit.id, roles: ['unit_staff'] })).session;
  templates = (await inject(provAStaff, 'GET', '/api/operations/templates')).json().items;
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('inspections', () => {
  it('seeds the eight checklist categories', () => {
    expect(new Set(templates.map((x) => x.category))).toEqual(new Set(['servers', 'os', 'platform_software', 'storage', 'network', 'database', 'machine_room', 'leased_line']));
  });

  it('refuses a plan for a node the provider does not serve, and a machine-room plan under 4 a day', async () => {
    let res = await inject(provBStaff, 'POST', '/api/operations/plans', { nodeId: nodeA, templateId: tpl('servers').id, name: '越权计划', frequency: 'daily', validFrom: '2026-01-01T00:00:00+08:00' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'operations.node_not_served', details: { issues: [{ field: 'body.nodeId', rule: 'node_provider' }] } });
    res = await inject(provAStaff, 'POST', '/api/operations/plans', { nodeId: nodeA, templateId: tpl('machine_room').id, name: '机房', frequency: 'daily', timesPerDay: 2, validFrom: '2026-01-01T00:00:00+08:00' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'operations.machine_room_frequency', details: { issues: [{ field: 'body.timesPerDay', rule: 'min_4_daily' }] } });
    res = await inject(provAStaff, 'POST', '/api/operations/plans', { nodeId: nodeA, templateId: tpl('servers').id, name: 'x', frequency: 'daily', timesPerDay: '2', validFrom: '2026-01-01T00:00:00+08:00' });
    expect(res.statusCode).toBe(400);
  });

  it('records an inspection; abnormal items become rectification items with a service-desk ticket; closing clears it', async () => {
    const plan = (await inject(provAStaff, 'POST', '/api/operations/plans', { nodeId: nodeA, templateId: tpl('machine_room').id, name: unique('机房巡检'), frequency: 'daily', timesPerDay: 4, validFrom: '2026-11-01T00:00:00+08:00' })).json();
    expect(plan).toMatchObject({ providerOrgId: provA.id, nodeId: nodeA, timesPerDay: 4, category: 'machine_room' });
    const items = tpl('machine_room').items;
    // Missing items and an abnormal item without a note are refused, naming the field.
    let res = await inject(provAStaff, 'POST', '/api/operations/inspections', { planId: plan.id, performedAt: '2026-11-02T07:10:00+08:00', inspectorName: '王磊', results: [{ itemKey: items[0]!.key, result: 'normal' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'operations.items_missing', details: { issues: [{ field: 'body.results', rule: 'all_items' }] } });
    res = await inject(provAStaff, 'POST', '/api/operations/inspections', { planId: plan.id, performedAt: '2026-11-02T07:10:00+08:00', inspectorName: '王磊', results: items.map((i, k) => ({ itemKey: i.key, result: k === 0 ? 'abnormal' : 'normal' })) });
    expect(res.json()).toMatchObject({ code: 'operations.abnormal_note_required', details: { issues: [{ field: 'body.results[0].note' }] } });
    res = await inject(provAStaff, 'POST', '/api/operations/inspections', { planId: plan.id, performedAt: '2026-11-02T07:10:00+08:00', inspectorName: '王磊', results: [...allNormal('machine_room'), { itemKey: 'bogus', result: 'normal' }] });
    expect(res.json()).toMatchObject({ code: 'operations.unknown_item' });

    const results = items.map((i, k) => (k === 0 ? { itemKey: i.key, result: 'abnormal', note: '温度 31℃ 超阈值' } : { itemKey: i.key, result: 'normal' }));
    res = await inject(provAStaff, 'POST', '/api/operations/inspections', { planId: plan.id, performedAt: '2026-11-02T07:10:00+08:00', inspectorName: '王磊', results });
    expect(res.statusCode, res.body).toBe(201);
    const rec = res.json();
    // 4 a day: the 06:00–12:00 Beijing slot.
    expect(rec).toMatchObject({ slotStart: '2026-11-01T22:00:00.000Z', slotEnd: '2026-11-02T04:00:00.000Z', abnormalCount: 1 });
    expect(rec.rectifications).toHaveLength(1);
    const rect = rec.rectifications[0];
    expect(rect).toMatchObject({ status: 'open', itemKey: items[0]!.key, description: '温度 31℃ 超阈值' });
    expect(rect.ticketId).toMatch(/^[0-9a-f-]{36}$/);
    const ticket = (await owner.query('select source, source_id, provider_id, kind, status from sd_tickets where id = $1', [rect.ticketId])).rows[0];
    expect(ticket).toMatchObject({ source: 'inspection', source_id: rect.id, provider_id: provA.id, kind: 'rectification' });

    // Same slot twice: conflict.
    res = await inject(provAStaff, 'POST', '/api/operations/inspections', { planId: plan.id, performedAt: '2026-11-02T08:00:00+08:00', inspectorName: '王磊', results: allNormal('machine_room') });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('operations.slot_already_recorded');

    // Another provider neither sees nor records on it.
    expect((await inject(provBStaff, 'GET', `/api/operations/inspections/${rec.id}`)).statusCode).toBe(404);
    expect((await inject(provBStaff, 'POST', '/api/operations/inspections', { planId: plan.id, performedAt: '2026-11-02T13:00:00+08:00', inspectorName: 'x', results: allNormal('machine_room') })).statusCode).toBe(404);
    expect((await inject(provBStaff, 'POST', `/api/operations/rectifications/${rect.id}/close`, { resolution: 'x' })).statusCode).toBe(404);
    expect((await inject(provBStaff, 'GET', '/api/operations/plans')).json().items.map((p: { id: string }) => p.id)).not.toContain(plan.id);
    expect((await inject(mgmt, 'GET', `/api/operations/inspections/${rec.id}`)).statusCode).toBe(200);
    expect((await inject(unitStaff, 'GET', '/api/operations/plans')).statusCode).toBe(403);
    expect((await inject(sysAdmin, 'GET', `/api/operations/inspections/${rec.id}`)).statusCode).toBe(403);

    res = await inject(provAStaff, 'POST', `/api/operations/rectifications/${rect.id}/close`, { resolution: '已调整空调设定' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'done', resolution: '已调整空调设定' });
    const events = (await owner.query(`select kind from sd_ticket_events where ticket_id = $1`, [rect.ticketId])).rows.map((r) => r.kind);
    expect(events).toContain('source_cleared');
    expect((await inject(provAStaff, 'POST', `/api/operations/rectifications/${rect.id}/close`, { resolution: 'x' })).statusCode).toBe(409);
    const xlsx = await inject(provAStaff, 'GET', '/api/operations/export/rectifications');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('flags missed slots and counts expected, done, missed and abnormal per provider', async () => {
    const plan = (await inject(provBStaff, 'POST', '/api/operations/plans', { nodeId: nodeB, templateId: tpl('machine_room').id, name: unique('乙机房'), frequency: 'daily', timesPerDay: 4, validFrom: '2026-10-01T00:00:00+08:00' })).json();
    const weekly = (await inject(provBStaff, 'POST', '/api/operations/plans', { nodeId: nodeB, templateId: tpl('network').id, name: unique('乙网络'), frequency: 'weekly', validFrom: '2026-10-01T00:00:00+08:00' })).json();
    const items = tpl('machine_room').items;
    expect((await inject(provBStaff, 'POST', '/api/operations/inspections', { planId: plan.id, performedAt: '2026-10-05T01:00:00+08:00', inspectorName: '甲', results: allNormal('machine_room') })).statusCode).toBe(201);
    expect((await inject(provBStaff, 'POST', '/api/operations/inspections', { planId: plan.id, performedAt: '2026-10-05T13:00:00+08:00', inspectorName: '甲', results: items.map((i, k) => ({ itemKey: i.key, result: k < 2 ? 'abnormal' : 'normal', note: k < 2 ? '异常' : null })) })).statusCode).toBe(201);
    // The week of Monday 2026-10-05: one slot, recorded.
    expect((await inject(provBStaff, 'POST', '/api/operations/inspections', { planId: weekly.id, performedAt: '2026-10-07T10:00:00+08:00', inspectorName: '乙', results: allNormal('network') })).statusCode).toBe(201);
    const from = '2026-10-05T00:00:00+08:00';
    const to = '2026-10-06T00:00:00+08:00';
    const missed = (await inject(provBStaff, 'GET', `/api/operations/inspections-missed?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).json().items;
    expect(missed.filter((m: { planId: string }) => m.planId === plan.id).map((m: { slotStart: string }) => m.slotStart).sort()).toEqual(['2026-10-04T22:00:00.000Z', '2026-10-05T10:00:00.000Z']);
    const counts = await t.container.operations.inspectionCounts(sys, { from: new Date(from), to: new Date(to) });
    // 4 machine-room slots + the weekly slot starting Monday 00:00.
    expect(counts.find((c) => c.providerOrgId === provB.id)).toEqual({ providerOrgId: provB.id, expected: 5, done: 3, missed: 2, abnormal: 2 });
    const viaHttp = (await inject(provAStaff, 'GET', `/api/operations/inspection-counts?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).json().items;
    expect(viaHttp.map((c: { providerOrgId: string }) => c.providerOrgId)).not.toContain(provB.id);
    expect((await inject(mgmt, 'GET', `/api/operations/inspection-counts?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`)).json().code).toBe('operations.invalid_range');
  });

  it('keeps inspection records 2 years: the retention job deletes older ones with their rectification items', async () => {
    const plan = (await inject(provAStaff, 'POST', '/api/operations/plans', { nodeId: nodeA, templateId: tpl('database').id, name: unique('数据库'), frequency: 'daily', validFrom: '2023-01-01T00:00:00+08:00' })).json();
    const abnormal = tpl('database').items.map((i, k) => ({ itemKey: i.key, result: k === 0 ? 'abnormal' : 'normal', note: k === 0 ? '备份失败' : null }));
    const old = (await inject(provAStaff, 'POST', '/api/operations/inspections', { planId: plan.id, performedAt: '2024-03-01T10:00:00+08:00', inspectorName: '甲', results: abnormal })).json();
    const edge = (await inject(provAStaff, 'POST', '/api/operations/inspections', { planId: plan.id, performedAt: '2024-12-10T10:00:00+08:00', inspectorName: '甲', results: allNormal('database') })).json();
    const recent = (await inject(provAStaff, 'POST', '/api/operations/inspections', { planId: plan.id, performedAt: '2026-06-01T10:00:00+08:00', inspectorName: '甲', results: allNormal('database') })).json();
    const deleted = await t.container.operations.purgeInspections(new Date('2026-12-01T00:00:00+08:00'));
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect((await inject(mgmt, 'GET', `/api/operations/inspections/${old.id}`)).statusCode).toBe(404);
    expect((await owner.query('select count(*)::int as n from ops_rectifications where record_id = $1', [old.id])).rows[0].n).toBe(0);
    expect((await owner.query('select count(*)::int as n from ops_inspection_results where record_id = $1', [old.id])).rows[0].n).toBe(0);
    // 2024-12-10 is within two years of 2026-12-01; 2026-06-01 too.
    expect((await inject(mgmt, 'GET', `/api/operations/inspections/${edge.id}`)).statusCode).toBe(200);
    expect((await inject(mgmt, 'GET', `/api/operations/inspections/${recent.id}`)).statusCode).toBe(200);
    expect(await t.container.operations.purgeInspections(new Date('2026-12-01T00:00:00+08:00'))).toBe(0);
  });
});

describe('personnel and qualifications', () => {
  it('lists certificates expiring soon and checks staffing thresholds per node', async () => {
    const soon = new Date(Date.now() + 20 * DAY).toISOString().slice(0, 10);
    const later = new Date(Date.now() + 400 * DAY).toISOString().slice(0, 10);
    const s = await inject(provAStaff, 'POST', '/api/operations/staff', { nodeId: nodeA, name: unique('张').slice(0, 20), post: 'ops_engineer', placement: 'onsite', core: true, certificates: [{ name: 'CISP', validTo: soon }, { name: 'HCIE', validTo: later }] });
    expect(s.statusCode, s.body).toBe(201);
    expect(s.json().certificates.map((c: { expiringSoon: boolean }) => c.expiringSoon).sort()).toEqual([false, true]);
    const exp = (await inject(provAStaff, 'GET', '/api/operations/certificates-expiring')).json().items;
    expect(exp.filter((e: { staffId: string }) => e.staffId === s.json().id)).toEqual([expect.objectContaining({ certificate: 'CISP', validTo: soon, expired: false })]);
    expect((await inject(provBStaff, 'GET', '/api/operations/certificates-expiring')).json().items.map((e: { staffId: string }) => e.staffId)).not.toContain(s.json().id);
    expect((await inject(provBStaff, 'POST', '/api/operations/staff', { orgId: provA.id, name: 'x', post: 'dba', placement: 'onsite' })).statusCode).toBe(404);
    const report = (await inject(provAStaff, 'GET', '/api/operations/staffing')).json().items;
    expect(report.find((r: { nodeId: string }) => r.nodeId === nodeA)).toMatchObject({ onsite: 1, core: 1, securityAuditor: false, requiredOnsite: 20, requiredCore: 10, problems: ['onsite_below_threshold', 'core_below_threshold', 'no_security_auditor'] });
  });

  it('a lapsed qualification suspends new onboarding applications to the provider (applications.provider_suspended)', async () => {
    const prov = await createOrg(t, { kind: 'cloud_provider' });
    const unit = await createOrg(t, { kind: 'user_unit', code: unique('OPU') });
    const pStaff = (await signedInUser(t, { orgId: prov.id, roles: ['provider_staff'] })).session;
    const uStaff = (await signedInUser(t, { orgId: unit.id, roles: ['unit_staff'] })).session;
    const node = await t.container.directory.ensureCloudNode(sys, { code: unique('OS').slice(0, 20), name: '资质节点', cloudType: 'service', providerOrgId: prov.id });
    const current = (await inject(mgmt, 'GET', '/api/catalog/current')).json();
    let res = await inject(pStaff, 'POST', '/api/price-lists', { catalogVersionId: current.id, effectiveFrom: '2026-01-01', effectiveTo: null, items: Array.from({ length: 23 }, (_, i) => ({ itemCode: String(1001 + i), unitPrice: '1.00' })) });
    expect(res.statusCode, res.body).toBe(201);
    const listId = res.json().id;
    const sub = await inject(pStaff, 'POST', `/api/price-lists/${listId}/submit`);
    expect(sub.statusCode, sub.body).toBe(200);
    expect((await inject(mgmt, 'POST', `/api/price-lists/${listId}/approve`, {})).statusCode).toBe(200);
    res = await inject(uStaff, 'POST', '/api/information-systems', {
      nodeId: node, name: unique('资质测试系统'), systemType: '公众服务', gradingLevel: '三级', operatingHours: '7*24小时', networkNature: '政务外网', contactName: '张三', contactMobile: '13812348000', contactEmail: 'abc@x.cn',
      serviceAudience: '公众', serviceScope: '全市', interconnection: '无', functionDescription: '办事', preApprovalStatus: '已审批', accessUrl: 'https://x.gov.cn', appVendor: '某公司',
    });
    expect(res.statusCode, res.body).toBe(201);
    const systemId = res.json().id;
    const newApp = async () => {
      const r = await inject(uStaff, 'POST', '/api/applications', { systemId, kind: 'onboarding', title: '入云', lines: [{ itemCode: '1001', quantity: '2', months: 12 }] });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };

    // Lapsed (expired two months ago): refused. Providers may not record qualifications.
    expect((await inject(pStaff, 'POST', '/api/operations/qualifications', { providerOrgId: prov.id, name: 'x', validFrom: '2025-01-01', validTo: '2027-01-01' })).statusCode).toBe(403);
    const expiredTo = new Date(Date.now() - 60 * DAY).toISOString().slice(0, 10);
    res = await inject(mgmt, 'POST', '/api/operations/qualifications', { providerOrgId: prov.id, name: '服务商资质 2025', validFrom: '2025-01-01', validTo: expiredTo });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ state: 'lapsed' });
    expect(await t.container.operations.isProviderSuspended(prov.id)).toBe(true);
    const a1 = await newApp();
    res = await inject(uStaff, 'POST', `/api/applications/${a1}/submit`, {});
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ code: 'applications.provider_suspended', details: { providerOrgId: prov.id } });
    expect((await inject(uStaff, 'GET', `/api/applications/${a1}`)).json().status).toBe('draft');

    // A current qualification lifts the suspension; a failed yearly review lapses it again.
    const validTo = new Date(Date.now() + 300 * DAY).toISOString().slice(0, 10);
    res = await inject(mgmt, 'POST', '/api/operations/qualifications', { providerOrgId: prov.id, name: '服务商资质 2026', validFrom: '2026-01-01', validTo });
    const q2 = res.json();
    expect(q2.state).toBe('current');
    let status = await t.container.operations.qualificationStatus(sys, { at: new Date() });
    expect(status.find((s) => s.providerOrgId === prov.id)).toEqual({ providerOrgId: prov.id, current: true, validTo });
    res = await inject(uStaff, 'POST', `/api/applications/${a1}/submit`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('in_approval');

    const today = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
    res = await inject(mgmt, 'POST', `/api/operations/qualifications/${q2.id}/review`, { on: today, passed: false, note: '年度复核不通过' });
    expect(res.json()).toMatchObject({ state: 'lapsed', revokedOn: today });
    status = await t.container.operations.qualificationStatus(sys, { at: new Date() });
    expect(status.find((s) => s.providerOrgId === prov.id)).toMatchObject({ current: false });
    const a2 = await newApp();
    expect((await inject(uStaff, 'POST', `/api/applications/${a2}/submit`, {})).json().code).toBe('applications.provider_suspended');
    // Another provider's qualifications are not listed to a provider.
    expect((await inject(provBStaff, 'GET', `/api/operations/qualifications?providerOrgId=${prov.id}`)).json().items).toEqual([]);
  });
});

describe('key-post changes', () => {
  it('need 1 month notice (providers) or 5 working days (supervision) and the management unit\'s approval', async () => {
    const day = (n: number) => new Date(Date.now() + 8 * HOUR + n * DAY).toISOString().slice(0, 10);
    const pm = (await inject(provAStaff, 'POST', '/api/operations/staff', { nodeId: nodeA, name: '项目经理甲', post: 'project_manager', placement: 'onsite' })).json();
    const plain = (await inject(provAStaff, 'POST', '/api/operations/staff', { nodeId: nodeA, name: '值守乙', post: 'machine_room', placement: 'onsite' })).json();
    let res = await inject(provAStaff, 'POST', '/api/operations/key-post-changes', { staffId: plain.id, successorName: '丙', effectiveOn: day(60), reason: '调岗' });
    expect(res.json()).toMatchObject({ code: 'operations.not_key_post' });
    res = await inject(provAStaff, 'POST', '/api/operations/key-post-changes', { staffId: pm.id, successorName: '丁', effectiveOn: day(10), reason: '离职' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'operations.notice_too_short', details: { issues: [{ field: 'body.effectiveOn', rule: 'notice_1_month' }] } });
    res = await inject(provAStaff, 'POST', '/api/operations/key-post-changes', { staffId: pm.id, successorName: '丁', effectiveOn: day(40), reason: '离职' });
    expect(res.statusCode, res.body).toBe(201);
    const k = res.json();
    expect(k).toMatchObject({ status: 'in_approval', post: 'project_manager', staffName: '项目经理甲' });
    expect((await inject(provBStaff, 'GET', '/api/operations/key-post-changes')).json().items.map((x: { id: string }) => x.id)).not.toContain(k.id);
    const task = ((await inject(mgmt, 'GET', `/api/workflow/tasks?instanceId=${k.workflowInstanceId}`)).json().items as Array<{ id: string; status: string }>).find((x) => x.status === 'pending')!;
    expect((await inject(mgmt, 'POST', `/api/workflow/tasks/${task.id}/actions`, { action: 'approve' })).statusCode).toBe(200);
    expect((await inject(provAStaff, 'GET', '/api/operations/key-post-changes')).json().items.find((x: { id: string }) => x.id === k.id).status).toBe('approved');

    const sup = (await inject(supervisor, 'POST', '/api/operations/staff', { name: '总监理', post: 'supervisor', placement: 'onsite', core: true })).json();
    res = await inject(supervisor, 'POST', '/api/operations/key-post-changes', { staffId: sup.id, successorName: '副总监理', effectiveOn: day(1), reason: '轮换' });
    expect(res.json()).toMatchObject({ code: 'operations.notice_too_short', details: { issues: [{ rule: 'notice_5_working_days' }] } });
    expect((await inject(supervisor, 'POST', '/api/operations/key-post-changes', { staffId: sup.id, successorName: '副总监理', effectiveOn: day(14), reason: '轮换' })).statusCode).toBe(201);
  });
});

describe('emergency drills', () => {
  it('counts provider drills held against 4 a year and shows what is due; plan versions increase', async () => {
    const p1 = (await inject(provAStaff, 'POST', '/api/operations/emergency-plans', { code: 'YJ-T', title: '综合预案', content: 'v1' })).json();
    const p2 = (await inject(provAStaff, 'POST', '/api/operations/emergency-plans', { code: 'YJ-T', title: '综合预案', content: 'v2' })).json();
    expect([p1.version, p2.version]).toEqual([1, 2]);
    for (const heldOn of ['2025-03-10', '2025-09-10']) {
      const d = (await inject(provAStaff, 'POST', '/api/operations/drills', { level: 'provider', planId: p2.id, kind: 'live', scenario: '断电', plannedOn: heldOn })).json();
      const res = await inject(provAStaff, 'POST', `/api/operations/drills/${d.id}/hold`, { heldOn, participants: ['甲', '乙'], findings: '无', report: '完成' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'held', heldOn });
    }
    const planned = (await inject(provAStaff, 'POST', '/api/operations/drills', { level: 'provider', kind: 'desktop', scenario: '勒索病毒', plannedOn: '2025-11-01' })).json();
    expect(planned.status).toBe('overdue');
    expect((await inject(provAStaff, 'POST', '/api/operations/drills', { level: 'platform', kind: 'desktop', scenario: 'x', plannedOn: '2025-11-01' })).json().code).toBe('operations.drill_level');
    expect((await inject(provBStaff, 'POST', `/api/operations/drills/${planned.id}/hold`, { heldOn: '2025-11-01', participants: ['x'], report: 'x' })).statusCode).toBe(404);

    const range = { from: new Date('2025-01-01T00:00:00+08:00'), to: new Date('2026-01-01T00:00:00+08:00') };
    const counts = await t.container.operations.drillCounts(sys, range);
    expect(counts.find((c) => c.providerOrgId === provA.id)).toEqual({ providerOrgId: provA.id, held: 2, required: 4 });
    expect(counts.find((c) => c.providerOrgId === provB.id)).toEqual({ providerOrgId: provB.id, held: 0, required: 4 });
    const q = `from=${encodeURIComponent('2025-01-01T00:00:00+08:00')}&to=${encodeURIComponent('2026-01-01T00:00:00+08:00')}`;
    const obligations = (await inject(provAStaff, 'GET', `/api/operations/drill-obligations?${q}`)).json().items;
    expect(obligations.find((o: { level: string; orgId: string }) => o.level === 'provider' && o.orgId === provA.id)).toEqual({ level: 'provider', orgId: provA.id, held: 2, required: 4, due: 2 });
    expect(obligations.filter((o: { level: string }) => o.level === 'provider')).toHaveLength(1);
    expect(obligations.find((o: { level: string }) => o.level === 'platform')).toMatchObject({ required: 1 });
  });
});

describe('duty', () => {
  const from = '2026-11-10T00:00:00+08:00';
  const to = '2026-11-11T00:00:00+08:00';
  const at = (h: number) => new Date(Date.parse(from) + h * HOUR).toISOString();
  it('reports a gap in 7×24 coverage with the uncovered interval and refuses overlapping shifts of one person', async () => {
    let res = await inject(supervisor, 'PUT', '/api/operations/duty/roster', { from, to, shifts: [{ person: '甲', startsAt: at(0), endsAt: at(8) }, { person: '乙', startsAt: at(10), endsAt: at(24) }] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'operations.coverage_gap', details: { gaps: [{ start: at(8), end: at(10) }] } });
    res = await inject(supervisor, 'PUT', '/api/operations/duty/roster', { from, to, shifts: [{ person: '甲', startsAt: at(0), endsAt: at(12) }, { person: '甲', startsAt: at(8), endsAt: at(24) }] });
    expect(res.json()).toMatchObject({ code: 'operations.shift_overlap', details: { issues: [{ field: 'body.shifts[1]', rule: 'no_overlap' }] } });
    // Nothing was saved by the refused rosters.
    expect((await inject(supervisor, 'GET', `/api/operations/duty/coverage?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).json()).toMatchObject({ shifts: [], gaps: [{ start: at(0), end: at(24) }] });
    res = await inject(supervisor, 'PUT', '/api/operations/duty/roster', { from, to, shifts: [{ person: '甲', startsAt: at(0), endsAt: at(8) }, { person: '乙', startsAt: at(8), endsAt: at(16) }, { person: '丙', startsAt: at(16), endsAt: at(24) }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().gaps).toEqual([]);
    expect((await inject(supervisor, 'POST', '/api/operations/duty/log', { at: at(9), kind: 'event', person: '乙', body: '告警已转工单' })).statusCode).toBe(201);
    expect((await inject(supervisor, 'POST', '/api/operations/duty/log', { at: at(16), kind: 'handover', person: '乙', body: '交接' })).statusCode).toBe(201);
    const sum = (await inject(supervisor, 'GET', '/api/operations/duty/summary?day=2026-11-10')).json();
    expect(sum).toMatchObject({ day: '2026-11-10', orgId: supOrg.id, gaps: [], counts: { events: 1, handovers: 1, checks: 0 }, inspections: null });
    expect(sum.onDuty.map((s: { person: string }) => s.person)).toEqual(['甲', '乙', '丙']);
    const week = (await inject(supervisor, 'GET', '/api/operations/duty/weekly?week=2026-11-09')).json();
    expect(week.days).toHaveLength(7);
    expect(week.days[1]).toMatchObject({ day: '2026-11-10', events: 1, handovers: 1, uncoveredMinutes: 0 });
    expect(week.days[0]).toMatchObject({ day: '2026-11-09', events: 0, uncoveredMinutes: 1440 });
    expect((await inject(supervisor, 'GET', '/api/operations/duty/weekly?week=2026-11-10')).json().code).toBe('operations.invalid_week');
    // Another organisation's roster: 404.
    expect((await inject(provAStaff, 'GET', `/api/operations/duty/coverage?orgId=${supOrg.id}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).statusCode).toBe(404);
  });
});

describe('platform changes', () => {
  it('approves a business-impacting change through the workflow and flags an implementation outside its window', async () => {
    const ws = '2026-11-20T01:00:00+08:00';
    const we = '2026-11-20T05:00:00+08:00';
    let res = await inject(provAStaff, 'POST', '/api/operations/changes', { nodeId: nodeA, changeType: 'kernel', title: '内核升级', description: '滚动重启', businessImpact: true, windowStart: ws, windowEnd: we });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect((await inject(provAStaff, 'POST', `/api/operations/changes/${c.id}/implement`, { implementedFrom: ws, implementedTo: we, result: 'success' })).json().code).toBe('operations.change_not_approved');
    res = await inject(provAStaff, 'POST', `/api/operations/changes/${c.id}/submit`);
    expect(res.json()).toMatchObject({ status: 'in_approval' });
    const tasks = (await inject(mgmt, 'GET', `/api/workflow/tasks?instanceId=${res.json().workflowInstanceId}`)).json().items as Array<{ id: string; status: string }>;
    const task = tasks.find((x) => x.status === 'pending')!;
    expect((await inject(mgmt, 'POST', `/api/workflow/tasks/${task.id}/actions`, { action: 'approve' })).statusCode).toBe(200);
    expect((await inject(provAStaff, 'GET', `/api/operations/changes/${c.id}`)).json().status).toBe('approved');
    res = await inject(provAStaff, 'POST', `/api/operations/changes/${c.id}/implement`, { implementedFrom: '2026-11-20T02:00:00+08:00', implementedTo: '2026-11-20T07:30:00+08:00', result: 'success' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'implemented', outsideWindow: true });
    expect((await owner.query(`select count(*)::int as n from sd_tickets where source = 'platform_change' and source_id = $1`, [c.id])).rows[0].n).toBe(1);

    const inWindow = (await inject(provAStaff, 'POST', '/api/operations/changes', { nodeId: nodeA, changeType: 'bandwidth', title: '带宽', description: '在线', businessImpact: false, windowStart: ws, windowEnd: we })).json();
    expect((await inject(provAStaff, 'POST', `/api/operations/changes/${inWindow.id}/submit`)).json().status).toBe('approved');
    expect((await inject(provAStaff, 'POST', `/api/operations/changes/${inWindow.id}/implement`, { implementedFrom: '2026-11-20T02:00:00+08:00', implementedTo: '2026-11-20T03:00:00+08:00', result: 'success' })).json()).toMatchObject({ outsideWindow: false });
    expect((await inject(provBStaff, 'GET', `/api/operations/changes/${c.id}`)).statusCode).toBe(404);
    // Impacted systems come from the inventory: the resource's system; another provider's resource is refused.
    const unit = await createOrg(t, { kind: 'user_unit', code: unique('OPC') });
    const uStaff = (await signedInUser(t, { orgId: unit.id, roles: ['unit_staff'] })).session;
    const sysRes = await inject(uStaff, 'POST', '/api/information-systems', {
      nodeId: nodeA, name: unique('变更影响系统'), systemType: '公众服务', gradingLevel: '三级', operatingHours: '7*24小时', networkNature: '政务外网', contactName: '张三', contactMobile: '13812348000', contactEmail: 'abc@x.cn',
      serviceAudience: '公众', serviceScope: '全市', interconnection: '无', functionDescription: '办事', preApprovalStatus: '已审批', accessUrl: 'https://x.gov.cn', appVendor: '某公司',
    });
    expect(sysRes.statusCode, sysRes.body).toBe(201);
    const system = sysRes.json();
    const resource = async (provider: string, node: string, withSystem: boolean) =>
      (await owner.query(
        `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, system_no, system_id, unit_org_id, system_node_id, name, attributes, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
         values ('cloud_host', $1, $2, $3, $4, $5, $6, $2, $3, '{}', 'active', now(), now(), now(), $7) returning id`,
        [provider, node, unique('vm-'), withSystem ? system.systemNo : null, withSystem ? system.id : null, withSystem ? unit.id : null, Math.floor(Math.random() * 1e9)],
      )).rows[0].id as string;
    const mine = await resource(provA.id, nodeA, true);
    const theirs = await resource(provB.id, nodeB, false);
    res = await inject(provAStaff, 'POST', '/api/operations/changes', { nodeId: nodeA, changeType: 'device', title: '更换交换机', description: 'x', businessImpact: true, impactedResourceIds: [mine], windowStart: ws, windowEnd: we });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ impactedResourceIds: [mine], impactedSystemIds: [system.id] });
    res = await inject(provAStaff, 'POST', '/api/operations/changes', { nodeId: nodeA, changeType: 'device', title: 'x', description: 'x', businessImpact: true, impactedResourceIds: [mine, theirs], windowStart: ws, windowEnd: we });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.issues[0]).toMatchObject({ field: 'body.impactedResourceIds[1]' });

    expect((await inject(provBStaff, 'POST', '/api/operations/changes', { nodeId: nodeA, changeType: 'kernel', title: 'x', description: 'x', businessImpact: false, windowStart: ws, windowEnd: we })).json().code).toBe('operations.node_not_served');
  });
});
