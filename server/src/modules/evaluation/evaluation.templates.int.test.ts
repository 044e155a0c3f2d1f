import { zipEntry } from './test/zip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestUser } from '../../test/fixtures.js';
import { dueInstant } from './index.js';

/**
 * Report templates (sections on/off and order, text blocks, versions), generated reports with their review cycle,
 * and the scheduled 月报 draft with its due date from the business calendar and the author's to-do.
 */
let t: TestApp;
let mgmt: Session;
let mgmtUser: TestUser;
let otherMgmt: Session;
let unit: Session;


const docxText = async (s: Session, id: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/evaluation/generated-reports/${id}/document?format=docx`, headers: s.headers });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return zipEntry(res.rawPayload, 'word/document.xml').replace(/<[^>]+>/g, '');
};
const post = (s: Session, url: string, payload: unknown) => t.app.inject({ method: 'POST', url, headers: s.headers, payload: payload as object });

const MONTHLY_ALL = ['overview', 'efficiency', 'advice', 'providers', 'security', 'operations', 'sla', 'servicedesk'];

beforeAll(async () => {
  t = await createTestApp();
  const m = await createOrg(t, { kind: 'management_unit' });
  const signed = await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] });
  mgmt = signed.session;
  mgmtUser = signed.user;
  otherMgmt = (await signedInUser(t, { orgId: (await createOrg(t, { kind: 'management_unit' })).id, roles: ['mgmt_staff'] })).session;
  unit = (await signedInUser(t, { orgId: (await createOrg(t, { kind: 'user_unit' })).id, roles: ['unit_admin'] })).session;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('the 月报 due date from the business calendar', () => {
  it('September 2026: 国庆 1–7 October and the make-up Saturday 10 October → the 5th working day is 13 October', async () => {
    expect(await t.container.evaluation.reportDueDate('2026-09')).toBe('2026-10-13');
    const res = await t.app.inject({ method: 'GET', url: '/api/evaluation/reports/due?month=2026-09', headers: mgmt.headers });
    expect(res.json()).toEqual({ month: '2026-09', dueDate: '2026-10-13' });
  });
  it('a month that starts on a Sunday (November 2026) → Friday 6 November; the deadline instant is 18:00 Asia/Shanghai', async () => {
    expect(await t.container.evaluation.reportDueDate('2026-10')).toBe('2026-11-06');
    expect(dueInstant('2026-11-06').toISOString()).toBe('2026-11-06T10:00:00.000Z');
  });
});

describe('report templates', () => {
  it('the built-in default v0 lists every section; bad sections are refused naming the field and rule', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/evaluation/report-templates/monthly', headers: mgmt.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toHaveLength(1);
    expect(res.json().items[0]).toMatchObject({ version: 0, intro: '', autoDraft: false });
    expect(res.json().items[0].sections.map((s: { key: string }) => s.key)).toEqual(MONTHLY_ALL);

    const bad = await post(mgmt, '/api/evaluation/report-templates/monthly', { sections: [{ key: 'overview', enabled: true }, { key: 'nonsense', enabled: true }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'evaluation.template_invalid' });
    expect(bad.json().details.issues[0]).toMatchObject({ field: 'body.sections[1].key', rule: 'known_section', value: 'nonsense' });
    const none = await post(mgmt, '/api/evaluation/report-templates/monthly', { sections: [{ key: 'overview', enabled: false }] });
    expect(none.json().details.issues[0]).toMatchObject({ field: 'body.sections', rule: 'one_enabled' });
    const dup = await post(mgmt, '/api/evaluation/report-templates/quarterly', { sections: [{ key: 'ranking', enabled: true }, { key: 'ranking', enabled: false }] });
    expect(dup.json().details.issues[0]).toMatchObject({ field: 'body.sections[1].key', rule: 'unique' });
    // A unit has no evaluation:manage.
    expect((await post(unit, '/api/evaluation/report-templates/monthly', { sections: [{ key: 'overview', enabled: true }] })).statusCode).toBe(403);
  });

  it('sections off are absent from the generated .docx, the order and the text blocks are the template’s, the version is recorded', async () => {
    const v1 = await post(mgmt, '/api/evaluation/report-templates/monthly', {
      sections: [{ key: 'security', enabled: true }, { key: 'overview', enabled: true }, { key: 'efficiency', enabled: false }, { key: 'advice', enabled: false }, { key: 'providers', enabled: true }, { key: 'operations', enabled: false }, { key: 'sla', enabled: false }, { key: 'servicedesk', enabled: false }],
      intro: '本报告由模板测试生成。\n第二段前言。',
      conclusion: '下月重点：压降闲置资源。',
      note: 'test v1',
    });
    expect(v1.statusCode, v1.body).toBe(201);
    expect(v1.json()).toMatchObject({ version: 1, latest: true });

    const gen = await post(mgmt, '/api/evaluation/generated-reports', { kind: 'monthly', period: '2026-04' });
    expect(gen.statusCode, gen.body).toBe(200);
    const rep = gen.json();
    expect(rep).toMatchObject({ kind: 'monthly', period: '2026-04', revision: 1, status: 'draft', templateVersion: 1, origin: 'manual', dueDate: '2026-05-11' });
    expect(rep.sections).toEqual(['前言', '一、安全监测', '二、总体情况', '三、云服务商月度评估', '四、结论与建议']);
    const text = await docxText(mgmt, rep.id);
    expect(text).toContain('本报告由模板测试生成。');
    expect(text).toContain('第二段前言。');
    expect(text).toContain('一、安全监测');
    expect(text).toContain('四、结论与建议');
    expect(text).toContain('下月重点：压降闲置资源。');
    for (const off of ['单位云效率', '资源优化建议', '日常运维管理', 'SLA 达标情况', '服务台统计']) expect(text).not.toContain(off);
    expect(text.indexOf('安全监测')).toBeLessThan(text.indexOf('总体情况'));

    // A new version: the report made with v1 keeps its content until regenerated.
    const v2 = await post(mgmt, '/api/evaluation/report-templates/monthly', { sections: MONTHLY_ALL.map((key) => ({ key, enabled: true })) });
    expect(v2.json().version).toBe(2);
    expect((await docxText(mgmt, rep.id))).not.toContain('单位云效率');
    const versions = (await t.app.inject({ method: 'GET', url: '/api/evaluation/report-templates/monthly', headers: mgmt.headers })).json().items;
    expect(versions.map((v: { version: number; latest: boolean }) => [v.version, v.latest])).toEqual([[2, true], [1, false]]);

    // Regenerating a draft replaces it in place with the current template.
    const again = (await post(mgmt, '/api/evaluation/generated-reports', { kind: 'monthly', period: '2026-04' })).json();
    expect(again).toMatchObject({ id: rep.id, revision: 1, templateVersion: 2 });
    expect(again.sections[1]).toBe('二、单位云效率');
    expect(await docxText(mgmt, rep.id)).toContain('二、单位云效率');

    // Another management unit neither sees the report nor shares the template.
    expect((await t.app.inject({ method: 'GET', url: `/api/evaluation/generated-reports/${rep.id}`, headers: otherMgmt.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/evaluation/report-templates/monthly', headers: otherMgmt.headers })).json().items[0].version).toBe(0);
  });

  it('review and publication: submit → publish; regenerating a published report makes a new revision, the old one superseded on publication', async () => {
    const rep = (await post(mgmt, '/api/evaluation/generated-reports', { kind: 'monthly', period: '2026-03' })).json();
    expect(rep.abilities).toEqual({ regenerate: true, submit: true, publish: false, return: false });
    expect((await post(mgmt, `/api/evaluation/generated-reports/${rep.id}/publish`, {})).json()).toMatchObject({ code: 'evaluation.report_state' });
    expect((await post(mgmt, `/api/evaluation/generated-reports/${rep.id}/submit`, {})).json().status).toBe('submitted');
    const back = await post(mgmt, `/api/evaluation/generated-reports/${rep.id}/return`, { comment: '' });
    expect(back.statusCode).toBe(400);
    expect((await post(mgmt, `/api/evaluation/generated-reports/${rep.id}/return`, { comment: '补充安全部分' })).json()).toMatchObject({ status: 'draft', reviewComment: '补充安全部分' });
    await post(mgmt, `/api/evaluation/generated-reports/${rep.id}/submit`, {});
    const pub = (await post(mgmt, `/api/evaluation/generated-reports/${rep.id}/publish`, { comment: '同意' })).json();
    expect(pub).toMatchObject({ status: 'published', reviewComment: '同意' });
    expect(pub.publishedAt).not.toBeNull();

    const rev2 = (await post(mgmt, '/api/evaluation/generated-reports', { kind: 'monthly', period: '2026-03' })).json();
    expect(rev2).toMatchObject({ revision: 2, status: 'draft' });
    expect(rev2.id).not.toBe(rep.id);
    expect((await t.app.inject({ method: 'GET', url: `/api/evaluation/generated-reports/${rep.id}`, headers: mgmt.headers })).json().status).toBe('published');
    await post(mgmt, `/api/evaluation/generated-reports/${rev2.id}/submit`, {});
    await post(mgmt, `/api/evaluation/generated-reports/${rev2.id}/publish`, {});
    const list = (await t.app.inject({ method: 'GET', url: '/api/evaluation/generated-reports?kind=monthly&period=2026-03', headers: mgmt.headers })).json().items;
    expect(list.map((r: { revision: number; status: string }) => [r.revision, r.status])).toEqual([[2, 'published'], [1, 'superseded']]);

    // The signed PDF of a stored report verifies.
    const pdf = await t.app.inject({ method: 'GET', url: `/api/evaluation/generated-reports/${rep.id}/document?format=pdf`, headers: mgmt.headers });
    expect(pdf.statusCode).toBe(200);
    expect(await t.container.documents.verify(pdf.rawPayload)).toMatchObject({ valid: true });
  });

  it('季评: a section switched off is absent from the .docx; a bad period names the field', async () => {
    await post(mgmt, '/api/evaluation/report-templates/quarterly', { sections: [{ key: 'ranking', enabled: true }, { key: 'scope', enabled: true }, { key: 'dimensions', enabled: false }], conclusion: '季度结论文字。' });
    const bad = await post(mgmt, '/api/evaluation/generated-reports', { kind: 'quarterly', period: '2026-05' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.issues[0]).toMatchObject({ field: 'body.period', rule: 'quarter' });
    const rep = (await post(mgmt, '/api/evaluation/generated-reports', { kind: 'quarterly', period: '2026-Q2', setCode: 'seed004' })).json();
    expect(rep).toMatchObject({ kind: 'quarterly', setCode: 'seed004', templateVersion: 1, dueDate: null });
    expect(rep.sections).toEqual(['一、季度排名', '二、评估范围', '三、结论与建议']);
    const text = await docxText(mgmt, rep.id);
    expect(text).toContain('季度结论文字。');
    expect(text).not.toContain('分维度得分');
  });
});

describe('scheduled drafts', () => {
  it("makes the month's draft once, due on the 5th working day, with a to-do notification for the template's author", async () => {
    const tpl = await post(mgmt, '/api/evaluation/report-templates/monthly', { sections: MONTHLY_ALL.map((key) => ({ key, enabled: key !== 'advice' })), autoDraft: true, authorUserId: mgmtUser.id });
    expect(tpl.statusCode, tpl.body).toBe(201);
    const badAuthor = await post(mgmt, '/api/evaluation/report-templates/monthly', { sections: [{ key: 'overview', enabled: true }], authorUserId: '00000000-0000-4000-8000-000000000000' });
    expect(badAuthor.json().details.issues[0]).toMatchObject({ field: 'body.authorUserId', rule: 'exists' });

    const orgId = mgmtUser.orgId;
    const made = await t.container.evaluationReports.scheduledDrafts('2026-09', { ownerOrgIds: [orgId] });
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ period: '2026-09', origin: 'scheduled', status: 'draft', dueDate: '2026-10-13', authorUserId: mgmtUser.id });
    expect(made[0]!.sections).not.toContain('三、资源优化建议');
    expect(await t.container.evaluationReports.scheduledDrafts('2026-09', { ownerOrgIds: [orgId] })).toHaveLength(0);

    const inbox = (await t.app.inject({ method: 'GET', url: '/api/notifications?limit=50', headers: mgmt.headers })).json().items;
    const todo = inbox.find((n: { kind: string; link: string | null }) => n.kind === 'evaluation.report_draft' && n.link === `/evaluation/reports?report=${made[0]!.id}`);
    expect(todo).toBeTruthy();
    expect(todo.title).toContain('2026-09');
    expect(todo.body).toContain('2026-10-13');

    // The draft feeds the deadline warnings until it is published.
    const open = await t.container.evaluationReports.openWithDueDates();
    expect(open.find((r) => r.id === made[0]!.id)).toMatchObject({ dueDate: '2026-10-13', authorUserId: mgmtUser.id });
  });
});
