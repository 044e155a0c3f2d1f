import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { ApplicationsService } from './applications.service.js';

/**
 * `applications.sync`, every minute: applications whose workflow ended (approved → work order with its deadline;
 * returned, rejected, terminated) are brought up to date even when nobody opens them. Idempotent.
 */
export function registerApplicationJobs(jobs: JobQueue, service: ApplicationsService): void {
  jobs.register('applications.sync', async () => {
    await service.sync();
  }, '* * * * *');
}
