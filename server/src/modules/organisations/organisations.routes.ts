import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import {
  idParamsSchema,
  newOrganisationSchema,
  organisationDetailSchema,
  organisationListQuerySchema,
  organisationListSchema,
  organisationPatchSchema,
  organisationTreeNodeSchema,
} from './organisations.schemas.js';
import type { OrganisationService } from './organisations.service.js';

const tags = ['organisations'];

export function registerOrganisationRoutes(app: App, service: OrganisationService): void {
  app.get(
    '/api/organisations',
    { config: { permission: 'org:read' }, schema: { tags, summary: 'Organisations (组织机构) the caller can see', querystring: organisationListQuerySchema, response: { 200: organisationListSchema } } },
    async (request) => service.list(request.ctx, request.query),
  );
  app.get(
    '/api/organisations/tree',
    { config: { permission: 'org:read' }, schema: { tags, summary: 'The visible organisations as a tree', response: { 200: z.object({ items: z.array(organisationTreeNodeSchema) }) } } },
    async (request) => ({ items: await service.tree(request.ctx) }),
  );
  app.get(
    '/api/organisations/:id',
    { config: { permission: 'org:read' }, schema: { tags, summary: 'One organisation, with what the caller may do with it', params: idParamsSchema, response: { 200: organisationDetailSchema } } },
    async (request) => service.get(request.ctx, request.params.id),
  );
  app.post(
    '/api/organisations',
    { config: { permission: 'org:write' }, schema: { tags, summary: 'Create an organisation or sub-unit', body: newOrganisationSchema, response: { 201: organisationDetailSchema } } },
    async (request, reply) => reply.status(201).send(await service.create(request.ctx, request.body)),
  );
  app.patch(
    '/api/organisations/:id',
    {
      config: { permission: 'org:write' },
      schema: { tags, summary: 'Change an organisation; `status` disables or enables it', params: idParamsSchema, body: organisationPatchSchema, response: { 200: organisationDetailSchema } },
    },
    async (request) => service.update(request.ctx, request.params.id, request.body),
  );
}
