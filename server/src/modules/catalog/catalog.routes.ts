import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import {
  catalogItemInputSchema,
  catalogVersionDetailSchema,
  catalogVersionPatchSchema,
  catalogVersionSchema,
  idParamsSchema,
  itemParamsSchema,
  newCatalogVersionSchema,
  newPriceListSchema,
  priceListDecisionSchema,
  priceListDetailSchema,
  priceListSchema,
  priceListUpdateSchema,
} from './catalog.schemas.js';
import type { CatalogService } from './catalog.service.js';

const tags = ['catalog'];

export function registerCatalogRoutes(app: App, service: CatalogService): void {
  app.get(
    '/api/catalog/versions',
    { config: { permission: 'catalog:read' }, schema: { tags, summary: 'Catalog versions (服务目录版本)', response: { 200: z.object({ items: z.array(catalogVersionSchema) }) } } },
    async (request) => ({ items: await service.listVersions(request.ctx) }),
  );
  app.get(
    '/api/catalog/current',
    { config: { permission: 'catalog:read' }, schema: { tags, summary: 'The published catalog version in force today, with its items and weighted maximum price', response: { 200: catalogVersionDetailSchema } } },
    async (request) => service.getCurrent(request.ctx),
  );
  app.get(
    '/api/catalog/versions/:id',
    { config: { permission: 'catalog:read' }, schema: { tags, summary: 'One catalog version with its items', params: idParamsSchema, response: { 200: catalogVersionDetailSchema } } },
    async (request) => service.getVersion(request.ctx, request.params.id),
  );
  app.post(
    '/api/catalog/versions',
    { config: { permission: 'catalog:write' }, schema: { tags, summary: 'A new draft version, copied from an existing one', body: newCatalogVersionSchema, response: { 201: catalogVersionDetailSchema } } },
    async (request, reply) => reply.status(201).send(await service.createDraft(request.ctx, request.body)),
  );
  app.patch(
    '/api/catalog/versions/:id',
    { config: { permission: 'catalog:write' }, schema: { tags, summary: 'Change name, effective dates or framework period of a draft', params: idParamsSchema, body: catalogVersionPatchSchema, response: { 200: catalogVersionDetailSchema } } },
    async (request) => service.updateDraft(request.ctx, request.params.id, request.body),
  );
  app.put(
    '/api/catalog/versions/:id/items/:code',
    { config: { permission: 'catalog:write' }, schema: { tags, summary: 'Add or change an item of a draft version', params: itemParamsSchema, body: catalogItemInputSchema, response: { 200: catalogVersionDetailSchema } } },
    async (request) => service.upsertItem(request.ctx, request.params.id, request.params.code, request.body),
  );
  app.post(
    '/api/catalog/versions/:id/items/:code/retire',
    { config: { permission: 'catalog:write' }, schema: { tags, summary: 'Retire an item of a draft version', params: itemParamsSchema, response: { 200: catalogVersionDetailSchema } } },
    async (request) => service.retireItem(request.ctx, request.params.id, request.params.code),
  );
  app.post(
    '/api/catalog/versions/:id/publish',
    { config: { permission: 'catalog:write' }, schema: { tags, summary: 'Publish a draft (weights 100%, unique codes, caps)', params: idParamsSchema, response: { 200: catalogVersionDetailSchema } } },
    async (request) => service.publish(request.ctx, request.params.id),
  );

  app.get(
    '/api/price-lists',
    { config: { permission: 'price:read' }, schema: { tags, summary: "Price lists: a provider's own; approved lists for everybody else", response: { 200: z.object({ items: z.array(priceListSchema) }) } } },
    async (request) => ({ items: await service.listPriceLists(request.ctx) }),
  );
  app.get(
    '/api/price-lists/:id',
    { config: { permission: 'price:read' }, schema: { tags, summary: 'One price list with its prices and weighted price', params: idParamsSchema, response: { 200: priceListDetailSchema } } },
    async (request) => service.getPriceList(request.ctx, request.params.id),
  );
  app.post(
    '/api/price-lists',
    { config: { permission: 'price:write' }, schema: { tags, summary: "A new draft price list of the caller's provider", body: newPriceListSchema, response: { 201: priceListDetailSchema } } },
    async (request, reply) => reply.status(201).send(await service.createPriceList(request.ctx, request.body)),
  );
  app.put(
    '/api/price-lists/:id',
    { config: { permission: 'price:write' }, schema: { tags, summary: 'Replace the dates and prices of a draft price list', params: idParamsSchema, body: priceListUpdateSchema, response: { 200: priceListDetailSchema } } },
    async (request) => service.updatePriceList(request.ctx, request.params.id, request.body),
  );
  app.delete(
    '/api/price-lists/:id',
    { config: { permission: 'price:write' }, schema: { tags, summary: 'Delete a draft price list', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await service.deletePriceList(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/price-lists/:id/submit',
    { config: { permission: 'price:write' }, schema: { tags, summary: 'Submit a draft price list for approval', params: idParamsSchema, response: { 200: priceListDetailSchema } } },
    async (request) => service.submitPriceList(request.ctx, request.params.id),
  );
  app.post(
    '/api/price-lists/:id/approve',
    { config: { permission: 'price:approve' }, schema: { tags, summary: 'Approve a submitted price list (management unit)', params: idParamsSchema, body: priceListDecisionSchema, response: { 200: priceListDetailSchema } } },
    async (request) => service.decidePriceList(request.ctx, request.params.id, 'approved', request.body.comment ?? null),
  );
  app.post(
    '/api/price-lists/:id/reject',
    { config: { permission: 'price:approve' }, schema: { tags, summary: 'Reject a submitted price list (management unit)', params: idParamsSchema, body: priceListDecisionSchema, response: { 200: priceListDetailSchema } } },
    async (request) => service.decidePriceList(request.ctx, request.params.id, 'rejected', request.body.comment ?? null),
  );
}
