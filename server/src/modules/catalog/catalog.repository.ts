import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db/database.js';
import type { BillingPeriod, CatalogItemData, ItemKind } from './catalog.model.js';
import type { CatalogItem, CatalogVersion, PriceList } from './catalog.schemas.js';

export interface ItemRow extends CatalogItemData {
  status: 'active' | 'retired';
  unitFactor: string | null;
  unitSymbol: string | null;
  unitDimension: string | null;
  sortOrder: number;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : d);

export async function listVersions(trx: Tx): Promise<CatalogVersion[]> {
  const rows = await trx.selectFrom('catalogVersions').selectAll().orderBy('versionNo', 'desc').execute();
  return rows.map(toVersion);
}

export async function findVersion(trx: Tx, id: string, forUpdate = false): Promise<CatalogVersion | null> {
  let q = trx.selectFrom('catalogVersions').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toVersion(row) : null;
}

/** The published version in force on `day` (YYYY-MM-DD): the newest whose effective range contains it. */
export async function currentVersion(trx: Tx, day: string): Promise<CatalogVersion | null> {
  const row = await trx
    .selectFrom('catalogVersions')
    .selectAll()
    .where('status', '=', 'published')
    .where((eb) => eb.or([eb('effectiveFrom', 'is', null), eb('effectiveFrom', '<=', day)]))
    .where((eb) => eb.or([eb('effectiveTo', 'is', null), eb('effectiveTo', '>=', day)]))
    .orderBy('versionNo', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toVersion(row) : null;
}

function toVersion(r: {
  id: string;
  versionNo: number;
  name: string;
  status: string;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  frameworkPeriod: string | null;
  basedOnId: string | null;
  source: string | null;
  publishedAt: Date | null;
}): CatalogVersion {
  return {
    id: r.id,
    versionNo: r.versionNo,
    name: r.name,
    status: r.status as CatalogVersion['status'],
    effectiveFrom: r.effectiveFrom,
    effectiveTo: r.effectiveTo,
    frameworkPeriod: r.frameworkPeriod,
    basedOnId: r.basedOnId,
    source: r.source,
    publishedAt: iso(r.publishedAt),
  };
}

export async function listItems(trx: Tx, versionId: string): Promise<ItemRow[]> {
  const rows = await trx.selectFrom('catalogItems').selectAll().where('versionId', '=', versionId).orderBy('sortOrder').execute();
  return rows.map((r) => ({
    code: r.code,
    kind: r.kind as ItemKind,
    category: r.category,
    subcategory: r.subcategory,
    item: r.item,
    englishName: r.englishName,
    billingUnitText: r.billingUnitText,
    billingPeriod: r.billingPeriod as BillingPeriod | null,
    pricePeriodText: r.pricePeriodText,
    maxUnitPrice: r.maxUnitPrice,
    weight: r.weight,
    remark: r.remark,
    aliases: r.aliases,
    status: r.status as 'active' | 'retired',
    unitFactor: r.unitFactor,
    unitSymbol: r.unitSymbol,
    unitDimension: r.unitDimension,
    sortOrder: r.sortOrder,
  }));
}

export function toItem(r: ItemRow): CatalogItem {
  return {
    code: r.code,
    kind: r.kind,
    category: r.category,
    subcategory: r.subcategory,
    item: r.item,
    englishName: r.englishName,
    billingUnitText: r.billingUnitText,
    billingUnit: r.unitFactor !== null && r.unitSymbol !== null && r.unitDimension !== null ? { factor: trimZeros(r.unitFactor), symbol: r.unitSymbol, dimension: r.unitDimension } : null,
    billingPeriod: r.billingPeriod,
    pricePeriodText: r.pricePeriodText,
    maxUnitPrice: r.maxUnitPrice === null ? null : Number.isNaN(Number(r.maxUnitPrice)) ? r.maxUnitPrice : fixed2(r.maxUnitPrice),
    weight: r.weight === null ? null : trimZeros(r.weight),
    remark: r.remark,
    aliases: r.aliases,
    status: r.status,
  };
}

/** numeric text → two decimals, textually (no float round trip). */
function fixed2(text: string): string {
  const [i = '0', f = ''] = text.split('.');
  return `${i}.${(f + '00').slice(0, 2)}`;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

export async function nextVersionNo(trx: Tx): Promise<number> {
  await sql`select pg_advisory_xact_lock(784201310)`.execute(trx);
  const r = await trx.selectFrom('catalogVersions').select((eb) => eb.fn.max('versionNo').as('max')).executeTakeFirst();
  return (r?.max ?? 0) + 1;
}

// Price lists

/**
 * Price lists the actor may read. A cloud provider reads only its own lists (providers never see each other's
 * prices); everybody else with `price:read` reads approved lists, and the management unit every list (RLS scope).
 */
export function priceListsQuery(trx: Tx, ctx: RequestContext) {
  let q = trx
    .selectFrom('priceLists as p')
    .select([
      'p.id',
      'p.providerId',
      'p.providerName',
      'p.catalogVersionId',
      'p.versionNo',
      'p.effectiveFrom',
      'p.effectiveTo',
      'p.status',
      'p.note',
      'p.decisionComment',
    ]);
  const { actor } = ctx;
  if (actor.orgKind === 'cloud_provider') q = q.where('p.providerId', 'in', providerScope(actor.scope));
  else if (!actor.scope.all) q = q.where('p.status', '=', 'approved');
  return q;
}

/** The provider organisations an actor's scope roots name (a provider's own organisation); never an empty list. */
function providerScope(scope: RequestContext['actor']['scope']): string[] {
  const roots = scope.all ? [] : [...scope.roots];
  return roots.length ? roots : ['00000000-0000-0000-0000-000000000000'];
}

export function toPriceList(r: {
  id: string;
  providerId: string;
  providerName: string;
  catalogVersionId: string;
  versionNo: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  status: string;
  note: string | null;
  decisionComment: string | null;
}): PriceList {
  return {
    id: r.id,
    provider: { id: r.providerId, name: r.providerName },
    catalogVersionId: r.catalogVersionId,
    versionNo: r.versionNo,
    effectiveFrom: r.effectiveFrom,
    effectiveTo: r.effectiveTo,
    status: r.status as PriceList['status'],
    note: r.note,
    decisionComment: r.decisionComment,
  };
}
