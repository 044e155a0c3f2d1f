import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { sendDocument } from '../documents/index.js';
import type { EvaluationReportsService } from './evaluation.templates.js';

const tags = ['evaluation'];
const kind = z.enum(['monthly', 'quarterly']);
const kindParams = z.strictObject({ kind });
const idParams = z.strictObject({ id: z.uuid() });

const templateSectionSchema = z.strictObject({ key: z.string().min(1).max(40), enabled: z.boolean() });
const templateInputSchema = z.strictObject({
  sections: z.array(templateSectionSchema).min(1).max(40),
  intro: z.string().max(4000).optional(),
  conclusion: z.string().max(4000).optional(),
  autoDraft: z.boolean().optional(),
  authorUserId: z.uuid().nullable().optional(),
  note: z.string().max(500).nullable().optional(),
});
const templateSchema = z.object({
  id: z.string().nullable(), kind, version: z.number(),
  sections: z.array(z.object({ key: z.string(), enabled: z.boolean(), title: z.string() })),
  intro: z.string(), conclusion: z.string(), autoDraft: z.boolean(), authorUserId: z.string().nullable(), note: z.string().nullable(), createdAt: z.date().nullable(), latest: z.boolean(),
});
const reportSchema = z.object({
  id: z.string(), kind, period: z.string(), setCode: z.string().nullable(), revision: z.number(),
  status: z.enum(['draft', 'submitted', 'published', 'superseded']), templateVersion: z.number(), title: z.string(), dueDate: z.string().nullable(),
  origin: z.enum(['manual', 'scheduled']), sections: z.array(z.string()), authorUserId: z.string().nullable(),
  generatedAt: z.date(), submittedAt: z.date().nullable(), publishedAt: z.date().nullable(), reviewComment: z.string().nullable(),
  abilities: z.object({ regenerate: z.boolean(), submit: z.boolean(), publish: z.boolean(), return: z.boolean() }),
});
const generateSchema = z.strictObject({ kind, period: z.string().max(7), setCode: z.string().regex(/^[a-z0-9_-]{1,40}$/).nullable().optional() });
const listQuery = z.strictObject({ kind: kind.optional(), period: z.string().max(7).optional() });
const formatQuery = z.strictObject({ format: z.enum(['docx', 'pdf']) });
const commentSchema = z.strictObject({ comment: z.string().trim().max(1000).nullable().optional() });
const returnSchema = z.strictObject({ comment: z.string().trim().min(1, 'say why the report goes back').max(1000) });

/** Report templates (报告模板) and generated reports (报告管理: 月报 / 季评 with review and publication). */
export async function registerEvaluationReportRoutes(app: App, reports: EvaluationReportsService): Promise<void> {
  app.get(
    '/api/evaluation/report-templates/:kind',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: "The caller's report template versions, newest first (the built-in default v0 when none is saved)", params: kindParams, response: { 200: z.object({ items: z.array(templateSchema) }) } } },
    async (request) => ({ items: await reports.templates(request.ctx, request.params.kind) }),
  );
  app.post(
    '/api/evaluation/report-templates/:kind',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: 'A new template version: sections on/off and order, intro and conclusion, scheduled draft and author', params: kindParams, body: templateInputSchema, response: { 201: templateSchema } } },
    async (request, reply) => reply.status(201).send(await reports.saveTemplate(request.ctx, request.params.kind, request.body)),
  );
  app.post(
    '/api/evaluation/generated-reports',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: 'Generates a 月报 or 季评 with the current template (a draft is replaced, a published one gets a new revision)', body: generateSchema, response: { 200: reportSchema } } },
    async (request) => reports.generate(request.ctx, { kind: request.body.kind, period: request.body.period, setCode: request.body.setCode ?? null }),
  );
  app.get(
    '/api/evaluation/generated-reports',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: "The management unit's generated reports", querystring: listQuery, response: { 200: z.object({ items: z.array(reportSchema) }) } } },
    async (request) => ({ items: await reports.list(request.ctx, request.query) }),
  );
  app.get(
    '/api/evaluation/generated-reports/:id',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: 'One generated report', params: idParams, response: { 200: reportSchema } } },
    async (request) => reports.get(request.ctx, request.params.id),
  );
  app.get(
    '/api/evaluation/generated-reports/:id/document',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: 'The stored report as .docx or SM2-signed PDF', params: idParams, querystring: formatQuery, produces: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/pdf'] } },
    async (request, reply) => sendDocument(reply, await reports.document(request.ctx, request.params.id, request.query.format)),
  );
  app.post(
    '/api/evaluation/generated-reports/:id/submit',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: '提交审核: draft → submitted', params: idParams, response: { 200: reportSchema } } },
    async (request) => reports.submit(request.ctx, request.params.id),
  );
  app.post(
    '/api/evaluation/generated-reports/:id/publish',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: '审核发布: submitted → published (an earlier published revision is superseded, kept)', params: idParams, body: commentSchema, response: { 200: reportSchema } } },
    async (request) => reports.publish(request.ctx, request.params.id, request.body.comment ?? null),
  );
  app.post(
    '/api/evaluation/generated-reports/:id/return',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: '退回: submitted → draft with a comment', params: idParams, body: returnSchema, response: { 200: reportSchema } } },
    async (request) => reports.returnToDraft(request.ctx, request.params.id, request.body.comment),
  );
}
