import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session, TestOrg } from '../../test/fixtures.js';
import { followUpFixture, type FollowUpFixture } from './test/followup-fixtures.js';

let fx: FollowUpFixture;
let owner: FollowUpFixture['owner'];
let provA: TestOrg;
let provB: TestOrg;
let mgmt: Session;
let supervisor: Session;
let provAStaff: Session;
let provBStaff: Session;
let unitStaff: Session;

const inject: FollowUpFixture['inject'] = (...a) => fx.inject(...a);
const issuesOf = (r: { json(): { details?: unknown } }) => JSON.stringify(r.json().details);
const failedInitial = (providerId: string, extra: Record<string, unknown> = {}) => ({
  providerId, phase: 'initial', assessedOn: '2026-03-15', result: 'fail', summary: '基础安全保障服务目录部分功能未实现',
  findings: [{ item: 'basic_functions', passed: false, note: '主机安全防护未上线' }, { item: 'documents', passed: true }], ...extra,
});


beforeAll(async () => {
  fx = await followUpFixture('考核');
  ({ owner, provA, provB, mgmt, supervisor, provAStaff, provBStaff, unitStaff } = fx);
}, 120_000);

afterAll(async () => {
  await fx?.close();
});

describe('construction-phase assessments (初期 / 中期)', () => {
  let first: string;

  it('refuses bad records with the field and the rule', async () => {
    const r1 = await inject(supervisor, 'POST', '/api/evaluation/assessments', failedInitial(provA.id, { rectifyMonths: 3 }));
    expect(r1.statusCode).toBe(400);
    expect(issuesOf(r1)).toContain('initial_1_month');
    const r2 = await inject(supervisor, 'POST', '/api/evaluation/assessments', { ...failedInitial(provA.id), phase: 'mid', findings: [{ item: 'platform_use', passed: false, note: '工单记录缺失' }], rectifyMonths: 8 });
    expect(issuesOf(r2)).toContain('mid_3_to_6_months');
    const r3 = await inject(supervisor, 'POST', '/api/evaluation/assessments', { ...failedInitial(provA.id), summary: ' ', findings: [{ item: 'nope', passed: false }] });
    expect(issuesOf(r3)).toContain('body.summary');
    expect(issuesOf(r3)).toContain('assessment_item');
    const r4 = await inject(supervisor, 'POST', '/api/evaluation/assessments', { ...failedInitial(provA.id), result: 'pass' });
    expect(issuesOf(r4)).toContain('items_passed');
    expect((await inject(provAStaff, 'POST', '/api/evaluation/assessments', failedInitial(provA.id))).statusCode).toBe(403);
  });

  it('a failed 初期 assessment: rectify within 1 month; the provider is notified', async () => {
    const r = await inject(supervisor, 'POST', '/api/evaluation/assessments', failedInitial(provA.id));
    expect(r.statusCode, r.body).toBe(201);
    first = r.json().id;
    expect(r.json()).toMatchObject({ phase: 'initial', attempt: 1, result: 'fail', rectifyMonths: 1, rectifyBy: '2026-04-15', status: 'rectifying' });
    expect(r.json().findings[0]).toMatchObject({ item: 'basic_functions', passed: false, note: '主机安全防护未上线' });
    const notes = await inject(provAStaff, 'GET', '/api/notifications');
    expect(notes.json().items.some((n: { kind: string; link: string }) => n.kind === 'evaluation.assessment' && n.link.includes(first))).toBe(true);
    // 2026-04-15 is past: overdue until the provider reports its rectification.
    expect(r.json().overdue).toBe(true);
    const overdue = await inject(mgmt, 'GET', `/api/evaluation/assessments?providerId=${provA.id}&overdue=true`);
    expect(overdue.json().items.map((x: { id: string }) => x.id)).toEqual([first]);
  });

  it('a failed 中期 assessment: 3–6 months as chosen; a passed one none', async () => {
    const mid = await inject(mgmt, 'POST', '/api/evaluation/assessments', { providerId: provB.id, phase: 'mid', assessedOn: '2026-08-31', result: 'fail', summary: '二次开发功能未全部实现', findings: [{ item: 'development_done', passed: false, note: '商用密码应用安全性评估未完成' }], rectifyMonths: 6 });
    expect(mid.statusCode, mid.body).toBe(201);
    expect(mid.json()).toMatchObject({ rectifyMonths: 6, rectifyBy: '2027-02-28', status: 'rectifying', overdue: false });
    const ok = await inject(mgmt, 'POST', '/api/evaluation/assessments', { providerId: provB.id, phase: 'initial', assessedOn: '2025-12-01', result: 'pass', summary: '通过', findings: [{ item: 'basic_functions', passed: true }] });
    expect(ok.json()).toMatchObject({ status: 'passed', rectifyBy: null, overdue: false });
    const noPeriod = await inject(mgmt, 'POST', '/api/evaluation/assessments', { providerId: provB.id, phase: 'initial', assessedOn: '2025-12-01', result: 'pass', summary: '通过', findings: [], rectifyMonths: 1 });
    expect(issuesOf(noPeriod)).toContain('only_when_failed');
  });

  it('visibility: a provider sees its own records only; a unit none', async () => {
    expect((await inject(provBStaff, 'GET', `/api/evaluation/assessments/${first}`)).statusCode).toBe(404);
    const b = await inject(provBStaff, 'GET', '/api/evaluation/assessments');
    expect(b.json().items.length).toBe(2);
    expect(b.json().items.every((x: { provider: { id: string } }) => x.provider.id === provB.id)).toBe(true);
    expect((await inject(unitStaff, 'GET', '/api/evaluation/assessments')).json().items).toHaveLength(0);
    expect((await inject(provBStaff, 'POST', `/api/evaluation/assessments/${first}/rectification`, { reply: '替甲' })).statusCode).toBe(404);
  });

  it('rectification report → second assessment; failing twice → the exit mechanism', async () => {
    const empty = await inject(provAStaff, 'POST', `/api/evaluation/assessments/${first}/rectification`, { reply: '' });
    expect(issuesOf(empty)).toContain('body.reply');
    const rep = await inject(provAStaff, 'POST', `/api/evaluation/assessments/${first}/rectification`, { reply: '主机安全防护已上线', evidence: { fileName: '整改报告.pdf', contentBase64: Buffer.from('%PDF fix').toString('base64') } });
    expect(rep.statusCode, rep.body).toBe(200);
    expect(rep.json()).toMatchObject({ status: 'rectification_submitted', overdue: false, evidence: { name: '整改报告.pdf' } });
    expect((await inject(mgmt, 'GET', `/api/evaluation/assessments/${first}/evidence`)).body).toBe('%PDF fix');
    const wrongPhase = await inject(supervisor, 'POST', '/api/evaluation/assessments', { ...failedInitial(provA.id), phase: 'mid', findings: [{ item: 'platform_use', passed: false, note: 'x' }], previousId: first });
    expect(issuesOf(wrongPhase)).toContain('same_provider_and_phase');
    const second = await inject(supervisor, 'POST', '/api/evaluation/assessments', failedInitial(provA.id, { assessedOn: '2026-04-20', previousId: first }));
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toMatchObject({ attempt: 2, previousId: first, status: 'exit', rectifyBy: null });
    expect((await inject(provAStaff, 'GET', `/api/evaluation/assessments/${first}`)).json()).toMatchObject({ status: 'reassessed', nextId: second.json().id });
    const third = await inject(supervisor, 'POST', '/api/evaluation/assessments', failedInitial(provA.id, { assessedOn: '2026-05-20', previousId: first }));
    expect(third.statusCode).toBe(409);
    const audit = await owner.query(`select action from audit_log where target_id = $1 order by seq`, [first]);
    expect(audit.rows.map((a) => a.action)).toEqual(['evaluation.assessment_recorded', 'evaluation.assessment_rectified']);
  });
});
