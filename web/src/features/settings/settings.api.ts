import { api, data } from '../../api/client';
import type { LdapSettingsUpdate } from '../../api/types';

export const settingsKeys = { ldap: ['settings', 'ldap'] as const };

export const settingsApi = {
  ldap: async () => data(await api.GET('/api/settings/ldap')),
  putLdap: async (body: LdapSettingsUpdate) => data(await api.PUT('/api/settings/ldap', { body })),
  testLdap: async (username: string, password: string) => data(await api.POST('/api/settings/ldap/test', { body: { username, password } })),
};
