import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createScratchDatabase, createTestApp, type TestApp } from '../../test/harness.js';

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

it('the demo city: every system has a simulated probe (never run, marked), outages, a notice, objectives per provider and a month of SLA compliance; a second load changes nothing', async () => {
  await t.container.demo.loadIfEmpty();
  const systems = (await owner.query(`select count(*)::int n from information_systems where status = 'active'`)).rows[0].n;
  const probes = (await owner.query(`select * from availability_probes where origin = 'demo'`)).rows;
  expect(probes.length).toBe(systems);
  expect(probes.every((p) => p.unreachable_note && p.system_id)).toBe(true);
  const simulated = (await owner.query(`select bool_and(simulated) s, count(*)::int n from availability_intervals`)).rows[0];
  expect(simulated.s).toBe(true);
  const outages = (await owner.query(`select count(*)::int n, bool_and(simulated) s from availability_outages`)).rows[0];
  expect(outages.n).toBeGreaterThan(systems);
  expect(outages.s).toBe(true);
  expect((await owner.query(`select count(*)::int n from notifications where kind = 'availability.outage'`)).rows[0].n).toBeGreaterThan(0);
  const objectives = (await owner.query(`select target::text, scope from availability_objectives`)).rows;
  expect(objectives.map((o) => o.target).sort()).toContain('0.99990');
  // Catalog services: cloud host service (1001) and internet link (1016), 99.99 %.
  expect(objectives.filter((o) => o.scope === 'service').length).toBe(2);
  const now = new Date();
  const rows = await t.container.availability.slaCompliance(systemContext(), { from: new Date(now.getTime() - 30 * 86_400_000), to: now });
  expect(rows.length).toBeGreaterThanOrEqual(systems);
  expect(rows.some((r) => r.met === false)).toBe(true);
  expect(rows.some((r) => r.met === true)).toBe(true);
  expect(rows.some((r) => r.longestOutageSeconds > 4 * 3600)).toBe(true);
  // Loaded once.
  const { loadAvailabilityDemo } = await import('./index.js');
  await loadAvailabilityDemo(t.deps.db, t.container.availability, t.container.systems, t.container.notifications, t.deps.logger);
  expect((await owner.query(`select count(*)::int n from availability_probes where origin = 'demo'`)).rows[0].n).toBe(systems);
}, 120_000);
