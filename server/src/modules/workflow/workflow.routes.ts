import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import { definitionBodySchema } from './workflow.definition.js';
import {
  definitionInputSchema,
  definitionListQuerySchema,
  definitionSchema,
  definitionUpdateSchema,
  idParamsSchema,
  instanceActionSchema,
  instanceDetailSchema,
  instanceListQuerySchema,
  instanceSummarySchema,
  startInputSchema,
  taskActionSchema,
  taskListQuerySchema,
  taskWithInstanceSchema,
  validationResultSchema,
} from './workflow.schemas.js';
import type { WorkflowService } from './workflow.service.js';

const tags = ['workflow'];

export function registerWorkflowRoutes(app: App, service: WorkflowService): void {
  app.get(
    '/api/workflow/definitions',
    { config: { permission: 'workflow:read' }, schema: { tags, summary: 'Workflow definitions (审批流程), every version', querystring: definitionListQuerySchema, response: { 200: z.object({ items: z.array(definitionSchema) }) } } },
    async (request) => ({ items: await service.listDefinitions(request.ctx, request.query) }),
  );
  app.post(
    '/api/workflow/definitions/validate',
    { config: { permission: 'workflow:write' }, schema: { tags, summary: 'Check a definition’s graph without saving it', body: definitionBodySchema, response: { 200: validationResultSchema } } },
    async (request) => {
      const problems = service.validate(request.body);
      return { valid: problems.length === 0, problems };
    },
  );
  app.post(
    '/api/workflow/definitions',
    { config: { permission: 'workflow:write' }, schema: { tags, summary: 'Create a draft definition (the next version when the code exists)', body: definitionInputSchema, response: { 201: definitionSchema } } },
    async (request, reply) => reply.status(201).send(await service.createDefinition(request.ctx, request.body)),
  );
  app.get(
    '/api/workflow/definitions/:id',
    { config: { permission: 'workflow:read' }, schema: { tags, summary: 'One workflow definition', params: idParamsSchema, response: { 200: definitionSchema } } },
    async (request) => service.getDefinition(request.ctx, request.params.id),
  );
  app.put(
    '/api/workflow/definitions/:id',
    { config: { permission: 'workflow:write' }, schema: { tags, summary: 'Replace a draft definition', params: idParamsSchema, body: definitionUpdateSchema, response: { 200: definitionSchema } } },
    async (request) => service.updateDefinition(request.ctx, request.params.id, request.body),
  );
  app.delete(
    '/api/workflow/definitions/:id',
    { config: { permission: 'workflow:write' }, schema: { tags, summary: 'Delete a draft definition', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await service.deleteDefinition(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/workflow/definitions/:id/publish',
    { config: { permission: 'workflow:write' }, schema: { tags, summary: 'Publish a draft (the previously published version of the code is retired)', params: idParamsSchema, response: { 200: definitionSchema } } },
    async (request) => service.publishDefinition(request.ctx, request.params.id),
  );
  app.post(
    '/api/workflow/definitions/:id/retire',
    { config: { permission: 'workflow:write' }, schema: { tags, summary: 'Retire a published definition (running instances finish on it)', params: idParamsSchema, response: { 200: definitionSchema } } },
    async (request) => service.retireDefinition(request.ctx, request.params.id),
  );

  app.post(
    '/api/workflow/instances',
    { config: { permission: 'workflow:read' }, schema: { tags, summary: 'Start a workflow for a subject of a registered type', body: startInputSchema, response: { 201: instanceDetailSchema } } },
    async (request, reply) => reply.status(201).send(await service.start(request.ctx, request.body)),
  );
  app.get(
    '/api/workflow/instances',
    { config: { permission: 'workflow:read' }, schema: { tags, summary: 'Workflow instances the caller can see', querystring: instanceListQuerySchema, response: { 200: z.object({ items: z.array(instanceSummarySchema) }) } } },
    async (request) => ({ items: await service.listInstances(request.ctx, request.query) }),
  );
  app.get(
    '/api/workflow/instances/:id',
    { config: { permission: 'workflow:read' }, schema: { tags, summary: 'One instance with its tasks and timeline (流转记录)', params: idParamsSchema, response: { 200: instanceDetailSchema } } },
    async (request) => service.getInstance(request.ctx, request.params.id),
  );
  app.post(
    '/api/workflow/instances/:id/actions',
    { config: { permission: 'workflow:read' }, schema: { tags, summary: 'Resubmit after a return, terminate, or comment on an instance', params: idParamsSchema, body: instanceActionSchema, response: { 200: instanceDetailSchema } } },
    async (request) => service.actOnInstance(request.ctx, request.params.id, request.body),
  );
  app.get(
    '/api/workflow/tasks',
    { config: { permission: 'workflow:read' }, schema: { tags, summary: 'Tasks; mine=true: my to-dos (我的待办)', querystring: taskListQuerySchema, response: { 200: z.object({ items: z.array(taskWithInstanceSchema) }) } } },
    async (request) => ({ items: await service.listTasks(request.ctx, request.query) }),
  );
  app.post(
    '/api/workflow/tasks/:id/actions',
    {
      config: { permission: 'workflow:read' },
      schema: { tags, summary: 'Approve, reject, return (退回), delegate (转办), extend (延期), skip (跳过), terminate (终止) or comment', params: idParamsSchema, body: taskActionSchema, response: { 200: instanceDetailSchema } },
    },
    async (request) => service.act(request.ctx, request.params.id, request.body),
  );
}
