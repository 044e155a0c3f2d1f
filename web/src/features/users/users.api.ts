import { api, data } from '../../api/client';
import type { UserInput, UserPatch } from '../../api/types';

export interface UserFilter {
  orgId?: string;
  q?: string;
  status?: 'active' | 'disabled' | 'locked';
  page: number;
  pageSize: number;
}

export const userKeys = {
  all: ['users'] as const,
  list: (f: UserFilter) => ['users', 'list', f] as const,
  detail: (id: string) => ['users', 'detail', id] as const,
};

const path = (id: string) => ({ params: { path: { id } } });

export const usersApi = {
  list: async (f: UserFilter) =>
    data(await api.GET('/api/users', { params: { query: { ...f, page: String(f.page), pageSize: String(f.pageSize) } } })),
  get: async (id: string) => data(await api.GET('/api/users/{id}', path(id))),
  create: async (body: UserInput) => data(await api.POST('/api/users', { body })),
  update: async (id: string, body: UserPatch) => data(await api.PATCH('/api/users/{id}', { ...path(id), body })),
  resetPassword: async (id: string) => data(await api.POST('/api/users/{id}/reset-password', path(id))),
  unlock: async (id: string) => data(await api.POST('/api/users/{id}/unlock', path(id))),
  disable: async (id: string) => data(await api.POST('/api/users/{id}/disable', path(id))),
  enable: async (id: string) => data(await api.POST('/api/users/{id}/enable', path(id))),
  resetMfa: async (id: string) => data(await api.POST('/api/users/{id}/reset-mfa', path(id))),
  setRoles: async (id: string, roleIds: string[]) => data(await api.PUT('/api/users/{id}/roles', { ...path(id), body: { roleIds } })),
};
