import { systemContext } from '../../platform/context.js';
import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { AuditService } from './audit.service.js';

/**
 * `audit.prune`, daily at 03:30 Asia/Shanghai: removes records older than the security policy's audit retention
 * (never under 180 days, MLPS level 3) through audit_prune(), which keeps the chain's anchor. Idempotent.
 */
export function registerAuditJobs(jobs: JobQueue, service: AuditService): void {
  jobs.register('audit.prune', async () => {
    await service.prune(systemContext('job:audit.prune'));
  }, '30 3 * * *');
}
