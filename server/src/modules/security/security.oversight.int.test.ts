import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { localDate } from '../calendar/index.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let provB: TestOrg;
let nodeA: string;
let mgmt: Session;
let mgmtUserId: string;
let supervisor: Session;
let sysAdmin: Session;
let provAStaff: Session;
let provAUserId: string;
let provBStaff: Session;
let unitA: Session;
let unitB: Session;
let unitAId: string;

const inject = (s: Session, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('事件服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('事件服务商乙') });
  nodeA = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('EA').slice(0, 20), name: '事件甲节点', cloudType: 'service', providerOrgId: provA.id });
  const a = await createOrg(t, { kind: 'user_unit', code: unique('EVA') });
  const b = await createOrg(t, { kind: 'user_unit', code: unique('EVB') });
  unitAId = a.id;
  const m = await createOrg(t, { kind: 'management_unit' });
  const sup = await createOrg(t, { kind: 'supervision_provider' });
  const mg = await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] });
  mgmt = mg.session;
  mgmtUserId = mg.user.id;
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
  supervisor = (await signedInUser(t, { orgId: sup.id, roles: ['supervisor_staff'] })).session;
  const pa = await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] });
  provAStaff = pa.session;
  provAUserId = pa.user.id;
  provBStaff = (await signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] })).session;
  unitA = (await signedInUser(t, { orgId: a.id, roles: ['unit_staff'] })).session;
  unitB = (await signedInUser(t, { orgId: b.id, roles: ['unit_staff'] })).session;
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('security events (安全事件)', () => {
  let eventId: string;

  it('a provider reports an event of its own: numbered, reported at once to management and the provider, a ticket opened', async () => {
    const res = await inject(provAStaff, 'POST', '/api/security/events', {
      title: '门户网站网页被篡改', grade: 'III', category: 'content', occurredAt: new Date(Date.now() - 3_600_000).toISOString(), unitId: unitAId, nodeId: nodeA, description: '首页出现非法内容',
    });
    expect(res.statusCode, res.body).toBe(201);
    const e = res.json();
    eventId = e.id;
    expect(e).toMatchObject({ status: 'open', grade: 'III', providerId: provA.id, unitId: unitAId, source: 'manual' });
    expect(e.eventNo).toMatch(/^SE-\d{8}-\d{4,}$/);
    expect(e.reportedAt).not.toBeNull();
    expect(e.entries[0]).toMatchObject({ kind: 'created' });
    const told = await owner.query(`select user_id from notifications where kind = 'security.event' and link like $1`, [`%${eventId}%`]);
    const users = told.rows.map((r) => r.user_id);
    expect(users).toContain(mgmtUserId);
    expect(users).toContain(provAUserId);
    const ticket = await owner.query(`select status from sd_tickets where source = 'security_event' and source_id = $1`, [eventId]);
    expect(ticket.rows).toHaveLength(1);
  });

  it('refuses an event in the future and a provider reporting for another provider, naming the field', async () => {
    const future = await inject(mgmt, 'POST', '/api/security/events', { title: 'x', grade: 'IV', category: 'other', occurredAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({ code: 'security.future_time', details: { issues: [{ field: 'occurredAt', rule: 'not_future' }] } });
    const foreign = await inject(provBStaff, 'POST', '/api/security/events', { title: 'x', grade: 'IV', category: 'other', occurredAt: new Date().toISOString(), providerId: provA.id });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({ code: 'security.foreign_provider' });
    const bad = await inject(mgmt, 'POST', '/api/security/events', { title: 'x', grade: 'V', category: 'other', occurredAt: new Date().toISOString() });
    expect(bad.statusCode).toBe(400);
  });

  it('visibility: the provider and the unit concerned see it; the other provider, the other unit and the system administrator do not', async () => {
    for (const s of [mgmt, supervisor, provAStaff, unitA]) expect((await inject(s, 'GET', `/api/security/events/${eventId}`)).statusCode).toBe(200);
    for (const s of [provBStaff, unitB]) expect((await inject(s, 'GET', `/api/security/events/${eventId}`)).statusCode).toBe(404);
    const listB = await inject(provBStaff, 'GET', '/api/security/events');
    expect(listB.json().items.map((x: { id: string }) => x.id)).not.toContain(eventId);
    const admin = await inject(sysAdmin, 'GET', '/api/security/events');
    expect([403, 404]).toContain(admin.statusCode);
    // The unit reads but does not handle.
    expect((await inject(unitA, 'POST', `/api/security/events/${eventId}/entries`, { kind: 'note', text: 'x' })).statusCode).toBe(403);
  });

  it('tracing and evidence build the timeline (open → handling); closing needs the handling report; the report PDF is signed', async () => {
    const tr = await inject(supervisor, 'POST', `/api/security/events/${eventId}/entries`, { kind: 'tracing', text: '攻击源 203.0.113.9，利用 CMS 上传漏洞' });
    expect(tr.statusCode, tr.body).toBe(200);
    expect(tr.json()).toMatchObject({ status: 'handling', tracingNote: '攻击源 203.0.113.9，利用 CMS 上传漏洞' });
    const empty = await inject(provAStaff, 'POST', `/api/security/events/${eventId}/close`, { handlingReport: '' });
    expect(empty.statusCode).toBe(400);
    const closed = await inject(provAStaff, 'POST', `/api/security/events/${eventId}/close`, { handlingReport: '已恢复页面，修补上传漏洞，封禁攻击源' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', handlingReport: '已恢复页面，修补上传漏洞，封禁攻击源', abilities: { note: false, close: false } });
    expect(closed.json().entries.map((x: { kind: string }) => x.kind)).toEqual(['created', 'tracing', 'report']);
    const again = await inject(mgmt, 'POST', `/api/security/events/${eventId}/close`, { handlingReport: 'x' });
    expect(again.statusCode).toBe(409);
    const pdf = await inject(mgmt, 'GET', `/api/security/events/${eventId}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    // The event's ticket records that its source cleared (the desk resolves it with the handling done).
    const cleared = await owner.query(`select e.kind from sd_ticket_events e join sd_tickets t on t.id = e.ticket_id where t.source = 'security_event' and t.source_id = $1 and e.kind = 'source_cleared'`, [eventId]);
    expect(cleared.rows).toHaveLength(1);
    const audit = await owner.query(`select action from audit_log where target_id = $1 order by seq`, [eventId]);
    expect(audit.rows.map((r) => r.action)).toEqual(['security.event_created', 'security.event_tracing', 'security.event_closed', 'documents.sign']);
  });

  it('the statistics of the month count it by grade and category', async () => {
    const month = localDate(new Date(Date.now() - 3_600_000)).slice(0, 7);
    const res = await inject(provAStaff, 'GET', `/api/security/events/statistics?month=${month}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().byGrade.III).toBeGreaterThanOrEqual(1);
    expect(res.json().byCategory.find((c: { category: string }) => c.category === 'content').count).toBeGreaterThanOrEqual(1);
  });
});

describe('checks and penetration tests', () => {
  const year = 2031;

  it('a penetration test covers at least two providers; unknown providers are named', async () => {
    const one = await inject(supervisor, 'POST', '/api/security/checks', { kind: 'pentest', title: '一季度渗透测试', plannedDate: `${year}-02-10`, providerIds: [provA.id] });
    expect(one.statusCode).toBe(400);
    expect(one.json()).toMatchObject({ code: 'security.pentest_providers', details: { issues: [{ field: 'providerIds', rule: 'min_2_for_pentest' }] } });
    const notProvider = await inject(supervisor, 'POST', '/api/security/checks', { kind: 'vuln_scan', title: 'x', plannedDate: `${year}-01-10`, providerIds: [unitAId] });
    expect(notProvider.statusCode).toBe(400);
    expect(notProvider.json().details.issues[0]).toMatchObject({ field: 'providerIds', rule: 'cloud_provider', value: unitAId });
    expect((await inject(provAStaff, 'POST', '/api/security/checks', { kind: 'vuln_scan', title: 'x', plannedDate: `${year}-01-10`, providerIds: [provA.id] })).statusCode).toBe(403);
  });

  it('counters: done vs required with months and quarters still without; the providers see the checks that cover them', async () => {
    // A year in the future has no month due yet: nothing is "without"; recorded checks are counted.
    const pt = await inject(supervisor, 'POST', '/api/security/checks', { kind: 'pentest', title: '一季度渗透测试', plannedDate: `${year}-02-10`, providerIds: [provA.id, provB.id] });
    expect(pt.statusCode, pt.body).toBe(201);
    const scan = await inject(supervisor, 'POST', '/api/security/checks', { kind: 'vuln_scan', title: '一月漏洞扫描', plannedDate: `${year}-01-10`, providerIds: [provA.id] });
    expect(scan.statusCode).toBe(201);
    const future = await inject(supervisor, 'POST', `/api/security/checks/${scan.json().id}/record`, { doneDate: `${year}-01-10`, resultSummary: '发现 3 个中危', findingsCount: 3 });
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({ code: 'security.future_date' });

    // A past year: record the scan and the pentest as done in the past.
    const past = 2025;
    const s2 = (await inject(supervisor, 'POST', '/api/security/checks', { kind: 'vuln_scan', title: '三月漏洞扫描', plannedDate: `${past}-03-05`, providerIds: [provA.id] })).json();
    const p2 = (await inject(supervisor, 'POST', '/api/security/checks', { kind: 'pentest', title: '二季度渗透测试', plannedDate: `${past}-05-20`, providerIds: [provA.id, provB.id] })).json();
    expect((await inject(supervisor, 'POST', `/api/security/checks/${s2.id}/record`, { doneDate: `${past}-03-06`, resultSummary: '无高危', findingsCount: 0 })).statusCode).toBe(200);
    const rec = await inject(supervisor, 'POST', `/api/security/checks/${p2.id}/record`, { doneDate: `${past}-05-21`, resultSummary: '发现 1 个高危', findingsCount: 1 });
    expect(rec.statusCode, rec.body).toBe(200);
    expect(rec.json()).toMatchObject({ status: 'done', doneDate: `${past}-05-21`, findingsCount: 1 });
    expect((await inject(supervisor, 'POST', `/api/security/checks/${p2.id}/record`, { doneDate: `${past}-05-21`, resultSummary: 'x', findingsCount: 1 })).statusCode).toBe(409);

    const c = await inject(provBStaff, 'GET', `/api/security/checks/counters?year=${past}`);
    expect(c.statusCode, c.body).toBe(200);
    const counters = c.json();
    // provB sees only the pentest that covers it; the scan of provA is not visible to it.
    expect(counters.pentests).toMatchObject({ done: 1, required: 4 });
    expect(counters.pentests.quartersWithout).toEqual([1, 3, 4]);
    expect(counters.scans.monthsWithout).toHaveLength(12);
    const all = (await inject(mgmt, 'GET', `/api/security/checks/counters?year=${past}`)).json();
    expect(all.scans.done).toBeGreaterThanOrEqual(1);
    expect(all.scans.monthsWithout).not.toContain(`${past}-03`);
    expect(all.providers.find((p: { providerId: string }) => p.providerId === provA.id)).toMatchObject({ scanMonths: 1, pentests: 1 });
    const listA = (await inject(provAStaff, 'GET', `/api/security/checks?year=${past}`)).json().items;
    expect(listA.map((x: { id: string }) => x.id).sort()).toEqual([s2.id, p2.id].sort());
    const listB = (await inject(provBStaff, 'GET', `/api/security/checks?year=${past}`)).json().items;
    expect(listB.map((x: { id: string }) => x.id)).toEqual([p2.id]);
    expect((await inject(unitA, 'GET', `/api/security/checks?year=${past}`)).json().items).toEqual([]);
  });

  it('the posture summary counts the month\'s pentests and events', async () => {
    const before = await t.container.security.postureSummary(systemContext(), { month: '2025-05' });
    expect(before.pentestsDone).toBeGreaterThanOrEqual(1);
    expect(typeof before.events).toBe('number');
  });
});

describe('安全隐患通知单', () => {
  it('a notified finding has its signed hazard notice as PDF; before notice it is refused', async () => {
    const ip = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}.9`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?><get_reports_response status="200"><report id="${unique()}"><report id="${unique()}"><scan_start>2026-11-02T02:00:00Z</scan_start>
      <host><ip>${ip}</ip></host><results><result><name>Redis 未授权访问</name><host>${ip}</host><port>6379/tcp</port><nvt oid="1.3.6.1.4.1.25623.1.0.9${Math.floor(Math.random() * 1e6)}"><name>Redis 未授权访问</name><cvss_base>9.8</cvss_base><solution type="VendorFix">设置访问密码并限制来源地址</solution></nvt><threat>High</threat><severity>9.8</severity><description>可未授权读写</description></result></results></report></report></get_reports_response>`;
    const up = await t.app.inject({ method: 'POST', url: `/api/security/scans?format=openvas&fileName=notice.xml&nodeId=${nodeA}`, headers: { ...supervisor.headers, 'content-type': 'application/octet-stream' }, payload: xml });
    expect(up.statusCode, up.body).toBe(201);
    const list = (await inject(supervisor, 'GET', `/api/security/findings?keyword=${encodeURIComponent(ip)}`)).json().items;
    expect(list).toHaveLength(1);
    const id = list[0].id;
    const early = await inject(supervisor, 'GET', `/api/security/findings/${id}/notice.pdf`);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('security.not_notified');
    expect((await inject(supervisor, 'POST', `/api/security/findings/${id}/notify`, { note: '请限期整改' })).statusCode).toBe(200);
    const pdf = await inject(provAStaff, 'GET', `/api/security/findings/${id}/notice.pdf`);
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200);
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    expect((await inject(provBStaff, 'GET', `/api/security/findings/${id}/notice.pdf`)).statusCode).toBe(404);
  });
});

describe('attack threshold', () => {
  it('opens one event for a system attacked at or above the threshold within the hour, and not a second while it is open', async () => {
    const systemNo = unique('SYS').slice(0, 30);
    const now = new Date();
    const at = localDate(now) + ' ' + now.toLocaleTimeString('en-GB', { timeZone: 'Asia/Shanghai', hour12: false });
    const attack = { attackName: 'SQL 注入', cloudHostId: 'vm-1', systemId: systemNo, notifiedRelatedUnits: '是', monitoredAt: at, monitoredBy: '监测员' };
    const pushed = await t.container.pushWriter.writeBatch({ providerOrgId: provA.id, nodeId: nodeA, table: 'securityAttack', source: 'api', mode: 'partial', records: Array.from({ length: 6 }, () => attack) });
    expect(pushed.accepted).toBe(6);
    const later = new Date(Date.now() + 1000);
    await t.container.securityOversight.openEventsFromAttacks(later, 6);
    const mine = async () => (await owner.query(`select id, provider_org_id, grade, category, source from security_events where description like $1`, [`系统编号 ${systemNo}：%`])).rows;
    const first = await mine();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ provider_org_id: provA.id, grade: 'IV', category: 'attack', source: 'attack_threshold' });
    await t.container.securityOversight.openEventsFromAttacks(later, 6);
    expect(await mine()).toHaveLength(1);
    // Below the threshold: nothing for a system with fewer attacks.
    const quiet = unique('SYS').slice(0, 30);
    await t.container.pushWriter.writeBatch({ providerOrgId: provA.id, nodeId: nodeA, table: 'securityAttack', source: 'api', mode: 'partial', records: [{ ...attack, systemId: quiet }] });
    await t.container.securityOversight.openEventsFromAttacks(new Date(Date.now() + 1000), 6);
    expect((await owner.query(`select 1 from security_events where description like $1`, [`系统编号 ${quiet}：%`])).rows).toHaveLength(0);
  });
});

describe('posture (安全态势)', () => {
  it("this month beside the previous one, open findings per provider by age, and the signed .xlsx; another provider sees only its own", async () => {
    const month = localDate(new Date()).slice(0, 7);
    const res = await inject(supervisor, 'GET', `/api/security/posture?month=${month}`);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p.month).toBe(month);
    expect(p.previousMonth).toMatch(/^\d{4}-\d{2}$/);
    expect(p.previousMonth < month).toBe(true);
    // The hazard-notice finding above (high, provider A, first seen 2026-11-02) is open now.
    const a = p.openByProvider.find((r: { providerId: string }) => r.providerId === provA.id);
    expect(a.days0to7 + a.days8to30 + a.days31to90 + a.over90).toBeGreaterThanOrEqual(1);
    expect(p.current.openFindings.high).toBeGreaterThanOrEqual(1);
    const b = (await inject(provBStaff, 'GET', `/api/security/posture?month=${month}`)).json();
    expect(b.openByProvider.find((r: { providerId: string }) => r.providerId === provA.id)).toBeUndefined();
    const xlsx = await inject(mgmt, 'GET', `/api/security/posture/export?month=${month}`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await inject(mgmt, 'GET', `/api/security/posture?month=2026-13`)).statusCode).toBe(400);
  });
});

describe('security-device logs (安全设备日志)', () => {
  it('counts a month per day and by alarm, source, target (with its inventory host), device and level; another provider counts none', async () => {
    const ip = `10.${220 + Math.floor(Math.random() * 30)}.${Math.floor(Math.random() * 250)}.7`;
    const hostName = unique('fw-target');
    await owner.query(
      `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, name, attributes, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
       values ('cloud_host', $1, $2, $3, $3, $4, 'active', now(), now(), now(), $5)`,
      [provA.id, nodeA, hostName, JSON.stringify({ internalIp: ip }), Math.floor(Math.random() * 1e9)],
    );
    const now = new Date();
    const at = `${localDate(now)} ${now.toLocaleTimeString('en-GB', { timeZone: 'Asia/Shanghai', hour12: false })}`;
    const alarm = unique('WEB攻击').slice(0, 40);
    const log = (src: string, level: string) => ({
      occurredAt: at, alarmName: alarm, reportingDeviceIp: '10.0.0.1', deviceName: 'WAF-01', serialNumber: 'SN-1', deviceType: 'WAF', srcIp: src, srcPort: '4431', dstIp: ip, dstPort: '443', logLevel: level, alarmType: 'attack', logContent: 'blocked',
    });
    const pushed = await t.container.pushWriter.writeBatch({ providerOrgId: provA.id, nodeId: nodeA, table: 'securityDeviceLog', source: 'api', mode: 'partial', records: [log('203.0.113.5', 'warning'), log('203.0.113.5', 'warning'), log('198.51.100.9', 'critical')] });
    expect(pushed.accepted, JSON.stringify(pushed)).toBe(3);
    const month = localDate(now).slice(0, 7);
    const res = await inject(provAStaff, 'GET', `/api/security/device-logs?month=${month}`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.total).toBe(3);
    expect(s.byAlarm).toEqual([{ value: alarm, count: 3 }]);
    expect(s.bySource[0]).toEqual({ value: '203.0.113.5', count: 2 });
    expect(s.byTarget[0]).toMatchObject({ value: ip, count: 3, hostName });
    expect(s.daily.find((d: { day: string }) => d.day === localDate(now)).count).toBe(3);
    expect(s.daily.reduce((n: number, d: { count: number }) => n + d.count, 0)).toBe(3);
    expect((await inject(provBStaff, 'GET', `/api/security/device-logs?month=${month}`)).json().total).toBe(0);
  });
});
