/**
 * Metering, monthly bills and reconciliation (计量、账单、对账): daily usage rows per resource × catalog item from the
 * inventory, bills per unit × provider priced with the provider's price list in force each day, confirmations,
 * disputes, locking and adjustments, reconciliation against reported specs and monitoring. docs/billing.md.
 */
export { BillingService, MAX_ATTACHMENT_BYTES, type RunOptions } from './billing.service.js';
export { registerBillingRoutes } from './billing.routes.js';
export { registerBillingJobs } from './billing.jobs.js';
export { METER_RULES, meterResource, daysInMonth, lineAmount } from './billing.mapping.js';
export type { Bill, BillDetail, BillLine, RunResult, MeterResult, Overview, Reconciliation } from './billing.schemas.js';
export { loadDemoBilling } from './billing.demo.js';
