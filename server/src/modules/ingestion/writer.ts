/**
 * Stores one batch of an interface table: validates its records, records the batch (ingest_batches, idempotent per
 * provider and key) and COPYs the valid records straight into the day's (or month's) partition, in one transaction.
 * A batch is acknowledged only after COMMIT: an acknowledged record is durable; a failed one is not half stored.
 *
 * Used by the push API (source `api`) and the syslog receiver (source `syslog`).
 */
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logger.js';
import { AppError } from '../../platform/errors.js';
import type { BatchResult, IngestWriter, RecordError, StoredBatchNotice, WriteBatchInput } from './ingestion.types.js';
import { compiledTable, validateRecords, type CodeContext, type CompiledTable, type ValidatedRecord, type ValidationResult } from './validator.js';
import { PartitionCache } from './partitions.js';

/** Errors kept per batch (in ingest_batches.errors and in the answer). */
export const MAX_STORED_ERRORS = 1000;

/** How long loaded code tables and machine rooms are trusted (a code error reloads them sooner). */
const CODE_TTL_MS = 10_000;
const CODE_RELOAD_AFTER_MISS_MS = 250;

const CODE_RULES = new Set(['code', 'own_provider']);

/** The RLS settings of the platform's own work (writes on behalf of a verified provider or a syslog source). */
const SYSTEM_SCOPE_SQL =
  "begin; select set_config('zhengyun.scope_all', 'on', true), set_config('zhengyun.scope_roots', '', true), " +
  "set_config('zhengyun.business_access', 'on', true), set_config('zhengyun.actor_user_id', '', true), set_config('zhengyun.actor_org_id', '', true)";

interface CodeSnapshot {
  loadedAt: number;
  codeTables: Map<string, Set<string>>;
  providerCodes: Set<string>;
  providerCodeByOrg: Map<string, string>;
}

/** Code tables (ingest_code_values) and machine rooms per node, cached briefly. */
export class CodeCache {
  private snapshot: CodeSnapshot | null = null;
  private loading: Promise<CodeSnapshot> | null = null;
  private readonly rooms = new Map<string, { loadedAt: number; codes: Set<string> }>();

  constructor(private readonly pool: pg.Pool) {}

  async context(providerOrgId: string, nodeId: string, maxAgeMs = CODE_TTL_MS): Promise<CodeContext & { loadedAt: number }> {
    const now = Date.now();
    let snap = this.snapshot;
    if (snap === null || now - snap.loadedAt > maxAgeMs) snap = await this.loadCodes();
    let rooms = this.rooms.get(nodeId);
    if (rooms === undefined || now - rooms.loadedAt > maxAgeMs) {
      const r = await this.pool.query<{ code: string }>("select code from machine_rooms where node_id = $1 and status = 'active'", [nodeId]);
      rooms = { loadedAt: Date.now(), codes: new Set(r.rows.map((x) => x.code)) };
      this.rooms.set(nodeId, rooms);
    }
    return {
      codeTables: snap.codeTables,
      providerCodes: snap.providerCodes,
      ownProviderCode: snap.providerCodeByOrg.get(providerOrgId) ?? null,
      machineRooms: rooms.codes,
      loadedAt: Math.min(snap.loadedAt, rooms.loadedAt),
    };
  }

  private loadCodes(): Promise<CodeSnapshot> {
    if (this.loading) return this.loading;
    this.loading = this.pool
      .query<{ code_table: string; code: string; org_id: string | null }>('select code_table, code, org_id from ingest_code_values where active')
      .then((r) => {
        const snap: CodeSnapshot = { loadedAt: Date.now(), codeTables: new Map(), providerCodes: new Set(), providerCodeByOrg: new Map() };
        for (const row of r.rows) {
          if (row.code_table === 'cloudProvider') {
            snap.providerCodes.add(row.code);
            if (row.org_id) snap.providerCodeByOrg.set(row.org_id, row.code);
            continue;
          }
          let set = snap.codeTables.get(row.code_table);
          if (!set) snap.codeTables.set(row.code_table, (set = new Set()));
          set.add(row.code);
        }
        this.snapshot = snap;
        return snap;
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  /** Drops what is cached (after code tables or machine rooms changed). */
  invalidate(): void {
    this.snapshot = null;
    this.rooms.clear();
  }
}

/** COPY text format: backslash, tab, newline and carriage return escaped; `\N` is NULL. */
export function copyEscape(v: string): string {
  let needs = false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 92 || c === 9 || c === 10 || c === 13) {
      needs = true;
      break;
    }
  }
  if (!needs) return v;
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** The COPY text of the valid records of a batch (fixed columns first, then the table's fields). */
export function copyText(compiled: CompiledTable, rows: readonly ValidatedRecord[], prefix: string): string {
  const text = compiled.textColumns;
  const n = text.length;
  const ti = compiled.timeIndex;
  const dateOnly = compiled.timeKind === 'date';
  const parts: string[] = new Array<string>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const values = row.values;
    // record_time is the time field's own column value (`YYYY-MM-DD HH:mm:ss+08`, or a date at Beijing midnight).
    const tv = ti === -1 || row.recordTime === null ? null : values[ti];
    let line = prefix + (tv === null || tv === undefined ? '\\N' : dateOnly ? `${tv} 00:00:00+08` : tv);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      line += v === null || v === undefined ? '\t\\N' : text[i] ? '\t' + copyEscape(v) : '\t' + v;
    }
    parts[r] = line;
  }
  return parts.join('\n') + '\n';
}

/** The batch rows came back in an unexpected order: the group is written batch by batch instead. */
class GroupOrderError extends Error {
  constructor() {
    super('ingest batch rows returned out of order');
  }
}

/**
 * Records written together at most (one transaction, one COPY), and writes in flight per partition: one measured best
 * (fewer commits, no two COPYs contending for the same table and indexes; HTTP parsing and validation go on meanwhile).
 */
const MAX_GROUP_RECORDS = 10_000;
const MAX_WRITES_PER_PARTITION = 1;

interface Job {
  input: WriteBatchInput;
  compiled: CompiledTable;
  receivedAt: number;
  store: ValidatedRecord[];
  total: number;
  accepted: number;
  status: BatchResult['status'];
  onTime: number;
  errors: RecordError[];
  resolve: (r: BatchResult) => void;
  reject: (e: unknown) => void;
}

interface WriteQueue {
  jobs: Job[];
  running: number;
}

interface StoredBatch {
  id: string;
  table_name: string;
  node_id: string;
  status: BatchResult['status'];
  record_count: number;
  accepted_count: number;
  rejected_count: number;
  errors: RecordError[];
  body_sm3: string | null;
}

export class PushWriter implements IngestWriter {
  readonly partitions: PartitionCache;
  readonly codes: CodeCache;
  private readonly queues = new Map<string, WriteQueue>();
  private readonly storedListeners: Array<(batch: StoredBatchNotice) => void> = [];

  constructor(
    readonly db: Db,
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
  ) {
    this.partitions = new PartitionCache(pool);
    this.codes = new CodeCache(pool);
  }

  /**
   * Called after the COMMIT of every new batch with accepted records (not for replays): downstream modules (monitoring
   * rollups, security findings) react here, typically by enqueuing or nudging a job that reads the batch. A listener
   * must not throw; it runs on the write path, so it must return at once. Consumers that must never miss a batch keep
   * their own cursor over ingest_batches as well: a listener is a wake-up call, not a delivery guarantee.
   */
  onStored(listener: (batch: StoredBatchNotice) => void): void {
    this.storedListeners.push(listener);
  }

  private notifyStored(job: Job, outcome: BatchResult): void {
    if (outcome.replayed || outcome.accepted === 0) return;
    const notice: StoredBatchNotice = { batchId: outcome.batchId, table: outcome.table, providerOrgId: job.input.providerOrgId, nodeId: job.input.nodeId, accepted: outcome.accepted, receivedAt: new Date(job.receivedAt) };
    for (const l of this.storedListeners) {
      try {
        l(notice);
      } catch (e) {
        this.logger.warn({ err: e, batchId: outcome.batchId }, 'batch listener failed');
      }
    }
  }

  async writeBatch(input: WriteBatchInput): Promise<BatchResult> {
    const compiled = compiledTable(input.table);
    if (compiled === undefined) {
      throw new AppError('not_found', 'ingest.unknown_table', `There is no interface table ${input.table}`, { table: input.table });
    }
    const receivedAt = Date.now();
    const v = await this.validate(compiled, input, receivedAt);
    const total = input.records.length;
    const store = input.mode === 'atomic' && v.rejected > 0 ? [] : v.records;
    const accepted = store.length;
    const status: BatchResult['status'] = accepted === total ? 'accepted' : accepted === 0 ? 'rejected' : 'partial';
    const onTime = store === v.records ? v.onTime : 0;
    const errors = v.errors.length > MAX_STORED_ERRORS ? v.errors.slice(0, MAX_STORED_ERRORS) : v.errors;
    const partition = accepted > 0 ? await this.partitions.ensure(compiled.table.name, compiled.table.partitionUnit, receivedAt) : null;
    return new Promise<BatchResult>((resolve, reject) => {
      this.enqueue(partition ?? `~${compiled.table.name}`, partition, { input, compiled, receivedAt, store, total, accepted, status, onTime, errors, resolve, reject });
    });
  }

  /**
   * Group commit: batches for the same partition that arrive while a write is in progress are written together, in one
   * transaction and one COPY (at most MAX_GROUP_RECORDS records, MAX_WRITES_PER_PARTITION writes at a time). Each batch
   * keeps its own row, id, result and idempotency; every batch of a group is acknowledged after the group's COMMIT.
   * Alone, a batch is written at once: no waiting for company.
   */
  private enqueue(key: string, partition: string | null, job: Job): void {
    let q = this.queues.get(key);
    if (q === undefined) this.queues.set(key, (q = { jobs: [], running: 0 }));
    q.jobs.push(job);
    if (q.running < MAX_WRITES_PER_PARTITION) void this.drain(key, partition, q);
  }

  private async drain(key: string, partition: string | null, q: WriteQueue): Promise<void> {
    q.running++;
    try {
      while (q.jobs.length > 0) {
        const group: Job[] = [];
        let records = 0;
        while (q.jobs.length > 0 && (group.length === 0 || records + q.jobs[0]!.accepted <= MAX_GROUP_RECORDS)) {
          const j = q.jobs.shift()!;
          group.push(j);
          records += j.accepted;
        }
        await this.runGroup(partition, group);
      }
    } finally {
      q.running--;
      if (q.running === 0 && q.jobs.length === 0 && this.queues.get(key) === q) this.queues.delete(key);
    }
  }

  private async runGroup(partition: string | null, group: Job[]): Promise<void> {
    let outcomes: Array<BatchResult | Error>;
    try {
      outcomes = await this.writeGroup(partition, group);
    } catch (e) {
      // PostgreSQL refused something before COMMIT (one batch may have broken the group's COPY): nothing was stored, so
      // write each batch alone and only that one fails. A lost connection or a failed COMMIT leaves the outcome unknown:
      // no retry here (a batch without a key would be stored twice); the clients retry with their keys.
      if (group.length > 1 && (e as { beforeCommit?: boolean }).beforeCommit === true) {
        for (const j of group) await this.runGroup(partition, [j]);
        return;
      }
      for (const j of group) j.reject(e);
      return;
    }
    group.forEach((j, i) => {
      const o = outcomes[i]!;
      if (o instanceof Error) j.reject(o);
      else {
        this.notifyStored(j, o);
        j.resolve(o);
      }
    });
  }

  private async writeGroup(partition: string | null, group: Job[]): Promise<Array<BatchResult | Error>> {
    const compiled = group[0]!.compiled;
    const client = await this.pool.connect();
    let broken: Error | undefined;
    let committing = false;
    // A checked-out client has no error listener: a server going away between two queries would crash the process.
    const onError = (err: Error) => {
      broken = err;
    };
    client.on('error', onError);
    try {
      // One round trip opens the transaction, sets the RLS scope and records the batches (simple protocol, so the values
      // are literals: pg's escapeLiteral; numbers are integers).
      const lit = (v: string | null | undefined) => (v === null || v === undefined ? 'null' : client.escapeLiteral(v));
      const rows = group.map((j) => {
        const { input } = j;
        return `(${lit(input.providerOrgId)}::uuid, ${lit(input.nodeId)}::uuid, ${lit(j.compiled.table.name)}, ${lit(input.source)},
           ${lit(input.credentialId)}::uuid, ${lit(input.idempotencyKey)}, ${lit(input.bodySm3)},
           ${lit(input.contentType ? input.contentType.slice(0, 200) : null)}, ${lit(input.mode)}, ${lit(new Date(j.receivedAt).toISOString())}::timestamptz,
           ${j.total | 0}, ${j.accepted | 0}, ${(j.total - j.accepted) | 0}, ${j.onTime | 0}, ${lit(j.status)}, ${lit(JSON.stringify(j.errors))}::jsonb)`;
      });
      const results = (await client.query(
        `${SYSTEM_SCOPE_SQL};
         insert into ingest_batches (provider_org_id, node_id, table_name, source, credential_id, idempotency_key, body_sm3, content_type, mode,
           received_at, record_count, accepted_count, rejected_count, on_time_count, status, errors)
         values ${rows.join(',\n')}
         on conflict (provider_org_id, idempotency_key) do nothing
         returning id, provider_org_id, idempotency_key`,
      )) as unknown as Array<pg.QueryResult<{ id: string; provider_org_id: string; idempotency_key: string | null }>>;
      // RETURNING lists the inserted rows in the order of VALUES; a batch left out had a key already used.
      const inserted = results[results.length - 1]!.rows;
      const ids: Array<string | null> = [];
      let r = 0;
      for (const j of group) {
        const row = inserted[r];
        if (row !== undefined && row.provider_org_id === j.input.providerOrgId && row.idempotency_key === (j.input.idempotencyKey ?? null)) {
          ids.push(row.id);
          r++;
        } else {
          if (!j.input.idempotencyKey) throw new GroupOrderError();
          ids.push(null);
        }
      }
      if (r !== inserted.length) throw new GroupOrderError();

      const outcomes: Array<BatchResult | Error> = [];
      let text = '';
      group.forEach((j, i) => {
        const batchId = ids[i]!;
        if (batchId === null || j.store.length === 0) return;
        text += copyText(j.compiled, j.store, `${j.input.providerOrgId}\t${j.input.nodeId}\t${batchId}\t${new Date(j.receivedAt).toISOString()}\t`);
      });
      for (let i = 0; i < group.length; i++) {
        const j = group[i]!;
        const batchId = ids[i];
        if (batchId) {
          outcomes.push({ batchId, table: j.compiled.table.name, status: j.status, recordCount: j.total, accepted: j.accepted, rejected: j.total - j.accepted, errors: j.errors, replayed: false });
          continue;
        }
        const prior = await client.query<StoredBatch>(
          `select id, table_name, node_id, status, record_count, accepted_count, rejected_count, errors, body_sm3
           from ingest_batches where provider_org_id = $1 and idempotency_key = $2`,
          [j.input.providerOrgId, j.input.idempotencyKey],
        );
        try {
          outcomes.push(replay(prior.rows[0]!, j.input, j.compiled));
        } catch (e) {
          outcomes.push(e as Error);
        }
      }
      if (partition !== null && text !== '') {
        await this.copy(client, partition, compiled, text).catch((e: unknown) => {
          if ((e as { code?: string }).code === '42P01') this.partitions.forget(compiled.table.name);
          throw e;
        });
      }
      committing = true;
      await client.query('commit');
      return outcomes;
    } catch (e) {
      // Refused by the server (SQLSTATE) before COMMIT, the connection intact: the transaction did not commit.
      if (!committing && broken === undefined && (e instanceof pg.DatabaseError || e instanceof GroupOrderError)) Object.assign(e, { beforeCommit: true });
      await client.query('rollback').catch((re: unknown) => {
        broken = re instanceof Error ? re : new Error(String(re));
      });
      if (!(e instanceof AppError)) this.logger.warn({ err: e, table: compiled.table.name, batches: group.length }, 'ingest batches not stored');
      throw e;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  private async validate(compiled: CompiledTable, input: WriteBatchInput, receivedAt: number): Promise<ValidationResult> {
    const codes = await this.codes.context(input.providerOrgId, input.nodeId);
    const v = validateRecords(compiled, input.records, codes, receivedAt);
    // A code refused by a cached table may have just been added: look again once, with fresh code tables.
    if (v.errors.length > 0 && Date.now() - codes.loadedAt > CODE_RELOAD_AFTER_MISS_MS && v.errors.some((e) => CODE_RULES.has(e.rule))) {
      const fresh = await this.codes.context(input.providerOrgId, input.nodeId, CODE_RELOAD_AFTER_MISS_MS);
      return validateRecords(compiled, input.records, fresh, receivedAt);
    }
    return v;
  }

  private copy(client: pg.PoolClient, partition: string, compiled: CompiledTable, text: string): Promise<void> {
    const columns = ['provider_org_id', 'node_id', 'batch_id', 'received_at', 'record_time', ...compiled.columns].map((c) => `"${c}"`).join(', ');
    const stream = client.query(copyFrom(`copy "${partition}" (${columns}) from stdin`));
    return new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', resolve);
      stream.end(Buffer.from(text, 'utf8'));
    });
  }
}

function replay(prior: StoredBatch, input: WriteBatchInput, compiled: CompiledTable): BatchResult {
  if (prior.body_sm3 !== (input.bodySm3 ?? null) || prior.table_name !== compiled.table.name || prior.node_id !== input.nodeId) {
    throw new AppError(
      'conflict',
      'ingest.idempotency_conflict',
      `The idempotency key ${input.idempotencyKey} was already used for batch ${prior.id} with a different body, table or node`,
      { idempotencyKey: input.idempotencyKey, batchId: prior.id },
    );
  }
  return {
    batchId: prior.id,
    table: prior.table_name,
    status: prior.status,
    recordCount: prior.record_count,
    accepted: prior.accepted_count,
    rejected: prior.rejected_count,
    errors: prior.errors,
    replayed: true,
  };
}
