import { hasPermission, type Actor, type OrgKind, type OrgScope } from '../../platform/context.js';

/** The facts about an organisation that the rules below look at. */
export interface OrgFacts {
  id: string;
  path: readonly string[];
  kind: OrgKind | string;
  status: string;
}

/** Is an organisation (by its ancestor path, self included) inside the scope? */
export function inScope(scope: OrgScope, path: readonly string[]): boolean {
  return scope.all || path.some((id) => scope.roots.includes(id));
}

/**
 * Hierarchical administration: an actor manages organisations strictly below its own scope roots (its own
 * organisation is managed by the level above); actors that see everything (management unit) manage everything.
 */
export function manages(scope: OrgScope, org: OrgFacts): boolean {
  return scope.all || org.path.some((id) => id !== org.id && scope.roots.includes(id));
}

/** What `actor` may do with `org` (the `abilities` of the detail response). */
export function organisationAbilities(actor: Actor, org: OrgFacts) {
  const write = hasPermission(actor, 'org:write') && actor.kind !== 'token';
  const visible = inScope(actor.scope, org.path);
  const managed = write && manages(actor.scope, org);
  // Nobody disables the organisation they belong to (nor one above it): they would lock themselves out.
  const ownLine = actor.orgId !== null && org.id === actor.orgId;
  return {
    update: managed,
    disable: managed && org.status === 'active' && !ownLine,
    enable: managed && org.status === 'disabled',
    createChild: write && visible && org.status === 'active',
  };
}

/** Top-level organisations (no parent) are created only by actors that see everything. */
export function canCreateTopLevel(actor: Actor): boolean {
  return hasPermission(actor, 'org:write') && actor.scope.all && actor.kind !== 'token';
}

/** Sub-units (下级单位) share their parent's kind: an agency's departments are user units too. */
export function childKindAllowed(parentKind: string, kind: string): boolean {
  return parentKind === kind;
}

/** The organisations an actor of this kind sees: management unit and supervision provider see all, others their subtree. */
export function scopeFor(orgId: string, orgKind: OrgKind): OrgScope {
  return orgKind === 'management_unit' || orgKind === 'supervision_provider' ? { all: true } : { all: false, roots: [orgId] };
}
