import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { sendDocument } from '../documents/index.js';
import {
  attachmentInputSchema, attachmentParamsSchema, commentSchema, faultReportSchema, idParamsSchema, listQuerySchema, newTicketSchema, rateSchema,
  statisticsQuerySchema, statisticsRowSchema, ticketActionSchema, ticketDetailSchema, ticketListSchema,
} from './servicedesk.schemas.js';
import type { ServiceDeskService } from './servicedesk.service.js';

const tags = ['servicedesk'];
const read = { permission: 'ticket:read' };
const create = { permission: 'ticket:create' };

export function registerServiceDeskRoutes(app: App, service: ServiceDeskService): void {
  app.get('/api/tickets', { config: read, schema: { tags, summary: 'Tickets (工单): mine, the provider queue (open, with SLA countdowns) or all the caller may see', querystring: listQuerySchema, response: { 200: ticketListSchema } } },
    async (req) => service.listTickets(req.ctx, req.query));
  app.get('/api/tickets/export', { config: read, schema: { tags, summary: 'The ticket list as signed .xlsx', querystring: listQuerySchema, produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] } },
    async (req, reply) => sendDocument(reply, await service.exportTickets(req.ctx, req.query)));
  app.post('/api/tickets', { bodyLimit: 40 * 1024 * 1024, config: create, schema: { tags, summary: 'Report a ticket: own system and resources; dispatched to the provider running them', body: newTicketSchema, response: { 201: ticketDetailSchema } } },
    async (req, reply) => reply.status(201).send(await service.createTicket(req.ctx, req.body)));
  app.get('/api/tickets/statistics', { config: read, schema: { tags, summary: 'Statistics per provider × unit × kind of a month (response rate, averages, resolution, satisfaction, breaches)', querystring: statisticsQuerySchema, response: { 200: z.object({ items: z.array(statisticsRowSchema) }) } } },
    async (req) => ({ items: await service.ticketStatistics(req.ctx, req.query) }));
  app.get('/api/tickets/reference', { config: read, schema: { tags, summary: 'SLA targets and event grades (事件定级)', response: { 200: z.object({ targets: z.array(z.object({ kind: z.string(), priority: z.number(), clock: z.string(), minutes: z.number(), schedule: z.string(), contractId: z.string().nullable(), providerId: z.string().nullable(), note: z.string().nullable() })), grades: z.array(z.object({ code: z.string(), name: z.string(), rank: z.number(), minSystems: z.number(), minDurationMinutes: z.number(), priority: z.number() })) }) } } },
    async (req) => service.reference(req.ctx));
  app.get('/api/tickets/:id', { config: read, schema: { tags, summary: 'One ticket with its timeline, clocks and what the caller may do', params: idParamsSchema, response: { 200: ticketDetailSchema } } },
    async (req) => service.getTicket(req.ctx, req.params.id));
  app.post('/api/tickets/:id/actions', { config: read, schema: { tags, summary: 'Lifecycle action (claim, assign, transfer, start, pend, resume, onsite, restore, resolve, reopen, close, cancel, merge, escalate) at a version', params: idParamsSchema, body: ticketActionSchema, response: { 200: ticketDetailSchema } } },
    async (req) => service.act(req.ctx, req.params.id, req.body));
  app.post('/api/tickets/:id/comments', { config: read, schema: { tags, summary: 'Public or internal comment', params: idParamsSchema, body: commentSchema, response: { 200: ticketDetailSchema } } },
    async (req) => service.comment(req.ctx, req.params.id, req.body));
  app.post('/api/tickets/:id/rating', { config: create, schema: { tags, summary: 'The reporter rates a resolved ticket (1–5)', params: idParamsSchema, body: rateSchema, response: { 200: ticketDetailSchema } } },
    async (req) => service.rate(req.ctx, req.params.id, req.body));
  app.put('/api/tickets/:id/fault-report', { config: { permission: 'ticket:handle' }, schema: { tags, summary: 'File the fault report (故障报告) of a restored fault', params: idParamsSchema, body: faultReportSchema, response: { 200: ticketDetailSchema } } },
    async (req) => service.saveFaultReport(req.ctx, req.params.id, req.body));
  app.get('/api/tickets/:id/fault-report.pdf', { config: read, schema: { tags, summary: 'The fault report as signed PDF', params: idParamsSchema, produces: ['application/pdf'] } },
    async (req, reply) => sendDocument(reply, await service.faultReportPdf(req.ctx, req.params.id)));
  app.post('/api/tickets/:id/attachments', { bodyLimit: 10 * 1024 * 1024, config: read, schema: { tags, summary: 'Attach a file (≤ 5 MB; pdf, png, jpg, txt, log, docx, xlsx, zip)', params: idParamsSchema, body: attachmentInputSchema, response: { 200: ticketDetailSchema } } },
    async (req) => service.addAttachment(req.ctx, req.params.id, req.body));
  app.get('/api/tickets/:id/attachments/:attachmentId', { config: read, schema: { tags, summary: 'Download an attachment', params: attachmentParamsSchema, produces: ['application/octet-stream'] } },
    async (req, reply) => {
      const a = await service.attachment(req.ctx, req.params.id, req.params.attachmentId);
      return reply.header('content-type', a.contentType).header('content-disposition', `attachment; filename="attachment"; filename*=UTF-8''${encodeURIComponent(a.fileName)}`).header('cache-control', 'no-store').send(a.content);
    });
}
