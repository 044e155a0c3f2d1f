import { systemContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logger.js';
import type { DirectoryService, InformationSystemService } from '../directory/index.js';
import type { OrganisationService } from '../organisations/index.js';
import type { AccessService } from '../access/index.js';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Dec, formatYuan } from '../../platform/money.js';
import type { CatalogService } from '../catalog/index.js';
import { linesFromOrderTable, type EstimatesService, type OrderRow } from '../estimates/index.js';
import { DEMO_ACCOUNTS, DEMO_ESTIMATES, DEMO_INITIAL_PASSWORD, DEMO_NODES, DEMO_ORGS, DEMO_PRICE_SHARES, DEMO_SYSTEMS } from './demo.data.js';

/** orders.json of the spec, kept with the estimates module; found from src/ and from dist/ alike. */
const ORDERS_FILE = fileURLToPath(new URL('../../../src/modules/estimates/data/orders.json', import.meta.url));

interface OrderDocument {
  seed: string;
  package?: number;
  title: string;
  budgetYuan: number | null;
  maxPriceYuan: number | null;
  payment?: { milestones: Array<{ percent: number }> };
  tables: Array<{ rows: OrderRow[] }>;
}

/**
 * Loads the demo city (演示城市) into an empty database: organisations, cloud nodes and one account per role, all
 * with the documented initial password that must be changed at first sign-in. Does nothing if any organisation exists.
 */
/** Loads one module's part of the demo city; `orgIds` maps the demo organisations' keys (demo.data.ts) to their IDs. */
export type DemoExtra = (orgIds: ReadonlyMap<string, string>) => Promise<unknown>;

export class DemoService {
  constructor(
    private readonly db: Db,
    private readonly organisations: OrganisationService,
    private readonly access: AccessService,
    private readonly directory: DirectoryService,
    private readonly systems: InformationSystemService,
    private readonly catalog: CatalogService,
    private readonly estimates: EstimatesService,
    private readonly logger: Logger,
  ) {}

  private readonly extras: Array<{ name: string; load: DemoExtra; later: boolean }> = [];

  /**
   * Adds what another module contributes to the demo city (contracts, address pools, a key-guarantee period, sample
   * applications …), loaded after the organisations, nodes, systems, accounts, price lists and estimates, in the order
   * added. A failing extra is logged and skipped: the demo city stays usable without it. `later` parts (history-heavy
   * ones: tickets, a month of inspections, evaluation runs, probe history) may be loaded after the platform answers.
   */
  addExtra(name: string, load: DemoExtra, opts: { later?: boolean } = {}): void {
    this.extras.push({ name, load, later: opts.later ?? false });
  }

  /**
   * Loads the demo city into an empty database. With `deferLater` the `later` extras run in the background and the
   * returned `later` promise settles when they are done (the start command listens meanwhile); without it everything is
   * loaded before this resolves.
   */
  async loadIfEmpty(opts: { deferLater?: boolean } = {}): Promise<{ later: Promise<void> }> {
    const ctx = systemContext('demo-loader');
    const existing = await withTx(this.db, ctx, (trx) => trx.selectFrom('organisations').select('id').limit(1).executeTakeFirst());
    if (existing) return { later: Promise.resolve() };
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
    const phaseMs: Record<string, number> = {};
    let mark = started;
    const phase = (name: string): void => {
      phaseMs[name] = Date.now() - mark;
      mark = Date.now();
    };
    phase('organisations');
    const nodeIds = new Map<string, string>();
    for (const [i, node] of DEMO_NODES.entries()) {
      const { provider, room, ...rest } = node;
      const nodeId = await this.directory.ensureCloudNode(ctx, { ...rest, providerOrgId: orgIds.get(provider) ?? null });
      nodeIds.set(node.code, nodeId);
      await this.directory.createRoom(ctx, nodeId, { code: room, name: `${node.site ?? node.name}${i + 1}号机房` });
      await this.directory.createZone(ctx, nodeId, { zoneType: 'gov_extranet', name: '电子政务外网区', cidrs: [`10.${100 + i}.0.0/16`] });
      await this.directory.createZone(ctx, nodeId, { zoneType: 'internet', name: '互联网区', cidrs: [`203.0.113.${i * 16}/28`] });
      await this.directory.createZone(ctx, nodeId, { zoneType: 'exchange', name: '安全数据交换区', cidrs: [`172.${16 + i}.0.0/20`] });
    }
    phase('nodes');
    for (const system of DEMO_SYSTEMS) {
      const unitId = orgIds.get(system.unit);
      const nodeId = nodeIds.get(system.node);
      if (unitId && nodeId) await this.systems.create(ctx, { unitId, nodeId, ...system.fields });
    }
    phase('systems');
    // One transaction per account, all at once: the password hashes (PBKDF2-SM3) run in parallel on libuv's pool; the
    // audit chain's lock orders the inserts.
    await Promise.all(
      DEMO_ACCOUNTS.map((account) => {
        const orgId = orgIds.get(account.org);
        if (!orgId) throw new Error(`demo account ${account.username} names an unknown organisation ${account.org}`);
        return withTx(this.db, ctx, (trx) =>
          this.access.createUserIn(trx, ctx, {
            orgId,
            username: account.username,
            displayName: account.displayName,
            password: DEMO_INITIAL_PASSWORD,
            mustChangePassword: true,
            roleCodes: [account.role],
          }),
        );
      }),
    );
    phase('accounts');
    const priceLists = await this.loadPriceLists(orgIds);
    await this.loadEstimates(orgIds, priceLists);
    phase('pricesAndEstimates');
    const extrasMs: Record<string, number> = {};
    const loadExtras = async (later: boolean): Promise<void> => {
      for (const extra of this.extras.filter((e) => e.later === later)) {
        const t = Date.now();
        try {
          await extra.load(orgIds);
          extrasMs[extra.name] = Date.now() - t;
        } catch (err) {
          this.logger.warn({ err, extra: extra.name }, 'demo city: an optional part was not loaded');
        }
      }
    };
    await loadExtras(false);
    const done = (): void =>
      this.logger.info(
        { organisations: DEMO_ORGS.length, nodes: DEMO_NODES.length, accounts: DEMO_ACCOUNTS.map((a) => a.username), initialPassword: DEMO_INITIAL_PASSWORD, ms: Date.now() - started, phaseMs, extrasMs },
        'demo city loaded: sign in with any demo account and the initial password, then change it',
      );
    if (!opts.deferLater) {
      await loadExtras(true);
      done();
      return { later: Promise.resolve() };
    }
    return { later: loadExtras(true).then(done) };
  }

  /** One approved price list per provider at a share of the caps; returns the list ID per provider key. */
  private async loadPriceLists(orgIds: Map<string, string>): Promise<Map<string, string>> {
    const ctx = systemContext('demo-loader');
    const version = await this.catalog.getCurrent(ctx);
    const basic = version.items.filter((i) => i.kind === 'basic' && i.maxUnitPrice !== null);
    const ids = new Map<string, string>();
    for (const { provider, percent } of DEMO_PRICE_SHARES) {
      const providerId = orgIds.get(provider);
      if (!providerId) continue;
      const list = await this.catalog.createPriceList(ctx, {
        providerId,
        catalogVersionId: version.id,
        effectiveFrom: version.effectiveFrom ?? '2026-01-01',
        note: `演示报价：最高限价的 ${percent}%`,
        items: basic.map((i) => ({ itemCode: i.code, unitPrice: formatYuan(new Dec(i.maxUnitPrice!).times(percent).dividedBy(100)) })),
      });
      await this.catalog.submitPriceList(ctx, list.id);
      await this.catalog.decidePriceList(ctx, list.id, 'approved', '演示数据');
      ids.set(provider, list.id);
    }
    return ids;
  }

  private async loadEstimates(orgIds: Map<string, string>, priceLists: Map<string, string>): Promise<void> {
    if (!fs.existsSync(ORDERS_FILE)) return;
    const ctx = systemContext('demo-loader');
    const documents = (JSON.parse(fs.readFileSync(ORDERS_FILE, 'utf8')) as { documents: OrderDocument[] }).documents;
    for (const wanted of DEMO_ESTIMATES) {
      const doc = documents.find((d) => d.seed === wanted.seed && (wanted.package === undefined || d.package === wanted.package));
      const unitId = orgIds.get(wanted.unit);
      if (!doc || !unitId) continue;
      await this.estimates.create(ctx, {
        unitId,
        title: doc.title,
        priceListId: wanted.priceProvider ? priceLists.get(wanted.priceProvider) ?? null : null,
        budget: doc.budgetYuan === null ? null : formatYuan(new Dec(String(doc.budgetYuan))),
        ceiling: doc.maxPriceYuan === null ? null : formatYuan(new Dec(String(doc.maxPriceYuan))),
        milestonePercents: doc.payment?.milestones.map((m) => String(m.percent)),
        lines: doc.tables.flatMap((t) => linesFromOrderTable(t)),
        validRowsOnly: true,
      });
    }
  }
}
