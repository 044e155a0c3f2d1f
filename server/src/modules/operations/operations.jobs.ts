import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { OperationsService } from './operations.service.js';

export const OPERATIONS_RETENTION_JOB = 'operations.retention';

/**
 * `operations.retention`: daily at 03:40 Asia/Shanghai, deletes inspection records older than 2 years (with their
 * results and rectification items) and machine-room access records entered over 366 days ago (kept ≥ 365). Idempotent: a second run the same day deletes nothing.
 */
export function registerOperationsJobs(jobs: JobQueue, service: OperationsService): void {
  jobs.register(OPERATIONS_RETENTION_JOB, async () => {
    await service.purgeInspections();
    await service.purgeRoomAccess();
  }, '40 3 * * *');
}
