import { z } from 'zod';
import { deadlineSchema, definitionBodySchema } from './workflow.definition.js';

export const idParamsSchema = z.strictObject({ id: z.uuid() });

const appliesToSchema = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'a subject kind such as application.onboarding').max(64);
const commentSchema = z.string().trim().min(1).max(2000);
const requiredComment = z.string().trim().min(1, 'give a reason').max(2000);
export const attachmentSchema = z.strictObject({
  name: z.string().min(1).max(200),
  /** Where the file is kept (a stored file id or URL). */
  ref: z.string().min(1).max(500),
  size: z.number().int().min(0).optional(),
});
const attachmentsSchema = z.array(attachmentSchema).max(20);

export const definitionInputSchema = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_.-]{1,63}$/, 'lower-case letters, digits, _ . -, 2–64 characters, starting with a letter'),
  name: z.string().trim().min(1).max(100),
  /** What the workflow is for: application.onboarding | application.change | application.exit | … */
  appliesTo: appliesToSchema,
  definition: definitionBodySchema,
});
export type DefinitionInput = z.infer<typeof definitionInputSchema>;
export const definitionUpdateSchema = definitionInputSchema.omit({ code: true });
export type DefinitionUpdate = z.infer<typeof definitionUpdateSchema>;

export const definitionSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  version: z.number().int(),
  status: z.enum(['draft', 'published', 'retired']),
  appliesTo: z.string(),
  definition: definitionBodySchema,
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  publishedBy: z.string().nullable(),
  publishedAt: z.date().nullable(),
});
export type WorkflowDefinition = z.infer<typeof definitionSchema>;

export const definitionListQuerySchema = z.strictObject({
  code: z.string().max(64).optional(),
  appliesTo: appliesToSchema.optional(),
  status: z.enum(['draft', 'published', 'retired']).optional(),
});
export type DefinitionListQuery = z.infer<typeof definitionListQuerySchema>;

export const problemSchema = z.object({ code: z.string(), step: z.string().nullable(), field: z.string(), message: z.string() });
export const validationResultSchema = z.object({ valid: z.boolean(), problems: z.array(problemSchema) });

export const factsSchema = z.strictObject({
  amount: z.string().regex(/^\d{1,14}(\.\d{1,2})?$/, 'an amount in 元 as text, e.g. "485254.06"').optional(),
  protectionLevel: z.number().int().min(1).max(5).optional(),
  itemCategories: z.array(z.string().min(1).max(100)).max(100).optional(),
});

export const startInputSchema = z
  .strictObject({
    /** The published version of this code is used … */
    definitionCode: z.string().max(64).optional(),
    /** … or this published definition. */
    definitionId: z.uuid().optional(),
    subjectType: z.string().regex(/^[a-z][a-z0-9_.]{0,63}$/, 'a registered subject type'),
    subjectId: z.string().min(1).max(100),
    title: z.string().max(200).optional(),
    facts: factsSchema.optional(),
    /** The chosen cloud provider (for steps assigned to `chosen_provider`). */
    providerOrgId: z.uuid().nullable().optional(),
  })
  .refine((s) => (s.definitionCode === undefined) !== (s.definitionId === undefined), { message: 'give definitionCode or definitionId' });
export type StartInput = z.infer<typeof startInputSchema>;

const taskStatus = z.enum(['pending', 'approved', 'rejected', 'returned', 'delegated', 'skipped', 'expired', 'cancelled']);
const instanceStatus = z.enum(['running', 'approved', 'rejected', 'returned', 'terminated']);

export const taskSchema = z.object({
  id: z.uuid(),
  instanceId: z.uuid(),
  stepKey: z.string(),
  stepName: z.string(),
  assignee: z.object({ role: z.string().nullable(), orgId: z.string().nullable(), orgKind: z.string().nullable(), userId: z.string().nullable() }),
  status: taskStatus,
  createdAt: z.date(),
  dueAt: z.date().nullable(),
  deadline: deadlineSchema.nullable(),
  overdue: z.boolean(),
  overdueAt: z.date().nullable(),
  delegatedFrom: z.string().nullable(),
  actedBy: z.string().nullable(),
  actedAt: z.date().nullable(),
  comment: z.string().nullable(),
  abilities: z.object({ act: z.boolean(), delegate: z.boolean(), extend: z.boolean(), skip: z.boolean(), terminate: z.boolean() }),
});
export type WorkflowTask = z.infer<typeof taskSchema>;

export const instanceSummarySchema = z.object({
  id: z.uuid(),
  definitionId: z.uuid(),
  definitionCode: z.string(),
  definitionName: z.string(),
  definitionVersion: z.number().int(),
  subjectType: z.string(),
  subjectId: z.string(),
  title: z.string().nullable(),
  ownerOrgId: z.uuid(),
  providerOrgId: z.string().nullable(),
  status: instanceStatus,
  startedBy: z.string().nullable(),
  startedAt: z.date(),
  endedAt: z.date().nullable(),
});
export type InstanceSummary = z.infer<typeof instanceSummarySchema>;

export const taskWithInstanceSchema = taskSchema.extend({ instance: instanceSummarySchema });
export type TaskWithInstance = z.infer<typeof taskWithInstanceSchema>;

export const eventSchema = z.object({
  id: z.string(),
  taskId: z.string().nullable(),
  stepKey: z.string().nullable(),
  action: z.string(),
  actorUserId: z.string().nullable(),
  actorName: z.string().nullable(),
  comment: z.string().nullable(),
  attachments: z.array(attachmentSchema),
  details: z.record(z.string(), z.unknown()),
  at: z.date(),
});
export type WorkflowEvent = z.infer<typeof eventSchema>;

export const instanceDetailSchema = instanceSummarySchema.extend({
  facts: factsSchema,
  returnedStep: z.string().nullable(),
  /** The steps of the definition (names for the timeline's automatic steps). */
  steps: z.array(z.object({ key: z.string(), name: z.string(), kind: z.enum(['approval', 'condition', 'parallel']) })),
  tasks: z.array(taskSchema),
  /** The timeline (流转记录), oldest first. */
  events: z.array(eventSchema),
  abilities: z.object({ resubmit: z.boolean(), terminate: z.boolean(), comment: z.boolean() }),
});
export type InstanceDetail = z.infer<typeof instanceDetailSchema>;

export const taskActionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('approve'), comment: commentSchema.optional(), attachments: attachmentsSchema.optional() }),
  z.strictObject({ action: z.literal('reject'), comment: requiredComment, attachments: attachmentsSchema.optional() }),
  /** 退回修改: back to the applicant, who resubmits. */
  z.strictObject({ action: z.literal('return'), comment: requiredComment, attachments: attachmentsSchema.optional() }),
  /** 转办: hand the task to another person. */
  z.strictObject({ action: z.literal('delegate'), toUserId: z.uuid(), comment: commentSchema.optional() }),
  /** 延期 (management unit): a new due time, or more working time added to the current one. */
  z
    .strictObject({ action: z.literal('extend'), dueAt: z.iso.datetime({ offset: true }).optional(), by: deadlineSchema.optional(), comment: commentSchema.optional() })
    .refine((b) => (b.dueAt === undefined) !== (b.by === undefined), { message: 'give dueAt or by', path: ['dueAt'] }),
  /** 跳过 (management unit). */
  z.strictObject({ action: z.literal('skip'), comment: commentSchema.optional() }),
  /** 终止 (management unit or the person who started the workflow). */
  z.strictObject({ action: z.literal('terminate'), comment: requiredComment }),
  z.strictObject({ action: z.literal('comment'), comment: commentSchema.optional(), attachments: attachmentsSchema.optional() }).refine((b) => b.comment !== undefined || (b.attachments?.length ?? 0) > 0, {
    message: 'a comment or an attachment',
    path: ['comment'],
  }),
]);
export type TaskActionInput = z.infer<typeof taskActionSchema>;

export const instanceActionSchema = z.discriminatedUnion('action', [
  /** After 退回修改: restart at the returned step, optionally with corrected facts. */
  z.strictObject({ action: z.literal('resubmit'), comment: commentSchema.optional(), facts: factsSchema.optional(), attachments: attachmentsSchema.optional() }),
  z.strictObject({ action: z.literal('terminate'), comment: requiredComment }),
  z.strictObject({ action: z.literal('comment'), comment: commentSchema.optional(), attachments: attachmentsSchema.optional() }).refine((b) => b.comment !== undefined || (b.attachments?.length ?? 0) > 0, {
    message: 'a comment or an attachment',
    path: ['comment'],
  }),
]);
export type InstanceActionInput = z.infer<typeof instanceActionSchema>;

export const taskListQuerySchema = z.strictObject({
  /** true: only the caller's to-dos (待办). */
  mine: z.enum(['true', 'false']).optional(),
  status: taskStatus.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  instanceId: z.uuid().optional(),
});
export type TaskListQuery = z.infer<typeof taskListQuerySchema>;

export const instanceListQuerySchema = z.strictObject({
  subjectType: z.string().max(64).optional(),
  subjectId: z.string().max(100).optional(),
  status: instanceStatus.optional(),
});
export type InstanceListQuery = z.infer<typeof instanceListQuerySchema>;
