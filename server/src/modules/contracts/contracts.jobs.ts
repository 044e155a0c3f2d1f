import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { ContractsService } from './contracts.service.js';

/**
 * `contracts.warnings`, every day at 06:10 Asia/Shanghai: recomputes the consumption (80% / 100%) and milestone
 * (due within 30 days / overdue) warnings; the stored set is made equal to the computed one, so a rerun is harmless.
 */
export function registerContractJobs(jobs: JobQueue, service: ContractsService): void {
  jobs.register('contracts.warnings', async () => {
    await service.runWarnings();
  }, '10 6 * * *');
}
