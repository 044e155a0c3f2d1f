/**
 * Service catalog (服务目录): catalog versions with their basic, security-baseline and extension items, provider price
 * lists, and the unit conversions estimates rely on.
 */
export { convert, parseUnit, describeBillingUnit, normaliseUnitText, GB_PER_TB, type BillingUnit, type ConvertResult, type Unit } from './units.js';
export { itemsFromCatalogJson, weightedPrice, publishIssues, type CatalogItemData, type BillingPeriod, type ItemKind } from './catalog.model.js';
export { CatalogService, shanghaiToday, type ItemPrice } from './catalog.service.js';
export { registerCatalogRoutes } from './catalog.routes.js';
export type { CatalogVersion, CatalogVersionDetail, PriceList, PriceListDetail } from './catalog.schemas.js';
