import { api, data, download, qs } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Body<Op> = Op extends { requestBody?: infer R } ? Json<NonNullable<R>> : never;

export type CredentialList = Json<paths['/api/ingest/credentials']['get']['responses'][200]>;
export type Credential = CredentialList['items'][number];
export type CredentialInput = Body<paths['/api/ingest/credentials']['post']>;
export type IssuedCredential = Json<paths['/api/ingest/credentials']['post']['responses'][201]>;

export type EventFilter = Omit<NonNullable<paths['/api/ingest/events']['get']['parameters']['query']>, 'page' | 'pageSize'>;
export type EventList = Json<paths['/api/ingest/events']['get']['responses'][200]>;
export type ProviderEvent = EventList['items'][number];

export type QueryEndpoint = Json<paths['/api/ingest/query-endpoints']['get']['responses'][200]>['items'][number];
export type QueryEndpointInput = Body<paths['/api/ingest/query-endpoints']['post']>;
export type QueryEndpointPatch = Body<paths['/api/ingest/query-endpoints/{id}']['patch']>;
export type CreatedEndpoint = Json<paths['/api/ingest/query-endpoints']['post']['responses'][201]>;

export type PollFilter = Omit<NonNullable<paths['/api/ingest/poll-results']['get']['parameters']['query']>, 'page' | 'pageSize'>;
export type PollList = Json<paths['/api/ingest/poll-results']['get']['responses'][200]>;
export type PollResult = PollList['items'][number];

export type CodeTables = Json<paths['/api/ingest/code-tables']['get']['responses'][200]>;
export type CodeTable = CodeTables['tables'][number];
export type CodeValue = CodeTable['values'][number];
export type CodeValueInput = Body<paths['/api/ingest/code-tables/{table}/{code}']['put']>;

export const ingestKeys = {
  credentials: ['ingest-credentials'] as const,
  credentialList: (status: string | undefined, page: number, pageSize: number) => ['ingest-credentials', status, page, pageSize] as const,
  endpoints: ['ingest-query-endpoints'] as const,
  events: ['ingest-events'] as const,
  eventList: (f: EventFilter, page: number, pageSize: number) => ['ingest-events', f, page, pageSize] as const,
  polls: ['ingest-poll-results'] as const,
  pollList: (f: PollFilter, page: number, pageSize: number) => ['ingest-poll-results', f, page, pageSize] as const,
  codeTables: ['ingest-code-tables'] as const,
};

const byId = (id: string) => ({ params: { path: { id } } });

export const credentialsApi = {
  list: async (status: Credential['status'] | undefined, page: number, pageSize: number) =>
    data(await api.GET('/api/ingest/credentials', { params: { query: { ...(status ? { status } : {}), page: String(page), pageSize: String(pageSize) } } })),
  issue: async (body: CredentialInput) => data(await api.POST('/api/ingest/credentials', { body })),
  revoke: async (id: string) => {
    await api.DELETE('/api/ingest/credentials/{id}', byId(id));
  },
};

export const endpointsApi = {
  list: async () => data(await api.GET('/api/ingest/query-endpoints')).items,
  create: async (body: QueryEndpointInput) => data(await api.POST('/api/ingest/query-endpoints', { body })),
  update: async (id: string, body: QueryEndpointPatch) => data(await api.PATCH('/api/ingest/query-endpoints/{id}', { ...byId(id), body })),
  rotate: async (id: string) => data(await api.POST('/api/ingest/query-endpoints/{id}/secret', byId(id))),
  pollNow: async (id: string) => data(await api.POST('/api/ingest/query-endpoints/{id}/poll', byId(id))),
  remove: async (id: string) => {
    await api.DELETE('/api/ingest/query-endpoints/{id}', byId(id));
  },
};

export const eventsApi = {
  list: async (f: EventFilter, page: number, pageSize: number) =>
    data(await api.GET('/api/ingest/events', { params: { query: { ...f, page: String(page), pageSize: String(pageSize) } } })),
  /** Downloads the matching events as .xlsx; the server names the file. */
  export: (f: EventFilter): Promise<void> => download(`/api/ingest/events/export${qs({ ...f })}`, 'provider-events.xlsx'),
  acknowledge: async (id: string, note: string | null) => data(await api.POST('/api/ingest/events/{id}/acknowledge', { ...byId(id), body: { note } })),
  polls: async (f: PollFilter, page: number, pageSize: number) =>
    data(await api.GET('/api/ingest/poll-results', { params: { query: { ...f, page: String(page), pageSize: String(pageSize) } } })),
};

export const codeTablesApi = {
  list: async () => data(await api.GET('/api/ingest/code-tables')),
  put: async (table: string, code: string, body: CodeValueInput) =>
    data(await api.PUT('/api/ingest/code-tables/{table}/{code}', { params: { path: { table, code } }, body })),
  deactivate: async (table: string, code: string) => data(await api.DELETE('/api/ingest/code-tables/{table}/{code}', { params: { path: { table, code } } })),
};
