import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import {
  applicationDetailSchema,
  applicationInputSchema,
  applicationSchema,
  deliverSchema,
  fromEstimateSchema,
  idParamsSchema,
  listQuerySchema,
  quotaInputSchema,
  quotaSchema,
  rejectDeliverySchema,
  statsQuerySchema,
  statsSchema,
  submitSchema,
  unitParamsSchema,
  workOrderQuerySchema,
  workOrderSchema,
} from './applications.schemas.js';
import type { ApplicationsService } from './applications.service.js';
import { writeApplicationsWorkbook } from './applications.xlsx.js';

const tags = ['applications'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function registerApplicationRoutes(app: App, service: ApplicationsService): void {
  app.get(
    '/api/applications',
    { config: { permission: 'application:read' }, schema: { tags, summary: 'Applications the caller sees (filters: kind, status, unit, provider, dates; mine)', querystring: listQuerySchema, response: { 200: z.object({ items: z.array(applicationSchema) }) } } },
    async (request) => ({ items: await service.list(request.ctx, request.query) }),
  );
  app.get(
    '/api/applications/export',
    { config: { permission: 'application:read' }, schema: { tags, summary: 'The filtered application list as .xlsx', querystring: listQuerySchema, produces: [XLSX] } },
    async (request, reply) => {
      const data = await writeApplicationsWorkbook(await service.list(request.ctx, request.query));
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', `attachment; filename="applications.xlsx"; filename*=UTF-8''${encodeURIComponent('申请列表.xlsx')}`)
        .header('cache-control', 'no-store')
        .send(data);
    },
  );
  app.get(
    '/api/applications/stats',
    { config: { permission: 'application:read' }, schema: { tags, summary: 'Throughput and on-time rate per provider (work orders) and per workflow step', querystring: statsQuerySchema, response: { 200: statsSchema } } },
    async (request) => service.stats(request.ctx, request.query),
  );
  app.get(
    '/api/work-orders',
    { config: { permission: 'application:read' }, schema: { tags, summary: 'Work orders (工单) with due time and working time left', querystring: workOrderQuerySchema, response: { 200: z.object({ items: z.array(workOrderSchema) }) } } },
    async (request) => ({ items: await service.workOrders(request.ctx, request.query) }),
  );
  app.post(
    '/api/applications',
    { config: { permission: 'application:write' }, schema: { tags, summary: 'A draft application (lines priced with the provider’s approved price list in force; quota checked)', body: applicationInputSchema, response: { 201: applicationDetailSchema } } },
    async (request, reply) => reply.status(201).send(await service.create(request.ctx, request.body)),
  );
  app.post(
    '/api/applications/from-estimate',
    { config: { permission: 'application:write' }, schema: { tags, summary: '估算转申请: a draft application with the lines of a saved estimate', body: fromEstimateSchema, response: { 201: applicationDetailSchema } } },
    async (request, reply) => reply.status(201).send(await service.fromEstimate(request.ctx, request.body)),
  );
  app.get(
    '/api/applications/:id',
    { config: { permission: 'application:read' }, schema: { tags, summary: 'One application: lines, prices, work order, timeline, abilities', params: idParamsSchema, response: { 200: applicationDetailSchema } } },
    async (request) => service.get(request.ctx, request.params.id),
  );
  app.put(
    '/api/applications/:id',
    { config: { permission: 'application:write' }, schema: { tags, summary: 'Replace a draft or returned application', params: idParamsSchema, body: applicationInputSchema, response: { 200: applicationDetailSchema } } },
    async (request) => service.update(request.ctx, request.params.id, request.body),
  );
  app.delete(
    '/api/applications/:id',
    { config: { permission: 'application:write' }, schema: { tags, summary: 'Delete a draft', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await service.delete(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/applications/:id/submit',
    { config: { permission: 'application:write' }, schema: { tags, summary: 'Submit (starts the approval workflow of its kind) or resubmit after a return', params: idParamsSchema, body: submitSchema, response: { 200: applicationDetailSchema } } },
    async (request) => service.submit(request.ctx, request.params.id, request.body.comment ?? null),
  );
  app.post(
    '/api/applications/:id/deliver',
    { config: { permission: 'workorder:fulfil' }, schema: { tags, summary: 'The provider records the delivery (hosts, IPs, sizes per line, or pushed data)', params: idParamsSchema, body: deliverSchema, response: { 200: applicationDetailSchema } } },
    async (request) => service.deliver(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/applications/:id/accept',
    { config: { permission: 'application:write' }, schema: { tags, summary: '验收: accept the delivery (metering starts now)', params: idParamsSchema, body: submitSchema, response: { 200: applicationDetailSchema } } },
    async (request) => service.accept(request.ctx, request.params.id, request.body.comment ?? null),
  );
  app.post(
    '/api/applications/:id/reject-delivery',
    { config: { permission: 'application:write' }, schema: { tags, summary: 'Reject the delivery with a reason (back to the provider)', params: idParamsSchema, body: rejectDeliverySchema, response: { 200: applicationDetailSchema } } },
    async (request) => service.rejectDelivery(request.ctx, request.params.id, request.body.reason),
  );
  app.get(
    '/api/application-quotas/:unitId',
    { config: { permission: 'application:read' }, schema: { tags, summary: 'A unit’s quota (配额) and what its applications already take', params: unitParamsSchema, response: { 200: quotaSchema } } },
    async (request) => service.getQuota(request.ctx, request.params.unitId),
  );
  app.put(
    '/api/application-quotas/:unitId',
    { config: { permission: 'application:manage' }, schema: { tags, summary: 'Set a unit’s quota: monthly amount cap and per-item quantity caps', params: unitParamsSchema, body: quotaInputSchema, response: { 200: quotaSchema } } },
    async (request) => service.putQuota(request.ctx, request.params.unitId, request.body),
  );
}
