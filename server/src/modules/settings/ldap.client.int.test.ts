import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLdapCredentials, type LdapConnectionConfig } from './ldap.client.js';
import { AD_USER, BASE_DN, SERVICE_DN, SERVICE_PASSWORD, USERS, freePort, startSlapd, type Slapd } from './slapd.fixture.js';

let slapd: Slapd;

beforeAll(async () => {
  slapd = await startSlapd();
});

afterAll(async () => {
  await slapd?.stop();
});

function config(over: Partial<LdapConnectionConfig> = {}): LdapConnectionConfig {
  return {
    url: slapd.url,
    startTls: false,
    tlsRejectUnauthorized: true,
    bindDn: SERVICE_DN,
    bindPassword: SERVICE_PASSWORD,
    userSearchBase: BASE_DN,
    userFilter: '(uid={username})',
    attributes: { displayName: 'cn', email: 'mail', phone: 'telephoneNumber' },
    timeoutMs: 3000,
    ...over,
  };
}

describe('verifyLdapCredentials against a real slapd', () => {
  it('accepts the right password and maps the attributes', async () => {
    const r = await verifyLdapCredentials(config(), 'alice', USERS.alice.password);
    expect(r).toEqual({
      ok: true,
      profile: { dn: USERS.alice.dn, displayName: 'Alice Wang', email: 'alice@zhengyun.test', phone: '+86 10 6500 0001' },
    });
  });

  it('reads UTF-8 names and passwords, and gives null for attributes the entry lacks', async () => {
    const r = await verifyLdapCredentials(config(), 'zhangsan', USERS.zhangsan.password);
    expect(r).toEqual({ ok: true, profile: { dn: USERS.zhangsan.dn, displayName: '张三', email: 'zhangsan@zhengyun.test', phone: null } });
  });

  it('refuses a wrong password', async () => {
    const r = await verifyLdapCredentials(config(), 'alice', 'Alice-pw-2!');
    expect(r).toMatchObject({ ok: false, reason: 'wrong_password' });
  });

  it('refuses another user’s password', async () => {
    const r = await verifyLdapCredentials(config(), 'alice', USERS.zhangsan.password);
    expect(r).toMatchObject({ ok: false, reason: 'wrong_password' });
  });

  it('answers user_not_found for an unknown user', async () => {
    const r = await verifyLdapCredentials(config(), 'nobody', 'whatever-1');
    expect(r).toMatchObject({ ok: false, reason: 'user_not_found' });
  });

  it('refuses an empty password before it reaches the directory (unauthenticated bind trap)', async () => {
    const r = await verifyLdapCredentials(config(), 'alice', '');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('empty_password');
      expect(r.message).toMatch(/empty password/i);
    }
  });

  it('refuses an entry without a password', async () => {
    const r = await verifyLdapCredentials(config(), 'nopass', 'anything-1');
    expect(r).toMatchObject({ ok: false, reason: 'wrong_password' });
  });

  it.each(['*', '*)(uid=*', 'alice)(|(uid=*', 'ali*', '*)(|(objectClass=*', 'alice\\', 'alice)(uid=alice'])(
    'treats the filter injection %j as a literal user name',
    async (username) => {
      const r = await verifyLdapCredentials(config(), username, USERS.alice.password);
      expect(r).toMatchObject({ ok: false, reason: 'user_not_found' });
    },
  );

  it('refuses a user name with control characters', async () => {
    const r = await verifyLdapCredentials(config(), 'alice\u0000', USERS.alice.password);
    expect(r).toMatchObject({ ok: false, reason: 'invalid_username' });
  });

  it('refuses to guess when two entries match', async () => {
    const r = await verifyLdapCredentials(config(), 'dup', USERS.dupPeople.password);
    expect(r).toMatchObject({ ok: false, reason: 'ambiguous_user' });
    const narrowed = await verifyLdapCredentials(config({ userSearchBase: `ou=staff,${BASE_DN}` }), 'dup', USERS.dupStaff.password);
    expect(narrowed).toMatchObject({ ok: true, profile: { dn: USERS.dupStaff.dn } });
  });

  it('works with an Active Directory–style filter and attributes', async () => {
    const ad = config({
      userFilter: '(&(objectClass=user)(sAMAccountName={username}))',
      attributes: { displayName: 'displayName', email: 'mail', phone: 'telephoneNumber' },
    });
    const r = await verifyLdapCredentials(ad, 'lisi', AD_USER.password);
    expect(r).toEqual({ ok: true, profile: { dn: AD_USER.dn, displayName: '李四', email: AD_USER.mail, phone: AD_USER.phone } });
    expect(await verifyLdapCredentials(ad, 'alice', USERS.alice.password)).toMatchObject({ ok: false, reason: 'user_not_found' });
  });

  it('maps no attributes when none are configured', async () => {
    const r = await verifyLdapCredentials(config({ attributes: { displayName: '', email: '', phone: '' } }), 'alice', USERS.alice.password);
    expect(r).toEqual({ ok: true, profile: { dn: USERS.alice.dn, displayName: null, email: null, phone: null } });
  });

  it('reports a refused service account', async () => {
    const r = await verifyLdapCredentials(config({ bindPassword: 'not-the-reader-password' }), 'alice', USERS.alice.password);
    expect(r).toMatchObject({ ok: false, reason: 'service_bind_failed' });
  });

  it('explains a search base hidden from anonymous clients', async () => {
    const r = await verifyLdapCredentials(config({ bindDn: '', bindPassword: null }), 'alice', USERS.alice.password);
    expect(r).toMatchObject({ ok: false, reason: 'search_failed' });
    if (!r.ok) expect(r.message).toContain('not visible to an anonymous search');
  });

  it('refuses a bind DN whose password was never stored instead of binding unauthenticated', async () => {
    const r = await verifyLdapCredentials(config({ bindPassword: null }), 'alice', USERS.alice.password);
    expect(r).toMatchObject({ ok: false, reason: 'service_bind_failed' });
  });

  it('reports a search base that does not exist', async () => {
    const r = await verifyLdapCredentials(config({ userSearchBase: `ou=nowhere,${BASE_DN}` }), 'alice', USERS.alice.password);
    expect(r).toMatchObject({ ok: false, reason: 'search_failed' });
    if (!r.ok) expect(r.message).toContain('ou=nowhere');
  });

  it('says clearly when nothing listens', async () => {
    const port = await freePort();
    const r = await verifyLdapCredentials(config({ url: `ldap://127.0.0.1:${port}` }), 'alice', USERS.alice.password);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('cannot_connect');
      expect(r.message).toMatch(/^Cannot connect to the LDAP server/);
    }
  });

  it('gives up after timeoutMs on a server that never answers', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const started = Date.now();
      const r = await verifyLdapCredentials(config({ url: `ldap://127.0.0.1:${port}`, timeoutMs: 1000 }), 'alice', USERS.alice.password);
      expect(r).toMatchObject({ ok: false, reason: 'timeout' });
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  describe('TLS', () => {
    it('signs in over ldaps:// when certificate checks are off', async () => {
      const r = await verifyLdapCredentials(config({ url: slapd.ldapsUrl, tlsRejectUnauthorized: false }), 'alice', USERS.alice.password);
      expect(r).toMatchObject({ ok: true, profile: { dn: USERS.alice.dn } });
    });

    it('refuses an untrusted certificate over ldaps:// when checks are on', async () => {
      const r = await verifyLdapCredentials(config({ url: slapd.ldapsUrl, tlsRejectUnauthorized: true }), 'alice', USERS.alice.password);
      expect(r).toMatchObject({ ok: false, reason: 'tls_failed' });
    });

    it('signs in with StartTLS on ldap://', async () => {
      const r = await verifyLdapCredentials(config({ startTls: true, tlsRejectUnauthorized: false }), 'alice', USERS.alice.password);
      expect(r).toMatchObject({ ok: true, profile: { dn: USERS.alice.dn } });
      const wrong = await verifyLdapCredentials(config({ startTls: true, tlsRejectUnauthorized: false }), 'alice', 'nope-nope');
      expect(wrong).toMatchObject({ ok: false, reason: 'wrong_password' });
    });

    it('refuses an untrusted certificate on StartTLS when checks are on', async () => {
      const r = await verifyLdapCredentials(config({ startTls: true, tlsRejectUnauthorized: true }), 'alice', USERS.alice.password);
      expect(r).toMatchObject({ ok: false, reason: 'tls_failed' });
    });
  });
});
