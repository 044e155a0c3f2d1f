import { systemContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logger.js';
import type { DirectoryService } from '../directory/index.js';
import type { OrganisationService } from '../organisations/index.js';
import type { AccessService } from '../access/index.js';
import { DEMO_ACCOUNTS, DEMO_INITIAL_PASSWORD, DEMO_NODES, DEMO_ORGS } from './demo.data.js';

/**
 * Loads the demo city (演示城市) into an empty database: organisations, cloud nodes and one account per role, all
 * with the documented initial password that must be changed at first sign-in. Does nothing if any organisation exists.
 */
export class DemoService {
  constructor(
    private readonly db: Db,
    private readonly organisations: OrganisationService,
    private readonly access: AccessService,
    private readonly directory: DirectoryService,
    private readonly logger: Logger,
  ) {}

  async loadIfEmpty(): Promise<void> {
    const ctx = systemContext('demo-loader');
    const existing = await withTx(this.db, ctx, (trx) => trx.selectFrom('organisations').select('id').limit(1).executeTakeFirst());
    if (existing) return;
    const started = Date.now();
    const orgIds = new Map<string, string>();
    for (const org of DEMO_ORGS) {
      const parentId = org.parent ? orgIds.get(org.parent) ?? null : null;
      const created = await this.organisations.create(ctx, {
        kind: org.kind,
        name: org.name,
        shortName: org.shortName ?? null,
        code: org.code,
        parentId,
        description: org.description ?? null,
      });
      orgIds.set(org.key, created.id);
    }
    for (const node of DEMO_NODES) {
      const { provider, ...rest } = node;
      await this.directory.ensureCloudNode(ctx, { ...rest, providerOrgId: orgIds.get(provider) ?? null });
    }
    for (const account of DEMO_ACCOUNTS) {
      const orgId = orgIds.get(account.org);
      if (!orgId) throw new Error(`demo account ${account.username} names an unknown organisation ${account.org}`);
      await withTx(this.db, ctx, (trx) =>
        this.access.createUserIn(trx, ctx, {
          orgId,
          username: account.username,
          displayName: account.displayName,
          password: DEMO_INITIAL_PASSWORD,
          mustChangePassword: true,
          roleCodes: [account.role],
        }),
      );
    }
    this.logger.info(
      { organisations: DEMO_ORGS.length, nodes: DEMO_NODES.length, accounts: DEMO_ACCOUNTS.map((a) => a.username), initialPassword: DEMO_INITIAL_PASSWORD, ms: Date.now() - started },
      'demo city loaded: sign in with any demo account and the initial password, then change it',
    );
  }
}
