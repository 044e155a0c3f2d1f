import { sql } from 'kysely';
import { hasPermission, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, forbidden, notFound, validationError, type FieldIssue } from '../../platform/errors.js';
import { Dec } from '../../platform/money.js';
import { recordAudit } from '../audit/index.js';
import { localDate } from '../calendar/index.js';
import { NotificationService } from '../notifications/index.js';
import { evidenceColumns, parseEvidence, type EvidenceInput } from './evaluation.evidence.js';
import type { IndicatorResult } from './evaluation.rules.js';

NotificationService.registerKind('evaluation.rectification', '评估整改', 'Evaluation rectification');

export type RectificationStatus = 'open' | 'replied' | 'verified' | 'returned';

export interface Rectification {
  id: string;
  runId: string;
  month: string;
  provider: { id: string; name: string };
  indicatorCode: string;
  indicatorName: string;
  origin: 'threshold' | 'reviewer';
  score: string | null;
  requirement: string;
  deadline: string;
  status: RectificationStatus;
  /** Not verified and past its deadline without a reply (or returned and past it). */
  overdue: boolean;
  /** Replied after the deadline. */
  repliedLate: boolean;
  reply: string | null;
  evidence: { name: string; size: number; sm3: string } | null;
  repliedAt: string | null;
  verifyComment: string | null;
  verifiedAt: string | null;
  createdAt: string;
  abilities: { reply: boolean; verify: boolean };
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const dayText = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : new Date(d).toISOString().slice(0, 10));
const monthText = (d: Date | string) => dayText(d).slice(0, 7);

function checkDeadline(deadline: string, issues: FieldIssue[]): void {
  if (!DAY_RE.test(deadline) || Number.isNaN(Date.parse(`${deadline}T00:00:00Z`))) issues.push({ field: 'body.deadline', rule: 'date', message: 'YYYY-MM-DD', value: deadline });
  else if (deadline < localDate(new Date())) issues.push({ field: 'body.deadline', rule: 'not_past', message: 'the deadline is today or later', value: deadline });
}

/**
 * Rectification follow-up (整改) on published provider scores: tasks for the indicators below a threshold (generated
 * from a published run) or raised by a reviewer, each with a deadline; the provider's reply with an evidence file;
 * verification by supervision or the management unit (verified, or returned for another reply); overdue shown.
 * Visibility: supervision and management all; a provider its own tasks; others none.
 */
export class RectificationService {
  constructor(
    private readonly db: Db,
    private readonly notifications: NotificationService,
  ) {}

  private async publishedRun(trx: Tx, runId: string) {
    const run = await trx.selectFrom('evalProviderRuns').selectAll().where('id', '=', runId).executeTakeFirst();
    if (!run) throw notFound('evaluation.run', runId);
    if (run.status !== 'published') throw new AppError('conflict', 'evaluation.run_not_current', `The run is ${run.status}; rectifications follow the month's current published revision`, { status: run.status, field: 'body.runId' });
    return run;
  }

  /** Tasks for every provider's indicators scored below `threshold` in a published run (existing tasks are kept). */
  async generate(ctx: RequestContext, input: { runId: string; threshold: number; deadline: string }): Promise<{ created: number; items: Rectification[] }> {
    const issues: FieldIssue[] = [];
    if (!(input.threshold > 0 && input.threshold <= 100)) issues.push({ field: 'body.threshold', rule: 'range_1_100', message: 'a score threshold above 0 and at most 100', value: input.threshold });
    checkDeadline(input.deadline, issues);
    if (issues.length) throw validationError('evaluation.invalid_rectification', 'The rectification request is incomplete or malformed; nothing was saved', issues);
    const ids = await withTx(this.db, ctx, async (trx) => {
      const run = await this.publishedRun(trx, input.runId);
      const rows = await trx.selectFrom('evalProviderScores').select(['providerOrgId', 'indicators']).where('runId', '=', run.id).execute();
      const values = rows.flatMap((r) => (r.indicators as unknown as { results: IndicatorResult[] }).results
        .filter((i) => i.score !== null && new Dec(i.score).lessThan(String(input.threshold)))
        .map((i) => ({
          runId: run.id, month: run.month, providerOrgId: r.providerOrgId, indicatorCode: i.code, indicatorName: i.name, origin: 'threshold', score: i.score, deadline: input.deadline, createdBy: ctx.actor.userId,
          requirement: `${i.dimension} / ${i.name} 得分 ${i.score}，低于 ${input.threshold} 分：请于 ${input.deadline} 前整改并提交整改材料`,
        })));
      if (!values.length) return [];
      const created = await trx.insertInto('evalRectifications').values(values).onConflict((oc) => oc.columns(['runId', 'providerOrgId', 'indicatorCode']).doNothing()).returning(['id', 'providerOrgId']).execute();
      for (const c of created) await recordAudit(trx, ctx, { action: 'evaluation.rectification_created', targetType: 'eval_rectification', targetId: c.id, after: { runId: run.id, origin: 'threshold', threshold: input.threshold } });
      const providers = [...new Set(created.map((c) => c.providerOrgId))];
      if (providers.length) {
        await this.notifications.notify(trx, { recipients: { orgIds: providers }, kind: 'evaluation.rectification', title: `评估整改任务：${monthText(run.month)}`, body: `请于 ${input.deadline} 前完成整改并提交材料`, link: '/evaluation-followup/rectifications', severity: 'warning' });
      }
      return created.map((c) => c.id);
    });
    const items = ids.length ? await this.list(ctx, { ids }) : [];
    return { created: ids.length, items };
  }

  /** A task raised by a reviewer on one indicator of a provider's published score. */
  async raise(ctx: RequestContext, input: { runId: string; providerId: string; indicatorCode: string; requirement: string; deadline: string }): Promise<Rectification> {
    const issues: FieldIssue[] = [];
    const requirement = input.requirement.trim();
    if (!requirement) issues.push({ field: 'body.requirement', rule: 'not_empty', message: 'what is to be rectified' });
    checkDeadline(input.deadline, issues);
    if (issues.length) throw validationError('evaluation.invalid_rectification', 'The rectification request is incomplete or malformed; nothing was saved', issues);
    const id = await withTx(this.db, ctx, async (trx) => {
      const run = await this.publishedRun(trx, input.runId);
      const row = await trx.selectFrom('evalProviderScores').select('indicators').where('runId', '=', run.id).where('providerOrgId', '=', input.providerId).executeTakeFirst();
      if (!row) throw validationError('evaluation.invalid_rectification', 'The provider has no score in this run', [{ field: 'body.providerId', rule: 'scored_in_run', message: 'a provider of the run', value: input.providerId }]);
      const ind = (row.indicators as unknown as { results: IndicatorResult[] }).results.find((i) => i.code === input.indicatorCode);
      if (!ind) throw validationError('evaluation.unknown_indicator', 'No such indicator in this evaluation', [{ field: 'body.indicatorCode', rule: 'exists', message: 'an indicator code of the run', value: input.indicatorCode }]);
      const created = await trx.insertInto('evalRectifications').values({
        runId: run.id, month: run.month, providerOrgId: input.providerId, indicatorCode: ind.code, indicatorName: ind.name, origin: 'reviewer', score: ind.score, requirement, deadline: input.deadline, createdBy: ctx.actor.userId,
      }).onConflict((oc) => oc.columns(['runId', 'providerOrgId', 'indicatorCode']).doNothing()).returning('id').executeTakeFirst();
      if (!created) throw new AppError('conflict', 'evaluation.rectification_exists', 'This indicator of the provider already has a rectification task for the run', { field: 'body.indicatorCode' });
      await recordAudit(trx, ctx, { action: 'evaluation.rectification_created', targetType: 'eval_rectification', targetId: created.id, after: { runId: run.id, origin: 'reviewer' } });
      await this.notifications.notify(trx, { recipients: { orgIds: [input.providerId] }, kind: 'evaluation.rectification', title: `评估整改任务：${monthText(run.month)} ${ind.name}`, body: requirement.slice(0, 1000), link: `/evaluation-followup/rectifications?id=${created.id}`, severity: 'warning' });
      return created.id;
    });
    return this.get(ctx, id);
  }

  private query(trx: Tx) {
    return trx.selectFrom('evalRectifications as x').innerJoin('organisations as o', 'o.id', 'x.providerOrgId')
      .select(['x.id', 'x.runId', 'x.month', 'x.providerOrgId', 'x.indicatorCode', 'x.indicatorName', 'x.origin', 'x.score', 'x.requirement', 'x.deadline', 'x.status', 'x.reply', 'x.evidenceName', 'x.evidenceSize', 'x.evidenceSm3', 'x.repliedAt', 'x.verifyComment', 'x.verifiedAt', 'x.createdAt', 'o.name as providerName']);
  }

  private scoped(ctx: RequestContext, trx: Tx) {
    const q = this.query(trx);
    if (ctx.actor.scope.all) return q;
    return ctx.actor.orgKind === 'cloud_provider' && ctx.actor.orgId ? q.where('x.providerOrgId', '=', ctx.actor.orgId) : q.where(sql<boolean>`false`);
  }

  private toRect(ctx: RequestContext, r: Awaited<ReturnType<ReturnType<RectificationService['query']>['executeTakeFirstOrThrow']>>): Rectification {
    const today = localDate(new Date());
    const deadline = dayText(r.deadline);
    const status = r.status as RectificationStatus;
    const own = ctx.actor.orgKind === 'cloud_provider' && ctx.actor.orgId === r.providerOrgId;
    return {
      id: r.id, runId: r.runId, month: monthText(r.month), provider: { id: r.providerOrgId, name: r.providerName }, indicatorCode: r.indicatorCode, indicatorName: r.indicatorName,
      origin: r.origin as Rectification['origin'], score: r.score === null ? null : new Dec(r.score).toFixed(2), requirement: r.requirement, deadline, status,
      overdue: (status === 'open' || status === 'returned') && today > deadline,
      repliedLate: r.repliedAt !== null && localDate(new Date(r.repliedAt)) > deadline,
      reply: r.reply, evidence: r.evidenceName ? { name: r.evidenceName, size: r.evidenceSize ?? 0, sm3: r.evidenceSm3 ?? '' } : null,
      repliedAt: iso(r.repliedAt), verifyComment: r.verifyComment, verifiedAt: iso(r.verifiedAt), createdAt: iso(r.createdAt)!,
      abilities: { reply: own && (status === 'open' || status === 'returned'), verify: ctx.actor.scope.all && hasPermission(ctx.actor, 'evaluation:score') && status === 'replied' },
    };
  }

  async list(ctx: RequestContext, q: { status?: RectificationStatus; month?: string; runId?: string; overdue?: boolean; ids?: string[] }): Promise<Rectification[]> {
    return withTx(this.db, ctx, async (trx) => {
      let query = this.scoped(ctx, trx);
      if (q.ids) query = query.where('x.id', 'in', q.ids);
      if (q.status) query = query.where('x.status', '=', q.status);
      if (q.month) query = query.where('x.month', '=', `${q.month}-01`);
      if (q.runId) query = query.where('x.runId', '=', q.runId);
      if (q.overdue) query = query.where('x.status', 'in', ['open', 'returned']).where('x.deadline', '<', localDate(new Date()));
      return (await query.orderBy('x.deadline').orderBy('o.name').orderBy('x.indicatorCode').limit(1000).execute()).map((r) => this.toRect(ctx, r));
    });
  }

  async get(ctx: RequestContext, id: string): Promise<Rectification> {
    return withTx(this.db, ctx, async (trx) => {
      const r = await this.scoped(ctx, trx).where('x.id', '=', id).executeTakeFirst();
      if (!r) throw notFound('evaluation.rectification', id);
      return this.toRect(ctx, r);
    });
  }

  async evidence(ctx: RequestContext, id: string): Promise<{ fileName: string; contentType: string; content: Buffer }> {
    await this.get(ctx, id);
    return withTx(this.db, ctx, async (trx) => {
      const r = await trx.selectFrom('evalRectifications').select(['evidenceName', 'evidenceType', 'evidence']).where('id', '=', id).executeTakeFirst();
      if (!r?.evidence) throw notFound('evaluation.rectification_evidence', id);
      return { fileName: r.evidenceName!, contentType: r.evidenceType!, content: r.evidence };
    });
  }

  /** The provider's reply with its evidence (open or returned tasks; a late reply is accepted and marked late). */
  async reply(ctx: RequestContext, id: string, input: { reply: string; evidence?: EvidenceInput | null }): Promise<Rectification> {
    if (ctx.actor.orgKind !== 'cloud_provider') throw forbidden('evaluation.rectification_provider_only', 'Only the provider replies to its rectification task');
    const issues: FieldIssue[] = [];
    const text = input.reply.trim();
    if (!text) issues.push({ field: 'body.reply', rule: 'not_empty', message: 'what was rectified' });
    const file = parseEvidence(input.evidence, 'body.evidence', issues);
    if (issues.length) throw validationError('evaluation.invalid_rectification_reply', 'The reply is incomplete or malformed; nothing was saved', issues);
    await withTx(this.db, ctx, async (trx) => {
      const row = await this.scoped(ctx, trx).where('x.id', '=', id).executeTakeFirst();
      if (!row || row.providerOrgId !== ctx.actor.orgId) throw notFound('evaluation.rectification', id);
      const before = this.toRect(ctx, row);
      const cur = await trx.selectFrom('evalRectifications').select('status').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
      if (cur.status !== 'open' && cur.status !== 'returned') throw new AppError('conflict', 'evaluation.rectification_not_open', `The task is ${cur.status}; only an open or returned task is replied to`, { status: cur.status });
      await trx.updateTable('evalRectifications').set({ status: 'replied', reply: text, repliedBy: ctx.actor.userId, repliedAt: new Date(), ...evidenceColumns(file) }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'evaluation.rectification_replied', targetType: 'eval_rectification', targetId: id, before: { status: cur.status }, after: { evidence: file ? { name: file.name, size: file.bytes.length, sm3: file.sm3 } : null } });
      await this.notifications.notify(trx, { recipients: { roleCodes: ['mgmt_staff', 'supervisor_staff'], orgKinds: ['management_unit', 'supervision_provider'] }, kind: 'evaluation.rectification', title: `整改已反馈：${before.provider.name} ${before.indicatorName}`, body: text.slice(0, 500), link: `/evaluation-followup/rectifications?id=${id}` });
    });
    return this.get(ctx, id);
  }

  /** Verification by supervision or the management unit: verified, or returned (with the reason) for another reply. */
  async verify(ctx: RequestContext, id: string, input: { outcome: 'verified' | 'returned'; comment?: string | null }): Promise<Rectification> {
    if (!ctx.actor.scope.all) throw notFound('evaluation.rectification', id);
    const comment = input.comment?.trim() || null;
    if (input.outcome === 'returned' && !comment) throw validationError('evaluation.invalid_rectification', 'A returned task says what is still missing', [{ field: 'body.comment', rule: 'required_when_returned', message: 'what is still to be rectified' }]);
    await withTx(this.db, ctx, async (trx) => {
      const cur = await trx.selectFrom('evalRectifications').select(['status', 'providerOrgId', 'indicatorName']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!cur) throw notFound('evaluation.rectification', id);
      if (cur.status !== 'replied') throw new AppError('conflict', 'evaluation.rectification_not_replied', `The task is ${cur.status}; only a replied task is verified`, { status: cur.status });
      await trx.updateTable('evalRectifications').set({ status: input.outcome, verifyComment: comment, verifiedBy: ctx.actor.userId, verifiedAt: new Date() }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: `evaluation.rectification_${input.outcome}`, targetType: 'eval_rectification', targetId: id, after: { comment } });
      await this.notifications.notify(trx, { recipients: { orgIds: [cur.providerOrgId] }, kind: 'evaluation.rectification', title: `${input.outcome === 'verified' ? '整改已验证' : '整改被退回'}：${cur.indicatorName}`, body: comment ?? '', link: `/evaluation-followup/rectifications?id=${id}` });
    });
    return this.get(ctx, id);
  }
}
