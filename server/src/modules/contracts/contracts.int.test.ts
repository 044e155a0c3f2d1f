import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';
import { ContractsService, type BillReader } from './contracts.service.js';
import { loadDemoContracts } from './contracts.demo.js';

let t: TestApp;
let owner: pg.Client;
let provP: TestOrg;
let provQ: TestOrg;
let unitAOrg: TestOrg;
let mgmt: Session;
let adminA: Session;
let staffA: Session;
let adminB: Session;
let provPStaff: Session;
let provQStaff: Session;
let sysAdmin: Session;
let systemA: { id: string; systemNo: string };

type ScheduleLine = { seq: number; name: string; percent: string; amount: string; amountUppercase: string; dueDate: string | null; state: string };
type Detail = { id: string; amount: string; amountUppercase: string; status: string; schedule: ScheduleLine[]; consumption: { consumed: string; remaining: string; percent: string | null }; burnDown: Array<{ month: string; cumulative: string }>; warnings: Array<{ kind: string; milestoneSeq: number }>; systems: Array<{ id: string }>; abilities: { edit: boolean; delete: boolean } };

const contract = (over: Record<string, unknown> = {}) => ({
  providerId: provP.id,
  contractNo: unique('HT'),
  name: '政务云资源租用服务合同',
  amount: '1000000.01',
  serviceStart: '2026-01-01',
  serviceEnd: '2026-12-31',
  signedDate: '2025-12-20',
  fiscalYears: [2026],
  milestones: [
    { name: '首款', condition: '合同签订后20个工作日内', percent: '30', dueDate: '2026-01-31' },
    { name: '中期款', condition: '阶段性验收通过后', percent: '30', dueDate: '2026-06-30' },
    { name: '尾款', condition: '最终验收后', percent: '40', dueDate: '2026-12-31' },
  ],
  ...over,
});

async function create(s: Session, body: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/contracts', headers: s.headers, payload: body });
}

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provP = await createOrg(t, { kind: 'cloud_provider', name: unique('合同服务商甲') });
  provQ = await createOrg(t, { kind: 'cloud_provider', name: unique('合同服务商乙') });
  unitAOrg = await createOrg(t, { kind: 'user_unit', name: unique('合同单位甲'), code: unique('HA') });
  const b = await createOrg(t, { kind: 'user_unit', name: unique('合同单位乙') });
  const m = await createOrg(t, { kind: 'management_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
  adminA = (await signedInUser(t, { orgId: unitAOrg.id, roles: ['unit_admin'] })).session;
  staffA = (await signedInUser(t, { orgId: unitAOrg.id, roles: ['unit_staff'] })).session;
  adminB = (await signedInUser(t, { orgId: b.id, roles: ['unit_admin'] })).session;
  provPStaff = (await signedInUser(t, { orgId: provP.id, roles: ['provider_staff'] })).session;
  provQStaff = (await signedInUser(t, { orgId: provQ.id, roles: ['provider_staff'] })).session;
  const node = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('CT').slice(0, 20), name: '合同节点', cloudType: 'service', providerOrgId: provP.id });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/information-systems',
    headers: staffA.headers,
    payload: { nodeId: node, name: '合同测试系统', systemType: '公众服务', gradingLevel: '三级', operatingHours: '7*24 小时', networkNature: '政务外网', contactName: '张三', contactMobile: '13812348000', contactEmail: 'abc@x.cn',
      serviceAudience: '公众', serviceScope: '全市', interconnection: '无', functionDescription: '办事', preApprovalStatus: '已审批', accessUrl: 'https://x.gov.cn', appVendor: '某公司' },
  });
  expect(res.statusCode, res.body).toBe(201);
  systemA = res.json() as { id: string; systemNo: string };
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('contracts', () => {
  it('refuses milestones that do not add up to 100%, naming the sum', async () => {
    const res = await create(adminA, contract({ milestones: [{ name: '首款', percent: '50' }, { name: '中期款', percent: '16.67' }, { name: '尾款', percent: '33.32' }] }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'contracts.milestones_not_100', details: { sum: '99.99' } });
    const bad = await create(adminA, contract({ amount: '12.345' }));
    expect(bad.statusCode).toBe(400);
    const dates = await create(adminA, contract({ serviceStart: '2026-12-31', serviceEnd: '2026-01-01' }));
    expect(dates.json()).toMatchObject({ code: 'contracts.invalid', details: { issues: [{ field: 'body.serviceEnd', rule: 'after_start' }] } });
    const notProvider = await create(adminA, contract({ providerId: unitAOrg.id }));
    expect(notProvider.json()).toMatchObject({ code: 'contracts.not_a_provider' });
  });

  it('registers a contract with its exact payment schedule and uppercase amounts; exports it as .xlsx', async () => {
    const res = await create(adminA, contract({ systemIds: [systemA.id] }));
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json() as Detail;
    expect(c).toMatchObject({ amount: '1000000.01', amountUppercase: '壹佰万元零壹分', status: 'draft', systems: [{ id: systemA.id }], abilities: { edit: true, delete: true } });
    expect(c.schedule.map((l) => l.amount)).toEqual(['300000.00', '300000.00', '400000.01']);
    expect(c.schedule[2]).toMatchObject({ amountUppercase: '肆拾万元零壹分', percent: '40' });
    const x = await t.app.inject({ url: `/api/contracts/${c.id}/export`, headers: staffA.headers });
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('合同概要')!;
    expect(String(ws.getCell('A1').value)).toContain('合同概要及付款计划');
    expect(ws.model.merges).toContain('A1:I1');
    const texts: string[] = [];
    ws.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value))));
    expect(texts).toEqual(expect.arrayContaining(['付款节点', '金额（大写）', '合计', '400000.01', '肆拾万元零壹分', '1000000.01', '壹佰万元零壹分']));
    const dup = await create(adminA, contract({ contractNo: (await t.app.inject({ url: `/api/contracts/${c.id}`, headers: adminA.headers })).json().contractNo }));
    expect(dup.json().code).toBe('contracts.number_taken');
  });

  it('isolates contracts: another unit gets 404, a provider sees only its own, the three administrators none', async () => {
    const a = (await create(adminA, contract())).json() as Detail;
    const q = (await create(mgmt, contract({ unitId: unitAOrg.id, providerId: provQ.id }))).json() as Detail;
    expect((await t.app.inject({ url: `/api/contracts/${a.id}`, headers: adminB.headers })).statusCode).toBe(404);
    const put = await t.app.inject({ method: 'PUT', url: `/api/contracts/${a.id}`, headers: adminB.headers, payload: contract() });
    expect(put.statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/contracts/${a.id}/export`, headers: adminB.headers })).statusCode).toBe(404);
    const listB = (await t.app.inject({ url: '/api/contracts', headers: adminB.headers })).json().items as Array<{ id: string }>;
    expect(listB.map((x) => x.id)).not.toContain(a.id);
    const listP = (await t.app.inject({ url: '/api/contracts', headers: provPStaff.headers })).json().items as Array<{ id: string; provider: { id: string } }>;
    expect(listP.map((x) => x.id)).toContain(a.id);
    expect(listP.map((x) => x.id)).not.toContain(q.id);
    expect(listP.every((x) => x.provider.id === provP.id)).toBe(true);
    expect((await t.app.inject({ url: `/api/contracts/${q.id}`, headers: provPStaff.headers })).statusCode).toBe(404);
    const pDetail = (await t.app.inject({ url: `/api/contracts/${a.id}`, headers: provPStaff.headers })).json() as Detail;
    expect(pDetail.abilities).toEqual({ edit: false, delete: false });
    expect((await t.app.inject({ url: `/api/contracts/${q.id}`, headers: provQStaff.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/contracts', headers: provPStaff.headers, payload: contract() })).statusCode).toBe(403);
    const all = (await t.app.inject({ url: `/api/contracts?unitId=${unitAOrg.id}`, headers: mgmt.headers })).json().items as Array<{ id: string }>;
    expect(all.map((x) => x.id)).toEqual(expect.arrayContaining([a.id, q.id]));
    expect((await t.app.inject({ url: '/api/contracts', headers: sysAdmin.headers })).statusCode).toBe(403);
    // RLS backstop: with business access off (the three administrators) even scope all reads no contract or budget.
    const rlsCount = async (businessAccess: 'on' | 'off') => {
      await owner.query('begin');
      try {
        await owner.query('set local role zhengyun_app');
        await owner.query(`select set_config('zhengyun.scope_all', 'on', true), set_config('zhengyun.business_access', $1, true)`, [businessAccess]);
        const r = await owner.query(`select (select count(*) from contracts where id = $1)::int as c, (select count(*) from contract_milestones where contract_id = $1)::int as m`, [a.id]);
        return r.rows[0] as { c: number; m: number };
      } finally {
        await owner.query('rollback');
      }
    };
    expect(await rlsCount('off')).toEqual({ c: 0, m: 0 });
    expect(await rlsCount('on')).toEqual({ c: 1, m: 3 });
    // Unit staff read their unit's contracts but do not write them.
    expect((await t.app.inject({ url: `/api/contracts/${a.id}`, headers: staffA.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/contracts/${a.id}`, headers: staffA.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/contracts/${a.id}`, headers: adminB.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/contracts/${a.id}`, headers: adminA.headers })).statusCode).toBe(204);
  });

  it('counts billed amounts against contracts and budgets and warns at 80% and 100% and at milestones due (idempotent job)', async () => {
    const c = (await create(adminA, contract({ amount: '10000', status: 'active', systemIds: [systemA.id], milestones: [
      { name: '首款', percent: '50', dueDate: '2026-05-20' },
      { name: '中期款', percent: '16.67', dueDate: '2026-06-20' },
      { name: '尾款', percent: '33.33', dueDate: '2026-12-31' },
    ] }))).json() as Detail;
    const budgetRes = await t.app.inject({ method: 'POST', url: '/api/budgets', headers: adminA.headers, payload: { fiscalYear: 2026, amount: '20000' } });
    expect(budgetRes.statusCode, budgetRes.body).toBe(201);
    const budgetId = budgetRes.json().id as string;
    const dupBudget = await t.app.inject({ method: 'POST', url: '/api/budgets', headers: adminA.headers, payload: { fiscalYear: 2026, amount: '1' } });
    expect(dupBudget.json().code).toBe('budgets.duplicate');

    const record = (month: string, amount: string, systemId: string | null = systemA.id, providerId = provP.id) =>
      t.container.contracts.recordConsumptionAsSystem([{ unitId: unitAOrg.id, providerId, systemId, month, amount }]);
    await record('2026-01', '3000');
    await record('2026-02', '4999.99');
    await record('2025-12', '9999'); // before the service period and the fiscal year: not counted
    await record('2026-02', '500', null, provQ.id); // another provider: the budget counts it, the contract does not
    await expect(record('2026-13', '1')).rejects.toMatchObject({ code: 'contracts.invalid_month' });

    await t.container.contracts.runWarnings('2026-06-01');
    let d = (await t.app.inject({ url: `/api/contracts/${c.id}`, headers: staffA.headers })).json() as Detail;
    expect(d.consumption).toEqual({ consumed: '7999.99', remaining: '2000.01', percent: '80.00' });
    expect(d.burnDown.map((p) => [p.month, p.cumulative])).toEqual([['2026-01', '3000.00'], ['2026-02', '7999.99']]);
    // 79.99995% rounds to 80.00 for display but is below the threshold.
    expect(d.warnings.map((w) => [w.kind, w.milestoneSeq]).sort()).toEqual([['milestone_due', 2], ['milestone_overdue', 1]]);

    await record('2026-02', '5000'); // recomputed February bill replaces the earlier figure: 8000 = 80%
    const run = await t.container.contracts.runWarnings('2026-06-01');
    d = (await t.app.inject({ url: `/api/contracts/${c.id}`, headers: staffA.headers })).json() as Detail;
    expect(d.consumption.consumed).toBe('8000.00');
    expect(d.warnings.map((w) => w.kind).sort()).toEqual(['consumption_80', 'milestone_due', 'milestone_overdue']);

    const before = (await owner.query(`select id, kind, first_seen_at, resolved_at from contract_warnings where subject_id = $1 order by id`, [c.id])).rows;
    // Counts are over the whole database (other test files may add contracts meanwhile): at least ours are all there.
    const again = await t.container.contracts.runWarnings('2026-06-01');
    expect(again.active).toBeGreaterThanOrEqual(3);
    expect(run.active).toBeGreaterThanOrEqual(3);
    const after = (await owner.query(`select id, kind, first_seen_at, resolved_at from contract_warnings where subject_id = $1 order by id`, [c.id])).rows;
    expect(after).toEqual(before);
    expect(after.map((r: { kind: string }) => r.kind).sort()).toEqual(['consumption_80', 'milestone_due', 'milestone_overdue']);

    await record('2026-03', '2000');
    await t.container.contracts.runWarnings('2026-06-01');
    d = (await t.app.inject({ url: `/api/contracts/${c.id}`, headers: staffA.headers })).json() as Detail;
    expect(d.consumption.percent).toBe('100.00');
    expect(d.warnings.map((w) => w.kind).sort()).toEqual(['consumption_100', 'milestone_due', 'milestone_overdue']);

    // Paying the first milestone resolves its overdue warning at the next run.
    const full = (await t.app.inject({ url: `/api/contracts/${c.id}`, headers: adminA.headers })).json() as Detail & { contractNo: string; name: string; serviceStart: string; serviceEnd: string; fiscalYears: number[] };
    const upd = await t.app.inject({ method: 'PUT', url: `/api/contracts/${c.id}`, headers: adminA.headers, payload: contract({ contractNo: full.contractNo, amount: '10000', status: 'active', systemIds: [systemA.id], milestones: [
      { name: '首款', percent: '50', dueDate: '2026-05-20', paidDate: '2026-05-25' },
      { name: '中期款', percent: '16.67', dueDate: '2026-06-20' },
      { name: '尾款', percent: '33.33', dueDate: '2026-12-31' },
    ] }) });
    expect(upd.statusCode, upd.body).toBe(200);
    expect((upd.json() as Detail).schedule.map((l) => l.amount)).toEqual(['5000.00', '1667.00', '3333.00']);
    await t.container.contracts.runWarnings('2026-06-01');
    d = (await t.app.inject({ url: `/api/contracts/${c.id}`, headers: staffA.headers })).json() as Detail;
    expect(d.warnings.map((w) => w.kind).sort()).toEqual(['consumption_100', 'milestone_due']);

    // Budget: 3000 + 5000 + 500 + 2000 = 10500 of 20000 (2025-12 not in fiscal year 2026).
    const budgets = (await t.app.inject({ url: '/api/budgets?fiscalYear=2026', headers: staffA.headers })).json().items as Array<{ id: string; consumption: { consumed: string; percent: string }; activeWarnings: number }>;
    expect(budgets.find((b) => b.id === budgetId)).toMatchObject({ consumption: { consumed: '10500.00', percent: '52.50' }, activeWarnings: 0 });
    await record('2026-04', '5500');
    await t.container.contracts.runWarnings('2026-06-01');
    const warnings = (await t.app.inject({ url: '/api/contract-warnings', headers: staffA.headers })).json().items as Array<{ subjectId: string; kind: string }>;
    expect(warnings.filter((w) => w.subjectId === budgetId).map((w) => w.kind)).toEqual(['consumption_80']);
    // The provider sees its contract's warnings, never the unit's budget warnings; another unit sees none of them.
    const pw = (await t.app.inject({ url: '/api/contract-warnings', headers: provPStaff.headers })).json().items as Array<{ subjectId: string }>;
    expect(pw.some((w) => w.subjectId === c.id)).toBe(true);
    expect(pw.some((w) => w.subjectId === budgetId)).toBe(false);
    const bw = (await t.app.inject({ url: '/api/contract-warnings', headers: adminB.headers })).json().items as Array<{ subjectId: string }>;
    expect(bw.some((w) => w.subjectId === c.id || w.subjectId === budgetId)).toBe(false);
    expect((await t.app.inject({ url: '/api/budgets', headers: provPStaff.headers })).statusCode).toBe(403);
    const bList = (await t.app.inject({ url: '/api/budgets', headers: adminB.headers })).json().items as Array<{ id: string }>;
    expect(bList.map((b) => b.id)).not.toContain(budgetId);
    expect((await t.app.inject({ method: 'PUT', url: `/api/budgets/${budgetId}`, headers: adminB.headers, payload: { fiscalYear: 2026, amount: '1' } })).statusCode).toBe(404);
    // Refresh on demand: the management unit only.
    expect((await t.app.inject({ method: 'POST', url: '/api/contract-warnings/refresh', headers: adminA.headers })).json().code).toBe('contracts.refresh_management_only');
    const refreshed = await t.app.inject({ method: 'POST', url: '/api/contract-warnings/refresh', headers: mgmt.headers });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(refreshed.json().active).toBeGreaterThanOrEqual(2);
    // An active contract is not deleted.
    expect((await t.app.inject({ method: 'DELETE', url: `/api/contracts/${c.id}`, headers: adminA.headers })).json().code).toBe('contracts.not_draft');
  });

  it('copies billed amounts from the billing module month by month, replacing the month as a whole', async () => {
    const svc = new ContractsService(t.deps.db);
    type FakeBill = Awaited<ReturnType<BillReader['get']>>;
    let bills: FakeBill[] = [
      { id: 'b1', month: '2027-03', unit: { id: unitAOrg.id }, provider: { id: provP.id }, lines: [
        { systemId: systemA.id, amount: '100.10' }, { systemId: systemA.id, amount: '0.20' }, { systemId: null, amount: '-5.00' }, { systemId: systemA.id, amount: null },
      ] },
      { id: 'b2', month: '2027-03', unit: { id: unitAOrg.id }, provider: { id: provQ.id }, lines: [{ systemId: systemA.id, amount: '7.00' }] },
    ];
    const reader: BillReader = {
      list: async (_ctx, q) => ({ items: bills.filter((b) => !q.month || b.month === q.month) }),
      get: async (_ctx, id) => bills.find((b) => b.id === id)!,
    };
    expect(await svc.syncFromBilling()).toEqual({ months: 0, bills: 0, rows: 0 }); // no billing linked
    svc.setBillReader(reader);
    expect(await svc.syncFromBilling()).toEqual({ months: 1, bills: 2, rows: 3 });
    const rows = async () => (await owner.query(`select provider_id, system_id, amount::text from contract_consumption where unit_id = $1 and month = '2027-03-01' order by provider_id = $2 desc, system_id nulls first`, [unitAOrg.id, provP.id])).rows;
    expect(await rows()).toEqual([
      { provider_id: provP.id, system_id: null, amount: '-5.00' },
      { provider_id: provP.id, system_id: systemA.id, amount: '100.30' },
      { provider_id: provQ.id, system_id: systemA.id, amount: '7.00' },
    ]);
    expect(await svc.syncFromBilling(['2027-03'])).toEqual({ months: 1, bills: 2, rows: 3 });
    expect((await rows()).length).toBe(3);
    // A recomputed bill replaces its figures; a bill that is gone leaves nothing behind.
    bills = [{ id: 'b1', month: '2027-03', unit: { id: unitAOrg.id }, provider: { id: provP.id }, lines: [{ systemId: systemA.id, amount: '50.00' }] }];
    await svc.syncFromBilling(['2027-03']);
    expect(await rows()).toEqual([{ provider_id: provP.id, system_id: systemA.id, amount: '50.00' }]);
  });

  it('loads the demo contracts and budgets from the seeds (exact schedules, warnings computed)', async () => {
    const health = await createOrg(t, { kind: 'user_unit', name: unique('医保演示') });
    const trading = await createOrg(t, { kind: 'user_unit', name: unique('交易演示') });
    const orgIds = new Map([['healthData', health.id], ['trading', trading.id], ['providerA', provP.id], ['providerB', provQ.id], ['providerC', provQ.id]]);
    expect(await loadDemoContracts(t.deps.db, t.container.contracts, orgIds)).toBe(3);
    const list = (await t.app.inject({ url: `/api/contracts?unitId=${trading.id}`, headers: mgmt.headers })).json().items as Array<{ id: string; contractNo: string }>;
    const pkg2 = list.find((c) => c.contractNo === 'GGZY-2026-02')!;
    const d = (await t.app.inject({ url: `/api/contracts/${pkg2.id}`, headers: mgmt.headers })).json() as Detail;
    expect(d.schedule.map((l) => l.amount)).toEqual(['396449.00', '132176.10', '264272.90']);
    expect(d.amountUppercase).toBe('柒拾玖万贰仟捌佰玖拾捌元整');
    const budgets = (await t.app.inject({ url: `/api/budgets?unitId=${trading.id}`, headers: mgmt.headers })).json().items as Array<{ amount: string }>;
    expect(budgets.map((b) => b.amount)).toEqual(['1350234.06']);
  });
});
