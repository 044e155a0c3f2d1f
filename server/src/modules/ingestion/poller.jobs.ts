import type { JobQueue } from '../../platform/jobs/jobs.js';
import type { ProviderCredentialService } from './credentials.service.js';
import type { QueryPollerService } from './poller.service.js';

/**
 * `ingest.nonces.purge`, every 10 minutes: deletes the nonces of signed requests whose timestamps have left the
 * clock-skew window (a request carrying them would be refused as stale anyway). Idempotent.
 */
export function registerCredentialJobs(jobs: JobQueue, credentials: ProviderCredentialService): void {
  jobs.register('ingest.nonces.purge', async () => {
    await credentials.purgeNonces();
  }, '*/10 * * * *');
}

/**
 * `ingest.poll`, every minute: polls the query endpoints whose interval has passed (claimed with SKIP LOCKED, so
 * several workers never poll one endpoint twice). `ingest.poll_results.purge`, daily at 04:10: drops results older than
 * 30 days. Both idempotent.
 */
export function registerPollerJobs(jobs: JobQueue, poller: QueryPollerService): void {
  jobs.register('ingest.poll', async () => {
    await poller.pollDue();
  }, '* * * * *');
  jobs.register('ingest.poll_results.purge', async () => {
    await poller.purgeResults();
  }, '10 4 * * *');
}
