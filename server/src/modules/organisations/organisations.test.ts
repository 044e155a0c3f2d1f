import { describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/context.js';
import { canCreateTopLevel, childKindAllowed, inScope, manages, organisationAbilities, scopeFor } from './organisations.policy.js';

const actor = (over: Partial<Actor>): Actor => ({
  kind: 'user',
  userId: 'u1',
  tokenId: null,
  sessionId: 's',
  username: 'x',
  orgId: 'A',
  orgKind: 'user_unit',
  permissions: new Set(['org:read', 'org:write']),
  adminKinds: new Set(),
  scope: { all: false, roots: ['A'] },
  businessAccess: true,
  ...over,
});

describe('organisation policy', () => {
  it('scope: all, or a subtree by ancestor path', () => {
    expect(inScope({ all: true }, ['X'])).toBe(true);
    expect(inScope({ all: false, roots: ['A'] }, ['A', 'B'])).toBe(true);
    expect(inScope({ all: false, roots: ['A'] }, ['C', 'B'])).toBe(false);
    expect(inScope({ all: false, roots: [] }, ['A'])).toBe(false);
  });

  it('hierarchical administration reaches strictly below the own organisation', () => {
    const scope = { all: false as const, roots: ['A'] };
    expect(manages(scope, { id: 'A', path: ['A'], kind: 'user_unit', status: 'active' })).toBe(false);
    expect(manages(scope, { id: 'B', path: ['A', 'B'], kind: 'user_unit', status: 'active' })).toBe(true);
    expect(manages({ all: true }, { id: 'A', path: ['A'], kind: 'user_unit', status: 'active' })).toBe(true);
  });

  it('abilities: a unit admin creates sub-units of its own unit, edits and disables only those', () => {
    const a = actor({});
    expect(organisationAbilities(a, { id: 'A', path: ['A'], kind: 'user_unit', status: 'active' })).toEqual({ update: false, disable: false, enable: false, createChild: true });
    expect(organisationAbilities(a, { id: 'B', path: ['A', 'B'], kind: 'user_unit', status: 'active' })).toEqual({ update: true, disable: true, enable: false, createChild: true });
    expect(organisationAbilities(a, { id: 'B', path: ['A', 'B'], kind: 'user_unit', status: 'disabled' })).toEqual({ update: true, disable: false, enable: true, createChild: false });
    const reader = actor({ permissions: new Set(['org:read']) });
    expect(Object.values(organisationAbilities(reader, { id: 'B', path: ['A', 'B'], kind: 'user_unit', status: 'active' }))).not.toContain(true);
  });

  it('nobody disables their own organisation, not even the system administrator', () => {
    const sys = actor({ orgId: 'M', scope: { all: true }, adminKinds: new Set(['system']) });
    expect(organisationAbilities(sys, { id: 'M', path: ['M'], kind: 'management_unit', status: 'active' }).disable).toBe(false);
    expect(organisationAbilities(sys, { id: 'A', path: ['A'], kind: 'user_unit', status: 'active' }).disable).toBe(true);
  });

  it('top-level organisations only by actors that see everything; tokens never', () => {
    expect(canCreateTopLevel(actor({}))).toBe(false);
    expect(canCreateTopLevel(actor({ scope: { all: true } }))).toBe(true);
    expect(canCreateTopLevel(actor({ scope: { all: true }, kind: 'token' }))).toBe(false);
  });

  it('sub-units share their parent kind; scope follows the organisation kind', () => {
    expect(childKindAllowed('user_unit', 'user_unit')).toBe(true);
    expect(childKindAllowed('user_unit', 'cloud_provider')).toBe(false);
    expect(scopeFor('M', 'management_unit')).toEqual({ all: true });
    expect(scopeFor('S', 'supervision_provider')).toEqual({ all: true });
    expect(scopeFor('P', 'cloud_provider')).toEqual({ all: false, roots: ['P'] });
    expect(scopeFor('U', 'user_unit')).toEqual({ all: false, roots: ['U'] });
  });
});
