import { systemContext, type OrgKind } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logger.js';
import { CLOCK_HOURS, OFFICE_HOURS, workingTimeBetween, type CalendarService } from '../calendar/index.js';
import type { WorkflowService } from '../workflow/index.js';
import { deadlineStage, WARNING_FRACTION } from './notifications.deadlines.js';
import type { Recipients } from './notifications.schemas.js';
import { asNotificationSystem, type NotificationService } from './notifications.service.js';

export type DeadlineMarkStage = 'warning' | 'due' | 'escalation';

/** One deadline-bearing item of another module (a work order …), listed by a registered source every minute. */
export interface DeadlineItem {
  /** Unique within the source's type, e.g. the work order id. */
  id: string;
  title: string;
  link?: string | null;
  startedAt: Date;
  dueAt: Date;
  /** Working time elapsed / allowed (ms), when the deadline counts in working time; clock time otherwise. */
  elapsedMs?: number;
  allowedMs?: number;
  assignees: Recipients;
  /** Who gets the escalation once the item is overdue; none = no escalation. */
  escalateTo?: Recipients | null;
}

export type DeadlineSource = (now: Date) => Promise<DeadlineItem[]>;

export interface NotifyDeadlineInput {
  subjectType: string;
  subjectId: string;
  stage: DeadlineMarkStage;
  dueAt: Date;
  recipients: Recipients;
  title: string;
  body?: string;
  link?: string | null;
  kind?: string;
}

const STAGE_KIND: Record<DeadlineMarkStage, string> = { warning: 'workflow.deadline_warning', due: 'workflow.overdue', escalation: 'workflow.escalation' };
const STAGE_SEVERITY = { warning: 'warning', due: 'critical', escalation: 'critical' } as const;

const fmt = (d: Date) => d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/**
 * Deadline warnings (预警, at 80 % of the allowed time), due notices (at the due time) and escalation (升级) of
 * overdue items to the next role, each sent once per item, stage and due time (an extended deadline warns again).
 */
export class DeadlineNotifier {
  private readonly sources = new Map<string, DeadlineSource>();

  constructor(
    private readonly db: Db,
    private readonly notifications: NotificationService,
    private readonly workflow: WorkflowService,
    private readonly calendar: CalendarService,
    private readonly logger: Logger,
  ) {}

  /** Adds a source of deadlines (the applications module's work orders …), checked by the every-minute job. */
  registerSource(subjectType: string, source: DeadlineSource): void {
    this.sources.set(subjectType, source);
  }

  /**
   * Sends one deadline notification unless it was sent already for this subject, stage and due time; true when
   * sent now. In the caller's transaction (or one of its own with null).
   */
  async notifyDeadline(trx: Tx | null, input: NotifyDeadlineInput): Promise<boolean> {
    const run = async (t: Tx) => {
      const mark = await asNotificationSystem(t, () =>
        t
          .insertInto('notificationDeadlineMarks')
          .values({ subjectType: input.subjectType, subjectId: input.subjectId, stage: input.stage, dueAt: input.dueAt })
          .onConflict((oc) => oc.doNothing())
          .returning('subjectId')
          .executeTakeFirst(),
      );
      if (!mark) return false;
      const res = await this.notifications.notify(t, {
        recipients: input.recipients,
        kind: input.kind ?? STAGE_KIND[input.stage],
        severity: STAGE_SEVERITY[input.stage],
        title: input.title,
        body: input.body ?? '',
        link: input.link ?? null,
      });
      await t
        .updateTable('notificationDeadlineMarks')
        .set({ recipients: res.userIds.length })
        .where('subjectType', '=', input.subjectType)
        .where('subjectId', '=', input.subjectId)
        .where('stage', '=', input.stage)
        .where('dueAt', '=', input.dueAt)
        .execute();
      return true;
    };
    return trx ? run(trx) : withTx(this.db, systemContext('notifications.deadline'), run);
  }

  /**
   * One pass of the every-minute job: workflow tasks, then every registered source. Returns notices sent.
   * `only` limits what is looked at (tests, diagnostics): the workflow tasks to `only.taskIds`, the registered
   * sources' items to `only.itemIds` (none when absent).
   */
  async check(now: Date = new Date(), only?: { taskIds?: string[]; itemIds?: string[] }): Promise<{ warning: number; due: number; escalation: number }> {
    const counts = { warning: 0, due: 0, escalation: 0 };
    const ctx = systemContext('job:notifications.deadlines');
    const pending = await this.workflow.listTasks(ctx, { status: 'pending' });
    const cal = await withTx(this.db, ctx, (trx) => this.calendar.days(trx));
    for (const task of pending) {
      if (only?.taskIds && !only.taskIds.includes(task.id)) continue;
      if (!task.dueAt || task.instance.status !== 'running') continue;
      const rule = task.deadline as Record<string, unknown> | null;
      const schedule = rule && 'clockHours' in rule ? CLOCK_HOURS : OFFICE_HOURS;
      const stage = deadlineStage({
        startedAt: task.createdAt,
        dueAt: task.dueAt,
        now,
        ...(rule ? { elapsedMs: workingTimeBetween(cal, task.createdAt, now, schedule), allowedMs: workingTimeBetween(cal, task.createdAt, task.dueAt, schedule) } : {}),
      });
      if (stage === 'none') continue;
      const a = task.assignee;
      const assignees: Recipients = a.userId ? { userIds: [a.userId] } : { ...(a.role ? { roleCodes: [a.role] } : {}), ...(a.orgId ? { orgIds: [a.orgId] } : {}), ...(a.orgKind ? { orgKinds: [a.orgKind as OrgKind] } : {}) };
      const what = `${task.instance.title ?? task.instance.definitionName} · ${task.stepName}`;
      const link = `/todo?task=${task.id}`;
      const subject = { subjectType: 'workflow_task', subjectId: task.id, dueAt: task.dueAt, link };
      try {
        if (stage === 'warning') {
          if (await this.notifyDeadline(null, { ...subject, stage, recipients: assignees, title: `办理时限预警：${what}`, body: `已用去${Math.round(WARNING_FRACTION * 100)}%以上的办理时限，请于 ${fmt(task.dueAt)} 前办理。` })) counts.warning++;
          continue;
        }
        if (await this.notifyDeadline(null, { ...subject, stage: 'due', recipients: assignees, title: `办理超时：${what}`, body: `办理时限 ${fmt(task.dueAt)} 已到，请尽快办理。` })) counts.due++;
        const escalateTo = await withTx(this.db, ctx, (trx) => this.notifications.escalationFor(trx, task.instance.definitionCode, task.stepKey, a.orgId));
        if (await this.notifyDeadline(null, { ...subject, stage: 'escalation', recipients: escalateTo, title: `超时升级：${what}`, body: `该环节已超过办理时限 ${fmt(task.dueAt)}，仍未办理，请督办。` })) counts.escalation++;
      } catch (err) {
        this.logger.error({ err, taskId: task.id }, 'deadline notification failed');
      }
    }
    for (const [subjectType, source] of this.sources) {
      let items: DeadlineItem[];
      try {
        items = await source(now);
      } catch (err) {
        this.logger.error({ err, subjectType }, 'deadline source failed');
        continue;
      }
      for (const it of items) {
        if (only && !only.itemIds?.includes(it.id)) continue;
        const stage = deadlineStage({ startedAt: it.startedAt, dueAt: it.dueAt, now, ...(it.elapsedMs !== undefined && it.allowedMs !== undefined ? { elapsedMs: it.elapsedMs, allowedMs: it.allowedMs } : {}) });
        if (stage === 'none') continue;
        const subject = { subjectType, subjectId: it.id, dueAt: it.dueAt, link: it.link ?? null };
        try {
          if (stage === 'warning') {
            if (await this.notifyDeadline(null, { ...subject, stage, recipients: it.assignees, title: `办理时限预警：${it.title}`, body: `请于 ${fmt(it.dueAt)} 前完成。` })) counts.warning++;
            continue;
          }
          if (await this.notifyDeadline(null, { ...subject, stage: 'due', recipients: it.assignees, title: `办理超时：${it.title}`, body: `时限 ${fmt(it.dueAt)} 已到，请尽快完成。` })) counts.due++;
          if (it.escalateTo && (await this.notifyDeadline(null, { ...subject, stage: 'escalation', recipients: it.escalateTo, title: `超时升级：${it.title}`, body: `已超过时限 ${fmt(it.dueAt)}，仍未完成，请督办。` }))) counts.escalation++;
        } catch (err) {
          this.logger.error({ err, subjectType, id: it.id }, 'deadline notification failed');
        }
      }
    }
    return counts;
  }

  /** Marks of a subject (tests, diagnostics). */
  async marks(subjectType: string, subjectId: string): Promise<Array<{ stage: string; dueAt: Date; recipients: number }>> {
    return withTx(this.db, systemContext('notifications.marks'), async (trx) => {
      return trx.selectFrom('notificationDeadlineMarks').select(['stage', 'dueAt', 'recipients']).where('subjectType', '=', subjectType).where('subjectId', '=', subjectId).orderBy('sentAt').orderBy('stage').execute();
    });
  }
}
