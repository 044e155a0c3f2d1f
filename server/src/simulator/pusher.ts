/**
 * Signed HTTP pushes to the platform's push API: `POST {url}/api/ingest/v1/{table}?node={node}&mode=partial`, body a
 * JSON array (now and then NDJSON, or CSV in GBK), HMAC-SM3 signed with the provider's credential, an Idempotency-Key
 * per batch; network errors, 5xx and 429 are retried with the same key and body (re-signed: a fresh timestamp and
 * nonce) with exponential backoff; at most `concurrency` requests in flight.
 */
import { INTERFACE_TABLES, signedHeaders, type RecordError } from '../modules/ingestion/index.js';
import { csvColumns, encodeGbk, toCsv } from './encoding.js';
import type { SimRecord } from './generators.js';

export interface ProviderCredential {
  /** cloudProvider code (an4). */
  providerCode: string;
  /** Node code this credential pushes for (or `nodes`: several). */
  node?: string;
  nodes?: string[];
  token: string;
  signingSecret: string;
}

export type BodyFormat = 'json' | 'ndjson' | 'csv' | 'csv-gbk';

export interface PushBatch {
  providerCode: string;
  node: string;
  table: string;
  records: SimRecord[];
  idempotencyKey: string;
  format: BodyFormat;
  mode?: 'partial' | 'atomic';
}

export interface PushOutcome {
  /** HTTP status of the last attempt, 0 when the request never got an answer. */
  status: number;
  accepted: number;
  rejected: number;
  replayed: boolean;
  attempts: number;
  errors: RecordError[];
  /** Error code or message of a refused request (4xx/5xx) or a network failure. */
  error: string | null;
}

export interface PusherOptions {
  url: string;
  credentials: readonly ProviderCredential[];
  concurrency?: number;
  maxAttempts?: number;
  /** First backoff delay; doubled per attempt (with jitter). */
  backoffMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const fieldOrder = new Map(INTERFACE_TABLES.map((t) => [t.name, t.fields.map((f) => f.name)]));

export const MAX_BATCH_RECORDS = 500;

export class Pusher {
  private readonly base: string;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;
  private readonly doFetch: typeof fetch;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly byNode = new Map<string, ProviderCredential>();
  private readonly byProvider = new Map<string, ProviderCredential>();
  private cancelled = false;
  private readonly abort = new AbortController();

  constructor(opts: PusherOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    this.concurrency = opts.concurrency ?? 4;
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.backoffMs = opts.backoffMs ?? 250;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.doFetch = opts.fetch ?? fetch;
    for (const c of opts.credentials) {
      for (const n of [...(c.nodes ?? []), ...(c.node ? [c.node] : [])]) this.byNode.set(`${c.providerCode}\u0000${n}`, c);
      if (!this.byProvider.has(c.providerCode)) this.byProvider.set(c.providerCode, c);
    }
  }

  credentialFor(providerCode: string, node: string): ProviderCredential | undefined {
    return this.byNode.get(`${providerCode}\u0000${node}`) ?? this.byProvider.get(providerCode);
  }

  /** Requests waiting for a slot plus those in flight. */
  get pending(): number {
    return this.inFlight + this.waiting.length;
  }

  private async acquire(): Promise<void> {
    if (this.inFlight < this.concurrency) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /**
   * Gives up: waiting requests are answered `cancelled` without being sent, no retry is made; the requests in flight
   * (at most `concurrency`) are let finish, unless `abortInFlight`.
   */
  cancel(opts: { abortInFlight?: boolean } = {}): void {
    this.cancelled = true;
    if (opts.abortInFlight) this.abort.abort();
    for (const next of this.waiting.splice(0)) {
      this.inFlight++; // each woken push releases its slot when it returns
      next();
    }
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }

  /** Pushes one batch (≤ 500 records) and reports the platform's answer. Never throws. */
  async push(batch: PushBatch): Promise<PushOutcome> {
    const cred = this.credentialFor(batch.providerCode, batch.node);
    if (!cred) return { status: 0, accepted: 0, rejected: batch.records.length, replayed: false, attempts: 0, errors: [], error: `no credential for provider ${batch.providerCode} node ${batch.node}` };
    if (batch.records.length > MAX_BATCH_RECORDS) throw new Error(`simulator: a batch holds at most ${MAX_BATCH_RECORDS} records (${batch.records.length})`);
    const { body, contentType } = encodeBody(batch);
    const pathWithQuery = `/api/ingest/v1/${encodeURIComponent(batch.table)}?node=${encodeURIComponent(batch.node)}&mode=${batch.mode ?? 'partial'}`;
    const cancelled: PushOutcome = { status: 0, accepted: 0, rejected: batch.records.length, replayed: false, attempts: 0, errors: [], error: 'cancelled' };
    if (this.cancelled) return cancelled;
    await this.acquire();
    try {
      let last: PushOutcome = { status: 0, accepted: 0, rejected: 0, replayed: false, attempts: 0, errors: [], error: null };
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        if (this.cancelled) return attempt === 1 ? cancelled : { ...last, rejected: batch.records.length, error: 'cancelled' };
        last = await this.attempt(cred, pathWithQuery, body, contentType, batch, attempt);
        const retry = last.status === 0 || last.status === 429 || last.status >= 500;
        if (!retry) return last;
        if (attempt < this.maxAttempts) await sleep(this.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
      }
      return { ...last, rejected: batch.records.length };
    } finally {
      this.release();
    }
  }

  private async attempt(cred: ProviderCredential, pathWithQuery: string, body: Buffer, contentType: string, batch: PushBatch, attempt: number): Promise<PushOutcome> {
    const headers: Record<string, string> = {
      ...signedHeaders(cred, { method: 'POST', pathWithQuery, body }),
      'content-type': contentType,
      'idempotency-key': batch.idempotencyKey,
    };
    try {
      const res = await this.doFetch(this.base + pathWithQuery, { method: 'POST', headers, body: body as unknown as NonNullable<RequestInit['body']>, signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.timeoutMs)]) });
      const text = await res.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return interpret(res.status, json, batch.records.length, attempt);
    } catch (e) {
      return { status: 0, accepted: 0, rejected: 0, replayed: false, attempts: attempt, errors: [], error: (e as Error).message };
    }
  }
}

/** Reads the platform's answer: a BatchResult (possibly wrapped), or an error body `{ error: { code, message } }`. */
export function interpret(status: number, json: unknown, recordCount: number, attempts: number): PushOutcome {
  const obj = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const result = (typeof obj.accepted === 'number' ? obj : obj.result && typeof obj.result === 'object' ? obj.result : obj.batch && typeof obj.batch === 'object' ? obj.batch : null) as Record<string, unknown> | null;
  if (result && typeof result.accepted === 'number') {
    const accepted = result.accepted;
    const rejected = typeof result.rejected === 'number' ? result.rejected : recordCount - accepted;
    return {
      status,
      accepted,
      rejected,
      replayed: result.replayed === true,
      attempts,
      errors: Array.isArray(result.errors) ? (result.errors as RecordError[]) : [],
      error: status >= 400 ? errorCode(obj) : null,
    };
  }
  const details = obj.error && typeof obj.error === 'object' ? ((obj.error as Record<string, unknown>).details as Record<string, unknown> | undefined) : undefined;
  const errs = details && Array.isArray(details.errors) ? (details.errors as RecordError[]) : [];
  return { status, accepted: 0, rejected: status >= 200 && status < 300 ? 0 : recordCount, replayed: false, attempts, errors: errs, error: status >= 300 ? errorCode(obj) ?? `HTTP ${status}` : null };
}

function errorCode(obj: Record<string, unknown>): string | null {
  const e = obj.error;
  if (e && typeof e === 'object') {
    const r = e as Record<string, unknown>;
    return [r.code, r.message].filter((x) => typeof x === 'string').join(': ') || null;
  }
  return typeof obj.message === 'string' ? obj.message : null;
}

/** The request body of a batch in its format; a CSV-GBK batch falls back to UTF-8 CSV when a character has no GBK form. */
export function encodeBody(batch: Pick<PushBatch, 'table' | 'records' | 'format'>): { body: Buffer; contentType: string } {
  switch (batch.format) {
    case 'json':
      return { body: Buffer.from(JSON.stringify(batch.records)), contentType: 'application/json' };
    case 'ndjson':
      return { body: Buffer.from(batch.records.map((r) => JSON.stringify(r)).join('\n') + '\n'), contentType: 'application/x-ndjson' };
    case 'csv':
    case 'csv-gbk': {
      const csv = toCsv(csvColumns(fieldOrder.get(batch.table) ?? [], batch.records), batch.records);
      if (batch.format === 'csv-gbk') {
        const gbk = encodeGbk(csv);
        if (gbk) return { body: gbk, contentType: 'text/csv; charset=gbk' };
      }
      return { body: Buffer.from(csv), contentType: 'text/csv; charset=utf-8' };
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
