import { api, data } from '../../api/client';
import type { RoleInput, RolePatch } from '../../api/types';

export const roleKeys = {
  all: ['roles'] as const,
  list: (orgId?: string) => ['roles', 'list', orgId ?? ''] as const,
  permissions: ['permissions'] as const,
};

export const rolesApi = {
  /** All visible roles, or (with `usableIn`) those an account of that organisation can hold. */
  list: async (usableIn?: string) =>
    data(await api.GET('/api/roles', { params: { query: { pageSize: '200', ...(usableIn ? { usableIn } : {}) } } })),
  create: async (body: RoleInput) => data(await api.POST('/api/roles', { body })),
  update: async (id: string, body: RolePatch) => data(await api.PATCH('/api/roles/{id}', { params: { path: { id } }, body })),
  remove: async (id: string) => {
    await api.DELETE('/api/roles/{id}', { params: { path: { id } } });
  },
  permissions: async () => data(await api.GET('/api/permissions')),
};
