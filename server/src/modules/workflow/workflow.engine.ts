import { Dec } from '../../platform/money.js';
import { AppError } from '../../platform/errors.js';
import { branchOwners, END, type ApprovalStep, type Condition, type DefinitionBody, type Step } from './workflow.definition.js';

/**
 * The workflow engine's pure core: given a definition, the instance's state and its open tasks, decides what an
 * action does — which tasks close, which steps open, how the instance ends. The service persists the result.
 *
 * Routing passes through condition steps (first branch that holds, else `otherwise`) and parallel steps (every
 * branch opens; the join opens when all branches have arrived) until it reaches approval steps (tasks) or the end.
 */

export type InstanceStatus = 'running' | 'approved' | 'rejected' | 'returned' | 'terminated';
export type TaskStatus = 'pending' | 'approved' | 'rejected' | 'returned' | 'delegated' | 'skipped' | 'expired' | 'cancelled';
export type TaskAction = 'approve' | 'reject' | 'return' | 'delegate' | 'extend' | 'skip' | 'terminate' | 'comment';
export type InstanceAction = 'resubmit' | 'terminate' | 'comment';

/** What conditions can test. Missing facts make a condition false (the `otherwise` route is taken). */
export interface Facts {
  amount?: string;
  protectionLevel?: number;
  itemCategories?: string[];
}

export interface EngineState {
  /** Branches arrived so far at each join that is waiting. */
  joins: Record<string, number>;
  /** Where a resubmission restarts after a return. */
  returnedStep?: string;
}

export interface EngineTask {
  id: string;
  stepKey: string;
  status: TaskStatus;
}

export interface Transition {
  status: InstanceStatus;
  state: EngineState;
  /** Approval steps that get a new task. */
  open: ApprovalStep[];
  /** Tasks that close, with their final status. */
  close: Array<{ taskId: string; status: TaskStatus }>;
  /** Automatic steps passed (conditions taken, parallels split, joins completed), for the timeline. */
  trail: Array<{ step: string; action: 'condition' | 'split' | 'join' | 'end'; detail?: string }>;
}

export const emptyState = (): EngineState => ({ joins: {} });

export function evaluate(cond: Condition, facts: Facts): boolean {
  if (cond.field === 'itemCategory') return (facts.itemCategories ?? []).includes(cond.value);
  let c: number;
  if (cond.field === 'amount') {
    if (facts.amount === undefined) return false;
    c = new Dec(facts.amount).comparedTo(new Dec(cond.value));
  } else {
    if (facts.protectionLevel === undefined) return false;
    c = Math.sign(facts.protectionLevel - cond.value);
  }
  switch (cond.op) {
    case 'gt':
      return c > 0;
    case 'gte':
      return c >= 0;
    case 'lt':
      return c < 0;
    case 'lte':
      return c <= 0;
    case 'eq':
      return c === 0;
    case 'ne':
      return c !== 0;
  }
}

/** A definition prepared for routing: steps by key, joins by key, branch owners. */
export class Flow {
  readonly steps: Map<string, Step>;
  /** join key → the parallel step waiting there */
  readonly joins: Map<string, Step & { kind: 'parallel' }>;
  readonly owners: Map<string, string>;

  constructor(readonly def: DefinitionBody) {
    this.steps = new Map(def.steps.map((s) => [s.key, s]));
    this.joins = new Map();
    for (const s of def.steps) if (s.kind === 'parallel') this.joins.set(s.join, s);
    this.owners = branchOwners(def);
  }

  step(key: string): Step {
    const s = this.steps.get(key);
    if (!s) throw new AppError('internal', 'workflow.unknown_step', `step ${key} is not in the definition`);
    return s;
  }

  /**
   * Routes into `targets`, mutating `t`. `countJoin` false enters a join step directly (a restart), instead of
   * counting an arrival.
   */
  route(t: Transition, targets: string[], facts: Facts, countJoin = true): void {
    for (const key of targets) this.enter(t, key, facts, countJoin);
  }

  private enter(t: Transition, key: string, facts: Facts, countJoin: boolean): void {
    if (key === END) {
      t.trail.push({ step: END, action: 'end' });
      t.status = 'approved';
      return;
    }
    const parallel = this.joins.get(key);
    if (parallel && countJoin) {
      const arrived = (t.state.joins[key] ?? 0) + 1;
      if (arrived < parallel.branches.length) {
        t.state.joins = { ...t.state.joins, [key]: arrived };
        return;
      }
      const { [key]: _done, ...rest } = t.state.joins;
      t.state.joins = rest;
      t.trail.push({ step: parallel.key, action: 'join', detail: `${arrived} branches approved` });
    }
    const step = this.step(key);
    switch (step.kind) {
      case 'approval':
        t.open.push(step);
        return;
      case 'condition': {
        const i = step.branches.findIndex((b) => evaluate(b.when, facts));
        const to = i >= 0 ? step.branches[i]!.next : step.otherwise!;
        t.trail.push({ step: key, action: 'condition', detail: i >= 0 ? `branch ${i + 1} → ${to}` : `otherwise → ${to}` });
        this.enter(t, to, facts, true);
        return;
      }
      case 'parallel':
        t.state.joins = { ...t.state.joins, [step.join]: 0 };
        t.trail.push({ step: key, action: 'split', detail: step.branches.join(', ') });
        for (const b of step.branches) this.enter(t, b, facts, true);
        return;
    }
  }
}

const blank = (status: InstanceStatus, state: EngineState): Transition => ({ status, state: { ...state, joins: { ...state.joins } }, open: [], close: [], trail: [] });

/** Starts an instance: routes from the start step. */
export function start(flow: Flow, facts: Facts): Transition {
  const t = blank('running', emptyState());
  flow.route(t, [flow.def.start], facts);
  return finish(t, []);
}

/** After routing: reaching the end approves the instance and closes whatever is still open (nothing, for valid definitions). */
function finish(t: Transition, pending: EngineTask[]): Transition {
  if (t.status === 'approved') {
    t.open = [];
    for (const p of pending) if (!t.close.some((c) => c.taskId === p.id)) t.close.push({ taskId: p.id, status: 'cancelled' });
    t.state = { joins: {} };
  }
  return t;
}

/** Refuses an action on a task that is no longer open, or of an instance that is no longer running (409). */
export function assertOpen(status: InstanceStatus, task: EngineTask): void {
  if (task.status !== 'pending' || status !== 'running') {
    throw new AppError('conflict', 'workflow.task_closed', `This task is already closed (${task.status}) or its workflow has ended (${status})`, {
      taskId: task.id,
      taskStatus: task.status,
      instanceStatus: status,
    });
  }
}

/**
 * The effect of a decision on an open task. `approve` and `skip` route on from the task's step; `reject` ends the
 * instance; `return` sends it back to the applicant (restart point: the step, or the enclosing parallel when the
 * step lies in a branch, so all branches are asked again); `terminate` ends it. Other open tasks close as cancelled
 * when the instance stops.
 */
export function decide(
  flow: Flow,
  instance: { status: InstanceStatus; state: EngineState },
  tasks: EngineTask[],
  task: EngineTask,
  action: 'approve' | 'skip' | 'reject' | 'return' | 'terminate',
  facts: Facts,
): Transition {
  assertOpen(instance.status, task);
  const t = blank('running', instance.state);
  const others = tasks.filter((x) => x.status === 'pending' && x.id !== task.id);
  const cancelOthers = () => others.forEach((o) => t.close.push({ taskId: o.id, status: 'cancelled' }));
  switch (action) {
    case 'approve':
    case 'skip': {
      t.close.push({ taskId: task.id, status: action === 'approve' ? 'approved' : 'skipped' });
      const step = flow.step(task.stepKey);
      if (step.kind !== 'approval') throw new AppError('internal', 'workflow.not_approval', `step ${step.key} is not an approval step`);
      flow.route(t, [step.next!], facts);
      return finish(t, others);
    }
    case 'reject':
      t.close.push({ taskId: task.id, status: 'rejected' });
      cancelOthers();
      t.status = 'rejected';
      t.state = { joins: {} };
      return t;
    case 'return':
      t.close.push({ taskId: task.id, status: 'returned' });
      cancelOthers();
      t.status = 'returned';
      t.state = { joins: {}, returnedStep: flow.owners.get(task.stepKey) ?? task.stepKey };
      return t;
    case 'terminate':
      return terminate(instance, tasks);
  }
}

/** Ends a running or returned instance: every open task is cancelled. */
export function terminate(instance: { status: InstanceStatus; state: EngineState }, tasks: EngineTask[]): Transition {
  if (instance.status !== 'running' && instance.status !== 'returned') {
    throw new AppError('conflict', 'workflow.instance_closed', `This workflow has already ended (${instance.status})`, { instanceStatus: instance.status });
  }
  const t = blank('terminated', instance.state);
  for (const x of tasks) if (x.status === 'pending') t.close.push({ taskId: x.id, status: 'cancelled' });
  t.state = { joins: {} };
  return t;
}

/** Resubmission after a return: restarts at the returned step (entering a join step directly). */
export function resubmit(flow: Flow, instance: { status: InstanceStatus; state: EngineState }, facts: Facts): Transition {
  if (instance.status !== 'returned' || !instance.state.returnedStep) {
    throw new AppError('conflict', 'workflow.not_returned', `Only a workflow returned for changes can be resubmitted (it is ${instance.status})`, { instanceStatus: instance.status });
  }
  const t = blank('running', { joins: {} });
  flow.route(t, [instance.state.returnedStep], facts, false);
  return finish(t, []);
}
