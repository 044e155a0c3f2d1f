import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { OperationsService } from './operations.service.js';

export const OPERATIONS_RETENTION_JOB = 'operations.retention';
export const OPERATIONS_MAJOR_CHANGES_JOB = 'operations.major_changes';

/**
 * `operations.retention`: daily at 03:40 Asia/Shanghai, deletes inspection records older than 2 years (with their
 * results and rectification items) and machine-room access records entered over 366 days ago (kept ≥ 365). Idempotent: a second run the same day deletes nothing.
 */
export function registerOperationsJobs(jobs: JobQueue, service: OperationsService): void {
  jobs.register(OPERATIONS_RETENTION_JOB, async () => {
    await service.purgeInspections();
    await service.purgeRoomAccess();
  }, '40 3 * * *');
  /** `operations.major_changes`: every 10 minutes imports and matches the pushed major-change events of the last 2 days (idempotent). */
  jobs.register(OPERATIONS_MAJOR_CHANGES_JOB, async () => {
    const to = new Date();
    await service.majorChanges.importPushed({ from: new Date(to.getTime() - 2 * 86_400_000), to });
  }, '*/10 * * * *');
}
