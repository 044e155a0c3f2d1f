import type { FastifySchema, HTTPMethods, RawServerDefault, RouteGenericInterface, RouteHandlerMethod } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import type { Logger } from '../../platform/logger.js';
import { sendDocument } from '../documents/index.js';
import type { AnnualRatingService } from './evaluation.annual.js';
import type { AnnualReportService } from './evaluation.annual.report.js';
import { ASSESSMENT_ITEMS, type AssessmentService } from './evaluation.assessments.js';
import {
  assessmentInputSchema,
  assessmentItemsSchema,
  assessmentReplySchema,
  assessmentSchema,
  assessmentsQuerySchema,
  acceptObjectionSchema,
  annualComputeSchema,
  annualQuerySchema,
  annualRatingDetailSchema,
  annualRatingSchema,
  annualReportQuerySchema,
  annualReviewSchema,
  gradeScaleInputSchema,
  gradeScaleSchema,
  generateRectificationsSchema,
  objectionInputSchema,
  objectionSchema,
  objectionsQuerySchema,
  raiseRectificationSchema,
  rectificationReplySchema,
  rectificationSchema,
  rectificationsQuerySchema,
  rectificationVerifySchema,
  rejectObjectionSchema,
} from './evaluation.followup.schemas.js';
import type { ObjectionService } from './evaluation.objections.js';
import type { RectificationService } from './evaluation.rectifications.js';
import { idParamsSchema } from './evaluation.schemas.js';

const tags = ['evaluation'];

export interface FollowUpServices {
  objections: ObjectionService;
  rectifications: RectificationService;
  annual: AnnualRatingService;
  /** The annual rating report (年度评级报告) as .docx / signed PDF. */
  annualReport: AnnualReportService;
  assessments: AssessmentService;
}

type Reply = { header(k: string, v: string): Reply; send(b: Buffer): unknown };
const sendFile = (reply: Reply, f: { fileName: string; contentType: string; content: Buffer }) =>
  reply.header('content-type', f.contentType).header('content-disposition', `attachment; filename="evidence"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`).header('cache-control', 'no-store').send(f.content);

/** A handler typed by its route's schema (request.body / query / params and the reply from the zod schemas). */
export type Handler<S extends FastifySchema> = RouteHandlerMethod<RawServerDefault, IncomingMessage, ServerResponse, RouteGenericInterface, unknown, S, ZodTypeProvider, Logger>;

/**
 * The shape every evaluation route shares, as one call: method, URL, the permission checked before the handler
 * (`config.permission`), the OpenAPI schema (tag `evaluation` added) and the handler typed by that schema.
 */
export function routeOn(app: App): <S extends FastifySchema>(method: HTTPMethods, url: string, permission: string, schema: S, handler: Handler<S>) => void {
  return (method, url, permission, schema, handler) => {
    app.route({ method, url, config: { permission }, schema: { tags, ...schema }, handler: handler as never });
  };
}

/** Follow-up on published provider scores: objections (异议), rectification (整改), annual rating (年度评级), construction-phase assessments (建设期考核). docs/evaluation.md §5. */
export async function registerEvaluationFollowUpRoutes(app: App, s: FollowUpServices): Promise<void> {
  const on = routeOn(app);
  on('GET', '/api/evaluation/objections', 'evaluation:read', { summary: 'Objections on published scores (a provider: its own; supervision and management: all)', querystring: objectionsQuerySchema, response: { 200: z.object({ items: z.array(objectionSchema) }) } },
    async (request) => ({ items: await s.objections.list(request.ctx, request.query) }));
  on('POST', '/api/evaluation/objections', 'evaluation:read', { summary: 'A provider objects to its own published score (within 5 working days of publication)', body: objectionInputSchema, response: { 201: objectionSchema } },
    async (request, reply) => reply.status(201).send(await s.objections.file(request.ctx, request.body)));
  on('GET', '/api/evaluation/objections/:id', 'evaluation:read', { summary: 'One objection with its decision and revision', params: idParamsSchema, response: { 200: objectionSchema } },
    async (request) => s.objections.get(request.ctx, request.params.id));
  on('GET', '/api/evaluation/objections/:id/evidence', 'evaluation:read', { summary: 'The evidence file of an objection', params: idParamsSchema },
    async (request, reply) => sendFile(reply, await s.objections.evidence(request.ctx, request.params.id)));
  on('POST', '/api/evaluation/objections/:id/accept', 'evaluation:score', { summary: 'Accept: the scores are revised in a new draft revision of the month (published one kept)', params: idParamsSchema, body: acceptObjectionSchema, response: { 200: objectionSchema } },
    async (request) => s.objections.accept(request.ctx, request.params.id, request.body));
  on('POST', '/api/evaluation/objections/:id/reject', 'evaluation:score', { summary: 'Reject with a reason', params: idParamsSchema, body: rejectObjectionSchema, response: { 200: objectionSchema } },
    async (request) => s.objections.reject(request.ctx, request.params.id, request.body.comment));

  on('GET', '/api/evaluation/rectifications', 'evaluation:read', { summary: 'Rectification tasks on published scores (a provider: its own), earliest deadline first; overdue=true: past due', querystring: rectificationsQuerySchema, response: { 200: z.object({ items: z.array(rectificationSchema) }) } },
    async (request) => ({ items: await s.rectifications.list(request.ctx, { ...request.query, overdue: request.query.overdue === 'true' }) }));
  on('POST', '/api/evaluation/rectifications/generate', 'evaluation:score', { summary: "Tasks for every indicator below the threshold in a published run (existing ones kept)", body: generateRectificationsSchema, response: { 200: z.object({ created: z.number(), items: z.array(rectificationSchema) }) } },
    async (request) => s.rectifications.generate(request.ctx, request.body));
  on('POST', '/api/evaluation/rectifications', 'evaluation:score', { summary: "A reviewer's rectification task on one indicator of a provider's published score", body: raiseRectificationSchema, response: { 201: rectificationSchema } },
    async (request, reply) => reply.status(201).send(await s.rectifications.raise(request.ctx, request.body)));
  on('GET', '/api/evaluation/rectifications/:id', 'evaluation:read', { summary: 'One rectification task', params: idParamsSchema, response: { 200: rectificationSchema } },
    async (request) => s.rectifications.get(request.ctx, request.params.id));
  on('GET', '/api/evaluation/rectifications/:id/evidence', 'evaluation:read', { summary: "The evidence file of the provider's reply", params: idParamsSchema },
    async (request, reply) => sendFile(reply, await s.rectifications.evidence(request.ctx, request.params.id)));
  on('POST', '/api/evaluation/rectifications/:id/reply', 'evaluation:read', { summary: "The provider's reply with its evidence (整改反馈)", params: idParamsSchema, body: rectificationReplySchema, response: { 200: rectificationSchema } },
    async (request) => s.rectifications.reply(request.ctx, request.params.id, request.body));
  on('POST', '/api/evaluation/rectifications/:id/verify', 'evaluation:score', { summary: 'Verification by supervision: verified, or returned for another reply', params: idParamsSchema, body: rectificationVerifySchema, response: { 200: rectificationSchema } },
    async (request) => s.rectifications.verify(request.ctx, request.params.id, request.body));

  on('GET', '/api/evaluation/annual/grade-scales', 'evaluation:read', { summary: 'Versions of the annual grade scale, newest first', response: { 200: z.object({ items: z.array(gradeScaleSchema) }) } },
    async (request) => ({ items: await s.annual.gradeScales(request.ctx) }));
  on('POST', '/api/evaluation/annual/grade-scales', 'evaluation:manage', { summary: 'A new version of the annual grade scale (computed ratings keep theirs)', body: gradeScaleInputSchema, response: { 201: gradeScaleSchema } },
    async (request, reply) => reply.status(201).send(await s.annual.createGradeScale(request.ctx, request.body)));
  on('POST', '/api/evaluation/annual', 'evaluation:score', { summary: "Computes a year's provider rating from the published months (a published year gets a new revision)", body: annualComputeSchema, response: { 200: annualRatingDetailSchema } },
    async (request) => s.annual.compute(request.ctx, request.body));
  on('GET', '/api/evaluation/annual', 'evaluation:read', { summary: 'Annual ratings (a provider: published ones)', querystring: annualQuerySchema, response: { 200: z.object({ items: z.array(annualRatingSchema) }) } },
    async (request) => ({ items: await s.annual.list(request.ctx, { year: request.query.year ? Number(request.query.year) : undefined, setCode: request.query.setCode }) }));
  on('GET', '/api/evaluation/annual/:id', 'evaluation:read', { summary: 'An annual rating with its ranking and months (a provider: its own row of a published rating)', params: idParamsSchema, response: { 200: annualRatingDetailSchema } },
    async (request) => s.annual.get(request.ctx, request.params.id));
  on('GET', '/api/evaluation/annual/:id/report', 'evaluation:read', { summary: '年度评级报告 as .docx or SM2-signed PDF: ranking with its chart, monthly and dimension scores, grades, objections and rectification (a provider: a published rating, its own part)', params: idParamsSchema, querystring: annualReportQuerySchema, produces: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/pdf'] },
    async (request, reply) => sendDocument(reply, await s.annualReport.build(request.ctx, request.params.id, request.query.format)));
  on('POST', '/api/evaluation/annual/:id/review', 'evaluation:manage', { summary: 'Review of the annual rating by the management unit', params: idParamsSchema, body: annualReviewSchema, response: { 200: annualRatingDetailSchema } },
    async (request) => s.annual.review(request.ctx, request.params.id, request.body.comment ?? null));
  on('POST', '/api/evaluation/annual/:id/publish', 'evaluation:manage', { summary: 'Publish a reviewed annual rating; the previous revision is superseded, kept', params: idParamsSchema, response: { 200: annualRatingDetailSchema } },
    async (request) => s.annual.publish(request.ctx, request.params.id));

  on('GET', '/api/evaluation/assessments/items', 'evaluation:read', { summary: 'The assessment items of 初期 and 中期 construction-phase assessments (seed 004)', response: { 200: assessmentItemsSchema } },
    async () => ASSESSMENT_ITEMS);
  on('GET', '/api/evaluation/assessments', 'evaluation:read', { summary: 'Construction-phase assessments (a provider: its own); overdue=true: rectification past due', querystring: assessmentsQuerySchema, response: { 200: z.object({ items: z.array(assessmentSchema) }) } },
    async (request) => ({ items: await s.assessments.list(request.ctx, { ...request.query, overdue: request.query.overdue === 'true' }) }));
  on('POST', '/api/evaluation/assessments', 'evaluation:score', { summary: 'Records a 初期 / 中期 assessment (failed: 1 month / 3–6 months to rectify; previousId: the second assessment)', body: assessmentInputSchema, response: { 201: assessmentSchema } },
    async (request, reply) => reply.status(201).send(await s.assessments.record(request.ctx, request.body)));
  on('GET', '/api/evaluation/assessments/:id', 'evaluation:read', { summary: 'One construction-phase assessment', params: idParamsSchema, response: { 200: assessmentSchema } },
    async (request) => s.assessments.get(request.ctx, request.params.id));
  on('GET', '/api/evaluation/assessments/:id/evidence', 'evaluation:read', { summary: "The evidence file of the provider's rectification report", params: idParamsSchema },
    async (request, reply) => sendFile(reply, await s.assessments.evidence(request.ctx, request.params.id)));
  on('POST', '/api/evaluation/assessments/:id/rectification', 'evaluation:read', { summary: "The provider's rectification report with evidence (before the second assessment)", params: idParamsSchema, body: assessmentReplySchema, response: { 200: assessmentSchema } },
    async (request) => s.assessments.reply(request.ctx, request.params.id, request.body));
}
