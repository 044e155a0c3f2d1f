import { useQuery } from '@tanstack/react-query';
import { api, data, ApiError } from '../../api/client';
import type { Me, LoginStep } from '../../api/types';

export const authKeys = { me: ['auth', 'me'] as const };

export const authApi = {
  async me(): Promise<Me | null> {
    try {
      return data(await api.GET('/api/auth/me'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },
  login: async (username: string, password: string): Promise<LoginStep> =>
    data(await api.POST('/api/auth/login', { body: { username, password } })),
  loginPassword: async (challenge: string, newPassword: string): Promise<LoginStep> =>
    data(await api.POST('/api/auth/login/password', { body: { challenge, newPassword } })),
  loginMfa: async (challenge: string, code: string): Promise<LoginStep> =>
    data(await api.POST('/api/auth/login/mfa', { body: { challenge, code } })),
  logout: async () => {
    await api.POST('/api/auth/logout');
  },
  updateMe: async (body: { displayName?: string; email?: string | null; phone?: string | null }) =>
    data(await api.PATCH('/api/auth/me', { body })),
  changePassword: async (currentPassword: string, newPassword: string) =>
    data(await api.POST('/api/auth/me/password', { body: { currentPassword, newPassword } })),
  mfaSetup: async () => data(await api.POST('/api/auth/me/mfa/setup')),
  mfaConfirm: async (code: string) => data(await api.POST('/api/auth/me/mfa/confirm', { body: { code } })),
  mfaDisable: async (code: string) => data(await api.DELETE('/api/auth/me/mfa', { body: { code } })),
};

/** The signed-in user (null when signed out). */
export function useMe() {
  return useQuery({ queryKey: authKeys.me, queryFn: authApi.me, staleTime: 60_000 });
}

/** Whether the signed-in user holds a permission. Only hides UI: the server decides. */
export function useCan() {
  const { data: me } = useMe();
  return (permission: string) => !!me?.permissions.includes(permission);
}
