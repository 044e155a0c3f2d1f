/**
 * The set-up the operations integration tests share: a test app, an owner connection (for assertions on rows), two
 * cloud providers A and B with a staff session each, optionally a cloud node run by A, a supervision provider with a
 * `supervisor_staff` session, and a user unit with a `unit_staff` session (which sees nothing of operations). Names
 * are unique per run (test files share one database).
 */
import pg from 'pg';
import { systemContext } from '../../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg, type TestUser } from '../../../test/fixtures.js';

export type InjectMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** `app.inject` as a session, with an optional JSON body. */
export function injectAs(t: TestApp) {
  return (s: Session, method: InjectMethod, url: string, payload?: unknown) => t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

export interface OperationsFixture {
  t: TestApp;
  /** Connected as the database owner (RLS does not apply): for assertions, never for the code under test. */
  owner: pg.Client;
  provA: TestOrg;
  provB: TestOrg;
  /** The cloud node run by provider A (null when not asked for). */
  nodeA: string | null;
  provAStaff: Session;
  provBStaff: Session;
  supervisor: Session;
  supervisorUser: TestUser;
  supervisionOrg: TestOrg;
  unitStaff: Session;
  /** `app.inject` as a session, with an optional JSON body. */
  inject: ReturnType<typeof injectAs>;
  close: () => Promise<void>;
}

/**
 * Builds the shared set-up. `providers` names providers A and B (made unique); `node` creates A's node with a code
 * prefix (made unique, at most 20 characters) and a name.
 */
export async function setupOperations(opts: { providers: readonly [string, string]; node?: { codePrefix: string; name: string } }): Promise<OperationsFixture> {
  const t = await createTestApp();
  const owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  const provA = await createOrg(t, { kind: 'cloud_provider', name: unique(opts.providers[0]) });
  const provB = await createOrg(t, { kind: 'cloud_provider', name: unique(opts.providers[1]) });
  const nodeA = opts.node
    ? await t.container.directory.ensureCloudNode(systemContext('test'), { code: unique(opts.node.codePrefix).slice(0, 20), name: opts.node.name, cloudType: 'service', providerOrgId: provA.id })
    : null;
  const provAStaff = (await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] })).session;
  const provBStaff = (await signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] })).session;
  const supervisionOrg = await createOrg(t, { kind: 'supervision_provider' });
  const su = await signedInUser(t, { orgId: supervisionOrg.id, roles: ['supervisor_staff'] });
  const unit = await createOrg(t, { kind: 'user_unit' });
  const unitStaff = (await signedInUser(t, { orgId: unit.id, roles: ['unit_staff'] })).session;
  return {
    t,
    owner,
    provA,
    provB,
    nodeA,
    provAStaff,
    provBStaff,
    supervisor: su.session,
    supervisorUser: su.user,
    supervisionOrg,
    unitStaff,
    inject: injectAs(t),
    close: async () => {
      await owner.end().catch(() => undefined);
      await t.close();
    },
  };
}
