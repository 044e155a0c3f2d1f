import { describe, expect, it } from 'vitest';
import { buildUserFilter, escapeFilterValue } from './ldap.client.js';
import { ldapSettingsUpdateSchema } from './settings.schemas.js';
import { requireSlapd } from './slapd.fixture.js';

describe('escapeFilterValue (RFC 4515)', () => {
  it('escapes the five special characters', () => {
    expect(escapeFilterValue('*()\\\u0000')).toBe('\\2a\\28\\29\\5c\\00');
  });

  it('leaves ordinary and non-ASCII names alone', () => {
    expect(escapeFilterValue('zhang.san-01')).toBe('zhang.san-01');
    expect(escapeFilterValue('张三')).toBe('张三');
  });

  it('turns an injection into a literal', () => {
    expect(buildUserFilter('(uid={username})', '*)(uid=*')).toBe('(uid=\\2a\\29\\28uid=\\2a)');
    expect(buildUserFilter('(|(uid={username})(mail={username}))', 'a*')).toBe('(|(uid=a\\2a)(mail=a\\2a))');
  });
});

describe('LDAP settings schema', () => {
  const valid = {
    enabled: true,
    url: 'ldaps://ad.example.gov.cn:636',
    startTls: false,
    tlsRejectUnauthorized: true,
    bindDn: 'CN=svc-zhengyun,OU=Service,DC=example,DC=gov,DC=cn',
    bindPassword: 'secret',
    userSearchBase: 'OU=Staff,DC=example,DC=gov,DC=cn',
    userFilter: '(&(objectClass=user)(sAMAccountName={username}))',
    attributes: { displayName: 'displayName', email: 'mail', phone: 'telephoneNumber' },
    timeoutMs: 5000,
  };

  it('accepts an Active Directory configuration', () => {
    expect(ldapSettingsUpdateSchema.safeParse(valid).success).toBe(true);
  });

  it.each([
    ['an unknown field', { ...valid, extra: 1 }],
    ['an http URL', { ...valid, url: 'http://ad.example.gov.cn' }],
    ['a URL with a path', { ...valid, url: 'ldap://ad.example.gov.cn/dc=x' }],
    ['a filter without {username}', { ...valid, userFilter: '(uid=alice)' }],
    ['unbalanced parentheses', { ...valid, userFilter: '(&(uid={username})' }],
    ['StartTLS on ldaps://', { ...valid, startTls: true }],
    ['enabled without a search base', { ...valid, userSearchBase: ' ' }],
    ['enabled without a URL', { ...valid, url: '' }],
    ['a timeout as a string', { ...valid, timeoutMs: '5000' }],
    ['a timeout under a second', { ...valid, timeoutMs: 10 }],
    ['an empty bind password', { ...valid, bindPassword: '' }],
    ['an attribute name with a filter in it', { ...valid, attributes: { ...valid.attributes, email: 'mail)(x' } }],
  ])('refuses %s', (_name, input) => {
    expect(ldapSettingsUpdateSchema.safeParse(input).success).toBe(false);
  });

  it('allows a disabled, empty configuration and an omitted password', () => {
    const { bindPassword: _p, ...rest } = valid;
    expect(ldapSettingsUpdateSchema.safeParse({ ...rest, enabled: false, url: '', userSearchBase: '' }).success).toBe(true);
  });
});

describe('the slapd test fixture', () => {
  it('fails, naming the packages to install, when slapd is missing (the LDAP tests never skip)', () => {
    expect(() => requireSlapd(['/nonexistent-bin'], '/nonexistent-schema')).toThrow(/apt-get install -y slapd ldap-utils/);
  });
});
