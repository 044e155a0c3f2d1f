import { hasPermission, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { notFound, validationError, type FieldIssue } from '../../platform/errors.js';
import { Dec, sum } from '../../platform/money.js';
import { recordAudit } from '../audit/index.js';
import { convert, type CatalogItemData, type CatalogService } from '../catalog/index.js';
import { computeEstimate, type EstimateLineInput, type EstimateResult, type PriceSource } from './estimate.engine.js';
import type { Estimate, EstimateDetail, EstimateImport, EstimateInput, EstimateLineInputBody } from './estimates.schemas.js';
import { readEstimateWorkbook, writeEstimateWorkbook } from './estimates.xlsx.js';

const decimals = (text: string): number => (text.includes('.') ? text.length - text.indexOf('.') - 1 : 0);
const QUANTITY = /^-?\d{1,15}(\.\d+)?$/;

interface Resolved {
  versionId: string;
  items: CatalogItemData[];
  source: PriceSource;
}

/**
 * 预算测算: agencies' draft estimates of orders, owned by a user unit (RLS on unit_id; another unit's estimate is
 * 404). Lines are stored as entered; pricing is recomputed from the catalog and the chosen price list on every read,
 * so an estimate always shows how each figure was reached.
 */
export class EstimatesService {
  constructor(
    private readonly db: Db,
    private readonly catalog: CatalogService,
  ) {}

  /** Prices an estimate without saving it. */
  preview(ctx: RequestContext, input: EstimateInput): Promise<EstimateResult> {
    return withTx(this.db, ctx, async (trx) => {
      const r = await this.resolve(trx, ctx, input);
      const { lines } = validateInput(input, r.items);
      return compute(r, { ...input, lines });
    });
  }

  list(ctx: RequestContext): Promise<Estimate[]> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await trx.selectFrom('estimates').selectAll().orderBy('updatedAt', 'desc').limit(500).execute();
      return rows.map(toEstimate);
    });
  }

  get(ctx: RequestContext, id: string): Promise<EstimateDetail> {
    return withTx(this.db, ctx, (trx) => this.detail(trx, ctx, id));
  }

  create(ctx: RequestContext, input: EstimateInput, skippedBefore: FieldIssue[] = []): Promise<EstimateDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const unitId = await this.ownerUnit(trx, ctx, input.unitId);
      const r = await this.resolve(trx, ctx, input);
      const { lines, skipped } = validateInput(input, r.items);
      const row = await trx
        .insertInto('estimates')
        .values({ ...header(input, r), unitId, createdBy: ctx.actor.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      await insertLines(trx, row.id, lines);
      const allSkipped = [...skippedBefore, ...skipped];
      await recordAudit(trx, ctx, { action: 'estimates.create', targetType: 'estimate', targetId: row.id, after: { title: input.title, unitId, lines: lines.length, skipped: allSkipped.length } });
      const detail = await this.detail(trx, ctx, row.id);
      return allSkipped.length ? { ...detail, skipped: allSkipped } : detail;
    });
  }

  /** Replaces the header and all lines of a draft (all or nothing). */
  update(ctx: RequestContext, id: string, input: EstimateInput): Promise<EstimateDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const existing = await trx.selectFrom('estimates').select(['id', 'unitId']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!existing) throw notFound('estimate', id);
      if (input.unitId && input.unitId !== existing.unitId) {
        throw validationError('estimates.unit_fixed', 'An estimate stays with its unit', [{ field: 'body.unitId', rule: 'immutable', message: 'Cannot move an estimate to another unit' }]);
      }
      const r = await this.resolve(trx, ctx, input);
      const { lines, skipped } = validateInput(input, r.items);
      await trx.updateTable('estimates').set({ ...header(input, r), updatedAt: new Date() }).where('id', '=', id).execute();
      await trx.deleteFrom('estimateLines').where('estimateId', '=', id).execute();
      await insertLines(trx, id, lines);
      await recordAudit(trx, ctx, { action: 'estimates.update', targetType: 'estimate', targetId: id, after: { title: input.title, lines: lines.length, skipped: skipped.length } });
      const detail = await this.detail(trx, ctx, id);
      return skipped.length ? { ...detail, skipped } : detail;
    });
  }

  /** Creates a draft from an .xlsx in the layout of the procurement tables; a malformed file names row and column. */
  async importXlsx(ctx: RequestContext, input: EstimateImport): Promise<EstimateDetail> {
    const { file, ...header } = input;
    const read = await readEstimateWorkbook(Buffer.from(file, 'base64'));
    if (read.fatal.length) throw validationError('estimates.invalid_xlsx', 'The workbook cannot be read', read.fatal);
    if (read.rowIssues.length && (!input.validRowsOnly || read.lines.length === 0)) throw validationError('estimates.invalid_xlsx', 'The workbook has invalid rows', read.rowIssues);
    return this.create(ctx, { ...header, lines: read.lines }, read.rowIssues);
  }

  /** The priced estimate as .xlsx (procurement-table layout, with conversions, totals, milestones). */
  async exportXlsx(ctx: RequestContext, id: string): Promise<{ title: string; data: Buffer }> {
    const detail = await this.get(ctx, id);
    return { title: detail.title, data: await writeEstimateWorkbook(detail) };
  }

  delete(ctx: RequestContext, id: string): Promise<void> {
    return withTx(this.db, ctx, async (trx) => {
      const r = await trx.deleteFrom('estimates').where('id', '=', id).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw notFound('estimate', id);
      await recordAudit(trx, ctx, { action: 'estimates.delete', targetType: 'estimate', targetId: id });
    });
  }

  private async detail(trx: Tx, ctx: RequestContext, id: string): Promise<EstimateDetail> {
    const row = await trx.selectFrom('estimates').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('estimate', id);
    const lines: EstimateLineInputBody[] = (await trx.selectFrom('estimateLines').selectAll().where('estimateId', '=', id).orderBy('lineNo').execute()).map((l) => ({
      itemCode: l.itemCode,
      itemText: l.itemText,
      category: l.category,
      subcategory: l.subcategory,
      quantity: new Dec(l.quantity).toString(),
      unit: l.unitText,
      months: l.months,
    }));
    const est = toEstimate(row);
    const input: EstimateInput = {
      title: est.title,
      catalogVersionId: est.catalogVersionId,
      priceListId: est.priceListId,
      budget: est.budget,
      ceiling: est.ceiling,
      milestonePercents: est.milestonePercents,
      lines,
    };
    const r = await this.resolve(trx, ctx, input);
    const canWrite = hasPermission(ctx.actor, 'estimate:write');
    return { ...est, lines, result: compute(r, input), abilities: { edit: canWrite, delete: canWrite } };
  }

  /** The user unit that owns a new estimate: the caller's own unit or one of its sub-units (404 otherwise). */
  private async ownerUnit(trx: Tx, ctx: RequestContext, unitId: string | undefined): Promise<string> {
    const id = unitId ?? ctx.actor.orgId;
    if (!id) throw validationError('estimates.unit_required', 'Name the user unit', [{ field: 'body.unitId', rule: 'required', message: 'Required' }]);
    const org = await trx.selectFrom('organisations').select(['id', 'kind']).where('id', '=', id).executeTakeFirst();
    if (!org) throw notFound('organisation', id);
    if (org.kind !== 'user_unit') throw validationError('estimates.not_a_unit', 'Estimates belong to user units (使用单位)', [{ field: 'body.unitId', rule: 'user_unit', message: 'Not a user unit', value: id }]);
    return id;
  }

  private async resolve(trx: Tx, ctx: RequestContext, input: Pick<EstimateInput, 'catalogVersionId' | 'priceListId'>): Promise<Resolved> {
    const version = input.catalogVersionId ? await this.catalog.versionIn(trx, input.catalogVersionId) : await this.catalog.currentVersionIn(trx);
    if (!version || version.status === 'draft') {
      throw validationError('estimates.catalog_version', 'Estimates use a published catalog version', [{ field: 'body.catalogVersionId', rule: 'published', message: 'No such published catalog version', value: input.catalogVersionId ?? null }]);
    }
    const items = await this.catalog.itemsIn(trx, version.id);
    if (!input.priceListId) return { versionId: version.id, items, source: { kind: 'maximum' } };
    const prices = await this.catalog.approvedPricesIn(trx, ctx, input.priceListId);
    if (!prices || prices.list.catalogVersionId !== version.id) {
      throw validationError('estimates.price_list', 'Choose an approved price list of the same catalog version', [{ field: 'body.priceListId', rule: 'approved_price_list', message: 'Not an approved price list of this catalog version', value: input.priceListId }]);
    }
    return { versionId: version.id, items, source: { kind: 'price_list', priceListId: prices.list.id, prices: prices.prices } };
  }
}

function compute(r: Resolved, input: EstimateInput): EstimateResult {
  return computeEstimate(r.items, input.lines.map(toEngineLine), r.source, {
    budget: input.budget ?? null,
    ceiling: input.ceiling ?? null,
    milestonePercents: input.milestonePercents ?? [],
  });
}

const toEngineLine = (l: EstimateLineInputBody): EstimateLineInput => ({
  itemCode: l.itemCode ?? null,
  itemText: l.itemText ?? null,
  category: l.category ?? null,
  subcategory: l.subcategory ?? null,
  quantity: l.quantity,
  unit: l.unit ?? null,
  months: l.months ?? null,
});

/**
 * Rejects bad input row by row, all at once: non-numeric or negative quantities, unknown codes, free baseline items,
 * units that cannot be converted to a coded item's billing unit, milestones not adding up to 100, amounts with more
 * than two decimals. Free-text lines that cannot be mapped are kept: the estimate lists them with the reason.
 */
export function validateInput(input: EstimateInput, items: readonly CatalogItemData[]): { lines: EstimateLineInputBody[]; skipped: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const badLines = new Set<number>();
  const lineIssue = (i: number, issue: FieldIssue) => {
    badLines.add(i);
    issues.push(issue);
  };
  const byCode = new Map(items.map((i) => [i.code, i]));
  input.lines.forEach((l, i) => {
    const at = (f: string) => `body.lines[${i}].${f}`;
    let quantityOk = false;
    if (!QUANTITY.test(l.quantity.trim())) lineIssue(i, { field: at('quantity'), rule: 'number', message: `"${l.quantity}" is not a number`, value: l.quantity });
    else if (l.quantity.trim().startsWith('-')) lineIssue(i, { field: at('quantity'), rule: 'non_negative', message: 'The quantity cannot be negative', value: l.quantity });
    else if (decimals(l.quantity.trim()) > 4) lineIssue(i, { field: at('quantity'), rule: 'max_decimals', message: 'At most four decimals', value: l.quantity });
    else quantityOk = true;
    if (!l.itemCode && !l.itemText) return void lineIssue(i, { field: at('itemCode'), rule: 'required', message: 'Give an item code or the item as ordered' });
    if (!l.itemCode) return;
    const item = byCode.get(l.itemCode);
    if (!item) return void lineIssue(i, { field: at('itemCode'), rule: 'unknown_code', message: `No catalog item has the code ${l.itemCode}`, value: l.itemCode });
    if (item.kind === 'baseline') return void lineIssue(i, { field: at('itemCode'), rule: 'free_item', message: `${item.code} is a free security-baseline item, included for every system`, value: l.itemCode });
    if (l.unit && item.billingUnitText && quantityOk) {
      const c = convert(new Dec(l.quantity.trim()), l.unit, item.billingUnitText);
      if (!c.ok) lineIssue(i, { field: at('unit'), rule: c.reason, message: c.message, value: l.unit });
    }
    if (item.billingPeriod === 'month' && (l.months === null || l.months === undefined)) {
      lineIssue(i, { field: at('months'), rule: 'required', message: `${item.code} is priced per month: give the number of months` });
    }
  });
  for (const f of ['budget', 'ceiling'] as const) {
    const v = input[f];
    if (v && decimals(v) > 2) issues.push({ field: `body.${f}`, rule: 'max_decimals', message: 'At most two decimals', value: v });
  }
  const percents = input.milestonePercents ?? [];
  if (percents.length > 0) {
    const total = sum(percents.map((p) => new Dec(p)));
    if (!total.equals(100)) issues.push({ field: 'body.milestonePercents', rule: 'sum_100', message: `The milestones add up to ${total.toString()}%, not 100%`, value: percents });
  }
  const headerIssues = issues.filter((x) => !x.field.startsWith('body.lines['));
  const kept = input.lines.filter((_, i) => !badLines.has(i));
  if (headerIssues.length || (issues.length && (!input.validRowsOnly || kept.length === 0))) {
    throw validationError('estimates.invalid', 'The estimate has invalid rows', issues);
  }
  return { lines: kept, skipped: issues };
}

function header(input: EstimateInput, r: Resolved) {
  return {
    title: input.title,
    catalogVersionId: r.versionId,
    priceListId: r.source.kind === 'price_list' ? r.source.priceListId : null,
    budget: input.budget ?? null,
    ceiling: input.ceiling ?? null,
    milestonePercents: input.milestonePercents ?? [],
  };
}

async function insertLines(trx: Tx, estimateId: string, lines: readonly EstimateLineInputBody[]): Promise<void> {
  await trx
    .insertInto('estimateLines')
    .values(
      lines.map((l, i) => ({
        estimateId,
        lineNo: i + 1,
        itemCode: l.itemCode ?? null,
        itemText: l.itemText ?? null,
        category: l.category ?? null,
        subcategory: l.subcategory ?? null,
        quantity: l.quantity.trim(),
        unitText: l.unit ?? null,
        months: l.months ?? null,
      })),
    )
    .execute();
}

function toEstimate(r: {
  id: string;
  unitId: string;
  title: string;
  catalogVersionId: string;
  priceListId: string | null;
  budget: string | null;
  ceiling: string | null;
  milestonePercents: string[];
  status: string;
  updatedAt: Date;
}): Estimate {
  return {
    id: r.id,
    unitId: r.unitId,
    title: r.title,
    catalogVersionId: r.catalogVersionId,
    priceListId: r.priceListId,
    budget: r.budget === null ? null : new Dec(r.budget).toFixed(2),
    ceiling: r.ceiling === null ? null : new Dec(r.ceiling).toFixed(2),
    milestonePercents: r.milestonePercents.map((p) => new Dec(p).toString()),
    status: 'draft',
    updatedAt: r.updatedAt.toISOString(),
  };
}

