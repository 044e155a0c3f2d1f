import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createScratchDatabase, createTestApp, type TestApp } from '../test/harness.js';
import { createLogger } from '../platform/logger.js';
import { systemContext } from '../platform/context.js';
import { createOrg } from '../test/fixtures.js';
import { DEMO_SYSTEMS } from '../modules/demo/index.js';
import { demoFeedEnabled, startDemoFeed, type DemoFeed } from './demo-feed.js';

let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
let t: TestApp;
let db: pg.Client;
let url: string;
let syslogPort: number;
const logger = createLogger(process.env.SIM_DEBUG ? 'debug' : 'silent');

async function rows<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query<T>(text, params)).rows;
}

/** Starts the feed; waits for the backfill to be over when `waitCaughtUp` (else stops it right away), then stops it. */
async function feed(waitCaughtUp: boolean): Promise<DemoFeed> {
  const f = await startDemoFeed(t.container, { url, logger, syslog: { host: '127.0.0.1', port: syslogPort }, backfillDays: 1 / 24 });
  expect(f).not.toBeNull();
  if (waitCaughtUp) await Promise.race([f!.caughtUp, f!.done]);
  await f!.stop();
  return f!;
}

describe('demo feed of the demo city', () => {
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    t = await createTestApp({ databaseUrl: scratch.url });
    await t.container.demo.loadIfEmpty();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    syslogPort = (await t.container.syslogReceiver.start({ host: '127.0.0.1', port: 0 })).port;
    db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await t?.container.syslogReceiver.stop();
    await db?.end();
    await t?.close();
    await scratch?.drop();
  });

  it('ZHENGYUN_DEMO_FEED=off (false, 0, no) switches it off', () => {
    expect(demoFeedEnabled({})).toBe(true);
    expect(demoFeedEnabled({ ZHENGYUN_DEMO_FEED: 'on' })).toBe(true);
    for (const v of ['off', 'OFF', 'false', '0', 'no']) expect(demoFeedEnabled({ ZHENGYUN_DEMO_FEED: v })).toBe(false);
  });

  it('feeds the demo providers with the directory’s nodes, rooms and system numbers; a restart resumes and re-issues the credentials', async () => {
    // A provider that is not one of the demo city's is never fed (nor given a code or a credential).
    const other = await createOrg(t, { kind: 'cloud_provider', code: 'CSP-REAL' });
    await t.container.directory.ensureCloudNode(systemContext('test'), { code: 'REAL-1', name: '真实节点', cloudType: 'service', providerOrgId: other.id });
    const first = await feed(true);
    expect(first.fleet.providers.map((p) => p.orgCode).sort()).toEqual(['CSP-HJ', 'CSP-KX', 'CSP-YS']);
    expect(await rows(`select 1 from ingest_batches where provider_org_id = $1 union all select 1 from ingest_code_values where org_id = $1 union all select 1 from ingest_credentials where provider_org_id = $1`, [other.id])).toEqual([]);
    const s1 = first.simulation.stats;
    expect(s1.batchesFailed, JSON.stringify(s1.failures)).toBe(0);
    expect(s1.accepted).toBeGreaterThan(1000);
    expect(s1.rejected).toBe(s1.faulty);
    expect(s1.slots).toBeGreaterThanOrEqual(12);

    // cloudProvider codes of the three demo providers, from their organisation codes.
    const codes = await rows<{ code: string; org: string }>(`select v.code, o.code org from ingest_code_values v join organisations o on o.id = v.org_id where v.code_table = 'cloudProvider' order by 1`);
    expect(codes).toEqual([{ code: 'HJ01', org: 'CSP-HJ' }, { code: 'KX01', org: 'CSP-KX' }, { code: 'YS01', org: 'CSP-YS' }]);
    expect(first.fleet.providers.map((p) => p.nodes.reduce((s, n) => s + n.hosts.length, 0)).every((n) => n > 0 && n <= 20)).toBe(true);

    // Data of every demo node, with the registered system numbers and the node's own rooms.
    const nodes = await rows<{ code: string; n: string }>(`select n.code, count(*) n from ingest_cloud_host_monitoring m join cloud_nodes n on n.id = m.node_id group by 1`);
    expect(nodes.map((n) => n.code).sort()).toEqual(['BF-MY', 'BGY-TZ', 'FWY-LLQ', 'FWY-TZ', 'JKY', 'JYY']);
    const systems = await rows<{ system_id: string }>(`select distinct system_id from ingest_business_system`);
    const registered = await rows<{ system_no: string }>(`select system_no from information_systems`);
    expect(registered).toHaveLength(DEMO_SYSTEMS.length);
    for (const r of registered) expect(systems.map((s) => s.system_id)).toContain(r.system_no);
    const rooms = await rows<{ ok: boolean }>(
      `select bool_and(exists (select 1 from machine_rooms r where r.node_id = t.node_id and r.code = t.machine_room)) ok from ingest_temperature_humidity_sensor t`,
    );
    expect(rooms[0]!.ok).toBe(true);

    // Syslog sources of the simulated devices, and the query endpoints answering the poller.
    expect(Number((await rows<{ n: string }>(`select count(*) n from syslog_sources where host(network) like '127.0.%'`))[0]!.n)).toBeGreaterThan(0);
    const ctx = systemContext('test');
    const endpoints = await t.container.queryPoller.listEndpoints(ctx);
    expect(endpoints).toHaveLength(6);

    // A second start: the first run's credentials are revoked, new ones issued, and only the gap is pushed.
    const before = await rows<{ status: string; n: string }>(`select case when revoked_at is null then 'active' else 'revoked' end status, count(*) n from ingest_credentials where name = 'demo-simulator' group by 1`);
    expect(before).toEqual([{ status: 'active', n: '3' }]);
    // (The slot after the last one pushed ends within 5 minutes: the second feed is stopped before it.)
    const second = await feed(false);
    const after = await rows<{ status: string; n: string }>(`select case when revoked_at is null then 'active' else 'revoked' end status, count(*) n from ingest_credentials where name = 'demo-simulator' group by 1 order by 1`);
    expect(after).toEqual([{ status: 'active', n: '3' }, { status: 'revoked', n: '3' }]);
    const lastMetric = await rows<{ t: Date }>(`select max(record_time) t from ingest_cloud_host_monitoring`);
    expect(second.from).toBe(lastMetric[0]!.t.getTime() + 5 * 60_000);
    expect(second.from).toBeGreaterThan(first.from);
    expect(second.simulation.stats.slots).toBeLessThanOrEqual(1);
    expect(second.simulation.stats.batchesFailed).toBe(0);
    const dup = await rows<{ n: string }>(`select count(*) n from (select cloud_host_id, record_time from ingest_cloud_host_monitoring group by 1, 2 having count(*) > 1) d`);
    expect(dup[0]!.n).toBe('0');
  }, 180_000);
});
