import { PassThrough } from 'node:stream';
import type { App } from '../../platform/http/server.js';
import { auditFilterSchema, auditListQuerySchema, auditListSchema, verifyResultSchema } from './audit.schemas.js';
import type { AuditService } from './audit.service.js';
import { shanghaiTime } from './audit.export.js';

const tags = ['audit'];

export function registerAuditRoutes(app: App, service: AuditService): void {
  app.get(
    '/api/audit-logs',
    {
      config: { permission: 'audit:read' },
      schema: { tags, summary: 'Search the audit log (审计日志), newest first; the search itself is recorded', querystring: auditListQuerySchema, response: { 200: auditListSchema } },
    },
    async (request) => service.search(request.ctx, request.query),
  );
  app.get(
    '/api/audit-logs/export',
    {
      config: { permission: 'audit:export' },
      schema: {
        tags,
        summary: `Export the matching records to .xlsx (at most 100,000; narrow the filter otherwise); the export is recorded`,
        querystring: auditFilterSchema,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (request, reply) => {
      const filter = request.query;
      const plan = await service.prepareExport(request.ctx, filter);
      const out = new PassThrough();
      const stamp = shanghaiTime(new Date()).replace(/[-: ]/g, '').replace(/^(\d{8})/, '$1-');
      const name = `审计日志-${stamp}.xlsx`;
      service.writeExport(request.ctx, filter, plan, out).catch((err: unknown) => {
        request.log.error({ err }, 'audit export failed while streaming');
        out.destroy(err as Error);
      });
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="audit-log-${stamp}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`)
        .header('cache-control', 'no-store')
        .send(out);
    },
  );
  app.post(
    '/api/audit-logs/verify',
    {
      config: { permission: 'audit:read' },
      schema: { tags, summary: 'Verify the SM3 chain of the whole log: names every altered, removed, reordered or relinked record', response: { 200: verifyResultSchema } },
    },
    async (request) => service.verify(request.ctx),
  );
}
