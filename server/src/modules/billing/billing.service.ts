import { sql } from 'kysely';
import { hasPermission, systemContext, type RequestContext } from '../../platform/context.js';
import { sm3Hex } from '../../platform/crypto/index.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import { Dec, formatYuan, roundYuan, sum, toChineseUppercase } from '../../platform/money.js';
import type { CatalogItemData, CatalogService } from '../catalog/index.js';
import type { ResourceKind } from '../inventory/index.js';
import { daysInMonth, lineAmount, meterResource } from './billing.mapping.js';
import * as repo from './billing.repository.js';
import type {
  Bill,
  BillDetail,
  BillLine,
  BillListQuery,
  BillStatus,
  MeterResult,
  Overview,
  OverviewQuery,
  Reconciliation,
  RunResult,
} from './billing.schemas.js';

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
const USAGE_PAGE = 500;
const iso = (d: Date | string | null) => (d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString());

function monthStart(month: string): string {
  return `${month.slice(0, 7)}-01`;
}
function monthEnd(month: string): string {
  return `${month.slice(0, 7)}-${String(daysInMonth(monthStart(month))).padStart(2, '0')}`;
}
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

interface LineInsert {
  line_type: 'usage' | 'adjustment';
  node_id: string | null;
  system_id: string | null;
  system_no: string | null;
  system_name: string | null;
  item_code: string | null;
  item_name: string | null;
  item_kind: string | null;
  billing_unit: string | null;
  price_list_id: string | null;
  price_list_version: number | null;
  unit_price: string | null;
  billing_period: string | null;
  quantity_days: string | null;
  resource_days: number | null;
  amount: string | null;
  price_status: 'ok' | 'price_missing' | 'period_unsupported';
  adjustment_id: string | null;
  reason: string | null;
}

export interface RunOptions {
  /** Called after each bill's transaction committed (tests simulate a crash by throwing here). */
  afterBill?: (index: number) => void | Promise<void>;
}

/**
 * Metering (计量), monthly bills (账单) and reconciliation (对账). Usage: one row per resource × catalog item × day from
 * the inventory; bills per unit × provider with lines per node × system × item × price segment; see docs/billing.md.
 */
export class BillingService {
  constructor(
    private readonly db: Db,
    private readonly catalog: CatalogService,
  ) {}

  private tx<T>(ctx: RequestContext, fn: (trx: Tx) => Promise<T>): Promise<T> {
    return withTx(this.db, ctx, async (trx) => {
      await sql`set local jit = off`.execute(trx);
      return fn(trx);
    });
  }

  private async catalogItems(trx: Tx): Promise<Map<string, CatalogItemData>> {
    const version = await this.catalog.currentVersionIn(trx);
    if (!version) return new Map();
    return new Map((await this.catalog.itemsIn(trx, version.id)).map((i) => [i.code, i]));
  }

  /**
   * Meters one day: replaces the day's usage rows with one row per active resource × item (resources with
   * created_date ≤ day and no deleted_date or one after the day). Refused for a month with a locked bill.
   */
  async meterDay(day: string, ctx: RequestContext = systemContext('billing.meter')): Promise<MeterResult> {
    const started = Date.now();
    return this.tx(ctx, async (trx) => {
      const month = monthStart(day);
      await sql`select pg_advisory_xact_lock(hashtext('billing.meter'), hashtext(${month}))`.execute(trx);
      if ((await repo.lockedBillCount(trx, month)) > 0) {
        throw new AppError('conflict', 'billing.month_locked', `${month.slice(0, 7)} has locked bills: its usage can no longer change (corrections are adjustments on a later bill)`, { month: month.slice(0, 7) });
      }
      const items = await this.catalogItems(trx);
      const resources = await repo.activeResources(trx, day);
      const rows: repo.UsageRow[] = [];
      for (const r of resources) {
        for (const line of meterResource(r.kind as ResourceKind, r.quantities, items)) rows.push({ ...line, resource: r });
      }
      await repo.replaceDayUsage(trx, day, rows);
      return { day, resources: resources.length, usageRows: rows.length, unmappedRows: rows.filter((r) => r.itemCode === null).length, durationMs: Date.now() - started };
    });
  }

  /** Meters every day of a month up to `lastDay` (inclusive). */
  async meterMonth(month: string, lastDay?: string, ctx?: RequestContext): Promise<MeterResult[]> {
    const start = monthStart(month);
    const end = lastDay ?? monthEnd(month);
    const out: MeterResult[] = [];
    for (let d = new Date(`${start}T00:00:00Z`); d.toISOString().slice(0, 10) <= end; d.setUTCDate(d.getUTCDate() + 1)) {
      out.push(await this.meterDay(d.toISOString().slice(0, 10), ctx));
    }
    return out;
  }

  /**
   * The bill run of a month: every unit × provider with usage (or an adjustment, or a draft bill already) gets its
   * bill recomputed — one transaction per bill, so an interrupted run leaves complete bills behind and a rerun
   * completes the rest; bills past draft are left as they are. Idempotent.
   */
  async runMonth(ctx: RequestContext, monthText: string, opts: RunOptions = {}): Promise<RunResult> {
    const started = Date.now();
    const month = monthStart(monthText);
    const end = monthEnd(month);
    const days = daysInMonth(month);
    const plan = await this.tx(ctx, async (trx) => {
      const all = await repo.aggregateMonth(trx, month, end);
      const counts = { unmapped: 0, unowned: 0 };
      const rows: Array<repo.AggregateRow & { unitOrgId: string; itemCode: string }> = [];
      for (const r of all) {
        if (r.itemCode === null) counts.unmapped += Number(r.resourceDays);
        else if (r.unitOrgId === null) counts.unowned += Number(r.resourceDays);
        else rows.push(r as repo.AggregateRow & { unitOrgId: string; itemCode: string });
      }
      const existing = await sql<{ id: string; unitOrgId: string; providerOrgId: string; status: string }>`
        select id, unit_org_id as "unitOrgId", provider_org_id as "providerOrgId", status from billing_bills where month = ${month}::date`.execute(trx);
      const adjustments = await sql<{ id: string; unitOrgId: string; providerOrgId: string; systemNo: string | null; itemCode: string | null; amount: string; reason: string }>`
        select id, unit_org_id as "unitOrgId", provider_org_id as "providerOrgId", system_no as "systemNo", item_code as "itemCode", amount, reason
          from billing_adjustments where target_month = ${month}::date order by created_at`.execute(trx);
      const orgIds = new Set<string>();
      for (const r of rows) orgIds.add(r.unitOrgId).add(r.providerOrgId);
      for (const a of adjustments.rows) orgIds.add(a.unitOrgId).add(a.providerOrgId);
      const names = await repo.orgNames(trx, [...orgIds]);
      const systems = await repo.systemNames(trx, [...new Set(rows.map((r) => r.systemId).filter((x): x is string => x !== null))]);
      const items = await this.catalogItems(trx);
      return { rows, existing: existing.rows, adjustments: adjustments.rows, counts, names, systems, items };
    });

    type Group = { unitOrgId: string; providerOrgId: string; rows: typeof plan.rows; adjustments: typeof plan.adjustments };
    const groups = new Map<string, Group>();
    const group = (unitOrgId: string, providerOrgId: string) => {
      const key = `${unitOrgId}|${providerOrgId}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { unitOrgId, providerOrgId, rows: [], adjustments: [] }));
      return g;
    };
    for (const r of plan.rows) group(r.unitOrgId, r.providerOrgId).rows.push(r);
    for (const a of plan.adjustments) group(a.unitOrgId, a.providerOrgId).adjustments.push(a);
    for (const b of plan.existing) if (b.status === 'draft') group(b.unitOrgId, b.providerOrgId);
    const statusOf = new Map(plan.existing.map((b) => [`${b.unitOrgId}|${b.providerOrgId}`, b.status]));

    const result: RunResult = {
      month: month.slice(0, 7),
      bills: 0,
      skipped: 0,
      lines: 0,
      priceMissingLines: 0,
      unmappedUsageRows: plan.counts.unmapped,
      unownedUsageRows: plan.counts.unowned,
      total: '0.00',
      issues: [],
      durationMs: 0,
    };
    let total = new Dec(0);
    let index = 0;
    for (const [key, g] of groups) {
      if ((statusOf.get(key) ?? 'draft') !== 'draft') {
        result.skipped++;
        continue;
      }
      const unitName = plan.names.get(g.unitOrgId) ?? g.unitOrgId;
      const providerName = plan.names.get(g.providerOrgId) ?? g.providerOrgId;
      const lines: LineInsert[] = g.rows.map((r): LineInsert => {
        const item = plan.items.get(r.itemCode);
        let unitPrice = r.unitPrice;
        let period = r.billingPeriod;
        let status: 'ok' | 'price_missing' | 'period_unsupported' = 'ok';
        let amount: string | null = null;
        if (r.itemKind === 'baseline') {
          unitPrice = '0.00';
          period = 'month';
          amount = '0.00';
        } else if (unitPrice === null || period === null) {
          status = 'price_missing';
          if (result.issues.length < 200) {
            result.issues.push({
              code: 'billing.price_missing',
              unitName,
              providerName,
              systemNo: r.systemNo,
              itemCode: r.itemCode,
              resourceDays: Number(r.resourceDays),
              message: r.priceListId === null ? `${providerName} 在部分日期没有生效的已审核报价` : `${providerName} 的报价第 ${r.priceListVersion} 版没有 ${r.itemCode} 的单价`,
            });
          }
        } else {
          const a = lineAmount(new Dec(r.quantityDays), new Dec(unitPrice), period, days);
          if (a === null) status = 'period_unsupported';
          else amount = a.toFixed(2);
        }
        return {
          line_type: 'usage',
          node_id: r.nodeId,
          system_id: r.systemId,
          system_no: r.systemNo,
          system_name: r.systemId ? (plan.systems.get(r.systemId) ?? null) : null,
          item_code: r.itemCode,
          item_name: item ? (item.subcategory && item.kind !== 'baseline' ? `${item.subcategory}｜${item.item}` : item.item).slice(0, 300) : null,
          item_kind: r.itemKind,
          billing_unit: r.billingUnit,
          price_list_id: r.priceListId,
          price_list_version: r.priceListVersion,
          unit_price: unitPrice,
          billing_period: period,
          quantity_days: r.quantityDays,
          resource_days: Number(r.resourceDays),
          amount,
          price_status: status,
          adjustment_id: null,
          reason: null,
        };
      });
      for (const a of g.adjustments) {
        lines.push({
          line_type: 'adjustment',
          node_id: null,
          system_id: null,
          system_no: a.systemNo,
          system_name: null,
          item_code: a.itemCode,
          item_name: a.itemCode ? (plan.items.get(a.itemCode)?.item.slice(0, 300) ?? null) : null,
          item_kind: null,
          billing_unit: null,
          price_list_id: null,
          price_list_version: null,
          unit_price: null,
          billing_period: null,
          quantity_days: null,
          resource_days: null,
          amount: new Dec(a.amount).toFixed(2),
          price_status: 'ok',
          adjustment_id: a.id,
          reason: a.reason,
        });
      }
      const billTotal = sum(lines.filter((l) => l.amount !== null).map((l) => new Dec(l.amount!)));
      const missing = lines.filter((l) => l.price_status !== 'ok').length;
      const committed = await this.tx(ctx, async (trx) => {
        await sql`insert into billing_bills (month, unit_org_id, provider_org_id, unit_name, provider_name)
                  values (${month}::date, ${g.unitOrgId}::uuid, ${g.providerOrgId}::uuid, ${unitName}, ${providerName})
                  on conflict (month, unit_org_id, provider_org_id) do nothing`.execute(trx);
        const bill = await sql<{ id: string; status: string }>`
          select id, status from billing_bills where month = ${month}::date and unit_org_id = ${g.unitOrgId}::uuid and provider_org_id = ${g.providerOrgId}::uuid for update`.execute(trx);
        const b = bill.rows[0]!;
        if (b.status !== 'draft') return false;
        await sql`delete from billing_bill_lines where bill_id = ${b.id}::uuid`.execute(trx);
        if (lines.length > 0) {
          await sql`
            insert into billing_bill_lines (bill_id, line_type, node_id, system_id, system_no, system_name, item_code, item_name, item_kind, billing_unit,
                                            price_list_id, price_list_version, unit_price, billing_period, quantity_days, resource_days, amount,
                                            price_status, adjustment_id, reason)
            select ${b.id}::uuid, x.line_type, x.node_id, x.system_id, x.system_no, x.system_name, x.item_code, x.item_name, x.item_kind, x.billing_unit,
                   x.price_list_id, x.price_list_version, x.unit_price, x.billing_period, x.quantity_days, x.resource_days, x.amount,
                   x.price_status, x.adjustment_id, x.reason
              from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) as x(line_type text, node_id uuid, system_id uuid, system_no text, system_name text,
                   item_code text, item_name text, item_kind text, billing_unit text, price_list_id uuid, price_list_version integer, unit_price numeric,
                   billing_period text, quantity_days numeric, resource_days integer, amount numeric, price_status text, adjustment_id uuid, reason text)`.execute(trx);
        }
        await sql`update billing_bills set total = ${billTotal.toFixed(2)}::numeric, price_missing_count = ${missing}, computed_at = now(),
                         unit_name = ${unitName}, provider_name = ${providerName}
                   where id = ${b.id}::uuid`.execute(trx);
        return true;
      });
      if (!committed) {
        result.skipped++;
        continue;
      }
      result.bills++;
      result.lines += lines.length;
      result.priceMissingLines += missing;
      total = total.plus(billTotal);
      await opts.afterBill?.(index++);
    }
    result.total = total.toFixed(2);
    result.durationMs = Date.now() - started;
    return result;
  }

  // ---- reads

  private toBill(b: repo.BillRow): Bill {
    return {
      id: b.id,
      month: b.month,
      unit: { id: b.unitOrgId, name: b.unitName },
      provider: { id: b.providerOrgId, name: b.providerName },
      status: b.status as BillStatus,
      total: new Dec(b.total).toFixed(2),
      totalUppercase: toChineseUppercase(new Dec(b.total)),
      priceMissingCount: b.priceMissingCount,
      openDisputes: b.openDisputes,
      computedAt: iso(b.computedAt)!,
      providerConfirmedAt: iso(b.providerConfirmedAt),
      unitConfirmedAt: iso(b.unitConfirmedAt),
      lockedAt: iso(b.lockedAt),
    };
  }

  private toLine(l: repo.LineRow, days: number): BillLine {
    return {
      id: l.id,
      lineType: l.lineType as 'usage' | 'adjustment',
      nodeId: l.nodeId,
      systemId: l.systemId,
      systemNo: l.systemNo,
      systemName: l.systemName,
      itemCode: l.itemCode,
      itemName: l.itemName,
      itemKind: l.itemKind,
      billingUnit: l.billingUnit,
      priceListId: l.priceListId,
      priceListVersion: l.priceListVersion,
      unitPrice: l.unitPrice === null ? null : new Dec(l.unitPrice).toFixed(2),
      billingPeriod: l.billingPeriod,
      quantityDays: l.quantityDays === null ? null : new Dec(l.quantityDays).toString(),
      averageQuantity: l.quantityDays === null ? null : new Dec(l.quantityDays).dividedBy(days).toDecimalPlaces(4).toString(),
      resourceDays: l.resourceDays,
      amount: l.amount === null ? null : new Dec(l.amount).toFixed(2),
      priceStatus: l.priceStatus as BillLine['priceStatus'],
      reason: l.reason,
    };
  }

  async list(ctx: RequestContext, q: BillListQuery): Promise<{ items: Bill[]; total: string }> {
    return this.tx(ctx, async (trx) => {
      const rows = await repo.listBills(trx, q);
      return { items: rows.map((b) => this.toBill(b)), total: formatYuan(sum(rows.map((b) => new Dec(b.total)))) };
    });
  }

  private async visibleBill(trx: Tx, id: string, forUpdate = false): Promise<repo.BillRow> {
    const b = await repo.findBill(trx, id, forUpdate);
    if (!b) throw notFound('billing.bill', id);
    return b;
  }

  private abilities(ctx: RequestContext, b: repo.BillRow): BillDetail['abilities'] {
    const a = ctx.actor;
    const confirm = hasPermission(a, 'billing:confirm') && b.openDisputes === 0 &&
      ((a.orgKind === 'cloud_provider' && b.status === 'draft') || (a.orgKind === 'user_unit' && b.status === 'provider_confirmed'));
    const manage = hasPermission(a, 'billing:manage') && a.scope.all;
    return {
      confirm,
      dispute: (hasPermission(a, 'billing:confirm') || manage) && b.status !== 'locked',
      lock: manage && b.status === 'unit_confirmed' && b.openDisputes === 0,
      resolve: manage && b.openDisputes > 0,
      recompute: manage && b.status === 'draft',
      adjust: manage && b.status === 'locked',
    };
  }

  async get(ctx: RequestContext, id: string): Promise<BillDetail> {
    return this.tx(ctx, async (trx) => this.detailIn(trx, ctx, id));
  }

  private async detailIn(trx: Tx, ctx: RequestContext, id: string): Promise<BillDetail> {
    const b = await this.visibleBill(trx, id);
    const days = daysInMonth(`${b.month}-01`);
    const lines = await repo.billLines(trx, id);
    const disputes = await sql<{ id: string; comment: string; status: string; authorOrgId: string | null; createdAt: Date; resolution: string | null; resolvedAt: Date | null }>`
      select id, comment, status, author_org_id as "authorOrgId", created_at as "createdAt", resolution, resolved_at as "resolvedAt"
        from billing_disputes where bill_id = ${id}::uuid order by created_at`.execute(trx);
    const atts = await sql<{ id: string; disputeId: string; fileName: string; sm3: string; sizeBytes: number }>`
      select a.id, a.dispute_id as "disputeId", a.file_name as "fileName", a.sm3, a.size_bytes as "sizeBytes"
        from billing_attachments a join billing_disputes d on d.id = a.dispute_id where d.bill_id = ${id}::uuid order by a.created_at`.execute(trx);
    return {
      ...this.toBill(b),
      daysInMonth: days,
      lines: lines.map((l) => this.toLine(l, days)),
      disputes: disputes.rows.map((d) => ({
        id: d.id,
        comment: d.comment,
        status: d.status as 'open' | 'resolved',
        authorOrgId: d.authorOrgId,
        createdAt: iso(d.createdAt)!,
        resolution: d.resolution,
        resolvedAt: iso(d.resolvedAt),
        attachments: atts.rows.filter((a) => a.disputeId === d.id).map(({ id: aid, fileName, sm3, sizeBytes }) => ({ id: aid, fileName, sm3, sizeBytes })),
      })),
      abilities: this.abilities(ctx, b),
    };
  }

  /** The daily usage rows behind one bill line, with the price each day was charged at. */
  async lineUsage(ctx: RequestContext, billId: string, lineId: string, page = 1) {
    return this.tx(ctx, async (trx) => {
      const b = await this.visibleBill(trx, billId);
      const line = await repo.findLine(trx, billId, lineId);
      if (!line) throw notFound('billing.line', lineId);
      const month = `${b.month}-01`;
      const days = daysInMonth(month);
      if (line.lineType !== 'usage') return { line: this.toLine(line, days), daysInMonth: days, items: [], total: 0, page, pageSize: USAGE_PAGE };
      // Days of the line's price segment: in the price list's range, or (no list) days with no approved list in force.
      const where = sql`u.month = ${month}::date and u.unit_org_id = ${b.unitOrgId}::uuid and u.provider_org_id = ${b.providerOrgId}::uuid
        and u.node_id = ${line.nodeId}::uuid and u.system_no is not distinct from ${line.systemNo} and u.item_code = ${line.itemCode}
        and (${line.itemKind} = 'baseline' or (case when ${line.priceListId}::uuid is null
              then not exists (select 1 from price_lists p where p.provider_id = u.provider_org_id and p.status = 'approved'
                                and u.day between p.effective_from and coalesce(p.effective_to, '9999-12-31'::date))
              else exists (select 1 from price_lists p where p.id = ${line.priceListId}::uuid
                                and u.day between p.effective_from and coalesce(p.effective_to, '9999-12-31'::date)) end))`;
      const count = await sql<{ n: string }>`select count(*) as n from billing_usage u where ${where}`.execute(trx);
      const rows = await sql<{ day: string; resourceId: string; resourceName: string | null; naturalKey: string | null; resourceKind: string; sourceKey: string; sourceQuantity: string; quantity: string; billingUnit: string | null }>`
        select to_char(u.day, 'YYYY-MM-DD') as day, u.resource_id as "resourceId", r.name as "resourceName", r.natural_key as "naturalKey",
               u.resource_kind as "resourceKind", u.source_key as "sourceKey", u.source_quantity as "sourceQuantity", u.quantity, u.billing_unit as "billingUnit"
          from billing_usage u left join inventory_resources r on r.id = u.resource_id
         where ${where}
         order by u.day, r.name, u.resource_id
         limit ${USAGE_PAGE} offset ${(page - 1) * USAGE_PAGE}`.execute(trx);
      const price = line.unitPrice === null ? null : new Dec(line.unitPrice);
      return {
        line: this.toLine(line, days),
        daysInMonth: days,
        items: rows.rows.map((r) => ({
          ...r,
          sourceQuantity: new Dec(r.sourceQuantity).toString(),
          quantity: new Dec(r.quantity).toString(),
          unitPrice: price === null ? null : price.toFixed(2),
          priceListVersion: line.priceListVersion,
          dayAmount: price === null ? null : new Dec(r.quantity).times(price).dividedBy(line.billingPeriod === 'year' ? days * 12 : days).toDecimalPlaces(6).toString(),
        })),
        total: Number(count.rows[0]!.n),
        page,
        pageSize: USAGE_PAGE,
      };
    });
  }

  // ---- state changes

  async confirm(ctx: RequestContext, id: string): Promise<BillDetail> {
    return this.tx(ctx, async (trx) => {
      const b = await this.visibleBill(trx, id, true);
      const kind = ctx.actor.orgKind;
      if (b.openDisputes > 0) throw new AppError('conflict', 'billing.open_disputes', 'The bill has open disputes: resolve them first', { openDisputes: b.openDisputes });
      if (kind === 'cloud_provider') {
        if (b.status !== 'draft') throw new AppError('conflict', 'billing.wrong_state', `Only a draft bill can be confirmed by the provider (this one is ${b.status})`, { status: b.status });
        if (b.priceMissingCount > 0) throw new AppError('conflict', 'billing.price_missing', `${b.priceMissingCount} lines have no price: the bill cannot be confirmed`, { lines: b.priceMissingCount });
        await sql`update billing_bills set status = 'provider_confirmed', provider_confirmed_at = now(), provider_confirmed_by = ${ctx.actor.userId}::uuid where id = ${id}::uuid`.execute(trx);
      } else if (kind === 'user_unit') {
        if (b.status !== 'provider_confirmed') throw new AppError('conflict', 'billing.wrong_state', `The unit confirms a bill after the provider (this one is ${b.status})`, { status: b.status });
        await sql`update billing_bills set status = 'unit_confirmed', unit_confirmed_at = now(), unit_confirmed_by = ${ctx.actor.userId}::uuid where id = ${id}::uuid`.execute(trx);
      } else {
        throw new AppError('forbidden', 'billing.not_a_party', 'Only the bill\'s provider and unit confirm it');
      }
      return this.detailIn(trx, ctx, id);
    });
  }

  async lock(ctx: RequestContext, id: string): Promise<BillDetail> {
    return this.tx(ctx, async (trx) => {
      const b = await this.visibleBill(trx, id, true);
      if (!ctx.actor.scope.all) throw new AppError('forbidden', 'billing.management_only', 'Only the management unit locks bills');
      if (b.status !== 'unit_confirmed') throw new AppError('conflict', 'billing.wrong_state', `Only a bill confirmed by provider and unit can be locked (this one is ${b.status})`, { status: b.status });
      if (b.openDisputes > 0) throw new AppError('conflict', 'billing.open_disputes', 'The bill has open disputes: resolve them first', { openDisputes: b.openDisputes });
      await sql`update billing_bills set status = 'locked', locked_at = now(), locked_by = ${ctx.actor.userId}::uuid where id = ${id}::uuid`.execute(trx);
      return this.detailIn(trx, ctx, id);
    });
  }

  /** A dispute (异议): comment and attachments; confirmations are withdrawn (the bill goes back to draft). */
  async dispute(ctx: RequestContext, id: string, body: { comment: string; attachments?: Array<{ fileName: string; contentBase64: string }> | undefined }): Promise<BillDetail> {
    const files = (body.attachments ?? []).map((a, i) => {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.contentBase64)) {
        throw new AppError('validation', 'billing.bad_attachment', `attachments[${i}].contentBase64 is not base64`, [{ field: `body.attachments[${i}].contentBase64`, rule: 'base64', message: 'not base64' }]);
      }
      const bytes = Buffer.from(a.contentBase64, 'base64');
      if (bytes.length > MAX_ATTACHMENT_BYTES) {
        throw new AppError('validation', 'billing.attachment_too_large', `attachments[${i}] (${a.fileName}) is ${bytes.length} bytes; at most 5 MB`, [{ field: `body.attachments[${i}].contentBase64`, rule: 'max_bytes', message: 'at most 5 MB' }]);
      }
      return { fileName: a.fileName, bytes, sm3: sm3Hex(bytes) };
    });
    return this.tx(ctx, async (trx) => {
      const b = await this.visibleBill(trx, id, true);
      if (b.status === 'locked') throw new AppError('conflict', 'billing.bill_locked', 'A locked bill never changes: ask the management unit for an adjustment on a later bill');
      const d = await sql<{ id: string }>`insert into billing_disputes (bill_id, author_id, author_org_id, comment)
        values (${id}::uuid, ${ctx.actor.userId}::uuid, ${ctx.actor.orgId}::uuid, ${body.comment}) returning id`.execute(trx);
      for (const f of files) {
        await sql`insert into billing_attachments (dispute_id, file_name, sm3, size_bytes, content)
                  values (${d.rows[0]!.id}::uuid, ${f.fileName}, ${f.sm3}, ${f.bytes.length}, ${f.bytes})`.execute(trx);
      }
      if (b.status !== 'draft') {
        await sql`update billing_bills set status = 'draft', provider_confirmed_at = null, provider_confirmed_by = null, unit_confirmed_at = null, unit_confirmed_by = null
                   where id = ${id}::uuid`.execute(trx);
      }
      return this.detailIn(trx, ctx, id);
    });
  }

  async resolveDispute(ctx: RequestContext, id: string, disputeId: string, resolution: string): Promise<BillDetail> {
    return this.tx(ctx, async (trx) => {
      await this.visibleBill(trx, id, true);
      if (!ctx.actor.scope.all) throw new AppError('forbidden', 'billing.management_only', 'Only the management unit resolves disputes');
      const r = await sql`update billing_disputes set status = 'resolved', resolution = ${resolution}, resolved_by = ${ctx.actor.userId}::uuid, resolved_at = now()
                           where id = ${disputeId}::uuid and bill_id = ${id}::uuid and status = 'open'`.execute(trx);
      if (Number(r.numAffectedRows ?? 0) === 0) throw notFound('billing.dispute', disputeId);
      return this.detailIn(trx, ctx, id);
    });
  }

  async attachment(ctx: RequestContext, billId: string, attachmentId: string): Promise<{ fileName: string; content: Buffer; sm3: string }> {
    return this.tx(ctx, async (trx) => {
      await this.visibleBill(trx, billId);
      const r = await sql<{ fileName: string; content: Buffer; sm3: string }>`
        select a.file_name as "fileName", a.content, a.sm3 from billing_attachments a join billing_disputes d on d.id = a.dispute_id
         where a.id = ${attachmentId}::uuid and d.bill_id = ${billId}::uuid`.execute(trx);
      const a = r.rows[0];
      if (!a) throw notFound('billing.attachment', attachmentId);
      return a;
    });
  }

  /**
   * A correction of a locked bill: an adjustment line on the same unit × provider's bill of the first later month whose
   * bill is still a draft (or not made yet); the next bill run of that month carries it.
   */
  async adjust(ctx: RequestContext, body: { lockedBillId: string; amount: string; reason: string; systemNo?: string | undefined; itemCode?: string | undefined }) {
    return this.tx(ctx, async (trx) => {
      const b = await this.visibleBill(trx, body.lockedBillId);
      if (!ctx.actor.scope.all) throw new AppError('forbidden', 'billing.management_only', 'Only the management unit adjusts bills');
      if (b.status !== 'locked') throw new AppError('conflict', 'billing.not_locked', 'Adjust a locked bill only; a draft bill is recomputed instead', { status: b.status });
      if (new Dec(body.amount).isZero()) throw new AppError('validation', 'billing.zero_adjustment', 'An adjustment of 0.00 changes nothing', [{ field: 'body.amount', rule: 'not_zero', message: 'must not be 0' }]);
      const later = await sql<{ month: string; status: string }>`
        select to_char(month, 'YYYY-MM-DD') as month, status from billing_bills
         where unit_org_id = ${b.unitOrgId}::uuid and provider_org_id = ${b.providerOrgId}::uuid and month > ${`${b.month}-01`}::date`.execute(trx);
      const closed = new Set(later.rows.filter((r) => r.status !== 'draft').map((r) => r.month));
      let target = nextMonth(`${b.month}-01`);
      while (closed.has(target)) target = nextMonth(target);
      const r = await sql<{ id: string }>`
        insert into billing_adjustments (locked_bill_id, target_month, unit_org_id, provider_org_id, system_no, item_code, amount, reason, created_by)
        values (${b.id}::uuid, ${target}::date, ${b.unitOrgId}::uuid, ${b.providerOrgId}::uuid, ${body.systemNo ?? null}, ${body.itemCode ?? null},
                ${new Dec(body.amount).toFixed(2)}::numeric, ${body.reason}, ${ctx.actor.userId}::uuid) returning id`.execute(trx);
      return { id: r.rows[0]!.id, targetMonth: target.slice(0, 7), amount: new Dec(body.amount).toFixed(2) };
    });
  }

  // ---- views

  /** Amounts by node, provider, unit, system, item or month over a range of months (default: the last 12). */
  async overview(ctx: RequestContext, q: OverviewQuery): Promise<Overview> {
    const groupBy = q.groupBy ?? 'provider';
    const to = q.to ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    let from = q.from;
    if (!from) {
      const [y, m] = to.split('-').map(Number) as [number, number];
      const d = new Date(Date.UTC(y, m - 12, 1));
      from = d.toISOString().slice(0, 7);
    }
    if (from > to) throw new AppError('validation', 'billing.bad_range', '`from` is after `to`', [{ field: 'query.from', rule: 'before_to', message: 'from ≤ to' }]);
    const key = {
      node: sql`coalesce(l.node_id::text, '')`,
      provider: sql`b.provider_org_id::text`,
      unit: sql`b.unit_org_id::text`,
      system: sql`coalesce(l.system_no, '')`,
      item: sql`coalesce(l.item_code, '')`,
      month: sql`to_char(b.month, 'YYYY-MM')`,
    }[groupBy];
    const label = {
      node: sql`coalesce((select n.name from cloud_nodes n where n.id = l.node_id), '调整')`,
      provider: sql`b.provider_name`,
      unit: sql`b.unit_name`,
      system: sql`coalesce(l.system_name, l.system_no, '调整')`,
      item: sql`coalesce(l.item_name, '调整')`,
      month: sql`to_char(b.month, 'YYYY-MM')`,
    }[groupBy];
    return this.tx(ctx, async (trx) => {
      const r = await sql<{ key: string; label: string; month: string; amount: string }>`
        select ${key} as key, min(${label}) as label, to_char(b.month, 'YYYY-MM') as month, coalesce(sum(l.amount), 0) as amount
          from billing_bills b join billing_bill_lines l on l.bill_id = b.id
         where b.month between to_date(${from}, 'YYYY-MM') and to_date(${to}, 'YYYY-MM')
         group by 1, 3`.execute(trx);
      const months = [...new Set(r.rows.map((x) => x.month))].sort();
      const rows = new Map<string, { key: string; label: string; amounts: Dec[] }>();
      for (const x of r.rows) {
        let row = rows.get(x.key);
        if (!row) rows.set(x.key, (row = { key: x.key, label: x.label, amounts: months.map(() => new Dec(0)) }));
        const i = months.indexOf(x.month);
        row.amounts[i] = row.amounts[i]!.plus(x.amount);
      }
      const out = [...rows.values()].map((row) => ({ key: row.key, label: row.label, amounts: row.amounts.map((a) => a.toFixed(2)), total: sum(row.amounts).toFixed(2) }));
      out.sort((a, b) => new Dec(b.total).comparedTo(new Dec(a.total)) || a.label.localeCompare(b.label));
      const totals = months.map((_, i) => sum([...rows.values()].map((row) => row.amounts[i]!)));
      return { groupBy, months, rows: out, totals: totals.map((t) => t.toFixed(2)), total: sum(totals).toFixed(2) };
    });
  }

  /**
   * Reconciliation (对账) of a bill: (a) each billed cloud host's quantities on its last billed day against the latest
   * 云主机规格数据 the provider reported by the end of the month; (b) billed cloud hosts with no 云主机监控数据 sample
   * in the month. Each difference carries its amount (see docs/billing.md).
   */
  async reconcile(ctx: RequestContext, id: string): Promise<Reconciliation> {
    return this.tx(ctx, async (trx) => {
      const b = await this.visibleBill(trx, id);
      const month = `${b.month}-01`;
      const end = monthEnd(month);
      const days = daysInMonth(month);
      const hosts = await sql<{ resourceId: string; cloudHostId: string; name: string; sourceKey: string; billed: string; billedQuantity: string; days: string; unitPrice: string | null; billingPeriod: string | null }>`
        with h as (
          select u.resource_id, u.source_key, u.item_code, u.node_id, u.system_no,
                 (array_agg(u.source_quantity order by u.day desc))[1] as billed, (array_agg(u.quantity order by u.day desc))[1] as billed_q,
                 max(u.day) as last_day, count(*) as days
            from billing_usage u
           where u.month = ${month}::date and u.unit_org_id = ${b.unitOrgId}::uuid and u.provider_org_id = ${b.providerOrgId}::uuid
             and u.resource_kind = 'cloud_host' and u.item_code is not null
           group by 1, 2, 3, 4, 5)
        select h.resource_id as "resourceId", r.natural_key as "cloudHostId", r.name, h.source_key as "sourceKey", h.billed, h.billed_q as "billedQuantity",
               h.days, i.unit_price as "unitPrice", i.billing_period as "billingPeriod"
          from h join inventory_resources r on r.id = h.resource_id
          left join price_lists p on p.provider_id = ${b.providerOrgId}::uuid and p.status = 'approved' and h.last_day between p.effective_from and coalesce(p.effective_to, '9999-12-31'::date)
          left join price_list_items i on i.price_list_id = p.id and i.item_code = h.item_code`.execute(trx);
      const hostIds = [...new Set(hosts.rows.map((h) => h.cloudHostId))];
      const spec = await sql<{ cloudHostId: string; cpuCores: string | null; memoryGb: string | null; standardStorageGb: string | null; highPerfStorageGb: string | null; staticStorageGb: string | null }>`
        select distinct on (s.cloud_host_id) s.cloud_host_id as "cloudHostId", s.cpu_cores::text as "cpuCores", s.memory_allocated::text as "memoryGb",
               s.standard_storage_allocated::text as "standardStorageGb", s.high_perf_storage_allocated::text as "highPerfStorageGb",
               s.static_storage_allocated::text as "staticStorageGb"
          from ingest_cloud_host_spec s
         where s.provider_org_id = ${b.providerOrgId}::uuid and s.received_at >= (${month}::date - interval '1 month')
           and s.received_at < (${end}::date + 1) and s.cloud_host_id = any(${hostIds}::text[])
         order by s.cloud_host_id, s.received_at desc, s.batch_id desc`.execute(trx);
      const monitored = await sql<{ cloudHostId: string; samples: string }>`
        select m.cloud_host_id as "cloudHostId", count(*) as samples from ingest_cloud_host_monitoring m
         where m.provider_org_id = ${b.providerOrgId}::uuid and m.received_at >= ${month}::date and m.received_at < (${end}::date + 1)
           and m.cloud_host_id = any(${hostIds}::text[])
         group by 1`.execute(trx);
      // What each host costs in the month: each day at the price in force that day (monthly prices; baseline free).
      const costs = await sql<{ resourceId: string; amount: string }>`
        select u.resource_id as "resourceId", sum(u.quantity * i.unit_price / ${days}::numeric) as amount
          from billing_usage u
          join price_lists p on p.provider_id = u.provider_org_id and p.status = 'approved' and u.day between p.effective_from and coalesce(p.effective_to, '9999-12-31'::date)
          join price_list_items i on i.price_list_id = p.id and i.item_code = u.item_code and i.billing_period = 'month'
         where u.month = ${month}::date and u.unit_org_id = ${b.unitOrgId}::uuid and u.provider_org_id = ${b.providerOrgId}::uuid
           and u.resource_kind = 'cloud_host' and u.item_kind <> 'baseline'
         group by 1`.execute(trx);
      const hostAmount = new Map(costs.rows.map((c) => [c.resourceId, new Dec(c.amount)]));
      const specBy = new Map(spec.rows.map((s) => [s.cloudHostId, s]));
      const monitoredSet = new Set(monitored.rows.map((m) => m.cloudHostId));
      const differences: Reconciliation['differences'] = [];
      const perDay = (q: Dec, price: string | null, period: string | null, d: number) =>
        price === null || period === null ? null : lineAmount(q.times(d), new Dec(price), period, days);
      for (const h of hosts.rows) {
        if (h.sourceKey === 'count') continue;
        const s = specBy.get(h.cloudHostId);
        if (!s) continue;
        const reportedText = s[h.sourceKey as keyof typeof s];
        if (reportedText === null || reportedText === undefined) continue;
        const reported = new Dec(reportedText);
        const billed = new Dec(h.billed);
        if (reported.equals(billed)) continue;
        // Δ in the billing unit (ratio of the usage row), priced for the days the host was billed.
        const ratio = billed.isZero() ? null : new Dec(h.billedQuantity).dividedBy(billed);
        const amount = ratio === null ? null : perDay(reported.minus(billed).times(ratio), h.unitPrice, h.billingPeriod, Number(h.days));
        differences.push({
          type: 'spec_mismatch',
          resourceId: h.resourceId,
          cloudHostId: h.cloudHostId,
          name: h.name,
          field: h.sourceKey,
          billed: billed.toString(),
          reported: reported.toString(),
          amount: amount === null ? null : amount.toFixed(2),
          message: `计费 ${billed.toString()}，云主机规格数据最新上报 ${reported.toString()}`,
        });
      }
      const seen = new Set<string>();
      for (const h of hosts.rows) {
        if (seen.has(h.resourceId)) continue;
        seen.add(h.resourceId);
        if (!specBy.has(h.cloudHostId)) {
          differences.push({ type: 'spec_missing', resourceId: h.resourceId, cloudHostId: h.cloudHostId, name: h.name, field: null, billed: null, reported: null, amount: null, message: '本月及上月没有该云主机的规格数据上报' });
        }
        if (!monitoredSet.has(h.cloudHostId)) {
          const amount = roundYuan(hostAmount.get(h.resourceId) ?? new Dec(0));
          differences.push({ type: 'no_monitoring', resourceId: h.resourceId, cloudHostId: h.cloudHostId, name: h.name, field: null, billed: null, reported: null, amount: amount.toFixed(2), message: '已计费，但本月没有云主机监控数据' });
        }
      }
      return {
        billId: b.id,
        month: b.month,
        hostsBilled: seen.size,
        hostsMonitored: [...seen].filter((rid) => monitoredSet.has(hosts.rows.find((h) => h.resourceId === rid)!.cloudHostId)).length,
        differences,
        total: sum(differences.filter((d) => d.amount !== null).map((d) => new Dec(d.amount!))).toFixed(2),
      };
    });
  }
}
