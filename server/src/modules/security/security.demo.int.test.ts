import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createLogger } from '../../platform/logger.js';
import { createScratchDatabase, createTestApp, type TestApp } from '../../test/harness.js';
import { createOrg } from '../../test/fixtures.js';
import { loadSecurityDemo, loadSecurityOversightDemo } from './index.js';

let scratch: { url: string; drop(): Promise<void> };
let t: TestApp;
let owner: pg.Client;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  t = await createTestApp({ databaseUrl: scratch.url });
  owner = new pg.Client({ connectionString: scratch.url });
  await owner.connect();
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
  await scratch?.drop();
});

it('the demo register has overdue findings, notices, replies, verified fixes and an accepted risk; a second load changes nothing', async () => {
  const prov = await createOrg(t, { kind: 'cloud_provider', name: '演示安全服务商' });
  const node = await t.container.directory.ensureCloudNode(systemContext(), { code: 'DEMO-SEC', name: '演示节点', cloudType: 'service', providerOrgId: prov.id });
  for (let i = 1; i <= 8; i++) {
    await owner.query(
      `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, name, attributes, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
       values ('cloud_host', $1, $2, $3, $3, $4, 'active', now(), now(), now(), $5)`,
      [prov.id, node, `demo-vm-${i}`, JSON.stringify({ internalIp: `10.200.0.${i}` }), i],
    );
  }
  const logger = createLogger('silent');
  await loadSecurityDemo(t.container.security, t.container.inventory, logger);
  const counts = async () => Object.fromEntries((await owner.query(`select status, count(*)::int as n from security_findings group by status`)).rows.map((r) => [r.status, r.n]));
  const first = await counts();
  expect(first.fixed).toBeGreaterThan(0);
  expect(first.accepted).toBe(1);
  expect((first.notified ?? 0) + (first.replied ?? 0)).toBeGreaterThan(0);
  const overdue = (await owner.query(`select count(*)::int as n from security_findings where status in ('open','notified','replied') and deadline < (now() at time zone 'Asia/Shanghai')::date`)).rows[0].n;
  expect(overdue).toBeGreaterThan(0);
  expect((await owner.query(`select count(*)::int as n from sd_tickets where source = 'vulnerability'`)).rows[0].n).toBeGreaterThan(0);
  await loadSecurityDemo(t.container.security, t.container.inventory, logger);
  expect(await counts()).toEqual(first);
});

it('the demo has a closed and an open security event, this year\'s scans with one month missing, and pentests; loaded once', async () => {
  const provB = await createOrg(t, { kind: 'cloud_provider', name: '演示安全服务商乙' });
  await t.container.directory.ensureCloudNode(systemContext(), { code: 'DEMO-SEC-B', name: '演示节点乙', cloudType: 'service', providerOrgId: provB.id });
  const logger = createLogger('silent');
  await loadSecurityOversightDemo(t.container.securityOversight, t.container.securityPatches, t.container.directory, logger);
  const events = (await owner.query(`select status from security_events where title like '【演示】%' order by occurred_at`)).rows.map((r) => r.status);
  expect(events).toEqual(['closed', 'handling']);
  const year = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
  const month = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(5, 7));
  const counters = await t.container.securityOversight.checkCounters(systemContext(), year);
  // Every past month planned, one of them (two months ago) not done; the current month has not been scanned yet.
  expect(counters.byKind.find((k) => k.kind === 'vuln_scan')).toMatchObject({ planned: month - 1, done: Math.max(0, month - 2) });
  if (month > 2) expect(counters.scans.monthsWithout).toContain(`${year}-${String(month - 2).padStart(2, '0')}`);
  expect(counters.pentests.required).toBe(4);
  await loadSecurityOversightDemo(t.container.securityOversight, t.container.securityPatches, t.container.directory, logger);
  expect((await owner.query(`select count(*)::int as n from security_events where title like '【演示】%'`)).rows[0].n).toBe(2);
});
