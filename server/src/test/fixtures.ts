/**
 * Test fixtures other modules reuse: organisations, users with roles, signing in through the real API (forced
 * password change and TOTP handled), API tokens. Everything is created with unique names, so test files run in
 * parallel on one database.
 */
import { systemContext, type OrgKind } from '../platform/context.js';
import { withTx } from '../platform/db/database.js';
import { currentStep, generateTotpSecret, totpCode } from '../platform/crypto/index.js';
import type { TestApp } from './harness.js';
import { unique } from './harness.js';

export interface TestOrg {
  id: string;
  name: string;
  kind: OrgKind;
}

/** Creates an organisation (top level, or under `parentId`) directly through the service, as the platform. */
export async function createOrg(t: TestApp, opts: { kind?: OrgKind; parentId?: string; name?: string; code?: string } = {}): Promise<TestOrg> {
  const ctx = systemContext('fixture');
  const kind = opts.kind ?? 'user_unit';
  const name = opts.name ?? unique(`${kind}-`);
  const id = await withTx(t.deps.db, ctx, (trx) =>
    t.container.organisations.createIn(trx, ctx, { kind, name, parentId: opts.parentId ?? null, code: opts.code ?? null, shortName: null, description: null }),
  );
  return { id, name, kind };
}

/** A top-level organisation with one sub-unit (下级单位) of the same kind. */
export async function createOrgTree(t: TestApp, kind: OrgKind = 'user_unit'): Promise<{ root: TestOrg; child: TestOrg }> {
  const root = await createOrg(t, { kind });
  const child = await createOrg(t, { kind, parentId: root.id });
  return { root, child };
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  orgId: string;
  /** The TOTP secret when the second factor is set up (by the fixture or during sign-in enrolment). */
  totpSecret: string | null;
}

export const TEST_PASSWORD = 'Test-Passw0rd!x';

/**
 * Creates a user with the given built-in role codes. By default the password is already chosen (no forced change)
 * and, when a role requires TOTP, the second factor is already set up; pass `mustChangePassword` / `mfa: false` to
 * exercise those steps of the sign-in.
 */
export async function createUser(
  t: TestApp,
  opts: { orgId: string; roles?: string[]; username?: string; password?: string; mustChangePassword?: boolean; mfa?: boolean; email?: string; phone?: string },
): Promise<TestUser> {
  const ctx = systemContext('fixture');
  const username = opts.username ?? unique('u');
  const password = opts.password ?? TEST_PASSWORD;
  const { access } = t.container;
  return withTx(t.deps.db, ctx, async (trx) => {
    const id = await access.createUserIn(trx, ctx, {
      orgId: opts.orgId,
      username,
      displayName: `Test ${username}`,
      email: opts.email ?? null,
      phone: opts.phone ?? null,
      password,
      mustChangePassword: opts.mustChangePassword ?? false,
      roleCodes: opts.roles ?? [],
    });
    const creds = (await access.credentialsById(trx, ctx, id))!;
    const needsMfa = opts.mfa ?? creds.roles.some((r) => r.requiresMfa);
    let totpSecret: string | null = null;
    if (needsMfa) {
      totpSecret = generateTotpSecret();
      await access.setTotp(trx, ctx, id, { secretEnc: t.deps.cipher.encrypt(totpSecret), enabled: true, lastStep: null });
    }
    return { id, username, password, orgId: opts.orgId, totpSecret };
  });
}

const lastStepUsed = new Map<string, number>();

/** A TOTP code the server has not seen yet (codes are accepted once): waits for the next step when needed. */
export async function nextTotpCode(secret: string): Promise<string> {
  for (;;) {
    const now = currentStep();
    const last = lastStepUsed.get(secret) ?? -Infinity;
    // The current step first: a code for the previous one may fall out of the server's window at a step boundary.
    const step = [now, now + 1].find((s) => s > last);
    if (step !== undefined) {
      lastStepUsed.set(secret, step);
      return totpCode(secret, step);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export const CSRF = { 'x-requested-with': 'zhengyun' } as const;

export interface Session {
  cookie: string;
  /** Cookie and CSRF header, for `app.inject({ headers })`. */
  headers: Record<string, string>;
  me: Record<string, unknown>;
}

/**
 * Signs in through the API and returns the session cookie. Handles a forced password change (choosing a new
 * password, stored back on `user`) and TOTP (computing codes; enrolling when asked, storing the secret on `user`).
 */
export async function signIn(t: TestApp, user: Pick<TestUser, 'username' | 'password' | 'totpSecret'>): Promise<Session> {
  let res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: CSRF, payload: { username: user.username, password: user.password } });
  for (let i = 0; i < 5; i++) {
    if (res.statusCode !== 200) throw new Error(`sign-in of ${user.username} failed: ${res.statusCode} ${res.body}`);
    const body = res.json() as { status: string; challenge?: string; secret?: string; me?: Record<string, unknown> };
    if (body.status === 'signed_in') {
      const raw = res.cookies.find((c) => c.name === 'zy_session');
      if (!raw) throw new Error('no session cookie');
      const cookie = `zy_session=${raw.value}`;
      return { cookie, headers: { cookie, ...CSRF }, me: body.me! };
    }
    if (body.status === 'password_change_required') {
      const newPassword = `${unique('Nw-')}Aa1!`;
      res = await t.app.inject({ method: 'POST', url: '/api/auth/login/password', headers: CSRF, payload: { challenge: body.challenge, newPassword } });
      if (res.statusCode === 200) user.password = newPassword;
      continue;
    }
    if (body.status === 'mfa_enrolment_required') user.totpSecret = body.secret!;
    if (body.status === 'mfa_required' || body.status === 'mfa_enrolment_required') {
      if (!user.totpSecret) throw new Error(`${user.username} needs TOTP but the fixture has no secret`);
      res = await t.app.inject({ method: 'POST', url: '/api/auth/login/mfa', headers: CSRF, payload: { challenge: body.challenge, code: await nextTotpCode(user.totpSecret) } });
      continue;
    }
    throw new Error(`unexpected sign-in step ${body.status}`);
  }
  throw new Error('sign-in did not finish');
}

/** Creates a user with roles in `orgId` and signs them in. */
export async function signedInUser(t: TestApp, opts: Parameters<typeof createUser>[1]): Promise<{ user: TestUser; session: Session }> {
  const user = await createUser(t, opts);
  return { user, session: await signIn(t, user) };
}

/** Creates an API token through the API as the signed-in `session`. */
export async function createApiToken(
  t: TestApp,
  session: Session,
  body: { name?: string; permissions: string[]; orgId?: string; expiresAt?: string },
): Promise<{ id: string; token: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/api-tokens', headers: session.headers, payload: { name: body.name ?? unique('tok-'), ...body } });
  if (res.statusCode !== 201) throw new Error(`token creation failed: ${res.statusCode} ${res.body}`);
  const b = res.json() as { token: string; apiToken: { id: string } };
  return { id: b.apiToken.id, token: b.token };
}

/** Audit records (newest first) matching an action, read as the database owner. */
export async function auditRecords(t: TestApp, where: { action?: string; targetId?: string; actorUsername?: string; requestId?: string }): Promise<Array<Record<string, unknown>>> {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: t.ownerUrl });
  await c.connect();
  try {
    const conds: string[] = [];
    const vals: unknown[] = [];
    for (const [k, col] of [['action', 'action'], ['targetId', 'target_id'], ['actorUsername', 'actor_username'], ['requestId', 'request_id']] as const) {
      const v = where[k];
      if (v !== undefined) {
        vals.push(v);
        conds.push(`${col} = $${vals.length}`);
      }
    }
    const r = await c.query(`select * from audit_log ${conds.length ? `where ${conds.join(' and ')}` : ''} order by seq desc limit 50`, vals);
    return r.rows as Array<Record<string, unknown>>;
  } finally {
    await c.end();
  }
}
