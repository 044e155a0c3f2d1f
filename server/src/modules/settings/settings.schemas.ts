import { z } from 'zod';

const LDAP_URL = /^ldaps?:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?\/?$/;

const attributeName = z
  .string()
  .max(64)
  .regex(/^([A-Za-z][A-Za-z0-9-]*)?$/, 'an LDAP attribute name (letters, digits, -) or empty');

export const ldapAttributesSchema = z.strictObject({
  displayName: attributeName,
  email: attributeName,
  phone: attributeName,
});

/** LDAP settings as the API shows them: the bind password never leaves the server, only whether one is stored. */
export const ldapSettingsSchema = z
  .object({
    enabled: z.boolean(),
    url: z.string(),
    startTls: z.boolean(),
    tlsRejectUnauthorized: z.boolean(),
    bindDn: z.string(),
    bindPasswordSet: z.boolean(),
    userSearchBase: z.string(),
    userFilter: z.string(),
    attributes: z.object({ displayName: z.string(), email: z.string(), phone: z.string() }),
    timeoutMs: z.number().int(),
    updatedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'LdapSettings' });
export type LdapSettingsView = z.infer<typeof ldapSettingsSchema>;

/**
 * Replaces the LDAP settings. `bindPassword`: omitted keeps the stored one, `null` removes it, a string replaces it.
 */
export const ldapSettingsUpdateSchema = z
  .strictObject({
    enabled: z.boolean(),
    url: z.union([z.literal(''), z.string().max(300).regex(LDAP_URL, 'ldap://host[:port] or ldaps://host[:port]')]),
    startTls: z.boolean(),
    tlsRejectUnauthorized: z.boolean(),
    bindDn: z.string().max(500),
    bindPassword: z.string().min(1).max(256).nullable().optional(),
    userSearchBase: z.string().max(500),
    userFilter: z
      .string()
      .min(3)
      .max(500)
      .refine((f) => f.includes('{username}'), 'must contain {username}')
      .refine(balancedParentheses, 'must be a parenthesised LDAP filter with balanced parentheses'),
    attributes: ldapAttributesSchema,
    timeoutMs: z.number().int().min(1000).max(60_000),
  })
  .superRefine((v, ctx) => {
    if (v.startTls && v.url.startsWith('ldaps://')) {
      ctx.addIssue({ code: 'custom', path: ['startTls'], message: 'StartTLS is for ldap:// URLs; ldaps:// is already encrypted' });
    }
    if (v.enabled && v.url === '') ctx.addIssue({ code: 'custom', path: ['url'], message: 'required when LDAP is enabled' });
    if (v.enabled && v.userSearchBase.trim() === '') {
      ctx.addIssue({ code: 'custom', path: ['userSearchBase'], message: 'required when LDAP is enabled' });
    }
  })
  .meta({ id: 'LdapSettingsUpdate' });
export type LdapSettingsUpdate = z.infer<typeof ldapSettingsUpdateSchema>;

export const ldapTestRequestSchema = z
  .strictObject({
    username: z.string().min(1).max(256),
    // Empty is accepted here so the answer can explain why it is refused.
    password: z.string().max(1024),
  })
  .meta({ id: 'LdapTestRequest' });

export const ldapTestResultSchema = z
  .object({
    ok: z.boolean(),
    dn: z.string().optional(),
    attributes: z.object({ displayName: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() }).optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .meta({ id: 'LdapTestResult' });
export type LdapTestResult = z.infer<typeof ldapTestResultSchema>;

/** What `system_settings.value` holds under the key `ldap` (the bind password SM4-encrypted). */
export const storedLdapSettingsSchema = z.object({
  enabled: z.boolean(),
  url: z.string(),
  startTls: z.boolean(),
  tlsRejectUnauthorized: z.boolean(),
  bindDn: z.string(),
  bindPasswordEnc: z.string().nullable(),
  userSearchBase: z.string(),
  userFilter: z.string(),
  attributes: z.object({ displayName: z.string(), email: z.string(), phone: z.string() }),
  timeoutMs: z.number().int(),
});
export type StoredLdapSettings = z.infer<typeof storedLdapSettingsSchema>;

export const DEFAULT_LDAP_SETTINGS: StoredLdapSettings = {
  enabled: false,
  url: '',
  startTls: false,
  tlsRejectUnauthorized: true,
  bindDn: '',
  bindPasswordEnc: null,
  userSearchBase: '',
  userFilter: '(uid={username})',
  attributes: { displayName: 'cn', email: 'mail', phone: 'telephoneNumber' },
  timeoutMs: 5000,
};

function balancedParentheses(filter: string): boolean {
  if (!filter.startsWith('(') || !filter.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}
