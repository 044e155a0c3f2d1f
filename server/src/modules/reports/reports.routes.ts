import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { sendDocument } from '../documents/index.js';
import type { ReportsService } from './reports.service.js';

const tags = ['reports'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const idParams = z.strictObject({ id: z.uuid() });
const cell = z.union([z.string(), z.number(), z.null()]);
const definitionInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  dataset: z.string().min(1).max(64),
  columns: z.array(z.string().min(1).max(64)).max(50),
  filters: z.record(z.string().max(64), z.string().max(100)).optional(),
  schedule: z.enum(['none', 'weekly', 'monthly']).optional(),
});
const definitionSchema = z.object({
  id: z.string(), name: z.string(), dataset: z.string(), datasetName: z.string(), columns: z.array(z.string()), filters: z.record(z.string(), z.string()),
  schedule: z.enum(['none', 'weekly', 'monthly']), lastScheduledAt: z.date().nullable(), createdAt: z.date(), updatedAt: z.date(),
});
const resultSchema = z.object({ definition: definitionSchema, columns: z.array(z.object({ key: z.string(), label: z.string() })), rows: z.array(z.record(z.string(), cell)), truncated: z.boolean() });
const datasetSchema = z.object({
  code: z.string(), name: z.string(), permission: z.string(),
  columns: z.array(z.object({ key: z.string(), label: z.string(), kind: z.string().optional() })),
  filters: z.array(z.object({ key: z.string(), label: z.string(), type: z.enum(['enum', 'uuid', 'text', 'month']), options: z.array(z.object({ value: z.string(), label: z.string() })).optional() })),
});
const runSchema = z.object({ id: z.string(), origin: z.string(), rowCount: z.number(), truncated: z.boolean(), filename: z.string(), ranAt: z.date() });

/** 报表管理: datasets, saved report definitions (the caller's own), runs, .xlsx exports. */
export async function registerReportRoutes(app: App, reports: ReportsService): Promise<void> {
  app.get('/api/reports/datasets', { schema: { tags, summary: 'The datasets the caller may read, with their columns and filters', response: { 200: z.object({ items: z.array(datasetSchema) }) } } },
    async (request) => ({ items: reports.datasetsFor(request.ctx) }));
  app.get('/api/reports/definitions', { schema: { tags, summary: "The caller's saved reports", response: { 200: z.object({ items: z.array(definitionSchema) }) } } },
    async (request) => ({ items: await reports.list(request.ctx) }));
  app.post('/api/reports/definitions', { schema: { tags, summary: 'Saves a report: dataset, columns, filters, schedule', body: definitionInputSchema, response: { 201: definitionSchema } } },
    async (request, reply) => reply.status(201).send(await reports.create(request.ctx, request.body)));
  app.post('/api/reports/preview', { schema: { tags, summary: 'Runs an unsaved report with the caller’s visibility', body: definitionInputSchema, response: { 200: resultSchema } } },
    async (request) => reports.preview(request.ctx, request.body));
  app.get('/api/reports/definitions/:id', { schema: { tags, summary: 'One saved report', params: idParams, response: { 200: definitionSchema } } },
    async (request) => reports.get(request.ctx, request.params.id));
  app.put('/api/reports/definitions/:id', { schema: { tags, summary: 'Changes a saved report', params: idParams, body: definitionInputSchema, response: { 200: definitionSchema } } },
    async (request) => reports.update(request.ctx, request.params.id, request.body));
  app.delete('/api/reports/definitions/:id', { schema: { tags, summary: 'Deletes a saved report and its runs', params: idParams, response: { 204: z.null() } } },
    async (request, reply) => { await reports.remove(request.ctx, request.params.id); return reply.status(204).send(null); });
  app.get('/api/reports/definitions/:id/run', { schema: { tags, summary: 'Runs a saved report now with the caller’s visibility', params: idParams, response: { 200: resultSchema } } },
    async (request) => reports.run(request.ctx, request.params.id));
  app.get('/api/reports/definitions/:id/export', { schema: { tags, summary: 'Runs a saved report now, as signed .xlsx', params: idParams, produces: [XLSX] } },
    async (request, reply) => sendDocument(reply, await reports.export(request.ctx, request.params.id)));
  app.get('/api/reports/definitions/:id/runs', { schema: { tags, summary: 'Scheduled runs of a saved report', params: idParams, response: { 200: z.object({ items: z.array(runSchema) }) } } },
    async (request) => ({ items: await reports.runs(request.ctx, request.params.id) }));
  app.get('/api/reports/runs/:id/file', { schema: { tags, summary: 'The stored .xlsx of a scheduled run', params: idParams, produces: [XLSX] } },
    async (request, reply) => sendDocument(reply, await reports.runFile(request.ctx, request.params.id)));
}
