import { PassThrough } from 'node:stream';
import type { App } from '../../platform/http/server.js';
import {
  recordExportQuerySchema,
  recordListQuerySchema,
  recordListSchema,
  registrySchema,
  retentionListSchema,
  retentionTableSchema,
  retentionUpdateSchema,
  tableParamsSchema,
} from './records.schemas.js';
import type { IngestRecordsService } from './records.service.js';
import type { IngestRetentionService } from './retention.service.js';

const tags = ['ingestion'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Registry, search and export of the pushed records of every interface table. */
export function registerIngestRecordRoutes(app: App, service: IngestRecordsService): void {
  app.get(
    '/api/ingest/tables',
    {
      config: { permission: 'ingest:read' },
      schema: { tags, summary: 'The interface tables (categories, fields with Chinese names and formats, retention) for building columns and filters', response: { 200: registrySchema } },
    },
    async (request) => service.registry(request.ctx),
  );
  app.get(
    '/api/ingest/tables/:table/records',
    {
      config: { permission: 'ingest:read' },
      schema: {
        tags,
        summary: 'Search the records of an interface table, newest first (default: received in the last 24 hours); f.<fieldName>=value filters a field by equality',
        params: tableParamsSchema,
        querystring: recordListQuerySchema,
        response: { 200: recordListSchema },
      },
    },
    async (request) => service.search(request.ctx, request.params.table, request.query),
  );
  app.get(
    '/api/ingest/tables/:table/records/export',
    {
      config: { permission: 'ingest:read' },
      schema: {
        tags,
        summary: 'Export the matching records: .xlsx (at most 200,000) or CSV (UTF-8 with BOM, or GBK; at most 2,000,000); the export is recorded',
        params: tableParamsSchema,
        querystring: recordExportQuerySchema,
        produces: [XLSX, 'text/csv'],
      },
    },
    async (request, reply) => {
      const plan = await service.prepareExport(request.ctx, request.params.table, request.query);
      const out = new PassThrough();
      service.writeExport(request.ctx, plan, out).catch((err: unknown) => {
        request.log.error({ err }, 'ingest export failed while streaming');
        out.destroy(err as Error);
      });
      const name = service.exportFileName(plan);
      return reply
        .header('content-type', plan.format === 'xlsx' ? XLSX : `text/csv; charset=${plan.charset === 'gbk' ? 'GBK' : 'utf-8'}`)
        .header('content-disposition', `attachment; filename="${name.ascii}"; filename*=UTF-8''${encodeURIComponent(name.utf8)}`)
        .header('cache-control', 'no-store')
        .send(out);
    },
  );
}

/** Retention settings and partitions of the interface tables. */
export function registerIngestRetentionRoutes(app: App, service: IngestRetentionService): void {
  app.get(
    '/api/ingest/retention',
    {
      config: { permission: 'ingest:read' },
      schema: { tags, summary: 'Retention of each interface table with its partitions (row estimates and sizes)', response: { 200: retentionListSchema } },
    },
    async (request) => ({ items: await service.list(request.ctx) }),
  );
  app.put(
    '/api/ingest/retention/:table',
    {
      config: { permission: 'ingest:config' },
      schema: {
        tags,
        summary: 'Set how long a table is kept (days); never under its minimum (network protocol ≥ 31, logs ≥ 183)',
        params: tableParamsSchema,
        body: retentionUpdateSchema,
        response: { 200: retentionTableSchema },
      },
    },
    async (request) => service.update(request.ctx, request.params.table, request.body.retentionDays),
  );
}
