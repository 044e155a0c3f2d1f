import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { estimateDetailSchema, estimateImportSchema, estimateInputSchema, estimateResultSchema, estimateSchema, idParamsSchema } from './estimates.schemas.js';
import type { EstimatesService } from './estimates.service.js';

const tags = ['estimates'];

export function registerEstimateRoutes(app: App, service: EstimatesService): void {
  app.post(
    '/api/estimates/preview',
    { config: { permission: 'estimate:read' }, schema: { tags, summary: 'Price an estimate without saving it (预算测算)', body: estimateInputSchema, response: { 200: estimateResultSchema } } },
    async (request) => service.preview(request.ctx, request.body),
  );
  app.get(
    '/api/estimates',
    { config: { permission: 'estimate:read' }, schema: { tags, summary: "Draft estimates of the caller's units", response: { 200: z.object({ items: z.array(estimateSchema) }) } } },
    async (request) => ({ items: await service.list(request.ctx) }),
  );
  app.post(
    '/api/estimates',
    { config: { permission: 'estimate:write' }, schema: { tags, summary: 'Save a draft estimate (all rows valid, or nothing saved)', body: estimateInputSchema, response: { 201: estimateDetailSchema } } },
    async (request, reply) => reply.status(201).send(await service.create(request.ctx, request.body)),
  );
  app.get(
    '/api/estimates/:id',
    { config: { permission: 'estimate:read' }, schema: { tags, summary: 'One estimate, priced: conversions, line amounts, totals, overruns, milestones', params: idParamsSchema, response: { 200: estimateDetailSchema } } },
    async (request) => service.get(request.ctx, request.params.id),
  );
  app.put(
    '/api/estimates/:id',
    { config: { permission: 'estimate:write' }, schema: { tags, summary: 'Replace a draft estimate', params: idParamsSchema, body: estimateInputSchema, response: { 200: estimateDetailSchema } } },
    async (request) => service.update(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/estimates/import',
    { bodyLimit: 12 * 1024 * 1024, config: { permission: 'estimate:write' }, schema: { tags, summary: 'Save a draft estimate from an .xlsx in the procurement-table layout (base64)', body: estimateImportSchema, response: { 201: estimateDetailSchema } } },
    async (request, reply) => reply.status(201).send(await service.importXlsx(request.ctx, request.body)),
  );
  app.get(
    '/api/estimates/:id/export',
    {
      config: { permission: 'estimate:read' },
      schema: { tags, summary: 'The priced estimate as .xlsx (服务类别 … 单价, 金额, with conversions and milestones)', params: idParamsSchema, produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
    },
    async (request, reply) => {
      const { title, data } = await service.exportXlsx(request.ctx, request.params.id);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="estimate.xlsx"; filename*=UTF-8''${encodeURIComponent(`预算测算-${title.slice(0, 60)}.xlsx`)}`)
        .header('cache-control', 'no-store')
        .send(data);
    },
  );
  app.delete(
    '/api/estimates/:id',
    { config: { permission: 'estimate:write' }, schema: { tags, summary: 'Delete a draft estimate', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await service.delete(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
