import { z } from 'zod';

export const kindSchema = z.string().regex(/^[a-z][a-z0-9_.]{1,63}$/, 'a kind like workflow.overdue: lower-case letters, digits, _ and .');
export const severitySchema = z.enum(['info', 'warning', 'critical']);
export const orgKindSchema = z.enum(['management_unit', 'supervision_provider', 'cloud_provider', 'user_unit', 'external_data_user']);

export const recipientsSchema = z
  .strictObject({
    userIds: z.array(z.uuid()).max(1000).optional(),
    roleCodes: z.array(z.string().min(1).max(64)).max(50).optional(),
    orgIds: z.array(z.uuid()).max(1000).optional(),
    /** Every organisation of these kinds (the management unit's pool …); combined with roleCodes. */
    orgKinds: z.array(orgKindSchema).max(5).optional(),
  })
  .refine((r) => [r.userIds, r.roleCodes, r.orgIds, r.orgKinds].some((a) => a && a.length > 0), { message: 'name at least one recipient: userIds, roleCodes, orgIds or orgKinds' });
export type Recipients = z.infer<typeof recipientsSchema>;

export const notifyInputSchema = z.strictObject({
  recipients: recipientsSchema,
  kind: kindSchema,
  title: z.string().trim().min(1).max(200),
  body: z.string().max(4000).default(''),
  /** Path in the web UI (/todo?task=…) or an absolute URL. */
  link: z.string().max(500).nullish(),
  severity: severitySchema.default('info'),
});
export type NotifyInput = z.input<typeof notifyInputSchema>;

export const notificationSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  severity: severitySchema,
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.date(),
  readAt: z.date().nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const listQuerySchema = z.strictObject({
  unread: z.enum(['true', 'false']).optional(),
  limit: z.string().regex(/^([1-9]\d?|1\d\d|200)$/, 'a whole number from 1 to 200').transform(Number).optional(),
  /** Older than this notification's time (paging). */
  before: z.iso.datetime({ offset: true }).optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export const listResultSchema = z.object({ items: z.array(notificationSchema), unread: z.number().int() });
export const unreadSchema = z.object({ unread: z.number().int() });
export const idParamsSchema = z.strictObject({ id: z.uuid() });
export const orgParamsSchema = z.strictObject({ orgId: z.uuid() });
export const updatedSchema = z.object({ updated: z.number().int() });

const channelsSchema = z.strictObject({ inApp: z.boolean(), email: z.boolean(), webhook: z.boolean() });
export const preferenceItemSchema = z.strictObject({ kind: z.union([z.literal('*'), kindSchema]), inApp: z.boolean(), email: z.boolean(), webhook: z.boolean() });
export type PreferenceItem = z.infer<typeof preferenceItemSchema>;
export const preferencesInputSchema = z.strictObject({ items: z.array(preferenceItemSchema).min(1).max(100) });
export type PreferencesInput = z.infer<typeof preferencesInputSchema>;

export const webhookFormatSchema = z.enum(['generic', 'wecom', 'dingtalk', 'feishu']);
export const webhookInputSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, message: 'an http:// or https:// URL' }).max(500),
  format: webhookFormatSchema.default('generic'),
  /** HMAC-SM3 key for the X-Zhengyun-Signature header; null removes it; absent keeps the stored one. */
  secret: z.string().min(16, 'at least 16 characters').max(200).nullish(),
});
export type WebhookInput = z.infer<typeof webhookInputSchema>;
export const webhookSchema = z.object({ url: z.string(), format: webhookFormatSchema, hasSecret: z.boolean(), updatedAt: z.date() });

export const preferencesSchema = z.object({
  defaults: channelsSchema,
  kinds: z.array(z.object({ kind: z.string(), nameZh: z.string(), nameEn: z.string(), inApp: z.boolean(), email: z.boolean(), webhook: z.boolean(), custom: z.boolean() })),
  email: z.object({ configured: z.boolean(), address: z.string().nullable() }),
  webhook: webhookSchema.nullable(),
  orgWebhook: z.boolean(),
});
export type Preferences = z.infer<typeof preferencesSchema>;

export const escalationRuleSchema = z.strictObject({
  definitionCode: z.string().min(1).max(64).nullable(),
  stepKey: z.string().min(1).max(40).nullable(),
  roleCode: z.string().min(1).max(64),
  org: z.enum(['management_unit', 'supervision_provider', 'task_org']),
});
export type EscalationRule = z.infer<typeof escalationRuleSchema>;
export const escalationRulesSchema = z.strictObject({ items: z.array(escalationRuleSchema).max(200) });

export const deliverySchema = z.object({
  id: z.uuid(),
  notificationId: z.uuid(),
  channel: z.enum(['email', 'webhook']),
  status: z.enum(['pending', 'sending', 'sent', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.date(),
  lastError: z.string().nullable(),
  sentAt: z.date().nullable(),
  target: z.string().nullable(),
});
export type Delivery = z.infer<typeof deliverySchema>;

// ---- key-guarantee periods (重保) ----

export const keyPeriodInputSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    startsAt: z.iso.datetime({ offset: true, message: 'an ISO 8601 time with offset, e.g. 2026-03-01T00:00:00+08:00' }),
    endsAt: z.iso.datetime({ offset: true, message: 'an ISO 8601 time with offset, e.g. 2026-03-15T24:00:00+08:00' }),
    scope: z.enum(['all', 'nodes']).default('all'),
    nodeIds: z.array(z.uuid()).max(100).default([]),
    description: z.string().max(1000).nullish(),
  })
  .superRefine((v, c) => {
    if (Date.parse(v.endsAt) <= Date.parse(v.startsAt)) c.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
    if (v.scope === 'nodes' && v.nodeIds.length === 0) c.addIssue({ code: 'custom', path: ['nodeIds'], message: 'name at least one node when scope is nodes' });
    if (v.scope === 'all' && v.nodeIds.length > 0) c.addIssue({ code: 'custom', path: ['nodeIds'], message: 'must be empty when scope is all' });
  });
export type KeyPeriodInput = z.infer<typeof keyPeriodInputSchema>;

export const keyPeriodSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  startsAt: z.date(),
  endsAt: z.date(),
  scope: z.enum(['all', 'nodes']),
  nodeIds: z.array(z.string()),
  description: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** upcoming, active or ended, at the time of the answer. */
  state: z.enum(['upcoming', 'active', 'ended']),
});
export type KeyPeriod = z.infer<typeof keyPeriodSchema>;
export const keyPeriodListQuerySchema = z.strictObject({ state: z.enum(['upcoming', 'active', 'ended']).optional() });
export const keyPeriodCheckQuerySchema = z.strictObject({ at: z.iso.datetime({ offset: true }).optional(), nodeId: z.uuid().optional() });
export const keyPeriodCheckSchema = z.object({ at: z.date(), nodeId: z.string().nullable(), keyPeriod: z.boolean(), periods: z.array(keyPeriodSchema) });
