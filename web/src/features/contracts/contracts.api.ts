import { api, data, download } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Contract = Json<paths['/api/contracts']['get']['responses'][200]>['items'][number];
export type ContractDetail = Json<paths['/api/contracts/{id}']['get']['responses'][200]>;
export type ContractInput = paths['/api/contracts']['post']['requestBody']['content']['application/json'];
export type ContractQuery = NonNullable<paths['/api/contracts']['get']['parameters']['query']>;
export type Budget = Json<paths['/api/budgets']['get']['responses'][200]>['items'][number];
export type BudgetInput = paths['/api/budgets']['post']['requestBody']['content']['application/json'];
export type Warning = Json<paths['/api/contract-warnings']['get']['responses'][200]>['items'][number];

export const CONTRACT_STATUSES = ['draft', 'active', 'closed'] as const;

export const contractKeys = {
  all: ['contracts'] as const,
  list: (q: ContractQuery) => ['contracts', 'list', q] as const,
  detail: (id: string) => ['contracts', 'detail', id] as const,
  budgets: (fiscalYear?: number) => ['contracts', 'budgets', fiscalYear ?? null] as const,
  warnings: ['contracts', 'warnings'] as const,
};

const clean = <T extends Record<string, unknown>>(q: T) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;
const path = (id: string) => ({ params: { path: { id } } });

export const contractsApi = {
  list: async (q: ContractQuery) => data(await api.GET('/api/contracts', { params: { query: clean(q) } })),
  get: async (id: string) => data(await api.GET('/api/contracts/{id}', path(id))),
  create: async (body: ContractInput) => data(await api.POST('/api/contracts', { body })),
  update: async (id: string, body: ContractInput) => data(await api.PUT('/api/contracts/{id}', { ...path(id), body })),
  remove: async (id: string) => data(await api.DELETE('/api/contracts/{id}', path(id))),
  export: (id: string, fileName: string) => download(`/api/contracts/${id}/export`, fileName),
  warnings: async () => data(await api.GET('/api/contract-warnings', { params: { query: {} } })),
  /** Management unit: copy the bills and recompute the warnings now. */
  refresh: async () => data(await api.POST('/api/contract-warnings/refresh')),
  budgets: async (fiscalYear?: number) => data(await api.GET('/api/budgets', { params: { query: clean({ fiscalYear }) } })),
  createBudget: async (body: BudgetInput) => data(await api.POST('/api/budgets', { body })),
  updateBudget: async (id: string, body: BudgetInput) => data(await api.PUT('/api/budgets/{id}', { ...path(id), body })),
  removeBudget: async (id: string) => data(await api.DELETE('/api/budgets/{id}', path(id))),
};
