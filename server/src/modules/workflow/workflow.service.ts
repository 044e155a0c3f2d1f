import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import type { OrgKind, RequestContext } from '../../platform/context.js';
import { withTx, type DB, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, forbidden, notFound, validationError, type FieldIssue } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import type { CalendarService } from '../calendar/index.js';
import { checkDefinition, type ApprovalStep, type Assignee, type DefinitionBody, type DefinitionProblem, type Deadline } from './workflow.definition.js';
import { assertOpen, decide, Flow, resubmit, start, terminate, type EngineState, type EngineTask, type Facts, type InstanceStatus, type TaskStatus, type Transition } from './workflow.engine.js';
import type {
  DefinitionInput,
  DefinitionListQuery,
  DefinitionUpdate,
  InstanceActionInput,
  InstanceDetail,
  InstanceListQuery,
  InstanceSummary,
  StartInput,
  TaskActionInput,
  TaskListQuery,
  TaskWithInstance,
  WorkflowDefinition,
  WorkflowEvent,
  WorkflowTask,
} from './workflow.schemas.js';

/** What a subject module tells the engine about one of its subjects; null when the caller cannot see it. */
export interface SubjectInfo {
  /** The applicant's unit: owns the instance (and sees it). */
  ownerOrgId: string;
  title?: string | null;
}
export type SubjectResolver = (trx: Tx, ctx: RequestContext, subjectId: string) => Promise<SubjectInfo | null>;

type DefinitionRow = Selectable<DB['workflowDefinitions']>;
type TaskRow = Selectable<DB['workflowTasks']>;
type InstanceRow = Selectable<DB['workflowInstances']> & { definitionCode: string; definitionName: string; definitionVersion: number };

const json = (v: unknown) => sql<string>`${JSON.stringify(v)}::jsonb`;

function selectDefinition(trx: Tx, id: string) {
  return trx.selectFrom('workflowDefinitions').selectAll().where('id', '=', id).executeTakeFirst();
}

const toDefinition = (r: DefinitionRow): WorkflowDefinition => ({
  id: r.id,
  code: r.code,
  name: r.name,
  version: r.version,
  status: r.status as WorkflowDefinition['status'],
  appliesTo: r.appliesTo,
  definition: r.definition as unknown as DefinitionBody,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  publishedBy: r.publishedBy,
  publishedAt: r.publishedAt,
});

type SummaryRow = Pick<
  InstanceRow,
  'id' | 'definitionId' | 'definitionCode' | 'definitionName' | 'definitionVersion' | 'subjectType' | 'subjectId' | 'title' | 'ownerOrgId' | 'providerOrgId' | 'status' | 'startedBy' | 'startedAt' | 'endedAt'
>;

const toSummary = (r: SummaryRow): InstanceSummary => ({
  id: r.id,
  definitionId: r.definitionId,
  definitionCode: r.definitionCode,
  definitionName: r.definitionName,
  definitionVersion: r.definitionVersion,
  subjectType: r.subjectType,
  subjectId: r.subjectId,
  title: r.title,
  ownerOrgId: r.ownerOrgId,
  providerOrgId: r.providerOrgId,
  status: r.status as InstanceStatus,
  startedBy: r.startedBy,
  startedAt: r.startedAt,
  endedAt: r.endedAt,
});

/** Who the actor is for assignment purposes: their id, organisation, org kind and built-in role codes. */
interface Me {
  userId: string | null;
  orgId: string | null;
  orgKind: OrgKind | null;
  roles: string[];
  management: boolean;
}

function definitionError(problems: DefinitionProblem[]): AppError {
  const first = problems[0]!;
  return new AppError('validation', first.code, `The workflow definition is invalid: ${first.message}`, {
    issues: problems.map((p) => ({ field: `body.definition.${p.field}`, rule: p.code, message: p.message, step: p.step })),
  });
}

/**
 * 审批流程: workflow definitions (configured and published by the management unit), instances for subjects of other
 * modules (applications …), tasks with deadlines on the business calendar, and the timeline. The routing decisions
 * are the pure engine's (workflow.engine.ts); this service checks who may act, resolves assignees, computes due
 * times and persists. Instances are visible to the applicant's unit, the organisations a task went to, and the
 * management unit (RLS); another unit's instance or task answers 404.
 */
/** What the workflow tells its listeners (notifications): a task to do, or an instance decided. */
export type WorkflowNotice =
  | {
      kind: 'task_assigned';
      instanceId: string;
      taskId: string;
      stepName: string;
      title: string | null;
      assignee: { role: string | null; orgId: string | null; orgKind: string | null; userId: string | null };
      dueAt: Date | null;
    }
  | { kind: 'instance_decided'; instanceId: string; status: 'approved' | 'rejected' | 'returned'; title: string | null; startedBy: string | null };
/** Runs inside the workflow's transaction; a listener that throws undoes the action, so listeners must not throw. */
export type WorkflowListener = (trx: Tx, notice: WorkflowNotice) => Promise<void>;

export class WorkflowService {
  private readonly subjects = new Map<string, SubjectResolver>();
  private readonly listeners: WorkflowListener[] = [];

  /** Adds a listener told of every task assigned and every instance approved, rejected or returned. */
  onNotice(listener: WorkflowListener): void {
    this.listeners.push(listener);
  }

  private async emit(trx: Tx, notice: WorkflowNotice): Promise<void> {
    for (const l of this.listeners) await l(trx, notice);
  }

  private async instanceHead(trx: Tx, id: string): Promise<{ title: string | null; startedBy: string | null }> {
    const r = await trx.selectFrom('workflowInstances').select(['title', 'startedBy']).where('id', '=', id).executeTakeFirst();
    return { title: r?.title ?? null, startedBy: r?.startedBy ?? null };
  }

  constructor(
    private readonly db: Db,
    private readonly calendar: CalendarService,
  ) {}

  /**
   * Lets a module start workflows for its subjects: the resolver checks the caller may see the subject and names
   * the applicant's unit. Applications register `application`; tests register `test`.
   */
  registerSubjectType(type: string, resolver: SubjectResolver): void {
    this.subjects.set(type, resolver);
  }

  // ---- definitions ------------------------------------------------------------------------------------------

  listDefinitions(ctx: RequestContext, q: DefinitionListQuery): Promise<WorkflowDefinition[]> {
    return withTx(this.db, ctx, async (trx) => {
      let query = trx.selectFrom('workflowDefinitions').selectAll();
      if (q.code) query = query.where('code', '=', q.code);
      if (q.appliesTo) query = query.where('appliesTo', '=', q.appliesTo);
      if (q.status) query = query.where('status', '=', q.status);
      const rows = await query.orderBy('code').orderBy('version', 'desc').limit(500).execute();
      return rows.map(toDefinition);
    });
  }

  getDefinition(ctx: RequestContext, id: string): Promise<WorkflowDefinition> {
    return withTx(this.db, ctx, async (trx) => {
      const row = await selectDefinition(trx, id);
      if (!row) throw notFound('workflow_definition', id);
      return toDefinition(row);
    });
  }

  /** Graph problems of a definition without saving it (the editor's check). */
  validate(def: DefinitionBody): DefinitionProblem[] {
    return checkDefinition(def);
  }

  /** A new draft: version 1 of a new code, or the next version of an existing code. */
  createDefinition(ctx: RequestContext, input: DefinitionInput): Promise<WorkflowDefinition> {
    return withTx(this.db, ctx, async (trx) => {
      const userOrgs = await this.checkDefinitionFully(trx, input.definition);
      await sql`select pg_advisory_xact_lock(hashtext(${`workflow_definition:${input.code}`}))`.execute(trx);
      const max = await trx.selectFrom('workflowDefinitions').select((eb) => eb.fn.max('version').as('v')).where('code', '=', input.code).executeTakeFirst();
      const row = await trx
        .insertInto('workflowDefinitions')
        .values({
          code: input.code,
          name: input.name,
          appliesTo: input.appliesTo,
          version: (max?.v ?? 0) + 1,
          definition: json(input.definition),
          userOrgs: json(userOrgs),
          createdBy: ctx.actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'workflow.definition_create', targetType: 'workflow_definition', targetId: row.id, after: { code: row.code, version: row.version, name: row.name, appliesTo: row.appliesTo } });
      return toDefinition(row);
    });
  }

  updateDefinition(ctx: RequestContext, id: string, input: DefinitionUpdate): Promise<WorkflowDefinition> {
    return withTx(this.db, ctx, async (trx) => {
      const existing = await this.lockDraft(trx, id);
      const userOrgs = await this.checkDefinitionFully(trx, input.definition);
      const row = await trx
        .updateTable('workflowDefinitions')
        .set({ name: input.name, appliesTo: input.appliesTo, definition: json(input.definition), userOrgs: json(userOrgs), updatedAt: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'workflow.definition_update', targetType: 'workflow_definition', targetId: id, before: { name: existing.name, definition: existing.definition }, after: input });
      return toDefinition(row);
    });
  }

  deleteDefinition(ctx: RequestContext, id: string): Promise<void> {
    return withTx(this.db, ctx, async (trx) => {
      const existing = await this.lockDraft(trx, id);
      await trx.deleteFrom('workflowDefinitions').where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'workflow.definition_delete', targetType: 'workflow_definition', targetId: id, before: { code: existing.code, version: existing.version } });
    });
  }

  /** Publishes a draft (checked again); the code's previously published version is retired. */
  publishDefinition(ctx: RequestContext, id: string): Promise<WorkflowDefinition> {
    return withTx(this.db, ctx, async (trx) => {
      const draft = await this.lockDraft(trx, id);
      await this.checkDefinitionFully(trx, draft.definition as unknown as DefinitionBody);
      const retired = await trx
        .updateTable('workflowDefinitions')
        .set({ status: 'retired', updatedAt: new Date() })
        .where('code', '=', draft.code)
        .where('status', '=', 'published')
        .returning(['id', 'version'])
        .execute();
      const row = await trx
        .updateTable('workflowDefinitions')
        .set({ status: 'published', publishedBy: ctx.actor.userId, publishedAt: new Date(), updatedAt: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'workflow.definition_publish', targetType: 'workflow_definition', targetId: id, after: { code: row.code, version: row.version }, details: { retired } });
      return toDefinition(row);
    });
  }

  /** Retires a published version: no new instance starts on it; running ones finish on it. */
  retireDefinition(ctx: RequestContext, id: string): Promise<WorkflowDefinition> {
    return withTx(this.db, ctx, async (trx) => {
      const row = await trx.selectFrom('workflowDefinitions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) throw notFound('workflow_definition', id);
      if (row.status !== 'published') throw new AppError('conflict', 'workflow.definition_not_published', `Only a published definition can be retired (this one is ${row.status})`, { status: row.status });
      const updated = await trx.updateTable('workflowDefinitions').set({ status: 'retired', updatedAt: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'workflow.definition_retire', targetType: 'workflow_definition', targetId: id, after: { code: row.code, version: row.version } });
      return toDefinition(updated);
    });
  }

  private async lockDraft(trx: Tx, id: string) {
    const row = await trx.selectFrom('workflowDefinitions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound('workflow_definition', id);
    if (row.status !== 'draft') {
      throw new AppError('conflict', 'workflow.definition_not_draft', `A ${row.status} definition cannot be changed: create a new version`, { status: row.status, version: row.version });
    }
    return row;
  }

  /** Graph checks, then the assignees: role codes, organisations and people must exist. Returns person → org. */
  private async checkDefinitionFully(trx: Tx, def: DefinitionBody): Promise<Record<string, string>> {
    const problems = checkDefinition(def);
    if (problems.length) throw definitionError(problems);
    const issues: FieldIssue[] = [];
    const userOrgs: Record<string, string> = {};
    for (const [i, step] of def.steps.entries()) {
      if (step.kind !== 'approval') continue;
      const a = step.assignee;
      const field = `body.definition.steps[${i}].assignee`;
      if (a.role) {
        const role = await trx.selectFrom('roles').select('code').where('code', '=', a.role).where('builtin', '=', true).executeTakeFirst();
        if (!role) issues.push({ field: `${field}.role`, rule: 'workflow.unknown_role', message: `step "${step.key}": no built-in role has the code "${a.role}"`, value: a.role });
      }
      if (a.org && a.org.includes('-')) {
        const org = await trx.selectFrom('organisations').select('id').where('id', '=', a.org).executeTakeFirst();
        if (!org) issues.push({ field: `${field}.org`, rule: 'workflow.unknown_org', message: `step "${step.key}": organisation ${a.org} does not exist`, value: a.org });
      }
      if (a.user) {
        const user = await trx.selectFrom('users').select(['id', 'orgId', 'status']).where('id', '=', a.user).executeTakeFirst();
        if (!user || user.status !== 'active') issues.push({ field: `${field}.user`, rule: 'workflow.unknown_user', message: `step "${step.key}": user ${a.user} does not exist or is disabled`, value: a.user });
        else userOrgs[a.user] = user.orgId;
      }
    }
    if (issues.length) throw validationError(issues[0]!.rule, issues[0]!.message, issues);
    return userOrgs;
  }

  // ---- instances --------------------------------------------------------------------------------------------

  start(ctx: RequestContext, input: StartInput): Promise<InstanceDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const id = await this.startIn(trx, ctx, input);
      return this.detail(trx, ctx, id);
    });
  }

  /** Starts an instance inside the caller's transaction (for subject modules); returns its id. */
  async startIn(trx: Tx, ctx: RequestContext, input: StartInput): Promise<string> {
    const resolver = this.subjects.get(input.subjectType);
    if (!resolver) {
      throw validationError('workflow.unknown_subject_type', `No module starts workflows for "${input.subjectType}"`, [
        { field: 'body.subjectType', rule: 'registered', message: `known: ${[...this.subjects.keys()].join(', ') || 'none'}`, value: input.subjectType },
      ]);
    }
    const subject = await resolver(trx, ctx, input.subjectId);
    if (!subject) throw notFound(input.subjectType, input.subjectId);
    let q = trx.selectFrom('workflowDefinitions').selectAll();
    q = input.definitionId ? q.where('id', '=', input.definitionId) : q.where('code', '=', input.definitionCode!).where('status', '=', 'published');
    const def = await q.executeTakeFirst();
    if (!def) throw notFound('workflow_definition', input.definitionId ?? input.definitionCode);
    if (def.status !== 'published') {
      throw new AppError('conflict', 'workflow.definition_not_published', `Workflows start only on a published definition (this one is ${def.status})`, { status: def.status });
    }
    await sql`select pg_advisory_xact_lock(hashtext(${`workflow_subject:${input.subjectType}:${input.subjectId}`}))`.execute(trx);
    const open = await trx
      .selectFrom('workflowInstances')
      .select('id')
      .where('subjectType', '=', input.subjectType)
      .where('subjectId', '=', input.subjectId)
      .where('status', 'in', ['running', 'returned'])
      .executeTakeFirst();
    if (open) throw new AppError('conflict', 'workflow.already_running', 'A workflow is already open for this subject', { instanceId: open.id });
    if (input.providerOrgId) {
      // Provider names are public (zy_provider_name), the rest of the provider's record may be hidden by RLS.
      const p = await sql<{ name: string | null }>`select zy_provider_name(${input.providerOrgId}::uuid) as name`.execute(trx);
      if (!p.rows[0]?.name) {
        throw validationError('workflow.not_a_provider', 'The chosen provider is not a cloud provider', [
          { field: 'body.providerOrgId', rule: 'cloud_provider', message: 'no cloud provider has this id', value: input.providerOrgId },
        ]);
      }
    }
    const facts: Facts = input.facts ?? {};
    const row = await trx
      .insertInto('workflowInstances')
      .values({
        definitionId: def.id,
        subjectType: input.subjectType,
        subjectId: input.subjectId,
        title: input.title ?? subject.title ?? null,
        ownerOrgId: subject.ownerOrgId,
        providerOrgId: input.providerOrgId ?? null,
        participantOrgIds: [subject.ownerOrgId],
        facts: json(facts),
        state: json({ joins: {} }),
        startedBy: ctx.actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.event(trx, ctx, row.id, null, null, 'start', { details: { definition: def.code, version: def.version } });
    const flow = new Flow(def.definition as unknown as DefinitionBody);
    await this.apply(trx, ctx, { ...row, userOrgs: def.userOrgs as Record<string, string> }, start(flow, facts), null);
    await recordAudit(trx, ctx, {
      action: 'workflow.start',
      targetType: 'workflow_instance',
      targetId: row.id,
      after: { definition: def.code, version: def.version, subjectType: input.subjectType, subjectId: input.subjectId, facts },
    });
    return row.id;
  }

  listInstances(ctx: RequestContext, q: InstanceListQuery): Promise<InstanceSummary[]> {
    return withTx(this.db, ctx, async (trx) => {
      let query = trx
        .selectFrom('workflowInstances as i')
        .innerJoin('workflowDefinitions as d', 'd.id', 'i.definitionId')
        .selectAll('i')
        .select(['d.code as definitionCode', 'd.name as definitionName', 'd.version as definitionVersion']);
      if (q.subjectType) query = query.where('i.subjectType', '=', q.subjectType);
      if (q.subjectId) query = query.where('i.subjectId', '=', q.subjectId);
      if (q.status) query = query.where('i.status', '=', q.status);
      const rows = await query.orderBy('i.startedAt', 'desc').limit(500).execute();
      return rows.map(toSummary);
    });
  }

  getInstance(ctx: RequestContext, id: string): Promise<InstanceDetail> {
    return withTx(this.db, ctx, (trx) => this.detail(trx, ctx, id));
  }

  /** Resubmit after a return, terminate, or comment on an instance. */
  actOnInstance(ctx: RequestContext, id: string, input: InstanceActionInput): Promise<InstanceDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const inst = await this.lockInstance(trx, id);
      const me = await this.me(trx, ctx);
      const tasks = await this.tasksOf(trx, id);
      const flow = new Flow(inst.definition as unknown as DefinitionBody);
      const state = inst.state as unknown as EngineState;
      const status = inst.status as InstanceStatus;
      const isApplicant = me.userId !== null && (me.userId === inst.startedBy || me.orgId === inst.ownerOrgId);
      switch (input.action) {
        case 'resubmit': {
          if (!isApplicant) throw forbidden('workflow.not_applicant', 'Only the applicant’s unit resubmits a returned workflow');
          const facts = input.facts ?? (inst.facts as Facts);
          if (input.facts) await trx.updateTable('workflowInstances').set({ facts: json(facts) }).where('id', '=', id).execute();
          const t = resubmit(flow, { status, state }, facts);
          await this.event(trx, ctx, id, null, null, 'resubmit', { comment: input.comment, attachments: input.attachments, details: { restartAt: state.returnedStep } });
          await this.apply(trx, ctx, inst, t, null);
          break;
        }
        case 'terminate': {
          if (!me.management && me.userId !== inst.startedBy) throw forbidden('workflow.terminate_not_allowed', 'Only the management unit or the person who started the workflow can terminate it');
          await this.event(trx, ctx, id, null, null, 'terminate', { comment: input.comment });
          await this.apply(trx, ctx, inst, terminate({ status, state }, tasks.map((t) => ({ id: t.id, stepKey: t.stepKey, status: t.status as TaskStatus }))), null);
          break;
        }
        case 'comment':
          await this.event(trx, ctx, id, null, null, 'comment', { comment: input.comment, attachments: input.attachments });
          break;
      }
      await recordAudit(trx, ctx, { action: `workflow.${input.action}`, targetType: 'workflow_instance', targetId: id, details: { comment: input.comment ?? null } });
      return this.detail(trx, ctx, id);
    });
  }

  // ---- tasks ------------------------------------------------------------------------------------------------

  /** Tasks visible to the caller; `mine` = the caller's to-dos (pending unless a status is asked for). */
  listTasks(ctx: RequestContext, q: TaskListQuery): Promise<TaskWithInstance[]> {
    return withTx(this.db, ctx, async (trx) => {
      const me = await this.me(trx, ctx);
      let query = trx
        .selectFrom('workflowTasks as t')
        .innerJoin('workflowInstances as i', 'i.id', 't.instanceId')
        .innerJoin('workflowDefinitions as d', 'd.id', 'i.definitionId')
        .selectAll('t')
        .select([
          'i.definitionId',
          'i.subjectType',
          'i.subjectId',
          'i.title',
          'i.ownerOrgId',
          'i.providerOrgId',
          'i.status as instanceStatus',
          'i.startedBy',
          'i.startedAt',
          'i.endedAt',
          'd.code as definitionCode',
          'd.name as definitionName',
          'd.version as definitionVersion',
        ]);
      if (q.status) query = query.where('t.status', '=', q.status);
      else if (q.mine === 'true') query = query.where('t.status', '=', 'pending');
      if (q.overdue) query = query.where('t.overdue', '=', q.overdue === 'true');
      if (q.instanceId) query = query.where('t.instanceId', '=', q.instanceId);
      if (q.mine === 'true') query = query.where((eb) => assignedTo(eb, me));
      const rows = await query.orderBy('t.dueAt', 'asc').orderBy('t.createdAt', 'desc').limit(500).execute();
      return rows.map((r) => ({
        ...this.toTask(r, me, r.instanceStatus as InstanceStatus, r.startedBy),
        instance: toSummary({ ...r, id: r.instanceId, status: r.instanceStatus }),
      }));
    });
  }

  /**
   * Acts on a task. approve / reject / return / delegate: the assignee (403 `workflow.not_assignee` otherwise);
   * delegate also the management unit; extend and skip: the management unit; terminate: the management unit or the
   * starter; comment: anyone who sees the task. A closed task answers 409 `workflow.task_closed`.
   */
  act(ctx: RequestContext, taskId: string, input: TaskActionInput): Promise<InstanceDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const found = await trx.selectFrom('workflowTasks').select(['id', 'instanceId']).where('id', '=', taskId).executeTakeFirst();
      if (!found) throw notFound('workflow_task', taskId);
      const inst = await this.lockInstance(trx, found.instanceId);
      const tasks = await this.tasksOf(trx, inst.id);
      const task = tasks.find((t) => t.id === taskId)!;
      const me = await this.me(trx, ctx);
      const status = inst.status as InstanceStatus;
      const state = inst.state as unknown as EngineState;
      const flow = new Flow(inst.definition as unknown as DefinitionBody);
      const facts = inst.facts as Facts;
      const engineTasks: EngineTask[] = tasks.map((t) => ({ id: t.id, stepKey: t.stepKey, status: t.status as TaskStatus }));
      const engineTask = engineTasks.find((t) => t.id === taskId)!;
      const isAssignee = assigned(task, me);
      const audit = async (details: Record<string, unknown> = {}) =>
        recordAudit(trx, ctx, { action: `workflow.${input.action}`, targetType: 'workflow_task', targetId: taskId, details: { instanceId: inst.id, step: task.stepKey, comment: input.comment ?? null, ...details } });

      switch (input.action) {
        case 'approve':
        case 'reject':
        case 'return': {
          assertOpen(status, engineTask);
          if (!isAssignee) throw notAssignee(task);
          const t = decide(flow, { status, state }, engineTasks, engineTask, input.action, facts);
          await this.event(trx, ctx, inst.id, task.id, task.stepKey, input.action, { comment: input.comment, attachments: input.attachments });
          await this.apply(trx, ctx, inst, t, { taskId, comment: input.comment ?? null });
          break;
        }
        case 'skip': {
          assertOpen(status, engineTask);
          if (!me.management) throw forbidden('workflow.management_only', 'Only the management unit can skip a step (跳过)');
          const t = decide(flow, { status, state }, engineTasks, engineTask, 'skip', facts);
          await this.event(trx, ctx, inst.id, task.id, task.stepKey, 'skip', { comment: input.comment });
          await this.apply(trx, ctx, inst, t, { taskId, comment: input.comment ?? null });
          break;
        }
        case 'terminate': {
          if (!me.management && me.userId !== inst.startedBy) throw forbidden('workflow.terminate_not_allowed', 'Only the management unit or the person who started the workflow can terminate it');
          const t = terminate({ status, state }, engineTasks);
          await this.event(trx, ctx, inst.id, task.id, task.stepKey, 'terminate', { comment: input.comment });
          await this.apply(trx, ctx, inst, t, null);
          break;
        }
        case 'delegate': {
          assertOpen(status, engineTask);
          if (!isAssignee && !me.management) throw notAssignee(task);
          const target = await trx.selectFrom('users').select(['id', 'orgId', 'status', 'displayName']).where('id', '=', input.toUserId).executeTakeFirst();
          if (!target || target.status !== 'active') {
            throw validationError('workflow.unknown_user', 'The person to hand the task to does not exist or is disabled', [{ field: 'body.toUserId', rule: 'active_user', message: 'no such active user in your organisations', value: input.toUserId }]);
          }
          if (target.id === task.assigneeUserId || target.id === me.userId) {
            throw validationError('workflow.delegate_to_self', 'Hand the task to someone else', [{ field: 'body.toUserId', rule: 'other_person', message: 'already assigned to this person', value: input.toUserId }]);
          }
          await this.closeTask(trx, taskId, 'delegated', ctx.actor.userId, input.comment ?? null);
          const created = await trx
            .insertInto('workflowTasks')
            .values({
              instanceId: inst.id,
              stepKey: task.stepKey,
              stepName: task.stepName,
              assigneeUserId: target.id,
              assigneeOrgId: target.orgId,
              dueAt: task.dueAt,
              deadline: task.deadline === null ? null : json(task.deadline),
              overdue: task.overdue,
              overdueAt: task.overdueAt,
              delegatedFrom: task.id,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await this.addParticipants(trx, inst.id, [target.orgId]);
          await this.event(trx, ctx, inst.id, task.id, task.stepKey, 'delegate', { comment: input.comment, details: { toUserId: target.id, toName: target.displayName, newTaskId: created.id } });
          if (this.listeners.length > 0) {
            const head = await this.instanceHead(trx, inst.id);
            await this.emit(trx, { kind: 'task_assigned', instanceId: inst.id, taskId: created.id, stepName: task.stepName, title: head.title, assignee: { role: null, orgId: target.orgId, orgKind: null, userId: target.id }, dueAt: task.dueAt ? new Date(task.dueAt) : null });
          }
          break;
        }
        case 'extend': {
          assertOpen(status, engineTask);
          if (!me.management) throw forbidden('workflow.management_only', 'Only the management unit can extend a deadline (延期)');
          const now = new Date();
          const base = task.dueAt && task.dueAt > now ? task.dueAt : now;
          const due = input.dueAt ? new Date(input.dueAt) : await this.calendar.dueAt(trx, base, input.by!);
          if (due <= now || (task.dueAt && due <= task.dueAt)) {
            throw validationError('workflow.extend_not_later', 'The new due time must be later than the current one and than now', [
              { field: input.dueAt ? 'body.dueAt' : 'body.by', rule: 'later', message: `current due: ${task.dueAt?.toISOString() ?? 'none'}`, value: due.toISOString() },
            ]);
          }
          await trx.updateTable('workflowTasks').set({ dueAt: due, overdue: false, overdueAt: null }).where('id', '=', taskId).execute();
          await this.event(trx, ctx, inst.id, task.id, task.stepKey, 'extend', { comment: input.comment, details: { from: task.dueAt?.toISOString() ?? null, to: due.toISOString() } });
          await audit({ from: task.dueAt, to: due });
          return this.detail(trx, ctx, inst.id);
        }
        case 'comment':
          await this.event(trx, ctx, inst.id, task.id, task.stepKey, 'comment', { comment: input.comment, attachments: input.attachments });
          break;
      }
      await audit();
      return this.detail(trx, ctx, inst.id);
    });
  }

  // ---- deadlines --------------------------------------------------------------------------------------------

  /**
   * Marks pending tasks past their due time as overdue (status stays pending) and records an `overdue` event, once
   * per task. Run every minute by the `workflow.overdue` job; returns how many were marked.
   */
  markOverdue(ctx: RequestContext, now: Date = new Date()): Promise<number> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await trx
        .updateTable('workflowTasks')
        .set({ overdue: true, overdueAt: now })
        .where('status', '=', 'pending')
        .where('overdue', '=', false)
        .where('dueAt', '<', now)
        .returning(['id', 'instanceId', 'stepKey', 'dueAt'])
        .execute();
      if (rows.length) {
        await trx
          .insertInto('workflowEvents')
          .values(rows.map((r) => ({ instanceId: r.instanceId, taskId: r.id, stepKey: r.stepKey, action: 'overdue', actorName: 'system', details: json({ dueAt: r.dueAt }) })))
          .execute();
      }
      return rows.length;
    });
  }

  /** Pending overdue tasks the caller can see (for notifications and escalation), most overdue first. */
  listOverdue(ctx: RequestContext): Promise<TaskWithInstance[]> {
    return this.listTasks(ctx, { status: 'pending', overdue: 'true' });
  }

  // ---- internals --------------------------------------------------------------------------------------------

  private async lockInstance(trx: Tx, id: string) {
    const row = await trx
      .selectFrom('workflowInstances as i')
      .innerJoin('workflowDefinitions as d', 'd.id', 'i.definitionId')
      .selectAll('i')
      .select(['d.definition', 'd.userOrgs'])
      .where('i.id', '=', id)
      .forUpdate('i')
      .executeTakeFirst();
    if (!row) throw notFound('workflow_instance', id);
    return row;
  }

  private tasksOf(trx: Tx, instanceId: string): Promise<TaskRow[]> {
    return trx.selectFrom('workflowTasks').selectAll().where('instanceId', '=', instanceId).orderBy('createdAt').orderBy('id').execute();
  }

  private async me(trx: Tx, ctx: RequestContext): Promise<Me> {
    const { actor } = ctx;
    const roles = actor.userId
      ? (await trx.selectFrom('userRoles as ur').innerJoin('roles as r', 'r.id', 'ur.roleId').select('r.code').where('ur.userId', '=', actor.userId).where('r.code', 'is not', null).execute()).map((r) => r.code!)
      : [];
    return { userId: actor.userId, orgId: actor.orgId, orgKind: actor.orgKind, roles, management: actor.orgKind === 'management_unit' && actor.businessAccess };
  }

  private toTask(r: TaskRow, me: Me, instanceStatus: InstanceStatus, startedBy: string | null): WorkflowTask {
    const open = r.status === 'pending' && instanceStatus === 'running';
    const mine = assigned(r, me);
    return {
      id: r.id,
      instanceId: r.instanceId,
      stepKey: r.stepKey,
      stepName: r.stepName,
      assignee: { role: r.assigneeRole, orgId: r.assigneeOrgId, orgKind: r.assigneeOrgKind, userId: r.assigneeUserId },
      status: r.status as TaskStatus,
      createdAt: r.createdAt,
      dueAt: r.dueAt,
      deadline: r.deadline as Deadline | null,
      overdue: r.overdue,
      overdueAt: r.overdueAt,
      delegatedFrom: r.delegatedFrom,
      actedBy: r.actedBy,
      actedAt: r.actedAt,
      comment: r.comment,
      abilities: {
        act: open && mine,
        delegate: open && (mine || me.management),
        extend: open && me.management,
        skip: open && me.management,
        terminate: open && (me.management || (me.userId !== null && me.userId === startedBy)),
      },
    };
  }

  private async detail(trx: Tx, ctx: RequestContext, id: string): Promise<InstanceDetail> {
    const row = await trx
      .selectFrom('workflowInstances as i')
      .innerJoin('workflowDefinitions as d', 'd.id', 'i.definitionId')
      .selectAll('i')
      .select(['d.code as definitionCode', 'd.name as definitionName', 'd.version as definitionVersion', 'd.definition'])
      .where('i.id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('workflow_instance', id);
    const me = await this.me(trx, ctx);
    const tasks = await this.tasksOf(trx, id);
    const events = await trx.selectFrom('workflowEvents').selectAll().where('instanceId', '=', id).orderBy('id').execute();
    const status = row.status as InstanceStatus;
    const state = row.state as unknown as EngineState;
    const isApplicant = me.userId !== null && (me.userId === row.startedBy || me.orgId === row.ownerOrgId);
    return {
      ...toSummary(row),
      facts: row.facts as Facts,
      returnedStep: status === 'returned' ? (state.returnedStep ?? null) : null,
      steps: (row.definition as unknown as DefinitionBody).steps.map((s) => ({ key: s.key, name: s.name, kind: s.kind })),
      tasks: tasks.map((t) => this.toTask(t, me, status, row.startedBy)),
      events: events.map(
        (e): WorkflowEvent => ({
          id: e.id,
          taskId: e.taskId,
          stepKey: e.stepKey,
          action: e.action,
          actorUserId: e.actorUserId,
          actorName: e.actorName,
          comment: e.comment,
          attachments: e.attachments as WorkflowEvent['attachments'],
          details: e.details as Record<string, unknown>,
          at: e.at,
        }),
      ),
      abilities: {
        resubmit: status === 'returned' && isApplicant,
        terminate: (status === 'running' || status === 'returned') && (me.management || (me.userId !== null && me.userId === row.startedBy)),
        comment: true,
      },
    };
  }

  /** Persists an engine transition: closes tasks, opens new ones (assignee and due time resolved), records the trail. */
  private async apply(
    trx: Tx,
    ctx: RequestContext,
    inst: { id: string; ownerOrgId: string; providerOrgId: string | null; userOrgs: unknown },
    t: Transition,
    acting: { taskId: string; comment: string | null } | null,
  ): Promise<void> {
    for (const c of t.close) {
      const isActing = acting?.taskId === c.taskId;
      await this.closeTask(trx, c.taskId, c.status, isActing ? ctx.actor.userId : null, isActing ? acting!.comment : null);
    }
    for (const tr of t.trail) {
      await this.event(trx, null, inst.id, null, tr.step, tr.action, { details: tr.detail ? { route: tr.detail } : {} });
    }
    const now = new Date();
    const newOrgs: string[] = [];
    for (const step of t.open) {
      const a = await this.resolveAssignee(trx, step, inst);
      const due = step.deadline ? await this.calendar.dueAt(trx, now, step.deadline) : null;
      // The organisation joins the participants first, so the new task is visible to whoever inserts it.
      if (a.orgId) {
        newOrgs.push(a.orgId);
        await this.addParticipants(trx, inst.id, [a.orgId]);
      }
      const task = await trx
        .insertInto('workflowTasks')
        .values({
          instanceId: inst.id,
          stepKey: step.key,
          stepName: step.name,
          createdAt: now,
          assigneeRole: a.role,
          assigneeOrgId: a.orgId,
          assigneeOrgKind: a.orgKind,
          assigneeUserId: a.userId,
          dueAt: due,
          deadline: step.deadline ? json(step.deadline) : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.event(trx, null, inst.id, task.id, step.key, 'assign', { details: { assignee: a, dueAt: due?.toISOString() ?? null } });
      if (this.listeners.length > 0) {
        const head = await this.instanceHead(trx, inst.id);
        await this.emit(trx, { kind: 'task_assigned', instanceId: inst.id, taskId: task.id, stepName: step.name, title: head.title, assignee: { role: a.role ?? null, orgId: a.orgId ?? null, orgKind: a.orgKind ?? null, userId: a.userId ?? null }, dueAt: due });
      }
    }
    const ended = t.status !== 'running' && t.status !== 'returned';
    await trx
      .updateTable('workflowInstances')
      .set({ status: t.status, state: json(t.state), endedAt: ended ? now : null })
      .where('id', '=', inst.id)
      .execute();
    if (t.status === 'approved' || t.status === 'rejected' || t.status === 'returned') {
      await this.event(trx, null, inst.id, null, null, t.status, {});
      if (this.listeners.length > 0) {
        const head = await this.instanceHead(trx, inst.id);
        await this.emit(trx, { kind: 'instance_decided', instanceId: inst.id, status: t.status, title: head.title, startedBy: head.startedBy });
      }
    }
  }

  private async closeTask(trx: Tx, id: string, status: TaskStatus, actedBy: string | null, comment: string | null): Promise<void> {
    await trx.updateTable('workflowTasks').set({ status, actedBy, actedAt: new Date(), comment }).where('id', '=', id).execute();
  }

  private async addParticipants(trx: Tx, instanceId: string, orgIds: string[]): Promise<void> {
    await trx
      .updateTable('workflowInstances')
      .set({ participantOrgIds: sql<string[]>`(select array(select distinct unnest(participant_org_ids || ${orgIds}::uuid[])))` })
      .where('id', '=', instanceId)
      .execute();
  }

  /**
   * A step's assignee for this instance: a person; a role in an organisation (the applicant's unit, the chosen
   * provider, a given one); or a role held in any organisation of a kind (management unit, supervision provider).
   * A role alone takes its organisation from the role's kind.
   */
  private async resolveAssignee(
    trx: Tx,
    step: ApprovalStep,
    inst: { ownerOrgId: string; providerOrgId: string | null; userOrgs: unknown },
  ): Promise<{ role: string | null; orgId: string | null; orgKind: OrgKind | null; userId: string | null }> {
    const a: Assignee = step.assignee;
    if (a.user) return { role: null, orgId: (inst.userOrgs as Record<string, string>)[a.user] ?? null, orgKind: null, userId: a.user };
    let org = a.org;
    if (!org && a.role) {
      const role = await trx.selectFrom('roles').select('orgKinds').where('code', '=', a.role).executeTakeFirst();
      const kind = role?.orgKinds[0];
      org = kind === 'user_unit' ? 'applicant_unit' : kind === 'cloud_provider' ? 'chosen_provider' : kind === 'supervision_provider' ? 'supervision_provider' : 'management_unit';
    }
    const role = a.role ?? null;
    switch (org) {
      case 'applicant_unit':
        return { role, orgId: inst.ownerOrgId, orgKind: null, userId: null };
      case 'chosen_provider':
        if (!inst.providerOrgId) {
          throw validationError('workflow.no_provider', `Step "${step.key}" goes to the chosen provider, but none was chosen`, [
            { field: 'body.providerOrgId', rule: 'required', message: `step "${step.key}" needs the chosen provider` },
          ]);
        }
        return { role, orgId: inst.providerOrgId, orgKind: null, userId: null };
      case 'management_unit':
      case 'supervision_provider':
        return { role, orgId: null, orgKind: org, userId: null };
      default:
        return { role, orgId: org!, orgKind: null, userId: null };
    }
  }

  private async event(
    trx: Tx,
    ctx: RequestContext | null,
    instanceId: string,
    taskId: string | null,
    stepKey: string | null,
    action: string,
    extra: { comment?: string | undefined; attachments?: unknown[] | undefined; details?: Record<string, unknown> },
  ): Promise<void> {
    await trx
      .insertInto('workflowEvents')
      .values({
        instanceId,
        taskId,
        stepKey,
        action,
        actorUserId: ctx?.actor.userId ?? null,
        actorName: ctx ? ctx.actor.username : 'system',
        comment: extra.comment ?? null,
        attachments: json(extra.attachments ?? []),
        details: json(extra.details ?? {}),
      })
      .execute();
  }
}

/** Is the task assigned to this person (directly, or through role and organisation)? */
function assigned(t: { assigneeUserId: string | null; assigneeRole: string | null; assigneeOrgId: string | null; assigneeOrgKind: string | null }, me: Me): boolean {
  if (!me.userId) return false;
  if (t.assigneeUserId) return t.assigneeUserId === me.userId;
  if (t.assigneeRole && !me.roles.includes(t.assigneeRole)) return false;
  if (t.assigneeOrgId) return t.assigneeOrgId === me.orgId;
  if (t.assigneeOrgKind) return t.assigneeOrgKind === me.orgKind;
  return false;
}

/** The same rule as `assigned`, in SQL, for the to-do list. */
function assignedTo(eb: ExpressionBuilder<DB & { t: DB['workflowTasks'] }, 't'>, me: Me) {
  if (!me.userId) return eb.val(false);
  const byRole = me.roles.length ? eb.or([eb('t.assigneeRole', 'is', null), eb('t.assigneeRole', 'in', me.roles)]) : eb('t.assigneeRole', 'is', null);
  const byOrg = eb.or([
    me.orgId ? eb('t.assigneeOrgId', '=', me.orgId) : eb.val(false),
    me.orgKind ? eb.and([eb('t.assigneeOrgId', 'is', null), eb('t.assigneeOrgKind', '=', me.orgKind)]) : eb.val(false),
  ]);
  return eb.or([eb('t.assigneeUserId', '=', me.userId), eb.and([eb('t.assigneeUserId', 'is', null), byRole, byOrg])]);
}

function notAssignee(task: { id: string; stepKey: string; stepName: string }): AppError {
  return forbidden('workflow.not_assignee', `The step "${task.stepName}" is not assigned to you`, { taskId: task.id, step: task.stepKey });
}
