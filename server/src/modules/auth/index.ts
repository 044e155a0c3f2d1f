/**
 * Auth (登录与会话): the sign-in state machine (password → forced change → TOTP, with enrolment), sessions in the
 * `zy_session` cookie (stored as SM3 hashes; idle and absolute timeouts from the security policy), CSRF header check,
 * the caller's own profile, password and second factor, and API tokens (`zy_…`, SM3-hashed) for machine clients.
 *
 * LDAP hook point: accounts with `auth_source = 'ldap'` are verified by an injected {@link LdapVerifier}; the settings
 * module provides one and container.ts passes it in (`createContainer(deps, { ldapVerifier })` or
 * `container.authService.setLdapVerifier(...)`).
 */
export { AuthService, authenticateLdapUser, type LdapVerifier, type SignedIn } from './auth.service.js';
export { registerAuthRoutes } from './auth.routes.js';
export { CSRF_HEADER, CSRF_VALUE, userActor, tokenActor } from './auth.policy.js';
export type { Me, LoginResult, ApiToken } from './auth.schemas.js';
export { registerAuthJobs } from './auth.jobs.js';
