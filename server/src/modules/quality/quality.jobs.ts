import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { QualityService } from './quality.service.js';

/**
 * `quality.compute`, every 15 minutes (Asia/Shanghai): recomputes today's and yesterday's data-quality rows for every
 * provider, node and interface table. Idempotent: each run replaces the rows of the two days.
 */
export function registerQualityJobs(jobs: JobQueue, service: QualityService): void {
  jobs.register('quality.compute', async () => {
    await service.computeRecent();
  }, '*/15 * * * *');
}
