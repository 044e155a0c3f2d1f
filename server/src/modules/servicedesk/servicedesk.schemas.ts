import { z } from 'zod';
import { CHANNELS, CLOCKS, STATUSES, TICKET_KINDS } from './servicedesk.rules.js';

export const idParamsSchema = z.strictObject({ id: z.uuid() });
export const attachmentParamsSchema = z.strictObject({ id: z.uuid(), attachmentId: z.uuid() });
const kind = z.enum(TICKET_KINDS);
const status = z.enum(STATUSES);

/** Attachment allowed types (by file name extension) and size: ≤ 5 MB each. */
export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
export const ATTACHMENT_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', txt: 'text/plain', log: 'text/plain',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', zip: 'application/zip',
};
export const attachmentInputSchema = z.strictObject({ fileName: z.string().trim().min(1).max(200), contentBase64: z.string().max(7_200_000) });

export const newTicketSchema = z.strictObject({
  kind,
  title: z.string().trim().min(1).max(200),
  description: z.string().max(10000).default(''),
  impact: z.number().int().min(1).max(3).default(2),
  urgency: z.number().int().min(1).max(3).default(2),
  channel: z.enum(['portal', 'phone', 'email', 'api']).default('portal'),
  systemId: z.uuid().optional(),
  resourceIds: z.array(z.uuid()).max(50).default([]),
  /** Supervision notices (整改通知, 安全隐患通知单) and tickets raised by the management unit name the provider. */
  providerId: z.uuid().optional(),
  unitId: z.uuid().optional(),
  reporterName: z.string().trim().max(50).optional(),
  reporterPhone: z.string().trim().max(30).optional(),
  workOrderId: z.uuid().optional(),
  /** 事件定级 inputs (events): how many systems are affected and for how long (minutes). */
  systemsAffected: z.number().int().min(0).max(10000).optional(),
  durationMinutes: z.number().int().min(0).max(525600).optional(),
  attachments: z.array(attachmentInputSchema).max(5).optional(),
});
export type NewTicket = z.infer<typeof newTicketSchema>;

export const ticketActionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('claim'), version: z.number().int() }),
  z.strictObject({ action: z.literal('assign'), version: z.number().int(), assigneeUserId: z.uuid() }),
  z.strictObject({ action: z.literal('transfer'), version: z.number().int(), providerId: z.uuid(), reason: z.string().trim().min(1).max(1000) }),
  z.strictObject({ action: z.literal('start'), version: z.number().int() }),
  z.strictObject({ action: z.literal('pend'), version: z.number().int(), reason: z.string().trim().min(1).max(1000) }),
  z.strictObject({ action: z.literal('resume'), version: z.number().int() }),
  z.strictObject({ action: z.literal('onsite'), version: z.number().int() }),
  z.strictObject({ action: z.literal('restore'), version: z.number().int(), note: z.string().max(2000).optional() }),
  z.strictObject({ action: z.literal('resolve'), version: z.number().int(), resolution: z.string().trim().min(1).max(4000), kbArticleId: z.uuid().optional() }),
  z.strictObject({ action: z.literal('reopen'), version: z.number().int(), reason: z.string().trim().min(1).max(1000) }),
  z.strictObject({ action: z.literal('close'), version: z.number().int() }),
  z.strictObject({ action: z.literal('cancel'), version: z.number().int(), reason: z.string().trim().min(1).max(1000) }),
  z.strictObject({ action: z.literal('merge'), version: z.number().int(), intoTicketId: z.uuid() }),
  z.strictObject({ action: z.literal('escalate'), version: z.number().int(), reason: z.string().trim().min(1).max(1000) }),
]);
export type TicketAction = z.infer<typeof ticketActionSchema>;

export const commentSchema = z.strictObject({ body: z.string().trim().min(1).max(10000), visibility: z.enum(['public', 'internal']).default('public') });
export const rateSchema = z.strictObject({ rating: z.number().int().min(1).max(5), comment: z.string().trim().max(1000).optional() });
export const faultReportSchema = z.strictObject({
  cause: z.string().trim().min(1).max(4000),
  impactScope: z.string().trim().min(1).max(2000),
  timeline: z.string().trim().min(1).max(4000),
  measures: z.string().trim().min(1).max(4000),
  prevention: z.string().trim().min(1).max(4000),
});
export type FaultReport = z.infer<typeof faultReportSchema>;

export const listQuerySchema = z.strictObject({
  view: z.enum(['mine', 'queue', 'all']).default('all'),
  status: z.union([status, z.literal('open')]).optional(),
  kind: kind.optional(),
  priority: z.coerce.number().int().min(1).max(4).optional(),
  providerId: z.uuid().optional(),
  unitId: z.uuid().optional(),
  channel: z.enum(CHANNELS).optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(['openedAt', '-openedAt', 'priority', 'ticketNo']).default('-openedAt'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

const clockSchema = z.object({
  clock: z.enum(CLOCKS), targetMinutes: z.number(), schedule: z.enum(['clock', 'office']), elapsedMinutes: z.number(), fraction: z.number(),
  state: z.enum(['running', 'paused', 'met', 'breached']), dueAt: z.string().nullable(), warning: z.boolean(), colour: z.enum(['green', 'yellow', 'red', 'grey']),
});
export const ticketSchema = z.object({
  id: z.uuid(), ticketNo: z.string(), kind, title: z.string(), description: z.string(), status, priority: z.number(), impact: z.number(), urgency: z.number(),
  eventLevel: z.string().nullable(), escalated: z.boolean(), reopenCount: z.number(), channel: z.enum(CHANNELS), source: z.string().nullable(), sourceId: z.string().nullable(),
  severity: z.string().nullable(), reporterUserId: z.string().nullable(), reporterName: z.string().nullable(),
  unitId: z.string().nullable(), unitName: z.string().nullable(), systemId: z.string().nullable(), systemName: z.string().nullable(),
  providerId: z.string().nullable(), providerName: z.string().nullable(), nodeId: z.string().nullable(), nodeName: z.string().nullable(), resourceIds: z.array(z.string()),
  assigneeUserId: z.string().nullable(), assigneeName: z.string().nullable(), workOrderId: z.string().nullable(), workOrderLink: z.string().nullable(),
  mergedIntoId: z.string().nullable(), kbArticleId: z.string().nullable(), keyPeriod: z.boolean(),
  openedAt: z.string(), respondedAt: z.string().nullable(), onsiteAt: z.string().nullable(), restoredAt: z.string().nullable(), resolvedAt: z.string().nullable(), closedAt: z.string().nullable(),
  rating: z.number().nullable(), ratingComment: z.string().nullable(), faultReport: z.record(z.string(), z.string()).nullable(), faultReportAt: z.string().nullable(),
  version: z.number(), clocks: z.array(clockSchema), worstColour: z.enum(['green', 'yellow', 'red', 'grey']),
});
export type Ticket = z.infer<typeof ticketSchema>;
export type Clock = z.infer<typeof clockSchema>;
export const ticketListSchema = z.object({ items: z.array(ticketSchema), total: z.number(), totalCapped: z.boolean().describe('true when more than `total` (1,000) match'), page: z.number(), pageSize: z.number() });
export const eventSchema = z.object({
  id: z.string(), at: z.string(), kind: z.string(), fromStatus: z.string().nullable(), toStatus: z.string().nullable(), actorName: z.string().nullable(),
  visibility: z.enum(['public', 'internal']), body: z.string().nullable(), data: z.record(z.string(), z.unknown()),
});
export const ticketDetailSchema = ticketSchema.extend({
  events: z.array(eventSchema),
  attachments: z.array(z.object({ id: z.string(), fileName: z.string(), contentType: z.string(), size: z.number(), uploadedAt: z.string() })),
  abilities: z.record(z.string(), z.boolean()),
});
export type TicketDetail = z.infer<typeof ticketDetailSchema>;

export const statisticsQuerySchema = z.strictObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM'), providerId: z.uuid().optional(), unitId: z.uuid().optional() });
export const statisticsRowSchema = z.object({
  providerId: z.string().nullable(), unitId: z.string().nullable(), kind: z.string(), tickets: z.number(), responded: z.number(), respondedInTarget: z.number(),
  responseRate: z.string().nullable(), avgResponseMinutes: z.number().nullable(), avgRecoveryMinutes: z.number().nullable(), resolved: z.number(),
  resolutionRate: z.string().nullable(), satisfactionAvg: z.string().nullable(), satisfiedRate: z.string().nullable(), breaches: z.number(),
});
export type StatisticsRow = z.infer<typeof statisticsRowSchema>;

export const newArticleSchema = z.strictObject({
  category: z.string().trim().min(1).max(50), title: z.string().trim().min(1).max(200), body: z.string().min(1).max(100000),
  visibility: z.enum(['public', 'providers', 'internal']).default('public'), status: z.enum(['draft', 'published']).default('published'),
});
export const articlePatchSchema = newArticleSchema.partial().extend({ status: z.enum(['draft', 'published', 'archived']).optional() });
export const kbSearchSchema = z.strictObject({ q: z.string().trim().max(100).optional(), category: z.string().max(50).optional(), page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(100).default(20) });
export const articleSchema = z.object({
  id: z.string(), category: z.string(), title: z.string(), body: z.string(), visibility: z.enum(['public', 'providers', 'internal']), version: z.number(), status: z.string(),
  updatedAt: z.string(), rank: z.number().nullable(), snippet: z.string().nullable(),
});
export const newAnnouncementSchema = z.strictObject({
  kind: z.enum(['maintenance', 'policy', 'notice']), title: z.string().trim().min(1).max(200), body: z.string().min(1).max(20000),
  audience: z.array(z.enum(['management_unit', 'supervision_provider', 'cloud_provider', 'user_unit'])).max(4).default([]),
  validFrom: z.iso.datetime({ offset: true }), validTo: z.iso.datetime({ offset: true }).optional(),
});
export const announcementSchema = z.object({
  id: z.string(), kind: z.string(), title: z.string(), body: z.string(), audience: z.array(z.string()), validFrom: z.string(), validTo: z.string().nullable(),
  read: z.boolean(), readCount: z.number().nullable(),
});
