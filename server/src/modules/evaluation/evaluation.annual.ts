import { sql } from 'kysely';
import { hasPermission, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound, validationError, type FieldIssue } from '../../platform/errors.js';
import { Dec, sum } from '../../platform/money.js';
import { recordAudit } from '../audit/index.js';
import type { GradeDef, IndicatorResult } from './evaluation.rules.js';
import { dimensionScores } from './evaluation.service.js';

export interface GradeScale { version: number; grades: GradeDef[]; note: string | null; createdAt: string; latest: boolean }

export interface AnnualRating {
  id: string;
  setCode: string;
  year: number;
  revision: number;
  status: 'draft' | 'reviewed' | 'published' | 'superseded';
  gradeScale: { version: number; grades: GradeDef[] };
  /** Months of the year with a published monthly run of the set (the ones counted) and those without. */
  months: Array<{ month: string; runId: string | null; revision: number | null }>;
  missingMonths: string[];
  computedAt: string;
  reviewedAt: string | null;
  reviewComment: string | null;
  publishedAt: string | null;
}

export interface AnnualScore {
  provider: { id: string; name: string };
  total: string | null;
  grade: string | null;
  rank: number | null;
  monthsCounted: number;
  months: Array<{ month: string; total: string | null; grade: string | null }>;
  /** This provider's months not counted: no published run, or no score in it. */
  missingMonths: string[];
}

export interface AnnualRatingDetail extends AnnualRating {
  scores: AnnualScore[];
  abilities: { review: boolean; publish: boolean; recompute: boolean };
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const monthText = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 7) : new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 7));
const monthsOf = (year: number) => Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

/** Grades go best first with falling minimums within 0…100; the last starts at 0 so every total has a grade. */
export function validateGradeScale(grades: GradeDef[]): void {
  const issues: FieldIssue[] = [];
  if (!grades.length) issues.push({ field: 'body.grades', rule: 'min_1', message: 'at least one grade' });
  grades.forEach((g, i) => {
    if (!g.grade.trim()) issues.push({ field: `body.grades[${i}].grade`, rule: 'not_empty', message: 'the grade’s name' });
    if (!(g.min >= 0 && g.min <= 100)) issues.push({ field: `body.grades[${i}].min`, rule: 'range_0_100', message: 'a minimum score from 0 to 100', value: g.min });
    else if (i > 0 && g.min >= grades[i - 1]!.min) issues.push({ field: `body.grades[${i}].min`, rule: 'descending', message: 'best grade first, minimums falling', value: g.min });
  });
  if (grades.length && grades[grades.length - 1]!.min !== 0) issues.push({ field: `body.grades[${grades.length - 1}].min`, rule: 'last_is_0', message: 'the last grade starts at 0', value: grades[grades.length - 1]!.min });
  if (issues.length) throw validationError('evaluation.invalid_grades', 'Grades go best first with falling minimum scores, the last from 0', issues);
}

/** The annual total: the arithmetic mean of the months with a total (2 decimals, half-up); none → null. */
export function annualTotal(totals: Array<string | null>): string | null {
  const xs = totals.filter((x): x is string => x !== null).map((x) => new Dec(x));
  return xs.length ? sum(xs).dividedBy(xs.length).toDecimalPlaces(2).toFixed(2) : null;
}

/**
 * Annual provider rating (年度评级): per provider the arithmetic mean of its published monthly totals of the year with
 * one indicator system (the latest published revision of each month; a month without a published run or without a
 * total is listed as missing and not counted — never as 0), graded on a versioned grade scale when at least one month
 * was graded (≥ 50 points of covered weight), ranked, reviewed and published by the management unit. A recomputation
 * of a published year makes a new revision; the published one stays until the new one is published. A provider sees
 * published ratings and only its own row; a unit none.
 */
export class AnnualRatingService {
  constructor(private readonly db: Db) {}

  async gradeScales(ctx: RequestContext): Promise<GradeScale[]> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await trx.selectFrom('evalAnnualGradeScales').selectAll().orderBy('version', 'desc').execute();
      return rows.map((r, i) => ({ version: r.version, grades: r.grades as unknown as GradeDef[], note: r.note, createdAt: iso(r.createdAt)!, latest: i === 0 }));
    });
  }

  async createGradeScale(ctx: RequestContext, input: { grades: GradeDef[]; note?: string | null }): Promise<GradeScale> {
    validateGradeScale(input.grades);
    const version = await withTx(this.db, ctx, async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('eval_annual_scales'))`.execute(trx);
      const prev = await trx.selectFrom('evalAnnualGradeScales').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
      const v = Number(prev?.v ?? 0) + 1;
      await trx.insertInto('evalAnnualGradeScales').values({ version: v, grades: JSON.stringify(input.grades), note: input.note ?? null, createdBy: ctx.actor.userId }).execute();
      await recordAudit(trx, ctx, { action: 'evaluation.annual_grade_scale', targetType: 'eval_annual_grade_scale', targetId: String(v), after: { grades: input.grades } });
      return v;
    });
    return (await this.gradeScales(ctx)).find((s) => s.version === version)!;
  }

  /** Computes (or recomputes) the year's rating of one indicator system; see the class comment for the rules. */
  async compute(ctx: RequestContext, input: { year: number; setCode: string; gradeScaleVersion?: number }): Promise<AnnualRatingDetail> {
    const id = await withTx(this.db, ctx, async (trx) => {
      const scale = input.gradeScaleVersion === undefined
        ? await trx.selectFrom('evalAnnualGradeScales').selectAll().orderBy('version', 'desc').executeTakeFirstOrThrow()
        : await trx.selectFrom('evalAnnualGradeScales').selectAll().where('version', '=', input.gradeScaleVersion).executeTakeFirst();
      if (!scale) throw validationError('evaluation.unknown_grade_scale', 'No such grade scale version', [{ field: 'body.gradeScaleVersion', rule: 'exists', message: 'a grade scale version', value: input.gradeScaleVersion }]);
      const known = await trx.selectFrom('evalIndicatorSets').select('id').where('code', '=', input.setCode).executeTakeFirst();
      if (!known) throw validationError('evaluation.unknown_indicator_set', 'No such indicator system', [{ field: 'body.setCode', rule: 'exists', message: 'the code of an indicator system', value: input.setCode }]);
      await sql`select pg_advisory_xact_lock(hashtext('eval_annual'), hashtext(${input.setCode + input.year}))`.execute(trx);
      // The published run of each month (the newest publication when several set versions were published).
      const runs = await trx.selectFrom('evalProviderRuns as r').innerJoin('evalIndicatorSets as s', 's.id', 'r.setId').select(['r.id', 'r.month', 'r.revision', 'r.publishedAt'])
        .where('s.code', '=', input.setCode).where('r.status', '=', 'published').where('r.month', '>=', `${input.year}-01-01`).where('r.month', '<=', `${input.year}-12-01`)
        .orderBy('r.publishedAt', 'desc').execute();
      const byMonth = new Map<string, { id: string; revision: number }>();
      for (const r of runs) if (!byMonth.has(monthText(r.month))) byMonth.set(monthText(r.month), { id: r.id, revision: r.revision });
      const months = monthsOf(input.year);
      const runIds = [...byMonth.values()].map((r) => r.id);
      const scores = runIds.length ? await trx.selectFrom('evalProviderScores as e').innerJoin('organisations as o', 'o.id', 'e.providerOrgId').select(['e.runId', 'e.providerOrgId', 'e.total', 'e.grade', 'o.name']).where('e.runId', 'in', runIds).execute() : [];
      const monthOfRun = new Map([...byMonth].map(([m, r]) => [r.id, m]));
      const per = new Map<string, Map<string, { total: string | null; grade: string | null }>>();
      for (const s of scores) {
        const e = per.get(s.providerOrgId) ?? new Map();
        e.set(monthOfRun.get(s.runId)!, { total: s.total === null ? null : new Dec(s.total).toFixed(2), grade: s.grade });
        per.set(s.providerOrgId, e);
      }
      const grades = scale.grades as unknown as GradeDef[];
      const rows = [...per].map(([providerId, m]) => {
        const list = months.map((month) => ({ month, total: m.get(month)?.total ?? null, grade: m.get(month)?.grade ?? null }));
        const total = annualTotal(list.map((x) => x.total));
        const graded = list.some((x) => x.grade !== null);
        return { providerId, list, total, grade: total !== null && graded ? (grades.find((g) => new Dec(total).greaterThanOrEqualTo(g.min))?.grade ?? null) : null, counted: list.filter((x) => x.total !== null).length };
      });
      const ordered = rows.filter((r) => r.total !== null).sort((a, b) => new Dec(b.total!).comparedTo(a.total!));
      const rank = new Map(ordered.map((r, i) => [r.providerId, i + 1]));
      const monthsDoc = months.map((month) => ({ month, runId: byMonth.get(month)?.id ?? null, revision: byMonth.get(month)?.revision ?? null }));

      const latest = await trx.selectFrom('evalAnnualRatings').selectAll().where('setCode', '=', input.setCode).where('year', '=', input.year).orderBy('revision', 'desc').executeTakeFirst();
      let ratingId: string;
      if (latest && (latest.status === 'draft' || latest.status === 'reviewed')) {
        ratingId = latest.id;
        await trx.deleteFrom('evalAnnualScores').where('ratingId', '=', ratingId).execute();
        await trx.updateTable('evalAnnualRatings').set({ status: 'draft', gradeScaleVersion: scale.version, months: JSON.stringify(monthsDoc), computedAt: new Date(), computedBy: ctx.actor.userId, reviewedAt: null, reviewedBy: null, reviewComment: null }).where('id', '=', ratingId).execute();
      } else {
        ratingId = (await trx.insertInto('evalAnnualRatings').values({ setCode: input.setCode, year: input.year, revision: (latest?.revision ?? 0) + 1, gradeScaleVersion: scale.version, months: JSON.stringify(monthsDoc), computedBy: ctx.actor.userId }).returning('id').executeTakeFirstOrThrow()).id;
      }
      if (rows.length) {
        await trx.insertInto('evalAnnualScores').values(rows.map((r) => ({ ratingId, providerOrgId: r.providerId, total: r.total, grade: r.grade, rank: rank.get(r.providerId) ?? null, months: JSON.stringify(r.list), monthsCounted: r.counted }))).execute();
      }
      await recordAudit(trx, ctx, { action: 'evaluation.annual_compute', targetType: 'eval_annual_rating', targetId: ratingId, after: { setCode: input.setCode, year: input.year, gradeScaleVersion: scale.version, monthsPublished: byMonth.size } });
      return ratingId;
    });
    return this.get(ctx, id);
  }

  private query(trx: Tx) {
    return trx.selectFrom('evalAnnualRatings as a').innerJoin('evalAnnualGradeScales as g', 'g.version', 'a.gradeScaleVersion').selectAll('a').select('g.grades');
  }

  private toRating(r: Awaited<ReturnType<ReturnType<AnnualRatingService['query']>['executeTakeFirstOrThrow']>>): AnnualRating {
    const months = r.months as unknown as AnnualRating['months'];
    return {
      id: r.id, setCode: r.setCode, year: r.year, revision: r.revision, status: r.status as AnnualRating['status'], gradeScale: { version: r.gradeScaleVersion, grades: r.grades as unknown as GradeDef[] },
      months, missingMonths: months.filter((m) => m.runId === null).map((m) => m.month), computedAt: iso(r.computedAt)!, reviewedAt: iso(r.reviewedAt), reviewComment: r.reviewComment, publishedAt: iso(r.publishedAt),
    };
  }

  /** Ratings the caller may see (a provider: published ones; a unit: none), newest first. */
  async list(ctx: RequestContext, q: { year?: number; setCode?: string }): Promise<AnnualRating[]> {
    if (!ctx.actor.scope.all && ctx.actor.orgKind !== 'cloud_provider') return [];
    return withTx(this.db, ctx, async (trx) => {
      let query = this.query(trx);
      if (!ctx.actor.scope.all) query = query.where('a.status', '=', 'published');
      if (q.year) query = query.where('a.year', '=', q.year);
      if (q.setCode) query = query.where('a.setCode', '=', q.setCode);
      return (await query.orderBy('a.year', 'desc').orderBy('a.setCode').orderBy('a.revision', 'desc').limit(200).execute()).map((r) => this.toRating(r));
    });
  }

  async get(ctx: RequestContext, id: string): Promise<AnnualRatingDetail> {
    const provider = ctx.actor.orgKind === 'cloud_provider' ? ctx.actor.orgId : null;
    if (!ctx.actor.scope.all && !provider) throw notFound('evaluation.annual_rating', id);
    return withTx(this.db, ctx, async (trx) => {
      let q = this.query(trx).where('a.id', '=', id);
      if (!ctx.actor.scope.all) q = q.where('a.status', '=', 'published');
      const r = await q.executeTakeFirst();
      if (!r) throw notFound('evaluation.annual_rating', id);
      let sq = trx.selectFrom('evalAnnualScores as e').innerJoin('organisations as o', 'o.id', 'e.providerOrgId').selectAll('e').select('o.name').where('e.ratingId', '=', id);
      if (!ctx.actor.scope.all) sq = sq.where('e.providerOrgId', '=', provider!);
      const rows = await sq.orderBy(sql`e.rank asc nulls last`).orderBy('o.name').execute();
      const manage = hasPermission(ctx.actor, 'evaluation:manage');
      return {
        ...this.toRating(r),
        scores: rows.map((s) => {
          const months = s.months as unknown as AnnualScore['months'];
          return { provider: { id: s.providerOrgId, name: s.name }, total: s.total === null ? null : new Dec(s.total).toFixed(2), grade: s.grade, rank: s.rank, monthsCounted: s.monthsCounted, months, missingMonths: months.filter((m) => m.total === null).map((m) => m.month) };
        }),
        abilities: { review: manage && r.status === 'draft', publish: manage && r.status === 'reviewed', recompute: hasPermission(ctx.actor, 'evaluation:score') && ctx.actor.scope.all && r.status !== 'superseded' },
      };
    });
  }

  /**
   * For the annual report: per provider of `detail` (the rows the caller sees) the mean of each dimension over the
   * months counted (a dimension's month score: the weighted mean of its scored indicators; a month or dimension
   * without one is left out, never 0), the dimensions in the set's order; and the ids of every run of the set in
   * the year (all revisions), which the objections and rectifications of the year refer to.
   */
  async breakdown(ctx: RequestContext, detail: AnnualRatingDetail): Promise<{ dimensions: string[]; byProvider: Map<string, Array<{ name: string; score: string | null }>>; yearRunIds: Set<string> }> {
    const runIds = detail.months.map((m) => m.runId).filter((x): x is string => x !== null);
    const providers = detail.scores.map((x) => x.provider.id);
    return withTx(this.db, ctx, async (trx) => {
      const all = await trx.selectFrom('evalProviderRuns as r').innerJoin('evalIndicatorSets as s', 's.id', 'r.setId').select('r.id')
        .where('s.code', '=', detail.setCode).where('r.month', '>=', `${detail.year}-01-01`).where('r.month', '<=', `${detail.year}-12-01`).execute();
      const rows = runIds.length && providers.length
        ? await trx.selectFrom('evalProviderScores').select(['providerOrgId', 'indicators']).where('runId', 'in', runIds).where('providerOrgId', 'in', providers).execute()
        : [];
      const names: string[] = [];
      const acc = new Map<string, Map<string, Dec[]>>();
      for (const r of rows) {
        const results = (r.indicators as unknown as { results: IndicatorResult[] }).results;
        for (const x of results) if (!names.includes(x.dimension)) names.push(x.dimension);
        const per = acc.get(r.providerOrgId) ?? new Map<string, Dec[]>();
        for (const [dim, score] of dimensionScores(results)) if (score !== null) per.set(dim, [...(per.get(dim) ?? []), score]);
        acc.set(r.providerOrgId, per);
      }
      const byProvider = new Map(providers.map((p) => [p, names.map((name) => {
        const xs = acc.get(p)?.get(name) ?? [];
        return { name, score: xs.length ? sum(xs).dividedBy(xs.length).toDecimalPlaces(2).toFixed(2) : null };
      })]));
      return { dimensions: names, byProvider, yearRunIds: new Set(all.map((r) => r.id)) };
    });
  }

  async review(ctx: RequestContext, id: string, comment: string | null): Promise<AnnualRatingDetail> {
    await withTx(this.db, ctx, async (trx) => {
      const r = await trx.selectFrom('evalAnnualRatings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!r) throw notFound('evaluation.annual_rating', id);
      if (r.status !== 'draft') throw new AppError('conflict', 'evaluation.not_draft', `The rating is ${r.status}; only a draft is reviewed`, { status: r.status });
      await trx.updateTable('evalAnnualRatings').set({ status: 'reviewed', reviewedBy: ctx.actor.userId, reviewedAt: new Date(), reviewComment: comment }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'evaluation.annual_review', targetType: 'eval_annual_rating', targetId: id, after: { comment } });
    });
    return this.get(ctx, id);
  }

  async publish(ctx: RequestContext, id: string): Promise<AnnualRatingDetail> {
    await withTx(this.db, ctx, async (trx) => {
      const r = await trx.selectFrom('evalAnnualRatings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!r) throw notFound('evaluation.annual_rating', id);
      if (r.status !== 'reviewed') throw new AppError('conflict', 'evaluation.not_reviewed', `The rating is ${r.status}; a rating is reviewed before it is published`, { status: r.status });
      await trx.updateTable('evalAnnualRatings').set({ status: 'superseded' }).where('setCode', '=', r.setCode).where('year', '=', r.year).where('status', '=', 'published').execute();
      await trx.updateTable('evalAnnualRatings').set({ status: 'published', publishedBy: ctx.actor.userId, publishedAt: new Date() }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'evaluation.annual_publish', targetType: 'eval_annual_rating', targetId: id, after: { year: r.year, setCode: r.setCode, revision: r.revision } });
    });
    return this.get(ctx, id);
  }
}
