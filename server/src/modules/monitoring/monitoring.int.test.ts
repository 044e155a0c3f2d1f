import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';
import { percentile } from './monitoring.metrics.js';
import { DEFAULT_RULES, loadMonitoringDemo } from './monitoring.demo.js';
import type { AlertTicketHook } from './monitoring.service.js';

let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let nodeA: string;
let nodeB: string;
let mgmt: Session;
let provAStaff: Session;
let unitA: Session;
let unitB: Session;
let sysAdmin: Session;
let unitAId: string;
let systemA: { id: string; systemNo: string; name: string };
const hosts: Array<{ resourceId: string; cloudHostId: string }> = [];

const SLOT = 5 * 60_000;
const HOUR = 3_600_000;
const inject = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
const beijing = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 19).replace('T', ' ');

/** Pushes and ingests one batch, then runs the rollup job's flush (the ingest only marks the touched buckets dirty). */
async function push(records: Array<Record<string, string>>, table = 'cloudHostMonitoring', nodeId = nodeA, opts: { flush?: boolean } = {}) {
  const res = await t.container.pushWriter.writeBatch({ providerOrgId: provA.id, nodeId, table, source: 'api', mode: 'partial', records });
  const [r] = await t.container.monitoring.store.ingestBatches([res.batchId]);
  if (opts.flush !== false) await t.container.monitoring.store.flushRollups();
  return { push: res, ingest: r! };
}
const rec = (host: string, at: number, cpu: number, extra: Record<string, string> = {}) => ({ cloudHostId: host, monitoredAt: beijing(at), internalIp: '10.0.0.1', cpuUsage: cpu.toFixed(2), memoryUsage: '40.00',
  standardStorageUsage: '50.00', highPerfStorageUsage: '10.00', staticStorageUsage: '10.00', localVideoStorageUsage: '0.00', offsiteVideoUsage: '0.00',
  diskWritePeak: '12.5', diskReadPeak: '30.1', bandwidthUpPeak: '5.2', bandwidthDownPeak: '8.4', ...extra });

async function seriesOf(cloudHostId: string): Promise<string> {
  return (await owner.query('select id::text from monitoring_series where object_key = $1 and provider_org_id = $2', [cloudHostId, provA.id])).rows[0].id as string;
}

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('监控服务商甲') });
  nodeA = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('MA').slice(0, 20), name: '监控甲节点', cloudType: 'service', providerOrgId: provA.id });
  nodeB = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('MB').slice(0, 20), name: '监控乙节点', cloudType: 'service', providerOrgId: provA.id });
  const a = await createOrg(t, { kind: 'user_unit', code: unique('MUA') });
  const b = await createOrg(t, { kind: 'user_unit', code: unique('MUB') });
  unitAId = a.id;
  const m = await createOrg(t, { kind: 'management_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
  provAStaff = (await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] })).session;
  unitA = (await signedInUser(t, { orgId: a.id, roles: ['unit_admin'] })).session;
  unitB = (await signedInUser(t, { orgId: b.id, roles: ['unit_admin'] })).session;
  const reg = await inject(unitA, 'POST', '/api/information-systems', {
    nodeId: nodeA, name: '监控甲单位门户', systemType: '公众服务', gradingLevel: '三级', operatingHours: '7*24小时', networkNature: '政务外网', contactName: '张三', contactMobile: '13812348000', contactEmail: 'abc@x.cn',
    serviceAudience: '公众', serviceScope: '全市', interconnection: '无', functionDescription: '办事', preApprovalStatus: '已审批', accessUrl: 'https://x.gov.cn', appVendor: '某公司',
  });
  expect(reg.statusCode, reg.body).toBe(201);
  systemA = reg.json();
  let batch = Math.floor(Math.random() * 1e9);
  for (let i = 0; i < 11; i++) {
    const id = unique('mvm-');
    const r = await owner.query(
      `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, system_no, system_id, unit_org_id, system_node_id, name, attributes, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
       values ('cloud_host', $1, $2, $3, $4, $5, $6, $2, $3, $7, 'active', now(), now(), now(), $8) returning id`,
      [provA.id, nodeA, id, systemA.systemNo, systemA.id, unitAId, JSON.stringify({ systemId: systemA.systemNo, cloudHostId: id }), batch++],
    );
    hosts.push({ resourceId: r.rows[0].id, cloudHostId: id });
  }
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('demo rules', () => {
  it('loads the default rule set once, every rule valid and shown as an expression', async () => {
    const first = await loadMonitoringDemo(t.container.deps.db);
    expect(first === DEFAULT_RULES.length || first === 0).toBe(true);
    expect(await loadMonitoringDemo(t.container.deps.db)).toBe(0);
    const rules = (await inject(mgmt, 'GET', '/api/monitoring/rules')).json().items as Array<{ name: string; expression: string; isGlobal: boolean }>;
    for (const r of DEFAULT_RULES) expect(rules.find((x) => x.name === r.name)).toMatchObject({ isGlobal: true });
    expect(rules.find((x) => x.name === 'CPU 使用率过高')!.expression).toBe('avg(cpu, 15m) > 90%, recovery ≤ 80%');
    // Units read the platform rules too (they apply to their hosts).
    expect(((await inject(unitB, 'GET', '/api/monitoring/rules')).json().items as unknown[]).length).toBeGreaterThanOrEqual(DEFAULT_RULES.length);
  });
});

describe('metric store', () => {
  it('stores raw points, hourly and daily rollups equal to the raw data, and a late batch corrects its buckets', async () => {
    const h = hosts[0]!.cloudHostId;
    const hourStart = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
    const values = [10, 20, 30, 40, 50, 60];
    const first = await push(values.map((v, i) => rec(h, hourStart + i * SLOT, v)));
    expect(first.ingest).toMatchObject({ points: 66, refused: 0, alreadyProcessed: false });
    const sid = await seriesOf(h);
    const hourly = async () => (await owner.query('select n, min, avg, max, p95 from monitoring_hourly where series_id = $1 and metric = 1 and hour = $2', [sid, new Date(hourStart)])).rows[0];
    expect(await hourly()).toMatchObject({ n: 6, min: 10, max: 60 });
    expect((await hourly()).avg).toBeCloseTo(35, 9);
    expect((await hourly()).p95).toBeCloseTo(percentile(values, 0.95)!, 9);
    // Late batch: the rest of the hour arrives later, one point re-pushed with a new value. The ingest only marks the
    // bucket dirty (the rollup is unchanged until the job's flush); a chart at hourly resolution flushes it itself.
    const late = [70, 80, 90, 100, 5, 15];
    await push([...late.map((v, i) => rec(h, hourStart + (6 + i) * SLOT, v)), rec(h, hourStart, 11)], 'cloudHostMonitoring', nodeA, { flush: false });
    expect((await owner.query('select count(*)::int as n from monitoring_dirty where series_id = $1 and hour = $2', [sid, new Date(hourStart)])).rows[0].n).toBe(1);
    const c7 = (await inject(mgmt, 'GET', `/api/monitoring/series/${sid}/chart?range=7d&metrics=cpu`)).json();
    expect(c7.metrics[0].points.find((p: { at: string }) => p.at === new Date(hourStart).toISOString())).toMatchObject({ n: 12, min: 5, max: 100 });
    expect((await owner.query('select count(*)::int as n from monitoring_dirty where series_id = $1', [sid])).rows[0].n).toBe(0);
    const all = [11, 20, 30, 40, 50, 60, ...late];
    const after = await hourly();
    expect(after).toMatchObject({ n: 12, min: 5, max: 100 });
    expect(after.avg).toBeCloseTo(all.reduce((a, b) => a + b, 0) / 12, 9);
    expect(after.p95).toBeCloseTo(percentile(all, 0.95)!, 9);
    // The raw points are the truth the rollup is checked against.
    const raw = (await owner.query('select count(*)::int as n, avg(value) as a from monitoring_points where series_id = $1 and metric = 1 and at >= $2 and at < $3', [sid, new Date(hourStart), new Date(hourStart + HOUR)])).rows[0];
    expect(raw.n).toBe(12);
    expect(raw.a).toBeCloseTo(after.avg, 9);
    const day = new Date(hourStart + 8 * HOUR).toISOString().slice(0, 10);
    const daily = (await owner.query(`select n, min, avg, max, p95 from monitoring_daily where series_id = $1 and metric = 1 and day = $2`, [sid, day])).rows[0];
    const rawDay = (await owner.query(`select count(*)::int as n, min(value) as mi, avg(value) as a, max(value) as ma from monitoring_points
      where series_id = $1 and metric = 1 and at >= ($2::date::timestamp at time zone 'Asia/Shanghai') and at < (($2::date + 1)::timestamp at time zone 'Asia/Shanghai')`, [sid, day])).rows[0];
    const maxHourlyP95 = (await owner.query(`select max(p95) as p from monitoring_hourly where series_id = $1 and metric = 1
      and hour >= ($2::date::timestamp at time zone 'Asia/Shanghai') and hour < (($2::date + 1)::timestamp at time zone 'Asia/Shanghai')`, [sid, day])).rows[0].p;
    expect(daily).toMatchObject({ n: rawDay.n, min: rawDay.mi, max: rawDay.ma });
    expect(daily.avg).toBeCloseTo(rawDay.a, 9);
    expect(daily.p95).toBeCloseTo(maxHourlyP95, 9);
    // The same batch processed again changes nothing; duplicates within a batch: the last one wins.
    expect((await t.container.monitoring.store.ingestBatches([first.push.batchId]))[0]).toMatchObject({ alreadyProcessed: true });
    await push([rec(h, hourStart + SLOT, 21), rec(h, hourStart + SLOT, 22)]);
    expect((await owner.query('select value from monitoring_points where series_id = $1 and metric = 1 and at = $2', [sid, new Date(hourStart + SLOT)])).rows[0].value).toBe(22);
  });

  it('a correction lowering an hour\'s maximum recomputes its day; a point off the 5-minute grid is rolled up from the raw points', async () => {
    const h = hosts[10]!.cloudHostId;
    const hourStart = Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR;
    await push([rec(h, hourStart, 30), rec(h, hourStart + SLOT, 99), rec(h, hourStart + 2 * SLOT, 40)]);
    const sid = await seriesOf(h);
    const day = new Date(hourStart + 8 * HOUR).toISOString().slice(0, 10);
    const truth = async (from: number, to: number) => (await owner.query(`select count(*)::int as n, min(value) as mi, avg(value) as a, max(value) as ma,
      percentile_cont(0.95) within group (order by value) as p from monitoring_points where series_id = $1 and metric = 1 and at >= $2 and at < $3`, [sid, new Date(from), new Date(to)])).rows[0];
    const dayStart = Date.parse(`${day}T00:00:00+08:00`);
    const check = async () => {
      const hr = (await owner.query('select n, min, avg, max, p95 from monitoring_hourly where series_id = $1 and metric = 1 and hour = $2', [sid, new Date(hourStart)])).rows[0];
      const raw = await truth(hourStart, hourStart + HOUR);
      expect(hr).toMatchObject({ n: raw.n, min: raw.mi, max: raw.ma });
      expect(hr.avg).toBeCloseTo(raw.a, 9);
      expect(hr.p95).toBeCloseTo(raw.p, 9);
      const d = (await owner.query('select n, min, avg, max, p95 from monitoring_daily where series_id = $1 and metric = 1 and day = $2', [sid, day])).rows[0];
      const rawDay = await truth(dayStart, dayStart + 24 * HOUR);
      const maxP95 = (await owner.query(`select max(p95) as p from monitoring_hourly where series_id = $1 and metric = 1 and hour >= $2 and hour < $3`, [sid, new Date(dayStart), new Date(dayStart + 24 * HOUR)])).rows[0].p;
      expect(d).toMatchObject({ n: rawDay.n, min: rawDay.mi, max: rawDay.ma });
      expect(d.avg).toBeCloseTo(rawDay.a, 9);
      expect(d.p95).toBeCloseTo(maxP95, 9);
      return { hr, d };
    };
    expect((await check()).hr).toMatchObject({ n: 3, max: 99 });
    // Re-pushed with a lower value: the hour's and the day's maximum fall (merging alone could not lower it).
    await push([rec(h, hourStart + SLOT, 35)]);
    expect((await check()).hr).toMatchObject({ n: 3, max: 40 });
    // A point between two slots: the bucket is recomputed from its raw points (4 points, one off the grid).
    await push([rec(h, hourStart + 2 * SLOT + 90_000, 12)]);
    expect((await check()).hr).toMatchObject({ n: 4, min: 12 });
    expect((await owner.query('select slots from monitoring_hourly where series_id = $1 and metric = 1 and hour = $2', [sid, new Date(hourStart)])).rows[0].slots).toBeNull();
    // Later on-grid points of that bucket keep it on the raw path.
    await push([rec(h, hourStart + 5 * SLOT, 77)]);
    expect((await check()).hr).toMatchObject({ n: 5, max: 77 });
  });

  it('refuses future, too old and over-100% values with reasons; keeps an unknown host unlinked', async () => {
    const h = hosts[1]!.cloudHostId;
    const now = Math.floor(Date.now() / SLOT) * SLOT;
    const stranger = unique('ghost-');
    const r = await push([
      rec(h, now + 60 * 60_000, 10),
      rec(h, now - 40 * 86_400_000, 10),
      rec(h, now - SLOT, 101),
      rec(stranger, now - SLOT, 12),
    ]);
    expect(r.push.accepted).toBeGreaterThan(0);
    expect(r.ingest.refused).toBe(3);
    expect(r.ingest.unmatchedHosts).toEqual([stranger]);
    const refusals = (await owner.query('select refusals from monitoring_batches where batch_id = $1', [r.push.batchId])).rows[0].refusals as Array<{ rule: string; index: number }>;
    expect(refusals.map((x) => x.rule).sort()).toEqual(['known_host', 'not_future', 'percent_0_100', 'within_retention']);
    const ghost = (await owner.query('select resource_id from monitoring_series where object_key = $1', [stranger])).rows[0];
    expect(ghost).toEqual({ resource_id: null });
  });

  it('charts pick the resolution; hostUtilisation reads the hourly rollups in scope', async () => {
    const sid = await seriesOf(hosts[0]!.cloudHostId);
    const c24 = await inject(mgmt, 'GET', `/api/monitoring/series/${sid}/chart?range=24h&metrics=cpu`);
    expect(c24.statusCode, c24.body).toBe(200);
    expect(c24.json()).toMatchObject({ resolution: 'raw', metrics: [{ metric: 'cpu' }] });
    expect(c24.json().metrics[0].points.length).toBe(12);
    const c7 = (await inject(mgmt, 'GET', `/api/monitoring/series/${sid}/chart?range=7d`)).json();
    expect(c7.resolution).toBe('hourly');
    expect((await inject(mgmt, 'GET', `/api/monitoring/series/${sid}/chart?range=90d`)).json().resolution).toBe('daily');
    expect((await inject(unitB, 'GET', `/api/monitoring/series/${sid}/chart?range=24h`)).statusCode).toBe(404);
    expect((await inject(unitA, 'GET', `/api/monitoring/series/${sid}/chart?range=24h`)).statusCode).toBe(200);
    expect((await inject(mgmt, 'GET', `/api/monitoring/series/${sid}/chart?range=24h&metrics=gpu`)).statusCode).toBe(400);
    const xlsx = await inject(mgmt, 'GET', `/api/monitoring/series/${sid}/chart/export?range=24h`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');

    const to = new Date(Math.floor(Date.now() / HOUR) * HOUR + HOUR);
    const from = new Date(to.getTime() - 30 * 86_400_000);
    const mine = await t.container.monitoring.hostUtilisation(systemContext(), { from, to });
    const u = mine.find((x) => x.resourceId === hosts[0]!.resourceId)!;
    expect(u).toMatchObject({ systemId: systemA.id, unitOrgId: unitAId, providerOrgId: provA.id, nodeId: nodeA, memAvg: 40, hoursInWindow: 720 });
    expect(u.hoursWithData).toBeGreaterThanOrEqual(1);
    expect(u.cpuAvg).not.toBeNull();
    const top = await inject(unitB, 'GET', '/api/monitoring/top?metric=cpu&period=24h');
    expect(top.json().items.find((x: { seriesId: string }) => x.seriesId === sid)).toBeUndefined();
    const topA = await inject(unitA, 'GET', '/api/monitoring/top?metric=cpu&period=24h');
    expect(topA.json().items.some((x: { seriesId: string }) => x.seriesId === sid)).toBe(true);
  });
});

describe('alert rules', () => {
  const rule = (over: Record<string, unknown>) => inject(mgmt, 'POST', '/api/monitoring/rules', { name: unique('规则'), kind: 'threshold', metric: 'cpu', threshold: 90, recovery: 80, windowMinutes: 15, severity: 'major', scopeKind: 'host', ...over });
  const alertsOf = async (ruleId: string, s: Session = mgmt) => (await inject(s, 'GET', `/api/monitoring/alerts?ruleId=${ruleId}`)).json().items as Array<Record<string, unknown>>;

  it('threshold with hysteresis: fires above 90, stays between 80 and 90, resolves at ≤ 80 with the duration; acknowledged in between; isolated per unit', async () => {
    const h = hosts[2]!;
    const created = await rule({ scopeId: h.resourceId });
    expect(created.statusCode, created.body).toBe(201);
    const r = created.json();
    expect(r.expression).toBe('avg(cpu, 15m) > 90%, recovery ≤ 80%');
    const base = Math.floor(Date.now() / SLOT) * SLOT - 2 * HOUR;
    const burst = (start: number, v: number) => push([0, 1, 2].map((i) => rec(h.cloudHostId, start + i * SLOT, v)));
    await burst(base, 95);
    const t1 = new Date(base + 3 * SLOT);
    const e1 = await t.container.monitoring.evaluate(t1, { ruleIds: [r.id] });
    expect(e1).toMatchObject({ fired: 1 });
    // A rerun (restart mid-cycle) neither duplicates the alert nor its notification.
    expect(await t.container.monitoring.evaluate(t1, { ruleIds: [r.id] })).toMatchObject({ fired: 0 });
    const list = await alertsOf(r.id);
    expect(list).toHaveLength(1);
    const alert = list[0]!;
    expect(alert).toMatchObject({ status: 'firing', severity: 'major', resourceId: h.resourceId, unitOrgId: unitAId, systemId: systemA.id });
    const notes = (await owner.query(`select count(*)::int as n from notifications where kind = 'monitoring.alert_fired' and link = $1`, [`/monitoring/alerts?id=${alert.id}`])).rows[0].n;
    expect(notes).toBeGreaterThan(0);
    // Isolation: unit B sees nothing of it (404), unit A and the provider do; the three admins see nothing.
    expect((await inject(unitB, 'GET', `/api/monitoring/alerts/${alert.id}`)).statusCode).toBe(404);
    expect(await alertsOf(r.id, unitB)).toHaveLength(0);
    expect((await inject(unitA, 'GET', `/api/monitoring/alerts/${alert.id}`)).statusCode).toBe(200);
    expect(await alertsOf(r.id, provAStaff)).toHaveLength(1);
    expect((await inject(sysAdmin, 'GET', `/api/monitoring/alerts?ruleId=${r.id}`)).statusCode).toBe(403);
    expect((await inject(unitB, 'POST', `/api/monitoring/alerts/${alert.id}/acknowledge`, { comment: '看看' })).statusCode).toBe(404);
    const ack = await inject(unitA, 'POST', `/api/monitoring/alerts/${alert.id}/acknowledge`, { comment: '正在扩容' });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', ackComment: '正在扩容' });
    expect((await inject(unitA, 'POST', `/api/monitoring/alerts/${alert.id}/acknowledge`, { comment: '再次' })).statusCode).toBe(409);
    // 85: between recovery and threshold — stays open.
    await burst(base + 3 * SLOT, 85);
    await t.container.monitoring.evaluate(new Date(base + 6 * SLOT), { ruleIds: [r.id] });
    expect((await alertsOf(r.id))[0]).toMatchObject({ status: 'acknowledged' });
    // 70: recovered.
    await burst(base + 6 * SLOT, 70);
    const e3 = await t.container.monitoring.evaluate(new Date(base + 9 * SLOT), { ruleIds: [r.id] });
    expect(e3.resolved).toBe(1);
    const resolved = (await inject(mgmt, 'GET', `/api/monitoring/alerts/${alert.id}`)).json();
    expect(resolved).toMatchObject({ status: 'resolved', durationSeconds: 6 * 300 });
    // (The evaluations ran at simulated past instants, the acknowledgement now: compare the set.)
    expect(resolved.events.map((e: { action: string }) => e.action).sort()).toEqual(['acknowledged', 'fired', 'resolved']);
    const audits = (await owner.query(`select action from audit_log where target_id = $1 order by seq`, [alert.id])).rows.map((x) => x.action);
    expect(audits).toEqual(['monitoring.alert_fire', 'monitoring.alert_acknowledge', 'monitoring.alert_resolve']);
  });

  it('a maintenance window suppresses new alerts in its scope', async () => {
    const h = hosts[3]!;
    const r = (await rule({ scopeId: h.resourceId })).json();
    const base = Math.floor(Date.now() / SLOT) * SLOT - HOUR;
    await push([0, 1, 2].map((i) => rec(h.cloudHostId, base + i * SLOT, 99)));
    const w = await inject(mgmt, 'POST', '/api/monitoring/maintenance', { scopeKind: 'host', scopeId: h.resourceId, startsAt: new Date(base - HOUR).toISOString(), endsAt: new Date(base + HOUR).toISOString(), reason: '扩容变更' });
    expect(w.statusCode, w.body).toBe(201);
    const e = await t.container.monitoring.evaluate(new Date(base + 3 * SLOT), { ruleIds: [r.id] });
    expect(e).toMatchObject({ fired: 0, suppressed: 1 });
    // After the window the same condition fires.
    await push([0, 1, 2].map((i) => rec(h.cloudHostId, base + HOUR + i * SLOT, 99)));
    expect(await t.container.monitoring.evaluate(new Date(base + HOUR + 3 * SLOT), { ruleIds: [r.id] })).toMatchObject({ fired: 1 });
  });

  it('a maintenance window is changed and cancelled (then it suppresses nothing); another provider cannot touch it', async () => {
    const h = hosts[9]!;
    const r = (await rule({ scopeId: h.resourceId })).json();
    const base = Math.floor(Date.now() / SLOT) * SLOT - HOUR;
    await push([0, 1, 2].map((i) => rec(h.cloudHostId, base + i * SLOT, 99)));
    const body = { scopeKind: 'host', scopeId: h.resourceId, startsAt: new Date(base - 3 * HOUR).toISOString(), endsAt: new Date(base - 2 * HOUR).toISOString(), reason: '计划变更' };
    const w = (await inject(mgmt, 'POST', '/api/monitoring/maintenance', body)).json();
    expect(w.abilities).toEqual({ update: true, cancel: true });
    // Changed to cover the evaluation instant.
    const put = await inject(mgmt, 'PUT', `/api/monitoring/maintenance/${w.id}`, { ...body, endsAt: new Date(base + HOUR).toISOString(), reason: '延长窗口' });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ reason: '延长窗口', endsAt: new Date(base + HOUR).toISOString(), cancelledAt: null });
    const bad = await inject(mgmt, 'PUT', `/api/monitoring/maintenance/${w.id}`, { ...body, endsAt: body.startsAt });
    expect(bad.json().details.issues[0]).toMatchObject({ field: 'body.endsAt', rule: 'after_start' });
    expect(await t.container.monitoring.evaluate(new Date(base + 3 * SLOT), { ruleIds: [r.id] })).toMatchObject({ fired: 0, suppressed: 1 });
    const provAdmin = (await signedInUser(t, { orgId: (await createOrg(t, { kind: 'cloud_provider' })).id, roles: ['provider_admin'] })).session;
    expect((await inject(provAdmin, 'POST', `/api/monitoring/maintenance/${w.id}/cancel`)).statusCode).toBe(404);
    expect((await inject(provAdmin, 'PUT', `/api/monitoring/maintenance/${w.id}`, body)).statusCode).toBe(404);
    const cancel = await inject(mgmt, 'POST', `/api/monitoring/maintenance/${w.id}/cancel`);
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json().cancelledAt).not.toBeNull();
    expect(cancel.json().abilities).toEqual({ update: false, cancel: false });
    expect((await inject(mgmt, 'POST', `/api/monitoring/maintenance/${w.id}/cancel`)).json().code).toBe('monitoring.maintenance_cancelled');
    expect(await t.container.monitoring.evaluate(new Date(base + 3 * SLOT), { ruleIds: [r.id] })).toMatchObject({ fired: 1, suppressed: 0 });
    const audits = (await owner.query(`select action from audit_log where target_id = $1 order by seq`, [w.id])).rows.map((x) => x.action);
    expect(audits).toEqual(['monitoring.maintenance_create', 'monitoring.maintenance_update', 'monitoring.maintenance_cancel']);
    // Rules carry what the caller may do: a platform rule is not the provider's to change.
    const provRules = (await inject(provAdmin, 'GET', '/api/monitoring/rules')).json().items as Array<{ isGlobal: boolean; abilities: { update: boolean } }>;
    expect(provRules.filter((x) => x.isGlobal).every((x) => !x.abilities.update)).toBe(true);
    // Disable a rule through PUT (enabled false): it is not evaluated.
    const off = await inject(mgmt, 'PUT', `/api/monitoring/rules/${r.id}`, { name: r.name, kind: 'threshold', metric: 'cpu', threshold: 90, recovery: 80, windowMinutes: 15, severity: 'major', scopeKind: 'host', scopeId: h.resourceId, enabled: false });
    expect(off.json().enabled).toBe(false);
    expect(await t.container.monitoring.evaluate(new Date(base + 3 * SLOT), { ruleIds: [r.id] })).toMatchObject({ rules: 0 });
  });

  it('no-data fires when a host stops reporting and resolves when it reports again', async () => {
    const h = hosts[1]!;
    const r = (await rule({ kind: 'no_data', threshold: null, recovery: null, windowMinutes: 20, severity: 'critical', scopeId: h.resourceId })).json();
    const last = Math.floor(Date.now() / SLOT) * SLOT - 3 * HOUR;
    await push([rec(h.cloudHostId, last, 30)]);
    expect(await t.container.monitoring.evaluate(new Date(last + 10 * 60_000), { ruleIds: [r.id] })).toMatchObject({ fired: 0 });
    expect(await t.container.monitoring.evaluate(new Date(last + 30 * 60_000), { ruleIds: [r.id] })).toMatchObject({ fired: 1 });
    await push([rec(h.cloudHostId, last + 35 * 60_000, 30)]);
    expect(await t.container.monitoring.evaluate(new Date(last + 36 * 60_000), { ruleIds: [r.id] })).toMatchObject({ resolved: 1 });
  });

  it('forecast: a disk filling up fires when the fitted line reaches 95% within the horizon', async () => {
    const h = hosts[4]!;
    const r = (await rule({ kind: 'forecast', metric: 'disk_standard', threshold: 95, recovery: 336, windowMinutes: 24 * 60, horizonHours: 168, severity: 'minor', scopeId: h.resourceId })).json();
    expect(r.expression).toBe('timeleft(disk_standard, 24h, 95%) < 168h');
    const start = Math.floor(Date.now() / HOUR) * HOUR - 12 * HOUR;
    // +1 %/h from 60 %: 95 % in about 23 h.
    await push(Array.from({ length: 12 }, (_, i) => rec(h.cloudHostId, start + i * HOUR, 20, { standardStorageUsage: (60 + i).toFixed(2) })));
    const e = await t.container.monitoring.evaluate(new Date(start + 12 * HOUR), { ruleIds: [r.id] });
    expect(e.fired).toBe(1);
    const a = (await alertsOf(r.id))[0]!;
    expect(a.value as number).toBeGreaterThan(20);
    expect(a.value as number).toBeLessThan(26);
  });

  it('rate of change fires on a jump; an unacknowledged alert escalates once after the rule\'s delay', async () => {
    const h = hosts[5]!;
    const r = (await rule({ kind: 'rate', threshold: 30, recovery: 10, windowMinutes: 15, escalateAfterMinutes: 5, scopeId: h.resourceId })).json();
    expect(r.expression).toBe('delta(cpu, 15m) > 30%, recovery ≤ 10%');
    const base = Math.floor(Date.now() / SLOT) * SLOT - 2 * HOUR;
    await push([rec(h.cloudHostId, base, 10), rec(h.cloudHostId, base + SLOT, 20), rec(h.cloudHostId, base + 2 * SLOT, 60), rec(h.cloudHostId, base + 3 * SLOT, 61)]);
    expect(await t.container.monitoring.evaluate(new Date(base + 2 * SLOT + 1000), { ruleIds: [r.id] })).toMatchObject({ fired: 1, escalated: 0 });
    expect(await t.container.monitoring.evaluate(new Date(base + 3 * SLOT + 1000), { ruleIds: [r.id] })).toMatchObject({ fired: 0, escalated: 1 });
    expect(await t.container.monitoring.evaluate(new Date(base + 3 * SLOT + 2000), { ruleIds: [r.id] })).toMatchObject({ escalated: 0 });
    const a = (await alertsOf(r.id))[0]!;
    const events = (await inject(mgmt, 'GET', `/api/monitoring/alerts/${a.id}`)).json().events.map((e: { action: string }) => e.action);
    expect(events).toEqual(['fired', 'escalated']);
  });

  it('refuses a rule on a missing metric, a scope the author may not see, and a recovery above the threshold', async () => {
    expect((await rule({ metric: 'gpu', scopeId: hosts[0]!.resourceId })).json()).toMatchObject({ code: 'monitoring.invalid_rule' });
    expect((await rule({ recovery: 95, scopeId: hosts[0]!.resourceId })).json().details.issues[0]).toMatchObject({ field: 'body.recovery', rule: 'hysteresis' });
    expect((await rule({ threshold: 120, recovery: 100, scopeId: hosts[0]!.resourceId })).json().details.issues[0]).toMatchObject({ rule: 'percent_0_100' });
    const provAdmin = (await signedInUser(t, { orgId: (await createOrg(t, { kind: 'cloud_provider' })).id, roles: ['provider_admin'] })).session;
    const other = await inject(provAdmin, 'POST', '/api/monitoring/rules', { name: '越权', kind: 'threshold', metric: 'cpu', threshold: 90, severity: 'major', scopeKind: 'host', scopeId: hosts[0]!.resourceId });
    expect(other.statusCode).toBe(400);
    expect(other.json().code).toBe('monitoring.scope_not_visible');
    expect((await inject(provAdmin, 'POST', '/api/monitoring/rules', { name: '全部', kind: 'threshold', metric: 'cpu', threshold: 90, severity: 'major', scopeKind: 'all' })).json().code).toBe('monitoring.scope_not_visible');
  });
});

describe('alert → service-desk ticket', () => {
  const rule = (over: Record<string, unknown>) => inject(mgmt, 'POST', '/api/monitoring/rules', { name: unique('工单规则'), kind: 'threshold', metric: 'cpu', threshold: 90, recovery: 80, windowMinutes: 15, severity: 'major', scopeKind: 'host', ...over });
  const ticketsOf = async (alertId: string) => (await owner.query(`select id, status, source, severity, restored_at, provider_id, system_id, unit_id from sd_tickets where source = 'alert' and source_id = $1`, [alertId])).rows;

  it('a 重要 alert opens one ticket while it lasts (a failed call is retried), its resolution clears it; a 一般 alert opens none', async () => {
    const h = hosts[6]!;
    const r = (await rule({ scopeId: h.resourceId })).json();
    const minor = (await rule({ scopeId: h.resourceId, severity: 'minor' })).json();
    const base = Math.floor(Date.now() / SLOT) * SLOT - 2 * HOUR;
    await push([0, 1, 2].map((i) => rec(h.cloudHostId, base + i * SLOT, 97)));
    // The desk is down for the first cycle: the alert fires, its ticket waits.
    const svc = t.container.monitoring;
    // The hook container.ts wired (the real service desk), kept to put back.
    const wired = (svc as unknown as { ticketHook: AlertTicketHook | null }).ticketHook;
    expect(wired).not.toBeNull();
    svc.setTicketHook(async () => { throw new Error('desk down'); });
    try {
      expect(await svc.evaluate(new Date(base + 3 * SLOT), { ruleIds: [r.id, minor.id] })).toMatchObject({ fired: 2, tickets: 0 });
    } finally {
      svc.setTicketHook(wired!);
    }
    const alert = (await inject(mgmt, 'GET', `/api/monitoring/alerts?ruleId=${r.id}`)).json().items[0];
    expect(alert.ticketId).toBeNull();
    expect(await ticketsOf(alert.id)).toHaveLength(0);
    expect(await svc.evaluate(new Date(base + 3 * SLOT + 60_000), { ruleIds: [r.id, minor.id] })).toMatchObject({ fired: 0, tickets: 1 });
    // Later cycles while it lasts: still one ticket.
    expect(await svc.evaluate(new Date(base + 3 * SLOT + 120_000), { ruleIds: [r.id] })).toMatchObject({ tickets: 0 });
    const open = await ticketsOf(alert.id);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ severity: 'major', restored_at: null, provider_id: provA.id, system_id: systemA.id, unit_id: unitAId });
    expect((await inject(mgmt, 'GET', `/api/monitoring/alerts/${alert.id}`)).json().ticketId).toBe(open[0].id);
    const minorAlert = (await inject(mgmt, 'GET', `/api/monitoring/alerts?ruleId=${minor.id}`)).json().items[0];
    expect(await ticketsOf(minorAlert.id)).toHaveLength(0);
    // Recovery: the ticket is told (restore time recorded), not a second one.
    await push([0, 1, 2].map((i) => rec(h.cloudHostId, base + (3 + i) * SLOT, 40)));
    expect(await svc.evaluate(new Date(base + 6 * SLOT), { ruleIds: [r.id] })).toMatchObject({ resolved: 1, tickets: 1 });
    const after = await ticketsOf(alert.id);
    expect(after).toHaveLength(1);
    expect(after[0].restored_at).not.toBeNull();
    expect((await owner.query('select ticket_state from monitoring_alerts where id = $1', [alert.id])).rows[0].ticket_state).toBe('cleared');
    expect(await svc.evaluate(new Date(base + 6 * SLOT + 60_000), { ruleIds: [r.id] })).toMatchObject({ tickets: 0 });
  });
});

describe('flap suppression', () => {
  it('more than 4 transitions within an hour mark the object flapping: no notification, audited; once stable the open alert is told', async () => {
    const h = hosts[7]!;
    const r = (await inject(mgmt, 'POST', '/api/monitoring/rules', { name: unique('抖动规则'), kind: 'threshold', metric: 'cpu', threshold: 90, recovery: 80, windowMinutes: 5, severity: 'major', scopeKind: 'host', scopeId: h.resourceId })).json();
    const base = Math.floor(Date.now() / SLOT) * SLOT - 3 * HOUR;
    const svc = t.container.monitoring;
    const step = async (i: number, v: number) => {
      await push([rec(h.cloudHostId, base + i * SLOT, v)]);
      return svc.evaluate(new Date(base + i * SLOT + 1000), { ruleIds: [r.id] });
    };
    // fire, resolve, fire, resolve: 4 transitions — still plain alerts, each notified.
    expect(await step(0, 95)).toMatchObject({ fired: 1, flapping: 0 });
    expect(await step(1, 70)).toMatchObject({ resolved: 1 });
    expect(await step(2, 95)).toMatchObject({ fired: 1, flapping: 0 });
    expect(await step(3, 70)).toMatchObject({ resolved: 1, flapping: 0 });
    // The 5th transition within the hour: flapping.
    expect(await step(4, 95)).toMatchObject({ fired: 1, flapping: 1 });
    const list = (await inject(mgmt, 'GET', `/api/monitoring/alerts?ruleId=${r.id}&status=open`)).json().items;
    expect(list).toHaveLength(1);
    const a = list[0];
    expect(a.flapping).toBe(true);
    const notes = async () => (await owner.query(`select count(*)::int as n from notifications where kind = 'monitoring.alert_fired' and link = $1`, [`/monitoring/alerts?id=${a.id}`])).rows[0].n as number;
    expect(await notes()).toBe(0);
    expect((await owner.query(`select count(*)::int as n from audit_log where action = 'monitoring.flap_start' and target_id = $1`, [a.id])).rows[0].n).toBe(1);
    expect((await owner.query(`select count(*)::int as n from sd_tickets where source = 'alert' and source_id = $1`, [a.id])).rows[0].n).toBe(0);
    // Still toggling within the window: still held back (3 transitions in the last hour > 2).
    expect(await step(13, 95)).toMatchObject({ fired: 0, flapping: 0 });
    expect(await notes()).toBe(0);
    // Stable: the condition lasted; the older transitions left the window (1 ≤ ⌊4/2⌋) — the alert is told now.
    await step(15, 96);
    const detail = (await inject(mgmt, 'GET', `/api/monitoring/alerts/${a.id}`)).json();
    expect(detail.flapping).toBe(false);
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['fired', 'flapping', 'stable']);
    expect(await notes()).toBeGreaterThan(0);
    expect((await owner.query(`select count(*)::int as n from audit_log where action = 'monitoring.flap_end' and target_id = $1`, [r.id])).rows[0].n).toBe(1);
    expect((await owner.query(`select ended_at is not null as ended from monitoring_flapping where rule_id = $1`, [r.id])).rows).toEqual([{ ended: true }]);
    // And its ticket opens like any 重要 alert's.
    expect((await owner.query(`select count(*)::int as n from sd_tickets where source = 'alert' and source_id = $1`, [a.id])).rows[0].n).toBe(1);
  });
});

describe('planned work as maintenance', () => {
  it('an approved planned change covering the object holds its alerts back; a failing source does not stop alerting', async () => {
    const h = hosts[8]!;
    const r = (await inject(mgmt, 'POST', '/api/monitoring/rules', { name: unique('变更规则'), kind: 'threshold', metric: 'cpu', threshold: 90, recovery: 80, windowMinutes: 15, severity: 'major', scopeKind: 'host', scopeId: h.resourceId })).json();
    const base = Math.floor(Date.now() / SLOT) * SLOT - 2 * HOUR;
    await push([0, 1, 2].map((i) => rec(h.cloudHostId, base + i * SLOT, 99)));
    let windows: Array<{ changeId: string; title: string; providerOrgId: string | null; nodeId: string | null; systemIds: string[]; hostIds: string[]; startsAt: Date; endsAt: Date }> = [];
    const asked: Array<{ from: Date; to: Date }> = [];
    let fail = false;
    const svc = t.container.monitoring;
    svc.setPlannedWorkSource({
      async plannedMaintenanceWindows(_ctx, range) {
        asked.push(range);
        if (fail) throw new Error('operations down');
        return windows;
      },
    });
    try {
      const at = new Date(base + 3 * SLOT);
      // A change on another node, and one that ended before: neither covers the host.
      windows = [
        { changeId: 'c-other', title: '乙节点扩容', providerOrgId: provA.id, nodeId: nodeB, systemIds: [], hostIds: [], startsAt: new Date(base - HOUR), endsAt: new Date(base + HOUR) },
        { changeId: 'c-past', title: '已结束', providerOrgId: null, nodeId: null, systemIds: [], hostIds: [h.resourceId], startsAt: new Date(base - 2 * HOUR), endsAt: new Date(base) },
      ];
      windows.push({ changeId: 'c-1', title: '甲单位门户升级', providerOrgId: provA.id, nodeId: nodeA, systemIds: [systemA.id], hostIds: [], startsAt: new Date(base - HOUR), endsAt: new Date(base + HOUR) });
      expect(await svc.evaluate(at, { ruleIds: [r.id] })).toMatchObject({ fired: 0, suppressed: 1 });
      expect(asked.at(-1)!.from).toEqual(at);
      windows = windows.slice(0, 2);
      fail = true;
      expect(await svc.evaluate(at, { ruleIds: [r.id] })).toMatchObject({ fired: 1, suppressed: 0 });
    } finally {
      windows = [];
      fail = false;
    }
  });
});

describe('egress link usage, UPS and the machine-room environment', () => {
  const ups = (room: string, loc: string, supply: string, extra: Record<string, string> = {}) => ({ machineRoom: room, location: loc, inputFrequency: '50.00', ambientTemperature: '23.00', ambientHumidity: '45.00',
    outputFrequency: '50.00', batteryTotalVoltage: '545.00', batteryTotalCurrent: '2.10', batteryTemperature: '25.00', batteryBackupTime: '30.00', batteryRemainingCapacity: '99.00',
    batteryTotalCurrent2: '2.10', upsPowerSupplyStatus: supply, upsRunStatus: '正常', batteryRunStatus: '浮充', mainsInputAlarmStatus: '正常', batteryAlarmStatus: '正常', ...extra });

  const code4 = () => Array.from({ length: 4 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
  const room = code4();
  const room2 = code4();
  beforeAll(async () => {
    await t.container.directory.createRoom(systemContext(), nodeA, { code: room, name: '监控甲机房' });
    await t.container.directory.createRoom(systemContext(), nodeA, { code: room2, name: '监控乙机房' });
  });

  it('turns egress peaks into link usage against the links\' bandwidth and alerts on it', async () => {
    let providerCode = '';
    for (let i = 0; i < 5 && !providerCode; i++) {
      const c = code4();
      const res = await t.app.inject({ method: 'PUT', url: `/api/ingest/code-tables/cloudProvider/${c}`, headers: mgmt.headers, payload: { labelZh: '监控服务商甲', orgId: provA.id } });
      if (res.statusCode < 300) providerCode = c;
    }
    expect(providerCode).not.toBe('');
    const links = await push([
      { networkType: 'INET', cloudProvider: providerCode, machineRoom: room, carrier: '电信', ipAddressOrRange: '1.2.3.0/28', primaryLinkBandwidth: '600.00', backupLinkBandwidth: '100.00' },
      { networkType: 'INET', cloudProvider: providerCode, machineRoom: room2, carrier: '联通', ipAddressOrRange: '5.6.7.0/28', primaryLinkBandwidth: '400.00', backupLinkBandwidth: '100.00' },
    ], 'platformNetworkAccessIp');
    expect(links.push.accepted, JSON.stringify(links.push)).toBe(2);
    expect((await owner.query('select sum(primary_mbps)::int as bw from monitoring_links where provider_org_id = $1 and network_type = $2', [provA.id, 'INET'])).rows[0].bw).toBe(1000);
    const base = Math.floor(Date.now() / SLOT) * SLOT - HOUR;
    const egress = (at: number, up: string, down: string, type = 'INET') => ({ systemId: systemA.systemNo, networkType: type, monitoredAt: beijing(at), bandwidthUpPeak: up, bandwidthDownPeak: down });
    // 1000 Mbps of links: down 900 → 90 %; a network type without links gets no usage point (a gap, not a guess).
    await push([0, 1, 2].map((i) => egress(base + i * SLOT, '100', '900')).concat([egress(base, '10', '20', 'ZXWL')]), 'appNetworkEgress');
    const sid = (await owner.query(`select id::text from monitoring_series where provider_org_id = $1 and kind = 'system' and object_key = $2`, [provA.id, `${systemA.systemNo}/INET`])).rows[0].id;
    const usage = (await owner.query('select value from monitoring_points where series_id = $1 and metric = 22 order by at', [sid])).rows.map((r) => r.value);
    expect(usage).toEqual([90, 90, 90]);
    const other = (await owner.query(`select count(*)::int as n from monitoring_points p join monitoring_series s on s.id = p.series_id where s.provider_org_id = $1 and s.object_key = $2 and p.metric = 22`, [provA.id, `${systemA.systemNo}/ZXWL`])).rows[0].n;
    expect(other).toBe(0);
    const rp = (await inject(mgmt, 'POST', '/api/monitoring/rules', { name: unique('出口'), kind: 'threshold', metric: 'egress_usage', threshold: 80, recovery: 70, windowMinutes: 15, severity: 'major', scopeKind: 'provider', scopeId: provA.id })).json();
    const e = await t.container.monitoring.evaluate(new Date(base + 3 * SLOT), { ruleIds: [rp.id] });
    expect(e.fired).toBe(1);
    const a = (await inject(mgmt, 'GET', `/api/monitoring/alerts?ruleId=${rp.id}`)).json().items.find((x: { seriesId: string }) => x.seriesId === sid);
    expect(a.message).toContain('出口链路使用率');
    // Egress series per information system: the unit sees its own system's egress (series list, chart), another unit nothing.
    const mine = (await inject(unitA, 'GET', '/api/monitoring/series?kind=system')).json().items as Array<{ id: string; systemName: string | null }>;
    expect(mine.map((x) => x.id)).toContain(sid);
    expect(mine.find((x) => x.id === sid)!.systemName).toBe(systemA.name);
    expect((await owner.query('select system_id::text, unit_org_id::text from monitoring_series where id = $1', [sid])).rows[0]).toEqual({ system_id: systemA.id, unit_org_id: unitAId });
    const chart = await inject(unitA, 'GET', `/api/monitoring/series/${sid}/chart?range=24h`);
    expect(chart.statusCode, chart.body).toBe(200);
    expect(chart.json().metrics.find((m: { metric: string }) => m.metric === 'egress_usage').points.map((p: { avg: number }) => p.avg)).toEqual([90, 90, 90]);
    expect(((await inject(unitB, 'GET', '/api/monitoring/series?kind=system')).json().items as Array<{ id: string }>).map((x) => x.id)).not.toContain(sid);
    expect((await inject(unitB, 'GET', `/api/monitoring/series/${sid}/chart?range=24h`)).statusCode).toBe(404);
    expect(((await inject(unitB, 'GET', `/api/monitoring/alerts?ruleId=${rp.id}`)).json().items as unknown[]).length).toBe(0);
    expect(((await inject(unitA, 'GET', `/api/monitoring/alerts?ruleId=${rp.id}`)).json().items as Array<{ seriesId: string }>).map((x) => x.seriesId)).toContain(sid);
  });

  it('UPS on battery and a cold room fire; the environment view flags them against 23 ℃ ± 1 ℃ / 40–60 %RH, providers only', async () => {
    const res = await push([ups(room, 'UPS-1', '电池供电'), ups(room, 'UPS-2', '奇怪的状态')], 'ups');
    expect(res.push.accepted, JSON.stringify(res.push)).toBe(2);
    const refusals = (await owner.query('select refusals from monitoring_batches where batch_id = $1', [res.push.batchId])).rows[0].refusals as Array<{ rule: string; field: string; value: string }>;
    expect(refusals).toEqual([expect.objectContaining({ field: 'upsPowerSupplyStatus', rule: 'known_status', value: '奇怪的状态' })]);
    await push([{ machineRoom: room, location: 'A1', temperature: '20.50', humidity: '45.00' }], 'temperatureHumiditySensor');
    const now = new Date(Date.now() + 60_000);
    const ruleOf = async (metric: string, op: 'gt' | 'lt', threshold: number, recovery: number) =>
      (await inject(mgmt, 'POST', '/api/monitoring/rules', { name: unique('环控'), kind: 'threshold', metric, op, threshold, recovery, windowMinutes: 10, severity: 'critical', scopeKind: 'provider', scopeId: provA.id })).json();
    const onBattery = await ruleOf('ups_on_battery', 'gt', 0.5, 0.5);
    const cold = await ruleOf('temperature', 'lt', 22, 22.5);
    expect(onBattery.expression).toBe('avg(ups_on_battery, 10m) > 0.5');
    await t.container.monitoring.evaluate(now, { ruleIds: [onBattery.id, cold.id] });
    const labels = async (ruleId: string) => ((await inject(mgmt, 'GET', `/api/monitoring/alerts?ruleId=${ruleId}`)).json().items as Array<{ objectLabel: string }>).map((x) => x.objectLabel).sort();
    expect(await labels(onBattery.id)).toEqual([`${room}/UPS-1`]);
    expect(await labels(cold.id)).toEqual([`${room}/A1`]);
    const view = await inject(provAStaff, 'GET', '/api/monitoring/environment');
    expect(view.statusCode, view.body).toBe(200);
    const items = view.json().items as Array<{ machineRoom: string; location: string; values: Record<string, number | null>; issues: string[] }>;
    const u1 = items.find((x) => x.machineRoom === room && x.location === 'UPS-1')!;
    expect(u1.values).toMatchObject({ ups_on_battery: 1, ups_battery_capacity: 99, ups_backup_time: 30, ups_alarm: 0 });
    expect(u1.issues).toEqual(['ups_on_battery']);
    expect(items.find((x) => x.machineRoom === room && x.location === 'A1')!.issues).toEqual(['temperature_low']);
    expect(view.json().limits).toEqual({ temperature: { min: 22, max: 24 }, humidity: { min: 40, max: 60 } });
    expect(((await inject(unitA, 'GET', '/api/monitoring/environment')).json().items as unknown[]).length).toBe(0);
    const xlsx = await inject(mgmt, 'GET', '/api/monitoring/environment/export');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });
});

describe('capacity', () => {
  it('opens a warning above 80% with a deadline 7 natural days later, closes it in time on an expansion, flags overdue and over-commit', async () => {
    const cap = async (node: string, room: string, attrs: Record<string, string>) =>
      owner.query(
        `insert into inventory_capacity (provider_org_id, node_id, machine_room, attributes, reported_at, last_batch_id) values ($1, $2, $3, $4, now(), 1)
         on conflict (provider_org_id, node_id, machine_room) do update set attributes = excluded.attributes`,
        [provA.id, node, room, JSON.stringify(attrs)],
      );
    await cap(nodeA, '机房1', { cpuTotal: '100', cpuAllocated: '85', memoryTotal: '1000', memoryAllocated: '500' });
    await cap(nodeB, '机房2', { cpuTotal: '100', cpuAllocated: '50', memoryTotal: '1000', memoryAllocated: '1200' });
    const svc = t.container.monitoring;
    await svc.evaluateCapacity('2026-11-28');
    const w = (await owner.query(`select resource, status, to_char(deadline, 'YYYY-MM-DD') as deadline from monitoring_capacity_warnings where node_id = $1`, [nodeA])).rows;
    expect(w).toEqual([{ resource: 'cpuCores', status: 'open', deadline: '2026-12-05' }]);
    // Node B: memory allocated > physical — a warning (120 %) and the over-commit flag.
    const view = await inject(provAStaff, 'GET', '/api/monitoring/capacity');
    expect(view.statusCode, view.body).toBe(200);
    const memB = view.json().items.find((x: { nodeId: string; resource: string }) => x.nodeId === nodeB && x.resource === 'memoryGb');
    expect(memB).toMatchObject({ overCommitted: true, ratio: 1.2 });
    // Expansion within the deadline on node A: total 100 → 120.
    await cap(nodeA, '机房1', { cpuTotal: '120', cpuAllocated: '85', memoryTotal: '1000', memoryAllocated: '500' });
    await svc.evaluateCapacity('2026-12-03');
    const closed = (await owner.query(`select status, closed_in_time, to_char(closed_on, 'YYYY-MM-DD') as closed_on from monitoring_capacity_warnings where node_id = $1`, [nodeA])).rows[0];
    expect(closed).toEqual({ status: 'expanded', closed_in_time: true, closed_on: '2026-12-03' });
    const summary = await svc.capacityWarningsSummary(systemContext(), { from: new Date('2026-11-01T00:00:00+08:00'), to: new Date('2026-12-01T00:00:00+08:00') });
    // Node B's memory warning (opened 11-28, deadline 12-05, still open now) is overdue.
    expect(summary.find((s) => s.providerOrgId === provA.id)).toEqual({ providerOrgId: provA.id, opened: 2, closedInTime: 1, overdue: 1 });
    // Unit B sees no provider capacity.
    expect((await inject(unitB, 'GET', '/api/monitoring/capacity')).json().items.filter((x: { nodeId: string }) => x.nodeId === nodeA)).toHaveLength(0);
    const xlsx = await inject(mgmt, 'GET', '/api/monitoring/capacity/export');
    expect(xlsx.statusCode).toBe(200);
  });
});

describe('/metrics', () => {
  it('answers 404 without a configured token, 401 with a wrong one, the Prometheus text with the right one', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    const t2 = await createTestApp({ metricsToken: 'test-metrics-token' });
    try {
      await t2.app.inject({ method: 'GET', url: '/api/health' });
      expect((await t2.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
      const ok = await t2.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer test-metrics-token' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['content-type']).toContain('text/plain');
      expect(ok.body).toMatch(/zhengyun_http_request_duration_seconds_bucket\{method="GET",route="\/api\/health",status="2xx",le="0.005"\} \d+/);
      expect(ok.body).toMatch(/zhengyun_db_pool_connections\{state="total"\} \d+/);
      expect(ok.body).toMatch(/zhengyun_alert_evaluation_seconds [\d.]+/);
      expect(ok.body).toMatch(/zhengyun_monitoring_series \d+/);
    } finally {
      await t2.close();
    }
  });
});

describe('TopN from the rollups', () => {
  it('7 d and 30 d read whole Beijing days from the daily rollups and the edge hours from the hourly ones: the same TopN as hourly only', async () => {
    const node = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('MT').slice(0, 20), name: 'TopN 节点', cloudType: 'service', providerOrgId: provA.id });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await owner.query(`insert into monitoring_series (kind, object_key, provider_org_id, node_id, label, first_at, last_at) values ('host', $1, $2, $3, $1, now() - interval '31 days', now()) returning id::text`, [unique('topn-'), provA.id, node]);
      ids.push(r.rows[0].id);
    }
    const now = new Date(Math.floor(Date.now() / HOUR) * HOUR + 17 * 60_000);
    // 31 days of hourly rows with values that differ per series and hour (and a spike in an edge hour of series 3).
    await owner.query(`insert into monitoring_hourly (series_id, metric, hour, n, min, avg, max, p95)
      select s, 1, h, 12, 1, 10 + (s % 7) * 5 + extract(hour from h)::int % 5, 50 + (s % 7), 40 + (s % 7) + extract(day from h)::int % 3
      from unnest($1::bigint[]) s cross join generate_series(date_trunc('hour', $2::timestamptz) - interval '31 days', $2::timestamptz, interval '1 hour') h`, [ids, now]);
    const edge = new Date(Math.floor((now.getTime() - 30 * 86_400_000) / HOUR) * HOUR);
    expect((await owner.query(`update monitoring_hourly set max = 99, p95 = 98, avg = 90 where series_id = $1 and metric = 1 and hour = $2`, [ids[3], edge])).rowCount).toBe(1);
    await owner.query(`insert into monitoring_daily (series_id, metric, day, n, min, avg, max, p95)
      select series_id, metric, (hour at time zone 'Asia/Shanghai')::date, sum(n), min(min), sum(avg * n) / sum(n), max(max), max(p95)
      from monitoring_hourly where series_id = any($1::bigint[]) group by 1, 2, 3`, [ids]);
    const ctx = systemContext('test');
    for (const [period, by] of [['30d', 'avg'], ['30d', 'p95'], ['7d', 'avg'], ['7d', 'p95']] as const) {
      const a = await t.container.monitoring.topN(ctx, { metric: 'cpu', period, by, nodeId: node, n: 4, now });
      const b = await t.container.monitoring.topN(ctx, { metric: 'cpu', period, by, nodeId: node, n: 4, now, source: 'hourly' });
      expect(a.source).toBe('daily+hourly');
      expect(b.source).toBe('hourly');
      expect(a.items.map((x) => x.seriesId).sort()).toEqual([...ids].sort());
      expect(a.items).toEqual(b.items);
    }
    // The spike in the first (edge) hour counts: the window's edges come from the hourly rollups.
    const byMax = await t.container.monitoring.topN(ctx, { metric: 'cpu', period: '30d', by: 'p95', nodeId: node, n: 1, now });
    expect(byMax.items[0]).toMatchObject({ seriesId: ids[3], p95: 98, max: 99 });
    // The whole days are read from the daily rows (a changed daily row changes the answer; the hourly path does not see it).
    const mid = new Date(now.getTime() - 15 * 86_400_000 + 8 * HOUR).toISOString().slice(0, 10);
    await owner.query(`update monitoring_daily set max = 500 where series_id = $1 and metric = 1 and day = $2`, [ids[0], mid]);
    expect((await t.container.monitoring.topN(ctx, { metric: 'cpu', period: '30d', nodeId: node, n: 4, now })).items.find((x) => x.seriesId === ids[0])!.max).toBe(500);
    expect((await t.container.monitoring.topN(ctx, { metric: 'cpu', period: '30d', nodeId: node, n: 4, now, source: 'hourly' })).items.find((x) => x.seriesId === ids[0])!.max).toBeLessThan(100);
    // 24 h stays on the hourly rollups.
    expect((await t.container.monitoring.topN(ctx, { metric: 'cpu', period: '24h', nodeId: node, n: 4, now })).source).toBe('hourly');
  });

  it('24 h / 7 d / 30 d read the window summaries the job refreshes (as of its run): the same answer as on the fly at asOf, in scope', async () => {
    const node = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('MW').slice(0, 20), name: 'TopN 窗口节点', cloudType: 'service', providerOrgId: provA.id });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await owner.query(`insert into monitoring_series (kind, object_key, provider_org_id, node_id, label, first_at, last_at) values ('host', $1, $2, $3, $1, now() - interval '31 days', now()) returning id::text`, [unique('topw-'), provA.id, node]);
      ids.push(r.rows[0].id);
    }
    const hourNow = Math.floor(Date.now() / HOUR) * HOUR;
    // 31 days of hourly rows up to and including the open hour, values differing per series, hour and day.
    await owner.query(`insert into monitoring_hourly (series_id, metric, hour, n, min, avg, max, p95)
      select s, 1, h, 12, 1, 10 + (s % 7) * 5 + extract(hour from h)::int % 5 + 0.37 * (extract(day from h)::int % 4), 50 + (s % 7) + extract(day from h)::int % 9, 40 + (s % 7) + extract(day from h)::int % 3
      from unnest($1::bigint[]) s cross join generate_series(to_timestamp($2 / 1000.0) - interval '31 days', to_timestamp($2 / 1000.0), interval '1 hour') h`, [ids, hourNow]);
    await owner.query(`insert into monitoring_daily (series_id, metric, day, n, min, avg, max, p95)
      select series_id, metric, (hour at time zone 'Asia/Shanghai')::date, sum(n), min(min), sum(avg * n) / sum(n), max(max), max(p95)
      from monitoring_hourly where series_id = any($1::bigint[]) group by 1, 2, 3`, [ids]);
    const store = t.container.monitoring.store;
    const mon = t.container.monitoring;
    const ctx = systemContext('test');
    await store.refreshWindows();
    const same = async () => {
      for (const period of ['24h', '7d', '30d'] as const) {
        for (const by of ['avg', 'p95'] as const) {
          const a = await mon.topN(ctx, { metric: 'cpu', period, by, nodeId: node, n: 5 });
          expect(a.source).toBe('window');
          const b = await mon.topN(ctx, { metric: 'cpu', period, by, nodeId: node, n: 5, now: new Date(a.asOf), source: 'rollups' });
          expect(b.source).toBe(period === '24h' ? 'hourly' : 'daily+hourly');
          expect({ from: a.from, to: a.to }).toEqual({ from: b.from, to: b.to });
          expect(a.items.map((x) => x.seriesId).sort()).toEqual([...ids].sort());
          expect(a.items).toEqual(b.items);
        }
      }
    };
    await same();
    // The open hour changes: the summary shows it after the next refresh (not before: it says its asOf).
    await owner.query(`update monitoring_hourly set avg = 95, max = 99, p95 = 97 where series_id = $1 and metric = 1 and hour = $2`, [ids[4], new Date(hourNow)]);
    const before = await mon.topN(ctx, { metric: 'cpu', period: '24h', nodeId: node, n: 1 });
    expect(before.items[0]!.max).toBeLessThan(99);
    await store.refreshWindows();
    const after = await mon.topN(ctx, { metric: 'cpu', period: '24h', nodeId: node, n: 1, by: 'p95' });
    expect(after.items[0]).toMatchObject({ seriesId: ids[4], max: 99, p95: 97 });
    expect(Date.parse(after.asOf)).toBeGreaterThanOrEqual(Date.parse(before.asOf));
    await same();
    // A closed hour corrected (the flush marks its series): the next refresh recomputes that series' closed part.
    const closed = new Date(hourNow - 5 * HOUR);
    await owner.query(`update monitoring_hourly set max = 123 where series_id = $1 and metric = 1 and hour = $2`, [ids[0], closed]);
    await owner.query(`insert into monitoring_window_dirty (series_id) values ($1) on conflict do nothing`, [ids[0]]);
    await store.refreshWindows();
    expect((await mon.topN(ctx, { metric: 'cpu', period: '24h', nodeId: node, n: 5 })).items.find((x) => x.seriesId === ids[0])!.max).toBe(123);
    // The daily row of that day is what 7 d / 30 d read for whole days; keep the two paths on the same rollups.
    await owner.query(`update monitoring_daily set max = 123 where series_id = $1 and metric = 1 and day = (($2::timestamptz) at time zone 'Asia/Shanghai')::date`, [ids[0], closed]);
    await owner.query(`insert into monitoring_window_dirty (series_id) values ($1) on conflict do nothing`, [ids[0]]);
    await store.refreshWindows();
    await same();
    // Scope: another unit sees none of these series (RLS on the summaries and the series).
    const other = await inject(unitB, 'GET', `/api/monitoring/top?metric=cpu&period=24h&nodeId=${node}`);
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json()).toMatchObject({ source: 'window', items: [] });
    const prov = await inject(provAStaff, 'GET', `/api/monitoring/top?metric=cpu&period=30d&nodeId=${node}&n=5`);
    expect(prov.json().items).toHaveLength(5);
  });
});
