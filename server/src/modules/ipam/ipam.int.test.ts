import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';
import { shanghai } from '../calendar/index.js';

/**
 * Through the API on real PostgreSQL: pools (zone bounds, overlap), requests reviewed by the management unit,
 * first-fit allocation and exhaustion, the 3-working-day deadline over the 2026 Spring Festival, conflicts with the
 * inventory, isolation. Address blocks 10.61.x / 2001:db8:61:: are used by this file only (pools never overlap).
 */
let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let provB: TestOrg;
let nodeA: string;
let nodeB: string;
let zoneA: string;
let zoneNet: string;
let unitAId: string;
let unitBId: string;
let mgmt: Session;
let unitA: Session;
let unitB: Session;
let staffA: Session;
let staffB: Session;
let sysAdmin: Session;
let systemA: { id: string; systemNo: string };
let systemB: { id: string; systemNo: string };
let pool24: { id: string; name: string };

const inject = (s: Session, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('地址服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('地址服务商乙') });
  nodeA = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('PA').slice(0, 20), name: '地址甲节点', cloudType: 'service', providerOrgId: provA.id });
  nodeB = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('PB').slice(0, 20), name: '地址乙节点', cloudType: 'service', providerOrgId: provB.id });
  zoneA = (await owner.query(`insert into network_zones (node_id, zone_type, name, cidrs) values ($1, 'gov_extranet', '政务外网区', '{10.61.0.0/16}') returning id`, [nodeA])).rows[0].id;
  zoneNet = (await owner.query(`insert into network_zones (node_id, zone_type, name) values ($1, 'internet', '互联网区') returning id`, [nodeA])).rows[0].id;
  const a = await createOrg(t, { kind: 'user_unit', code: unique('IPA') });
  const b = await createOrg(t, { kind: 'user_unit', code: unique('IPB') });
  unitAId = a.id;
  unitBId = b.id;
  const m = await createOrg(t, { kind: 'management_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
  unitA = (await signedInUser(t, { orgId: a.id, roles: ['unit_staff'] })).session;
  unitB = (await signedInUser(t, { orgId: b.id, roles: ['unit_staff'] })).session;
  staffA = (await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] })).session;
  staffB = (await signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] })).session;
  const register = async (s: Session, name: string) => {
    const res = await inject(s, 'POST', '/api/information-systems', {
      nodeId: nodeA, name, systemType: '公众服务', gradingLevel: '三级', operatingHours: '7*24小时', networkNature: '政务外网', contactName: '张三', contactMobile: '13812348000', contactEmail: 'abc@x.cn',
      serviceAudience: '公众', serviceScope: '全市', interconnection: '无', functionDescription: '办事', preApprovalStatus: '已审批', accessUrl: 'https://x.gov.cn', appVendor: '某公司',
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; systemNo: string };
  };
  systemA = await register(unitA, '甲单位系统');
  systemB = await register(unitB, '乙单位系统');
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('pools', () => {
  it('creates pools inside the zone, refuses overlaps naming the pool, bad CIDRs and outsiders', async () => {
    const outside = await inject(mgmt, 'POST', '/api/ipam/pools', { nodeId: nodeA, zoneId: zoneA, name: '越界', cidr: '10.62.0.0/24', purpose: 'business' });
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ code: 'ipam.pool_outside_zone', details: { issues: [{ field: 'body.cidr', rule: 'inside_zone' }] } });
    const hostBits = await inject(mgmt, 'POST', '/api/ipam/pools', { nodeId: nodeA, zoneId: zoneA, name: '主机位', cidr: '10.61.0.1/24', purpose: 'business' });
    expect(hostBits.json()).toMatchObject({ code: 'ipam.invalid_address', details: { issues: [{ field: 'body.cidr', rule: 'host_bits_set' }] } });
    const wrongZone = await inject(mgmt, 'POST', '/api/ipam/pools', { nodeId: nodeB, zoneId: zoneA, name: 'x', cidr: '10.61.9.0/24', purpose: 'business' });
    expect(wrongZone.json().code).toBe('ipam.zone_not_on_node');
    const gwOut = await inject(mgmt, 'POST', '/api/ipam/pools', { nodeId: nodeA, zoneId: zoneA, name: 'gw', cidr: '10.61.9.0/24', purpose: 'business', gateway: '10.61.10.1' });
    expect(gwOut.json().code).toBe('ipam.gateway_outside_pool');

    const res = await inject(mgmt, 'POST', '/api/ipam/pools', {
      nodeId: nodeA, zoneId: zoneA, name: '业务地址池一', cidr: '10.61.0.0/24', purpose: 'business', gateway: '10.61.0.1', reserved: [{ from: '10.61.0.2', to: '10.61.0.9', note: '设备' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    pool24 = res.json();
    expect(res.json()).toMatchObject({ cidr: '10.61.0.0/24', family: 4, gateway: '10.61.0.1', utilisation: { total: '256', reserved: '11', allocated: '0', free: '245', percent: '0.00' } });

    const overlap = await inject(mgmt, 'POST', '/api/ipam/pools', { nodeId: nodeA, zoneId: zoneA, name: '重叠', cidr: '10.61.0.128/25', purpose: 'management' });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json()).toMatchObject({ code: 'ipam.pool_overlap', details: { pools: [{ id: pool24.id, name: '业务地址池一', cidr: '10.61.0.0/24' }] } });
    expect(overlap.json().message).toContain('业务地址池一');
    const covering = await inject(mgmt, 'POST', '/api/ipam/pools', { nodeId: nodeA, zoneId: zoneA, name: '覆盖', cidr: '10.61.0.0/16', purpose: 'management' });
    expect(covering.json().code).toBe('ipam.pool_overlap');

    // The zone declares IPv4 blocks only: an IPv6 pool is not bounded by them.
    const v6 = await inject(mgmt, 'POST', '/api/ipam/pools', { nodeId: nodeA, zoneId: zoneA, name: 'IPv6 业务', cidr: '2001:DB8:61:0::/48', purpose: 'business', gateway: '2001:db8:61::1' });
    expect(v6.statusCode, v6.body).toBe(201);
    expect(v6.json()).toMatchObject({ cidr: '2001:db8:61::/48', family: 6, utilisation: { total: (1n << 80n).toString(), reserved: '1' } });

    // A zone without declared blocks bounds nothing: public addresses in the internet zone.
    const pub = await inject(mgmt, 'POST', '/api/ipam/pools', { nodeId: nodeA, zoneId: zoneNet, name: '互联网地址', cidr: '198.51.61.0/28', purpose: 'internet' });
    expect(pub.statusCode, pub.body).toBe(201);
    expect(pub.json()).toMatchObject({ zone: { id: zoneNet, zoneType: 'internet' }, purpose: 'internet', utilisation: { total: '16', reserved: '2' } });
    const unitTry = await inject(unitA, 'POST', '/api/ipam/pools', { nodeId: nodeA, zoneId: zoneA, name: 'u', cidr: '10.61.50.0/24', purpose: 'business' });
    expect(unitTry.statusCode).toBe(403);
    expect((await inject(sysAdmin, 'GET', '/api/ipam/pools')).statusCode).toBe(403);
    // Business roles read pools (with utilisation) to choose one.
    const seen = await inject(unitA, 'GET', `/api/ipam/pools?nodeId=${nodeA}`);
    expect(seen.json().items.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['业务地址池一', 'IPv6 业务']));
  });
});

type Req = { id: string; status: string; dueAt: string; workingDaysLeft: number | null; dueSoon: boolean; overdue: boolean; allocations: Array<{ id: string; range: string; firstAddress: string; count: string }>; abilities: Record<string, boolean> };

describe('requests and allocation', () => {
  let reqA: Req;

  it('a unit requests for its system; the management unit approves with first fit (gateway, reserved, network skipped)', async () => {
    const noSystem = await inject(unitA, 'POST', '/api/ipam/requests', { nodeId: nodeA, purpose: 'business', addressCount: 4, reason: '新增主机' });
    expect(noSystem.json()).toMatchObject({ code: 'ipam.system_required', details: { issues: [{ field: 'body.systemId', rule: 'required' }] } });
    const otherSystem = await inject(unitA, 'POST', '/api/ipam/requests', { nodeId: nodeA, purpose: 'business', addressCount: 4, systemId: systemB.id, reason: 'x' });
    expect(otherSystem.statusCode).toBe(404);
    const both = await inject(unitA, 'POST', '/api/ipam/requests', { nodeId: nodeA, purpose: 'business', addressCount: 4, prefixLength: 28, systemId: systemA.id, reason: 'x' });
    expect(both.statusCode).toBe(400);

    const applicationId = '00000000-0000-4000-8000-000000000061';
    const res = await inject(unitA, 'POST', '/api/ipam/requests', { nodeId: nodeA, zoneId: zoneA, purpose: 'business', addressCount: 4, systemId: systemA.id, applicationId, reason: '新增 4 台主机' });
    expect(res.statusCode, res.body).toBe(201);
    reqA = res.json();
    expect(reqA).toMatchObject({ status: 'pending', applicationId, requester: { id: unitAId, kind: 'unit' }, abilities: { approve: false, cancel: true } });
    expect(reqA.workingDaysLeft).toBeGreaterThan(2);

    const byUnit = await inject(unitA, 'POST', `/api/ipam/requests/${reqA.id}/approve`, {});
    expect(byUnit.statusCode).toBe(403);
    const review = await inject(mgmt, 'GET', '/api/ipam/requests?view=review&pageSize=200');
    expect(review.json().items.find((r: Req) => r.id === reqA.id)).toMatchObject({ abilities: { approve: true, reject: true } });

    const ok = await inject(mgmt, 'POST', `/api/ipam/requests/${reqA.id}/approve`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', allocations: [{ range: '10.61.0.10-10.61.0.13', count: '4', kind: 'addresses', system: { id: systemA.id } }] });
    const twice = await inject(mgmt, 'POST', `/api/ipam/requests/${reqA.id}/approve`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('ipam.already_decided');
  });

  it('subnets first fit on aligned blocks; a chosen subnet that overlaps is refused naming the allocation; reject needs a reason', async () => {
    const res = await inject(unitA, 'POST', '/api/ipam/requests', { nodeId: nodeA, poolId: pool24.id, purpose: 'business', prefixLength: 28, systemId: systemA.id, reason: '容器网段' });
    expect(res.statusCode, res.body).toBe(201);
    const chosen = await inject(mgmt, 'POST', `/api/ipam/requests/${res.json().id}/approve`, { cidr: '10.61.0.0/28' });
    expect(chosen.statusCode).toBe(400);
    expect(chosen.json().code).toBe('ipam.reserved_address');
    const over = await inject(mgmt, 'POST', `/api/ipam/requests/${res.json().id}/approve`, { cidr: '10.61.0.32/27' });
    expect(over.json().code).toBe('ipam.prefix_mismatch');
    const ok = await inject(mgmt, 'POST', `/api/ipam/requests/${res.json().id}/approve`, {});
    expect(ok.json()).toMatchObject({ status: 'approved', allocations: [{ range: '10.61.0.16/28', kind: 'subnet', count: '16' }] });

    const res2 = await inject(unitA, 'POST', '/api/ipam/requests', { nodeId: nodeA, poolId: pool24.id, purpose: 'business', prefixLength: 28, systemId: systemA.id, reason: '再来一段' });
    const clash = await inject(mgmt, 'POST', `/api/ipam/requests/${res2.json().id}/approve`, { cidr: '10.61.0.16/28' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ code: 'ipam.allocation_overlap', details: { allocations: [{ range: '10.61.0.16/28' }] } });
    const noReason = await inject(mgmt, 'POST', `/api/ipam/requests/${res2.json().id}/reject`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    const rejected = await inject(mgmt, 'POST', `/api/ipam/requests/${res2.json().id}/reject`, { reason: '网段暂不开放' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionReason: '网段暂不开放', workingDaysLeft: null });
  });

  it('exhaustion: a /29 gives 5 host addresses (network, broadcast, gateway excluded), then refuses', async () => {
    const small = await inject(mgmt, 'POST', '/api/ipam/pools', { nodeId: nodeA, zoneId: zoneA, name: '小池', cidr: '10.61.1.0/29', purpose: 'storage', gateway: '10.61.1.1' });
    expect(small.statusCode, small.body).toBe(201);
    const ask = async (n: number) => (await inject(unitA, 'POST', '/api/ipam/requests', { nodeId: nodeA, purpose: 'storage', addressCount: n, systemId: systemA.id, reason: '存储网' })).json() as Req;
    const six = await ask(6);
    const refused = await inject(mgmt, 'POST', `/api/ipam/requests/${six.id}/approve`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'ipam.pool_exhausted', details: { pool: { name: '小池' }, free: '5' } });
    const five = await ask(5);
    const ok = await inject(mgmt, 'POST', `/api/ipam/requests/${five.id}/approve`, {});
    expect(ok.json().allocations[0].range).toBe('10.61.1.2-10.61.1.6');
    const pool = (await inject(mgmt, 'GET', `/api/ipam/pools/${small.json().id}`)).json();
    expect(pool.utilisation).toEqual({ total: '8', reserved: '3', allocated: '5', free: '0', percent: '100.00' });
    const one = await ask(1);
    expect((await inject(mgmt, 'POST', `/api/ipam/requests/${one.id}/approve`, {})).json().code).toBe('ipam.pool_exhausted');

    // Releasing frees the addresses again.
    const allocationId = ok.json().allocations[0].id;
    const rel = await inject(unitA, 'POST', `/api/ipam/allocations/${allocationId}/release`);
    expect(rel.statusCode, rel.body).toBe(200);
    expect(rel.json()).toMatchObject({ status: 'released', abilities: { release: false } });
    expect((await inject(mgmt, 'POST', `/api/ipam/requests/${one.id}/approve`, {})).json().allocations[0].range).toBe('10.61.1.2');
    expect((await inject(unitA, 'POST', `/api/ipam/allocations/${allocationId}/release`)).json().code).toBe('ipam.already_released');

    const util = (await inject(mgmt, 'GET', '/api/ipam/utilisation?groupBy=zone')).json().items as Array<{ node: { id: string }; zone: { id: string }; family: number; pools: number; allocated: string }>;
    const row = util.find((u) => u.node.id === nodeA && u.zone.id === zoneA && u.family === 4)!;
    expect(row).toMatchObject({ pools: 2, allocated: String(4 + 16 + 1) });
  });

  it('a provider requests on its own node only; direct allocations by the management unit', async () => {
    const mine = await inject(staffA, 'POST', '/api/ipam/requests', { nodeId: nodeA, purpose: 'business', prefixLength: 29, reason: '负载均衡' });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json().requester).toMatchObject({ id: provA.id, kind: 'provider' });
    const notMine = await inject(staffA, 'POST', '/api/ipam/requests', { nodeId: nodeB, purpose: 'business', prefixLength: 29, reason: 'x' });
    expect(notMine.json().code).toBe('ipam.not_your_node');
    const tooLong = await inject(staffA, 'POST', '/api/ipam/requests', { nodeId: nodeA, purpose: 'business', prefixLength: 64, reason: 'x' });
    expect(tooLong.json()).toMatchObject({ code: 'ipam.invalid_prefix' });

    const v6pool = (await inject(mgmt, 'GET', `/api/ipam/pools?nodeId=${nodeA}&family=6`)).json().items[0];
    const direct = await inject(mgmt, 'POST', '/api/ipam/allocations', { poolId: v6pool.id, holderOrgId: provA.id, prefixLength: 64, note: '平台管理' });
    expect(direct.statusCode, direct.body).toBe(201);
    // The gateway 2001:db8:61::1 lies in the first /64, so first fit takes the second.
    expect(direct.json()).toMatchObject({ range: '2001:db8:61:1::/64', family: 6, count: (1n << 64n).toString() });
  });

  it('exports the allocations as .xlsx with Chinese headers', async () => {
    const res = await inject(unitA, 'GET', `/api/ipam/allocations/export?nodeId=${nodeA}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('地址分配')!;
    expect(ws.getRow(1).getCell(1).value).toBe('地址/地址段');
    const ranges = ws.getColumn(1).values.slice(2);
    expect(ranges).toEqual(expect.arrayContaining(['10.61.0.10-10.61.0.13', '10.61.0.16/28']));
    // Unit A exports only its own allocations: not the provider's IPv6 block.
    expect(ranges).not.toContain('2001:db8:61:1::/64');
  });

  it('isolation: unit B cannot see unit A’s requests or allocations (404); the node’s provider can, another provider cannot', async () => {
    expect((await inject(unitB, 'GET', `/api/ipam/requests/${reqA.id}`)).statusCode).toBe(404);
    expect((await inject(unitB, 'GET', `/api/ipam/requests/${reqA.id}/events`)).statusCode).toBe(404);
    const list = (await inject(unitB, 'GET', '/api/ipam/requests?pageSize=200')).json();
    expect(list.items.find((r: Req) => r.id === reqA.id)).toBeUndefined();
    const allocId = (await inject(unitA, 'GET', `/api/ipam/requests/${reqA.id}`)).json().allocations[0].id;
    expect((await inject(unitB, 'GET', `/api/ipam/allocations/${allocId}`)).statusCode).toBe(404);
    expect((await inject(unitB, 'POST', `/api/ipam/allocations/${allocId}/release`)).statusCode).toBe(404);
    expect((await inject(unitB, 'POST', `/api/ipam/requests/${reqA.id}/cancel`)).statusCode).toBe(404);
    expect((await inject(unitB, 'GET', '/api/ipam/allocations?pageSize=200')).json().items).toEqual([]);
    const prov = await inject(staffA, 'GET', `/api/ipam/requests/${reqA.id}`);
    expect(prov.statusCode).toBe(200);
    expect(prov.json().abilities).toEqual({ approve: false, reject: false, cancel: false });
    // The provider sees the unit's allocation on its node but may not release it.
    expect((await inject(staffA, 'POST', `/api/ipam/allocations/${allocId}/release`)).json().code).toBe('ipam.not_holder');
    expect((await inject(staffB, 'GET', `/api/ipam/requests/${reqA.id}`)).statusCode).toBe(404);
    expect((await inject(sysAdmin, 'GET', `/api/ipam/requests/${reqA.id}`)).statusCode).toBe(403);
    // RLS backstop: with the application's filter out of the way, the rows stay hidden from unit B.
    const c = await t.deps.pool.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('zhengyun.scope_all', 'off', true), set_config('zhengyun.scope_roots', $1, true), set_config('zhengyun.business_access', 'on', true)`, [unitBId]);
      expect((await c.query('select id from ipam_requests where id = $1', [reqA.id])).rowCount).toBe(0);
      expect((await c.query('select id from ipam_allocations where id = $1', [allocId])).rowCount).toBe(0);
      await c.query('rollback');
    } finally {
      c.release();
    }
  });
});

describe('review deadline', () => {
  it('3 working days across the 2026 Spring Festival with the make-up Saturday; warnings once each', async () => {
    const svc = t.container.ipam;
    try {
      svc.clock = () => shanghai('2026-02-13', '10:00');
      const res = await inject(unitA, 'POST', '/api/ipam/requests', { nodeId: nodeA, purpose: 'business', addressCount: 1, systemId: systemA.id, reason: '节前申请' });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().id as string;
      // Fri 2-13 10:00: Sat 2-14 (调休上班) is day 1, 2-15…2-23 春节, Tue 2-24 day 2, Wed 2-25 10:00 the deadline.
      expect(res.json().dueAt).toBe(shanghai('2026-02-25', '10:00').toISOString());
      expect(res.json().workingDaysLeft).toBe(3);

      const during = await svc.checkDeadlines(shanghai('2026-02-20', '10:00'));
      expect(during.dueSoon).not.toContain(id);
      svc.clock = () => shanghai('2026-02-20', '10:00');
      expect((await inject(unitA, 'GET', `/api/ipam/requests/${id}`)).json()).toMatchObject({ workingDaysLeft: 1.1, dueSoon: false, overdue: false });

      const soon = await svc.checkDeadlines(shanghai('2026-02-24', '10:00'));
      expect(soon.dueSoon).toContain(id);
      expect((await svc.checkDeadlines(shanghai('2026-02-24', '11:00'))).dueSoon).not.toContain(id);
      svc.clock = () => shanghai('2026-02-24', '10:00');
      expect((await inject(mgmt, 'GET', `/api/ipam/requests/${id}`)).json()).toMatchObject({ workingDaysLeft: 1, dueSoon: true, overdue: false });

      const late = await svc.checkDeadlines(shanghai('2026-02-25', '10:00'));
      expect(late.overdue).toContain(id);
      expect((await svc.checkDeadlines(shanghai('2026-02-26', '10:00'))).overdue).not.toContain(id);
      svc.clock = () => shanghai('2026-02-26', '10:00');
      expect((await inject(mgmt, 'GET', `/api/ipam/requests/${id}`)).json()).toMatchObject({ workingDaysLeft: -1, overdue: true });
      const events = (await inject(unitA, 'GET', `/api/ipam/requests/${id}/events`)).json().items.map((e: { kind: string }) => e.kind);
      expect(events).toEqual(['submitted', 'due_soon', 'overdue']);
      // The management unit's staff were notified (notifications module), once per warning.
      const sent = await owner.query(`select kind, count(distinct kind) as n from notifications where link = $1 group by kind order by kind`, [`/ipam/requests?id=${id}`]);
      expect(sent.rows.map((r: { kind: string }) => r.kind)).toEqual(['ipam.request_submitted', 'ipam.review_due_soon', 'ipam.review_overdue']);
      await inject(mgmt, 'POST', `/api/ipam/requests/${id}/reject`, { reason: '测试结束' });
    } finally {
      svc.clock = () => new Date();
    }
  });
});

describe('conflicts with the inventory', () => {
  it('lists addresses in use but not allocated, and addresses allocated to one system but reported for another', async () => {
    let batch = 9_000_000_000 + Math.floor(Math.random() * 1_000_000);
    const host = async (name: string, ip: string, sys: { id: string; systemNo: string }, unitId: string) => {
      await owner.query(
        `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, system_no, system_id, unit_org_id, system_node_id, name, attributes,
                                          status, first_seen_at, last_seen_at, changed_at, last_batch_id)
         values ('cloud_host', $1, $2, $3, $4, $5, $6, $2, $3, $7, 'active', now(), now(), now(), $8)`,
        [provA.id, nodeA, name, sys.systemNo, sys.id, unitId, JSON.stringify({ systemId: sys.systemNo, cloudHostId: name, internalIp: ip }), batch++],
      );
    };
    await host(unique('h-ok-'), '10.61.0.10', systemA, unitAId); // allocated to system A: fine
    await host(unique('h-free-'), '10.61.0.200', systemA, unitAId); // in the pool, allocated to nobody
    await host(unique('h-gw-'), '10.61.0.1', systemA, unitAId); // the gateway: not a conflict
    await host(unique('h-out-'), '192.168.61.5', systemA, unitAId); // in no pool: not managed
    await host(unique('h-b-'), '10.61.0.11', systemB, unitBId); // allocated to system A, reported for B

    const all = await inject(mgmt, 'GET', `/api/ipam/conflicts?nodeId=${nodeA}`);
    expect(all.statusCode, all.body).toBe(200);
    const items = all.json().items as Array<{ type: string; address: string; allocation: { holder: { name: string | null } } | null }>;
    expect(items.map((c) => `${c.type} ${c.address}`).sort()).toEqual(['system_mismatch 10.61.0.11', 'unallocated 10.61.0.200']);
    expect(all.json().counts).toEqual({ system_mismatch: 1, unallocated: 1 });
    expect(items.find((c) => c.type === 'system_mismatch')!.allocation!.holder.name).not.toBeNull();

    const a = (await inject(unitA, 'GET', `/api/ipam/conflicts?nodeId=${nodeA}`)).json().items as typeof items;
    expect(a.map((c) => `${c.type} ${c.address}`)).toEqual(['unallocated 10.61.0.200']);
    const b = (await inject(unitB, 'GET', `/api/ipam/conflicts?nodeId=${nodeA}`)).json().items as typeof items;
    expect(b.map((c) => `${c.type} ${c.address}`)).toEqual(['system_mismatch 10.61.0.11']);
    // Unit B learns the address is allocated to someone else, not to whom.
    expect(b[0]!.allocation!.holder.name).toBeNull();
    const onlyUnallocated = (await inject(mgmt, 'GET', `/api/ipam/conflicts?nodeId=${nodeA}&type=unallocated`)).json().items as typeof items;
    expect(onlyUnallocated.map((c) => c.address)).toEqual(['10.61.0.200']);
  });
});
