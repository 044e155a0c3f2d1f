import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { promisify } from 'node:util';
import pg from 'pg';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { auditRecords, createOrg, signedInUser, type Session } from '../../test/fixtures.js';
import { systemContext } from '../../platform/context.js';
import type { WriteBatchInput } from '../ingestion/index.js';
import { SyslogReceiver } from './index.js';

const run = promisify(execFile);

let t: TestApp;
let owner: pg.Client;
let port: number;
let providerA: { id: string };
let providerB: { id: string };
let nodeA: string;
let nodeB: string;
let mgmt: Session;
let staffA: Session;
let staffB: Session;
const created: string[] = [];
let hostsId: string;

/** util-linux logger, the real client. */
async function logger(args: string[], message: string): Promise<void> {
  await run('logger', ['--server', '127.0.0.1', '--port', String(port), ...args, message]);
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function flushed(): Promise<void> {
  await t.container.syslogReceiver.flushAll(true);
}

async function rows(table: 'ingest_security_device_log' | 'ingest_host_log', providerId: string, marker: string) {
  const col = table === 'ingest_security_device_log' ? 'log_content' : 'log_body';
  const r = await owner.query(`select * from ${table} where provider_org_id = $1 and ${col} like $2 order by occurred_at`, [providerId, `%${marker}%`]);
  return r.rows as Array<Record<string, unknown>>;
}

async function addSource(body: Record<string, unknown>) {
  const res = await t.app.inject({ method: 'POST', url: '/api/syslog/sources', headers: mgmt.headers, payload: body });
  if (res.statusCode === 201) created.push(res.json().id);
  return res;
}

function sendUdp(from: string, messages: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, from, async () => {
      try {
        for (const m of messages) await new Promise<void>((r, j) => s.send(m, port, '127.0.0.1', (e) => (e ? j(e) : r())));
        s.close(() => resolve());
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  const m = await createOrg(t, { kind: 'management_unit' });
  providerA = await createOrg(t, { kind: 'cloud_provider' });
  providerB = await createOrg(t, { kind: 'cloud_provider' });
  const sys = systemContext('test');
  nodeA = await t.container.directory.ensureCloudNode(sys, { code: unique('SA').slice(0, 30), name: '节点A', cloudType: 'service', providerOrgId: providerA.id });
  nodeB = await t.container.directory.ensureCloudNode(sys, { code: unique('SB').slice(0, 30), name: '节点B', cloudType: 'service', providerOrgId: providerB.id });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  staffA = (await signedInUser(t, { orgId: providerA.id, roles: ['provider_staff'] })).session;
  staffB = (await signedInUser(t, { orgId: providerB.id, roles: ['provider_staff'] })).session;
  const started = await t.container.syslogReceiver.start({ host: '127.0.0.1', port: 0 });
  port = started.port;
});

afterAll(async () => {
  for (const id of created) await t.app.inject({ method: 'DELETE', url: `/api/syslog/sources/${id}`, headers: mgmt.headers });
  await owner?.end();
  await t?.close();
});

describe('syslog sources API', () => {
  it('refuses bad input with the field and the rule', async () => {
    const hostBits = await addSource({ network: '10.1.2.3/16', providerOrgId: providerA.id, nodeId: nodeA, kind: 'host', cloudHostId: 'h', osType: 'Linux' });
    expect(hostBits.statusCode).toBe(400);
    expect(hostBits.body).toContain('host bits must be zero: did you mean 10.1.0.0/16?');
    const missing = await addSource({ network: '10.9.0.0/16', providerOrgId: providerA.id, nodeId: nodeA, kind: 'security_device', deviceName: 'FW' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('serialNumber');
    const wrongNode = await addSource({ network: '10.9.0.0/16', providerOrgId: providerA.id, nodeId: nodeB, kind: 'host', cloudHostId: 'h', osType: 'Linux' });
    expect(wrongNode.statusCode).toBe(400);
    expect(wrongNode.json().code).toBe('syslog.node_not_of_provider');
    const staff = await t.app.inject({ method: 'POST', url: '/api/syslog/sources', headers: staffA.headers, payload: { network: '10.9.0.0/16', providerOrgId: providerA.id, nodeId: nodeA, kind: 'host', cloudHostId: 'h', osType: 'Linux' } });
    expect(staff.statusCode).toBe(403);
  });

  it('creates, lists per provider (a provider sees only its own), updates, refuses a taken network, audits', async () => {
    const net4 = `10.${Math.floor(Math.random() * 200) + 20}.${Math.floor(Math.random() * 250)}.0/24`;
    const res = await addSource({ network: net4, providerOrgId: providerB.id, nodeId: nodeB, kind: 'host', cloudHostId: 'ecs-b-1', osType: 'Linux', description: 'B 的主机段' });
    expect(res.statusCode).toBe(201);
    const src = res.json();
    expect(src).toMatchObject({ network: net4, kind: 'host', providerOrgId: providerB.id, nodeName: '节点B', deviceName: null, enabled: true });
    const dup = await addSource({ network: net4, providerOrgId: providerB.id, nodeId: nodeB, kind: 'host', cloudHostId: 'x', osType: 'Linux' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('syslog.network_taken');

    const seenByB = (await t.app.inject({ url: '/api/syslog/sources', headers: staffB.headers })).json();
    expect(seenByB.items.map((i: { id: string }) => i.id)).toContain(src.id);
    expect(seenByB.abilities.configure).toBe(false);
    const seenByA = (await t.app.inject({ url: '/api/syslog/sources', headers: staffA.headers })).json();
    expect(seenByA.items.map((i: { id: string }) => i.id)).not.toContain(src.id);
    expect((await t.app.inject({ url: `/api/syslog/sources/${src.id}`, headers: staffA.headers })).statusCode).toBe(404);

    const patched = await t.app.inject({ method: 'PATCH', url: `/api/syslog/sources/${src.id}`, headers: mgmt.headers, payload: { hostName: 'b-web-01', enabled: false } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ hostName: 'b-web-01', enabled: false, cloudHostId: 'ecs-b-1' });
    const toSecurity = await t.app.inject({ method: 'PATCH', url: `/api/syslog/sources/${src.id}`, headers: mgmt.headers, payload: { kind: 'security_device' } });
    expect(toSecurity.statusCode).toBe(400);
    expect(toSecurity.json().code).toBe('syslog.missing_device_fields');
    expect(await auditRecords(t, { action: 'syslog_sources.update', targetId: src.id })).toHaveLength(1);
  });
});

describe('unknown senders', () => {
  it('are counted and listed (with a sample) for the administrator, not for a provider; registering one takes effect at once', async () => {
    const before = t.container.syslogReceiver.counters.unmatched;
    const marker = unique('unknown');
    await sendUdp('127.0.0.66', [`<13>Nov 30 06:01:45 rogue app: ${marker}`, `<13>Nov 30 06:01:46 rogue app: ${marker} again`]);
    await waitFor(() => t.container.syslogReceiver.counters.unmatched - before === 2, 'two unmatched messages');
    const status = (await t.app.inject({ url: '/api/syslog/status', headers: mgmt.headers })).json();
    expect(status).toMatchObject({ running: true, udpPort: port, tcpPort: port, abilities: { configure: true } });
    expect(status.receiveBufferBytes).toBeGreaterThan(200_000);
    const u = status.unknownSenders.find((s: { ip: string }) => s.ip === '127.0.0.66');
    expect(u).toMatchObject({ count: 2, sample: `<13>Nov 30 06:01:46 rogue app: ${marker} again` });
    const asProvider = (await t.app.inject({ url: '/api/syslog/status', headers: staffA.headers })).json();
    expect(asProvider.unknownSenders).toEqual([]);
    expect(asProvider.abilities.configure).toBe(false);

    const reg = await addSource({ network: '127.0.0.66', providerOrgId: providerB.id, nodeId: nodeB, kind: 'host', cloudHostId: 'ecs-b-66', osType: 'Windows' });
    expect(reg.statusCode).toBe(201);
    await waitFor(() => !t.container.syslogReceiver.unknownSenders().some((s) => s.ip === '127.0.0.66'), 'the sender to be known');
    await sendUdp('127.0.0.66', [`<13>Nov 30 06:01:47 rogue app: ${marker} known`]);
    await waitFor(async () => {
      await flushed();
      return (await rows('ingest_host_log', providerB.id, `${marker} known`)).length === 1;
    }, 'the registered sender stored');
    expect((await rows('ingest_host_log', providerB.id, `${marker} known`))[0]).toMatchObject({ node_id: nodeB, cloud_host_id: 'ecs-b-66', os_type: 'Windows', host_name: 'rogue', log_name: 'app' });
  });
});

describe('receiving with util-linux logger', () => {
  beforeAll(async () => {
    // 127.0.0.1 is a security device of provider A; the rest of 127.0.0.0/29 hosts of provider A (longest prefix wins).
    const fw = await addSource({ network: '127.0.0.1', providerOrgId: providerA.id, nodeId: nodeA, kind: 'security_device', deviceName: '边界防火墙', serialNumber: 'FW-SN-0001', deviceType: '防火墙' });
    expect(fw.statusCode).toBe(201);
    expect(fw.json().network).toBe('127.0.0.1/32');
    const hosts = await addSource({ network: '127.0.0.0/29', providerOrgId: providerA.id, nodeId: nodeA, kind: 'host', cloudHostId: 'ecs-a-001', osType: 'Linux' });
    expect(hosts.statusCode).toBe(201);
    hostsId = hosts.json().id;
    await t.container.syslogReceiver.refreshSources();
  });

  it('UDP RFC 3164 and RFC 5424 land in the security-device log with the device of the source', async () => {
    const marker = unique('udp');
    await logger(['--udp', '--rfc3164', '-p', 'authpriv.warning', '-t', 'sshd'], `${marker} Failed password for root from 10.8.8.8 port 50022 ssh2`);
    await logger(['--udp', '--rfc5424', '-p', 'local4.err', '-t', 'ips', '--msgid', 'IPS_BLOCK', '--sd-id', 'flow@32473', '--sd-param', 'srcip="10.1.1.1"', '--sd-param', 'dstport="443"'], `${marker} 中文 blocked dstip=10.2.2.2`);
    await waitFor(async () => {
      await flushed();
      return (await rows('ingest_security_device_log', providerA.id, marker)).length === 2;
    }, 'two security-device rows');
    const [a, b] = await rows('ingest_security_device_log', providerA.id, marker);
    const bsd = [a, b].find((r) => r!.alarm_name === 'sshd')!;
    const ietf = [a, b].find((r) => r!.alarm_name === 'IPS_BLOCK')!;
    expect(bsd).toMatchObject({
      node_id: nodeA,
      reporting_device_ip: '127.0.0.1',
      device_name: '边界防火墙',
      serial_number: 'FW-SN-0001',
      device_type: '防火墙',
      src_ip: '127.0.0.1',
      src_port: 0,
      dst_ip: '127.0.0.1',
      log_level: 'warning',
      alarm_type: 'authpriv',
      log_content: `${marker} Failed password for root from 10.8.8.8 port 50022 ssh2`,
    });
    expect(ietf).toMatchObject({ src_ip: '10.1.1.1', dst_ip: '10.2.2.2', dst_port: 443, src_port: 0, log_level: 'err', alarm_type: 'local4', log_content: `${marker} 中文 blocked dstip=10.2.2.2` });
    // RFC 5424 carries an offset: occurred_at is that instant; record_time follows it.
    expect(Math.abs((ietf.occurred_at as Date).getTime() - Date.now())).toBeLessThan(60_000);
    expect(ietf.record_time).toEqual(ietf.occurred_at);
  });

  it('TCP with newline framing and with octet counting', async () => {
    const marker = unique('tcp');
    await logger(['--tcp', '--rfc5424', '-t', 'fw'], `${marker} newline-framed`);
    await logger(['--tcp', '--octet-count', '--rfc5424', '-t', 'fw'], `${marker} octet-counted\nwith a line feed inside`);
    await logger(['--tcp', '--rfc3164', '-t', 'fw'], `${marker} bsd over tcp`);
    await waitFor(async () => {
      await flushed();
      return (await rows('ingest_security_device_log', providerA.id, marker)).length === 3;
    }, 'three TCP rows');
    const contents = (await rows('ingest_security_device_log', providerA.id, marker)).map((r) => r.log_content).sort();
    expect(contents).toEqual([`${marker} bsd over tcp`, `${marker} newline-framed`, `${marker} octet-counted\nwith a line feed inside`].sort());
  });

  it('a TCP stream of many frames split at odd places, and an oversize frame dropped and counted', async () => {
    const marker = unique('split');
    const frames = Array.from({ length: 50 }, (_, i) => {
      const m = `<14>1 2026-11-30T14:00:00+08:00 h app - - - ${marker} #${i}`;
      return `${Buffer.byteLength(m)} ${m}`;
    });
    const big = `<14>1 - h app - - - ${'x'.repeat(70 * 1024)}`;
    const stream = Buffer.from(frames.slice(0, 25).join('') + `${Buffer.byteLength(big)} ${big}` + frames.slice(25).join(''));
    const droppedBefore = t.container.syslogReceiver.counters.dropped;
    await new Promise<void>((resolve, reject) => {
      const c = net.connect(port, '127.0.0.1', async () => {
        for (let i = 0; i < stream.length; i += 997) {
          c.write(stream.subarray(i, i + 997));
          await new Promise((r) => setImmediate(r));
        }
        c.end();
      });
      c.on('close', () => resolve());
      c.on('error', reject);
    });
    await waitFor(async () => {
      await flushed();
      return (await rows('ingest_security_device_log', providerA.id, marker)).length === 50;
    }, 'fifty frames');
    expect(t.container.syslogReceiver.counters.dropped - droppedBefore).toBe(1);
    const r = await rows('ingest_security_device_log', providerA.id, `${marker} #7`);
    expect(r[0]!.occurred_at).toEqual(new Date('2026-11-30T06:00:00Z'));
  });

  it('another loopback address falls in 127.0.0.0/29: a host log with the source and header fields', async () => {
    const marker = unique('host');
    await sendUdp('127.0.0.2', [`<86>Nov 30 08:00:01 web-01 sshd[2231]: ${marker} Accepted password for root`]);
    await waitFor(async () => {
      await flushed();
      return (await rows('ingest_host_log', providerA.id, marker)).length === 1;
    }, 'a host row');
    const [r] = await rows('ingest_host_log', providerA.id, marker);
    expect(r).toMatchObject({ node_id: nodeA, cloud_host_id: 'ecs-a-001', host_name: 'web-01', host_ip: '127.0.0.2', os_type: 'Linux', log_name: 'sshd', log_type: 'authpriv', log_body: `${marker} Accepted password for root` });
  });

  it('a 10,000-message UDP burst from another process arrives without loss', async () => {
    const marker = unique('burst');
    const script = `
      import dgram from 'node:dgram';
      const s = dgram.createSocket('udp4');
      const [port, marker, n] = process.argv.slice(1);
      let i = 0;
      function batch() {
        for (let k = 0; k < 250 && i < Number(n); k++, i++) s.send('<134>1 - burst app - - [flow@1 srcip="10.0.0.' + (i % 250) + '" srcport="' + (1024 + i) + '"] ' + marker + ' #' + i, Number(port), '127.0.0.1');
        if (i < Number(n)) setImmediate(batch); else setTimeout(() => s.close(), 200);
      }
      batch();`;
    const storedBefore = t.container.syslogReceiver.counters.stored;
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script, String(port), marker, '10000'], { stdio: 'inherit' });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sender exited with ${code}`))));
    });
    await waitFor(async () => {
      await flushed();
      return t.container.syslogReceiver.counters.stored - storedBefore >= 10_000;
    }, '10,000 stored records', 30_000).catch(() => undefined);
    const count = await owner.query(`select count(*)::int as n, count(distinct src_port)::int as ports from ingest_security_device_log where provider_org_id = $1 and log_content like $2`, [providerA.id, `${marker} #%`]);
    expect(count.rows[0]).toEqual({ n: 10_000, ports: 10_000 });
  });

  it('a disabled source is ignored and counted', async () => {
    const hostSource = hostsId;
    const res = await t.app.inject({ method: 'PATCH', url: `/api/syslog/sources/${hostSource}`, headers: mgmt.headers, payload: { enabled: false } });
    expect(res.statusCode).toBe(200);
    await t.container.syslogReceiver.refreshSources();
    const before = t.container.syslogReceiver.counters.disabled;
    const marker = unique('off');
    await sendUdp('127.0.0.3', [`<13>Nov 30 06:01:45 h app: ${marker}`]);
    await waitFor(() => t.container.syslogReceiver.counters.disabled > before, 'the disabled counter');
    await flushed();
    expect(await rows('ingest_host_log', providerA.id, marker)).toHaveLength(0);
  });
});

describe('receiver lifecycle', () => {
  beforeAll(async () => {
    // The receivers of these tests are fed from 127.0.0.77, an IPS of provider A.
    const src = await addSource({ network: '127.0.0.77', providerOrgId: providerA.id, nodeId: nodeA, kind: 'security_device', deviceName: 'IPS', serialNumber: 'IPS-77', deviceType: 'IPS' });
    expect(src.statusCode).toBe(201);
  });

  it('a taken port is a clear error, shown in the status', async () => {
    const other = new SyslogReceiver({ logger: t.deps.logger, writer: { writeBatch: () => Promise.reject(new Error('unused')) }, sources: t.container.syslogSources });
    await expect(other.start({ host: '127.0.0.1', port })).rejects.toThrow(/cannot listen on TCP 127\.0\.0\.1:\d+ \(ZHENGYUN_SYSLOG_HOST \/ ZHENGYUN_SYSLOG_PORT\).*EADDRINUSE/);
    expect(other.status()).toMatchObject({ running: false, error: expect.stringContaining('EADDRINUSE') });
  });

  it('stop flushes what is buffered; a write that failed is kept and retried', async () => {
    const batches: WriteBatchInput[] = [];
    let failFirst = true;
    const writer = {
      writeBatch: async (input: WriteBatchInput) => {
        if (failFirst) {
          failFirst = false;
          throw new Error('database restarting');
        }
        batches.push(input);
        return { batchId: '1', table: input.table, status: 'accepted' as const, recordCount: input.records.length, accepted: input.records.length, rejected: 0, errors: [], replayed: false };
      },
    };
    const r = new SyslogReceiver({ logger: t.deps.logger, writer, sources: t.container.syslogSources }, { flushIntervalMs: 60_000 });
    const started = await r.start({ host: '127.0.0.1', port: 0 });
    const marker = unique('stop');
    const s = dgram.createSocket('udp4');
    await new Promise<void>((res) => s.bind(0, '127.0.0.77', () => res()));
    for (let i = 0; i < 20; i++) await new Promise<void>((res) => s.send(`<13>Nov 30 06:01:45 h app: ${marker} ${i}`, started.port, '127.0.0.1', () => res()));
    s.close();
    await waitFor(() => r.counters.received === 20, 'twenty datagrams');
    await r.flushAll(); // fails once: kept for the next attempt
    expect(batches).toHaveLength(0);
    await r.stop();
    const records = batches.flatMap((b) => b.records as Array<Record<string, string>>);
    expect(records).toHaveLength(20);
    expect(batches[0]).toMatchObject({ providerOrgId: providerA.id, nodeId: nodeA, table: 'securityDeviceLog', source: 'syslog', mode: 'partial' });
    expect(records[0]).toMatchObject({ deviceName: 'IPS', serialNumber: 'IPS-77', reportingDeviceIp: '127.0.0.77' });
    expect(r.counters).toMatchObject({ received: 20, stored: 20, dropped: 0 });
    expect(r.status().running).toBe(false);
  });

  it('records refused by validation are counted, the rest stored', async () => {
    const writer = {
      writeBatch: async (input: WriteBatchInput) => ({
        batchId: '1', table: input.table, status: 'partial' as const, recordCount: input.records.length, accepted: input.records.length - 1, rejected: 1,
        errors: [{ index: 0, field: 'occurredAt', value: 'x', rule: 'datetime', message: 'must be a real Beijing time' }], replayed: false,
      }),
    };
    const r = new SyslogReceiver({ logger: t.deps.logger, writer, sources: t.container.syslogSources }, { flushIntervalMs: 60_000 });
    await r.refreshSources();
    for (let i = 0; i < 3; i++) r.handle(Buffer.from(`<13>Nov 30 06:01:45 h app: m${i}`), '127.0.0.77', 'udp');
    await r.flushAll(true);
    expect(r.counters).toMatchObject({ received: 3, stored: 2, rejected: 1, dropped: 0 });
  });

  it('a TCP sender faster than the database is slowed down (back-pressure), not dropped', async () => {
    let stored = 0;
    const writer = {
      writeBatch: async (input: WriteBatchInput) => {
        await new Promise((res) => setTimeout(res, 30));
        stored += input.records.length;
        return { batchId: '1', table: input.table, status: 'accepted' as const, recordCount: input.records.length, accepted: input.records.length, rejected: 0, errors: [], replayed: false };
      },
    };
    const r = new SyslogReceiver({ logger: t.deps.logger, writer, sources: t.container.syslogSources }, { flushIntervalMs: 20, flushMaxRecords: 50, maxBuffered: 200, writeConcurrency: 1 });
    const started = await r.start({ host: '127.0.0.1', port: 0 });
    const lines = Array.from({ length: 3000 }, (_, i) => `<13>Nov 30 06:01:45 h app: bp ${i}\n`).join('');
    await new Promise<void>((resolve, reject) => {
      const c = net.connect({ port: started.port, host: '127.0.0.1', localAddress: '127.0.0.77' }, () => c.end(lines));
      c.on('close', () => resolve());
      c.on('error', reject);
    });
    await r.stop();
    expect(r.counters).toMatchObject({ received: 3000, dropped: 0, tcp: 3000 });
    expect(stored).toBe(3000);
  });

  it('stop takes in the frames of a connection held back by a full buffer', async () => {
    let stored = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((res) => (release = res));
    const writer = {
      writeBatch: async (input: WriteBatchInput) => {
        await gate; // the database "hangs" until stop
        stored += input.records.length;
        return { batchId: '1', table: input.table, status: 'accepted' as const, recordCount: input.records.length, accepted: input.records.length, rejected: 0, errors: [], replayed: false };
      },
    };
    const r = new SyslogReceiver({ logger: t.deps.logger, writer, sources: t.container.syslogSources }, { flushIntervalMs: 20, flushMaxRecords: 50, maxBuffered: 100, writeConcurrency: 1 });
    const started = await r.start({ host: '127.0.0.1', port: 0 });
    const lines = Array.from({ length: 40_000 }, (_, i) => `<13>Nov 30 06:01:45 h app: held ${i}\n`).join('');
    const c = net.connect({ port: started.port, host: '127.0.0.1', localAddress: '127.0.0.77' }, () => c.end(lines));
    c.on('error', () => undefined);
    await waitFor(() => r.status().counters.buffered >= 80, 'the buffer to fill');
    expect(r.counters.received).toBeLessThan(40_000); // held back, not dropped
    const stopping = r.stop();
    release();
    await stopping;
    expect(r.counters).toMatchObject({ received: 40_000, dropped: 0 });
    expect(stored).toBe(40_000);
  });
});
