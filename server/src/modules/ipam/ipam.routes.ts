import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import {
  allocationFilterSchema,
  allocationListQuerySchema,
  allocationListSchema,
  allocationSchema,
  approveSchema,
  conflictListSchema,
  conflictQuerySchema,
  idParamsSchema,
  newAllocationSchema,
  newPoolSchema,
  newRequestSchema,
  poolListQuerySchema,
  poolPatchSchema,
  poolSchema,
  rejectSchema,
  requestListQuerySchema,
  requestListSchema,
  requestSchema,
  utilisationQuerySchema,
  utilisationRowSchema,
} from './ipam.schemas.js';
import type { IpamService } from './ipam.service.js';

const tags = ['ipam'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const read = { permission: 'ipam:read' };
const request = { permission: 'ipam:request' };
const manage = { permission: 'ipam:manage' };

export function registerIpamRoutes(app: App, service: IpamService): void {
  app.get(
    '/api/ipam/pools',
    { config: read, schema: { tags, summary: 'Address pools (地址池) with utilisation', querystring: poolListQuerySchema, response: { 200: z.object({ items: z.array(poolSchema) }) } } },
    async (req) => ({ items: await service.listPools(req.ctx, req.query) }),
  );
  app.post(
    '/api/ipam/pools',
    { config: manage, schema: { tags, summary: 'Create a pool in a node’s network zone (inside the zone’s blocks, overlapping no pool)', body: newPoolSchema, response: { 201: poolSchema } } },
    async (req, reply) => reply.status(201).send(await service.createPool(req.ctx, req.body)),
  );
  app.get(
    '/api/ipam/pools/:id',
    { config: read, schema: { tags, summary: 'One pool with utilisation', params: idParamsSchema, response: { 200: poolSchema } } },
    async (req) => service.getPool(req.ctx, req.params.id),
  );
  app.patch(
    '/api/ipam/pools/:id',
    { config: manage, schema: { tags, summary: 'Change name, gateway, reserved ranges, description; retire an empty pool', params: idParamsSchema, body: poolPatchSchema, response: { 200: poolSchema } } },
    async (req) => service.updatePool(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/api/ipam/utilisation',
    { config: read, schema: { tags, summary: 'Utilisation per node (or node and zone) and family', querystring: utilisationQuerySchema, response: { 200: z.object({ items: z.array(utilisationRowSchema) }) } } },
    async (req) => ({ items: await service.utilisationBy(req.ctx, req.query.groupBy) }),
  );

  app.get(
    '/api/ipam/requests',
    { config: read, schema: { tags, summary: 'Address requests (地址申请): mine, to review, or all the caller may see', querystring: requestListQuerySchema, response: { 200: requestListSchema } } },
    async (req) => service.listRequests(req.ctx, req.query),
  );
  app.post(
    '/api/ipam/requests',
    { config: request, schema: { tags, summary: 'Request addresses (a count or a subnet); reviewed within 3 working days', body: newRequestSchema, response: { 201: requestSchema } } },
    async (req, reply) => reply.status(201).send(await service.createRequest(req.ctx, req.body)),
  );
  app.get(
    '/api/ipam/requests/:id',
    { config: read, schema: { tags, summary: 'One address request with its allocations', params: idParamsSchema, response: { 200: requestSchema } } },
    async (req) => service.getRequest(req.ctx, req.params.id),
  );
  app.get(
    '/api/ipam/requests/:id/events',
    { config: read, schema: { tags, summary: 'Events of a request: submitted, due soon, overdue, decision, release', params: idParamsSchema, response: { 200: z.object({ items: z.array(z.object({ kind: z.string(), at: z.string(), note: z.string().nullable() })) }) } } },
    async (req) => ({ items: await service.requestEvents(req.ctx, req.params.id) }),
  );
  app.post(
    '/api/ipam/requests/:id/approve',
    { config: manage, schema: { tags, summary: 'Approve and allocate (chosen subnet / start address, or first fit)', params: idParamsSchema, body: approveSchema, response: { 200: requestSchema } } },
    async (req) => service.approve(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/ipam/requests/:id/reject',
    { config: manage, schema: { tags, summary: 'Reject with a reason', params: idParamsSchema, body: rejectSchema, response: { 200: requestSchema } } },
    async (req) => service.reject(req.ctx, req.params.id, req.body.reason),
  );
  app.post(
    '/api/ipam/requests/:id/cancel',
    { config: request, schema: { tags, summary: 'Withdraw a pending request (the requester)', params: idParamsSchema, response: { 200: requestSchema } } },
    async (req) => service.cancel(req.ctx, req.params.id),
  );

  app.get(
    '/api/ipam/allocations',
    { config: read, schema: { tags, summary: 'Allocations (地址分配) the caller may see', querystring: allocationListQuerySchema, response: { 200: allocationListSchema } } },
    async (req) => service.listAllocations(req.ctx, req.query),
  );
  app.post(
    '/api/ipam/allocations',
    { config: manage, schema: { tags, summary: 'Allocate directly (no request): a count, a prefix length or a chosen CIDR', body: newAllocationSchema, response: { 201: allocationSchema } } },
    async (req, reply) => reply.status(201).send(await service.createAllocation(req.ctx, req.body)),
  );
  app.get(
    '/api/ipam/allocations/export',
    { config: read, schema: { tags, summary: 'The filtered allocations as .xlsx (Chinese headers)', querystring: allocationFilterSchema, produces: [XLSX] } },
    async (req, reply) => {
      const data = await service.exportXlsx(req.ctx, req.query);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', `attachment; filename="ip-allocations.xlsx"; filename*=UTF-8''${encodeURIComponent('IP地址分配.xlsx')}`)
        .header('cache-control', 'no-store')
        .send(data);
    },
  );
  app.get(
    '/api/ipam/allocations/:id',
    { config: read, schema: { tags, summary: 'One allocation', params: idParamsSchema, response: { 200: allocationSchema } } },
    async (req) => service.getAllocation(req.ctx, req.params.id),
  );
  app.post(
    '/api/ipam/allocations/:id/release',
    { config: read, schema: { tags, summary: 'Release an allocation (the holder with ipam:request, or the management unit)', params: idParamsSchema, response: { 200: allocationSchema } } },
    async (req) => service.release(req.ctx, req.params.id),
  );

  app.get(
    '/api/ipam/conflicts',
    { config: read, schema: { tags, summary: 'Addresses the CMDB inventory reports that no allocation covers, or that are allocated to another system', querystring: conflictQuerySchema, response: { 200: conflictListSchema } } },
    async (req) => service.conflicts(req.ctx, req.query),
  );
}
