import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session } from '../../test/fixtures.js';
import { segment } from './knowledge.service.js';

/** Knowledge base Chinese search (jieba → tsvector), visibility per organisation kind, versions; announcements. */
let t: TestApp;
let mgmt: Session;
let unit: Session;
let provider: Session;
let sysAdmin: Session;
const tag = unique('kb');

const inject = (s: Session, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

beforeAll(async () => {
  t = await createTestApp();
  const m = await createOrg(t, { kind: 'management_unit' });
  const u = await createOrg(t, { kind: 'user_unit', code: unique('KBU') });
  const p = await createOrg(t, { kind: 'cloud_provider', name: unique('知识服务商') });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
  unit = (await signedInUser(t, { orgId: u.id, roles: ['unit_staff'] })).session;
  provider = (await signedInUser(t, { orgId: p.id, roles: ['provider_staff'] })).session;
}, 120_000);
afterAll(async () => { await t?.close(); });

describe('knowledge base', () => {
  it('segments Chinese with jieba', () => {
    expect(segment('数据库审计').split(' ')).toEqual(expect.arrayContaining(['数据库', '审计']));
  });
  it('finds 数据库 inside 数据库审计, title hits first, honours visibility, keeps versions', async () => {
    const body = (title: string, text: string, visibility = 'public') => ({ category: tag, title, body: text, visibility });
    const inBody = await inject(mgmt, 'POST', '/api/kb/articles', body('日志平台巡检指引', '每日检查数据库审计日志是否完整。'));
    expect(inBody.statusCode, inBody.body).toBe(201);
    const inTitle = await inject(mgmt, 'POST', '/api/kb/articles', body('数据库审计告警处置', '告警出现后先确认策略。'));
    const internal = await inject(mgmt, 'POST', '/api/kb/articles', body('数据库内部处置预案', '仅管理单位。', 'internal'));
    await inject(mgmt, 'POST', '/api/kb/articles', body('网络设备巡检', '交换机端口。'));
    const found = await inject(unit, 'GET', `/api/kb/articles?q=${encodeURIComponent('数据库')}&category=${tag}`);
    expect(found.statusCode).toBe(200);
    const ids = found.json().items.map((a: { id: string }) => a.id);
    expect(ids).toEqual([inTitle.json().id, inBody.json().id]);
    expect(ids).not.toContain(internal.json().id);
    const all = await inject(mgmt, 'GET', `/api/kb/articles?q=${encodeURIComponent('数据库')}&category=${tag}`);
    expect(all.json().total).toBe(3);
    expect((await inject(provider, 'GET', `/api/kb/articles/${internal.json().id}`)).statusCode).toBe(404);
    expect((await inject(unit, 'POST', '/api/kb/articles', body('x', 'y'))).statusCode).toBe(403);
    expect((await inject(sysAdmin, 'GET', '/api/kb/articles')).statusCode).toBe(403);
    const edited = await inject(mgmt, 'PATCH', `/api/kb/articles/${inBody.json().id}`, { title: '日志平台巡检指引（修订）' });
    expect(edited.json()).toMatchObject({ version: 2, title: '日志平台巡检指引（修订）' });
  });
});

describe('announcements and dictionary', () => {
  it('shows valid announcements to their audience and records read receipts once', async () => {
    const now = Date.now();
    const a = await inject(mgmt, 'POST', '/api/announcements', { kind: 'maintenance', title: `${tag} 计划性维护`, body: '周六 02:00–04:00', audience: ['user_unit'], validFrom: new Date(now - 60_000).toISOString(), validTo: new Date(now + 86_400_000).toISOString() });
    expect(a.statusCode, a.body).toBe(201);
    const bad = await inject(mgmt, 'POST', '/api/announcements', { kind: 'notice', title: 'x', body: 'y', validFrom: new Date(now).toISOString(), validTo: new Date(now - 1000).toISOString() });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'servicedesk.announcement_validity', details: { issues: [{ field: 'body.validTo' }] } });
    const forUnit = (await inject(unit, 'GET', '/api/announcements')).json().items;
    expect(forUnit.find((x: { id: string }) => x.id === a.json().id)).toMatchObject({ read: false });
    expect((await inject(provider, 'GET', '/api/announcements')).json().items.map((x: { id: string }) => x.id)).not.toContain(a.json().id);
    expect((await inject(unit, 'POST', `/api/announcements/${a.json().id}/read`)).statusCode).toBe(204);
    expect((await inject(unit, 'POST', `/api/announcements/${a.json().id}/read`)).statusCode).toBe(204);
    expect((await inject(unit, 'GET', '/api/announcements')).json().items.find((x: { id: string }) => x.id === a.json().id).read).toBe(true);
    expect((await inject(mgmt, 'GET', '/api/announcements?all=true')).json().items.find((x: { id: string }) => x.id === a.json().id).readCount).toBe(1);
  });
  it('lists the ticket code tables in the dictionary', async () => {
    const d = (await inject(unit, 'GET', '/api/dictionary')).json().items;
    expect(d.find((x: { name: string }) => x.name === 'ticketKind').values).toEqual(expect.arrayContaining([{ code: 'fault', label: '故障' }]));
    expect(d.find((x: { name: string }) => x.name === 'eventGrade').values).toHaveLength(4);
    const m = (await inject(mgmt, 'GET', '/api/dictionary')).json().items;
    expect(m.some((x: { source: string }) => x.source === 'ingestion')).toBe(true);
  });
});
