import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createScratchDatabase, createTestApp, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser } from '../../test/fixtures.js';

// A database of its own: the demo period is only added where no period exists yet.
let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
let t: TestApp;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  t = await createTestApp({ databaseUrl: scratch.url });
});
afterAll(async () => {
  await t?.close();
  await scratch?.drop();
});

describe('demo key-guarantee period', () => {
  it('declares one upcoming period from next Monday 00:00 Beijing time for two weeks, once, and tells the providers', async () => {
    const p = await createOrg(t, { kind: 'cloud_provider' });
    const staff = await signedInUser(t, { orgId: p.id, roles: ['provider_staff'] });
    const now = new Date('2026-03-04T10:00:00+08:00'); // a Wednesday
    const period = await t.container.keyPeriods.seedDemo(systemContext('demo'), now);
    expect(period).toMatchObject({ scope: 'all', nodeIds: [] });
    expect(period!.startsAt.toISOString()).toBe(new Date('2026-03-09T00:00:00+08:00').toISOString());
    expect(period!.endsAt.toISOString()).toBe(new Date('2026-03-23T00:00:00+08:00').toISOString());
    expect(await t.container.keyPeriods.seedDemo(systemContext('demo'), now)).toBeNull();
    expect(await t.container.keyPeriods.isKeyPeriod(new Date('2026-03-10T12:00:00+08:00'))).toBe(true);
    const list = (await t.app.inject({ url: '/api/notifications', headers: staff.session.headers })).json() as { items: Array<{ kind: string }> };
    expect(list.items.map((i) => i.kind)).toEqual(['keyperiod.declared']);
  });
});
