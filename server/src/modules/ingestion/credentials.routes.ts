import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { credentialListQuerySchema, credentialPageSchema, idParamsSchema, issuedCredentialSchema, newCredentialSchema } from './credentials.schemas.js';
import type { ProviderCredentialService } from './credentials.service.js';

/**
 * 接入凭证 management. A provider's administrator (ingest:credential) issues, lists and revokes its own provider's
 * credentials; the management unit's staff (ingest:config) list every provider's and may revoke any (incident response)
 * but never issue one: only the provider ever holds its signing secret.
 */
export function registerCredentialRoutes(app: App, service: ProviderCredentialService): void {
  const tags = ['ingest-credentials'];
  app.get(
    '/api/ingest/credentials',
    {
      config: { permission: ['ingest:credential', 'ingest:config'] },
      schema: { tags, summary: 'Ingestion credentials (接入凭证) the caller can see', querystring: credentialListQuerySchema, response: { 200: credentialPageSchema } },
    },
    async (request) => service.list(request.ctx, request.query),
  );
  app.post(
    '/api/ingest/credentials',
    {
      config: { permission: 'ingest:credential' },
      schema: { tags, summary: 'Issue an ingestion credential: token and signing secret are shown once', body: newCredentialSchema, response: { 201: issuedCredentialSchema } },
    },
    async (request, reply) => reply.status(201).send(await service.issue(request.ctx, request.body)),
  );
  app.delete(
    '/api/ingest/credentials/:id',
    {
      config: { permission: ['ingest:credential', 'ingest:config'] },
      schema: { tags, summary: 'Revoke an ingestion credential', params: idParamsSchema, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await service.revoke(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
