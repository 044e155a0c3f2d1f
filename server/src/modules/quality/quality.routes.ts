import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import {
  computeBodySchema,
  computeResultSchema,
  dailyListSchema,
  dailyQuerySchema,
  expectationInputSchema,
  expectationListSchema,
  heatQuerySchema,
  heatSchema,
  idParamsSchema,
  rangeQuerySchema,
  summarySchema,
} from './quality.schemas.js';
import type { QualityService } from './quality.service.js';
import { shanghaiDay } from './quality.rules.js';
import { validationError } from '../../platform/errors.js';

const tags = ['data-quality'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function registerQualityRoutes(app: App, service: QualityService): void {
  app.get(
    '/api/data-quality/summary',
    {
      config: { permission: 'quality:read' },
      schema: { tags, summary: 'Data quality (数据质量) per provider over a period: score, completeness, timeliness, validity, tables below the 95% target', querystring: rangeQuerySchema, response: { 200: summarySchema } },
    },
    async (request) => service.summary(request.ctx, request.query),
  );
  app.get(
    '/api/data-quality/daily',
    {
      config: { permission: 'quality:read' },
      schema: { tags, summary: 'Stored rows per provider × node × table × day (weekly tables per ISO week), at most 20,000', querystring: dailyQuerySchema, response: { 200: dailyListSchema } },
    },
    async (request) => service.daily(request.ctx, request.query),
  );
  app.get(
    '/api/data-quality/heat',
    {
      config: { permission: 'quality:read' },
      schema: { tags, summary: "One provider's tables × days (all its nodes together), for the heat table", querystring: heatQuerySchema, response: { 200: heatSchema } },
    },
    async (request) => service.heat(request.ctx, request.query),
  );
  app.get(
    '/api/data-quality/export',
    {
      config: { permission: 'quality:read' },
      schema: { tags, summary: 'The period as .xlsx: providers, provider × table, daily rows (Chinese headers); the export is recorded', querystring: rangeQuerySchema, produces: [XLSX] },
    },
    async (request, reply) => {
      const data = await service.exportXlsx(request.ctx, request.query);
      const name = `数据质量-${request.query.from}-${request.query.to}.xlsx`;
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', `attachment; filename="data-quality-${request.query.from}-${request.query.to}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`)
        .header('cache-control', 'no-store')
        .send(data);
    },
  );
  app.get(
    '/api/data-quality/expectations',
    {
      config: { permission: 'quality:read' },
      schema: { tags, summary: 'Which tables each provider must deliver: the exceptions to the default (all 35 tables mandatory)', querystring: z.strictObject({ provider: z.uuid().optional() }), response: { 200: expectationListSchema } },
    },
    async (request) => service.listExpectations(request.ctx, request.query.provider),
  );
  app.put(
    '/api/data-quality/expectations',
    {
      config: { permission: 'ingest:config' },
      schema: { tags, summary: 'Make a table mandatory or optional for a provider (one node, or every node with nodeId null)', body: expectationInputSchema, response: { 200: z.object({ id: z.uuid() }) } },
    },
    async (request) => service.setExpectation(request.ctx, request.body),
  );
  app.delete(
    '/api/data-quality/expectations/:id',
    {
      config: { permission: 'ingest:config' },
      schema: { tags, summary: 'Remove an exception: the table goes back to the default (mandatory)', params: idParamsSchema, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await service.deleteExpectation(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/data-quality/compute',
    {
      config: { permission: 'ingest:config' },
      schema: { tags, summary: 'Recompute one day now (the job does today and yesterday every 15 minutes)', body: computeBodySchema, response: { 200: computeResultSchema } },
    },
    async (request) => {
      if (request.body.day > shanghaiDay(new Date())) {
        throw validationError('quality.future_day', 'A day in the future cannot be computed', [
          { field: 'day', rule: 'not_future', message: 'must not be after today (Beijing time)', value: request.body.day },
        ]);
      }
      return service.computeDay(request.body.day);
    },
  );
}
