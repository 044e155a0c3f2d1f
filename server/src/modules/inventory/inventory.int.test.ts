import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';
import { PushWriter } from '../ingestion/index.js';

/**
 * Pushed data goes through the real writer (PushWriter: validation to the printed formats, code tables, COPY), then is
 * applied with applyPending(); reads go through the API.
 */
let t: TestApp;
let owner: pg.Client;
let writer: PushWriter;
let provA: TestOrg;
let provB: TestOrg;
let nodeA: string;
let nodeA2: string;
let nodeB: string;
let nodeACode: string;
let mgmt: Session;
let staffA: Session;
let staffB: Session;
let unitA: Session;
let unitB: Session;
let sysAdmin: Session;
let unitAId: string;
let systemA: { id: string; systemNo: string };
let systemB: { id: string; systemNo: string };
const orphanNo = unique('NOSYS');
/** cloudProvider codes (an4) of the two providers. */
const codeOf = new Map<string, string>();

async function push(provider: string, node: string, table: string, records: Array<Record<string, string | null>>): Promise<string> {
  const code = codeOf.get(provider)!;
  const withCode = records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === 'CP01' ? code : v])));
  const res = await writer.writeBatch({ providerOrgId: provider, nodeId: node, table, source: 'api', mode: 'atomic', records: withCode });
  expect(res.status, JSON.stringify(res.errors)).toBe('accepted');
  return res.batchId;
}

const host = (systemId: string, id: string, over: Record<string, string | null> = {}) => ({
  systemId,
  cloudHostName: `主机-${id}`,
  cloudHostId: id,
  internalIp: '10.1.2.3',
  cloudHostType: 'GENE',
  runStatus: 'RUNN',
  cloudPlatform: 'CP01',
  regionCode: 'RM01',
  networkType: 'GWWW',
  createdDate: '2026-01-05',
  deletedDate: null,
  cpuCores: '8',
  memoryAllocated: '16.00',
  standardStorageAllocated: '100.00',
  highPerfStorageAllocated: '50.00',
  staticStorageAllocated: '0.00',
  localVideoStorageAllocated: '0.00',
  offsiteStorageAllocated: '20.50',
  ...over,
});

type Res = { id: string; name: string; naturalKey: string; kind: string; status: string; flags: string[]; system: { id: string } | null; unit: { id: string } | null; quantities: Record<string, string> };
type Detail = Res & { changes: Array<{ action: string; before: Record<string, string | null>; after: Record<string, string | null> }> };

async function list(s: Session, query: string): Promise<{ items: Res[]; total: number }> {
  const res = await t.app.inject({ method: 'GET', url: `/api/inventory/resources?${query}`, headers: s.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Res[]; total: number };
}
async function detail(s: Session, id: string) {
  return t.app.inject({ method: 'GET', url: `/api/inventory/resources/${id}`, headers: s.headers });
}
const byName = (items: Res[], name: string) => items.find((r) => r.name === name)!;

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('云服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('云服务商乙') });
  nodeACode = unique('IA').slice(0, 20);
  nodeA = await t.container.directory.ensureCloudNode(systemContext(), { code: nodeACode, name: '甲一节点', cloudType: 'service', providerOrgId: provA.id });
  nodeA2 = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('IA2').slice(0, 20), name: '甲二节点', cloudType: 'service', providerOrgId: provA.id });
  nodeB = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('IB').slice(0, 20), name: '乙节点', cloudType: 'service', providerOrgId: provB.id });
  const a = await createOrg(t, { kind: 'user_unit', code: unique('UA') });
  const b = await createOrg(t, { kind: 'user_unit', code: unique('UB') });
  const m = await createOrg(t, { kind: 'management_unit' });
  unitAId = a.id;
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
  staffA = (await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] })).session;
  staffB = (await signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] })).session;
  unitA = (await signedInUser(t, { orgId: a.id, roles: ['unit_staff'] })).session;
  unitB = (await signedInUser(t, { orgId: b.id, roles: ['unit_staff'] })).session;
  const register = async (s: Session, nodeId: string, name: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/information-systems',
      headers: s.headers,
      payload: { nodeId, name, systemType: '公众服务', gradingLevel: '三级', operatingHours: '7*24 小时', networkNature: '政务外网', contactName: '张三', contactMobile: '13812348000', contactEmail: 'abc@x.cn',
        serviceAudience: '公众', serviceScope: '全市', interconnection: '无', functionDescription: '办事', preApprovalStatus: '已审批', accessUrl: 'https://x.gov.cn', appVendor: '某公司' },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; systemNo: string };
  };
  for (const [p, n] of [[provA.id, nodeA], [provA.id, nodeA2], [provB.id, nodeB]] as const) {
    await owner.query(`insert into machine_rooms (node_id, code, name) values ($1, 'RM01', '一号机房') on conflict do nothing`, [n]);
    if (!codeOf.has(p)) {
      // A free 4-character code: parallel test files each add their own providers.
      for (;;) {
        const code = `Z${Math.random().toString(36).slice(2, 5).toUpperCase()}`;
        const ins = await owner.query(`insert into ingest_code_values (code_table, code, label_zh, org_id) values ('cloudProvider', $1, $1, $2) on conflict do nothing`, [code, p]);
        if (ins.rowCount === 1) {
          codeOf.set(p, code);
          break;
        }
      }
    }
  }
  writer = new PushWriter(t.deps.db, t.database.pool, t.deps.logger);
  systemA = await register(unitA, nodeA, '网上办事大厅');
  systemB = await register(unitB, nodeB, '乙单位系统');
});
afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('inventory', () => {
  it('creates resources from pushed service and asset data, linked to system, unit and node, with flags', async () => {
    await push(provA.id, nodeA, 'cloudHostSpec', [host(systemA.systemNo, 'vm-a1'), host(orphanNo, 'vm-a2', { cpuCores: '4', memoryAllocated: '8' })]);
    await push(provA.id, nodeA2, 'cloudHostSpec', [host(systemA.systemNo, 'vm-a3', { cpuCores: '2', memoryAllocated: '4' })]);
    await push(provA.id, nodeA, 'internetBandwidthService', [{ systemId: systemA.systemNo, internetIp: '203.0.113.7', systemDomain: 'banshi.example.gov.cn', bandwidth: '100.00', startDate: '2026-01-01', endDate: '2099-12-31' }]);
    await push(provA.id, nodeA, 'assets', [
      {
        assetCategory: 'SERV', deviceName: '物理服务器一', serialNumber: 'SN-0001', deviceBrand: '华为', deviceModel: '2288H', hostSpec: '2*32C/512G',
        internalIp: '10.0.0.10', cloudProvider: 'CP01', networkType: 'GWWW', runStatus: 'RUNN', commissionDate: '2025-03-01', decommissionDate: null,
        machineRoom: 'RM01', rackNumber: 'A01', rackUnitPosition: 'U10', powerRating: '750.00', powerSupplyType: 'DUAL', managementType: 'SELF',
        managingUnit: '运维部', managerName: '李四', businessSystemName: '云平台', managerPhone: '13900000000', remarks: null,
      },
    ]);
    await push(provA.id, nodeA, 'platformSpec', [
      {
        cloudProvider: 'CP01', machineRoom: 'RM01', platformVendor: '华为', platformNetworkType: 'GWWW', cpuTotal: '1000', cpuAllocated: '300',
        memoryTotal: '4096.00', memoryAllocated: '1024.00', standardStorageTotal: '100000.00', standardStorageAllocated: '20000.00',
        highPerfStorageTotal: '50000.00', highPerfStorageAllocated: '1000.00', staticStorageTotal: '0.00', staticStorageAllocated: '0.00',
        internetBandwidthTotal: '10000.00', internetBandwidthAllocated: '2500.00',
      },
    ]);
    await push(provA.id, nodeA, 'businessSystem', [
      {
        userUnitId: 'XXX', cloudPlatform: 'CP01', deploymentNode: nodeACode, machineRoom: 'RM01', systemId: systemA.systemNo, systemName: '网上办事大厅（新版）',
        cloudTestDate: '2025-01-01', contactName: '张三', contactMobile: '13812348000', contactEmail: 'abc@x.cn', preApprovalStatus: '已审批',
        functionDescription: '办事', systemType: '公众服务', securityGradingLevel: '二级', operatingHours: '7*24小时', serviceAudience: '公众',
        serviceScope: '全市', networkNature: '政务外网', interconnection: '无', goLiveDate: '2025-02-01', accessUrl: 'https://x.gov.cn', appVendor: '某公司',
      },
      {
        userUnitId: 'XXX', cloudPlatform: 'CP01', deploymentNode: nodeACode, machineRoom: 'RM01', systemId: orphanNo, systemName: '未登记系统',
        cloudTestDate: '2025-01-01', contactName: '张三', contactMobile: '13812348000', contactEmail: 'abc@x.cn', preApprovalStatus: '已审批',
        functionDescription: '办事', systemType: '公众服务', securityGradingLevel: '二级', operatingHours: '7*24小时', serviceAudience: '公众',
        serviceScope: '全市', networkNature: '政务外网', interconnection: '无', goLiveDate: '2025-02-01', accessUrl: 'https://x.gov.cn', appVendor: '某公司',
      },
    ]);
    await push(provB.id, nodeB, 'cloudHostSpec', [host(systemB.systemNo, 'vm-b1')]);

    const applied = await t.container.inventory.applyPending();
    expect(applied.batches).toBeGreaterThanOrEqual(7);
    expect(applied.created).toBeGreaterThanOrEqual(6);

    const { items, total } = await list(mgmt, `providerOrgId=${provA.id}&sort=name`);
    expect(total).toBe(5);
    const a1 = byName(items, '主机-vm-a1');
    expect([a1.kind, a1.status, a1.flags, a1.system?.id, a1.unit?.id]).toEqual(['cloud_host', 'active', [], systemA.id, unitAId]);
    expect(a1.quantities).toEqual({ cpuCores: '8', memoryGb: '16', standardStorageGb: '100', highPerfStorageGb: '50', staticStorageGb: '0', localVideoStorageGb: '0', offsiteStorageGb: '20.5' });
    expect(byName(items, '主机-vm-a2').flags).toEqual(['unowned']);
    expect(byName(items, '主机-vm-a2').system).toBeNull();
    expect(byName(items, '主机-vm-a3').flags).toEqual(['node_mismatch']);
    const ip = byName(items, '203.0.113.7');
    expect([ip.kind, ip.status, ip.quantities.bandwidthMbps]).toEqual(['internet_bandwidth', 'active', '100']);
    const device = byName(items, '物理服务器一') as Res & { attributes: Record<string, string | null> };
    expect(device.naturalKey).toBe('SN-0001');
    // 管理人联系方式 is personal data: masked for everybody but the provider that reported it.
    expect(device.attributes.managerPhone).toBe('139****0000');
    const own = (await list(staffA, `kind=physical_device`)).items[0] as Res & { attributes: Record<string, string | null> };
    expect(own.attributes.managerPhone).toBe('13900000000');

    const flagged = await list(mgmt, `providerOrgId=${provA.id}&flag=unowned`);
    expect(flagged.items.map((r) => r.name)).toEqual(['主机-vm-a2']);
    const searched = await list(mgmt, `q=vm-a3`);
    expect(searched.items.map((r) => r.name)).toEqual(['主机-vm-a3']);
  });

  it('records changes and deletions with before/after, and reapplying changes nothing', async () => {
    await push(provA.id, nodeA, 'cloudHostSpec', [
      host(systemA.systemNo, 'vm-a1', { memoryAllocated: '32.00', cpuCores: '8' }),
      host(orphanNo, 'vm-a2', { cpuCores: '4', memoryAllocated: '8', deletedDate: '2026-02-01' }),
    ]);
    await t.container.inventory.applyPending();
    const { items } = await list(mgmt, `providerOrgId=${provA.id}&kind=cloud_host`);
    const a1 = (await detail(mgmt, byName(items, '主机-vm-a1').id)).json() as Detail;
    expect(a1.changes.map((c) => c.action)).toEqual(['created', 'changed']);
    expect(a1.changes[1]).toMatchObject({ before: { memoryAllocated: '16.00' }, after: { memoryAllocated: '32.00' } });
    expect(a1.quantities.memoryGb).toBe('32');
    const a2 = (await detail(mgmt, byName(items, '主机-vm-a2').id)).json() as Detail;
    expect([a2.status, a2.flags]).toEqual(['deleted', []]);
    expect(a2.changes.map((c) => c.action)).toEqual(['created', 'deleted']);
    expect(a2.changes[1]).toMatchObject({ before: { status: 'active', deletedDate: null }, after: { status: 'deleted', deletedDate: '2026-02-01' } });
    const deleted = await list(mgmt, `providerOrgId=${provA.id}&status=deleted`);
    expect(deleted.items.map((r) => r.name)).toEqual(['主机-vm-a2']);

    // Again, then once more from a reset watermark: every batch is seen again, nothing changes.
    const changesBefore = await owner.query(`select count(*)::int n from inventory_changes c join inventory_resources r on r.id = c.resource_id where r.provider_org_id = $1`, [provA.id]);
    await t.container.inventory.applyPending();
    await owner.query(`delete from inventory_applied_batches`);
    await owner.query(`update inventory_cursor set last_batch_id = 0`);
    const again = await t.container.inventory.applyPending();
    expect(again.batches).toBeGreaterThanOrEqual(8);
    const changesAfter = await owner.query(`select count(*)::int n from inventory_changes c join inventory_resources r on r.id = c.resource_id where r.provider_org_id = $1`, [provA.id]);
    expect(changesAfter.rows[0].n).toBe(changesBefore.rows[0].n);
    const after = (await detail(mgmt, a1.id)).json() as Detail;
    expect(after.quantities.memoryGb).toBe('32');

    // An end date still ahead keeps the resource active; when the day comes, the job deletes it (with history).
    await push(provA.id, nodeA, 'vpnService', [{ systemId: systemA.systemNo, vpnType: 'SSL', account: 'vpn-zhang', accessibleRange: '10.1.0.0/16', openedDate: '2026-01-01', closedDate: '2099-01-01' }]);
    await t.container.inventory.applyPending();
    const vpn = (await list(mgmt, `providerOrgId=${provA.id}&kind=vpn_account`)).items[0]!;
    expect([vpn.name, vpn.status]).toEqual(['vpn-zhang', 'active']);
    await owner.query(`update inventory_resources set deleted_date = current_date - 1 where id = $1`, [vpn.id]);
    expect((await t.container.inventory.applyPending()).expired).toBeGreaterThanOrEqual(1);
    const expired = (await detail(mgmt, vpn.id)).json() as Detail;
    expect([expired.status, expired.changes.map((c) => c.action)]).toEqual(['deleted', ['created', 'deleted']]);

    // The same value written differently (16 vs 16.00) is no change.
    await push(provA.id, nodeA, 'cloudHostSpec', [host(systemA.systemNo, 'vm-a1', { memoryAllocated: '32', cpuCores: '8' })]);
    await t.container.inventory.applyPending();
    expect(((await detail(mgmt, a1.id)).json() as Detail).changes).toHaveLength(2);
  });

  it('flags stale resources and reported systems that differ from their registration', async () => {
    const { items } = await list(mgmt, `providerOrgId=${provA.id}`);
    const device = byName(items, '物理服务器一');
    const ip = byName(items, '203.0.113.7');
    await owner.query(`update inventory_resources set last_seen_at = now() - interval '3 days' where id = any($1::uuid[])`, [[device.id, ip.id]]);
    const stale = await list(mgmt, `providerOrgId=${provA.id}&flag=stale`);
    // Weekly asset data is stale only after 14 days; daily service data after 2.
    expect(stale.items.map((r) => r.name)).toEqual(['203.0.113.7']);

    const res = await t.app.inject({ method: 'GET', url: `/api/inventory/flags?providerOrgId=${provA.id}&pageSize=200`, headers: mgmt.headers });
    expect(res.statusCode, res.body).toBe(200);
    const flags = res.json() as { items: Array<{ type: string; systemNo: string | null; resource: { name: string } | null; details: Array<{ field: string; reported: string | null; registered: string | null }> }>; counts: Record<string, number> };
    expect(flags.counts).toEqual({ node_mismatch: 1, stale: 1, system_mismatch: 1, unregistered_system: 1 });
    const mismatch = flags.items.find((f) => f.type === 'system_mismatch')!;
    expect(mismatch.systemNo).toBe(systemA.systemNo);
    expect(mismatch.details.map((d) => d.field).sort()).toEqual(['securityGradingLevel', 'systemName', 'userUnitId']);
    expect(mismatch.details.find((d) => d.field === 'securityGradingLevel')).toEqual({ field: 'securityGradingLevel', reported: '二级', registered: '三级' });
    expect(flags.items.find((f) => f.type === 'unregistered_system')!.systemNo).toBe(orphanNo);
    const nodeFlag = flags.items.find((f) => f.type === 'node_mismatch')!;
    expect(nodeFlag.resource!.name).toBe('主机-vm-a3');
    expect(nodeFlag.details).toEqual([{ field: 'nodeId', reported: '甲二节点', registered: '甲一节点' }]);
    const only = await t.app.inject({ method: 'GET', url: `/api/inventory/flags?providerOrgId=${provA.id}&type=stale`, headers: mgmt.headers });
    expect((only.json() as { items: unknown[]; total: number }).total).toBe(1);
    await owner.query(`update inventory_resources set last_seen_at = now() where id = any($1::uuid[])`, [[device.id, ip.id]]);
  });

  it('sums capacity: total, allocated as reported and as summed from the inventory, free', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/inventory/summary?groupBy=node&providerOrgId=${provA.id}`, headers: mgmt.headers });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json() as { groups: Array<{ id: string; name: string; counts: Record<string, number>; total: number; quantities: Record<string, string>; capacity: Record<string, Record<string, string>> | null }>; totals: { total: number } };
    const a = s.groups.find((g) => g.id === nodeA)!;
    // vm-a1 (8 cores, 32 GB), the internet IP and the device are active on node A; vm-a2 was deleted.
    expect(a.counts).toEqual({ cloud_host: 1, internet_bandwidth: 1, physical_device: 1 });
    expect(a.quantities).toMatchObject({ cpuCores: '8', memoryGb: '32', bandwidthMbps: '100' });
    expect(a.capacity!.cpuCores).toEqual({ total: '1000', allocatedReported: '300', allocatedInventory: '8', freeReported: '700', freeInventory: '992' });
    expect(a.capacity!.memoryGb).toEqual({ total: '4096', allocatedReported: '1024', allocatedInventory: '32', freeReported: '3072', freeInventory: '4064' });
    expect(a.capacity!.bandwidthMbps).toMatchObject({ freeReported: '7500', freeInventory: '9900' });
    expect(s.groups.find((g) => g.id === nodeA2)!.capacity).toBeNull();
    expect(s.totals.total).toBe(4);

    const byUnit = (await t.app.inject({ method: 'GET', url: `/api/inventory/summary?groupBy=unit`, headers: unitA.headers })).json() as { groups: Array<{ id: string | null; total: number; capacity: unknown }> };
    expect(byUnit.groups).toEqual([expect.objectContaining({ id: unitAId, total: 3, capacity: null })]);

    const fiveDaysAgo = new Date(Date.now() + 8 * 3_600_000 - 5 * 86_400_000).toISOString().slice(0, 10);
    await t.container.inventory.snapshotDaily(fiveDaysAgo);
    const tr = await t.app.inject({ method: 'GET', url: `/api/inventory/trends?providerOrgId=${provA.id}&from=${fiveDaysAgo}`, headers: mgmt.headers });
    expect(tr.statusCode, tr.body).toBe(200);
    const series = (tr.json() as { items: Array<{ day: string; count: number; live: boolean; quantities: Record<string, string> }> }).items;
    expect(series[0]).toMatchObject({ day: fiveDaysAgo, count: 4, live: false });
    expect(series).toHaveLength(2);
    expect(series[series.length - 1]).toMatchObject({ count: 4, live: true, quantities: expect.objectContaining({ cpuCores: '10' }) });
    const bad = await t.app.inject({ method: 'GET', url: `/api/inventory/trends?from=2026-02-30`, headers: mgmt.headers });
    expect(bad.statusCode).toBe(400);
  });

  it('exports the filtered resources to .xlsx with Chinese headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/inventory/resources/export?providerOrgId=${provA.id}`, headers: mgmt.headers });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('资源类型');
    // 5 resources and the expired VPN account.
    expect(ws.rowCount).toBe(7);
    const names = [2, 3, 4, 5, 6, 7].map((n) => ws.getRow(n).getCell(2).value);
    expect(names).toContain('主机-vm-a1');
    const active = await t.app.inject({ method: 'GET', url: `/api/inventory/resources/export?providerOrgId=${provA.id}&status=active`, headers: mgmt.headers });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(active.rawPayload as unknown as ArrayBuffer);
    expect(wb2.worksheets[0]!.rowCount).toBe(5);
  });

  it('isolates providers and units; the administrators read nothing', async () => {
    const mine = await list(staffA, `kind=cloud_host`);
    expect(mine.items.map((r) => r.name).sort()).toEqual(['主机-vm-a1', '主机-vm-a2', '主机-vm-a3']);
    const a1 = byName(mine.items, '主机-vm-a1');
    const other = await list(staffB, '');
    expect(other.items.map((r) => r.name)).toEqual(['主机-vm-b1']);
    expect((await detail(staffB, a1.id)).statusCode).toBe(404);
    expect((await detail(unitB, a1.id)).statusCode).toBe(404);
    expect((await list(unitB, '')).items.map((r) => r.name)).toEqual(['主机-vm-b1']);
    // Unit A sees the resources of its system (vm-a1, vm-a3, the internet IP), not the unowned one or the device.
    expect((await list(unitA, 'status=active')).items.map((r) => r.name).sort()).toEqual(['203.0.113.7', '主机-vm-a1', '主机-vm-a3']);
    expect((await detail(unitA, a1.id)).statusCode).toBe(200);
    const flagsB = (await t.app.inject({ method: 'GET', url: `/api/inventory/flags`, headers: staffB.headers })).json() as { total: number };
    expect(flagsB.total).toBe(0);
    const sumB = (await t.app.inject({ method: 'GET', url: `/api/inventory/summary?groupBy=provider`, headers: staffB.headers })).json() as { groups: Array<{ id: string }> };
    expect(sumB.groups.map((g) => g.id)).toEqual([provB.id]);
    expect(t.deps.jobs.state().queues).toEqual(expect.arrayContaining(['inventory.apply', 'inventory.daily']));
    const admin = await t.app.inject({ method: 'GET', url: `/api/inventory/resources`, headers: sysAdmin.headers });
    expect(admin.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/inventory/resources?kind=server`, headers: mgmt.headers })).statusCode).toBe(400);
  });
});
