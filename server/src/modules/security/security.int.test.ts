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
let mgmt: Session;
let supervisor: Session;
let sysAdmin: Session;
let provAStaff: Session;
let provBStaff: Session;
let unitA: Session;
let unitB: Session;
let systemA: { id: string; systemNo: string };
let unitAId: string;
// Addresses of this run only (the test database is shared by files running in parallel).
const net = `10.${100 + Math.floor(Math.random() * 150)}.${Math.floor(Math.random() * 250)}`;
const ip1 = `${net}.11`;
const ip2 = `${net}.12`;
const ipUnknown = `${net}.250`;
let host1: string;

const inject = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

const upload = (s: Session, format: string, body: string | Buffer, extra = '') =>
  t.app.inject({ method: 'POST', url: `/api/security/scans?format=${format}&fileName=${encodeURIComponent(`scan-${format}.dat`)}&nodeId=${nodeA}${extra}`, headers: { ...s.headers, 'content-type': 'application/octet-stream' }, payload: body });

function openvas(results: Array<{ ip: string; port: string; oid: string; name: string; threat: string; cve?: string }>, hosts: string[], tag = unique()): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<get_reports_response status="200"><report id="${tag}"><report id="${tag}">
  <scan_start>2026-11-02T02:00:00Z</scan_start>
  ${hosts.map((h) => `<host><ip>${h}</ip></host>`).join('')}
  <results>
  ${results
    .map(
      (r) => `<result><name>${r.name}</name><host>${r.ip}<hostname/></host><port>${r.port}</port>
      <nvt oid="${r.oid}"><name>${r.name}</name><family>Web application abuses</family><cvss_base>7.5</cvss_base>
        <refs>${r.cve ? `<ref type="cve" id="${r.cve}"/>` : ''}<ref type="url" id="https://example.org"/></refs><solution type="VendorFix">升级到最新版本</solution></nvt>
      <threat>${r.threat}</threat><severity>7.5</severity><description>发现 ${r.name}</description></result>`,
    )
    .join('\n')}
  </results></report></report></get_reports_response>`;
}

async function findings(s: Session, query = ''): Promise<Array<Record<string, unknown>>> {
  const res = await inject(s, 'GET', `/api/security/findings?pageSize=200${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('安全服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('安全服务商乙') });
  nodeA = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('SA').slice(0, 20), name: '安全甲节点', cloudType: 'service', providerOrgId: provA.id });
  const a = await createOrg(t, { kind: 'user_unit', code: unique('SCA') });
  const b = await createOrg(t, { kind: 'user_unit', code: unique('SCB') });
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
    nodeId: nodeA, name: '甲单位门户', systemType: '公众服务', gradingLevel: '三级', operatingHours: '7*24小时', networkNature: '政务外网', contactName: '张三', contactMobile: '13812348000', contactEmail: 'abc@x.cn',
    serviceAudience: '公众', serviceScope: '全市', interconnection: '无', functionDescription: '办事', preApprovalStatus: '已审批', accessUrl: 'https://x.gov.cn', appVendor: '某公司',
  });
  expect(reg.statusCode, reg.body).toBe(201);
  systemA = reg.json();
  let batch = Math.floor(Math.random() * 1e9);
  const host = async (id: string, ip: string) =>
    (
      await owner.query(
        `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, system_no, system_id, unit_org_id, system_node_id, name, attributes,
                                          status, first_seen_at, last_seen_at, changed_at, last_batch_id)
         values ('cloud_host', $1, $2, $3, $4, $5, $6, $2, $3, $7, 'active', now(), now(), now(), $8) returning id`,
        [provA.id, nodeA, id, systemA.systemNo, systemA.id, unitAId, JSON.stringify({ systemId: systemA.systemNo, cloudHostId: id, internalIp: ip }), batch++],
      )
    ).rows[0].id as string;
  host1 = await host(unique('vm-'), ip1);
  await host(unique('vm-'), ip2);
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('scanner reports', () => {
  it('imports an OpenVAS report: findings linked to host, system, unit and provider; unmatched IPs listed; informational results skipped', async () => {
    const xml = openvas(
      [
        { ip: ip1, port: '443/tcp', oid: '1.3.6.1.4.1.25623.1.0.1001', name: 'OpenSSL 心脏出血漏洞', threat: 'High', cve: 'CVE-2014-0160' },
        { ip: ip1, port: '22/tcp', oid: '1.3.6.1.4.1.25623.1.0.1002', name: 'SSH 弱加密算法', threat: 'Medium' },
        { ip: ip2, port: '80/tcp', oid: '1.3.6.1.4.1.25623.1.0.1003', name: 'HTTP 明文传输', threat: 'Low' },
        { ip: ip2, port: '80/tcp', oid: '1.3.6.1.4.1.25623.1.0.1004', name: '服务版本信息', threat: 'Log' },
        { ip: ipUnknown, port: '3306/tcp', oid: '1.3.6.1.4.1.25623.1.0.1005', name: 'MySQL 弱口令', threat: 'High' },
      ],
      [ip1, ip2, ipUnknown],
    );
    const res = await upload(supervisor, 'openvas', xml);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ findings: 4, newFindings: 4, closedFindings: 0, reopenedFindings: 0, unmatched: [ipUnknown] });
    const mine = await findings(mgmt, `&keyword=${encodeURIComponent(net + '.')}`);
    expect(mine).toHaveLength(4);
    const heart = mine.find((f) => f.name === 'OpenSSL 心脏出血漏洞')!;
    expect(heart).toMatchObject({ severity: 'high', status: 'open', resourceId: host1, providerId: provA.id, unitId: unitAId, systemId: systemA.id, cve: ['CVE-2014-0160'], port: '443/tcp' });
    // 高危: 7 natural days from the scan day (2026-11-02 Beijing) by default.
    expect(heart.deadline).toBe('2026-11-09');
    const unmatched = mine.find((f) => f.hostRef === ipUnknown)!;
    expect(unmatched).toMatchObject({ resourceId: null, providerId: provA.id, unitId: null });

    const again = await upload(supervisor, 'openvas', xml);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('security.duplicate_report');
  });

  it('a re-scan closes what it no longer finds on the hosts it covered (verified fixed), reopens what comes back, and leaves other hosts alone', async () => {
    const second = openvas([{ ip: ip1, port: '443/tcp', oid: '1.3.6.1.4.1.25623.1.0.1001', name: 'OpenSSL 心脏出血漏洞', threat: 'High', cve: 'CVE-2014-0160' }], [ip1]);
    const r2 = await upload(supervisor, 'openvas', second);
    expect(r2.statusCode, r2.body).toBe(201);
    expect(r2.json()).toMatchObject({ findings: 1, newFindings: 0, closedFindings: 1, reopenedFindings: 0 });
    const now = await findings(mgmt, `&keyword=${encodeURIComponent(net + '.')}`);
    const ssh = now.find((f) => f.name === 'SSH 弱加密算法')!;
    expect(ssh.status).toBe('fixed');
    expect(now.find((f) => f.name === 'HTTP 明文传输')!.status).toBe('open');
    const detail = (await inject(mgmt, 'GET', `/api/security/findings/${ssh.id}`)).json();
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['found', 'fixed']);
    expect(detail.events[1].scanId).toBe(r2.json().scanId);

    const third = openvas([{ ip: ip1, port: '22/tcp', oid: '1.3.6.1.4.1.25623.1.0.1002', name: 'SSH 弱加密算法', threat: 'Medium' }], [ip1]);
    const r3 = await upload(supervisor, 'openvas', third);
    expect(r3.json()).toMatchObject({ findings: 1, newFindings: 0, reopenedFindings: 1, closedFindings: 1 });
    const back = (await inject(mgmt, 'GET', `/api/security/findings/${ssh.id}`)).json();
    expect(back).toMatchObject({ status: 'open', reopenedCount: 1 });
  });

  it('refuses hostile and malformed XML and imports nothing', async () => {
    // Counted on this file's own node: other test files insert scans into the same database at the same time.
    const before = Number((await owner.query('select count(*) from security_scans where node_id = $1', [nodeA])).rows[0].count);
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><report><results><result><name>&lol2;</name></result></results></report>`;
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><NessusClientData_v2><Report><ReportHost name="${ip1}"><ReportItem port="1" severity="3" pluginID="1" pluginName="&x;"/></ReportHost></Report></NessusClientData_v2>`;
    for (const [format, body] of [['openvas', laughs], ['nessus', xxe]] as const) {
      const res = await upload(supervisor, format, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ code: 'security.report_unreadable', details: { issues: [{ field: 'file', rule: 'no_doctype' }] } });
    }
    const broken = await upload(supervisor, 'openvas', '<report><results><result><name>x</name></result>');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().details.issues[0].rule).toBe('xml');
    const notNessus = await upload(supervisor, 'nessus', '<report/>');
    expect(notNessus.json().details.issues[0].rule).toBe('nessus_report');
    expect(Number((await owner.query('select count(*) from security_scans where node_id = $1', [nodeA])).rows[0].count)).toBe(before);
  });

  it('imports a Nessus report and a CSV export with Chinese headers, reporting unusable rows one by one', async () => {
    const nessus = `<?xml version="1.0" ?><NessusClientData_v2><Report name="月度扫描"><ReportHost name="${ip2}"><HostProperties><tag name="host-ip">${ip2}</tag></HostProperties>
      <ReportItem port="8080" svc_name="www" protocol="tcp" severity="4" pluginID="97833" pluginName="Apache Struts 远程代码执行" pluginFamily="CGI abuses"><cve>CVE-2017-5638</cve><solution>升级 Struts</solution></ReportItem>
      <ReportItem port="0" svc_name="general" protocol="tcp" severity="0" pluginID="19506" pluginName="Nessus Scan Information"/>
      <ReportItem port="80" svc_name="www" protocol="tcp" severity="9" pluginID="1" pluginName="坏等级"/>
    </ReportHost></Report></NessusClientData_v2>`;
    const rn = await upload(supervisor, 'nessus', nessus);
    expect(rn.statusCode, rn.body).toBe(201);
    expect(rn.json()).toMatchObject({ newFindings: 1, rowErrors: [{ row: 3, field: 'severity', rule: 'severity' }] });
    const struts = (await findings(mgmt, `&keyword=CVE-2017-5638`)).find((f) => f.hostRef === ip2)!;
    expect(struts).toMatchObject({ severity: 'critical', port: '8080/tcp', vulnId: 'nessus:97833', systemId: systemA.id });

    const csv = `\ufeffIP地址,端口,漏洞名称,风险等级,CVE编号,解决办法\r\n${ip2},3389,远程桌面弱口令,高危,,修改口令\r\n${ip2},21,"FTP 匿名登录, 可写",中危,,关闭匿名\r\n${ip2},25,未知等级,严重到爆,,\r\n,80,无地址,低危,,\r\n`;
    const rc = await upload(supervisor, 'csv', csv);
    expect(rc.statusCode, rc.body).toBe(201);
    expect(rc.json().newFindings).toBe(2);
    expect(rc.json().rowErrors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([[3, 'severity'], [4, 'ip']]);
    expect((await findings(mgmt, `&keyword=${encodeURIComponent('FTP 匿名登录')}`))[0]).toMatchObject({ name: 'FTP 匿名登录, 可写', severity: 'medium' });

    const noColumns = await upload(supervisor, 'csv', '主机,名字\r\n1,2\r\n');
    expect(noColumns.statusCode).toBe(400);
    expect(noColumns.json().details.issues[0].rule).toBe('columns');
  });
});

describe('rectification and visibility', () => {
  it('notifying a finding opens one service-desk ticket for the provider (container wiring), a verified fix clears it', async () => {
    const f = (await findings(mgmt, `&status=open&keyword=${encodeURIComponent('MySQL 弱口令')}`))[0]!;
    const n = await inject(supervisor, 'POST', `/api/security/findings/${f.id}/notify`, { note: '限期整改' });
    expect(n.statusCode, n.body).toBe(200);
    const ticketId = n.json().ticketId as string;
    expect(ticketId).toMatch(/^[0-9a-f-]{36}$/);
    const ticket = await owner.query('select source, source_id, provider_id from sd_tickets where id = $1', [ticketId]);
    expect(ticket.rows[0]).toMatchObject({ source: 'vulnerability', source_id: f.id, provider_id: provA.id });
    const v = await inject(supervisor, 'POST', `/api/security/findings/${f.id}/verify`, { note: '复核通过' });
    expect(v.json()).toMatchObject({ status: 'fixed', ticketId });
    expect(Number((await owner.query('select count(*) from sd_tickets where source_id = $1', [f.id])).rows[0].count)).toBe(1);
  });
  it('notify → provider reply → verify, with the ticket hook called; others cannot see or act', async () => {
    const calls: Array<{ state: string; sourceId: string }> = [];
    t.container.security.setTicketHook(async (input) => {
      calls.push({ state: input.state, sourceId: input.sourceId });
      return { ticketId: '00000000-0000-4000-8000-000000000001', created: input.state === 'open' };
    });
    const open = (await findings(mgmt, `&status=open&keyword=${encodeURIComponent('HTTP 明文传输')}`))[0]!;
    expect((await inject(provBStaff, 'GET', `/api/security/findings/${open.id}`)).statusCode).toBe(404);
    expect((await inject(unitB, 'GET', `/api/security/findings/${open.id}`)).statusCode).toBe(404);
    expect((await inject(unitA, 'GET', `/api/security/findings/${open.id}`)).statusCode).toBe(200);
    expect((await inject(sysAdmin, 'GET', '/api/security/findings')).statusCode).toBe(403);
    expect(await findings(provBStaff, `&keyword=${encodeURIComponent(net + '.')}`)).toHaveLength(0);
    expect((await inject(provAStaff, 'POST', `/api/security/findings/${open.id}/notify`, {})).statusCode).toBe(403);

    const n = await inject(supervisor, 'POST', `/api/security/findings/${open.id}/notify`, { note: '请于期限内整改' });
    expect(n.statusCode, n.body).toBe(200);
    expect(n.json()).toMatchObject({ status: 'notified', ticketId: '00000000-0000-4000-8000-000000000001' });
    expect((await inject(supervisor, 'POST', `/api/security/findings/${open.id}/notify`, {})).json().code).toBe('security.invalid_transition');
    const r = await inject(provAStaff, 'POST', `/api/security/findings/${open.id}/reply`, { note: '已启用 HTTPS 并关闭 80 端口' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'replied', reply: '已启用 HTTPS 并关闭 80 端口' });
    const v = await inject(supervisor, 'POST', `/api/security/findings/${open.id}/verify`, { note: '人工复核通过' });
    expect(v.json()).toMatchObject({ status: 'fixed' });
    expect(v.json().events.map((e: { action: string }) => e.action)).toEqual(['found', 'notified', 'replied', 'fixed']);
    expect(calls.filter((c) => c.sourceId === open.id)).toEqual([{ state: 'open', sourceId: open.id }, { state: 'cleared', sourceId: open.id }]);
    const audited = await owner.query(`select action from audit_log where target_id = $1 order by seq`, [open.id]);
    expect(audited.rows.map((x) => x.action)).toEqual(['security.notified', 'security.replied', 'security.fixed']);
  });

  it('risk acceptance needs a future expiry, and the system administrator sees no finding even with the database', async () => {
    const f = (await findings(mgmt, `&status=open&keyword=${encodeURIComponent('远程桌面弱口令')}`))[0]!;
    const past = await inject(mgmt, 'POST', `/api/security/findings/${f.id}/accept`, { reason: '业务必须', until: '2020-01-01' });
    expect(past.statusCode).toBe(400);
    expect(past.json().details.issues[0]).toMatchObject({ field: 'body.until', rule: 'after_today' });
    const ok = await inject(mgmt, 'POST', `/api/security/findings/${f.id}/accept`, { reason: '系统下线前不改造，已加访问控制', until: '2099-12-31' });
    expect(ok.json()).toMatchObject({ status: 'accepted', acceptedUntil: '2099-12-31' });
    // RLS backstop: with business access off (三员), no row.
    const c = await t.database.pool.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('zhengyun.scope_all', 'on', true), set_config('zhengyun.business_access', 'off', true)`);
      expect((await c.query('select count(*)::int as n from security_findings')).rows[0].n).toBe(0);
      await c.query('rollback');
    } finally {
      c.release();
    }
  });
});

describe('pushed 安全漏洞扫描数据 and the figures', () => {
  it('imports pushed batches after the cursor once; 完成整改 marks the reply; handling figures per provider', async () => {
    const hostId = (await owner.query('select natural_key from inventory_resources where id = $1', [host1])).rows[0].natural_key as string;
    const rec = (name: string, status: string) => ({ vulnerabilityName: name, vulnerabilityType: '配置缺陷', riskLevel: '高', cloudHostId: hostId, systemId: systemA.systemNo, scannedAt: '2026-12-01 10:00:00', notifiedRelatedUnits: '否', remediationStatus: status });
    const res = await t.container.pushWriter.writeBatch({ providerOrgId: provA.id, nodeId: nodeA, table: 'vulnerabilityScan', source: 'api', mode: 'partial', records: [rec('Redis 未授权访问', '未整改'), rec('Tomcat 默认页面', '未整改')] });
    expect(res.accepted, JSON.stringify(res.errors)).toBe(2);
    await t.container.security.importPending();
    await t.container.security.importPending();
    const pushed = await findings(mgmt, `&keyword=${encodeURIComponent(hostId)}`);
    expect(pushed.map((f) => f.name).sort()).toEqual(['Redis 未授权访问', 'Tomcat 默认页面']);
    expect(pushed[0]).toMatchObject({ systemId: systemA.id, providerId: provA.id, deadline: '2026-12-08' });
    await t.container.pushWriter.writeBatch({ providerOrgId: provA.id, nodeId: nodeA, table: 'vulnerabilityScan', source: 'api', mode: 'partial', records: [{ ...rec('Redis 未授权访问', '完成整改'), remediatedAt: '2026-12-03 09:00:00' }] });
    await t.container.security.importPending();
    const redis = (await findings(mgmt, `&keyword=${encodeURIComponent(hostId)}`)).find((f) => f.name === 'Redis 未授权访问')!;
    expect(redis.status).toBe('replied');

    // Attack monitoring: pushed 安全攻击监测数据 counted per month, by name and system (provider A sees its own pushes).
    const attack = (name: string) => ({ attackName: name, cloudHostId: hostId, systemId: systemA.systemNo, notifiedRelatedUnits: '是', monitoredAt: '2026-12-01 10:00:00', monitoredBy: '监测员' });
    const pushedAttacks = await t.container.pushWriter.writeBatch({ providerOrgId: provA.id, nodeId: nodeA, table: 'securityAttack', source: 'api', mode: 'partial', records: [attack('SQL 注入'), attack('SQL 注入'), attack('暴力破解')] });
    expect(pushedAttacks.accepted, JSON.stringify(pushedAttacks.errors)).toBe(3);
    const month = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 7);
    const stats = (await inject(provAStaff, 'GET', `/api/security/attacks?month=${month}`)).json();
    expect(stats).toMatchObject({ month, total: 3, byName: [{ name: 'SQL 注入', count: 2 }, { name: '暴力破解', count: 1 }], bySystem: [{ systemNo: systemA.systemNo, count: 3 }] });
    expect((await inject(provBStaff, 'GET', `/api/security/attacks?month=${month}`)).json().total).toBe(0);

    // Figures: deadlines of provider A in 2026-11 — the OpenVAS findings of 2026-11-02 (high 11-09, medium 12-02 is December).
    const nov = (await inject(mgmt, 'GET', `/api/security/handling?month=2026-11&providerId=${provA.id}`)).json().items;
    expect(nov).toHaveLength(1);
    const dueNov = Number((await owner.query(`select count(*)::int as n from security_findings where provider_org_id = $1 and deadline between '2026-11-01' and '2026-11-30'`, [provA.id])).rows[0].n);
    expect(nov[0].dueInMonth).toBe(dueNov);
    expect(nov[0].fixedOnTime + nov[0].overdue).toBeLessThanOrEqual(nov[0].dueInMonth);
    const oct = (await inject(mgmt, 'GET', `/api/security/handling?month=2020-10&providerId=${provA.id}`)).json().items[0];
    expect(oct === undefined || oct.onTimeRate === null).toBe(true);
    const bad = await inject(mgmt, 'GET', '/api/security/handling?month=2026-13');
    expect(bad.statusCode).toBe(400);
  });
});
