import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { SecurityService } from './security.service.js';
import type { SecurityOversightService } from './security.oversight.js';

export const SECURITY_IMPORT_JOB = 'security.import';

/**
 * `security.import`: imports the stored batches of 安全漏洞扫描数据 after the module's cursor (idempotent: a batch is
 * one scan, recorded once); every 5 minutes and, through `wakeOnPush`, soon after each such batch is stored.
 * `security.expire`: daily at 00:20 Asia/Shanghai, expired risk acceptances return to open.
 * `security.attack_events`: every 10 minutes, a system attacked at or above the threshold within the last hour gets a
 * security event (once while it is open).
 */
export function registerSecurityJobs(jobs: JobQueue, service: SecurityService, oversight: SecurityOversightService): void {
  jobs.register(SECURITY_IMPORT_JOB, async () => {
    await service.importPending();
  }, '*/5 * * * *');
  jobs.register('security.expire', async () => {
    await service.expireAcceptances();
  }, '20 0 * * *');
  jobs.register('security.attack_events', async () => {
    await oversight.openEventsFromAttacks();
  }, '*/10 * * * *');
}

/** A listener for PushWriter.onStored: a stored 安全漏洞扫描数据 batch enqueues the import (a wake-up, the cursor decides). */
export function wakeOnPush(jobs: JobQueue, logger: Logger): (batch: { table: string }) => void {
  return (batch) => {
    if (batch.table !== 'vulnerabilityScan') return;
    jobs.send(SECURITY_IMPORT_JOB, {}).catch((e: unknown) => logger.warn({ err: e }, 'security: could not enqueue the import'));
  };
}
