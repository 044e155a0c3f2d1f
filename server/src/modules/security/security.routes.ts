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
  checkCountersSchema,
  checkSchema,
  closeEventSchema,
  eventDetailSchema,
  eventEntrySchema,
  eventListQuerySchema,
  eventListSchema,
  eventStatisticsSchema,
  newCheckSchema,
  newEventSchema,
  recordCheckSchema,
  yearQuerySchema,
  patchComplianceSchema,
  patchListQuerySchema,
  patchListSchema,
  postureReportSchema,
  deviceLogStatisticsSchema,
  noticeListQuerySchema,
  noticeListSchema,
  warningListQuerySchema,
  warningListSchema,
  warningNoticeDetailSchema,
  warningReplySchema,
} from './security.schemas.js';
import type { SecurityService } from './security.service.js';
import type { SecurityOversightService } from './security.oversight.js';
import type { PatchComplianceService } from './security.patches.js';
import { sendDocument } from '../documents/index.js';

const tags = ['security'];

export async function registerSecurityRoutes(app: App, services: { security: SecurityService; oversight: SecurityOversightService; patches: PatchComplianceService }): Promise<void> {
  const { security: service, oversight, patches } = services;
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

  app.get(
    '/api/security/findings/:id/notice.pdf',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'The signed 安全隐患通知单 (security hazard notice) of a notified finding, as PDF', params: idParamsSchema } },
    async (request, reply) => sendDocument(reply, await oversight.hazardNoticePdf(request.ctx, request.params.id)),
  );

  // ---- security events (安全事件) ----
  app.get(
    '/api/security/events',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Security events the caller may see, newest first', querystring: eventListQuerySchema, response: { 200: eventListSchema } } },
    async (request) => oversight.listEvents(request.ctx, request.query),
  );
  app.post(
    '/api/security/events',
    { config: { permission: 'security:event' }, schema: { tags, summary: 'Open a security event; the provider and the management unit are told at once (同步上报)', body: newEventSchema, response: { 201: eventDetailSchema } } },
    async (request, reply) => reply.status(201).send(await oversight.createEvent(request.ctx, request.body)),
  );
  app.get(
    '/api/security/events/statistics',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Events of a month by grade and category', querystring: monthQuerySchema.pick({ month: true }), response: { 200: eventStatisticsSchema } } },
    async (request) => oversight.eventStatistics(request.ctx, monthBounds(request.query.month)),
  );
  app.get(
    '/api/security/events/:id',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'One event with its timeline and what the caller may do', params: idParamsSchema, response: { 200: eventDetailSchema } } },
    async (request) => oversight.getEvent(request.ctx, request.params.id),
  );
  app.post(
    '/api/security/events/:id/entries',
    { config: { permission: 'security:event' }, schema: { tags, summary: 'Add a note, a tracing step (溯源) or evidence to the timeline', params: idParamsSchema, body: eventEntrySchema, response: { 200: eventDetailSchema } } },
    async (request) => oversight.addEventEntry(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/security/events/:id/close',
    { config: { permission: 'security:event' }, schema: { tags, summary: 'Close the event with its handling report (处置报告)', params: idParamsSchema, body: closeEventSchema, response: { 200: eventDetailSchema } } },
    async (request) => oversight.closeEvent(request.ctx, request.params.id, request.body.handlingReport),
  );
  app.get(
    '/api/security/events/:id/report.pdf',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'The signed handling report of an event, as PDF', params: idParamsSchema } },
    async (request, reply) => sendDocument(reply, await oversight.eventReportPdf(request.ctx, request.params.id)),
  );

  // ---- checks and penetration tests (安全检查、渗透测试) ----
  app.get(
    '/api/security/checks',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Security checks and penetration tests planned in a year', querystring: yearQuerySchema, response: { 200: z.object({ items: z.array(checkSchema) }) } } },
    async (request) => ({ items: await oversight.listChecks(request.ctx, request.query) }),
  );
  app.post(
    '/api/security/checks',
    { config: { permission: 'security:manage' }, schema: { tags, summary: 'Plan a check or a penetration test (a pentest covers at least two providers)', body: newCheckSchema, response: { 201: checkSchema } } },
    async (request, reply) => reply.status(201).send(await oversight.planCheck(request.ctx, request.body)),
  );
  app.post(
    '/api/security/checks/:id/record',
    { config: { permission: 'security:manage' }, schema: { tags, summary: 'Record the execution of a planned check: date, result, findings, report', params: idParamsSchema, body: recordCheckSchema, response: { 200: checkSchema } } },
    async (request) => oversight.recordCheck(request.ctx, request.params.id, request.body),
  );
  app.get(
    '/api/security/checks/counters',
    { config: { permission: 'security:read' }, schema: { tags, summary: "The year's obligations: scans (12) and pentests (4) done vs required, per kind and provider, what is due", querystring: yearQuerySchema.pick({ year: true }), response: { 200: checkCountersSchema } } },
    async (request) => oversight.checkCounters(request.ctx, request.query.year),
  );

  app.get(
    '/api/security/device-logs',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Attacks seen by the security devices in a month (安全设备日志, pushed or by syslog): per day and top alarms, sources, targets (with host and system), devices, levels', querystring: monthQuerySchema.pick({ month: true }), response: { 200: deviceLogStatisticsSchema } } },
    async (request) => oversight.deviceLogStatistics(request.ctx, request.query.month),
  );

  // ---- posture (安全态势) ----
  app.get(
    '/api/security/posture',
    { config: { permission: 'security:read' }, schema: { tags, summary: "The month's security posture beside the previous month, events, open findings per provider by age", querystring: monthQuerySchema.pick({ month: true }), response: { 200: postureReportSchema } } },
    async (request) => oversight.postureReport(request.ctx, request.query.month),
  );
  app.get(
    '/api/security/posture/export',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'The posture of a month as signed .xlsx', querystring: monthQuerySchema.pick({ month: true }) } },
    async (request, reply) => sendDocument(reply, await oversight.postureXlsx(request.ctx, request.query.month)),
  );

  // ---- patch compliance (补丁合规) ----
  app.get(
    '/api/security/patches/compliance',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Patch compliance per provider from the pushed 安全补丁安装数据 (installed within windowDays natural days of release)', querystring: z.strictObject({ windowDays: z.coerce.number().int().min(1).max(365).optional() }), response: { 200: z.object({ windowDays: z.number(), items: z.array(patchComplianceSchema) }) } } },
    async (request) => ({ windowDays: request.query.windowDays ?? 30, items: await patches.compliance(request.ctx, request.query) }),
  );
  app.get(
    '/api/security/patches',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Host × patch records, missing (most overdue) first', querystring: patchListQuerySchema, response: { 200: patchListSchema } } },
    async (request) => patches.list(request.ctx, request.query),
  );

  // ---- security warnings (安全预警) ----
  const warnings = oversight.warnings;
  app.get(
    '/api/security/warnings',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Security warnings (安全预警监测数据) the caller may see, newest first, with matched hosts and notices', querystring: warningListQuerySchema, response: { 200: warningListSchema } } },
    async (request) => warnings.listWarnings(request.ctx, request.query),
  );
  app.post(
    '/api/security/warnings/:id/match',
    { config: { permission: 'security:manage' }, schema: { tags, summary: 'Match a warning to the inventory again: new hosts added, new providers notified', params: idParamsSchema, response: { 200: z.object({ hosts: z.number(), notices: z.number() }) } } },
    async (request) => warnings.rematch(request.ctx, request.params.id),
  );
  app.get(
    '/api/security/warning-notices',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'Warning notices (one per warning × provider): a provider its own, a unit those naming its systems, open first by deadline', querystring: noticeListQuerySchema, response: { 200: noticeListSchema } } },
    async (request) => warnings.listNotices(request.ctx, request.query),
  );
  app.get(
    '/api/security/warning-notices/export',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'The warning notices (same filters) as a signed .xlsx', querystring: noticeListQuerySchema.omit({ page: true, pageSize: true }) } },
    async (request, reply) => sendDocument(reply, await warnings.exportNotices(request.ctx, request.query)),
  );
  app.get(
    '/api/security/warning-notices/:id',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'One warning notice with its matched hosts (and the basis of each match)', params: idParamsSchema, response: { 200: warningNoticeDetailSchema } } },
    async (request) => warnings.getNotice(request.ctx, request.params.id),
  );
  app.post(
    '/api/security/warning-notices/:id/reply',
    { config: { permission: 'security:reply' }, schema: { tags, summary: "The provider's reply: handled (已处置, with an evidence file) or not affected (不受影响, with the reason)", params: idParamsSchema, body: warningReplySchema, response: { 200: warningNoticeDetailSchema } } },
    async (request) => warnings.reply(request.ctx, request.params.id, request.body),
  );
  app.get(
    '/api/security/warning-notices/:id/evidence',
    { config: { permission: 'security:read' }, schema: { tags, summary: 'The evidence file of a replied notice', params: idParamsSchema } },
    async (request, reply) => {
      const f = await warnings.evidence(request.ctx, request.params.id);
      return reply.header('content-type', f.contentType).header('content-disposition', `attachment; filename="evidence"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`).header('cache-control', 'no-store').send(f.content);
    },
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

/** [from, to) of a Beijing calendar month YYYY-MM. */
function monthBounds(month: string): { from: Date; to: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { from: new Date(Date.UTC(y, m - 1, 1) - 8 * 3_600_000), to: new Date(Date.UTC(y, m, 1) - 8 * 3_600_000) };
}
