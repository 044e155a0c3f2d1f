import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestUser } from '../../test/fixtures.js';
import { webhookSignature } from './index.js';
import { withTx } from '../../platform/db/database.js';

interface Received {
  to: string[];
  raw: string;
}

/** Decodes the parts of a raw single-part message that matter here: headers, RFC 2047 subject, body by its encoding. */
function parseMail(raw: string): { headers: Record<string, string>; subject: string; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const decodeWord = (s: string) =>
    s.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
  const rawBody = raw.slice(split + 4);
  const cte = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const body =
    cte === 'base64'
      ? Buffer.from(rawBody.replace(/\s+/g, ''), 'base64').toString('utf8')
      : cte === 'quoted-printable'
        ? Buffer.from(rawBody.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')
        : rawBody;
  return { headers, subject: decodeWord(headers.subject ?? ''), body };
}

let t: TestApp;
let smtp: SMTPServer;
let smtpFailures = 0;
const mails: Received[] = [];
let hookServer: http.Server;
let hookUrl: string;
const hooks: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }> = [];

let mgmt: Session;
let unitA: { user: TestUser; session: Session };
let unitB: { user: TestUser; session: Session };
let unitAdmin: { user: TestUser; session: Session };
let provider: { user: TestUser; session: Session };
let otherProvider: { user: TestUser; session: Session };
let unitId: string;
let nodeId: string;
let otherNodeId: string;
const emailA = `${unique('a')}@example.cn`;

const me = (s: Session, query = '') => t.app.inject({ url: `/api/notifications${query}`, headers: s.headers });
const notifyA = (kind: string, title: string, body = '') => t.container.notifications.notify(null, { recipients: { userIds: [unitA.user.id] }, kind, title, body, link: '/todo' });

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (smtpFailures > 0) {
          smtpFailures--;
          const err = Object.assign(new Error('mailbox temporarily unavailable'), { responseCode: 451 });
          callback(err);
          return;
        }
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('latin1') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  hookServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hooks.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
  });
  await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', () => resolve()));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/robot/send?key=abcdef123456`;

  t = await createTestApp({ smtpHost: '127.0.0.1', smtpPort, smtpSecure: false, smtpFrom: '政云通知 <noreply@zhengyun.test>', publicUrl: 'https://zhengyun.example.cn' });
  const m = await createOrg(t, { kind: 'management_unit' });
  const u = await createOrg(t, { kind: 'user_unit' });
  const b = await createOrg(t, { kind: 'user_unit' });
  const p = await createOrg(t, { kind: 'cloud_provider' });
  const p2 = await createOrg(t, { kind: 'cloud_provider' });
  unitId = u.id;
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  unitA = await signedInUser(t, { orgId: u.id, roles: ['unit_staff'], email: emailA });
  unitAdmin = await signedInUser(t, { orgId: u.id, roles: ['unit_admin'] });
  unitB = await signedInUser(t, { orgId: b.id, roles: ['unit_staff'] });
  provider = await signedInUser(t, { orgId: p.id, roles: ['provider_staff'] });
  otherProvider = await signedInUser(t, { orgId: p2.id, roles: ['provider_staff'] });
  const c = new pg.Client({ connectionString: t.ownerUrl });
  await c.connect();
  try {
    const n1 = await c.query<{ id: string }>(`insert into cloud_nodes (code, name, cloud_type, provider_org_id) values ($1, '重保测试节点', 'service', $2) returning id`, [unique('n').slice(0, 28), p.id]);
    const n2 = await c.query<{ id: string }>(`insert into cloud_nodes (code, name, cloud_type, provider_org_id) values ($1, '另一节点', 'service', $2) returning id`, [unique('n').slice(0, 28), p2.id]);
    nodeId = n1.rows[0]!.id;
    otherNodeId = n2.rows[0]!.id;
  } finally {
    await c.end();
  }
});

afterAll(async () => {
  await t?.close();
  t?.container.notifications.email.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise<void>((resolve) => hookServer.close(() => resolve()));
});

describe('in-app notifications', () => {
  it('lists only my notifications with the unread count; marking read works only on mine', async () => {
    const res = await notifyA('test.hello', '测试通知', '正文');
    expect(res.userIds).toEqual([unitA.user.id]);
    const list = await me(unitA.session);
    expect(list.statusCode, list.body).toBe(200);
    const body = list.json() as { items: Array<{ id: string; title: string; readAt: string | null }>; unread: number };
    const mine = body.items.find((i) => i.id === res.notificationIds[0])!;
    expect(mine).toMatchObject({ title: '测试通知', readAt: null });
    expect(body.unread).toBeGreaterThanOrEqual(1);

    const other = await me(unitB.session);
    expect((other.json() as { items: Array<{ id: string }> }).items.map((i) => i.id)).not.toContain(mine.id);
    const steal = await t.app.inject({ method: 'POST', url: `/api/notifications/${mine.id}/read`, headers: unitB.session.headers });
    expect(steal.statusCode).toBe(404);

    const read = await t.app.inject({ method: 'POST', url: `/api/notifications/${mine.id}/read`, headers: unitA.session.headers });
    expect(read.statusCode).toBe(204);
    const after = (await me(unitA.session, '?unread=true')).json() as { items: Array<{ id: string }>; unread: number };
    expect(after.items.map((i) => i.id)).not.toContain(mine.id);
    expect(after.unread).toBe(body.unread - 1);
    await notifyA('test.hello', '第二条');
    const all = await t.app.inject({ method: 'POST', url: '/api/notifications/read-all', headers: unitA.session.headers });
    expect(all.json().updated).toBeGreaterThanOrEqual(1);
    expect((await t.app.inject({ url: '/api/notifications/unread-count', headers: unitA.session.headers })).json()).toEqual({ unread: 0 });
  });

  it('resolves recipients by role and organisation across tenants, and refuses malformed input', async () => {
    const res = await t.container.notifications.notify(null, { recipients: { roleCodes: ['unit_admin'], orgIds: [unitId] }, kind: 'test.role', title: '角色' });
    expect(res.userIds).toEqual([unitAdmin.user.id]);
    await expect(t.container.notifications.notify(null, { recipients: {}, kind: 'test.role', title: 'x' })).rejects.toMatchObject({ code: 'notifications.invalid_input' });
    await expect(t.container.notifications.notify(null, { recipients: { userIds: [unitA.user.id] }, kind: 'Bad Kind', title: 'x' })).rejects.toMatchObject({ code: 'notifications.invalid_input', details: { issues: [{ field: 'kind' }] } });
  });

  it('prunes read notifications after 180 days and unread ones after a year', async () => {
    const read = await t.container.notifications.notify(null, { recipients: { userIds: [unitB.user.id] }, kind: 'test.prune', title: '已读' });
    const unread = await t.container.notifications.notify(null, { recipients: { userIds: [unitB.user.id] }, kind: 'test.prune', title: '未读' });
    await t.app.inject({ method: 'POST', url: `/api/notifications/${read.notificationIds[0]}/read`, headers: unitB.session.headers });
    const only = { userIds: [unitB.user.id] };
    const ids = async () => ((await me(unitB.session, '?limit=200')).json() as { items: Array<{ id: string }> }).items.map((i) => i.id);
    await t.container.notifications.prune(new Date(Date.now() + 179 * 86_400_000), only);
    expect(await ids()).toEqual(expect.arrayContaining([read.notificationIds[0], unread.notificationIds[0]]));
    await t.container.notifications.prune(new Date(Date.now() + 181 * 86_400_000), only);
    expect(await ids()).toEqual(expect.arrayContaining([unread.notificationIds[0]]));
    expect(await ids()).not.toContain(read.notificationIds[0]);
    await t.container.notifications.prune(new Date(Date.now() + 366 * 86_400_000), only);
    expect(await ids()).not.toContain(unread.notificationIds[0]);
  });

  it('needs a signed-in person', async () => {
    expect((await t.app.inject({ url: '/api/notifications' })).statusCode).toBe(401);
  });
});

describe('e-mail over SMTP', () => {
  it('delivers a Chinese message to a real SMTP server', async () => {
    const res = await notifyA('test.mail', '资源调整工单即将超时', '工单 WO-2026-0001 须在 2 小时内完成。');
    expect(res.deliveries).toBe(1);
    const r = await t.container.notifications.deliverDue();
    expect(r.sent).toBeGreaterThanOrEqual(1);
    const parsed = mails.filter((m) => m.to.includes(emailA)).map((m) => parseMail(m.raw)).find((m) => m.subject === '资源调整工单即将超时')!;
    expect(parsed).toBeTruthy();
    expect(parsed.subject).toBe('资源调整工单即将超时');
    expect(parsed.headers['content-type']).toMatch(/charset=utf-8/i);
    expect(parsed.body).toContain('工单 WO-2026-0001 须在 2 小时内完成。');
    expect(parsed.body).toContain('https://zhengyun.example.cn/todo');
    expect(parsed.headers.to).toContain(emailA);
    expect(parsed.headers['message-id']).toMatch(/@zhengyun>$/);
    const deliveries = (await t.app.inject({ url: '/api/notifications/deliveries', headers: unitA.session.headers })).json() as { items: Array<{ notificationId: string; status: string; attempts: number; target: string }> };
    expect(deliveries.items.find((d) => d.notificationId === res.notificationIds[0])).toMatchObject({ status: 'sent', attempts: 1, target: emailA });
  });

  it('retries with backoff while the SMTP server refuses, then delivers once', async () => {
    smtpFailures = 2;
    const before = mails.filter((m) => m.to.includes(emailA)).length;
    const res = await notifyA('test.mail', '重试测试');
    const t0 = new Date();
    const first = await t.container.notifications.deliverDue(t0);
    expect(first.retried).toBeGreaterThanOrEqual(1);
    const status = async () =>
      ((await t.app.inject({ url: '/api/notifications/deliveries', headers: unitA.session.headers })).json() as { items: Array<{ notificationId: string; status: string; attempts: number; lastError: string | null; nextAttemptAt: string }> }).items.find(
        (d) => d.notificationId === res.notificationIds[0],
      )!;
    const s1 = await status();
    expect(s1).toMatchObject({ status: 'pending', attempts: 1 });
    expect(s1.lastError).toMatch(/451|temporarily/);
    expect(new Date(s1.nextAttemptAt).getTime() - t0.getTime()).toBe(60_000);
    // Not due yet: nothing is sent again.
    await t.container.notifications.deliverDue(new Date(t0.getTime() + 30_000));
    expect((await status()).attempts).toBe(1);
    await t.container.notifications.deliverDue(new Date(t0.getTime() + 61_000));
    const s2 = await status();
    expect(s2).toMatchObject({ status: 'pending', attempts: 2 });
    expect(new Date(s2.nextAttemptAt).getTime() - (t0.getTime() + 61_000)).toBe(120_000);
    await t.container.notifications.deliverDue(new Date(t0.getTime() + 200_000));
    expect(await status()).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    await t.container.notifications.deliverDue(new Date(t0.getTime() + 400_000));
    const got = mails.filter((m) => m.to.includes(emailA));
    expect(got.length).toBe(before + 1);
    expect(parseMail(got.at(-1)!.raw).subject).toBe('重试测试');
  });
});

describe('robot webhook and preferences', () => {
  it('posts the robot message with an HMAC-SM3 signature, following the channels chosen per kind', async () => {
    const secret = 'sekret-0123456789abcdef';
    const set = await t.app.inject({ method: 'PUT', url: '/api/notifications/webhook', headers: unitA.session.headers, payload: { url: hookUrl, format: 'wecom', secret } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().webhook).toMatchObject({ format: 'wecom', hasSecret: true, url: expect.stringContaining('key=abcd***') });
    const prefs = await t.app.inject({
      method: 'PUT',
      url: '/api/notifications/preferences',
      headers: unitA.session.headers,
      payload: { items: [{ kind: 'test.robot', inApp: false, email: false, webhook: true }] },
    });
    expect(prefs.statusCode, prefs.body).toBe(200);
    expect((prefs.json() as { kinds: Array<{ kind: string; custom: boolean; email: boolean }> }).kinds.find((k) => k.kind === 'test.robot')).toMatchObject({ custom: true, email: false });

    // Saving the masked URL the page shows keeps the stored one (with its key).
    const again = await t.app.inject({ method: 'PUT', url: '/api/notifications/webhook', headers: unitA.session.headers, payload: { url: set.json().webhook.url, format: 'wecom' } });
    expect(again.json().webhook).toMatchObject({ hasSecret: true, url: set.json().webhook.url });

    const mailsBefore = mails.filter((m) => m.to.includes(emailA)).length;
    const res = await notifyA('test.robot', '重保期通知', '3月1日起进入重保期');
    expect(res.deliveries).toBe(1);
    await t.container.notifications.deliverDue();
    const hook = hooks.find((h) => h.headers['x-zhengyun-delivery'] && h.body.includes('3月1日起进入重保期'))!;
    expect(hook).toBeTruthy();
    expect(hook.url).toBe('/robot/send?key=abcdef123456');
    const body = JSON.parse(hook.body) as { msgtype: string; markdown: { content: string } };
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.content).toContain('重保期通知');
    expect(hook.headers['content-type']).toMatch(/application\/json/);
    expect(hook.headers['x-zhengyun-signature']).toBe(webhookSignature(secret, String(hook.headers['x-zhengyun-timestamp']), hook.body));
    // e-mail off and in-app off for this kind: no mail, not in the bell.
    expect(mails.filter((m) => m.to.includes(emailA)).length).toBe(mailsBefore);
    const list = (await me(unitA.session)).json() as { items: Array<{ id: string }> };
    expect(list.items.map((i) => i.id)).not.toContain(res.notificationIds[0]);
    // Other kinds keep the defaults (in-app and e-mail, no webhook).
    const other = await notifyA('test.other', '默认渠道');
    expect(other.deliveries).toBe(1);
    await t.container.notifications.deliverDue();

    const bad = await t.app.inject({ method: 'PUT', url: '/api/notifications/webhook', headers: unitA.session.headers, payload: { url: 'ftp://x', format: 'wecom' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.issues[0].field).toContain('url');
  });
});

describe('organisation robot', () => {
  it("sends to the organisation's robot for its people without their own; another unit's administrator cannot set it", async () => {
    const adminB = await signedInUser(t, { orgId: unitB.user.orgId, roles: ['unit_admin'] });
    const foreign = await t.app.inject({ method: 'PUT', url: `/api/notifications/org-webhooks/${unitB.user.orgId}`, headers: unitAdmin.session.headers, payload: { url: hookUrl, format: 'generic' } });
    expect(foreign.statusCode).toBe(404);
    const denied = await t.app.inject({ method: 'PUT', url: `/api/notifications/org-webhooks/${unitB.user.orgId}`, headers: unitB.session.headers, payload: { url: hookUrl, format: 'generic' } });
    expect(denied.statusCode).toBe(403);
    const set = await t.app.inject({ method: 'PUT', url: `/api/notifications/org-webhooks/${unitB.user.orgId}`, headers: adminB.session.headers, payload: { url: hookUrl.replace('/robot/', '/org-robot/'), format: 'generic' } });
    expect(set.statusCode, set.body).toBe(200);
    await t.app.inject({ method: 'PUT', url: '/api/notifications/preferences', headers: unitB.session.headers, payload: { items: [{ kind: 'test.org', inApp: true, email: false, webhook: true }] } });
    expect(((await t.app.inject({ url: '/api/notifications/preferences', headers: unitB.session.headers })).json() as { orgWebhook: boolean }).orgWebhook).toBe(true);
    const res = await t.container.notifications.notify(null, { recipients: { userIds: [unitB.user.id] }, kind: 'test.org', title: '单位机器人', body: '发往单位' });
    expect(res.deliveries).toBe(1);
    await t.container.notifications.deliverDue();
    const hook = hooks.find((h) => h.url.startsWith('/org-robot/') && h.body.includes('发往单位'))!;
    expect(hook).toBeTruthy();
    expect(JSON.parse(hook.body)).toMatchObject({ title: '单位机器人', body: '发往单位', kind: 'test.org' });
    expect(hook.headers['x-zhengyun-signature']).toBeUndefined();
  });

  it('notify inside a unit person’s transaction reaches people of other organisations, with their channels', async () => {
    const ctx = { actor: { kind: 'user', userId: unitA.user.id, tokenId: null, sessionId: null, username: unitA.user.username, orgId: unitA.user.orgId, orgKind: 'user_unit', permissions: new Set<string>(), adminKinds: new Set(), scope: { all: false, roots: [unitA.user.orgId] }, businessAccess: true }, requestId: 'test', ip: null, userAgent: null } as const;
    const res = await withTx(t.deps.db, ctx as never, (trx) =>
      t.container.notifications.notify(trx, { recipients: { userIds: [unitB.user.id], roleCodes: ['mgmt_staff'], orgKinds: ['management_unit'] }, kind: 'test.org', title: '跨单位' }),
    );
    expect(res.userIds).toContain(unitB.user.id);
    expect(res.userIds.length).toBeGreaterThan(1);
    // unitB: webhook on for test.org through the organisation's robot.
    expect(res.deliveries).toBeGreaterThanOrEqual(1);
    const list = (await me(unitB.session)).json() as { items: Array<{ id: string; title: string }> };
    expect(list.items.some((i) => i.title === '跨单位')).toBe(true);
  });
});

describe('workflow notifications', () => {
  it('tells the assignee of a new to-do and the applicant of the decision', async () => {
    const code = unique('wfn-').toLowerCase();
    const definition = { start: 'check', steps: [{ key: 'check', name: '单位审核', kind: 'approval', assignee: { role: 'unit_staff', org: 'applicant_unit' }, deadline: { clockHours: 4 }, next: 'end' }] };
    const created = await t.app.inject({ method: 'POST', url: '/api/workflow/definitions', headers: mgmt.headers, payload: { code, name: '通知测试', appliesTo: 'test', definition } });
    expect(created.statusCode, created.body).toBe(201);
    await t.app.inject({ method: 'POST', url: `/api/workflow/definitions/${created.json().id}/publish`, headers: mgmt.headers });
    t.container.workflow.registerSubjectType('test', async (_trx, ctx, id) => (ctx.actor.orgId ? { ownerOrgId: ctx.actor.orgId, title: `测试 ${id}` } : null));
    const subjectId = unique('n-');
    const started = await t.app.inject({ method: 'POST', url: '/api/workflow/instances', headers: unitA.session.headers, payload: { definitionCode: code, subjectType: 'test', subjectId } });
    expect(started.statusCode, started.body).toBe(201);
    const task = (started.json() as { tasks: Array<{ id: string }> }).tasks[0]!;
    const mine = async () => ((await me(unitA.session, '?limit=200')).json() as { items: Array<{ title: string; link: string | null }> }).items;
    expect((await mine()).filter((i) => i.link === `/todo?task=${task.id}`).map((i) => i.title)).toEqual([`新待办：测试 ${subjectId} · 单位审核`]);
    const approved = await t.app.inject({ method: 'POST', url: `/api/workflow/tasks/${task.id}/actions`, headers: unitA.session.headers, payload: { action: 'approve', comment: '同意' } });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await mine()).some((i) => i.title === `已通过：测试 ${subjectId}`)).toBe(true);
    // Another unit's staff hears nothing of it.
    expect(((await me(unitB.session, '?limit=200')).json() as { items: Array<{ title: string }> }).items.some((i) => i.title.includes(subjectId))).toBe(false);
  });
});

describe('deadline warnings and escalation', () => {
  it('warns at 80 %, notifies at the due time and escalates once, however often the job runs', async () => {
    const code = unique('ddl-').toLowerCase();
    const definition = {
      start: 'fill',
      steps: [{ key: 'fill', name: '补充材料', kind: 'approval', assignee: { role: 'unit_staff', org: 'applicant_unit' }, deadline: { clockHours: 1 }, next: 'end' }],
    };
    const created = await t.app.inject({ method: 'POST', url: '/api/workflow/definitions', headers: mgmt.headers, payload: { code, name: '时限测试', appliesTo: 'test', definition } });
    expect(created.statusCode, created.body).toBe(201);
    await t.app.inject({ method: 'POST', url: `/api/workflow/definitions/${created.json().id}/publish`, headers: mgmt.headers });
    t.container.workflow.registerSubjectType('test', async (_trx, ctx, id) => (ctx.actor.orgId ? { ownerOrgId: ctx.actor.orgId, title: `测试 ${id}` } : null));
    const rules = await t.app.inject({
      method: 'PUT',
      url: '/api/notifications/escalation-rules',
      headers: mgmt.headers,
      payload: { items: [{ definitionCode: null, stepKey: null, roleCode: 'mgmt_staff', org: 'management_unit' }, { definitionCode: code, stepKey: 'fill', roleCode: 'unit_admin', org: 'task_org' }] },
    });
    expect(rules.statusCode, rules.body).toBe(200);
    const noGlobal = await t.app.inject({ method: 'PUT', url: '/api/notifications/escalation-rules', headers: mgmt.headers, payload: { items: [] } });
    expect(noGlobal.json().code).toBe('notifications.global_rule_required');

    const started = await t.app.inject({ method: 'POST', url: '/api/workflow/instances', headers: unitA.session.headers, payload: { definitionCode: code, subjectType: 'test', subjectId: unique('s-') } });
    expect(started.statusCode, started.body).toBe(201);
    const task = (started.json() as { tasks: Array<{ id: string; createdAt: string; dueAt: string }> }).tasks[0]!;
    const createdAt = new Date(task.createdAt).getTime();
    const { deadlines } = t.container;
    const only = { taskIds: [task.id] };

    expect(await deadlines.check(new Date(createdAt + 30 * 60_000), only)).toEqual({ warning: 0, due: 0, escalation: 0 });
    expect(await deadlines.check(new Date(createdAt + 50 * 60_000), only)).toEqual({ warning: 1, due: 0, escalation: 0 });
    expect(await deadlines.check(new Date(createdAt + 55 * 60_000), only)).toEqual({ warning: 0, due: 0, escalation: 0 });
    expect(await deadlines.check(new Date(createdAt + 61 * 60_000), only)).toEqual({ warning: 0, due: 1, escalation: 1 });
    expect(await deadlines.check(new Date(createdAt + 90 * 60_000), only)).toEqual({ warning: 0, due: 0, escalation: 0 });

    const titles = async (s: Session) => ((await me(s, '?limit=200')).json() as { items: Array<{ title: string; link: string }> }).items.filter((i) => i.link === `/todo?task=${task.id}`).map((i) => i.title.split('：')[0]);
    expect((await titles(unitA.session)).sort()).toEqual(['办理时限预警', '办理超时', '新待办'].sort());
    expect(await titles(unitAdmin.session)).toEqual(['超时升级']);
    expect(await titles(mgmt)).toEqual([]);
    expect((await deadlines.marks('workflow_task', task.id)).map((m) => [m.stage, m.dueAt.toISOString(), m.recipients]).sort()).toEqual([
      ['due', new Date(task.dueAt).toISOString(), 1],
      ['escalation', new Date(task.dueAt).toISOString(), 1],
      ['warning', new Date(task.dueAt).toISOString(), 1],
    ]);
  });

  it('checks the deadlines of a registered source (work orders) once per stage', async () => {
    const startedAt = new Date(Date.now() - 3 * 3_600_000);
    const dueAt = new Date(startedAt.getTime() + 4 * 3_600_000);
    const id = unique('wo-');
    t.container.deadlines.registerSource('test_order', async () => [{ id, title: '资源调整工单', startedAt, dueAt, assignees: { userIds: [provider.user.id] }, escalateTo: { userIds: [unitAdmin.user.id] } }]);
    const now = new Date(startedAt.getTime() + 3.5 * 3_600_000);
    const only = { taskIds: [] as string[], itemIds: [id] };
    expect(await t.container.deadlines.check(now, only)).toMatchObject({ warning: 1 });
    expect(await t.container.deadlines.check(now, only)).toMatchObject({ warning: 0 });
    expect(await t.container.deadlines.check(new Date(dueAt.getTime() + 1), only)).toMatchObject({ due: 1, escalation: 1 });
    expect(await t.container.deadlines.check(new Date(dueAt.getTime() + 2), only)).toMatchObject({ due: 0, escalation: 0 });
    const sent = await t.container.deadlines.notifyDeadline(null, { subjectType: 'test_order', subjectId: id, stage: 'warning', dueAt, recipients: { userIds: [provider.user.id] }, title: 'x' });
    expect(sent).toBe(false);
    t.container.deadlines.registerSource('test_order', async () => []);
  });
});

describe('key-guarantee periods (重保)', () => {
  it('management declares; isKeyPeriod follows; providers concerned are notified; others read only', async () => {
    // A window far ahead, unique to this run: other tests may declare periods of their own around now.
    const at = new Date(Date.UTC(2200, 0, 1) + Math.floor(Math.random() * 1e6) * 3_600_000);
    const start = new Date(at.getTime() - 3_600_000);
    const end = new Date(at.getTime() + 3_600_000);
    const { keyPeriods } = t.container;
    const payload = { name: unique('两会重保'), startsAt: start.toISOString(), endsAt: end.toISOString(), scope: 'nodes', nodeIds: [nodeId] };
    const denied = await t.app.inject({ method: 'POST', url: '/api/key-periods', headers: unitA.session.headers, payload });
    expect(denied.statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'POST', url: '/api/key-periods', headers: mgmt.headers, payload: { ...payload, endsAt: start.toISOString() } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.issues[0].field).toContain('endsAt');
    const unknownNode = await t.app.inject({ method: 'POST', url: '/api/key-periods', headers: mgmt.headers, payload: { ...payload, nodeIds: ['00000000-0000-4000-8000-000000000000'] } });
    expect(unknownNode.json()).toMatchObject({ code: 'keyperiod.unknown_node' });

    const created = await t.app.inject({ method: 'POST', url: '/api/key-periods', headers: mgmt.headers, payload });
    expect(created.statusCode, created.body).toBe(201);
    const period = created.json() as { id: string; state: string };
    expect(period.state).toBe('upcoming');
    expect(await keyPeriods.isKeyPeriod(at, nodeId)).toBe(true);
    expect(await keyPeriods.isKeyPeriod(at, otherNodeId)).toBe(false);
    expect(await keyPeriods.isKeyPeriod(new Date(end.getTime() + 1000), nodeId)).toBe(false);

    const notified = (await me(provider.session)).json() as { items: Array<{ kind: string; title: string }> };
    expect(notified.items.some((i) => i.kind === 'keyperiod.declared' && i.title.includes(payload.name))).toBe(true);
    const notOther = (await me(otherProvider.session)).json() as { items: Array<{ title: string }> };
    expect(notOther.items.some((i) => i.title.includes(payload.name))).toBe(false);

    const read = await t.app.inject({ url: `/api/key-periods/check?nodeId=${nodeId}&at=${encodeURIComponent(at.toISOString())}`, headers: unitA.session.headers });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ keyPeriod: true });

    const moved = await t.app.inject({ method: 'PUT', url: `/api/key-periods/${period.id}`, headers: mgmt.headers, payload: { ...payload, scope: 'all', nodeIds: [] } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await keyPeriods.isKeyPeriod(at, otherNodeId)).toBe(true);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/key-periods/${period.id}`, headers: mgmt.headers });
    expect(del.statusCode).toBe(204);
    expect(await keyPeriods.isKeyPeriod(at, nodeId)).toBe(false);
  });
});
