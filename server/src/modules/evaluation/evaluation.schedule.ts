import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { DeadlineNotifier } from '../notifications/index.js';
import { previousMonth } from './evaluation.jobs.js';
import { EvaluationReportsService } from './evaluation.templates.js';

export const EVALUATION_REPORT_DRAFT_JOB = 'evaluation.report-draft';

/** The end of a due day in Asia/Shanghai (18:00, the end of office hours), as an instant. */
export function dueInstant(day: string): Date {
  return new Date(`${day}T18:00:00+08:00`);
}

/**
 * `evaluation.report-draft`: on the 1st of every month at 06:00 Asia/Shanghai (after `evaluation.monthly` computed
 * the previous month at 02:30), the previous month's 月报 draft for every management unit whose template asks for it,
 * due on the 5th working day of the month (business calendar: holidays and make-up working days), with a to-do for the
 * author. Idempotent: a month that has a report is left alone. The unpublished reports' due dates feed the
 * notifications module's deadline warnings (预警 at 80 %, 到期, no escalation beyond the owner's staff).
 */
export function registerEvaluationReportJobs(jobs: JobQueue, reports: EvaluationReportsService, deadlines: DeadlineNotifier, logger: Logger): void {
  jobs.register(EVALUATION_REPORT_DRAFT_JOB, async () => {
    const month = previousMonth();
    const made = await reports.scheduledDrafts(month);
    logger.info({ month, drafts: made.length }, 'evaluation: monthly report drafts generated');
  }, '0 6 1 * *');

  deadlines.registerSource('evaluation.report', async () =>
    (await reports.openWithDueDates()).map((r) => ({
      id: r.id,
      title: r.title,
      link: `/evaluation/reports?report=${r.id}`,
      startedAt: r.generatedAt,
      dueAt: dueInstant(r.dueDate),
      assignees: EvaluationReportsService.recipients(r.ownerOrgId, r.authorUserId),
    })),
  );
}
