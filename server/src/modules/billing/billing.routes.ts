import type { App } from '../../platform/http/server.js';
import {
  adjustmentBodySchema,
  adjustmentResultSchema,
  attachmentParamsSchema,
  billDetailSchema,
  billListQuerySchema,
  billListSchema,
  disputeBodySchema,
  disputeParamsSchema,
  idParamsSchema,
  lineParamsSchema,
  meterBodySchema,
  meterResultSchema,
  overviewQuerySchema,
  overviewSchema,
  reconciliationSchema,
  resolveBodySchema,
  runBodySchema,
  runResultSchema,
  usageListSchema,
  usageQuerySchema,
} from './billing.schemas.js';
import type { BillingService } from './billing.service.js';

const tags = ['billing'];
const read = { permission: 'billing:read' };
const manage = { permission: 'billing:manage' };

export function registerBillingRoutes(app: App, service: BillingService): void {
  app.get(
    '/api/billing/bills',
    { config: read, schema: { tags, summary: 'Monthly bills (账单) the caller may see: its own (unit), its receivables (provider), all (management unit)', querystring: billListQuerySchema, response: { 200: billListSchema } } },
    async (request) => service.list(request.ctx, request.query),
  );
  app.get(
    '/api/billing/bills/:id',
    { config: read, schema: { tags, summary: 'One bill with its lines, disputes and what the caller may do', params: idParamsSchema, response: { 200: billDetailSchema } } },
    async (request) => service.get(request.ctx, request.params.id),
  );
  app.get(
    '/api/billing/bills/:id/lines/:lineId/usage',
    { config: read, schema: { tags, summary: 'The daily usage rows behind a bill line, with the price each day was charged at', params: lineParamsSchema, querystring: usageQuerySchema, response: { 200: usageListSchema } } },
    async (request) => service.lineUsage(request.ctx, request.params.id, request.params.lineId, request.query.page ?? 1),
  );
  app.get(
    '/api/billing/bills/:id/reconciliation',
    { config: read, schema: { tags, summary: 'Reconciliation (对账): billed quantities vs the reported cloud host specs, billed hosts without monitoring samples', params: idParamsSchema, response: { 200: reconciliationSchema } } },
    async (request) => service.reconcile(request.ctx, request.params.id),
  );
  app.post(
    '/api/billing/bills/:id/confirm',
    { config: { permission: 'billing:confirm' }, schema: { tags, summary: 'Confirm a bill: the provider (draft → provider_confirmed), then the unit (→ unit_confirmed)', params: idParamsSchema, response: { 200: billDetailSchema } } },
    async (request) => service.confirm(request.ctx, request.params.id),
  );
  app.post(
    '/api/billing/bills/:id/lock',
    { config: manage, schema: { tags, summary: 'Lock a bill confirmed by both parties: it never changes again', params: idParamsSchema, response: { 200: billDetailSchema } } },
    async (request) => service.lock(request.ctx, request.params.id),
  );
  app.post(
    '/api/billing/bills/:id/disputes',
    {
      bodyLimit: 40 * 1024 * 1024,
      config: { permission: ['billing:confirm', 'billing:manage'] },
      schema: { tags, summary: 'Raise a dispute (异议) with a comment and attachments (≤ 5 MB each, SM3 recorded); confirmations are withdrawn', params: idParamsSchema, body: disputeBodySchema, response: { 201: billDetailSchema } },
    },
    async (request, reply) => reply.status(201).send(await service.dispute(request.ctx, request.params.id, request.body)),
  );
  app.post(
    '/api/billing/bills/:id/disputes/:disputeId/resolve',
    { config: manage, schema: { tags, summary: 'Resolve a dispute', params: disputeParamsSchema, body: resolveBodySchema, response: { 200: billDetailSchema } } },
    async (request) => service.resolveDispute(request.ctx, request.params.id, request.params.disputeId, request.body.resolution),
  );
  app.get(
    '/api/billing/bills/:id/attachments/:attachmentId',
    { config: read, schema: { tags, summary: 'Download a dispute attachment', params: attachmentParamsSchema, produces: ['application/octet-stream'] } },
    async (request, reply) => {
      const a = await service.attachment(request.ctx, request.params.id, request.params.attachmentId);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename="attachment"; filename*=UTF-8''${encodeURIComponent(a.fileName)}`)
        .header('x-content-sm3', a.sm3)
        .header('cache-control', 'no-store')
        .send(a.content);
    },
  );
  app.post(
    '/api/billing/runs',
    { config: manage, schema: { tags, summary: 'Bill run of a month: recomputes every draft bill (idempotent; a rerun completes an interrupted run)', body: runBodySchema, response: { 200: runResultSchema } } },
    async (request) => service.runMonth(request.ctx, request.body.month),
  );
  app.post(
    '/api/billing/meter',
    { config: manage, schema: { tags, summary: 'Meter one day (计量) from the inventory (the daily job does this every night)', body: meterBodySchema, response: { 200: meterResultSchema } } },
    async (request) => service.meterDay(request.body.day, request.ctx),
  );
  app.post(
    '/api/billing/adjustments',
    { config: manage, schema: { tags, summary: 'Correct a locked bill: an adjustment line on the first later draft bill of the same unit and provider', body: adjustmentBodySchema, response: { 201: adjustmentResultSchema } } },
    async (request, reply) => reply.status(201).send(await service.adjust(request.ctx, request.body)),
  );
  app.get(
    '/api/billing/overview',
    { config: read, schema: { tags, summary: 'Cost overview: amounts by node, provider, unit, system, item or month over a range of months', querystring: overviewQuerySchema, response: { 200: overviewSchema } } },
    async (request) => service.overview(request.ctx, request.query),
  );
}
