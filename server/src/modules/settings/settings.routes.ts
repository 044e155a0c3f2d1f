import type { App } from '../../platform/http/server.js';
import { ldapSettingsSchema, ldapSettingsUpdateSchema, ldapTestRequestSchema, ldapTestResultSchema } from './settings.schemas.js';
import type { SettingsService } from './settings.service.js';

export function registerSettingsRoutes(app: App, service: SettingsService): void {
  app.get(
    '/api/settings/ldap',
    {
      config: { permission: 'settings:read' },
      schema: { tags: ['settings'], summary: 'LDAP / Active Directory sign-in settings (the bind password is never returned)', response: { 200: ldapSettingsSchema } },
    },
    async (request) => service.getLdap(request.ctx),
  );

  app.put(
    '/api/settings/ldap',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['settings'],
        summary: 'Replace the LDAP settings; omit bindPassword to keep the stored one, send null to remove it',
        body: ldapSettingsUpdateSchema,
        response: { 200: ldapSettingsSchema },
      },
    },
    async (request) => service.updateLdap(request.ctx, request.body),
  );

  app.post(
    '/api/settings/ldap/test',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['settings'],
        summary: 'Try a sign-in against the stored LDAP settings (audited); answers why it failed',
        body: ldapTestRequestSchema,
        response: { 200: ldapTestResultSchema },
      },
    },
    async (request) => service.testLdap(request.ctx, request.body.username, request.body.password),
  );
}
