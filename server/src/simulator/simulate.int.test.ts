import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createTestApp, unique, type TestApp } from '../test/harness.js';
import { createOrg } from '../test/fixtures.js';
import { systemContext } from '../platform/context.js';
import { DEMO_SYSTEMS } from '../modules/demo/index.js';
import { buildFleet, type Fleet } from './fleet.js';
import { issueCredentials, readDirectorySkeleton, registerQueryEndpoints, registerSyslogSources } from './bootstrap.js';
import { Pusher } from './pusher.js';
import { Simulation, type SimulationStats } from './engine.js';
import { SyslogSender } from './syslog-sender.js';
import { startQueryEndpoint, type QueryEndpointServer } from './query-endpoint.js';
import { SLOT_MS, beijingDayStart, slotStart } from './random.js';
import { addSimulateCommand, type CredentialFileEntry } from './simulate.js';

let t: TestApp;
let db: pg.Client;
let fleet: Fleet;
let stats: SimulationStats;
let syslogPort: number;
let url: string;
let windowFrom: number;
const providerIds: string[] = [];
const servers: QueryEndpointServer[] = [];
const perBatch: Array<{ table: string; provider: string; faulty: number; accepted: number; rejected: number; status: number }> = [];
const SLOTS = 6;

async function count(sqlText: string, params: unknown[]): Promise<number> {
  return Number((await db.query<{ n: string }>(sqlText, params)).rows[0]!.n);
}

/** Two providers, each with one node, one room, two registered systems. */
async function directory(): Promise<void> {
  const ctx = systemContext('test');
  const c = t.container;
  for (let p = 0; p < 2; p++) {
    const provider = await createOrg(t, { kind: 'cloud_provider', code: unique('CSP').slice(0, 20) });
    providerIds.push(provider.id);
    const nodeId = await c.directory.ensureCloudNode(ctx, { code: unique('N').slice(0, 20), name: `模拟节点${p}`, cloudType: 'service', providerOrgId: provider.id });
    const room = `${unique('').slice(-3).toUpperCase()}${p}`.replace(/[^A-Z0-9]/g, '7').slice(0, 4).padEnd(4, '0');
    await c.directory.createRoom(ctx, nodeId, { code: room, name: `机房${p}` });
    await c.directory.createZone(ctx, nodeId, { zoneType: 'gov_extranet', name: '电子政务外网区', cidrs: [`10.${200 + p}.0.0/16`] });
    await c.directory.createZone(ctx, nodeId, { zoneType: 'internet', name: '互联网区', cidrs: [`198.51.100.${p * 64}/26`] });
    for (let s = 0; s < 2; s++) {
      const unit = await createOrg(t, { kind: 'user_unit', code: unique('U').slice(0, 12).toUpperCase() });
      await c.systems.create(ctx, { unitId: unit.id, nodeId, ...DEMO_SYSTEMS[s]!.fields, name: `测试系统${p}-${s}` });
    }
  }
}

describe('zhengyun simulate against a running platform', () => {
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    db = new pg.Client({ connectionString: t.ownerUrl });
    await db.connect();
    await directory();
    const receiver = await t.container.syslogReceiver.start({ host: '127.0.0.1', port: 0 });
    syslogPort = receiver.port;

    const skeleton = await readDirectorySkeleton(t.container, { providerOrgIds: providerIds });
    fleet = buildFleet(skeleton, { seed: 3, hostsPerSystem: 3 });
    const credentials = await issueCredentials(t.container, skeleton, 'simulator-test');
    await registerSyslogSources(t.container, fleet);
    for (const p of fleet.providers) servers.push(await startQueryEndpoint(p));
    const secrets = await registerQueryEndpoints(t.container, fleet, (node) => servers.find((s) => s.provider.nodes.some((n) => n.code === node))!.baseUrl(node));
    for (const s of servers) for (const n of s.provider.nodes) s.setSecret(n.code, secrets.get(n.code)!);

    const syslog = new SyslogSender({ host: '127.0.0.1', port: syslogPort });
    const [p1, p2] = fleet.providers;
    const to = slotStart(Date.now());
    const sim = new Simulation({
      fleet,
      pusher: new Pusher({ url, credentials, concurrency: 4 }),
      syslog,
      faultRate: 0.05,
      // Provider 2 silent for the first half of the window; provider 1 never sends ftp.
      outages: [{ provider: p2!.code, startMinute: 0, minutes: (SLOTS / 2) * 5 }],
      skipTables: [{ provider: p1!.code, table: 'ftp' }],
      // Density 8: every sampled table (ftp, pop3, imap, logins …) certainly has records in 30 minutes.
      density: 8,
      csvShare: 0.15,
      ndjsonShare: 0.15,
      runId: unique('simtest'),
      liveWindowMs: 60 * 60_000,
      onBatch: (table, provider, _node, o, faulty) => perBatch.push({ table, provider, faulty, accepted: o.accepted, rejected: o.rejected, status: o.status }),
    });
    windowFrom = to - SLOTS * SLOT_MS;
    stats = await sim.run({ from: windowFrom, to, speed: Infinity });
    await syslog.close();
  }, 120_000);

  afterAll(async () => {
    // Leave no endpoint pointing at a closed port for another test's poller.
    if (t) {
      const ctx = systemContext('test');
      for (const e of await t.container.queryPoller.listEndpoints(ctx)) if (providerIds.includes(e.provider.id)) await t.container.queryPoller.deleteEndpoint(ctx, e.id);
    }
    for (const s of servers) await s.close();
    await t?.container.syslogReceiver.stop();
    await db?.end();
    await t?.close();
  });

  it('pushes every table; the platform accepts every valid record and rejects exactly the faulty ones', () => {
    expect(stats.slots).toBe(SLOTS);
    expect(stats.batchesFailed, JSON.stringify(stats.failures)).toBe(0);
    expect(stats.faulty).toBeGreaterThan(0);
    expect(stats.rejected).toBe(stats.faulty);
    expect(stats.accepted).toBe(stats.records - stats.faulty);
    expect(Object.keys(stats.perTable).sort()).toHaveLength(35);
    for (const b of perBatch) {
      expect(b.rejected, `${b.table}`).toBe(b.faulty);
      expect(b.status).toBe(b.accepted === 0 ? 422 : 200);
    }
  });

  it('stores one metric per host per 5-minute slot, less the faulty ones and the outage', async () => {
    const [p1, p2] = fleet.providers;
    const hosts1 = p1!.nodes.reduce((s, n) => s + n.hosts.length, 0);
    const hosts2 = p2!.nodes.reduce((s, n) => s + n.hosts.length, 0);
    const faulty = (p: string) => perBatch.filter((b) => b.table === 'cloudHostMonitoring' && b.provider === p).reduce((s, b) => s + b.faulty, 0);
    const rows1 = await count('select count(*) n from ingest_cloud_host_monitoring where provider_org_id = $1', [p1!.orgId]);
    const rows2 = await count('select count(*) n from ingest_cloud_host_monitoring where provider_org_id = $1', [p2!.orgId]);
    expect(rows1).toBe(hosts1 * SLOTS - faulty(p1!.code));
    expect(rows2).toBe(hosts2 * (SLOTS / 2) - faulty(p2!.code));
    expect(await count('select count(distinct record_time) n from ingest_cloud_host_monitoring where provider_org_id = $1', [p1!.orgId])).toBe(SLOTS);
  });

  it('stores daily service data and weekly data, and nothing of the skipped table', async () => {
    const [p1] = fleet.providers;
    const hosts1 = p1!.nodes.reduce((s, n) => s + n.hosts.length, 0);
    const specFaulty = perBatch.filter((b) => b.table === 'cloudHostSpec' && b.provider === p1!.code).reduce((s, b) => s + b.faulty, 0);
    // Daily tables go at the start and again at each Beijing midnight inside the window (a run at 00:10 crosses one).
    let days = 1;
    for (let at = windowFrom + SLOT_MS; at < windowFrom + SLOTS * SLOT_MS; at += SLOT_MS) if (beijingDayStart(at) === at) days++;
    expect(await count('select count(*) n from ingest_cloud_host_spec where provider_org_id = $1', [p1!.orgId])).toBe(hosts1 * days - specFaulty);
    expect(await count('select count(*) n from ingest_business_system where provider_org_id = $1', [p1!.orgId])).toBeGreaterThan(0);
    expect(await count('select count(*) n from ingest_assets where provider_org_id = $1', [p1!.orgId])).toBeGreaterThan(0);
    expect(await count('select count(*) n from ingest_ftp where provider_org_id = $1', [p1!.orgId])).toBe(0);
    expect(await count("select count(*) n from ingest_batches where provider_org_id = $1 and table_name = 'ftp'", [p1!.orgId])).toBe(0);
  });

  it('batches are recorded with their status, counts and formats (JSON, NDJSON, CSV in GBK)', async () => {
    const rows = (
      await db.query<{ status: string; content_type: string; n: string; accepted: string; rejected: string }>(
        `select status, content_type, count(*) n, sum(accepted_count) accepted, sum(rejected_count) rejected from ingest_batches
          where provider_org_id = any($1::uuid[]) and source = 'api' group by 1, 2`,
        [providerIds],
      )
    ).rows;
    const total = (f: (r: (typeof rows)[number]) => boolean, k: 'n' | 'accepted' | 'rejected') => rows.filter(f).reduce((s, r) => s + Number(r[k]), 0);
    expect(total(() => true, 'n')).toBe(stats.batches);
    expect(total(() => true, 'accepted')).toBe(stats.accepted);
    expect(total(() => true, 'rejected')).toBe(stats.rejected);
    expect(total((r) => r.status === 'partial', 'n')).toBeGreaterThan(0);
    expect(total((r) => r.content_type === 'text/csv; charset=gbk' && r.status !== 'rejected', 'n')).toBeGreaterThan(0);
    expect(total((r) => r.content_type === 'application/x-ndjson' && r.status !== 'rejected', 'n')).toBeGreaterThan(0);
  });

  it('syslog from the simulated devices lands in the security-device and host logs of their provider', async () => {
    expect(stats.syslogSent).toBeGreaterThan(0);
    // Below the test's own timeout, so a shortfall fails on the assertions (with the counters) rather than timing out.
    const deadline = Date.now() + 20_000;
    let sec = 0;
    let host = 0;
    const read = async () => {
      sec = await count("select count(*) n from ingest_security_device_log l join ingest_batches b on b.id = l.batch_id where b.source = 'syslog' and l.provider_org_id = any($1::uuid[])", [providerIds]);
      host = await count("select count(*) n from ingest_host_log l join ingest_batches b on b.id = l.batch_id where b.source = 'syslog' and l.provider_org_id = any($1::uuid[])", [providerIds]);
    };
    await read();
    // Done when everything sent is stored, or when all that arrived is accounted for (stored, rejected, dropped) and nothing more has arrived for 2 s
    // (UDP datagrams dropped by the kernel under load never arrive).
    let lastReceived = -1;
    let quietSince = Date.now();
    const settled = () => {
      const c = t.container.syslogReceiver.counters;
      if (c.received !== lastReceived) {
        lastReceived = c.received;
        quietSince = Date.now();
      }
      const accountedFor = c.stored + c.rejected + c.dropped + c.unmatched + c.disabled;
      return sec + host === c.stored && accountedFor >= c.received && Date.now() - quietSince >= 2_000;
    };
    while (Date.now() < deadline && sec + host < stats.syslogSent && !settled()) {
      await new Promise((r) => setTimeout(r, 300));
      await read();
    }
    expect(sec).toBeGreaterThan(0);
    expect(host).toBeGreaterThan(0);
    const c = t.container.syslogReceiver.counters;
    // Every message the receiver took in is stored exactly once; TCP loses nothing. UDP is best effort by design
    // (RFC 5426): on a loaded machine the kernel may drop a datagram before the receiver sees it, so the sent count
    // bounds what arrived from above, and nearly all of it arrives.
    expect(sec + host, JSON.stringify(c)).toBe(c.stored);
    expect(c.received).toBeLessThanOrEqual(stats.syslogSent);
    expect(c.received, JSON.stringify(c)).toBeGreaterThanOrEqual(Math.floor(stats.syslogSent * 0.9));
    const serials = fleet.providers.flatMap((p) => p.nodes.flatMap((n) => n.devices.filter((d) => d.category === 'SECU').map((d) => d.serial)));
    const stored = (await db.query<{ serial_number: string }>("select distinct l.serial_number from ingest_security_device_log l join ingest_batches b on b.id = l.batch_id where b.source = 'syslog' and l.provider_org_id = any($1::uuid[])", [providerIds])).rows.map((r) => r.serial_number);
    for (const s of stored) expect(serials).toContain(s);
  });

  it('the poller gets valid answers from the simulated query endpoints', async () => {
    const ctx = systemContext('test');
    const endpoints = (await t.container.queryPoller.listEndpoints(ctx)).filter((e) => providerIds.includes(e.provider.id));
    expect(endpoints).toHaveLength(2);
    for (const e of endpoints) {
      const polled = await t.container.queryPoller.pollNow(ctx, e.id);
      expect(polled.lastResults.map((r) => [r.resource, r.ok, r.error])).toEqual(
        expect.arrayContaining([
          ['platform-status', true, null],
          ['quotas', true, null],
          ['vm-states', true, null],
        ]),
      );
    }
  });

  it('zhengyun simulate --credentials: a backfill window from the command line, with faults and an outage', async () => {
    const skeleton = await readDirectorySkeleton(t.container, { providerOrgIds: providerIds });
    const creds = await issueCredentials(t.container, skeleton, 'simulator-cli-test');
    const entries: CredentialFileEntry[] = skeleton.flatMap((p) =>
      p.nodes.map((n) => ({ ...creds.find((c) => c.providerCode === p.code)!, nodes: undefined, node: n.code, rooms: n.rooms, systems: n.systems.map((x) => ({ systemId: x.systemId, name: x.name, unitCode: x.unitCode })) })),
    );
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zy-sim-')), 'creds.json');
    fs.writeFileSync(file, JSON.stringify(entries));
    const program = new Command('zhengyun').exitOverride();
    addSimulateCommand(program, () => Promise.reject(new Error('no bootstrap in this test')));
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((l: unknown) => void lines.push(String(l)));
    const day = slotStart(Date.now() - 2 * 86_400_000);
    const before = await count("select count(*) n from ingest_batches where provider_org_id = any($1::uuid[]) and source = 'api'", [providerIds]);
    try {
      await program.parseAsync(['simulate', '--url', url, '--credentials', file, '--from', new Date(day).toISOString(), '--to', new Date(day + 4 * SLOT_MS).toISOString(),
        '--fault-rate', '0.1', '--outage', `${skeleton[1]!.code}:10@5`, '--no-syslog', '--seed', '9', '--hosts-per-system', '2'], { from: 'user' });
    } finally {
      spy.mockRestore();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
    const done = lines.find((l) => l.startsWith('Done: '));
    expect(done, lines.join('\n')).toMatch(/^Done: 4 slots, (\d+) records in (\d+) batches \((\d+) made faulty\) .*accepted (\d+), rejected (\d+), failed batches 0/);
    const [, records, batches, faulty, accepted, rejected] = /^Done: 4 slots, (\d+) records in (\d+) batches \((\d+) made faulty\) .*accepted (\d+), rejected (\d+)/.exec(done!)!.map(Number);
    expect(rejected).toBe(faulty);
    expect(accepted).toBe(records! - faulty!);
    expect(lines[0]).toMatch(/^Fleet \(seed 9\): 2 providers/);
    const after = await count("select count(*) n from ingest_batches where provider_org_id = any($1::uuid[]) and source = 'api'", [providerIds]);
    expect(after - before).toBe(batches);
    // The outage: provider 2 sent metrics for 2 of the 4 slots.
    const slots2 = await count('select count(distinct record_time) n from ingest_cloud_host_monitoring where provider_org_id = $1 and record_time >= $2 and record_time < $3', [skeleton[1]!.orgId, new Date(day), new Date(day + 4 * SLOT_MS)]);
    expect(slots2).toBe(2);
  });
});
