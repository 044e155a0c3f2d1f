/**
 * 码表 (code tables): the values the code fields of the interface tables (an4 codes such as runStatus, networkType,
 * cloudProvider) are checked against. The seed prints none, so they are data the management unit maintains here; every
 * signed-in reader of the data interface or the inventory may read them. `cloudProvider` codes name a provider
 * organisation (one code per provider, exactly 4 characters). `machineRoom` is checked against the directory's machine
 * rooms and is not kept here.
 */
import { sql } from 'kysely';
import { hasPermission, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import type { OrganisationService } from '../organisations/index.js';
import { INTERFACE_TABLES } from './interface-tables.js';
import type { CodeTable, CodeValue, CodeValueBody } from './credentials.schemas.js';

/** Code tables kept elsewhere (the directory), so not editable here. */
const DERIVED_TABLES = new Set(['machineRoom']);

interface CodeTableInfo {
  name: string;
  usedBy: CodeTable['usedBy'];
  codeLength: { min: number; max: number };
}

/** The code tables the interface tables refer to, with the fields that use them and the code length they allow. */
export function codeTableCatalog(): Map<string, CodeTableInfo> {
  const out = new Map<string, CodeTableInfo>();
  for (const t of INTERFACE_TABLES) {
    for (const f of t.fields) {
      if (!f.codeTable || DERIVED_TABLES.has(f.codeTable)) continue;
      const info = out.get(f.codeTable) ?? { name: f.codeTable, usedBy: [], codeLength: { min: 1, max: 4 } };
      info.usedBy.push({ table: t.name, tableCn: t.cn, field: f.name, fieldCn: f.cn });
      // A code must fit every field that uses the table.
      if (f.rule.kind === 'text') info.codeLength = { min: Math.max(info.codeLength.min, f.rule.min), max: Math.min(info.codeLength.max, f.rule.max) };
      out.set(f.codeTable, info);
    }
  }
  const provider = out.get('cloudProvider');
  if (provider) provider.codeLength = { min: 4, max: 4 };
  return out;
}

export class CodeTableService {
  private readonly catalog = codeTableCatalog();
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly db: Db,
    private readonly organisations: Pick<OrganisationService, 'lookup'>,
  ) {}

  /** Called after every change (e.g. so a validator drops its cached code values). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async list(ctx: RequestContext): Promise<{ tables: CodeTable[]; abilities: { edit: boolean } }> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await trx
        .selectFrom('ingestCodeValues as v')
        .leftJoin('organisations as o', 'o.id', 'v.orgId')
        .selectAll('v')
        .select('o.name as orgName')
        .orderBy('v.codeTable')
        .orderBy('v.sortOrder')
        .orderBy('v.code')
        .execute();
      const tables = new Map<string, CodeTable>();
      for (const info of this.catalog.values()) tables.set(info.name, { ...info, values: [] });
      for (const r of rows) {
        let t = tables.get(r.codeTable);
        if (!t) {
          t = { name: r.codeTable, usedBy: [], codeLength: { min: 1, max: 4 }, values: [] };
          tables.set(r.codeTable, t);
        }
        t.values.push(toValue(r));
      }
      return { tables: [...tables.values()].sort((a, b) => a.name.localeCompare(b.name)), abilities: { edit: hasPermission(ctx.actor, 'ingest:config') } };
    });
  }

  /** Creates or changes one code (ingest:config). Audited with the values before and after. */
  async put(ctx: RequestContext, table: string, code: string, body: CodeValueBody): Promise<CodeValue> {
    const info = this.catalog.get(table);
    if (!info) throw new AppError('not_found', 'ingest.unknown_code_table', `${table} is not a code table of the data interface`, { field: 'table', value: table });
    const n = [...code].length;
    if (n < info.codeLength.min || n > info.codeLength.max) {
      const want = info.codeLength.min === info.codeLength.max ? `exactly ${info.codeLength.min}` : `${info.codeLength.min}–${info.codeLength.max}`;
      throw new AppError('validation', 'ingest.code_length', `Codes of ${table} have ${want} characters`, { issues: [{ field: 'params.code', rule: 'length', message: `${want} characters`, value: code }] });
    }
    if (code.trim() !== code || /[\s\p{Cc}]/u.test(code)) {
      throw new AppError('validation', 'ingest.code_format', 'A code has no spaces or control characters', { issues: [{ field: 'params.code', rule: 'format', message: 'no spaces', value: code }] });
    }
    const result = await withTx(this.db, ctx, async (trx) => {
      let orgId: string | null = null;
      if (table === 'cloudProvider') {
        if (!body.orgId) throw new AppError('validation', 'ingest.code_org_required', 'A cloudProvider code names the provider organisation', { issues: [{ field: 'body.orgId', rule: 'required', message: 'required' }] });
        const org = await this.organisations.lookup(trx, ctx, body.orgId);
        if (!org) throw new AppError('not_found', 'organisations.not_found', 'The organisation does not exist', { field: 'orgId', id: body.orgId });
        if (org.kind !== 'cloud_provider') {
          throw new AppError('validation', 'ingest.not_a_provider', 'A cloudProvider code must name a cloud provider (云服务商)', { issues: [{ field: 'body.orgId', rule: 'cloud_provider', message: `is a ${org.kind}` }] });
        }
        orgId = org.id;
      } else if (body.orgId) {
        throw new AppError('validation', 'ingest.code_org_not_allowed', 'Only cloudProvider codes name an organisation', { issues: [{ field: 'body.orgId', rule: 'not_allowed', message: 'only for cloudProvider' }] });
      }
      const before = await trx.selectFrom('ingestCodeValues').selectAll().where('codeTable', '=', table).where('code', '=', code).executeTakeFirst();
      const values = {
        labelZh: body.labelZh,
        labelEn: body.labelEn ?? null,
        orgId,
        active: body.active ?? true,
        sortOrder: body.sortOrder ?? before?.sortOrder ?? 0,
        updatedAt: new Date(),
      };
      try {
        await trx
          .insertInto('ingestCodeValues')
          .values({ codeTable: table, code, ...values })
          .onConflict((oc) => oc.columns(['codeTable', 'code']).doUpdateSet(values))
          .execute();
      } catch (e) {
        if ((e as { code?: string; constraint?: string }).code === '23505') {
          throw new AppError('conflict', 'ingest.provider_code_exists', 'This provider already has a cloudProvider code', { field: 'orgId' });
        }
        throw e;
      }
      await recordAudit(trx, ctx, {
        action: before ? 'ingest_code_values.update' : 'ingest_code_values.create',
        targetType: 'ingest_code_value',
        targetId: `${table}/${code}`,
        before: before ? { labelZh: before.labelZh, labelEn: before.labelEn, orgId: before.orgId, active: before.active, sortOrder: before.sortOrder } : null,
        after: { labelZh: values.labelZh, labelEn: values.labelEn, orgId, active: values.active, sortOrder: values.sortOrder },
      });
      return this.one(trx, table, code);
    });
    this.changed();
    return result;
  }

  /** Deactivates a code (kept for the records that carry it; new records with it are refused). */
  async deactivate(ctx: RequestContext, table: string, code: string): Promise<CodeValue> {
    const result = await withTx(this.db, ctx, async (trx) => {
      const before = await trx.selectFrom('ingestCodeValues').selectAll().where('codeTable', '=', table).where('code', '=', code).executeTakeFirst();
      if (!before) throw new AppError('not_found', 'ingest.unknown_code', `${table} has no code ${code}`, { table, code });
      if (before.active) {
        await trx.updateTable('ingestCodeValues').set({ active: false, updatedAt: sql<Date>`now()` }).where('codeTable', '=', table).where('code', '=', code).execute();
        await recordAudit(trx, ctx, { action: 'ingest_code_values.deactivate', targetType: 'ingest_code_value', targetId: `${table}/${code}`, before: { active: true }, after: { active: false } });
      }
      return this.one(trx, table, code);
    });
    this.changed();
    return result;
  }

  private async one(trx: Tx, table: string, code: string): Promise<CodeValue> {
    const r = await trx
      .selectFrom('ingestCodeValues as v')
      .leftJoin('organisations as o', 'o.id', 'v.orgId')
      .selectAll('v')
      .select('o.name as orgName')
      .where('v.codeTable', '=', table)
      .where('v.code', '=', code)
      .executeTakeFirstOrThrow();
    return toValue(r);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

function toValue(r: { code: string; labelZh: string; labelEn: string | null; orgId: string | null; orgName: string | null; active: boolean; sortOrder: number; updatedAt: Date }): CodeValue {
  return {
    code: r.code,
    labelZh: r.labelZh,
    labelEn: r.labelEn,
    org: r.orgId ? { id: r.orgId, name: r.orgName } : null,
    active: r.active,
    sortOrder: r.sortOrder,
    updatedAt: r.updatedAt.toISOString(),
  };
}
