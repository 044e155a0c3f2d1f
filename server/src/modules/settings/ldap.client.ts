import { Client, InvalidCredentialsError, NoSuchObjectError, ResultCodeError, SizeLimitExceededError, type Entry } from 'ldapts';

/** What the LDAP client needs to reach the directory; the bind password is already decrypted. */
export interface LdapConnectionConfig {
  url: string;
  startTls: boolean;
  tlsRejectUnauthorized: boolean;
  /** Service account that searches for users; empty means an anonymous search. */
  bindDn: string;
  bindPassword: string | null;
  userSearchBase: string;
  /** Filter with `{username}` where the (escaped) username goes, e.g. `(uid={username})` or `(sAMAccountName={username})`. */
  userFilter: string;
  attributes: { displayName: string; email: string; phone: string };
  timeoutMs: number;
}

/** The person the directory vouched for. Attributes the entry lacks are null. */
export interface LdapProfile {
  dn: string;
  displayName: string | null;
  email: string | null;
  phone: string | null;
}

export type LdapFailureReason =
  | 'disabled'
  | 'not_configured'
  | 'empty_password'
  | 'invalid_username'
  | 'cannot_connect'
  | 'timeout'
  | 'tls_failed'
  | 'service_bind_failed'
  | 'search_failed'
  | 'user_not_found'
  | 'ambiguous_user'
  | 'wrong_password'
  | 'directory_error';

export type LdapVerifyResult = { ok: true; profile: LdapProfile } | { ok: false; reason: LdapFailureReason; message: string };

const MESSAGES: Record<LdapFailureReason, string> = {
  disabled: 'LDAP sign-in is disabled',
  not_configured: 'LDAP is not configured: the server URL and the user search base are required',
  empty_password: 'An empty password is refused (an LDAP bind without a password would be anonymous and always succeed)',
  invalid_username: 'The user name is empty, too long or contains control characters',
  cannot_connect: 'Cannot connect to the LDAP server',
  timeout: 'The LDAP server did not answer in time',
  tls_failed: 'The TLS connection to the LDAP server failed',
  service_bind_failed: 'The service account (bind DN) was refused by the LDAP server',
  search_failed: 'Searching the directory for the user failed',
  user_not_found: 'No directory entry matches this user name',
  ambiguous_user: 'More than one directory entry matches this user name; make the filter or search base more specific',
  wrong_password: 'The directory refused the password for this user',
  directory_error: 'The LDAP server returned an error',
};

export function ldapFailure(reason: LdapFailureReason, detail?: string): { ok: false; reason: LdapFailureReason; message: string } {
  return { ok: false, reason, message: detail ? `${MESSAGES[reason]}: ${detail}` : MESSAGES[reason] };
}

/**
 * Escapes a value for use inside an LDAP search filter (RFC 4515 §3): `*`, `(`, `)`, `\` and NUL become `\2a`, `\28`,
 * `\29`, `\5c`, `\00`, so a user name such as `*)(uid=*` matches only itself.
 */
export function escapeFilterValue(value: string): string {
  // eslint-disable-next-line no-control-regex -- RFC 4515 requires escaping NUL
  return value.replace(/[*()\\\u0000]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Substitutes the escaped user name for every `{username}` of the filter template. */
export function buildUserFilter(template: string, username: string): string {
  const escaped = escapeFilterValue(username);
  return template.split('{username}').join(escaped);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Checks a user name and password against the directory: service bind → search for exactly one entry → bind as that
 * entry with the password. Never throws for a directory's answer or an unreachable server: every failure is a reason
 * with a message an administrator can act on.
 */
export async function verifyLdapCredentials(config: LdapConnectionConfig, username: string, password: string): Promise<LdapVerifyResult> {
  if (!config.url || !config.userSearchBase) return ldapFailure('not_configured');
  if (username.trim() === '' || username.length > 256 || CONTROL.test(username)) return ldapFailure('invalid_username');
  // RFC 4513 §5.1.2: a simple bind with a DN and no password is an "unauthenticated" bind that many servers accept.
  if (password.length === 0) return ldapFailure('empty_password');
  if (config.bindDn && !config.bindPassword) return ldapFailure('service_bind_failed', 'no password is stored for the bind DN');

  const tlsOptions = { rejectUnauthorized: config.tlsRejectUnauthorized };
  // ldapts speaks TLS from the first byte whenever tlsOptions is given, so only ldaps:// gets them here.
  const client = new Client({
    url: config.url,
    timeout: config.timeoutMs,
    connectTimeout: config.timeoutMs,
    ...(config.url.startsWith('ldaps://') ? { tlsOptions } : {}),
    strictDN: false,
  });
  let step: 'connect' | 'starttls' | 'service_bind' | 'search' | 'user_bind' = 'connect';
  try {
    if (config.startTls) {
      step = 'starttls';
      await client.startTLS(tlsOptions);
    }
    if (config.bindDn) {
      step = 'service_bind';
      await client.bind(config.bindDn, config.bindPassword ?? '');
    }
    step = 'search';
    const attrs = config.attributes;
    const wanted = [attrs.displayName, attrs.email, attrs.phone].filter((a) => a !== '');
    let entries: Entry[];
    try {
      const result = await client.search(config.userSearchBase, {
        scope: 'sub',
        filter: buildUserFilter(config.userFilter, username),
        // '1.1' asks for no attributes (RFC 4511 §4.5.1.8); an empty list would return all of them.
        attributes: wanted.length > 0 ? wanted : ['1.1'],
        sizeLimit: 2,
      });
      entries = result.searchEntries;
    } catch (e) {
      if (e instanceof SizeLimitExceededError) return ldapFailure('ambiguous_user');
      if (e instanceof NoSuchObjectError) {
        const who = config.bindDn ? `the bind DN ${config.bindDn}` : 'an anonymous search';
        return ldapFailure('search_failed', `the search base ${config.userSearchBase} does not exist or is not visible to ${who}`);
      }
      throw e;
    }
    if (entries.length === 0) return ldapFailure('user_not_found');
    if (entries.length > 1) return ldapFailure('ambiguous_user');
    const entry = entries[0]!;

    step = 'user_bind';
    try {
      await client.bind(entry.dn, password);
    } catch (e) {
      if (e instanceof InvalidCredentialsError) return ldapFailure('wrong_password');
      throw e;
    }
    return {
      ok: true,
      profile: {
        dn: entry.dn,
        displayName: attribute(entry, attrs.displayName),
        email: attribute(entry, attrs.email),
        phone: attribute(entry, attrs.phone),
      },
    };
  } catch (e) {
    return classify(e, step);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

function attribute(entry: Entry, name: string): string | null {
  if (!name) return null;
  // ldapts keys attributes as the server spells them; match case-insensitively (AD answers `mail` for `Mail`).
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) return null;
  const value = entry[key];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first === null) return null;
  const text = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  return text === '' ? null : text;
}

function classify(e: unknown, step: string): LdapVerifyResult {
  const err = e as { code?: unknown; message?: string };
  const message = err.message ?? String(e);
  if (e instanceof ResultCodeError) {
    if (step === 'service_bind') return ldapFailure('service_bind_failed', message);
    if (step === 'search') return ldapFailure('search_failed', message);
    if (step === 'starttls') return ldapFailure('tls_failed', message);
    if (step === 'user_bind') return ldapFailure('directory_error', message);
    return ldapFailure('directory_error', message);
  }
  const code = typeof err.code === 'string' ? err.code : '';
  if (/timeout|timed out/i.test(message) || code === 'ETIMEDOUT') return ldapFailure('timeout', message);
  if (code.startsWith('ERR_TLS') || /certificate|self[- ]signed|SSL|TLS|handshake/i.test(message) || code.includes('CERT')) {
    return ldapFailure('tls_failed', message);
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE'].includes(code) || step === 'connect') {
    return ldapFailure('cannot_connect', message);
  }
  return ldapFailure('directory_error', message);
}
