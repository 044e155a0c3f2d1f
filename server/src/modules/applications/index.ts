/**
 * Applications (申请: 入云 / 变更 / 退云) through approval (workflow module) to provider fulfilment (工单 with a deadline
 * on the business calendar) and acceptance (验收; metering starts from the acceptance date on each line).
 */
export { ApplicationsService, DEFINITION_CODES, workOrderDeadline, type ApplicationsOptions, type BudgetLookup, type KeyPeriodCheck, type ProviderEligibilityCheck, type WorkOrderListener, type WorkOrderNotice } from './applications.service.js';
export { registerApplicationRoutes } from './applications.routes.js';
export { registerApplicationJobs } from './applications.jobs.js';
export type { Application, ApplicationDetail, ApplicationLine, WorkOrder } from './applications.schemas.js';
