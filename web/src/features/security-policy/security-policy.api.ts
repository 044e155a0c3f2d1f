import { api, data } from '../../api/client';
import type { SecurityPolicyInput } from '../../api/types';

export const policyKeys = { policy: ['security-policy'] as const };

export const policyApi = {
  get: async () => data(await api.GET('/api/security-policy')),
  put: async (body: SecurityPolicyInput) => data(await api.PUT('/api/security-policy', { body })),
};
