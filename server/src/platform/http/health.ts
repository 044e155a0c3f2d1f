import { sql } from 'kysely';
import { z } from 'zod';
import type { App } from './server.js';
import type { PlatformDeps } from '../deps.js';

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  process: z.object({
    pid: z.number().int(),
    role: z.enum(['all', 'api', 'worker']),
    uptimeSeconds: z.number(),
    rssBytes: z.number().int(),
    heapUsedBytes: z.number().int(),
    nodeVersion: z.string(),
  }),
  database: z.object({ ok: z.boolean(), embedded: z.boolean(), latencyMs: z.number().nullable(), error: z.string().nullable() }),
  jobs: z.object({ started: z.boolean(), worker: z.boolean(), queues: z.array(z.string()), lastError: z.string().nullable() }),
});

/** GET /api/health: process, database and job-worker state; 503 when the database does not answer. */
export function registerHealthRoutes(app: App, deps: PlatformDeps): void {
  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: { tags: ['system'], summary: 'Process, database and job-worker state', response: { 200: healthSchema, 503: healthSchema } },
    },
    async (_request, reply) => {
      const started = performance.now();
      let dbOk = true;
      let dbError: string | null = null;
      try {
        await sql`select 1`.execute(deps.db);
      } catch (e) {
        dbOk = false;
        dbError = (e as Error).message;
      }
      const mem = process.memoryUsage();
      const jobs = deps.jobs.state();
      const jobsOk = deps.config.role === 'api' || jobs.worker;
      const body = {
        status: dbOk && jobsOk ? ('ok' as const) : ('degraded' as const),
        process: {
          pid: process.pid,
          role: deps.config.role,
          uptimeSeconds: Math.round(process.uptime()),
          rssBytes: mem.rss,
          heapUsedBytes: mem.heapUsed,
          nodeVersion: process.version,
        },
        database: { ok: dbOk, embedded: deps.embedded, latencyMs: dbOk ? Math.round((performance.now() - started) * 10) / 10 : null, error: dbError },
        jobs,
      };
      return reply.status(dbOk ? 200 : 503).send(body);
    },
  );
}
