import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { SourceEntry, SourceKind } from './mapping.js';
import type { Source, SourceListQuery } from './sources.schemas.js';

const columns = [
  's.id',
  's.providerOrgId',
  's.nodeId',
  's.kind',
  's.deviceName',
  's.serialNumber',
  's.deviceType',
  's.cloudHostId',
  's.hostName',
  's.osType',
  's.description',
  's.enabled',
  's.createdAt',
  's.updatedAt',
] as const;

export interface SourceValues {
  network: string;
  providerOrgId: string;
  nodeId: string;
  kind: SourceKind;
  deviceName: string | null;
  serialNumber: string | null;
  deviceType: string | null;
  cloudHostId: string | null;
  hostName: string | null;
  osType: string | null;
  description: string | null;
  enabled: boolean;
}

function base(db: Executor) {
  return db
    .selectFrom('syslogSources as s')
    .leftJoin('organisations as o', 'o.id', 's.providerOrgId')
    .leftJoin('cloudNodes as n', 'n.id', 's.nodeId')
    .select(columns)
    .select([sql<string>`s.network::text`.as('network'), 'o.name as providerName', 'n.name as nodeName']);
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

function toSource(r: Row): Source {
  return {
    ...r,
    kind: r.kind as SourceKind,
    providerName: r.providerName ?? null,
    nodeName: r.nodeName ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function listSources(db: Executor, q: SourceListQuery): Promise<Source[]> {
  let query = base(db);
  if (q.providerOrgId) query = query.where('s.providerOrgId', '=', q.providerOrgId);
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb(sql`s.network::text`, 'ilike', like),
        eb('s.deviceName', 'ilike', like),
        eb('s.serialNumber', 'ilike', like),
        eb('s.cloudHostId', 'ilike', like),
        eb('s.hostName', 'ilike', like),
        eb('s.description', 'ilike', like),
      ]),
    );
  }
  const rows = await query.orderBy(sql`s.network`).execute();
  return rows.map(toSource);
}

export async function getSource(db: Executor, id: string, forUpdate = false): Promise<Source | null> {
  let q = base(db).where('s.id', '=', id);
  if (forUpdate) q = q.forUpdate(['s']);
  const row = await q.executeTakeFirst();
  return row ? toSource(row) : null;
}

export async function networkTaken(db: Executor, network: string, exceptId: string | null): Promise<boolean> {
  // Checked without RLS in mind: the unique index covers every provider, so the check must too (see service).
  let q = db.selectFrom('syslogSources').select('id').where(sql`network`, '=', sql`${network}::cidr`);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function insertSource(db: Executor, v: SourceValues): Promise<string> {
  const row = await db
    .insertInto('syslogSources')
    .values({ ...v, network: sql`${v.network}::cidr` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateSource(db: Executor, id: string, v: SourceValues): Promise<void> {
  await db
    .updateTable('syslogSources')
    .set({ ...v, network: sql`${v.network}::cidr`, updatedAt: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function deleteSource(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('syslogSources').where('id', '=', id).execute();
}

/** Every source, for the receiver's matcher (run with the system context). */
export async function loadEntries(db: Executor): Promise<SourceEntry[]> {
  const rows = await db
    .selectFrom('syslogSources')
    .select(['id', 'providerOrgId', 'nodeId', 'kind', 'enabled', 'deviceName', 'serialNumber', 'deviceType', 'cloudHostId', 'hostName', 'osType'])
    .select(sql<string>`network::text`.as('network'))
    .execute();
  return rows.map((r) => ({ ...r, kind: r.kind as SourceKind }));
}
