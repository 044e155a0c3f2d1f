import { api, data, download, qs } from '../../api/client';
import type { paths } from '../../api/schema';

export type Summary = paths['/api/data-quality/summary']['get']['responses'][200]['content']['application/json'];
export type ProviderSummary = Summary['providers'][number];
export type TableSummary = ProviderSummary['tables'][number];
export type Heat = paths['/api/data-quality/heat']['get']['responses'][200]['content']['application/json'];
export type HeatCell = Heat['cells'][number];
export type Expectations = paths['/api/data-quality/expectations']['get']['responses'][200]['content']['application/json'];
export type DailyList = paths['/api/data-quality/daily']['get']['responses'][200]['content']['application/json'];

type ExpectationInput = paths['/api/data-quality/expectations']['put']['requestBody']['content']['application/json'];
export type TableName = ExpectationInput['tableName'];

export interface Range {
  from: string;
  to: string;
}

export const qualityKeys = {
  all: ['data-quality'] as const,
  summary: (r: Range) => ['data-quality', 'summary', r.from, r.to] as const,
  heat: (provider: string, r: Range) => ['data-quality', 'heat', provider, r.from, r.to] as const,
  expectations: (provider: string) => ['data-quality', 'expectations', provider] as const,
};

export const qualityApi = {
  summary: async (r: Range): Promise<Summary> => data(await api.GET('/api/data-quality/summary', { params: { query: { from: r.from, to: r.to } } })),
  heat: async (provider: string, r: Range): Promise<Heat> =>
    data(await api.GET('/api/data-quality/heat', { params: { query: { provider, from: r.from, to: r.to } } })),
  expectations: async (provider: string): Promise<Expectations> =>
    data(await api.GET('/api/data-quality/expectations', { params: { query: { provider } } })),
  /** Makes a table mandatory or optional for every node of a provider (management unit, ingest:config). */
  setMandatory: async (providerOrgId: string, tableName: TableName, mandatory: boolean): Promise<void> => {
    data(await api.PUT('/api/data-quality/expectations', { body: { providerOrgId, nodeId: null, tableName, mandatory } }));
  },
  /** Recomputes one day now (the job does today and yesterday every 15 minutes). */
  compute: async (day: string): Promise<void> => {
    data(await api.POST('/api/data-quality/compute', { body: { day } }));
  },
  /** The period as .xlsx (providers, provider × table, daily rows); the server names the file. */
  export: (r: Range, provider?: string): Promise<void> => download(`/api/data-quality/export${qs({ from: r.from, to: r.to, provider })}`, 'data-quality.xlsx'),
};
