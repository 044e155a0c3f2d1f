import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { AvailabilityService } from './availability.service.js';
import type { ProbeScheduler } from './availability.scheduler.js';

/**
 * `availability.sweep` (every minute): makes sure this worker's probe scheduler loop runs (it claims due probes every
 * second) and runs one claim round itself — so every process with the worker role probes, and a worker that was
 * down picks up again. `availability.sync` (every minute): automatic probes follow the inventory and the directory.
 * `availability.escalate` (every 5 minutes): unacknowledged outages are escalated.
 */
export function registerAvailabilityJobs(jobs: JobQueue, service: AvailabilityService, scheduler: ProbeScheduler): void {
  jobs.register('availability.sweep', async () => {
    scheduler.start();
    await scheduler.tick();
  }, '* * * * *');
  jobs.register('availability.sync', async () => {
    await service.syncFromInventory();
  }, '* * * * *');
  jobs.register('availability.escalate', async () => {
    await service.escalateOutages();
  }, '*/5 * * * *');
}
