import { sql, type Selectable } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import type { Db, Tx } from '../../platform/db/database.js';
import type { IngestCredentials } from '../../platform/db/schema.js';

export type CredentialRow = Selectable<IngestCredentials> & {
  providerName: string;
  providerKind: string;
  providerPath: string[];
  providerStatus: string;
  createdByUsername: string | null;
};

// ---- ingest_credentials (tenant-owned: scoped by provider organisation, RLS backstop) ----

function credentialsQuery(trx: Tx, ctx: RequestContext) {
  const { scope } = ctx.actor;
  return trx
    .selectFrom('ingestCredentials as c')
    .innerJoin('organisations as o', 'o.id', 'c.providerOrgId')
    .leftJoin('users as u', 'u.id', 'c.createdBy')
    .where(scope.all ? sql<boolean>`true` : sql<boolean>`o.path && ${sql.val([...scope.roots])}::uuid[]`)
    .selectAll('c')
    .select(['o.name as providerName', 'o.kind as providerKind', 'o.path as providerPath', 'o.status as providerStatus', 'u.username as createdByUsername']);
}

export async function listCredentials(trx: Tx, ctx: RequestContext, f: { providerOrgId?: string; status?: string; page: number; pageSize: number }) {
  let q = credentialsQuery(trx, ctx);
  if (f.providerOrgId) q = q.where('c.providerOrgId', '=', f.providerOrgId);
  if (f.status === 'revoked') q = q.where('c.revokedAt', 'is not', null);
  if (f.status === 'expired') q = q.where('c.revokedAt', 'is', null).where('c.expiresAt', '<=', sql<Date>`now()`);
  if (f.status === 'active') q = q.where('c.revokedAt', 'is', null).where((eb) => eb.or([eb('c.expiresAt', 'is', null), eb('c.expiresAt', '>', sql<Date>`now()`)]));
  const total = await q.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.orderBy('c.createdAt', 'desc').orderBy('c.id').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
  return { rows: rows as CredentialRow[], total: Number(total.n) };
}

export async function findCredential(trx: Tx, ctx: RequestContext, id: string): Promise<CredentialRow | undefined> {
  return (await credentialsQuery(trx, ctx).where('c.id', '=', id).executeTakeFirst()) as CredentialRow | undefined;
}

export async function findCredentialByHash(trx: Tx, ctx: RequestContext, hash: string): Promise<CredentialRow | undefined> {
  return (await credentialsQuery(trx, ctx).where('c.tokenHash', '=', hash).executeTakeFirst()) as CredentialRow | undefined;
}

export async function insertCredential(
  trx: Tx,
  row: { providerOrgId: string; name: string; tokenPrefix: string; tokenHash: string; signingSecretEnc: string; nodeIds: string[] | null; createdBy: string | null; expiresAt: Date | null },
): Promise<string> {
  const r = await trx.insertInto('ingestCredentials').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function revokeCredential(trx: Tx, id: string, by: string | null): Promise<void> {
  await trx.updateTable('ingestCredentials').set({ revokedAt: new Date(), revokedBy: by }).where('id', '=', id).where('revokedAt', 'is', null).execute();
}

export async function touchCredential(trx: Tx, id: string, ip: string | null): Promise<void> {
  await trx.updateTable('ingestCredentials').set({ lastUsedAt: new Date(), lastUsedIp: ip }).where('id', '=', id).execute();
}

// ---- cloud nodes (the directory's public table, read only) ----

export interface NodeFacts {
  id: string;
  code: string;
  name: string;
  providerOrgId: string | null;
  status: string;
}

export async function nodesByIds(trx: Tx | Db, ids: readonly string[]): Promise<NodeFacts[]> {
  if (ids.length === 0) return [];
  return trx
    .selectFrom('cloudNodes')
    .where('id', '=', sql<string>`any(${sql.val([...ids])}::uuid[])`)
    .select(['id', 'code', 'name', 'providerOrgId', 'status'])
    .execute();
}

export async function nodeByCode(db: Tx | Db, code: string): Promise<NodeFacts | undefined> {
  return db.selectFrom('cloudNodes').where('code', '=', code).select(['id', 'code', 'name', 'providerOrgId', 'status']).executeTakeFirst();
}

// ---- nonces (no tenant data, no RLS: one autocommit insert per signed request) ----

/**
 * Records a nonce of a credential until `expiresAt`; false when the credential already used it (a replay). A row left
 * behind after its expiry (purge not run yet) is taken over, since its request could no longer be accepted anyway.
 */
export async function useNonce(db: Db, credentialId: string, nonce: string, expiresAt: Date): Promise<boolean> {
  const r = await db
    .insertInto('ingestNonces')
    .values({ credentialId, nonce, expiresAt })
    .onConflict((oc) => oc.columns(['credentialId', 'nonce']).doUpdateSet({ expiresAt }).where('ingestNonces.expiresAt', '<', sql<Date>`now()`))
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function purgeNonces(db: Db): Promise<number> {
  const r = await db.deleteFrom('ingestNonces').where('expiresAt', '<', sql<Date>`now()`).executeTakeFirst();
  return Number(r.numDeletedRows);
}
