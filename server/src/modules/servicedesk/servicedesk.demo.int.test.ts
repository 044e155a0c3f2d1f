import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { systemContext } from '../../platform/context.js';
import { withTx } from '../../platform/db/database.js';
import { createScratchDatabase, createTestApp, type TestApp } from '../../test/harness.js';
import { createOrg, createUser } from '../../test/fixtures.js';
import { loadServiceDeskDemo } from './index.js';

/** The demo service desk on a database of its own: every state and channel, clocks and escalations; idempotent. */
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

it('loads tickets in every state from every channel, once', async () => {
  const ctx = systemContext('test');
  const prov = await createOrg(t, { kind: 'cloud_provider' });
  const unit = await createOrg(t, { kind: 'user_unit', code: 'DEMOSD' });
  await createUser(t, { orgId: unit.id, roles: ['unit_staff'] });
  await createUser(t, { orgId: prov.id, roles: ['provider_staff'] });
  const nodeId = await t.container.directory.ensureCloudNode(ctx, { code: 'DEMOSD1', name: '演示节点', cloudType: 'service', providerOrgId: prov.id });
  await withTx(t.deps.db, ctx, async (trx) => {
    await sql`insert into information_systems (unit_id, seq, system_no, node_id, name, system_type, grading_level, operating_hours, network_nature, contact_name, contact_mobile_enc, contact_email_enc)
              values (${unit.id}, 1, 'DEMOSD001', ${nodeId}, '演示系统', '其他', '二级', '5*8小时', '政务外网', '张三', 'x', 'x')`.execute(trx);
  });
  const r = await loadServiceDeskDemo(t.deps.db, t.container.serviceDesk, t.container.knowledge);
  expect(r.tickets).toBe(16);
  const states = await withTx(t.deps.db, ctx, async (trx) => (await sql<{ status: string; channel: string }>`select status, channel from sd_tickets`.execute(trx)).rows);
  expect(new Set(states.map((s) => s.status))).toEqual(new Set(['new', 'assigned', 'in_progress', 'pending', 'resolved', 'closed', 'cancelled']));
  expect(new Set(states.map((s) => s.channel))).toEqual(new Set(['portal', 'phone', 'email', 'alert', 'outage', 'api']));
  const list = await t.container.serviceDesk.listTickets(ctx, { view: 'queue', page: 1, pageSize: 50, sort: 'priority' });
  expect(list.items.some((x) => x.worstColour === 'red')).toBe(true);
  expect(list.items.find((x) => x.status === 'pending')!.clocks.find((c) => c.clock === 'resolution')?.state).toBe('paused');
  const found = await t.container.knowledge.search(ctx, { q: '数据库', page: 1, pageSize: 10 });
  expect(found.items[0]!.title).toContain('数据库审计');
  expect(await loadServiceDeskDemo(t.deps.db, t.container.serviceDesk, t.container.knowledge)).toEqual({ tickets: 0 });
});
