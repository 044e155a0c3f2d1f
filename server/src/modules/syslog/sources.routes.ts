import type { App } from '../../platform/http/server.js';
import { hasPermission } from '../../platform/context.js';
import {
  newSourceSchema,
  sourceIdParamsSchema,
  sourceListQuerySchema,
  sourceListSchema,
  sourcePatchSchema,
  sourceSchema,
  statusSchema,
  type ReceiverStatus,
} from './sources.schemas.js';
import type { SyslogSourcesService } from './sources.service.js';
import type { SyslogReceiver } from './receiver.js';

const tags = ['syslog'];

export function registerSyslogRoutes(app: App, sources: SyslogSourcesService, receiver: SyslogReceiver): void {
  // Closing the app (tests, shutdown) stops a running receiver and flushes what it buffered.
  app.addHook('onClose', async () => receiver.stop());
  app.get(
    '/api/syslog/sources',
    { config: { permission: 'ingest:read' }, schema: { tags, summary: 'Syslog sources (sending address → provider, node, device); a provider sees its own', querystring: sourceListQuerySchema, response: { 200: sourceListSchema } } },
    async (request) => sources.list(request.ctx, request.query),
  );
  app.post(
    '/api/syslog/sources',
    { config: { permission: 'ingest:config' }, schema: { tags, summary: 'Register a syslog source (an IP or a CIDR block)', body: newSourceSchema, response: { 201: sourceSchema } } },
    async (request, reply) => reply.status(201).send(await sources.create(request.ctx, request.body)),
  );
  app.get(
    '/api/syslog/sources/:id',
    { config: { permission: 'ingest:read' }, schema: { tags, summary: 'One syslog source', params: sourceIdParamsSchema, response: { 200: sourceSchema } } },
    async (request) => sources.get(request.ctx, request.params.id),
  );
  app.patch(
    '/api/syslog/sources/:id',
    { config: { permission: 'ingest:config' }, schema: { tags, summary: 'Change a syslog source (the receiver applies it at once)', params: sourceIdParamsSchema, body: sourcePatchSchema, response: { 200: sourceSchema } } },
    async (request) => sources.update(request.ctx, request.params.id, request.body),
  );
  app.delete(
    '/api/syslog/sources/:id',
    { config: { permission: 'ingest:config' }, schema: { tags, summary: 'Remove a syslog source: its messages count as unknown senders again', params: sourceIdParamsSchema } },
    async (request, reply) => {
      await sources.remove(request.ctx, request.params.id);
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/syslog/status',
    { config: { permission: 'ingest:read' }, schema: { tags, summary: 'The syslog receiver: ports, receive buffer, counters and (ingest:config) the last 100 unknown senders', response: { 200: statusSchema } } },
    async (request): Promise<ReceiverStatus> => {
      const configure = hasPermission(request.ctx.actor, 'ingest:config');
      return { ...receiver.status(), unknownSenders: configure ? receiver.unknownSenders() : [], abilities: { configure } };
    },
  );
}
