import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../../platform/http/server.js';
import { AppError } from '../../platform/errors.js';
import { MAX_REPORT_BYTES } from './security.parsers.js';
import {
  acceptBodySchema,
  attackStatisticsSchema,
  deadlineRuleSchema,
  findingDetailSchema,
  findingListQuerySchema,
  findingListSchema,
  handlingSchema,
  idParamsSchema,
  importQuerySchema,
  monthQuerySchema,
  noteBodySchema,
  optionalNoteBodySchema,
  scanResultSchema,
  scanSchema,
} from './security.schemas.js';
import type { SecurityService } from './security.service.js';

const tags = ['security'];

export async function registerSecurityRoutes(app: App, service: SecurityService): Promise<void> {
  app.get(
    '/api/security/findings',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Vulnerability findings the caller may see (own nodes for a provider, own systems for a unit), most severe first', querystring: findingListQuerySchema, response: { 200: findingListSchema } } },
    async (request) => service.listFindings(request.ctx, request.query),
  );
  app.get(
    '/api/security/findings/:id',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'One finding with its history and what the caller may do', params: idParamsSchema, response: { 200: findingDetailSchema } } },
    async (request) => service.getFinding(request.ctx, request.params.id),
  );
  app.post(
    '/api/security/findings/:id/notify',
    { config: { permission: 'security:manage' }, schema: { tags, summary: 'Notify the responsible provider (通报, 已通报)', params: idParamsSchema, body: optionalNoteBodySchema, response: { 200: findingDetailSchema } } },
    async (request) => service.notify(request.ctx, request.params.id, request.body.note ?? null),
  );
  app.post(
    '/api/security/findings/:id/reply',
    { config: { permission: 'security:reply' }, schema: { tags, summary: "The provider's rectification reply with its evidence (整改反馈)", params: idParamsSchema, body: noteBodySchema, response: { 200: findingDetailSchema } } },
    async (request) => service.reply(request.ctx, request.params.id, request.body.note),
  );
  app.post(
    '/api/security/findings/:id/verify',
    { config: { permission: 'security:manage' }, schema: { tags, summary: 'Verify the fix by hand (a re-scan that no longer finds it does this itself)', params: idParamsSchema, body: noteBodySchema, response: { 200: findingDetailSchema } } },
    async (request) => service.verify(request.ctx, request.params.id, request.body.note),
  );
  app.post(
    '/api/security/findings/:id/accept',
    { config: { permission: 'security:manage' }, schema: { tags, summary: 'Accept the risk (风险接受) with a reason until a date; the caller is the approver', params: idParamsSchema, body: acceptBodySchema, response: { 200: findingDetailSchema } } },
    async (request) => service.accept(request.ctx, request.params.id, request.body),
  );
  app.get(
    '/api/security/scans',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Scans imported (pushed 安全漏洞扫描数据 and uploaded reports), newest first', response: { 200: z.object({ items: z.array(scanSchema) }) } } },
    async (request) => ({ items: await service.listScans(request.ctx) }),
  );
  app.get(
    '/api/security/deadline-rules',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Rectification deadlines per severity (natural or working days)', response: { 200: z.object({ items: z.array(deadlineRuleSchema) }) } } },
    async (request) => ({ items: await service.deadlineRules(request.ctx) }),
  );
  app.put(
    '/api/security/deadline-rules',
    { config: { permission: 'security:manage' }, schema: { tags, summary: 'Set the rectification deadlines (apply to findings found from now on)', body: z.strictObject({ items: z.array(deadlineRuleSchema).min(1).max(4) }), response: { 200: z.object({ items: z.array(deadlineRuleSchema) }) } } },
    async (request) => {
      await service.setDeadlineRules(request.ctx, request.body.items);
      return { items: await service.deadlineRules(request.ctx) };
    },
  );
  app.get(
    '/api/security/handling',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Rectification on time per provider for a month (漏洞整改及时率)', querystring: monthQuerySchema, response: { 200: z.object({ items: z.array(handlingSchema) }) } } },
    async (request) => ({ items: await service.vulnerabilityHandling(request.ctx, request.query) }),
  );

  app.get(
    '/api/security/attacks',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Attack monitoring for a month (安全攻击监测数据): total, previous month, top attack names, systems, hosts', querystring: z.strictObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) }), response: { 200: attackStatisticsSchema } } },
    async (request) => service.attackStatistics(request.ctx, request.query),
  );

  // An uploaded report is the request body (any content type); its format and name are query parameters.
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_REPORT_BYTES }, (_request, body, done) => done(null, body));
    scope.post(
      '/api/security/scans',
      {
        bodyLimit: MAX_REPORT_BYTES,
        config: { permission: 'security:manage' },
        schema: {
          tags,
          summary: 'Import a scanner report (OpenVAS/Greenbone XML, Nessus .nessus, .xlsx or .csv of 绿盟/启明 exports) as one scan, in one transaction',
          description: 'The file is the request body. Findings are linked to inventory hosts by IP (within the provider / node when given); unmatched IPs are listed. DOCTYPE/ENTITY declarations are refused. The same file twice answers 409.',
          querystring: importQuerySchema,
          response: { 201: scanResultSchema },
        },
      },
      async (request, reply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : null;
        if (!body || body.length === 0) throw new AppError('validation', 'security.file_missing', 'Send the report as the request body', { issues: [{ field: 'body', rule: 'required', message: 'the file is missing' }] });
        return reply.status(201).send(await service.importReport(request.ctx, { ...request.query, bytes: body }));
      },
    );
  });
}
