/**
 * Who is acting, and what they may see. Built once per request by the auth module (or for the system itself) and
 * passed explicitly as the first argument of every service and repository function.
 */
export type OrgKind = 'management_unit' | 'supervision_provider' | 'cloud_provider' | 'user_unit' | 'external_data_user';
export const ORG_KINDS: readonly OrgKind[] = ['management_unit', 'supervision_provider', 'cloud_provider', 'user_unit', 'external_data_user'];

/** The three separated administrators of MLPS level 3 (三员分立): 系统管理员, 安全管理员, 审计管理员. */
export type AdminKind = 'system' | 'security' | 'audit';

/**
 * Organisations an actor can see: all of them (management unit, supervision provider, system tasks) or the subtrees
 * under the given roots (a provider or an agency sees itself and its sub-units).
 */
export type OrgScope = { all: true } | { all: false; roots: readonly string[] };

export interface Actor {
  kind: 'user' | 'token' | 'system' | 'anonymous';
  userId: string | null;
  tokenId: string | null;
  sessionId: string | null;
  username: string;
  orgId: string | null;
  orgKind: OrgKind | null;
  permissions: ReadonlySet<string>;
  adminKinds: ReadonlySet<AdminKind>;
  scope: OrgScope;
  /** False for the three administrators: they never read agencies' business data (enforced by RLS as well). */
  businessAccess: boolean;
}

export interface RequestContext {
  actor: Actor;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

export const SYSTEM_ACTOR: Actor = Object.freeze<Actor>({
  kind: 'system',
  userId: null,
  tokenId: null,
  sessionId: null,
  username: 'system',
  orgId: null,
  orgKind: null,
  permissions: new Set<string>(),
  adminKinds: new Set<AdminKind>(),
  scope: { all: true },
  businessAccess: true,
});

/** Context for the platform's own work (migrations aside): jobs, the demo loader, the sign-in flow before an actor exists. */
export function systemContext(requestId = 'system', ip: string | null = null): RequestContext {
  return { actor: SYSTEM_ACTOR, requestId, ip, userAgent: null };
}

export function hasPermission(actor: Actor, permission: string): boolean {
  return actor.kind === 'system' || actor.permissions.has(permission);
}

/** Context of a request nobody has signed in for yet (sign-in, health): sees nothing, may do nothing. */
export function anonymousContext(requestId: string, ip: string | null, userAgent: string | null): RequestContext {
  return {
    actor: {
      kind: 'anonymous',
      userId: null,
      tokenId: null,
      sessionId: null,
      username: 'anonymous',
      orgId: null,
      orgKind: null,
      permissions: new Set<string>(),
      adminKinds: new Set<AdminKind>(),
      scope: { all: false, roots: [] },
      businessAccess: false,
    },
    requestId,
    ip,
    userAgent,
  };
}
