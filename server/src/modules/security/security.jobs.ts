import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { SecurityService } from './security.service.js';
import type { SecurityOversightService } from './security.oversight.js';
import type { PatchComplianceService } from './security.patches.js';

export const SECURITY_PATCHES_JOB = 'security.patches';

export const SECURITY_IMPORT_JOB = 'security.import';
export const SECURITY_WARNINGS_JOB = 'security.warnings';
export const SECURITY_WARNING_MATCH_JOB = 'security.warning_match';
export const SECURITY_WARNING_DEADLINES_JOB = 'security.warning_deadlines';

/**
 * `security.import`: imports the stored batches of 安全漏洞扫描数据 after the module's cursor (idempotent: a batch is
 * one scan, recorded once); every 5 minutes and, through `wakeOnPush`, soon after each such batch is stored.
 * `security.expire`: daily at 00:20 Asia/Shanghai, expired risk acceptances return to open.
 * `security.attack_events`: every 10 minutes, a system attacked at or above the threshold within the last hour gets a
 * security event (once while it is open).
 * `security.patches`: imports the stored 安全补丁安装数据 batches after its cursor; every 10 minutes and on push.
 * `security.warnings`: stores the pushed 安全预警监测数据 after its cursor (every 10 minutes and on push), then
 * enqueues `security.warning_match`, which matches the stored warnings not matched yet to the inventory's hosts and
 * notifies the providers (also every 15 minutes, so a lost wake-up only delays it).
 * `security.warning_deadlines`: every 15 minutes, the unanswered warning notices get their reminder before the deadline,
 * then the overdue notice and the escalation to supervision and management, each once (SecurityWarningService.checkDeadlines).
 */
export function registerSecurityJobs(jobs: JobQueue, service: SecurityService, oversight: SecurityOversightService, patches: PatchComplianceService): void {
  jobs.register(SECURITY_IMPORT_JOB, async () => {
    await service.importPending();
  }, '*/5 * * * *');
  jobs.register('security.expire', async () => {
    await service.expireAcceptances();
  }, '20 0 * * *');
  jobs.register('security.attack_events', async () => {
    await oversight.openEventsFromAttacks();
  }, '*/10 * * * *');
  jobs.register(SECURITY_PATCHES_JOB, async () => {
    await patches.importPending();
  }, '*/10 * * * *');
  jobs.register(SECURITY_WARNINGS_JOB, async () => {
    const res = await oversight.warnings.importPending();
    if (res.warnings > 0) await jobs.send(SECURITY_WARNING_MATCH_JOB, {});
  }, '*/10 * * * *');
  jobs.register(SECURITY_WARNING_MATCH_JOB, async () => {
    await oversight.warnings.matchPending();
  }, '*/15 * * * *');
  jobs.register(SECURITY_WARNING_DEADLINES_JOB, async () => {
    await oversight.warnings.checkDeadlines();
  }, '*/15 * * * *');
}

/**
 * A listener for PushWriter.onStored: a stored 安全漏洞扫描数据 or 安全补丁安装数据 batch enqueues its import (a wake-up,
 * the cursor decides).
 */
export function wakeOnPush(jobs: JobQueue, logger: Logger): (batch: { table: string }) => void {
  return (batch) => {
    const job = batch.table === 'vulnerabilityScan' ? SECURITY_IMPORT_JOB : batch.table === 'patchInstallation' ? SECURITY_PATCHES_JOB : batch.table === 'securityWarning' ? SECURITY_WARNINGS_JOB : null;
    if (!job) return;
    jobs.send(job, {}).catch((e: unknown) => logger.warn({ err: e, job }, 'security: could not enqueue the import'));
  };
}
