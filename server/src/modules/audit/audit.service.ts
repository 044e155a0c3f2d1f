import type { Writable } from 'node:stream';
import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import { applyScope, withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { chainHash, GENESIS_HASH, type ChainedFields } from './audit.chain.js';
import * as repo from './audit.repository.js';
import type { AuditFilter, AuditListQuery, AuditRecord } from './audit.schemas.js';
import { writeAuditWorkbook } from './audit.export.js';
import { verifyAuditChain, type VerifyResult } from './audit.verify.js';

const CHAIN_LOCK = 784_201_002;

export interface AuditEntry {
  /** Dotted verb, e.g. `auth.sign_in`, `users.create`, `roles.update`. */
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome?: 'success' | 'failure';
  before?: unknown;
  after?: unknown;
  /** Error code and message for failures, or other facts worth keeping. */
  details?: unknown;
}

/**
 * Appends one record to the SM3-chained audit log inside the caller's transaction, so the record commits (or not)
 * with the write it describes. The chain is serialised with a transaction-scoped advisory lock.
 */
export async function recordAudit(trx: Tx, ctx: RequestContext, entry: AuditEntry): Promise<void> {
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
  const last = await trx.selectFrom('auditLog').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let prevHash = last?.hash;
  let nextSeq = last ? BigInt(last.seq) + 1n : 1n;
  if (!last) {
    const anchor = await trx.selectFrom('auditAnchor').select(['firstSeq', 'prevHash']).executeTakeFirst();
    prevHash = anchor?.prevHash ?? GENESIS_HASH;
    if (anchor) nextSeq = BigInt(anchor.firstSeq);
  }
  const { actor } = ctx;
  const fields: ChainedFields = {
    seq: nextSeq.toString(),
    occurredAt: new Date(),
    actorUserId: actor.userId,
    actorUsername: actor.username,
    actorOrgId: actor.orgId,
    actorKind: actor.kind,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    outcome: entry.outcome ?? 'success',
    before: normalise(entry.before),
    after: normalise(entry.after),
    details: normalise(entry.details),
    sourceIp: ctx.ip,
    requestId: ctx.requestId,
  };
  const hash = chainHash(prevHash ?? GENESIS_HASH, fields);
  await trx
    .insertInto('auditLog')
    .values({
      ...fields,
      before: json(fields.before),
      after: json(fields.after),
      details: json(fields.details),
      prevHash: prevHash ?? GENESIS_HASH,
      hash,
    })
    .execute();
}

/** Round-trips through JSON so what is hashed is exactly what jsonb will give back (no undefined, no Dates). */
function normalise(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function json(value: unknown) {
  return value === null ? null : sql<string>`${JSON.stringify(value)}::jsonb`;
}

/** Resolves an organisation's name for display (wired to the organisations module in container.ts). */
export type OrgNameLookup = (trx: Tx, ctx: RequestContext, orgId: string) => Promise<string | undefined>;

export interface ExportPlan {
  total: number;
  /** Last seq when the export was counted (null: empty log). */
  upTo: string | null;
}

/** Exports larger than this must be narrowed by a filter (an .xlsx sheet holds ~1M rows; people read far fewer). */
export const EXPORT_MAX_ROWS = 100_000;
const EXPORT_BATCH = 2000;

/**
 * 审计日志 for the audit administrator: search, export to .xlsx, chain verification, retention. Reading, exporting and
 * verifying are themselves recorded in the log. Permissions (audit:read, audit:export) are checked by the routes.
 */
export class AuditService {
  constructor(
    private readonly db: Db,
    private readonly orgName: OrgNameLookup = async () => undefined,
    private readonly exportMaxRows = EXPORT_MAX_ROWS,
  ) {}

  async search(ctx: RequestContext, q: AuditListQuery): Promise<{ items: AuditRecord[]; total: number; page: number; pageSize: number }> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { page: _p, pageSize: _s, ...filter } = q;
    return withTx(this.db, ctx, async (trx) => {
      const total = await repo.countRecords(trx, filter);
      const rows = await repo.listPage(trx, filter, page, pageSize);
      const items = await this.toRecords(trx, ctx, rows, new Map());
      await recordAudit(trx, ctx, { action: 'audit.search', targetType: 'audit_log', details: { filter, page, pageSize, total } });
      return { items, total, page, pageSize };
    });
  }

  /**
   * Counts what an export would hold, refuses one that is too large, and records the export. `upTo` is the last seq
   * at that moment: the export holds exactly the records counted, not the ones written since (its own record included).
   */
  async prepareExport(ctx: RequestContext, filter: AuditFilter): Promise<ExportPlan> {
    return withTx(this.db, ctx, async (trx) => {
      const upTo = await repo.lastSeq(trx);
      const total = await repo.countRecords(trx, filter, upTo);
      if (total > this.exportMaxRows) {
        throw new AppError('validation', 'audit.export_too_large', `The filter matches ${total} records; an export holds at most ${this.exportMaxRows}. Narrow the time range or other filters.`, {
          total,
          max: this.exportMaxRows,
        });
      }
      await recordAudit(trx, ctx, { action: 'audit.export', targetType: 'audit_log', details: { filter, total, upToSeq: upTo, format: 'xlsx' } });
      return { total, upTo };
    });
  }

  /** Writes the .xlsx to `out` from one consistent snapshot, in batches (newest first). */
  async writeExport(ctx: RequestContext, filter: AuditFilter, plan: ExportPlan, out: Writable): Promise<void> {
    const { total, upTo } = plan;
    await this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        await applyScope(trx, ctx);
        const names = new Map<string, string | null>();
        const toRecords = (rows: repo.AuditRow[]) => this.toRecords(trx, ctx, rows, names);
        async function* batches(): AsyncIterable<AuditRecord[]> {
          let before: string | null = upTo === null ? null : String(BigInt(upTo) + 1n);
          let left = total;
          while (left > 0) {
            const rows = await repo.nextBatch(trx, filter, before, Math.min(EXPORT_BATCH, left));
            if (rows.length === 0) return;
            left -= rows.length;
            before = String(rows[rows.length - 1]!.seq);
            yield await toRecords(rows);
          }
        }
        await writeAuditWorkbook(out, { filter, total, exportedBy: ctx.actor.username, exportedAt: new Date() }, batches());
      });
  }

  /** Verifies the whole chain and records that it was verified, with the outcome. */
  async verify(ctx: RequestContext): Promise<VerifyResult> {
    const result = await verifyAuditChain(this.db);
    await withTx(this.db, ctx, (trx) =>
      recordAudit(trx, ctx, {
        action: 'audit.verify',
        targetType: 'audit_log',
        details: { ok: result.ok, checked: result.checked, firstSeq: result.firstSeq, lastSeq: result.lastSeq, lastHash: result.lastHash, problemCount: result.problemCount, problems: result.problems.slice(0, 20) },
      }),
    );
    return result;
  }

  /**
   * Removes records older than the security policy's retention (≥ 180 days) through audit_prune(), which keeps the
   * anchor the first remaining record chains from, and records the run. Idempotent.
   */
  async prune(ctx: RequestContext): Promise<{ removed: number; retentionDays: number }> {
    return withTx(this.db, ctx, async (trx) => {
      const retentionDays = await repo.retentionDays(trx);
      const removed = await repo.prune(trx, retentionDays);
      const anchor = removed > 0 ? await repo.anchor(trx) : undefined;
      await recordAudit(trx, ctx, { action: 'audit.prune', targetType: 'audit_log', details: { retentionDays, removed, firstSeq: anchor ? String(anchor.firstSeq) : null } });
      return { removed, retentionDays };
    });
  }

  private async toRecords(trx: Tx, ctx: RequestContext, rows: repo.AuditRow[], names: Map<string, string | null>): Promise<AuditRecord[]> {
    for (const r of rows) {
      if (r.actorOrgId && !names.has(r.actorOrgId)) names.set(r.actorOrgId, (await this.orgName(trx, ctx, r.actorOrgId)) ?? null);
    }
    return rows.map((r) => ({
      seq: r.seq,
      occurredAt: r.occurredAt.toISOString(),
      actorUserId: r.actorUserId,
      actorUsername: r.actorUsername,
      actorOrgId: r.actorOrgId,
      actorOrgName: r.actorOrgId ? (names.get(r.actorOrgId) ?? null) : null,
      actorKind: r.actorKind,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      outcome: r.outcome as AuditRecord['outcome'],
      before: r.before,
      after: r.after,
      details: r.details,
      sourceIp: r.sourceIp,
      requestId: r.requestId,
      prevHash: r.prevHash,
      hash: r.hash,
    }));
  }
}
