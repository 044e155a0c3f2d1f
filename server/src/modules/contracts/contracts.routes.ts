import { z } from 'zod';
import type { App } from '../../platform/http/server.js';
import {
  budgetInputSchema,
  budgetListQuerySchema,
  budgetSchema,
  contractDetailSchema,
  contractInputSchema,
  contractListQuerySchema,
  contractSchema,
  idParamsSchema,
  warningListQuerySchema,
  warningRunSchema,
  warningSchema,
} from './contracts.schemas.js';
import type { ContractsService } from './contracts.service.js';

const tags = ['contracts'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function registerContractRoutes(app: App, service: ContractsService): void {
  app.get(
    '/api/contracts',
    { config: { permission: 'contract:read' }, schema: { tags, summary: 'Contracts the caller may see (own unit, own provider, or all for the management unit) with their consumption', querystring: contractListQuerySchema, response: { 200: z.object({ items: z.array(contractSchema) }) } } },
    async (request) => ({ items: await service.listContracts(request.ctx, request.query) }),
  );
  app.post(
    '/api/contracts',
    { config: { permission: 'contract:write' }, schema: { tags, summary: 'Register a contract; the milestones must add up to exactly 100%', body: contractInputSchema, response: { 201: contractDetailSchema } } },
    async (request, reply) => reply.status(201).send(await service.createContract(request.ctx, request.body)),
  );
  app.get(
    '/api/contracts/:id',
    { config: { permission: 'contract:read' }, schema: { tags, summary: 'One contract: payment schedule with exact and uppercase amounts, monthly burn-down, current warnings', params: idParamsSchema, response: { 200: contractDetailSchema } } },
    async (request) => service.getContract(request.ctx, request.params.id),
  );
  app.put(
    '/api/contracts/:id',
    { config: { permission: 'contract:write' }, schema: { tags, summary: 'Replace a contract (particulars, systems, milestones, status)', params: idParamsSchema, body: contractInputSchema, response: { 200: contractDetailSchema } } },
    async (request) => service.updateContract(request.ctx, request.params.id, request.body),
  );
  app.delete(
    '/api/contracts/:id',
    { config: { permission: 'contract:write' }, schema: { tags, summary: 'Delete a draft contract', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await service.deleteContract(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/contracts/:id/export',
    { config: { permission: 'contract:read' }, schema: { tags, summary: 'Contract summary and payment schedule as .xlsx (Chinese headers, totals, uppercase amounts)', params: idParamsSchema, produces: [XLSX] } },
    async (request, reply) => {
      const { contract, data } = await service.exportContract(request.ctx, request.params.id);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', `attachment; filename="contract.xlsx"; filename*=UTF-8''${encodeURIComponent(`合同概要-${contract.contractNo}.xlsx`)}`)
        .header('cache-control', 'no-store')
        .send(data);
    },
  );
  app.get(
    '/api/contract-warnings',
    { config: { permission: ['contract:read', 'budget:read'] }, schema: { tags, summary: 'Warnings of the contracts and budgets the caller may see (80% / 100% consumed, milestones due or overdue)', querystring: warningListQuerySchema, response: { 200: z.object({ items: z.array(warningSchema) }) } } },
    async (request) => ({ items: await service.listWarnings(request.ctx, request.query.all === 'true') }),
  );
  app.post(
    '/api/contract-warnings/refresh',
    {
      config: { permission: 'contract:write' },
      schema: { tags, summary: 'Management unit: copy the bills into the consumption and recompute every warning now (what the daily job does)', response: { 200: warningRunSchema.extend({ synced: z.object({ months: z.number().int(), bills: z.number().int(), rows: z.number().int() }) }) } },
    },
    async (request) => service.refresh(request.ctx),
  );
  app.get(
    '/api/budgets',
    { config: { permission: 'budget:read' }, schema: { tags, summary: 'Fiscal-year budgets the caller may see with their consumption and monthly burn-down', querystring: budgetListQuerySchema, response: { 200: z.object({ items: z.array(budgetSchema) }) } } },
    async (request) => ({ items: await service.listBudgets(request.ctx, request.query) }),
  );
  app.post(
    '/api/budgets',
    { config: { permission: 'budget:write' }, schema: { tags, summary: "Set a unit's fiscal-year budget (optionally for one information system)", body: budgetInputSchema, response: { 201: budgetSchema } } },
    async (request, reply) => reply.status(201).send(await service.createBudget(request.ctx, request.body)),
  );
  app.put(
    '/api/budgets/:id',
    { config: { permission: 'budget:write' }, schema: { tags, summary: 'Change a budget', params: idParamsSchema, body: budgetInputSchema, response: { 200: budgetSchema } } },
    async (request) => service.updateBudget(request.ctx, request.params.id, request.body),
  );
  app.delete(
    '/api/budgets/:id',
    { config: { permission: 'budget:write' }, schema: { tags, summary: 'Delete a budget', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await service.deleteBudget(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
