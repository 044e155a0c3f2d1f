import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { ContractsService } from './contracts.service.js';

/**
 * `contracts.warnings`, every day at 06:10 Asia/Shanghai: copies the billed amounts from the billing module
 * (syncFromBilling, each month replaced as a whole), then recomputes the consumption (80% / 100%) and milestone
 * (due within 30 days / overdue) warnings; the stored set is made equal to the computed one, so a rerun is harmless.
 */
export function registerContractJobs(jobs: JobQueue, service: ContractsService): void {
  jobs.register('contracts.warnings', async () => {
    await service.syncFromBilling();
    await service.runWarnings();
  }, '10 6 * * *');
}
