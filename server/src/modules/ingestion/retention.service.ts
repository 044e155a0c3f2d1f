/**
 * Retention of the interface tables: how long each table is kept (ingest_tables.retention_days, never under the
 * minimum the rules set), the partitions present with their sizes, and the daily drop of expired partitions through
 * zy_ingest_drop_partitions() (security definer: the app role owns no partition).
 */
import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { recordAudit } from '../audit/index.js';
import { INTERFACE_CATEGORIES, INTERFACE_TABLES } from './interface-tables.js';
import type { RetentionTable } from './records.schemas.js';

const TABLES = new Map(INTERFACE_TABLES.map((t) => [t.name, t]));
const CATEGORY_CN = new Map(INTERFACE_CATEGORIES.map((c) => [c.name, c.cn]));

/** Why a category has a minimum retention (ingest_tables.min_retention_days is set by the migration accordingly). */
export const MIN_RETENTION_RULES: Readonly<Record<string, string>> = {
  networkProtocolData: 'network protocol records are derived from traffic and must be kept at least one month (≥ 31 days)',
  logData: 'security-device and host logs must be kept at least six months (≥ 183 days, 等保 / GB/T 22239 level 3)',
};

export interface DropResult {
  table: string;
  dropped: string[];
}

export class IngestRetentionService {
  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  /** Every table's retention with its partitions (bounds, row estimates from pg_class.reltuples, total sizes). */
  async list(ctx: RequestContext): Promise<RetentionTable[]> {
    return withTx(this.db, ctx, async (trx) => {
      const settings = await trx.selectFrom('ingestTables').selectAll().execute();
      const parts = await sql<{ parent: string; name: string; lower: Date | null; upper: Date | null; tuples: number; bytes: string }>`
        select p.relname as parent, c.relname as name,
               (regexp_match(pg_get_expr(c.relpartbound, c.oid), $re$FROM \\('([^']+)'\\)$re$))[1]::timestamptz as lower,
               (regexp_match(pg_get_expr(c.relpartbound, c.oid), $re$TO \\('([^']+)'\\)$re$))[1]::timestamptz as upper,
               c.reltuples::float8 as tuples, pg_total_relation_size(c.oid)::text as bytes
        from pg_inherits i
        join pg_class c on c.oid = i.inhrelid
        join pg_class p on p.oid = i.inhparent
        where p.relnamespace = 'public'::regnamespace and p.relname = any(${settings.map((s) => s.sqlTable)}::text[])
        order by c.relname`.execute(trx);
      const byParent = new Map<string, typeof parts.rows>();
      for (const r of parts.rows) byParent.set(r.parent, [...(byParent.get(r.parent) ?? []), r]);
      const order = new Map(INTERFACE_TABLES.map((t, i) => [t.name, i]));
      return settings
        .sort((a, b) => (order.get(a.name) ?? 999) - (order.get(b.name) ?? 999))
        .map((s) => {
          const ps = byParent.get(s.sqlTable) ?? [];
          const partitions = ps.map((p) => ({
            name: p.name,
            from: p.lower ? new Date(p.lower).toISOString() : null,
            to: p.upper ? new Date(p.upper).toISOString() : null,
            rowEstimate: p.tuples >= 0 ? Math.round(p.tuples) : null,
            bytes: Number(p.bytes),
          }));
          const froms = partitions.map((p) => p.from).filter((f): f is string => f !== null).sort();
          return {
            table: s.name,
            cn: TABLES.get(s.name)?.cn ?? s.name,
            category: s.category,
            categoryCn: CATEGORY_CN.get(s.category) ?? s.category,
            partitionUnit: s.partitionUnit as 'day' | 'month',
            retentionDays: s.retentionDays,
            minRetentionDays: s.minRetentionDays,
            minRule: s.minRetentionDays > 1 ? (MIN_RETENTION_RULES[s.category] ?? `at least ${s.minRetentionDays} days`) : null,
            partitionCount: partitions.length,
            rowEstimate: partitions.reduce((sum, p) => sum + (p.rowEstimate ?? 0), 0),
            bytes: partitions.reduce((sum, p) => sum + p.bytes, 0),
            oldest: froms[0] ?? null,
            partitions,
          };
        });
    });
  }

  /** Sets a table's retention; refuses a value under the table's minimum, naming the rule. Audit-logged. */
  async update(ctx: RequestContext, table: string, retentionDays: number): Promise<RetentionTable> {
    await withTx(this.db, ctx, async (trx) => {
      const row = await trx.selectFrom('ingestTables').selectAll().where('name', '=', table).forUpdate().executeTakeFirst();
      if (!row) throw notFound('ingest.table', table);
      if (retentionDays < row.minRetentionDays) {
        const rule = MIN_RETENTION_RULES[row.category] ?? `at least ${row.minRetentionDays} days`;
        throw new AppError(
          'validation',
          'ingest.retention_below_minimum',
          `Retention of ${table} (${TABLES.get(table)?.cn ?? table}) may not be shorter than ${row.minRetentionDays} days: ${rule}`,
          { table, min: row.minRetentionDays, issues: [{ field: 'body.retentionDays', rule: 'min_retention', message: `must be at least ${row.minRetentionDays} days: ${rule}`, value: retentionDays }] },
        );
      }
      if (row.retentionDays === retentionDays) return;
      await trx.updateTable('ingestTables').set({ retentionDays }).where('name', '=', table).execute();
      await recordAudit(trx, ctx, {
        action: 'ingest.retention.update',
        targetType: 'ingest_table',
        targetId: table,
        before: { retentionDays: row.retentionDays },
        after: { retentionDays },
      });
    });
    const updated = (await this.list(ctx)).find((t) => t.table === table);
    if (!updated) throw notFound('ingest.table', table);
    return updated;
  }

  /**
   * Drops the partitions of each table (all tables by default) that ended before now − retention. One transaction per
   * table, so one failing table does not keep the others' data past retention. Idempotent.
   */
  async dropExpired(ctx: RequestContext, tables?: readonly string[]): Promise<DropResult[]> {
    const names = tables ?? (await withTx(this.db, ctx, (trx) => trx.selectFrom('ingestTables').select('name').orderBy('name').execute())).map((r) => r.name);
    const results: DropResult[] = [];
    for (const table of names) {
      try {
        const dropped = await withTx(this.db, ctx, async (trx) => {
          const res = await sql<{ name: string }>`select zy_ingest_drop_partitions(${table}) as name`.execute(trx);
          const list = res.rows.map((r) => r.name);
          if (list.length > 0) {
            await recordAudit(trx, ctx, { action: 'ingest.retention.drop', targetType: 'ingest_table', targetId: table, details: { dropped: list } });
          }
          return list;
        });
        if (dropped.length > 0) this.logger.info({ table, dropped }, 'ingest retention: dropped expired partitions');
        results.push({ table, dropped });
      } catch (err) {
        this.logger.error({ err, table }, 'ingest retention: dropping expired partitions failed');
      }
    }
    return results;
  }
}
