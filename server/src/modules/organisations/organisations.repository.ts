import { sql, type Selectable } from 'kysely';
import type { RequestContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db/database.js';
import type { Organisations } from '../../platform/db/schema.js';

export type OrgRow = Selectable<Organisations>;

/**
 * Every query filters by the actor's scope explicitly; row-level security (zy_org_visible) is the backstop.
 */
function scoped(ctx: RequestContext) {
  const { scope } = ctx.actor;
  return scope.all ? sql<boolean>`true` : sql<boolean>`path && ${sql.val([...scope.roots])}::uuid[]`;
}

/** Escapes LIKE wildcards so a search for `50%_x` means exactly that. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface OrgFilter {
  kind?: string;
  q?: string;
  parentId?: string;
  status?: string;
  page: number;
  pageSize: number;
}

export async function listOrganisations(trx: Tx, ctx: RequestContext, f: OrgFilter): Promise<{ rows: OrgRow[]; total: number }> {
  let query = trx.selectFrom('organisations').where(scoped(ctx));
  if (f.kind) query = query.where('kind', '=', f.kind);
  if (f.status) query = query.where('status', '=', f.status);
  if (f.parentId) query = query.where('parentId', '=', f.parentId);
  if (f.q) {
    const p = likePattern(f.q);
    query = query.where((eb) => eb.or([eb('name', 'ilike', p), eb('shortName', 'ilike', p), eb('code', 'ilike', p)]));
  }
  const total = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy(sql`array_length(path, 1)`)
    .orderBy('name')
    .orderBy('id')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { rows, total: Number(total.n) };
}

export async function listAllVisible(trx: Tx, ctx: RequestContext): Promise<OrgRow[]> {
  return trx.selectFrom('organisations').where(scoped(ctx)).selectAll().orderBy('name').execute();
}

export async function findOrganisation(trx: Tx, ctx: RequestContext, id: string): Promise<OrgRow | undefined> {
  return trx.selectFrom('organisations').where('id', '=', id).where(scoped(ctx)).selectAll().executeTakeFirst();
}

export async function findOrganisationByCode(trx: Tx, ctx: RequestContext, code: string): Promise<OrgRow | undefined> {
  return trx.selectFrom('organisations').where('code', '=', code).where(scoped(ctx)).selectAll().executeTakeFirst();
}

export async function countChildren(trx: Tx, ctx: RequestContext, id: string): Promise<{ children: number; users: number }> {
  const c = await trx.selectFrom('organisations').where('parentId', '=', id).where(scoped(ctx)).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const u = await trx.selectFrom('users').where('orgId', '=', id).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return { children: Number(c.n), users: Number(u.n) };
}

export async function countAll(trx: Tx): Promise<number> {
  const r = await trx.selectFrom('organisations').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertOrganisation(
  trx: Tx,
  _ctx: RequestContext,
  row: { id: string; parentId: string | null; path: string[]; kind: string; name: string; shortName: string | null; code: string | null; description: string | null },
): Promise<OrgRow> {
  return trx.insertInto('organisations').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateOrganisation(
  trx: Tx,
  ctx: RequestContext,
  id: string,
  patch: Partial<Pick<OrgRow, 'name' | 'shortName' | 'code' | 'description' | 'status'>>,
): Promise<OrgRow> {
  return trx
    .updateTable('organisations')
    .set({ ...patch, updatedAt: new Date() })
    .where('id', '=', id)
    .where(scoped(ctx))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Is any organisation on this path (self or an ancestor) disabled? Read without scope: used at sign-in. */
export async function lineDisabled(trx: Tx, path: readonly string[]): Promise<boolean> {
  const r = await trx
    .selectFrom('organisations')
    .where('id', '=', sql<string>`any(${sql.val([...path])}::uuid[])`)
    .where('status', '=', 'disabled')
    .select('id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function firstTopLevelOfKind(trx: Tx, ctx: RequestContext, kind: string): Promise<OrgRow | undefined> {
  return trx.selectFrom('organisations').where('kind', '=', kind).where('parentId', 'is', null).where(scoped(ctx)).selectAll().orderBy('createdAt').limit(1).executeTakeFirst();
}
