import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { ServiceDeskService } from './servicedesk.service.js';

/**
 * `servicedesk.clocks`, every minute: SLA clock check and escalation steps (idempotent: each step once per ticket ×
 * clock × stage). `servicedesk.autoclose`, hourly: resolved tickets left unrated close after the configured days.
 */
export function registerServiceDeskJobs(jobs: JobQueue, service: ServiceDeskService): void {
  jobs.register('servicedesk.clocks', async () => {
    await service.checkClocks();
  }, '* * * * *');
  jobs.register('servicedesk.autoclose', async () => {
    await service.autoClose();
  }, '17 * * * *');
}
