import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { ProviderCredentialService } from './credentials.service.js';

/**
 * `ingest.nonces.purge`, every 10 minutes: deletes the nonces of signed requests whose timestamps have left the
 * clock-skew window (a request carrying them would be refused as stale anyway). Idempotent.
 */
export function registerCredentialJobs(jobs: JobQueue, credentials: ProviderCredentialService): void {
  jobs.register('ingest.nonces.purge', async () => {
    await credentials.purgeNonces();
  }, '*/10 * * * *');
}
