import type { App } from '../../platform/http/server.js';
import { codeParamsSchema, codeTableListSchema, codeValueBodySchema, codeValueSchema } from './credentials.schemas.js';
import type { CodeTableService } from './code-tables.service.js';

/** 码表: read by every reader of the data interface or the inventory; edited by the management unit (ingest:config). */
export function registerCodeTableRoutes(app: App, service: CodeTableService): void {
  const tags = ['ingest-code-tables'];
  app.get(
    '/api/ingest/code-tables',
    { config: { permission: ['ingest:read', 'inventory:read'] }, schema: { tags, summary: 'Code tables (码表) of the data interface with their values', response: { 200: codeTableListSchema } } },
    async (request) => service.list(request.ctx),
  );
  app.put(
    '/api/ingest/code-tables/:table/:code',
    { config: { permission: 'ingest:config' }, schema: { tags, summary: 'Create or change a code', params: codeParamsSchema, body: codeValueBodySchema, response: { 200: codeValueSchema } } },
    async (request) => service.put(request.ctx, request.params.table, request.params.code, request.body),
  );
  app.delete(
    '/api/ingest/code-tables/:table/:code',
    { config: { permission: 'ingest:config' }, schema: { tags, summary: 'Deactivate a code (records already stored keep it)', params: codeParamsSchema, response: { 200: codeValueSchema } } },
    async (request) => service.deactivate(request.ctx, request.params.table, request.params.code),
  );
}
