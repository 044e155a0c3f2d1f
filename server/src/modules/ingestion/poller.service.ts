/**
 * 查询-响应 (query-response mode): the platform asks a provider's own query endpoint, every `interval_minutes`, for the
 * node's platform status, the quotas of the information systems and the run states of the cloud hosts. Each GET is
 * signed with HMAC-SM3 exactly like the provider's pushes (signature.ts; token `zhengyun`, the endpoint's own secret),
 * must answer within 10 s, and its JSON is validated (credentials.schemas.ts); every outcome is kept 30 days.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import { sql } from 'kysely';
import type { z } from 'zod';
import { systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import { randomToken, type FieldCipher } from '../../platform/crypto/index.js';
import type { Logger } from '../../platform/logger.js';
import { recordAudit } from '../audit/index.js';
import type { OrganisationService } from '../organisations/index.js';
import { signedHeaders } from './signature.js';
import * as credRepo from './credentials.repository.js';
import {
  POLL_RESOURCES,
  platformStatusAnswerSchema,
  quotasAnswerSchema,
  vmStatesAnswerSchema,
  type NewQueryEndpoint,
  type PollResource,
  type PollResult,
  type PollResultListQuery,
  type QueryEndpoint,
  type QueryEndpointPatch,
} from './credentials.schemas.js';

/** Token the platform sends in `Authorization: Bearer …` to a provider's query endpoint. */
export const POLLER_TOKEN = 'zhengyun';
export const POLL_TIMEOUT_MS = 10_000;
/** Answers larger than this are refused. */
export const MAX_ANSWER_BYTES = 20 * 1024 * 1024;
/** Payloads whose JSON is larger than this are kept as a count and a sample of the first 100 items. */
const MAX_STORED_PAYLOAD_CHARS = 1_000_000;
const RESULT_RETENTION_DAYS = 30;

const SCHEMAS: Record<PollResource, z.ZodType> = {
  'platform-status': platformStatusAnswerSchema,
  quotas: quotasAnswerSchema,
  'vm-states': vmStatesAnswerSchema,
};

interface ClaimedEndpoint {
  id: string;
  providerOrgId: string;
  nodeId: string;
  baseUrl: string;
  signingSecretEnc: string;
}

export interface PollerOptions {
  /** The HTTP client (tests may pass another); default the global fetch. */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Link-local and unspecified addresses (cloud metadata services …) are never polled. */
function forbiddenAddress(ip: string): boolean {
  if (net.isIPv4(ip)) return ip.startsWith('169.254.') || ip === '0.0.0.0';
  const v6 = ip.toLowerCase();
  return v6 === '::' || v6.startsWith('fe8') || v6.startsWith('fe9') || v6.startsWith('fea') || v6.startsWith('feb') || v6.startsWith('::ffff:169.254.');
}

export class QueryPollerService {
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
    private readonly organisations: Pick<OrganisationService, 'lookup'>,
    private readonly logger: Logger,
    opts: PollerOptions = {},
  ) {
    this.fetchImpl = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? POLL_TIMEOUT_MS;
  }

  // ---- endpoint configuration ----

  async listEndpoints(ctx: RequestContext): Promise<QueryEndpoint[]> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await endpointsQuery(trx, ctx).orderBy('n.code').execute();
      return this.toEndpoints(trx, rows);
    });
  }

  /**
   * Configures the query endpoint of a cloud node (one per node). The management unit may do so for any node, a provider
   * for its own nodes (another provider's node answers 404). The signing secret is generated and returned once.
   */
  async createEndpoint(ctx: RequestContext, input: NewQueryEndpoint): Promise<{ endpoint: QueryEndpoint; signingSecret: string }> {
    return withTx(this.db, ctx, async (trx) => {
      const [node] = await credRepo.nodesByIds(trx, [input.nodeId]);
      const owner = node?.providerOrgId ? await this.organisations.lookup(trx, ctx, node.providerOrgId) : undefined;
      if (!node || !owner) throw new AppError('not_found', 'ingest.unknown_node', 'No cloud node with this id is run by a provider you can see', { field: 'nodeId', id: input.nodeId });
      const signingSecret = randomToken(32);
      let id: string;
      try {
        id = (
          await trx
            .insertInto('providerQueryEndpoints')
            .values({
              providerOrgId: owner.id,
              nodeId: node.id,
              baseUrl: input.baseUrl,
              signingSecretEnc: this.cipher.encrypt(signingSecret),
              enabled: input.enabled ?? true,
              intervalMinutes: input.intervalMinutes ?? 5,
              createdBy: ctx.actor.userId,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      } catch (e) {
        if ((e as { code?: string }).code === '23505') {
          throw new AppError('conflict', 'ingest.endpoint_exists', `The node ${node.code} already has a query endpoint: edit it instead`, { field: 'nodeId' });
        }
        throw e;
      }
      await recordAudit(trx, ctx, { action: 'provider_query_endpoints.create', targetType: 'provider_query_endpoint', targetId: id, after: { nodeId: node.id, providerOrgId: owner.id, baseUrl: input.baseUrl, intervalMinutes: input.intervalMinutes ?? 5, enabled: input.enabled ?? true } });
      return { endpoint: await this.endpoint(trx, ctx, id), signingSecret };
    });
  }

  async updateEndpoint(ctx: RequestContext, id: string, patch: QueryEndpointPatch): Promise<QueryEndpoint> {
    return withTx(this.db, ctx, async (trx) => {
      const before = await this.endpoint(trx, ctx, id);
      const set: Record<string, unknown> = { updatedAt: new Date() };
      if (patch.baseUrl !== undefined) set.baseUrl = patch.baseUrl;
      if (patch.enabled !== undefined) set.enabled = patch.enabled;
      if (patch.intervalMinutes !== undefined) set.intervalMinutes = patch.intervalMinutes;
      // A re-enabled or re-pointed endpoint is polled at the next run.
      if (patch.enabled === true || patch.baseUrl !== undefined) set.nextPollAt = new Date();
      await trx.updateTable('providerQueryEndpoints').set(set).where('id', '=', id).execute();
      await recordAudit(trx, ctx, {
        action: 'provider_query_endpoints.update',
        targetType: 'provider_query_endpoint',
        targetId: id,
        before: { baseUrl: before.baseUrl, enabled: before.enabled, intervalMinutes: before.intervalMinutes },
        after: patch,
      });
      return this.endpoint(trx, ctx, id);
    });
  }

  /** A new signing secret (the old one stops working at once), returned once. */
  async rotateSecret(ctx: RequestContext, id: string): Promise<{ endpoint: QueryEndpoint; signingSecret: string }> {
    return withTx(this.db, ctx, async (trx) => {
      await this.endpoint(trx, ctx, id);
      const signingSecret = randomToken(32);
      await trx.updateTable('providerQueryEndpoints').set({ signingSecretEnc: this.cipher.encrypt(signingSecret), updatedAt: new Date() }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'provider_query_endpoints.rotate_secret', targetType: 'provider_query_endpoint', targetId: id });
      return { endpoint: await this.endpoint(trx, ctx, id), signingSecret };
    });
  }

  async deleteEndpoint(ctx: RequestContext, id: string): Promise<void> {
    await withTx(this.db, ctx, async (trx) => {
      const before = await this.endpoint(trx, ctx, id);
      await trx.deleteFrom('providerQueryEndpoints').where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'provider_query_endpoints.delete', targetType: 'provider_query_endpoint', targetId: id, before: { nodeId: before.node.id, baseUrl: before.baseUrl } });
    });
  }

  private async endpoint(trx: Tx, ctx: RequestContext, id: string): Promise<QueryEndpoint> {
    const row = await endpointsQuery(trx, ctx).where('q.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('provider_query_endpoints', id);
    return (await this.toEndpoints(trx, [row]))[0]!;
  }

  private async toEndpoints(trx: Tx, rows: EndpointRow[]): Promise<QueryEndpoint[]> {
    const ids = rows.map((r) => r.id);
    const latest = ids.length
      ? await trx
          .selectFrom('providerPollResults')
          .where('endpointId', '=', sql<string>`any(${sql.val(ids)}::uuid[])`)
          .distinctOn(['endpointId', 'resource'])
          .select(['endpointId', 'resource', 'ok', 'polledAt', 'httpStatus', 'error'])
          .orderBy('endpointId')
          .orderBy('resource')
          .orderBy('polledAt', 'desc')
          .execute()
      : [];
    return rows.map((r) => ({
      id: r.id,
      provider: { id: r.providerOrgId, name: r.providerName },
      node: { id: r.nodeId, code: r.nodeCode, name: r.nodeName },
      baseUrl: r.baseUrl,
      enabled: r.enabled,
      intervalMinutes: r.intervalMinutes,
      nextPollAt: r.nextPollAt.toISOString(),
      lastPolledAt: r.lastPolledAt ? r.lastPolledAt.toISOString() : null,
      lastResults: latest
        .filter((l) => l.endpointId === r.id)
        .map((l) => ({ resource: l.resource as PollResource, ok: l.ok, polledAt: l.polledAt.toISOString(), httpStatus: l.httpStatus, error: l.error })),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    }));
  }

  // ---- polling ----

  /**
   * Polls every enabled endpoint whose time has come (job `ingest.poll`, every minute). Endpoints are claimed with
   * SKIP LOCKED and their next time set before the HTTP calls, so two workers never poll the same endpoint twice.
   */
  async pollDue(limit = 50): Promise<number> {
    const sys = systemContext('job:ingest.poll');
    const claimed = await withTx(this.db, sys, async (trx) => {
      const r = await sql<ClaimedEndpoint>`
        update provider_query_endpoints q
           set next_poll_at = now() + make_interval(mins => q.interval_minutes), last_polled_at = now()
         where q.id in (select id from provider_query_endpoints
                         where enabled and next_poll_at <= now()
                         order by next_poll_at limit ${limit} for update skip locked)
        returning q.id, q.provider_org_id as "providerOrgId", q.node_id as "nodeId", q.base_url as "baseUrl", q.signing_secret_enc as "signingSecretEnc"`.execute(trx);
      return r.rows;
    });
    // A few endpoints at a time: a slow provider delays only its own slot.
    const queue = [...claimed];
    const worker = async () => {
      for (let e = queue.shift(); e; e = queue.shift()) await this.pollEndpoint(e).catch((err: unknown) => this.logger.error({ err, endpointId: e!.id }, 'poll failed'));
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return claimed.length;
  }

  /** Polls one endpoint now (the page's “poll now” button), whatever its schedule. */
  async pollNow(ctx: RequestContext, id: string): Promise<QueryEndpoint> {
    const row = await withTx(this.db, ctx, async (trx) => {
      await this.endpoint(trx, ctx, id);
      return trx
        .updateTable('providerQueryEndpoints')
        .set({ lastPolledAt: new Date(), nextPollAt: sql<Date>`now() + make_interval(mins => interval_minutes)` })
        .where('id', '=', id)
        .returning(['id', 'providerOrgId', 'nodeId', 'baseUrl', 'signingSecretEnc'])
        .executeTakeFirstOrThrow();
    });
    await this.pollEndpoint(row);
    return withTx(this.db, ctx, (trx) => this.endpoint(trx, ctx, id));
  }

  private async pollEndpoint(e: ClaimedEndpoint): Promise<void> {
    const secret = this.cipher.decrypt(e.signingSecretEnc);
    const runStatus = await this.runStatusCodes();
    const results: Array<{ resource: PollResource } & Awaited<ReturnType<QueryPollerService['get']>>> = [];
    for (const resource of POLL_RESOURCES) results.push({ resource, ...(await this.get(e.baseUrl, resource, secret, runStatus)) });
    await withTx(this.db, systemContext('job:ingest.poll'), async (trx) => {
      await trx
        .insertInto('providerPollResults')
        .values(results.map((r) => ({ endpointId: e.id, providerOrgId: e.providerOrgId, nodeId: e.nodeId, resource: r.resource, ok: r.ok, httpStatus: r.httpStatus, durationMs: r.durationMs, payload: r.payload === null ? null : JSON.stringify(r.payload), error: r.error })))
        .execute();
    });
  }

  private async runStatusCodes(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('ingestCodeValues').where('codeTable', '=', 'runStatus').where('active', '=', true).select('code').execute();
    return new Set(rows.map((r) => r.code));
  }

  private async get(baseUrl: string, resource: PollResource, secret: string, runStatus: Set<string>): Promise<{ ok: boolean; httpStatus: number | null; durationMs: number; payload: unknown; error: string | null }> {
    const started = performance.now();
    const done = (r: { ok: boolean; httpStatus: number | null; payload?: unknown; error?: string | null }) => ({
      ok: r.ok,
      httpStatus: r.httpStatus,
      durationMs: Math.round(performance.now() - started),
      payload: r.payload ?? null,
      error: r.error ? r.error.slice(0, 2000) : null,
    });
    const url = new URL(`${baseUrl}/${resource}`);
    try {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const addresses = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true })).map((a) => a.address);
      if (addresses.some(forbiddenAddress)) return done({ ok: false, httpStatus: null, error: `refused: ${host} is a link-local or unspecified address` });
    } catch (err) {
      return done({ ok: false, httpStatus: null, error: `cannot resolve ${url.hostname}: ${(err as Error).message}` });
    }
    const headers = signedHeaders({ token: POLLER_TOKEN, signingSecret: secret }, { method: 'GET', pathWithQuery: `${url.pathname}${url.search}`, body: '' });
    let res: Response;
    try {
      res = await this.fetchImpl(url, { method: 'GET', headers: { ...headers, accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
      return done({ ok: false, httpStatus: null, error: timedOut ? `no answer within ${this.timeoutMs / 1000} s` : `request failed: ${e.cause?.code ?? e.cause?.message ?? e.message}` });
    }
    let text: string;
    try {
      text = await readLimited(res, MAX_ANSWER_BYTES);
    } catch (err) {
      return done({ ok: false, httpStatus: res.status, error: (err as Error).name === 'TimeoutError' ? `no complete answer within ${this.timeoutMs / 1000} s` : (err as Error).message });
    }
    if (res.status < 200 || res.status > 299) {
      // Only a JSON error message of the endpoint is kept, never an arbitrary page: the URL is the provider's to set, and
      // what an address inside the network answers must not become readable through the results.
      return done({ ok: false, httpStatus: res.status, error: `HTTP ${res.status}${jsonMessage(text)}` });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // The parser's message quotes the content; it is not kept (see jsonMessage).
      return done({ ok: false, httpStatus: res.status, error: `the answer is not JSON (content-type ${(res.headers.get('content-type') ?? 'none').slice(0, 100)})` });
    }
    const parsed = SCHEMAS[resource].safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      return done({ ok: false, httpStatus: res.status, error: `the answer does not match the ${resource} contract: ${issues.join('; ')}` });
    }
    if (resource === 'vm-states') {
      const bad = (parsed.data as Array<{ cloudHostId: string; runStatus: string }>).map((v, i) => ({ ...v, i })).filter((v) => !runStatus.has(v.runStatus));
      if (bad.length) {
        return done({ ok: false, httpStatus: res.status, error: `runStatus not in the 码表 runStatus (${[...runStatus].join(', ')}): ${bad.slice(0, 10).map((b) => `${b.i}.runStatus: ${b.runStatus}`).join('; ')}` });
      }
    }
    return done({ ok: true, httpStatus: res.status, payload: storedPayload(parsed.data) });
  }

  // ---- results ----

  async listResults(ctx: RequestContext, q: PollResultListQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    return withTx(this.db, ctx, async (trx) => {
      const { scope } = ctx.actor;
      let query = trx
        .selectFrom('providerPollResults as r')
        .innerJoin('organisations as o', 'o.id', 'r.providerOrgId')
        .innerJoin('cloudNodes as n', 'n.id', 'r.nodeId')
        .where(scope.all ? sql<boolean>`true` : sql<boolean>`o.path && ${sql.val([...scope.roots])}::uuid[]`);
      if (q.providerOrgId) query = query.where('r.providerOrgId', '=', q.providerOrgId);
      if (q.nodeId) query = query.where('r.nodeId', '=', q.nodeId);
      if (q.endpointId) query = query.where('r.endpointId', '=', q.endpointId);
      if (q.resource) query = query.where('r.resource', '=', q.resource);
      if (q.ok) query = query.where('r.ok', '=', q.ok === 'true');
      if (q.from) query = query.where('r.polledAt', '>=', new Date(q.from));
      if (q.to) query = query.where('r.polledAt', '<', new Date(q.to));
      const total = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const rows = await query
        .selectAll('r')
        .select(['o.name as providerName', 'n.code as nodeCode', 'n.name as nodeName'])
        .orderBy('r.polledAt', 'desc')
        .orderBy('r.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      const items: PollResult[] = rows.map((r) => ({
        id: String(r.id),
        endpointId: r.endpointId,
        provider: { id: r.providerOrgId, name: r.providerName },
        node: { id: r.nodeId, code: r.nodeCode, name: r.nodeName },
        resource: r.resource as PollResource,
        polledAt: r.polledAt.toISOString(),
        ok: r.ok,
        httpStatus: r.httpStatus,
        durationMs: r.durationMs,
        payload: r.payload ?? null,
        error: r.error,
      }));
      return { items, total: Number(total.n), page, pageSize };
    });
  }

  /** Deletes poll results older than 30 days (job `ingest.poll_results.purge`). */
  async purgeResults(): Promise<number> {
    return withTx(this.db, systemContext('job:ingest.poll_results.purge'), async (trx) => {
      const r = await trx.deleteFrom('providerPollResults').where('polledAt', '<', sql<Date>`now() - make_interval(days => ${RESULT_RETENTION_DAYS})`).executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }
}

function endpointsQuery(trx: Tx, ctx: RequestContext) {
  const { scope } = ctx.actor;
  return trx
    .selectFrom('providerQueryEndpoints as q')
    .innerJoin('organisations as o', 'o.id', 'q.providerOrgId')
    .innerJoin('cloudNodes as n', 'n.id', 'q.nodeId')
    .where(scope.all ? sql<boolean>`true` : sql<boolean>`o.path && ${sql.val([...scope.roots])}::uuid[]`)
    .select(['q.id', 'q.providerOrgId', 'q.nodeId', 'q.baseUrl', 'q.enabled', 'q.intervalMinutes', 'q.nextPollAt', 'q.lastPolledAt', 'q.createdAt', 'q.updatedAt'])
    .select(['o.name as providerName', 'n.code as nodeCode', 'n.name as nodeName']);
}

type EndpointRow = Awaited<ReturnType<ReturnType<typeof endpointsQuery>['executeTakeFirstOrThrow']>>;

async function readLimited(res: Response, limit: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`the answer is larger than ${limit} bytes`);
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`the answer is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `: message` from a JSON error body `{error|message: string}`, else nothing. */
function jsonMessage(text: string): string {
  try {
    const j = JSON.parse(text) as { error?: unknown; message?: unknown };
    const m = typeof j.error === 'string' ? j.error : typeof j.message === 'string' ? j.message : null;
    return m ? `: ${m.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

function storedPayload(data: unknown): unknown {
  const json = JSON.stringify(data);
  if (json.length <= MAX_STORED_PAYLOAD_CHARS || !Array.isArray(data)) return data;
  return { truncated: true, count: data.length, sample: data.slice(0, 100) };
}
