import { z } from 'zod';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');
const named = z.object({ id: z.string(), name: z.string() });
export const evidenceInputSchema = z.strictObject({ fileName: z.string().trim().min(1).max(200), contentBase64: z.string().max(7_200_000) });
const evidenceSchema = z.object({ name: z.string(), size: z.number(), sm3: z.string() }).nullable();

// ---- objections ------------------------------------------------------------------------------------------------------
export const objectionInputSchema = z.strictObject({
  runId: z.uuid(),
  /** Defaults to the caller's own organisation; another provider's score answers 404. */
  providerId: z.uuid().nullish(),
  indicatorCode: z.string().min(1).max(60).nullish(),
  reason: z.string().max(2000),
  evidence: evidenceInputSchema.nullish(),
});
export const objectionsQuerySchema = z.strictObject({ status: z.enum(['submitted', 'accepted', 'rejected']).optional(), month: month.optional(), runId: z.uuid().optional() });
export const acceptObjectionSchema = z.strictObject({
  comment: z.string().max(2000).nullish(),
  revisions: z.array(z.strictObject({ indicatorCode: z.string().min(1).max(60), score: z.number(), evidence: z.string().max(1000) })).max(50),
});
export const rejectObjectionSchema = z.strictObject({ comment: z.string().max(2000) });
export const objectionSchema = z.object({
  id: z.string(), runId: z.string(), setId: z.string(), setCode: z.string(), setName: z.string(), month: z.string(), revision: z.number(), provider: named,
  indicatorCode: z.string().nullable(), indicatorName: z.string().nullable(), reason: z.string(), evidence: evidenceSchema, deadline: z.string(),
  status: z.enum(['submitted', 'accepted', 'rejected']), filedAt: z.string(), decisionComment: z.string().nullable(),
  revisions: z.array(z.object({ indicatorCode: z.string(), before: z.string().nullable(), after: z.string(), evidence: z.string() })).nullable(),
  revisionRunId: z.string().nullable(), revisionRunStatus: z.string().nullable(), decidedAt: z.string().nullable(), abilities: z.object({ decide: z.boolean() }),
}).meta({ id: 'EvaluationObjection' });

// ---- rectifications --------------------------------------------------------------------------------------------------
const day = z.string().max(10);
export const rectificationsQuerySchema = z.strictObject({
  status: z.enum(['open', 'replied', 'verified', 'returned']).optional(), month: month.optional(), runId: z.uuid().optional(), overdue: z.enum(['true', 'false']).optional(),
});
export const generateRectificationsSchema = z.strictObject({ runId: z.uuid(), threshold: z.number(), deadline: day });
export const raiseRectificationSchema = z.strictObject({ runId: z.uuid(), providerId: z.uuid(), indicatorCode: z.string().min(1).max(60), requirement: z.string().max(2000), deadline: day });
export const rectificationReplySchema = z.strictObject({ reply: z.string().max(2000), evidence: evidenceInputSchema.nullish() });
export const rectificationVerifySchema = z.strictObject({ outcome: z.enum(['verified', 'returned']), comment: z.string().max(2000).nullish() });
export const rectificationSchema = z.object({
  id: z.string(), runId: z.string(), month: z.string(), provider: named, indicatorCode: z.string(), indicatorName: z.string(), origin: z.enum(['threshold', 'reviewer']),
  score: z.string().nullable(), requirement: z.string(), deadline: z.string(), status: z.enum(['open', 'replied', 'verified', 'returned']), overdue: z.boolean(), repliedLate: z.boolean(),
  reply: z.string().nullable(), evidence: evidenceSchema, repliedAt: z.string().nullable(), verifyComment: z.string().nullable(), verifiedAt: z.string().nullable(), createdAt: z.string(),
  abilities: z.object({ reply: z.boolean(), verify: z.boolean() }),
}).meta({ id: 'EvaluationRectification' });

// ---- annual rating ---------------------------------------------------------------------------------------------------
const gradeSchema = z.strictObject({ grade: z.string().max(20), min: z.number() });
export const gradeScaleInputSchema = z.strictObject({ grades: z.array(gradeSchema).max(10), note: z.string().max(500).nullish() });
export const gradeScaleSchema = z.object({ version: z.number(), grades: z.array(z.object({ grade: z.string(), min: z.number() })), note: z.string().nullable(), createdAt: z.string(), latest: z.boolean() }).meta({ id: 'AnnualGradeScale' });
export const annualComputeSchema = z.strictObject({ year: z.number().int().min(2000).max(2100), setCode: z.string().min(1).max(40), gradeScaleVersion: z.number().int().min(1).optional() });
export const annualQuerySchema = z.strictObject({ year: z.string().regex(/^\d{4}$/, 'a year YYYY').optional(), setCode: z.string().max(40).optional() });
export const annualReviewSchema = z.strictObject({ comment: z.string().max(2000).nullish() });
export const annualReportQuerySchema = z.strictObject({ format: z.enum(['docx', 'pdf']) });
const annualRatingFields = {
  id: z.string(), setCode: z.string(), year: z.number(), revision: z.number(), status: z.enum(['draft', 'reviewed', 'published', 'superseded']),
  gradeScale: z.object({ version: z.number(), grades: z.array(z.object({ grade: z.string(), min: z.number() })) }),
  months: z.array(z.object({ month: z.string(), runId: z.string().nullable(), revision: z.number().nullable() })), missingMonths: z.array(z.string()),
  computedAt: z.string(), reviewedAt: z.string().nullable(), reviewComment: z.string().nullable(), publishedAt: z.string().nullable(),
};
export const annualRatingSchema = z.object(annualRatingFields).meta({ id: 'AnnualRating' });
export const annualRatingDetailSchema = z.object({
  ...annualRatingFields,
  scores: z.array(z.object({
    provider: named, total: z.string().nullable(), grade: z.string().nullable(), rank: z.number().nullable(), monthsCounted: z.number(),
    months: z.array(z.object({ month: z.string(), total: z.string().nullable(), grade: z.string().nullable() })), missingMonths: z.array(z.string()),
  })),
  abilities: z.object({ review: z.boolean(), publish: z.boolean(), recompute: z.boolean() }),
}).meta({ id: 'AnnualRatingDetail' });

// ---- construction-phase assessments ----------------------------------------------------------------------------------
const phase = z.enum(['initial', 'mid']);
export const assessmentsQuerySchema = z.strictObject({ providerId: z.uuid().optional(), phase: phase.optional(), overdue: z.enum(['true', 'false']).optional() });
export const assessmentInputSchema = z.strictObject({
  providerId: z.uuid(), phase, assessedOn: z.string().max(10), result: z.enum(['pass', 'fail']), summary: z.string().max(4000),
  findings: z.array(z.strictObject({ item: z.string().max(40), passed: z.boolean(), note: z.string().max(2000).nullish() })).max(10),
  rectifyMonths: z.number().nullish(), previousId: z.uuid().nullish(),
});
export const assessmentReplySchema = z.strictObject({ reply: z.string().max(4000), evidence: evidenceInputSchema.nullish() });
export const assessmentItemsSchema = z.object({ initial: z.array(z.object({ code: z.string(), name: z.string() })), mid: z.array(z.object({ code: z.string(), name: z.string() })) });
export const assessmentSchema = z.object({
  id: z.string(), provider: named, phase, attempt: z.number(), previousId: z.string().nullable(), nextId: z.string().nullable(), assessedOn: z.string(), result: z.enum(['pass', 'fail']), summary: z.string(),
  findings: z.array(z.object({ item: z.string(), name: z.string(), passed: z.boolean(), note: z.string() })), rectifyMonths: z.number().nullable(), rectifyBy: z.string().nullable(),
  status: z.enum(['passed', 'rectifying', 'rectification_submitted', 'reassessed', 'exit']), overdue: z.boolean(), reply: z.string().nullable(), evidence: evidenceSchema,
  repliedAt: z.string().nullable(), createdAt: z.string(), abilities: z.object({ reply: z.boolean(), reassess: z.boolean() }),
}).meta({ id: 'ConstructionAssessment' });
