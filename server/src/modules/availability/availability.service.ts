import { sql } from 'kysely';
import { hasPermission, systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound, validationError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { recordAudit } from '../audit/index.js';
import { OFFICE_HOURS, workingTimeBetween, type CalendarService } from '../calendar/index.js';
import type { InformationSystemService } from '../directory/index.js';
import type { InventoryService } from '../inventory/index.js';
import type { NotificationService } from '../notifications/index.js';
import type { DocumentModel, DocumentsService, RenderedDocument } from '../documents/index.js';
import type { CatalogService } from '../catalog/index.js';
import type { PlannedMaintenanceWindow, PlannedWorkSource } from '../monitoring/index.js';
import { applyMaintenance, clipAndFill, figures, judge, mergeTimelines, monthRange, periodRange, ratioText, sumFigures, type Figures, type Span, type State } from './sla.js';
import type { ProbeOutcome } from './probes.js';

export type ProbeKind = 'icmp' | 'tcp' | 'http' | 'dns';
export type ProbeOrigin = 'manual' | 'inventory_host' | 'inventory_ip' | 'system_url' | 'demo';

/** A probe as the status board and the detail show it. */
export interface Probe {
  id: string;
  name: string;
  kind: ProbeKind;
  target: string;
  port: number | null;
  config: Record<string, unknown>;
  intervalSeconds: number;
  timeoutMs: number;
  retries: number;
  origin: ProbeOrigin;
  resourceId: string | null;
  system: { id: string; name: string | null } | null;
  unit: { id: string; name: string | null } | null;
  provider: { id: string; name: string | null } | null;
  nodeId: string | null;
  unreachableNote: string | null;
  enabled: boolean;
  state: State;
  stateSince: string;
  lastCheckedAt: string | null;
  lastRttMs: number | null;
  lastDetail: string | null;
  tlsExpiresAt: string | null;
  nextRunAt: string;
}

export interface ProbeDetail extends Probe {
  results: Array<{ slot: string; checkedAt: string; attempt: number; ok: boolean; rttMs: number | null; lossPct: number | null; httpStatus: number | null; detail: string | null; worker: string | null }>;
  intervals: Array<{ state: State; startedAt: string; endedAt: string | null; simulated: boolean }>;
  outages: Outage[];
  figures: { from: string; to: string; upSeconds: number; downSeconds: number; unknownSeconds: number; maintenanceSeconds: number; availability: string | null };
  abilities: { update: boolean; delete: boolean };
}

export interface Outage {
  id: string;
  probeId: string;
  probeName: string;
  target: string;
  system: { id: string; name: string | null } | null;
  provider: { id: string; name: string | null } | null;
  unit: { id: string; name: string | null } | null;
  startedAt: string;
  confirmedAt: string;
  endedAt: string | null;
  durationSeconds: number;
  causeNote: string | null;
  acknowledgedAt: string | null;
  escalatedAt: string | null;
  ticketId: string | null;
  simulated: boolean;
}

export interface NewProbe {
  name: string;
  kind: ProbeKind;
  target: string;
  port?: number | null;
  config?: Record<string, unknown>;
  intervalSeconds?: number;
  timeoutMs?: number;
  retries?: number;
  systemId?: string | null;
  enabled?: boolean;
}
export type ProbePatch = Partial<Omit<NewProbe, 'kind' | 'systemId'>>;

export interface BoardQuery {
  state?: State;
  kind?: ProbeKind;
  origin?: ProbeOrigin;
  providerId?: string;
  unitId?: string;
  systemId?: string;
  keyword?: string;
  enabled?: boolean;
  page?: number;
  pageSize?: number;
}

/**
 * The figures of one SLA objective for one object over a period — the contract the monthly report and the provider
 * evaluation read (`AvailabilityService.slaCompliance`). Seconds are clock seconds for a 24×7 objective and office-time
 * seconds (calendar module) for a working-time one.
 */
export interface SlaComplianceRow {
  providerOrgId: string | null;
  systemId: string | null;
  unitOrgId: string | null;
  /** The objective's target in percent as a decimal string, e.g. "99.9". */
  targetPercent: string;
  /** up / (up + down) × 100 of the measured time; null when nothing was measured. */
  availabilityPercent: number | null;
  /** up + down. */
  measuredSeconds: number;
  downSeconds: number;
  /** Time without a result (not counted as up). */
  unknownSeconds: number;
  /** Planned maintenance (计划性维护), excluded. */
  maintenanceSeconds: number;
  /** Longest continuous interruption in the period. */
  longestOutageSeconds: number;
  /** Target, the single-interruption limit (4 h) and the yearly fault limit all kept; null without measurement. */
  met: boolean | null;
}

/** A compliance row with the names and verdict details the SLA table and its exports show. */
export interface ComplianceDetail extends SlaComplianceRow {
  objectiveId: string;
  scope: 'system' | 'unit' | 'provider' | 'service';
  scopeName: string;
  systemName: string | null;
  providerName: string | null;
  unitName: string | null;
  period: 'month' | 'quarter' | 'year';
  schedule: '24x7' | 'working';
  availabilityText: string | null;
  interruptions: number;
  maxInterruptionMinutes: number | null;
  maxYearlyFaultMinutes: number | null;
  periodDownSeconds: number;
  budgetLeftMinutes: number | null;
  burnWarning: boolean;
  reasons: string[];
  probes: number;
}

export interface Objective {
  id: string;
  scope: 'system' | 'unit' | 'provider' | 'service';
  scopeId: string;
  scopeName: string;
  providerOrgId: string | null;
  unitOrgId: string | null;
  targetPercent: string;
  period: 'month' | 'quarter' | 'year';
  schedule: '24x7' | 'working';
  maxInterruptionMinutes: number | null;
  maxYearlyFaultMinutes: number | null;
  excluded: string | null;
  source: string | null;
  /** A catalog-service objective: the probes that measure the service (cloud hosts' ICMP, internet IPs'); else null. */
  probeOrigins: ProbeOrigin[] | null;
}
export interface NewObjective {
  /** 'service': scopeId is the catalog item's code (服务目录编码, e.g. "1001" 平台云主机服务) of the current catalog version. */
  scope: 'system' | 'unit' | 'provider' | 'service';
  scopeId: string;
  targetPercent: string;
  period?: 'month' | 'quarter' | 'year';
  schedule?: '24x7' | 'working';
  maxInterruptionMinutes?: number | null;
  maxYearlyFaultMinutes?: number | null;
  excluded?: string | null;
  source?: string | null;
}

export interface MaintenanceWindow {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  probeId: string | null;
  systemId: string | null;
  nodeId: string | null;
  providerOrgId: string | null;
}

/**
 * The monthly compliance of one catalog-service objective for one provider (`AvailabilityService.serviceCompliance`):
 * the service's average availability over every probed object of that provider (entity time: each host or IP counts
 * its own up and down time; seed 004 §3.2.1.1 "云主机服务平均可用性"). Seconds as in SlaComplianceRow.
 */
export interface ServiceComplianceRow {
  objectiveId: string;
  /** The catalog item's code and name (scope name). */
  serviceCode: string;
  serviceName: string;
  providerOrgId: string | null;
  providerName: string | null;
  targetPercent: string;
  availabilityPercent: number | null;
  measuredSeconds: number;
  downSeconds: number;
  unknownSeconds: number;
  maintenanceSeconds: number;
  longestOutageSeconds: number;
  interruptions: number;
  /** Probed objects (probes with a record in the period). */
  probes: number;
  met: boolean | null;
}

/**
 * 已批准的计划性变更窗口 and its source (operations supervision's `plannedMaintenanceWindows`, wired in container.ts):
 * declared once, by monitoring, which holds alerts back in the same windows; the objects a window covers are in
 * maintenance here. A type-only import (monitoring imports nothing of this module).
 */
export type PlannedWorkWindow = PlannedMaintenanceWindow;
export type { PlannedWorkSource };
/**
 * Whether an approved planned-work window covers a probe: the hosts (a host probe's resource) and systems it names (its
 * provider, when given, must match too); naming none, its node; naming no node either, every probe of its provider. A
 * window naming nothing covers nothing. Same rule as monitoring's `plannedWindowCovers`.
 */
export function plannedWorkCovers(w: PlannedWorkWindow, p: { providerOrgId: string | null; nodeId: string | null; systemId: string | null; resourceId: string | null; origin?: string | null }): boolean {
  if (w.providerOrgId && w.providerOrgId !== p.providerOrgId) return false;
  if (w.hostIds.length > 0 || w.systemIds.length > 0) {
    const host = p.resourceId !== null && (p.origin === undefined || p.origin === null || p.origin === 'inventory_host') && w.hostIds.includes(p.resourceId);
    return host || (p.systemId !== null && w.systemIds.includes(p.systemId));
  }
  if (w.nodeId) return w.nodeId === p.nodeId;
  return w.providerOrgId !== null;
}

/** Catalog subcategories (服务目录) whose availability Zhengyun's probes measure, and the probes that do. */
export function serviceProbeOrigins(item: { category: string; subcategory: string | null; item: string }): ProbeOrigin[] | null {
  const text = `${item.subcategory ?? ''} ${item.item}`;
  if (/云主机/.test(text)) return ['inventory_host'];
  if (/互联网/.test(text) && /(IP|链路|带宽)/i.test(text)) return ['inventory_ip'];
  return null;
}

/** The outage ticket hook (service desk, CONTRACTS: source 'outage'). */
export interface OutageTicketInput {
  source: 'outage';
  sourceId: string;
  state: 'open' | 'cleared';
  title: string;
  description: string;
  severity: 'info' | 'minor' | 'major' | 'critical';
  occurredAt: Date;
  providerId?: string | null;
  nodeId?: string | null;
  unitId?: string | null;
  systemId?: string | null;
  resourceIds?: string[];
}
export type OutageTicketHook = (input: OutageTicketInput) => Promise<{ ticketId: string; created: boolean } | null>;

/** A claimed probe, as the scheduler runs it. */
export interface ClaimedProbe {
  id: string;
  name: string;
  kind: ProbeKind;
  target: string;
  port: number | null;
  config: Record<string, unknown>;
  intervalSeconds: number;
  timeoutMs: number;
  retries: number;
  state: State;
  slot: Date;
}

/** One attempt of a slot: attempt 0 the slot's probe, 1.. the 立即核实 re-checks. */
export interface Attempt extends ProbeOutcome {
  attempt: number;
  checkedAt: Date;
}

const PAGE_MAX = 200;
/** How long the planned-work windows read from operations are reused by the scheduler's recording. */
const PLANNED_TTL_MS = 30_000;
/** How long the status board's state counts of one scope are reused (the counts are the costly part of a page). */
export const BOARD_COUNTS_TTL_MS = 3000;
const DAY = 86_400_000;
const ESCALATE_AFTER_MS = 30 * 60_000;
const iso = (d: Date | string | null) => (d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString());
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
const named = (id: string | null, name: string | null) => (id ? { id, name } : null);
const AUTO_ORIGINS: ProbeOrigin[] = ['inventory_host', 'inventory_ip', 'system_url'];
const fieldError = (code: string, field: string, rule: string, message: string, value?: unknown) => validationError(code, message, [{ field, rule, message, ...(value === undefined ? {} : { value }) }]);

/** Target rules per kind: the URL of an HTTP probe, a host or address otherwise; a TCP probe needs a port. */
export function validateProbeTarget(kind: ProbeKind, target: string, port: number | null | undefined): void {
  if (kind === 'http') {
    let u: URL | null;
    try {
      u = new URL(target);
    } catch {
      u = null;
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) throw fieldError('availability.invalid_url', 'body.target', 'http_url', 'An HTTP probe needs a full http:// or https:// URL', target);
    return;
  }
  const host = target.replace(/^\[|\]$/g, '');
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host)) throw fieldError('availability.invalid_target', 'body.target', 'host', 'A host name or an IPv4/IPv6 address', target);
  if (kind === 'tcp' && !port) throw fieldError('availability.port_required', 'body.port', 'required', 'A TCP probe needs a port (1–65535)');
}

type ProbeRow = {
  id: string; name: string; kind: string; target: string; port: number | null; config: unknown; intervalSeconds: number; timeoutMs: number; retries: number; origin: string;
  resourceId: string | null; systemId: string | null; systemName: string | null; unitOrgId: string | null; unitName: string | null; providerOrgId: string | null; providerName: string | null;
  nodeId: string | null; unreachableNote: string | null; enabled: boolean; state: string; stateSince: Date; lastCheckedAt: Date | null; lastRttMs: number | null; lastDetail: string | null;
  tlsExpiresAt: Date | null; nextRunAt: Date;
};

function probesQuery(trx: Tx) {
  return trx
    .selectFrom('availabilityProbes as p')
    .leftJoin('informationSystems as s', 's.id', 'p.systemId')
    .leftJoin('organisations as u', 'u.id', 'p.unitOrgId')
    .leftJoin('organisations as v', 'v.id', 'p.providerOrgId')
    .select([
      'p.id', 'p.name', 'p.kind', 'p.target', 'p.port', 'p.config', 'p.intervalSeconds', 'p.timeoutMs', 'p.retries', 'p.origin', 'p.resourceId', 'p.systemId', 's.name as systemName',
      'p.unitOrgId', 'u.name as unitName', 'p.providerOrgId', 'v.name as providerName', 'p.nodeId', 'p.unreachableNote', 'p.enabled', 'p.state', 'p.stateSince', 'p.lastCheckedAt',
      'p.lastRttMs', 'p.lastDetail', 'p.tlsExpiresAt', 'p.nextRunAt',
    ]);
}

function toProbe(r: ProbeRow): Probe {
  return {
    id: r.id, name: r.name, kind: r.kind as ProbeKind, target: r.target, port: r.port, config: (r.config ?? {}) as Record<string, unknown>, intervalSeconds: r.intervalSeconds,
    timeoutMs: r.timeoutMs, retries: r.retries, origin: r.origin as ProbeOrigin, resourceId: r.resourceId, system: named(r.systemId, r.systemName), unit: named(r.unitOrgId, r.unitName),
    provider: named(r.providerOrgId, r.providerName), nodeId: r.nodeId, unreachableNote: r.unreachableNote, enabled: r.enabled, state: r.state as State, stateSince: iso(r.stateSince)!,
    lastCheckedAt: iso(r.lastCheckedAt), lastRttMs: r.lastRttMs, lastDetail: r.lastDetail, tlsExpiresAt: iso(r.tlsExpiresAt), nextRunAt: iso(r.nextRunAt)!,
  };
}

/** The board's filters other than state, on availability_probes as p. The keyword matches name or target (search_text, trigram index). */
function boardFilters(q: BoardQuery) {
  const conds = [];
  if (q.kind) conds.push(sql<boolean>`p.kind = ${q.kind}`);
  if (q.origin) conds.push(sql<boolean>`p.origin = ${q.origin}`);
  if (q.providerId) conds.push(sql<boolean>`p.provider_org_id = ${q.providerId}`);
  if (q.unitId) conds.push(sql<boolean>`p.unit_org_id = ${q.unitId}`);
  if (q.systemId) conds.push(sql<boolean>`p.system_id = ${q.systemId}`);
  if (q.enabled !== undefined) conds.push(sql<boolean>`p.enabled = ${q.enabled}`);
  if (q.keyword) conds.push(sql<boolean>`p.search_text like ${`%${q.keyword.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  return conds;
}

/** Who sees which probes (RLS: scope and business access) plus the filters other than state and page. */
function boardCountsKey(ctx: RequestContext, q: BoardQuery): string {
  const a = ctx.actor;
  return JSON.stringify([a.businessAccess, a.scope.all ? '*' : [...a.scope.roots].sort(), q.kind, q.origin, q.providerId, q.unitId, q.systemId, q.enabled, q.keyword]);
}

function outagesQuery(trx: Tx) {
  return trx
    .selectFrom('availabilityOutages as o')
    .innerJoin('availabilityProbes as p', 'p.id', 'o.probeId')
    .leftJoin('informationSystems as s', 's.id', 'p.systemId')
    .leftJoin('organisations as u', 'u.id', 'p.unitOrgId')
    .leftJoin('organisations as v', 'v.id', 'p.providerOrgId')
    .select([
      'o.id', 'o.probeId', 'p.name as probeName', 'p.target', 'p.systemId', 's.name as systemName', 'p.providerOrgId', 'v.name as providerName', 'p.unitOrgId', 'u.name as unitName',
      'o.startedAt', 'o.confirmedAt', 'o.endedAt', 'o.causeNote', 'o.acknowledgedAt', 'o.escalatedAt', 'o.ticketId', 'o.simulated',
    ]);
}
type OutageRow = Awaited<ReturnType<ReturnType<typeof outagesQuery>['execute']>>[number];
function toOutage(r: OutageRow, now = Date.now()): Outage {
  const end = r.endedAt ? new Date(r.endedAt).getTime() : now;
  return {
    id: r.id, probeId: r.probeId, probeName: r.probeName, target: r.target, system: named(r.systemId, r.systemName), provider: named(r.providerOrgId, r.providerName),
    unit: named(r.unitOrgId, r.unitName), startedAt: iso(r.startedAt)!, confirmedAt: iso(r.confirmedAt)!, endedAt: iso(r.endedAt), durationSeconds: Math.max(0, Math.floor((end - new Date(r.startedAt).getTime()) / 1000)),
    causeNote: r.causeNote, acknowledgedAt: iso(r.acknowledgedAt), escalatedAt: iso(r.escalatedAt), ticketId: r.ticketId, simulated: r.simulated,
  };
}

/**
 * Availability monitoring (可用性监测): probes of every host, internet IP and system website (from the inventory and the
 * directory) and hand-made ones; each slot's result (and its 立即核实 re-checks) turned into time-weighted state
 * intervals and outages; outage notices to the provider and the supervision staff, escalation, the service-desk hook;
 * SLA objectives and their compliance per month (`slaCompliance`, read by the monthly report and the evaluation).
 */
export class AvailabilityService {
  private ticketHook: OutageTicketHook | null = null;
  private plannedWork: PlannedWorkSource | null = null;
  private plannedCache: { at: number; windows: PlannedWorkWindow[] } | null = null;
  private boardGeneration = 0;
  private readonly boardCounts = new Map<string, { at: number; generation: number; counts: Record<State, number> }>();

  constructor(
    private readonly db: Db,
    private readonly deps: {
      inventory: InventoryService;
      systems: InformationSystemService;
      notifications: NotificationService;
      calendar: CalendarService;
      documents: DocumentsService;
      logger: Logger;
      /** The service catalog, for objectives per catalog service (scope 'service'). */
      catalog?: CatalogService;
      /**
       * When set, automatic probes of non-loopback targets get this note and are not run (the demo city's addresses
       * are fictional): they show unknown, never up.
       */
      unreachableNote?: string | null;
    },
  ) {}

  /** The service desk opens a ticket for each confirmed outage and clears it when the target is back. */
  setTicketHook(hook: OutageTicketHook): void {
    this.ticketHook = hook;
  }

  /**
   * Approved planned changes (operations supervision) act as maintenance windows (计划性维护): a probe they cover is in
   * maintenance while they last (no outage opens) and their time is excluded from the SLA figures.
   */
  setPlannedWorkSource(source: PlannedWorkSource): void {
    this.plannedWork = source;
    this.plannedCache = null;
  }

  /** Planned-work windows overlapping [from, to); none when no source is wired or it fails (probing goes on). */
  private async plannedWindows(ctx: RequestContext, range: { from: Date; to: Date }): Promise<PlannedWorkWindow[]> {
    if (!this.plannedWork) return [];
    try {
      return await this.plannedWork.plannedMaintenanceWindows(ctx, range);
    } catch (e) {
      this.deps.logger.warn({ err: e }, 'availability: planned work source failed; no planned windows');
      return [];
    }
  }

  /** The planned-work windows around now (reused for PLANNED_TTL_MS: the scheduler records many batches a minute). */
  private async plannedNow(): Promise<PlannedWorkWindow[]> {
    if (!this.plannedWork) return [];
    const now = Date.now();
    if (!this.plannedCache || this.plannedCache.at < now - PLANNED_TTL_MS) {
      const windows = await this.plannedWindows(systemContext('job:availability.probe'), { from: new Date(now - 60_000), to: new Date(now + PLANNED_TTL_MS + 60_000) });
      this.plannedCache = { at: now, windows };
    }
    return this.plannedCache.windows;
  }

  // ---- probes ------------------------------------------------------------------------------------------------------

  /**
   * The status board: every probe the caller may see, down first, filtered and paged on the server, with state counts.
   * One statement reads the page (index order state_rank, name) with its names; the state counts of the scope (the
   * caller's visibility and the filters other than state) are cached for BOARD_COUNTS_TTL_MS and, when not cached, are
   * computed in that same statement (an uncorrelated subquery: evaluated once). A state change made through this
   * process clears the cache at once; one made by another worker shows within the TTL.
   */
  async listProbes(ctx: RequestContext, q: BoardQuery): Promise<{ items: Probe[]; total: number; page: number; pageSize: number; counts: Record<State, number> }> {
    const page = q.page ?? 1;
    const pageSize = Math.min(q.pageSize ?? 20, PAGE_MAX);
    const conds = boardFilters(q);
    const where = conds.length ? sql<boolean>`${sql.join(conds, sql` and `)}` : sql<boolean>`true`;
    const pageWhere = q.state ? sql<boolean>`${where} and p.state = ${q.state}` : where;
    const key = boardCountsKey(ctx, q);
    const cached = this.boardCounts.get(key);
    const fresh = cached && cached.generation === this.boardGeneration && cached.at > Date.now() - BOARD_COUNTS_TTL_MS ? cached.counts : null;
    return withTx(this.db, ctx, async (trx) => {
      // The counts' group-by over every visible probe, and a keyword page (a filtered walk of the board index), cross the
      // JIT threshold, and compiling (~300 ms) costs far more than it saves: off for every board statement.
      await sql`set local jit = off`.execute(trx);
      const countsSql = sql<Record<string, number>>`(select coalesce(jsonb_object_agg(c.state, c.n), '{}'::jsonb) from (select p.state, count(*)::int as n from availability_probes p where ${where} group by p.state) c)`;
      const rows = await probesQuery(trx)
        .select(fresh ? sql<null>`null`.as('boardCounts') : countsSql.as('boardCounts'))
        .where(pageWhere)
        .orderBy('p.stateRank').orderBy('p.name').orderBy('p.id')
        .limit(pageSize).offset((page - 1) * pageSize)
        .execute();
      let counts: Record<State, number> | null = fresh;
      if (!counts) {
        const raw = rows[0]?.boardCounts ?? (await sql<{ boardCounts: Record<string, number> }>`select ${countsSql} as board_counts`.execute(trx)).rows[0]!.boardCounts;
        counts = { up: 0, down: 0, unknown: 0, maintenance: 0 };
        for (const [st, n] of Object.entries(raw ?? {})) counts[st as State] = Number(n);
        if (this.boardCounts.size >= 1000) this.boardCounts.clear();
        this.boardCounts.set(key, { at: Date.now(), generation: this.boardGeneration, counts });
      }
      const total = q.state ? counts[q.state] : Object.values(counts).reduce((a, b) => a + b, 0);
      return { items: rows.map((r) => toProbe(r)), total, page, pageSize, counts: { ...counts } };
    });
  }

  private async changing<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } finally {
      this.boardChanged();
    }
  }

  /** Forget the cached board counts (a probe was added, changed, removed or changed state). */
  private boardChanged(): void {
    this.boardGeneration++;
  }

  /** One probe with its results (response times), state intervals and outages over [from, to) (default: the last 24 h). */
  async getProbe(ctx: RequestContext, id: string, range: { from?: Date; to?: Date } = {}): Promise<ProbeDetail> {
    const to = range.to ?? new Date();
    const from = range.from ?? new Date(to.getTime() - DAY);
    if (from >= to) throw fieldError('availability.invalid_range', 'query.from', 'before_to', 'from must be before to');
    if (to.getTime() - from.getTime() > 92 * DAY) throw fieldError('availability.range_too_long', 'query.from', 'max_92_days', 'At most 92 days at a time');
    return withTx(this.db, ctx, async (trx) => {
      const probe = await this.loadProbe(trx, id);
      const [results, intervals, outages] = [await trx.selectFrom('availabilityResults').select(['slot', 'checkedAt', 'attempt', 'ok', 'rttMs', 'lossPct', 'httpStatus', 'detail', 'worker']).where('probeId', '=', id)
          .where('checkedAt', '>=', from).where('checkedAt', '<', to).orderBy('checkedAt', 'desc').limit(2000).execute(), await trx.selectFrom('availabilityIntervals').select(['state', 'startedAt', 'endedAt', 'simulated']).where('probeId', '=', id).where('startedAt', '<', to)
          .where((eb) => eb.or([eb('endedAt', 'is', null), eb('endedAt', '>', from)])).orderBy('startedAt').execute(), await outagesQuery(trx).where('o.probeId', '=', id).orderBy('o.startedAt', 'desc').limit(50).execute()];
      const end = Math.min(to.getTime(), Date.now());
      const spans: Span[] = intervals.map((i) => ({ state: i.state as State, start: new Date(i.startedAt).getTime(), end: i.endedAt ? new Date(i.endedAt).getTime() : end }));
      const f = figures(clipAndFill(spans, from.getTime(), Math.max(from.getTime(), end)));
      const manage = hasPermission(ctx.actor, 'availability:manage');
      return {
        ...probe,
        results: results.reverse().map((r) => ({ slot: iso(r.slot)!, checkedAt: iso(r.checkedAt)!, attempt: r.attempt, ok: r.ok, rttMs: r.rttMs, lossPct: r.lossPct, httpStatus: r.httpStatus, detail: r.detail, worker: r.worker })),
        intervals: intervals.map((i) => ({ state: i.state as State, startedAt: iso(i.startedAt)!, endedAt: iso(i.endedAt), simulated: i.simulated })),
        outages: outages.map((o) => toOutage(o)),
        figures: { from: from.toISOString(), to: to.toISOString(), upSeconds: Math.round(f.upMs / 1000), downSeconds: Math.round(f.downMs / 1000), unknownSeconds: Math.round(f.unknownMs / 1000), maintenanceSeconds: Math.round(f.maintenanceMs / 1000), availability: ratioText(f.sli) },
        abilities: { update: manage, delete: manage && probe.origin === 'manual' },
      };
    });
  }

  private async loadProbe(trx: Tx, id: string): Promise<Probe> {
    if (!isUuid(id)) throw notFound('availability.probe', id);
    const row = await probesQuery(trx).where('p.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('availability.probe', id);
    return toProbe(row);
  }

  /** A hand-made probe; linked to a system, it belongs to that system's unit and provider (and their SLA). */
  async createProbe(ctx: RequestContext, input: NewProbe): Promise<Probe> {
    validateProbeTarget(input.kind, input.target, input.port);
    let link: { systemId: string | null; unitOrgId: string | null; providerOrgId: string | null; nodeId: string | null } = { systemId: null, unitOrgId: null, providerOrgId: null, nodeId: null };
    if (input.systemId) {
      const s = await this.deps.systems.get(ctx, input.systemId).catch((e: unknown) => {
        if ((e as AppError).kind === 'not_found') throw fieldError('availability.system_not_found', 'body.systemId', 'exists', 'No such information system', input.systemId);
        throw e;
      });
      link = { systemId: s.id, unitOrgId: s.unit.id, providerOrgId: s.node.provider?.id ?? null, nodeId: s.node.id };
    }
    return this.changing(withTx(this.db, ctx, async (trx) => {
      const row = await trx
        .insertInto('availabilityProbes')
        .values({
          name: input.name, kind: input.kind, target: input.target, port: input.port ?? null, config: JSON.stringify(input.config ?? {}), intervalSeconds: input.intervalSeconds ?? 60,
          timeoutMs: input.timeoutMs ?? 5000, retries: input.retries ?? 1, origin: 'manual', enabled: input.enabled ?? true, createdBy: ctx.actor.userId, ...link,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'availability.probe_created', targetType: 'availability_probe', targetId: row.id, after: { name: input.name, kind: input.kind, target: input.target } });
      return this.loadProbe(trx, row.id);
    }));
  }

  async updateProbe(ctx: RequestContext, id: string, patch: ProbePatch): Promise<Probe> {
    return this.changing(withTx(this.db, ctx, async (trx) => {
      const before = await this.loadProbe(trx, id);
      if (before.origin !== 'manual' && (patch.target !== undefined || patch.port !== undefined || patch.name !== undefined)) {
        throw new AppError('conflict', 'availability.automatic_probe', 'The target of an automatic probe follows the inventory; change its interval, timeout, retries or switch it off', { origin: before.origin, field: 'body.target' });
      }
      if (patch.target !== undefined || patch.port !== undefined) validateProbeTarget(before.kind, patch.target ?? before.target, patch.port === undefined ? before.port : patch.port);
      await trx
        .updateTable('availabilityProbes')
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.target !== undefined ? { target: patch.target } : {}),
          ...(patch.port !== undefined ? { port: patch.port } : {}),
          ...(patch.config !== undefined ? { config: JSON.stringify(patch.config) } : {}),
          ...(patch.intervalSeconds !== undefined ? { intervalSeconds: patch.intervalSeconds } : {}),
          ...(patch.timeoutMs !== undefined ? { timeoutMs: patch.timeoutMs } : {}),
          ...(patch.retries !== undefined ? { retries: patch.retries } : {}),
          ...(patch.enabled !== undefined ? { enabled: patch.enabled, nextRunAt: new Date() } : {}),
          updatedAt: new Date(),
        })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, ctx, { action: 'availability.probe_updated', targetType: 'availability_probe', targetId: id, before: { enabled: before.enabled, intervalSeconds: before.intervalSeconds }, after: patch });
      return this.loadProbe(trx, id);
    }));
  }

  /** Deletes a hand-made probe with its history (automatic probes are switched off instead: they follow the inventory). */
  async deleteProbe(ctx: RequestContext, id: string): Promise<void> {
    await this.changing(withTx(this.db, ctx, async (trx) => {
      const p = await this.loadProbe(trx, id);
      if (p.origin !== 'manual') throw new AppError('conflict', 'availability.automatic_probe', 'An automatic probe follows the inventory; switch it off instead', { origin: p.origin });
      await trx.deleteFrom('availabilityProbes').where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'availability.probe_deleted', targetType: 'availability_probe', targetId: id, before: { name: p.name, target: p.target } });
    }));
  }

  /**
   * Automatic probes from the inventory and the directory (job `availability.sync`, every minute): ICMP of each active
   * cloud host's internal IP and of each internet IP, HTTP of each active system's registered access URL. A new one is
   * due at once (so it is probed within one interval); one whose host, IP or system is gone is switched off (its
   * history stays for the SLA), and switched on again when it comes back.
   */
  async syncFromInventory(): Promise<{ created: number; disabled: number; enabled: number }> {
    const ctx = systemContext('job:availability.sync');
    type Want = { origin: ProbeOrigin; resourceId: string; kind: ProbeKind; target: string; name: string; systemId: string | null; unitOrgId: string | null; providerOrgId: string | null; nodeId: string | null };
    const want: Want[] = [];
    for (const kind of ['cloud_host', 'internet_bandwidth'] as const) {
      for (let page = 1; page <= 500; page++) {
        const res = await this.deps.inventory.list(ctx, { kind, status: 'active', page, pageSize: 200 });
        for (const r of res.items) {
          const ip = kind === 'cloud_host' ? r.attributes['internalIp'] : r.attributes['internetIp'];
          if (!ip) continue;
          want.push({
            origin: kind === 'cloud_host' ? 'inventory_host' : 'inventory_ip', resourceId: r.id, kind: 'icmp', target: ip.trim(), name: `${kind === 'cloud_host' ? '云主机' : '互联网IP'} ${r.name}`.slice(0, 200),
            systemId: r.system?.id ?? null, unitOrgId: r.unit?.id ?? null, providerOrgId: r.provider?.id ?? null, nodeId: r.node?.id ?? null,
          });
        }
        if (page * 200 >= res.total) break;
      }
    }
    for (let page = 1; page <= 500; page++) {
      const res = await this.deps.systems.list(ctx, { status: 'active', page, pageSize: 200 } as never);
      for (const s of res.items) {
        if (!s.accessUrl || !/^https?:\/\//i.test(s.accessUrl)) continue;
        want.push({ origin: 'system_url', resourceId: s.id, kind: 'http', target: s.accessUrl.trim(), name: `网站 ${s.name}`.slice(0, 200), systemId: s.id, unitOrgId: s.unit.id, providerOrgId: s.node.provider?.id ?? null, nodeId: s.node.id });
      }
      if (page * 200 >= res.total) break;
    }
    const note = (target: string) => {
      if (!this.deps.unreachableNote) return null;
      const host = target.replace(/^https?:\/\//i, '').replace(/[/:].*$/, '');
      return host === '127.0.0.1' || host === 'localhost' ? null : this.deps.unreachableNote;
    };
    return this.changing(withTx(this.db, ctx, async (trx) => {
      let created = 0;
      for (let i = 0; i < want.length; i += 1000) {
        const chunk = want.slice(i, i + 1000);
        const res = await trx
          .insertInto('availabilityProbes')
          .values(chunk.map((w) => ({ ...w, retries: 1, intervalSeconds: 60, timeoutMs: w.kind === 'http' ? 10_000 : 5000, unreachableNote: note(w.target) })))
          .onConflict((oc) => oc.columns(['origin', 'resourceId', 'target']).where('resourceId', 'is not', null).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'), systemId: eb.ref('excluded.systemId'), unitOrgId: eb.ref('excluded.unitOrgId'), providerOrgId: eb.ref('excluded.providerOrgId'), nodeId: eb.ref('excluded.nodeId'),
          })).where((eb) => eb.or([
            eb('availabilityProbes.systemId', 'is distinct from', eb.ref('excluded.systemId')), eb('availabilityProbes.providerOrgId', 'is distinct from', eb.ref('excluded.providerOrgId')),
            eb('availabilityProbes.unitOrgId', 'is distinct from', eb.ref('excluded.unitOrgId')), eb('availabilityProbes.name', '<>', eb.ref('excluded.name')),
          ])))
          .returning(sql<boolean>`xmax = 0`.as('inserted'))
          .execute();
        created += res.filter((r) => r.inserted).length;
      }
      // Gone from the inventory: switched off; back again: switched on and due now.
      const keys = want.map((w) => `${w.origin}|${w.resourceId}|${w.target}`);
      const keyExpr = sql<string>`origin || '|' || resource_id::text || '|' || target`;
      const disabled = await trx.updateTable('availabilityProbes').set({ enabled: false, state: 'unknown', stateSince: new Date(), updatedAt: new Date(), lastDetail: '资源已从清单中删除，停止探测' })
        .where('origin', 'in', AUTO_ORIGINS).where('enabled', '=', true)
        .where(keys.length ? sql<boolean>`not (${keyExpr} = any(${keys}::text[]))` : sql<boolean>`true`)
        .returning('id').execute();
      for (const d of disabled) await this.closeTimeline(trx, d.id, new Date(), 'unknown');
      const enabled = keys.length
        ? await trx.updateTable('availabilityProbes').set({ enabled: true, nextRunAt: new Date(), updatedAt: new Date(), lastDetail: null })
          .where('origin', 'in', AUTO_ORIGINS).where('enabled', '=', false).where(sql<boolean>`${keyExpr} = any(${keys}::text[])`).where('createdBy', 'is', null)
          .returning('id').execute()
        : [];
      return { created, disabled: disabled.length, enabled: enabled.length };
    }));
  }

  /** A switched-off probe: its open interval ends, an open outage ends (the probe no longer watches). */
  private async closeTimeline(trx: Tx, probeId: string, at: Date, state: State): Promise<void> {
    await trx.updateTable('availabilityIntervals').set({ endedAt: at }).where('probeId', '=', probeId).where('endedAt', 'is', null).execute();
    await trx.insertInto('availabilityIntervals').values({ probeId, state, startedAt: at }).execute();
    await trx.updateTable('availabilityOutages').set({ endedAt: at }).where('probeId', '=', probeId).where('endedAt', 'is', null).execute();
  }

  // ---- scheduler side ------------------------------------------------------------------------------------------------

  /**
   * Claims up to `limit` due probes for `worker` (FOR UPDATE SKIP LOCKED: two workers never take the same one). The
   * claim moves next_run_at to the claim's expiry (timeout × (retries + 1) + leaseMs): if the worker dies, another one
   * takes the probe when the claim expires, within one interval.
   */
  async claimDue(worker: string, limit: number, leaseMs = 15_000): Promise<ClaimedProbe[]> {
    if (limit <= 0) return [];
    return withTx(this.db, systemContext('job:availability.probe'), async (trx) => {
      // Result columns come back camel-cased (the Kysely plugin applies to raw queries as well).
      const rows = await sql<{ id: string; name: string; kind: string; target: string; port: number | null; config: unknown; intervalSeconds: number; timeoutMs: number; retries: number; state: string; slot: Date }>`
        with due as (
          select id, next_run_at from availability_probes
          where enabled and unreachable_note is null and next_run_at <= now()
          order by next_run_at limit ${limit} for update skip locked)
        update availability_probes p
           set claimed_by = ${worker},
               claimed_slot = due.next_run_at,
               next_run_at = now() + make_interval(secs => (p.timeout_ms * (p.retries + 1) + ${leaseMs})::double precision / 1000)
          from due where p.id = due.id
        returning p.id, p.name, p.kind, p.target, p.port, p.config, p.interval_seconds, p.timeout_ms, p.retries, p.state, due.next_run_at as slot`.execute(trx);
      return rows.rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind as ProbeKind, target: r.target, port: r.port, config: (r.config ?? {}) as Record<string, unknown>, intervalSeconds: r.intervalSeconds, timeoutMs: r.timeoutMs, retries: r.retries, state: r.state as State, slot: new Date(r.slot) }));
    });
  }

  /**
   * Records a slot's attempts and moves the probe's state: the slot is final when it succeeded or when all re-checks
   * failed; then intervals, outages, notices and the next slot follow. A slot already recorded (another worker raced
   * for it after a claim expired) is ignored. Returns what changed.
   */
  async recordSlot(worker: string, probe: ClaimedProbe, attempts: Attempt[]): Promise<{ recorded: boolean; state: State; outageOpened: string | null; outageClosed: string | null }> {
    const last = attempts[attempts.length - 1]!;
    const ctx = systemContext('job:availability.probe');
    const planned = await this.plannedNow();
    const res = await withTx(this.db, ctx, async (trx) => {
      const ins = await trx
        .insertInto('availabilityResults')
        .values(attempts.map((a) => ({ probeId: probe.id, slot: probe.slot, checkedAt: a.checkedAt, ok: a.ok, attempt: a.attempt, rttMs: a.rttMs, lossPct: a.lossPct ?? null, httpStatus: a.httpStatus ?? null, detail: a.detail.slice(0, 1000), worker })))
        .onConflict((oc) => oc.columns(['probeId', 'slot', 'attempt']).doNothing())
        .returning('attempt')
        .execute();
      if (!ins.some((r) => r.attempt === 0)) return { recorded: false, state: probe.state, outageOpened: null, outageClosed: null, probe: null };
      const cur = await trx.selectFrom('availabilityProbes').select(['state', 'intervalSeconds', 'systemId', 'nodeId', 'providerOrgId', 'unitOrgId', 'name', 'target', 'resourceId', 'enabled', 'origin']).where('id', '=', probe.id).forUpdate().executeTakeFirst();
      if (!cur) return { recorded: false, state: probe.state, outageOpened: null, outageClosed: null, probe: null };
      const at = last.checkedAt;
      const inMaintenance = await trx.selectFrom('availabilityMaintenance').select('id').where('startsAt', '<=', at).where('endsAt', '>', at)
        .where((eb) => eb.or([eb('probeId', '=', probe.id), ...(cur.systemId ? [eb('systemId', '=', cur.systemId)] : []), ...(cur.nodeId ? [eb('nodeId', '=', cur.nodeId)] : []), ...(cur.providerOrgId ? [eb('providerOrgId', '=', cur.providerOrgId)] : [])]))
        .limit(1).executeTakeFirst();
      const inPlanned = planned.some((w) => w.startsAt <= at && w.endsAt > at && plannedWorkCovers(w, cur));
      const newState: State = inMaintenance || inPlanned ? 'maintenance' : last.ok ? 'up' : 'down';
      const changed = newState !== cur.state;
      // The first failure of a slot (at attempt 0) is when the interruption started; the re-checks confirmed it.
      const downSince = attempts.find((a) => !a.ok)?.checkedAt ?? at;
      const stateAt = newState === 'down' ? downSince : at;
      let next = probe.slot.getTime() + cur.intervalSeconds * 1000;
      if (next <= Date.now()) next = Date.now() + cur.intervalSeconds * 1000 - ((Date.now() - probe.slot.getTime()) % (cur.intervalSeconds * 1000));
      await trx.updateTable('availabilityProbes').set({
        state: newState, ...(changed ? { stateSince: stateAt } : {}), failures: last.ok ? 0 : attempts.length, lastCheckedAt: at, lastRttMs: last.rttMs, lastDetail: last.detail.slice(0, 1000),
        ...(last.tlsExpiresAt ? { tlsExpiresAt: last.tlsExpiresAt } : {}), nextRunAt: new Date(next), claimedBy: null, claimedSlot: null,
      }).where('id', '=', probe.id).execute();
      if (changed || !(await trx.selectFrom('availabilityIntervals').select('id').where('probeId', '=', probe.id).where('endedAt', 'is', null).executeTakeFirst())) {
        const closed = await trx.updateTable('availabilityIntervals').set({ endedAt: sql`greatest(started_at, ${stateAt}::timestamptz)` }).where('probeId', '=', probe.id).where('endedAt', 'is', null).returning('endedAt').executeTakeFirst();
        const startedAt = closed?.endedAt && new Date(closed.endedAt) > stateAt ? new Date(closed.endedAt) : stateAt;
        await trx.insertInto('availabilityIntervals').values({ probeId: probe.id, state: newState, startedAt }).execute();
      }
      let outageOpened: string | null = null;
      let outageClosed: string | null = null;
      if (newState === 'down' && cur.state !== 'down') {
        const o = await trx.insertInto('availabilityOutages').values({ probeId: probe.id, startedAt: downSince, confirmedAt: at }).onConflict((oc) => oc.column('probeId').where('endedAt', 'is', null).doNothing()).returning('id').executeTakeFirst();
        if (o) {
          outageOpened = o.id;
          const text = `${cur.name}（${cur.target}）自 ${fmt(downSince)} 起不可用，已立即核实 ${attempts.length - 1} 次：${last.detail}`;
          if (cur.providerOrgId) await this.deps.notifications.notify(trx, { recipients: { orgIds: [cur.providerOrgId] }, kind: 'availability.outage', title: `中断：${cur.name}`, body: text, link: `/availability/probes/${probe.id}`, severity: 'critical' });
          await this.deps.notifications.notify(trx, { recipients: { orgKinds: ['supervision_provider'], roleCodes: ['supervisor_staff'] }, kind: 'availability.outage', title: `中断：${cur.name}`, body: text, link: `/availability/probes/${probe.id}`, severity: 'critical' });
        }
      } else if (cur.state === 'down' && newState !== 'down') {
        const o = await trx.updateTable('availabilityOutages').set({ endedAt: at }).where('probeId', '=', probe.id).where('endedAt', 'is', null).returning('id').executeTakeFirst();
        if (o) outageClosed = o.id;
      }
      return { recorded: true, state: newState, outageOpened, outageClosed, probe: cur };
    });
    if (res.probe && res.state !== res.probe.state) this.boardChanged();
    if (res.probe && (res.outageOpened || res.outageClosed)) await this.callTicketHook((res.outageOpened ?? res.outageClosed)!, res.outageOpened ? 'open' : 'cleared', res.probe, probe.id, last);
    return { recorded: res.recorded, state: res.state, outageOpened: res.outageOpened, outageClosed: res.outageClosed };
  }

  /**
   * Records many finished slots at once: those that keep their state (the common case: up stays up) in one
   * transaction — results in one insert, the probes in one update; the others (a state change, an outage opening or
   * ending, a probe without an open interval) one by one through `recordSlot`. Returns how many were recorded.
   */
  async recordSlots(worker: string, items: Array<{ probe: ClaimedProbe; attempts: Attempt[] }>): Promise<{ recorded: number; duplicates: number }> {
    if (!items.length) return { recorded: 0, duplicates: 0 };
    const ctx = systemContext('job:availability.probe');
    const ids = items.map((i) => i.probe.id);
    const planned = await this.plannedNow();
    const status = await withTx(this.db, ctx, async (trx) => {
      const rows = await sql<{ id: string; state: string; intervalSeconds: number; maintenance: boolean; open: boolean; providerOrgId: string | null; nodeId: string | null; systemId: string | null; resourceId: string | null; origin: string }>`
        select p.id, p.state, p.interval_seconds, p.provider_org_id, p.node_id, p.system_id, p.resource_id, p.origin,
               exists (select 1 from availability_maintenance m where m.starts_at <= now() and m.ends_at > now()
                        and (m.probe_id = p.id or m.system_id = p.system_id or m.node_id = p.node_id or m.provider_org_id = p.provider_org_id)) as maintenance,
               exists (select 1 from availability_intervals i where i.probe_id = p.id and i.ended_at is null) as open
          from availability_probes p where p.id = any(${ids}::uuid[])`.execute(trx);
      return new Map(rows.rows.map((r) => [r.id, r]));
    });
    const bulk: typeof items = [];
    const single: typeof items = [];
    for (const it of items) {
      const st = status.get(it.probe.id);
      const last = it.attempts[it.attempts.length - 1]!;
      const inPlanned = !!st && planned.some((w) => w.startsAt <= last.checkedAt && w.endsAt > last.checkedAt && plannedWorkCovers(w, st));
      const newState: State = st?.maintenance || inPlanned ? 'maintenance' : last.ok ? 'up' : 'down';
      if (st && st.open && st.state === newState) bulk.push(it);
      else single.push(it);
    }
    let recorded = 0;
    let duplicates = 0;
    if (bulk.length) {
      await withTx(this.db, ctx, async (trx) => {
        const results = bulk.flatMap(({ probe, attempts }) => attempts.map((a) => ({ probeId: probe.id, slot: probe.slot, checkedAt: a.checkedAt, ok: a.ok, attempt: a.attempt, rttMs: a.rttMs, lossPct: a.lossPct ?? null, httpStatus: a.httpStatus ?? null, detail: a.detail.slice(0, 1000), worker })));
        const ins: Array<{ probeId: string; attempt: number }> = [];
        for (let i = 0; i < results.length; i += 2000) {
          ins.push(...(await trx.insertInto('availabilityResults').values(results.slice(i, i + 2000)).onConflict((oc) => oc.columns(['probeId', 'slot', 'attempt']).doNothing()).returning(['probeId', 'attempt']).execute()));
        }
        const fresh = new Set(ins.filter((r) => r.attempt === 0).map((r) => r.probeId));
        const now = Date.now();
        const upd = bulk.filter((b) => fresh.has(b.probe.id)).map(({ probe, attempts }) => {
          const last = attempts[attempts.length - 1]!;
          const every = (status.get(probe.id)?.intervalSeconds ?? probe.intervalSeconds) * 1000;
          let next = probe.slot.getTime() + every;
          if (next <= now) next = now + every - ((now - probe.slot.getTime()) % every);
          return { id: probe.id, failures: last.ok ? 0 : attempts.length, at: last.checkedAt.toISOString(), rtt: last.rttMs, detail: last.detail.slice(0, 1000), tls: last.tlsExpiresAt ? last.tlsExpiresAt.toISOString() : null, next: new Date(next).toISOString() };
        });
        recorded += upd.length;
        duplicates += bulk.length - upd.length;
        if (upd.length) {
          await sql`
            update availability_probes p
               set failures = u.failures, last_checked_at = u.at, last_rtt_ms = u.rtt, last_detail = u.detail, tls_expires_at = coalesce(u.tls, p.tls_expires_at),
                   next_run_at = u.next, claimed_by = null, claimed_slot = null
              from unnest(${upd.map((u) => u.id)}::uuid[], ${upd.map((u) => u.failures)}::smallint[], ${upd.map((u) => u.at)}::timestamptz[], ${upd.map((u) => u.rtt)}::double precision[],
                          ${upd.map((u) => u.detail)}::text[], ${upd.map((u) => u.tls)}::timestamptz[], ${upd.map((u) => u.next)}::timestamptz[])
                   as u(id, failures, at, rtt, detail, tls, next)
             where p.id = u.id`.execute(trx);
        }
      });
    }
    // State changes one by one, a few at a time (each is its own transaction).
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(6, single.length) }, async () => {
      while (next < single.length) {
        const it = single[next++]!;
        const r = await this.recordSlot(worker, it.probe, it.attempts);
        if (r.recorded) recorded++;
        else duplicates++;
      }
    }));
    return { recorded, duplicates };
  }

  private async callTicketHook(outageId: string, state: 'open' | 'cleared', p: { name: string; target: string; providerOrgId: string | null; nodeId: string | null; unitOrgId: string | null; systemId: string | null; resourceId: string | null }, probeId: string, last: Attempt): Promise<void> {
    if (!this.ticketHook) return;
    try {
      const res = await this.ticketHook({
        source: 'outage', sourceId: outageId, state, title: `可用性中断：${p.name}（${p.target}）`, description: `探测 ${probeId} 结果：${last.detail}`, severity: 'critical', occurredAt: last.checkedAt,
        providerId: p.providerOrgId, nodeId: p.nodeId, unitId: p.unitOrgId, systemId: p.systemId, resourceIds: p.resourceId && p.systemId !== p.resourceId ? [p.resourceId] : [],
      });
      if (res) await withTx(this.db, systemContext('availability.ticket'), (trx) => trx.updateTable('availabilityOutages').set({ ticketId: res.ticketId, ticketState: state }).where('id', '=', outageId).execute());
    } catch (e) {
      this.deps.logger.warn({ err: e, outageId }, 'availability: ticket hook failed');
    }
  }

  /** Unacknowledged outages open for 30 minutes are escalated to the management unit (job every 5 minutes). */
  async escalateOutages(now = new Date()): Promise<number> {
    return withTx(this.db, systemContext('job:availability.escalate'), async (trx) => {
      const due = await outagesQuery(trx).where('o.endedAt', 'is', null).where('o.acknowledgedAt', 'is', null).where('o.escalatedAt', 'is', null).where('o.simulated', '=', false)
        .where('o.confirmedAt', '<', new Date(now.getTime() - ESCALATE_AFTER_MS)).limit(200).execute();
      for (const o of due) {
        await trx.updateTable('availabilityOutages').set({ escalatedAt: now }).where('id', '=', o.id).execute();
        await this.deps.notifications.notify(trx, { recipients: { orgKinds: ['management_unit'], roleCodes: ['mgmt_staff'] }, kind: 'availability.escalated', title: `中断未确认已升级：${o.probeName}`, body: `${o.probeName}（${o.target}）自 ${fmt(o.startedAt)} 中断，${Math.round(ESCALATE_AFTER_MS / 60_000)} 分钟内无人确认。`, link: `/availability/probes/${o.probeId}`, severity: 'critical' });
      }
      return due.length;
    });
  }

  // ---- outages -----------------------------------------------------------------------------------------------------

  async listOutages(ctx: RequestContext, q: { open?: boolean; from?: Date; to?: Date; systemId?: string; providerId?: string; page?: number; pageSize?: number }): Promise<{ items: Outage[]; total: number; page: number; pageSize: number }> {
    const page = q.page ?? 1;
    const pageSize = Math.min(q.pageSize ?? 20, PAGE_MAX);
    return withTx(this.db, ctx, async (trx) => {
      let base = outagesQuery(trx);
      if (q.open !== undefined) base = base.where('o.endedAt', q.open ? 'is' : 'is not', null);
      if (q.from) base = base.where((eb) => eb.or([eb('o.endedAt', 'is', null), eb('o.endedAt', '>', q.from!)]));
      if (q.to) base = base.where('o.startedAt', '<', q.to);
      if (q.systemId) base = base.where('p.systemId', '=', q.systemId);
      if (q.providerId) base = base.where('p.providerOrgId', '=', q.providerId);
      const [count, rows] = [await base.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(), await base.orderBy('o.startedAt', 'desc').orderBy('o.id').limit(pageSize).offset((page - 1) * pageSize).execute()];
      return { items: rows.map((r) => toOutage(r)), total: Number(count.n), page, pageSize };
    });
  }

  /** The provider (or the supervision staff) acknowledges an outage and notes its cause (原因说明). */
  async acknowledgeOutage(ctx: RequestContext, id: string, input: { causeNote?: string | null }): Promise<Outage> {
    if (!isUuid(id)) throw notFound('availability.outage', id);
    return withTx(this.db, ctx, async (trx) => {
      const row = await outagesQuery(trx).where('o.id', '=', id).executeTakeFirst();
      if (!row) throw notFound('availability.outage', id);
      const manage = hasPermission(ctx.actor, 'availability:manage');
      if (!manage && ctx.actor.orgId !== row.providerOrgId) throw notFound('availability.outage', id);
      await trx.updateTable('availabilityOutages').set({
        ...(row.acknowledgedAt ? {} : { acknowledgedAt: new Date(), acknowledgedBy: ctx.actor.userId }),
        ...(input.causeNote !== undefined ? { causeNote: input.causeNote } : {}),
      }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'availability.outage_acknowledged', targetType: 'availability_outage', targetId: id, after: { causeNote: input.causeNote ?? null } });
      return toOutage((await outagesQuery(trx).where('o.id', '=', id).executeTakeFirstOrThrow()));
    });
  }

  // ---- maintenance -----------------------------------------------------------------------------------------------------

  async listMaintenance(ctx: RequestContext): Promise<MaintenanceWindow[]> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await trx.selectFrom('availabilityMaintenance').select(['id', 'title', 'startsAt', 'endsAt', 'probeId', 'systemId', 'nodeId', 'providerOrgId']).orderBy('startsAt', 'desc').limit(500).execute();
      return rows.map((r) => ({ ...r, startsAt: iso(r.startsAt)!, endsAt: iso(r.endsAt)! }));
    });
  }

  /** A planned-maintenance window (计划性维护) of a probe, system, node or provider: excluded from availability. */
  async createMaintenance(ctx: RequestContext, input: { title: string; startsAt: Date; endsAt: Date; probeId?: string | null; systemId?: string | null; nodeId?: string | null; providerOrgId?: string | null }): Promise<MaintenanceWindow> {
    if (input.endsAt <= input.startsAt) throw fieldError('availability.invalid_window', 'body.endsAt', 'after_start', 'The window ends after it starts');
    if (!input.probeId && !input.systemId && !input.nodeId && !input.providerOrgId) throw fieldError('availability.window_scope', 'body.probeId', 'required', 'Name a probe, system, node or provider');
    return this.changing(withTx(this.db, ctx, async (trx) => {
      if (input.probeId) await this.loadProbe(trx, input.probeId).catch(() => {
        throw fieldError('availability.probe_not_found', 'body.probeId', 'exists', 'No such probe', input.probeId);
      });
      const r = await trx.insertInto('availabilityMaintenance').values({ title: input.title, startsAt: input.startsAt, endsAt: input.endsAt, probeId: input.probeId ?? null, systemId: input.systemId ?? null, nodeId: input.nodeId ?? null, providerOrgId: input.providerOrgId ?? null, createdBy: ctx.actor.userId })
        .returning(['id', 'title', 'startsAt', 'endsAt', 'probeId', 'systemId', 'nodeId', 'providerOrgId']).executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'availability.maintenance_created', targetType: 'availability_maintenance', targetId: r.id, after: { title: input.title } });
      return { ...r, startsAt: iso(r.startsAt)!, endsAt: iso(r.endsAt)! };
    }));
  }

  // ---- SLA objectives ------------------------------------------------------------------------------------------------------

  async listObjectives(ctx: RequestContext): Promise<Objective[]> {
    return withTx(this.db, ctx, async (trx) => (await trx.selectFrom('availabilityObjectives').selectAll().orderBy('scope').orderBy('scopeName').execute()).map(toObjective));
  }

  /** Sets (creates or replaces) the objective of a system, unit, provider or catalog service. */
  async setObjective(ctx: RequestContext, input: NewObjective): Promise<Objective> {
    if (!/^(?:\d{1,2})(?:\.\d{1,3})?$/.test(input.targetPercent) || Number(input.targetPercent) <= 0 || Number(input.targetPercent) >= 100) {
      throw fieldError('availability.invalid_target_percent', 'body.targetPercent', 'percent', 'A percentage below 100 with at most 3 decimals, e.g. "99.9"', input.targetPercent);
    }
    let scopeName: string;
    let providerOrgId: string | null = null;
    let unitOrgId: string | null = null;
    let probeOrigins: ProbeOrigin[] | null = null;
    if (input.scope !== 'service' && !isUuid(input.scopeId)) throw fieldError('availability.scope_not_found', 'body.scopeId', 'uuid', `The ${input.scope} is named by its id (a UUID)`, input.scopeId);
    if (input.scope === 'service') {
      const catalog = this.deps.catalog;
      if (!catalog) throw new AppError('unavailable', 'availability.catalog_unavailable', 'The service catalog is not wired: no catalog-service objectives');
      const item = await withTx(this.db, ctx, async (trx) => {
        const v = await catalog.currentVersionIn(trx);
        return v ? (await catalog.itemsIn(trx, v.id)).find((i) => i.code === input.scopeId) ?? null : null;
      });
      if (!item) throw fieldError('availability.scope_not_found', 'body.scopeId', 'catalog_code', 'No such item in the current catalog version (服务目录编码)', input.scopeId);
      probeOrigins = serviceProbeOrigins(item);
      if (!probeOrigins) throw fieldError('availability.service_not_probed', 'body.scopeId', 'probed_service', 'Zhengyun does not probe this catalog service (probed: 平台云主机服务, 互联网链路服务)', input.scopeId);
      scopeName = `${item.code} ${item.subcategory ?? item.category}`.slice(0, 200);
    } else if (input.scope === 'system') {
      const s = await this.deps.systems.get(ctx, input.scopeId).catch(() => {
        throw fieldError('availability.scope_not_found', 'body.scopeId', 'exists', 'No such information system', input.scopeId);
      });
      scopeName = s.name;
      providerOrgId = s.node.provider?.id ?? null;
      unitOrgId = s.unit.id;
    } else {
      const org = await withTx(this.db, ctx, (trx) => trx.selectFrom('organisations').select(['id', 'name', 'kind']).where('id', '=', isUuid(input.scopeId) ? input.scopeId : '00000000-0000-0000-0000-000000000000').executeTakeFirst());
      const kind = input.scope === 'unit' ? 'user_unit' : 'cloud_provider';
      if (!org || org.kind !== kind) throw fieldError('availability.scope_not_found', 'body.scopeId', 'exists', `No such ${input.scope === 'unit' ? 'user unit' : 'cloud provider'}`, input.scopeId);
      scopeName = org.name;
      if (input.scope === 'unit') unitOrgId = org.id;
      else providerOrgId = org.id;
    }
    const target = (Number(input.targetPercent) / 100).toFixed(5);
    return withTx(this.db, ctx, async (trx) => {
      const values = {
        scope: input.scope, scopeId: input.scopeId, scopeName, providerOrgId, unitOrgId, target, period: input.period ?? 'year', schedule: input.schedule ?? '24x7',
        maxInterruptionMinutes: input.maxInterruptionMinutes === undefined ? 240 : input.maxInterruptionMinutes, maxYearlyFaultMinutes: input.maxYearlyFaultMinutes ?? null,
        excluded: input.excluded ?? null, source: input.source ?? null, probeOrigins,
      };
      const row = await trx.insertInto('availabilityObjectives').values(values).onConflict((oc) => oc.columns(['scope', 'scopeId']).doUpdateSet(values)).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'availability.objective_set', targetType: 'availability_objective', targetId: row.id, after: values });
      return toObjective(row);
    });
  }

  /** Deletes an objective (management / supervision); an objective the caller cannot see or change answers 404. */
  async deleteObjective(ctx: RequestContext, id: string): Promise<void> {
    if (!isUuid(id)) throw notFound('availability.objective', id);
    await withTx(this.db, ctx, async (trx) => {
      const row = await trx.deleteFrom('availabilityObjectives').where('id', '=', id).returningAll().executeTakeFirst();
      if (!row) throw notFound('availability.objective', id);
      const o = toObjective(row);
      await recordAudit(trx, ctx, { action: 'availability.objective_deleted', targetType: 'availability_objective', targetId: id, before: { scope: o.scope, scopeId: o.scopeId, scopeName: o.scopeName, targetPercent: o.targetPercent, period: o.period, schedule: o.schedule } });
    });
  }

  /**
   * SLA compliance over [from, to) — the contract for the monthly report and the provider evaluation: one row per
   * objective × object the caller may see. A system objective has one object (the system); a unit's or provider's
   * objective has one per system of it that is probed, plus (provider) one with systemId null for its probed hosts and
   * IPs without a system. An object's timeline merges its probes (down > unknown > up > maintenance); probes with no
   * record in the period take no part; maintenance windows are excluded; `met` also checks the single-interruption
   * limit (4 h) and, over the objective's period so far, the fault-time limit. Catalog-service objectives are not in
   * these rows (they are per provider, not per system): `serviceCompliance` gives them.
   */
  async slaCompliance(ctx: RequestContext, range: { from: Date; to: Date }): Promise<SlaComplianceRow[]> {
    return (await this.complianceDetails(ctx, range)).filter((r) => r.scope !== 'service').map((r) => ({
      providerOrgId: r.providerOrgId, systemId: r.systemId, unitOrgId: r.unitOrgId, targetPercent: r.targetPercent, availabilityPercent: r.availabilityPercent, measuredSeconds: r.measuredSeconds,
      downSeconds: r.downSeconds, unknownSeconds: r.unknownSeconds, maintenanceSeconds: r.maintenanceSeconds, longestOutageSeconds: r.longestOutageSeconds, met: r.met,
    }));
  }

  /**
   * Compliance per catalog service (服务目录的服务) over [from, to): one row per service objective × provider whose
   * probes of that service have a record in the range. The service's availability is the average over its probed
   * objects (each host or IP its own up and down time); planned maintenance excluded, unknown apart.
   */
  async serviceCompliance(ctx: RequestContext, range: { from: Date; to: Date }): Promise<ServiceComplianceRow[]> {
    return (await this.complianceDetails(ctx, range)).filter((r) => r.scope === 'service').map((r) => ({
      objectiveId: r.objectiveId, serviceCode: r.scopeName.split(' ')[0]!, serviceName: r.scopeName, providerOrgId: r.providerOrgId, providerName: r.providerName, targetPercent: r.targetPercent,
      availabilityPercent: r.availabilityPercent, measuredSeconds: r.measuredSeconds, downSeconds: r.downSeconds, unknownSeconds: r.unknownSeconds, maintenanceSeconds: r.maintenanceSeconds,
      longestOutageSeconds: r.longestOutageSeconds, interruptions: r.interruptions, probes: r.probes, met: r.met,
    }));
  }

  /** The SLA table of a month 'YYYY-MM' (Asia/Shanghai), every scope including catalog services. */
  monthlyCompliance(ctx: RequestContext, month: string): Promise<ComplianceDetail[]> {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw fieldError('availability.invalid_month', 'query.month', 'month', 'The month is YYYY-MM', month);
    const r = monthRange(month);
    return this.complianceDetails(ctx, { from: new Date(r.from), to: new Date(r.to) });
  }

  async complianceDetails(ctx: RequestContext, range: { from: Date; to: Date }): Promise<ComplianceDetail[]> {
    if (!(range.from < range.to)) throw fieldError('availability.invalid_range', 'from', 'before_to', 'from must be before to');
    if (range.to.getTime() - range.from.getTime() > 400 * DAY) throw fieldError('availability.range_too_long', 'to', 'max_400_days', 'At most 400 days at a time');
    const now = Date.now();
    return withTx(this.db, ctx, async (trx) => {
      const objectives = (await trx.selectFrom('availabilityObjectives').selectAll().orderBy('scope').orderBy('scopeName').execute()).map(toObjective);
      if (!objectives.length) return [];
      // Approved planned work (operations) over the widest range any objective reads: excluded like maintenance.
      const spanLo = Math.min(range.from.getTime(), ...objectives.map((o) => periodRange(shanghaiMonth(range.from), o.period).from));
      const spanHi = Math.max(spanLo + 1, Math.min(Math.max(range.to.getTime(), ...objectives.map((o) => periodRange(shanghaiMonth(range.from), o.period).to)), now));
      // Read as the platform (not the caller): everyone who sees an object gets the same figures for it.
      const planned: PlannedWorkWindow[] = [];
      const seen = new Set<string>();
      for (let a = spanLo; a < spanHi; a += 360 * DAY) {
        for (const w of await this.plannedWindows(systemContext('availability.sla'), { from: new Date(a), to: new Date(Math.min(spanHi, a + 360 * DAY)) })) {
          if (!seen.has(w.changeId)) planned.push(w);
          seen.add(w.changeId);
        }
      }
      const cal = await this.deps.calendar.days(trx);
      const out: ComplianceDetail[] = [];
      for (const o of objectives) {
        const fromMonth = shanghaiMonth(range.from);
        const per = periodRange(fromMonth, o.period);
        const lo = Math.min(range.from.getTime(), per.from);
        const hi = Math.min(Math.max(range.to.getTime(), per.to), now);
        let probes = trx.selectFrom('availabilityProbes as p').leftJoin('informationSystems as s', 's.id', 'p.systemId').leftJoin('organisations as u', 'u.id', 'p.unitOrgId').leftJoin('organisations as v', 'v.id', 'p.providerOrgId')
          .select(['p.id', 'p.systemId', 's.name as systemName', 'p.unitOrgId', 'u.name as unitName', 'p.providerOrgId', 'v.name as providerName', 'p.nodeId', 'p.resourceId', 'p.origin']);
        if (o.scope === 'system') probes = probes.where('p.systemId', '=', o.scopeId);
        else if (o.scope === 'unit') probes = probes.where('p.unitOrgId', '=', o.scopeId);
        else if (o.scope === 'provider') probes = probes.where('p.providerOrgId', '=', o.scopeId);
        else probes = probes.where('p.origin', 'in', o.probeOrigins ?? []);
        const plist = await probes.execute();
        const groups = new Map<string, typeof plist>();
        for (const p of plist) {
          // A catalog service: one row per provider offering it.
          const key = o.scope === 'system' ? o.scopeId : o.scope === 'service' ? p.providerOrgId ?? '' : p.systemId ?? '';
          if (o.scope === 'unit' && !p.systemId) continue;
          groups.set(key, [...(groups.get(key) ?? []), p]);
        }
        if (o.scope === 'system' && !groups.size) groups.set(o.scopeId, []);
        const ids = plist.map((p) => p.id);
        const intervals = ids.length
          ? await trx.selectFrom('availabilityIntervals').select(['probeId', 'state', 'startedAt', 'endedAt']).where('probeId', 'in', ids).where('startedAt', '<', new Date(hi))
            .where((eb) => eb.or([eb('endedAt', 'is', null), eb('endedAt', '>', new Date(lo))])).execute()
          : [];
        const windows = await trx.selectFrom('availabilityMaintenance').select(['startsAt', 'endsAt', 'probeId', 'systemId', 'nodeId', 'providerOrgId']).where('startsAt', '<', new Date(hi)).where('endsAt', '>', new Date(lo)).execute();
        const spansOf = new Map<string, Span[]>();
        for (const i of intervals) {
          const list = spansOf.get(i.probeId) ?? [];
          list.push({ state: i.state as State, start: new Date(i.startedAt).getTime(), end: i.endedAt ? new Date(i.endedAt).getTime() : now });
          spansOf.set(i.probeId, list);
        }
        const weigh = o.schedule === 'working' ? (a: number, b: number) => workingTimeBetween(cal, new Date(a), new Date(b), OFFICE_HOURS) : undefined;
        const timelineOf = (members: typeof plist, a: number, b: number): Span[] => {
          const tls = members.filter((p) => (spansOf.get(p.id) ?? []).some((s) => s.end > a && s.start < b)).map((p) => {
            const ws = windows.filter((w) => w.probeId === p.id || (w.systemId && w.systemId === p.systemId) || (w.nodeId && w.nodeId === p.nodeId) || (w.providerOrgId && w.providerOrgId === p.providerOrgId))
              .map((w) => ({ start: new Date(w.startsAt).getTime(), end: new Date(w.endsAt).getTime() }))
              .concat(planned.filter((w) => plannedWorkCovers(w, p)).map((w) => ({ start: w.startsAt.getTime(), end: w.endsAt.getTime() })));
            return applyMaintenance(clipAndFill(spansOf.get(p.id) ?? [], a, b), ws);
          });
          return tls.length ? mergeTimelines(tls, a, b) : [{ state: 'unknown', start: a, end: b }];
        };
        const mFrom = range.from.getTime();
        const mTo = Math.max(mFrom, Math.min(range.to.getTime(), now));
        const pFrom = per.from;
        const pNow = Math.max(pFrom, Math.min(per.to, now));
        const periodFull = weigh ? weigh(per.from, per.to) : per.to - per.from;
        for (const [key, members] of groups) {
          const noneMeasured: Figures = { upMs: 0, downMs: 0, unknownMs: 0, maintenanceMs: 0, longestDownMs: 0, interruptions: 0, sli: null };
          // A catalog service averages its objects (entity time); any other object merges its probes into one timeline.
          const measure = (a: number, b: number): Figures => {
            if (o.scope !== 'service') return figures(timelineOf(members, a, b), weigh);
            const seen = members.filter((p) => (spansOf.get(p.id) ?? []).some((s) => s.end > a && s.start < b));
            return seen.length ? sumFigures(seen.map((p) => figures(timelineOf([p], a, b), weigh))) : figures(timelineOf([], a, b), weigh);
          };
          const m = mTo > mFrom ? measure(mFrom, mTo) : noneMeasured;
          // The range is cut at now: time still to come is neither measured nor unknown.
          const p = pNow > pFrom ? measure(pFrom, pNow) : noneMeasured;
          const elapsed = weigh ? weigh(pFrom, pNow) : pNow - pFrom;
          const target = Number(o.targetPercent) / 100;
          // A service's period figures are those of its average object (fault time and budget per host or IP).
          const objects = o.scope === 'service' ? Math.max(1, members.filter((x) => (spansOf.get(x.id) ?? []).some((s) => s.end > pFrom && s.start < pNow)).length) : 1;
          const v = judge({ target, maxInterruptionMinutes: o.maxInterruptionMinutes, maxYearlyFaultMinutes: o.maxYearlyFaultMinutes }, m, { periodMs: periodFull, elapsedMs: elapsed, periodDownMs: p.downMs / objects, periodMeasuredMs: (p.upMs + p.downMs) / objects });
          const first = members[0];
          const systemId = o.scope === 'service' ? null : key || null;
          out.push({
            objectiveId: o.id, scope: o.scope, scopeName: o.scopeName, period: o.period, schedule: o.schedule,
            providerOrgId: o.scope === 'provider' ? o.scopeId : o.scope === 'service' ? key || null : first?.providerOrgId ?? o.providerOrgId, systemId,
            unitOrgId: o.scope === 'unit' ? o.scopeId : o.scope === 'service' ? null : first?.unitOrgId ?? o.unitOrgId,
            systemName: systemId ? first?.systemName ?? (o.scope === 'system' ? o.scopeName : null) : null, providerName: first?.providerName ?? (o.scope === 'provider' ? o.scopeName : null),
            unitName: o.scope === 'service' ? null : first?.unitName ?? (o.scope === 'unit' ? o.scopeName : null),
            targetPercent: o.targetPercent, availabilityPercent: m.sli === null ? null : m.sli * 100, availabilityText: m.sli === null ? null : pct(m.sli),
            measuredSeconds: Math.round((m.upMs + m.downMs) / 1000), downSeconds: Math.round(m.downMs / 1000), unknownSeconds: Math.round(m.unknownMs / 1000), maintenanceSeconds: Math.round(m.maintenanceMs / 1000),
            longestOutageSeconds: Math.round(m.longestDownMs / 1000), interruptions: m.interruptions, met: v.met, maxInterruptionMinutes: o.maxInterruptionMinutes, maxYearlyFaultMinutes: o.maxYearlyFaultMinutes,
            periodDownSeconds: Math.round(p.downMs / objects / 1000), budgetLeftMinutes: v.budgetLeftMinutes, burnWarning: v.burnWarning, reasons: v.reasons,
            probes: o.scope === 'service' ? members.filter((x) => (spansOf.get(x.id) ?? []).some((s) => s.end > mFrom && s.start < mTo)).length : members.length,
          });
        }
      }
      return out;
    });
  }

  /**
   * One probe's detail over a range (default the last 24 h) as a signed .xlsx (documents module, SM2): its figures and
   * state timeline above, every result (slot, attempt, response time, loss, HTTP status, detail) as rows.
   */
  async probeDocument(ctx: RequestContext, id: string, range: { from?: Date; to?: Date } = {}): Promise<RenderedDocument> {
    const d = await this.getProbe(ctx, id, range);
    const STATE_CN: Record<State, string> = { up: '正常', down: '中断', unknown: '未知', maintenance: '维护' };
    const hours = (sec: number) => (sec / 3600).toFixed(2);
    const model: DocumentModel = {
      docType: 'availability_probe',
      title: `拨测详情：${d.name}`,
      meta: [
        { label: '探测对象', value: `${d.kind.toUpperCase()} ${d.target}${d.port ? `:${d.port}` : ''}` },
        { label: '信息系统', value: d.system?.name ?? '—' },
        { label: '云服务商', value: d.provider?.name ?? '—' },
        { label: '期间', value: `${fmt(d.figures.from)} – ${fmt(d.figures.to)}（北京时间）` },
        { label: '可用率', value: d.figures.availability === null ? '无测量数据' : `${(Number(d.figures.availability) * 100).toFixed(4)}%` },
        { label: '时长（小时）', value: `正常 ${hours(d.figures.upSeconds)}，中断 ${hours(d.figures.downSeconds)}，未知 ${hours(d.figures.unknownSeconds)}，维护 ${hours(d.figures.maintenanceSeconds)}` },
        { label: '生成时间', value: fmt(new Date()) },
      ],
      columns: [
        { key: 'slot', header: ['计划时刻'], width: 18 },
        { key: 'checked', header: ['探测时间'], width: 18 },
        { key: 'attempt', header: ['核实次序'], kind: 'integer', width: 8 },
        { key: 'ok', header: ['结果'], width: 8 },
        { key: 'rtt', header: ['响应时间（毫秒）'], kind: 'quantity', width: 12 },
        { key: 'loss', header: ['丢包率（%）'], kind: 'quantity', width: 10 },
        { key: 'http', header: ['HTTP 状态'], kind: 'integer', width: 10 },
        { key: 'detail', header: ['说明'], width: 40 },
        { key: 'worker', header: ['执行节点'], width: 14 },
      ],
      rows: d.results.map((r) => ({
        slot: fmt(r.slot), checked: fmt(r.checkedAt), attempt: r.attempt, ok: r.ok ? '成功' : '失败', rtt: r.rttMs === null ? null : r.rttMs.toFixed(2), loss: r.lossPct === null ? null : r.lossPct.toFixed(2),
        http: r.httpStatus, detail: r.detail ?? '', worker: r.worker ?? '',
      })),
      notes: [
        '状态区间：' + (d.intervals.length ? d.intervals.slice(0, 100).map((i) => `${STATE_CN[i.state]} ${fmt(i.startedAt)} – ${i.endedAt ? fmt(i.endedAt) : '至今'}`).join('；') : '无'),
        `中断记录 ${d.outages.length} 条${d.outages.length ? '：' + d.outages.slice(0, 20).map((o) => `${fmt(o.startedAt)} 起 ${Math.round(o.durationSeconds / 60)} 分钟`).join('；') : ''}。`,
        '可用率 = 正常时间 ÷（正常时间 + 中断时间）；未知（无探测结果）时间单列，不计为正常；最多列出 2,000 条探测结果。',
      ],
      sheetName: '拨测详情',
    };
    return this.deps.documents.render(ctx, model, 'xlsx', { filenameStem: `拨测详情-${d.name}`.slice(0, 80) });
  }

  /** The month's SLA table as a signed .xlsx or PDF (documents module, the platform's SM2 key). */
  async complianceDocument(ctx: RequestContext, month: string, format: 'xlsx' | 'pdf'): Promise<RenderedDocument> {
    const rows = await this.monthlyCompliance(ctx, month);
    const hours = (s: number) => (s / 3600).toFixed(2);
    const model: DocumentModel = {
      docType: 'availability_sla',
      title: `${month} 可用性 SLA 达标情况`,
      meta: [{ label: '期间', value: `${month}（北京时间）` }, { label: '生成时间', value: fmt(new Date()) }],
      columns: [
        { key: 'provider', header: ['云服务商'], width: 20 },
        { key: 'unit', header: ['使用单位'], width: 20 },
        { key: 'system', header: ['信息系统'], width: 24 },
        { key: 'target', header: ['目标（%）'], width: 10 },
        { key: 'availability', header: ['可用率（%）'], width: 12 },
        { key: 'down', header: ['时长（小时）', '中断'], kind: 'quantity', width: 10 },
        { key: 'unknown', header: ['时长（小时）', '未知'], kind: 'quantity', width: 10 },
        { key: 'maintenance', header: ['时长（小时）', '维护'], kind: 'quantity', width: 10 },
        { key: 'longest', header: ['最长中断（分钟）'], kind: 'integer', width: 12 },
        { key: 'budget', header: ['剩余预算（分钟）'], kind: 'integer', width: 12 },
        { key: 'met', header: ['是否达标'], width: 10 },
      ],
      rows: rows.map((r) => ({
        provider: r.providerName ?? '', unit: r.unitName ?? '', system: r.scope === 'service' ? `服务：${r.scopeName}（${r.probes} 个对象平均）` : r.systemName ?? (r.systemId ? '' : '（未关联系统的主机）'), target: r.targetPercent, availability: r.availabilityText ?? '无测量数据',
        down: hours(r.downSeconds), unknown: hours(r.unknownSeconds), maintenance: hours(r.maintenanceSeconds), longest: Math.floor(r.longestOutageSeconds / 60), budget: r.budgetLeftMinutes,
        met: r.met === null ? '无数据' : r.met ? '达标' : `未达标（${r.reasons.join('；')}）`,
      })),
      notes: ['可用率 = 正常时间 ÷（正常时间 + 中断时间），计划性维护时间不计入，未知（无探测结果）时间单列，不计为正常。', '单次中断不超过 4 小时、全年故障时间限值按服务目标判定。'],
      signatures: ['监管服务商（盖章）', '管理单位（盖章）'],
      sheetName: 'SLA',
    };
    return this.deps.documents.render(ctx, model, format, { filenameStem: `可用性SLA-${month}` });
  }
}

function toObjective(r: { id: string; scope: string; scopeId: string; scopeName: string; providerOrgId: string | null; unitOrgId: string | null; target: string; period: string; schedule: string; maxInterruptionMinutes: number | null; maxYearlyFaultMinutes: number | null; excluded: string | null; source: string | null; probeOrigins: string[] | null }): Objective {
  return {
    id: r.id, scope: r.scope as Objective['scope'], scopeId: r.scopeId, scopeName: r.scopeName, providerOrgId: r.providerOrgId, unitOrgId: r.unitOrgId,
    targetPercent: String(Number((Number(r.target) * 100).toFixed(3))), period: r.period as Objective['period'], schedule: r.schedule as Objective['schedule'],
    maxInterruptionMinutes: r.maxInterruptionMinutes, maxYearlyFaultMinutes: r.maxYearlyFaultMinutes, excluded: r.excluded, source: r.source, probeOrigins: (r.probeOrigins as ProbeOrigin[] | null) ?? null,
  };
}

/** A ratio as a percentage with 4 decimals, truncated (never rounded up into compliance). */
function pct(r: number): string {
  return (Math.floor(r * 1e6 + 1e-9) / 1e4).toFixed(4);
}

function shanghaiMonth(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
}

function fmt(d: Date | string): string {
  return new Date(new Date(d).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
