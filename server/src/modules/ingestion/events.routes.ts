import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../../platform/http/server.js';
import {
  acknowledgeBodySchema,
  createdQueryEndpointSchema,
  eventFilterSchema,
  eventListQuerySchema,
  eventPageSchema,
  eventPushQuerySchema,
  eventPushResultSchema,
  idParamsSchema,
  newQueryEndpointSchema,
  pollResultListQuerySchema,
  pollResultPageSchema,
  providerEventSchema,
  queryEndpointPatchSchema,
  queryEndpointSchema,
} from './credentials.schemas.js';
import type { ProviderCredentialService } from './credentials.service.js';
import type { ProviderEventService } from './events.service.js';
import type { QueryPollerService } from './poller.service.js';
import { signedRequestParts, useRawBody } from './raw-body.js';

/** Largest trigger push (1,000 events of up to 8,000 characters fit well below it). */
export const EVENTS_BODY_LIMIT = 4 * 1024 * 1024;

const SIGNED = 'Signed machine request: `Authorization: Bearer zyi_…`, `X-Zy-Timestamp`, `X-Zy-Nonce`, `X-Zy-Signature` = hex HMAC-SM3 over METHOD\\npath?query\\ntimestamp\\nnonce\\nhex SM3(body) (docs/data-interface-modes.md).';

/**
 * Trigger mode (触发器) and query-response mode (查询-响应) of the data interface.
 * - POST /api/ingest/v1/events?node=: signed pushes of major changes and alarms by providers.
 * - GET /api/ingest/events (ingest:read), POST …/:id/acknowledge (ingest:config, the management unit).
 * - /api/ingest/query-endpoints: the provider's query endpoint per node — the management unit (ingest:config) for any
 *   node, a provider admin (ingest:credential) for its own; GET /api/ingest/poll-results (ingest:read).
 */
export async function registerProviderInterfaceRoutes(app: App, deps: { credentials: ProviderCredentialService; events: ProviderEventService; poller: QueryPollerService }): Promise<void> {
  const { credentials, events, poller } = deps;
  const tags = ['ingest-events'];

  app.get(
    '/api/ingest/events',
    { config: { permission: 'ingest:read' }, schema: { tags, summary: 'Major changes and alarms pushed by providers, newest first', querystring: eventListQuerySchema, response: { 200: eventPageSchema } } },
    async (request) => events.list(request.ctx, request.query),
  );
  app.get(
    '/api/ingest/events/export',
    {
      config: { permission: 'ingest:read' },
      schema: {
        tags,
        summary: 'The matching events as .xlsx (at most 50,000; narrow the filter otherwise); the export is recorded',
        querystring: eventFilterSchema,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (request, reply) => {
      const buffer = await events.exportXlsx(request.ctx, request.query);
      const stamp = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="provider-events-${stamp}.xlsx"; filename*=UTF-8''${encodeURIComponent(`变更与告警-${stamp}.xlsx`)}`)
        .header('cache-control', 'no-store')
        .send(buffer);
    },
  );
  app.post(
    '/api/ingest/events/:id/acknowledge',
    { config: { permission: 'ingest:config' }, schema: { tags, summary: 'Acknowledge an event (management unit)', params: idParamsSchema, body: acknowledgeBodySchema, response: { 200: providerEventSchema } } },
    async (request) => events.acknowledge(request.ctx, request.params.id, request.body.note ?? null),
  );

  const qtags = ['ingest-query'];
  const manage = ['ingest:config', 'ingest:credential'];
  app.get(
    '/api/ingest/query-endpoints',
    { config: { permission: [...manage, 'ingest:read'] }, schema: { tags: qtags, summary: 'Query endpoints of providers (查询-响应)', response: { 200: z.object({ items: z.array(queryEndpointSchema) }) } } },
    async (request) => ({ items: await poller.listEndpoints(request.ctx) }),
  );
  app.post(
    '/api/ingest/query-endpoints',
    { config: { permission: manage }, schema: { tags: qtags, summary: 'Configure the query endpoint of a node; the signing secret is shown once', body: newQueryEndpointSchema, response: { 201: createdQueryEndpointSchema } } },
    async (request, reply) => reply.status(201).send(await poller.createEndpoint(request.ctx, request.body)),
  );
  app.patch(
    '/api/ingest/query-endpoints/:id',
    { config: { permission: manage }, schema: { tags: qtags, summary: 'Change URL, interval or enabled', params: idParamsSchema, body: queryEndpointPatchSchema, response: { 200: queryEndpointSchema } } },
    async (request) => poller.updateEndpoint(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/ingest/query-endpoints/:id/secret',
    { config: { permission: manage }, schema: { tags: qtags, summary: 'New signing secret (shown once; the old one stops at once)', params: idParamsSchema, response: { 200: createdQueryEndpointSchema } } },
    async (request) => poller.rotateSecret(request.ctx, request.params.id),
  );
  app.post(
    '/api/ingest/query-endpoints/:id/poll',
    { config: { permission: manage }, schema: { tags: qtags, summary: 'Poll the endpoint now', params: idParamsSchema, response: { 200: queryEndpointSchema } } },
    async (request) => poller.pollNow(request.ctx, request.params.id),
  );
  app.delete(
    '/api/ingest/query-endpoints/:id',
    { config: { permission: manage }, schema: { tags: qtags, summary: 'Remove a query endpoint and its results', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await poller.deleteEndpoint(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/ingest/poll-results',
    { config: { permission: 'ingest:read' }, schema: { tags: qtags, summary: 'What the poller got from query endpoints, newest first', querystring: pollResultListQuerySchema, response: { 200: pollResultPageSchema } } },
    async (request) => poller.listResults(request.ctx, request.query),
  );

  // Signed pushes: the raw bytes are needed for the signature, so this scope parses no body itself.
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    useRawBody(scope, { bodyLimit: EVENTS_BODY_LIMIT });
    scope.post(
      '/api/ingest/v1/events',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Push major changes (重大变更) and alarms (告警): a JSON array of events, or one event',
          description: `${SIGNED} Answers 200 with per-event results (index, field, value, rule); an event whose externalId the provider already pushed is a duplicate and is not stored again.`,
          querystring: eventPushQuerySchema,
          security: [{ apiToken: [] }],
          response: { 200: eventPushResultSchema },
        },
      },
      async (request) => {
        const provider = await credentials.verify(signedRequestParts(request));
        const node = await credentials.resolveNode(provider, request.query.node);
        return events.push(provider, node, signedRequestParts(request).rawBody, { mode: request.query.mode ?? 'partial', requestId: request.id, ip: request.ip ?? null });
      },
    );
  });
}
