import { sql } from 'kysely';
import { hasPermission, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, forbidden, notFound, validationError, type FieldIssue } from '../../platform/errors.js';
import { Dec } from '../../platform/money.js';
import { recordAudit } from '../audit/index.js';
import { localDate, nthWorkingDayAfter, type CalendarService } from '../calendar/index.js';
import { NotificationService } from '../notifications/index.js';
import { evidenceColumns, parseEvidence, type EvidenceInput } from './evaluation.evidence.js';
import { totalOf, type GradeDef, type IndicatorResult } from './evaluation.rules.js';

NotificationService.registerKind('evaluation.objection_filed', '评估异议', 'Evaluation objection');
NotificationService.registerKind('evaluation.objection_decided', '评估异议处理结果', 'Evaluation objection decided');

/** Working days after publication during which a provider may object (business calendar, Asia/Shanghai). */
export const OBJECTION_WORKING_DAYS = 5;

export interface Objection {
  id: string;
  runId: string;
  setId: string;
  setCode: string;
  setName: string;
  month: string;
  revision: number;
  provider: { id: string; name: string };
  indicatorCode: string | null;
  indicatorName: string | null;
  reason: string;
  evidence: { name: string; size: number; sm3: string } | null;
  deadline: string;
  status: 'submitted' | 'accepted' | 'rejected';
  filedAt: string;
  decisionComment: string | null;
  revisions: Array<{ indicatorCode: string; before: string | null; after: string; evidence: string }> | null;
  revisionRunId: string | null;
  revisionRunStatus: string | null;
  decidedAt: string | null;
  abilities: { decide: boolean };
}

export interface FileObjectionInput { runId: string; providerId?: string | null; indicatorCode?: string | null; reason: string; evidence?: EvidenceInput | null }
export interface AcceptObjectionInput { comment?: string | null; revisions: Array<{ indicatorCode: string; score: number; evidence: string }> }

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const monthText = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 7) : localDate(d).slice(0, 7));
const dayText = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : new Date(d).toISOString().slice(0, 10));

/**
 * Objections (异议) on published provider scores. A cloud provider files one on its own row of a published run (the
 * month, or one indicator of it) up to the 5th working day after publication, with a reason and an optional evidence
 * file. Supervision or the management unit (evaluation:score) accepts — the score is revised in a NEW revision of the
 * month (draft, then reviewed and published by the management unit; the published revision stays unchanged and
 * readable) — or rejects with a reason. The provider is notified of the decision; every step is audited.
 */
export class ObjectionService {
  constructor(
    private readonly db: Db,
    private readonly calendar: CalendarService,
    private readonly notifications: NotificationService,
  ) {}

  /** The last day a provider may object to a run published at `publishedAt`. */
  async deadlineOf(trx: Tx, publishedAt: Date): Promise<string> {
    return nthWorkingDayAfter(await this.calendar.days(trx), localDate(publishedAt), OBJECTION_WORKING_DAYS);
  }

  async file(ctx: RequestContext, input: FileObjectionInput): Promise<Objection> {
    if (ctx.actor.orgKind !== 'cloud_provider' || !ctx.actor.orgId) throw forbidden('evaluation.objection_provider_only', 'Only a cloud provider files an objection on its own published score');
    const issues: FieldIssue[] = [];
    const reason = input.reason.trim();
    if (!reason) issues.push({ field: 'body.reason', rule: 'not_empty', message: 'give the reason of the objection' });
    const file = parseEvidence(input.evidence, 'body.evidence', issues);
    if (issues.length) throw validationError('evaluation.invalid_objection', 'The objection is incomplete or malformed; nothing was saved', issues);
    const providerId = input.providerId ?? ctx.actor.orgId;
    // Another provider's score answers 404, as any other tenant's resource.
    if (providerId !== ctx.actor.orgId) throw notFound('evaluation.provider_score', `${input.runId}:${providerId}`);
    const id = await withTx(this.db, ctx, async (trx) => {
      const run = await trx.selectFrom('evalProviderRuns').selectAll().where('id', '=', input.runId).executeTakeFirst();
      if (!run) throw notFound('evaluation.run', input.runId);
      if (run.status !== 'published') {
        throw new AppError('conflict', 'evaluation.run_not_current', `This revision is ${run.status}; object to the month's current published revision`, { status: run.status, field: 'body.runId' });
      }
      const row = await trx.selectFrom('evalProviderScores').select('indicators').where('runId', '=', run.id).where('providerOrgId', '=', providerId).executeTakeFirst();
      if (!row) throw notFound('evaluation.provider_score', `${input.runId}:${providerId}`);
      const results = (row.indicators as unknown as { results: IndicatorResult[] }).results;
      if (input.indicatorCode && !results.some((r) => r.code === input.indicatorCode)) {
        throw validationError('evaluation.unknown_indicator', 'No such indicator in this evaluation', [{ field: 'body.indicatorCode', rule: 'exists', message: 'an indicator code of the run', value: input.indicatorCode }]);
      }
      const deadline = await this.deadlineOf(trx, run.publishedAt!);
      const today = localDate(new Date());
      if (today > deadline) {
        throw validationError('evaluation.objection_late', `Objections are filed within ${OBJECTION_WORKING_DAYS} working days of publication; the deadline was ${deadline}`, [
          { field: 'body.runId', rule: `within_${OBJECTION_WORKING_DAYS}_working_days`, message: `published ${localDate(run.publishedAt!)}, deadline ${deadline}`, value: today },
        ]);
      }
      let pending = trx.selectFrom('evalObjections').select('id').where('runId', '=', run.id).where('providerOrgId', '=', providerId).where('status', '=', 'submitted');
      pending = input.indicatorCode ? pending.where('indicatorCode', '=', input.indicatorCode) : pending.where('indicatorCode', 'is', null);
      if (await pending.executeTakeFirst()) throw new AppError('conflict', 'evaluation.objection_pending', 'An objection on this score is already awaiting a decision', { field: 'body.indicatorCode' });
      const created = await trx.insertInto('evalObjections').values({
        runId: run.id, setId: run.setId, month: run.month, providerOrgId: providerId, indicatorCode: input.indicatorCode ?? null, reason, deadline, filedBy: ctx.actor.userId, ...evidenceColumns(file),
      }).returning('id').executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'evaluation.objection_filed', targetType: 'eval_objection', targetId: created.id, after: { runId: run.id, indicatorCode: input.indicatorCode ?? null, evidence: file ? { name: file.name, size: file.bytes.length, sm3: file.sm3 } : null } });
      await this.notifications.notify(trx, {
        recipients: { roleCodes: ['mgmt_staff', 'supervisor_staff'], orgKinds: ['management_unit', 'supervision_provider'] }, kind: 'evaluation.objection_filed',
        title: `云服务商评估异议：${monthText(run.month)}`, body: reason.slice(0, 500), link: `/evaluation/objections?id=${created.id}`, severity: 'warning',
      });
      return created.id;
    });
    return this.get(ctx, id);
  }

  private query(trx: Tx) {
    return trx.selectFrom('evalObjections as j')
      .innerJoin('evalProviderRuns as r', 'r.id', 'j.runId')
      .innerJoin('evalIndicatorSets as s', 's.id', 'j.setId')
      .innerJoin('organisations as o', 'o.id', 'j.providerOrgId')
      .leftJoin('evalProviderRuns as v', 'v.id', 'j.revisionRunId')
      .select(['j.id', 'j.runId', 'j.setId', 'j.month', 'j.providerOrgId', 'j.indicatorCode', 'j.reason', 'j.evidenceName', 'j.evidenceSize', 'j.evidenceSm3', 'j.deadline', 'j.status', 'j.filedAt', 'j.decisionComment', 'j.revisions', 'j.revisionRunId', 'j.decidedAt'])
      .select(['r.revision', 's.code as setCode', 's.name as setName', 's.dimensions', 'o.name as providerName', 'v.status as revisionRunStatus']);
  }

  private scoped(ctx: RequestContext, trx: Tx) {
    let q = this.query(trx);
    if (!ctx.actor.scope.all) q = ctx.actor.orgKind === 'cloud_provider' && ctx.actor.orgId ? q.where('j.providerOrgId', '=', ctx.actor.orgId) : q.where(sql<boolean>`false`);
    return q;
  }

  private toObjection(ctx: RequestContext, r: Awaited<ReturnType<ReturnType<ObjectionService['query']>['executeTakeFirstOrThrow']>>): Objection {
    const ind = r.indicatorCode ? (r.dimensions as unknown as Array<{ indicators: Array<{ code: string; name: string }> }>).flatMap((d) => d.indicators).find((i) => i.code === r.indicatorCode) : null;
    return {
      id: r.id, runId: r.runId, setId: r.setId, setCode: r.setCode, setName: r.setName, month: monthText(r.month), revision: r.revision, provider: { id: r.providerOrgId, name: r.providerName },
      indicatorCode: r.indicatorCode, indicatorName: ind?.name ?? null, reason: r.reason,
      evidence: r.evidenceName ? { name: r.evidenceName, size: r.evidenceSize ?? 0, sm3: r.evidenceSm3 ?? '' } : null,
      deadline: dayText(r.deadline), status: r.status as Objection['status'], filedAt: iso(r.filedAt)!, decisionComment: r.decisionComment,
      revisions: (r.revisions ?? null) as Objection['revisions'], revisionRunId: r.revisionRunId, revisionRunStatus: r.revisionRunStatus ?? null, decidedAt: iso(r.decidedAt),
      abilities: { decide: hasPermission(ctx.actor, 'evaluation:score') && ctx.actor.scope.all && r.status === 'submitted' },
    };
  }

  /** Objections the caller may see (supervision and management: all; a provider: its own; others: none), newest first. */
  async list(ctx: RequestContext, q: { status?: Objection['status']; month?: string; runId?: string }): Promise<Objection[]> {
    return withTx(this.db, ctx, async (trx) => {
      let query = this.scoped(ctx, trx);
      if (q.status) query = query.where('j.status', '=', q.status);
      if (q.month) query = query.where('j.month', '=', `${q.month}-01`);
      if (q.runId) query = query.where('j.runId', '=', q.runId);
      return (await query.orderBy('j.filedAt', 'desc').limit(500).execute()).map((r) => this.toObjection(ctx, r));
    });
  }

  async get(ctx: RequestContext, id: string): Promise<Objection> {
    return withTx(this.db, ctx, async (trx) => {
      const r = await this.scoped(ctx, trx).where('j.id', '=', id).executeTakeFirst();
      if (!r) throw notFound('evaluation.objection', id);
      return this.toObjection(ctx, r);
    });
  }

  async evidence(ctx: RequestContext, id: string): Promise<{ fileName: string; contentType: string; content: Buffer }> {
    await this.get(ctx, id);
    return withTx(this.db, ctx, async (trx) => {
      const r = await trx.selectFrom('evalObjections').select(['evidenceName', 'evidenceType', 'evidence']).where('id', '=', id).executeTakeFirst();
      if (!r?.evidence) throw notFound('evaluation.objection_evidence', id);
      return { fileName: r.evidenceName!, contentType: r.evidenceType!, content: r.evidence };
    });
  }

  private async pendingForUpdate(trx: Tx, id: string) {
    const j = await trx.selectFrom('evalObjections').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!j) throw notFound('evaluation.objection', id);
    if (j.status !== 'submitted') throw new AppError('conflict', 'evaluation.objection_decided', `The objection was ${j.status} already`, { status: j.status });
    return j;
  }

  /**
   * Accepts: the listed indicators get the given scores (0–100) in a new draft revision of the month (copied from the
   * published one) — or in the month's pending draft / reviewed revision, which goes back to draft. Totals, grades and
   * ranks of that revision are recomputed; the published revision does not change until the new one is published.
   */
  async accept(ctx: RequestContext, id: string, input: AcceptObjectionInput): Promise<Objection> {
    if (!ctx.actor.scope.all) throw notFound('evaluation.objection', id);
    await withTx(this.db, ctx, async (trx) => {
      const j = await this.pendingForUpdate(trx, id);
      const set = await trx.selectFrom('evalIndicatorSets').select(['grades', 'dimensions']).where('id', '=', j.setId).executeTakeFirstOrThrow();
      const codes = new Set((set.dimensions as unknown as Array<{ indicators: Array<{ code: string }> }>).flatMap((d) => d.indicators.map((i) => i.code)));
      const issues: FieldIssue[] = [];
      if (!input.revisions.length) issues.push({ field: 'body.revisions', rule: 'min_1', message: 'an accepted objection revises at least one indicator' });
      input.revisions.forEach((v, i) => {
        if (!codes.has(v.indicatorCode)) issues.push({ field: `body.revisions[${i}].indicatorCode`, rule: 'exists', message: 'an indicator code of the set', value: v.indicatorCode });
        if (!(v.score >= 0 && v.score <= 100)) issues.push({ field: `body.revisions[${i}].score`, rule: 'range_0_100', message: 'an indicator score from 0 to 100', value: v.score });
        if (!v.evidence.trim()) issues.push({ field: `body.revisions[${i}].evidence`, rule: 'not_empty', message: 'the basis of the revised score' });
      });
      if (j.indicatorCode && !input.revisions.some((v) => v.indicatorCode === j.indicatorCode)) {
        issues.push({ field: 'body.revisions', rule: 'objected_indicator', message: `revise the objected indicator ${j.indicatorCode}`, value: j.indicatorCode });
      }
      if (issues.length) throw validationError('evaluation.invalid_decision', 'The decision is incomplete or malformed; nothing was changed', issues);

      const month = monthText(j.month);
      await sql`select pg_advisory_xact_lock(hashtext('eval_runs'), hashtext(${j.setId + month}))`.execute(trx);
      const latest = await trx.selectFrom('evalProviderRuns').selectAll().where('setId', '=', j.setId).where('month', '=', j.month).orderBy('revision', 'desc').executeTakeFirstOrThrow();
      let target: string;
      if (latest.status === 'draft' || latest.status === 'reviewed') {
        target = latest.id;
        await trx.updateTable('evalProviderRuns').set({ status: 'draft', reviewedAt: null, reviewedBy: null, reviewComment: null }).where('id', '=', target).execute();
      } else {
        target = (await trx.insertInto('evalProviderRuns').values({ setId: j.setId, month: j.month, revision: latest.revision + 1, computedBy: ctx.actor.userId }).returning('id').executeTakeFirstOrThrow()).id;
        const rows = await trx.selectFrom('evalProviderScores').selectAll().where('runId', '=', latest.id).execute();
        if (rows.length) await trx.insertInto('evalProviderScores').values(rows.map((r) => ({ runId: target, providerOrgId: r.providerOrgId, total: r.total, grade: r.grade, rank: r.rank, indicators: JSON.stringify(r.indicators) }))).execute();
      }
      const row = await trx.selectFrom('evalProviderScores').select('indicators').where('runId', '=', target).where('providerOrgId', '=', j.providerOrgId).executeTakeFirst();
      if (!row) throw new AppError('conflict', 'evaluation.provider_not_in_revision', 'The provider has no score in the month’s current revision', { runId: target });
      const doc = row.indicators as unknown as { coverage: string; results: IndicatorResult[] };
      const day = localDate(new Date());
      const revisions = input.revisions.map((v) => {
        const r = doc.results.find((x) => x.code === v.indicatorCode)!;
        const after = new Dec(String(v.score)).toFixed(2);
        const evidence = `异议受理（${day}）：${v.evidence.trim()}；原得分 ${r.score ?? '无'}`;
        const before = r.score;
        Object.assign(r, { status: 'ok', score: after, evidence });
        return { indicatorCode: v.indicatorCode, before, after, evidence };
      });
      const t = totalOf(doc.results, set.grades as unknown as GradeDef[]);
      await trx.updateTable('evalProviderScores').set({ total: t.total, grade: t.grade, indicators: JSON.stringify({ coverage: t.coverage, results: doc.results }) }).where('runId', '=', target).where('providerOrgId', '=', j.providerOrgId).execute();
      await rerank(trx, target);
      await trx.updateTable('evalObjections').set({ status: 'accepted', decisionComment: input.comment?.trim() || null, revisions: JSON.stringify(revisions), revisionRunId: target, decidedBy: ctx.actor.userId, decidedAt: new Date() }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'evaluation.objection_accepted', targetType: 'eval_objection', targetId: id, before: { runId: j.runId }, after: { revisionRunId: target, revisions } });
      await this.notifications.notify(trx, {
        recipients: { orgIds: [j.providerOrgId] }, kind: 'evaluation.objection_decided', title: `评估异议已受理：${month}`,
        body: `得分将按修订版发布：${revisions.map((v) => `${v.indicatorCode} ${v.before ?? '无'} → ${v.after}`).join('；')}`, link: `/evaluation/objections?id=${id}`,
      });
    });
    return this.get(ctx, id);
  }

  /** Rejects with a reason; the published score stays as it is. */
  async reject(ctx: RequestContext, id: string, comment: string): Promise<Objection> {
    if (!ctx.actor.scope.all) throw notFound('evaluation.objection', id);
    const reason = comment.trim();
    if (!reason) throw validationError('evaluation.invalid_decision', 'A rejection gives its reason', [{ field: 'body.comment', rule: 'not_empty', message: 'the reason of the rejection' }]);
    await withTx(this.db, ctx, async (trx) => {
      const j = await this.pendingForUpdate(trx, id);
      await trx.updateTable('evalObjections').set({ status: 'rejected', decisionComment: reason, decidedBy: ctx.actor.userId, decidedAt: new Date() }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'evaluation.objection_rejected', targetType: 'eval_objection', targetId: id, after: { comment: reason } });
      await this.notifications.notify(trx, { recipients: { orgIds: [j.providerOrgId] }, kind: 'evaluation.objection_decided', title: `评估异议未予受理：${monthText(j.month)}`, body: reason.slice(0, 1000), link: `/evaluation/objections?id=${id}` });
    });
    return this.get(ctx, id);
  }
}

/** Ranks of a run by total (best first; providers without a total have none). */
async function rerank(trx: Tx, runId: string): Promise<void> {
  const rows = await trx.selectFrom('evalProviderScores').select(['providerOrgId', 'total']).where('runId', '=', runId).execute();
  const ordered = rows.filter((r) => r.total !== null).sort((a, b) => new Dec(b.total!).comparedTo(a.total!));
  const rank = new Map(ordered.map((r, i) => [r.providerOrgId, i + 1]));
  for (const r of rows) await trx.updateTable('evalProviderScores').set({ rank: rank.get(r.providerOrgId) ?? null }).where('runId', '=', runId).where('providerOrgId', '=', r.providerOrgId).execute();
}
