import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { chainHash, GENESIS_HASH, type ChainedFields } from './audit.chain.js';
import { chainBatch } from './audit.repository.js';

/**
 * What verification can find:
 * - `altered`: the record's hash does not match its content (a field, or the hash itself, was changed);
 * - `removed`: records are missing (a gap in seq, records missing before the first one, or a record that chains from a
 *   hash no record in the log has — its predecessor was deleted or rewritten);
 * - `reordered`: the record chains from a record that is in the log but not directly before it (records were moved);
 * - `relinked`: the record's link points somewhere impossible (the genesis/anchor value in the middle of the chain,
 *   or the first record not chaining from the anchor).
 */
export type ProblemKind = 'altered' | 'removed' | 'reordered' | 'relinked';

export interface ChainProblem {
  seq: string;
  kind: ProblemKind;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Records read. */
  checked: number;
  firstSeq: string | null;
  lastSeq: string | null;
  /** Hash of the last record: note it outside the system to detect later truncation of the tail. */
  lastHash: string | null;
  /** Where the chain starts: the genesis, or the anchor left by retention pruning. */
  anchor: { firstSeq: string; prevHash: string } | null;
  /** Problems, ordered by seq, at most `maxProblems` of them; `problemCount` counts all of them. */
  problems: ChainProblem[];
  problemCount: number;
  truncated: boolean;
  durationMs: number;
}

/** A stored audit record as read back from the database. */
export interface StoredRecord extends ChainedFields {
  prevHash: string;
  hash: string;
}

interface PendingLink {
  seq: string;
  prevHash: string;
  contentOk: boolean;
}

/**
 * The pure part of verification: fed records in seq order, keeps O(1) state (plus the few broken links it has seen)
 * and reports every problem. Links that do not point to the predecessor are resolved at the end against the hashes
 * of the whole log (`finish(lookup)`), to tell a moved record (`reordered`) from a missing one (`removed`).
 */
export class ChainVerifier {
  private readonly problems: ChainProblem[] = [];
  private pending: PendingLink[] = [];
  private problemCount = 0;
  private checked = 0;
  private firstSeq: bigint | null = null;
  private lastSeq: bigint | null = null;
  private lastHash: string | null = null;
  /** What the predecessor's hash is (stored) and should be (recomputed); a successor may chain from either. */
  private predStored: string;
  private predRecomputed: string;
  private readonly startSeq: bigint;
  /** Where the last recorded retention run (`audit.prune`) left the start of the log. */
  private lastPrune: { seq: string; firstSeq: string } | null = null;

  constructor(
    private readonly anchor: { firstSeq: string; prevHash: string } | null,
    private readonly maxProblems = 1000,
    private readonly maxPending = 10_000,
  ) {
    this.startSeq = anchor ? BigInt(anchor.firstSeq) : 1n;
    this.predStored = anchor?.prevHash ?? GENESIS_HASH;
    this.predRecomputed = this.predStored;
  }

  add(r: StoredRecord): void {
    const seq = BigInt(r.seq);
    const expectedSeq = this.lastSeq === null ? this.startSeq : this.lastSeq + 1n;
    const recomputed = chainHash(r.prevHash, fieldsOf(r));
    const contentOk = recomputed === r.hash;
    const first = this.lastSeq === null;
    this.checked++;
    if (first) this.firstSeq = seq;

    if (seq < expectedSeq) {
      // Only possible for the first record (seq is the primary key and rows come in order): records exist below the anchor.
      this.report(String(seq), 'relinked', `the log starts at seq ${seq} but the retention anchor says it starts at seq ${expectedSeq}: the anchor was changed or records were inserted before it`);
    } else if (seq > expectedSeq) {
      const from = expectedSeq;
      const to = seq - 1n;
      const range = from === to ? `seq ${from} is` : `seq ${from}–${to} (${to - from + 1n} records) are`;
      this.report(String(from), 'removed', first ? `${range} missing at the start of the log (before seq ${seq}; or the retention anchor was deleted)` : `${range} missing between seq ${this.lastSeq} and seq ${seq}`);
      if (!contentOk) this.report(r.seq, 'altered', `the hash of seq ${seq} does not match its content`);
    } else if (r.prevHash !== this.predStored && r.prevHash !== this.predRecomputed) {
      if (first) {
        this.report(r.seq, 'relinked', `the first record (seq ${seq}) does not chain from ${this.anchor ? 'the retention anchor' : 'the genesis value'}`);
      } else if (r.prevHash === GENESIS_HASH || (this.anchor && r.prevHash === this.anchor.prevHash)) {
        this.report(r.seq, 'relinked', `seq ${seq} chains from the start of the log instead of from seq ${this.lastSeq}`);
      } else if (this.pending.length < this.maxPending) {
        this.pending.push({ seq: r.seq, prevHash: r.prevHash, contentOk });
      } else {
        this.report(r.seq, 'removed', `seq ${seq} does not chain from seq ${this.lastSeq}`);
      }
    } else if (!contentOk) {
      this.report(r.seq, 'altered', `the hash of seq ${seq} does not match its content: the record was changed`);
    }

    if (contentOk && r.action === 'audit.prune') {
      const firstSeq = (r.details as { firstSeq?: unknown } | null)?.firstSeq;
      if (typeof firstSeq === 'string') this.lastPrune = { seq: r.seq, firstSeq };
    }

    this.lastSeq = seq;
    this.lastHash = r.hash;
    this.predStored = r.hash;
    this.predRecomputed = recomputed;
  }

  /** The hashes whose owner must be looked up to classify broken links. */
  pendingHashes(): string[] {
    return [...new Set(this.pending.map((p) => p.prevHash))];
  }

  /** Classifies the broken links given `owners` (hash → seq of the record that stores it) and returns the result. */
  finish(owners: ReadonlyMap<string, string>, durationMs = 0): VerifyResult {
    for (const p of this.pending) {
      const owner = owners.get(p.prevHash);
      const content = p.contentOk ? '' : '; its hash does not match its content at this position';
      if (owner !== undefined) {
        this.report(p.seq, 'reordered', `seq ${p.seq} chains from the record now at seq ${owner}, not from its predecessor seq ${BigInt(p.seq) - 1n}: records were moved${content}`);
      } else {
        this.report(p.seq, 'removed', `seq ${p.seq} chains from a record that is no longer in the log (its predecessor was removed or rewritten)${content}`);
      }
    }
    this.pending = [];
    // The anchor is only written by audit_prune(); each run through the platform is recorded with the first seq it
    // kept. An anchor moved past that point hides records removed from the start of the log.
    if (this.anchor && this.lastPrune && this.lastPrune.firstSeq !== this.anchor.firstSeq) {
      this.report(
        this.lastPrune.firstSeq,
        BigInt(this.anchor.firstSeq) > BigInt(this.lastPrune.firstSeq) ? 'removed' : 'relinked',
        `the retention anchor says the log starts at seq ${this.anchor.firstSeq}, but the last recorded retention run (seq ${this.lastPrune.seq}) left seq ${this.lastPrune.firstSeq} as the first record: the anchor was changed${BigInt(this.anchor.firstSeq) > BigInt(this.lastPrune.firstSeq) ? ' to hide records removed from the start' : ''} (or audit_prune() was run by hand instead of through zhengyun)`,
      );
    }
    this.problems.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : 0));
    return {
      ok: this.problemCount === 0,
      checked: this.checked,
      firstSeq: this.firstSeq === null ? null : String(this.firstSeq),
      lastSeq: this.lastSeq === null ? null : String(this.lastSeq),
      lastHash: this.lastHash,
      anchor: this.anchor,
      problems: this.problems,
      problemCount: this.problemCount,
      truncated: this.problemCount > this.problems.length,
      durationMs,
    };
  }

  private report(seq: string, kind: ProblemKind, message: string): void {
    this.problemCount++;
    if (this.problems.length < this.maxProblems) this.problems.push({ seq, kind, message });
  }
}

/** The fields the hash covers, exactly as recordAudit() hashed them. */
export function fieldsOf(r: StoredRecord): ChainedFields {
  return {
    seq: String(r.seq),
    occurredAt: r.occurredAt,
    actorUserId: r.actorUserId,
    actorUsername: r.actorUsername,
    actorOrgId: r.actorOrgId,
    actorKind: r.actorKind,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    outcome: r.outcome,
    before: r.before,
    after: r.after,
    details: r.details,
    sourceIp: r.sourceIp,
    requestId: r.requestId,
  };
}

export interface VerifyOptions {
  /** Rows read per query (keyset pagination on seq). */
  batchSize?: number;
  maxProblems?: number;
  /** Called after each batch with the number of records checked so far. */
  onProgress?: (checked: number) => void;
}

/**
 * Verifies the whole SM3 chain of the audit log: reads it in seq order in batches inside one read-only, repeatable-read
 * transaction (a consistent snapshot while the platform keeps appending), recomputes every hash, checks every link,
 * seq continuity and the start (genesis or retention anchor). Memory stays constant whatever the size of the log.
 */
export async function verifyAuditChain(db: Db, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const batchSize = opts.batchSize ?? 10_000;
  const t0 = performance.now();
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const anchorRow = await trx.selectFrom('auditAnchor').select(['firstSeq', 'prevHash']).executeTakeFirst();
      const anchor = anchorRow ? { firstSeq: String(anchorRow.firstSeq), prevHash: anchorRow.prevHash } : null;
      const verifier = new ChainVerifier(anchor, opts.maxProblems);
      // The next batch is fetched while this one is hashed: PostgreSQL and the hashing overlap.
      let next: Promise<StoredRecord[]> | null = chainBatch(trx, null, batchSize);
      let total = 0;
      while (next) {
        const rows: StoredRecord[] = await next;
        next = rows.length === batchSize ? chainBatch(trx, rows[rows.length - 1]!.seq, batchSize) : null;
        for (const r of rows) verifier.add(r);
        total += rows.length;
        opts.onProgress?.(total);
      }
      const wanted = verifier.pendingHashes();
      const owners = new Map<string, string>();
      if (wanted.length > 0) {
        const found = await sql<{ seq: string; hash: string }>`select seq, hash from audit_log where hash = any(${wanted}::text[])`.execute(trx);
        for (const r of found.rows) owners.set(r.hash, String(r.seq));
      }
      return verifier.finish(owners, Math.round(performance.now() - t0));
    });
}
