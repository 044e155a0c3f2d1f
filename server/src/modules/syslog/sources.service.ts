import type { RequestContext } from '../../platform/context.js';
import { hasPermission, systemContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import type { SourceEntry } from './mapping.js';
import { deleteSource, getSource, insertSource, listSources, loadEntries, networkTaken, updateSource, type SourceValues } from './sources.repository.js';
import { missingKindFields, type NewSource, type Source, type SourceListQuery, type SourcePatch } from './sources.schemas.js';

/**
 * Syslog sources (syslog 来源): sending address → cloud provider, node and device. The management unit maintains them
 * (ingest:config); a provider reads its own (row-level security). Listeners (the receiver) hear of every change.
 */
export class SyslogSourcesService {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly db: Db) {}

  /** Called after every committed change (the receiver reloads its matcher). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async list(ctx: RequestContext, q: SourceListQuery): Promise<{ items: Source[]; abilities: { configure: boolean } }> {
    const items = await withTx(this.db, ctx, (trx) => listSources(trx, q));
    return { items, abilities: { configure: hasPermission(ctx.actor, 'ingest:config') } };
  }

  async get(ctx: RequestContext, id: string): Promise<Source> {
    const s = await withTx(this.db, ctx, (trx) => getSource(trx, id));
    if (!s) throw notFound('syslog_sources', id);
    return s;
  }

  async create(ctx: RequestContext, input: NewSource): Promise<Source> {
    const values: SourceValues = {
      network: input.network,
      providerOrgId: input.providerOrgId,
      nodeId: input.nodeId,
      kind: input.kind,
      ...deviceValues(input),
      description: input.description ?? null,
      enabled: input.enabled ?? true,
    };
    const source = await withTx(this.db, ctx, async (trx) => {
      await this.check(trx, values, null);
      const id = await insertUnique(() => insertSource(trx, values), values.network);
      await recordAudit(trx, ctx, { action: 'syslog_sources.create', targetType: 'syslog_source', targetId: id, after: values });
      return (await getSource(trx, id))!;
    });
    this.changed();
    return source;
  }

  async update(ctx: RequestContext, id: string, patch: SourcePatch): Promise<Source> {
    const source = await withTx(this.db, ctx, async (trx) => {
      const before = await getSource(trx, id, true);
      if (!before) throw notFound('syslog_sources', id);
      const merged = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as Source;
      const values: SourceValues = {
        network: merged.network,
        providerOrgId: merged.providerOrgId,
        nodeId: merged.nodeId,
        kind: merged.kind,
        ...deviceValues(merged),
        description: merged.description ?? null,
        enabled: merged.enabled,
      };
      const missing = missingKindFields(values);
      if (missing.length) {
        throw new AppError('validation', 'syslog.missing_device_fields', `A source of kind ${values.kind} needs ${missing.join(', ')}`, {
          issues: missing.map((f) => ({ field: `body.${f}`, rule: 'required', message: `is required for a source of kind ${values.kind}` })),
        });
      }
      await this.check(trx, values, id);
      await insertUnique(() => updateSource(trx, id, values), values.network);
      await recordAudit(trx, ctx, { action: 'syslog_sources.update', targetType: 'syslog_source', targetId: id, before, after: patch });
      return (await getSource(trx, id))!;
    });
    this.changed();
    return source;
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    await withTx(this.db, ctx, async (trx) => {
      const before = await getSource(trx, id, true);
      if (!before) throw notFound('syslog_sources', id);
      await deleteSource(trx, id);
      await recordAudit(trx, ctx, { action: 'syslog_sources.delete', targetType: 'syslog_source', targetId: id, before });
    });
    this.changed();
  }

  /** Every source, read as the platform (the receiver serves all providers). */
  async loadAll(): Promise<SourceEntry[]> {
    const ctx = systemContext('syslog.sources');
    return withTx(this.db, ctx, (trx) => loadEntries(trx));
  }

  private async check(trx: Tx, v: SourceValues, id: string | null): Promise<void> {
    const provider = await trx.selectFrom('organisations').select('kind').where('id', '=', v.providerOrgId).executeTakeFirst();
    if (!provider) {
      throw new AppError('validation', 'syslog.provider_not_found', 'The provider organisation does not exist', { issues: [{ field: 'body.providerOrgId', rule: 'exists', message: 'no such organisation' }] });
    }
    if (provider.kind !== 'cloud_provider') {
      throw new AppError('validation', 'syslog.provider_wrong_kind', 'A syslog source belongs to a cloud provider (云服务商)', {
        issues: [{ field: 'body.providerOrgId', rule: 'cloud_provider', message: 'must be a cloud provider' }],
      });
    }
    const node = await trx.selectFrom('cloudNodes').select('providerOrgId').where('id', '=', v.nodeId).executeTakeFirst();
    if (!node) throw new AppError('validation', 'syslog.node_not_found', 'The cloud node does not exist', { issues: [{ field: 'body.nodeId', rule: 'exists', message: 'no such cloud node' }] });
    if (node.providerOrgId !== v.providerOrgId) {
      throw new AppError('validation', 'syslog.node_not_of_provider', 'The cloud node is not run by this provider', {
        issues: [{ field: 'body.nodeId', rule: 'own_node', message: 'must be a node the provider runs' }],
      });
    }
    if (await networkTaken(trx, v.network, id)) throw networkConflict(v.network);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

function deviceValues(v: Partial<Pick<Source, 'kind' | 'deviceName' | 'serialNumber' | 'deviceType' | 'cloudHostId' | 'hostName' | 'osType'>>) {
  // Fields of the other kind are not kept: a host has no serial number here, a firewall no cloud host id.
  const security = v.kind === 'security_device';
  return {
    deviceName: security ? (v.deviceName ?? null) : null,
    serialNumber: security ? (v.serialNumber ?? null) : null,
    deviceType: security ? (v.deviceType ?? null) : null,
    cloudHostId: security ? null : (v.cloudHostId ?? null),
    hostName: security ? null : (v.hostName ?? null),
    osType: security ? null : (v.osType ?? null),
  };
}

function networkConflict(network: string): AppError {
  return new AppError('conflict', 'syslog.network_taken', `Another source already has the network ${network}`, {
    issues: [{ field: 'body.network', rule: 'unique', message: 'another source has this network', value: network }],
  });
}

async function insertUnique<T>(fn: () => Promise<T>, network: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw networkConflict(network);
    throw e;
  }
}
