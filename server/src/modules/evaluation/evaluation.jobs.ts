import { systemContext } from '../../platform/context.js';
import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { EvaluationService } from './evaluation.service.js';

export const EVALUATION_MONTHLY_JOB = 'evaluation.monthly';
export const EVALUATION_OVERVIEW_JOB = 'evaluation.overview-snapshot';

/** The current month in Asia/Shanghai, YYYY-MM. */
export function currentMonth(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
}

/** The previous month in Asia/Shanghai, YYYY-MM. */
export function previousMonth(now = new Date()): string {
  const local = new Date(now.getTime() + 8 * 3_600_000);
  const d = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * `evaluation.monthly`: on the 1st to the 3rd at 02:30 Asia/Shanghai, computes the previous month's efficiency and
 * advice (idempotent: recomputing keeps the month's formula and decided advice) and a draft provider evaluation with
 * each latest indicator set (a published month gets a new draft revision, the published one stays).
 */
export function registerEvaluationJobs(jobs: JobQueue, service: EvaluationService, logger: Logger): void {
  jobs.register(EVALUATION_MONTHLY_JOB, async () => {
    const month = previousMonth();
    const ctx = systemContext('evaluation.monthly');
    await service.computeEfficiency(ctx, { month });
    for (const set of (await service.indicatorSets(ctx)).filter((s) => s.latest)) {
      const runs = await service.listRuns(ctx, { month, setId: set.id });
      if (runs.some((r) => r.status === 'published')) continue;
      await service.runProviders(ctx, { setId: set.id, month });
    }
    logger.info({ month }, 'evaluation: monthly figures computed');
  }, '30 2 1-3 * *');

  /**
   * `evaluation.overview-snapshot`: every 10 minutes, recomputes the management overview snapshot of the current and
   * the previous month (all parts: the tickets and findings of other modules change without evaluation knowing).
   * Idempotent: each part is replaced with its computed-at time.
   */
  jobs.register(EVALUATION_OVERVIEW_JOB, async () => {
    for (const month of [currentMonth(), previousMonth()]) await service.refreshOverviewSnapshot(month);
  }, '*/10 * * * *');
}
