import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { IpamService } from './ipam.service.js';

/**
 * `ipam.deadlines`, every 5 minutes: records the review-deadline warnings of pending address requests (≤ 1 working
 * day left; overdue) once per request and notifies the management unit. Idempotent.
 */
export function registerIpamJobs(jobs: JobQueue, service: IpamService): void {
  jobs.register('ipam.deadlines', async () => {
    await service.checkDeadlines();
  }, '*/5 * * * *');
}
