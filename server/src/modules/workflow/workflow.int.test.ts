import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { auditRecords, createOrg, signedInUser, type Session, type TestUser } from '../../test/fixtures.js';
import { officialCalendar, workingTimeBetween } from '../calendar/index.js';

let t: TestApp;
let mgmt: Session;
let mgmt2: { user: TestUser; session: Session };
let applicant: Session;
let leader: Session;
let otherUnit: Session;
let provider: Session;
let providerId: string;
let unitId: string;

interface Task {
  id: string;
  stepKey: string;
  status: string;
  dueAt: string | null;
  createdAt: string;
  overdue: boolean;
  assignee: { role: string | null; orgId: string | null; orgKind: string | null; userId: string | null };
  abilities: Record<string, boolean>;
}
interface Instance {
  id: string;
  status: string;
  returnedStep: string | null;
  tasks: Task[];
  events: Array<{ action: string; stepKey: string | null; comment: string | null; actorName: string | null; details: Record<string, unknown> }>;
  abilities: Record<string, boolean>;
}

const onboarding = () => ({
  start: 'leader',
  steps: [
    { key: 'leader', name: '单位领导审核', kind: 'approval', assignee: { role: 'unit_admin', org: 'applicant_unit' }, deadline: { workingDays: 1 }, next: 'review' },
    { key: 'review', name: '管理单位审核', kind: 'approval', assignee: { role: 'mgmt_staff' }, deadline: { workingDays: 3 }, next: 'amount' },
    { key: 'amount', name: '金额判断', kind: 'condition', branches: [{ when: { field: 'amount', op: 'gt', value: '500000' }, next: 'director' }], otherwise: 'provider' },
    { key: 'director', name: '分管领导审批', kind: 'approval', assignee: { role: 'mgmt_staff', org: 'management_unit' }, deadline: { workingHours: 4 }, next: 'provider' },
    { key: 'provider', name: '服务商受理', kind: 'approval', assignee: { role: 'provider_staff', org: 'chosen_provider' }, deadline: { clockHours: 4 }, next: 'end' },
  ],
});

let code: string;

const pending = (i: Instance, step: string) => i.tasks.find((x) => x.stepKey === step && x.status === 'pending')!;
const act = (s: Session, taskId: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/workflow/tasks/${taskId}/actions`, headers: s.headers, payload });
const get = (s: Session, id: string) => t.app.inject({ url: `/api/workflow/instances/${id}`, headers: s.headers });
const startInstance = async (facts: Record<string, unknown>, subjectId = unique('subject-')) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/workflow/instances', headers: applicant.headers, payload: { definitionCode: code, subjectType: 'test', subjectId, facts, providerOrgId: providerId } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Instance;
};

beforeAll(async () => {
  t = await createTestApp();
  t.container.workflow.registerSubjectType('test', async (_trx, ctx, id) => (ctx.actor.orgId ? { ownerOrgId: ctx.actor.orgId, title: `测试 ${id}` } : null));
  const m = await createOrg(t, { kind: 'management_unit' });
  const u = await createOrg(t, { kind: 'user_unit' });
  const b = await createOrg(t, { kind: 'user_unit' });
  const p = await createOrg(t, { kind: 'cloud_provider' });
  unitId = u.id;
  providerId = p.id;
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  mgmt2 = await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] });
  applicant = (await signedInUser(t, { orgId: u.id, roles: ['unit_staff'] })).session;
  leader = (await signedInUser(t, { orgId: u.id, roles: ['unit_admin'] })).session;
  otherUnit = (await signedInUser(t, { orgId: b.id, roles: ['unit_admin', 'unit_staff'] })).session;
  provider = (await signedInUser(t, { orgId: p.id, roles: ['provider_staff'] })).session;
  code = unique('onb-').toLowerCase();
});
afterAll(async () => t.close());

describe('workflow definitions', () => {
  it('refuses invalid graphs with the code and the step', async () => {
    const cycle = await t.app.inject({
      method: 'POST',
      url: '/api/workflow/definitions',
      headers: mgmt.headers,
      payload: { code: unique('bad-'), name: '环', appliesTo: 'application.onboarding', definition: { start: 'a', steps: [{ key: 'a', name: 'a', kind: 'approval', assignee: { role: 'mgmt_staff' }, next: 'b' }, { key: 'b', name: 'b', kind: 'approval', assignee: { role: 'mgmt_staff' }, next: 'a' }] } },
    });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json()).toMatchObject({ code: 'workflow.cycle', details: { issues: [{ rule: 'workflow.cycle', step: 'a' }] } });
    const unreachable = await t.app.inject({
      method: 'POST',
      url: '/api/workflow/definitions',
      headers: mgmt.headers,
      payload: { code: unique('bad-'), name: '孤立', appliesTo: 'application.onboarding', definition: { start: 'a', steps: [{ key: 'a', name: 'a', kind: 'approval', assignee: { role: 'mgmt_staff' }, next: 'end' }, { key: 'b', name: 'b', kind: 'approval', assignee: { role: 'mgmt_staff' }, next: 'end' }] } },
    });
    expect(unreachable.json()).toMatchObject({ code: 'workflow.unreachable_step', details: { issues: [{ field: 'body.definition.steps[1]', step: 'b' }] } });
    const role = await t.app.inject({
      method: 'POST',
      url: '/api/workflow/definitions',
      headers: mgmt.headers,
      payload: { code: unique('bad-'), name: '角色', appliesTo: 'application.onboarding', definition: { start: 'a', steps: [{ key: 'a', name: 'a', kind: 'approval', assignee: { role: 'no_such_role' }, next: 'end' }] } },
    });
    expect(role.json()).toMatchObject({ code: 'workflow.unknown_role', details: { issues: [{ field: 'body.definition.steps[0].assignee.role' }] } });
    const check = await t.app.inject({ method: 'POST', url: '/api/workflow/definitions/validate', headers: mgmt.headers, payload: { start: 'a', steps: [{ key: 'a', name: 'a', kind: 'approval', assignee: { role: 'mgmt_staff' }, next: 'zzz' }] } });
    expect(check.json()).toEqual({ valid: false, problems: [{ code: 'workflow.unknown_step', step: 'a', field: 'steps[0].next', message: expect.stringContaining('zzz') }] });
  });

  it('only the management unit configures; drafts are versioned and published ones immutable', async () => {
    const body = { code, name: '入云审批', appliesTo: 'application.onboarding', definition: onboarding() };
    const denied = await t.app.inject({ method: 'POST', url: '/api/workflow/definitions', headers: applicant.headers, payload: body });
    expect(denied.statusCode).toBe(403);
    const created = await t.app.inject({ method: 'POST', url: '/api/workflow/definitions', headers: mgmt.headers, payload: body });
    expect(created.statusCode, created.body).toBe(201);
    const def = created.json() as { id: string; version: number; status: string };
    expect(def).toMatchObject({ version: 1, status: 'draft' });
    const early = await t.app.inject({ method: 'POST', url: '/api/workflow/instances', headers: applicant.headers, payload: { definitionId: def.id, subjectType: 'test', subjectId: 'x' } });
    expect(early.json()).toMatchObject({ code: 'workflow.definition_not_published' });
    const pub = await t.app.inject({ method: 'POST', url: `/api/workflow/definitions/${def.id}/publish`, headers: mgmt.headers });
    expect(pub.json()).toMatchObject({ status: 'published' });
    const edit = await t.app.inject({ method: 'PUT', url: `/api/workflow/definitions/${def.id}`, headers: mgmt.headers, payload: { name: 'x', appliesTo: 'application.onboarding', definition: onboarding() } });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('workflow.definition_not_draft');
    const v2 = await t.app.inject({ method: 'POST', url: '/api/workflow/definitions', headers: mgmt.headers, payload: body });
    expect(v2.json()).toMatchObject({ version: 2, status: 'draft' });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/workflow/definitions/${(v2.json() as { id: string }).id}`, headers: mgmt.headers })).statusCode).toBe(204);
    const list = await t.app.inject({ url: `/api/workflow/definitions?code=${code}`, headers: applicant.headers });
    expect((list.json() as { items: unknown[] }).items).toHaveLength(1);
    expect(await auditRecords(t, { action: 'workflow.definition_publish', targetId: def.id })).toHaveLength(1);
  });
});

describe('workflow instances', () => {
  let id: string;

  it('starts with the first task due one working day later (calendar), visible to the applicant unit only', async () => {
    const inst = await startInstance({ amount: '800000.00', protectionLevel: 3 });
    id = inst.id;
    expect(inst.status).toBe('running');
    const task = pending(inst, 'leader');
    expect(task.assignee).toEqual({ role: 'unit_admin', orgId: unitId, orgKind: null, userId: null });
    expect(workingTimeBetween(officialCalendar(), new Date(task.createdAt), new Date(task.dueAt!))).toBe(7.5 * 3_600_000);
    expect((await get(otherUnit, id)).statusCode).toBe(404);
    expect((await get(provider, id)).statusCode).toBe(404);
    expect((await act(otherUnit, task.id, { action: 'approve' })).statusCode).toBe(404);
    const theirs = (await t.app.inject({ url: '/api/workflow/tasks?mine=true', headers: otherUnit.headers })).json() as { items: Task[] };
    expect(theirs.items.some((x) => x.id === task.id)).toBe(false);
    const again = await t.app.inject({ method: 'POST', url: '/api/workflow/instances', headers: applicant.headers, payload: { definitionCode: code, subjectType: 'test', subjectId: 'dup', facts: {} } });
    expect(again.statusCode).toBe(201);
    const dup = await t.app.inject({ method: 'POST', url: '/api/workflow/instances', headers: applicant.headers, payload: { definitionCode: code, subjectType: 'test', subjectId: 'dup', facts: {} } });
    expect(dup.json()).toMatchObject({ code: 'workflow.already_running' });
    const notProvider = await t.app.inject({ method: 'POST', url: '/api/workflow/instances', headers: applicant.headers, payload: { definitionCode: code, subjectType: 'test', subjectId: 'np', providerOrgId: unitId } });
    expect(notProvider.json()).toMatchObject({ code: 'workflow.not_a_provider', details: { issues: [{ field: 'body.providerOrgId' }] } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/workflow/instances', headers: applicant.headers, payload: { definitionCode: code, subjectType: 'nothing', subjectId: '1' } });
    expect(unknown.json()).toMatchObject({ code: 'workflow.unknown_subject_type' });
  });

  it('goes leader → review → (amount > 500000) director → delegation → provider → approved', async () => {
    let inst = (await get(applicant, id)).json() as Instance;
    const leaderTask = pending(inst, 'leader');
    const notMine = await act(applicant, leaderTask.id, { action: 'approve' });
    expect(notMine.statusCode).toBe(403);
    expect(notMine.json().code).toBe('workflow.not_assignee');
    const todo = (await t.app.inject({ url: '/api/workflow/tasks?mine=true', headers: leader.headers })).json() as { items: Array<Task & { instance: { id: string } }> };
    expect(todo.items.map((x) => x.id)).toContain(leaderTask.id);
    expect(todo.items.find((x) => x.id === leaderTask.id)!.abilities.act).toBe(true);

    const ok = await act(leader, leaderTask.id, { action: 'approve', comment: '同意' });
    expect(ok.statusCode, ok.body).toBe(200);
    const twice = await act(leader, leaderTask.id, { action: 'approve' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('workflow.task_closed');

    inst = ok.json() as Instance;
    const review = pending(inst, 'review');
    expect(review.assignee).toMatchObject({ role: 'mgmt_staff', orgKind: 'management_unit', orgId: null });
    inst = (await act(mgmt, review.id, { action: 'approve' })).json() as Instance;
    expect(inst.events).toContainEqual(expect.objectContaining({ action: 'condition', stepKey: 'amount', details: { route: 'branch 1 → director' } }));
    expect((inst as Instance & { steps: Array<{ key: string; name: string }> }).steps.find((x) => x.key === 'amount')).toEqual({ key: 'amount', name: '金额判断', kind: 'condition' });
    const director = pending(inst, 'director');

    expect((await act(leader, director.id, { action: 'extend', by: { workingDays: 1 } })).json().code).toBe('workflow.management_only');
    const ext = await act(mgmt, director.id, { action: 'extend', by: { workingDays: 1 }, comment: '材料补充' });
    expect(ext.statusCode, ext.body).toBe(200);
    const extended = pending(ext.json() as Instance, 'director');
    expect(new Date(extended.dueAt!).getTime()).toBeGreaterThan(new Date(director.dueAt!).getTime());
    const earlier = await act(mgmt, director.id, { action: 'extend', dueAt: '2000-01-01T00:00:00+08:00' });
    expect(earlier.json().code).toBe('workflow.extend_not_later');

    const del = await act(mgmt, director.id, { action: 'delegate', toUserId: mgmt2.user.id, comment: '请代为审批' });
    expect(del.statusCode, del.body).toBe(200);
    inst = del.json() as Instance;
    const delegated = pending(inst, 'director');
    expect(delegated.assignee.userId).toBe(mgmt2.user.id);
    expect(inst.tasks.find((x) => x.id === director.id)!.status).toBe('delegated');
    expect((await act(mgmt, delegated.id, { action: 'approve' })).json().code).toBe('workflow.not_assignee');
    inst = (await act(mgmt2.session, delegated.id, { action: 'approve' })).json() as Instance;

    const prov = pending(inst, 'provider');
    expect(prov.assignee).toMatchObject({ role: 'provider_staff', orgId: providerId });
    // Four clock hours, whatever the calendar.
    expect(new Date(prov.dueAt!).getTime() - new Date(prov.createdAt).getTime()).toBe(4 * 3_600_000);
    expect((await get(provider, id)).statusCode).toBe(200);
    const provTodo = (await t.app.inject({ url: '/api/workflow/tasks?mine=true', headers: provider.headers })).json() as { items: Task[] };
    expect(provTodo.items.map((x) => x.id)).toEqual([prov.id]);
    const done = await act(provider, prov.id, { action: 'approve', comment: '已受理', attachments: [{ name: '受理单.pdf', ref: 'file:1' }] });
    inst = done.json() as Instance;
    expect(inst.status).toBe('approved');
    expect(inst.events.map((e) => e.action)).toEqual([
      'start', 'assign', 'approve', 'assign', 'approve', 'condition', 'assign', 'extend', 'delegate', 'approve', 'assign', 'approve', 'end', 'approved',
    ]);
    expect(inst.events.find((e) => e.action === 'delegate')).toMatchObject({ comment: '请代为审批', details: { toUserId: mgmt2.user.id } });
    expect(await auditRecords(t, { action: 'workflow.approve', targetId: leaderTask.id })).toHaveLength(1);
    expect(await auditRecords(t, { action: 'workflow.delegate', targetId: director.id })).toHaveLength(1);
  });

  it('return sends back to the applicant, who resubmits; skip and terminate', async () => {
    let inst = await startInstance({ amount: '1000.00' });
    inst = (await act(leader, pending(inst, 'leader').id, { action: 'approve' })).json() as Instance;
    const review = pending(inst, 'review');
    const noReason = await act(mgmt, review.id, { action: 'return' });
    expect(noReason.statusCode).toBe(400);
    inst = (await act(mgmt, review.id, { action: 'return', comment: '请补充等保测评报告' })).json() as Instance;
    expect(inst).toMatchObject({ status: 'returned', returnedStep: 'review' });
    expect((await t.app.inject({ method: 'POST', url: `/api/workflow/instances/${inst.id}/actions`, headers: otherUnit.headers, payload: { action: 'resubmit' } })).statusCode).toBe(404);
    const resub = await t.app.inject({ method: 'POST', url: `/api/workflow/instances/${inst.id}/actions`, headers: applicant.headers, payload: { action: 'resubmit', comment: '已补充', facts: { amount: '1200.00', protectionLevel: 3 } } });
    expect(resub.statusCode, resub.body).toBe(200);
    inst = resub.json() as Instance;
    expect(inst.status).toBe('running');
    const review2 = pending(inst, 'review');
    expect(review2.id).not.toBe(review.id);

    expect((await act(leader, review2.id, { action: 'skip' })).json().code).toBe('workflow.management_only');
    inst = (await act(mgmt, review2.id, { action: 'skip', comment: '紧急' })).json() as Instance;
    expect(inst.tasks.find((x) => x.id === review2.id)!.status).toBe('skipped');
    const prov = pending(inst, 'provider');

    expect((await act(provider, prov.id, { action: 'terminate', comment: 'x' })).json().code).toBe('workflow.terminate_not_allowed');
    const term = await t.app.inject({ method: 'POST', url: `/api/workflow/instances/${inst.id}/actions`, headers: applicant.headers, payload: { action: 'terminate', comment: '不再需要' } });
    inst = term.json() as Instance;
    expect(inst.status).toBe('terminated');
    expect(inst.tasks.find((x) => x.id === prov.id)!.status).toBe('cancelled');
    const late = await act(provider, prov.id, { action: 'approve' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('workflow.task_closed');
    const comment = await act(provider, prov.id, { action: 'comment', comment: '知悉' });
    expect(comment.statusCode).toBe(200);
  });

  it('marks overdue tasks once, and lists them', async () => {
    const inst = await startInstance({});
    const task = pending(inst, 'leader');
    const future = new Date(Date.now() + 30 * 86_400_000);
    expect(await t.container.workflow.markOverdue(systemContext('test'), future)).toBeGreaterThanOrEqual(1);
    await t.container.workflow.markOverdue(systemContext('test'), new Date(future.getTime() + 60_000));
    const after = (await get(applicant, inst.id)).json() as Instance;
    expect(pending(after, 'leader').overdue).toBe(true);
    expect(after.events.filter((e) => e.action === 'overdue')).toHaveLength(1);
    const overdue = (await t.app.inject({ url: '/api/workflow/tasks?overdue=true&status=pending', headers: leader.headers })).json() as { items: Task[] };
    expect(overdue.items.map((x) => x.id)).toContain(task.id);
    const hidden = (await t.app.inject({ url: '/api/workflow/tasks?overdue=true', headers: otherUnit.headers })).json() as { items: Task[] };
    expect(hidden.items.map((x) => x.id)).not.toContain(task.id);
  });
});

describe('parallel review (会审) with a join and a named person', () => {
  let pcode: string;
  const startParallel = async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/workflow/instances', headers: applicant.headers, payload: { definitionCode: pcode, subjectType: 'test', subjectId: unique('p-'), providerOrgId: providerId } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Instance;
  };

  beforeAll(async () => {
    pcode = unique('joint-').toLowerCase();
    const definition = {
      start: 'leader',
      steps: [
        { key: 'leader', name: '单位领导审核', kind: 'approval', assignee: { role: 'unit_admin' }, next: 'joint' },
        { key: 'joint', name: '会审', kind: 'parallel', branches: ['security', 'network'], join: 'final' },
        { key: 'security', name: '安全审核', kind: 'approval', assignee: { role: 'mgmt_staff' }, next: 'final' },
        { key: 'network', name: '网络资源审核', kind: 'approval', assignee: { role: 'provider_staff' }, deadline: { workingDays: 3 }, next: 'final' },
        { key: 'final', name: '终审', kind: 'approval', assignee: { user: mgmt2.user.id }, next: 'end' },
      ],
    };
    const created = await t.app.inject({ method: 'POST', url: '/api/workflow/definitions', headers: mgmt.headers, payload: { code: pcode, name: '会审', appliesTo: 'application.change', definition } });
    expect(created.statusCode, created.body).toBe(201);
    const pub = await t.app.inject({ method: 'POST', url: `/api/workflow/definitions/${(created.json() as { id: string }).id}/publish`, headers: mgmt.headers });
    expect(pub.statusCode).toBe(200);
  });

  it('opens both branches, waits for both, then the named person decides', async () => {
    let inst = await startParallel();
    expect(pending(inst, 'leader').assignee).toMatchObject({ role: 'unit_admin', orgId: unitId });
    inst = (await act(leader, pending(inst, 'leader').id, { action: 'approve' })).json() as Instance;
    const sec = pending(inst, 'security');
    const net = pending(inst, 'network');
    expect(net.assignee).toMatchObject({ role: 'provider_staff', orgId: providerId });
    inst = (await act(provider, net.id, { action: 'approve' })).json() as Instance;
    expect(inst.status).toBe('running');
    expect(inst.tasks.filter((x) => x.status === 'pending').map((x) => x.stepKey)).toEqual(['security']);
    // The provider took part: it still sees the instance, not the management's task as its own.
    expect((await act(provider, sec.id, { action: 'approve' })).json().code).toBe('workflow.not_assignee');
    inst = (await act(mgmt, sec.id, { action: 'approve' })).json() as Instance;
    const final = pending(inst, 'final');
    expect(final.assignee).toMatchObject({ userId: mgmt2.user.id });
    expect(inst.events.map((e) => e.action)).toEqual(expect.arrayContaining(['split', 'join']));
    expect((await act(mgmt, final.id, { action: 'approve' })).json().code).toBe('workflow.not_assignee');
    inst = (await act(mgmt2.session, final.id, { action: 'approve' })).json() as Instance;
    expect(inst.status).toBe('approved');
  });

  it('a return in one branch cancels the other; resubmission asks both branches again', async () => {
    let inst = await startParallel();
    inst = (await act(leader, pending(inst, 'leader').id, { action: 'approve' })).json() as Instance;
    const sec = pending(inst, 'security');
    inst = (await act(provider, pending(inst, 'network').id, { action: 'return', comment: '网络需求不清' })).json() as Instance;
    expect(inst).toMatchObject({ status: 'returned', returnedStep: 'joint' });
    expect(inst.tasks.find((x) => x.id === sec.id)!.status).toBe('cancelled');
    expect((await act(mgmt, sec.id, { action: 'approve' })).json().code).toBe('workflow.task_closed');
    const resub = await t.app.inject({ method: 'POST', url: `/api/workflow/instances/${inst.id}/actions`, headers: applicant.headers, payload: { action: 'resubmit' } });
    inst = resub.json() as Instance;
    expect(inst.tasks.filter((x) => x.status === 'pending').map((x) => x.stepKey).sort()).toEqual(['network', 'security']);
  });
});
