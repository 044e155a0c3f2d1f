import { z } from 'zod';

export const idParamsSchema = z.strictObject({ id: z.uuid() });
const amountSchema = z.string().trim().regex(/^\d{1,14}(\.\d{1,2})?$/, 'an amount in 元 written as text with at most 2 decimals, e.g. "485254.06"');
const percentSchema = z.string().trim().regex(/^\d{1,3}(\.\d{1,4})?$/, 'a percentage written as text with at most 4 decimals, e.g. "16.67"');
const dateSchema = z.iso.date();

export const CONTRACT_STATUSES = ['draft', 'active', 'closed'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export const WARNING_KINDS = ['consumption_80', 'consumption_100', 'milestone_due', 'milestone_overdue'] as const;
export type WarningKind = (typeof WARNING_KINDS)[number];

export const milestoneInputSchema = z.strictObject({
  /** 首款 / 中期款 / 尾款 … */
  name: z.string().trim().min(1).max(100),
  /** 付款条件 as written (合同签订后20个工作日内 …). */
  condition: z.string().trim().max(500).nullable().optional(),
  percent: percentSchema,
  dueDate: dateSchema.nullable().optional(),
  paidDate: dateSchema.nullable().optional(),
});
export type MilestoneInput = z.infer<typeof milestoneInputSchema>;

export const contractInputSchema = z.strictObject({
  /** The user unit (甲方); defaults to the caller's own unit. */
  unitId: z.uuid().optional(),
  /** The cloud provider (乙方). */
  providerId: z.uuid(),
  contractNo: z.string().trim().min(1).max(50),
  name: z.string().trim().min(1).max(200),
  amount: amountSchema,
  serviceStart: dateSchema,
  serviceEnd: dateSchema,
  signedDate: dateSchema.nullable().optional(),
  fiscalYears: z.array(z.number().int().min(2000).max(2100)).max(10).optional(),
  systemIds: z.array(z.uuid()).max(100).optional(),
  milestones: z.array(milestoneInputSchema).min(1).max(20),
  status: z.enum(CONTRACT_STATUSES).optional(),
  notes: z.string().max(2000).nullable().optional(),
});
export type ContractInput = z.infer<typeof contractInputSchema>;

export const contractListQuerySchema = z.strictObject({
  unitId: z.uuid().optional(),
  providerId: z.uuid().optional(),
  status: z.enum(CONTRACT_STATUSES).optional(),
  fiscalYear: z.coerce.number().int().min(2000).max(2100).optional(),
  q: z.string().max(100).optional(),
});
export type ContractListQuery = z.infer<typeof contractListQuerySchema>;

const consumptionSchema = z.object({
  /** Billed amount counted against the contract or budget, 元. */
  consumed: z.string(),
  remaining: z.string(),
  /** consumed / amount in percent, two decimals; null when the amount is 0. */
  percent: z.string().nullable(),
});

export const contractSchema = z
  .object({
    id: z.uuid(),
    unit: z.object({ id: z.uuid(), name: z.string() }),
    provider: z.object({ id: z.uuid(), name: z.string() }),
    contractNo: z.string(),
    name: z.string(),
    amount: z.string(),
    amountUppercase: z.string(),
    serviceStart: z.string(),
    serviceEnd: z.string(),
    signedDate: z.string().nullable(),
    fiscalYears: z.array(z.number().int()),
    status: z.enum(CONTRACT_STATUSES),
    consumption: consumptionSchema,
    activeWarnings: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Contract' });
export type Contract = z.infer<typeof contractSchema>;

export const scheduleLineSchema = z.object({
  seq: z.number().int(),
  name: z.string(),
  condition: z.string().nullable(),
  percent: z.string(),
  amount: z.string(),
  amountUppercase: z.string(),
  dueDate: z.string().nullable(),
  paidDate: z.string().nullable(),
  state: z.enum(['paid', 'overdue', 'due_soon', 'pending', 'no_date']),
});
export type ScheduleLine = z.infer<typeof scheduleLineSchema>;

export const warningSchema = z
  .object({
    id: z.string(),
    subjectType: z.enum(['contract', 'budget']),
    subjectId: z.uuid(),
    subjectName: z.string().nullable(),
    unitId: z.uuid(),
    providerId: z.uuid().nullable(),
    kind: z.enum(WARNING_KINDS),
    milestoneSeq: z.number().int(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
    resolvedAt: z.string().nullable(),
  })
  .meta({ id: 'ContractWarning' });
export type Warning = z.infer<typeof warningSchema>;

export const burnDownPointSchema = z.object({ month: z.string(), amount: z.string(), cumulative: z.string(), remaining: z.string() });

export const contractDetailSchema = contractSchema
  .extend({
    notes: z.string().nullable(),
    systems: z.array(z.object({ id: z.uuid(), systemNo: z.string(), name: z.string() })),
    schedule: z.array(scheduleLineSchema),
    burnDown: z.array(burnDownPointSchema),
    warnings: z.array(warningSchema),
    abilities: z.object({ edit: z.boolean(), delete: z.boolean() }),
  })
  .meta({ id: 'ContractDetail' });
export type ContractDetail = z.infer<typeof contractDetailSchema>;

export const budgetInputSchema = z.strictObject({
  unitId: z.uuid().optional(),
  systemId: z.uuid().nullable().optional(),
  fiscalYear: z.number().int().min(2000).max(2100),
  amount: amountSchema,
  notes: z.string().max(2000).nullable().optional(),
});
export type BudgetInput = z.infer<typeof budgetInputSchema>;

export const budgetListQuerySchema = z.strictObject({
  unitId: z.uuid().optional(),
  fiscalYear: z.coerce.number().int().min(2000).max(2100).optional(),
});
export type BudgetListQuery = z.infer<typeof budgetListQuerySchema>;

export const budgetSchema = z
  .object({
    id: z.uuid(),
    unit: z.object({ id: z.uuid(), name: z.string() }),
    system: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    fiscalYear: z.number().int(),
    amount: z.string(),
    amountUppercase: z.string(),
    notes: z.string().nullable(),
    consumption: consumptionSchema,
    burnDown: z.array(burnDownPointSchema),
    activeWarnings: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Budget' });
export type Budget = z.infer<typeof budgetSchema>;

export const warningListQuerySchema = z.strictObject({
  /** Include resolved warnings (default: only current ones). */
  all: z.enum(['true', 'false']).optional(),
});

export const warningRunSchema = z.object({ active: z.number().int(), raised: z.number().int(), resolved: z.number().int() });
export type WarningRun = z.infer<typeof warningRunSchema>;

export interface ConsumptionRecord {
  unitId: string;
  providerId: string;
  systemId?: string | null;
  /** The billed month: `YYYY-MM` or `YYYY-MM-01`. */
  month: string;
  /** Billed amount in 元 as text (or a Decimal's text): the total of the confirmed bill lines for this key. */
  amount: string;
}
