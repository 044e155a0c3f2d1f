import { sql } from 'kysely';
import { hasPermission, systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound, validationError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import type { DocumentsService, RenderedDocument } from '../documents/index.js';
import type { NotificationService, Recipients } from '../notifications/index.js';
import { rendered, reportSections, quarterSections, type Report, type Section } from './evaluation.report.js';
import type { EvaluationService } from './evaluation.service.js';

export type ReportKind = 'monthly' | 'quarterly';
export type ReportStatus = 'draft' | 'submitted' | 'published' | 'superseded';

/** The sections a template can switch on and off and order, per report kind (keys → the generated titles). */
export const SECTION_KEYS: Record<ReportKind, ReadonlyArray<{ key: string; title: string }>> = {
  monthly: [
    { key: 'overview', title: '总体情况' },
    { key: 'efficiency', title: '单位云效率' },
    { key: 'advice', title: '资源优化建议' },
    { key: 'providers', title: '云服务商月度评估' },
    { key: 'security', title: '安全监测' },
    { key: 'operations', title: '日常运维管理' },
    { key: 'sla', title: 'SLA 达标情况' },
    { key: 'servicedesk', title: '服务台统计' },
  ],
  quarterly: [
    { key: 'scope', title: '评估范围' },
    { key: 'ranking', title: '季度排名' },
    { key: 'dimensions', title: '分维度得分' },
  ],
};

export interface TemplateSection { key: string; enabled: boolean }

export interface ReportTemplate {
  id: string | null;
  kind: ReportKind;
  /** 0 = the built-in default (nothing saved yet). */
  version: number;
  sections: Array<TemplateSection & { title: string }>;
  intro: string;
  conclusion: string;
  autoDraft: boolean;
  authorUserId: string | null;
  note: string | null;
  createdAt: Date | null;
  latest: boolean;
}

export interface TemplateInput {
  sections: TemplateSection[];
  intro?: string;
  conclusion?: string;
  autoDraft?: boolean;
  authorUserId?: string | null;
  note?: string | null;
}

export interface GeneratedReport {
  id: string;
  kind: ReportKind;
  period: string;
  setCode: string | null;
  revision: number;
  status: ReportStatus;
  templateVersion: number;
  title: string;
  dueDate: string | null;
  origin: 'manual' | 'scheduled';
  sections: string[];
  authorUserId: string | null;
  generatedAt: Date;
  submittedAt: Date | null;
  publishedAt: Date | null;
  reviewComment: string | null;
  abilities: { regenerate: boolean; submit: boolean; publish: boolean; return: boolean };
}

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'];
const bare = (title: string) => title.replace(/^[一二三四五六七八九十]+、/, '');
const titleOf = (kind: ReportKind, key: string) => SECTION_KEYS[kind].find((s) => s.key === key)?.title ?? key;

/** The built-in template: every section in the generator's order, no text blocks. */
export function defaultTemplate(kind: ReportKind): ReportTemplate {
  return { id: null, kind, version: 0, sections: SECTION_KEYS[kind].map((s) => ({ key: s.key, enabled: true, title: s.title })), intro: '', conclusion: '', autoDraft: false, authorUserId: null, note: null, createdAt: null, latest: true };
}

/** Checks a template's sections: known keys of the kind, each once, at least one switched on. */
export function validateTemplate(kind: ReportKind, input: TemplateInput): void {
  const known = new Set(SECTION_KEYS[kind].map((s) => s.key));
  const seen = new Set<string>();
  const issues = [] as Array<{ field: string; rule: string; message: string; value?: unknown }>;
  input.sections.forEach((s, i) => {
    if (!known.has(s.key)) issues.push({ field: `body.sections[${i}].key`, rule: 'known_section', message: `unknown section of a ${kind} report; one of ${[...known].join(', ')}`, value: s.key });
    else if (seen.has(s.key)) issues.push({ field: `body.sections[${i}].key`, rule: 'unique', message: 'each section once', value: s.key });
    seen.add(s.key);
  });
  if (!input.sections.some((s) => s.enabled)) issues.push({ field: 'body.sections', rule: 'one_enabled', message: 'switch on at least one section' });
  if (issues.length) throw validationError('evaluation.template_invalid', issues[0]!.message, issues);
}

/**
 * Applies a template to the generated sections: the template's order, disabled sections left out, sections the
 * template does not know yet (added to the generator later) kept at the end, the intro first and the conclusion last,
 * numbered again 一、二、….
 */
export function applyTemplate(kind: ReportKind, report: Report, tpl: Pick<ReportTemplate, 'sections' | 'intro' | 'conclusion'>): Report {
  const byKey = new Map<string, Section>();
  const unknown: Section[] = [];
  for (const s of report.sections) {
    const key = SECTION_KEYS[kind].find((k) => k.title === bare(s.title))?.key;
    if (key) byKey.set(key, s);
    else unknown.push(s);
  }
  const listed = new Set(tpl.sections.map((s) => s.key));
  const chosen: Section[] = [];
  for (const s of tpl.sections) if (s.enabled && byKey.has(s.key)) chosen.push(byKey.get(s.key)!);
  for (const k of SECTION_KEYS[kind]) if (!listed.has(k.key) && byKey.has(k.key)) chosen.push(byKey.get(k.key)!);
  chosen.push(...unknown);
  const out: Section[] = [];
  const paragraphs = (text: string) => text.split(/\n+/).map((p) => p.trim()).filter(Boolean);
  if (tpl.intro.trim()) out.push({ title: '前言', paragraphs: paragraphs(tpl.intro) });
  chosen.forEach((s) => out.push({ ...s, title: `${NUMERALS[out.filter((x) => x.title !== '前言').length] ?? out.length + 1}、${bare(s.title)}` }));
  if (tpl.conclusion.trim()) out.push({ title: `${NUMERALS[out.filter((x) => x.title !== '前言').length] ?? out.length + 1}、结论与建议`, paragraphs: paragraphs(tpl.conclusion) });
  return { ...report, sections: out };
}

type StoredSection = Omit<Section, 'chart'> & { chart?: { png: string; width: number; height: number } };
function toStored(r: Report): { title: string; due: string | null; sections: StoredSection[] } {
  return { title: r.title, due: r.due, sections: r.sections.map(({ chart, ...rest }): StoredSection => (chart ? { ...rest, chart: { ...chart, png: chart.png.toString('base64') } } : rest)) };
}
function fromStored(c: { title: string; due: string | null; sections: StoredSection[] }): Report {
  return { title: c.title, due: c.due, sections: c.sections.map(({ chart, ...rest }): Section => (chart ? { ...rest, chart: { ...chart, png: Buffer.from(chart.png, 'base64') } } : rest)) };
}

const QUARTER = /^\d{4}-Q[1-4]$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Editable report templates (versioned per management unit) and generated reports (月报 / 季评) with their review
 * cycle: draft → submitted (提交审核) → published (发布); the reviewer may return a submitted report to draft.
 * Regenerating a draft replaces its content in place; regenerating a published report makes a new revision (the
 * published one stays unchanged and becomes superseded when the new one is published). The content is stored when
 * generated, so a published report never changes; the template version used is recorded on the report.
 */
export class EvaluationReportsService {
  constructor(
    private readonly db: Db,
    private readonly evaluation: EvaluationService,
    private readonly documents: DocumentsService,
    private readonly notifications: NotificationService,
  ) {}

  private owner(ctx: RequestContext): string {
    if (!ctx.actor.orgId || ctx.actor.orgKind !== 'management_unit') throw new AppError('forbidden', 'evaluation.reports_management_only', 'Report templates and reports belong to the management unit');
    return ctx.actor.orgId;
  }

  private async templateRows(trx: Tx, ownerOrgId: string, kind: ReportKind): Promise<ReportTemplate[]> {
    const rows = await trx.selectFrom('evalReportTemplates').selectAll().where('ownerOrgId', '=', ownerOrgId).where('kind', '=', kind).orderBy('version', 'desc').execute();
    return rows.map((r, i) => ({
      id: r.id, kind, version: r.version,
      sections: (r.sections as unknown as TemplateSection[]).map((s) => ({ ...s, title: titleOf(kind, s.key) })),
      intro: r.intro, conclusion: r.conclusion, autoDraft: r.autoDraft, authorUserId: r.authorUserId, note: r.note, createdAt: r.createdAt, latest: i === 0,
    }));
  }

  private async current(trx: Tx, ownerOrgId: string, kind: ReportKind): Promise<ReportTemplate> {
    return (await this.templateRows(trx, ownerOrgId, kind))[0] ?? defaultTemplate(kind);
  }

  /** Every saved version of the caller's template of a kind, newest first (the built-in default when none is saved). */
  async templates(ctx: RequestContext, kind: ReportKind): Promise<ReportTemplate[]> {
    const owner = this.owner(ctx);
    return withTx(this.db, ctx, async (trx) => {
      const rows = await this.templateRows(trx, owner, kind);
      return rows.length ? rows : [defaultTemplate(kind)];
    });
  }

  /** Saves a new version of the caller's template; reports generated before keep the version they were made with. */
  async saveTemplate(ctx: RequestContext, kind: ReportKind, input: TemplateInput): Promise<ReportTemplate> {
    const owner = this.owner(ctx);
    validateTemplate(kind, input);
    return withTx(this.db, ctx, async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`eval_report_templates:${owner}:${kind}`}))`.execute(trx);
      const [cur] = await this.templateRows(trx, owner, kind);
      const version = (cur?.version ?? 0) + 1;
      try {
        await trx.insertInto('evalReportTemplates').values({
          ownerOrgId: owner, kind, version, sections: JSON.stringify(input.sections.map((s) => ({ key: s.key, enabled: s.enabled }))),
          intro: input.intro ?? '', conclusion: input.conclusion ?? '', autoDraft: input.autoDraft ?? false, authorUserId: input.authorUserId ?? null, note: input.note ?? null, createdBy: ctx.actor.userId,
        }).execute();
      } catch (e) {
        if ((e as { code?: string }).code === '23503') throw validationError('evaluation.template_author', 'authorUserId is not a user', [{ field: 'body.authorUserId', rule: 'exists', message: 'not a user of the platform', value: input.authorUserId }]);
        throw e;
      }
      await recordAudit(trx, ctx, { action: 'evaluation.report_template', targetType: 'eval_report_template', targetId: `${kind}:${version}`, after: { ...input } });
      return (await this.templateRows(trx, owner, kind))[0]!;
    });
  }

  private view(r: { id: string; kind: string; period: string; setCode: string | null; revision: number; status: string; templateVersion: number; title: string; dueDate: string | null; origin: string; content: unknown; authorUserId: string | null; generatedAt: Date; submittedAt: Date | null; publishedAt: Date | null; reviewComment: string | null }, ctx: RequestContext): GeneratedReport {
    const manage = hasPermission(ctx.actor, 'evaluation:manage');
    const status = r.status as ReportStatus;
    const due = r.dueDate === null ? null : r.dueDate.slice(0, 10);
    return {
      id: r.id, kind: r.kind as ReportKind, period: r.period, setCode: r.setCode, revision: r.revision, status, templateVersion: r.templateVersion, title: r.title,
      dueDate: due, origin: r.origin as 'manual' | 'scheduled', sections: (r.content as { sections: Array<{ title: string }> }).sections.map((s) => s.title),
      authorUserId: r.authorUserId, generatedAt: r.generatedAt, submittedAt: r.submittedAt, publishedAt: r.publishedAt, reviewComment: r.reviewComment,
      abilities: { regenerate: manage && status !== 'superseded', submit: manage && status === 'draft', publish: manage && status === 'submitted', return: manage && status === 'submitted' },
    };
  }

  private async content(kind: ReportKind, period: string, setCode: string | null, ownerOrgId: string, trx: Tx): Promise<{ report: Report; template: ReportTemplate }> {
    const template = await this.current(trx, ownerOrgId, kind);
    // The figures are the whole city's (the management unit's own reports), read as the platform.
    const sys = systemContext('evaluation.report');
    const base = kind === 'monthly' ? await reportSections(this.evaluation, sys, period) : quarterSections(await this.evaluation.quarterly(sys, { quarter: period, ...(setCode ? { setCode } : {}) }));
    return { report: applyTemplate(kind, base, template), template };
  }

  /**
   * Generates (or regenerates) the report of a period with the owner's current template. A draft or submitted report
   * is replaced in place (back to draft); a published one gets a new revision.
   */
  async generate(ctx: RequestContext, input: { kind: ReportKind; period: string; setCode?: string | null; ownerOrgId?: string; origin?: 'manual' | 'scheduled'; authorUserId?: string | null }): Promise<GeneratedReport> {
    const owner = input.ownerOrgId ?? this.owner(ctx);
    const { kind, period } = input;
    if (kind === 'monthly' ? !MONTH.test(period) : !QUARTER.test(period)) throw validationError('evaluation.report_period', kind === 'monthly' ? 'period must be a month YYYY-MM' : 'period must be a quarter YYYY-Qn', [{ field: 'body.period', rule: kind === 'monthly' ? 'month' : 'quarter', message: kind === 'monthly' ? 'a month YYYY-MM' : 'a quarter YYYY-Qn', value: period }]);
    const setCode = kind === 'quarterly' ? (input.setCode ?? null) : null;
    const due = kind === 'monthly' ? await this.evaluation.reportDueDate(period) : null;
    return withTx(this.db, ctx, async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`eval_reports:${owner}:${kind}:${period}:${setCode ?? ''}`}))`.execute(trx);
      const { report, template } = await this.content(kind, period, setCode, owner, trx);
      const existing = await trx.selectFrom('evalReports').selectAll().where('ownerOrgId', '=', owner).where('kind', '=', kind).where('period', '=', period)
        .where(sql<boolean>`coalesce(set_code, '') = ${setCode ?? ''}`).orderBy('revision', 'desc').executeTakeFirst();
      const content = JSON.stringify(toStored(report));
      let id: string;
      if (existing && (existing.status === 'draft' || existing.status === 'submitted')) {
        await trx.updateTable('evalReports').set({ content, status: 'draft', templateVersion: template.version, title: report.title, dueDate: due, generatedAt: new Date(), submittedAt: null, submittedBy: null }).where('id', '=', existing.id).execute();
        id = existing.id;
      } else {
        id = (await trx.insertInto('evalReports').values({
          ownerOrgId: owner, kind, period, setCode, revision: (existing?.revision ?? 0) + 1, status: 'draft', templateVersion: template.version, title: report.title, dueDate: due,
          origin: input.origin ?? 'manual', content, authorUserId: input.authorUserId ?? template.authorUserId ?? ctx.actor.userId,
        }).returning('id').executeTakeFirstOrThrow()).id;
      }
      await recordAudit(trx, ctx, { action: 'evaluation.report_generate', targetType: 'eval_report', targetId: id, after: { kind, period, setCode, templateVersion: template.version } });
      return this.view(await trx.selectFrom('evalReports').selectAll().where('id', '=', id).executeTakeFirstOrThrow(), ctx);
    });
  }

  /** The caller's reports, newest period first. */
  async list(ctx: RequestContext, q: { kind?: ReportKind; period?: string }): Promise<GeneratedReport[]> {
    const owner = this.owner(ctx);
    return withTx(this.db, ctx, async (trx) => {
      let qb = trx.selectFrom('evalReports').selectAll().where('ownerOrgId', '=', owner);
      if (q.kind) qb = qb.where('kind', '=', q.kind);
      if (q.period) qb = qb.where('period', '=', q.period);
      return (await qb.orderBy('period', 'desc').orderBy('revision', 'desc').limit(200).execute()).map((r) => this.view(r, ctx));
    });
  }

  private async row(trx: Tx, ctx: RequestContext, id: string) {
    const owner = this.owner(ctx);
    const r = await trx.selectFrom('evalReports').selectAll().where('id', '=', id).where('ownerOrgId', '=', owner).executeTakeFirst();
    if (!r) throw notFound('evaluation.report', id);
    return r;
  }

  async get(ctx: RequestContext, id: string): Promise<GeneratedReport> {
    return withTx(this.db, ctx, async (trx) => this.view(await this.row(trx, ctx, id), ctx));
  }

  /** The stored report as .docx or a signed PDF (the content as generated, whatever the data says now). */
  async document(ctx: RequestContext, id: string, format: 'docx' | 'pdf'): Promise<RenderedDocument> {
    const r = await withTx(this.db, ctx, async (trx) => this.row(trx, ctx, id));
    const stem = `${r.kind === 'monthly' ? '综合监管月报' : '云服务商季评'}-${r.period}${r.setCode ? `-${r.setCode}` : ''}-r${r.revision}`;
    return rendered(this.documents, ctx, fromStored(r.content as never), stem, r.kind === 'monthly' ? 'evaluation-monthly-report' : 'evaluation-quarterly-report', format);
  }

  private async transition(ctx: RequestContext, id: string, from: ReportStatus, action: 'submit' | 'publish' | 'return', comment: string | null): Promise<GeneratedReport> {
    return withTx(this.db, ctx, async (trx) => {
      const r = await this.row(trx, ctx, id);
      if (r.status !== from) throw new AppError('conflict', 'evaluation.report_state', `The report is ${r.status}; ${action} needs it ${from}`, { status: r.status });
      const now = new Date();
      if (action === 'submit') await trx.updateTable('evalReports').set({ status: 'submitted', submittedAt: now, submittedBy: ctx.actor.userId }).where('id', '=', id).execute();
      if (action === 'return') await trx.updateTable('evalReports').set({ status: 'draft', reviewedBy: ctx.actor.userId, reviewComment: comment }).where('id', '=', id).execute();
      if (action === 'publish') {
        await trx.updateTable('evalReports').set({ status: 'superseded' }).where('ownerOrgId', '=', r.ownerOrgId).where('kind', '=', r.kind).where('period', '=', r.period)
          .where(sql<boolean>`coalesce(set_code, '') = ${r.setCode ?? ''}`).where('status', '=', 'published').execute();
        await trx.updateTable('evalReports').set({ status: 'published', publishedAt: now, reviewedBy: ctx.actor.userId, reviewComment: comment }).where('id', '=', id).execute();
      }
      await recordAudit(trx, ctx, { action: `evaluation.report_${action}`, targetType: 'eval_report', targetId: id, after: { comment } });
      return this.view(await this.row(trx, ctx, id), ctx);
    });
  }

  /** 提交审核: draft → submitted. */
  submit(ctx: RequestContext, id: string): Promise<GeneratedReport> {
    return this.transition(ctx, id, 'draft', 'submit', null);
  }

  /** 审核发布: submitted → published; an earlier published revision becomes superseded (kept). */
  publish(ctx: RequestContext, id: string, comment: string | null): Promise<GeneratedReport> {
    return this.transition(ctx, id, 'submitted', 'publish', comment);
  }

  /** 退回: submitted → draft with the reviewer's comment. */
  returnToDraft(ctx: RequestContext, id: string, comment: string): Promise<GeneratedReport> {
    return this.transition(ctx, id, 'submitted', 'return', comment);
  }

  /** Who is asked to write a report: the template's author, else the owner's management staff. */
  static recipients(ownerOrgId: string, authorUserId: string | null): Recipients {
    return authorUserId ? { userIds: [authorUserId] } : { orgIds: [ownerOrgId], roleCodes: ['mgmt_staff'] };
  }

  /**
   * The scheduled drafts: for every management unit whose latest monthly template has `autoDraft`, the month's 月报
   * draft (idempotent: a month that has a report already is left alone), due on the 5th working day of the next
   * month, with a to-do notification to its author. Returns the drafts made now.
   */
  async scheduledDrafts(month: string, only?: { ownerOrgIds: string[] }): Promise<GeneratedReport[]> {
    const sys = systemContext('evaluation.report-drafts');
    const owners = await withTx(this.db, sys, async (trx) => {
      let qb = trx.selectFrom('evalReportTemplates as t').select(['t.ownerOrgId', 't.autoDraft', 't.authorUserId', 't.version']).where('t.kind', '=', 'monthly')
        .where('t.version', '=', (eb) => eb.selectFrom('evalReportTemplates as u').select((e) => e.fn.max('u.version').as('v')).whereRef('u.ownerOrgId', '=', 't.ownerOrgId').where('u.kind', '=', 'monthly'));
      if (only) qb = qb.where('t.ownerOrgId', 'in', only.ownerOrgIds.length ? only.ownerOrgIds : ['00000000-0000-0000-0000-000000000000']);
      const rows = (await qb.execute()).filter((r) => r.autoDraft);
      const out: typeof rows = [];
      for (const r of rows) {
        const has = await trx.selectFrom('evalReports').select('id').where('ownerOrgId', '=', r.ownerOrgId).where('kind', '=', 'monthly').where('period', '=', month).executeTakeFirst();
        if (!has) out.push(r);
      }
      return out;
    });
    const made: GeneratedReport[] = [];
    for (const o of owners) {
      const rep = await this.generate(sys, { kind: 'monthly', period: month, ownerOrgId: o.ownerOrgId, origin: 'scheduled', authorUserId: o.authorUserId });
      await this.notifications.notify(null, {
        recipients: EvaluationReportsService.recipients(o.ownerOrgId, o.authorUserId),
        kind: 'evaluation.report_draft',
        title: `待办：编写${month}综合监管月报`,
        body: `${month} 月报草稿已按模板第 ${rep.templateVersion} 版生成，请于 ${rep.dueDate}（次月前 5 个工作日内）前完成编写、提交审核并发布。`,
        link: `/evaluation/reports?report=${rep.id}`,
        severity: 'info',
      });
      made.push(rep);
    }
    return made;
  }

  /** Reports not yet published with a due date, for the deadline warnings (预警 / 到期 / 升级) of the notifications module. */
  async openWithDueDates(): Promise<Array<{ id: string; ownerOrgId: string; period: string; title: string; dueDate: string; generatedAt: Date; authorUserId: string | null }>> {
    return withTx(this.db, systemContext('evaluation.report-deadlines'), async (trx) => {
      const rows = await trx.selectFrom('evalReports').select(['id', 'ownerOrgId', 'period', 'title', 'dueDate', 'generatedAt', 'authorUserId', 'status']).where('status', 'in', ['draft', 'submitted']).where('dueDate', 'is not', null).limit(500).execute();
      return rows.map((r) => ({ id: r.id, ownerOrgId: r.ownerOrgId, period: r.period, title: r.title, dueDate: String(r.dueDate).slice(0, 10), generatedAt: r.generatedAt, authorUserId: r.authorUserId }));
    });
  }
}
