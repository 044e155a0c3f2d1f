import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let provB: TestOrg;
let nodeA: string;
let nodeB: string;
let supervisor: Session;
let provAStaff: Session;
let provBStaff: Session;
let unitAStaff: Session;
let unitBStaff: Session;
let sysAdmin: Session;
let provAUser = '';
let supUser = '';
let mgmtUser = '';
const octet = () => 1 + Math.floor(Math.random() * 250);
const ipA = `10.${octet()}.${octet()}.${octet()}`;
const ipB = `10.${octet()}.${octet()}.${octet()}`;
const hostA = unique('vm-wa');
const hostB = unique('vm-wb');
const cve = `CVE-2026-${String(10000 + Math.floor(Math.random() * 89999))}`;

const inject = (s: Session, method: 'GET' | 'POST', url: string, payload?: unknown) => t.app.inject({ method, url, headers: s.headers, ...(payload ? { payload: payload as object } : {}) });

async function host(provider: string, node: string, key: string, ip: string, unit: string): Promise<string> {
  const r = await owner.query(
    `insert into inventory_resources (kind, provider_org_id, node_id, unit_org_id, natural_key, name, attributes, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
     values ('cloud_host', $1, $2, $3, $4, $4, $5, 'active', now(), now(), now(), $6) returning id`,
    [provider, node, unit, key, JSON.stringify({ cloudHostId: key, internalIp: ip }), Math.floor(Math.random() * 1e9)],
  );
  return r.rows[0].id as string;
}

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('预警服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('预警服务商乙') });
  const unitA = await createOrg(t, { kind: 'user_unit', name: unique('预警单位甲') });
  const unitB = await createOrg(t, { kind: 'user_unit', name: unique('预警单位乙') });
  nodeA = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('WA').slice(0, 20), name: '预警甲节点', cloudType: 'service', providerOrgId: provA.id });
  nodeB = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('WB').slice(0, 20), name: '预警乙节点', cloudType: 'service', providerOrgId: provB.id });
  const sup = await createOrg(t, { kind: 'supervision_provider' });
  const m = await createOrg(t, { kind: 'management_unit' });
  const supS = await signedInUser(t, { orgId: sup.id, roles: ['supervisor_staff'] });
  supervisor = supS.session;
  supUser = supS.user.id;
  mgmtUser = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).user.id;
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
  const pa = await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] });
  provAStaff = pa.session;
  provAUser = pa.user.id;
  provBStaff = (await signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] })).session;
  unitAStaff = (await signedInUser(t, { orgId: unitA.id, roles: ['unit_staff'] })).session;
  unitBStaff = (await signedInUser(t, { orgId: unitB.id, roles: ['unit_staff'] })).session;
  await host(provA.id, nodeA, hostA, ipA, unitA.id);
  const resB = await host(provB.id, nodeB, hostB, ipB, unitB.id);
  // Provider B's host has an open finding of the CVE the warning names.
  const scan = await owner.query(`insert into security_scans (source, provider_org_id, scanned_at) values ('push', $1, now()) returning id`, [provB.id]);
  await owner.query(
    `insert into security_findings (dedup_key, source_kind, host_ref, vuln_id, name, cve, severity, resource_id, provider_org_id, node_id, unit_org_id, first_seen_at, last_seen_at, first_scan_id, last_scan_id, deadline)
     values ($1, 'push', $2, $3, 'Demo RCE', $4, 'high', $5, $6, $7, $8, now(), now(), $9, $9, current_date + 7)`,
    [unique('dk'), hostB, cve, [cve], resB, provB.id, nodeB, unitB.id, scan.rows[0].id],
  );
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

let noticeA = '';
let noticeB = '';

describe('security warnings (安全预警)', () => {
  it('stores the pushed warnings and the matching job notifies the provider of each matched host (a provider push stays within its own hosts)', async () => {
    // Provider A names both IPs: only its own host is matched.
    await t.container.pushWriter.writeBatch({ providerOrgId: provA.id, nodeId: nodeA, table: 'securityWarning', source: 'api', mode: 'partial', records: [{ monitorType: '漏洞发布', monitorContent: `OpenSSH 漏洞影响 ${ipA} ${ipB}`, notifiedRelatedUnits: '是', monitoredAt: '2026-12-01 09:00:00', monitoredBy: '值班员' }] });
    // Provider B's warning names the CVE only: matched through the open finding.
    await t.container.pushWriter.writeBatch({ providerOrgId: provB.id, nodeId: nodeB, table: 'securityWarning', source: 'api', mode: 'partial', records: [{ monitorType: '漏洞发布', monitorContent: `厂商发布 ${cve} 预警`, notifiedRelatedUnits: '否', monitoredAt: '2026-12-01 10:00:00', monitoredBy: '值班员' }] });
    const imported = await t.container.securityOversight.warnings.importPending();
    expect(imported.warnings).toBeGreaterThanOrEqual(2);
    await t.container.securityOversight.warnings.matchPending();
    const listA = (await inject(provAStaff, 'GET', '/api/security/warning-notices')).json();
    expect(listA.items).toHaveLength(1);
    noticeA = listA.items[0].id;
    const detailA = (await inject(provAStaff, 'GET', `/api/security/warning-notices/${noticeA}`)).json();
    expect(detailA.matchedHosts.map((h: { cloudHostId: string; basis: string }) => [h.cloudHostId, h.basis])).toEqual([[hostA, 'ip']]);
    expect(detailA.state).toBe('notified');
    expect(detailA.abilities.reply).toBe(true);
    const listB = (await inject(provBStaff, 'GET', '/api/security/warning-notices')).json();
    expect(listB.items).toHaveLength(1);
    noticeB = listB.items[0].id;
    const detailB = (await inject(provBStaff, 'GET', `/api/security/warning-notices/${noticeB}`)).json();
    expect(detailB.matchedHosts).toMatchObject([{ cloudHostId: hostB, basis: 'cve', matchedValue: cve }]);
    // Matching again adds nothing.
    const again = (await inject(supervisor, 'POST', `/api/security/warnings/${detailA.warningId}/match`)).json();
    expect(again).toEqual({ hosts: 0, notices: 0 });
  });

  it('refuses a bad reply naming the field and rule, saves nothing, then takes one reply with its evidence', async () => {
    const noEvidence = await inject(provAStaff, 'POST', `/api/security/warning-notices/${noticeA}/reply`, { outcome: 'handled', note: '已升级' });
    expect(noEvidence.statusCode).toBe(400);
    expect(noEvidence.json().details.issues).toContainEqual(expect.objectContaining({ field: 'body.evidence', rule: 'required_when_handled' }));
    const badType = await inject(provAStaff, 'POST', `/api/security/warning-notices/${noticeA}/reply`, { outcome: 'handled', note: '已升级', evidence: { fileName: 'x.exe', contentBase64: 'aGk=' } });
    expect(badType.json().details.issues).toContainEqual(expect.objectContaining({ field: 'body.evidence.fileName', rule: 'allowed_type' }));
    const shortNote = await inject(provAStaff, 'POST', `/api/security/warning-notices/${noticeA}/reply`, { outcome: 'not_affected', note: ' ' });
    expect(shortNote.json().details.issues).toContainEqual(expect.objectContaining({ field: 'body.note', rule: 'min_2' }));
    expect((await inject(provAStaff, 'GET', `/api/security/warning-notices/${noticeA}`)).json().state).toBe('notified');
    // Another provider cannot reply (404), a unit may not (403).
    expect((await inject(provBStaff, 'POST', `/api/security/warning-notices/${noticeA}/reply`, { outcome: 'not_affected', note: '不涉及该版本' })).statusCode).toBe(404);
    expect((await inject(unitAStaff, 'POST', `/api/security/warning-notices/${noticeA}/reply`, { outcome: 'not_affected', note: '不涉及该版本' })).statusCode).toBe(403);
    const ok = await inject(provAStaff, 'POST', `/api/security/warning-notices/${noticeA}/reply`, { outcome: 'handled', note: '已升级 OpenSSH', evidence: { fileName: '升级记录.txt', contentBase64: Buffer.from('upgrade log').toString('base64') } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'replied', outcome: 'handled', evidenceName: '升级记录.txt', abilities: { reply: false } });
    expect((await inject(provAStaff, 'POST', `/api/security/warning-notices/${noticeA}/reply`, { outcome: 'not_affected', note: '再次' })).statusCode).toBe(409);
    const file = await inject(supervisor, 'GET', `/api/security/warning-notices/${noticeA}/evidence`);
    expect(file.body).toBe('upgrade log');
  });

  it('shows a provider only its notices, a unit only those naming its systems, the system administrator nothing; overdue is filtered', async () => {
    expect((await inject(provBStaff, 'GET', `/api/security/warning-notices/${noticeA}`)).statusCode).toBe(404);
    expect((await inject(provBStaff, 'GET', `/api/security/warning-notices/${noticeA}/evidence`)).statusCode).toBe(404);
    expect((await inject(unitAStaff, 'GET', '/api/security/warning-notices')).json().items.map((n: { id: string }) => n.id)).toEqual([noticeA]);
    expect((await inject(unitBStaff, 'GET', `/api/security/warning-notices/${noticeA}`)).statusCode).toBe(404);
    expect((await inject(unitBStaff, 'GET', '/api/security/warnings')).json().items).toHaveLength(1);
    const admin = await inject(sysAdmin, 'GET', '/api/security/warning-notices');
    expect([403, 404]).toContain(admin.statusCode);
    const sup = (await inject(supervisor, 'GET', '/api/security/warning-notices?pageSize=200')).json();
    expect(sup.items.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining([noticeA, noticeB]));
    await owner.query(`update security_warning_notices set deadline = current_date - 1 where id = $1`, [noticeB]);
    const overdue = (await inject(provBStaff, 'GET', '/api/security/warning-notices?state=overdue')).json();
    expect(overdue.items.map((n: { id: string; state: string }) => [n.id, n.state])).toEqual([[noticeB, 'overdue']]);
    const xlsx = await inject(supervisor, 'GET', '/api/security/warning-notices/export?state=overdue');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('reminds the provider before the deadline, then tells it the notice is overdue and escalates to supervision and management, each step once and audited', async () => {
    const warnings = t.container.securityOversight.warnings;
    await t.container.pushWriter.writeBatch({ providerOrgId: provA.id, nodeId: nodeA, table: 'securityWarning', source: 'api', mode: 'partial', records: [{ monitorType: '补丁发布', monitorContent: `Nginx 补丁预警 ${ipA}`, notifiedRelatedUnits: '否', monitoredAt: '2026-12-02 09:00:00', monitoredBy: '值班员' }] });
    await warnings.importPending();
    await warnings.matchPending();
    const list = (await inject(provAStaff, 'GET', '/api/security/warning-notices?state=notified')).json();
    const c = list.items.find((n: { content: string }) => n.content.startsWith('Nginx')).id as string;
    const told = async (user: string, kind: string) => Number((await owner.query(`select count(*) from notifications where user_id = $1 and kind = $2 and link like $3`, [user, kind, `%${c}%`])).rows[0].count);
    const only = { noticeIds: [c] };
    // Deadline in 7 days: nothing yet.
    expect(await warnings.checkDeadlines(new Date(), only)).toEqual({ reminders: 0, overdue: 0, escalations: 0 });
    // The day before the deadline: one reminder to the provider, however often the job runs (two workers at once too).
    await owner.query(`update security_warning_notices set deadline = (now() at time zone 'Asia/Shanghai')::date + 1 where id = $1`, [c]);
    const [r1, r2] = await Promise.all([warnings.checkDeadlines(new Date(), only), warnings.checkDeadlines(new Date(), only)]);
    expect(r1.reminders + r2.reminders).toBe(1);
    expect(await warnings.checkDeadlines(new Date(), only)).toEqual({ reminders: 0, overdue: 0, escalations: 0 });
    expect(await told(provAUser, 'security.warning_reminder')).toBe(1);
    expect(await told(supUser, 'security.warning_escalated')).toBe(0);
    expect((await inject(provAStaff, 'GET', `/api/security/warning-notices/${c}`)).json()).toMatchObject({ state: 'notified', remindedAt: expect.any(String), escalatedAt: null });
    // Past the deadline: the provider is told again, supervision and management get the escalation.
    await owner.query(`update security_warning_notices set deadline = (now() at time zone 'Asia/Shanghai')::date - 1 where id = $1`, [c]);
    expect(await warnings.checkDeadlines(new Date(), only)).toEqual({ reminders: 0, overdue: 1, escalations: 1 });
    expect(await warnings.checkDeadlines(new Date(), only)).toEqual({ reminders: 0, overdue: 0, escalations: 0 });
    expect(await told(provAUser, 'security.warning_overdue')).toBe(1);
    expect(await told(supUser, 'security.warning_escalated')).toBe(1);
    expect(await told(mgmtUser, 'security.warning_escalated')).toBe(1);
    expect(await told(provAUser, 'security.warning_escalated')).toBe(0);
    // The bell shows it to the supervisor through the notifications API.
    const bell = (await inject(supervisor, 'GET', '/api/notifications')).json();
    expect(JSON.stringify(bell)).toContain(`notice=${c}`);
    const detail = (await inject(supervisor, 'GET', `/api/security/warning-notices/${c}`)).json();
    expect(detail).toMatchObject({ state: 'overdue', overdueNotifiedAt: expect.any(String), escalatedAt: expect.any(String) });
    // Even with the notice's step columns lost, the notifier's marks keep a step from being sent twice.
    await owner.query(`update security_warning_notices set escalated_at = null, overdue_notified_at = null where id = $1`, [c]);
    await warnings.checkDeadlines(new Date(), only);
    expect(await told(supUser, 'security.warning_escalated')).toBe(1);
    expect(await told(provAUser, 'security.warning_overdue')).toBe(1);
    const audit = await owner.query(`select action from audit_log where target_id = $1 and action like 'security.warning_%' order by seq`, [c]);
    expect(audit.rows.map((r: { action: string }) => r.action).slice(0, 3)).toEqual(['security.warning_reminded', 'security.warning_overdue', 'security.warning_escalated']);
    // A replied notice gets nothing, overdue or not.
    await owner.query(`update security_warning_notices set deadline = (now() at time zone 'Asia/Shanghai')::date - 3 where id = $1`, [noticeA]);
    expect(await warnings.checkDeadlines(new Date(), { noticeIds: [noticeA] })).toEqual({ reminders: 0, overdue: 0, escalations: 0 });
  });
});
