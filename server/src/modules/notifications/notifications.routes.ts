import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import type { KeyPeriodService } from './keyperiods.service.js';
import {
  deliverySchema,
  escalationRulesSchema,
  idParamsSchema,
  keyPeriodCheckQuerySchema,
  keyPeriodCheckSchema,
  keyPeriodInputSchema,
  keyPeriodListQuerySchema,
  keyPeriodSchema,
  listQuerySchema,
  listResultSchema,
  orgParamsSchema,
  preferencesInputSchema,
  preferencesSchema,
  unreadSchema,
  updatedSchema,
  webhookInputSchema,
  webhookSchema,
} from './notifications.schemas.js';
import type { NotificationService } from './notifications.service.js';

const tags = ['notifications'];

/** The bell and the preferences need only a signed-in person: everyone reads and configures their own. */
export function registerNotificationRoutes(app: App, service: NotificationService, keyPeriods: KeyPeriodService): void {
  app.get(
    '/api/notifications',
    { schema: { tags, summary: 'My notifications (newest first) and my unread count', querystring: listQuerySchema, response: { 200: listResultSchema } } },
    async (request) => service.list(request.ctx, request.query),
  );
  app.get(
    '/api/notifications/unread-count',
    { schema: { tags, summary: 'How many of my notifications are unread', response: { 200: unreadSchema } } },
    async (request) => ({ unread: await service.unread(request.ctx) }),
  );
  app.post(
    '/api/notifications/:id/read',
    { schema: { tags, summary: 'Mark one of my notifications read', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await service.markRead(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/notifications/read-all',
    { schema: { tags, summary: 'Mark all my notifications read', response: { 200: updatedSchema } } },
    async (request) => ({ updated: await service.markAllRead(request.ctx) }),
  );
  app.get(
    '/api/notifications/preferences',
    { schema: { tags, summary: 'My channels per kind of notification, my e-mail address and robot webhook', response: { 200: preferencesSchema } } },
    async (request) => service.preferences(request.ctx),
  );
  app.put(
    '/api/notifications/preferences',
    { schema: { tags, summary: 'Choose channels (in-app, e-mail, webhook) per kind; kind * = my defaults', body: preferencesInputSchema, response: { 200: preferencesSchema } } },
    async (request) => service.setPreferences(request.ctx, request.body),
  );
  app.put(
    '/api/notifications/webhook',
    { schema: { tags, summary: 'Set my instant-messaging robot webhook (企业微信 / 钉钉 / 飞书 / JSON)', body: webhookInputSchema, response: { 200: preferencesSchema } } },
    async (request) => service.setWebhook(request.ctx, request.body),
  );
  app.delete(
    '/api/notifications/webhook',
    { schema: { tags, summary: 'Remove my robot webhook', response: { 204: z.null() } } },
    async (request, reply) => {
      await service.removeWebhook(request.ctx);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/notifications/deliveries',
    { schema: { tags, summary: 'Recent e-mail and webhook deliveries of my notifications', response: { 200: z.object({ items: z.array(deliverySchema) }) } } },
    async (request) => ({ items: await service.deliveries(request.ctx) }),
  );
  app.put(
    '/api/notifications/org-webhooks/:orgId',
    { config: { permission: 'user:write' }, schema: { tags, summary: 'Set the robot webhook of an organisation in my scope (for its people without their own)', params: orgParamsSchema, body: webhookInputSchema, response: { 200: webhookSchema } } },
    async (request) => service.setOrgWebhook(request.ctx, request.params.orgId, request.body),
  );
  app.delete(
    '/api/notifications/org-webhooks/:orgId',
    { config: { permission: 'user:write' }, schema: { tags, summary: 'Remove the robot webhook of an organisation', params: orgParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await service.removeOrgWebhook(request.ctx, request.params.orgId);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/notifications/escalation-rules',
    { config: { permission: 'workflow:write' }, schema: { tags, summary: 'Where overdue approval steps escalate (per step, per definition, global)', response: { 200: escalationRulesSchema } } },
    async (request) => ({ items: await service.escalationRules(request.ctx) }),
  );
  app.put(
    '/api/notifications/escalation-rules',
    { config: { permission: 'workflow:write' }, schema: { tags, summary: 'Replace the escalation rules', body: escalationRulesSchema, response: { 200: escalationRulesSchema } } },
    async (request) => ({ items: await service.setEscalationRules(request.ctx, request.body.items) }),
  );

  const ktags = ['key-periods'];
  app.get(
    '/api/key-periods',
    { config: { permission: 'keyperiod:read' }, schema: { tags: ktags, summary: 'Key-guarantee periods (重保期)', querystring: keyPeriodListQuerySchema, response: { 200: z.object({ items: z.array(keyPeriodSchema) }) } } },
    async (request) => ({ items: await keyPeriods.list(request.ctx, request.query.state) }),
  );
  app.get(
    '/api/key-periods/check',
    { config: { permission: 'keyperiod:read' }, schema: { tags: ktags, summary: 'Is a time (default now) inside a key-guarantee period, for a node or all nodes', querystring: keyPeriodCheckQuerySchema, response: { 200: keyPeriodCheckSchema } } },
    async (request) => keyPeriods.check(request.ctx, request.query.at ? new Date(request.query.at) : new Date(), request.query.nodeId ?? null),
  );
  app.get(
    '/api/key-periods/:id',
    { config: { permission: 'keyperiod:read' }, schema: { tags: ktags, summary: 'One key-guarantee period', params: idParamsSchema, response: { 200: keyPeriodSchema } } },
    async (request) => keyPeriods.get(request.ctx, request.params.id),
  );
  app.post(
    '/api/key-periods',
    { config: { permission: 'keyperiod:write' }, schema: { tags: ktags, summary: 'Declare a key-guarantee period (the providers concerned are notified)', body: keyPeriodInputSchema, response: { 201: keyPeriodSchema } } },
    async (request, reply) => reply.status(201).send(await keyPeriods.create(request.ctx, request.body)),
  );
  app.put(
    '/api/key-periods/:id',
    { config: { permission: 'keyperiod:write' }, schema: { tags: ktags, summary: 'Change a key-guarantee period', params: idParamsSchema, body: keyPeriodInputSchema, response: { 200: keyPeriodSchema } } },
    async (request) => keyPeriods.update(request.ctx, request.params.id, request.body),
  );
  app.delete(
    '/api/key-periods/:id',
    { config: { permission: 'keyperiod:write' }, schema: { tags: ktags, summary: 'Cancel a key-guarantee period', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await keyPeriods.remove(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
