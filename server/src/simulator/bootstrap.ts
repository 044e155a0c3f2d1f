/**
 * Preparing a platform for the simulator from inside (the demo feed, `zhengyun simulate --bootstrap`, tests): read the
 * directory into a fleet skeleton, give every provider its cloudProvider code (码表), issue one ingestion credential
 * per provider, register the simulated devices as syslog sources and the providers' query endpoints. Everything goes
 * through the container's services with the system context, and is idempotent: a second run re-uses codes and
 * sources and replaces its own credentials (revoking the previous ones of the same name).
 */
import { sql } from 'kysely';
import type { Container } from '../container.js';
import { systemContext, type RequestContext } from '../platform/context.js';
import { withTx } from '../platform/db/database.js';
import { INTERFACE_TABLES } from '../modules/ingestion/index.js';
import type { Fleet, SkeletonNode, SkeletonProvider, SkeletonSystem } from './fleet.js';
import type { ProviderCredential } from './pusher.js';
import { syslogSources } from './syslog-sender.js';

export const SIMULATOR_CREDENTIAL_NAME = 'demo-simulator';

/** The parts of the container the bootstrap uses. */
export type BootstrapContainer = Pick<Container, 'deps' | 'directory' | 'systems' | 'organisations' | 'credentials' | 'codeTables' | 'syslogSources' | 'queryPoller'>;

function ctx(): RequestContext {
  return systemContext('simulator-bootstrap');
}

/** A 4-character cloudProvider code from an organisation code: CSP-HJ → HJ01 (next free number when taken). */
export function deriveProviderCode(orgCode: string | null, name: string, taken: ReadonlySet<string>): string {
  const letters = (orgCode ?? '').toUpperCase().replace(/^CSP[-_]?/, '').replace(/[^A-Z0-9]/g, '');
  const stem = (letters || `P${(Array.from(name).reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 1000).toString().padStart(3, '0')}`).slice(0, 2).padEnd(2, 'X');
  for (let i = 1; i <= 99; i++) {
    const code = `${stem}${String(i).padStart(2, '0')}`;
    if (!taken.has(code)) return code;
  }
  for (let i = 0; i < 1296; i++) {
    const code = `Z${i.toString(36).toUpperCase().padStart(3, '0')}`;
    if (!taken.has(code)) return code;
  }
  throw new Error('no free cloudProvider code');
}

/**
 * The providers of the directory (every cloud provider running at least one active node) with their nodes, machine
 * rooms, network zones and registered information systems; nodes without a registered system get two unregistered
 * ones (their hosts are what the inventory flags as owned by no registered system). Ensures each provider has a
 * cloudProvider code, creating it when missing.
 */
export async function readDirectorySkeleton(
  c: BootstrapContainer,
  opts: { providers?: number; providerOrgIds?: string[]; providerOrgCodes?: string[] } = {},
): Promise<SkeletonProvider[]> {
  const context = ctx();
  const nodes = (await c.directory.listCloudNodes(context)).filter((n) => n.status === 'active' && n.provider);
  let providerIds = [...new Set(nodes.map((n) => n.provider!.id))].filter((id) => !opts.providerOrgIds || opts.providerOrgIds.includes(id));
  if (opts.providerOrgCodes) {
    const wanted: string[] = [];
    for (const id of providerIds) {
      const org = await c.organisations.get(context, id);
      if (org.code && opts.providerOrgCodes.includes(org.code)) wanted.push(id);
    }
    providerIds = wanted;
  }
  providerIds = providerIds.slice(0, opts.providers ?? providerIds.length);
  const codes = await ensureProviderCodes(c, providerIds);
  const out: SkeletonProvider[] = [];
  for (const providerId of providerIds) {
    const org = await c.organisations.get(context, providerId);
    const skNodes: SkeletonNode[] = [];
    for (const node of nodes.filter((n) => n.provider!.id === providerId).sort((a, b) => a.code.localeCompare(b.code))) {
      const rooms = (await c.directory.listRooms(context, node.id)).filter((r) => r.status === 'active').map((r) => r.code);
      const zones = (await c.directory.listZones(context, node.id)).filter((z) => z.status === 'active');
      const systems: SkeletonSystem[] = [];
      for (let page = 1; ; page++) {
        const r = await c.systems.list(context, { nodeId: node.id, status: 'active', page, pageSize: 200 });
        for (const s of r.items) {
          systems.push({
            systemId: s.systemNo,
            name: s.name,
            unitCode: s.unit.code ?? s.systemNo.replace(/\d{3}$/, ''),
            unitName: s.unit.name ?? s.name,
            registered: true,
            roomCode: s.machineRoom?.code ?? null,
            attributes: {
              systemType: s.systemType, gradingLevel: s.gradingLevel, operatingHours: s.operatingHours, serviceAudience: s.serviceAudience, serviceScope: s.serviceScope,
              networkNature: s.networkNature, interconnection: s.interconnection, functionDescription: s.functionDescription, preApprovalStatus: s.preApprovalStatus,
              goLiveDate: s.goLiveDate, accessUrl: s.accessUrl, appVendor: s.appVendor, contactName: s.contactName,
              contactMobile: s.contactsMasked ? null : s.contactMobile, contactEmail: s.contactsMasked ? null : s.contactEmail,
            },
          });
        }
        if (page * 200 >= r.total) break;
      }
      if (systems.length === 0) {
        for (let i = 1; i <= 2; i++) {
          const unitCode = `SIM${node.code.replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 8)}`;
          systems.push({
            systemId: `${unitCode}${String(900 + i)}`,
            name: `${node.name}未登记系统${i}`,
            unitCode,
            unitName: `${node.name}租户（未登记）`,
            registered: false,
            attributes: { networkNature: i === 1 ? '政务外网及互联网' : '政务外网', operatingHours: '7*24小时' },
          });
        }
      }
      skNodes.push({
        code: node.code,
        name: node.name,
        id: node.id,
        rooms,
        systems,
        internalCidr: zones.find((z) => z.zoneType === 'gov_extranet')?.cidrs[0] ?? null,
        publicCidr: zones.find((z) => z.zoneType === 'internet')?.cidrs[0] ?? null,
      });
    }
    out.push({ code: codes.get(providerId)!, name: org.name, orgId: providerId, orgCode: org.code ?? undefined, nodes: skNodes });
  }
  return out;
}

/** The cloudProvider code of each provider, created in the code table (码表) where missing. */
export async function ensureProviderCodes(c: BootstrapContainer, providerIds: readonly string[]): Promise<Map<string, string>> {
  const context = ctx();
  const tables = await c.codeTables.list(context);
  const values = tables.tables.find((t) => t.name === 'cloudProvider')?.values ?? [];
  const taken = new Set(values.map((v) => v.code));
  const out = new Map<string, string>();
  for (const id of providerIds) {
    const existing = values.find((v) => v.org?.id === id);
    if (existing) {
      if (!existing.active) await c.codeTables.put(context, 'cloudProvider', existing.code, { labelZh: existing.labelZh, orgId: id, active: true });
      out.set(id, existing.code);
      continue;
    }
    const org = await c.organisations.get(context, id);
    const code = deriveProviderCode(org.code, org.name, taken);
    await c.codeTables.put(context, 'cloudProvider', code, { labelZh: (org.shortName ?? org.name).slice(0, 50), orgId: id });
    taken.add(code);
    out.set(id, code);
  }
  return out;
}

/**
 * One credential per provider of the skeleton, named `name`; the provider's earlier active credentials of that name
 * are revoked first (the secrets of a previous run are gone with its process).
 */
export async function issueCredentials(c: BootstrapContainer, skeleton: readonly SkeletonProvider[], name = SIMULATOR_CREDENTIAL_NAME): Promise<ProviderCredential[]> {
  const context = ctx();
  const out: ProviderCredential[] = [];
  for (const p of skeleton) {
    if (!p.orgId) continue;
    const existing = await c.credentials.list(context, { providerOrgId: p.orgId, status: 'active', pageSize: 200 });
    for (const cred of existing.items) if (cred.name === name) await c.credentials.revoke(context, cred.id);
    const issued = await c.credentials.issue(context, { providerOrgId: p.orgId, name });
    out.push({ providerCode: p.code, nodes: p.nodes.map((n) => n.code), token: issued.token, signingSecret: issued.signingSecret });
  }
  return out;
}

/**
 * Registers every simulated syslog sender (security devices 127.0.1.n, hosts 127.0.2.n) as a syslog source of its
 * provider, node and device. An address already registered is updated to the simulated device. Returns the count.
 */
export async function registerSyslogSources(c: BootstrapContainer, fleet: Fleet): Promise<{ created: number; updated: number }> {
  const context = ctx();
  const existing = (await c.syslogSources.list(context, {})).items;
  let created = 0;
  let updated = 0;
  for (const s of syslogSources(fleet)) {
    const provider = fleet.providers.find((p) => p.code === s.providerCode)!;
    const node = provider.nodes.find((n) => n.code === s.nodeCode)!;
    if (!provider.orgId || !node.id) continue;
    const values =
      s.kind === 'security_device'
        ? { kind: 'security_device' as const, deviceName: s.device!.name, serialNumber: s.device!.serial, deviceType: s.device!.deviceType, cloudHostId: null, hostName: null, osType: null }
        : { kind: 'host' as const, cloudHostId: s.host!.cloudHostId, hostName: s.host!.name, osType: s.host!.osType, deviceName: null, serialNumber: null, deviceType: null };
    const network = `${s.address}/32`;
    const found = existing.find((e) => e.network === network || e.network === s.address);
    const description = '模拟器设备 simulated device';
    if (found) {
      const same = found.providerOrgId === provider.orgId && found.nodeId === node.id && (found as Record<string, unknown>).kind === values.kind &&
        (values.kind === 'security_device' ? (found as Record<string, unknown>).serialNumber === values.serialNumber : (found as Record<string, unknown>).cloudHostId === values.cloudHostId);
      if (!same) {
        await c.syslogSources.update(context, found.id, { providerOrgId: provider.orgId, nodeId: node.id, ...values, description, enabled: true });
        updated++;
      }
    } else {
      await c.syslogSources.create(context, { network: s.address, providerOrgId: provider.orgId, nodeId: node.id, ...values, description, enabled: true });
      created++;
    }
  }
  return { created, updated };
}

/**
 * Points each node's query endpoint (查询-响应) at the simulator's server for it, creating or re-pointing it, and
 * returns the signing secret per node code (rotated, as the previous one is not readable).
 */
export async function registerQueryEndpoints(c: BootstrapContainer, fleet: Fleet, baseUrlOf: (nodeCode: string) => string): Promise<Map<string, string>> {
  const context = ctx();
  const existing = await c.queryPoller.listEndpoints(context);
  const secrets = new Map<string, string>();
  for (const p of fleet.providers) {
    for (const n of p.nodes) {
      if (!n.id) continue;
      const baseUrl = baseUrlOf(n.code);
      const found = existing.find((e) => e.node.id === n.id);
      if (found) {
        // Only endpoints of a previous simulator run (loopback) are taken over; a real provider's is left alone.
        if (!/^https?:\/\/127\.0\.0\.1[:/]/.test(found.baseUrl)) continue;
        await c.queryPoller.updateEndpoint(context, found.id, { baseUrl, enabled: true });
        secrets.set(n.code, (await c.queryPoller.rotateSecret(context, found.id)).signingSecret);
      } else {
        const r = await c.queryPoller.createEndpoint(context, { nodeId: n.id, baseUrl, intervalMinutes: 5, enabled: true });
        secrets.set(n.code, r.signingSecret);
      }
    }
  }
  return secrets;
}

/**
 * The latest own time of the cloud-host metrics each provider has stored (the demo feed resumes after it instead of
 * backfilling again). Keyed by provider organisation ID.
 */
export async function lastMetricTimes(c: Pick<Container, 'deps'>, providerOrgIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (providerOrgIds.length === 0) return out;
  const table = INTERFACE_TABLES.find((t) => t.name === 'cloudHostMonitoring')!.sqlTable;
  const rows = await withTx(c.deps.db, ctx(), (trx) =>
    sql<{ provider: string; last: Date | null }>`select provider_org_id::text as provider, max(record_time) as last from ${sql.table(table)}
      where provider_org_id = any(${sql.val([...providerOrgIds])}::uuid[]) and received_at > now() - interval '8 days' group by provider_org_id`.execute(trx),
  );
  for (const r of rows.rows) if (r.last) out.set(r.provider, new Date(r.last).getTime());
  return out;
}
