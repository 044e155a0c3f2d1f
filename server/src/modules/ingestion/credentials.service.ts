/**
 * 接入凭证: ingestion credentials of cloud providers and the verification of their signed requests.
 *
 * A credential is a bearer token (`zyi_…`, stored as its SM3) that names the provider, plus a signing secret (SM4 at
 * rest) with which the provider signs every request with HMAC-SM3 (signature.ts). Both are shown once, when issued.
 * Verification runs on every push (hundreds per second), so it costs one cached credential lookup and one nonce insert.
 */
import { systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { hmacSm3Hex, randomToken, safeEqual, sm3Hex, type FieldCipher } from '../../platform/crypto/index.js';
import { recordAudit } from '../audit/index.js';
import type { OrganisationService } from '../organisations/index.js';
import { MAX_CLOCK_SKEW_SECONDS, NONCE_PATTERN, SIGNATURE_HEADERS } from './signature.js';
import type { ProviderRequestVerifier, SignedRequestParts, VerifiedProvider } from './ingestion.types.js';
import * as repo from './credentials.repository.js';
import type { CredentialListQuery, IngestCredential, NewCredential } from './credentials.schemas.js';

/** How long a credential looked up by its token is trusted before it is read again (revocations elsewhere show up then). */
export const CREDENTIAL_CACHE_MS = 60_000;
/** last_used_at is written at most this often per credential and process. */
const TOUCH_INTERVAL_MS = 60_000;
const TOKEN_PATTERN = /^zyi_[A-Za-z0-9_-]{20,100}$/;

interface CachedCredential {
  id: string;
  providerOrgId: string;
  nodeIds: string[] | null;
  signingSecret: string;
  expiresAt: number | null;
  revoked: boolean;
  /** Why the provider behind it can no longer push (not a cloud provider, organisation disabled), or null. */
  providerProblem: string | null;
}

export interface IssueCredentialInput {
  providerOrgId?: string;
  name: string;
  nodeIds?: string[] | null;
  expiresAt?: string | Date | null;
}

export interface IssuedCredential {
  id: string;
  /** Bearer token, shown once. */
  token: string;
  /** HMAC-SM3 key (the string's UTF-8 bytes), shown once. */
  signingSecret: string;
  credential: IngestCredential;
}

const unauthenticated = (code: string, message: string, details?: unknown) => new AppError('unauthenticated', code, message, details);
const credentialInvalid = (reason: string) =>
  unauthenticated('ingest.credential_invalid', 'The ingestion credential is missing, malformed, unknown, revoked or expired', { reason });

function header(headers: SignedRequestParts['headers'], name: string): string | undefined {
  const v = headers[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function status(r: { revokedAt: Date | null; expiresAt: Date | null }): IngestCredential['status'] {
  return r.revokedAt ? 'revoked' : r.expiresAt && r.expiresAt.getTime() <= Date.now() ? 'expired' : 'active';
}

export class ProviderCredentialService implements ProviderRequestVerifier {
  private readonly cache = new Map<string, { at: number; entry: Promise<CachedCredential | null> }>();
  private readonly lastTouch = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
    private readonly organisations: Pick<OrganisationService, 'lookup' | 'lineDisabled'>,
  ) {}

  // ---- management ----

  private async toCredential(trx: Parameters<typeof repo.nodesByIds>[0], rows: repo.CredentialRow[]): Promise<IngestCredential[]> {
    const nodes = new Map((await repo.nodesByIds(trx, [...new Set(rows.flatMap((r) => r.nodeIds ?? []))])).map((n) => [n.id, n]));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      provider: { id: r.providerOrgId, name: r.providerName },
      tokenPrefix: r.tokenPrefix,
      nodes: r.nodeIds ? r.nodeIds.map((id) => ({ id, code: nodes.get(id)?.code ?? '?', name: nodes.get(id)?.name ?? '?' })) : null,
      createdBy: r.createdBy && r.createdByUsername ? { id: r.createdBy, username: r.createdByUsername } : null,
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt ? r.expiresAt.toISOString() : null,
      revokedAt: r.revokedAt ? r.revokedAt.toISOString() : null,
      lastUsedAt: r.lastUsedAt ? r.lastUsedAt.toISOString() : null,
      lastUsedIp: r.lastUsedIp,
      status: status(r),
    }));
  }

  /** Credentials the caller can see: a provider its own, the management unit every provider's. */
  async list(ctx: RequestContext, q: CredentialListQuery = {}) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    return withTx(this.db, ctx, async (trx) => {
      const { rows, total } = await repo.listCredentials(trx, ctx, { ...q, page, pageSize });
      return { items: await this.toCredential(trx, rows), total, page, pageSize };
    });
  }

  /**
   * Issues a credential for a cloud provider (the caller's own organisation by default). Token and signing secret are
   * returned once and never again. `nodeIds` limits it to some of the provider's cloud nodes.
   */
  async issue(ctx: RequestContext, input: IssueCredentialInput | NewCredential): Promise<IssuedCredential> {
    return withTx(this.db, ctx, async (trx) => {
      const { actor } = ctx;
      if (actor.kind !== 'system' && actor.kind !== 'user') throw forbidden('auth.user_only', 'Only a signed-in person can issue ingestion credentials');
      const providerOrgId = input.providerOrgId ?? actor.orgId;
      if (!providerOrgId) {
        throw new AppError('validation', 'ingest.provider_required', 'Name the cloud provider the credential is for', { issues: [{ field: 'body.providerOrgId', rule: 'required', message: 'required' }] });
      }
      const org = await this.organisations.lookup(trx, ctx, providerOrgId);
      if (!org) throw new AppError('not_found', 'organisations.not_found', 'The organisation does not exist', { field: 'providerOrgId', id: providerOrgId });
      if (org.kind !== 'cloud_provider') {
        throw new AppError('validation', 'ingest.not_a_provider', 'Ingestion credentials are issued to cloud providers (云服务商) only', {
          issues: [{ field: 'body.providerOrgId', rule: 'cloud_provider', message: `is a ${org.kind}` }],
        });
      }
      const nodeIds = input.nodeIds && input.nodeIds.length ? [...new Set(input.nodeIds)].sort() : null;
      if (nodeIds) {
        const found = new Map((await repo.nodesByIds(trx, nodeIds)).map((n) => [n.id, n]));
        const foreign = nodeIds.filter((id) => found.get(id)?.providerOrgId !== org.id);
        if (foreign.length) {
          throw new AppError('validation', 'ingest.node_not_of_provider', 'Every node must be a cloud node the provider runs', {
            issues: foreign.map((id) => ({ field: 'body.nodeIds', rule: 'own_node', message: `${id} is not a node of this provider`, value: id })),
          });
        }
      }
      const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
      if (expiresAt && !(expiresAt.getTime() > Date.now())) {
        throw new AppError('validation', 'ingest.expiry_in_past', 'The expiry must lie in the future', { issues: [{ field: 'body.expiresAt', rule: 'future', message: 'must be in the future' }] });
      }
      const token = `zyi_${randomToken(32)}`;
      const signingSecret = randomToken(32);
      const id = await repo.insertCredential(trx, {
        providerOrgId: org.id,
        name: input.name.trim(),
        tokenPrefix: token.slice(0, 12),
        tokenHash: sm3Hex(token),
        signingSecretEnc: this.cipher.encrypt(signingSecret),
        nodeIds,
        createdBy: actor.userId,
        expiresAt,
      });
      const [credential] = await this.toCredential(trx, [(await repo.findCredential(trx, ctx, id))!]);
      await recordAudit(trx, ctx, {
        action: 'ingest_credentials.issue',
        targetType: 'ingest_credential',
        targetId: id,
        after: { name: credential!.name, providerOrgId: org.id, nodeIds, expiresAt: credential!.expiresAt, tokenPrefix: credential!.tokenPrefix },
      });
      return { id, token, signingSecret, credential: credential! };
    });
  }

  /** Revokes a credential the caller can see; from then on it is refused (at once in this process, within a minute elsewhere). */
  async revoke(ctx: RequestContext, id: string): Promise<void> {
    await withTx(this.db, ctx, async (trx) => {
      const row = await repo.findCredential(trx, ctx, id);
      if (!row) throw notFound('ingest_credentials', id);
      if (ctx.actor.kind !== 'system' && ctx.actor.kind !== 'user') throw forbidden('auth.user_only', 'Only a signed-in person can revoke ingestion credentials');
      if (row.revokedAt) return;
      await repo.revokeCredential(trx, id, ctx.actor.userId);
      await recordAudit(trx, ctx, { action: 'ingest_credentials.revoke', targetType: 'ingest_credential', targetId: id, before: { name: row.name, providerOrgId: row.providerOrgId, tokenPrefix: row.tokenPrefix } });
      this.cache.delete(row.tokenHash);
    });
  }

  // ---- verification of signed requests ----

  /**
   * Checks a signed request: credential (401 `ingest.credential_invalid`), headers (`ingest.signature_missing`),
   * timestamp (`ingest.timestamp_invalid`, `ingest.clock_skew` with the server's time), nonce (`ingest.nonce_invalid`),
   * HMAC-SM3 signature (`ingest.signature_invalid`, with the canonical request the server computed) and replay
   * (`ingest.replayed`). Also returns the hex SM3 of the body, computed for the signature anyway.
   */
  async verify(parts: SignedRequestParts): Promise<VerifiedProvider & { bodySm3: string }> {
    const authorization = header(parts.headers, 'authorization');
    const timestamp = header(parts.headers, SIGNATURE_HEADERS.timestamp);
    const nonce = header(parts.headers, SIGNATURE_HEADERS.nonce);
    const signature = header(parts.headers, SIGNATURE_HEADERS.signature);
    const missing = [
      ...(authorization ? [] : ['Authorization']),
      ...(timestamp ? [] : ['X-Zy-Timestamp']),
      ...(nonce ? [] : ['X-Zy-Nonce']),
      ...(signature ? [] : ['X-Zy-Signature']),
    ];
    if (missing.length) throw unauthenticated('ingest.signature_missing', `A signed request needs the header(s) ${missing.join(', ')}`, { missing });

    const m = /^Bearer\s+(\S+)$/i.exec(authorization!);
    if (!m || !TOKEN_PATTERN.test(m[1]!)) throw credentialInvalid('malformed');
    const cred = await this.credentialFor(m[1]!);
    if (!cred) throw credentialInvalid('unknown');
    if (cred.revoked) throw credentialInvalid('revoked');
    if (cred.expiresAt !== null && cred.expiresAt <= Date.now()) throw credentialInvalid('expired');
    if (cred.providerProblem) throw credentialInvalid(cred.providerProblem);

    if (!/^[0-9]{1,12}$/.test(timestamp!)) {
      throw unauthenticated('ingest.timestamp_invalid', 'X-Zy-Timestamp must be the Unix time in whole seconds', { value: timestamp!.slice(0, 40) });
    }
    const now = Math.floor(Date.now() / 1000);
    const ts = Number(timestamp);
    if (Math.abs(now - ts) > MAX_CLOCK_SKEW_SECONDS) {
      throw unauthenticated('ingest.clock_skew', `X-Zy-Timestamp is ${now - ts} s away from the server's clock (at most ${MAX_CLOCK_SKEW_SECONDS} s allowed)`, {
        serverTime: now,
        serverTimeIso: new Date(now * 1000).toISOString(),
        timestamp: ts,
        maxSkewSeconds: MAX_CLOCK_SKEW_SECONDS,
      });
    }
    if (!NONCE_PATTERN.test(nonce!)) throw unauthenticated('ingest.nonce_invalid', 'X-Zy-Nonce must be 16–64 characters of A–Z a–z 0–9 _ -', { value: nonce!.slice(0, 80) });

    // The canonical request of signature.ts, built here so the body's SM3 (the costly part) is computed once and handed
    // on to the caller (idempotency of batches); signature tests made with signature.ts keep the two in step.
    const bodySm3 = sm3Hex(parts.rawBody);
    const canonical = [parts.method.toUpperCase(), parts.url, timestamp!, nonce!, bodySm3].join('\n');
    if (!safeEqual(hmacSm3Hex(cred.signingSecret, canonical), signature!.toLowerCase())) {
      // The canonical request holds no secret; showing it lets a provider find which part its client signed differently.
      throw unauthenticated('ingest.signature_invalid', 'The X-Zy-Signature does not match the request (HMAC-SM3 over the canonical request)', {
        canonicalRequest: canonical,
      });
    }
    // The nonce is remembered while a request carrying it could still pass the timestamp check.
    const nonceExpires = new Date((ts + MAX_CLOCK_SKEW_SECONDS + 5) * 1000);
    if (!(await repo.useNonce(this.db, cred.id, nonce!, nonceExpires))) {
      throw unauthenticated('ingest.replayed', 'This nonce was already used with this credential: the request is a replay', { nonce: nonce! });
    }
    await this.touch(cred.id, parts.ip);
    return { credentialId: cred.id, providerOrgId: cred.providerOrgId, nodeIds: cred.nodeIds, bodySm3 };
  }

  /**
   * The cloud node a verified provider addresses by code: 400 `ingest.node_required`, 404 `ingest.unknown_node`, 403
   * `ingest.own_node` when the node is not the provider's or outside the credential's nodes.
   */
  async resolveNode(provider: VerifiedProvider, nodeCode: string | undefined): Promise<repo.NodeFacts> {
    if (!nodeCode) {
      throw new AppError('validation', 'ingest.node_required', 'Name the cloud node with ?node=<code>', { issues: [{ field: 'query.node', rule: 'required', message: 'required' }] });
    }
    const node = await repo.nodeByCode(this.db, nodeCode);
    if (!node) throw new AppError('not_found', 'ingest.unknown_node', `No cloud node has the code ${nodeCode.slice(0, 40)}`, { field: 'query.node', value: nodeCode.slice(0, 40) });
    if (node.providerOrgId !== provider.providerOrgId || (provider.nodeIds !== null && !provider.nodeIds.includes(node.id))) {
      throw forbidden('ingest.own_node', `The credential may not deliver data for the cloud node ${node.code}`, { field: 'query.node', value: node.code });
    }
    return node;
  }

  /** Deletes nonces whose requests could no longer pass the timestamp check (job ingest.nonces.purge). */
  async purgeNonces(): Promise<number> {
    return repo.purgeNonces(this.db);
  }

  private credentialFor(token: string): Promise<CachedCredential | null> {
    const hash = sm3Hex(token);
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && now - hit.at < CREDENTIAL_CACHE_MS) return hit.entry;
    if (this.cache.size > 5000) for (const [k, v] of this.cache) if (now - v.at >= CREDENTIAL_CACHE_MS) this.cache.delete(k);
    const entry = this.load(hash);
    this.cache.set(hash, { at: now, entry });
    // Unknown tokens and failed reads are not remembered (an attacker's guesses must not fill the cache).
    entry.then(
      (c) => {
        if (!c) this.cache.delete(hash);
      },
      () => this.cache.delete(hash),
    );
    return entry;
  }

  private async load(hash: string): Promise<CachedCredential | null> {
    const sys = systemContext('ingest-credential');
    return withTx(this.db, sys, async (trx) => {
      const row = await repo.findCredentialByHash(trx, sys, hash);
      if (!row) return null;
      let providerProblem: string | null = null;
      if (row.providerKind !== 'cloud_provider') providerProblem = 'not_a_provider';
      else if (await this.organisations.lineDisabled(trx, row.providerPath)) providerProblem = 'provider_disabled';
      if (row.lastUsedAt && !this.lastTouch.has(row.id)) this.lastTouch.set(row.id, row.lastUsedAt.getTime());
      return {
        id: row.id,
        providerOrgId: row.providerOrgId,
        nodeIds: row.nodeIds,
        signingSecret: this.cipher.decrypt(row.signingSecretEnc),
        expiresAt: row.expiresAt ? row.expiresAt.getTime() : null,
        revoked: row.revokedAt !== null,
        providerProblem,
      };
    });
  }

  private async touch(id: string, ip: string | null): Promise<void> {
    const now = Date.now();
    if (now - (this.lastTouch.get(id) ?? 0) < TOUCH_INTERVAL_MS) return;
    this.lastTouch.set(id, now);
    const sys = systemContext('ingest-credential');
    await withTx(this.db, sys, (trx) => repo.touchCredential(trx, id, ip));
  }
}
