import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { ensureUpcomingPartitions, type PartitionCache } from './partitions.js';

export const PARTITIONS_JOB = 'ingest.partitions';

/**
 * `ingest.partitions`, every hour (minute 7) Asia/Shanghai: creates today's and tomorrow's partitions of every interface
 * table, so the first batch after midnight finds its partition ready. Idempotent. `prepareIngestPartitions` runs the same
 * work once at start (the writer also creates a missing partition on demand).
 */
export function registerIngestionJobs(jobs: JobQueue, partitions: PartitionCache): void {
  jobs.register(PARTITIONS_JOB, async () => {
    await ensureUpcomingPartitions(partitions);
  }, '7 * * * *');
}

/** Creates today's and tomorrow's partitions now; logs instead of failing (start-up must not depend on it). */
export async function prepareIngestPartitions(partitions: PartitionCache, logger: Logger): Promise<void> {
  try {
    const names = await ensureUpcomingPartitions(partitions);
    logger.debug({ partitions: names.length }, 'interface table partitions ready');
  } catch (err) {
    logger.warn({ err }, 'preparing interface table partitions failed; batches create them on demand');
  }
}
