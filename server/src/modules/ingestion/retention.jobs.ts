import { systemContext } from '../../platform/context.js';
import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { DropResult, IngestRetentionService } from './retention.service.js';

export const RETENTION_JOB = 'ingest.retention';

/** What the job runs: drops the expired partitions of every interface table, as the platform. */
export function runIngestRetention(service: IngestRetentionService): Promise<DropResult[]> {
  return service.dropExpired(systemContext(`job:${RETENTION_JOB}`));
}

/**
 * `ingest.retention`, daily at 03:30 Asia/Shanghai: drops the partitions of each interface table that ended before
 * now − its retention (never under the table's minimum), logging and audit-recording what was dropped. Idempotent.
 */
export function registerIngestRetentionJobs(jobs: JobQueue, service: IngestRetentionService): void {
  jobs.register(RETENTION_JOB, async () => {
    await runIngestRetention(service);
  }, '30 3 * * *');
}
