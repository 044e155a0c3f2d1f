import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session, TestOrg } from '../../test/fixtures.js';
import { followUpFixture, publishedManualRun, type FollowUpFixture } from './test/followup-fixtures.js';

let fx: FollowUpFixture;
let owner: FollowUpFixture['owner'];
let provA: TestOrg;
let provB: TestOrg;
let mgmt: Session;
let supervisor: Session;
let provAStaff: Session;
let provBStaff: Session;
let unitStaff: Session;
let setId: string;
let run1: string;
const MONTH = '2025-03';

const inject: FollowUpFixture['inject'] = (...a) => fx.inject(...a);
const rowOf = (run: { scores: Array<{ provider: { id: string }; total: string | null; grade: string | null; indicators: Array<{ code: string; score: string | null; evidence: string }> }> }, id: string) => run.scores.find((s) => s.provider.id === id)!;

beforeAll(async () => {
  fx = await followUpFixture('异议');
  ({ owner, provA, provB, mgmt, supervisor, provAStaff, provBStaff, unitStaff } = fx);
  // An indicator system of this file only (manual indicators: the totals are hand-computed).
  ({ setId, runId: run1 } = await publishedManualRun(fx, {
    code: 'obj', name: '异议测试指标体系', dimension: '运维规范度', month: MONTH, evidence: '现场检查记录',
    indicators: [{ code: 'm1', name: '基础信息完整性', weight: 60, max: 10 }, { code: 'm2', name: '风险排查', weight: 40, max: 5 }],
    scores: [[provA.id, { m1: 9, m2: 3 }], [provB.id, { m1: 10, m2: 5 }]],
  }));
}, 120_000);

afterAll(async () => {
  await fx?.close();
});

describe('objections on published provider scores', () => {
  let objectionId: string;

  it('the hand-computed published total: m1 9/10 → 90 × 60 %, m2 3/5 → 60 × 40 % = 78.00 合格', async () => {
    const r = await inject(provAStaff, 'GET', `/api/evaluation/runs/${run1}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().scores).toHaveLength(1);
    expect(rowOf(r.json(), provA.id)).toMatchObject({ total: '78.00', grade: '合格' });
  });

  it('refuses bad objections with the field and the rule', async () => {
    const empty = await inject(provAStaff, 'POST', '/api/evaluation/objections', { runId: run1, indicatorCode: 'm2', reason: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'evaluation.invalid_objection' });
    expect(JSON.stringify(empty.json().details)).toContain('body.reason');
    expect(JSON.stringify(empty.json().details)).toContain('not_empty');
    const unknownInd = await inject(provAStaff, 'POST', '/api/evaluation/objections', { runId: run1, indicatorCode: 'zz', reason: '无此指标' });
    expect(unknownInd.statusCode).toBe(400);
    expect(JSON.stringify(unknownInd.json().details)).toContain('body.indicatorCode');
    const badFile = await inject(provAStaff, 'POST', '/api/evaluation/objections', { runId: run1, reason: '附件', evidence: { fileName: 'x.exe', contentBase64: 'aGk=' } });
    expect(badFile.statusCode).toBe(400);
    expect(JSON.stringify(badFile.json().details)).toContain('allowed_type');
    // Another provider's score: 404, never 403.
    expect((await inject(provAStaff, 'POST', '/api/evaluation/objections', { runId: run1, providerId: provB.id, reason: '替乙申诉' })).statusCode).toBe(404);
    // Only a provider files objections.
    expect((await inject(unitStaff, 'POST', '/api/evaluation/objections', { runId: run1, reason: '单位异议' })).statusCode).toBe(403);
    expect((await inject(supervisor, 'POST', '/api/evaluation/objections', { runId: run1, reason: '监管异议' })).statusCode).toBe(403);
  });

  it('a provider files an objection on an indicator of its published month with evidence; supervision is notified', async () => {
    const r = await inject(provAStaff, 'POST', '/api/evaluation/objections', {
      runId: run1, indicatorCode: 'm2', reason: '风险排查已于月中完成，检查时未计入', evidence: { fileName: '排查记录.txt', contentBase64: Buffer.from('risk check log').toString('base64') },
    });
    expect(r.statusCode, r.body).toBe(201);
    const o = r.json();
    objectionId = o.id;
    expect(o).toMatchObject({ status: 'submitted', month: MONTH, revision: 1, indicatorCode: 'm2', indicatorName: '风险排查', provider: { id: provA.id }, abilities: { decide: false } });
    expect(o.evidence).toMatchObject({ name: '排查记录.txt', size: 14 });
    expect(o.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(o.deadline > new Date().toISOString().slice(0, 10)).toBe(true);
    const again = await inject(provAStaff, 'POST', '/api/evaluation/objections', { runId: run1, indicatorCode: 'm2', reason: '重复' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('evaluation.objection_pending');
    const ev = await inject(provAStaff, 'GET', `/api/evaluation/objections/${objectionId}/evidence`);
    expect(ev.statusCode).toBe(200);
    expect(ev.body).toBe('risk check log');
    const notes = await inject(supervisor, 'GET', '/api/notifications');
    expect(notes.json().items.some((n: { kind: string; link: string }) => n.kind === 'evaluation.objection_filed' && n.link.includes(objectionId))).toBe(true);
  });

  it('visibility: a provider sees only its own objections; a unit none; supervision all', async () => {
    expect((await inject(provBStaff, 'GET', `/api/evaluation/objections/${objectionId}`)).statusCode).toBe(404);
    expect((await inject(provBStaff, 'GET', `/api/evaluation/objections/${objectionId}/evidence`)).statusCode).toBe(404);
    expect((await inject(provBStaff, 'GET', `/api/evaluation/objections?runId=${run1}`)).json().items).toHaveLength(0);
    expect((await inject(unitStaff, 'GET', `/api/evaluation/objections?runId=${run1}`)).json().items).toHaveLength(0);
    const sup = await inject(supervisor, 'GET', `/api/evaluation/objections?runId=${run1}`);
    expect(sup.json().items.map((o: { id: string }) => o.id)).toEqual([objectionId]);
    expect(sup.json().items[0].abilities.decide).toBe(true);
    // A provider cannot decide.
    expect((await inject(provAStaff, 'POST', `/api/evaluation/objections/${objectionId}/reject`, { comment: '自己驳回' })).statusCode).toBe(403);
  });

  it('accepting revises the score in a NEW revision; the published one is kept unchanged and readable', async () => {
    const missing = await inject(supervisor, 'POST', `/api/evaluation/objections/${objectionId}/accept`, { revisions: [{ indicatorCode: 'm1', score: 100, evidence: '复核' }] });
    expect(missing.statusCode).toBe(400);
    expect(JSON.stringify(missing.json().details)).toContain('objected_indicator');
    const out = await inject(supervisor, 'POST', `/api/evaluation/objections/${objectionId}/accept`, { revisions: [{ indicatorCode: 'm2', score: 101, evidence: '复核' }] });
    expect(out.statusCode).toBe(400);
    expect(JSON.stringify(out.json().details)).toContain('body.revisions[0].score');

    const r = await inject(supervisor, 'POST', `/api/evaluation/objections/${objectionId}/accept`, { comment: '材料属实', revisions: [{ indicatorCode: 'm2', score: 100, evidence: '排查记录核实' }] });
    expect(r.statusCode, r.body).toBe(200);
    const o = r.json();
    expect(o).toMatchObject({ status: 'accepted', decisionComment: '材料属实', revisionRunStatus: 'draft', revisions: [{ indicatorCode: 'm2', before: '60.00', after: '100.00' }] });
    const run2 = o.revisionRunId as string;
    expect(run2).not.toBe(run1);
    // The published revision: unchanged for everyone.
    const old = await inject(provAStaff, 'GET', `/api/evaluation/runs/${run1}`);
    expect(old.json()).toMatchObject({ status: 'published', revision: 1 });
    expect(rowOf(old.json(), provA.id)).toMatchObject({ total: '78.00', grade: '合格' });
    // The new revision (draft): 90 × 60 % + 100 × 40 % = 94.00 优秀; the provider does not see it yet.
    const draft = await inject(mgmt, 'GET', `/api/evaluation/runs/${run2}`);
    expect(draft.json()).toMatchObject({ status: 'draft', revision: 2 });
    expect(rowOf(draft.json(), provA.id)).toMatchObject({ total: '94.00', grade: '优秀' });
    expect(rowOf(draft.json(), provB.id)).toMatchObject({ total: '100.00' });
    expect((await inject(provAStaff, 'GET', `/api/evaluation/runs/${run2}`)).statusCode).toBe(404);
    // Audited.
    const audit = await owner.query(`select action from audit_log where target_id = $1 order by seq`, [objectionId]);
    expect(audit.rows.map((a) => a.action)).toEqual(['evaluation.objection_filed', 'evaluation.objection_accepted']);
    // Decided once.
    expect((await inject(supervisor, 'POST', `/api/evaluation/objections/${objectionId}/reject`, { comment: '再驳回' })).statusCode).toBe(409);
    // The provider is told.
    const notes = await inject(provAStaff, 'GET', '/api/notifications');
    expect(notes.json().items.some((n: { kind: string; link: string }) => n.kind === 'evaluation.objection_decided' && n.link.includes(objectionId))).toBe(true);

    // Published by the management unit: the first revision becomes superseded, still readable.
    expect((await inject(mgmt, 'POST', `/api/evaluation/runs/${run2}/review`, { comment: '异议修订' })).statusCode).toBe(200);
    expect((await inject(mgmt, 'POST', `/api/evaluation/runs/${run2}/publish`)).statusCode).toBe(200);
    const mine = await inject(provAStaff, 'GET', `/api/evaluation/runs/${run2}`);
    expect(rowOf(mine.json(), provA.id)).toMatchObject({ total: '94.00', grade: '优秀' });
    expect(rowOf(mine.json(), provA.id).indicators.find((i) => i.code === 'm2')!.evidence).toContain('异议受理');
    const superseded = await inject(mgmt, 'GET', `/api/evaluation/runs/${run1}`);
    expect(superseded.json().status).toBe('superseded');
    expect(rowOf(superseded.json(), provA.id)).toMatchObject({ total: '78.00' });

    // Re-running the month keeps the accepted revision (it is not silently undone).
    const rerun = await inject(supervisor, 'POST', '/api/evaluation/runs', { setId, month: MONTH });
    expect(rerun.json()).toMatchObject({ revision: 3, status: 'draft' });
    expect(rowOf(rerun.json(), provA.id)).toMatchObject({ total: '94.00' });
  });

  it('rejecting needs a reason; a superseded revision and a late objection are refused', async () => {
    const current = (await inject(provAStaff, 'GET', `/api/evaluation/runs?setId=${setId}`)).json().items[0];
    expect(current.revision).toBe(2);
    const sup = await inject(provAStaff, 'POST', '/api/evaluation/objections', { runId: run1, reason: '对旧版本' });
    // A superseded revision is no longer shown to the provider at all.
    expect(sup.statusCode).toBe(404);
    const f = await inject(provAStaff, 'POST', '/api/evaluation/objections', { runId: current.id, indicatorCode: 'm1', reason: '基础信息已补全' });
    expect(f.statusCode, f.body).toBe(201);
    const noReason = await inject(supervisor, 'POST', `/api/evaluation/objections/${f.json().id}/reject`, { comment: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(JSON.stringify(noReason.json().details)).toContain('body.comment');
    const rej = await inject(mgmt, 'POST', `/api/evaluation/objections/${f.json().id}/reject`, { comment: '补全晚于评估截止日' });
    expect(rej.json()).toMatchObject({ status: 'rejected', decisionComment: '补全晚于评估截止日', revisionRunId: null });
    // Published long ago: past the 5th working day after publication.
    await owner.query(`update eval_provider_runs set published_at = '2025-04-01T02:00:00Z' where id = $1`, [current.id]);
    const late = await inject(provAStaff, 'POST', '/api/evaluation/objections', { runId: current.id, reason: '迟到的异议' });
    expect(late.statusCode).toBe(400);
    expect(late.json().code).toBe('evaluation.objection_late');
    expect(late.json().message).toContain('2025-04-09');
    expect(JSON.stringify(late.json().details)).toContain('within_5_working_days');
  });
});
