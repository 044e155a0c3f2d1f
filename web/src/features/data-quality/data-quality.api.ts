import { api, data, download, qs } from '../../api/client';
import type { paths } from '../../api/schema';

export type Summary = paths['/api/data-quality/summary']['get']['responses'][200]['content']['application/json'];
export type ProviderSummary = Summary['providers'][number];
export type TableSummary = ProviderSummary['tables'][number];
export type Heat = paths['/api/data-quality/heat']['get']['responses'][200]['content']['application/json'];
export type HeatCell = Heat['cells'][number];
export type DailyList = paths['/api/data-quality/daily']['get']['responses'][200]['content']['application/json'];

export interface Range {
  from: string;
  to: string;
}

export const qualityKeys = {
  all: ['data-quality'] as const,
  summary: (r: Range) => ['data-quality', 'summary', r.from, r.to] as const,
  heat: (provider: string, r: Range) => ['data-quality', 'heat', provider, r.from, r.to] as const,
};

export const qualityApi = {
  summary: async (r: Range): Promise<Summary> => data(await api.GET('/api/data-quality/summary', { params: { query: { from: r.from, to: r.to } } })),
  heat: async (provider: string, r: Range): Promise<Heat> =>
    data(await api.GET('/api/data-quality/heat', { params: { query: { provider, from: r.from, to: r.to } } })),
  /** The period as .xlsx (providers, provider × table, daily rows); the server names the file. */
  export: (r: Range, provider?: string): Promise<void> => download(`/api/data-quality/export${qs({ from: r.from, to: r.to, provider })}`, 'data-quality.xlsx'),
};
