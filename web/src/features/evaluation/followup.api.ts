import { api, data, download } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Objection = Json<paths['/api/evaluation/objections/{id}']['get']['responses'][200]>;
export type Rectification = Json<paths['/api/evaluation/rectifications/{id}']['get']['responses'][200]>;
export type AnnualRating = Json<paths['/api/evaluation/annual']['get']['responses'][200]>['items'][number];
export type AnnualDetail = Json<paths['/api/evaluation/annual/{id}']['get']['responses'][200]>;
export type GradeScale = Json<paths['/api/evaluation/annual/grade-scales']['get']['responses'][200]>['items'][number];
export type Assessment = Json<paths['/api/evaluation/assessments/{id}']['get']['responses'][200]>;
export type AssessmentItems = Json<paths['/api/evaluation/assessments/items']['get']['responses'][200]>;
export type Evidence = { fileName: string; contentBase64: string } | null;

export const followUpKeys = {
  objections: ['evaluation', 'objections'] as const,
  rectifications: (overdue: boolean) => ['evaluation', 'rectifications', overdue] as const,
  annual: ['evaluation', 'annual'] as const,
  annualDetail: (id: string) => ['evaluation', 'annual', id] as const,
  scales: ['evaluation', 'annual', 'scales'] as const,
  assessments: (overdue: boolean) => ['evaluation', 'assessments', overdue] as const,
  items: ['evaluation', 'assessments', 'items'] as const,
};

const byId = (id: string) => ({ params: { path: { id } } });

/** A browser file as base64 (evidence uploads travel in the JSON body). */
export function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1] ?? '');
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

export const followUpApi = {
  publishedRuns: async () => data(await api.GET('/api/evaluation/runs', { params: { query: {} } })).items.filter((r) => r.status === 'published'),
  objections: async () => data(await api.GET('/api/evaluation/objections', { params: { query: {} } })).items,
  fileObjection: async (body: { runId: string; indicatorCode?: string | null; reason: string; evidence?: Evidence }) => data(await api.POST('/api/evaluation/objections', { body })),
  acceptObjection: async (id: string, body: { comment?: string | null; revisions: Array<{ indicatorCode: string; score: number; evidence: string }> }) => data(await api.POST('/api/evaluation/objections/{id}/accept', { ...byId(id), body })),
  rejectObjection: async (id: string, comment: string) => data(await api.POST('/api/evaluation/objections/{id}/reject', { ...byId(id), body: { comment } })),
  objectionEvidence: (o: Objection) => download(`/api/evaluation/objections/${o.id}/evidence`, o.evidence?.name ?? 'evidence'),

  rectifications: async (overdue: boolean) => data(await api.GET('/api/evaluation/rectifications', { params: { query: overdue ? { overdue: 'true' } : {} } })).items,
  generate: async (body: { runId: string; threshold: number; deadline: string }) => data(await api.POST('/api/evaluation/rectifications/generate', { body })),
  raiseRectification: async (body: { runId: string; providerId: string; indicatorCode: string; requirement: string; deadline: string }) => data(await api.POST('/api/evaluation/rectifications', { body })),
  replyRectification: async (id: string, reply: string, evidence: Evidence) => data(await api.POST('/api/evaluation/rectifications/{id}/reply', { ...byId(id), body: { reply, evidence } })),
  verifyRectification: async (id: string, outcome: 'verified' | 'returned', comment: string | null) => data(await api.POST('/api/evaluation/rectifications/{id}/verify', { ...byId(id), body: { outcome, comment } })),
  rectificationEvidence: (r: Rectification) => download(`/api/evaluation/rectifications/${r.id}/evidence`, r.evidence?.name ?? 'evidence'),

  annual: async () => data(await api.GET('/api/evaluation/annual', { params: { query: {} } })).items,
  annualDetail: async (id: string) => data(await api.GET('/api/evaluation/annual/{id}', byId(id))),
  computeAnnual: async (year: number, setCode: string) => data(await api.POST('/api/evaluation/annual', { body: { year, setCode } })),
  /** The 年度评级报告 as .docx or SM2-signed PDF (a provider: a published rating, its own part). */
  annualReport: (d: { id: string; year: number; setCode: string; revision: number }, format: 'docx' | 'pdf') => download(`/api/evaluation/annual/${d.id}/report?format=${format}`, `云服务商年度评级-${d.year}-${d.setCode}-r${d.revision}.${format}`),
  reviewAnnual: async (id: string) => data(await api.POST('/api/evaluation/annual/{id}/review', { ...byId(id), body: {} })),
  publishAnnual: async (id: string) => data(await api.POST('/api/evaluation/annual/{id}/publish', byId(id))),
  scales: async () => data(await api.GET('/api/evaluation/annual/grade-scales')).items,
  createScale: async (grades: Array<{ grade: string; min: number }>, note: string | null) => data(await api.POST('/api/evaluation/annual/grade-scales', { body: { grades, note } })),

  assessments: async (overdue: boolean) => data(await api.GET('/api/evaluation/assessments', { params: { query: overdue ? { overdue: 'true' } : {} } })).items,
  items: async () => data(await api.GET('/api/evaluation/assessments/items')),
  recordAssessment: async (body: paths['/api/evaluation/assessments']['post']['requestBody']['content']['application/json']) => data(await api.POST('/api/evaluation/assessments', { body })),
  reportRectification: async (id: string, reply: string, evidence: Evidence) => data(await api.POST('/api/evaluation/assessments/{id}/rectification', { ...byId(id), body: { reply, evidence } })),
  assessmentEvidence: (a: Assessment) => download(`/api/evaluation/assessments/${a.id}/evidence`, a.evidence?.name ?? 'evidence'),
};
