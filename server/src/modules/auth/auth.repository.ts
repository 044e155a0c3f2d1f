import { sql, type Selectable } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db/database.js';
import type { ApiTokens, AuthChallenges, Sessions } from '../../platform/db/schema.js';

export type SessionRow = Selectable<Sessions>;
export type ChallengeRow = Selectable<AuthChallenges>;
export type TokenRow = Selectable<ApiTokens> & { orgName: string; orgKind: string; orgPath: string[]; orgStatus: string; createdByUsername: string | null };

// ---- sessions (no tenant data: looked up by the SM3 hash of the secret only) ----

export async function insertSession(trx: Tx, row: { idHash: string; userId: string; expiresAt: Date; ip: string | null; userAgent: string | null }): Promise<void> {
  await trx.insertInto('sessions').values(row).execute();
}

export async function findSession(trx: Tx, idHash: string): Promise<SessionRow | undefined> {
  return trx.selectFrom('sessions').where('idHash', '=', idHash).selectAll().executeTakeFirst();
}

export async function touchSession(trx: Tx, idHash: string): Promise<void> {
  await trx.updateTable('sessions').set({ lastSeenAt: new Date() }).where('idHash', '=', idHash).execute();
}

export async function revokeSession(trx: Tx, idHash: string): Promise<void> {
  await trx.updateTable('sessions').set({ revokedAt: new Date() }).where('idHash', '=', idHash).where('revokedAt', 'is', null).execute();
}

export async function revokeUserSessions(trx: Tx, userId: string, exceptIdHash: string | null): Promise<void> {
  let q = trx.updateTable('sessions').set({ revokedAt: new Date() }).where('userId', '=', userId).where('revokedAt', 'is', null);
  if (exceptIdHash) q = q.where('idHash', '<>', exceptIdHash);
  await q.execute();
}

/** Housekeeping: sessions and challenges long past their end. */
export async function purgeExpired(trx: Tx): Promise<void> {
  await trx.deleteFrom('authChallenges').where('expiresAt', '<', sql<Date>`now()`).execute();
  await trx.deleteFrom('sessions').where('expiresAt', '<', sql<Date>`now() - interval '30 days'`).execute();
}

// ---- sign-in challenges ----

export async function insertChallenge(
  trx: Tx,
  row: { idHash: string; userId: string; kind: string; mfaVerified: boolean; pendingTotpSecretEnc: string | null; expiresAt: Date },
): Promise<void> {
  await trx.insertInto('authChallenges').values(row).execute();
}

export async function findChallenge(trx: Tx, idHash: string): Promise<ChallengeRow | undefined> {
  return trx.selectFrom('authChallenges').where('idHash', '=', idHash).selectAll().forUpdate().executeTakeFirst();
}

export async function latestChallengeOfUser(trx: Tx, userId: string, kind: string): Promise<ChallengeRow | undefined> {
  return trx
    .selectFrom('authChallenges')
    .where('userId', '=', userId)
    .where('kind', '=', kind)
    .where('expiresAt', '>', sql<Date>`now()`)
    .selectAll()
    .orderBy('createdAt', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export async function countChallengeAttempt(trx: Tx, idHash: string): Promise<number> {
  const r = await trx.updateTable('authChallenges').set({ attempts: sql`attempts + 1` }).where('idHash', '=', idHash).returning('attempts').executeTakeFirst();
  return r?.attempts ?? 0;
}

export async function deleteChallenge(trx: Tx, idHash: string): Promise<void> {
  await trx.deleteFrom('authChallenges').where('idHash', '=', idHash).execute();
}

export async function deleteUserChallenges(trx: Tx, userId: string, kind?: string): Promise<void> {
  let q = trx.deleteFrom('authChallenges').where('userId', '=', userId);
  if (kind) q = q.where('kind', '=', kind);
  await q.execute();
}

// ---- API tokens (tenant-owned: scoped by organisation, RLS backstop) ----

function tokensQuery(trx: Tx, ctx: RequestContext) {
  const { scope } = ctx.actor;
  return trx
    .selectFrom('apiTokens as t')
    .innerJoin('organisations as o', 'o.id', 't.orgId')
    .leftJoin('users as u', 'u.id', 't.createdBy')
    .where(scope.all ? sql<boolean>`true` : sql<boolean>`o.path && ${sql.val([...scope.roots])}::uuid[]`)
    .selectAll('t')
    .select(['o.name as orgName', 'o.kind as orgKind', 'o.path as orgPath', 'o.status as orgStatus', 'u.username as createdByUsername']);
}

export async function listTokens(trx: Tx, ctx: RequestContext, f: { orgId?: string; status?: string; page: number; pageSize: number }) {
  let q = tokensQuery(trx, ctx);
  if (f.orgId) q = q.where('t.orgId', '=', f.orgId);
  if (f.status === 'revoked') q = q.where('t.revokedAt', 'is not', null);
  if (f.status === 'expired') q = q.where('t.revokedAt', 'is', null).where('t.expiresAt', '<=', sql<Date>`now()`);
  if (f.status === 'active') q = q.where('t.revokedAt', 'is', null).where((eb) => eb.or([eb('t.expiresAt', 'is', null), eb('t.expiresAt', '>', sql<Date>`now()`)]));
  const total = await q.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.orderBy('t.createdAt', 'desc').orderBy('t.id').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
  return { rows: rows as TokenRow[], total: Number(total.n) };
}

export async function findToken(trx: Tx, ctx: RequestContext, id: string): Promise<TokenRow | undefined> {
  return (await tokensQuery(trx, ctx).where('t.id', '=', id).executeTakeFirst()) as TokenRow | undefined;
}

export async function findTokenByHash(trx: Tx, ctx: RequestContext, hash: string): Promise<TokenRow | undefined> {
  return (await tokensQuery(trx, ctx).where('t.tokenHash', '=', hash).executeTakeFirst()) as TokenRow | undefined;
}

export async function insertToken(
  trx: Tx,
  row: { orgId: string; name: string; tokenPrefix: string; tokenHash: string; permissions: string[]; createdBy: string | null; expiresAt: Date | null },
): Promise<string> {
  const r = await trx.insertInto('apiTokens').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function revokeToken(trx: Tx, id: string): Promise<void> {
  await trx.updateTable('apiTokens').set({ revokedAt: new Date() }).where('id', '=', id).where('revokedAt', 'is', null).execute();
}

export async function touchToken(trx: Tx, id: string, ip: string | null): Promise<void> {
  await trx.updateTable('apiTokens').set({ lastUsedAt: new Date(), lastUsedIp: ip }).where('id', '=', id).execute();
}
