import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createLogger } from '../../platform/logger.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';
import { defaultGuard, ProbeScheduler } from './index.js';

let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let provB: TestOrg;
let nodeA: string;
let unitAId: string;
let mgmt: Session;
let supervisor: Session;
let sysAdmin: Session;
let provAStaff: Session;
let provBStaff: Session;
let unitA: Session;
let unitB: Session;
let systemA: { id: string; systemNo: string };
let web: http.Server;
let webPort: number;
let webUp = true;
let tcp: net.Server;
let tcpPort: number;
let hang: net.Server;
let hangPort: number;
const hanging = new Set<net.Socket>();
const logger = createLogger('silent');
const guard = defaultGuard(['127.0.0.0/8']);

const inject = (s: Session, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

async function createProbe(body: Record<string, unknown>): Promise<{ id: string }> {
  const res = await inject(mgmt, 'POST', '/api/availability/probes', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
/** Makes the probes due now (a slot has come). */
const due = (ids: string[]) => owner.query(`update availability_probes set next_run_at = now() where id = any($1)`, [ids]);
const probeRow = async (id: string) => (await owner.query(`select * from availability_probes where id = $1`, [id])).rows[0];
/** Runs only this file's probes: everything else due is switched off first (the test database is shared). */
async function onlyThese(ids: string[]): Promise<void> {
  await owner.query(`update availability_probes set enabled = false where not (id = any($1)) and enabled`, [ids]);
  await owner.query(`update availability_probes set enabled = true where id = any($1)`, [ids]);
}

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('可用服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('可用服务商乙') });
  nodeA = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('AV').slice(0, 20), name: '可用甲节点', cloudType: 'service', providerOrgId: provA.id });
  const a = await createOrg(t, { kind: 'user_unit', code: unique('AVA') });
  const b = await createOrg(t, { kind: 'user_unit', code: unique('AVB') });
  unitAId = a.id;
  const m = await createOrg(t, { kind: 'management_unit' });
  const sup = await createOrg(t, { kind: 'supervision_provider' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
  supervisor = (await signedInUser(t, { orgId: sup.id, roles: ['supervisor_staff'] })).session;
  provAStaff = (await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] })).session;
  provBStaff = (await signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] })).session;
  unitA = (await signedInUser(t, { orgId: a.id, roles: ['unit_staff'] })).session;
  unitB = (await signedInUser(t, { orgId: b.id, roles: ['unit_staff'] })).session;
  const reg = await inject(unitA, 'POST', '/api/information-systems', {
    nodeId: nodeA, name: unique('甲单位门户'), systemType: '公众服务', gradingLevel: '三级', operatingHours: '7*24小时', networkNature: '政务外网', contactName: '张三', contactMobile: '13812348000', contactEmail: 'abc@x.cn',
    serviceAudience: '公众', serviceScope: '全市', interconnection: '无', functionDescription: '办事', preApprovalStatus: '已审批', accessUrl: 'http://127.0.0.1:9/', appVendor: '某公司',
  });
  expect(reg.statusCode, reg.body).toBe(201);
  systemA = reg.json();
  // Real local peers: a web server that can go down, a TCP listener, a port that accepts and never answers.
  web = http.createServer((req, res) => {
    if (!webUp) {
      res.writeHead(503).end('维护中');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html>政务服务 正常</html>');
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webPort = (web.address() as AddressInfo).port;
  tcp = net.createServer((s) => s.end());
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  tcpPort = (tcp.address() as AddressInfo).port;
  hang = net.createServer((s) => hanging.add(s));
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
  hangPort = (hang.address() as AddressInfo).port;
}, 120_000);

afterAll(async () => {
  for (const s of hanging) s.destroy();
  await new Promise((r) => web?.close(r));
  await new Promise((r) => tcp?.close(r));
  await new Promise((r) => hang?.close(r));
  await owner?.end();
  await t?.close();
});

describe('probes and the status board', () => {
  it('bad input names the field and rule', async () => {
    const noPort = await inject(mgmt, 'POST', '/api/availability/probes', { name: 'x', kind: 'tcp', target: '127.0.0.1' });
    expect(noPort.statusCode).toBe(400);
    expect(noPort.json().code).toBe('availability.port_required');
    const badUrl = await inject(mgmt, 'POST', '/api/availability/probes', { name: 'x', kind: 'http', target: 'ftp://a' });
    expect(badUrl.json().code).toBe('availability.invalid_url');
    const unknownField = await inject(mgmt, 'POST', '/api/availability/probes', { name: 'x', kind: 'icmp', target: '127.0.0.1', colour: 'red' });
    expect(unknownField.statusCode).toBe(400);
    const objective = await inject(mgmt, 'PUT', '/api/availability/objectives', { scope: 'system', scopeId: systemA.id, targetPercent: '100' });
    expect(objective.statusCode).toBe(400);
  });

  it('a unit sees only its own systems’ probes, a provider only its own; another tenant’s id answers 404; the administrators see nothing', async () => {
    const p = await createProbe({ name: unique('甲门户首页'), kind: 'http', target: `http://127.0.0.1:${webPort}/`, systemId: systemA.id, enabled: false });
    const detail = await inject(unitA, 'GET', `/api/availability/probes/${p.id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().system.id).toBe(systemA.id);
    expect(detail.json().provider.id).toBe(provA.id);
    expect((await inject(provAStaff, 'GET', `/api/availability/probes/${p.id}`)).statusCode).toBe(200);
    expect((await inject(unitB, 'GET', `/api/availability/probes/${p.id}`)).statusCode).toBe(404);
    expect((await inject(provBStaff, 'GET', `/api/availability/probes/${p.id}`)).statusCode).toBe(404);
    const boardB = await inject(unitB, 'GET', '/api/availability/probes?pageSize=200');
    expect(boardB.json().items.map((x: { id: string }) => x.id)).not.toContain(p.id);
    const boardA = await inject(unitA, 'GET', `/api/availability/probes?keyword=${encodeURIComponent('甲门户首页')}`);
    expect(boardA.json().items.map((x: { id: string }) => x.id)).toContain(p.id);
    expect([403, 404]).toContain((await inject(sysAdmin, 'GET', `/api/availability/probes/${p.id}`)).statusCode);
    // Only management and supervision change probes.
    expect((await inject(unitA, 'PATCH', `/api/availability/probes/${p.id}`, { retries: 2 })).statusCode).toBe(403);
    expect((await inject(supervisor, 'PATCH', `/api/availability/probes/${p.id}`, { retries: 2 })).json().retries).toBe(2);
  });
});

describe('status board counts and search', () => {
  it('one statement gives the page and the scope’s counts; a state change through the service shows at once; the search ignores case and treats % and _ literally', async () => {
    const tag = unique('BoardKw').toLowerCase();
    const a = await createProbe({ name: `${tag} 甲`, kind: 'tcp', target: '127.0.0.1', port: tcpPort, systemId: systemA.id, enabled: false });
    const b = await createProbe({ name: `${tag} 乙`, kind: 'http', target: `http://127.0.0.1:${webPort}/${tag.toUpperCase()}/100%_x`, systemId: systemA.id, enabled: false });
    const board = async (query: string) => {
      const res = await inject(provAStaff, 'GET', `/api/availability/probes?systemId=${systemA.id}&${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: Array<{ id: string; state: string }>; total: number; counts: Record<string, number> };
    };
    const kw = await board(`keyword=${encodeURIComponent(tag.toUpperCase())}`);
    expect(kw.items.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
    expect(kw.counts).toEqual({ up: 0, down: 0, unknown: 2, maintenance: 0 });
    // % and _ are literal: only the URL with "100%_x" matches, "100%" followed by any character does not.
    expect((await board(`keyword=${encodeURIComponent('100%_x')}`)).items.map((x) => x.id)).toEqual([b.id]);
    expect((await board(`keyword=${encodeURIComponent('100%x')}`)).items).toEqual([]);
    // A slot recorded through this process: the cached counts of the scope are dropped at once.
    const claimed = { id: a.id, name: 'x', kind: 'tcp' as const, target: '127.0.0.1', port: tcpPort, config: {}, intervalSeconds: 60, timeoutMs: 1000, retries: 0, state: 'unknown' as const, slot: new Date(Math.floor(Date.now() / 1000) * 1000) };
    await t.container.availability.recordSlot('board-test', claimed, [{ attempt: 0, checkedAt: new Date(), ok: false, rttMs: null, detail: 'connection refused' }]);
    const after = await board(`keyword=${encodeURIComponent(tag)}`);
    expect(after.counts).toEqual({ up: 0, down: 1, unknown: 1, maintenance: 0 });
    expect(after.items[0]!.id).toBe(a.id);
    const downOnly = await board(`keyword=${encodeURIComponent(tag)}&state=down`);
    expect(downOnly.total).toBe(1);
    expect(downOnly.counts.unknown).toBe(1);
    // A page past the end still has the counts.
    const past = await board(`keyword=${encodeURIComponent(tag)}&page=5`);
    expect(past.items).toEqual([]);
    expect(past.total).toBe(2);
    // Another tenant's scope has its own counts: unit B sees none of these.
    const other = await inject(unitB, 'GET', `/api/availability/probes?keyword=${encodeURIComponent(tag)}`);
    expect(other.json().counts).toEqual({ up: 0, down: 0, unknown: 0, maintenance: 0 });
  });
});

describe('the scheduler with real local peers', () => {
  it('probes HTTP, TCP and a hanging port; a failure is re-checked at once (立即核实) and opens an outage with notices and a ticket; recovery ends it', async () => {
    const web1 = await createProbe({ name: unique('网站'), kind: 'http', target: `http://127.0.0.1:${webPort}/`, systemId: systemA.id, config: { keyword: '正常' }, retries: 2, timeoutMs: 2000 });
    const port1 = await createProbe({ name: unique('端口'), kind: 'tcp', target: '127.0.0.1', port: tcpPort, systemId: systemA.id });
    const hung = await createProbe({ name: unique('挂起'), kind: 'http', target: `http://127.0.0.1:${hangPort}/`, timeoutMs: 500, retries: 0 });
    const denied = await createProbe({ name: unique('禁止'), kind: 'tcp', target: '169.254.169.254', port: 80, retries: 0 });
    const ids = [web1.id, port1.id, hung.id, denied.id];
    await onlyThese(ids);
    const w = new ProbeScheduler(t.container.availability, logger, { workerId: 'w1', guard });
    expect(await w.runDue()).toBe(4);
    expect((await probeRow(web1.id)).state).toBe('up');
    expect((await probeRow(port1.id)).state).toBe('up');
    const h = await probeRow(hung.id);
    expect(h.state).toBe('down');
    expect(h.last_detail).toMatch(/响应超时/);
    expect((await probeRow(denied.id)).last_detail).toMatch(/不允许探测/);
    // Nothing due again until the next slot.
    expect(await w.runDue()).toBe(0);
    expect(new Date((await probeRow(web1.id)).next_run_at).getTime()).toBeGreaterThan(Date.now() + 30_000);

    webUp = false;
    await due([web1.id]);
    await w.runDue();
    const down = await probeRow(web1.id);
    expect(down.state).toBe('down');
    const attempts = (await owner.query(`select attempt, ok from availability_results where probe_id = $1 order by checked_at desc, attempt desc limit 3`, [web1.id])).rows;
    expect(attempts.map((r) => r.attempt).sort()).toEqual([0, 1, 2]);
    expect(attempts.every((r) => r.ok === false)).toBe(true);
    const outage = (await owner.query(`select * from availability_outages where probe_id = $1 and ended_at is null`, [web1.id])).rows[0];
    expect(outage).toBeTruthy();
    expect(outage.ticket_id).toBeTruthy();
    const notices = (await owner.query(`select n.user_id from notifications n where n.kind = 'availability.outage' and n.link = $1`, [`/availability/probes/${web1.id}`])).rows;
    expect(notices.length).toBeGreaterThanOrEqual(2);
    // The provider sees and acknowledges it; the other provider cannot.
    const list = await inject(provAStaff, 'GET', '/api/availability/outages?open=true');
    expect(list.json().items.map((o: { id: string }) => o.id)).toContain(outage.id);
    expect((await inject(provBStaff, 'POST', `/api/availability/outages/${outage.id}/acknowledge`, { causeNote: 'x' })).statusCode).toBe(404);
    const ack = await inject(provAStaff, 'POST', `/api/availability/outages/${outage.id}/acknowledge`, { causeNote: '网站进程异常，已重启' });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().acknowledgedAt).toBeTruthy();

    webUp = true;
    await due([web1.id]);
    await w.runDue();
    expect((await probeRow(web1.id)).state).toBe('up');
    const closed = (await owner.query(`select * from availability_outages where id = $1`, [outage.id])).rows[0];
    expect(closed.ended_at).toBeTruthy();
    expect(closed.ticket_state).toBe('cleared');
    const intervals = (await owner.query(`select state, ended_at from availability_intervals where probe_id = $1 order by started_at, id`, [web1.id])).rows;
    expect(intervals.map((r) => r.state)).toEqual(['up', 'down', 'up']);
    expect(intervals.filter((r) => r.ended_at === null)).toHaveLength(1);
    const detail = await inject(unitA, 'GET', `/api/availability/probes/${web1.id}`);
    expect(detail.json().results.length).toBeGreaterThanOrEqual(5);
    expect(detail.json().outages[0].causeNote).toBe('网站进程异常，已重启');
  }, 60_000);

  it('two workers never run one slot twice; a killed worker’s claims expire and another worker runs them', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) ids.push((await createProbe({ name: unique(`并发${i}`), kind: 'tcp', target: '127.0.0.1', port: tcpPort, retries: 0, timeoutMs: 500 })).id);
    await onlyThese(ids);
    const a = new ProbeScheduler(t.container.availability, logger, { workerId: 'wa', guard, maxInFlight: 10 });
    const b = new ProbeScheduler(t.container.availability, logger, { workerId: 'wb', guard, maxInFlight: 10 });
    for (let round = 0; round < 4; round++) await Promise.all([a.runDue(), b.runDue()]);
    const per = (await owner.query(`select probe_id, count(*)::int n, count(distinct worker)::int w from availability_results where probe_id = any($1) group by probe_id`, [ids])).rows;
    expect(per).toHaveLength(24);
    expect(per.every((r) => r.n === 1)).toBe(true);
    const workers = (await owner.query(`select distinct worker from availability_results where probe_id = any($1)`, [ids])).rows.map((r) => r.worker).sort();
    expect(workers).toEqual(['wa', 'wb']);

    // Worker "dead" claims the slot and never reports; a live worker cannot take it until the claim expires.
    await due(ids.slice(0, 5));
    const dead = await t.container.availability.claimDue('dead', 5, 300);
    expect(dead).toHaveLength(5);
    expect(await b.runDue()).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await b.runDue()).toBe(5);
    const after = (await owner.query(`select count(*)::int n from availability_results where probe_id = any($1) and worker = 'wb'`, [ids.slice(0, 5)])).rows[0].n;
    expect(after).toBeGreaterThanOrEqual(5);
    // Those slots kept their state (up): written in one batch, the claim released and the next slot set.
    const rows = (await owner.query(`select claimed_by, next_run_at, state from availability_probes where id = any($1)`, [ids.slice(0, 5)])).rows;
    expect(rows.every((r) => r.claimed_by === null && r.state === 'up' && new Date(r.next_run_at).getTime() > Date.now() + 30_000)).toBe(true);
    // The dead worker comes back with a stale slot: recorded at most once per slot.
    const late = await t.container.availability.recordSlot('dead', dead[0]!, [{ ok: true, rttMs: 1, detail: 'late', attempt: 0, checkedAt: new Date() }]);
    expect(late.recorded).toBe(true);
    const again = await t.container.availability.recordSlot('dead', dead[0]!, [{ ok: true, rttMs: 1, detail: 'late', attempt: 0, checkedAt: new Date() }]);
    expect(again.recorded).toBe(false);
  }, 60_000);
});

describe('maintenance and escalation', () => {
  it('a failure inside a maintenance window is maintenance, not an outage; an unacknowledged outage is escalated after 30 minutes', async () => {
    const p = await createProbe({ name: unique('维护中'), kind: 'tcp', target: '127.0.0.1', port: 1, retries: 0, timeoutMs: 300, systemId: systemA.id });
    const mw = await inject(mgmt, 'POST', '/api/availability/maintenance', { title: '割接', startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(), probeId: p.id });
    expect(mw.statusCode, mw.body).toBe(201);
    await onlyThese([p.id]);
    const w = new ProbeScheduler(t.container.availability, logger, { workerId: 'wm', guard });
    await w.runDue();
    expect((await probeRow(p.id)).state).toBe('maintenance');
    expect((await owner.query(`select count(*)::int n from availability_outages where probe_id = $1`, [p.id])).rows[0].n).toBe(0);

    await owner.query(`delete from availability_maintenance where probe_id = $1`, [p.id]);
    await due([p.id]);
    await w.runDue();
    expect((await probeRow(p.id)).state).toBe('down');
    const o = (await owner.query(`select id from availability_outages where probe_id = $1 and ended_at is null`, [p.id])).rows[0];
    expect(o).toBeTruthy();
    expect(await t.container.availability.escalateOutages()).toBe(0);
    await owner.query(`update availability_outages set confirmed_at = now() - interval '31 minutes' where id = $1`, [o.id]);
    expect(await t.container.availability.escalateOutages()).toBeGreaterThanOrEqual(1);
    expect((await owner.query(`select escalated_at from availability_outages where id = $1`, [o.id])).rows[0].escalated_at).toBeTruthy();
    expect((await owner.query(`select count(*)::int n from notifications where kind = 'availability.escalated' and link = $1`, [`/availability/probes/${p.id}`])).rows[0].n).toBeGreaterThan(0);
    await owner.query(`update availability_probes set enabled = false where id = $1`, [p.id]);
  }, 60_000);
});

describe('SLA objectives and compliance', () => {
  it('time-weighted: maintenance excluded, unknown apart, an interruption over 4 h breaks the objective; the contract rows are scoped', async () => {
    const p = await createProbe({ name: unique('SLA网站'), kind: 'http', target: `http://127.0.0.1:${webPort}/sla`, systemId: systemA.id, enabled: false });
    // October 2026 (Asia/Shanghai): 2026-09-30T16:00Z .. 2026-10-31T16:00Z.
    const H = 3_600_000;
    const t0 = Date.parse('2026-09-30T16:00:00Z');
    const spans: Array<[string, number, number]> = [
      ['up', 0, 100 * H], ['down', 100 * H, 105 * H], ['up', 105 * H, 200 * H], ['unknown', 200 * H, 202 * H], ['up', 202 * H, 300 * H], ['down', 300 * H, 301 * H], ['up', 301 * H, 744 * H],
    ];
    for (const [state, a, b] of spans) await owner.query(`insert into availability_intervals (probe_id, state, started_at, ended_at) values ($1, $2, $3, $4)`, [p.id, state, new Date(t0 + a), new Date(t0 + b)]);
    // The 1 h down at 300 h falls inside planned maintenance.
    const mw = await inject(mgmt, 'POST', '/api/availability/maintenance', { title: '升级', startsAt: new Date(t0 + 299 * H).toISOString(), endsAt: new Date(t0 + 302 * H).toISOString(), probeId: p.id });
    expect(mw.statusCode, mw.body).toBe(201);
    const obj = await inject(mgmt, 'PUT', '/api/availability/objectives', { scope: 'system', scopeId: systemA.id, targetPercent: '99.9', period: 'month', maxInterruptionMinutes: 240 });
    expect(obj.statusCode, obj.body).toBe(200);
    expect(obj.json().targetPercent).toBe('99.9');

    const rows = await t.container.availability.slaCompliance(systemContext(), { from: new Date(t0), to: new Date(t0 + 744 * H) });
    const row = rows.find((r) => r.systemId === systemA.id)!;
    expect(row).toBeTruthy();
    expect(row.targetPercent).toBe('99.9');
    expect(row.providerOrgId).toBe(provA.id);
    expect(row.unitOrgId).toBe(unitAId);
    expect(row.downSeconds).toBe(5 * 3600);
    expect(row.unknownSeconds).toBe(2 * 3600);
    expect(row.maintenanceSeconds).toBe(3 * 3600);
    expect(row.measuredSeconds).toBe((744 - 2 - 3) * 3600);
    expect(row.longestOutageSeconds).toBe(5 * 3600);
    expect(row.availabilityPercent).toBeCloseTo((1 - 5 / 739) * 100, 6);
    expect(row.met).toBe(false);

    const table = await inject(unitA, 'GET', '/api/availability/compliance?month=2026-10');
    expect(table.statusCode, table.body).toBe(200);
    const mine = table.json().items.find((r: { systemId: string }) => r.systemId === systemA.id);
    expect(mine.reasons.join()).toMatch(/单次中断超过 240 分钟/);
    expect(mine.availabilityText).toBe('99.3234');
    const other = await inject(unitB, 'GET', '/api/availability/compliance?month=2026-10');
    expect(other.json().items.find((r: { systemId: string }) => r.systemId === systemA.id)).toBeUndefined();
    expect((await inject(unitA, 'GET', '/api/availability/compliance?month=2026-13')).statusCode).toBe(400);

    const xlsx = await inject(unitA, 'GET', '/api/availability/compliance.xlsx?month=2026-10');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    const pdf = await inject(supervisor, 'GET', '/api/availability/compliance.pdf?month=2026-10');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);
});

describe('automatic probes from the inventory', () => {
  it('a host added is probed from the next sync (due at once); a host removed stops; a system’s URL is probed', async () => {
    const ip = `127.${10 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    const hostId = (
      await owner.query(
        `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, system_no, system_id, unit_org_id, system_node_id, name, attributes, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
         values ('cloud_host', $1, $2, $3, $4, $5, $6, $2, $3, $7, 'active', now(), now(), now(), $8) returning id`,
        [provA.id, nodeA, unique('vm-'), systemA.systemNo, systemA.id, unitAId, JSON.stringify({ systemId: systemA.systemNo, internalIp: ip }), Math.floor(Math.random() * 1e9)],
      )
    ).rows[0].id as string;
    await t.container.availability.syncFromInventory();
    const hostProbe = (await owner.query(`select * from availability_probes where origin = 'inventory_host' and resource_id = $1`, [hostId])).rows[0];
    expect(hostProbe.target).toBe(ip);
    expect(hostProbe.kind).toBe('icmp');
    expect(hostProbe.system_id).toBe(systemA.id);
    expect(new Date(hostProbe.next_run_at).getTime()).toBeLessThanOrEqual(Date.now());
    const site = (await owner.query(`select * from availability_probes where origin = 'system_url' and resource_id = $1`, [systemA.id])).rows[0];
    expect(site.target).toBe('http://127.0.0.1:9/');
    // Seen by the unit, not by the other unit.
    expect((await inject(unitA, 'GET', `/api/availability/probes/${hostProbe.id}`)).statusCode).toBe(200);
    expect((await inject(unitB, 'GET', `/api/availability/probes/${hostProbe.id}`)).statusCode).toBe(404);
    // ICMP on 127.0.0.0/8 answers (fping): up.
    await onlyThese([hostProbe.id]);
    await new ProbeScheduler(t.container.availability, logger, { workerId: 'wi', guard }).runDue();
    expect((await probeRow(hostProbe.id)).state).toBe('up');

    await owner.query(`update inventory_resources set status = 'deleted' where id = $1`, [hostId]);
    await t.container.availability.syncFromInventory();
    const gone = await probeRow(hostProbe.id);
    expect(gone.enabled).toBe(false);
    expect(gone.state).toBe('unknown');
    // Cannot be deleted by hand: it follows the inventory.
    expect((await inject(mgmt, 'DELETE', `/api/availability/probes/${hostProbe.id}`)).json().code).toBe('availability.automatic_probe');
    await owner.query(`update availability_probes set enabled = false where origin in ('inventory_host','inventory_ip','system_url')`);
  }, 60_000);
});
