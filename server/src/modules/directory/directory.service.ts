import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import type { CloudNode, MachineRoom, MachineRoomPatch, NetworkZone, NetworkZonePatch, NewCloudNode, NewMachineRoom, NewNetworkZone } from './directory.schemas.js';

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
  async listRooms(ctx: RequestContext, nodeId: string): Promise<MachineRoom[]> {
    return withTx(this.db, ctx, async (trx) => {
      await nodeExists(trx, nodeId);
      const rows = await trx.selectFrom('machineRooms').select(['id', 'nodeId', 'code', 'name', 'address', 'status']).where('nodeId', '=', nodeId).orderBy('code').execute();
      return rows.map((r) => ({ ...r, status: r.status as MachineRoom['status'] }));
    });
  }

  async createRoom(ctx: RequestContext, nodeId: string, input: NewMachineRoom): Promise<MachineRoom> {
    return withTx(this.db, ctx, async (trx) => {
      await nodeExists(trx, nodeId);
      const dup = await trx.selectFrom('machineRooms').select('id').where('nodeId', '=', nodeId).where('code', '=', input.code).executeTakeFirst();
      if (dup) throw new AppError('conflict', 'directory.room_code_taken', 'The node already has a machine room with this code', { field: 'body.code', value: input.code });
      const row = await trx
        .insertInto('machineRooms')
        .values({ nodeId, code: input.code, name: input.name, address: input.address ?? null })
        .returning(['id', 'nodeId', 'code', 'name', 'address', 'status'])
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'machine_rooms.create', targetType: 'machine_room', targetId: row.id, after: { nodeId, ...input } });
      return { ...row, status: row.status as MachineRoom['status'] };
    });
  }

  async updateRoom(ctx: RequestContext, nodeId: string, id: string, patch: MachineRoomPatch): Promise<MachineRoom> {
    return withTx(this.db, ctx, async (trx) => {
      const before = await trx.selectFrom('machineRooms').select(['id', 'nodeId', 'code', 'name', 'address', 'status']).where('id', '=', id).where('nodeId', '=', nodeId).forUpdate().executeTakeFirst();
      if (!before) throw notFound('machine_rooms', id);
      const row = await trx.updateTable('machineRooms').set({ ...patch, updatedAt: new Date() }).where('id', '=', id).returning(['id', 'nodeId', 'code', 'name', 'address', 'status']).executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'machine_rooms.update', targetType: 'machine_room', targetId: id, before, after: patch });
      return { ...row, status: row.status as MachineRoom['status'] };
    });
  }

  async listZones(ctx: RequestContext, nodeId: string): Promise<NetworkZone[]> {
    return withTx(this.db, ctx, async (trx) => {
      await nodeExists(trx, nodeId);
      const rows = await trx.selectFrom('networkZones').select(zoneColumns).where('nodeId', '=', nodeId).orderBy('zoneType').orderBy('name').execute();
      return rows.map(toZone);
    });
  }

  async createZone(ctx: RequestContext, nodeId: string, input: NewNetworkZone): Promise<NetworkZone> {
    return withTx(this.db, ctx, async (trx) => {
      await nodeExists(trx, nodeId);
      const dup = await trx.selectFrom('networkZones').select('id').where('nodeId', '=', nodeId).where('name', '=', input.name).executeTakeFirst();
      if (dup) throw new AppError('conflict', 'directory.zone_name_taken', 'The node already has a network zone with this name', { field: 'body.name', value: input.name });
      const row = await trx
        .insertInto('networkZones')
        .values({ nodeId, zoneType: input.zoneType, name: input.name, cidrs: input.cidrs ?? [], description: input.description ?? null })
        .returning(zoneColumns)
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'network_zones.create', targetType: 'network_zone', targetId: row.id, after: { nodeId, ...input } });
      return toZone(row);
    });
  }

  async updateZone(ctx: RequestContext, nodeId: string, id: string, patch: NetworkZonePatch): Promise<NetworkZone> {
    return withTx(this.db, ctx, async (trx) => {
      const before = await trx.selectFrom('networkZones').select(zoneColumns).where('id', '=', id).where('nodeId', '=', nodeId).forUpdate().executeTakeFirst();
      if (!before) throw notFound('network_zones', id);
      if (patch.name && patch.name !== before.name) {
        const dup = await trx.selectFrom('networkZones').select('id').where('nodeId', '=', nodeId).where('name', '=', patch.name).executeTakeFirst();
        if (dup) throw new AppError('conflict', 'directory.zone_name_taken', 'The node already has a network zone with this name', { field: 'body.name', value: patch.name });
      }
      const row = await trx.updateTable('networkZones').set({ ...patch, updatedAt: new Date() }).where('id', '=', id).returning(zoneColumns).executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'network_zones.update', targetType: 'network_zone', targetId: id, before, after: patch });
      return toZone(row);
    });
  }
}

const zoneColumns = ['id', 'nodeId', 'zoneType', 'name', 'cidrs', 'description', 'status'] as const;
function toZone(r: { id: string; nodeId: string; zoneType: string; name: string; cidrs: string[]; description: string | null; status: string }): NetworkZone {
  return { ...r, zoneType: r.zoneType as NetworkZone['zoneType'], status: r.status as NetworkZone['status'] };
}

async function nodeExists(trx: Tx, nodeId: string): Promise<void> {
  const node = await trx.selectFrom('cloudNodes').select('id').where('id', '=', nodeId).executeTakeFirst();
  if (!node) throw notFound('cloud_nodes', nodeId);
}

async function listNodes(trx: Tx): Promise<CloudNode[]> {
  const rows = await trx
    .selectFrom('cloudNodes as n')
    // Provider names are public directory information (zy_provider_name), even where RLS hides the provider's record.
    .select(['n.id', 'n.code', 'n.name', 'n.cloudType', 'n.site', 'n.description', 'n.status', 'n.providerOrgId as providerId'])
    .select(sql<string | null>`zy_provider_name(n.provider_org_id)`.as('providerName'))
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
