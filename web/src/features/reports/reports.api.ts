import { api, data, download } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Dataset = Json<paths['/api/reports/datasets']['get']['responses'][200]>['items'][number];
export type Definition = Json<paths['/api/reports/definitions']['get']['responses'][200]>['items'][number];
export type DefinitionInput = NonNullable<paths['/api/reports/definitions']['post']['requestBody']>['content']['application/json'];
export type ReportResult = Json<paths['/api/reports/preview']['post']['responses'][200]>;
export type ReportRun = Json<paths['/api/reports/definitions/{id}/runs']['get']['responses'][200]>['items'][number];
export type Schedule = Definition['schedule'];

export const reportKeys = {
  all: ['reports'] as const,
  datasets: ['reports', 'datasets'] as const,
  definitions: ['reports', 'definitions'] as const,
  runs: (id: string) => ['reports', 'runs', id] as const,
};

const byId = (id: string) => ({ params: { path: { id } } });

/** 报表管理: datasets, saved definitions (the caller's own), preview, signed .xlsx, scheduled runs. */
export const reportsApi = {
  datasets: async () => data(await api.GET('/api/reports/datasets')).items,
  definitions: async () => data(await api.GET('/api/reports/definitions')).items,
  create: async (body: DefinitionInput) => data(await api.POST('/api/reports/definitions', { body })),
  update: async (id: string, body: DefinitionInput) => data(await api.PUT('/api/reports/definitions/{id}', { ...byId(id), body })),
  remove: async (id: string) => { await api.DELETE('/api/reports/definitions/{id}', byId(id)); },
  preview: async (body: DefinitionInput) => data(await api.POST('/api/reports/preview', { body })),
  runs: async (id: string) => data(await api.GET('/api/reports/definitions/{id}/runs', byId(id))).items,
  /** Runs the saved report now and downloads its signed .xlsx. */
  exportXlsx: (d: Pick<Definition, 'id' | 'name'>) => download(`/api/reports/definitions/${d.id}/export`, `${d.name}.xlsx`),
  runFile: (r: Pick<ReportRun, 'id' | 'filename'>) => download(`/api/reports/runs/${r.id}/file`, r.filename),
};
