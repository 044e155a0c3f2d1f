import { z } from 'zod';
import { INDICATOR_SOURCES } from './evaluation.rules.js';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');
const named = z.object({ id: z.string(), name: z.string() });
const dec = z.string();

export const idParamsSchema = z.strictObject({ id: z.uuid() });
export const monthQuerySchema = z.strictObject({ month });
export const efficiencyQuerySchema = z.strictObject({ month, level: z.enum(['unit', 'system']).optional(), unitId: z.uuid().optional() });
export const adviceQuerySchema = z.strictObject({ month: month.optional(), status: z.enum(['open', 'accepted', 'dismissed']).optional(), unitId: z.uuid().optional(), systemId: z.uuid().optional() });
export const runsQuerySchema = z.strictObject({ month: month.optional(), setId: z.uuid().optional() });

const weightsSchema = z.strictObject({ cpu: z.number(), memory: z.number(), idle: z.number(), oversized: z.number() });
const thresholdsSchema = z.strictObject({
  cpuTargetP95: z.number(), memTargetP95: z.number(), idleCpuP95: z.number(), oversizeCpuP95: z.number(), oversizeMemP95: z.number(), minHoursShare: z.number(),
});
export const formulaInputSchema = z.strictObject({ weights: weightsSchema, thresholds: thresholdsSchema.partial().optional(), note: z.string().max(500).nullable().optional() });
export const formulaSchema = z.object({ version: z.number(), weights: weightsSchema, thresholds: thresholdsSchema, note: z.string().nullable(), createdAt: z.string(), text: z.string() }).meta({ id: 'EfficiencyFormula' });

export const computeInputSchema = z.strictObject({ month, formulaVersion: z.number().int().min(1).optional() });
export const computeResultSchema = z.object({ month: z.string(), formulaVersion: z.number(), units: z.number(), systems: z.number(), hosts: z.number(), advice: z.number(), utilisationSource: z.boolean() });

export const efficiencyRowSchema = z.object({
  month: z.string(), level: z.enum(['unit', 'system']), unit: named, system: named.nullable(), provider: named.nullable(), hosts: z.number(),
  vcpu: dec, memoryGb: dec, storageGb: dec, cost: dec.nullable(), cpuP95: dec.nullable(), cpuAvg: dec.nullable(), memP95: dec.nullable(), memAvg: dec.nullable(),
  idleHosts: z.number().nullable(), oversizedHosts: z.number().nullable(), potentialSaving: dec.nullable(), score: dec.nullable(),
  missing: z.enum(['no_data_source', 'no_data']).nullable(), components: z.record(z.string(), z.string().nullable()), formulaVersion: z.number(),
  network: z.object({ upPeakMbps: dec.nullable(), downPeakMbps: dec.nullable(), linkUsagePeak: dec.nullable(), daysWithData: z.number(), missing: z.enum(['no_data_source', 'no_data']).nullable() }),
  traffic: z.object({ value: dec.nullable(), missing: z.enum(['no_data_source', 'no_data']).nullable() }),
  visits: z.object({ value: dec.nullable(), missing: z.enum(['no_data_source', 'no_data']).nullable() }),
}).meta({ id: 'EfficiencyRow' });
export const efficiencyListSchema = z.object({ month: z.string(), formula: formulaSchema.nullable(), utilisationSource: z.boolean(), items: z.array(efficiencyRowSchema) });
export const monthsSchema = z.object({ items: z.array(z.object({ month: z.string(), formulaVersion: z.number(), utilisationSource: z.boolean(), computedAt: z.string() })) });

export const adviceSchema = z.object({
  id: z.string(), month: z.string(), resourceId: z.string(), resourceName: z.string(), system: named.nullable(), unit: named, provider: named, kind: z.enum(['idle', 'oversized']),
  currentVcpu: dec, proposedVcpu: dec, currentMemoryGb: dec, proposedMemoryGb: dec, vcpuPrice: dec.nullable(), memoryPrice: dec.nullable(), saving: dec.nullable(), explanation: z.string(),
  evidence: z.object({ from: z.string(), to: z.string(), cpuP95: z.number().nullable(), cpuAvg: z.number().nullable(), memP95: z.number().nullable(), memAvg: z.number().nullable(), hoursWithData: z.number(), hoursInWindow: z.number() }),
  status: z.enum(['open', 'accepted', 'dismissed']), reason: z.string().nullable(), applicationId: z.string().nullable(), decidedAt: z.string().nullable(),
  abilities: z.object({ accept: z.boolean(), dismiss: z.boolean() }),
}).meta({ id: 'RightsizingAdvice' });
export const dismissSchema = z.strictObject({ reason: z.string().trim().min(1).max(1000) });
export const acceptResultSchema = z.object({ advice: adviceSchema, applicationId: z.string() });

const ruleSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ratio_at_least'), target: z.number().gt(0).max(1) }),
  z.strictObject({ type: z.literal('minutes_at_most'), target: z.number().gt(0).max(100000) }),
  z.strictObject({ type: z.literal('rating_of_5') }),
  z.strictObject({ type: z.literal('boolean') }),
  z.strictObject({ type: z.literal('manual'), max: z.number().gt(0).max(1000) }),
]);
const indicatorSchema = z.strictObject({
  code: z.string().regex(/^[a-z0-9_]{1,40}$/), name: z.string().trim().min(1).max(200), weight: z.number(), source: z.enum(INDICATOR_SOURCES), rule: ruleSchema, description: z.string().max(500).optional(),
});
const dimensionSchema = z.strictObject({ code: z.string().regex(/^[a-z0-9_]{1,40}$/), name: z.string().trim().min(1).max(100), indicators: z.array(indicatorSchema).max(50) });
const gradeSchema = z.strictObject({ grade: z.string().trim().min(1).max(20), min: z.number() });
export const indicatorSetInputSchema = z.strictObject({ code: z.string().regex(/^[a-z0-9_-]{1,40}$/), name: z.string().trim().min(1).max(200), dimensions: z.array(dimensionSchema).min(1).max(20), grades: z.array(gradeSchema).min(1).max(10).optional() });
export const indicatorSetSchema = z.object({ id: z.string(), code: z.string(), version: z.number(), name: z.string(), dimensions: z.array(dimensionSchema), grades: z.array(gradeSchema), createdAt: z.string(), latest: z.boolean() }).meta({ id: 'IndicatorSet' });

export const manualScoreSchema = z.strictObject({ setId: z.uuid(), month, providerId: z.uuid(), indicatorCode: z.string().min(1).max(40), score: z.number(), evidence: z.string().trim().min(1).max(2000) });
export const runInputSchema = z.strictObject({ setId: z.uuid(), month });
export const reviewSchema = z.strictObject({ comment: z.string().max(2000).nullable().optional() });

export const runSchema = z.object({
  id: z.string(), setId: z.string(), setCode: z.string(), setVersion: z.number(), setName: z.string(), month: z.string(), revision: z.number(),
  status: z.enum(['draft', 'reviewed', 'published', 'superseded']), computedAt: z.string(), reviewedAt: z.string().nullable(), reviewComment: z.string().nullable(), publishedAt: z.string().nullable(),
}).meta({ id: 'ProviderRun' });
const indicatorResultSchema = z.object({
  code: z.string(), name: z.string(), dimension: z.string(), weight: z.number(), source: z.string(), status: z.enum(['ok', 'no_data_source', 'no_data', 'not_scored']),
  value: z.string().nullable(), score: z.string().nullable(), evidence: z.string(),
});
export const runDetailSchema = runSchema.extend({
  scores: z.array(z.object({ provider: named, total: dec.nullable(), coverage: z.string(), grade: z.string().nullable(), rank: z.number().nullable(), indicators: z.array(indicatorResultSchema) })),
  abilities: z.object({ review: z.boolean(), publish: z.boolean(), rerun: z.boolean() }),
}).meta({ id: 'ProviderRunDetail' });

export const overviewSchema = z.object({
  month: z.string(), role: z.string().nullable(), sources: z.record(z.string(), z.boolean()),
  efficiency: z.object({
    computed: z.boolean(), formulaVersion: z.number().nullable(), units: z.number(), hosts: z.number(), vcpu: dec, memoryGb: dec, cost: dec.nullable(), averageScore: dec.nullable(), missing: z.string().nullable(),
    lowest: z.array(z.object({ unit: named, score: dec.nullable(), cost: dec.nullable() })),
    units_: z.array(z.object({ unit: named, score: dec.nullable(), cost: dec.nullable(), hosts: z.number() })),
  }),
  advice: z.object({ open: z.number(), accepted: z.number(), dismissed: z.number(), openSaving: dec }),
  ranking: z.object({ run: runSchema.nullable(), items: z.array(z.object({ provider: named, total: dec.nullable(), grade: z.string().nullable(), rank: z.number().nullable() })) }),
  tickets: z.object({ total: z.number(), resolved: z.number(), breaches: z.number() }),
  findings: z.object({ open: z.number(), critical: z.number(), high: z.number(), overdue: z.number() }),
  snapshot: z.record(z.string(), z.string()).nullable().describe('computed-at time of each part read from the snapshot (whole-city readers); null when computed live'),
}).meta({ id: 'EvaluationOverview' });

export const reportQuerySchema = z.strictObject({ month, format: z.enum(['docx', 'pdf']) });
export const dueSchema = z.object({ month: z.string(), dueDate: z.string() });

const rate = dec.nullable();
export const monthlyFiguresSchema = z.object({
  month: z.string(),
  inspections: z.object({ wired: z.boolean(), rows: z.array(z.object({ provider: named, expected: z.number(), done: z.number(), missed: z.number(), abnormal: z.number(), doneRate: rate })) }),
  drills: z.object({ wired: z.boolean(), rows: z.array(z.object({ provider: named, held: z.number(), required: z.number() })) }),
  sla: z.object({ wired: z.boolean(), judged: z.number(), met: z.number(), rate, rows: z.array(z.object({ provider: named, systems: z.number(), judged: z.number(), met: z.number(), rate, minAvailability: dec.nullable() })) }),
  posture: z.object({
    wired: z.boolean(),
    data: z.object({
      month: z.string(), attacks: z.number(), attacksPrevMonth: z.number(), topAttackedSystems: z.array(z.object({ systemId: z.string().nullable(), name: z.string(), count: z.number() })),
      openFindings: z.record(z.string(), z.number()), overdueRectifications: z.number(), events: z.number(), scansDone: z.number(), scansRequired: z.number(), pentestsDone: z.number(), pentestsRequired: z.number(),
    }).nullable(),
  }),
  serviceDesk: z.object({
    wired: z.boolean(),
    total: z.object({ tickets: z.number(), resolved: z.number(), breaches: z.number(), responseRate: rate }).nullable(),
    rows: z.array(z.object({ provider: named, tickets: z.number(), resolved: z.number(), breaches: z.number(), responseRate: rate, satisfaction: dec.nullable() })),
  }),
}).describe('the 月报 sections owned by other modules; wired=false → 暂无数据来源 (no data source yet), never 0').meta({ id: 'EvaluationMonthlyFigures' });

const quarter = z.string().regex(/^\d{4}-Q[1-4]$/, 'a quarter YYYY-Qn');
export const quarterQuerySchema = z.strictObject({ quarter, setCode: z.string().regex(/^[a-z0-9_-]{1,40}$/).optional() });
export const quarterReportQuerySchema = quarterQuerySchema.extend({ format: z.enum(['docx', 'pdf']) });
export const quarterSchema = z.object({
  quarter: z.string(), from: z.string(), to: z.string(), set: z.object({ code: z.string(), name: z.string(), version: z.number() }).nullable(),
  months: z.array(z.object({ month: z.string(), runId: z.string().nullable(), revision: z.number().nullable(), setVersion: z.number().nullable() })),
  missingMonths: z.array(z.string()),
  items: z.array(z.object({
    provider: named, months: z.array(z.object({ month: z.string(), total: dec.nullable(), grade: z.string().nullable() })), total: dec.nullable(), grade: z.string().nullable(), rank: z.number().nullable(),
    dimensions: z.array(z.object({ name: z.string(), score: dec.nullable() })),
  })),
}).describe('季评: the mean of the quarter’s published monthly totals per provider (unpublished months not counted)').meta({ id: 'QuarterEvaluation' });
