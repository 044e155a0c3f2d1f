import { describe, expect, it } from 'vitest';
import { csrfSatisfied, parseBearer, passwordExpiresAt, sessionVerdict, shouldTouch, tokenActor, userActor } from './auth.policy.js';

describe('auth rules', () => {
  it('CSRF header is needed for every write', () => {
    expect(csrfSatisfied('GET', undefined)).toBe(true);
    expect(csrfSatisfied('POST', undefined)).toBe(false);
    expect(csrfSatisfied('DELETE', 'XMLHttpRequest')).toBe(false);
    expect(csrfSatisfied('PATCH', 'zhengyun')).toBe(true);
  });

  it('password expiry', () => {
    const d = new Date('2026-01-01T00:00:00Z');
    expect(passwordExpiresAt(d, 90)?.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(passwordExpiresAt(d, 0)).toBeNull();
    expect(passwordExpiresAt(null, 90)).toBeNull();
  });

  it('session verdicts: revoked, idle, absolute maximum', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    const base = { revokedAt: null, lastSeenAt: new Date(now - 10 * 60_000), expiresAt: new Date(now + 3_600_000) };
    expect(sessionVerdict(base, 30, now)).toEqual({ ok: true });
    expect(sessionVerdict({ ...base, lastSeenAt: new Date(now - 31 * 60_000) }, 30, now)).toEqual({ ok: false, reason: 'idle' });
    expect(sessionVerdict({ ...base, expiresAt: new Date(now - 1) }, 30, now)).toEqual({ ok: false, reason: 'max_age' });
    expect(sessionVerdict({ ...base, revokedAt: new Date(now) }, 30, now)).toEqual({ ok: false, reason: 'revoked' });
    expect(shouldTouch(new Date(now - 59_000), now)).toBe(false);
    expect(shouldTouch(new Date(now - 61_000), now)).toBe(true);
  });

  it('bearer tokens have one exact shape', () => {
    const t = `zy_${'a'.repeat(43)}`;
    expect(parseBearer(`Bearer ${t}`)).toBe(t);
    expect(parseBearer(`bearer   ${t}`)).toBe(t);
    expect(parseBearer('Bearer zy_short')).toBeNull();
    expect(parseBearer(`Basic ${t}`)).toBeNull();
    expect(parseBearer(`Bearer ${t}' or 1=1 --`)).toBeNull();
  });

  it('user actors: union of roles, admin kinds, scope by organisation kind, no business access for administrators', () => {
    const a = userActor({ id: 'u', username: 'x', orgId: 'M', orgKind: 'management_unit', roles: [{ adminKind: 'audit', permissions: ['audit:read', 'audit:export'] }] }, 's');
    expect([...a.permissions].sort()).toEqual(['audit:export', 'audit:read']);
    expect(a.scope).toEqual({ all: true });
    expect(a.businessAccess).toBe(false);
    const b = userActor({ id: 'u', username: 'x', orgId: 'U', orgKind: 'user_unit', roles: [{ adminKind: null, permissions: ['org:read'] }, { adminKind: null, permissions: ['user:read', 'org:read'] }] }, 's');
    expect([...b.permissions].sort()).toEqual(['org:read', 'user:read']);
    expect(b.scope).toEqual({ all: false, roots: ['U'] });
    expect(b.businessAccess).toBe(true);
  });

  it('token actors never exceed what their creator holds now', () => {
    const creator = { id: 'c', username: 'c', orgId: 'P', orgKind: 'cloud_provider', roles: [{ adminKind: null, permissions: ['org:read'] }] };
    const a = tokenActor({ id: 't', name: 'push', orgId: 'P', orgKind: 'cloud_provider', permissions: ['org:read', 'user:read'] }, creator);
    expect([...a.permissions]).toEqual(['org:read']);
    expect(a.kind).toBe('token');
    expect(a.scope).toEqual({ all: false, roots: ['P'] });
  });
});
