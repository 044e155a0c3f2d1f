import { api, data, download, qs } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type ReportKind = 'monthly' | 'quarterly';
export type ReportTemplate = Json<paths['/api/evaluation/report-templates/{kind}']['get']['responses'][200]>['items'][number];
export type TemplateInput = NonNullable<paths['/api/evaluation/report-templates/{kind}']['post']['requestBody']>['content']['application/json'];
export type GeneratedReport = Json<paths['/api/evaluation/generated-reports']['get']['responses'][200]>['items'][number];

export const reportKeys = {
  templates: (kind: ReportKind) => ['evaluation', 'report-templates', kind] as const,
  reports: (kind?: ReportKind, period?: string) => ['evaluation', 'generated-reports', kind ?? '', period ?? ''] as const,
};

const byId = (id: string) => ({ params: { path: { id } } });

/** Report templates and generated 月报 / 季评 (review and publication). */
export const reportsApi = {
  templates: async (kind: ReportKind) => data(await api.GET('/api/evaluation/report-templates/{kind}', { params: { path: { kind } } })).items,
  saveTemplate: async (kind: ReportKind, body: TemplateInput) => data(await api.POST('/api/evaluation/report-templates/{kind}', { params: { path: { kind } }, body })),
  list: async (kind?: ReportKind, period?: string) => data(await api.GET('/api/evaluation/generated-reports', { params: { query: { ...(kind ? { kind } : {}), ...(period ? { period } : {}) } } })).items,
  generate: async (kind: ReportKind, period: string, setCode?: string | null) => data(await api.POST('/api/evaluation/generated-reports', { body: { kind, period, ...(setCode ? { setCode } : {}) } })),
  submit: async (id: string) => data(await api.POST('/api/evaluation/generated-reports/{id}/submit', byId(id))),
  publish: async (id: string, comment: string | null) => data(await api.POST('/api/evaluation/generated-reports/{id}/publish', { ...byId(id), body: { comment } })),
  returnToDraft: async (id: string, comment: string) => data(await api.POST('/api/evaluation/generated-reports/{id}/return', { ...byId(id), body: { comment } })),
  document: (r: Pick<GeneratedReport, 'id' | 'kind' | 'period' | 'revision'>, format: 'docx' | 'pdf') =>
    download(`/api/evaluation/generated-reports/${r.id}/document${qs({ format })}`, `${r.kind === 'monthly' ? '综合监管月报' : '云服务商季评'}-${r.period}-r${r.revision}.${format}`),
};
