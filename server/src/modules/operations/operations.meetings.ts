import { sql } from 'kysely';
import { hasPermission, systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { sm3Hex } from '../../platform/crypto/sm.js';
import { AppError, notFound, validationError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import { localDate, nthWorkingDayAfter, type CalendarDays } from '../calendar/index.js';
import { NotificationService } from '../notifications/index.js';
import { AutomationSettingsService, readAutomationSettings } from './operations.automation.js';

NotificationService.registerKind('operations.special_task', '专项任务', 'Special task');
NotificationService.registerKind('operations.task_due_soon', '专项任务即将到期', 'Special task due soon');
NotificationService.registerKind('operations.task_overdue', '专项任务逾期', 'Special task overdue');
NotificationService.registerKind('operations.task_escalated', '专项任务逾期升级', 'Overdue special task escalated');

export const TASK_REMINDER_KINDS = ['due_soon', 'overdue', 'escalated'] as const;
export type TaskReminderKind = (typeof TASK_REMINDER_KINDS)[number];

/**
 * Which reminders a task is due for on `today` (pure; Beijing days, business calendar): `due_soon` when the due day is
 * today or within the next `dueSoonWorkingDays` working days, `overdue` once the due day has passed, `escalated` once
 * `escalateAfterWorkingDays` working days have passed since the due day. Done and cancelled tasks get none.
 */
export function taskRemindersDue(cal: CalendarDays, task: { status: string; dueOn: string }, today: string, policy: { dueSoonWorkingDays: number; escalateAfterWorkingDays: number }): TaskReminderKind[] {
  if (task.status !== 'open' && task.status !== 'in_progress') return [];
  if (task.dueOn >= today) return task.dueOn <= nthWorkingDayAfter(cal, today, policy.dueSoonWorkingDays) ? ['due_soon'] : [];
  return nthWorkingDayAfter(cal, task.dueOn, policy.escalateAfterWorkingDays) <= today ? ['overdue', 'escalated'] : ['overdue'];
}

export const MEETING_KINDS = ['regular_meeting', 'work_report'] as const;
export const TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
/** Largest attachment accepted (bytes), as for the provider-entry documents. */
export const MEETING_ATTACHMENT_MAX_BYTES = 1_048_576;

export interface Meeting {
  id: string;
  kind: (typeof MEETING_KINDS)[number];
  orgId: string;
  orgName: string;
  providerOrgId: string | null;
  providerName: string | null;
  title: string;
  heldOn: string;
  period: string | null;
  location: string | null;
  attendees: string[];
  minutes: string;
  attachments: Array<{ id: string; fileName: string; contentType: string; sizeBytes: number; sm3: string; uploadedAt: string }>;
  createdAt: string;
}

export interface SpecialTask {
  id: string;
  title: string;
  description: string;
  assigneeOrgId: string;
  assigneeName: string;
  orgId: string;
  meetingId: string | null;
  dueOn: string;
  status: (typeof TASK_STATUSES)[number];
  completedOn: string | null;
  resultNote: string | null;
  /** Not done nor cancelled and its due day (Asia/Shanghai) has passed. */
  overdue: boolean;
  /** Done after its due day. */
  completedLate: boolean;
  createdAt: string;
}

/** Status changes of a special task; `manage` ones need `operations:manage`. */
const TASK_MOVES: Record<string, { from: ReadonlyArray<SpecialTask['status']>; manage: boolean }> = {
  in_progress: { from: ['open'], manage: false },
  done: { from: ['open', 'in_progress'], manage: false },
  cancelled: { from: ['open', 'in_progress'], manage: true },
};

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
type Notify = Pick<NotificationService, 'notify'>;

/** Meetings and communications (会议与沟通): regular meetings, provider work reports, special tasks. */
export class MeetingService {
  private notifier: Notify | null = null;
  /** Settings of the reminder and detection jobs (also `OperationsService.automation`). */
  readonly settings: AutomationSettingsService;

  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
    /** The business calendar (calendar module), for working days. */
    private readonly calendarDays: (trx: Tx) => Promise<CalendarDays> = async () => new Map(),
  ) {
    this.settings = new AutomationSettingsService(db);
  }

  setNotifier(n: Notify): void {
    this.notifier = n;
  }

  private async orgKind(trx: Tx, id: string, field: string): Promise<string> {
    const o = (await sql<{ kind: string }>`select kind from organisations where id = ${id}`.execute(trx)).rows[0];
    if (!o) throw validationError('operations.org_not_found', 'Unknown organisation', [{ field, rule: 'exists', message: 'no such organisation', value: id }]);
    return o.kind;
  }

  /**
   * Records a regular meeting (例会, held by the management unit or the supervision provider: `operations:manage`) with
   * its minutes, or files a provider's work report (服务商工作汇报) for a month: the provider itself, or management /
   * supervision naming it; one report per provider and month (`409 operations.work_report_exists`), not for a month
   * that has not begun, received not after today.
   */
  async create(ctx: RequestContext, input: { kind: Meeting['kind']; orgId?: string | null; providerOrgId?: string | null; title: string; heldOn: string; period?: string | null; location?: string | null; attendees?: string[]; minutes?: string | null }): Promise<Meeting> {
    const today = localDate(this.clock());
    if (input.heldOn > today && input.kind === 'work_report') throw validationError('operations.received_in_future', 'A work report is filed once received', [{ field: 'body.heldOn', rule: 'not_future', message: 'not after today', value: input.heldOn }]);
    return withTx(this.db, ctx, async (trx) => {
      let orgId: string;
      let providerOrgId: string | null = input.providerOrgId ?? null;
      if (input.kind === 'regular_meeting') {
        if (!hasPermission(ctx.actor, 'operations:manage')) throw new AppError('forbidden', 'operations.meeting_manage_only', 'Regular meetings are recorded by the management unit or the supervision provider', {});
        const organiser = ctx.actor.orgId ?? input.orgId;
        if (!organiser) throw validationError('operations.org_required', 'Name the organisation holding the meeting', [{ field: 'body.orgId', rule: 'required', message: 'required for system entries' }]);
        orgId = organiser;
        if (providerOrgId && (await this.orgKind(trx, providerOrgId, 'body.providerOrgId')) !== 'cloud_provider') throw validationError('operations.not_a_provider', 'The provider concerned must be a cloud provider', [{ field: 'body.providerOrgId', rule: 'cloud_provider', message: 'not a cloud provider', value: providerOrgId }]);
      } else {
        if (!input.period) throw validationError('operations.period_required', 'A work report names the month it reports on', [{ field: 'body.period', rule: 'required', message: 'YYYY-MM' }]);
        if (input.period > today.slice(0, 7)) throw validationError('operations.period_in_future', 'The month reported on has not begun', [{ field: 'body.period', rule: 'not_future', message: 'not after the current month', value: input.period }]);
        if (ctx.actor.orgKind === 'cloud_provider') {
          if (providerOrgId && providerOrgId !== ctx.actor.orgId) throw notFound('organisation', providerOrgId);
          providerOrgId = ctx.actor.orgId!;
        } else if (!providerOrgId) throw validationError('operations.provider_required', 'Name the provider', [{ field: 'body.providerOrgId', rule: 'required', message: 'providerOrgId is required' }]);
        if ((await this.orgKind(trx, providerOrgId, 'body.providerOrgId')) !== 'cloud_provider') throw validationError('operations.not_a_provider', 'Work reports are a cloud provider’s', [{ field: 'body.providerOrgId', rule: 'cloud_provider', message: 'not a cloud provider', value: providerOrgId }]);
        orgId = providerOrgId;
        const prior = (await sql<{ id: string }>`select id from ops_meetings where kind = 'work_report' and org_id = ${orgId} and period = ${input.period}`.execute(trx)).rows[0];
        if (prior) throw new AppError('conflict', 'operations.work_report_exists', `The work report for ${input.period} is already filed`, { meetingId: prior.id, period: input.period });
      }
      const id = (await sql<{ id: string }>`insert into ops_meetings (kind, org_id, provider_org_id, title, held_on, period, location, attendees, minutes, created_by)
        values (${input.kind}, ${orgId}, ${providerOrgId}, ${input.title}, ${input.heldOn}, ${input.period ?? null}, ${input.location ?? null}, ${input.attendees ?? []}::text[], ${input.minutes ?? ''}, ${ctx.actor.userId}) returning id`.execute(trx)).rows[0]!.id;
      await recordAudit(trx, ctx, { action: `operations.${input.kind}_create`, targetType: 'ops_meeting', targetId: id, after: { kind: input.kind, title: input.title, heldOn: input.heldOn, period: input.period ?? null } });
      return (await this.meetingRows(trx, { id }))[0]!;
    });
  }

  private async meetingRows(trx: Tx, f: { id?: string; kind?: string; providerOrgId?: string }): Promise<Meeting[]> {
    const rows = (await sql<Omit<Meeting, 'attachments' | 'createdAt'> & { createdAt: Date }>`select m.id, m.kind, m.org_id, coalesce(o.name, '') as org_name, m.provider_org_id, p.name as provider_name, m.title,
        to_char(m.held_on, 'YYYY-MM-DD') as held_on, m.period, m.location, m.attendees, m.minutes, m.created_at
      from ops_meetings m left join organisations o on o.id = m.org_id left join organisations p on p.id = m.provider_org_id
      where true ${f.id ? sql`and m.id = ${f.id}` : sql``} ${f.kind ? sql`and m.kind = ${f.kind}` : sql``} ${f.providerOrgId ? sql`and m.provider_org_id = ${f.providerOrgId}` : sql``}
      order by m.held_on desc, m.created_at desc limit 1000`.execute(trx)).rows;
    if (!rows.length) return [];
    const att = (await sql<{ id: string; meetingId: string; fileName: string; contentType: string; sizeBytes: number; sm3: string; uploadedAt: Date }>`select id, meeting_id, file_name, content_type, size_bytes, sm3, uploaded_at
      from ops_meeting_attachments where meeting_id = any(${rows.map((r) => r.id)}::uuid[]) order by uploaded_at`.execute(trx)).rows;
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), attachments: att.filter((a) => a.meetingId === r.id).map(({ meetingId: _m, uploadedAt, ...a }) => ({ ...a, uploadedAt: uploadedAt.toISOString() })) }));
  }

  async list(ctx: RequestContext, q: { kind?: Meeting['kind']; providerOrgId?: string } = {}): Promise<Meeting[]> {
    return withTx(this.db, ctx, (trx) => this.meetingRows(trx, q));
  }

  async get(ctx: RequestContext, id: string): Promise<Meeting> {
    if (!isUuid(id)) throw notFound('operations.meeting', id);
    return withTx(this.db, ctx, async (trx) => {
      const m = (await this.meetingRows(trx, { id }))[0];
      if (!m) throw notFound('operations.meeting', id);
      return m;
    });
  }

  /** Attaches a file (minutes, the report itself; base64, at most 1 MB, SM3 recorded) — by the meeting's organisation. */
  async attach(ctx: RequestContext, id: string, input: { fileName: string; contentType: string; contentBase64: string }): Promise<Meeting> {
    const content = Buffer.from(input.contentBase64, 'base64');
    if (content.length === 0 || content.toString('base64').replace(/=+$/, '') !== input.contentBase64.replace(/\s/g, '').replace(/=+$/, '')) {
      throw validationError('operations.document_content', 'contentBase64 is not valid base64 content', [{ field: 'body.contentBase64', rule: 'base64', message: 'non-empty base64' }]);
    }
    if (content.length > MEETING_ATTACHMENT_MAX_BYTES) throw validationError('operations.document_too_large', 'The attachment is larger than 1 MB', [{ field: 'body.contentBase64', rule: 'max_1_mb', message: `at most ${MEETING_ATTACHMENT_MAX_BYTES} bytes`, value: content.length }]);
    const m = await this.get(ctx, id);
    const own = ctx.actor.kind === 'system' || ctx.actor.scope.all || ctx.actor.orgId === m.orgId;
    if (!own) throw new AppError('forbidden', 'operations.meeting_not_own', 'Only the organisation that recorded it attaches files', {});
    return withTx(this.db, ctx, async (trx) => {
      const hash = sm3Hex(content);
      await sql`insert into ops_meeting_attachments (meeting_id, org_id, file_name, content_type, content, size_bytes, sm3, uploaded_by)
        values (${id}, ${m.orgId}, ${input.fileName}, ${input.contentType}, ${content}, ${content.length}, ${hash}, ${ctx.actor.userId})`.execute(trx);
      await recordAudit(trx, ctx, { action: 'operations.meeting_attach', targetType: 'ops_meeting', targetId: id, after: { fileName: input.fileName, sm3: hash, size: content.length } });
      return (await this.meetingRows(trx, { id }))[0]!;
    });
  }

  async attachment(ctx: RequestContext, id: string, attachmentId: string): Promise<{ fileName: string; contentType: string; content: Buffer }> {
    if (!isUuid(id) || !isUuid(attachmentId)) throw notFound('operations.meeting_attachment', attachmentId);
    return withTx(this.db, ctx, async (trx) => {
      const a = (await sql<{ fileName: string; contentType: string; content: Buffer }>`select file_name, content_type, content from ops_meeting_attachments where id = ${attachmentId} and meeting_id = ${id}`.execute(trx)).rows[0];
      if (!a) throw notFound('operations.meeting_attachment', attachmentId);
      return a;
    });
  }

  // ---- special tasks (专项任务) -------------------------------------------------------------------------------

  private async taskRows(trx: Tx, f: { id?: string; status?: string; assigneeOrgId?: string }): Promise<SpecialTask[]> {
    const today = localDate(this.clock());
    const rows = (await sql<Omit<SpecialTask, 'overdue' | 'completedLate' | 'createdAt'> & { createdAt: Date }>`select t.id, t.title, t.description, t.assignee_org_id, o.name as assignee_name, t.org_id, t.meeting_id,
        to_char(t.due_on, 'YYYY-MM-DD') as due_on, t.status, to_char(t.completed_on, 'YYYY-MM-DD') as completed_on, t.result_note, t.created_at
      from ops_special_tasks t join organisations o on o.id = t.assignee_org_id
      where true ${f.id ? sql`and t.id = ${f.id}` : sql``} ${f.status ? sql`and t.status = ${f.status}` : sql``} ${f.assigneeOrgId ? sql`and t.assignee_org_id = ${f.assigneeOrgId}` : sql``}
      order by t.due_on, t.created_at limit 1000`.execute(trx)).rows;
    return rows.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      overdue: (r.status === 'open' || r.status === 'in_progress') && r.dueOn < today,
      completedLate: r.status === 'done' && !!r.completedOn && r.completedOn > r.dueOn,
    }));
  }

  /**
   * Assigns a special task (专项任务) to an organisation with a due day (Asia/Shanghai), optionally from a meeting;
   * management / supervision only; the due day may not be past (`operations.due_in_past`). The assignee is notified.
   */
  async createTask(ctx: RequestContext, input: { title: string; description?: string | null; assigneeOrgId: string; meetingId?: string | null; dueOn: string }): Promise<SpecialTask> {
    if (!hasPermission(ctx.actor, 'operations:manage')) throw new AppError('forbidden', 'operations.task_manage_only', 'Special tasks are assigned by the management unit or the supervision provider', {});
    const today = localDate(this.clock());
    if (input.dueOn < today) throw validationError('operations.due_in_past', `The due day ${input.dueOn} has passed (today is ${today}, Beijing time)`, [{ field: 'body.dueOn', rule: 'not_past', message: `not before ${today}`, value: input.dueOn }]);
    if (input.meetingId) await this.get(ctx, input.meetingId).catch((e: unknown) => {
      if (e instanceof AppError && e.kind === 'not_found') throw validationError('operations.meeting_not_found', 'Unknown meeting', [{ field: 'body.meetingId', rule: 'exists', message: 'no such meeting', value: input.meetingId }]);
      throw e;
    });
    return withTx(this.db, ctx, async (trx) => {
      await this.orgKind(trx, input.assigneeOrgId, 'body.assigneeOrgId');
      const orgId = ctx.actor.orgId ?? input.assigneeOrgId;
      const id = (await sql<{ id: string }>`insert into ops_special_tasks (title, description, assignee_org_id, org_id, meeting_id, due_on, created_by)
        values (${input.title}, ${input.description ?? ''}, ${input.assigneeOrgId}, ${orgId}, ${input.meetingId ?? null}, ${input.dueOn}, ${ctx.actor.userId}) returning id`.execute(trx)).rows[0]!.id;
      await recordAudit(trx, ctx, { action: 'operations.special_task_create', targetType: 'ops_special_task', targetId: id, after: { assigneeOrgId: input.assigneeOrgId, dueOn: input.dueOn, title: input.title } });
      await this.notifier?.notify(trx, { recipients: { orgIds: [input.assigneeOrgId] }, kind: 'operations.special_task', severity: 'info', title: `专项任务：${input.title}`.slice(0, 200), body: `请于 ${input.dueOn}（北京时间）前完成。${input.description ?? ''}`.slice(0, 1000), link: `/operations/meetings?task=${id}` });
      return (await this.taskRows(trx, { id }))[0]!;
    });
  }

  async listTasks(ctx: RequestContext, q: { status?: SpecialTask['status']; assigneeOrgId?: string; overdue?: boolean } = {}): Promise<SpecialTask[]> {
    const { overdue, ...f } = q;
    const rows = await withTx(this.db, ctx, (trx) => this.taskRows(trx, f));
    return overdue === undefined ? rows : rows.filter((r) => r.overdue === overdue);
  }

  /**
   * Moves a task: open → in_progress → done (the assignee or management / supervision; done needs the result) or
   * cancelled (management / supervision). Other moves answer `409 operations.task_state`.
   */
  async updateTask(ctx: RequestContext, id: string, input: { status: 'in_progress' | 'done' | 'cancelled'; resultNote?: string | null }): Promise<SpecialTask> {
    if (!isUuid(id)) throw notFound('operations.special_task', id);
    const move = TASK_MOVES[input.status]!;
    if (move.manage && !hasPermission(ctx.actor, 'operations:manage')) throw new AppError('forbidden', 'operations.task_manage_only', 'Only the management unit or the supervision provider cancels a task', {});
    if (input.status === 'done' && !input.resultNote) throw validationError('operations.task_result_required', 'A done task needs its result', [{ field: 'body.resultNote', rule: 'required_on_done', message: 'describe the result' }]);
    return withTx(this.db, ctx, async (trx) => {
      const t = (await this.taskRows(trx, { id }))[0];
      if (!t) throw notFound('operations.special_task', id);
      if (!hasPermission(ctx.actor, 'operations:manage') && ctx.actor.orgId !== t.assigneeOrgId) throw notFound('operations.special_task', id);
      if (!move.from.includes(t.status)) throw new AppError('conflict', 'operations.task_state', `A ${t.status} task cannot become ${input.status}`, { status: t.status, to: input.status });
      const today = localDate(this.clock());
      await sql`update ops_special_tasks set status = ${input.status}, result_note = coalesce(${input.resultNote ?? null}, result_note)
        ${input.status === 'done' ? sql`, completed_on = ${today}` : sql``} where id = ${id}`.execute(trx);
      await recordAudit(trx, ctx, { action: `operations.special_task_${input.status}`, targetType: 'ops_special_task', targetId: id, before: { status: t.status }, after: { status: input.status, resultNote: input.resultNote ?? null } });
      return (await this.taskRows(trx, { id }))[0]!;
    });
  }

  /**
   * The reminder job (`operations.task_reminders`): every open or in-progress task due within the configured number of
   * working days gets a `due_soon` reminder, every overdue one an `overdue` reminder (both to the assignee organisation
   * and to the person who assigned it), and one overdue by the configured number of working days is escalated to the
   * management unit (`mgmt_staff`). Each kind is sent once per task: the row in `ops_task_reminders` is written in the
   * same transaction as the notification, so a second run sends nothing new (a task found already overdue gets no
   * due_soon). Returns what was sent.
   */
  async sendTaskReminders(now: Date = this.clock()): Promise<{ dueSoon: number; overdue: number; escalated: number }> {
    const ctx = systemContext('operations.task_reminders');
    const today = localDate(now);
    return withTx(this.db, ctx, async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('operations.task_reminders'))`.execute(trx);
      const settings = await readAutomationSettings(trx);
      const cal = await this.calendarDays(trx);
      const policy = { dueSoonWorkingDays: settings.taskDueSoonWorkingDays, escalateAfterWorkingDays: settings.taskEscalateAfterWorkingDays };
      const tasks = (await sql<{ id: string; title: string; dueOn: string; status: string; assigneeOrgId: string; assigneeName: string; createdBy: string | null; sent: string[] }>`
        select t.id, t.title, to_char(t.due_on, 'YYYY-MM-DD') as due_on, t.status, t.assignee_org_id, o.name as assignee_name, t.created_by,
          coalesce((select array_agg(r.kind) from ops_task_reminders r where r.task_id = t.id), '{}') as sent
        from ops_special_tasks t join organisations o on o.id = t.assignee_org_id
        where t.status in ('open','in_progress') order by t.due_on, t.id`.execute(trx)).rows;
      const out = { dueSoon: 0, overdue: 0, escalated: 0 };
      for (const t of tasks) {
        for (const kind of taskRemindersDue(cal, t, today, policy)) {
          if (t.sent.includes(kind)) continue;
          const inserted = (await sql<{ taskId: string }>`insert into ops_task_reminders (task_id, kind) values (${t.id}, ${kind}) on conflict do nothing returning task_id`.execute(trx)).rows[0];
          if (!inserted) continue;
          const link = `/operations/meetings?task=${t.id}`;
          const result = kind === 'escalated'
            ? await this.notifier?.notify(trx, { recipients: { roleCodes: ['mgmt_staff'], orgKinds: ['management_unit'] }, kind: 'operations.task_escalated', severity: 'critical', title: `专项任务逾期升级：${t.assigneeName} ${t.title}`.slice(0, 200), body: `专项任务“${t.title}”应于 ${t.dueOn}（北京时间）完成，已逾期超过 ${policy.escalateAfterWorkingDays} 个工作日仍未完成（承办单位：${t.assigneeName}）。`, link })
            : await this.notifier?.notify(trx, {
              recipients: { orgIds: [t.assigneeOrgId], ...(t.createdBy ? { userIds: [t.createdBy] } : {}) },
              kind: kind === 'due_soon' ? 'operations.task_due_soon' : 'operations.task_overdue',
              severity: kind === 'due_soon' ? 'info' : 'warning',
              title: `${kind === 'due_soon' ? '专项任务即将到期' : '专项任务已逾期'}：${t.title}`.slice(0, 200),
              body: kind === 'due_soon' ? `专项任务“${t.title}”应于 ${t.dueOn}（北京时间）前完成，请按期办结并登记结果。` : `专项任务“${t.title}”应于 ${t.dueOn}（北京时间）前完成，现已逾期，请尽快办结并登记结果。`,
              link,
            });
          const sentTo = result ? result.userIds.length : 0;
          await sql`update ops_task_reminders set recipients = ${sentTo} where task_id = ${t.id} and kind = ${kind}`.execute(trx);
          await recordAudit(trx, ctx, { action: `operations.special_task_reminder_${kind}`, targetType: 'ops_special_task', targetId: t.id, after: { kind, dueOn: t.dueOn, today, recipients: sentTo } });
          if (kind === 'due_soon') out.dueSoon++;
          else if (kind === 'overdue') out.overdue++;
          else out.escalated++;
        }
      }
      return out;
    });
  }

  /** The reminders sent for a task (kind and time), oldest first. */
  async taskReminders(ctx: RequestContext, id: string): Promise<Array<{ kind: TaskReminderKind; sentAt: string; recipients: number }>> {
    if (!isUuid(id)) throw notFound('operations.special_task', id);
    return withTx(this.db, ctx, async (trx) => {
      if (!(await this.taskRows(trx, { id }))[0]) throw notFound('operations.special_task', id);
      const rows = (await sql<{ kind: TaskReminderKind; sentAt: Date; recipients: number }>`select kind, sent_at, recipients from ops_task_reminders where task_id = ${id} order by sent_at, kind`.execute(trx)).rows;
      return rows.map((r) => ({ ...r, sentAt: r.sentAt.toISOString() }));
    });
  }
}
