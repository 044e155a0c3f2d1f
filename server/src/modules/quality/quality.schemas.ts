import { z } from 'zod';
import { INTERFACE_TABLES } from '../ingestion/index.js';
import { daysBetween, isDay } from './quality.rules.js';

/** Longest range a query may span (days). */
export const MAX_RANGE_DAYS = 366;

const TABLE_NAMES = INTERFACE_TABLES.map((t) => t.name) as [string, ...string[]];

const daySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD (Beijing time)')
  .refine(isDay, 'must be a real calendar date');
const ratio = z.string().nullable().describe('0–1 with 4 decimals, null when undefined');

function rangeRule(q: { from: string; to: string }, ctx: z.RefinementCtx): void {
  if (!isDay(q.from) || !isDay(q.to)) return;
  if (q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  else if (daysBetween(q.from, q.to) > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${MAX_RANGE_DAYS} days` });
}

export const rangeQuerySchema = z
  .strictObject({
    from: daySchema.describe('first day (Beijing time), included'),
    to: daySchema.describe('last day, included'),
    provider: z.uuid().optional().describe('one cloud provider'),
  })
  .superRefine(rangeRule);
export type RangeQuery = z.infer<typeof rangeQuerySchema>;

export const dailyQuerySchema = z
  .strictObject({
    from: daySchema,
    to: daySchema,
    provider: z.uuid().optional(),
    node: z.uuid().optional(),
    table: z.enum(TABLE_NAMES, { message: 'must be the name of an interface table, e.g. cloudHostMonitoring' }).optional(),
  })
  .superRefine(rangeRule);
export type DailyQuery = z.infer<typeof dailyQuerySchema>;

export const figuresSchema = z.object({
  completeness: ratio,
  timeliness: ratio,
  validity: ratio,
  score: z.string().nullable().describe('0–100 with 2 decimals; null when nothing was due'),
  meetsTarget: z.boolean().nullable().describe('completeness ≥ 95%'),
});

export const tableSummarySchema = figuresSchema.extend({
  table: z.string(),
  tableCn: z.string(),
  period: z.enum(['PT5M', 'P1D', 'P1W']),
  mandatory: z.boolean(),
  expected: z.string(),
  received: z.string().describe('received, capped at expected day by day'),
  onTime: z.string(),
  accepted: z.string(),
  rejected: z.string(),
});

export const providerSummarySchema = figuresSchema.extend({
  providerOrgId: z.uuid(),
  providerName: z.string().nullable(),
  tablesCounted: z.number().int(),
  tablesBelowTarget: z.array(z.string()),
  tables: z.array(tableSummarySchema),
});
export type ProviderSummary = z.infer<typeof providerSummarySchema>;

export const summarySchema = z.object({
  from: z.string(),
  to: z.string(),
  target: z.string().describe('completeness target, 0.95'),
  providers: z.array(providerSummarySchema),
});
export type Summary = z.infer<typeof summarySchema>;

export const dailyRowSchema = figuresSchema.extend({
  providerOrgId: z.uuid(),
  providerName: z.string().nullable(),
  nodeId: z.uuid(),
  nodeCode: z.string().nullable(),
  nodeName: z.string().nullable(),
  table: z.string(),
  tableCn: z.string(),
  day: z.string().describe('the day, or the Monday of the ISO week for a weekly table'),
  period: z.enum(['day', 'week']),
  method: z.enum(['host_samples', 'device_samples', 'event_slots', 'daily', 'weekly']),
  mandatory: z.boolean(),
  expected: z.string(),
  received: z.string(),
  onTime: z.string(),
  accepted: z.string(),
  rejected: z.string(),
  computedAt: z.string(),
});
export type DailyRow = z.infer<typeof dailyRowSchema>;

export const dailyListSchema = z.object({
  items: z.array(dailyRowSchema),
  total: z.number().int(),
  truncated: z.boolean().describe('true when more rows matched than returned (narrow the filter)'),
});

/** Per table × day for the heat table (all nodes of the provider together). */
export const heatCellSchema = figuresSchema.extend({
  table: z.string(),
  day: z.string(),
  period: z.enum(['day', 'week']),
  expected: z.string(),
  received: z.string(),
});
export const heatSchema = z.object({
  from: z.string(),
  to: z.string(),
  provider: z.uuid(),
  cells: z.array(heatCellSchema),
});
export type Heat = z.infer<typeof heatSchema>;

export const heatQuerySchema = z
  .strictObject({ from: daySchema, to: daySchema, provider: z.uuid({ message: 'must be the id of a cloud provider' }) })
  .superRefine((q, ctx) => {
    rangeRule(q, ctx);
    if (isDay(q.from) && isDay(q.to) && q.to >= q.from && daysBetween(q.from, q.to) > 93) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'the heat table spans at most 93 days' });
    }
  });

export const expectationSchema = z.object({
  id: z.uuid(),
  providerOrgId: z.uuid(),
  providerName: z.string().nullable(),
  nodeId: z.uuid().nullable(),
  tableName: z.string(),
  mandatory: z.boolean(),
  note: z.string().nullable(),
  updatedAt: z.string(),
});
export const expectationListSchema = z.object({
  items: z.array(expectationSchema),
  /** Every interface table, in the order of the standard: all are mandatory unless an item says otherwise. */
  tables: z.array(z.object({ table: z.string(), tableCn: z.string(), period: z.enum(['PT5M', 'P1D', 'P1W']) })),
});

export const expectationInputSchema = z.strictObject({
  providerOrgId: z.uuid(),
  nodeId: z.uuid().nullable().describe('null: every node of the provider'),
  tableName: z.enum(TABLE_NAMES, { message: 'must be the name of an interface table, e.g. cloudHostMonitoring' }),
  mandatory: z.boolean(),
  note: z.string().trim().max(200).nullable().optional(),
});
export type ExpectationInput = z.infer<typeof expectationInputSchema>;

export const idParamsSchema = z.object({ id: z.uuid() });

export const computeBodySchema = z.strictObject({ day: daySchema });
export const computeResultSchema = z.object({ day: z.string(), rows: z.number().int(), durationMs: z.number().int() });
