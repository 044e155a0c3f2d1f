import { api, data } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type NotificationList = Json<paths['/api/notifications']['get']['responses'][200]>;
export type NotificationItem = NotificationList['items'][number];
export type Preferences = Json<paths['/api/notifications/preferences']['get']['responses'][200]>;
export type PreferenceItem = paths['/api/notifications/preferences']['put']['requestBody']['content']['application/json']['items'][number];
export type WebhookInput = paths['/api/notifications/webhook']['put']['requestBody']['content']['application/json'];
export type Delivery = Json<paths['/api/notifications/deliveries']['get']['responses'][200]>['items'][number];
export type KeyPeriod = Json<paths['/api/key-periods']['get']['responses'][200]>['items'][number];
export type KeyPeriodInput = paths['/api/key-periods']['post']['requestBody']['content']['application/json'];
export type EscalationRule = Json<paths['/api/notifications/escalation-rules']['get']['responses'][200]>['items'][number];

export const notificationKeys = {
  all: ['notifications'] as const,
  list: (unread: boolean) => ['notifications', 'list', unread] as const,
  unread: ['notifications', 'unread'] as const,
  preferences: ['notifications', 'preferences'] as const,
  deliveries: ['notifications', 'deliveries'] as const,
  keyPeriods: ['key-periods'] as const,
  escalation: ['notifications', 'escalation-rules'] as const,
};

export const notificationsApi = {
  list: async (unread: boolean) => data(await api.GET('/api/notifications', { params: { query: unread ? { unread: 'true', limit: '100' } : { limit: '100' } } })),
  unread: async () => data(await api.GET('/api/notifications/unread-count')).unread,
  markRead: async (id: string) => {
    await api.POST('/api/notifications/{id}/read', { params: { path: { id } } });
  },
  markAllRead: async () => data(await api.POST('/api/notifications/read-all')).updated,
  preferences: async () => data(await api.GET('/api/notifications/preferences')),
  setPreferences: async (items: PreferenceItem[]) => data(await api.PUT('/api/notifications/preferences', { body: { items } })),
  setWebhook: async (body: WebhookInput) => data(await api.PUT('/api/notifications/webhook', { body })),
  removeWebhook: async () => {
    await api.DELETE('/api/notifications/webhook');
  },
  deliveries: async () => data(await api.GET('/api/notifications/deliveries')).items,
  setOrgWebhook: async (orgId: string, body: WebhookInput) => data(await api.PUT('/api/notifications/org-webhooks/{orgId}', { params: { path: { orgId } }, body })),
  removeOrgWebhook: async (orgId: string) => {
    await api.DELETE('/api/notifications/org-webhooks/{orgId}', { params: { path: { orgId } } });
  },
  escalationRules: async () => data(await api.GET('/api/notifications/escalation-rules')).items,
  setEscalationRules: async (items: EscalationRule[]) => data(await api.PUT('/api/notifications/escalation-rules', { body: { items } })).items,
  keyPeriods: async () => data(await api.GET('/api/key-periods', { params: { query: {} } })).items,
  createKeyPeriod: async (body: KeyPeriodInput) => data(await api.POST('/api/key-periods', { body })),
  updateKeyPeriod: async (id: string, body: KeyPeriodInput) => data(await api.PUT('/api/key-periods/{id}', { params: { path: { id } }, body })),
  removeKeyPeriod: async (id: string) => {
    await api.DELETE('/api/key-periods/{id}', { params: { path: { id } } });
  },
};
