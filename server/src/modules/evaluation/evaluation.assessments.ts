import { sql } from 'kysely';
import { hasPermission, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, forbidden, notFound, validationError, type FieldIssue } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import { localDate } from '../calendar/index.js';
import { NotificationService } from '../notifications/index.js';
import { evidenceColumns, parseEvidence, type EvidenceInput } from './evaluation.evidence.js';

NotificationService.registerKind('evaluation.assessment', '建设期考核', 'Construction-phase assessment');

export type AssessmentPhase = 'initial' | 'mid';
export type AssessmentStatus = 'passed' | 'rectifying' | 'rectification_submitted' | 'reassessed' | 'exit';

/** The assessment items of seed 004 §4.3.2.2.1 (初期建设考核 (1)–(4), 中期建设考核 (1)–(5)). */
export const ASSESSMENT_ITEMS: Record<AssessmentPhase, Array<{ code: string; name: string }>> = {
  initial: [
    { code: 'basic_functions', name: '云平台基础功能和性能指标（基础服务目录、基础安全保障服务目录）' },
    { code: 'documents', name: '业务支撑文档（服务水平规范、迁移技术指导方案、使用流程及模板、应急预案及演练指导书、运维工作方案、安全管理方案、平台应急预案、年度工作计划书）' },
    { code: 'development_plan', name: '云管理平台二次开发计划、扩展功能实现计划' },
    { code: 'other', name: '其他事项' },
  ],
  mid: [
    { code: 'extended_functions', name: '支撑扩展服务的功能和性能指标' },
    { code: 'development_done', name: '二次开发功能实现，等保三级测评、商用密码应用安全性评估、云计算服务安全评估' },
    { code: 'platform_use', name: '云管理平台应用情况抽检（云主机创建和审核记录、工单记录等）' },
    { code: 'rectification_done', name: '相关整改完成情况（如有）' },
    { code: 'documents_revised', name: '业务支撑文档修订情况（如有）' },
  ],
};

/** The rectification period after a failed assessment: 初期 exactly 1 month, 中期 3 to 6 months (seed 004). */
export function rectifyMonthsRule(phase: AssessmentPhase, months: number | null | undefined): { months: number } | { issue: FieldIssue } {
  if (phase === 'initial') {
    if (months === undefined || months === null || months === 1) return { months: 1 };
    return { issue: { field: 'body.rectifyMonths', rule: 'initial_1_month', message: '初期建设考核不通过的，限期 1 个月整改', value: months } };
  }
  if (months === undefined || months === null) return { issue: { field: 'body.rectifyMonths', rule: 'required', message: '中期建设考核不通过的，视情况限期 3–6 个月整改' } };
  if (!Number.isInteger(months) || months < 3 || months > 6) return { issue: { field: 'body.rectifyMonths', rule: 'mid_3_to_6_months', message: '中期建设考核不通过的，视情况限期 3–6 个月整改', value: months } };
  return { months };
}

/** `day` plus `months` calendar months (the same day of the month, or the month's last day when it has fewer). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

export interface Assessment {
  id: string;
  provider: { id: string; name: string };
  phase: AssessmentPhase;
  attempt: number;
  previousId: string | null;
  nextId: string | null;
  assessedOn: string;
  result: 'pass' | 'fail';
  summary: string;
  findings: Array<{ item: string; name: string; passed: boolean; note: string }>;
  rectifyMonths: number | null;
  rectifyBy: string | null;
  status: AssessmentStatus;
  /** Rectifying and past the deadline without the provider's rectification report. */
  overdue: boolean;
  reply: string | null;
  evidence: { name: string; size: number; sm3: string } | null;
  repliedAt: string | null;
  createdAt: string;
  abilities: { reply: boolean; reassess: boolean };
}

export interface AssessmentInput {
  providerId: string;
  phase: AssessmentPhase;
  assessedOn: string;
  result: 'pass' | 'fail';
  summary: string;
  findings: Array<{ item: string; passed: boolean; note?: string | null }>;
  rectifyMonths?: number | null;
  /** The failed first assessment this second one (二次考核) follows. */
  previousId?: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const dayText = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : new Date(d).toISOString().slice(0, 10));
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Construction-phase assessments (建设期考核): 初期 and 中期 records per provider, organised by the management unit and
 * carried out by supervision (evaluation:score), with the result and findings per seed item. A failed first assessment
 * sets the rectification deadline (初期 1 month, 中期 3–6 months after the assessment day), the provider reports its
 * rectification with evidence, and a second assessment follows; failing the second → 退出机制. Overdue = rectifying
 * past the deadline without a report. A provider sees its own records; a unit none.
 */
export class AssessmentService {
  constructor(
    private readonly db: Db,
    private readonly notifications: NotificationService,
  ) {}

  async record(ctx: RequestContext, input: AssessmentInput): Promise<Assessment> {
    if (!ctx.actor.scope.all) throw forbidden('evaluation.assessment_supervision_only', 'Assessments are recorded by supervision or the management unit');
    const issues: FieldIssue[] = [];
    const summary = input.summary.trim();
    if (!summary) issues.push({ field: 'body.summary', rule: 'not_empty', message: 'the assessment’s conclusion' });
    if (!DAY_RE.test(input.assessedOn) || Number.isNaN(Date.parse(`${input.assessedOn}T00:00:00Z`))) issues.push({ field: 'body.assessedOn', rule: 'date', message: 'YYYY-MM-DD', value: input.assessedOn });
    else if (input.assessedOn > localDate(new Date())) issues.push({ field: 'body.assessedOn', rule: 'not_future', message: 'the day the assessment was held', value: input.assessedOn });
    const items = ASSESSMENT_ITEMS[input.phase];
    const seen = new Set<string>();
    input.findings.forEach((f, i) => {
      if (!items.some((x) => x.code === f.item)) issues.push({ field: `body.findings[${i}].item`, rule: 'assessment_item', message: `one of ${items.map((x) => x.code).join(', ')}`, value: f.item });
      else if (seen.has(f.item)) issues.push({ field: `body.findings[${i}].item`, rule: 'unique', message: 'each item once', value: f.item });
      seen.add(f.item);
      if (!f.passed && !f.note?.trim()) issues.push({ field: `body.findings[${i}].note`, rule: 'required_when_failed', message: 'what was found' });
    });
    if (input.result === 'fail' && !input.findings.some((f) => !f.passed)) issues.push({ field: 'body.findings', rule: 'failed_item', message: 'a failed assessment names at least one failed item' });
    if (input.result === 'pass' && input.findings.some((f) => !f.passed)) issues.push({ field: 'body.result', rule: 'items_passed', message: 'an assessment with a failed item does not pass' });
    let rectifyMonths: number | null = null;
    const second = !!input.previousId;
    if (input.result === 'fail' && !second) {
      const rule = rectifyMonthsRule(input.phase, input.rectifyMonths);
      if ('issue' in rule) issues.push(rule.issue);
      else rectifyMonths = rule.months;
    } else if (input.rectifyMonths !== undefined && input.rectifyMonths !== null) {
      issues.push({ field: 'body.rectifyMonths', rule: second ? 'second_attempt' : 'only_when_failed', message: second ? 'a second failure goes to the exit mechanism, without a new period' : 'a rectification period follows a failed assessment only', value: input.rectifyMonths });
    }
    if (issues.length) throw validationError('evaluation.invalid_assessment', 'The assessment is incomplete or malformed; nothing was saved', issues);

    const id = await withTx(this.db, ctx, async (trx) => {
      const p = await trx.selectFrom('organisations').select(['id', 'kind']).where('id', '=', input.providerId).executeTakeFirst();
      if (!p || p.kind !== 'cloud_provider') throw validationError('evaluation.not_provider', 'Not a cloud provider', [{ field: 'body.providerId', rule: 'cloud_provider', message: 'a cloud provider', value: input.providerId }]);
      let attempt = 1;
      if (input.previousId) {
        const prev = await trx.selectFrom('evalConstructionAssessments').selectAll().where('id', '=', input.previousId).forUpdate().executeTakeFirst();
        if (!prev || prev.providerOrgId !== input.providerId || prev.phase !== input.phase) {
          throw validationError('evaluation.invalid_assessment', 'The previous assessment is not this provider’s of this phase', [{ field: 'body.previousId', rule: 'same_provider_and_phase', message: 'a failed first assessment of this provider and phase', value: input.previousId }]);
        }
        if (prev.attempt !== 1 || prev.result !== 'fail' || !['rectifying', 'rectification_submitted'].includes(prev.status)) {
          throw new AppError('conflict', 'evaluation.assessment_not_reassessable', `The previous assessment is ${prev.status} (attempt ${prev.attempt}); a second assessment follows a failed first one once`, { status: prev.status, field: 'body.previousId' });
        }
        if (input.assessedOn < dayText(prev.assessedOn)) throw validationError('evaluation.invalid_assessment', 'The second assessment is after the first', [{ field: 'body.assessedOn', rule: 'after_previous', message: `on or after ${dayText(prev.assessedOn)}`, value: input.assessedOn }]);
        attempt = 2;
        await trx.updateTable('evalConstructionAssessments').set({ status: 'reassessed' }).where('id', '=', prev.id).execute();
      }
      const status: AssessmentStatus = input.result === 'pass' ? 'passed' : attempt === 2 ? 'exit' : 'rectifying';
      const rectifyBy = rectifyMonths === null ? null : addMonths(input.assessedOn, rectifyMonths);
      const row = await trx.insertInto('evalConstructionAssessments').values({
        providerOrgId: input.providerId, phase: input.phase, attempt, previousId: input.previousId ?? null, assessedOn: input.assessedOn, result: input.result, summary,
        findings: JSON.stringify(input.findings.map((f) => ({ item: f.item, passed: f.passed, note: f.note?.trim() ?? '' }))), rectifyMonths, rectifyBy, status, createdBy: ctx.actor.userId,
      }).returning('id').executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'evaluation.assessment_recorded', targetType: 'eval_construction_assessment', targetId: row.id, after: { phase: input.phase, attempt, result: input.result, rectifyBy, status } });
      const phaseCn = input.phase === 'initial' ? '初期建设考核' : '中期建设考核';
      const body = status === 'passed' ? '考核通过' : status === 'exit' ? '两次考核不通过，按退出机制处理' : `考核不通过，请于 ${rectifyBy} 前完成整改并提交整改报告，届时进行二次考核`;
      await this.notifications.notify(trx, { recipients: { orgIds: [input.providerId] }, kind: 'evaluation.assessment', title: `${phaseCn}${attempt === 2 ? '（二次考核）' : ''}结果`, body, link: `/evaluation-followup/assessments?id=${row.id}`, severity: status === 'passed' ? 'info' : 'warning' });
      return row.id;
    });
    return this.get(ctx, id);
  }

  private query(trx: Tx) {
    return trx.selectFrom('evalConstructionAssessments as a').innerJoin('organisations as o', 'o.id', 'a.providerOrgId')
      .leftJoin('evalConstructionAssessments as n', 'n.previousId', 'a.id')
      .select(['a.id', 'a.providerOrgId', 'a.phase', 'a.attempt', 'a.previousId', 'a.assessedOn', 'a.result', 'a.summary', 'a.findings', 'a.rectifyMonths', 'a.rectifyBy', 'a.status', 'a.reply', 'a.evidenceName', 'a.evidenceSize', 'a.evidenceSm3', 'a.repliedAt', 'a.createdAt', 'o.name as providerName', 'n.id as nextId']);
  }

  private scoped(ctx: RequestContext, trx: Tx) {
    const q = this.query(trx);
    if (ctx.actor.scope.all) return q;
    return ctx.actor.orgKind === 'cloud_provider' && ctx.actor.orgId ? q.where('a.providerOrgId', '=', ctx.actor.orgId) : q.where(sql<boolean>`false`);
  }

  private toAssessment(ctx: RequestContext, r: Awaited<ReturnType<ReturnType<AssessmentService['query']>['executeTakeFirstOrThrow']>>): Assessment {
    const phase = r.phase as AssessmentPhase;
    const status = r.status as AssessmentStatus;
    const rectifyBy = r.rectifyBy === null ? null : dayText(r.rectifyBy);
    const names = new Map(ASSESSMENT_ITEMS[phase].map((x) => [x.code, x.name]));
    return {
      id: r.id, provider: { id: r.providerOrgId, name: r.providerName }, phase, attempt: r.attempt, previousId: r.previousId, nextId: r.nextId ?? null, assessedOn: dayText(r.assessedOn),
      result: r.result as Assessment['result'], summary: r.summary,
      findings: (r.findings as unknown as Array<{ item: string; passed: boolean; note: string }>).map((f) => ({ ...f, name: names.get(f.item) ?? f.item })),
      rectifyMonths: r.rectifyMonths, rectifyBy, status, overdue: status === 'rectifying' && rectifyBy !== null && localDate(new Date()) > rectifyBy,
      reply: r.reply, evidence: r.evidenceName ? { name: r.evidenceName, size: r.evidenceSize ?? 0, sm3: r.evidenceSm3 ?? '' } : null, repliedAt: iso(r.repliedAt), createdAt: iso(r.createdAt)!,
      abilities: {
        reply: ctx.actor.orgKind === 'cloud_provider' && ctx.actor.orgId === r.providerOrgId && status === 'rectifying',
        reassess: ctx.actor.scope.all && hasPermission(ctx.actor, 'evaluation:score') && (status === 'rectifying' || status === 'rectification_submitted'),
      },
    };
  }

  async list(ctx: RequestContext, q: { providerId?: string; phase?: AssessmentPhase; overdue?: boolean }): Promise<Assessment[]> {
    return withTx(this.db, ctx, async (trx) => {
      let query = this.scoped(ctx, trx);
      if (q.providerId) query = query.where('a.providerOrgId', '=', q.providerId);
      if (q.phase) query = query.where('a.phase', '=', q.phase);
      if (q.overdue) query = query.where('a.status', '=', 'rectifying').where('a.rectifyBy', '<', localDate(new Date()));
      return (await query.orderBy('a.assessedOn', 'desc').orderBy('a.createdAt', 'desc').limit(500).execute()).map((r) => this.toAssessment(ctx, r));
    });
  }

  async get(ctx: RequestContext, id: string): Promise<Assessment> {
    return withTx(this.db, ctx, async (trx) => {
      const r = await this.scoped(ctx, trx).where('a.id', '=', id).executeTakeFirst();
      if (!r) throw notFound('evaluation.assessment', id);
      return this.toAssessment(ctx, r);
    });
  }

  async evidence(ctx: RequestContext, id: string): Promise<{ fileName: string; contentType: string; content: Buffer }> {
    await this.get(ctx, id);
    return withTx(this.db, ctx, async (trx) => {
      const r = await trx.selectFrom('evalConstructionAssessments').select(['evidenceName', 'evidenceType', 'evidence']).where('id', '=', id).executeTakeFirst();
      if (!r?.evidence) throw notFound('evaluation.assessment_evidence', id);
      return { fileName: r.evidenceName!, contentType: r.evidenceType!, content: r.evidence };
    });
  }

  /** The provider's rectification report (整改报告) with evidence, before the second assessment. */
  async reply(ctx: RequestContext, id: string, input: { reply: string; evidence?: EvidenceInput | null }): Promise<Assessment> {
    if (ctx.actor.orgKind !== 'cloud_provider') throw forbidden('evaluation.assessment_provider_only', 'Only the assessed provider reports its rectification');
    const issues: FieldIssue[] = [];
    const text = input.reply.trim();
    if (!text) issues.push({ field: 'body.reply', rule: 'not_empty', message: 'what was rectified' });
    const file = parseEvidence(input.evidence, 'body.evidence', issues);
    if (issues.length) throw validationError('evaluation.invalid_assessment_reply', 'The rectification report is incomplete or malformed; nothing was saved', issues);
    await withTx(this.db, ctx, async (trx) => {
      const r = await this.scoped(ctx, trx).where('a.id', '=', id).executeTakeFirst();
      if (!r || r.providerOrgId !== ctx.actor.orgId) throw notFound('evaluation.assessment', id);
      const cur = await trx.selectFrom('evalConstructionAssessments').select('status').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
      if (cur.status !== 'rectifying') throw new AppError('conflict', 'evaluation.assessment_not_rectifying', `The assessment is ${cur.status}; a rectification report follows a failed first assessment`, { status: cur.status });
      await trx.updateTable('evalConstructionAssessments').set({ status: 'rectification_submitted', reply: text, repliedBy: ctx.actor.userId, repliedAt: new Date(), ...evidenceColumns(file) }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'evaluation.assessment_rectified', targetType: 'eval_construction_assessment', targetId: id, after: { evidence: file ? { name: file.name, size: file.bytes.length, sm3: file.sm3 } : null } });
      await this.notifications.notify(trx, { recipients: { roleCodes: ['mgmt_staff', 'supervisor_staff'], orgKinds: ['management_unit', 'supervision_provider'] }, kind: 'evaluation.assessment', title: `建设期考核整改报告：${r.providerName}`, body: text.slice(0, 500), link: `/evaluation-followup/assessments?id=${id}` });
    });
    return this.get(ctx, id);
  }
}
