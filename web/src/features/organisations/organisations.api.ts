import { api, data, download } from '../../api/client';
import type { OrgKind, OrganisationInput, OrganisationPatch } from '../../api/types';

export const ORG_KINDS: OrgKind[] = ['management_unit', 'supervision_provider', 'cloud_provider', 'user_unit', 'external_data_user'];

export interface OrgFilter {
  kind?: OrgKind;
  q?: string;
  parentId?: string;
  page: number;
  pageSize: number;
}

export const orgKeys = {
  all: ['organisations'] as const,
  tree: () => ['organisations', 'tree'] as const,
  detail: (id: string) => ['organisations', 'detail', id] as const,
  history: (id: string) => ['organisations', 'history', id] as const,
  list: (f: OrgFilter) => ['organisations', 'list', f] as const,
};

export const orgApi = {
  get: async (id: string) => data(await api.GET('/api/organisations/{id}', { params: { path: { id } } })),
  history: async (id: string) => data(await api.GET('/api/organisations/{id}/history', { params: { path: { id } } })).items,
  tree: async () => data(await api.GET('/api/organisations/tree')).items,
  list: async (f: OrgFilter) =>
    data(await api.GET('/api/organisations', { params: { query: { ...f, page: String(f.page), pageSize: String(f.pageSize) } } })),
  create: async (body: OrganisationInput) => data(await api.POST('/api/organisations', { body })),
  update: async (id: string, body: OrganisationPatch) => data(await api.PATCH('/api/organisations/{id}', { params: { path: { id } }, body })),
  /** Creates units from an .xlsx (base64); all rows valid or nothing saved, unless validRowsOnly. */
  import: async (file: string, validRowsOnly: boolean) => data(await api.POST('/api/organisations/import', { body: { file, validRowsOnly } })),
  /** Downloads the visible units as .xlsx. */
  export: (fileName: string) => download('/api/organisations/export', fileName),
};
