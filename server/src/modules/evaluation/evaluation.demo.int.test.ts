import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, createTestApp, type TestApp } from '../../test/harness.js';
import { systemContext } from '../../platform/context.js';
import { previousMonth } from './evaluation.jobs.js';

describe('demo city: evaluation', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let t: TestApp;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    t = await createTestApp({ databaseUrl: scratch.url });
    await t.container.demo.loadIfEmpty();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await scratch?.drop();
  });

  it('publishes a provider ranking of the previous month with manual evidence, and computes the month', async () => {
    const ctx = systemContext();
    const month = previousMonth();
    const runs = await t.container.evaluation.listRuns(ctx, { month });
    const published = runs.find((r) => r.status === 'published' && r.setCode === 'seed004');
    expect(published).toBeDefined();
    expect(runs.some((r) => r.setCode === 'seed003' && r.status === 'draft')).toBe(true);
    const run = await t.container.evaluation.getRun(ctx, published!.id);
    expect(run.scores.length).toBe(3);
    for (const s of run.scores) {
      expect(s.total).not.toBeNull();
      expect(s.rank).not.toBeNull();
      const manual = s.indicators.filter((i) => i.source === 'manual');
      expect(manual.every((i) => i.status === 'ok' && i.evidence.startsWith('演示'))).toBe(true);
      // Availability is wired in the container: its source exists, but this scratch city has no SLA figures yet.
      expect(s.indicators.find((i) => i.source === 'sla')).toMatchObject({ status: 'no_data', score: null });
    }
    expect((await t.container.evaluation.efficiencyMonths(ctx)).map((m) => m.month)).toContain(month);
  });
});
