/**
 * Security supervision (安全监管): vulnerability findings from the pushed 安全漏洞扫描数据 and from uploaded scanner
 * reports (OpenVAS/Greenbone XML, Nessus, .xlsx/.csv column mapping), linked to the inventory's hosts, systems, units
 * and providers; deduplication, verified fixes by re-scan, reopening; rectification deadlines, notices, replies, risk
 * acceptance; the figures for evaluation and the monthly report (`vulnerabilityHandling`, `postureSummary`).
 * Security events (安全事件, 同步上报, 溯源, handling report), checks and penetration tests with the period's
 * counters (`SecurityOversightService.checkCounters`, `eventStatistics`), the signed 安全隐患通知单; patch compliance
 * from the pushed 安全补丁安装数据 (`PatchComplianceService.compliance`); security warnings (安全预警) from the pushed
 * 安全预警监测数据 matched to the inventory's hosts, with notices, replies and deadlines (`SecurityOversightService.warnings`).
 */
export { SecurityService, type Finding, type FindingDetail, type ScanResult, type SourceTicketHook, type SourceTicketInput } from './security.service.js';
export { SecurityOversightService, GRADE_CN, CATEGORY_CN, CHECK_KIND_CN, SCANS_REQUIRED_PER_YEAR, PENTESTS_REQUIRED_PER_YEAR, DEFAULT_ATTACK_THRESHOLD, type SecurityEvent, type SecurityEventDetail, type SecurityCheck, type CheckCounters, type EventGrade, type EventCategory, type CheckKind } from './security.oversight.js';
export { PatchComplianceService, patchStatus, parsePatchDate, DEFAULT_PATCH_WINDOW_DAYS, type PatchStatus, type PatchComplianceRow, type PatchRecord } from './security.patches.js';
export { SecurityWarningService, extractReferences, noticeState, WARNING_REPLY_DAYS, WARNING_REMINDER_DAYS_BEFORE, WARNING_ESCALATION_ORG_KINDS, type Warning, type WarningNotice, type WarningNoticeDetail, type WarningReferences } from './security.warnings.js';
export { registerSecurityRoutes } from './security.routes.js';
export { registerSecurityJobs, wakeOnPush as securityWakeOnPush, SECURITY_IMPORT_JOB, SECURITY_PATCHES_JOB, SECURITY_WARNINGS_JOB, SECURITY_WARNING_MATCH_JOB, SECURITY_WARNING_DEADLINES_JOB } from './security.jobs.js';
export { DEFAULT_COLUMN_MAPPING, parseOpenVas, parseNessus, parseTable, parseCsv, type ReportedFinding, type Severity } from './security.parsers.js';
export { loadSecurityDemo, loadSecurityOversightDemo } from './security.demo.js';
