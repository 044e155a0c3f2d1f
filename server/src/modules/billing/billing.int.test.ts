import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type RequestContext } from '../../platform/context.js';
import { sm3Hex } from '../../platform/crypto/index.js';
import { Dec } from '../../platform/money.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

/**
 * Bills on a month of a random far year (each run its own: a locked month stays locked in the shared test database).
 * Resources and price lists are written directly as the database owner; metering, bill runs and reads go through
 * the service and the API.
 */
const Y = 2100 + Math.floor(Math.random() * 800);
const M = `${Y}-04`; // 30 days
let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let provB: TestOrg;
let unitA: TestOrg;
let unitB: TestOrg;
let nodeA: string;
let nodeB: string;
let mgmt: Session;
let staffA: Session;
let staffB: Session;
let userA: Session;
let userB: Session;
let sysAdmin: Session;
let mgmtCtx: RequestContext;
// 信息系统编号 of registered systems: inventory.applyPending() (run by other test files in parallel) relinks every
// resource to the system its number names, so an unregistered number would lose its unit mid-test.
let sysA: string;
let sysB: string;
const res = {} as Record<"h1" | "h2" | "h3" | "ip" | "vpn", string>;

type Line = { id: string; lineType: string; systemNo: string | null; itemCode: string | null; priceListVersion: number | null; unitPrice: string | null; quantityDays: string | null; resourceDays: number | null; amount: string | null; priceStatus: string; reason: string | null };
type Detail = { id: string; status: string; total: string; totalUppercase: string; priceMissingCount: number; openDisputes: number; lines: Line[]; abilities: Record<string, boolean>; disputes: Array<{ id: string; attachments: Array<{ id: string; sm3: string; sizeBytes: number }> }> };

async function resource(kind: string, provider: string, node: string, unit: string | null, systemNo: string, quantities: Record<string, string>, created: string, deleted: string | null = null): Promise<string> {
  const key = unique('R');
  const r = await owner.query<{ id: string }>(
    `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, system_no, unit_org_id, name, attributes, quantities, created_date, deleted_date, status,
                                      first_seen_at, last_seen_at, changed_at, last_batch_id, system_id, system_node_id)
     select $1, $2, $3, $4, $5, $6, $7, '{}', $8, $9, $10, $11, now(), now(), now(), 0, s.id, s.node_id
       from (select 1) x left join information_systems s on s.system_no = $5 returning id`,
    [kind, provider, node, key, systemNo, unit, `资源-${key}`, JSON.stringify(quantities), created, deleted, deleted ? 'deleted' : 'active'],
  );
  return r.rows[0]!.id;
}

async function priceList(provider: TestOrg, versionNo: number, from: string, to: string | null, prices: Record<string, string>): Promise<string> {
  const v = await owner.query<{ id: string }>(`select id from catalog_versions where version_no = 1`);
  const r = await owner.query<{ id: string }>(
    `insert into price_lists (provider_id, provider_name, catalog_version_id, version_no, effective_from, effective_to, status)
     values ($1, $2, $3, $4, $5, $6, 'approved') returning id`,
    [provider.id, provider.name, v.rows[0]!.id, versionNo, from, to],
  );
  for (const [code, price] of Object.entries(prices)) {
    const unit = await owner.query<{ billing_unit_text: string }>(`select billing_unit_text from catalog_items where version_id = $1 and code = $2`, [v.rows[0]!.id, code]);
    await owner.query(`insert into price_list_items (price_list_id, item_code, unit_price, billing_unit_text, billing_period) values ($1, $2, $3, $4, 'month')`, [r.rows[0]!.id, code, price, unit.rows[0]!.billing_unit_text]);
  }
  return r.rows[0]!.id;
}

const api = (s: Session, method: 'GET' | 'POST', url: string, payload?: unknown) => t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

async function billOf(s: Session, unit: TestOrg, provider: TestOrg, month = M): Promise<Detail> {
  const list = await api(s, 'GET', `/api/billing/bills?month=${month}&unitOrgId=${unit.id}&providerOrgId=${provider.id}`);
  expect(list.statusCode, list.body).toBe(200);
  const items = (list.json() as { items: Array<{ id: string }> }).items;
  expect(items).toHaveLength(1);
  const d = await api(s, 'GET', `/api/billing/bills/${items[0]!.id}`);
  expect(d.statusCode, d.body).toBe(200);
  return d.json() as Detail;
}

const line = (d: Detail, code: string, version: number | null) => d.lines.find((l) => l.itemCode === code && l.priceListVersion === version && l.lineType === 'usage')!;

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('账单服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('账单服务商乙') });
  unitA = await createOrg(t, { kind: 'user_unit', name: unique('账单单位甲'), code: unique('BU') });
  unitB = await createOrg(t, { kind: 'user_unit', name: unique('账单单位乙'), code: unique('BV') });
  const m = await createOrg(t, { kind: 'management_unit' });
  nodeA = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('BA').slice(0, 20), name: '账单甲节点', cloudType: 'service', providerOrgId: provA.id });
  nodeB = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('BB').slice(0, 20), name: '账单乙节点', cloudType: 'service', providerOrgId: provB.id });
  const mu = await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] });
  mgmt = mu.session;
  mgmtCtx = systemContext('billing-test');
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
  staffA = (await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] })).session;
  staffB = (await signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] })).session;
  userA = (await signedInUser(t, { orgId: unitA.id, roles: ['unit_staff'] })).session;
  userB = (await signedInUser(t, { orgId: unitB.id, roles: ['unit_staff'] })).session;

  const register = async (s: Session, nodeId: string) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/information-systems',
      headers: s.headers,
      payload: { nodeId, name: unique('账单系统'), systemType: '公众服务', gradingLevel: '三级', operatingHours: '7*24 小时', networkNature: '政务外网', contactName: '张三', contactMobile: '13812348000', contactEmail: 'abc@x.cn',
        serviceAudience: '公众', serviceScope: '全市', interconnection: '无', functionDescription: '办事', preApprovalStatus: '已审批', accessUrl: 'https://x.gov.cn', appVendor: '某公司' },
    });
    expect(r.statusCode, r.body).toBe(201);
    return (r.json() as { systemNo: string }).systemNo;
  };
  sysA = await register(userA, nodeA);
  sysB = await register(userB, nodeB);
  res.h1 = await resource('cloud_host', provA.id, nodeA, unitA.id, sysA, { cpuCores: '8', memoryGb: '16.00', standardStorageGb: '250', staticStorageGb: '2048', offsiteStorageGb: '100' }, `${Y}-03-01`);
  // Created on the 11th, deleted on the 21st: in force the 11th to the 20th, 10 days.
  res.h2 = await resource('cloud_host', provA.id, nodeA, unitA.id, sysA, { cpuCores: '4' }, `${M}-11`, `${M}-21`);
  res.ip = await resource('internet_bandwidth', provA.id, nodeA, unitA.id, sysA, { bandwidthMbps: '10' }, `${Y}-01-01`);
  res.vpn = await resource('vpn_account', provA.id, nodeA, unitA.id, sysA, {}, `${Y}-01-01`);
  res.h3 = await resource('cloud_host', provB.id, nodeB, unitB.id, sysB, { cpuCores: '2' }, `${Y}-01-01`);
  // Provider A changes its prices on the 16th; its second list does not price 1017 (IP).
  await priceList(provA, 1, `${Y}-01-01`, `${M}-15`, { '1001': '10.00', '1002': '20.00', '1011': '28.60', '1013': '70.00', '1016': '49.55', '1017': '76.05' });
  await priceList(provA, 2, `${M}-16`, null, { '1001': '12.00', '1002': '20.00', '1011': '28.60', '1013': '70.00', '1016': '49.55' });
  await priceList(provB, 1, `${Y}-01-01`, null, { '1001': '14.02' });
  await t.container.billing.meterMonth(M);
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('metering', () => {
  it('writes one row per resource × item × day in force, in the billing unit; unmapped quantities with their reason', async () => {
    const h2 = await owner.query<{ day: string }>(`select to_char(day, 'YYYY-MM-DD') as day from billing_usage where resource_id = $1 and source_key = 'cpuCores' order by day`, [res.h2]);
    expect(h2.rows.map((r) => r.day)).toEqual(Array.from({ length: 10 }, (_, i) => `${M}-${String(11 + i).padStart(2, '0')}`));
    const h1 = await owner.query<{ source_key: string; item_code: string | null; quantity: string; unmapped_reason: string | null }>(
      `select source_key, item_code, quantity::text, unmapped_reason from billing_usage where resource_id = $1 and day = $2 order by source_key`, [res.h1, `${M}-05`]);
    const by = Object.fromEntries(h1.rows.map((r) => [r.source_key, r]));
    expect(by.cpuCores).toMatchObject({ item_code: '1001' });
    expect(new Dec(by.standardStorageGb!.quantity).toString()).toBe('2.5'); // 250 GB = 2.5 × 100 GB
    expect(new Dec(by.staticStorageGb!.quantity).toString()).toBe('2'); // 2048 GB = 2 × 1 TB (1024)
    expect(by.count).toMatchObject({ item_code: '2014' }); // baseline 云主机监控, free
    expect(by.offsiteStorageGb).toMatchObject({ item_code: null });
    expect(by.offsiteStorageGb!.unmapped_reason).toContain('异地');
    const vpn = await owner.query<{ unmapped_reason: string }>(`select unmapped_reason from billing_usage where resource_id = $1 limit 1`, [res.vpn]);
    expect(vpn.rows[0]!.unmapped_reason).toContain('VPN');
    // Re-metering a day replaces it.
    await t.container.billing.meterDay(`${M}-05`);
    const again = await owner.query(`select 1 from billing_usage where resource_id = $1 and day = $2`, [res.h1, `${M}-05`]);
    expect(again.rowCount).toBe(h1.rowCount);
  });
});

describe('bill run', () => {
  it('prices each day with the list in force: proration, price change mid-month, half-up rounding, missing price, totals = sum of lines', async () => {
    const run = await api(mgmt, 'POST', '/api/billing/runs', { month: M });
    expect(run.statusCode, run.body).toBe(200);
    const r = run.json() as { bills: number; issues: Array<{ code: string; itemCode: string; unitName: string }> };
    expect(r.issues.some((i) => i.code === 'billing.price_missing' && i.itemCode === '1017' && i.unitName === unitA.name)).toBe(true);
    const d = await billOf(mgmt, unitA, provA);
    // vCPU: h1 8 × 15 days + h2 4 × 5 days = 140 at 10.00 → 46.666… → 46.67; days 16–30: 8 × 15 + 4 × 5 = 140 at 12.00 → 56.00.
    expect(line(d, '1001', 1)).toMatchObject({ quantityDays: '140', resourceDays: 20, unitPrice: '10.00', amount: '46.67' });
    expect(line(d, '1001', 2)).toMatchObject({ quantityDays: '140', resourceDays: 20, unitPrice: '12.00', amount: '56.00' });
    expect(line(d, '1002', 1).amount).toBe('160.00');
    expect(line(d, '1011', 1).amount).toBe('35.75'); // 2.5 × 15 × 28.60 / 30
    expect(line(d, '1013', 2).amount).toBe('70.00'); // 2 TB × 15 × 70.00 / 30
    expect(line(d, '1016', 1).amount).toBe('247.75');
    expect(line(d, '1017', 1).amount).toBe('38.03'); // 15 × 76.05 / 30 = 38.025 → half-up
    expect(line(d, '1017', 2)).toMatchObject({ priceStatus: 'price_missing', amount: null });
    expect(line(d, '2014', null)).toMatchObject({ amount: '0.00', unitPrice: '0.00' });
    expect(d.priceMissingCount).toBe(1);
    const sumLines = d.lines.filter((l) => l.amount !== null).reduce((a, l) => a.plus(l.amount!), new Dec(0));
    expect(d.total).toBe(sumLines.toFixed(2));
    expect(d.total).toBe('1167.70');
    expect(d.totalUppercase).toBe('壹仟壹佰陆拾柒元柒角');
  });

  it('recompute is idempotent and a run interrupted midway completes on rerun without duplicates', async () => {
    const before = await billOf(mgmt, unitA, provA);
    await t.container.billing.runMonth(mgmtCtx, M);
    const again = await billOf(mgmt, unitA, provA);
    expect(again.total).toBe(before.total);
    expect(again.lines).toHaveLength(before.lines.length);
    // Crash after the first committed bill.
    await expect(
      t.container.billing.runMonth(mgmtCtx, M, {
        afterBill: () => {
          throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    const rerun = await t.container.billing.runMonth(mgmtCtx, M);
    expect(rerun.bills).toBeGreaterThanOrEqual(2);
    const dup = await owner.query(`select unit_org_id, provider_org_id, count(*) from billing_bills where month = $1 group by 1, 2 having count(*) > 1`, [`${M}-01`]);
    expect(dup.rowCount).toBe(0);
    const after = await billOf(mgmt, unitA, provA);
    expect(after.total).toBe(before.total);
    expect(after.lines).toHaveLength(before.lines.length);
  });

  it('drills down from a line to its daily usage rows and the price used', async () => {
    const d = await billOf(userA, unitA, provA);
    const l = line(d, '1001', 1);
    const res1 = await api(userA, 'GET', `/api/billing/bills/${d.id}/lines/${l.id}/usage`);
    expect(res1.statusCode, res1.body).toBe(200);
    const u = res1.json() as { total: number; items: Array<{ day: string; quantity: string; unitPrice: string; dayAmount: string; resourceId: string }> };
    expect(u.total).toBe(20); // h1 days 1–15, h2 days 11–15
    expect(u.items.every((x) => x.unitPrice === '10.00' && x.day <= `${M}-15`)).toBe(true);
    const h1day = u.items.find((x) => x.resourceId === res.h1)!;
    expect(h1day.dayAmount).toBe('2.666667'); // 8 × 10.00 / 30
  });
});

describe('isolation', () => {
  it('an agency sees its own bills, a provider its receivables; the others answer 404; the administrators nothing', async () => {
    const a = await billOf(mgmt, unitA, provA);
    const b = await billOf(mgmt, unitB, provB);
    expect((await api(userB, 'GET', `/api/billing/bills/${a.id}`)).statusCode).toBe(404);
    expect((await api(staffB, 'GET', `/api/billing/bills/${a.id}`)).statusCode).toBe(404);
    expect((await api(staffA, 'GET', `/api/billing/bills/${b.id}`)).statusCode).toBe(404);
    expect((await api(userA, 'GET', `/api/billing/bills/${b.id}/lines/${b.lines[0]!.id}/usage`)).statusCode).toBe(404);
    const listA = (await api(userA, 'GET', `/api/billing/bills?month=${M}`)).json() as { items: Array<{ id: string; unit: { id: string } }> };
    expect(listA.items.map((x) => x.id)).toEqual([a.id]);
    const listP = (await api(staffA, 'GET', `/api/billing/bills?month=${M}`)).json() as { items: Array<{ id: string }> };
    expect(listP.items.map((x) => x.id)).toEqual([a.id]);
    expect((await api(sysAdmin, 'GET', `/api/billing/bills?month=${M}`)).statusCode).toBe(403);
    expect((await api(userA, 'POST', '/api/billing/runs', { month: M })).statusCode).toBe(403);
    // A provider cannot confirm a bill whose prices are missing.
    const c = await api(staffA, 'POST', `/api/billing/bills/${a.id}/confirm`);
    expect(c.statusCode).toBe(409);
    expect(c.json().code).toBe('billing.price_missing');
  });
});

describe('confirmation, disputes, locking and adjustments', () => {
  it('provider then unit confirm; a dispute withdraws the confirmations; a locked bill never changes; corrections go to a later bill', async () => {
    let b = await billOf(mgmt, unitB, provB);
    expect(b.total).toBe('28.04'); // 2 × 30 × 14.02 / 30
    expect((await api(userB, 'POST', `/api/billing/bills/${b.id}/confirm`)).json().code).toBe('billing.wrong_state');
    expect((await api(staffB, 'POST', `/api/billing/bills/${b.id}/confirm`)).json().status).toBe('provider_confirmed');
    expect((await api(userB, 'POST', `/api/billing/bills/${b.id}/confirm`)).json().status).toBe('unit_confirmed');
    const file = Buffer.from('对账说明：第 3 号主机 4 月已停用');
    const dis = await api(userB, 'POST', `/api/billing/bills/${b.id}/disputes`, { comment: '3 号主机已停用', attachments: [{ fileName: '说明.txt', contentBase64: file.toString('base64') }] });
    expect(dis.statusCode, dis.body).toBe(201);
    b = dis.json() as Detail;
    expect(b).toMatchObject({ status: 'draft', openDisputes: 1 });
    const att = b.disputes[0]!.attachments[0]!;
    expect(att).toMatchObject({ sm3: sm3Hex(file), sizeBytes: file.length });
    const dl = await api(userB, 'GET', `/api/billing/bills/${b.id}/attachments/${att.id}`);
    expect(dl.rawPayload.equals(file)).toBe(true);
    const big = await api(userB, 'POST', `/api/billing/bills/${b.id}/disputes`, { comment: 'x', attachments: [{ fileName: 'big.bin', contentBase64: Buffer.alloc(5 * 1024 * 1024 + 1).toString('base64') }] });
    expect(big.json().code).toBe('billing.attachment_too_large');
    expect((await api(staffB, 'POST', `/api/billing/bills/${b.id}/confirm`)).json().code).toBe('billing.open_disputes');
    expect((await api(mgmt, 'POST', `/api/billing/bills/${b.id}/disputes/${b.disputes[0]!.id}/resolve`, { resolution: '核实：4 月在用' })).statusCode).toBe(200);
    await api(staffB, 'POST', `/api/billing/bills/${b.id}/confirm`);
    await api(userB, 'POST', `/api/billing/bills/${b.id}/confirm`);
    const locked = await api(mgmt, 'POST', `/api/billing/bills/${b.id}/lock`);
    expect(locked.statusCode, locked.body).toBe(200);
    expect(locked.json().status).toBe('locked');

    // Usage in a locked month is refused; a rerun leaves the locked bill alone; the database refuses changes too.
    await expect(t.container.billing.meterDay(`${M}-30`)).rejects.toMatchObject({ code: 'billing.month_locked' });
    const meter = await api(mgmt, 'POST', '/api/billing/meter', { day: `${M}-10` });
    expect(meter.statusCode).toBe(409);
    expect(meter.json().code).toBe('billing.month_locked');
    const rerun = await t.container.billing.runMonth(mgmtCtx, M);
    expect(rerun.skipped).toBeGreaterThanOrEqual(1);
    expect((await billOf(mgmt, unitB, provB)).total).toBe('28.04');
    await expect(owner.query(`update billing_bill_lines set amount = 1 where bill_id = $1`, [b.id])).rejects.toThrow(/locked/);
    await expect(owner.query(`update billing_bills set total = 1 where id = $1`, [b.id])).rejects.toThrow(/locked/);
    expect((await api(userB, 'POST', `/api/billing/bills/${b.id}/disputes`, { comment: '再议' })).json().code).toBe('billing.bill_locked');

    // Correction: an adjustment line on May's bill.
    const adj = await api(mgmt, 'POST', '/api/billing/adjustments', { lockedBillId: b.id, amount: '-5.10', reason: '4 月 3 号主机停用两天' });
    expect(adj.statusCode, adj.body).toBe(201);
    expect(adj.json()).toMatchObject({ targetMonth: `${Y}-05`, amount: '-5.10' });
    expect((await api(mgmt, 'POST', '/api/billing/adjustments', { lockedBillId: b.id, amount: '1.234', reason: 'x' })).statusCode).toBe(400);
    await t.container.billing.meterDay(`${Y}-05-01`);
    await t.container.billing.runMonth(mgmtCtx, `${Y}-05`);
    const may = await billOf(userB, unitB, provB, `${Y}-05`);
    const adjLine = may.lines.find((l) => l.lineType === 'adjustment')!;
    expect(adjLine).toMatchObject({ amount: '-5.10', reason: '4 月 3 号主机停用两天' });
    // 1 day of May: 2 × 14.02 / 31 = 0.9045… → 0.90; total = 0.90 − 5.10.
    expect(may.total).toBe('-4.20');
  });
});

describe('reconciliation', () => {
  it('lists billed quantities that differ from the reported specs and billed hosts without monitoring samples, with amounts', async () => {
    const a = await billOf(mgmt, unitA, provA);
    const keys = await owner.query<{ id: string; natural_key: string }>(`select id, natural_key from inventory_resources where id = any($1)`, [[res.h1, res.h2]]);
    const key = new Map(keys.rows.map((r) => [r.id, r.natural_key]));
    const at = `${M}-28T10:00:00+08:00`;
    await owner.query(`select zy_ingest_ensure_partition('cloudHostSpec', $1)`, [at]);
    await owner.query(`select zy_ingest_ensure_partition('cloudHostMonitoring', $1)`, [at]);
    const spec = `insert into ingest_cloud_host_spec (provider_org_id, node_id, batch_id, received_at, cloud_host_id, cpu_cores, memory_allocated, standard_storage_allocated, static_storage_allocated)
                  values ($1, $2, 0, $3, $4, $5, $6, $7, $8)`;
    await owner.query(spec, [provA.id, nodeA, at, key.get(res.h1), 16, 16, 250, 2048]); // reports 16 vCPU, billed 8
    await owner.query(spec, [provA.id, nodeA, `${M}-15T10:00:00+08:00`, key.get(res.h2), 4, null, null, null]);
    await owner.query(`insert into ingest_cloud_host_monitoring (provider_org_id, node_id, batch_id, received_at, cloud_host_id, cpu_usage) values ($1, $2, 0, $3, $4, 12.5)`, [provA.id, nodeA, at, key.get(res.h1)]);
    const r = await api(staffA, 'GET', `/api/billing/bills/${a.id}/reconciliation`);
    expect(r.statusCode, r.body).toBe(200);
    const rec = r.json() as { hostsBilled: number; hostsMonitored: number; differences: Array<{ type: string; resourceId: string; field: string | null; billed: string | null; reported: string | null; amount: string | null }> };
    expect(rec).toMatchObject({ hostsBilled: 2, hostsMonitored: 1 });
    // Δ 8 vCPU at the last day's price 12.00 for the 30 days billed.
    expect(rec.differences).toContainEqual(expect.objectContaining({ type: 'spec_mismatch', resourceId: res.h1, field: 'cpuCores', billed: '8', reported: '16', amount: '96.00' }));
    // h2 billed 4 vCPU × 5 days at 10.00 + 5 days at 12.00 = (200 + 240) / 30 = 14.67, with no monitoring sample.
    expect(rec.differences).toContainEqual(expect.objectContaining({ type: 'no_monitoring', resourceId: res.h2, amount: '14.67' }));
    expect(rec.differences.filter((d) => d.resourceId === res.h1 && d.type !== 'spec_mismatch')).toEqual([]);
    expect((await api(userB, 'GET', `/api/billing/bills/${a.id}/reconciliation`)).statusCode).toBe(404);
  });
});

describe('overview', () => {
  it('sums amounts by provider and item per month', async () => {
    const r = await api(mgmt, 'GET', `/api/billing/overview?from=${M}&to=${M}&groupBy=provider`);
    expect(r.statusCode, r.body).toBe(200);
    const o = r.json() as { months: string[]; rows: Array<{ key: string; total: string }> };
    expect(o.months).toEqual([M]);
    const a = await billOf(mgmt, unitA, provA);
    expect(o.rows.find((x) => x.key === provA.id)!.total).toBe(a.total);
    const byItem = (await api(userA, 'GET', `/api/billing/overview?from=${M}&to=${M}&groupBy=item`)).json() as { rows: Array<{ key: string; total: string }>; total: string };
    expect(byItem.total).toBe(a.total); // the unit sees its own bill only
    expect(byItem.rows.find((x) => x.key === '1001')!.total).toBe('102.67');
  });
});
