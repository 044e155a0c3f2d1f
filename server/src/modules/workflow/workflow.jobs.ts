import { systemContext } from '../../platform/context.js';
import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { WorkflowService } from './workflow.service.js';

/**
 * `workflow.overdue`, every minute: marks pending tasks past their due time as overdue (they stay pending) and
 * records an `overdue` event once per task, for the notifications of issue 6. Idempotent.
 */
export function registerWorkflowJobs(jobs: JobQueue, service: WorkflowService): void {
  jobs.register('workflow.overdue', async () => {
    await service.markOverdue(systemContext('job:workflow.overdue'));
  }, '* * * * *');
}
