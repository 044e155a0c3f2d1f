import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db/database.js';
import { chainHash, GENESIS_HASH, type ChainedFields } from './audit.chain.js';

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
