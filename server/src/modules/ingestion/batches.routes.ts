import type { App } from '../../platform/http/server.js';
import { batchDetailSchema, batchListQuerySchema, batchListSchema, batchParamsSchema } from './records.schemas.js';
import type { IngestBatchesService } from './batches.service.js';

const tags = ['ingestion'];

export function registerIngestBatchRoutes(app: App, service: IngestBatchesService): void {
  app.get(
    '/api/ingest/batches',
    {
      config: { permission: 'ingest:read' },
      schema: { tags, summary: 'Pushed batches (批次), newest first: counts, status; a provider sees only its own', querystring: batchListQuerySchema, response: { 200: batchListSchema } },
    },
    async (request) => service.list(request.ctx, request.query),
  );
  app.get(
    '/api/ingest/batches/:id',
    {
      config: { permission: 'ingest:read' },
      schema: { tags, summary: 'One batch with its stored per-record errors (index, field, value, rule, message)', params: batchParamsSchema, response: { 200: batchDetailSchema } },
    },
    async (request) => service.get(request.ctx, request.params.id),
  );
}
