import { sql, type Selectable } from 'kysely';
import { hasPermission, systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type DB, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, forbidden, notFound, validationError, type FieldIssue } from '../../platform/errors.js';
import { Dec, sum } from '../../platform/money.js';
import { recordAudit } from '../audit/index.js';
import { CLOCK_HOURS, OFFICE_HOURS, workingTimeBetween, type CalendarService, type DeadlineRule } from '../calendar/index.js';
import { shanghaiToday, type CatalogService } from '../catalog/index.js';
import type { EstimatesService } from '../estimates/index.js';
import { isKeyPeriod, type DeadlineItem } from '../notifications/index.js';
import type { InventoryService } from '../inventory/index.js';
import type { WorkflowService } from '../workflow/index.js';
import { deliveredResources } from './applications.cmdb.js';
import { priceLines, protectionLevel, quotaProblems, totals, type LineIn, type OfferedItem, type PricedLine, type QuotaState } from './applications.pricing.js';
import type {
  Application,
  ApplicationDetail,
  ApplicationInput,
  ApplicationKind,
  ApplicationLine,
  ApplicationStatus,
  DeliverInput,
  FromEstimateInput,
  ListQuery,
  Quota,
  QuotaInput,
  Stats,
  TimelineEntry,
  WorkOrder,
} from './applications.schemas.js';

type AppRow = Selectable<DB['applications']>;
type WorkOrderRow = Selectable<DB['workOrders']>;

/** The workflow definition code each kind of application starts (seeded by migration 0061; editable in 审批流程配置). */
export const DEFINITION_CODES: Record<ApplicationKind, string> = {
  onboarding: 'application_onboarding',
  change: 'application_change',
  exit: 'application_exit',
};

/** Statuses whose lines count against the unit's quota. */
const COMMITTED: ApplicationStatus[] = ['in_approval', 'fulfilling', 'delivered', 'accepted'];

/** Whether a key-guarantee period (重保) is on at an instant for a node (default: the notifications module's). */
export type KeyPeriodCheck = (trx: Tx, at: Date, nodeId: string) => Promise<boolean>;

/** The unit's budget for the system (or unit-wide) in a fiscal year, when the contracts module has one. */
export type BudgetLookup = (ctx: RequestContext, unitId: string, systemId: string, fiscalYear: number) => Promise<{ amount: string; remaining: string } | null>;

/** Whether a provider is suspended for new onboarding (its qualification lapsed; operations module). */
export type ProviderEligibilityCheck = (providerOrgId: string, at: Date) => Promise<boolean>;

export interface ApplicationsOptions {
  isKeyPeriod?: KeyPeriodCheck;
  /** True when new onboarding applications to the provider are suspended. */
  isProviderSuspended?: ProviderEligibilityCheck;
  budgetFor?: BudgetLookup;
  /** The CMDB inventory, updated when a delivery is accepted (without it acceptance records nothing there). */
  inventory?: InventoryService;
  /** Told of each step of fulfilment (notifications), in the caller's transaction. */
  notify?: WorkOrderListener;
}

/** Fulfilment news for the people concerned: a work order for the provider, a delivery for the unit, a rejection. */
export interface WorkOrderNotice {
  kind: 'work_order_opened' | 'delivered' | 'delivery_rejected';
  applicationId: string;
  appNo: string;
  title: string;
  unitId: string;
  providerOrgId: string;
  /** Who made the application (told of a delivery). */
  createdBy: string | null;
  dueAt: Date | null;
  reason?: string;
}
/** Must not throw (it runs in the application's transaction). */
export type WorkOrderListener = (trx: Tx, notice: WorkOrderNotice) => Promise<void>;

/** Work-order deadline of an approved application (seeds 000/001: adjustments ≤ 4 h, ≤ 2 h in key periods; initial resources ≤ 3 working days). */
export function workOrderDeadline(kind: ApplicationKind, keyPeriod: boolean): { kind: WorkOrder['kind']; rule: DeadlineRule } {
  if (kind === 'change') return { kind: 'resource_adjustment', rule: { clockHours: keyPeriod ? 2 : 4 } };
  if (kind === 'onboarding') return { kind: 'initial_resources', rule: { workingDays: 3 } };
  return { kind: 'exit', rule: { workingDays: 3 } };
}

const toApplication = (r: AppRow): Application => ({
  id: r.id,
  appNo: r.appNo,
  unitId: r.unitId,
  unitName: r.unitName,
  systemId: r.systemId,
  systemName: r.systemName,
  providerOrgId: r.providerOrgId,
  providerName: r.providerName,
  nodeId: r.nodeId,
  kind: r.kind as ApplicationKind,
  changeType: r.changeType as Application['changeType'],
  exitDataHandling: r.exitDataHandling as Application['exitDataHandling'],
  exitDate: r.exitDate,
  title: r.title,
  reason: r.reason,
  estimateId: r.estimateId,
  priceListId: r.priceListId,
  protectionLevel: r.protectionLevel,
  monthlyTotal: new Dec(r.monthlyTotal).toFixed(2),
  total: new Dec(r.total).toFixed(2),
  status: r.status as ApplicationStatus,
  workflowInstanceId: r.workflowInstanceId,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  submittedAt: r.submittedAt,
  approvedAt: r.approvedAt,
  acceptedAt: r.acceptedAt,
});

const jsonb = (v: unknown) => sql<string>`${JSON.stringify(v)}::jsonb`;

/**
 * 申请 (入云 / 变更 / 退云) of a user unit for one of its information systems: lines priced with the provider's approved
 * price list in force, checked against the unit's quota, approved through a workflow (definition per kind), fulfilled
 * by the provider as a work order (工单) with a deadline on the business calendar, accepted (验收) by the unit.
 * Visibility (RLS): the unit and the units above it, the provider once submitted, the management unit.
 */
export class ApplicationsService {
  constructor(
    private readonly db: Db,
    private readonly catalog: CatalogService,
    private readonly estimates: EstimatesService,
    private readonly calendar: CalendarService,
    private readonly workflow: WorkflowService,
    private readonly options: ApplicationsOptions = {},
  ) {
    workflow.registerSubjectType('application', async (trx, _ctx, subjectId) => {
      if (!/^[0-9a-f-]{36}$/i.test(subjectId)) return null;
      const row = await trx.selectFrom('applications').select(['unitId', 'title', 'appNo']).where('id', '=', subjectId).executeTakeFirst();
      return row ? { ownerOrgId: row.unitId, title: `${row.appNo} ${row.title}` } : null;
    });
  }

  /** Lets the container plug in the CMDB inventory (accepted deliveries become resources; see applications.cmdb.ts). */
  setInventory(inventory: InventoryService): void {
    this.options.inventory = inventory;
  }

  /** Lets the container plug in notifications of work orders, deliveries and rejected deliveries. */
  setWorkOrderListener(listener: WorkOrderListener): void {
    this.options.notify = listener;
  }

  /** Lets the container plug in the suspension rule: no new onboarding to a provider whose qualification lapsed. */
  setProviderEligibilityCheck(check: ProviderEligibilityCheck): void {
    this.options.isProviderSuspended = check;
  }

  /** Lets the container plug in the budget check (contracts module: fiscal-year budgets and their consumption). */
  setBudgetLookup(lookup: BudgetLookup): void {
    this.options.budgetFor = lookup;
  }

  // ---- reading ----------------------------------------------------------------------------------------------

  async list(ctx: RequestContext, q: ListQuery): Promise<Application[]> {
    await this.sync();
    return withTx(this.db, ctx, async (trx) => {
      let query = trx.selectFrom('applications').selectAll();
      if (q.mine === 'true') {
        query = ctx.actor.orgKind === 'cloud_provider' ? query.where('providerOrgId', '=', ctx.actor.orgId ?? '') : query.where('createdBy', '=', ctx.actor.userId ?? '00000000-0000-0000-0000-000000000000');
      }
      if (q.kind) query = query.where('kind', '=', q.kind);
      if (q.status) query = query.where('status', '=', q.status);
      if (q.unitId) query = query.where('unitId', '=', q.unitId);
      if (q.providerId) query = query.where('providerOrgId', '=', q.providerId);
      if (q.from) query = query.where('createdAt', '>=', new Date(`${q.from}T00:00:00+08:00`));
      if (q.to) query = query.where('createdAt', '<', new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000));
      if (q.q) query = query.where((eb) => eb.or([eb('title', 'ilike', `%${q.q}%`), eb('appNo', 'ilike', `%${q.q}%`), eb('systemName', 'ilike', `%${q.q}%`)]));
      const rows = await query.orderBy('createdAt', 'desc').limit(1000).execute();
      return rows.map(toApplication);
    });
  }

  async get(ctx: RequestContext, id: string): Promise<ApplicationDetail> {
    await this.sync();
    const detail = await withTx(this.db, ctx, (trx) => this.detail(trx, ctx, id));
    return this.withWorkflowTimeline(ctx, detail);
  }

  /** Work orders visible to the caller (the provider's to-do list), with the working time left. */
  async workOrders(ctx: RequestContext, q: { status?: WorkOrder['status']; overdue?: 'true' | 'false' }): Promise<WorkOrder[]> {
    await this.sync();
    return withTx(this.db, ctx, async (trx) => {
      let query = trx
        .selectFrom('workOrders as w')
        .innerJoin('applications as a', 'a.id', 'w.applicationId')
        .selectAll('w')
        .select(['a.appNo', 'a.title', 'a.unitName', 'a.providerName']);
      if (q.status) query = query.where('w.status', '=', q.status);
      const rows = await query.orderBy('w.dueAt', 'asc').limit(1000).execute();
      const cal = await this.calendar.days(trx);
      const now = new Date();
      const out = rows.map((r) => ({ ...this.toWorkOrder(r, cal, now), appNo: r.appNo, title: r.title, unitName: r.unitName, providerName: r.providerName }));
      return q.overdue ? out.filter((w) => w.overdue === (q.overdue === 'true')) : out;
    });
  }

  /**
   * Open work orders as deadline items for the notifications module (warning before, notice at the due time,
   * escalation to the management unit after): the provider's staff are the assignees. Read as the platform.
   */
  openWorkOrderDeadlines(now: Date = new Date()): Promise<DeadlineItem[]> {
    return withTx(this.db, systemContext('applications.deadlines'), async (trx) => {
      const rows = await trx
        .selectFrom('workOrders as w')
        .innerJoin('applications as a', 'a.id', 'w.applicationId')
        .select(['w.id', 'w.applicationId', 'w.providerOrgId', 'w.openedAt', 'w.dueAt', 'w.deadline', 'a.appNo', 'a.title'])
        .where('w.status', '=', 'open')
        .execute();
      const cal = await this.calendar.days(trx);
      return rows.map((r) => {
        const schedule = 'clockHours' in (r.deadline as Record<string, number>) ? CLOCK_HOURS : OFFICE_HOURS;
        return {
          id: r.id,
          title: `工单 ${r.appNo} ${r.title}`,
          link: `/applications?id=${r.applicationId}`,
          startedAt: r.openedAt,
          dueAt: r.dueAt,
          elapsedMs: workingTimeBetween(cal, r.openedAt, now, schedule),
          allowedMs: workingTimeBetween(cal, r.openedAt, r.dueAt, schedule),
          assignees: { orgIds: [r.providerOrgId], roleCodes: ['provider_staff', 'provider_admin'] },
          escalateTo: { orgKinds: ['management_unit'], roleCodes: ['mgmt_staff'] },
        };
      });
    });
  }

  // ---- writing ----------------------------------------------------------------------------------------------

  create(ctx: RequestContext, input: ApplicationInput, extra: { estimateId?: string; skipped?: Array<{ line: number; reason: string }> } = {}): Promise<ApplicationDetail> {
    return withTx(this.db, ctx, async (trx) => {
      this.assertUnit(ctx);
      const system = await this.system(trx, input.systemId);
      checkHeader(input);
      const { priced, priceListId, catalogVersionId } = await this.price(trx, ctx, input, system.providerOrgId);
      await this.checkQuota(trx, system.unitId, null, priced);
      const t = totals(priced);
      const unitName = (await trx.selectFrom('organisations').select('name').where('id', '=', system.unitId).executeTakeFirstOrThrow()).name;
      const row = await trx
        .insertInto('applications')
        .values({
          unitId: system.unitId,
          systemId: system.id,
          providerOrgId: system.providerOrgId,
          nodeId: system.nodeId,
          kind: input.kind,
          changeType: input.kind === 'change' ? (input.changeType ?? null) : null,
          exitDataHandling: input.kind === 'exit' ? (input.exitDataHandling ?? null) : null,
          exitDate: input.kind === 'exit' ? (input.exitDate ?? null) : null,
          title: input.title,
          reason: input.reason ?? null,
          estimateId: extra.estimateId ?? null,
          catalogVersionId,
          priceListId,
          unitName,
          providerName: system.providerName,
          systemName: system.name,
          protectionLevel: protectionLevel(system.gradingLevel),
          monthlyTotal: t.monthlyTotal,
          total: t.total,
          createdBy: ctx.actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await insertLines(trx, row.id, priced);
      await this.event(trx, ctx, row.id, 'create', null, { lines: priced.length, total: t.total, estimateId: extra.estimateId ?? null, skipped: extra.skipped?.length ?? 0 });
      await recordAudit(trx, ctx, { action: 'applications.create', targetType: 'application', targetId: row.id, after: { kind: input.kind, systemId: system.id, lines: priced.length, total: t.total, estimateId: extra.estimateId ?? null } });
      const detail = await this.detail(trx, ctx, row.id);
      return extra.skipped?.length ? { ...detail, skipped: extra.skipped } : detail;
    });
  }

  /** 估算转申请: a new draft with the estimate's lines (mapped to catalog items, quantities in billing units). */
  async fromEstimate(ctx: RequestContext, input: FromEstimateInput): Promise<ApplicationDetail> {
    const est = await this.estimates.get(ctx, input.estimateId);
    const kind = input.kind ?? 'onboarding';
    const lines: ApplicationInput['lines'] = [];
    const skipped: Array<{ line: number; reason: string }> = [];
    for (const [i, l] of est.result.lines.entries()) {
      if (!l.mapping) {
        skipped.push({ line: i + 1, reason: l.reason ?? l.problem ?? 'not mapped to a catalog item' });
        continue;
      }
      let qty: string | null = l.conversion?.quantity ?? null;
      if (qty === null && !l.input.unit) qty = l.input.quantity;
      if (qty === null) {
        skipped.push({ line: i + 1, reason: l.reason ?? `the quantity in ${l.input.unit} could not be converted to the item's billing unit` });
        continue;
      }
      const q = new Dec(qty).toDecimalPlaces(4);
      if (!q.isPositive()) {
        skipped.push({ line: i + 1, reason: 'quantity 0' });
        continue;
      }
      const existing = lines.find((x) => x.itemCode === l.mapping!.itemCode);
      if (existing) {
        existing.quantity = new Dec(existing.quantity).plus(q).toString();
        if (kind === 'change') existing.delta = existing.quantity;
        continue;
      }
      lines.push({ itemCode: l.mapping.itemCode, quantity: q.toString(), delta: kind === 'change' ? q.toString() : null, months: l.input.months ?? null });
    }
    return this.create(
      ctx,
      { systemId: input.systemId, kind, changeType: kind === 'change' ? (input.changeType ?? 'expand') : null, title: input.title ?? est.title, reason: input.reason ?? null, lines },
      { estimateId: est.id, skipped },
    );
  }

  /** Replaces a draft or a returned application (all lines re-priced and re-checked). */
  update(ctx: RequestContext, id: string, input: ApplicationInput): Promise<ApplicationDetail> {
    return withTx(this.db, ctx, async (trx) => {
      this.assertUnit(ctx);
      const app = await this.lock(trx, id);
      if (app.status !== 'draft' && app.status !== 'returned') throw notEditable(app.status);
      if (input.systemId !== app.systemId) {
        throw validationError('applications.system_fixed', 'An application stays with its information system', [{ field: 'body.systemId', rule: 'immutable', message: 'Make a new application for another system', value: input.systemId }]);
      }
      if (input.kind !== app.kind) {
        throw validationError('applications.kind_fixed', 'The kind of an application cannot change', [{ field: 'body.kind', rule: 'immutable', message: `this application is ${app.kind}`, value: input.kind }]);
      }
      checkHeader(input);
      const { priced, priceListId, catalogVersionId } = await this.price(trx, ctx, input, app.providerOrgId);
      await this.checkQuota(trx, app.unitId, app.id, priced);
      const t = totals(priced);
      await trx
        .updateTable('applications')
        .set({
          changeType: input.kind === 'change' ? (input.changeType ?? null) : null,
          exitDataHandling: input.kind === 'exit' ? (input.exitDataHandling ?? null) : null,
          exitDate: input.kind === 'exit' ? (input.exitDate ?? null) : null,
          title: input.title,
          reason: input.reason ?? null,
          priceListId,
          catalogVersionId,
          monthlyTotal: t.monthlyTotal,
          total: t.total,
          updatedAt: new Date(),
        })
        .where('id', '=', id)
        .execute();
      await trx.deleteFrom('applicationLines').where('applicationId', '=', id).execute();
      await insertLines(trx, id, priced);
      await this.event(trx, ctx, id, 'update', null, { lines: priced.length, total: t.total });
      await recordAudit(trx, ctx, { action: 'applications.update', targetType: 'application', targetId: id, before: { total: app.total }, after: { lines: priced.length, total: t.total } });
      return this.detail(trx, ctx, id);
    });
  }

  delete(ctx: RequestContext, id: string): Promise<void> {
    return withTx(this.db, ctx, async (trx) => {
      this.assertUnit(ctx);
      const app = await this.lock(trx, id);
      if (app.status !== 'draft') throw new AppError('conflict', 'applications.not_draft', `Only a draft can be deleted (this one is ${app.status})`, { status: app.status });
      await trx.deleteFrom('applications').where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'applications.delete', targetType: 'application', targetId: id, before: { appNo: app.appNo, title: app.title } });
    });
  }

  /**
   * Submits a draft (starts the workflow of its kind, in this transaction) or resubmits a returned application
   * (the workflow restarts at the step that returned it, with the facts of the edited lines).
   */
  async submit(ctx: RequestContext, id: string, comment: string | null): Promise<ApplicationDetail> {
    await this.sync();
    await this.checkBudget(ctx, id);
    const resubmitOf = await withTx(this.db, ctx, async (trx) => {
      this.assertUnit(ctx);
      const app = await this.lock(trx, id);
      if (app.status !== 'draft' && app.status !== 'returned') {
        throw new AppError('conflict', 'applications.not_submittable', `Only a draft or a returned application can be submitted (this one is ${app.status})`, { status: app.status });
      }
      if (app.kind === 'onboarding' && app.status === 'draft' && (await this.options.isProviderSuspended?.(app.providerOrgId, new Date()))) {
        throw new AppError('conflict', 'applications.provider_suspended', `New onboarding applications to ${app.providerName} are suspended while its qualification is lapsed`, { providerOrgId: app.providerOrgId, field: 'providerOrgId' });
      }
      const lines = await this.lines(trx, id);
      if (app.kind !== 'exit' && lines.length === 0) {
        throw validationError('applications.no_lines', 'An application needs at least one line', [{ field: 'body.lines', rule: 'min_items', message: 'add the catalog items applied for' }]);
      }
      // Prices may have changed since the draft was saved (new price list in force): price again, check the quota.
      const input = { kind: app.kind as ApplicationKind, lines: lines.map((l) => ({ itemCode: l.itemCode, quantity: l.quantity, delta: l.delta, months: l.months })) };
      const { priced, priceListId } = await this.price(trx, ctx, input, app.providerOrgId);
      await this.checkQuota(trx, app.unitId, app.id, priced);
      const t = totals(priced);
      await trx.deleteFrom('applicationLines').where('applicationId', '=', id).execute();
      await insertLines(trx, id, priced);
      const facts = {
        amount: Dec.max(new Dec(t.total), 0).toFixed(2),
        ...(app.protectionLevel ? { protectionLevel: app.protectionLevel } : {}),
        itemCategories: [...new Set(priced.map((l) => l.category).filter((c): c is string => !!c))],
      };
      // A returned application stays `returned` until the workflow has restarted (sync then moves it on), so a
      // sync in between cannot send it back.
      await trx
        .updateTable('applications')
        .set({ status: app.status === 'draft' ? 'in_approval' : app.status, priceListId, monthlyTotal: t.monthlyTotal, total: t.total, submittedAt: new Date(), updatedAt: new Date() })
        .where('id', '=', id)
        .execute();
      if (app.status === 'returned') {
        await this.event(trx, ctx, id, 'resubmit', comment, { total: t.total });
        await recordAudit(trx, ctx, { action: 'applications.resubmit', targetType: 'application', targetId: id, after: { total: t.total } });
        return { instanceId: app.workflowInstanceId!, facts };
      }
      const instanceId = await this.workflow.startIn(trx, ctx, {
        subjectType: 'application',
        subjectId: id,
        definitionCode: DEFINITION_CODES[app.kind as ApplicationKind],
        providerOrgId: app.providerOrgId,
        title: `${app.appNo} ${app.title}`,
        facts,
      });
      await trx.updateTable('applications').set({ workflowInstanceId: instanceId }).where('id', '=', id).execute();
      await this.event(trx, ctx, id, 'submit', comment, { instanceId, total: t.total });
      await recordAudit(trx, ctx, { action: 'applications.submit', targetType: 'application', targetId: id, after: { instanceId, facts } });
      return null;
    });
    if (resubmitOf) {
      await this.workflow.actOnInstance(ctx, resubmitOf.instanceId, { action: 'resubmit', facts: resubmitOf.facts, ...(comment ? { comment } : {}) });
    }
    return this.get(ctx, id);
  }

  /** The provider records what it delivered (hosts, IPs, sizes per line, or a reference to pushed data). */
  async deliver(ctx: RequestContext, id: string, input: DeliverInput): Promise<ApplicationDetail> {
    await this.sync();
    await withTx(this.db, ctx, async (trx) => {
      const app = await this.lock(trx, id);
      this.assertProvider(ctx, app);
      const wo = await trx.selectFrom('workOrders').selectAll().where('applicationId', '=', id).forUpdate().executeTakeFirst();
      if (!wo || app.status !== 'fulfilling' || wo.status !== 'open') {
        throw new AppError('conflict', 'applications.not_fulfilling', `Delivery is recorded on an open work order (the application is ${app.status})`, { status: app.status });
      }
      const lines = await this.lines(trx, id);
      const issues: FieldIssue[] = [];
      input.lines.forEach((l, i) => {
        if (!lines.some((x) => x.lineNo === l.lineNo)) issues.push({ field: `body.lines[${i}].lineNo`, rule: 'unknown_line', message: `the application has no line ${l.lineNo}`, value: l.lineNo });
      });
      if (!input.lines.some((l) => l.hosts.length || l.note) && !input.pushedRef && !input.note) {
        issues.push({ field: 'body.lines', rule: 'required', message: 'record what was delivered per line (host names, IPs, sizes) or refer to the pushed data (pushedRef)' });
      }
      if (issues.length) throw validationError('applications.invalid_delivery', 'The delivery record is incomplete', issues);
      for (const l of input.lines) {
        await trx
          .updateTable('applicationLines')
          .set({ delivery: jsonb({ hosts: l.hosts, note: l.note ?? null }) })
          .where('applicationId', '=', id)
          .where('lineNo', '=', l.lineNo)
          .execute();
      }
      const now = new Date();
      await trx.updateTable('workOrders').set({ status: 'delivered', deliveredAt: now, deliveredBy: ctx.actor.userId, deliveryNote: input.note ?? null, pushedRef: input.pushedRef ?? null }).where('id', '=', wo.id).execute();
      await trx.updateTable('applications').set({ status: 'delivered', updatedAt: now }).where('id', '=', id).execute();
      await this.event(trx, ctx, id, 'deliver', input.note ?? null, { workOrderId: wo.id, onTime: now <= wo.dueAt, pushedRef: input.pushedRef ?? null });
      await this.options.notify?.(trx, { kind: 'delivered', applicationId: id, appNo: app.appNo, title: app.title, unitId: app.unitId, providerOrgId: app.providerOrgId, createdBy: app.createdBy, dueAt: null });
      await recordAudit(trx, ctx, { action: 'applications.deliver', targetType: 'application', targetId: id, after: { workOrderId: wo.id, lines: input.lines.length, pushedRef: input.pushedRef ?? null } });
    });
    return this.get(ctx, id);
  }

  /** 验收: the unit accepts the delivery; the application is done and metering starts from now (lines' accepted_at). */
  async accept(ctx: RequestContext, id: string, comment: string | null): Promise<ApplicationDetail> {
    await withTx(this.db, ctx, async (trx) => {
      this.assertUnit(ctx);
      const app = await this.lock(trx, id);
      if (app.status !== 'delivered') throw new AppError('conflict', 'applications.not_delivered', `Only a delivered application can be accepted (this one is ${app.status})`, { status: app.status });
      const now = new Date();
      await trx.updateTable('workOrders').set({ status: 'accepted', acceptedAt: now, acceptedBy: ctx.actor.userId }).where('applicationId', '=', id).execute();
      await trx.updateTable('applicationLines').set({ acceptedAt: now }).where('applicationId', '=', id).execute();
      await trx.updateTable('applications').set({ status: 'accepted', acceptedAt: now, updatedAt: now }).where('id', '=', id).execute();
      const cmdb = await this.recordInCmdb(trx, ctx, app, now);
      await this.event(trx, ctx, id, 'accept', comment, { meteringFrom: now.toISOString(), ...(cmdb ? { cmdb } : {}) });
      await recordAudit(trx, ctx, { action: 'applications.accept', targetType: 'application', targetId: id, after: { acceptedAt: now } });
    });
    return this.get(ctx, id);
  }

  /**
   * The CMDB side of an acceptance (same transaction): onboarding and change deliveries become inventory resources
   * created on the acceptance date (Beijing), so metering starts that day; an accepted exit deletes the system's
   * resources at the provider from that date.
   */
  private async recordInCmdb(trx: Tx, ctx: RequestContext, app: AppRow, now: Date): Promise<Record<string, unknown> | null> {
    const inventory = this.options.inventory;
    if (!inventory) return null;
    const day = shanghaiToday(now);
    if (app.kind === 'exit') {
      const deleted = await inventory.recordExited(trx, ctx, { providerOrgId: app.providerOrgId, systemId: app.systemId, applicationId: app.id, deletedDate: day });
      return { deleted, deletedDate: day };
    }
    const system = await trx.selectFrom('informationSystems').select('systemNo').where('id', '=', app.systemId).executeTakeFirst();
    if (!system) return null;
    const { items, notMapped } = deliveredResources(system.systemNo, await this.lines(trx, app.id));
    const r = await inventory.recordDelivered(trx, ctx, {
      providerOrgId: app.providerOrgId,
      nodeId: app.nodeId,
      systemId: app.systemId,
      unitOrgId: app.unitId,
      applicationId: app.id,
      acceptedDate: day,
      items,
    });
    return { ...r, createdDate: day, notMapped };
  }

  /** The unit rejects the delivery with a reason: back to the provider (the work order reopens, same due time). */
  async rejectDelivery(ctx: RequestContext, id: string, reason: string): Promise<ApplicationDetail> {
    await withTx(this.db, ctx, async (trx) => {
      this.assertUnit(ctx);
      const app = await this.lock(trx, id);
      if (app.status !== 'delivered') throw new AppError('conflict', 'applications.not_delivered', `Only a delivered application can be rejected at acceptance (this one is ${app.status})`, { status: app.status });
      await trx
        .updateTable('workOrders')
        .set((eb) => ({ status: 'open', deliveredAt: null, deliveredBy: null, rejections: eb('rejections', '+', 1), lastRejectionReason: reason }))
        .where('applicationId', '=', id)
        .execute();
      await trx.updateTable('applications').set({ status: 'fulfilling', updatedAt: new Date() }).where('id', '=', id).execute();
      await this.event(trx, ctx, id, 'reject_delivery', reason, {});
      await this.options.notify?.(trx, { kind: 'delivery_rejected', applicationId: id, appNo: app.appNo, title: app.title, unitId: app.unitId, providerOrgId: app.providerOrgId, createdBy: app.createdBy, dueAt: null, reason });
      await recordAudit(trx, ctx, { action: 'applications.reject_delivery', targetType: 'application', targetId: id, details: { reason } });
    });
    return this.get(ctx, id);
  }

  // ---- quotas -----------------------------------------------------------------------------------------------

  getQuota(ctx: RequestContext, unitId: string): Promise<Quota> {
    return withTx(this.db, ctx, async (trx) => {
      const org = await trx.selectFrom('organisations').select(['id', 'kind']).where('id', '=', unitId).executeTakeFirst();
      if (!org || org.kind !== 'user_unit') throw notFound('unit', unitId);
      const q = await this.quotaState(trx, unitId, null);
      const row = await trx.selectFrom('applicationQuotas').select('updatedAt').where('unitId', '=', unitId).executeTakeFirst();
      return { unitId, ...q, updatedAt: row?.updatedAt ?? null };
    });
  }

  putQuota(ctx: RequestContext, unitId: string, input: QuotaInput): Promise<Quota> {
    return withTx(this.db, ctx, async (trx) => {
      const org = await trx.selectFrom('organisations').select(['id', 'kind']).where('id', '=', unitId).executeTakeFirst();
      if (!org || org.kind !== 'user_unit') throw notFound('unit', unitId);
      const values = { maxMonthlyAmount: input.maxMonthlyAmount, itemCaps: jsonb(input.itemCaps), updatedBy: ctx.actor.userId, updatedAt: new Date() };
      await trx
        .insertInto('applicationQuotas')
        .values({ unitId, ...values })
        .onConflict((oc) => oc.column('unitId').doUpdateSet(values))
        .execute();
      await recordAudit(trx, ctx, { action: 'applications.quota_put', targetType: 'organisation', targetId: unitId, after: input });
      const q = await this.quotaState(trx, unitId, null);
      return { unitId, ...q, updatedAt: values.updatedAt };
    });
  }

  // ---- statistics and export --------------------------------------------------------------------------------

  /** Throughput and on-time rate per provider (work orders) and per workflow step (tasks of application workflows). */
  async stats(ctx: RequestContext, q: { from?: string; to?: string }): Promise<Stats> {
    await this.sync();
    return withTx(this.db, ctx, async (trx) => {
      const from = q.from ? new Date(`${q.from}T00:00:00+08:00`) : new Date('2000-01-01T00:00:00Z');
      const to = q.to ? new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000) : new Date('2100-01-01T00:00:00Z');
      const rate = (onTime: number, done: number) => (done ? new Dec(onTime).div(done).times(100).toFixed(1) : null);
      const hours = (v: string | number | null) => (v === null ? null : new Dec(v).div(3600).toFixed(2));
      const prov = await sql<{ providerOrgId: string; providerName: string; count: string; completed: string; accepted: string; onTime: string; median: string | null }>`
        select a.provider_org_id as "providerOrgId", max(a.provider_name) as "providerName", count(*) as count,
               count(w.delivered_at) as completed, count(w.accepted_at) as accepted,
               count(*) filter (where w.delivered_at <= w.due_at) as "onTime",
               percentile_cont(0.5) within group (order by extract(epoch from w.delivered_at - w.opened_at)) filter (where w.delivered_at is not null) as median
        from work_orders w join applications a on a.id = w.application_id
        where w.opened_at >= ${from} and w.opened_at < ${to}
        group by a.provider_org_id order by 2`.execute(trx);
      const steps = await sql<{ stepKey: string; stepName: string; definitionCode: string; count: string; completed: string; onTime: string; median: string | null }>`
        select t.step_key as "stepKey", max(t.step_name) as "stepName", d.code as "definitionCode", count(*) as count,
               count(t.acted_at) as completed,
               count(*) filter (where t.acted_at is not null and (t.due_at is null or t.acted_at <= t.due_at)) as "onTime",
               percentile_cont(0.5) within group (order by extract(epoch from t.acted_at - t.created_at)) filter (where t.acted_at is not null) as median
        from workflow_tasks t join workflow_instances i on i.id = t.instance_id join workflow_definitions d on d.id = i.definition_id
        where i.subject_type = 'application' and t.created_at >= ${from} and t.created_at < ${to} and t.status <> 'cancelled'
        group by d.code, t.step_key order by d.code, min(t.created_at)`.execute(trx);
      const byStatus = await trx.selectFrom('applications').select(['status', (eb) => eb.fn.countAll<string>().as('count')]).where('createdAt', '>=', from).where('createdAt', '<', to).groupBy('status').execute();
      return {
        byProvider: prov.rows.map((r) => ({
          providerOrgId: r.providerOrgId,
          providerName: r.providerName,
          count: Number(r.count),
          completed: Number(r.completed),
          accepted: Number(r.accepted),
          onTime: Number(r.onTime),
          onTimeRate: rate(Number(r.onTime), Number(r.completed)),
          medianHours: hours(r.median),
        })),
        bySteps: steps.rows.map((r) => ({
          stepKey: r.stepKey,
          stepName: r.stepName,
          definitionCode: r.definitionCode,
          count: Number(r.count),
          completed: Number(r.completed),
          onTime: Number(r.onTime),
          onTimeRate: rate(Number(r.onTime), Number(r.completed)),
          medianHours: hours(r.median),
        })),
        byStatus: byStatus.map((r) => ({ status: r.status, count: Number(r.count) })),
      };
    });
  }

  // ---- workflow outcome -------------------------------------------------------------------------------------

  /**
   * Brings applications in approval up to date with their workflow: returned, rejected, terminated, or approved
   * (→ a work order for the provider, due by the rule of its kind from the approval time). Runs as the platform
   * (every minute as a job, and before reads) and is idempotent: each application is locked and re-checked.
   */
  async sync(now: Date = new Date()): Promise<number> {
    const ctx = systemContext('applications.sync');
    return withTx(this.db, ctx, async (trx) => {
      const due = await trx
        .selectFrom('applications as a')
        .innerJoin('workflowInstances as i', 'i.id', 'a.workflowInstanceId')
        .select(['a.id', 'a.status', 'i.status as wfStatus', 'i.endedAt'])
        .where('a.status', 'in', ['in_approval', 'returned'])
        .where((eb) =>
          eb.or([
            eb.and([eb('a.status', '=', 'in_approval'), eb('i.status', '<>', 'running')]),
            eb.and([eb('a.status', '=', 'returned'), eb('i.status', '<>', 'returned')]),
          ]),
        )
        .execute();
      let changed = 0;
      for (const d of due) {
        const app = await trx.selectFrom('applications').selectAll().where('id', '=', d.id).forUpdate().skipLocked().executeTakeFirst();
        if (!app || app.status !== d.status) continue;
        changed++;
        if (d.wfStatus === 'running') {
          await trx.updateTable('applications').set({ status: 'in_approval', updatedAt: now }).where('id', '=', app.id).execute();
        } else if (d.wfStatus === 'approved') {
          const approvedAt = d.endedAt ?? now;
          const keyPeriod = await (this.options.isKeyPeriod ?? isKeyPeriod)(trx, approvedAt, app.nodeId);
          const rule = workOrderDeadline(app.kind as ApplicationKind, keyPeriod);
          const dueAt = await this.calendar.dueAt(trx, approvedAt, rule.rule, 'clockHours' in rule.rule ? CLOCK_HOURS : OFFICE_HOURS);
          const wo = await trx
            .insertInto('workOrders')
            .values({ applicationId: app.id, unitId: app.unitId, providerOrgId: app.providerOrgId, kind: rule.kind, deadline: jsonb(rule.rule), keyPeriod, openedAt: approvedAt, dueAt })
            .onConflict((oc) => oc.column('applicationId').doNothing())
            .returning('id')
            .executeTakeFirst();
          await trx.updateTable('applications').set({ status: 'fulfilling', approvedAt, updatedAt: now }).where('id', '=', app.id).execute();
          await this.event(trx, ctx, app.id, 'approved', null, { workOrderId: wo?.id ?? null, kind: rule.kind, deadline: rule.rule, keyPeriod, dueAt: dueAt.toISOString() });
          if (wo) await this.options.notify?.(trx, { kind: 'work_order_opened', applicationId: app.id, appNo: app.appNo, title: app.title, unitId: app.unitId, providerOrgId: app.providerOrgId, createdBy: app.createdBy, dueAt });
          await recordAudit(trx, ctx, { action: 'applications.work_order_open', targetType: 'application', targetId: app.id, after: { workOrderId: wo?.id ?? null, dueAt, deadline: rule.rule, keyPeriod } });
        } else {
          const status = d.wfStatus as 'returned' | 'rejected' | 'terminated';
          await trx.updateTable('applications').set({ status, updatedAt: now }).where('id', '=', app.id).execute();
          await this.event(trx, ctx, app.id, status, null, {});
        }
      }
      return changed;
    });
  }

  // ---- demo ---------------------------------------------------------------------------------------------------

  /**
   * Demo data (call after the demo city's systems and price lists exist): an onboarding application for each of
   * the first `limit` information systems without one (or the given systems); all but the last are submitted, so the
   * demo's unit leaders and management staff find them in 我的待办. Systems whose provider has no price list in force
   * are left out. Returns the ids created.
   */
  async loadDemo(opts: { systemIds?: string[]; limit?: number } = {}): Promise<string[]> {
    const ctx = systemContext('demo-loader');
    const systems = await withTx(this.db, ctx, async (trx) => {
      let q = trx.selectFrom('informationSystems as s').select(['s.id', 's.name']).where('s.status', '=', 'active');
      q = opts.systemIds ? q.where('s.id', 'in', opts.systemIds) : q.where((eb) => eb.not(eb.exists(eb.selectFrom('applications as a').select('a.id').whereRef('a.systemId', '=', 's.id'))));
      return q.orderBy('s.systemNo').limit(opts.limit ?? 3).execute();
    });
    const lines = [
      { itemCode: '1001', quantity: '8', months: 12 },
      { itemCode: '1002', quantity: '16', months: 12 },
    ];
    const created: string[] = [];
    for (const [i, s] of systems.entries()) {
      try {
        const app = await this.create(ctx, { systemId: s.id, kind: 'onboarding', title: `${s.name}入云申请（演示）`, reason: '演示数据', lines });
        created.push(app.id);
        if (i < systems.length - 1) await this.submit(ctx, app.id, '演示数据');
      } catch (e) {
        if (!(e instanceof AppError) || e.kind !== 'validation') throw e;
      }
    }
    return created;
  }

  // ---- internals --------------------------------------------------------------------------------------------

  private assertUnit(ctx: RequestContext): void {
    if (ctx.actor.kind !== 'system' && ctx.actor.orgKind !== 'user_unit') {
      throw forbidden('applications.unit_only', 'Applications are made, edited and accepted by user units');
    }
  }

  private assertProvider(ctx: RequestContext, app: AppRow): void {
    if (ctx.actor.kind === 'system') return;
    if (ctx.actor.orgKind !== 'cloud_provider' || !hasPermission(ctx.actor, 'workorder:fulfil')) {
      throw forbidden('applications.provider_only', 'Only the provider the application is addressed to records the delivery');
    }
    if (ctx.actor.scope.all === false && !ctx.actor.scope.roots.includes(app.providerOrgId) && ctx.actor.orgId !== app.providerOrgId) {
      throw forbidden('applications.provider_only', 'Only the provider the application is addressed to records the delivery');
    }
  }

  private async lock(trx: Tx, id: string): Promise<AppRow> {
    const row = await trx.selectFrom('applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound('application', id);
    return row;
  }

  private async system(trx: Tx, id: string) {
    const s = await trx
      .selectFrom('informationSystems as s')
      .innerJoin('cloudNodes as n', 'n.id', 's.nodeId')
      .select(['s.id', 's.unitId', 's.name', 's.nodeId', 's.gradingLevel', 'n.providerOrgId'])
      .where('s.id', '=', id)
      .executeTakeFirst();
    // Only the unit's own systems (and its sub-units'): a provider also reads systems on its nodes.
    const unitVisible = s ? await trx.selectFrom('organisations').select(['id', 'kind']).where('id', '=', s.unitId).executeTakeFirst() : undefined;
    if (!s || !unitVisible) throw new AppError('validation', 'applications.unknown_system', 'No information system of your unit has this id', { issues: [{ field: 'body.systemId', rule: 'own_system', message: 'not a system of your unit', value: id }] });
    if (!s.providerOrgId) {
      throw validationError('applications.no_provider', 'The system’s cloud node has no provider to address the application to', [{ field: 'body.systemId', rule: 'node_provider', message: 'the node runs without a provider', value: id }]);
    }
    const p = await sql<{ name: string | null }>`select zy_provider_name(${s.providerOrgId}::uuid) as name`.execute(trx);
    return { ...s, providerOrgId: s.providerOrgId, providerName: p.rows[0]?.name ?? '' };
  }

  /** Prices lines with the provider's approved price list in force today; refuses items it does not offer. */
  private async price(trx: Tx, ctx: RequestContext, input: { kind: ApplicationKind; lines: LineIn[] }, providerOrgId: string) {
    const today = shanghaiToday();
    const list = await trx
      .selectFrom('priceLists')
      .select(['id', 'catalogVersionId', 'versionNo'])
      .where('providerId', '=', providerOrgId)
      .where('status', '=', 'approved')
      .where('effectiveFrom', '<=', today)
      .where((eb) => eb.or([eb('effectiveTo', 'is', null), eb('effectiveTo', '>=', today)]))
      .orderBy('effectiveFrom', 'desc')
      .executeTakeFirst();
    if (!list) {
      throw validationError('applications.no_price_list', 'The provider has no approved price list in force today', [{ field: 'body.systemId', rule: 'price_list_in_force', message: `no approved price list of the provider covers ${today}` }]);
    }
    const offered = await this.catalog.approvedPricesIn(trx, ctx, list.id);
    const items = await this.catalog.itemsIn(trx, list.catalogVersionId);
    const offer = new Map<string, OfferedItem>();
    for (const it of items) {
      const p = offered?.prices.get(it.code);
      if (p) offer.set(it.code, { code: it.code, item: it.item, category: it.category, unitPrice: p.unitPrice, billingUnitText: p.billingUnitText, billingPeriod: p.billingPeriod });
    }
    const names = new Map(items.map((i) => [i.code, i.item.slice(0, 60)]));
    const r = priceLines(input.kind, input.lines, offer, names);
    if (r.notOffered.length) {
      throw new AppError('validation', 'applications.item_not_offered', `The provider does not offer: ${r.notOffered.join('; ')}`, { issues: r.issues, items: r.notOffered });
    }
    if (r.issues.length) throw validationError('applications.invalid_lines', 'Some lines are invalid', r.issues);
    return { priced: r.lines, priceListId: list.id, catalogVersionId: list.catalogVersionId };
  }

  private async quotaState(trx: Tx, unitId: string, exceptId: string | null): Promise<QuotaState> {
    const q = await trx.selectFrom('applicationQuotas').selectAll().where('unitId', '=', unitId).executeTakeFirst();
    let used = trx
      .selectFrom('applicationLines as l')
      .innerJoin('applications as a', 'a.id', 'l.applicationId')
      .select(['a.kind', 'l.itemCode', 'l.quantity', 'l.delta', 'l.monthlyAmount'])
      .where('a.unitId', '=', unitId)
      .where('a.status', 'in', COMMITTED);
    if (exceptId) used = used.where('a.id', '<>', exceptId);
    const rows = await used.execute();
    const items: Record<string, InstanceType<typeof Dec>> = {};
    for (const r of rows) {
      const basis = r.kind === 'change' ? new Dec(r.delta ?? 0) : r.kind === 'exit' ? new Dec(r.quantity).negated() : new Dec(r.quantity);
      items[r.itemCode] = (items[r.itemCode] ?? new Dec(0)).plus(basis);
    }
    const monthly = sum(rows.filter((r) => r.monthlyAmount !== null).map((r) => new Dec(r.monthlyAmount!)));
    return {
      maxMonthlyAmount: q?.maxMonthlyAmount == null ? null : new Dec(q.maxMonthlyAmount).toFixed(2),
      itemCaps: (q?.itemCaps ?? {}) as Record<string, string>,
      usedMonthlyAmount: monthly.toFixed(2),
      usedItems: Object.fromEntries(Object.entries(items).map(([k, v]) => [k, v.toString()])),
    };
  }

  private async checkQuota(trx: Tx, unitId: string, exceptId: string | null, priced: PricedLine[]): Promise<void> {
    const q = await this.quotaState(trx, unitId, exceptId);
    const issues = quotaProblems(q, priced);
    if (issues.length) throw new AppError('validation', 'applications.over_quota', `The application is over the unit's quota: ${issues.map((i) => i.message).join('; ')}`, { issues });
  }

  /**
   * Budget (contracts module, when wired): the application's amount must fit in what is left of the budget of the
   * current fiscal year for the system (or the unit-wide one). Without a budget there is nothing to check.
   */
  private async checkBudget(ctx: RequestContext, id: string): Promise<void> {
    if (!this.options.budgetFor) return;
    const app = await withTx(this.db, ctx, (trx) => trx.selectFrom('applications').select(['unitId', 'systemId', 'total']).where('id', '=', id).executeTakeFirst());
    if (!app || !new Dec(app.total).isPositive()) return;
    const year = Number(shanghaiToday().slice(0, 4));
    const budget = await this.options.budgetFor(ctx, app.unitId, app.systemId, year);
    if (budget && new Dec(app.total).gt(budget.remaining)) {
      throw validationError('applications.over_budget', `The application (${new Dec(app.total).toFixed(2)} 元) is over the remaining ${year} budget (${new Dec(budget.remaining).toFixed(2)} 元 of ${new Dec(budget.amount).toFixed(2)} 元)`, [
        { field: 'body', rule: 'over_budget', message: `预算余额 ${new Dec(budget.remaining).toFixed(2)} 元，本申请 ${new Dec(app.total).toFixed(2)} 元`, value: app.total },
      ]);
    }
  }

  private async lines(trx: Tx, id: string): Promise<ApplicationLine[]> {
    const rows = await trx.selectFrom('applicationLines').selectAll().where('applicationId', '=', id).orderBy('lineNo').execute();
    return rows.map((r) => ({
      lineNo: r.lineNo,
      itemCode: r.itemCode,
      itemText: r.itemText,
      category: r.category,
      billingUnitText: r.billingUnitText,
      billingPeriod: r.billingPeriod,
      quantity: new Dec(r.quantity).toString(),
      delta: r.delta === null ? null : new Dec(r.delta).toString(),
      months: r.months,
      unitPrice: new Dec(r.unitPrice).toFixed(2),
      monthlyAmount: r.monthlyAmount === null ? null : new Dec(r.monthlyAmount).toFixed(2),
      amount: new Dec(r.amount).toFixed(2),
      delivery: (r.delivery as ApplicationLine['delivery']) ?? null,
      acceptedAt: r.acceptedAt,
    }));
  }

  private toWorkOrder(r: WorkOrderRow, cal: Awaited<ReturnType<CalendarService['days']>>, now: Date): WorkOrder {
    const deadline = r.deadline as Record<string, number>;
    const schedule = 'clockHours' in deadline ? CLOCK_HOURS : OFFICE_HOURS;
    const open = r.status === 'open';
    return {
      id: r.id,
      applicationId: r.applicationId,
      unitId: r.unitId,
      providerOrgId: r.providerOrgId,
      kind: r.kind as WorkOrder['kind'],
      deadline,
      keyPeriod: r.keyPeriod,
      status: r.status as WorkOrder['status'],
      openedAt: r.openedAt,
      dueAt: r.dueAt,
      deliveredAt: r.deliveredAt,
      deliveryNote: r.deliveryNote,
      pushedRef: r.pushedRef,
      acceptedAt: r.acceptedAt,
      rejections: r.rejections,
      lastRejectionReason: r.lastRejectionReason,
      overdue: open ? now > r.dueAt : r.deliveredAt !== null && r.deliveredAt > r.dueAt,
      remainingMs: open ? workingTimeBetween(cal, now, r.dueAt, schedule) : null,
    };
  }

  private async detail(trx: Tx, ctx: RequestContext, id: string): Promise<ApplicationDetail> {
    const row = await trx.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('application', id);
    const lines = await this.lines(trx, id);
    const wo = await trx.selectFrom('workOrders').selectAll().where('applicationId', '=', id).executeTakeFirst();
    const events = await trx.selectFrom('applicationEvents').selectAll().where('applicationId', '=', id).orderBy('id').execute();
    const app = toApplication(row);
    const a = ctx.actor;
    const isUnit = (a.kind === 'system' || a.orgKind === 'user_unit') && hasPermission(a, 'application:write');
    const isProvider = a.orgKind === 'cloud_provider' && hasPermission(a, 'workorder:fulfil') && (a.orgId === row.providerOrgId || (a.scope.all === false && a.scope.roots.includes(row.providerOrgId)));
    const editable = app.status === 'draft' || app.status === 'returned';
    return {
      ...app,
      lines,
      workOrder: wo ? this.toWorkOrder(wo, await this.calendar.days(trx), new Date()) : null,
      timeline: events.map((e) => ({ at: e.at, source: 'application' as const, action: e.action, stepKey: null, actorName: e.actorName, comment: e.comment, details: e.details as Record<string, unknown> })),
      abilities: {
        edit: isUnit && editable,
        submit: isUnit && app.status === 'draft',
        resubmit: isUnit && app.status === 'returned',
        delete: isUnit && app.status === 'draft',
        deliver: isProvider && app.status === 'fulfilling',
        accept: isUnit && app.status === 'delivered',
        rejectDelivery: isUnit && app.status === 'delivered',
      },
    };
  }

  /** Merges the approval steps (workflow events the caller may see) into the application's timeline. */
  private async withWorkflowTimeline(ctx: RequestContext, d: ApplicationDetail): Promise<ApplicationDetail> {
    if (!d.workflowInstanceId || !hasPermission(ctx.actor, 'workflow:read')) return d;
    let wf;
    try {
      wf = await this.workflow.getInstance(ctx, d.workflowInstanceId);
    } catch (e) {
      if (e instanceof AppError && e.kind === 'not_found') return d;
      throw e;
    }
    const names = new Map(wf.steps.map((s) => [s.key, s.name]));
    const entries: TimelineEntry[] = wf.events.map((e) => ({
      at: e.at,
      source: 'workflow',
      action: e.action,
      stepKey: e.stepKey,
      actorName: e.actorName,
      comment: e.comment,
      details: { ...e.details, ...(e.stepKey && names.has(e.stepKey) ? { stepName: names.get(e.stepKey) } : {}) },
    }));
    const timeline = [...d.timeline, ...entries].sort((x, y) => x.at.getTime() - y.at.getTime() || (x.source === y.source ? 0 : x.source === 'application' ? -1 : 1));
    return { ...d, timeline };
  }

  private async event(trx: Tx, ctx: RequestContext, applicationId: string, action: string, comment: string | null, details: Record<string, unknown>): Promise<void> {
    await trx
      .insertInto('applicationEvents')
      .values({ applicationId, action, actorUserId: ctx.actor.userId, actorName: ctx.actor.kind === 'system' ? 'system' : ctx.actor.username, comment, details: jsonb(details) })
      .execute();
  }
}

function checkHeader(input: ApplicationInput): void {
  const issues: FieldIssue[] = [];
  if (input.kind === 'change' && !input.changeType) issues.push({ field: 'body.changeType', rule: 'required', message: 'a change application says what changes: expand, shrink, add_service or stop_service' });
  if (input.kind === 'exit') {
    if (!input.exitDataHandling) issues.push({ field: 'body.exitDataHandling', rule: 'required', message: 'an exit says what happens to the data: migrate (迁出), destroy (销毁) or archive (归档)' });
    if (!input.exitDate) issues.push({ field: 'body.exitDate', rule: 'required', message: 'an exit gives the date of exit' });
  }
  if (input.kind !== 'exit' && input.lines.length === 0) issues.push({ field: 'body.lines', rule: 'min_items', message: 'add at least one catalog item' });
  if (issues.length) throw validationError('applications.invalid', 'The application is incomplete', issues);
}

function notEditable(status: string): AppError {
  return new AppError('conflict', 'applications.not_editable', `Only a draft or a returned application can be edited (this one is ${status})`, { status });
}

async function insertLines(trx: Tx, applicationId: string, lines: PricedLine[]): Promise<void> {
  if (!lines.length) return;
  await trx
    .insertInto('applicationLines')
    .values(
      lines.map((l) => ({
        applicationId,
        lineNo: l.lineNo,
        itemCode: l.itemCode,
        itemText: l.itemText,
        category: l.category,
        billingUnitText: l.billingUnitText,
        billingPeriod: l.billingPeriod,
        quantity: l.quantity,
        delta: l.delta,
        months: l.months,
        unitPrice: l.unitPrice,
        monthlyAmount: l.monthlyAmount,
        amount: l.amount,
      })),
    )
    .execute();
}
