import { sql, type Selectable } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db/database.js';
import type { SecurityPolicy as PolicyTable, Users } from '../../platform/db/schema.js';
import { likePattern } from '../organisations/index.js';

export type UserRow = Selectable<Users> & { orgName: string; orgKind: string; orgPath: string[]; orgStatus: string };
export type PolicyRow = Selectable<PolicyTable>;

export interface RoleRow {
  id: string;
  code: string | null;
  orgId: string | null;
  name: string;
  nameEn: string | null;
  description: string | null;
  builtin: boolean;
  adminKind: string | null;
  orgKinds: string[];
  requiresMfa: boolean;
  createdAt: Date;
  updatedAt: Date;
  orgName: string | null;
  orgPath: string[] | null;
  permissions: string[];
  userCount: string;
}

/** Explicit scope filter on the organisation column; RLS on organisations/users is the backstop. */
function orgInScope(ctx: RequestContext, column: string) {
  const { scope } = ctx.actor;
  if (scope.all) return sql<boolean>`true`;
  return sql<boolean>`${sql.ref(column)} in (select id from organisations where path && ${sql.val([...scope.roots])}::uuid[])`;
}

function usersQuery(trx: Tx, ctx: RequestContext) {
  return trx
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.id', 'u.orgId')
    .where(orgInScope(ctx, 'u.org_id'))
    .selectAll('u')
    .select(['o.name as orgName', 'o.kind as orgKind', 'o.path as orgPath', 'o.status as orgStatus']);
}

export interface UserFilter {
  orgId?: string;
  q?: string;
  status?: 'active' | 'disabled' | 'locked';
  page: number;
  pageSize: number;
}

export async function listUsers(trx: Tx, ctx: RequestContext, f: UserFilter): Promise<{ rows: UserRow[]; total: number }> {
  let q = usersQuery(trx, ctx);
  if (f.orgId) q = q.where('u.orgId', '=', f.orgId);
  if (f.status === 'locked') q = q.where('u.lockedUntil', '>', sql<Date>`now()`);
  else if (f.status) q = q.where('u.status', '=', f.status);
  if (f.q) {
    const p = likePattern(f.q);
    q = q.where((eb) => eb.or([eb('u.username', 'ilike', p), eb('u.displayName', 'ilike', p)]));
  }
  const total = await q.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.orderBy('u.username').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
  return { rows, total: Number(total.n) };
}

export async function findUser(trx: Tx, ctx: RequestContext, id: string): Promise<UserRow | undefined> {
  return usersQuery(trx, ctx).where('u.id', '=', id).executeTakeFirst();
}

export async function findUserByUsername(trx: Tx, ctx: RequestContext, username: string): Promise<UserRow | undefined> {
  return usersQuery(trx, ctx).where(sql`lower(u.username)`, '=', username.toLowerCase()).executeTakeFirst();
}

export async function usernameExists(trx: Tx, username: string): Promise<boolean> {
  // Usernames are unique platform-wide; this check runs under the caller's scope, so the unique index is the final word.
  const r = await trx.selectFrom('users').where(sql`lower(username)`, '=', username.toLowerCase()).select('id').executeTakeFirst();
  return r !== undefined;
}

export async function insertUser(
  trx: Tx,
  row: {
    orgId: string;
    username: string;
    displayName: string;
    emailEnc: string | null;
    phoneEnc: string | null;
    authSource: string;
    passwordHash: string | null;
    mustChangePassword: boolean;
    mustChangeReason: string | null;
    passwordChangedAt: Date | null;
    createdBy: string | null;
  },
): Promise<string> {
  const r = await trx.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export type UserUpdate = Partial<
  Pick<
    Selectable<Users>,
    | 'displayName'
    | 'emailEnc'
    | 'phoneEnc'
    | 'authSource'
    | 'passwordHash'
    | 'passwordChangedAt'
    | 'mustChangePassword'
    | 'mustChangeReason'
    | 'totpSecretEnc'
    | 'totpEnabled'
    | 'totpLastStep'
    | 'failedAttempts'
    | 'lockedUntil'
    | 'status'
    | 'lastLoginAt'
    | 'lastLoginIp'
  >
>;

export async function updateUser(trx: Tx, ctx: RequestContext, id: string, patch: UserUpdate): Promise<void> {
  await trx
    .updateTable('users')
    .set({ ...patch, updatedAt: new Date() })
    .where('id', '=', id)
    .where(orgInScope(ctx, 'org_id'))
    .execute();
}

/** Counts a failed sign-in atomically and locks the account once the threshold is reached. */
export async function countFailure(trx: Tx, id: string, threshold: number, lockMinutes: number) {
  return trx
    .updateTable('users')
    .set({
      failedAttempts: sql`case when failed_attempts + 1 >= ${threshold} then 0 else failed_attempts + 1 end`,
      lockedUntil: sql`case when failed_attempts + 1 >= ${threshold} then now() + make_interval(mins => ${lockMinutes}) else locked_until end`,
    })
    .where('id', '=', id)
    .returning(['failedAttempts', 'lockedUntil'])
    .executeTakeFirstOrThrow();
}

export interface UserRoleRow {
  userId: string;
  id: string;
  code: string | null;
  name: string;
  adminKind: string | null;
  requiresMfa: boolean;
  permissions: string[];
}

export async function rolesOfUsers(trx: Tx, userIds: readonly string[]): Promise<Map<string, UserRoleRow[]>> {
  const map = new Map<string, UserRoleRow[]>();
  if (userIds.length === 0) return map;
  const rows = await trx
    .selectFrom('userRoles as ur')
    .innerJoin('roles as r', 'r.id', 'ur.roleId')
    .where('ur.userId', 'in', [...userIds])
    .select(['ur.userId', 'r.id', 'r.code', 'r.name', 'r.adminKind', 'r.requiresMfa'])
    .select(sql<string[]>`coalesce((select array_agg(rp.permission order by rp.permission) from role_permissions rp where rp.role_id = r.id), '{}')`.as('permissions'))
    .orderBy('r.name')
    .execute();
  for (const r of rows) {
    const list = map.get(r.userId) ?? [];
    list.push(r);
    map.set(r.userId, list);
  }
  return map;
}

export async function setUserRoles(trx: Tx, userId: string, roleIds: readonly string[], grantedBy: string | null): Promise<void> {
  await trx.deleteFrom('userRoles').where('userId', '=', userId).execute();
  if (roleIds.length) await trx.insertInto('userRoles').values(roleIds.map((roleId) => ({ userId, roleId, grantedBy }))).execute();
}

export async function passwordHistory(trx: Tx, userId: string, limit: number): Promise<string[]> {
  if (limit <= 0) return [];
  const rows = await trx.selectFrom('passwordHistory').where('userId', '=', userId).select('passwordHash').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => r.passwordHash);
}

export async function addPasswordHistory(trx: Tx, userId: string, hash: string, keep: number): Promise<void> {
  await trx.insertInto('passwordHistory').values({ userId, passwordHash: hash }).execute();
  // Keep what the policy can ask for (24 at most), no more.
  await trx
    .deleteFrom('passwordHistory')
    .where('userId', '=', userId)
    .where('id', 'not in', (eb) => eb.selectFrom('passwordHistory').where('userId', '=', userId).select('id').orderBy('id', 'desc').limit(Math.max(keep, 1)))
    .execute();
}

function rolesQuery(trx: Tx, ctx: RequestContext) {
  const { scope } = ctx.actor;
  const visible = scope.all
    ? sql<boolean>`(r.org_id is null or o.id is not null)`
    : sql<boolean>`(r.org_id is null or (o.id is not null and o.path && ${sql.val([...scope.roots])}::uuid[]))`;
  return trx
    .selectFrom('roles as r')
    .leftJoin('organisations as o', 'o.id', 'r.orgId')
    .where(visible)
    .select([
      'r.id',
      'r.code',
      'r.orgId',
      'r.name',
      'r.nameEn',
      'r.description',
      'r.builtin',
      'r.adminKind',
      'r.orgKinds',
      'r.requiresMfa',
      'r.createdAt',
      'r.updatedAt',
      'o.name as orgName',
      'o.path as orgPath',
    ])
    .select(sql<string[]>`coalesce((select array_agg(rp.permission order by rp.permission) from role_permissions rp where rp.role_id = r.id), '{}')`.as('permissions'))
    .select(sql<string>`(select count(*) from user_roles ur where ur.role_id = r.id)`.as('userCount'));
}

export async function listRoles(trx: Tx, ctx: RequestContext, f: { q?: string; orgId?: string; usableIn?: string; page: number; pageSize: number }) {
  let q = rolesQuery(trx, ctx);
  if (f.orgId) q = q.where('r.orgId', '=', f.orgId);
  if (f.usableIn) {
    const target = f.usableIn;
    q = q.where(
      sql<boolean>`exists (select 1 from organisations t where t.id = ${target} and (
        (r.org_id is null and (cardinality(r.org_kinds) = 0 or t.kind = any(r.org_kinds)))
        or r.org_id = any(t.path)))`,
    );
  }
  if (f.q) {
    const p = likePattern(f.q);
    q = q.where((eb) => eb.or([eb('r.name', 'ilike', p), eb('r.nameEn', 'ilike', p), eb('r.code', 'ilike', p)]));
  }
  const total = await q.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = (await q.orderBy('r.builtin', 'desc').orderBy('r.createdAt').orderBy('r.id').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute()) as RoleRow[];
  return { rows, total: Number(total.n) };
}

export async function findRole(trx: Tx, ctx: RequestContext, id: string): Promise<RoleRow | undefined> {
  return (await rolesQuery(trx, ctx).where('r.id', '=', id).executeTakeFirst()) as RoleRow | undefined;
}

export async function findRoles(trx: Tx, ctx: RequestContext, ids: readonly string[]): Promise<RoleRow[]> {
  if (!ids.length) return [];
  return (await rolesQuery(trx, ctx).where('r.id', 'in', [...ids]).execute()) as RoleRow[];
}

export async function findRoleByCode(trx: Tx, ctx: RequestContext, code: string): Promise<RoleRow | undefined> {
  return (await rolesQuery(trx, ctx).where('r.code', '=', code).executeTakeFirst()) as RoleRow | undefined;
}

export async function insertRole(
  trx: Tx,
  row: { orgId: string; name: string; nameEn: string | null; description: string | null; requiresMfa: boolean; createdBy: string | null },
  permissions: readonly string[],
): Promise<string> {
  const r = await trx.insertInto('roles').values({ ...row, builtin: false }).returning('id').executeTakeFirstOrThrow();
  await setRolePermissions(trx, r.id, permissions);
  return r.id;
}

export async function updateRole(
  trx: Tx,
  id: string,
  patch: Partial<{ name: string; nameEn: string | null; description: string | null; requiresMfa: boolean }>,
): Promise<void> {
  await trx.updateTable('roles').set({ ...patch, updatedAt: new Date() }).where('id', '=', id).where('builtin', '=', false).execute();
}

export async function setRolePermissions(trx: Tx, roleId: string, permissions: readonly string[]): Promise<void> {
  await trx.deleteFrom('rolePermissions').where('roleId', '=', roleId).execute();
  if (permissions.length) await trx.insertInto('rolePermissions').values(permissions.map((permission) => ({ roleId, permission }))).execute();
}

export async function deleteRole(trx: Tx, id: string): Promise<void> {
  await trx.deleteFrom('roles').where('id', '=', id).where('builtin', '=', false).execute();
}

export async function getPolicy(trx: Tx): Promise<PolicyRow & { updatedByUsername: string | null }> {
  return trx
    .selectFrom('securityPolicy as p')
    .leftJoin('users as u', 'u.id', 'p.updatedBy')
    .selectAll('p')
    .select('u.username as updatedByUsername')
    .where('p.id', '=', 1)
    .executeTakeFirstOrThrow();
}

export async function updatePolicy(trx: Tx, values: Omit<PolicyRow, 'id' | 'updatedAt' | 'updatedBy'>, updatedBy: string | null): Promise<void> {
  await trx.updateTable('securityPolicy').set({ ...values, updatedAt: new Date(), updatedBy }).where('id', '=', 1).execute();
}
