import { sql } from 'kysely';
import { systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import { validationError } from '../../platform/errors.js';
import { localDate } from '../calendar/index.js';
import type { InventoryService } from '../inventory/index.js';
import { readBatchRecords } from '../ingestion/index.js';
import { importAfterCursor } from './security.cursor.js';

const PUSHED_TABLE = 'patchInstallation';
/** A patch should be installed within this many natural days of its release (configurable per query). */
export const DEFAULT_PATCH_WINDOW_DAYS = 30;

export type PatchStatus = 'on_time' | 'late' | 'missing' | 'pending' | 'unknown';

/**
 * The status of one host × patch against the window: installed within `windowDays` natural days of the release →
 * on_time, later → late; not installed and the window passed → missing, still inside it → pending; a release date
 * that is not a date → unknown (shown, never counted as compliant).
 */
export function patchStatus(releasedOn: string | null, installedOn: string | null, today: string, windowDays: number): PatchStatus {
  if (releasedOn === null) return 'unknown';
  const due = addDays(releasedOn, windowDays);
  if (installedOn !== null) return installedOn <= due ? 'on_time' : 'late';
  return today > due ? 'missing' : 'pending';
}

/** A date out of the free-text time fields (an1..50): 2026-11-02, 2026/11/02, 2026.11.02, 2026年11月2日, with or without a time. */
export function parsePatchDate(text: string | null | undefined): string | null {
  if (!text) return null;
  const m = /^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export interface PatchComplianceRow {
  providerId: string;
  providerName: string | null;
  hosts: number;
  patches: number;
  onTime: number;
  late: number;
  missing: number;
  pending: number;
  unknown: number;
  /** on_time / (on_time + late + missing), 4 decimals; null when nothing fell due. */
  complianceRate: string | null;
}

export interface PatchRecord {
  id: string;
  providerId: string;
  providerName: string | null;
  cloudHostId: string;
  resourceId: string | null;
  systemName: string | null;
  unitName: string | null;
  patchName: string;
  patchType: string | null;
  releasedText: string | null;
  releasedOn: string | null;
  installedText: string | null;
  installedOn: string | null;
  status: PatchStatus;
  /** Natural days past the window (missing or late), else 0. */
  daysOverdue: number;
  lastReportedAt: string;
}

const day = (d: Date | string | null) => (d === null ? null : typeof d === 'string' ? d.slice(0, 10) : localDate(d));
const dayDiff = (a: string, b: string) => Math.round((Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000);

/**
 * Patch compliance (补丁合规) from the pushed 安全补丁安装数据: imported after a cursor like the scan data (idempotent per
 * batch; a later report of the same host × patch updates it), then judged against a window of natural days from the
 * release. Visibility as findings: a provider its own hosts, a unit its systems' hosts, supervision and management all.
 */
export class PatchComplianceService {
  constructor(
    private readonly db: Db,
    private readonly inventory: InventoryService,
  ) {}

  /** Imports the stored 安全补丁安装数据 batches after the cursor. */
  async importPending(): Promise<{ batches: number; records: number }> {
    const ctx = systemContext('job:security.patches');
    let records = 0;
    const batches = await importAfterCursor(this.db, ctx, { table: PUSHED_TABLE, lock: 'security.patches' }, async (trx, batch) => {
      const rows = (await readBatchRecords(trx, batch)).filter((r) => r['cloudHostId'] && r['patchName']);
      // One host × patch once per batch: the last record wins.
      const unique = new Map(rows.map((r) => [`${r['cloudHostId']}\u0000${r['patchName']}`, r]));
      const located = await this.inventory.locateHosts(ctx, { providerOrgId: batch.providerOrgId, cloudHostIds: [...new Set([...unique.values()].map((r) => r['cloudHostId']!))] });
      const byId = new Map(located.map((h) => [h.cloudHostId, h]));
      const values = [...unique.values()].map((r) => {
        const h = byId.get(r['cloudHostId']!);
        return {
          providerOrgId: batch.providerOrgId, nodeId: h?.nodeId ?? batch.nodeId, cloudHostId: r['cloudHostId']!, resourceId: h?.resourceId ?? null, unitOrgId: h?.unitOrgId ?? null,
          systemId: h?.systemId ?? null, patchName: r['patchName']!, patchType: r['patchType'] ?? null, releasedText: r['patchReleasedAt'] ?? null, releasedOn: parsePatchDate(r['patchReleasedAt']),
          installedText: r['patchInstalledAt'] ?? null, installedOn: parsePatchDate(r['patchInstalledAt']), checkedBy: r['checkedBy'] ?? null,
          firstReportedAt: batch.receivedAt, lastReportedAt: batch.receivedAt, lastBatchId: batch.id,
        };
      });
      for (let i = 0; i < values.length; i += 1000) {
        await trx
          .insertInto('securityPatches')
          .values(values.slice(i, i + 1000))
          .onConflict((oc) =>
            oc.columns(['providerOrgId', 'cloudHostId', 'patchName']).doUpdateSet((eb) => ({
              nodeId: eb.ref('excluded.nodeId'), resourceId: eb.ref('excluded.resourceId'), unitOrgId: eb.ref('excluded.unitOrgId'), systemId: eb.ref('excluded.systemId'),
              patchType: eb.ref('excluded.patchType'), releasedText: eb.ref('excluded.releasedText'), releasedOn: eb.ref('excluded.releasedOn'), installedText: eb.ref('excluded.installedText'),
              installedOn: eb.ref('excluded.installedOn'), checkedBy: eb.ref('excluded.checkedBy'), lastReportedAt: eb.ref('excluded.lastReportedAt'), lastBatchId: eb.ref('excluded.lastBatchId'),
            })),
          )
          .execute();
      }
      records += values.length;
    });
    return { batches, records };
  }

  /** Per provider: hosts and patches reported, on time / late / missing / pending / unknown, and the compliance rate. */
  async compliance(ctx: RequestContext, q: { windowDays?: number; providerId?: string } = {}): Promise<PatchComplianceRow[]> {
    const window = windowOf(q.windowDays);
    const today = localDate(new Date());
    return withTx(this.db, ctx, async (trx) => {
      let query = trx
        .selectFrom('securityPatches as s')
        .leftJoin('organisations as p', 'p.id', 's.providerOrgId')
        .select((eb) => [
          's.providerOrgId', 'p.name as providerName',
          sql<string>`count(distinct s.cloud_host_id)`.as('hosts'),
          eb.fn.countAll<string>().as('patches'),
          ...statusCounts(window, today),
        ])
        .groupBy(['s.providerOrgId', 'p.name'])
        .orderBy('p.name');
      if (q.providerId) query = query.where('s.providerOrgId', '=', q.providerId);
      const rows = await query.execute();
      return rows.map((r) => {
        const [onTime, late, missing] = [Number(r.onTime), Number(r.late), Number(r.missing)];
        const due = onTime + late + missing;
        return {
          providerId: r.providerOrgId, providerName: r.providerName, hosts: Number(r.hosts), patches: Number(r.patches), onTime, late, missing, pending: Number(r.pending), unknown: Number(r.unknown),
          complianceRate: due > 0 ? (onTime / due).toFixed(4) : null,
        };
      });
    });
  }

  /** The host × patch records, worst first (missing by days overdue, then late, pending, unknown, on time). */
  async list(ctx: RequestContext, q: { status?: PatchStatus; providerId?: string; keyword?: string; windowDays?: number; page?: number; pageSize?: number }): Promise<{ items: PatchRecord[]; total: number; page: number; pageSize: number }> {
    const window = windowOf(q.windowDays);
    const today = localDate(new Date());
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    return withTx(this.db, ctx, async (trx) => {
      let query = trx
        .selectFrom('securityPatches as s')
        .leftJoin('organisations as p', 'p.id', 's.providerOrgId')
        .leftJoin('organisations as u', 'u.id', 's.unitOrgId')
        .leftJoin('informationSystems as i', 'i.id', 's.systemId')
        .select([
          's.id', 's.providerOrgId', 'p.name as providerName', 's.cloudHostId', 's.resourceId', 'i.name as systemName', 'u.name as unitName', 's.patchName', 's.patchType',
          's.releasedText', 's.releasedOn', 's.installedText', 's.installedOn', 's.lastReportedAt', statusSql(window, today).as('status'),
        ]);
      if (q.providerId) query = query.where('s.providerOrgId', '=', q.providerId);
      if (q.keyword) query = query.where((eb) => eb.or([eb('s.cloudHostId', 'ilike', `%${q.keyword}%`), eb('s.patchName', 'ilike', `%${q.keyword}%`)]));
      if (q.status) query = query.where(statusSql(window, today), '=', q.status);
      const total = await query.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const rows = await query
        .orderBy(sql`case ${statusSql(window, today)} when 'missing' then 0 when 'late' then 1 when 'pending' then 2 when 'unknown' then 3 else 4 end`)
        .orderBy('s.releasedOn')
        .orderBy('s.id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      return {
        items: rows.map((r) => {
          const released = day(r.releasedOn);
          const installed = day(r.installedOn);
          const status = r.status as PatchStatus;
          const dueDay = released ? addDays(released, window) : null;
          const daysOverdue = dueDay === null ? 0 : status === 'missing' ? dayDiff(today, dueDay) : status === 'late' && installed ? dayDiff(installed, dueDay) : 0;
          return {
            id: r.id, providerId: r.providerOrgId, providerName: r.providerName, cloudHostId: r.cloudHostId, resourceId: r.resourceId, systemName: r.systemName, unitName: r.unitName,
            patchName: r.patchName, patchType: r.patchType, releasedText: r.releasedText, releasedOn: released, installedText: r.installedText, installedOn: installed, status, daysOverdue,
            lastReportedAt: (r.lastReportedAt as Date).toISOString(),
          };
        }),
        total: Number(total.n),
        page,
        pageSize,
      };
    });
  }
}

function windowOf(days: number | undefined): number {
  const w = days ?? DEFAULT_PATCH_WINDOW_DAYS;
  if (!Number.isInteger(w) || w < 1 || w > 365) throw validationError('security.invalid_window', 'windowDays is a whole number of days from 1 to 365', [{ field: 'windowDays', rule: 'int_1_365', message: '1 to 365', value: w }]);
  return w;
}

/** The SQL twin of `patchStatus` (same rule, tested against it). */
function statusSql(window: number, today: string) {
  return sql<string>`case
    when s.released_on is null then 'unknown'
    when s.installed_on is not null then case when s.installed_on <= s.released_on + ${window}::int then 'on_time' else 'late' end
    when ${today}::date > s.released_on + ${window}::int then 'missing'
    else 'pending' end`;
}

function statusCounts(window: number, today: string) {
  const s = statusSql(window, today);
  return [
    sql<string>`count(*) filter (where ${s} = 'on_time')`.as('onTime'),
    sql<string>`count(*) filter (where ${s} = 'late')`.as('late'),
    sql<string>`count(*) filter (where ${s} = 'missing')`.as('missing'),
    sql<string>`count(*) filter (where ${s} = 'pending')`.as('pending'),
    sql<string>`count(*) filter (where ${s} = 'unknown')`.as('unknown'),
  ] as const;
}

