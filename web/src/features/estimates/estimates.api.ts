import { api, data, download } from '../../api/client';
import type { components, paths } from '../../api/schema';

export type Estimate = components['schemas']['Estimate'];
export type EstimateDetail = components['schemas']['EstimateDetail'];
export type EstimateResult = components['schemas']['EstimateResult'];
export type EstimateInput = paths['/api/estimates']['post']['requestBody']['content']['application/json'];
export type EstimateLine = EstimateInput['lines'][number];
export type EstimateImport = paths['/api/estimates/import']['post']['requestBody']['content']['application/json'];

export const estimateKeys = {
  all: ['estimates'] as const,
  list: ['estimates', 'list'] as const,
  detail: (id: string) => ['estimates', 'detail', id] as const,
};

const path = (id: string) => ({ params: { path: { id } } });

export const estimatesApi = {
  list: async () => data(await api.GET('/api/estimates')),
  get: async (id: string) => data(await api.GET('/api/estimates/{id}', path(id))),
  preview: async (body: EstimateInput) => data(await api.POST('/api/estimates/preview', { body })),
  create: async (body: EstimateInput) => data(await api.POST('/api/estimates', { body })),
  update: async (id: string, body: EstimateInput) => data(await api.PUT('/api/estimates/{id}', { ...path(id), body })),
  remove: async (id: string) => data(await api.DELETE('/api/estimates/{id}', path(id))),
  import: async (body: EstimateImport) => data(await api.POST('/api/estimates/import', { body })),
  /** Downloads the estimate as .xlsx. */
  export: (id: string, fileName: string) => download(`/api/estimates/${encodeURIComponent(id)}/export`, fileName),
};

/** A File's bytes as base64 (no data: prefix). */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}
