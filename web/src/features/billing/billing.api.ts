import { api, data } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type BillList = Json<paths['/api/billing/bills']['get']['responses'][200]>;
export type Bill = BillList['items'][number];
export type BillDetail = Json<paths['/api/billing/bills/{id}']['get']['responses'][200]>;
export type BillLine = BillDetail['lines'][number];
export type UsageList = Json<paths['/api/billing/bills/{id}/lines/{lineId}/usage']['get']['responses'][200]>;
export type Reconciliation = Json<paths['/api/billing/bills/{id}/reconciliation']['get']['responses'][200]>;
export type Overview = Json<paths['/api/billing/overview']['get']['responses'][200]>;
export type BillQuery = NonNullable<paths['/api/billing/bills']['get']['parameters']['query']>;
export type OverviewQuery = NonNullable<paths['/api/billing/overview']['get']['parameters']['query']>;
export const BILL_STATUSES = ['draft', 'provider_confirmed', 'unit_confirmed', 'locked'] as const;
export const GROUP_BYS = ['provider', 'unit', 'node', 'system', 'item', 'month'] as const;

export const billingKeys = {
  all: ['billing'] as const,
  list: (q: BillQuery) => ['billing', 'bills', q] as const,
  detail: (id: string) => ['billing', 'bill', id] as const,
  usage: (id: string, lineId: string, page: number) => ['billing', 'usage', id, lineId, page] as const,
  reconciliation: (id: string) => ['billing', 'reconciliation', id] as const,
  overview: (q: OverviewQuery) => ['billing', 'overview', q] as const,
};

const clean = <T extends Record<string, unknown>>(q: T) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;

/** Reads a file as base64 (without the data: prefix). */
export async function fileToBase64(file: File): Promise<string> {
  const buf = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(bin);
}

export const billingApi = {
  list: async (q: BillQuery) => data(await api.GET('/api/billing/bills', { params: { query: clean(q) } })),
  get: async (id: string) => data(await api.GET('/api/billing/bills/{id}', { params: { path: { id } } })),
  usage: async (id: string, lineId: string, page: number) =>
    data(await api.GET('/api/billing/bills/{id}/lines/{lineId}/usage', { params: { path: { id, lineId }, query: { page: String(page) } } })),
  reconciliation: async (id: string) => data(await api.GET('/api/billing/bills/{id}/reconciliation', { params: { path: { id } } })),
  overview: async (q: OverviewQuery) => data(await api.GET('/api/billing/overview', { params: { query: clean(q) } })),
  confirm: async (id: string) => data(await api.POST('/api/billing/bills/{id}/confirm', { params: { path: { id } } })),
  lock: async (id: string) => data(await api.POST('/api/billing/bills/{id}/lock', { params: { path: { id } } })),
  dispute: async (id: string, comment: string, attachments: Array<{ fileName: string; contentBase64: string }>) =>
    data(await api.POST('/api/billing/bills/{id}/disputes', { params: { path: { id } }, body: { comment, ...(attachments.length ? { attachments } : {}) } })),
  resolve: async (id: string, disputeId: string, resolution: string) =>
    data(await api.POST('/api/billing/bills/{id}/disputes/{disputeId}/resolve', { params: { path: { id, disputeId } }, body: { resolution } })),
  run: async (month: string) => data(await api.POST('/api/billing/runs', { body: { month } })),
  adjust: async (lockedBillId: string, amount: string, reason: string) => data(await api.POST('/api/billing/adjustments', { body: { lockedBillId, amount, reason } })),
  attachmentUrl: (id: string, attachmentId: string) => `/api/billing/bills/${id}/attachments/${attachmentId}`,
};
