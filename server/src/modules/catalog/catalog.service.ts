import { sql } from 'kysely';
import { hasPermission, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound, validationError, type FieldIssue } from '../../platform/errors.js';
import { Dec } from '../../platform/money.js';
import { recordAudit } from '../audit/index.js';
import { publishIssues, weightedPrice, type BillingPeriod, type CatalogItemData } from './catalog.model.js';
import * as repo from './catalog.repository.js';
import type {
  CatalogItemInput,
  CatalogVersion,
  CatalogVersionDetail,
  NewCatalogVersion,
  CatalogVersionPatch,
  NewPriceList,
  PriceList,
  PriceListDetail,
  PriceListUpdate,
} from './catalog.schemas.js';
import { describeBillingUnit, parseUnit } from './units.js';

/** A price for one item, as estimates use it. */
export interface ItemPrice {
  unitPrice: string;
  billingUnitText: string;
  billingPeriod: BillingPeriod;
}

/** Today in Asia/Shanghai, YYYY-MM-DD. */
export function shanghaiToday(now = new Date()): string {
  return now.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

const decimals = (text: string): number => (text.includes('.') ? text.length - text.indexOf('.') - 1 : 0);

/**
 * The service catalog: versions (draft → published), their items, and provider price lists (draft → submitted →
 * approved / rejected). Catalog data is public reference data for every signed-in role with `catalog:read`; price
 * lists are tenant data of the provider that owns them.
 */
export class CatalogService {
  constructor(private readonly db: Db) {}

  listVersions(ctx: RequestContext): Promise<CatalogVersion[]> {
    return withTx(this.db, ctx, (trx) => repo.listVersions(trx));
  }

  getVersion(ctx: RequestContext, id: string): Promise<CatalogVersionDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const v = await repo.findVersion(trx, id);
      if (!v) throw notFound('catalog_version', id);
      return this.detail(trx, ctx, v);
    });
  }

  /** The published version in force today. */
  getCurrent(ctx: RequestContext): Promise<CatalogVersionDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const v = await repo.currentVersion(trx, shanghaiToday());
      if (!v) throw new AppError('not_found', 'catalog.no_current_version', 'No published catalog version is in force today');
      return this.detail(trx, ctx, v);
    });
  }

  private async detail(trx: Tx, ctx: RequestContext, v: CatalogVersion): Promise<CatalogVersionDetail> {
    const items = await repo.listItems(trx, v.id);
    const active = items.filter((i) => i.status === 'active');
    const weighted = weightedOrNull(() => weightedPrice(active).toFixed(4));
    const canWrite = hasPermission(ctx.actor, 'catalog:write');
    return {
      ...v,
      items: items.map(repo.toItem),
      weightedMaxPrice: weighted,
      abilities: { edit: canWrite && v.status === 'draft', publish: canWrite && v.status === 'draft', copy: canWrite },
    };
  }

  /** A new draft version: a copy of `basedOnId` with all its items. */
  createDraft(ctx: RequestContext, input: NewCatalogVersion): Promise<CatalogVersionDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const base = await repo.findVersion(trx, input.basedOnId);
      if (!base) throw validationError('catalog.base_not_found', 'The version to copy does not exist', [{ field: 'basedOnId', rule: 'exists', message: 'No such catalog version', value: input.basedOnId }]);
      checkDates(input.effectiveFrom ?? null, input.effectiveTo ?? null);
      const versionNo = await repo.nextVersionNo(trx);
      const row = await trx
        .insertInto('catalogVersions')
        .values({
          versionNo,
          name: input.name,
          status: 'draft',
          effectiveFrom: input.effectiveFrom ?? null,
          effectiveTo: input.effectiveTo ?? null,
          frameworkPeriod: input.frameworkPeriod ?? base.frameworkPeriod,
          basedOnId: base.id,
          source: base.source,
          createdBy: ctx.actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await sql`insert into catalog_items (version_id, code, kind, category, subcategory, item, english_name, billing_unit_text, unit_factor,
                  unit_symbol, unit_dimension, billing_period, price_period_text, max_unit_price, weight, remark, aliases, sort_order, status)
                select ${row.id}::uuid, code, kind, category, subcategory, item, english_name, billing_unit_text, unit_factor, unit_symbol,
                  unit_dimension, billing_period, price_period_text, max_unit_price, weight, remark, aliases, sort_order, status
                from catalog_items where version_id = ${base.id}::uuid`.execute(trx);
      await recordAudit(trx, ctx, { action: 'catalog.version_create', targetType: 'catalog_version', targetId: row.id, after: { ...input, versionNo } });
      return this.detail(trx, ctx, (await repo.findVersion(trx, row.id))!);
    });
  }

  /** Changes the name, effective dates or framework period of a draft version. */
  updateDraft(ctx: RequestContext, versionId: string, patch: CatalogVersionPatch): Promise<CatalogVersionDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const v = await this.draft(trx, versionId);
      const from = patch.effectiveFrom === undefined ? v.effectiveFrom : patch.effectiveFrom;
      const to = patch.effectiveTo === undefined ? v.effectiveTo : patch.effectiveTo;
      checkDates(from, to);
      await trx
        .updateTable('catalogVersions')
        .set({ name: patch.name ?? v.name, effectiveFrom: from, effectiveTo: to, frameworkPeriod: patch.frameworkPeriod === undefined ? v.frameworkPeriod : patch.frameworkPeriod, updatedAt: new Date() })
        .where('id', '=', v.id)
        .execute();
      await recordAudit(trx, ctx, { action: 'catalog.version_update', targetType: 'catalog_version', targetId: v.id, before: v, after: patch });
      return this.detail(trx, ctx, (await repo.findVersion(trx, v.id))!);
    });
  }

  /** Adds or changes an item of a draft version. */
  upsertItem(ctx: RequestContext, versionId: string, code: string, input: CatalogItemInput): Promise<CatalogVersionDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const v = await this.draft(trx, versionId);
      const issues: FieldIssue[] = [];
      const unit = input.billingUnitText ? describeBillingUnit(input.billingUnitText) : null;
      if (input.billingUnitText && !unit) issues.push({ field: 'body.billingUnitText', rule: 'unknown_unit', message: `Unknown unit "${input.billingUnitText}"`, value: input.billingUnitText });
      if (input.maxUnitPrice && decimals(input.maxUnitPrice) > 2) issues.push({ field: 'body.maxUnitPrice', rule: 'max_decimals', message: 'At most two decimals', value: input.maxUnitPrice });
      if (input.kind === 'basic') {
        for (const f of ['billingUnitText', 'billingPeriod', 'maxUnitPrice', 'weightPercent'] as const) {
          if (!input[f]) issues.push({ field: `body.${f}`, rule: 'required', message: `A basic item needs ${f}` });
        }
      } else if (input.maxUnitPrice || input.weightPercent) {
        issues.push({ field: 'body.maxUnitPrice', rule: 'basic_only', message: 'Only basic items carry a maximum price and a weight' });
      }
      if (issues.length) throw validationError('catalog.invalid_item', 'The item is invalid', issues);
      const weight = input.weightPercent ? new Dec(input.weightPercent).dividedBy(100).toString() : null;
      const existing = await trx.selectFrom('catalogItems').select(['id', 'sortOrder']).where('versionId', '=', v.id).where('code', '=', code).executeTakeFirst();
      const values = {
        kind: input.kind,
        category: input.category,
        subcategory: input.subcategory ?? null,
        item: input.item,
        englishName: input.englishName ?? null,
        billingUnitText: input.billingUnitText ?? null,
        unitFactor: unit?.factor ?? null,
        unitSymbol: unit?.symbol ?? null,
        unitDimension: unit?.dimension ?? null,
        billingPeriod: input.billingPeriod ?? null,
        pricePeriodText: input.pricePeriodText ?? null,
        maxUnitPrice: input.maxUnitPrice ?? null,
        weight,
        remark: input.remark ?? null,
        aliases: input.aliases ?? [],
        status: 'active',
        updatedAt: new Date(),
      };
      if (existing) {
        await trx.updateTable('catalogItems').set(values).where('id', '=', existing.id).execute();
      } else {
        const max = await trx.selectFrom('catalogItems').select((eb) => eb.fn.max('sortOrder').as('m')).where('versionId', '=', v.id).executeTakeFirst();
        await trx.insertInto('catalogItems').values({ ...values, versionId: v.id, code, sortOrder: (max?.m ?? 0) + 1 }).execute();
      }
      await recordAudit(trx, ctx, { action: existing ? 'catalog.item_update' : 'catalog.item_create', targetType: 'catalog_version', targetId: v.id, after: { code, ...input } });
      return this.detail(trx, ctx, v);
    });
  }

  retireItem(ctx: RequestContext, versionId: string, code: string): Promise<CatalogVersionDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const v = await this.draft(trx, versionId);
      const r = await trx.updateTable('catalogItems').set({ status: 'retired', updatedAt: new Date() }).where('versionId', '=', v.id).where('code', '=', code).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFound('catalog_item', code);
      await recordAudit(trx, ctx, { action: 'catalog.item_retire', targetType: 'catalog_version', targetId: v.id, after: { code } });
      return this.detail(trx, ctx, v);
    });
  }

  /** Publishes a draft after the checks of `publishIssues` (unique codes, weights 100%, caps and units). */
  publish(ctx: RequestContext, versionId: string): Promise<CatalogVersionDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const v = await this.draft(trx, versionId);
      const items = (await repo.listItems(trx, v.id)).filter((i) => i.status === 'active');
      const issues = publishIssues(items);
      if (issues.length) throw validationError('catalog.cannot_publish', 'The version cannot be published', issues);
      await trx.updateTable('catalogVersions').set({ status: 'published', publishedAt: new Date(), publishedBy: ctx.actor.userId, updatedAt: new Date() }).where('id', '=', v.id).execute();
      await recordAudit(trx, ctx, { action: 'catalog.version_publish', targetType: 'catalog_version', targetId: v.id, after: { versionNo: v.versionNo } });
      return this.detail(trx, ctx, (await repo.findVersion(trx, v.id))!);
    });
  }

  private async draft(trx: Tx, id: string): Promise<CatalogVersion> {
    const v = await repo.findVersion(trx, id, true);
    if (!v) throw notFound('catalog_version', id);
    if (v.status !== 'draft') throw new AppError('conflict', 'catalog.not_draft', 'Only a draft version can be changed; copy it into a new draft', { status: v.status });
    return v;
  }

  // Price lists

  listPriceLists(ctx: RequestContext): Promise<PriceList[]> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await repo.priceListsQuery(trx, ctx).orderBy('p.providerName').orderBy('p.versionNo', 'desc').execute();
      return rows.map(repo.toPriceList);
    });
  }

  getPriceList(ctx: RequestContext, id: string): Promise<PriceListDetail> {
    return withTx(this.db, ctx, (trx) => this.priceListDetail(trx, ctx, id));
  }

  private async priceListDetail(trx: Tx, ctx: RequestContext, id: string): Promise<PriceListDetail> {
    const row = await repo.priceListsQuery(trx, ctx).where('p.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('price_list', id);
    const list = repo.toPriceList(row);
    const prices = await trx.selectFrom('priceListItems').selectAll().where('priceListId', '=', id).orderBy('itemCode').execute();
    const items = (await repo.listItems(trx, list.catalogVersionId)).filter((i) => i.status === 'active');
    const byCode = new Map(prices.map((p) => [p.itemCode, p.unitPrice]));
    const weighted = weightedOrNull(() => weightedPrice(items, (i) => (byCode.has(i.code) ? new Dec(byCode.get(i.code)!) : null)).toFixed(4));
    const own = ctx.actor.orgKind === 'cloud_provider' || ctx.actor.kind === 'system';
    return {
      ...list,
      items: prices.map((p) => ({ itemCode: p.itemCode, unitPrice: new Dec(p.unitPrice).toFixed(2), billingUnitText: p.billingUnitText, billingPeriod: p.billingPeriod as BillingPeriod })),
      weightedPrice: weighted,
      abilities: {
        submit: own && hasPermission(ctx.actor, 'price:write') && list.status === 'draft',
        approve: hasPermission(ctx.actor, 'price:approve') && list.status === 'submitted',
      },
    };
  }

  /**
   * A new draft price list of a provider. Basic-item prices may not exceed the item's cap nor carry more than two
   * decimals (seed 004 §3.1.3 注); extension items carry the provider's own unit and period; effective ranges of one
   * provider's lists may not overlap.
   */
  createPriceList(ctx: RequestContext, input: NewPriceList): Promise<PriceListDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const providerId = input.providerId ?? ctx.actor.orgId;
      if (!providerId) throw validationError('prices.provider_required', 'Name the provider', [{ field: 'body.providerId', rule: 'required', message: 'Required' }]);
      const provider = await trx.selectFrom('organisations').select(['id', 'kind', 'name']).where('id', '=', providerId).executeTakeFirst();
      if (!provider) throw notFound('organisation', providerId);
      if (provider.kind !== 'cloud_provider') throw validationError('prices.not_a_provider', 'Price lists belong to cloud providers', [{ field: 'body.providerId', rule: 'cloud_provider', message: 'Not a cloud provider (云服务商)', value: providerId }]);
      const version = await repo.findVersion(trx, input.catalogVersionId);
      if (!version || version.status !== 'published') {
        throw validationError('prices.version_not_published', 'Price lists are made for a published catalog version', [{ field: 'body.catalogVersionId', rule: 'published', message: 'Not a published catalog version', value: input.catalogVersionId }]);
      }
      checkDates(input.effectiveFrom, input.effectiveTo ?? null);
      const items = new Map((await repo.listItems(trx, version.id)).filter((i) => i.status === 'active').map((i) => [i.code, i]));
      const rows = validatePrices(input.items, items);
      await sql`select pg_advisory_xact_lock(784201311, hashtext(${providerId}))`.execute(trx);
      await assertNoOverlap(trx, providerId, input.effectiveFrom, input.effectiveTo ?? null, null);
      const last = await trx.selectFrom('priceLists').select((eb) => eb.fn.max('versionNo').as('m')).where('providerId', '=', providerId).executeTakeFirst();
      const created = await trx
        .insertInto('priceLists')
        .values({
          providerId,
          providerName: provider.name,
          catalogVersionId: version.id,
          versionNo: (last?.m ?? 0) + 1,
          effectiveFrom: input.effectiveFrom,
          effectiveTo: input.effectiveTo ?? null,
          note: input.note ?? null,
          createdBy: ctx.actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('priceListItems').values(rows.map((r) => ({ ...r, priceListId: created.id }))).execute();
      await recordAudit(trx, ctx, { action: 'prices.create', targetType: 'price_list', targetId: created.id, after: input });
      return this.priceListDetail(trx, ctx, created.id);
    });
  }

  /** Replaces the dates, note and prices of a draft list (all rows checked, nothing saved on any error). */
  updatePriceList(ctx: RequestContext, id: string, input: PriceListUpdate): Promise<PriceListDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const list = await this.ownDraft(trx, ctx, id);
      checkDates(input.effectiveFrom, input.effectiveTo ?? null);
      const items = new Map((await repo.listItems(trx, list.catalogVersionId)).filter((i) => i.status === 'active').map((i) => [i.code, i]));
      const rows = validatePrices(input.items, items);
      await sql`select pg_advisory_xact_lock(784201311, hashtext(${list.provider.id}))`.execute(trx);
      await assertNoOverlap(trx, list.provider.id, input.effectiveFrom, input.effectiveTo ?? null, id);
      await trx.updateTable('priceLists').set({ effectiveFrom: input.effectiveFrom, effectiveTo: input.effectiveTo ?? null, note: input.note ?? null, updatedAt: new Date() }).where('id', '=', id).execute();
      await trx.deleteFrom('priceListItems').where('priceListId', '=', id).execute();
      await trx.insertInto('priceListItems').values(rows.map((r) => ({ ...r, priceListId: id }))).execute();
      await recordAudit(trx, ctx, { action: 'prices.update', targetType: 'price_list', targetId: id, after: input });
      return this.priceListDetail(trx, ctx, id);
    });
  }

  /** Deletes a draft list of the caller's provider. */
  deletePriceList(ctx: RequestContext, id: string): Promise<void> {
    return withTx(this.db, ctx, async (trx) => {
      await this.ownDraft(trx, ctx, id);
      await trx.deleteFrom('priceLists').where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'prices.delete', targetType: 'price_list', targetId: id });
    });
  }

  private async ownDraft(trx: Tx, ctx: RequestContext, id: string): Promise<PriceList> {
    const list = await this.lockList(trx, ctx, id);
    if (ctx.actor.orgKind !== 'cloud_provider' && ctx.actor.kind !== 'system') throw new AppError('forbidden', 'prices.not_owner', "Only the provider edits its price list");
    if (list.status !== 'draft') throw new AppError('conflict', 'prices.not_draft', 'Only a draft price list can be changed', { status: list.status });
    return list;
  }

  /** draft → submitted; every basic item must have a price. */
  submitPriceList(ctx: RequestContext, id: string): Promise<PriceListDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const list = await this.ownDraft(trx, ctx, id);
      const priced = new Set((await trx.selectFrom('priceListItems').select('itemCode').where('priceListId', '=', id).execute()).map((r) => r.itemCode));
      const missing = (await repo.listItems(trx, list.catalogVersionId)).filter((i) => i.kind === 'basic' && i.status === 'active' && !priced.has(i.code));
      if (missing.length) {
        throw validationError('prices.incomplete', 'Every basic item needs a price before the list is submitted', missing.map((m) => ({ field: `items.${m.code}`, rule: 'required', message: `No price for ${m.code} ${m.item.slice(0, 40)}`, value: m.code })));
      }
      await trx.updateTable('priceLists').set({ status: 'submitted', submittedAt: new Date(), submittedBy: ctx.actor.userId, updatedAt: new Date() }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'prices.submit', targetType: 'price_list', targetId: id });
      return this.priceListDetail(trx, ctx, id);
    });
  }

  /** submitted → approved or rejected (management unit). Approving closes the provider's earlier open-ended list. */
  decidePriceList(ctx: RequestContext, id: string, decision: 'approved' | 'rejected', comment: string | null): Promise<PriceListDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const list = await this.lockList(trx, ctx, id);
      if (list.status !== 'submitted') throw new AppError('conflict', 'prices.not_submitted', 'Only a submitted price list can be approved or rejected', { status: list.status });
      if (decision === 'approved') {
        await sql`select pg_advisory_xact_lock(784201311, hashtext(${list.provider.id}))`.execute(trx);
        const dayBefore = await sql<{ d: string }>`select (${list.effectiveFrom}::date - 1)::text as d`.execute(trx);
        await trx
          .updateTable('priceLists')
          .set({ effectiveTo: dayBefore.rows[0]!.d, updatedAt: new Date() })
          .where('providerId', '=', list.provider.id)
          .where('status', '=', 'approved')
          .where('effectiveTo', 'is', null)
          .where('effectiveFrom', '<', list.effectiveFrom)
          .execute();
      }
      await trx.updateTable('priceLists').set({ status: decision, decidedAt: new Date(), decidedBy: ctx.actor.userId, decisionComment: comment, updatedAt: new Date() }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: decision === 'approved' ? 'prices.approve' : 'prices.reject', targetType: 'price_list', targetId: id, details: { comment } });
      return this.priceListDetail(trx, ctx, id);
    });
  }

  private async lockList(trx: Tx, ctx: RequestContext, id: string): Promise<PriceList> {
    const row = await repo.priceListsQuery(trx, ctx).where('p.id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound('price_list', id);
    return repo.toPriceList(row);
  }

  // For the estimates module (same transaction as the caller).

  /** Items of a catalog version, active only. */
  async itemsIn(trx: Tx, versionId: string): Promise<CatalogItemData[]> {
    return (await repo.listItems(trx, versionId)).filter((i) => i.status === 'active');
  }

  async versionIn(trx: Tx, id: string): Promise<CatalogVersion | null> {
    return repo.findVersion(trx, id);
  }

  async currentVersionIn(trx: Tx): Promise<CatalogVersion | null> {
    return repo.currentVersion(trx, shanghaiToday());
  }

  /** An approved price list the actor may read, with its prices; null when there is none. */
  async approvedPricesIn(trx: Tx, ctx: RequestContext, priceListId: string): Promise<{ list: PriceList; prices: Map<string, ItemPrice> } | null> {
    const row = await repo.priceListsQuery(trx, ctx).where('p.id', '=', priceListId).where('p.status', '=', 'approved').executeTakeFirst();
    if (!row) return null;
    const prices = await trx.selectFrom('priceListItems').selectAll().where('priceListId', '=', priceListId).execute();
    return {
      list: repo.toPriceList(row),
      prices: new Map(prices.map((p) => [p.itemCode, { unitPrice: new Dec(p.unitPrice).toFixed(2), billingUnitText: p.billingUnitText, billingPeriod: p.billingPeriod as BillingPeriod }])),
    };
  }
}

/** The weighted price, or null while a basic item has no price. */
function weightedOrNull(fn: () => string): string | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

function checkDates(from: string | null, to: string | null): void {
  if (from && to && to < from) {
    throw validationError('catalog.invalid_dates', 'The end date is before the start date', [{ field: 'body.effectiveTo', rule: 'after_start', message: 'Must not be before effectiveFrom', value: to }]);
  }
}

type PriceRow = { itemCode: string; unitPrice: string; billingUnitText: string; billingPeriod: BillingPeriod };

/** Row-by-row checks of submitted prices; all problems are reported at once and nothing is saved. */
export function validatePrices(input: NewPriceList['items'], items: ReadonlyMap<string, CatalogItemData>): PriceRow[] {
  const issues: FieldIssue[] = [];
  const rows: PriceRow[] = [];
  const seen = new Set<string>();
  input.forEach((p, i) => {
    const at = (f: string) => `body.items[${i}].${f}`;
    const item = items.get(p.itemCode);
    if (seen.has(p.itemCode)) issues.push({ field: at('itemCode'), rule: 'duplicate', message: `${p.itemCode} is priced twice`, value: p.itemCode });
    seen.add(p.itemCode);
    if (!item) return void issues.push({ field: at('itemCode'), rule: 'unknown_code', message: `No item ${p.itemCode} in this catalog version`, value: p.itemCode });
    if (item.kind === 'baseline') return void issues.push({ field: at('itemCode'), rule: 'free_item', message: `${p.itemCode} is a free security-baseline item and has no price`, value: p.itemCode });
    if (decimals(p.unitPrice) > 2) {
      return void issues.push({ field: at('unitPrice'), rule: 'max_decimals', message: `${p.itemCode}: prices keep at most two decimals (seed 004 §3.1.3 注)`, value: p.unitPrice });
    }
    const price = new Dec(p.unitPrice);
    if (item.kind === 'basic') {
      if (item.maxUnitPrice !== null && price.gt(item.maxUnitPrice)) {
        return void issues.push({ field: at('unitPrice'), rule: 'above_cap', message: `${item.code} ${item.item.slice(0, 40)}: ${price.toFixed(2)} is above the maximum unit price ${item.maxUnitPrice}`, value: p.unitPrice });
      }
      rows.push({ itemCode: p.itemCode, unitPrice: price.toFixed(2), billingUnitText: item.billingUnitText!, billingPeriod: item.billingPeriod! });
      return;
    }
    if (!p.billingUnitText) issues.push({ field: at('billingUnitText'), rule: 'required', message: `${p.itemCode} is an extension item: give the unit the price is per` });
    else if (!parseUnit(p.billingUnitText).ok) issues.push({ field: at('billingUnitText'), rule: 'unknown_unit', message: `Unknown unit "${p.billingUnitText}"`, value: p.billingUnitText });
    if (!p.billingPeriod) issues.push({ field: at('billingPeriod'), rule: 'required', message: `${p.itemCode} is an extension item: give the billing period` });
    if (p.billingUnitText && p.billingPeriod) rows.push({ itemCode: p.itemCode, unitPrice: price.toFixed(2), billingUnitText: p.billingUnitText, billingPeriod: p.billingPeriod });
  });
  if (issues.length) throw validationError('prices.invalid', 'The price list has invalid rows', issues);
  return rows;
}

async function assertNoOverlap(trx: Tx, providerId: string, from: string, to: string | null, exceptId: string | null): Promise<void> {
  let q = trx
    .selectFrom('priceLists')
    .select(['id', 'versionNo', 'effectiveFrom', 'effectiveTo', 'status'])
    .where('providerId', '=', providerId)
    .where('status', '<>', 'rejected')
    .where((eb) => eb.or([eb('effectiveTo', 'is', null), eb('effectiveTo', '>=', from)]));
  if (to !== null) q = q.where('effectiveFrom', '<=', to);
  if (exceptId) q = q.where('id', '<>', exceptId);
  // An approved open-ended list that starts earlier is closed when the new one is approved: not an overlap.
  const clashes = (await q.execute()).filter((c) => !(c.status === 'approved' && c.effectiveTo === null && c.effectiveFrom < from));
  if (clashes.length) {
    throw new AppError('validation', 'prices.overlapping_dates', `The effective dates overlap the provider's price list version ${clashes.map((c) => c.versionNo).join(', ')}`, {
      issues: clashes.map((c) => ({ field: 'body.effectiveFrom', rule: 'no_overlap', message: `Overlaps version ${c.versionNo} (${c.effectiveFrom} – ${c.effectiveTo ?? 'open'})`, value: c.id })),
    });
  }
}
