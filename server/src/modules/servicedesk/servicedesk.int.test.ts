import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

/**
 * Through the API on real PostgreSQL: reporting with ownership checks, dispatch to the provider running the resource,
 * claim race (one wins, the other 409), the state machine, pending pause, escalation steps fired once across runs,
 * automatic tickets from a source without duplicates (also concurrently), rating, statistics, isolation.
 */
let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let provB: TestOrg;
let nodeA: string;
let unitA: Session;
let unitB: Session;
let engA1: Session;
let engA2: Session;
let engA1Id: string;
let engB: Session;
let engBId: string;
let mgmt: Session;
let sysAdmin: Session;
let systemA: { id: string };
let systemB: { id: string };
let resA: string;
let resB: string;

const inject = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

async function resource(providerId: string, nodeId: string, systemId: string, unitId: string, name: string): Promise<string> {
  const r = await owner.query(
    `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, system_id, unit_org_id, system_node_id, name, attributes, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
     values ('cloud_host', $1, $2, $3, $4, $5, $2, $6, '{}', 'active', now(), now(), now(), 0) returning id`,
    [providerId, nodeId, unique('host'), systemId, unitId, name],
  );
  return r.rows[0].id;
}

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('工单服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('工单服务商乙') });
  nodeA = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('SA').slice(0, 20), name: '工单甲节点', cloudType: 'service', providerOrgId: provA.id });
  const nodeB = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('SB').slice(0, 20), name: '工单乙节点', cloudType: 'service', providerOrgId: provB.id });
  const a = await createOrg(t, { kind: 'user_unit', code: unique('SDA') });
  const b = await createOrg(t, { kind: 'user_unit', code: unique('SDB') });
  const m = await createOrg(t, { kind: 'management_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
  unitA = (await signedInUser(t, { orgId: a.id, roles: ['unit_staff'] })).session;
  unitB = (await signedInUser(t, { orgId: b.id, roles: ['unit_staff'] })).session;
  const e1 = await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] });
  engA1 = e1.session;
  engA1Id = e1.user.id;
  engA2 = (await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] })).session;
  const eb = await signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] });
  engB = eb.session;
  engBId = eb.user.id;
  const register = async (s: Session, name: string, nodeId: string) => {
    const res = await inject(s, 'POST', '/api/information-systems', {
      nodeId, name, systemType: '公众服务', gradingLevel: '三级', operatingHours: '7*24小时', networkNature: '政务外网', contactName: '张三', contactMobile: '13812348000', contactEmail: 'abc@x.cn',
      serviceAudience: '公众', serviceScope: '全市', interconnection: '无', functionDescription: '办事', preApprovalStatus: '已审批', accessUrl: 'https://x.gov.cn', appVendor: '某公司',
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };
  systemA = await register(unitA, '甲单位工单系统', nodeA);
  systemB = await register(unitB, '乙单位工单系统', nodeB);
  resA = await resource(provA.id, nodeA, systemA.id, a.id, '甲主机');
  resB = await resource(provB.id, nodeB, systemB.id, b.id, '乙主机');
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

type Detail = { id: string; ticketNo: string; status: string; version: number; providerId: string; priority: number; assigneeUserId: string | null; clocks: Array<{ clock: string; targetMinutes: number; state: string }>; events: Array<{ kind: string; visibility: string; body: string | null }>; abilities: Record<string, boolean>; rating: number | null; respondedAt: string | null };

describe('reporting and dispatch', () => {
  it('refuses another unit’s system or resource and forbidden attachments, nothing saved', async () => {
    const before = Number((await owner.query('select count(*) from sd_tickets')).rows[0].count);
    const other = await inject(unitA, 'POST', '/api/tickets', { kind: 'fault', title: '别人的系统', systemId: systemB.id });
    expect(other.statusCode).toBe(400);
    expect(other.json()).toMatchObject({ code: 'servicedesk.system_not_owned', details: { issues: [{ field: 'body.systemId', rule: 'own_system' }] } });
    const otherRes = await inject(unitA, 'POST', '/api/tickets', { kind: 'fault', title: '别人的主机', systemId: systemA.id, resourceIds: [resB] });
    expect(otherRes.json()).toMatchObject({ code: 'servicedesk.resource_not_owned', details: { issues: [{ field: 'body.resourceIds[0]' }] } });
    const exe = await inject(unitA, 'POST', '/api/tickets', { kind: 'fault', title: '附件', systemId: systemA.id, attachments: [{ fileName: 'x.exe', contentBase64: 'AAAA' }] });
    expect(exe.json()).toMatchObject({ code: 'servicedesk.attachment_type' });
    const big = await inject(unitA, 'POST', '/api/tickets', { kind: 'fault', title: '附件', systemId: systemA.id, attachments: [{ fileName: 'x.log', contentBase64: Buffer.alloc(5 * 1024 * 1024 + 10).toString('base64') }] });
    expect(big.json()).toMatchObject({ code: 'servicedesk.attachment_too_large' });
    expect(Number((await owner.query('select count(*) from sd_tickets')).rows[0].count)).toBe(before);
  });

  it('dispatches to the provider running the resource, with the seed targets; claim race: one wins, the other 409', async () => {
    const res = await inject(unitA, 'POST', '/api/tickets', { kind: 'fault', title: '门户无法访问', description: '首页 502', impact: 2, urgency: 2, systemId: systemA.id, resourceIds: [resA], attachments: [{ fileName: '截图.png', contentBase64: Buffer.from('png').toString('base64') }] });
    expect(res.statusCode, res.body).toBe(201);
    const tk = res.json() as Detail;
    expect(tk).toMatchObject({ status: 'new', providerId: provA.id, priority: 3 });
    expect(tk.clocks.find((c) => c.clock === 'response')).toMatchObject({ targetMinutes: 15, state: 'running' });
    expect(tk.clocks.find((c) => c.clock === 'onsite')).toMatchObject({ targetMinutes: 120 });
    // Provider B does not see it (404), provider A's engineers do.
    expect((await inject(engB, 'GET', `/api/tickets/${tk.id}`)).statusCode).toBe(404);
    expect((await inject(unitB, 'GET', `/api/tickets/${tk.id}`)).statusCode).toBe(404);
    expect((await inject(sysAdmin, 'GET', `/api/tickets/${tk.id}`)).statusCode).toBe(403);
    const queue = await inject(engA1, 'GET', '/api/tickets?view=queue');
    expect(queue.json().items.map((x: Detail) => x.id)).toContain(tk.id);
    expect((await inject(engB, 'GET', '/api/tickets?view=queue')).json().items.map((x: Detail) => x.id)).not.toContain(tk.id);

    const [c1, c2] = await Promise.all([
      inject(engA1, 'POST', `/api/tickets/${tk.id}/actions`, { action: 'claim', version: tk.version }),
      inject(engA2, 'POST', `/api/tickets/${tk.id}/actions`, { action: 'claim', version: tk.version }),
    ]);
    const codes = [c1.statusCode, c2.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const lost = c1.statusCode === 409 ? c1 : c2;
    expect(['servicedesk.already_claimed', 'servicedesk.version_conflict']).toContain(lost.json().code);
    const won = (c1.statusCode === 200 ? c1 : c2).json() as Detail;
    expect(won).toMatchObject({ status: 'in_progress' });
    expect(won.respondedAt).not.toBeNull();
    expect(won.clocks.find((c) => c.clock === 'response')!.state).toBe('met');

    // Assign to another provider's engineer: refused; forbidden transition: clear 409.
    const wrong = await inject(mgmt, 'POST', `/api/tickets/${tk.id}/actions`, { action: 'assign', version: won.version, assigneeUserId: engBId });
    expect(wrong.json()).toMatchObject({ code: 'servicedesk.assignee_other_provider', details: { issues: [{ field: 'body.assigneeUserId' }] } });
    const cancel = await inject(unitA, 'POST', `/api/tickets/${tk.id}/actions`, { action: 'cancel', version: won.version, reason: '不要了' });
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json().code).toBe('servicedesk.transition_forbidden');

    // Pending pause, resume, internal comment hidden from the unit, resolve, rate.
    const me = won.assigneeUserId === engA1Id ? engA1 : engA2;
    let d = (await inject(me, 'POST', `/api/tickets/${tk.id}/actions`, { action: 'pend', version: won.version, reason: '等待用户提供日志' })).json() as Detail;
    expect(d.status).toBe('pending');
    d = (await inject(me, 'POST', `/api/tickets/${tk.id}/actions`, { action: 'resume', version: d.version })).json() as Detail;
    expect(d.status).toBe('in_progress');
    await inject(me, 'POST', `/api/tickets/${tk.id}/comments`, { body: '内部：怀疑负载均衡', visibility: 'internal' });
    const seenByUnit = (await inject(unitA, 'GET', `/api/tickets/${tk.id}`)).json() as Detail;
    expect(seenByUnit.events.some((e) => e.body === '内部：怀疑负载均衡')).toBe(false);
    expect(((await inject(me, 'GET', `/api/tickets/${tk.id}`)).json() as Detail).events.some((e) => e.body === '内部：怀疑负载均衡')).toBe(true);
    d = (await inject(me, 'POST', `/api/tickets/${tk.id}/actions`, { action: 'resolve', version: seenByUnit.version, resolution: '重启负载均衡' })).json() as Detail;
    expect(d.status).toBe('resolved');
    expect((await inject(unitB, 'POST', `/api/tickets/${tk.id}/rating`, { rating: 5 })).statusCode).toBe(404);
    const rated = await inject(unitA, 'POST', `/api/tickets/${tk.id}/rating`, { rating: 4, comment: '及时' });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json()).toMatchObject({ status: 'closed', rating: 4 });
    // Fault report and its signed PDF.
    const fr = await inject(me, 'PUT', `/api/tickets/${tk.id}/fault-report`, { cause: '负载均衡会话表满', impactScope: '门户首页', timeline: '10:00 发现，10:20 恢复', measures: '重启', prevention: '扩容会话表' });
    expect(fr.statusCode, fr.body).toBe(200);
    const pdf = await inject(unitA, 'GET', `/api/tickets/${tk.id}/fault-report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    // Every change audited.
    const audits = await owner.query(`select action from audit_log where target_id = $1 order by seq`, [tk.id]);
    expect(audits.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['servicedesk.ticket_create', 'servicedesk.ticket_claim', 'servicedesk.ticket_pend', 'servicedesk.ticket_resolve', 'servicedesk.ticket_rate']));

    const stats = await inject(mgmt, 'GET', `/api/tickets/statistics?month=${new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 7)}&providerId=${provA.id}`);
    const row = stats.json().items.find((x: { kind: string; unitId: string }) => x.kind === 'fault');
    expect(row).toMatchObject({ tickets: 1, responded: 1, respondedInTarget: 1, responseRate: '1.0000', resolved: 1, resolutionRate: '1.0000', satisfactionAvg: '4.00', satisfiedRate: '1.0000', breaches: 0 });
    const statsB = await inject(engB, 'GET', `/api/tickets/statistics?month=${new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 7)}`);
    expect(statsB.json().items.filter((x: { providerId: string }) => x.providerId === provA.id)).toEqual([]);
  });
});

describe('automatic tickets and escalation', () => {
  it('opens one ticket per source record while open (also concurrently), updates, clears with restore time', async () => {
    const sd = t.container.serviceDesk;
    const sourceId = unique('alert');
    const input = { source: 'alert' as const, sourceId, state: 'open' as const, title: 'CPU 使用率过高', description: '95%', severity: 'major' as const, occurredAt: new Date(), resourceIds: [resA], systemId: systemA.id };
    const results = await Promise.all([sd.upsertTicketFromSource(input), sd.upsertTicketFromSource(input), sd.upsertTicketFromSource(input)]);
    expect(results.filter((r) => r?.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r?.ticketId)).size).toBe(1);
    const again = await sd.upsertTicketFromSource({ ...input, description: '97%' });
    expect(again).toEqual({ ticketId: results[0]!.ticketId, created: false });
    const cleared = await sd.upsertTicketFromSource({ ...input, state: 'cleared', occurredAt: new Date() });
    expect(cleared?.created).toBe(false);
    const row = (await owner.query('select channel, provider_id, priority, restored_at, status from sd_tickets where id = $1', [results[0]!.ticketId])).rows[0];
    expect(row).toMatchObject({ channel: 'alert', provider_id: provA.id, priority: 2, status: 'new' });
    expect(row.restored_at).not.toBeNull();
    const ev = await owner.query(`select body from sd_ticket_events where ticket_id = $1 and kind = 'source_cleared'`, [results[0]!.ticketId]);
    expect(ev.rows[0].body).toContain('source cleared');
    expect(await sd.upsertTicketFromSource({ ...input, sourceId: unique('never'), state: 'cleared' })).toBeNull();
  });

  it('fires each escalation step once, even when the check runs twice, and never for a stopped clock', async () => {
    const sd = t.container.serviceDesk;
    const opened = new Date(Date.now() - 40 * 60_000);
    const r = await sd.upsertTicketFromSource({ source: 'outage', sourceId: unique('probe'), state: 'open', title: '门户探测中断', description: '连续 3 次失败', severity: 'minor', occurredAt: opened, providerId: provA.id, nodeId: nodeA, systemId: systemA.id });
    // P3 fault: response 15 min → 40 min is past 150 %; on site 120 min → 33 %: nothing yet.
    const first = await sd.checkClocks(new Date());
    expect(first.fired).toBeGreaterThanOrEqual(3);
    const steps = (await owner.query(`select clock, stage from sd_escalations where ticket_id = $1 order by clock, stage`, [r!.ticketId])).rows;
    expect(steps).toEqual([{ clock: 'response', stage: 'breach' }, { clock: 'response', stage: 'management' }, { clock: 'response', stage: 'warning' }]);
    await sd.checkClocks(new Date());
    expect((await owner.query(`select count(*)::int as n from sd_escalations where ticket_id = $1`, [r!.ticketId])).rows[0].n).toBe(3);
    const notes = await owner.query(`select count(*)::int as n from notifications where kind like 'servicedesk.sla_%' and link = $1`, [`/tickets?id=${r!.ticketId}`]);
    expect(notes.rows[0].n).toBeGreaterThanOrEqual(3);
    expect((await owner.query('select escalated from sd_tickets where id = $1', [r!.ticketId])).rows[0].escalated).toBe(true);
  });
});

describe('lists over many tickets', () => {
  it('count at most 1,000 matches ("1,000+") and exactly below that; page 1 in queue order', async () => {
    const prov = await createOrg(t, { kind: 'cloud_provider', name: unique('工单服务商丙') });
    const eng = (await signedInUser(t, { orgId: prov.id, roles: ['provider_staff'] })).session;
    const targets = JSON.stringify({ response: { minutes: 15, schedule: 'clock' }, resolution: { minutes: 2880, schedule: 'clock' } });
    await owner.query(
      `insert into sd_tickets (kind, title, status, impact, urgency, priority, channel, reporter_name, provider_id, targets, schedule, opened_at)
       select 'fault', case when g <= 3 then '容量测试 特别 ' || g else '容量测试 ' || g end, 'new', 2, 2, 1 + g % 4, 'api', '接口', $1, $2::jsonb, 'clock',
              now() - g * interval '1 second'
       from generate_series(1, 1005) g`,
      [prov.id, targets],
    );
    const all = await inject(eng, 'GET', '/api/tickets?view=queue&page=1&pageSize=20&sort=priority');
    expect(all.statusCode, all.body).toBe(200);
    const body = all.json();
    expect(body.total).toBe(1_000);
    expect(body.totalCapped).toBe(true);
    expect(body.items).toHaveLength(20);
    // Priority 1 first, oldest first within it.
    expect(body.items.every((x: { priority: number }) => x.priority === 1)).toBe(true);
    const opened = body.items.map((x: { openedAt: string }) => Date.parse(x.openedAt));
    expect(opened).toEqual([...opened].sort((a, b) => a - b));
    const some = (await inject(eng, 'GET', `/api/tickets?view=queue&page=1&pageSize=20&sort=priority&q=${encodeURIComponent('容量测试 特别')}`)).json();
    expect(some.total).toBe(3);
    expect(some.totalCapped).toBe(false);
  });
});
