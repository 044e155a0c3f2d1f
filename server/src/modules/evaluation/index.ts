/**
 * Evaluation and reports (评估评价与报表): monthly unit / system cloud efficiency (单位云效率 / 信息系统云效率) with a
 * versioned, published score formula and rightsizing advice in catalog items and 元 at each provider's prices
 * (accept → a prefilled 变更 application); provider evaluation with versioned indicator systems (the seeds' two
 * dimension sets), data-driven and manual indicators, review and publication with revisions; the 综合监管月报 as
 * .docx and signed PDF with server-rendered charts; the overview (政务云概况) per role. Figures of modules wired after
 * this one arrive through `EvaluationService.setFigureSources` (missing → 暂无数据来源, never 0). docs/evaluation.md.
 */
export { EvaluationService, monthWindow, quarterWindow, dimensionScores, type MonthlyFigures, type QuarterEvaluation, type Advice, type EfficiencyRow, type IndicatorSet, type Overview, type ProviderRun, type ProviderRunDetail, type ProviderScore } from './evaluation.service.js';
export { registerEvaluationRoutes } from './evaluation.routes.js';
export { registerEvaluationJobs } from './evaluation.jobs.js';
export { loadEvaluationDemo } from './evaluation.demo.js';
export { systemEgressFrom, monitoringFigures } from './evaluation.sources.js';
export type { FigureSources, SystemEgressRow, EgressReader, HostUtilisation, SlaComplianceRow, CapacityWarningsRow, DrillCountsRow, QualificationRow, InspectionCountsRow } from './evaluation.sources.js';
export { efficiencyOf, judgeHost, savingOf, scoreIndicator, totalOf, validateFormula, validateIndicatorSet, formulaText } from './evaluation.rules.js';
export { SET_003, SET_004, DEFAULT_GRADES } from './evaluation.indicators.js';
export { createEvaluationFollowUp } from './evaluation.followup.js';
export { registerEvaluationFollowUpRoutes, type FollowUpServices } from './evaluation.followup.routes.js';
export { ObjectionService, OBJECTION_WORKING_DAYS, type Objection } from './evaluation.objections.js';
export { RectificationService, type Rectification } from './evaluation.rectifications.js';
export { AnnualReportService, annualSections, type AnnualReportData } from './evaluation.annual.report.js';
export { AnnualRatingService, annualTotal, validateGradeScale, type AnnualRating, type AnnualRatingDetail, type GradeScale } from './evaluation.annual.js';
export { AssessmentService, ASSESSMENT_ITEMS, addMonths, rectifyMonthsRule, type Assessment } from './evaluation.assessments.js';
export { EvaluationReportsService, applyTemplate, defaultTemplate, validateTemplate, SECTION_KEYS, type GeneratedReport, type ReportTemplate, type ReportKind } from './evaluation.templates.js';
export { registerEvaluationReportRoutes } from './evaluation.templates.routes.js';
export { registerEvaluationReportJobs, EVALUATION_REPORT_DRAFT_JOB, dueInstant } from './evaluation.schedule.js';
