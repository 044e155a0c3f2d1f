import { z } from 'zod';

/** Query strings arrive as text: digits only, no silent coercion. */
const pageParam = z.string().regex(/^[1-9][0-9]{0,5}$/, 'must be a positive whole number').transform(Number);
const pageSizeParam = z
  .string()
  .regex(/^[1-9][0-9]{0,2}$/, 'must be a whole number between 1 and 200')
  .transform(Number)
  .pipe(z.number().int().min(1).max(200));
const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time with a time zone, e.g. 2026-01-31T08:00:00+08:00' });

export const auditOutcomeSchema = z.enum(['success', 'failure']);

/** Filters shared by search and export. */
export const auditFilterSchema = z.strictObject({
  from: isoTime.optional().describe('records at or after this time'),
  to: isoTime.optional().describe('records before this time'),
  actor: z.string().trim().min(1).max(64).optional().describe('user name contains'),
  action: z.string().trim().min(1).max(100).optional().describe('action starts with, e.g. `auth.` or `users.create`'),
  outcome: auditOutcomeSchema.optional(),
  targetType: z.string().trim().min(1).max(64).optional(),
  q: z.string().trim().min(1).max(100).optional().describe('keyword in action, target, user name or details'),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const auditListQuerySchema = auditFilterSchema.extend({
  page: pageParam.optional(),
  pageSize: pageSizeParam.optional(),
});
export type AuditListQuery = z.infer<typeof auditListQuerySchema>;

export const auditRecordSchema = z.object({
  seq: z.string().describe('position in the chain (bigint as a string)'),
  occurredAt: z.string(),
  actorUserId: z.string().nullable(),
  actorUsername: z.string(),
  actorOrgId: z.string().nullable(),
  actorOrgName: z.string().nullable(),
  actorKind: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  outcome: auditOutcomeSchema,
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  details: z.unknown().nullable(),
  sourceIp: z.string().nullable(),
  requestId: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export const auditListSchema = z.object({
  items: z.array(auditRecordSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const chainProblemSchema = z.object({
  seq: z.string(),
  kind: z.enum(['altered', 'removed', 'reordered', 'relinked']),
  message: z.string(),
});

export const verifyResultSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstSeq: z.string().nullable(),
  lastSeq: z.string().nullable(),
  lastHash: z.string().nullable(),
  anchor: z.object({ firstSeq: z.string(), prevHash: z.string() }).nullable(),
  problems: z.array(chainProblemSchema),
  problemCount: z.number().int(),
  truncated: z.boolean(),
  durationMs: z.number().int(),
});
