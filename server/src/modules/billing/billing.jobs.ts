import { systemContext } from '../../platform/context.js';
import type { JobQueue } from '../../platform/jobs/jobs.js';
import { shanghaiToday } from '../catalog/index.js';
import type { BillingService } from './billing.service.js';

/**
 * `billing.meter`, every day at 23:57 Asia/Shanghai (after the inventory's 23:55 snapshot): meters the day that is
 * ending (replaces the day's usage rows, so a rerun is harmless); a month with locked bills is skipped.
 * `billing.run`, on the 1st at 02:00: the bill run of the previous month (drafts only; idempotent).
 */
export function registerBillingJobs(jobs: JobQueue, service: BillingService): void {
  jobs.register('billing.meter', async () => {
    try {
      await service.meterDay(shanghaiToday());
    } catch (e) {
      // A locked month stays as it was billed: nothing to retry.
      if ((e as { code?: string }).code !== 'billing.month_locked') throw e;
    }
  }, '57 23 * * *');
  jobs.register('billing.run', async () => {
    const today = shanghaiToday();
    const [y, m] = today.split('-').map(Number) as [number, number];
    const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    await service.runMonth(systemContext('billing.run'), prev);
  }, '0 2 1 * *');
}
