import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { hasPermission } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { MAJOR_CHANGE_SOURCES, MAJOR_CHANGE_STATUSES, type MajorChangeService } from './operations.majorchanges.js';

const uuid = z.uuid();
const tags = ['operations'];
const R = 'operations:read';
const W = 'operations:write';
const isoTime = z.iso.datetime({ offset: true });

export const majorChangeSchema = z.object({
  id: z.string(),
  providerOrgId: z.string(),
  providerName: z.string(),
  nodeId: z.string().nullable(),
  nodeName: z.string().nullable(),
  source: z.enum(MAJOR_CHANGE_SOURCES),
  sourceEventId: z.string().nullable(),
  externalId: z.string().nullable(),
  category: z.string(),
  title: z.string(),
  detail: z.string(),
  hostIds: z.array(z.string()),
  occurredAt: z.string(),
  status: z.enum(MAJOR_CHANGE_STATUSES),
  matchedChange: z.object({ id: z.string(), title: z.string(), windowStart: z.string(), windowEnd: z.string() }).nullable(),
  reviewedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
  evidence: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
}).meta({ id: 'MajorChange' });

const params = z.strictObject({ id: uuid });

/** Major-change events (重大变更) matched to approved platform changes: /api/operations/major-changes. */
export function registerMajorChangeRoutes(app: App, service: MajorChangeService): void {
  app.get('/api/operations/major-changes', { config: { permission: R }, schema: { tags, summary: 'Major-change events (重大变更) with the approved change each matched, or flagged unapproved (未经审批变更)', querystring: z.strictObject({ providerOrgId: uuid.optional(), nodeId: uuid.optional(), status: z.enum(MAJOR_CHANGE_STATUSES).optional(), source: z.enum(MAJOR_CHANGE_SOURCES).optional(), reviewed: z.enum(['true', 'false']).optional(), from: isoTime.optional(), to: isoTime.optional() }), response: { 200: z.object({ items: z.array(majorChangeSchema) }) } } },
    async (request) => {
      const { reviewed, ...q } = request.query;
      return { items: await service.list(request.ctx, { ...q, ...(reviewed ? { reviewed: reviewed === 'true' } : {}) }) };
    });
  app.get('/api/operations/major-changes/:id', { config: { permission: R }, schema: { tags, summary: 'One major-change event', params, response: { 200: majorChangeSchema } } }, async (request) => service.get(request.ctx, request.params.id));
  app.post('/api/operations/major-changes', { config: { permission: W }, schema: { tags, summary: 'Enter a major change observed by supervision (management / supervision); matched to an approved change at once', body: z.strictObject({ providerOrgId: uuid, nodeId: uuid.nullable().optional(), source: z.enum(['manual', 'detected']).optional(), category: z.string().trim().min(1).max(50), title: z.string().trim().min(1).max(200), detail: z.string().max(8000).nullable().optional(), hostIds: z.array(uuid).max(100).optional(), occurredAt: isoTime }), response: { 201: majorChangeSchema } } },
    async (request, reply) => reply.status(201).send(await service.record(request.ctx, request.body)));
  app.post('/api/operations/major-changes/import', { config: { permission: W }, schema: { tags, summary: 'Import the pushed major-change events (trigger mode) of a range now (also done every 10 minutes by a job)', body: z.strictObject({ from: isoTime, to: isoTime }), response: { 200: z.object({ imported: z.number(), unapproved: z.number() }) } } },
    async (request) => service.importPushed({ from: new Date(request.body.from), to: new Date(request.body.to) }));
  app.post('/api/operations/major-changes/detect', { config: { permission: W }, schema: { tags, summary: 'Detect major changes in the pushed 云平台规格数据 now (also done every 10 minutes by a job; each detection recorded once; management / supervision)', response: { 200: z.object({ batches: z.number(), detected: z.number(), unapproved: z.number() }) } } },
    async (request) => {
      if (!hasPermission(request.ctx.actor, 'operations:manage')) throw new AppError('forbidden', 'operations.major_change_manage_only', 'Only the management unit or the supervision provider runs the detection', {});
      return service.detectFromPushedData();
    });
  app.post('/api/operations/major-changes/:id/review', { config: { permission: W }, schema: { tags, summary: 'Record how an unapproved change was followed up (核查处理; management / supervision)', params, body: z.strictObject({ note: z.string().trim().min(1).max(2000) }), response: { 200: majorChangeSchema } } },
    async (request) => service.review(request.ctx, request.params.id, request.body));
}
