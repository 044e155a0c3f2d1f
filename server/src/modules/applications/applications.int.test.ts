import pg from 'pg';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { auditRecords, createOrg, signedInUser, type Session } from '../../test/fixtures.js';
import { PushWriter } from '../ingestion/index.js';

let t: TestApp;
let owner: pg.Client;
let unitA: Session; // unit_staff of unit A
let leaderA: Session; // unit_admin of unit A (单位领导)
let unitB: Session;
let providerA: Session;
let providerC: Session;
let mgmt: Session;
let sysAdmin: Session;
let unitAId: string;
let providerAId: string;
let systemId: string;
let nodeId: string;
let estimateId: string;

const basicPrices = () =>
  [
    ['1001', '14.02'], ['1002', '41.15'], ['1003', '354.23'], ['1004', '374.52'], ['1005', '200.60'], ['1006', '122.68'],
    ['1007', '102.83'], ['1008', '191.73'], ['1009', '45.00'], ['1010', '8.00'], ['1011', '28.60'], ['1012', '64.25'],
    ['1013', '72.75'], ['1014', '88.45'], ['1015', '138.90'], ['1016', '49.55'], ['1017', '76.05'], ['1018', '66.47'],
    ['1019', '356.37'], ['1020', '257.72'], ['1021', '127.78'], ['1022', '313.69'], ['1023', '98.86'],
  ].map(([itemCode, unitPrice]) => ({ itemCode: itemCode!, unitPrice: unitPrice! }));

const systemBody = (name: string) => ({
  nodeId,
  name,
  systemType: '公众服务',
  gradingLevel: '三级',
  operatingHours: '7*24 小时',
  serviceAudience: '社会公众',
  serviceScope: '全市',
  networkNature: '政务外网及互联网',
  interconnection: '与本单位其他系统连接',
  functionDescription: '网上办事',
  preApprovalStatus: '已审批',
  goLiveDate: '2024-02-29',
  accessUrl: 'https://banshi.example.gov.cn/',
  appVendor: '某软件公司',
  contactName: '张三',
  contactMobile: '13812348000',
  contactEmail: 'abc@x.cn',
});

type Detail = {
  id: string;
  appNo: string;
  status: string;
  total: string;
  monthlyTotal: string;
  workflowInstanceId: string | null;
  lines: Array<{ lineNo: number; itemCode: string; quantity: string; delta: string | null; unitPrice: string; monthlyAmount: string | null; amount: string; acceptedAt: string | null; delivery: unknown }>;
  workOrder: { id: string; kind: string; status: string; dueAt: string; openedAt: string; keyPeriod: boolean; deadline: Record<string, number>; overdue: boolean; remainingMs: number | null; rejections: number } | null;
  timeline: Array<{ source: string; action: string; stepKey: string | null }>;
  skipped?: Array<{ line: number; reason: string }>;
  abilities: Record<string, boolean>;
};
type Task = { id: string; stepKey: string; status: string; instanceId: string };

const get = async (s: Session, id: string) => t.app.inject({ method: 'GET', url: `/api/applications/${id}`, headers: s.headers });
const tasksOf = async (s: Session, instanceId: string): Promise<Task[]> =>
  ((await t.app.inject({ method: 'GET', url: `/api/workflow/tasks?instanceId=${instanceId}`, headers: s.headers })).json() as { items: Task[] }).items;
const pending = async (s: Session, instanceId: string, step: string): Promise<Task> => {
  const task = (await tasksOf(s, instanceId)).find((x) => x.stepKey === step && x.status === 'pending');
  if (!task) throw new Error(`no pending task ${step}`);
  return task;
};
const act = (s: Session, taskId: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/workflow/tasks/${taskId}/actions`, headers: s.headers, payload });

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  const a = await createOrg(t, { kind: 'user_unit', code: unique('A') });
  const b = await createOrg(t, { kind: 'user_unit' });
  const pa = await createOrg(t, { kind: 'cloud_provider' });
  const pc = await createOrg(t, { kind: 'cloud_provider' });
  const m = await createOrg(t, { kind: 'management_unit' });
  unitAId = a.id;
  providerAId = pa.id;
  unitA = (await signedInUser(t, { orgId: a.id, roles: ['unit_staff'] })).session;
  leaderA = (await signedInUser(t, { orgId: a.id, roles: ['unit_admin'] })).session;
  unitB = (await signedInUser(t, { orgId: b.id, roles: ['unit_staff'] })).session;
  providerA = (await signedInUser(t, { orgId: pa.id, roles: ['provider_staff'] })).session;
  providerC = (await signedInUser(t, { orgId: pc.id, roles: ['provider_staff'] })).session;
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
  nodeId = await t.container.directory.ensureCloudNode(systemContext('test'), { code: unique('N').slice(0, 30), name: unique('节点'), cloudType: 'service', providerOrgId: pa.id });

  // The provider's price list (caps; open-ended from 2026-01-01), approved by the management unit.
  const current = (await t.app.inject({ method: 'GET', url: '/api/catalog/current', headers: mgmt.headers })).json() as { id: string };
  let res = await t.app.inject({ method: 'POST', url: '/api/price-lists', headers: providerA.headers, payload: { catalogVersionId: current.id, effectiveFrom: '2026-01-01', effectiveTo: null, items: basicPrices() } });
  expect(res.statusCode).toBe(201);
  const listId = (res.json() as { id: string }).id;
  expect((await t.app.inject({ method: 'POST', url: `/api/price-lists/${listId}/submit`, headers: providerA.headers })).statusCode).toBe(200);
  expect((await t.app.inject({ method: 'POST', url: `/api/price-lists/${listId}/approve`, headers: mgmt.headers, payload: {} })).statusCode).toBe(200);

  res = await t.app.inject({
    method: 'POST',
    url: '/api/information-systems',
    headers: unitA.headers,
    payload: systemBody(unique('网上办事大厅')),
  });
  expect(res.statusCode, res.body).toBe(201);
  systemId = (res.json() as { id: string }).id;

  res = await t.app.inject({
    method: 'POST',
    url: '/api/estimates',
    headers: unitA.headers,
    payload: {
      title: '办事大厅上云测算',
      lines: [
        { itemCode: '1001', quantity: '16', unit: '核', months: 12 },
        { itemCode: '1002', quantity: '300', unit: 'GB', months: 12 },
        { itemText: '某种目录外的服务', quantity: '1', unit: '项', months: 12 },
      ],
    },
  });
  expect(res.statusCode).toBe(201);
  estimateId = (res.json() as { id: string }).id;
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('applications: estimate → application → approvals → work order → delivery → acceptance', () => {
  let app: Detail;

  it('估算转申请 copies the mapped lines and prices them with the provider’s price list', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/applications/from-estimate', headers: unitA.headers, payload: { estimateId, systemId } });
    expect(res.statusCode).toBe(201);
    app = res.json() as Detail;
    expect(app.status).toBe('draft');
    expect(app.lines.map((l) => [l.itemCode, l.quantity, l.unitPrice, l.monthlyAmount, l.amount])).toEqual([
      ['1001', '16', '14.02', '224.32', '2691.84'],
      ['1002', '300', '41.15', '12345.00', '148140.00'],
    ]);
    expect(app.monthlyTotal).toBe('12569.32');
    expect(app.total).toBe('150831.84');
    expect(app.skipped).toEqual([expect.objectContaining({ line: 3 })]);
    expect(app.abilities).toMatchObject({ edit: true, submit: true, deliver: false, accept: false });
  });

  it('isolation: the provider does not see a draft; unit B and provider C get 404; the three admins have no access', async () => {
    expect((await get(providerA, app.id)).statusCode).toBe(404);
    expect((await get(unitB, app.id)).statusCode).toBe(404);
    expect((await get(providerC, app.id)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/applications', headers: sysAdmin.headers })).statusCode).toBe(403);
  });

  it('submission starts the workflow with the facts; a step not assigned to you is refused; the leader returns it', async () => {
    let res = await t.app.inject({ method: 'POST', url: `/api/applications/${app.id}/submit`, headers: unitA.headers, payload: {} });
    expect(res.statusCode).toBe(200);
    app = res.json() as Detail;
    expect(app.status).toBe('in_approval');
    expect(app.workflowInstanceId).toBeTruthy();
    const wf = (await t.app.inject({ method: 'GET', url: `/api/workflow/instances/${app.workflowInstanceId}`, headers: unitA.headers })).json() as { facts: Record<string, unknown>; definitionCode: string };
    expect(wf.definitionCode).toBe('application_onboarding');
    expect(wf.facts).toEqual({ amount: '150831.84', protectionLevel: 3, itemCategories: ['计算服务'] });
    // Now addressed to provider A: it sees the application; provider C still does not.
    expect((await get(providerA, app.id)).statusCode).toBe(200);
    expect((await get(providerC, app.id)).statusCode).toBe(404);
    const list = (await t.app.inject({ method: 'GET', url: '/api/applications', headers: providerC.headers })).json() as { items: Array<{ id: string }> };
    expect(list.items.map((i) => i.id)).not.toContain(app.id);

    const leader = await pending(leaderA, app.workflowInstanceId!, 'leader');
    res = await act(unitA, leader.id, { action: 'approve' });
    expect(res.statusCode).toBe(403);
    expect((res.json() as { code: string }).code).toBe('workflow.not_assignee');
    res = await act(leaderA, leader.id, { action: 'return', comment: '内存过大，请核减' });
    expect(res.statusCode).toBe(200);
    app = (await get(unitA, app.id)).json() as Detail;
    expect(app.status).toBe('returned');
    expect(app.abilities).toMatchObject({ edit: true, resubmit: true });
  });

  it('a returned application is edited and resubmitted; approvals run to the director (amount > 100,000 元)', async () => {
    let res = await t.app.inject({
      method: 'PUT',
      url: `/api/applications/${app.id}`,
      headers: unitA.headers,
      payload: { systemId, kind: 'onboarding', title: '办事大厅上云', lines: [{ itemCode: '1001', quantity: '16' }, { itemCode: '1002', quantity: '240' }] },
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as Detail).total).toBe('121203.84');
    res = await t.app.inject({ method: 'POST', url: `/api/applications/${app.id}/submit`, headers: unitA.headers, payload: { comment: '已核减' } });
    expect(res.statusCode).toBe(200);
    app = res.json() as Detail;
    expect(app.status).toBe('in_approval');
    const wf = (await t.app.inject({ method: 'GET', url: `/api/workflow/instances/${app.workflowInstanceId}`, headers: unitA.headers })).json() as { facts: Record<string, unknown>; status: string };
    expect(wf).toMatchObject({ status: 'running', facts: { amount: '121203.84' } });

    const leader = await pending(leaderA, app.workflowInstanceId!, 'leader');
    expect((await act(leaderA, leader.id, { action: 'approve', comment: '同意' })).statusCode).toBe(200);
    const again = await act(leaderA, leader.id, { action: 'approve' });
    expect(again.statusCode).toBe(409);
    expect((again.json() as { code: string }).code).toBe('workflow.task_closed');
    const review = await pending(mgmt, app.workflowInstanceId!, 'review');
    expect((await act(mgmt, review.id, { action: 'approve' })).statusCode).toBe(200);
    expect(((await get(unitA, app.id)).json() as Detail).status).toBe('in_approval');
    const director = await pending(mgmt, app.workflowInstanceId!, 'director');
    expect((await act(mgmt, director.id, { action: 'approve' })).statusCode).toBe(200);
    // Approved on Wednesday 2026-09-30 10:00 (backdated): 3 working days skip 国庆节 10-01…10-07 → 10-08, 10-09 and
    // the make-up Saturday 10-10 → due Saturday 2026-10-10 10:00.
    await owner.query(`update workflow_instances set ended_at = '2026-09-30T10:00:00+08:00' where id = $1`, [app.workflowInstanceId]);
  });

  it('approval opens a work order for the provider, due in 3 working days across the National Day holiday', async () => {
    app = (await get(unitA, app.id)).json() as Detail;
    expect(app.status).toBe('fulfilling');
    expect(app.workOrder).toMatchObject({ kind: 'initial_resources', status: 'open', deadline: { workingDays: 3 }, keyPeriod: false, overdue: true });
    expect(new Date(app.workOrder!.dueAt).toISOString()).toBe('2026-10-10T02:00:00.000Z');
    expect(app.workOrder!.remainingMs).toBeLessThan(0);
    const wos = (await t.app.inject({ method: 'GET', url: '/api/work-orders?overdue=true', headers: providerA.headers })).json() as { items: Array<{ applicationId: string; appNo: string }> };
    expect(wos.items.find((w) => w.applicationId === app.id)?.appNo).toBe(app.appNo);
    const cWos = (await t.app.inject({ method: 'GET', url: '/api/work-orders', headers: providerC.headers })).json() as { items: Array<{ applicationId: string }> };
    expect(cWos.items.map((w) => w.applicationId)).not.toContain(app.id);
    const asProvider = (await get(providerA, app.id)).json() as Detail;
    expect(asProvider.abilities).toMatchObject({ deliver: true, accept: false, edit: false });
  });

  it('delivery by the provider; the unit rejects it with a reason, the provider delivers again, the unit accepts', async () => {
    let res = await t.app.inject({ method: 'POST', url: `/api/applications/${app.id}/deliver`, headers: providerC.headers, payload: { pushedRef: 'x' } });
    expect(res.statusCode).toBe(404);
    res = await t.app.inject({ method: 'POST', url: `/api/applications/${app.id}/deliver`, headers: providerA.headers, payload: { lines: [{ lineNo: 9, hosts: [] }] } });
    expect(res.statusCode).toBe(400);
    res = await t.app.inject({
      method: 'POST',
      url: `/api/applications/${app.id}/deliver`,
      headers: providerA.headers,
      payload: { lines: [{ lineNo: 1, hosts: [{ hostName: 'bsdt-app-01', ip: '10.1.2.3', size: '16C' }] }, { lineNo: 2, hosts: [{ hostName: 'bsdt-app-01', ip: '10.1.2.3', size: '240G' }] }], note: '已开通' },
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as Detail).status).toBe('delivered');
    res = await t.app.inject({ method: 'POST', url: `/api/applications/${app.id}/reject-delivery`, headers: unitA.headers, payload: { reason: '内存未到位' } });
    expect(res.statusCode).toBe(200);
    expect((res.json() as Detail).workOrder).toMatchObject({ status: 'open', rejections: 1 });
    res = await t.app.inject({ method: 'POST', url: `/api/applications/${app.id}/deliver`, headers: providerA.headers, payload: { pushedRef: 'batch 42', note: '已补足内存' } });
    expect(res.statusCode).toBe(200);
    res = await t.app.inject({ method: 'POST', url: `/api/applications/${app.id}/accept`, headers: providerA.headers, payload: {} });
    expect(res.statusCode).toBe(403);
    res = await t.app.inject({ method: 'POST', url: `/api/applications/${app.id}/accept`, headers: unitA.headers, payload: { comment: '验收通过' } });
    expect(res.statusCode).toBe(200);
    app = res.json() as Detail;
    expect(app.status).toBe('accepted');
    expect(app.lines.every((l) => l.acceptedAt !== null)).toBe(true);
    expect(app.workOrder).toMatchObject({ status: 'accepted', remainingMs: null });
    // Notified along the way (in-app): the provider of the work order and of the rejected delivery, the applicant of
    // each delivery, the unit leader of the to-do; provider C of nothing.
    const inbox = async (x: Session) => ((await t.app.inject({ url: '/api/notifications?limit=200', headers: x.headers })).json() as { items: Array<{ title: string }> }).items.map((i) => i.title.split('：')[0]).filter((k) => k !== undefined);
    const providerNews = await inbox(providerA);
    expect(providerNews).toContain('新工单');
    expect(providerNews).toContain('交付被退回');
    expect((await inbox(unitA)).filter((k) => k === '交付待验收')).toHaveLength(2);
    expect(await inbox(leaderA)).toContain('新待办');
    expect((await inbox(providerC)).filter((k) => k === '新工单' || k === '交付被退回')).toEqual([]);
    expect(app.timeline.filter((e) => e.source === 'application').map((e) => e.action)).toEqual(['create', 'submit', 'returned', 'update', 'resubmit', 'approved', 'deliver', 'reject_delivery', 'deliver', 'accept']);
    expect(app.timeline.filter((e) => e.source === 'workflow').map((e) => e.action)).toEqual(expect.arrayContaining(['start', 'return', 'resubmit', 'approve', 'approved']));
    expect(await auditRecords(t, { action: 'applications.accept', targetId: app.id })).toHaveLength(1);
    expect(await auditRecords(t, { action: 'applications.submit', targetId: app.id })).toHaveLength(1);
  });

  it('acceptance puts the delivered host into the CMDB (created on the acceptance day); metering starts that day; a later push updates the same resource', async () => {
    const day = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const before = new Date(new Date(`${day}T00:00:00Z`).getTime() - 86_400_000).toISOString().slice(0, 10);
    const systemNo = ((await owner.query(`select system_no from information_systems where id = $1`, [systemId])).rows[0] as { system_no: string }).system_no;
    const resources = async () =>
      (
        await owner.query(
          `select id, kind, natural_key, system_no, system_id, unit_org_id, node_id, quantities, attributes, to_char(created_date, 'YYYY-MM-DD') as created, status
             from inventory_resources where provider_org_id = $1 order by natural_key`,
          [providerAId],
        )
      ).rows as Array<{ id: string; kind: string; natural_key: string; system_no: string; system_id: string; unit_org_id: string; node_id: string; quantities: Record<string, string>; attributes: Record<string, string | null>; created: string; status: string }>;
    let rows = await resources();
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r).toMatchObject({ kind: 'cloud_host', natural_key: 'bsdt-app-01', system_no: systemNo, system_id: systemId, unit_org_id: unitAId, node_id: nodeId, created: day, status: 'active' });
    expect(r.quantities).toEqual({ cpuCores: '16', memoryGb: '240' });
    expect(r.attributes).toMatchObject({ source: 'delivery', applicationId: app.id, cloudHostId: 'bsdt-app-01', systemId: systemNo, ip: '10.1.2.3' });
    const changes = (await owner.query(`select action from inventory_changes where resource_id = $1 order by id`, [r.id])).rows as Array<{ action: string }>;
    expect(changes.map((c) => c.action)).toEqual(['created']);
    const accepted = ((await get(unitA, app.id)).json() as Detail).timeline.find((e) => e.source === 'application' && e.action === 'accept') as unknown as { details: Record<string, unknown> } | undefined;
    expect(accepted?.details).toMatchObject({ cmdb: { created: 1, changed: 0, createdDate: day, notMapped: [] } });

    // Metering (billing.meterDay meters the resources in force that day): nothing the day before, vCPU and memory from the acceptance day.
    const usage = async (d: string) =>
      ((await owner.query(`select item_code, quantity::text as q from billing_usage where resource_id = $1 and day = $2 order by item_code`, [r.id, d])).rows as Array<{ item_code: string | null; q: string }>).map((u) => [u.item_code, Number(u.q)]);
    await t.container.billing.meterDay(before);
    expect(await usage(before)).toEqual([]);
    await t.container.billing.meterDay(day);
    expect(await usage(day)).toEqual(expect.arrayContaining([['1001', 16], ['1002', 240]]));

    // The provider then pushes the host through the data interface (cloud host ID = the delivered host name): same resource, changed.
    const freeCode = async (): Promise<string> => {
      for (;;) {
        const c = `Y${Math.random().toString(36).slice(2, 5).toUpperCase()}`;
        const ins = await owner.query(`insert into ingest_code_values (code_table, code, label_zh, org_id) values ('cloudProvider', $1, $1, $2) on conflict do nothing`, [c, providerAId]);
        if (ins.rowCount === 1) return c;
      }
    };
    const code = await freeCode();
    await owner.query(`insert into machine_rooms (node_id, code, name) values ($1, 'RM01', '一号机房') on conflict do nothing`, [nodeId]);
    const writer = new PushWriter(t.deps.db, t.database.pool, t.deps.logger);
    const pushed = await writer.writeBatch({
      providerOrgId: providerAId,
      nodeId,
      table: 'cloudHostSpec',
      source: 'api',
      mode: 'atomic',
      records: [
        {
          systemId: systemNo, cloudHostName: '办事大厅应用一', cloudHostId: 'bsdt-app-01', internalIp: '10.1.2.3', cloudHostType: 'GENE', runStatus: 'RUNN',
          cloudPlatform: code, regionCode: 'RM01', networkType: 'GWWW', createdDate: before, deletedDate: null, cpuCores: '16', memoryAllocated: '256.00',
          standardStorageAllocated: '100.00', highPerfStorageAllocated: '0.00', staticStorageAllocated: '0.00', localVideoStorageAllocated: '0.00', offsiteStorageAllocated: '0.00',
        },
      ],
    });
    expect(pushed.status, JSON.stringify(pushed.errors)).toBe('accepted');
    await t.container.inventory.applyPending();
    rows = await resources();
    expect(rows.map((x) => x.id)).toEqual([r.id]);
    expect(rows[0]).toMatchObject({ system_id: systemId, unit_org_id: unitAId, status: 'active', created: day });
    expect(rows[0]!.quantities).toMatchObject({ cpuCores: '16', memoryGb: '256', standardStorageGb: '100' });
    // The delivery marker stays, and the pushed 创建日期 (the day before) does not move the metering start before the acceptance.
    expect(rows[0]!.attributes).toMatchObject({ source: 'delivery', applicationId: app.id, cloudHostName: '办事大厅应用一', memoryAllocated: '256.00' });
    const after = (await owner.query(`select action, after from inventory_changes where resource_id = $1 order by id`, [r.id])).rows as Array<{ action: string; after: Record<string, string | null> }>;
    expect(after.map((c) => c.action)).toEqual(['created', 'changed']);
    expect(after[1]!.after).toMatchObject({ memoryAllocated: '256.00', cloudHostName: '办事大厅应用一' });
    expect(after[1]!.after).not.toHaveProperty('source');
    await t.container.billing.meterDay(before);
    expect(await usage(before)).toEqual([]);
  });

  it('statistics per provider and step, and the .xlsx export of the list', async () => {
    const stats = (await t.app.inject({ method: 'GET', url: '/api/applications/stats', headers: mgmt.headers })).json() as {
      byProvider: Array<{ providerOrgId: string; count: number; completed: number; onTime: number; accepted: number }>;
      bySteps: Array<{ stepKey: string; definitionCode: string; count: number; completed: number }>;
    };
    expect(stats.byProvider.find((p) => p.providerOrgId === providerAId)).toMatchObject({ count: 1, completed: 1, accepted: 1, onTime: 0 });
    expect(stats.bySteps.filter((s) => s.definitionCode === 'application_onboarding').map((s) => s.stepKey)).toEqual(expect.arrayContaining(['leader', 'review', 'director']));
    const res = await t.app.inject({ method: 'GET', url: `/api/applications/export?unitId=${unitAId}`, headers: unitA.headers });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('申请编号');
    expect(ws.getRow(2).getCell(1).value).toBe(app.appNo);
    expect(ws.getRow(2).getCell(10).value).toBe('已验收');
  });
});

describe('refusals and deadlines', () => {
  it('a line for an item the provider does not offer is refused, naming the item', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/applications', headers: unitA.headers, payload: { systemId, kind: 'onboarding', title: 'x', lines: [{ itemCode: '1001', quantity: '2' }, { itemCode: '3001', quantity: '1' }] } });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { code: string; message: string; details: { issues: Array<{ field: string; rule: string }> } };
    expect(body.code).toBe('applications.item_not_offered');
    expect(body.message).toContain('3001');
    expect(body.details.issues).toEqual([expect.objectContaining({ field: 'body.lines[1].itemCode', rule: 'item_not_offered' })]);
  });

  it('over quota is refused with the figures; only the management unit sets quotas', async () => {
    expect((await t.app.inject({ method: 'PUT', url: `/api/application-quotas/${unitAId}`, headers: unitA.headers, payload: { maxMonthlyAmount: '20000', itemCaps: {} } })).statusCode).toBe(403);
    let res = await t.app.inject({ method: 'PUT', url: `/api/application-quotas/${unitAId}`, headers: mgmt.headers, payload: { maxMonthlyAmount: '20000', itemCaps: { '1001': '20' } } });
    expect(res.statusCode).toBe(200);
    // The accepted application already takes 10100.32 元/month and 16 vCPU.
    expect(res.json()).toMatchObject({ usedMonthlyAmount: '10100.32', usedItems: { '1001': '16', '1002': '240' } });
    res = await t.app.inject({ method: 'POST', url: '/api/applications', headers: unitA.headers, payload: { systemId, kind: 'change', changeType: 'expand', title: '扩容', lines: [{ itemCode: '1001', quantity: '24', delta: '8' }] } });
    expect(res.statusCode).toBe(400);
    let body = res.json() as { code: string; message: string };
    expect(body.code).toBe('applications.over_quota');
    expect(body.message).toContain('1001');
    res = await t.app.inject({ method: 'POST', url: '/api/applications', headers: unitA.headers, payload: { systemId, kind: 'change', changeType: 'expand', title: '扩容', lines: [{ itemCode: '1002', quantity: '540', delta: '300' }] } });
    expect(res.statusCode).toBe(400);
    body = res.json() as { code: string; message: string };
    expect(body.code).toBe('applications.over_quota');
    expect(body.message).toContain('20000.00');
    // A change missing its delta, an exit without data handling: clear field errors.
    res = await t.app.inject({ method: 'POST', url: '/api/applications', headers: unitA.headers, payload: { systemId, kind: 'change', changeType: 'expand', title: '扩容', lines: [{ itemCode: '1001', quantity: '18' }] } });
    expect((res.json() as { details: { issues: Array<{ field: string }> } }).details.issues[0]!.field).toBe('body.lines[0].delta');
    res = await t.app.inject({ method: 'POST', url: '/api/applications', headers: unitA.headers, payload: { systemId, kind: 'exit', title: '退云', lines: [] } });
    expect((res.json() as { details: { issues: Array<{ field: string }> } }).details.issues.map((i) => i.field)).toEqual(['body.exitDataHandling', 'body.exitDate']);
  });

  it('a resource change in a key-guarantee period is due in 2 clock hours', async () => {
    await owner.query(`insert into key_guarantee_periods (name, starts_at, ends_at, scope, node_ids) values ('测试重保', '2026-06-01T00:00:00+08:00', '2026-06-02T00:00:00+08:00', 'nodes', array[$1::uuid])`, [nodeId]);
    let res = await t.app.inject({ method: 'POST', url: '/api/applications', headers: unitA.headers, payload: { systemId, kind: 'change', changeType: 'expand', title: '扩容', lines: [{ itemCode: '1001', quantity: '20', delta: '4' }] } });
    expect(res.statusCode).toBe(201);
    const app = res.json() as Detail;
    expect(app.lines[0]).toMatchObject({ delta: '4', monthlyAmount: '56.08', amount: '672.96' });
    res = await t.app.inject({ method: 'POST', url: `/api/applications/${app.id}/submit`, headers: unitA.headers, payload: {} });
    const instanceId = (res.json() as Detail).workflowInstanceId!;
    expect(((await t.app.inject({ method: 'GET', url: `/api/workflow/instances/${instanceId}`, headers: unitA.headers })).json() as { definitionCode: string }).definitionCode).toBe('application_change');
    expect((await act(leaderA, (await pending(leaderA, instanceId, 'leader')).id, { action: 'approve' })).statusCode).toBe(200);
    expect((await act(mgmt, (await pending(mgmt, instanceId, 'review')).id, { action: 'approve' })).statusCode).toBe(200);
    await owner.query(`update workflow_instances set ended_at = '2026-06-01T10:00:00+08:00' where id = $1`, [instanceId]);
    const d = (await get(unitA, app.id)).json() as Detail;
    expect(d.workOrder).toMatchObject({ kind: 'resource_adjustment', keyPeriod: true, deadline: { clockHours: 2 } });
    expect(new Date(d.workOrder!.dueAt).toISOString()).toBe('2026-06-01T04:00:00.000Z');
    // Open work orders are deadline items for the notifications module (the provider's staff; escalation to the management unit).
    const items = await t.container.applications.openWorkOrderDeadlines(new Date('2026-06-01T03:00:00.000Z'));
    expect(items.find((i) => i.link === `/applications?id=${app.id}`)).toMatchObject({
      allowedMs: 7_200_000,
      elapsedMs: 3_600_000,
      assignees: { orgIds: [providerAId], roleCodes: ['provider_staff', 'provider_admin'] },
      escalateTo: { orgKinds: ['management_unit'], roleCodes: ['mgmt_staff'] },
    });
  });
});

describe('CMDB: accepted change and exit', () => {
  const runToWorkOrder = async (payload: Record<string, unknown>): Promise<string> => {
    let res = await t.app.inject({ method: 'POST', url: '/api/applications', headers: unitA.headers, payload: { systemId, ...payload } });
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as Detail).id;
    res = await t.app.inject({ method: 'POST', url: `/api/applications/${id}/submit`, headers: unitA.headers, payload: {} });
    expect(res.statusCode, res.body).toBe(200);
    const instanceId = (res.json() as Detail).workflowInstanceId!;
    expect((await act(leaderA, (await pending(leaderA, instanceId, 'leader')).id, { action: 'approve' })).statusCode).toBe(200);
    expect((await act(mgmt, (await pending(mgmt, instanceId, 'review')).id, { action: 'approve' })).statusCode).toBe(200);
    expect(((await get(unitA, id)).json() as Detail).status).toBe('fulfilling');
    return id;
  };
  const host = async () =>
    (await owner.query(`select id, quantities, status, to_char(deleted_date, 'YYYY-MM-DD') as deleted from inventory_resources where provider_org_id = $1 and kind = 'cloud_host' and natural_key = 'bsdt-app-01'`, [providerAId]))
      .rows as Array<{ id: string; quantities: Record<string, string>; status: string; deleted: string | null }>;
  const actions = async (id: string) => ((await owner.query(`select action from inventory_changes where resource_id = $1 order by id`, [id])).rows as Array<{ action: string }>).map((c) => c.action);

  it('an accepted expansion changes the delivered host (same resource, history changed); an accepted exit deletes the system’s resources from that day', async () => {
    expect((await t.app.inject({ method: 'PUT', url: `/api/application-quotas/${unitAId}`, headers: mgmt.headers, payload: { maxMonthlyAmount: null, itemCaps: {} } })).statusCode).toBe(200);
    const [before] = await host();
    expect(before).toMatchObject({ status: 'active' });
    const n = (await actions(before!.id)).length;

    const change = await runToWorkOrder({ kind: 'change', changeType: 'expand', title: '扩容', lines: [{ itemCode: '1001', quantity: '24', delta: '8' }] });
    let res = await t.app.inject({ method: 'POST', url: `/api/applications/${change}/deliver`, headers: providerA.headers, payload: { lines: [{ lineNo: 1, hosts: [{ hostName: 'bsdt-app-01', ip: '10.1.2.3', size: '24C' }] }] } });
    expect(res.statusCode, res.body).toBe(200);
    res = await t.app.inject({ method: 'POST', url: `/api/applications/${change}/accept`, headers: unitA.headers, payload: {} });
    expect(res.statusCode, res.body).toBe(200);
    let rows = await host();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(before!.id);
    expect(rows[0]!.quantities.cpuCores).toBe('24');
    expect((await actions(before!.id)).slice(n)).toEqual(['changed']);

    const day = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const exit = await runToWorkOrder({ kind: 'exit', title: '退云', exitDataHandling: 'archive', exitDate: day, lines: [] });
    res = await t.app.inject({ method: 'POST', url: `/api/applications/${exit}/deliver`, headers: providerA.headers, payload: { note: '数据已归档，资源已回收' } });
    expect(res.statusCode, res.body).toBe(200);
    res = await t.app.inject({ method: 'POST', url: `/api/applications/${exit}/accept`, headers: unitA.headers, payload: {} });
    expect(res.statusCode, res.body).toBe(200);
    rows = await host();
    expect(rows[0]).toMatchObject({ status: 'deleted', deleted: day });
    expect((await actions(before!.id)).slice(n)).toEqual(['changed', 'deleted']);
    // Metering stops that day: billing meters resources whose deleted_date is after the day.
    await t.container.billing.meterDay(day);
    expect((await owner.query(`select count(*)::int as n from billing_usage where resource_id = $1 and day = $2`, [before!.id, day])).rows[0]).toEqual({ n: 0 });
  });
});

describe('demo data', () => {
  it('creates an onboarding application per system, submitted but the last', async () => {
    expect((await t.app.inject({ method: 'PUT', url: `/api/application-quotas/${unitAId}`, headers: mgmt.headers, payload: { maxMonthlyAmount: null, itemCaps: {} } })).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: '/api/information-systems', headers: unitA.headers, payload: systemBody(unique('演示系统')) });
    expect(res.statusCode, res.body).toBe(201);
    const second = (res.json() as { id: string }).id;
    const ids = await t.container.applications.loadDemo({ systemIds: [systemId, second] });
    expect(ids).toHaveLength(2);
    const [a, b] = await Promise.all(ids.map(async (id) => (await get(unitA, id)).json() as Detail));
    expect(a).toMatchObject({ status: 'in_approval', total: '9246.72' });
    expect(b).toMatchObject({ status: 'draft', total: '9246.72' });
  });
});

describe('budget', () => {
  it('a submission over the remaining fiscal-year budget of the system is refused', async () => {
    const fiscalYear = Number(new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4));
    let res = await t.app.inject({ method: 'POST', url: '/api/budgets', headers: leaderA.headers, payload: { systemId, fiscalYear, amount: '1000.00' } });
    expect(res.statusCode, res.body).toBe(201);
    res = await t.app.inject({ method: 'POST', url: '/api/applications', headers: unitA.headers, payload: { systemId, kind: 'onboarding', title: '超预算', lines: [{ itemCode: '1001', quantity: '8' }] } });
    expect(res.statusCode).toBe(201);
    const id = (res.json() as Detail).id;
    res = await t.app.inject({ method: 'POST', url: `/api/applications/${id}/submit`, headers: unitA.headers, payload: {} });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { code: string; message: string };
    expect(body.code).toBe('applications.over_budget');
    expect(body.message).toContain('1345.92');
    expect(((await get(unitA, id)).json() as Detail).status).toBe('draft');
  });
});
