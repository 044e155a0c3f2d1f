import type { FastifyReply, FastifyRequest } from 'fastify';
import { anonymousContext, systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import {
  generateTotpSecret,
  randomToken,
  sm3Hex,
  totpUri,
  verifyPassword,
  verifyTotp,
  type FieldCipher,
} from '../../platform/crypto/index.js';
import { SESSION_COOKIE } from '../../platform/http/server.js';
import type { Config } from '../../platform/config.js';
import type { Logger } from '../../platform/logger.js';
import { recordAudit } from '../audit/index.js';
import type { AccessService, SecurityPolicyValues, UserCredentials } from '../access/index.js';
import { RESERVED_PERMISSIONS, isSubset } from '../access/index.js';
import type { OrganisationService } from '../organisations/index.js';
import * as repo from './auth.repository.js';
import {
  CHALLENGE_MAX_ATTEMPTS,
  CHALLENGE_MINUTES,
  CSRF_HEADER,
  csrfSatisfied,
  ENROLMENT_MINUTES,
  parseBearer,
  passwordExpiresAt,
  sessionVerdict,
  shouldTouch,
  tokenActor,
  userActor,
} from './auth.policy.js';
import type { ApiToken, ApiTokenListQuery, LoginResult, Me, NewApiToken } from './auth.schemas.js';

/**
 * Verifies a user name and password against LDAP / Active Directory. Injected by the settings module (wired in
 * container.ts); resolves false for wrong credentials and throws when the directory cannot be reached.
 */
export type LdapVerifier = (username: string, password: string) => Promise<boolean>;

/** Errors already written to the audit log (in a transaction of their own), so the error observer skips them. */
const audited = new WeakSet<AppError>();
function auditedError(e: AppError): AppError {
  audited.add(e);
  return e;
}

/** The outcome of a transaction that must commit (failure counters, audit) and then fail the request. */
type Outcome<T> = { ok: T } | { fail: AppError };

async function settle<T>(p: Promise<Outcome<T>>): Promise<T> {
  const r = await p;
  if ('fail' in r) throw auditedError(r.fail);
  return r.ok;
}

const DUMMY_HASH = 'pbkdf2-sm3$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export interface SignedIn {
  result: LoginResult;
  /** The session secret to put in the cookie, when the flow ended signed in. */
  sessionToken: string | null;
}

/**
 * Sign-in (登录) as a state machine — password, forced change (initial / expired / reset), TOTP (with enrolment
 * when a role requires it) — sessions, the caller's own profile and second factor, and API tokens.
 */
export class AuthService {
  private ldapVerifier: LdapVerifier | undefined;

  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly access: AccessService,
    private readonly organisations: OrganisationService,
    opts: { ldapVerifier?: LdapVerifier } = {},
  ) {
    this.ldapVerifier = opts.ldapVerifier;
  }

  /** Installs (or removes) the LDAP verifier used for accounts with auth_source = 'ldap'. */
  setLdapVerifier(verifier: LdapVerifier | undefined): void {
    this.ldapVerifier = verifier;
  }

  // ---- sign-in ----

  private attemptCtx(ctx: RequestContext, user: { id: string; username: string; orgId: string } | null, username: string): RequestContext {
    return { ...ctx, actor: { ...ctx.actor, kind: 'anonymous', userId: user?.id ?? null, username: user?.username ?? username.slice(0, 64), orgId: user?.orgId ?? null } };
  }

  private async refuse(trx: Tx, ctx: RequestContext, action: string, targetId: string | null, error: AppError, extra: Record<string, unknown> = {}): Promise<{ fail: AppError }> {
    await recordAudit(trx, ctx, { action, targetType: 'user', targetId, outcome: 'failure', details: { code: error.code, message: error.message, ...extra } });
    return { fail: error };
  }

  async login(ctx: RequestContext, username: string, password: string): Promise<SignedIn> {
    const sys = systemContext(ctx.requestId, ctx.ip);
    const user = await withTx(this.db, sys, (trx) => this.access.credentialsByUsername(trx, sys, username));
    const actx = this.attemptCtx(ctx, user ?? null, username);
    const invalid = () => new AppError('unauthenticated', 'auth.invalid_credentials', 'Wrong user name or password');
    if (!user) {
      await verifyPassword(password, DUMMY_HASH); // same work as a real check: no user-name oracle by timing
      return settle(withTx(this.db, sys, (trx) => this.refuse(trx, actx, 'auth.sign_in', null, invalid(), { reason: 'unknown_user' })));
    }
    if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
      const e = new AppError('locked', 'auth.account_locked', `The account is locked after repeated failed sign-ins until ${user.lockedUntil.toISOString()}`, { lockedUntil: user.lockedUntil.toISOString() });
      return settle(withTx(this.db, sys, (trx) => this.refuse(trx, actx, 'auth.sign_in', user.id, e, { reason: 'locked' })));
    }
    let passwordOk: boolean;
    if (user.authSource === 'ldap') {
      if (!this.ldapVerifier) {
        const e = new AppError('unavailable', 'auth.ldap_unavailable', 'LDAP sign-in is not configured');
        return settle(withTx(this.db, sys, (trx) => this.refuse(trx, actx, 'auth.sign_in', user.id, e, { reason: 'ldap_unconfigured' })));
      }
      try {
        passwordOk = await authenticateLdapUser(this.ldapVerifier, user.username, password);
      } catch (err) {
        this.logger.warn({ err }, 'LDAP verification failed');
        const e = err instanceof AppError ? err : new AppError('unavailable', 'auth.ldap_unavailable', 'The LDAP directory cannot be reached; try again later');
        return settle(withTx(this.db, sys, (trx) => this.refuse(trx, actx, 'auth.sign_in', user.id, e, { reason: 'ldap_unreachable' })));
      }
    } else {
      passwordOk = await verifyPassword(password, user.passwordHash ?? DUMMY_HASH);
    }
    return settle(
      withTx(this.db, sys, async (trx): Promise<Outcome<SignedIn>> => {
        const policy = await this.access.policy(trx);
        if (!passwordOk) {
          const r = await this.access.recordSignInFailure(trx, user.id, policy);
          const e = r.lockedUntil
            ? new AppError('locked', 'auth.account_locked', `Too many failed sign-ins: the account is locked until ${r.lockedUntil.toISOString()}`, { lockedUntil: r.lockedUntil.toISOString() })
            : new AppError('unauthenticated', 'auth.invalid_credentials', 'Wrong user name or password', { remainingAttempts: r.remaining });
          return this.refuse(trx, actx, 'auth.sign_in', user.id, e, { reason: 'wrong_password', locked: r.lockedUntil !== null });
        }
        const blocked = await this.blockedReason(trx, user);
        if (blocked) return this.refuse(trx, actx, 'auth.sign_in', user.id, blocked, { reason: blocked.code });
        await this.access.resetFailures(trx, sys, user.id);
        return { ok: await this.nextStep(trx, ctx, actx, user, policy, false) };
      }),
    );
  }

  /** Disabled accounts and members of disabled organisations cannot sign in (said only after a correct password). */
  private async blockedReason(trx: Tx, user: UserCredentials): Promise<AppError | null> {
    if (user.status !== 'active') return new AppError('forbidden', 'auth.account_disabled', 'This account is disabled; ask your administrator');
    if (await this.organisations.lineDisabled(trx, user.orgPath)) {
      return new AppError('forbidden', 'auth.organisation_disabled', 'Your organisation is disabled on the platform');
    }
    return null;
  }

  private async newChallenge(trx: Tx, userId: string, kind: 'password_change' | 'mfa' | 'mfa_enrol', pendingSecret: string | null, mfaVerified = false): Promise<string> {
    const token = randomToken();
    await repo.deleteUserChallenges(trx, userId, kind);
    await repo.insertChallenge(trx, {
      idHash: sm3Hex(token),
      userId,
      kind,
      mfaVerified,
      pendingTotpSecretEnc: pendingSecret ? this.cipher.encrypt(pendingSecret) : null,
      expiresAt: new Date(Date.now() + (kind === 'mfa_enrol' ? ENROLMENT_MINUTES : CHALLENGE_MINUTES) * 60_000),
    });
    return token;
  }

  /**
   * After a successful step: what the user still has to do, or the session. Order: an existing second factor first
   * (so a forced password change needs both factors), then the forced change, then TOTP enrolment when a role
   * requires it and none is set up.
   */
  private async nextStep(trx: Tx, ctx: RequestContext, actx: RequestContext, user: UserCredentials, policy: SecurityPolicyValues, mfaVerified: boolean): Promise<SignedIn> {
    if (user.totpEnabled && user.totpSecretEnc && !mfaVerified) {
      const challenge = await this.newChallenge(trx, user.id, 'mfa', null);
      return { result: { status: 'mfa_required', challenge }, sessionToken: null };
    }
    if (user.authSource === 'local') {
      const expires = passwordExpiresAt(user.passwordChangedAt, policy.passwordExpiryDays);
      const reason = user.mustChangePassword ? (user.mustChangeReason ?? 'initial') : expires && expires.getTime() <= Date.now() ? 'expired' : null;
      if (reason) {
        const challenge = await this.newChallenge(trx, user.id, 'password_change', null, mfaVerified);
        await recordAudit(trx, actx, { action: 'auth.sign_in', targetType: 'user', targetId: user.id, outcome: 'success', details: { step: 'password_change_required', reason } });
        return { result: { status: 'password_change_required', challenge, reason }, sessionToken: null };
      }
    }
    if (!user.totpEnabled && user.roles.some((r) => r.requiresMfa)) {
      const secret = generateTotpSecret();
      const challenge = await this.newChallenge(trx, user.id, 'mfa_enrol', secret);
      return { result: { status: 'mfa_enrolment_required', challenge, secret, otpauthUri: totpUri(secret, user.username) }, sessionToken: null };
    }
    const token = randomToken();
    await repo.insertSession(trx, {
      idHash: sm3Hex(token),
      userId: user.id,
      expiresAt: new Date(Date.now() + policy.sessionMaxHours * 3_600_000),
      ip: ctx.ip,
      userAgent: ctx.userAgent ? ctx.userAgent.slice(0, 300) : null,
    });
    const sys = systemContext(ctx.requestId, ctx.ip);
    await this.access.recordSignInSuccess(trx, sys, user.id, ctx.ip);
    await repo.deleteUserChallenges(trx, user.id);
    const signedIn = { ...ctx, actor: userActor(user, sm3Hex(token)) };
    await recordAudit(trx, signedIn, { action: 'auth.sign_in', targetType: 'user', targetId: user.id, outcome: 'success', details: { step: 'signed_in', secondFactor: mfaVerified, authSource: user.authSource } });
    const fresh = (await this.access.credentialsById(trx, sys, user.id))!;
    return { result: { status: 'signed_in', me: await this.buildMe(trx, fresh, policy) }, sessionToken: token };
  }

  /** Loads a live challenge of the given kind; wrong, expired or exhausted challenges are refused (and audited). */
  private async challengeUser(trx: Tx, ctx: RequestContext, challenge: string, kind: string): Promise<Outcome<{ row: repo.ChallengeRow; user: UserCredentials }>> {
    const sys = systemContext(ctx.requestId, ctx.ip);
    const row = await repo.findChallenge(trx, sm3Hex(challenge));
    const invalid = new AppError('unauthenticated', 'auth.challenge_invalid', 'This sign-in step has expired or is unknown; sign in again');
    if (!row || row.kind !== kind || row.expiresAt.getTime() <= Date.now() || row.attempts >= CHALLENGE_MAX_ATTEMPTS) {
      if (row) await repo.deleteChallenge(trx, row.idHash);
      return this.refuse(trx, ctx, `auth.${kind}`, row?.userId ?? null, invalid, { reason: 'challenge_invalid' });
    }
    const user = await this.access.credentialsById(trx, sys, row.userId);
    if (!user) return this.refuse(trx, ctx, `auth.${kind}`, null, invalid, { reason: 'user_gone' });
    const actx = this.attemptCtx(ctx, user, user.username);
    const blocked = (user.lockedUntil && user.lockedUntil.getTime() > Date.now()
      ? new AppError('locked', 'auth.account_locked', `The account is locked until ${user.lockedUntil.toISOString()}`, { lockedUntil: user.lockedUntil.toISOString() })
      : null) ?? (await this.blockedReason(trx, user));
    if (blocked) {
      await repo.deleteChallenge(trx, row.idHash);
      return this.refuse(trx, actx, `auth.${kind}`, user.id, blocked, { reason: blocked.code });
    }
    return { ok: { row, user } };
  }

  async loginPassword(ctx: RequestContext, challenge: string, newPassword: string): Promise<SignedIn> {
    const sys = systemContext(ctx.requestId, ctx.ip);
    return settle(
      withTx(this.db, sys, async (trx): Promise<Outcome<SignedIn>> => {
        const c = await this.challengeUser(trx, ctx, challenge, 'password_change');
        if ('fail' in c) return c;
        const { row, user } = c.ok;
        const actx = this.attemptCtx(ctx, user, user.username);
        try {
          await this.access.checkNewPassword(trx, user, newPassword);
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          await repo.countChallengeAttempt(trx, row.idHash);
          return this.refuse(trx, actx, 'auth.password_change', user.id, e, { rule: (e.details as { rule?: string } | null)?.rule });
        }
        await this.access.storePassword(trx, sys, user.id, newPassword);
        await repo.deleteChallenge(trx, row.idHash);
        await recordAudit(trx, actx, { action: 'auth.password_change', targetType: 'user', targetId: user.id, details: { forced: true } });
        const fresh = (await this.access.credentialsById(trx, sys, user.id))!;
        return { ok: await this.nextStep(trx, ctx, actx, fresh, await this.access.policy(trx), row.mfaVerified) };
      }),
    );
  }

  async loginMfa(ctx: RequestContext, challenge: string, code: string): Promise<SignedIn> {
    const sys = systemContext(ctx.requestId, ctx.ip);
    return settle(
      withTx(this.db, sys, async (trx): Promise<Outcome<SignedIn>> => {
        const hash = sm3Hex(challenge);
        const peek = await repo.findChallenge(trx, hash);
        const kind = peek?.kind === 'mfa_enrol' ? 'mfa_enrol' : 'mfa';
        const c = await this.challengeUser(trx, ctx, challenge, kind);
        if ('fail' in c) return c;
        const { row, user } = c.ok;
        const actx = this.attemptCtx(ctx, user, user.username);
        const policy = await this.access.policy(trx);
        const secretEnc = kind === 'mfa_enrol' ? row.pendingTotpSecretEnc : user.totpSecretEnc;
        const secret = secretEnc ? this.cipher.decrypt(secretEnc) : null;
        const step = secret ? verifyTotp(secret, code, kind === 'mfa_enrol' ? null : user.totpLastStep) : null;
        if (step === null) {
          const attempts = await repo.countChallengeAttempt(trx, row.idHash);
          const r = await this.access.recordSignInFailure(trx, user.id, policy);
          const replay = secret !== null && kind === 'mfa' && verifyTotp(secret, code, null) !== null;
          const e = r.lockedUntil
            ? new AppError('locked', 'auth.account_locked', `Too many failed sign-ins: the account is locked until ${r.lockedUntil.toISOString()}`, { lockedUntil: r.lockedUntil.toISOString() })
            : replay
              ? new AppError('unauthenticated', 'auth.mfa_code_reused', 'This code was already used; wait for the next one', { remainingAttempts: Math.max(0, CHALLENGE_MAX_ATTEMPTS - attempts) })
              : new AppError('unauthenticated', 'auth.mfa_invalid_code', 'Wrong verification code', { remainingAttempts: Math.max(0, CHALLENGE_MAX_ATTEMPTS - attempts) });
          return this.refuse(trx, actx, kind === 'mfa_enrol' ? 'auth.mfa_enrol' : 'auth.mfa', user.id, e, { reason: replay ? 'replay' : 'wrong_code' });
        }
        if (kind === 'mfa_enrol') {
          await this.access.setTotp(trx, sys, user.id, { secretEnc: row.pendingTotpSecretEnc, enabled: true, lastStep: step });
          await recordAudit(trx, actx, { action: 'auth.mfa_enrol', targetType: 'user', targetId: user.id });
        } else {
          await this.access.setTotpLastStep(trx, sys, user.id, step);
        }
        await this.access.resetFailures(trx, sys, user.id);
        await repo.deleteChallenge(trx, row.idHash);
        const fresh = (await this.access.credentialsById(trx, sys, user.id))!;
        return { ok: await this.nextStep(trx, ctx, actx, fresh, policy, true) };
      }),
    );
  }

  async logout(ctx: RequestContext, sessionToken: string | undefined): Promise<void> {
    if (!sessionToken) return;
    const sys = systemContext(ctx.requestId, ctx.ip);
    await withTx(this.db, sys, async (trx) => {
      const s = await repo.findSession(trx, sm3Hex(sessionToken));
      if (!s || s.revokedAt) return;
      await repo.revokeSession(trx, s.idHash);
      const user = await this.access.credentialsById(trx, sys, s.userId);
      const uctx = user ? { ...ctx, actor: userActor(user, s.idHash) } : ctx;
      await recordAudit(trx, uctx, { action: 'auth.sign_out', targetType: 'user', targetId: s.userId });
    });
  }

  // ---- authenticating requests ----

  /** The platform's `authenticate` hook: a Bearer API token, else the session cookie. */
  authenticate = async (request: FastifyRequest, reply: FastifyReply): Promise<RequestContext> => {
    const ctx = anonymousContext(request.id, request.ip, typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'].slice(0, 300) : null);
    const authorization = request.headers.authorization;
    if (authorization !== undefined) return this.authenticateToken(ctx, authorization, `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`);
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) {
      const e = new AppError('unauthenticated', 'auth.required', 'Sign in first');
      // The web UI asks GET /api/auth/me to learn whether it is signed in: that probe is not an attempt.
      const probe = request.method === 'GET' && request.routeOptions.url === '/api/auth/me';
      if (probe) throw auditedError(e);
      throw await this.refuseRequest(ctx, request, e, 'missing_credentials');
    }
    const result = await withTx(this.db, systemContext(request.id, request.ip), async (trx): Promise<Outcome<RequestContext>> => {
      const sys = systemContext(request.id, request.ip);
      const idHash = sm3Hex(cookie);
      const session = await repo.findSession(trx, idHash);
      const invalid = (reason: string) => new AppError('unauthenticated', reason === 'idle' || reason === 'max_age' ? 'auth.session_expired' : 'auth.session_invalid', reason === 'idle' ? 'Signed out after inactivity; sign in again' : reason === 'max_age' ? 'The session has ended; sign in again' : 'The session is not valid; sign in again', { reason });
      if (!session) return this.refuseIn(trx, ctx, request, invalid('unknown_session'), 'unknown_session');
      const policy = await this.access.policy(trx);
      const verdict = sessionVerdict(session, policy.idleTimeoutMinutes);
      const user = await this.access.credentialsById(trx, sys, session.userId);
      const uctx = user ? this.attemptCtx(ctx, user, user.username) : ctx;
      if (!verdict.ok) {
        await repo.revokeSession(trx, idHash);
        return this.refuseIn(trx, uctx, request, invalid(verdict.reason), verdict.reason);
      }
      if (!user || user.status !== 'active' || (user.mustChangePassword && user.authSource === 'local') || (await this.organisations.lineDisabled(trx, user.orgPath))) {
        await repo.revokeSession(trx, idHash);
        return this.refuseIn(trx, uctx, request, invalid('account_changed'), 'account_changed');
      }
      const actorCtx: RequestContext = { ...ctx, actor: userActor(user, idHash) };
      if (!csrfSatisfied(request.method, request.headers[CSRF_HEADER])) {
        const e = new AppError('forbidden', 'auth.csrf_header_missing', 'Requests that change data must send the header X-Requested-With: zhengyun');
        return this.refuseIn(trx, actorCtx, request, e, 'csrf_header_missing');
      }
      if (shouldTouch(session.lastSeenAt)) await repo.touchSession(trx, idHash);
      return { ok: actorCtx };
    });
    if ('fail' in result) {
      if (result.fail.kind === 'unauthenticated') reply.clearCookie(SESSION_COOKIE, { path: '/' });
      throw auditedError(result.fail);
    }
    return result.ok;
  };

  private async refuseIn(trx: Tx, ctx: RequestContext, request: FastifyRequest, e: AppError, reason: string): Promise<{ fail: AppError }> {
    await recordAudit(trx, ctx, {
      action: 'auth.authenticate',
      targetType: 'route',
      targetId: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
      outcome: 'failure',
      details: { code: e.code, reason },
    });
    return { fail: e };
  }

  private async refuseRequest(ctx: RequestContext, request: FastifyRequest, e: AppError, reason: string): Promise<AppError> {
    const r = await withTx(this.db, systemContext(request.id, request.ip), (trx) => this.refuseIn(trx, ctx, request, e, reason));
    return auditedError(r.fail);
  }

  private async authenticateToken(ctx: RequestContext, header: string, route: string): Promise<RequestContext> {
    const token = parseBearer(header);
    const bad = (reason: string) => new AppError('unauthenticated', 'auth.invalid_token', 'The API token is missing, malformed, unknown, revoked or expired', { reason });
    const sys = systemContext(ctx.requestId, ctx.ip);
    const result = await withTx(this.db, sys, async (trx): Promise<Outcome<RequestContext>> => {
      if (!token) return this.refuseToken(trx, ctx, bad('malformed'), null, route);
      const row = await repo.findTokenByHash(trx, sys, sm3Hex(token));
      if (!row) return this.refuseToken(trx, ctx, bad('unknown'), null, route);
      const tctx = { ...ctx, actor: { ...ctx.actor, username: `token:${row.name}`, orgId: row.orgId } };
      if (row.revokedAt) return this.refuseToken(trx, tctx, bad('revoked'), row.id, route);
      if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return this.refuseToken(trx, tctx, bad('expired'), row.id, route);
      if (await this.organisations.lineDisabled(trx, row.orgPath)) return this.refuseToken(trx, tctx, bad('organisation_disabled'), row.id, route);
      const creator = row.createdBy ? await this.access.credentialsById(trx, sys, row.createdBy) : undefined;
      if (row.createdBy && (!creator || creator.status !== 'active')) return this.refuseToken(trx, tctx, bad('creator_disabled'), row.id, route);
      if (!row.lastUsedAt || shouldTouch(row.lastUsedAt)) await repo.touchToken(trx, row.id, ctx.ip);
      return { ok: { ...ctx, actor: tokenActor(row, creator ?? null) } };
    });
    if ('fail' in result) throw auditedError(result.fail);
    return result.ok;
  }

  private async refuseToken(trx: Tx, ctx: RequestContext, e: AppError, tokenId: string | null, route: string): Promise<{ fail: AppError }> {
    await recordAudit(trx, ctx, { action: 'auth.authenticate', targetType: 'api_token', targetId: tokenId, outcome: 'failure', details: { code: e.code, reason: (e.details as { reason: string }).reason, route } });
    return { fail: e };
  }

  /**
   * Error observer: failed writes and permission denials are audited in a transaction of their own (the failing one
   * rolled back). Errors the sign-in flow already audited are skipped. Request bodies are never recorded.
   */
  observeError = async (request: FastifyRequest, error: AppError): Promise<void> => {
    if (audited.has(error)) return;
    const write = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    if (!write && error.kind !== 'forbidden') return;
    const ctx = request.ctx;
    const issues = (error.details as { issues?: Array<{ field: string; rule: string }> } | null)?.issues;
    await withTx(this.db, systemContext(request.id, request.ip), (trx) =>
      recordAudit(trx, ctx, {
        action: error.code === 'auth.permission_denied' ? 'auth.permission_denied' : 'request.rejected',
        targetType: 'route',
        targetId: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
        outcome: 'failure',
        details: {
          code: error.code,
          message: error.message,
          status: error.status,
          params: request.params ?? null,
          ...(issues ? { issues: issues.map((i) => ({ field: i.field, rule: i.rule })) } : {}),
        },
      }),
    );
  };

  // ---- the caller's own account ----

  private async buildMe(trx: Tx, user: UserCredentials, policy: SecurityPolicyValues): Promise<Me> {
    const perms = new Set(user.roles.flatMap((r) => r.permissions));
    const kinds = new Set(user.roles.map((r) => r.adminKind).filter((k): k is 'system' => k !== null));
    const expires = user.authSource === 'local' ? passwordExpiresAt(user.passwordChangedAt, policy.passwordExpiryDays) : null;
    void trx;
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      email: this.access.decryptField(user.emailEnc),
      phone: this.access.decryptField(user.phoneEnc),
      org: { id: user.orgId, name: user.orgName, kind: user.orgKind },
      roles: user.roles.map((r) => ({ id: r.id, code: r.code, name: r.name })),
      permissions: [...perms].sort(),
      adminKinds: [...kinds].sort(),
      authSource: user.authSource,
      mfaEnabled: user.totpEnabled,
      mfaRequired: user.roles.some((r) => r.requiresMfa),
      passwordExpiresAt: expires ? expires.toISOString() : null,
      idleTimeoutMinutes: policy.idleTimeoutMinutes,
    };
  }

  private requireUser(ctx: RequestContext): string {
    if (ctx.actor.kind !== 'user' || !ctx.actor.userId) throw forbidden('auth.user_only', 'Only a signed-in person can use this function (not an API token)');
    return ctx.actor.userId;
  }

  private async self(trx: Tx, ctx: RequestContext): Promise<UserCredentials> {
    const id = this.requireUser(ctx);
    const user = await this.access.credentialsById(trx, systemContext(ctx.requestId, ctx.ip), id);
    if (!user) throw notFound('users', id);
    return user;
  }

  async me(ctx: RequestContext): Promise<Me> {
    return withTx(this.db, ctx, async (trx) => this.buildMe(trx, await this.self(trx, ctx), await this.access.policy(trx)));
  }

  async updateMe(ctx: RequestContext, patch: { displayName?: string; email?: string | null; phone?: string | null }): Promise<Me> {
    return withTx(this.db, ctx, async (trx) => {
      const id = this.requireUser(ctx);
      await this.access.updateOwnProfile(trx, { ...ctx, actor: { ...ctx.actor, scope: { all: true } } }, id, patch);
      return this.buildMe(trx, await this.self(trx, ctx), await this.access.policy(trx));
    });
  }

  async changePassword(ctx: RequestContext, currentPassword: string, newPassword: string): Promise<Me> {
    const sys = systemContext(ctx.requestId, ctx.ip);
    const user = await withTx(this.db, ctx, (trx) => this.self(trx, ctx));
    if (user.authSource !== 'local') throw new AppError('conflict', 'auth.ldap_password', 'Your account signs in through LDAP; change the password there');
    const ok = await verifyPassword(currentPassword, user.passwordHash ?? DUMMY_HASH);
    return settle(
      withTx(this.db, ctx, async (trx): Promise<Outcome<Me>> => {
        const policy = await this.access.policy(trx);
        if (!ok) {
          const r = await this.access.recordSignInFailure(trx, user.id, policy);
          const e = new AppError('validation', 'auth.wrong_current_password', 'The current password is wrong', {
            issues: [{ field: 'body.currentPassword', rule: 'matches_current', message: 'wrong password' }],
            remainingAttempts: r.remaining,
            ...(r.lockedUntil ? { lockedUntil: r.lockedUntil.toISOString() } : {}),
          });
          return this.refuse(trx, ctx, 'auth.change_password', user.id, e, { reason: 'wrong_current_password' });
        }
        await this.access.checkNewPassword(trx, user, newPassword);
        await this.access.storePassword(trx, sys, user.id, newPassword);
        await repo.revokeUserSessions(trx, user.id, ctx.actor.sessionId);
        await recordAudit(trx, ctx, { action: 'auth.change_password', targetType: 'user', targetId: user.id });
        return { ok: await this.buildMe(trx, (await this.access.credentialsById(trx, sys, user.id))!, policy) };
      }),
    );
  }

  async mfaSetup(ctx: RequestContext): Promise<{ secret: string; otpauthUri: string }> {
    return withTx(this.db, ctx, async (trx) => {
      const user = await this.self(trx, ctx);
      if (user.totpEnabled) throw new AppError('conflict', 'auth.mfa_already_enabled', 'The second factor is already set up; remove it first to set up a new one');
      const secret = generateTotpSecret();
      await this.newChallenge(trx, user.id, 'mfa_enrol', secret);
      await recordAudit(trx, ctx, { action: 'auth.mfa_setup', targetType: 'user', targetId: user.id });
      return { secret, otpauthUri: totpUri(secret, user.username) };
    });
  }

  async mfaConfirm(ctx: RequestContext, code: string): Promise<Me> {
    const sys = systemContext(ctx.requestId, ctx.ip);
    return settle(
      withTx(this.db, ctx, async (trx): Promise<Outcome<Me>> => {
        const user = await this.self(trx, ctx);
        if (user.totpEnabled) throw new AppError('conflict', 'auth.mfa_already_enabled', 'The second factor is already set up');
        const pending = await repo.latestChallengeOfUser(trx, user.id, 'mfa_enrol');
        if (!pending?.pendingTotpSecretEnc) throw new AppError('conflict', 'auth.mfa_setup_missing', 'Start the set-up first (POST /api/auth/me/mfa/setup)');
        const step = verifyTotp(this.cipher.decrypt(pending.pendingTotpSecretEnc), code, null);
        if (step === null) {
          const attempts = await repo.countChallengeAttempt(trx, pending.idHash);
          if (attempts >= CHALLENGE_MAX_ATTEMPTS) await repo.deleteChallenge(trx, pending.idHash);
          const e = new AppError('validation', 'auth.mfa_invalid_code', 'Wrong verification code', { issues: [{ field: 'body.code', rule: 'totp', message: 'wrong code' }] });
          return this.refuse(trx, ctx, 'auth.mfa_enable', user.id, e, { reason: 'wrong_code' });
        }
        await this.access.setTotp(trx, sys, user.id, { secretEnc: pending.pendingTotpSecretEnc, enabled: true, lastStep: step });
        await repo.deleteUserChallenges(trx, user.id, 'mfa_enrol');
        await recordAudit(trx, ctx, { action: 'auth.mfa_enable', targetType: 'user', targetId: user.id });
        return { ok: await this.buildMe(trx, (await this.access.credentialsById(trx, sys, user.id))!, await this.access.policy(trx)) };
      }),
    );
  }

  async mfaDisable(ctx: RequestContext, code: string): Promise<Me> {
    const sys = systemContext(ctx.requestId, ctx.ip);
    return settle(
      withTx(this.db, ctx, async (trx): Promise<Outcome<Me>> => {
        const user = await this.self(trx, ctx);
        if (user.roles.some((r) => r.requiresMfa)) throw new AppError('conflict', 'auth.mfa_required_by_role', 'One of your roles requires the second factor; it cannot be removed');
        if (!user.totpEnabled || !user.totpSecretEnc) throw new AppError('conflict', 'auth.mfa_not_enabled', 'No second factor is set up');
        const step = verifyTotp(this.cipher.decrypt(user.totpSecretEnc), code, user.totpLastStep);
        if (step === null) {
          const e = new AppError('validation', 'auth.mfa_invalid_code', 'Wrong or already used verification code', { issues: [{ field: 'body.code', rule: 'totp', message: 'wrong code' }] });
          return this.refuse(trx, ctx, 'auth.mfa_disable', user.id, e, { reason: 'wrong_code' });
        }
        await this.access.setTotp(trx, sys, user.id, { secretEnc: null, enabled: false, lastStep: null });
        await recordAudit(trx, ctx, { action: 'auth.mfa_disable', targetType: 'user', targetId: user.id });
        return { ok: await this.buildMe(trx, (await this.access.credentialsById(trx, sys, user.id))!, await this.access.policy(trx)) };
      }),
    );
  }

  // ---- API tokens ----

  private toToken(r: repo.TokenRow): ApiToken {
    const status = r.revokedAt ? 'revoked' : r.expiresAt && r.expiresAt.getTime() <= Date.now() ? 'expired' : 'active';
    return {
      id: r.id,
      name: r.name,
      org: { id: r.orgId, name: r.orgName },
      tokenPrefix: r.tokenPrefix,
      permissions: r.permissions,
      createdBy: r.createdBy && r.createdByUsername ? { id: r.createdBy, username: r.createdByUsername } : null,
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt ? r.expiresAt.toISOString() : null,
      lastUsedAt: r.lastUsedAt ? r.lastUsedAt.toISOString() : null,
      lastUsedIp: r.lastUsedIp,
      revokedAt: r.revokedAt ? r.revokedAt.toISOString() : null,
      status,
    };
  }

  async listTokens(ctx: RequestContext, q: ApiTokenListQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    return withTx(this.db, ctx, async (trx) => {
      const { rows, total } = await repo.listTokens(trx, ctx, { ...q, page, pageSize });
      return { items: rows.map((r) => this.toToken(r)), total, page, pageSize };
    });
  }

  async createToken(ctx: RequestContext, input: NewApiToken): Promise<{ token: string; apiToken: ApiToken }> {
    return withTx(this.db, ctx, async (trx) => {
      const { actor } = ctx;
      if (actor.kind !== 'system') this.requireUser(ctx);
      const orgId = input.orgId ?? actor.orgId;
      if (!orgId) throw new AppError('validation', 'api_tokens.org_required', 'Name the organisation the token acts for', { issues: [{ field: 'body.orgId', rule: 'required', message: 'required' }] });
      const org = await this.organisations.lookup(trx, ctx, orgId);
      if (!org) throw new AppError('not_found', 'organisations.not_found', 'The organisation does not exist', { field: 'orgId', id: orgId });
      const reserved = input.permissions.filter((p) => RESERVED_PERMISSIONS.includes(p));
      if (reserved.length) throw forbidden('access.permission_reserved', `A token cannot carry ${reserved.join(', ')} (reserved to the three administrators)`, { permissions: reserved });
      if (actor.kind !== 'system' && !isSubset(input.permissions, actor.permissions)) {
        throw forbidden('api_tokens.permission_beyond_own', 'A token may only carry permissions you hold yourself', { permissions: input.permissions.filter((p) => !actor.permissions.has(p)) });
      }
      const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
      if (expiresAt && expiresAt.getTime() <= Date.now()) {
        throw new AppError('validation', 'api_tokens.expiry_in_past', 'The expiry must lie in the future', { issues: [{ field: 'body.expiresAt', rule: 'future', message: 'must be in the future' }] });
      }
      const token = `zy_${randomToken(32)}`;
      const id = await repo.insertToken(trx, {
        orgId: org.id,
        name: input.name,
        tokenPrefix: token.slice(0, 10),
        tokenHash: sm3Hex(token),
        permissions: [...input.permissions].sort(),
        createdBy: actor.userId,
        expiresAt,
      });
      const row = (await repo.findToken(trx, ctx, id))!;
      const apiToken = this.toToken(row);
      await recordAudit(trx, ctx, { action: 'api_tokens.create', targetType: 'api_token', targetId: id, after: { name: apiToken.name, orgId: org.id, permissions: apiToken.permissions, expiresAt: apiToken.expiresAt, tokenPrefix: apiToken.tokenPrefix } });
      return { token, apiToken };
    });
  }

  async revokeToken(ctx: RequestContext, id: string): Promise<void> {
    await withTx(this.db, ctx, async (trx) => {
      const row = await repo.findToken(trx, ctx, id);
      if (!row) throw notFound('api_tokens', id);
      if (ctx.actor.kind !== 'system' && ctx.actor.kind !== 'user') throw forbidden('auth.user_only', 'Only a signed-in person can revoke tokens');
      if (row.revokedAt) return;
      await repo.revokeToken(trx, id);
      await recordAudit(trx, ctx, { action: 'api_tokens.revoke', targetType: 'api_token', targetId: id, before: { name: row.name, tokenPrefix: row.tokenPrefix } });
    });
  }

  /** Removes expired challenges and long-dead sessions (called from a periodic job when one is wired). */
  async purgeExpired(): Promise<void> {
    await withTx(this.db, systemContext('auth-purge'), (trx) => repo.purgeExpired(trx));
  }

  get cookieOptions() {
    return { httpOnly: true, sameSite: 'strict' as const, secure: this.config.cookieSecure, path: '/' };
  }
}

/**
 * The LDAP hook point: verifies an account whose `auth_source` is 'ldap' with the injected verifier. Resolves false
 * for wrong credentials; rejects when no verifier is configured or the directory fails.
 */
export async function authenticateLdapUser(verifier: LdapVerifier | undefined, username: string, password: string): Promise<boolean> {
  if (!verifier) throw new AppError('unavailable', 'auth.ldap_unavailable', 'LDAP sign-in is not configured');
  return verifier(username, password);
}
