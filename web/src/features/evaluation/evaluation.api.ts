import { api, data, download, qs } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Formula = Json<paths['/api/evaluation/formulas']['get']['responses'][200]>['items'][number];
export type EfficiencyList = Json<paths['/api/evaluation/efficiency']['get']['responses'][200]>;
export type EfficiencyRow = EfficiencyList['items'][number];
export type Advice = Json<paths['/api/evaluation/advice']['get']['responses'][200]>['items'][number];
export type IndicatorSet = Json<paths['/api/evaluation/indicator-sets']['get']['responses'][200]>['items'][number];
export type Run = Json<paths['/api/evaluation/runs']['get']['responses'][200]>['items'][number];
export type RunDetail = Json<paths['/api/evaluation/runs/{id}']['get']['responses'][200]>;
export type ProviderScore = RunDetail['scores'][number];
export type Overview = Json<paths['/api/evaluation/overview']['get']['responses'][200]>;
export type Weights = Formula['weights'];
export type Quarter = Json<paths['/api/evaluation/quarters']['get']['responses'][200]>;
export type QuarterRow = Quarter['items'][number];

export const evaluationKeys = {
  all: ['evaluation'] as const,
  formulas: ['evaluation', 'formulas'] as const,
  months: ['evaluation', 'months'] as const,
  efficiency: (month: string, level: string) => ['evaluation', 'efficiency', month, level] as const,
  advice: (month: string, status: string) => ['evaluation', 'advice', month, status] as const,
  sets: ['evaluation', 'sets'] as const,
  runs: (month: string) => ['evaluation', 'runs', month] as const,
  run: (id: string) => ['evaluation', 'run', id] as const,
  overview: (month: string) => ['evaluation', 'overview', month] as const,
  quarter: (quarter: string, setCode: string) => ['evaluation', 'quarter', quarter, setCode] as const,
};

const byId = (id: string) => ({ params: { path: { id } } });

export const evaluationApi = {
  formulas: async () => data(await api.GET('/api/evaluation/formulas')).items,
  createFormula: async (weights: Weights, note: string | null) => data(await api.POST('/api/evaluation/formulas', { body: { weights, note } })),
  compute: async (month: string) => data(await api.POST('/api/evaluation/efficiency/compute', { body: { month } })),
  months: async () => data(await api.GET('/api/evaluation/efficiency/months')).items,
  efficiency: async (month: string, level: 'unit' | 'system') => data(await api.GET('/api/evaluation/efficiency', { params: { query: { month, level } } })),
  exportEfficiency: (month: string, level: string) => download(`/api/evaluation/efficiency/export${qs({ month, level })}`, `云效率-${month}.xlsx`),
  advice: async (month: string, status?: Advice['status']) => data(await api.GET('/api/evaluation/advice', { params: { query: status ? { month, status } : { month } } })).items,
  exportAdvice: (month: string) => download(`/api/evaluation/advice/export${qs({ month })}`, `资源优化建议-${month}.xlsx`),
  accept: async (id: string) => data(await api.POST('/api/evaluation/advice/{id}/accept', byId(id))),
  dismiss: async (id: string, reason: string) => data(await api.POST('/api/evaluation/advice/{id}/dismiss', { ...byId(id), body: { reason } })),
  sets: async () => data(await api.GET('/api/evaluation/indicator-sets')).items,
  manualScore: async (body: { setId: string; month: string; providerId: string; indicatorCode: string; score: number; evidence: string }) => data(await api.PUT('/api/evaluation/manual-scores', { body })),
  run: async (setId: string, month: string) => data(await api.POST('/api/evaluation/runs', { body: { setId, month } })),
  runs: async (month: string) => data(await api.GET('/api/evaluation/runs', { params: { query: { month } } })).items,
  runDetail: async (id: string) => data(await api.GET('/api/evaluation/runs/{id}', byId(id))),
  review: async (id: string, comment: string | null) => data(await api.POST('/api/evaluation/runs/{id}/review', { ...byId(id), body: { comment } })),
  publish: async (id: string) => data(await api.POST('/api/evaluation/runs/{id}/publish', byId(id))),
  exportRun: (id: string) => download(`/api/evaluation/runs/${id}/export`, 'provider-evaluation.xlsx'),
  overview: async (month: string) => data(await api.GET('/api/evaluation/overview', { params: { query: { month } } })),
  due: async (month: string) => data(await api.GET('/api/evaluation/reports/due', { params: { query: { month } } })),
  figures: async (month: string) => data(await api.GET('/api/evaluation/reports/monthly/figures', { params: { query: { month } } })),
  report: (month: string, format: 'docx' | 'pdf') => download(`/api/evaluation/reports/monthly${qs({ month, format })}`, `综合监管月报-${month}.${format}`),
  quarter: async (quarter: string, setCode?: string) => data(await api.GET('/api/evaluation/quarters', { params: { query: setCode ? { quarter, setCode } : { quarter } } })),
  quarterReport: (quarter: string, format: 'docx' | 'pdf', setCode?: string) =>
    download(`/api/evaluation/reports/quarterly${qs({ quarter, setCode, format })}`, `云服务商季度评估-${quarter}.${format}`),
};

/** The last finished quarter (Asia/Shanghai), YYYY-Qn: the quarter shown by default in 季评. */
export function previousQuarter(now = new Date()): string {
  const local = new Date(now.getTime() + 8 * 3_600_000);
  const q = Math.floor(local.getUTCMonth() / 3) + 1;
  return q === 1 ? `${local.getUTCFullYear() - 1}-Q4` : `${local.getUTCFullYear()}-Q${q - 1}`;
}

/** The `count` quarters up to and including `last` (YYYY-Qn), newest first. */
export function quartersBefore(last: string, count: number): string[] {
  const [y, q] = [Number(last.slice(0, 4)), Number(last.slice(6))];
  return Array.from({ length: count }, (_, i) => {
    const idx = y * 4 + (q - 1) - i;
    return `${Math.floor(idx / 4)}-Q${(idx % 4) + 1}`;
  });
}

/** The previous month (Asia/Shanghai), YYYY-MM: the month evaluated by default. */
export function previousMonth(now = new Date()): string {
  const local = new Date(now.getTime() + 8 * 3_600_000);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}
