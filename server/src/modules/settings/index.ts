/**
 * System settings (系统配置): LDAP / Active Directory sign-in. Owns the `system_settings` row `ldap`.
 */
import type { SettingsDeps } from './settings.service.js';
import { SettingsService } from './settings.service.js';
import { ldapFailure, verifyLdapCredentials, type LdapFailureReason, type LdapProfile } from './ldap.client.js';

export { SettingsService, type SettingsDeps } from './settings.service.js';
export { registerSettingsRoutes } from './settings.routes.js';
export { verifyLdapCredentials, escapeFilterValue, buildUserFilter } from './ldap.client.js';
export type { LdapConnectionConfig, LdapProfile, LdapFailureReason, LdapVerifyResult } from './ldap.client.js';
export type { LdapSettingsView, LdapSettingsUpdate } from './settings.schemas.js';

/** Answer of an {@link LdapVerifier}. `message` is for logs and the audit record, not for the person signing in. */
export type LdapVerification = { ok: true; profile: LdapProfile } | { ok: false; reason: LdapFailureReason; message: string };

/**
 * Checks a user name and password against the configured directory. For the sign-in flow:
 *
 * - call it only for a user whose `users.auth_source` is `'ldap'`, with that user's Zhengyun user name (accounts are
 *   linked by user name; nobody is provisioned automatically);
 * - `{ ok: false, reason: 'disabled' }` when LDAP sign-in is switched off — refuse the sign-in;
 * - show the person the same "wrong user name or password" for `user_not_found`, `wrong_password`, `empty_password`,
 *   `ambiguous_user` and `invalid_username` (no account enumeration), and "the directory is unavailable, try later"
 *   for `cannot_connect`, `timeout`, `tls_failed`, `service_bind_failed`, `search_failed`, `not_configured`,
 *   `directory_error` — those are the administrator's problem and belong in the audit record (`message`);
 * - count `wrong_password` towards the local lockout like a wrong local password.
 *
 * It never throws for a directory's answer; it may throw if the database is unreachable.
 */
export type LdapVerifier = (username: string, password: string) => Promise<LdapVerification>;

/** Builds the {@link LdapVerifier} that loads the current settings on every call (changes apply without restart). */
export function createLdapVerifier(deps: SettingsDeps | { settings: SettingsService }): LdapVerifier {
  const service = 'settings' in deps ? deps.settings : new SettingsService(deps);
  return async (username, password) => {
    const loaded = await service.loadLdap();
    if (!loaded.enabled) return ldapFailure('disabled');
    if ('error' in loaded) return loaded.error;
    return verifyLdapCredentials(loaded.config, username, password);
  };
}
