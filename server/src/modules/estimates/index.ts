/**
 * Budget estimates (预算测算): agencies compose orders from catalog items (or free text as ordered), the platform
 * converts quantities to billing units, prices them with a provider's approved list or the maximum prices, and
 * compares with budget and ceiling.
 */
export { EstimatesService } from './estimates.service.js';
export { registerEstimateRoutes } from './estimates.routes.js';
export { computeEstimate, mapLine, type EstimateLineInput, type EstimateResult, type PriceSource } from './estimate.engine.js';
export type { Estimate, EstimateDetail, EstimateInput } from './estimates.schemas.js';
export { linesFromOrderTable, type OrderRow } from './orders.import.js';
