import { systemContext } from '../../platform/context.js';
import type { Logger } from '../../platform/logger.js';
import { previousMonth } from './evaluation.jobs.js';
import type { EvaluationService } from './evaluation.service.js';

const EVIDENCE = ['月度现场检查记录', '监理巡查报告', '资料核查记录', '用户回访记录'];

/**
 * The demo city's evaluation for the previous month: the manual indicators of the seed-004 set scored by the
 * supervision provider (deterministic per provider, with evidence), the run reviewed and published (a provider
 * ranking), a draft run of the seed-003 set, and the month's efficiency with whatever hosts the inventory holds.
 * Call it again after the demo feed's backfill to get the month's efficiency and advice from the hosts and bills.
 * Failures are logged, never thrown (start-up must not fail).
 */
export async function loadEvaluationDemo(service: EvaluationService, logger: Logger): Promise<void> {
  const started = Date.now();
  try {
    const ctx = systemContext('evaluation.demo');
    const month = previousMonth();
    const sets = await service.indicatorSets(ctx);
    const s004 = sets.find((s) => s.code === 'seed004' && s.latest)!;
    const s003 = sets.find((s) => s.code === 'seed003' && s.latest)!;
    const draft = await service.runProviders(ctx, { setId: s004.id, month });
    const manual = s004.dimensions.flatMap((d) => d.indicators).filter((i) => i.source === 'manual');
    for (const [pi, p] of draft.scores.entries()) {
      for (const [ii, ind] of manual.entries()) {
        const score = 70 + ((pi * 7 + ii * 5) % 28);
        await service.setManualScore(ctx, { setId: s004.id, month, providerId: p.provider.id, indicatorCode: ind.code, score, evidence: `演示：${month} ${EVIDENCE[(pi + ii) % EVIDENCE.length]}（${ind.name}）` });
      }
    }
    const run = await service.runProviders(ctx, { setId: s004.id, month });
    if (run.status === 'draft') {
      await service.reviewRun(ctx, run.id, '演示：管理单位审核通过');
      await service.publishRun(ctx, run.id);
    }
    await service.runProviders(ctx, { setId: s003.id, month });
    const eff = await service.computeEfficiency(ctx, { month });
    logger.info({ month, providers: run.scores.length, hosts: eff.hosts, advice: eff.advice, ms: Date.now() - started }, 'demo city: evaluation loaded');
  } catch (err) {
    logger.warn({ err }, 'demo city: evaluation not loaded');
  }
}
