import type { RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import type { CloudNode, NewCloudNode } from './directory.schemas.js';

/** Cloud nodes (云节点). Every signed-in user may read the list: it is public directory information. */
export class DirectoryService {
  constructor(private readonly db: Db) {}

  async listCloudNodes(ctx: RequestContext): Promise<CloudNode[]> {
    return withTx(this.db, ctx, (trx) => listNodes(trx));
  }

  /** Creates a node (demo loader and, later, the management unit's directory pages). Idempotent on `code`. */
  async ensureCloudNode(ctx: RequestContext, input: NewCloudNode): Promise<string> {
    return withTx(this.db, ctx, async (trx) => {
      const existing = await trx.selectFrom('cloudNodes').select('id').where('code', '=', input.code).executeTakeFirst();
      if (existing) return existing.id;
      if (input.providerOrgId) {
        const provider = await trx.selectFrom('organisations').select('kind').where('id', '=', input.providerOrgId).executeTakeFirst();
        if (!provider) throw new AppError('validation', 'directory.provider_not_found', 'The provider organisation does not exist', { field: 'providerOrgId' });
        if (provider.kind !== 'cloud_provider') {
          throw new AppError('validation', 'directory.provider_wrong_kind', 'A cloud node must be run by a cloud provider (云服务商)', { field: 'providerOrgId' });
        }
      }
      const row = await trx
        .insertInto('cloudNodes')
        .values({
          code: input.code,
          name: input.name,
          cloudType: input.cloudType,
          site: input.site ?? null,
          providerOrgId: input.providerOrgId ?? null,
          description: input.description ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'cloud_nodes.create', targetType: 'cloud_node', targetId: row.id, after: input });
      return row.id;
    });
  }
}

async function listNodes(trx: Tx): Promise<CloudNode[]> {
  const rows = await trx
    .selectFrom('cloudNodes as n')
    .leftJoin('organisations as o', 'o.id', 'n.providerOrgId')
    .select(['n.id', 'n.code', 'n.name', 'n.cloudType', 'n.site', 'n.description', 'n.status', 'o.id as providerId', 'o.name as providerName'])
    .orderBy('n.code')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    cloudType: r.cloudType as CloudNode['cloudType'],
    site: r.site,
    description: r.description,
    status: r.status as CloudNode['status'],
    provider: r.providerId && r.providerName ? { id: r.providerId, name: r.providerName } : null,
  }));
}
