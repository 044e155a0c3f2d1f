import { hasPermission, type Actor } from '../../platform/context.js';

/**
 * Who may do what with addresses (pure). `ipam:manage` (management unit) plans pools, reviews requests and allocates;
 * `ipam:request` (user units, cloud providers) requests addresses for its own organisation and releases what it holds;
 * `ipam:read` reads what the actor's scope shows. Visibility itself (which rows) is the repository's and RLS's.
 */
export const canManage = (actor: Actor): boolean => hasPermission(actor, 'ipam:manage');

/** A request is decided once, by a manager, while pending. */
export const canDecide = (actor: Actor, status: string): boolean => canManage(actor) && status === 'pending';

/** The requesting organisation (or its parent units) may withdraw a pending request. */
export const canCancel = (actor: Actor, status: string, requesterInScope: boolean): boolean =>
  status === 'pending' && requesterInScope && hasPermission(actor, 'ipam:request');

/** The holder (or a parent unit) or a manager releases an active allocation. */
export const canRelease = (actor: Actor, status: string, holderInScope: boolean): boolean =>
  status === 'active' && (canManage(actor) || (holderInScope && hasPermission(actor, 'ipam:request')));

/** Which side of the platform requests: user units for their systems, cloud providers for their nodes. */
export function requesterKind(actor: Actor): 'unit' | 'provider' | null {
  if (actor.orgKind === 'user_unit') return 'unit';
  if (actor.orgKind === 'cloud_provider') return 'provider';
  return null;
}
