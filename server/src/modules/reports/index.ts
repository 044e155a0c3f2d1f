/**
 * 报表管理 (custom tabular reports): datasets other modules expose through their public services (resources, bills,
 * tickets, vulnerability findings, monitoring alerts, availability outages and monthly SLA attainment, operations' inspections with missed slots, drills, duty log and platform changes), columns and filters chosen by the person, saved per person, run with the person's
 * visibility, exported to signed .xlsx and delivered on a weekly or monthly schedule. docs/reports.md.
 */
export { ReportsService, periodStart, type ReportDefinition, type ReportResult, type DefinitionInput, type Schedule } from './reports.service.js';
export { datasets, MAX_ROWS, type Dataset, type DatasetColumn, type DatasetFilter } from './reports.datasets.js';
export { registerReportRoutes } from './reports.routes.js';
export { registerReportJobs, REPORTS_SCHEDULED_JOB } from './reports.jobs.js';
