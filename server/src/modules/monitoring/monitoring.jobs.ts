import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { STORE_TABLES } from './monitoring.metrics.js';
import type { MonitoringService } from './monitoring.service.js';

export const MONITORING_INGEST_JOB = 'monitoring.ingest';

/**
 * `monitoring.ingest` {batchId}: one stored batch of a monitoring table into the metric store (idempotent: a batch
 * is processed once; the points are upserted and the touched buckets recomputed). Sent by `wakeOnPush`.
 * `monitoring.sweep` (every 5 minutes): batches whose wake-up was lost (restart, queue down), each on its own.
 * `monitoring.evaluate` (every minute): one alert evaluation cycle (idempotent across restarts, see evaluate()).
 * `monitoring.capacity` (hourly at :07, and after each 云平台规格数据 batch): capacity snapshot and warnings.
 * `monitoring.retention` (daily 03:40 Asia/Shanghai): drops raw partitions and old rollups.
 * `monitoring.rollup` (every 5 minutes): recomputes the dirty buckets' hourly and daily rollups (marked by the ingest,
 * outside its transaction), then refreshes the TopN window summaries of 24 h / 7 d / 30 d.
 */
export function registerMonitoringJobs(jobs: JobQueue, service: MonitoringService): void {
  jobs.register<{ batchId?: string }>(MONITORING_INGEST_JOB, async (data) => {
    if (data.batchId && /^\d{1,18}$/.test(data.batchId)) await service.store.ingestBatch(data.batchId);
  });
  jobs.register('monitoring.sweep', async () => {
    await service.store.sweep();
  }, '*/5 * * * *');
  jobs.register('monitoring.rollup', async () => {
    await service.store.flushRollups();
    await service.store.refreshWindows();
  }, '*/5 * * * *');
  jobs.register('monitoring.evaluate', async () => {
    await service.evaluate();
  }, '* * * * *');
  jobs.register('monitoring.capacity', async () => {
    await service.evaluateCapacity();
  }, '7 * * * *');
  jobs.register('monitoring.retention', async () => {
    await service.store.applyRetention();
  }, '40 3 * * *');
}

/** A listener for PushWriter.onStored: each stored batch of a monitoring table enqueues its own ingest (its id only). */
export function wakeOnPush(jobs: JobQueue, logger: Logger): (batch: { table: string; batchId: string }) => void {
  return (batch) => {
    if (batch.table === 'platformSpec') {
      jobs.send('monitoring.capacity', {}).catch((e: unknown) => logger.warn({ err: e }, 'monitoring: could not enqueue the capacity check'));
      return;
    }
    if (!STORE_TABLES.includes(batch.table)) return;
    jobs.send(MONITORING_INGEST_JOB, { batchId: batch.batchId }).catch((e: unknown) => logger.warn({ err: e }, 'monitoring: could not enqueue the ingest'));
  };
}
