/**
 * Contracts and budgets (合同与预算): contracts between a user unit and a cloud provider (amount, service period,
 * linked systems, fiscal years, payment milestones adding up to 100%), the payment schedule with exact amounts,
 * fiscal-year budgets, the billed consumption counted against both (fed through `recordConsumption`), warnings
 * (job `contracts.warnings`) and the contract summary workbook (`buildContractWorkbook`, a pure function).
 */
export { ContractsService, beijingToday, type BillReader } from './contracts.service.js';
export { registerContractRoutes } from './contracts.routes.js';
export { registerContractJobs } from './contracts.jobs.js';
export { buildContractWorkbook, type ContractWorkbookData } from './contracts.xlsx.js';
export { paymentSchedule, checkMilestones } from './contracts.rules.js';
export { loadDemoContracts } from './contracts.demo.js';
export type { Contract, ContractDetail, ContractInput, Budget, BudgetInput, ConsumptionRecord, Warning, ScheduleLine } from './contracts.schemas.js';
