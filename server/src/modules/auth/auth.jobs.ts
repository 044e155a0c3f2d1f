import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { AuthService } from './auth.service.js';

/**
 * `auth.purge-expired`, hourly: deletes expired sign-in challenges and sessions that ended more than 30 days ago.
 * Idempotent; expired rows are refused anyway, this only keeps the tables small.
 */
export function registerAuthJobs(jobs: JobQueue, service: AuthService): void {
  jobs.register('auth.purge-expired', () => service.purgeExpired(), '17 * * * *');
}
