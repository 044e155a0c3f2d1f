import PgBoss from 'pg-boss';
import type { Logger } from '../logger.js';

export type JobHandler<T extends object> = (data: T) => Promise<void>;

interface Registration {
  name: string;
  handler: JobHandler<object>;
  cron?: string;
}

/**
 * Background jobs on pg-boss: PostgreSQL is the only infrastructure. Handlers are idempotent and payloads carry IDs.
 * Schedules run in Asia/Shanghai. Only a process with the worker role runs handlers; every process may enqueue.
 */
export class JobQueue {
  private boss: PgBoss | null = null;
  private readonly registrations: Registration[] = [];
  private workerRunning = false;
  private lastError: string | null = null;

  constructor(private readonly databaseUrl: string, private readonly logger: Logger) {}

  /** Declares a job; `cron` makes it recurring (Asia/Shanghai). Call before start(). */
  register<T extends object>(name: string, handler: JobHandler<T>, cron?: string): void {
    this.registrations.push({ name, handler: handler as JobHandler<object>, ...(cron ? { cron } : {}) });
  }

  async start(runWorker: boolean): Promise<void> {
    const boss = new PgBoss({ connectionString: this.databaseUrl, schema: 'pgboss', max: 4, application_name: 'zhengyun-jobs' });
    boss.on('error', (err: Error) => {
      this.lastError = err.message;
      this.logger.error({ err }, 'job queue error');
    });
    await boss.start();
    this.boss = boss;
    for (const r of this.registrations) await boss.createQueue(r.name).catch(() => undefined);
    if (!runWorker) return;
    for (const r of this.registrations) {
      await boss.work<object>(r.name, async (jobs) => {
        for (const job of jobs) await r.handler(job.data);
      });
      if (r.cron) await boss.schedule(r.name, r.cron, {}, { tz: 'Asia/Shanghai' });
    }
    this.workerRunning = true;
  }

  async send<T extends object>(name: string, data: T): Promise<string | null> {
    if (!this.boss) throw new Error('job queue not started');
    return this.boss.send(name, data);
  }

  state(): { started: boolean; worker: boolean; queues: string[]; lastError: string | null } {
    return { started: this.boss !== null, worker: this.workerRunning, queues: this.registrations.map((r) => r.name), lastError: this.lastError };
  }

  async stop(): Promise<void> {
    if (!this.boss) return;
    const boss = this.boss;
    this.boss = null;
    this.workerRunning = false;
    await boss.stop({ graceful: true, timeout: 10_000 });
  }
}
