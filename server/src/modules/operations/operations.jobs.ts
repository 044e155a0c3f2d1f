import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { OperationsService } from './operations.service.js';

export const OPERATIONS_RETENTION_JOB = 'operations.retention';
export const OPERATIONS_MAJOR_CHANGES_JOB = 'operations.major_changes';
export const OPERATIONS_TASK_REMINDERS_JOB = 'operations.task_reminders';
export const OPERATIONS_CHANGE_DETECTION_JOB = 'operations.change_detection';

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
  /**
   * `operations.task_reminders`: daily at 08:30 Asia/Shanghai (and at 14:30, so a missed morning still reminds the same
   * day), reminders for special tasks due soon, overdue, and escalation to the management unit (each once per task).
   */
  jobs.register(OPERATIONS_TASK_REMINDERS_JOB, async () => {
    await service.meetings.sendTaskReminders();
  }, '30 8,14 * * *');
  /** `operations.change_detection`: every 10 minutes reads the pushed 云平台规格数据 after its cursor and records the major changes detected (once each). */
  jobs.register(OPERATIONS_CHANGE_DETECTION_JOB, async () => {
    await service.majorChanges.detectFromPushedData();
  }, '*/10 * * * *');
}
