import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { withTx } from '../../platform/db/database.js';
import { sql } from 'kysely';
import { createScratchDatabase, createTestApp, type TestApp } from '../../test/harness.js';
import { createOrg } from '../../test/fixtures.js';
import { seedIpamDemo } from './index.js';

/** The demo address plan, on a database of its own (it seeds only when no pool exists). */
let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
let t: TestApp;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  t = await createTestApp({ databaseUrl: scratch.url });
}, 120_000);
afterAll(async () => {
  await t?.close();
  await scratch?.drop();
});

it('plans pools per node and zone, approves two requests and leaves one pending; a second run does nothing', async () => {
  const ctx = systemContext('test');
  const prov = await createOrg(t, { kind: 'cloud_provider' });
  const unit = await createOrg(t, { kind: 'user_unit', code: 'DEMOIP' });
  const nodeId = await t.container.directory.ensureCloudNode(ctx, { code: 'DEMOIP1', name: '演示节点', cloudType: 'service', providerOrgId: prov.id });
  await t.container.directory.createZone(ctx, nodeId, { zoneType: 'gov_extranet', name: '电子政务外网区', cidrs: ['10.100.0.0/16'] });
  await t.container.directory.createZone(ctx, nodeId, { zoneType: 'internet', name: '互联网区', cidrs: ['203.0.113.0/28'] });
  await withTx(t.deps.db, ctx, async (trx) => {
    for (let i = 1; i <= 3; i++) {
      await sql`insert into information_systems (unit_id, seq, system_no, node_id, name, system_type, grading_level, operating_hours, network_nature, contact_name, contact_mobile_enc, contact_email_enc)
                values (${unit.id}, ${i}, ${`DEMOIP00${i}`}, ${nodeId}, ${`系统${i}`}, '其他', '二级', '5*8小时', '政务外网', '张三', 'x', 'x')`.execute(trx);
    }
  });
  expect(await seedIpamDemo(t.deps.db, t.container.ipam)).toEqual({ pools: 4, requests: 3 });
  const pools = await t.container.ipam.listPools(ctx, {});
  expect(pools.map((p) => `${p.name} ${p.cidr}`).sort()).toEqual(['IPv6 业务地址池 2001:db8:1::/48', '业务地址池 10.100.64.0/18', '互联网地址池 203.0.113.0/28', '管理地址池 10.100.252.0/24']);
  const reqs = await t.container.ipam.listRequests(ctx, { pageSize: 200 });
  expect(reqs.items.map((r) => r.status).sort()).toEqual(['approved', 'approved', 'pending']);
  const ranges = reqs.items.flatMap((r) => r.allocations.map((a) => a.range)).sort();
  expect(ranges).toEqual(['10.100.64.10-10.100.64.17', '10.100.64.32/28']);
  expect(await seedIpamDemo(t.deps.db, t.container.ipam)).toEqual({ pools: 0, requests: 0 });
});
