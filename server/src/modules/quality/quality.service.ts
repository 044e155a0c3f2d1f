import { sql } from 'kysely';
import { systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound, validationError } from '../../platform/errors.js';
import { INTERFACE_TABLES, type InterfaceTable } from '../ingestion/index.js';
import { recordAudit } from '../audit/index.js';
import {
  COMPLETENESS_TARGET,
  DEVICE_KEYS,
  SLOT_MS,
  addDays,
  dayStart,
  elapsedSlots,
  figuresOf,
  isoWeekStart,
  methodOf,
  periodEnded,
  providerFigures,
  shanghaiDay,
  tableFigures,
  type CompletenessMethod,
} from './quality.rules.js';
import * as repo from './quality.repository.js';
import type { DailyQuery, DailyRow, ExpectationInput, Heat, RangeQuery, Summary } from './quality.schemas.js';
import { writeQualityWorkbook } from './quality.xlsx.js';

const TABLES_BY_NAME = new Map(INTERFACE_TABLES.map((t) => [t.name, t]));
/** Tables are listed in the order of the interface standard (by category), not alphabetically. */
const TABLE_ORDER = new Map(INTERFACE_TABLES.map((t, i) => [t.name, i]));
const byStandardOrder = (a: string, b: string) => (TABLE_ORDER.get(a) ?? 99) - (TABLE_ORDER.get(b) ?? 99);
const DAY_MS = 24 * 3600_000;
/** A provider × node with a batch this many days back still has its tables expected. */
const ACTIVE_WINDOW_DAYS = 35;
/** Devices (sensors, systems) seen this many days back are expected to report every 5 minutes. */
const DEVICE_WINDOW_DAYS = 7;
const DAILY_LIMIT = 20_000;
const EXPORT_LIMIT = 100_000;

export interface ComputeOptions {
  /** The time the computation stands at (default: the service clock). Today's expectation is prorated to it. */
  now?: Date;
  /** Only these providers (tests, manual recompute); default every provider. */
  providers?: readonly string[];
}

export interface ComputeResult {
  day: string;
  rows: number;
  durationMs: number;
}

type Resolver = (provider: string, node: string, table: string) => boolean;

/**
 * Data quality (数据质量) per cloud provider × node × interface table × day: completeness, timeliness, validity and a
 * score against the 95% completeness target. `computeDay` replaces a day's rows (idempotent); the quality.compute job
 * runs it every 15 minutes for today and yesterday. Reads are scoped by RLS: a provider sees its own rows only.
 */
export class QualityService {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Recomputes today and yesterday (Beijing time). */
  async computeRecent(opts: ComputeOptions = {}): Promise<ComputeResult[]> {
    const now = opts.now ?? this.clock();
    const today = shanghaiDay(now);
    return [await this.computeDay(addDays(today, -1), { ...opts, now }), await this.computeDay(today, { ...opts, now })];
  }

  /**
   * Computes and stores the rows of `day` for every expected provider × node × table (and the ISO week holding `day`
   * for the weekly tables), replacing what was stored. Runs as the platform (all providers).
   */
  async computeDay(day: string, opts: ComputeOptions = {}): Promise<ComputeResult> {
    const started = Date.now();
    const now = opts.now ?? this.clock();
    const providers = opts.providers ? [...opts.providers] : null;
    const ctx = systemContext('job:quality.compute');
    const rows = await withTx(this.db, ctx, async (trx) => {
      // The distinct counts sort a day of samples: keep them in memory.
      await sql`set local work_mem = '64MB'`.execute(trx);
      const rows = await this.buildRows(trx, day, now, providers);
      await repo.replaceRows(trx, day, isoWeekStart(day), rows, providers);
      return rows;
    });
    return { day, rows: rows.length, durationMs: Date.now() - started };
  }

  private async buildRows(trx: Tx, day: string, now: Date, providers: string[] | null): Promise<repo.QualityRow[]> {
    const start = dayStart(day);
    const end = dayStart(addDays(day, 1));
    const slots = elapsedSlots(day, now);
    const cut = new Date(start.getTime() + slots * SLOT_MS);
    const dayEnded = periodEnded(day, 1, now);
    const weekStart = isoWeekStart(day);
    const wStart = dayStart(weekStart);
    const wEnd = dayStart(addDays(weekStart, 7));
    const weekEnded = periodEnded(weekStart, 7, now);

    const pairs = await repo.expectedPairs(trx, new Date(start.getTime() - ACTIVE_WINDOW_DAYS * DAY_MS), now, providers);
    const resolve = resolver(await repo.listExpectations(trx, providers));

    const weekly = INTERFACE_TABLES.filter((t) => t.period === 'P1W').map((t) => t.name);
    const other = INTERFACE_TABLES.filter((t) => t.period !== 'P1W').map((t) => t.name);
    const sums = new Map<string, repo.BatchSums>();
    for (const s of [
      ...(await repo.batchSums(trx, start, end, other, providers)),
      ...(await repo.batchSums(trx, wStart, wEnd, weekly, providers)),
    ]) sums.set(`${s.provider}|${s.node}|${s.table}`, s);

    const rows: repo.QualityRow[] = [];
    for (const table of INTERFACE_TABLES) {
      const method = methodOf(table);
      const expectedKeys = pairs.filter((p) => resolve(p.provider, p.node, table.name)).map((p) => repo.pairKey(p.provider, p.node));
      const { received, expectedOf } = await this.countTable(trx, table, method, { day, start, end, cut, slots, dayEnded, wStart, wEnd, weekEnded }, providers, expectedKeys);
      const keys = new Set<string>();
      for (const k of expectedKeys) keys.add(k);
      for (const k of received.keys()) keys.add(k);
      for (const s of sums.values()) if (s.table === table.name) keys.add(repo.pairKey(s.provider, s.node));
      for (const key of keys) {
        const [provider, node] = key.split('|') as [string, string];
        const got = received.get(key) ?? 0n;
        const s = sums.get(`${key}|${table.name}`);
        const counts = { expected: expectedOf(key, got), received: got, onTime: s?.onTime ?? 0n, accepted: s?.accepted ?? 0n, rejected: s?.rejected ?? 0n };
        rows.push({
          provider,
          node,
          table: table.name,
          day: method === 'weekly' ? weekStart : day,
          period: method === 'weekly' ? 'week' : 'day',
          method,
          mandatory: resolve(provider, node, table.name),
          ...counts,
          ...figuresOf(counts),
        });
      }
    }
    return rows;
  }

  /** Received units per provider × node, and the expected units of a pair, for one table on one day. */
  private async countTable(
    trx: Tx,
    table: InterfaceTable,
    method: CompletenessMethod,
    p: { day: string; start: Date; end: Date; cut: Date; slots: number; dayEnded: boolean; wStart: Date; wEnd: Date; weekEnded: boolean },
    providers: string[] | null,
    expectedKeys: readonly string[],
  ): Promise<{ received: repo.PairCounts; expectedOf: (key: string, received: bigint) => bigint }> {
    // Records count when they arrive by the end of the next day (the day is recomputed until then). Reading from the
    // day's start keeps the scan to the day's partitions: a record arrives after its own time.
    const dayWindow = { receivedFrom: p.start, receivedTo: new Date(p.end.getTime() + DAY_MS), from: p.start, to: p.cut };
    const slots = BigInt(p.slots);
    switch (method) {
      case 'host_samples':
      case 'device_samples': {
        const keys = method === 'host_samples' ? ['cloud_host_id'] : DEVICE_KEYS[table.name]!;
        const received = await repo.deviceSlots(trx, table.sqlTable, keys, dayWindow, providers);
        // Host metrics: the active hosts of the latest cloudHostSpec delivery; without one (and for the other tables),
        // the devices seen in the last 7 days — read only for the providers that need it (7 days of metrics is big).
        const hosts = method === 'host_samples' ? await repo.activeHosts(trx, p.day, new Date(p.start.getTime() - ACTIVE_WINDOW_DAYS * DAY_MS), p.end, providers) : new Map<string, bigint>();
        const lacking = [...new Set([...expectedKeys, ...received.keys()].filter((k) => !hosts.has(k)).map((k) => k.split('|')[0]!))];
        const sevenDays = new Date(p.start.getTime() - (DEVICE_WINDOW_DAYS - 1) * DAY_MS);
        const seen = lacking.length === 0 ? new Map<string, bigint>() : await repo.distinctDevices(trx, table.sqlTable, keys, { ...dayWindow, receivedFrom: sevenDays, from: sevenDays }, lacking);
        return { received, expectedOf: (key) => (hosts.get(key) ?? seen.get(key) ?? 0n) * slots };
      }
      case 'event_slots':
        return { received: await repo.eventSlots(trx, table.sqlTable, dayWindow, providers), expectedOf: () => slots };
      case 'daily': {
        const received = await repo.anyRecord(trx, table.sqlTable, { ...dayWindow, to: p.end }, providers);
        // Today is due only once it is over; a delivery today already counts.
        return { received, expectedOf: (_key, got) => (p.dayEnded || got > 0n ? 1n : 0n) };
      }
      case 'weekly': {
        const w = { receivedFrom: p.wStart, receivedTo: new Date(p.wEnd.getTime() + DAY_MS), from: p.wStart, to: p.wEnd };
        const received = await repo.anyRecord(trx, table.sqlTable, w, providers);
        return { received, expectedOf: (_key, got) => (p.weekEnded || got > 0n ? 1n : 0n) };
      }
    }
  }

  // ---- reads ----------------------------------------------------------------------------------------------------------

  /** Per provider (and its tables) over [from, to]: score, the three ratios and the tables below the target. */
  async summary(ctx: RequestContext, q: RangeQuery): Promise<Summary> {
    const sums = await withTx(this.db, ctx, (trx) => repo.tableSums(trx, q));
    return { from: q.from, to: q.to, target: COMPLETENESS_TARGET, providers: summarise(sums) };
  }

  async daily(ctx: RequestContext, q: DailyQuery): Promise<{ items: DailyRow[]; total: number; truncated: boolean }> {
    const { rows, total } = await withTx(this.db, ctx, (trx) => repo.listRows(trx, q, DAILY_LIMIT));
    return { items: rows.map(toDailyRow), total, truncated: total > rows.length };
  }

  /** Table × day cells of one provider (all its nodes together) for the heat table. 404 for a provider not visible. */
  async heat(ctx: RequestContext, q: { from: string; to: string; provider: string }): Promise<Heat> {
    const cells = await withTx(this.db, ctx, async (trx) => {
      await this.visibleProvider(trx, q.provider);
      return repo.tableDaySums(trx, q);
    });
    return {
      from: q.from,
      to: q.to,
      provider: q.provider,
      cells: cells.map((c) => ({ table: c.table, day: c.day, period: c.period, expected: c.expected, received: c.receivedCapped, ...tableFigures(c) })),
    };
  }

  async exportXlsx(ctx: RequestContext, q: RangeQuery): Promise<Buffer> {
    const { summary, rows } = await withTx(this.db, ctx, async (trx) => {
      const sums = await repo.tableSums(trx, q);
      const { rows } = await repo.listRows(trx, q, EXPORT_LIMIT);
      await recordAudit(trx, ctx, { action: 'data_quality.export', targetType: 'data_quality', details: { filter: q, rows: rows.length } });
      return { summary: summarise(sums), rows: rows.map(toDailyRow) };
    });
    return writeQualityWorkbook({ from: q.from, to: q.to, providers: summary, rows });
  }

  // ---- expectations ---------------------------------------------------------------------------------------------------

  async listExpectations(ctx: RequestContext, provider?: string) {
    const rows = await withTx(this.db, ctx, async (trx) => {
      const list = await repo.listExpectations(trx, provider ? [provider] : null);
      const names = await providerNames(trx, [...new Set(list.map((r) => r.providerOrgId))]);
      return list.map((r) => ({ ...r, providerName: names.get(r.providerOrgId) ?? null, updatedAt: r.updatedAt.toISOString() }));
    });
    return { items: rows, tables: INTERFACE_TABLES.map((t) => ({ table: t.name, tableCn: t.cn, period: t.period })) };
  }

  /** Sets whether a table is mandatory for a provider (one node, or all with nodeId null). */
  async setExpectation(ctx: RequestContext, input: ExpectationInput): Promise<{ id: string }> {
    return withTx(this.db, ctx, async (trx) => {
      await this.visibleProvider(trx, input.providerOrgId);
      if (input.nodeId) {
        const { rows } = await sql<{ provider: string | null }>`select provider_org_id as provider from cloud_nodes where id = ${input.nodeId}`.execute(trx);
        if (rows.length === 0) throw notFound('cloud_node', input.nodeId);
        if (rows[0]!.provider !== input.providerOrgId) {
          throw validationError('quality.node_not_of_provider', 'The cloud node is not run by this provider', [
            { field: 'nodeId', rule: 'node_of_provider', message: 'must be a cloud node the provider runs', value: input.nodeId },
          ]);
        }
      }
      const id = await repo.upsertExpectation(trx, { ...input, note: input.note ?? null, nodeId: input.nodeId, userId: ctx.actor.userId });
      await recordAudit(trx, ctx, { action: 'data_quality.expectation.set', targetType: 'quality_expectation', targetId: id, after: input });
      return { id };
    });
  }

  async deleteExpectation(ctx: RequestContext, id: string): Promise<void> {
    await withTx(this.db, ctx, async (trx) => {
      if (!(await repo.deleteExpectation(trx, id))) throw notFound('quality_expectation', id);
      await recordAudit(trx, ctx, { action: 'data_quality.expectation.delete', targetType: 'quality_expectation', targetId: id });
    });
  }

  /** A cloud provider the actor can see, else 404 (another tenant's id answers 404). */
  private async visibleProvider(trx: Tx, id: string): Promise<void> {
    const { rows } = await sql<{ kind: string }>`select kind from organisations where id = ${id}`.execute(trx);
    if (rows.length === 0) throw notFound('provider', id);
    if (rows[0]!.kind !== 'cloud_provider') {
      throw new AppError('validation', 'quality.not_a_provider', 'The organisation is not a cloud provider', [
        { field: 'provider', rule: 'cloud_provider', message: 'must be a cloud provider (云服务商)', value: id },
      ]);
    }
  }
}

/** Node-specific expectation, else provider-wide, else mandatory. */
function resolver(list: readonly repo.ExpectationRow[]): Resolver {
  const m = new Map<string, boolean>();
  for (const e of list) m.set(`${e.providerOrgId}|${e.nodeId ?? '*'}|${e.tableName}`, e.mandatory);
  return (provider, node, table) => m.get(`${provider}|${node}|${table}`) ?? m.get(`${provider}|*|${table}`) ?? true;
}

async function providerNames(trx: Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ id: string; name: string | null }>`
    select id, zy_provider_name(id) as name from unnest(${sql.val(ids)}::uuid[]) as u(id)`.execute(trx);
  return new Map(rows.filter((r) => r.name !== null).map((r) => [r.id, r.name!]));
}

function summarise(sums: readonly repo.TableSumRow[]): Summary['providers'] {
  const by = new Map<string, repo.TableSumRow[]>();
  for (const s of sums) by.set(s.provider, [...(by.get(s.provider) ?? []), s]);
  return [...by.entries()].map(([provider, tables]) => ({
    providerOrgId: provider,
    providerName: tables[0]!.providerName,
    ...providerFigures(tables),
    tables: [...tables].sort((a, b) => byStandardOrder(a.table, b.table)).map((t) => {
      const it = TABLES_BY_NAME.get(t.table);
      return {
        table: t.table,
        tableCn: it?.cn ?? t.table,
        period: it?.period ?? 'P1D',
        mandatory: t.mandatory,
        expected: t.expected,
        received: t.receivedCapped,
        onTime: t.onTime,
        accepted: t.accepted,
        rejected: t.rejected,
        ...tableFigures(t),
      };
    }),
  }));
}

function toDailyRow(r: repo.StoredRow): DailyRow {
  return {
    providerOrgId: r.providerOrgId,
    providerName: r.providerName,
    nodeId: r.nodeId,
    nodeCode: r.nodeCode,
    nodeName: r.nodeName,
    table: r.tableName,
    tableCn: TABLES_BY_NAME.get(r.tableName)?.cn ?? r.tableName,
    day: r.day,
    period: r.period,
    method: r.method as DailyRow['method'],
    mandatory: r.mandatory,
    expected: r.expected,
    received: r.received,
    onTime: r.onTime,
    accepted: r.accepted,
    rejected: r.rejected,
    completeness: r.completeness,
    timeliness: r.timeliness,
    validity: r.validity,
    score: r.score,
    meetsTarget: r.meetsTarget,
    computedAt: r.computedAt.toISOString(),
  };
}
