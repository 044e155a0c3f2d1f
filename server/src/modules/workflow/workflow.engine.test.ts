import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { checkDefinition, definitionBodySchema, type DefinitionBody } from './workflow.definition.js';
import { decide, Flow, resubmit, start, terminate, type EngineState, type EngineTask, type Facts, type InstanceStatus, type Transition } from './workflow.engine.js';

const approval = (key: string, next: string, role = 'mgmt_staff') => ({ key, name: key, kind: 'approval' as const, assignee: { role }, next });

/** A small in-memory instance driven by the pure engine, as the service drives it with tables. */
class Sim {
  status: InstanceStatus = 'running';
  state: EngineState = { joins: {} };
  tasks: EngineTask[] = [];
  trail: Transition['trail'] = [];
  private seq = 0;
  readonly flow: Flow;
  constructor(def: DefinitionBody, public facts: Facts = {}) {
    expect(checkDefinition(def)).toEqual([]);
    this.flow = new Flow(def);
    this.apply(start(this.flow, facts));
  }
  apply(t: Transition) {
    for (const c of t.close) this.tasks.find((x) => x.id === c.taskId)!.status = c.status;
    for (const s of t.open) this.tasks.push({ id: `t${++this.seq}`, stepKey: s.key, status: 'pending' });
    this.status = t.status;
    this.state = t.state;
    this.trail.push(...t.trail);
  }
  pending(): string[] {
    return this.tasks.filter((t) => t.status === 'pending').map((t) => t.stepKey).sort();
  }
  task(step: string): EngineTask {
    const t = this.tasks.filter((x) => x.stepKey === step && x.status === 'pending');
    if (t.length !== 1) throw new Error(`no single pending task for ${step}`);
    return t[0]!;
  }
  act(step: string, action: 'approve' | 'skip' | 'reject' | 'return' | 'terminate') {
    this.apply(decide(this.flow, this, this.tasks, this.task(step), action, this.facts));
  }
}

const serial: DefinitionBody = { start: 'a', steps: [approval('a', 'b'), approval('b', 'c'), approval('c', 'end')] };

// The usual 入云 approval: unit leader → management review → (amount > 500000) director → provider.
const onboarding: DefinitionBody = definitionBodySchema.parse({
  start: 'leader',
  steps: [
    { key: 'leader', name: '单位领导审核', kind: 'approval', assignee: { role: 'unit_admin', org: 'applicant_unit' }, deadline: { workingDays: 1 }, next: 'review' },
    { key: 'review', name: '管理单位审核', kind: 'approval', assignee: { role: 'mgmt_staff' }, deadline: { workingDays: 3 }, next: 'amount' },
    {
      key: 'amount',
      name: '金额判断',
      kind: 'condition',
      branches: [
        { when: { field: 'amount', op: 'gt', value: '500000' }, next: 'director' },
        { when: { field: 'protectionLevel', op: 'gte', value: 3 }, next: 'director' },
      ],
      otherwise: 'provider',
    },
    { key: 'director', name: '分管领导审批', kind: 'approval', assignee: { role: 'mgmt_staff', org: 'management_unit' }, next: 'provider' },
    { key: 'provider', name: '服务商受理', kind: 'approval', assignee: { role: 'provider_staff', org: 'chosen_provider' }, deadline: { clockHours: 4 }, next: 'end' },
  ],
});

const parallel: DefinitionBody = {
  start: 'leader',
  steps: [
    approval('leader', 'split'),
    { key: 'split', name: '会审', kind: 'parallel', branches: ['security', 'network', 'budget'], join: 'final' },
    approval('security', 'final'),
    approval('network', 'network2'),
    approval('network2', 'final'),
    { key: 'budget', name: 'budget', kind: 'condition', branches: [{ when: { field: 'itemCategory', op: 'includes', value: '安全服务' }, next: 'budget_review' }], otherwise: 'final' },
    approval('budget_review', 'final'),
    approval('final', 'end'),
  ],
};

describe('workflow engine', () => {
  it('runs serial steps to the end', () => {
    const s = new Sim(serial);
    expect(s.pending()).toEqual(['a']);
    s.act('a', 'approve');
    expect(s.pending()).toEqual(['b']);
    s.act('b', 'approve');
    s.act('c', 'approve');
    expect(s.status).toBe('approved');
    expect(s.pending()).toEqual([]);
    expect(s.tasks.map((t) => t.status)).toEqual(['approved', 'approved', 'approved']);
  });

  it('routes by amount: above the threshold through the director', () => {
    const s = new Sim(onboarding, { amount: '500000.01', protectionLevel: 2 });
    s.act('leader', 'approve');
    s.act('review', 'approve');
    expect(s.pending()).toEqual(['director']);
    expect(s.trail).toContainEqual({ step: 'amount', action: 'condition', detail: 'branch 1 → director' });
    s.act('director', 'approve');
    s.act('provider', 'approve');
    expect(s.status).toBe('approved');
  });

  it('routes by amount: at the threshold straight to the provider; by protection level 3 to the director', () => {
    const low = new Sim(onboarding, { amount: '500000', protectionLevel: 2 });
    low.act('leader', 'approve');
    low.act('review', 'approve');
    expect(low.pending()).toEqual(['provider']);
    expect(low.trail).toContainEqual({ step: 'amount', action: 'condition', detail: 'otherwise → provider' });
    const mlps3 = new Sim(onboarding, { amount: '1000', protectionLevel: 3 });
    mlps3.act('leader', 'approve');
    mlps3.act('review', 'approve');
    expect(mlps3.pending()).toEqual(['director']);
  });

  it('a missing fact makes a condition false', () => {
    const s = new Sim(onboarding, {});
    s.act('leader', 'approve');
    s.act('review', 'approve');
    expect(s.pending()).toEqual(['provider']);
  });

  it('joins parallel branches only when every branch is approved', () => {
    const s = new Sim(parallel, { itemCategories: ['安全服务'] });
    s.act('leader', 'approve');
    expect(s.pending()).toEqual(['budget_review', 'network', 'security']);
    s.act('security', 'approve');
    s.act('network', 'approve');
    expect(s.pending()).toEqual(['budget_review', 'network2']);
    s.act('network2', 'approve');
    expect(s.pending()).toEqual(['budget_review']);
    expect(s.state.joins).toEqual({ final: 2 });
    s.act('budget_review', 'approve');
    expect(s.pending()).toEqual(['final']);
    expect(s.trail).toContainEqual({ step: 'split', action: 'join', detail: '3 branches approved' });
    s.act('final', 'approve');
    expect(s.status).toBe('approved');
  });

  it('counts a branch whose condition goes straight to the join as arrived', () => {
    const s = new Sim(parallel, { itemCategories: ['计算服务'] });
    s.act('leader', 'approve');
    expect(s.pending()).toEqual(['network', 'security']);
    expect(s.state.joins).toEqual({ final: 1 });
    s.act('network', 'approve');
    s.act('network2', 'approve');
    s.act('security', 'approve');
    expect(s.pending()).toEqual(['final']);
  });

  it('a rejection in one branch rejects the instance and cancels the other branches', () => {
    const s = new Sim(parallel, {});
    s.act('leader', 'approve');
    s.act('security', 'reject');
    expect(s.status).toBe('rejected');
    expect(s.pending()).toEqual([]);
    expect(s.tasks.find((t) => t.stepKey === 'network')!.status).toBe('cancelled');
  });

  it('return sends back to the applicant; resubmission restarts at the returned step', () => {
    const s = new Sim(serial);
    s.act('a', 'approve');
    s.act('b', 'return');
    expect(s.status).toBe('returned');
    expect(s.state.returnedStep).toBe('b');
    s.apply(resubmit(s.flow, s, s.facts));
    expect(s.status).toBe('running');
    expect(s.pending()).toEqual(['b']);
    s.act('b', 'approve');
    s.act('c', 'approve');
    expect(s.status).toBe('approved');
  });

  it('a return inside a parallel branch restarts the whole parallel', () => {
    const s = new Sim(parallel, {});
    s.act('leader', 'approve');
    s.act('security', 'approve');
    s.act('network', 'return');
    expect(s.pending()).toEqual([]);
    expect(s.state.returnedStep).toBe('split');
    s.apply(resubmit(s.flow, s, s.facts));
    expect(s.pending()).toEqual(['network', 'security']);
    expect(s.state.joins).toEqual({ final: 1 });
  });

  it('a return at a join step restarts at that step without waiting for the branches again', () => {
    const s = new Sim(parallel, {});
    s.act('leader', 'approve');
    s.act('security', 'approve');
    s.act('network', 'approve');
    s.act('network2', 'approve');
    s.act('final', 'return');
    s.apply(resubmit(s.flow, s, s.facts));
    expect(s.pending()).toEqual(['final']);
  });

  it('skip moves on like an approval, recorded as skipped', () => {
    const s = new Sim(serial);
    s.act('a', 'skip');
    expect(s.tasks[0]!.status).toBe('skipped');
    expect(s.pending()).toEqual(['b']);
  });

  it('terminate cancels every open task', () => {
    const s = new Sim(parallel, {});
    s.act('leader', 'approve');
    s.act('security', 'terminate');
    expect(s.status).toBe('terminated');
    expect(s.pending()).toEqual([]);
    expect(() => s.apply(terminate(s, s.tasks))).toThrow(expect.objectContaining({ code: 'workflow.instance_closed' }));
  });

  it('refuses to act twice on a task, or on a task of an ended instance', () => {
    const s = new Sim(serial);
    const a = s.task('a');
    s.act('a', 'approve');
    let err: unknown;
    try {
      decide(s.flow, s, s.tasks, a, 'approve', {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('workflow.task_closed');
    expect((err as AppError).status).toBe(409);
    s.act('b', 'reject');
    // A task still marked pending in an instance that has ended is closed too.
    const stale: EngineTask = { id: 'stale', stepKey: 'c', status: 'pending' };
    expect(() => decide(s.flow, s, [...s.tasks, stale], stale, 'approve', {})).toThrow(expect.objectContaining({ code: 'workflow.task_closed' }));
  });

  it('refuses to resubmit what was not returned', () => {
    const s = new Sim(serial);
    expect(() => resubmit(s.flow, s, {})).toThrow(expect.objectContaining({ code: 'workflow.not_returned' }));
  });
});

describe('definition checks', () => {
  const codes = (def: unknown) => checkDefinition(definitionBodySchema.parse(def)).map((p) => [p.code, p.step]);

  it('accepts the examples', () => {
    expect(codes(serial)).toEqual([]);
    expect(codes(onboarding)).toEqual([]);
    expect(codes(parallel)).toEqual([]);
  });

  it('refuses a cycle and names the step', () => {
    expect(codes({ start: 'a', steps: [approval('a', 'b'), approval('b', 'c'), approval('c', 'a')] })).toEqual([['workflow.cycle', 'a']]);
    expect(codes({ start: 'a', steps: [approval('a', 'a')] })).toEqual([['workflow.cycle', 'a']]);
  });

  it('refuses an unreachable step', () => {
    expect(codes({ start: 'a', steps: [approval('a', 'end'), approval('orphan', 'end')] })).toEqual([['workflow.unreachable_step', 'orphan']]);
  });

  it('refuses unknown targets, duplicates and dead ends', () => {
    expect(codes({ start: 'a', steps: [approval('a', 'nowhere')] })).toEqual([['workflow.unknown_step', 'a']]);
    expect(codes({ start: 'x', steps: [approval('a', 'end')] })).toEqual([['workflow.unknown_step', null]]);
    expect(codes({ start: 'a', steps: [approval('a', 'end'), approval('a', 'end')] })).toEqual([['workflow.duplicate_step', 'a']]);
    expect(codes({ start: 'end', steps: [approval('end', 'end')] })[0]).toEqual(['workflow.duplicate_step', 'end']);
    expect(codes({ start: 'a', steps: [{ key: 'a', name: 'a', kind: 'approval', assignee: { role: 'mgmt_staff' } }] })).toEqual([['workflow.missing_end', 'a']]);
    expect(codes({ start: 'c', steps: [{ key: 'c', name: 'c', kind: 'condition', branches: [{ when: { field: 'amount', op: 'gt', value: '1' }, next: 'end' }] }] })).toEqual([['workflow.missing_end', 'c']]);
  });

  it('refuses a parallel branch that does not reach the join, an empty branch and nested parallels', () => {
    const base = (branchB: unknown[]) => ({
      start: 'p',
      steps: [{ key: 'p', name: 'p', kind: 'parallel', branches: ['a', 'b'], join: 'j' }, approval('a', 'j'), ...branchB, approval('j', 'end')],
    });
    expect(codes(base([approval('b', 'end')]))).toEqual([['workflow.parallel_without_join', 'p']]);
    const problems = checkDefinition(definitionBodySchema.parse(base([approval('b', 'end')])));
    expect(problems[0]!.field).toBe('steps[0].branches[1]');
    expect(problems[0]!.message).toContain('"b"');
    expect(codes({ start: 'p', steps: [{ key: 'p', name: 'p', kind: 'parallel', branches: ['a', 'j'], join: 'j' }, approval('a', 'j'), approval('j', 'end')] })).toEqual([['workflow.parallel_without_join', 'p']]);
    expect(
      codes(base([{ key: 'b', name: 'b', kind: 'parallel', branches: ['c', 'd'], join: 'e' }, approval('c', 'e'), approval('d', 'e'), approval('e', 'j')])),
    ).toEqual([['workflow.nested_parallel', 'b']]);
  });

  it('refuses branches sharing a step and steps outside a parallel leading into it', () => {
    const par = { key: 'p', name: 'p', kind: 'parallel', branches: ['a', 'b'], join: 'j' };
    // a → b → j and b → j: b would get two tasks.
    expect(codes({ start: 'p', steps: [par, approval('a', 'b'), approval('b', 'j'), approval('j', 'end')] })).toEqual([['workflow.branches_overlap', 'b']]);
    // A condition before the parallel jumps straight into branch step a: the join would wait forever.
    expect(
      codes({
        start: 'c',
        steps: [
          { key: 'c', name: 'c', kind: 'condition', branches: [{ when: { field: 'amount', op: 'gt', value: '1' }, next: 'a' }], otherwise: 'p' },
          par,
          approval('a', 'j'),
          approval('b', 'j'),
          approval('j', 'end'),
        ],
      }),
    ).toEqual([['workflow.parallel_entered_outside', 'c']]);
    // …or straight to the join.
    expect(
      codes({
        start: 'c',
        steps: [{ key: 'c', name: 'c', kind: 'condition', branches: [{ when: { field: 'amount', op: 'gt', value: '1' }, next: 'j' }], otherwise: 'p' }, par, approval('a', 'j'), approval('b', 'j'), approval('j', 'end')],
      }),
    ).toEqual([['workflow.parallel_entered_outside', 'c']]);
  });

  it('refuses malformed shapes through the schema', () => {
    expect(definitionBodySchema.safeParse({ start: 'a', steps: [{ key: 'a', name: 'a', kind: 'approval', assignee: {}, next: 'end' }] }).success).toBe(false);
    expect(definitionBodySchema.safeParse({ start: 'a', steps: [{ key: 'a', name: 'a', kind: 'approval', assignee: { role: 'x1', deadline: 1 }, next: 'end' }] }).success).toBe(false);
    expect(definitionBodySchema.safeParse({ start: 'A', steps: [approval('a', 'end')] }).success).toBe(false);
    expect(
      definitionBodySchema.safeParse({ start: 'c', steps: [{ key: 'c', name: 'c', kind: 'condition', branches: [{ when: { field: 'amount', op: 'gt', value: 5 }, next: 'end' }], otherwise: 'end' }] }).success,
    ).toBe(false);
  });
});
