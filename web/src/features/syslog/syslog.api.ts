import { api, data } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Body<Op> = Op extends { requestBody?: infer R } ? Json<NonNullable<R>> : never;

export type SourceList = Json<paths['/api/syslog/sources']['get']['responses'][200]>;
export type SyslogSource = SourceList['items'][number];
export type SourceInput = Body<paths['/api/syslog/sources']['post']>;
export type SourcePatch = Body<paths['/api/syslog/sources/{id}']['patch']>;
export type ReceiverStatus = Json<paths['/api/syslog/status']['get']['responses'][200]>;
export type UnknownSender = ReceiverStatus['unknownSenders'][number];

export const syslogKeys = {
  all: ['syslog'] as const,
  sources: (q?: string) => ['syslog', 'sources', q ?? ''] as const,
  status: ['syslog', 'status'] as const,
};

const byId = (id: string) => ({ params: { path: { id } } });

export const syslogApi = {
  sources: async (q?: string): Promise<SourceList> => data(await api.GET('/api/syslog/sources', { params: { query: q ? { q } : {} } })),
  create: async (body: SourceInput) => data(await api.POST('/api/syslog/sources', { body })),
  update: async (id: string, body: SourcePatch) => data(await api.PATCH('/api/syslog/sources/{id}', { ...byId(id), body })),
  remove: async (id: string): Promise<void> => {
    await api.DELETE('/api/syslog/sources/{id}', byId(id));
  },
  status: async (): Promise<ReceiverStatus> => data(await api.GET('/api/syslog/status')),
};
