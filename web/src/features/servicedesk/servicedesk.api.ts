import { api, data, download, qs, request } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Body<T> = T extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
export type TicketList = Json<paths['/api/tickets']['get']['responses'][200]>;
export type Ticket = TicketList['items'][number];
export type TicketDetail = Json<paths['/api/tickets/{id}']['get']['responses'][200]>;
export type NewTicket = Body<paths['/api/tickets']['post']>;
export type TicketAction = Body<paths['/api/tickets/{id}/actions']['post']>;
export type TicketQuery = NonNullable<paths['/api/tickets']['get']['parameters']['query']>;
export type StatisticsRow = Json<paths['/api/tickets/statistics']['get']['responses'][200]>['items'][number];
export type Article = Json<paths['/api/kb/articles']['get']['responses'][200]>['items'][number];
export type NewArticle = Body<paths['/api/kb/articles']['post']>;
export type Announcement = Json<paths['/api/announcements']['get']['responses'][200]>['items'][number];
export type NewAnnouncement = Body<paths['/api/announcements']['post']>;
export type DictionaryTable = Json<paths['/api/dictionary']['get']['responses'][200]>['items'][number];
export type FaultReport = Body<paths['/api/tickets/{id}/fault-report']['put']>;

export const KINDS = ['fault', 'event', 'service_request', 'resource_change', 'security_policy', 'consultation', 'complaint', 'rectification', 'hazard'] as const;
export const STATUSES = ['new', 'assigned', 'in_progress', 'pending', 'resolved', 'closed', 'cancelled'] as const;

export const sdKeys = {
  all: ['servicedesk'] as const,
  list: (q: TicketQuery) => ['servicedesk', 'list', q] as const,
  one: (id: string) => ['servicedesk', 'ticket', id] as const,
  stats: (month: string) => ['servicedesk', 'stats', month] as const,
  kb: (q: string, category?: string) => ['servicedesk', 'kb', q, category ?? ''] as const,
  announcements: (all: boolean) => ['servicedesk', 'announcements', all] as const,
  dictionary: ['servicedesk', 'dictionary'] as const,
  systems: ['servicedesk', 'systems'] as const,
};
const byId = (id: string) => ({ params: { path: { id } } });
const clean = <T extends Record<string, unknown>>(q: T) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;

export const sdApi = {
  list: async (q: TicketQuery) => data(await api.GET('/api/tickets', { params: { query: clean(q) } })),
  get: async (id: string) => data(await api.GET('/api/tickets/{id}', byId(id))),
  create: async (body: NewTicket) => data(await api.POST('/api/tickets', { body })),
  act: async (id: string, body: TicketAction) => data(await api.POST('/api/tickets/{id}/actions', { ...byId(id), body })),
  comment: async (id: string, body: { body: string; visibility: 'public' | 'internal' }) => data(await api.POST('/api/tickets/{id}/comments', { ...byId(id), body })),
  rate: async (id: string, body: { rating: number; comment?: string }) => data(await api.POST('/api/tickets/{id}/rating', { ...byId(id), body })),
  faultReport: async (id: string, body: FaultReport) => data(await api.PUT('/api/tickets/{id}/fault-report', { ...byId(id), body })),
  faultReportPdf: (id: string, no: string) => download(`/api/tickets/${id}/fault-report.pdf`, `故障报告-${no}.pdf`),
  export: (q: TicketQuery) => download(`/api/tickets/export${qs(clean(q) as Record<string, string>)}`, '工单清单.xlsx'),
  statistics: async (month: string) => data(await api.GET('/api/tickets/statistics', { params: { query: { month } } })).items,
  kb: async (q: string, category?: string) => data(await api.GET('/api/kb/articles', { params: { query: clean({ q, category, page: 1, pageSize: 50 }) } })),
  createArticle: async (body: NewArticle) => data(await api.POST('/api/kb/articles', { body })),
  announcements: async (all: boolean) => data(await api.GET('/api/announcements', { params: { query: all ? { all: 'true' } : {} } })).items,
  createAnnouncement: async (body: NewAnnouncement) => data(await api.POST('/api/announcements', { body })),
  markRead: (id: string) => request<void>('POST', `/api/announcements/${id}/read`),
  dictionary: async () => data(await api.GET('/api/dictionary')).items,
  systems: async () => request<{ items: Array<{ id: string; name: string; systemNo: string }> }>('GET', '/api/information-systems?pageSize=100').then((r) => r.items),
};
