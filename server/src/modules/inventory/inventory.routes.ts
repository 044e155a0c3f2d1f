import type { App } from '../../platform/http/server.js';
import {
  flagListSchema,
  flagsQuerySchema,
  idParamsSchema,
  resourceDetailSchema,
  resourceFilterSchema,
  resourceListQuerySchema,
  resourceListSchema,
  summaryQuerySchema,
  summarySchema,
  trendsQuerySchema,
  trendsSchema,
} from './inventory.schemas.js';
import type { InventoryService } from './inventory.service.js';

const tags = ['inventory'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const config = { permission: 'inventory:read' };

export function registerInventoryRoutes(app: App, service: InventoryService): void {
  app.get(
    '/api/inventory/resources',
    { config, schema: { tags, summary: 'Inventory resources (资源清单) the caller may see: filtered, sorted, paged', querystring: resourceListQuerySchema, response: { 200: resourceListSchema } } },
    async (request) => service.list(request.ctx, request.query),
  );
  app.get(
    '/api/inventory/resources/export',
    { config, schema: { tags, summary: 'The filtered resources as .xlsx with Chinese headers (at most 50,000)', querystring: resourceFilterSchema, produces: [XLSX] } },
    async (request, reply) => {
      const data = await service.exportXlsx(request.ctx, request.query);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', `attachment; filename="inventory.xlsx"; filename*=UTF-8''${encodeURIComponent('资源清单.xlsx')}`)
        .header('cache-control', 'no-store')
        .send(data);
    },
  );
  app.get(
    '/api/inventory/resources/:id',
    { config, schema: { tags, summary: 'One resource with its change history (created / changed / deleted, before and after)', params: idParamsSchema, response: { 200: resourceDetailSchema } } },
    async (request) => service.get(request.ctx, request.params.id),
  );
  app.get(
    '/api/inventory/summary',
    {
      config,
      schema: { tags, summary: 'Counts and quantities by node, provider or unit, with capacity: total, allocated (reported and inventory-summed) and free', querystring: summaryQuerySchema, response: { 200: summarySchema } },
    },
    async (request) => service.summary(request.ctx, request.query),
  );
  app.get(
    '/api/inventory/trends',
    { config, schema: { tags, summary: 'Daily series of active resources (count and quantities); today is live', querystring: trendsQuerySchema, response: { 200: trendsSchema } } },
    async (request) => service.trends(request.ctx, request.query),
  );
  app.get(
    '/api/inventory/flags',
    { config, schema: { tags, summary: 'Anomalies: unowned resources, node mismatches, stale resources, reported systems that differ from their registration', querystring: flagsQuerySchema, response: { 200: flagListSchema } } },
    async (request) => service.flags(request.ctx, request.query),
  );
}
