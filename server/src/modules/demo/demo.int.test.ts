import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, createTestApp, type TestApp } from '../../test/harness.js';
import { CSRF } from '../../test/fixtures.js';
import { DEMO_ACCOUNTS, DEMO_INITIAL_PASSWORD, DEMO_NODES, DEMO_ORGS, DEMO_SYSTEMS } from './index.js';
import { systemContext } from '../../platform/context.js';

describe('demo city', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let t: TestApp;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    t = await createTestApp({ databaseUrl: scratch.url });
    await t.container.demo.loadIfEmpty();
  });
  afterAll(async () => {
    await t.close();
    await scratch.drop();
  });

  it('loads the organisations, the cloud nodes of §0.1 and one account per role', async () => {
    const ctx = systemContext();
    const orgs = await t.container.organisations.list(ctx, { page: 1, pageSize: 100 });
    expect(orgs.total).toBe(DEMO_ORGS.length);
    const names = orgs.items.map((o: { name: string }) => o.name);
    expect(names).toEqual(expect.arrayContaining(['北京市大数据中心', '北京市医疗保障局', '北京市公共资源交易中心', '北京市科学技术委员会、中关村科技园区管理委员会']));
    const nodes = await t.container.directory.listCloudNodes(ctx);
    expect(nodes.map((n) => n.name).sort()).toEqual(DEMO_NODES.map((n) => n.name).sort());
    expect(nodes.every((n) => n.provider !== null)).toBe(true);
    const zones = await t.container.directory.listZones(ctx, nodes[0]!.id);
    expect(zones.map((z) => z.zoneType).sort()).toEqual(['exchange', 'gov_extranet', 'internet']);
    expect(await t.container.directory.listRooms(ctx, nodes[0]!.id)).toHaveLength(1);
    const users = await t.container.access.listUsers(ctx, { page: 1, pageSize: 100 });
    expect(users.total).toBe(DEMO_ACCOUNTS.length);
  });

  it('loads an approved price list per provider and the seed orders as estimates of their agencies', async () => {
    const ctx = systemContext();
    const lists = await t.container.catalog.listPriceLists(ctx);
    expect(lists.map((l) => l.status)).toEqual(['approved', 'approved', 'approved']);
    const estimates = await t.container.estimates.list(ctx);
    expect(estimates).toHaveLength(3);
    const trading = await t.container.estimates.get(ctx, estimates.find((e) => e.title.includes('第三包') || e.title.includes('公共资源'))!.id);
    expect(Number(trading.result.total)).toBeGreaterThan(0);
    expect(trading.result.unpricedCount).toBeGreaterThan(0);
  });

  it('registers the agencies\' information systems, numbered by unit code', async () => {
    const list = await t.container.systems.list(systemContext(), { pageSize: 100 });
    expect(list.total).toBe(DEMO_SYSTEMS.length);
    const numbers = list.items.map((s) => `${s.systemNo} ${s.name}`).sort();
    expect(numbers).toEqual(expect.arrayContaining(['U-GGZY001 北京市公共资源交易平台信息系统', 'U-GGZY002 北京市评标专家库管理系统', 'U-YB-DSJ001 基于医疗数据的应用场景分析系统']));
  });

  it('is loaded once: a second call changes nothing', async () => {
    await t.container.demo.loadIfEmpty();
    const orgs = await t.container.organisations.list(systemContext(), { page: 1, pageSize: 100 });
    expect(orgs.total).toBe(DEMO_ORGS.length);
  });

  it('makes every demo account change the documented initial password at first sign-in', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: CSRF, payload: { username: 'yb-staff', password: DEMO_INITIAL_PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'password_change_required', reason: 'initial' });
  });
});
