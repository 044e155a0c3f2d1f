import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { DeadlineNotifier } from './deadlines.service.js';
import type { NotificationService } from './notifications.service.js';

/**
 * `notifications.deliver`: every minute (and on a kick after notify) sends the due e-mail and webhook deliveries;
 * claims make it safe to run concurrently. `notifications.deadlines`: every minute, deadline warnings, due notices
 * and escalations, each recorded so it is sent once. `notifications.prune`, daily at 03:40: old notifications,
 * deliveries and marks. All idempotent.
 */
export function registerNotificationJobs(jobs: JobQueue, service: NotificationService, deadlines: DeadlineNotifier): void {
  jobs.register('notifications.deliver', async () => {
    for (let i = 0; i < 20; i++) {
      const r = await service.deliverDue();
      if (r.sent + r.retried + r.failed < 50) break;
    }
  }, '* * * * *');
  jobs.register('notifications.deadlines', async () => {
    await deadlines.check();
  }, '* * * * *');
  jobs.register('notifications.prune', async () => {
    await service.prune();
  }, '40 3 * * *');
}
