import type { Actor, AdminKind, OrgKind } from '../../platform/context.js';
import { scopeFor } from '../organisations/index.js';

/** CSRF defence in depth: cookie-authenticated writes carry this header, which a cross-site form cannot set. */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_VALUE = 'zhengyun';

export function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

export function csrfSatisfied(method: string, header: string | string[] | undefined): boolean {
  return isSafeMethod(method) || header === CSRF_VALUE;
}

/** When a password set at `changedAt` expires under the policy; null when passwords never expire. */
export function passwordExpiresAt(changedAt: Date | null, expiryDays: number): Date | null {
  if (expiryDays <= 0 || changedAt === null) return null;
  return new Date(changedAt.getTime() + expiryDays * 86_400_000);
}

export type SessionVerdict = { ok: true } | { ok: false; reason: 'revoked' | 'idle' | 'max_age' };

/** A session lives until revoked, idle longer than the policy allows, or older than its absolute maximum. */
export function sessionVerdict(
  s: { revokedAt: Date | null; lastSeenAt: Date; expiresAt: Date },
  idleTimeoutMinutes: number,
  now = Date.now(),
): SessionVerdict {
  if (s.revokedAt) return { ok: false, reason: 'revoked' };
  if (now > s.expiresAt.getTime()) return { ok: false, reason: 'max_age' };
  if (now - s.lastSeenAt.getTime() > idleTimeoutMinutes * 60_000) return { ok: false, reason: 'idle' };
  return { ok: true };
}

/** last_seen_at is written at most once a minute per session (sliding idle timeout without a write per request). */
export function shouldTouch(lastSeenAt: Date, now = Date.now()): boolean {
  return now - lastSeenAt.getTime() > 60_000;
}

export interface ActorSource {
  id: string;
  username: string;
  orgId: string;
  orgKind: string;
  roles: ReadonlyArray<{ adminKind: AdminKind | null; permissions: readonly string[] }>;
}

/**
 * The Actor of a signed-in person: permissions are the union of their roles', the administrator kinds likewise,
 * the scope follows their organisation's kind, and the three administrators have no business access.
 */
export function userActor(u: ActorSource, sessionId: string | null): Actor {
  const permissions = new Set(u.roles.flatMap((r) => r.permissions));
  const adminKinds = new Set(u.roles.map((r) => r.adminKind).filter((k): k is AdminKind => k !== null));
  return {
    kind: 'user',
    userId: u.id,
    tokenId: null,
    sessionId,
    username: u.username,
    orgId: u.orgId,
    orgKind: u.orgKind as OrgKind,
    permissions,
    adminKinds,
    scope: scopeFor(u.orgId, u.orgKind as OrgKind),
    businessAccess: adminKinds.size === 0,
  };
}

/**
 * The Actor of an API token: the token's permissions, never more than its creator holds now; bound to the token's
 * organisation.
 */
export function tokenActor(
  t: { id: string; name: string; orgId: string; orgKind: string; permissions: readonly string[] },
  creator: ActorSource | null,
): Actor {
  const creatorPerms = creator ? new Set(creator.roles.flatMap((r) => r.permissions)) : new Set<string>();
  const creatorAdmin = creator ? creator.roles.some((r) => r.adminKind !== null) : true;
  return {
    kind: 'token',
    userId: null,
    tokenId: t.id,
    sessionId: null,
    username: `token:${t.name}`,
    orgId: t.orgId,
    orgKind: t.orgKind as OrgKind,
    permissions: new Set(t.permissions.filter((p) => creatorPerms.has(p))),
    adminKinds: new Set(),
    scope: scopeFor(t.orgId, t.orgKind as OrgKind),
    businessAccess: !creatorAdmin,
  };
}

/** API token format: `zy_` and 43 base64url characters (256 random bits). */
export const TOKEN_PATTERN = /^zy_[A-Za-z0-9_-]{43}$/;

export function parseBearer(header: string): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m && TOKEN_PATTERN.test(m[1]!) ? m[1]! : null;
}

/** Sign-in challenges: short-lived and attempt-limited. */
export const CHALLENGE_MINUTES = 5;
export const ENROLMENT_MINUTES = 10;
export const CHALLENGE_MAX_ATTEMPTS = 5;
