import type { Tx } from '../../platform/db/database.js';
import type { IndicatorResult } from './evaluation.rules.js';

/** Indicator scores revised by accepted objections, per provider and indicator code (the latest decision wins). */
export type ScoreOverrides = Map<string, Map<string, { score: string; evidence: string }>>;

/**
 * The revisions of a set × month's accepted objections. A recomputation of the month (a new run or revision) applies
 * them again, so an accepted objection is never silently undone by re-running the month.
 */
export async function acceptedObjectionOverrides(trx: Tx, setId: string, monthFirst: string): Promise<ScoreOverrides> {
  const rows = await trx.selectFrom('evalObjections').select(['providerOrgId', 'revisions']).where('setId', '=', setId).where('month', '=', monthFirst).where('status', '=', 'accepted').orderBy('decidedAt').execute();
  const out: ScoreOverrides = new Map();
  for (const r of rows) {
    const m = out.get(r.providerOrgId) ?? new Map<string, { score: string; evidence: string }>();
    for (const v of (r.revisions ?? []) as unknown as Array<{ indicatorCode: string; after: string; evidence: string }>) m.set(v.indicatorCode, { score: v.after, evidence: v.evidence });
    out.set(r.providerOrgId, m);
  }
  return out;
}

/** Replaces the overridden indicators' scores in place (status ok, the decision's evidence). */
export function applyOverrides(results: IndicatorResult[], overrides: Map<string, { score: string; evidence: string }> | undefined): void {
  if (!overrides) return;
  for (const r of results) {
    const o = overrides.get(r.code);
    if (o) Object.assign(r, { status: 'ok', score: o.score, evidence: o.evidence });
  }
}
