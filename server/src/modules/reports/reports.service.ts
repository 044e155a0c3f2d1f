import { hasPermission, systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import { AppError, notFound, validationError, type FieldIssue } from '../../platform/errors.js';
import type { AccessService } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import { userActor } from '../auth/index.js';
import type { DocumentsService, RenderedDocument } from '../documents/index.js';
import type { NotificationService } from '../notifications/index.js';
import { datasets, MAX_ROWS, type Dataset, type DatasetColumn, type DatasetDeps, type DatasetFilter, type Row } from './reports.datasets.js';

export type Schedule = 'none' | 'weekly' | 'monthly';

export interface DefinitionInput {
  name: string;
  dataset: string;
  columns: string[];
  filters?: Record<string, string>;
  schedule?: Schedule;
}

export interface ReportDefinition {
  id: string;
  name: string;
  dataset: string;
  datasetName: string;
  columns: string[];
  filters: Record<string, string>;
  schedule: Schedule;
  lastScheduledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReportResult {
  definition: ReportDefinition;
  columns: Array<{ key: string; label: string }>;
  rows: Row[];
  truncated: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The first instant of the current schedule period in Asia/Shanghai: Monday 00:00 (weekly) or the 1st (monthly). */
export function periodStart(schedule: Exclude<Schedule, 'none'>, now: Date): Date {
  const local = new Date(now.getTime() + 8 * 3_600_000);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const d = local.getUTCDate();
  const start = schedule === 'monthly' ? Date.UTC(y, m, 1) : Date.UTC(y, m, d - ((local.getUTCDay() + 6) % 7));
  return new Date(start - 8 * 3_600_000);
}

/**
 * 报表管理: a person's saved tabular reports over the datasets of other modules (read through their public services
 * with the person's own context, so a unit sees its rows only), exported to a signed .xlsx, run on demand or on a
 * weekly / monthly schedule (the .xlsx delivered as a notification with a download link). A definition is its
 * owner's alone (another person's id answers 404).
 */
export class ReportsService {
  private readonly catalog: Dataset[];

  constructor(
    private readonly db: Db,
    deps: DatasetDeps,
    private readonly documents: DocumentsService,
    private readonly notifications: NotificationService,
    private readonly access: AccessService,
  ) {
    this.catalog = datasets(deps);
  }

  private user(ctx: RequestContext): { userId: string; orgId: string } {
    if (ctx.actor.kind !== 'user' || !ctx.actor.userId || !ctx.actor.orgId) throw new AppError('forbidden', 'reports.user_only', 'Saved reports belong to a signed-in person');
    if (!ctx.actor.businessAccess) throw new AppError('forbidden', 'reports.no_business_access', 'The three administrators read no business data');
    return { userId: ctx.actor.userId, orgId: ctx.actor.orgId };
  }

  /** The datasets the caller may read (its permissions), with their columns and filters. */
  datasetsFor(ctx: RequestContext): Array<Omit<Dataset, 'fetch' | 'columns' | 'filters'> & { columns: DatasetColumn[]; filters: Array<Omit<DatasetFilter, 'options'> & { options?: Array<{ value: string; label: string }> }> }> {
    return this.catalog.filter((d) => hasPermission(ctx.actor, d.permission) && ctx.actor.businessAccess)
      .map((d) => ({ code: d.code, name: d.name, permission: d.permission, columns: [...d.columns], filters: d.filters.map((f) => ({ key: f.key, label: f.label, type: f.type, ...(f.options ? { options: [...f.options] } : {}) })) }));
  }

  private dataset(ctx: RequestContext, code: string, field = 'body.dataset'): Dataset {
    const d = this.catalog.find((x) => x.code === code);
    if (!d) throw validationError('reports.unknown_dataset', `unknown dataset ${code}`, [{ field, rule: 'known_dataset', message: `one of ${this.catalog.map((x) => x.code).join(', ')}`, value: code }]);
    if (!hasPermission(ctx.actor, d.permission)) throw new AppError('forbidden', 'reports.dataset_denied', `The dataset ${d.name} needs the permission ${d.permission}`, { required: [d.permission] });
    return d;
  }

  /** Columns known to the dataset, each once, at least one; filters known, with values of their type. */
  validate(ctx: RequestContext, input: DefinitionInput): Dataset {
    const d = this.dataset(ctx, input.dataset);
    const issues: FieldIssue[] = [];
    const known = new Set(d.columns.map((c) => c.key));
    const seen = new Set<string>();
    input.columns.forEach((c, i) => {
      if (!known.has(c)) issues.push({ field: `body.columns[${i}]`, rule: 'known_column', message: `not a column of ${d.code}; one of ${[...known].join(', ')}`, value: c });
      else if (seen.has(c)) issues.push({ field: `body.columns[${i}]`, rule: 'unique', message: 'each column once', value: c });
      seen.add(c);
    });
    if (!input.columns.length) issues.push({ field: 'body.columns', rule: 'min_items', message: 'choose at least one column' });
    for (const [k, v] of Object.entries(input.filters ?? {})) {
      const f = d.filters.find((x) => x.key === k);
      const field = `body.filters.${k}`;
      if (!f) issues.push({ field, rule: 'known_filter', message: `not a filter of ${d.code}; one of ${d.filters.map((x) => x.key).join(', ')}`, value: k });
      else if (f.type === 'enum' && !f.options!.some((o) => o.value === v)) issues.push({ field, rule: 'one_of', message: `one of ${f.options!.map((o) => o.value).join(', ')}`, value: v });
      else if (f.type === 'uuid' && !UUID.test(v)) issues.push({ field, rule: 'uuid', message: 'an id (uuid)', value: v });
      else if (f.type === 'month' && !MONTH.test(v)) issues.push({ field, rule: 'month', message: 'a month YYYY-MM', value: v });
      else if (f.type === 'text' && (v.length < 1 || v.length > 100)) issues.push({ field, rule: 'length_1_100', message: '1 to 100 characters', value: v });
    }
    if (issues.length) throw validationError('reports.invalid_definition', issues[0]!.message, issues);
    return d;
  }

  private view(r: { id: string; name: string; dataset: string; columns: unknown; filters: unknown; schedule: string; lastScheduledAt: Date | null; createdAt: Date; updatedAt: Date }): ReportDefinition {
    return {
      id: r.id, name: r.name, dataset: r.dataset, datasetName: this.catalog.find((d) => d.code === r.dataset)?.name ?? r.dataset, columns: r.columns as string[], filters: r.filters as Record<string, string>,
      schedule: r.schedule as Schedule, lastScheduledAt: r.lastScheduledAt, createdAt: r.createdAt, updatedAt: r.updatedAt,
    };
  }

  async list(ctx: RequestContext): Promise<ReportDefinition[]> {
    const { userId } = this.user(ctx);
    return withTx(this.db, ctx, async (trx) => (await trx.selectFrom('reportDefinitions').selectAll().where('ownerUserId', '=', userId).orderBy('createdAt', 'desc').limit(500).execute()).map((r) => this.view(r)));
  }

  async get(ctx: RequestContext, id: string): Promise<ReportDefinition> {
    const { userId } = this.user(ctx);
    const r = await withTx(this.db, ctx, (trx) => trx.selectFrom('reportDefinitions').selectAll().where('id', '=', id).where('ownerUserId', '=', userId).executeTakeFirst());
    if (!r) throw notFound('reports.definition', id);
    return this.view(r);
  }

  async create(ctx: RequestContext, input: DefinitionInput): Promise<ReportDefinition> {
    const { userId, orgId } = this.user(ctx);
    this.validate(ctx, input);
    return withTx(this.db, ctx, async (trx) => {
      const r = await trx.insertInto('reportDefinitions').values({ ownerUserId: userId, ownerOrgId: orgId, name: input.name, dataset: input.dataset, columns: JSON.stringify(input.columns), filters: JSON.stringify(input.filters ?? {}), schedule: input.schedule ?? 'none' }).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'reports.definition_create', targetType: 'report_definition', targetId: r.id, after: { ...input } });
      return this.view(r);
    });
  }

  async update(ctx: RequestContext, id: string, input: DefinitionInput): Promise<ReportDefinition> {
    const { userId } = this.user(ctx);
    await this.get(ctx, id);
    this.validate(ctx, input);
    return withTx(this.db, ctx, async (trx) => {
      const r = await trx.updateTable('reportDefinitions').set({ name: input.name, dataset: input.dataset, columns: JSON.stringify(input.columns), filters: JSON.stringify(input.filters ?? {}), schedule: input.schedule ?? 'none', updatedAt: new Date() })
        .where('id', '=', id).where('ownerUserId', '=', userId).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'reports.definition_update', targetType: 'report_definition', targetId: id, after: { ...input } });
      return this.view(r);
    });
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    const { userId } = this.user(ctx);
    await this.get(ctx, id);
    await withTx(this.db, ctx, async (trx) => {
      await trx.deleteFrom('reportDefinitions').where('id', '=', id).where('ownerUserId', '=', userId).execute();
      await recordAudit(trx, ctx, { action: 'reports.definition_delete', targetType: 'report_definition', targetId: id });
    });
  }

  private async runDefinition(ctx: RequestContext, def: ReportDefinition): Promise<ReportResult> {
    const d = this.dataset(ctx, def.dataset);
    const { rows, truncated } = await d.fetch(ctx, def.filters, MAX_ROWS);
    const columns = def.columns.map((k) => d.columns.find((c) => c.key === k)).filter((c) => !!c).map((c) => ({ key: c.key, label: c.label }));
    return { definition: def, columns, rows: rows.map((r) => Object.fromEntries(columns.map((c) => [c.key, r[c.key] ?? null]))), truncated };
  }

  /** Runs a saved report with the caller's visibility. */
  async run(ctx: RequestContext, id: string): Promise<ReportResult> {
    return this.runDefinition(ctx, await this.get(ctx, id));
  }

  /** Runs an unsaved definition (the page's preview) with the caller's visibility. */
  async preview(ctx: RequestContext, input: DefinitionInput): Promise<ReportResult> {
    this.user(ctx);
    this.validate(ctx, input);
    const now = new Date();
    return this.runDefinition(ctx, { id: '', name: input.name, dataset: input.dataset, datasetName: '', columns: input.columns, filters: input.filters ?? {}, schedule: 'none', lastScheduledAt: null, createdAt: now, updatedAt: now });
  }

  private async xlsx(ctx: RequestContext, result: ReportResult, ranAt: Date): Promise<RenderedDocument> {
    const d = this.catalog.find((x) => x.code === result.definition.dataset)!;
    const filterText = Object.entries(result.definition.filters).map(([k, v]) => `${d.filters.find((f) => f.key === k)?.label ?? k}=${d.filters.find((f) => f.key === k)?.options?.find((o) => o.value === v)?.label ?? v}`).join('；') || '无';
    return this.documents.render(ctx, {
      docType: 'custom-report',
      title: result.definition.name,
      meta: [{ label: '数据集', value: d.name }, { label: '筛选', value: filterText }, { label: '生成时间', value: ranAt.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) }, { label: '行数', value: `${result.rows.length}${result.truncated ? `（超过 ${MAX_ROWS} 行，已截断）` : ''}` }],
      columns: result.columns.map((c) => ({ key: c.key, header: [c.label], kind: d.columns.find((x) => x.key === c.key)?.kind ?? 'text' })),
      rows: result.rows,
      sheetName: '报表',
    }, 'xlsx', { filenameStem: `${result.definition.name}-${ranAt.toISOString().slice(0, 10)}`, targetId: result.definition.id || null });
  }

  /** The saved report as a signed .xlsx, run now with the caller's visibility. */
  async export(ctx: RequestContext, id: string): Promise<RenderedDocument> {
    return this.xlsx(ctx, await this.run(ctx, id), new Date());
  }

  /** The stored .xlsx of a scheduled run (its owner only). */
  async runFile(ctx: RequestContext, runId: string): Promise<RenderedDocument> {
    const { userId } = this.user(ctx);
    const r = await withTx(this.db, ctx, (trx) => trx.selectFrom('reportRuns').select(['file', 'filename']).where('id', '=', runId).where('ownerUserId', '=', userId).executeTakeFirst());
    if (!r) throw notFound('reports.run', runId);
    return { data: r.file, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename: r.filename };
  }

  /** The runs of a saved report, newest first (without the files). */
  async runs(ctx: RequestContext, id: string): Promise<Array<{ id: string; origin: string; rowCount: number; truncated: boolean; filename: string; ranAt: Date }>> {
    await this.get(ctx, id);
    return withTx(this.db, ctx, (trx) => trx.selectFrom('reportRuns').select(['id', 'origin', 'rowCount', 'truncated', 'filename', 'ranAt']).where('definitionId', '=', id).orderBy('ranAt', 'desc').limit(50).execute());
  }

  /**
   * The scheduled runs due at `now`: every weekly definition not run since Monday 00:00 and every monthly one not run
   * since the 1st (Asia/Shanghai), each run as its owner with the owner's current roles (a disabled owner: skipped),
   * the .xlsx stored and announced to the owner as a notification with its download link. Idempotent per period.
   */
  async runScheduled(now: Date = new Date(), only?: { definitionIds: string[] }): Promise<{ ran: number; skipped: number; failed: number }> {
    const sys = systemContext('reports.scheduled');
    const due = await withTx(this.db, sys, async (trx) => {
      let q = trx.selectFrom('reportDefinitions').selectAll().where('schedule', '<>', 'none');
      if (only) q = q.where('id', 'in', only.definitionIds.length ? only.definitionIds : ['00000000-0000-0000-0000-000000000000']);
      return (await q.limit(1000).execute()).filter((r) => !r.lastScheduledAt || r.lastScheduledAt < periodStart(r.schedule as 'weekly' | 'monthly', now));
    });
    const counts = { ran: 0, skipped: 0, failed: 0 };
    for (const r of due) {
      const owner = await withTx(this.db, sys, (trx) => this.access.credentialsById(trx, sys, r.ownerUserId));
      if (!owner || owner.status !== 'active') {
        counts.skipped++;
        continue;
      }
      const ctx: RequestContext = { actor: userActor(owner, null), requestId: `reports.scheduled:${r.id}`, ip: null, userAgent: null };
      try {
        const result = await this.runDefinition(ctx, this.view(r));
        const doc = await this.xlsx(ctx, result, now);
        const runId = await withTx(this.db, sys, async (trx) => {
          const run = await trx.insertInto('reportRuns').values({ definitionId: r.id, ownerUserId: r.ownerUserId, origin: 'scheduled', rowCount: result.rows.length, truncated: result.truncated, filename: doc.filename, file: doc.data }).returning('id').executeTakeFirstOrThrow();
          await trx.updateTable('reportDefinitions').set({ lastScheduledAt: now }).where('id', '=', r.id).execute();
          await this.notifications.notify(trx, {
            recipients: { userIds: [r.ownerUserId] },
            kind: 'reports.scheduled',
            title: `定时报表：${r.name}`,
            body: `${r.schedule === 'weekly' ? '每周' : '每月'}定时报表已生成，共 ${result.rows.length} 行${result.truncated ? `（超过 ${MAX_ROWS} 行，已截断）` : ''}，点击下载 .xlsx。`,
            link: `/reports?run=${run.id}`,
          });
          return run.id;
        });
        void runId;
        counts.ran++;
      } catch {
        counts.failed++;
      }
    }
    return counts;
  }
}
