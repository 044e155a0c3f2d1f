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
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const organisationChangeSchema = z.object({
  id: z.string(),
  action: z.enum(['create', 'update', 'disable', 'enable']),
  before: z.record(z.string(), z.unknown()),
  after: z.record(z.string(), z.unknown()),
  changedBy: z.string().nullable(),
  changedAt: z.string(),
});
const organisationImportSchema = z.strictObject({
  /** The .xlsx file, base64. */
  file: z.string().min(1).max(12_000_000).regex(/^[A-Za-z0-9+/=\r\n]+$/, 'base64'),
  /** Save the valid rows and report the others; by default one bad row saves nothing. */
  validRowsOnly: z.boolean().optional(),
});
const organisationImportResultSchema = z.object({
  created: z.array(z.object({ row: z.number().int(), id: z.uuid(), code: z.string() })),
  skipped: z.array(z.object({ field: z.string(), rule: z.string(), message: z.string(), value: z.unknown().optional() })),
});

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
    '/api/organisations/export',
    {
      config: { permission: 'org:read' },
      schema: { tags, summary: 'The visible units as .xlsx (单位编号, 单位名称, 简称, 单位类型, 上级单位编号, 说明, 状态)', produces: [XLSX] },
    },
    async (request, reply) =>
      reply
        .header('content-type', XLSX)
        .header('content-disposition', `attachment; filename="organisations.xlsx"; filename*=UTF-8''${encodeURIComponent('单位.xlsx')}`)
        .header('cache-control', 'no-store')
        .send(await service.exportXlsx(request.ctx)),
  );
  app.post(
    '/api/organisations/import',
    {
      bodyLimit: 12 * 1024 * 1024,
      config: { permission: 'org:write' },
      schema: {
        tags,
        summary: 'Create units from an .xlsx (base64): all rows valid, or nothing saved unless validRowsOnly',
        body: organisationImportSchema,
        response: { 200: organisationImportResultSchema },
      },
    },
    async (request) => service.importXlsx(request.ctx, request.body),
  );
  app.get(
    '/api/organisations/:id',
    { config: { permission: 'org:read' }, schema: { tags, summary: 'One organisation, with what the caller may do with it', params: idParamsSchema, response: { 200: organisationDetailSchema } } },
    async (request) => service.get(request.ctx, request.params.id),
  );
  app.get(
    '/api/organisations/:id/history',
    {
      config: { permission: 'org:read' },
      schema: { tags, summary: 'Change history (变更记录) of an organisation, oldest first', params: idParamsSchema, response: { 200: z.object({ items: z.array(organisationChangeSchema) }) } },
    },
    async (request) => ({ items: await service.history(request.ctx, request.params.id) }),
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
