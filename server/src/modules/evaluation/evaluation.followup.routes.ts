import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { acceptObjectionSchema, objectionInputSchema, objectionSchema, objectionsQuerySchema, rejectObjectionSchema } from './evaluation.followup.schemas.js';
import type { ObjectionService } from './evaluation.objections.js';
import { idParamsSchema } from './evaluation.schemas.js';

const tags = ['evaluation'];

export interface FollowUpServices {
  objections: ObjectionService;
}

/** Follow-up on published provider scores: objections (异议). docs/evaluation.md §5. */
export async function registerEvaluationFollowUpRoutes(app: App, s: FollowUpServices): Promise<void> {
  app.get(
    '/api/evaluation/objections',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: 'Objections on published scores (a provider: its own; supervision and management: all)', querystring: objectionsQuerySchema, response: { 200: z.object({ items: z.array(objectionSchema) }) } } },
    async (request) => ({ items: await s.objections.list(request.ctx, request.query) }),
  );
  app.post(
    '/api/evaluation/objections',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: 'A provider objects to its own published score (within 5 working days of publication)', body: objectionInputSchema, response: { 201: objectionSchema } } },
    async (request, reply) => reply.status(201).send(await s.objections.file(request.ctx, request.body)),
  );
  app.get(
    '/api/evaluation/objections/:id',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: 'One objection with its decision and revision', params: idParamsSchema, response: { 200: objectionSchema } } },
    async (request) => s.objections.get(request.ctx, request.params.id),
  );
  app.get(
    '/api/evaluation/objections/:id/evidence',
    { config: { permission: 'evaluation:read' }, schema: { tags, summary: 'The evidence file of an objection', params: idParamsSchema } },
    async (request, reply) => {
      const f = await s.objections.evidence(request.ctx, request.params.id);
      return reply.header('content-type', f.contentType).header('content-disposition', `attachment; filename="evidence"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`).header('cache-control', 'no-store').send(f.content);
    },
  );
  app.post(
    '/api/evaluation/objections/:id/accept',
    { config: { permission: 'evaluation:score' }, schema: { tags, summary: 'Accept: the scores are revised in a new draft revision of the month (published one kept)', params: idParamsSchema, body: acceptObjectionSchema, response: { 200: objectionSchema } } },
    async (request) => s.objections.accept(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/evaluation/objections/:id/reject',
    { config: { permission: 'evaluation:score' }, schema: { tags, summary: 'Reject with a reason', params: idParamsSchema, body: rejectObjectionSchema, response: { 200: objectionSchema } } },
    async (request) => s.objections.reject(request.ctx, request.params.id, request.body.comment),
  );
}
