import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { sendDocument, type DocumentsService } from '../documents/index.js';
import {
  acceptResultSchema,
  adviceQuerySchema,
  adviceSchema,
  computeInputSchema,
  computeResultSchema,
  dismissSchema,
  dueSchema,
  efficiencyListSchema,
  efficiencyQuerySchema,
  formulaInputSchema,
  formulaSchema,
  idParamsSchema,
  indicatorSetInputSchema,
  indicatorSetSchema,
  manualScoreSchema,
  monthQuerySchema,
  quarterQuerySchema,
  quarterReportQuerySchema,
  quarterSchema,
  monthlyFiguresSchema,
  monthsSchema,
  overviewSchema,
  reportQuerySchema,
  reviewSchema,
  runDetailSchema,
  runInputSchema,
  runSchema,
  runsQuerySchema,
} from './evaluation.schemas.js';
import type { EvaluationService } from './evaluation.service.js';
import { adviceDocument, efficiencyDocument, runDocument } from './evaluation.exports.js';
import { buildMonthlyReport, buildQuarterlyReport } from './evaluation.report.js';

const tags = ['evaluation'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function registerEvaluationRoutes(app: App, service: EvaluationService, documents: DocumentsService): Promise<void> {
  app.get(
    '/api/evaluation/formulas',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: 'Versions of the efficiency score formula, newest first, with their text', response: { 200: z.object({ items: z.array(formulaSchema) }) } } },
    async (request) => ({ items: await service.formulas(request.ctx) }),
  );
  app.post(
    '/api/evaluation/formulas',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: 'A new formula version (weights add up to 100); computed months keep theirs', body: formulaInputSchema, response: { 201: formulaSchema } } },
    async (request, reply) => reply.status(201).send(await service.createFormula(request.ctx, request.body)),
  );
  app.post(
    '/api/evaluation/efficiency/compute',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: "Computes a month's unit and system efficiency and rightsizing advice", body: computeInputSchema, response: { 200: computeResultSchema } } },
    async (request) => service.computeEfficiency(request.ctx, request.body),
  );
  app.get(
    '/api/evaluation/efficiency/months',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: 'Months computed, with their formula version', response: { 200: monthsSchema } } },
    async (request) => ({ items: await service.efficiencyMonths(request.ctx) }),
  );
  app.get(
    '/api/evaluation/efficiency',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: "A month's efficiency per unit or system (a unit: its own), lowest score first, with the month's formula", querystring: efficiencyQuerySchema, response: { 200: efficiencyListSchema } } },
    async (request) => service.efficiency(request.ctx, request.query),
  );
  app.get(
    '/api/evaluation/efficiency/export',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: 'The efficiency table as signed .xlsx', querystring: efficiencyQuerySchema, produces: [XLSX] } },
    async (request, reply) => {
      const data = await service.efficiency(request.ctx, request.query);
      return sendDocument(reply, await documents.render(request.ctx, efficiencyDocument(data, request.query.level ?? 'unit'), 'xlsx', { filenameStem: `云效率-${request.query.month}` }));
    },
  );
  app.get(
    '/api/evaluation/advice',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: 'Rightsizing advice (a unit: its own), largest saving first', querystring: adviceQuerySchema, response: { 200: z.object({ items: z.array(adviceSchema) }) } } },
    async (request) => ({ items: await service.listAdvice(request.ctx, request.query) }),
  );
  app.get(
    '/api/evaluation/advice/export',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: 'Rightsizing advice as signed .xlsx', querystring: adviceQuerySchema, produces: [XLSX] } },
    async (request, reply) => sendDocument(reply, await documents.render(request.ctx, adviceDocument(await service.listAdvice(request.ctx, request.query)), 'xlsx', { filenameStem: `资源优化建议-${request.query.month ?? '全部'}` })),
  );
  app.get(
    '/api/evaluation/advice/:id',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: 'One advice with its evidence window', params: idParamsSchema, response: { 200: adviceSchema } } },
    async (request) => service.getAdvice(request.ctx, request.params.id),
  );
  app.post(
    '/api/evaluation/advice/:id/accept',
    { config: { permission: 'evaluation:advice' }, schema: { tags, summary: 'Accept: a draft 变更 (shrink) application prefilled with the resize', params: idParamsSchema, response: { 200: acceptResultSchema } } },
    async (request) => service.acceptAdvice(request.ctx, request.params.id),
  );
  app.post(
    '/api/evaluation/advice/:id/dismiss',
    { config: { permission: 'evaluation:advice' }, schema: { tags, summary: 'Dismiss with a reason', params: idParamsSchema, body: dismissSchema, response: { 200: adviceSchema } } },
    async (request) => service.dismissAdvice(request.ctx, request.params.id, request.body.reason),
  );

  app.get(
    '/api/evaluation/indicator-sets',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: 'Indicator systems (dimensions → indicators → weights → rules), every version', response: { 200: z.object({ items: z.array(indicatorSetSchema) }) } } },
    async (request) => ({ items: await service.indicatorSets(request.ctx) }),
  );
  app.post(
    '/api/evaluation/indicator-sets',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: 'A new version of an indicator system (weights add up to 100)', body: indicatorSetInputSchema, response: { 201: indicatorSetSchema } } },
    async (request, reply) => reply.status(201).send(await service.createIndicatorSet(request.ctx, request.body)),
  );
  app.put(
    '/api/evaluation/manual-scores',
    { config: { permission: 'evaluation:score' }, schema: { tags, summary: "A supervision officer's score of a manual indicator with its evidence", body: manualScoreSchema, response: { 200: z.object({ ok: z.literal(true) }) } } },
    async (request) => service.setManualScore(request.ctx, request.body),
  );
  app.post(
    '/api/evaluation/runs',
    { config: { permission: 'evaluation:score' }, schema: { tags, summary: "Runs a month's provider evaluation (a published month gets a new revision)", body: runInputSchema, response: { 200: runDetailSchema } } },
    async (request) => service.runProviders(request.ctx, request.body),
  );
  app.get(
    '/api/evaluation/runs',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: 'Evaluation runs (a provider: published ones)', querystring: runsQuerySchema, response: { 200: z.object({ items: z.array(runSchema) }) } } },
    async (request) => ({ items: await service.listRuns(request.ctx, request.query) }),
  );
  app.get(
    '/api/evaluation/runs/:id',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: 'A run with its ranking and evidence (a provider: its own row of a published run)', params: idParamsSchema, response: { 200: runDetailSchema } } },
    async (request) => service.getRun(request.ctx, request.params.id),
  );
  app.get(
    '/api/evaluation/runs/:id/export',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: 'The ranking with every indicator as signed .xlsx', params: idParamsSchema, produces: [XLSX] } },
    async (request, reply) => {
      const run = await service.getRun(request.ctx, request.params.id);
      return sendDocument(reply, await documents.render(request.ctx, runDocument(run), 'xlsx', { filenameStem: `云服务商评估-${run.month}-${run.setCode}-r${run.revision}`, targetId: run.id }));
    },
  );
  app.post(
    '/api/evaluation/runs/:id/review',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: 'Review by the management unit (审核)', params: idParamsSchema, body: reviewSchema, response: { 200: runDetailSchema } } },
    async (request) => service.reviewRun(request.ctx, request.params.id, request.body.comment ?? null),
  );
  app.post(
    '/api/evaluation/runs/:id/publish',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: 'Publish a reviewed run; the previous revision is superseded, kept unchanged', params: idParamsSchema, response: { 200: runDetailSchema } } },
    async (request) => service.publishRun(request.ctx, request.params.id),
  );

  app.get(
    '/api/evaluation/overview',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: '政务云概况 for the caller (management: everything; a unit: 我的云; a provider: its own)', querystring: monthQuerySchema, response: { 200: overviewSchema } } },
    async (request) => service.overview(request.ctx, request.query),
  );
  app.get(
    '/api/evaluation/reports/due',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: "The monthly report's due date: the 5th working day of the next month", querystring: monthQuerySchema, response: { 200: dueSchema } } },
    async (request) => ({ month: request.query.month, dueDate: await service.reportDueDate(request.query.month) }),
  );
  app.get(
    '/api/evaluation/quarters',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: '季评: the quarter’s provider scores from the published months, ranking and grades (a provider: its own row)', querystring: quarterQuerySchema, response: { 200: quarterSchema } } },
    async (request) => service.quarterly(request.ctx, request.query),
  );
  app.get(
    '/api/evaluation/reports/quarterly',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: '季评 as .docx (editable) or signed PDF', querystring: quarterReportQuerySchema, produces: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/pdf'] } },
    async (request, reply) => sendDocument(reply, await buildQuarterlyReport(documents, request.ctx, await service.quarterly(request.ctx, request.query), request.query.format)),
  );
  app.get(
    '/api/evaluation/reports/monthly/figures',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: "The 月报's sections from operations, availability (SLA), security posture and the service desk; unwired → no data source yet", querystring: monthQuerySchema, response: { 200: monthlyFiguresSchema } } },
    async (request) => service.monthlyFigures(request.ctx, request.query.month),
  );
  app.get(
    '/api/evaluation/reports/monthly',
    { config: { permission: 'evaluation:manage' }, schema: { tags, summary: '综合监管月报 as .docx or signed PDF, charts rendered on the server', querystring: reportQuerySchema, produces: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/pdf'] } },
    async (request, reply) => sendDocument(reply, await buildMonthlyReport(service, documents, request.ctx, request.query.month, request.query.format)),
  );
}
