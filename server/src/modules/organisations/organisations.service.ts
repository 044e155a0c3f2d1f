import crypto from 'node:crypto';
import type { OrgKind, RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, forbidden, notFound, validationError, type FieldIssue } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import { sql } from 'kysely';
import * as repo from './organisations.repository.js';
import { issue, readOrganisationsWorkbook, writeOrganisationsWorkbook } from './organisations.xlsx.js';
import { canCreateTopLevel, childKindAllowed, organisationAbilities } from './organisations.policy.js';
import type {
  NewOrganisation,
  Organisation,
  OrganisationDetail,
  OrganisationListQuery,
  OrganisationPatch,
  OrganisationTreeNode,
} from './organisations.schemas.js';

export interface OrgSummary {
  id: string;
  name: string;
  kind: OrgKind;
  path: string[];
  status: 'active' | 'disabled';
}

export function toOrganisation(r: repo.OrgRow): Organisation {
  return {
    id: r.id,
    parentId: r.parentId,
    path: r.path,
    kind: r.kind,
    name: r.name,
    shortName: r.shortName,
    code: r.code,
    description: r.description,
    status: r.status as Organisation['status'],
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function summary(r: repo.OrgRow): OrgSummary {
  return { id: r.id, name: r.name, kind: r.kind as OrgKind, path: r.path, status: r.status as OrgSummary['status'] };
}

/** Maps unique-index violations to the field they concern. */
function mapUniqueViolation(e: unknown): never {
  const pgErr = e as { code?: string; constraint?: string };
  if (pgErr.code === '23505' && pgErr.constraint === 'organisations_code_key') {
    throw new AppError('conflict', 'organisations.code_taken', 'Another organisation already uses this code', { field: 'code' });
  }
  if (pgErr.code === '23505' && pgErr.constraint === 'organisations_sibling_name_key') {
    throw new AppError('conflict', 'organisations.name_taken', 'An organisation with this name already exists at this level', { field: 'name' });
  }
  throw e;
}

/** 组织机构: the organisation tree. Another organisation's record answers 404. */
export class OrganisationService {
  constructor(private readonly db: Db) {}

  async list(ctx: RequestContext, q: OrganisationListQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    return withTx(this.db, ctx, async (trx) => {
      const { rows, total } = await repo.listOrganisations(trx, ctx, { ...q, page, pageSize });
      return { items: rows.map(toOrganisation), total, page, pageSize };
    });
  }

  /** The visible organisations as a tree; roots are the organisations whose parent the actor cannot see. */
  async tree(ctx: RequestContext): Promise<OrganisationTreeNode[]> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await repo.listAllVisible(trx, ctx);
      const nodes = new Map<string, OrganisationTreeNode>();
      for (const r of rows) {
        nodes.set(r.id, { id: r.id, parentId: r.parentId, kind: r.kind, name: r.name, shortName: r.shortName, code: r.code, status: r.status as 'active', children: [] });
      }
      const roots: OrganisationTreeNode[] = [];
      for (const n of nodes.values()) {
        const parent = n.parentId ? nodes.get(n.parentId) : undefined;
        if (parent) parent.children.push(n);
        else roots.push(n);
      }
      return roots;
    });
  }

  /** The visible units as .xlsx (单位编号, 名称, 简称, 类型, 上级单位编号, 说明, 状态), parents before children. */
  async exportXlsx(ctx: RequestContext): Promise<Buffer> {
    const rows = await withTx(this.db, ctx, async (trx) => {
      const all = await repo.listAllVisible(trx, ctx);
      await recordAudit(trx, ctx, { action: 'organisations.export', targetType: 'organisation', details: { count: all.length } });
      return all;
    });
    const codeOf = new Map(rows.map((r) => [r.id, r.code]));
    rows.sort((a, b) => a.path.length - b.path.length || a.name.localeCompare(b.name, 'zh-CN'));
    return writeOrganisationsWorkbook(rows.map((r) => ({ ...toOrganisation(r), parentCode: r.parentId ? codeOf.get(r.parentId) ?? null : null })));
  }

  /**
   * Creates units from an .xlsx: a row's parent is named by its 上级单位编号 (an existing unit or an earlier row). All
   * rows valid, or nothing is saved — unless `validRowsOnly`, which saves the valid rows and reports the others.
   */
  async importXlsx(ctx: RequestContext, input: { file: string; validRowsOnly?: boolean | undefined }): Promise<{ created: Array<{ row: number; id: string; code: string }>; skipped: FieldIssue[] }> {
    const { rows, issues } = await readOrganisationsWorkbook(Buffer.from(input.file, 'base64'));
    if (issues.some((i) => i.field === 'file' || i.field.startsWith('columns.'))) throw validationError('organisations.import_invalid_file', 'The file cannot be imported', issues);
    return withTx(this.db, ctx, async (trx) => {
      const created: Array<{ row: number; id: string; code: string }> = [];
      const skipped: FieldIssue[] = [...issues];
      const fromFile = new Map<string, string>();
      for (const r of rows) {
        let parentId: string | null = null;
        if (r.parentCode) {
          parentId = fromFile.get(r.parentCode) ?? (await repo.findOrganisationByCode(trx, ctx, r.parentCode))?.id ?? null;
          if (!parentId) {
            skipped.push(issue(r.row, '上级单位编号', 'not_found', `No unit with the code ${r.parentCode}`, r.parentCode));
            continue;
          }
        }
        await sql`savepoint org_import_row`.execute(trx);
        try {
          const id = await this.createIn(trx, ctx, { kind: r.kind, name: r.name, shortName: r.shortName, code: r.code, parentId, description: r.description });
          await sql`release savepoint org_import_row`.execute(trx);
          fromFile.set(r.code, id);
          created.push({ row: r.row, id, code: r.code });
        } catch (e) {
          await sql`rollback to savepoint org_import_row`.execute(trx);
          if (!(e instanceof AppError)) throw e;
          const column = e.code.includes('code') ? '单位编号' : e.code.includes('kind') ? '单位类型' : e.code.includes('name') ? '单位名称' : '上级单位编号';
          skipped.push(issue(r.row, column, e.code, e.message));
        }
      }
      if (skipped.length && !input.validRowsOnly) {
        throw validationError('organisations.import_rows_invalid', `${skipped.length} problem(s) in the file; nothing was saved`, skipped);
      }
      await recordAudit(trx, ctx, { action: 'organisations.import', targetType: 'organisation', details: { created: created.length, skipped: skipped.length } });
      return { created, skipped };
    });
  }

  /** 变更记录: what changed, when and by whom, oldest first. Another organisation's history answers 404. */
  async history(ctx: RequestContext, id: string): Promise<OrganisationChange[]> {
    return withTx(this.db, ctx, async (trx) => {
      if (!(await repo.findOrganisation(trx, ctx, id))) throw notFound('organisations', id);
      const rows = await trx.selectFrom('organisationChanges').selectAll().where('orgId', '=', id).orderBy('id').execute();
      return rows.map((r) => ({
        id: String(r.id),
        action: r.action as ChangeAction,
        before: r.before as Record<string, unknown>,
        after: r.after as Record<string, unknown>,
        changedBy: r.changedByName,
        changedAt: r.changedAt.toISOString(),
      }));
    });
  }

  async get(ctx: RequestContext, id: string): Promise<OrganisationDetail> {
    return withTx(this.db, ctx, (trx) => this.detail(trx, ctx, id));
  }

  private async detail(trx: Tx, ctx: RequestContext, id: string): Promise<OrganisationDetail> {
    const row = await repo.findOrganisation(trx, ctx, id);
    if (!row) throw notFound('organisations', id);
    const parent = row.parentId ? await repo.findOrganisation(trx, ctx, row.parentId) : undefined;
    const counts = await repo.countChildren(trx, ctx, id);
    return {
      ...toOrganisation(row),
      parent: parent ? { id: parent.id, name: parent.name } : null,
      childCount: counts.children,
      userCount: counts.users,
      abilities: organisationAbilities(ctx.actor, row),
    };
  }

  async create(ctx: RequestContext, input: NewOrganisation): Promise<OrganisationDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const id = await this.createIn(trx, ctx, input);
      return this.detail(trx, ctx, id);
    });
  }

  /** Creates an organisation inside the caller's transaction (CLI, demo loader, tests). Returns its id. */
  async createIn(trx: Tx, ctx: RequestContext, input: NewOrganisation): Promise<string> {
    const id = crypto.randomUUID();
    let path: string[];
    const parentId = input.parentId ?? null;
    if (parentId) {
      const parent = await repo.findOrganisation(trx, ctx, parentId);
      if (!parent) throw new AppError('not_found', 'organisations.parent_not_found', 'The parent organisation does not exist', { field: 'parentId', id: parentId });
      if (!organisationAbilities(ctx.actor, parent).createChild) {
        throw forbidden('organisations.cannot_create_here', 'You may not create organisations under this one', { parentId });
      }
      if (!childKindAllowed(parent.kind, input.kind)) {
        throw new AppError('validation', 'organisations.kind_mismatch', `A sub-unit must have its parent's kind (${parent.kind})`, {
          issues: [{ field: 'body.kind', rule: 'same_as_parent', message: `must be ${parent.kind}` }],
        });
      }
      path = [...parent.path, id];
    } else {
      if (!canCreateTopLevel(ctx.actor)) {
        throw forbidden('organisations.top_level_forbidden', 'Only administrators of the management unit create top-level organisations');
      }
      path = [id];
    }
    const row = await repo
      .insertOrganisation(trx, ctx, {
        id,
        parentId,
        path,
        kind: input.kind,
        name: input.name,
        shortName: input.shortName ?? null,
        code: input.code ?? null,
        description: input.description ?? null,
      })
      .catch(mapUniqueViolation);
    await recordAudit(trx, ctx, { action: 'organisations.create', targetType: 'organisation', targetId: id, after: toOrganisation(row) });
    await recordChange(trx, ctx, id, 'create', {}, pickTracked(toOrganisation(row)));
    return id;
  }

  async update(ctx: RequestContext, id: string, patch: OrganisationPatch): Promise<OrganisationDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const row = await repo.findOrganisation(trx, ctx, id);
      if (!row) throw notFound('organisations', id);
      const abilities = organisationAbilities(ctx.actor, row);
      const { status, ...fields } = patch;
      if (Object.keys(fields).length > 0 && !abilities.update) {
        throw forbidden('organisations.cannot_update', 'You may not change this organisation (administration reaches only below your own organisation)');
      }
      if (status !== undefined && status !== row.status) {
        if (status === 'disabled' && !abilities.disable) throw forbidden('organisations.cannot_disable', 'You may not disable this organisation');
        if (status === 'active' && !abilities.enable) throw forbidden('organisations.cannot_enable', 'You may not enable this organisation');
      }
      const updated = await repo.updateOrganisation(trx, ctx, id, patch).catch(mapUniqueViolation);
      const action = status === 'disabled' && row.status !== 'disabled' ? 'organisations.disable' : status === 'active' && row.status !== 'active' ? 'organisations.enable' : 'organisations.update';
      await recordAudit(trx, ctx, { action, targetType: 'organisation', targetId: id, before: toOrganisation(row), after: toOrganisation(updated) });
      const [before, after] = changedFields(pickTracked(toOrganisation(row)), pickTracked(toOrganisation(updated)));
      if (Object.keys(after).length > 0) await recordChange(trx, ctx, id, action.replace('organisations.', '') as ChangeAction, before, after);
      return this.detail(trx, ctx, id);
    });
  }

  /** An organisation the actor can see, inside the caller's transaction; undefined when it cannot. */
  async lookup(trx: Tx, ctx: RequestContext, id: string): Promise<OrgSummary | undefined> {
    const r = await repo.findOrganisation(trx, ctx, id);
    return r ? summary(r) : undefined;
  }

  async lookupByCode(trx: Tx, ctx: RequestContext, code: string): Promise<OrgSummary | undefined> {
    const r = await repo.findOrganisationByCode(trx, ctx, code);
    return r ? summary(r) : undefined;
  }

  /** True when the organisation or any organisation above it is disabled (its people cannot sign in). */
  async lineDisabled(trx: Tx, path: readonly string[]): Promise<boolean> {
    return repo.lineDisabled(trx, path);
  }

  /** The oldest top-level organisation of a kind the actor can see (CLI default). */
  async firstOfKind(trx: Tx, ctx: RequestContext, kind: OrgKind): Promise<OrgSummary | undefined> {
    const r = await repo.firstTopLevelOfKind(trx, ctx, kind);
    return r ? summary(r) : undefined;
  }

  async count(trx: Tx): Promise<number> {
    return repo.countAll(trx);
  }
}

type ChangeAction = 'create' | 'update' | 'disable' | 'enable';

export interface OrganisationChange {
  id: string;
  action: ChangeAction;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  changedBy: string | null;
  changedAt: string;
}

const TRACKED = ['name', 'shortName', 'code', 'kind', 'description', 'status'] as const;

function pickTracked(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(TRACKED.map((k) => [k, o[k] ?? null]));
}

/** The fields whose values differ, as [before, after]. */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const k of Object.keys(after)) {
    if (before[k] !== after[k]) {
      b[k] = before[k];
      a[k] = after[k];
    }
  }
  return [b, a];
}

async function recordChange(trx: Tx, ctx: RequestContext, orgId: string, action: ChangeAction, before: Record<string, unknown>, after: Record<string, unknown>): Promise<void> {
  await trx
    .insertInto('organisationChanges')
    .values({ orgId, action, before: JSON.stringify(before), after: JSON.stringify(after), changedBy: ctx.actor.userId, changedByName: ctx.actor.username })
    .execute();
}
