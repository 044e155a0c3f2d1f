import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { ReportsService } from './reports.service.js';

export const REPORTS_SCHEDULED_JOB = 'reports.scheduled';

/**
 * `reports.scheduled`: every day at 07:00 (Asia/Shanghai) runs the weekly reports not yet run this week (from Monday)
 * and the monthly ones not yet run this month, as their owners, and notifies each owner with the .xlsx's download link.
 * Idempotent: a definition runs once per period.
 */
export function registerReportJobs(jobs: JobQueue, reports: ReportsService, logger: Logger): void {
  jobs.register(REPORTS_SCHEDULED_JOB, async () => {
    const counts = await reports.runScheduled();
    logger.info(counts, 'reports: scheduled runs');
  }, '0 7 * * *');
}
