import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, type TestOrg } from '../../test/fixtures.js';
import { defaultGuard, probeIcmpMany, probeTcp } from './index.js';

// A host in its own network namespace (veth pair, a TCP listener inside) that goes down and comes back: real ICMP and
// TCP probes against it, recorded through the service (outage opens on the confirmed failure, ends on recovery).
// Needs CAP_NET_ADMIN (ip netns); skipped, and said so, where the runner cannot create namespaces.

const tag = `zy${process.pid % 100000}`;
const ns = `${tag}n`;
const hostSide = `${tag}a`;
const nsSide = `${tag}b`;
const net3 = 1 + (process.pid % 250);
const hostIp = `10.231.${net3}.1`;
const nsIp = `10.231.${net3}.2`;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
let canNetns = false;
try {
  ip('netns', 'add', ns);
  canNetns = true;
} catch {
  canNetns = false;
}

let t: TestApp;
let owner: pg.Client;
let prov: TestOrg;
let listener: ChildProcess | null = null;
const guard = defaultGuard([`10.231.${net3}.0/30`]);

beforeAll(async () => {
  if (!canNetns) return;
  ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', nsSide);
  ip('link', 'set', nsSide, 'netns', ns);
  ip('addr', 'add', `${hostIp}/30`, 'dev', hostSide);
  ip('link', 'set', hostSide, 'up');
  ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${nsIp}/30`, 'dev', nsSide);
  ip('netns', 'exec', ns, 'ip', 'link', 'set', nsSide, 'up');
  ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
  listener = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', `require('net').createServer((s) => s.end()).listen(8080, '${nsIp}', () => console.log('ready'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    listener!.stdout!.on('data', (b: Buffer) => b.toString().includes('ready') && resolve());
    listener!.once('exit', (c) => reject(new Error(`listener exited ${c}`)));
  });
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  prov = await createOrg(t, { kind: 'cloud_provider', name: unique('命名空间服务商') });
}, 120_000);

afterAll(async () => {
  listener?.kill();
  if (canNetns) {
    try {
      ip('link', 'del', hostSide);
    } catch {
      // gone with the namespace
    }
    ip('netns', 'del', ns);
  }
  await owner?.end();
  await t?.close();
});

describe.skipIf(!canNetns)('a host in a network namespace that goes down', () => {
  it('ICMP and TCP are up, then down after the re-checks (an outage opens), then up again (it ends); an address outside the allowed range is refused', async () => {
    const ids = (
      await owner.query(
        `insert into availability_probes (name, kind, target, port, origin, provider_org_id, retries, timeout_ms, enabled)
         values ($1, 'icmp', $3, null, 'manual', $4, 1, 500, false), ($2, 'tcp', $3, 8080, 'manual', $4, 1, 500, false) returning id, kind`,
        [unique('ns-icmp'), unique('ns-tcp'), nsIp, prov.id],
      )
    ).rows as Array<{ id: string; kind: 'icmp' | 'tcp' }>;
    const svc = t.container.availability;
    /** One slot of both probes: the probe and (after a failure) one 立即核实 re-check, recorded as the scheduler does. */
    const slot = async () => {
      const slotAt = new Date();
      const items = [];
      for (const p of ids) {
        const attempts = [];
        for (let attempt = 0; attempt <= 1; attempt++) {
          const out = p.kind === 'icmp' ? (await probeIcmpMany([nsIp], { timeoutMs: 500, count: 2, guard })).get(nsIp)! : await probeTcp(nsIp, 8080, 500, guard);
          attempts.push({ ...out, attempt, checkedAt: new Date() });
          if (out.ok) break;
        }
        const row = (await owner.query(`select state from availability_probes where id = $1`, [p.id])).rows[0];
        items.push({ probe: { id: p.id, name: p.kind, kind: p.kind, target: nsIp, port: p.kind === 'tcp' ? 8080 : null, config: {}, intervalSeconds: 60, timeoutMs: 500, retries: 1, state: row.state, slot: slotAt }, attempts });
      }
      await svc.recordSlots('netns', items);
      return (await owner.query(`select kind, state, failures, last_detail from availability_probes where id = any($1) order by kind`, [ids.map((p) => p.id)])).rows as Array<{ kind: string; state: string; failures: number; last_detail: string }>;
    };
    const openOutages = async () => (await owner.query(`select count(*)::int n from availability_outages where probe_id = any($1) and ended_at is null`, [ids.map((p) => p.id)])).rows[0].n as number;

    expect((await slot()).map((r) => r.state)).toEqual(['up', 'up']);
    expect(await openOutages()).toBe(0);

    ip('netns', 'exec', ns, 'ip', 'link', 'set', nsSide, 'down');
    const down = await slot();
    expect(down.map((r) => r.state)).toEqual(['down', 'down']);
    expect(down.map((r) => r.failures)).toEqual([2, 2]);
    expect(down.find((r) => r.kind === 'icmp')!.last_detail).toMatch(/丢包|超时|不可达/);
    expect(await openOutages()).toBe(2);

    ip('netns', 'exec', ns, 'ip', 'link', 'set', nsSide, 'up');
    const back = await slot();
    expect(back.map((r) => r.state)).toEqual(['up', 'up']);
    expect(await openOutages()).toBe(0);
    const closed = (await owner.query(`select started_at, confirmed_at, ended_at from availability_outages where probe_id = any($1)`, [ids.map((p) => p.id)])).rows;
    expect(closed).toHaveLength(2);
    for (const o of closed) expect(new Date(o.ended_at).getTime()).toBeGreaterThanOrEqual(new Date(o.confirmed_at).getTime());

    // The operator may not probe a private address outside the allowed range: a clear recorded result, no connection.
    const refused = await probeTcp('10.9.9.9', 8080, 500, guard);
    expect(refused.ok).toBe(false);
    expect(refused.detail).toMatch(/不在允许探测的范围内/);
  }, 60_000);
});
