/**
 * System settings (系统配置): LDAP / Active Directory sign-in. Owns the `system_settings` row `ldap`.
 * See docs/ldap.md.
 */
import { AppError } from '../../platform/errors.js';
import type { SettingsDeps } from './settings.service.js';
import { SettingsService } from './settings.service.js';
import { ldapFailure, verifyLdapCredentials, type LdapFailureReason, type LdapProfile } from './ldap.client.js';

export { SettingsService, type SettingsDeps } from './settings.service.js';
export { registerSettingsRoutes } from './settings.routes.js';
export { verifyLdapCredentials, escapeFilterValue, buildUserFilter } from './ldap.client.js';
export type { LdapConnectionConfig, LdapProfile, LdapFailureReason, LdapVerifyResult } from './ldap.client.js';
export type { LdapSettingsView, LdapSettingsUpdate } from './settings.schemas.js';

/** Answer of an {@link LdapProfileVerifier}. `message` is for logs and the audit record, not for the person signing in. */
export type LdapVerification = { ok: true; profile: LdapProfile } | { ok: false; reason: LdapFailureReason; message: string };

/**
 * Reasons that mean "these credentials are wrong" — show "wrong user name or password" and count towards the lockout.
 * Every other reason (`disabled`, `not_configured`, `cannot_connect`, `timeout`, `tls_failed`, `service_bind_failed`,
 * `search_failed`, `ambiguous_user`, `directory_error`) is a problem of the directory or its configuration: refuse the
 * sign-in as "directory unavailable" without counting it against the person, and audit the message.
 */
export const LDAP_CREDENTIAL_FAILURES: ReadonlySet<LdapFailureReason> = new Set<LdapFailureReason>([
  'wrong_password',
  'user_not_found',
  'empty_password',
  'invalid_username',
]);

/**
 * Checks a user name and password against the configured directory, for the sign-in flow:
 *
 * - call it only for a user whose `users.auth_source` is `'ldap'`, with that user's Zhengyun user name (accounts are
 *   linked by user name; nobody is provisioned automatically), and never fall back to a local password;
 * - `{ ok: true, profile }`: the password is right; `profile` has the entry's DN, display name, e-mail and phone;
 * - `{ ok: false, reason }`: see {@link LDAP_CREDENTIAL_FAILURES} for which reasons are the person's and which the
 *   directory's; `disabled` means LDAP sign-in is switched off.
 *
 * It never throws for a directory's answer or an unreachable server; it may throw if the database is unreachable.
 */
export type LdapProfileVerifier = (username: string, password: string) => Promise<LdapVerification>;

/** Builds the {@link LdapProfileVerifier}; it loads the current settings on every call (changes apply without restart). */
export function createLdapVerifier(deps: SettingsDeps | { settings: SettingsService }): LdapProfileVerifier {
  const service = 'settings' in deps ? deps.settings : new SettingsService(deps);
  return async (username, password) => {
    const loaded = await service.loadLdap();
    if (!loaded.enabled) return ldapFailure('disabled');
    if ('error' in loaded) return loaded.error;
    return verifyLdapCredentials(loaded.config, username, password);
  };
}

/**
 * The verifier in the shape the auth module's `AuthService` takes (`opts.ldapVerifier` / `setLdapVerifier`): resolves
 * `true` for right and `false` for wrong credentials ({@link LDAP_CREDENTIAL_FAILURES}); rejects with
 * `AppError('unavailable', 'settings.ldap.<reason>', …)` when LDAP is disabled, misconfigured or unreachable. That error
 * reaches a person who is not signed in yet, so its message is generic; the administrator's message (host, port, the
 * server's words) is its `cause`, which the server log prints.
 */
export function createLdapPasswordCheck(deps: SettingsDeps | { settings: SettingsService }): (username: string, password: string) => Promise<boolean> {
  const verify = createLdapVerifier(deps);
  return async (username, password) => {
    const r = await verify(username, password);
    if (r.ok) return true;
    if (LDAP_CREDENTIAL_FAILURES.has(r.reason)) return false;
    const e = new AppError('unavailable', `settings.ldap.${r.reason}`, 'The directory service (LDAP) is unavailable; try again later or contact the administrator', {
      reason: r.reason,
    });
    Object.defineProperty(e, 'cause', { value: new Error(r.message), enumerable: false });
    throw e;
  };
}
