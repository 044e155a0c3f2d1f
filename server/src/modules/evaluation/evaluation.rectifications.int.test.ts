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
let runId: string;
const MONTH = '2025-05';
const future = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

const inject: FollowUpFixture['inject'] = (...a) => fx.inject(...a);
const issuesOf = (r: { json(): { details?: unknown } }) => JSON.stringify(r.json().details);

beforeAll(async () => {
  fx = await followUpFixture('整改');
  ({ owner, provA, provB, mgmt, supervisor, provAStaff, provBStaff, unitStaff } = fx);
  // A: r1 5/10 → 50 (below 60), r2 9/10 → 90; B: r1 7/10 → 70, r2 4/10 → 40 (below 60).
  ({ runId } = await publishedManualRun(fx, {
    code: 'rect', name: '整改测试指标体系', dimension: '平台安全度', month: MONTH,
    indicators: [{ code: 'r1', name: '安全防护', weight: 50, max: 10 }, { code: 'r2', name: '口令和权限', weight: 50, max: 10 }],
    scores: [[provA.id, { r1: 5, r2: 9 }], [provB.id, { r1: 7, r2: 4 }]],
  }));
}, 120_000);

afterAll(async () => {
  await fx?.close();
});

describe('rectification follow-up on published scores', () => {
  let taskA: string;
  let taskB: string;

  it('refuses a bad threshold or a past deadline with the field and rule', async () => {
    const bad = await inject(supervisor, 'POST', '/api/evaluation/rectifications/generate', { runId, threshold: 0, deadline: '2020-01-01' });
    expect(bad.statusCode).toBe(400);
    expect(issuesOf(bad)).toContain('body.threshold');
    expect(issuesOf(bad)).toContain('not_past');
    expect((await inject(provAStaff, 'POST', '/api/evaluation/rectifications/generate', { runId, threshold: 60, deadline: future(10) })).statusCode).toBe(403);
  });

  it('generates tasks for the indicators below the threshold, once', async () => {
    const r = await inject(supervisor, 'POST', '/api/evaluation/rectifications/generate', { runId, threshold: 60, deadline: future(10) });
    expect(r.statusCode, r.body).toBe(200);
    const mine = r.json().items.filter((x: { provider: { id: string } }) => [provA.id, provB.id].includes(x.provider.id));
    expect(mine.map((x: { provider: { id: string }; indicatorCode: string; score: string }) => [x.provider.id, x.indicatorCode, x.score]).sort()).toEqual([[provA.id, 'r1', '50.00'], [provB.id, 'r2', '40.00']].sort());
    taskA = mine.find((x: { provider: { id: string } }) => x.provider.id === provA.id).id;
    taskB = mine.find((x: { provider: { id: string } }) => x.provider.id === provB.id).id;
    expect(mine[0]).toMatchObject({ origin: 'threshold', status: 'open', overdue: false });
    const again = await inject(supervisor, 'POST', '/api/evaluation/rectifications/generate', { runId, threshold: 60, deadline: future(10) });
    expect(again.json().created).toBe(0);
    // A reviewer raises one more on A's r2.
    const raised = await inject(mgmt, 'POST', '/api/evaluation/rectifications', { runId, providerId: provA.id, indicatorCode: 'r2', requirement: '口令策略文档未更新', deadline: future(5) });
    expect(raised.statusCode, raised.body).toBe(201);
    expect(raised.json()).toMatchObject({ origin: 'reviewer', score: '90.00', indicatorName: '口令和权限' });
    const dup = await inject(mgmt, 'POST', '/api/evaluation/rectifications', { runId, providerId: provA.id, indicatorCode: 'r2', requirement: '再来一次', deadline: future(5) });
    expect(dup.statusCode).toBe(409);
    const empty = await inject(mgmt, 'POST', '/api/evaluation/rectifications', { runId, providerId: provA.id, indicatorCode: 'r1', requirement: ' ', deadline: future(5) });
    expect(issuesOf(empty)).toContain('body.requirement');
  });

  it('visibility: a provider sees only its own tasks; a unit none', async () => {
    const a = await inject(provAStaff, 'GET', `/api/evaluation/rectifications?runId=${runId}`);
    expect(a.json().items.every((x: { provider: { id: string } }) => x.provider.id === provA.id)).toBe(true);
    expect(a.json().items).toHaveLength(2);
    expect((await inject(provBStaff, 'GET', `/api/evaluation/rectifications/${taskA}`)).statusCode).toBe(404);
    expect((await inject(provBStaff, 'POST', `/api/evaluation/rectifications/${taskA}/reply`, { reply: '替甲回复' })).statusCode).toBe(404);
    expect((await inject(unitStaff, 'GET', `/api/evaluation/rectifications?runId=${runId}`)).json().items).toHaveLength(0);
  });

  it('reply with evidence → verification by supervision; returned → another reply', async () => {
    const empty = await inject(provAStaff, 'POST', `/api/evaluation/rectifications/${taskA}/reply`, { reply: '' });
    expect(empty.statusCode).toBe(400);
    expect(issuesOf(empty)).toContain('body.reply');
    expect((await inject(supervisor, 'POST', `/api/evaluation/rectifications/${taskA}/verify`, { outcome: 'verified' })).statusCode).toBe(409);
    const rep = await inject(provAStaff, 'POST', `/api/evaluation/rectifications/${taskA}/reply`, { reply: '已部署 WAF 规则', evidence: { fileName: '整改报告.pdf', contentBase64: Buffer.from('%PDF-1.4 fix').toString('base64') } });
    expect(rep.statusCode, rep.body).toBe(200);
    expect(rep.json()).toMatchObject({ status: 'replied', repliedLate: false, evidence: { name: '整改报告.pdf' }, abilities: { reply: false } });
    expect((await inject(supervisor, 'GET', `/api/evaluation/rectifications/${taskA}/evidence`)).body).toBe('%PDF-1.4 fix');
    const noComment = await inject(supervisor, 'POST', `/api/evaluation/rectifications/${taskA}/verify`, { outcome: 'returned' });
    expect(issuesOf(noComment)).toContain('required_when_returned');
    const ret = await inject(supervisor, 'POST', `/api/evaluation/rectifications/${taskA}/verify`, { outcome: 'returned', comment: '缺少复测截图' });
    expect(ret.json()).toMatchObject({ status: 'returned', verifyComment: '缺少复测截图' });
    expect((await inject(provAStaff, 'POST', `/api/evaluation/rectifications/${taskA}/reply`, { reply: '补充复测截图', evidence: { fileName: '复测.png', contentBase64: Buffer.from('png').toString('base64') } })).json().status).toBe('replied');
    expect((await inject(provAStaff, 'POST', `/api/evaluation/rectifications/${taskA}/verify`, { outcome: 'verified' })).statusCode).toBe(403);
    const ok = await inject(supervisor, 'POST', `/api/evaluation/rectifications/${taskA}/verify`, { outcome: 'verified', comment: '复核通过' });
    expect(ok.json()).toMatchObject({ status: 'verified', overdue: false });
  });

  it('a task past its deadline without a reply shows as overdue (and in the overdue filter)', async () => {
    await owner.query(`update eval_rectifications set deadline = $2 where id = $1`, [taskB, '2025-06-30']);
    const b = await inject(provBStaff, 'GET', `/api/evaluation/rectifications/${taskB}`);
    expect(b.json()).toMatchObject({ status: 'open', overdue: true });
    const overdue = await inject(supervisor, 'GET', `/api/evaluation/rectifications?runId=${runId}&overdue=true`);
    expect(overdue.json().items.map((x: { id: string }) => x.id)).toEqual([taskB]);
    const late = await inject(provBStaff, 'POST', `/api/evaluation/rectifications/${taskB}/reply`, { reply: '已重置弱口令' });
    expect(late.json()).toMatchObject({ status: 'replied', overdue: false, repliedLate: true });
    const audit = await owner.query(`select action from audit_log where target_id = $1 order by seq`, [taskB]);
    expect(audit.rows.map((a) => a.action)).toEqual(['evaluation.rectification_created', 'evaluation.rectification_replied']);
  });
});
