import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { InventoryService } from './inventory.service.js';

/**
 * `inventory.apply`, every minute: applies the stored service / asset / platform batches not applied yet (idempotent,
 * one run at a time by an advisory lock). `inventory.daily`, every day at 23:55 Asia/Shanghai: the day's snapshot for
 * the trends (replaces the day's rows, so a rerun is harmless).
 */
export function registerInventoryJobs(jobs: JobQueue, service: InventoryService): void {
  jobs.register('inventory.apply', async () => {
    await service.applyPending();
  }, '* * * * *');
  jobs.register('inventory.daily', async () => {
    await service.applyPending();
    await service.snapshotDaily();
  }, '55 23 * * *');
}
