/**
 * The batches view: every push (or syslog flush) with its counts and status, and a batch's stored per-record errors.
 * Row-level security on ingest_batches limits a provider to its own batches.
 */
import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { INTERFACE_TABLES } from './interface-tables.js';
import type { Batch, BatchDetail, BatchListQuery } from './records.schemas.js';

const TABLE_CN = new Map(INTERFACE_TABLES.map((t) => [t.name, t.cn]));

export class IngestBatchesService {
  constructor(private readonly db: Db) {}

  /** Batches newest first, filtered and paged. */
  async list(ctx: RequestContext, q: BatchListQuery): Promise<{ items: Batch[]; total: number; page: number; pageSize: number }> {
    if (q.table !== undefined && !TABLE_CN.has(q.table)) {
      throw new AppError('validation', 'ingest.unknown_table', `Unknown interface table "${q.table}"`, { issues: [{ field: 'query.table', rule: 'unknown_table', message: `Unknown interface table "${q.table}"` }] });
    }
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    return withTx(this.db, ctx, async (trx) => {
      let base = trx.selectFrom('ingestBatches as b');
      if (q.provider) base = base.where('b.providerOrgId', '=', q.provider);
      if (q.node) base = base.where('b.nodeId', '=', q.node);
      if (q.table) base = base.where('b.tableName', '=', q.table);
      if (q.status) base = base.where('b.status', '=', q.status);
      if (q.source) base = base.where('b.source', '=', q.source);
      if (q.from) base = base.where('b.receivedAt', '>=', new Date(q.from));
      if (q.to) base = base.where('b.receivedAt', '<', new Date(q.to));
      const { n } = await base.select(sql<string>`count(*)::text`.as('n')).executeTakeFirstOrThrow();
      const rows = await base
        .leftJoin('cloudNodes as cn', 'cn.id', 'b.nodeId')
        .select([
          'b.id',
          'b.tableName',
          'b.providerOrgId',
          'b.nodeId',
          'b.source',
          'b.mode',
          'b.contentType',
          'b.idempotencyKey',
          'b.receivedAt',
          'b.recordCount',
          'b.acceptedCount',
          'b.rejectedCount',
          'b.onTimeCount',
          'b.status',
          'cn.name as nodeName',
          sql<string | null>`zy_provider_name(b.provider_org_id)`.as('providerName'),
        ])
        .orderBy('b.receivedAt', 'desc')
        .orderBy('b.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      return { items: rows.map(toBatch), total: Number(n), page, pageSize };
    });
  }

  /** One batch with its stored per-record errors; another provider's batch answers 404. */
  async get(ctx: RequestContext, id: string): Promise<BatchDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const row = await trx
        .selectFrom('ingestBatches as b')
        .leftJoin('cloudNodes as cn', 'cn.id', 'b.nodeId')
        .selectAll('b')
        .select(['cn.name as nodeName', sql<string | null>`zy_provider_name(b.provider_org_id)`.as('providerName')])
        .where('b.id', '=', id)
        .executeTakeFirst();
      if (!row) throw new AppError('not_found', 'ingest.batch_not_found', `Batch ${id} not found`, { id });
      return { ...toBatch(row), errors: toErrors(row.errors) };
    });
  }
}

interface BatchRow {
  id: string | number | bigint;
  tableName: string;
  providerOrgId: string;
  providerName: string | null;
  nodeId: string;
  nodeName: string | null;
  source: string;
  mode: string;
  contentType: string | null;
  idempotencyKey: string | null;
  receivedAt: Date | string;
  recordCount: number;
  acceptedCount: number;
  rejectedCount: number;
  onTimeCount: number;
  status: string;
}

function toBatch(r: BatchRow): Batch {
  return {
    id: String(r.id),
    table: r.tableName,
    tableCn: TABLE_CN.get(r.tableName) ?? null,
    providerOrgId: r.providerOrgId,
    providerName: r.providerName,
    nodeId: r.nodeId,
    nodeName: r.nodeName,
    source: r.source,
    mode: r.mode,
    contentType: r.contentType,
    idempotencyKey: r.idempotencyKey,
    receivedAt: new Date(r.receivedAt).toISOString(),
    recordCount: r.recordCount,
    acceptedCount: r.acceptedCount,
    rejectedCount: r.rejectedCount,
    onTimeCount: r.onTimeCount,
    status: r.status as Batch['status'],
  };
}

/** The stored errors as RecordError shapes, whatever the jsonb holds (older or foreign rows are normalised). */
function toErrors(raw: unknown): BatchDetail['errors'] {
  const list = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  if (!Array.isArray(list)) return [];
  return list.map((e: Record<string, unknown>) => ({
    index: typeof e.index === 'number' ? e.index : -1,
    field: typeof e.field === 'string' ? e.field : null,
    value: typeof e.value === 'string' ? e.value : e.value === null || e.value === undefined ? null : JSON.stringify(e.value),
    rule: typeof e.rule === 'string' ? e.rule : 'unknown',
    message: typeof e.message === 'string' ? e.message : '',
  }));
}
