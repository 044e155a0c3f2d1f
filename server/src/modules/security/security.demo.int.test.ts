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

it('the demo has security warnings matched to the demo hosts, with a handled, a not-affected, an open and an overdue notice; loaded once', async () => {
  const warnings = t.container.securityOversight.warnings;
  const ctx = systemContext();
  const listed = await warnings.listWarnings(ctx, { keyword: '【演示】', pageSize: 50 });
  expect(listed.total).toBe(4);
  expect(listed.items.every((w) => w.matchedAt !== null && w.hosts > 0 && w.notices > 0)).toBe(true);
  expect(new Set(listed.items.map((w) => w.monitorType))).toEqual(new Set(['vulnerability', 'patch']));
  const notices = (await warnings.listNotices(ctx, { keyword: '【演示】', pageSize: 50 })).items;
  const byContent = (part: string) => notices.filter((n) => n.content.includes(part));
  const handled = byContent('请立即升级');
  expect(handled.some((n) => n.state === 'replied' && n.outcome === 'handled' && n.evidenceName === '演示-升级记录.txt' && (n.evidenceSize ?? 0) > 0 && /^[0-9a-f]{64}$/.test(n.evidenceSm3 ?? ''))).toBe(true);
  const file = await warnings.evidence(ctx, handled.find((n) => n.state === 'replied')!.id);
  expect(file.content.toString('utf8')).toContain('已升级到厂商修复版本');
  expect(byContent('是否受影响').some((n) => n.state === 'replied' && n.outcome === 'not_affected' && (n.replyNote ?? '').includes('不受影响'))).toBe(true);
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  expect(byContent('请按期处置').every((n) => n.state === 'notified' && n.deadline >= today)).toBe(true);
  expect(byContent('请按期处置').length).toBeGreaterThan(0);
  expect(byContent('通报：').some((n) => n.state === 'overdue' && n.deadline < today && n.outcome === null)).toBe(true);
  expect((await warnings.listNotices(ctx, { state: 'overdue', pageSize: 50 })).total).toBeGreaterThan(0);
  // The matched hosts are the demo scan's hosts.
  const hosts = (await owner.query(`select distinct h.ip from security_warning_hosts h join security_warnings w on w.id = h.warning_id where w.batch_id = 0 and h.ip is not null`)).rows.map((r) => r.ip as string);
  expect(hosts.length).toBeGreaterThan(0);
  expect(hosts.every((ip) => ip.startsWith('10.200.0.'))).toBe(true);
  const count = async () => (await owner.query(`select (select count(*) from security_warnings)::int as w, (select count(*) from security_warning_notices)::int as n, (select count(*) from security_warning_notices where status = 'replied')::int as r`)).rows[0];
  const before = await count();
  await loadSecurityOversightDemo(t.container.securityOversight, t.container.securityPatches, t.container.directory, createLogger('silent'));
  expect(await count()).toEqual(before);
});
