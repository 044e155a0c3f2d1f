import { sql } from 'kysely';
import { hasPermission, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, forbidden, notFound, validationError, type FieldIssue } from '../../platform/errors.js';
import type { FieldCipher } from '../../platform/crypto/index.js';
import { recordAudit } from '../audit/index.js';
import type { InformationSystem, NewSystem, RetireSystem, SystemChange, SystemFilter, SystemImport, SystemImportResult, SystemListQuery, SystemPatch } from './directory.schemas.js';
import { FIELD_ORDER, PERSONAL_FIELDS, formatSystemNo, maskEmail, maskPhone, normalise, validateSystem, type SystemFields } from './systems.rules.js';
import { readSystemsWorkbook, writeSystemsWorkbook } from './systems.xlsx.js';

type Fields = Partial<Record<keyof SystemFields, string | null>>;
const EXPORT_MAX = 10_000;

const ENCRYPTED: Record<(typeof PERSONAL_FIELDS)[number], 'contactMobileEnc' | 'contactEmailEnc' | 'contactLandlineEnc' | 'techContactMobileEnc'> = {
  contactMobile: 'contactMobileEnc',
  contactEmail: 'contactEmailEnc',
  contactLandline: 'contactLandlineEnc',
  techContactMobile: 'techContactMobileEnc',
};
const isPersonal = (f: string): f is (typeof PERSONAL_FIELDS)[number] => (PERSONAL_FIELDS as readonly string[]).includes(f);
const maskField = (f: string, v: string | null) => (f === 'contactEmail' ? maskEmail(v) : maskPhone(v));

/**
 * 信息系统 of the user units. Visibility: a unit's systems are seen by whoever sees the unit (its own staff, parent
 * units, the management unit and the supervision provider) and by the provider running the system's node; another
 * unit's system answers 404. Writes need `system:write` within the unit's scope. Contact phones and e-mails are kept
 * SM4-encrypted and returned masked unless the viewer may edit the system.
 */
export class InformationSystemService {
  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
  ) {}

  async list(ctx: RequestContext, query: SystemListQuery): Promise<{ items: InformationSystem[]; total: number; page: number; pageSize: number }> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    return withTx(this.db, ctx, async (trx) => {
      const { total } = await filtered(trx, ctx, query).select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
      const rows = await selectRows(filtered(trx, ctx, query)).orderBy('s.systemNo').limit(pageSize).offset((page - 1) * pageSize).execute();
      return { items: rows.map((r) => this.toDto(ctx, r)), total: Number(total), page, pageSize };
    });
  }

  /**
   * The systems with these numbers (信息系统编号) the caller may see, in one query: number → id, unit, name. Numbers
   * not registered (or not visible) are absent. For bulk lookups (monitoring's egress series of a batch).
   */
  async findByNumbers(ctx: RequestContext, systemNos: readonly string[]): Promise<Map<string, { id: string; unitOrgId: string | null; name: string }>> {
    const out = new Map<string, { id: string; unitOrgId: string | null; name: string }>();
    const nos = [...new Set(systemNos)].filter((x) => x !== '');
    if (nos.length === 0) return out;
    return withTx(this.db, ctx, async (trx) => {
      const rows = await filtered(trx, ctx, {}).where('s.systemNo', 'in', nos).select(['s.id', 's.systemNo', 's.unitId', 's.name']).execute();
      for (const r of rows) if (r.systemNo) out.set(r.systemNo, { id: r.id, unitOrgId: r.unitId, name: r.name });
      return out;
    });
  }

  async get(ctx: RequestContext, id: string): Promise<InformationSystem> {
    return withTx(this.db, ctx, async (trx) => this.toDto(ctx, await loadRow(trx, ctx, id)));
  }

  async create(ctx: RequestContext, input: NewSystem): Promise<InformationSystem> {
    return withTx(this.db, ctx, async (trx) => {
      const unit = await this.writableUnit(trx, ctx, input.unitId ?? ctx.actor.orgId, 'body.unitId');
      const issues = await placementIssues(trx, input.nodeId, input.machineRoomId ?? null, 'body.');
      const fields = normaliseAll(input);
      issues.push(...validateSystem(fields));
      if (issues.length) throw validationError('directory.invalid_system', 'The information system has invalid fields', issues);
      const id = await this.insert(trx, ctx, unit, input.nodeId, input.machineRoomId ?? null, fields);
      return this.toDto(ctx, await loadRow(trx, ctx, id));
    });
  }

  async update(ctx: RequestContext, id: string, patch: SystemPatch): Promise<InformationSystem> {
    return withTx(this.db, ctx, async (trx) => {
      const row = await this.writableRow(trx, ctx, id);
      if (row.status === 'retired') throw new AppError('conflict', 'directory.system_retired', 'A retired system cannot be changed');
      const current = this.decryptFields(row);
      const next: Fields = { ...current };
      for (const f of FIELD_ORDER) if (f in patch) next[f] = normalise(f, patch[f as keyof SystemPatch] as string | null | undefined);
      const nodeId = patch.nodeId ?? row.nodeId;
      const roomId = patch.machineRoomId !== undefined ? patch.machineRoomId : patch.nodeId && patch.nodeId !== row.nodeId ? null : row.machineRoomId;
      const issues = await placementIssues(trx, nodeId, roomId, 'body.');
      issues.push(...validateSystem(next));
      if (issues.length) throw validationError('directory.invalid_system', 'The information system has invalid fields', issues);
      const { before, after } = diff(current, next);
      if (nodeId !== row.nodeId) {
        before.nodeId = row.nodeId;
        after.nodeId = nodeId;
      }
      if (roomId !== row.machineRoomId) {
        before.machineRoomId = row.machineRoomId;
        after.machineRoomId = roomId;
      }
      if (Object.keys(after).length === 0) return this.toDto(ctx, row);
      await trx
        .updateTable('informationSystems')
        .set({ ...this.columns(next), nodeId, machineRoomId: roomId, updatedAt: new Date() })
        .where('id', '=', id)
        .execute();
      await this.recordChange(trx, ctx, id, 'update', before, after);
      await recordAudit(trx, ctx, { action: 'information_systems.update', targetType: 'information_system', targetId: id, before, after });
      return this.toDto(ctx, await loadRow(trx, ctx, id));
    });
  }

  /** 退出: records the exit date and reason and marks the system retired (kept for history, never deleted). */
  async retire(ctx: RequestContext, id: string, input: RetireSystem): Promise<InformationSystem> {
    return withTx(this.db, ctx, async (trx) => {
      const row = await this.writableRow(trx, ctx, id);
      if (row.status === 'retired') throw new AppError('conflict', 'directory.system_retired', 'The system is already retired');
      const current = this.decryptFields(row);
      const next: Fields = { ...current, exitDate: normalise('exitDate', input.exitDate), exitReason: normalise('exitReason', input.exitReason) };
      const issues = validateSystem(next).filter((i) => i.field === 'body.exitDate' || i.field === 'body.exitReason');
      if (!next.exitDate) issues.push({ field: 'body.exitDate', rule: 'required', message: 'Required (an10)' });
      if (issues.length) throw validationError('directory.invalid_system', 'The exit date or reason is invalid', issues);
      const { before, after } = diff(current, next);
      Object.assign(before, { status: 'active' });
      Object.assign(after, { status: 'retired' });
      await trx.updateTable('informationSystems').set({ exitDate: next.exitDate, exitReason: next.exitReason, status: 'retired', updatedAt: new Date() }).where('id', '=', id).execute();
      await this.recordChange(trx, ctx, id, 'retire', before, after);
      await recordAudit(trx, ctx, { action: 'information_systems.retire', targetType: 'information_system', targetId: id, before, after });
      return this.toDto(ctx, await loadRow(trx, ctx, id));
    });
  }

  async history(ctx: RequestContext, id: string): Promise<SystemChange[]> {
    return withTx(this.db, ctx, async (trx) => {
      await loadRow(trx, ctx, id);
      const rows = await trx.selectFrom('informationSystemChanges').selectAll().where('systemId', '=', id).orderBy('id').execute();
      return rows.map((r) => ({
        id: String(r.id),
        action: r.action as SystemChange['action'],
        before: r.before as Record<string, unknown>,
        after: r.after as Record<string, unknown>,
        changedBy: { id: r.changedBy, name: r.changedByName },
        changedAt: r.changedAt.toISOString(),
      }));
    });
  }

  async exportXlsx(ctx: RequestContext, filter: SystemFilter): Promise<Buffer> {
    const items = await withTx(this.db, ctx, async (trx) => {
      const rows = await selectRows(filtered(trx, ctx, filter)).orderBy('s.systemNo').limit(EXPORT_MAX).execute();
      await recordAudit(trx, ctx, { action: 'information_systems.export', targetType: 'information_system', details: { filter, rows: rows.length } });
      return rows.map((r) => this.toDto(ctx, r));
    });
    return writeSystemsWorkbook(items);
  }

  /**
   * Creates systems from an .xlsx with the 业务系统数据 headers. Every row is checked first; with any bad row nothing
   * is saved unless `validRowsOnly`. 信息系统编号 in the file is ignored: the server numbers new systems.
   */
  async importXlsx(ctx: RequestContext, input: SystemImport): Promise<SystemImportResult> {
    const read = await readSystemsWorkbook(Buffer.from(input.file, 'base64'));
    if (read.fileIssues.length) throw validationError('directory.import_malformed', 'The file is not a systems table', read.fileIssues);
    return withTx(this.db, ctx, async (trx) => {
      const skipped: SystemImportResult['skipped'] = [];
      const valid: Array<{ row: number; unit: UnitRow; nodeId: string; roomId: string | null; fields: Fields }> = [];
      const units = new Map<string, UnitRow | null>();
      for (const r of read.rows) {
        const issues: FieldIssue[] = [];
        let unit: UnitRow | null = null;
        const code = r.unitCode;
        if (!code) issues.push({ field: 'unitCode', rule: 'required', message: 'Required (an1..50)' });
        else {
          if (!units.has(code)) units.set(code, await this.unitByCode(trx, ctx, code));
          unit = units.get(code) ?? null;
          if (!unit) issues.push({ field: 'unitCode', rule: 'unknown_unit', message: 'No user unit with this code that you may edit', value: code });
        }
        let nodeId: string | null = null;
        let roomId: string | null = null;
        if (!r.node) issues.push({ field: 'deploymentNode', rule: 'required', message: 'Required (an1..50)' });
        else {
          const node = await trx.selectFrom('cloudNodes').select('id').where((eb) => eb.or([eb('code', '=', r.node!), eb('name', '=', r.node!)])).where('status', '=', 'active').executeTakeFirst();
          if (!node) issues.push({ field: 'deploymentNode', rule: 'unknown_node', message: 'No active cloud node with this code or name', value: r.node });
          else {
            nodeId = node.id;
            if (r.room) {
              const room = await trx.selectFrom('machineRooms').select('id').where('nodeId', '=', node.id).where('code', '=', r.room).executeTakeFirst();
              if (!room) issues.push({ field: 'machineRoom', rule: 'unknown_room', message: 'No machine room with this code on the node', value: r.room });
              else roomId = room.id;
            }
          }
        }
        if (r.systemNo) {
          // Re-importing an exported file must not register the same systems twice: existing ones are edited, not imported.
          const existing = await trx.selectFrom('informationSystems').select('id').where('systemNo', '=', r.systemNo).executeTakeFirst();
          if (existing) issues.push({ field: 'systemNo', rule: 'already_registered', message: 'This system is already registered; change it with edit, the import only registers new systems', value: r.systemNo });
        }
        const fields = normaliseAll(r.fields);
        issues.push(...validateSystem(fields, ''));
        if (issues.length) skipped.push(...issues.map((i) => ({ row: r.row, field: i.field, column: read.columnOf(i.field), rule: i.rule, message: i.message, value: i.value })));
        else valid.push({ row: r.row, unit: unit!, nodeId: nodeId!, roomId, fields });
      }
      if (read.rows.length === 0) throw validationError('directory.import_empty', 'The file has no systems', [{ field: 'file', rule: 'no_rows', message: 'No data rows under the header' }]);
      if (skipped.length && !input.validRowsOnly) {
        throw new AppError('validation', 'directory.import_invalid', 'Some rows are invalid; nothing was saved', { issues: skipped.map((s) => ({ field: `rows[${s.row}].${s.field}`, rule: s.rule, message: s.message, value: s.value, row: s.row, column: s.column })) });
      }
      const created: SystemImportResult['created'] = [];
      for (const v of valid) {
        const id = await this.insert(trx, ctx, v.unit, v.nodeId, v.roomId, v.fields);
        const { systemNo } = await trx.selectFrom('informationSystems').select('systemNo').where('id', '=', id).executeTakeFirstOrThrow();
        created.push({ row: v.row, id, systemNo });
      }
      await recordAudit(trx, ctx, { action: 'information_systems.import', targetType: 'information_system', details: { created: created.length, skippedRows: [...new Set(skipped.map((s) => s.row))] } });
      return { created, skipped };
    });
  }

  private async insert(trx: Tx, ctx: RequestContext, unit: UnitRow, nodeId: string, roomId: string | null, fields: Fields): Promise<string> {
    // One row per unit bumped under its row lock: concurrent creates queue here and get different numbers.
    const { lastSeq } = await trx
      .insertInto('informationSystemSequences')
      .values({ unitId: unit.id, lastSeq: 1 })
      .onConflict((oc) => oc.column('unitId').doUpdateSet({ lastSeq: sql<number>`information_system_sequences.last_seq + 1` }))
      .returning('lastSeq')
      .executeTakeFirstOrThrow();
    const systemNo = formatSystemNo(unit.code, lastSeq);
    const row = await trx
      .insertInto('informationSystems')
      .values({ ...this.columns(fields), unitId: unit.id, seq: lastSeq, systemNo, nodeId, machineRoomId: roomId, createdBy: ctx.actor.userId } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const after = { systemNo, unitId: unit.id, nodeId, machineRoomId: roomId, ...maskAll(fields) };
    await this.recordChange(trx, ctx, row.id, 'create', {}, after);
    await recordAudit(trx, ctx, { action: 'information_systems.create', targetType: 'information_system', targetId: row.id, after });
    return row.id;
  }

  private columns(f: Fields) {
    const enc = (v: string | null | undefined) => (v ? this.cipher.encrypt(v) : null);
    return {
      name: f.name!,
      systemType: f.systemType!,
      gradingLevel: f.gradingLevel!,
      operatingHours: f.operatingHours!,
      serviceAudience: f.serviceAudience ?? null,
      serviceScope: f.serviceScope ?? null,
      networkNature: f.networkNature!,
      interconnection: f.interconnection ?? null,
      functionDescription: f.functionDescription ?? null,
      preApprovalStatus: f.preApprovalStatus ?? null,
      otherNotes: f.otherNotes ?? null,
      cloudTestDate: f.cloudTestDate ?? null,
      goLiveDate: f.goLiveDate ?? null,
      exitDate: f.exitDate ?? null,
      exitReason: f.exitReason ?? null,
      accessUrl: f.accessUrl ?? null,
      appVendor: f.appVendor ?? null,
      contactName: f.contactName!,
      contactMobileEnc: enc(f.contactMobile)!,
      contactEmailEnc: enc(f.contactEmail)!,
      contactLandlineEnc: enc(f.contactLandline),
      techContactName: f.techContactName ?? null,
      techContactMobileEnc: enc(f.techContactMobile),
    };
  }

  private decryptFields(r: SystemRow): Fields {
    const out: Fields = {};
    for (const f of FIELD_ORDER) {
      if (isPersonal(f)) {
        const stored = r[ENCRYPTED[f]];
        out[f] = stored ? this.cipher.decrypt(stored) : null;
      } else out[f] = (r as unknown as Record<string, string | null>)[f] ?? null;
    }
    return out;
  }

  private toDto(ctx: RequestContext, r: SystemRow): InformationSystem {
    const writable = canWrite(ctx, r.unitPath);
    const f = this.decryptFields(r);
    const shown = (k: (typeof PERSONAL_FIELDS)[number]) => (writable ? f[k]! : maskField(k, f[k] ?? null)!);
    return {
      id: r.id,
      systemNo: r.systemNo,
      unit: { id: r.unitId, name: r.unitName, code: r.unitCode },
      node: { id: r.nodeId, code: r.nodeCode, name: r.nodeName, provider: r.providerId && r.providerName ? { id: r.providerId, name: r.providerName } : null },
      machineRoom: r.machineRoomId && r.roomCode && r.roomName ? { id: r.machineRoomId, code: r.roomCode, name: r.roomName } : null,
      name: r.name,
      systemType: r.systemType,
      gradingLevel: r.gradingLevel,
      operatingHours: r.operatingHours,
      serviceAudience: r.serviceAudience,
      serviceScope: r.serviceScope,
      networkNature: r.networkNature,
      interconnection: r.interconnection,
      functionDescription: r.functionDescription,
      preApprovalStatus: r.preApprovalStatus,
      otherNotes: r.otherNotes,
      cloudTestDate: r.cloudTestDate,
      goLiveDate: r.goLiveDate,
      exitDate: r.exitDate,
      exitReason: r.exitReason,
      accessUrl: r.accessUrl,
      appVendor: r.appVendor,
      contactName: r.contactName,
      contactMobile: shown('contactMobile'),
      contactEmail: shown('contactEmail'),
      contactLandline: f.contactLandline ? shown('contactLandline') : null,
      techContactName: r.techContactName,
      techContactMobile: f.techContactMobile ? shown('techContactMobile') : null,
      contactsMasked: !writable,
      status: r.status as InformationSystem['status'],
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      abilities: { update: writable && r.status === 'active', retire: writable && r.status === 'active' },
    };
  }

  private async recordChange(trx: Tx, ctx: RequestContext, systemId: string, action: SystemChange['action'], before: object, after: object): Promise<void> {
    await trx
      .insertInto('informationSystemChanges')
      .values({ systemId, action, before: JSON.stringify(before), after: JSON.stringify(after), changedBy: ctx.actor.userId, changedByName: ctx.actor.username })
      .execute();
  }

  /** The row, when visible (else 404) and editable by the caller (else 403: they may see it, e.g. its provider). */
  private async writableRow(trx: Tx, ctx: RequestContext, id: string): Promise<SystemRow> {
    const row = await loadRow(trx, ctx, id);
    if (!canWrite(ctx, row.unitPath)) throw forbidden('directory.system_read_only', 'You may view this system but not change it');
    return row;
  }

  private async writableUnit(trx: Tx, ctx: RequestContext, unitId: string | null, field: string): Promise<UnitRow> {
    if (!unitId) throw validationError('directory.unit_required', 'Name the user unit', [{ field, rule: 'required', message: 'Required' }]);
    const org = await trx.selectFrom('organisations').select(['id', 'kind', 'code', 'path']).where('id', '=', unitId).executeTakeFirst();
    if (!org) throw notFound('organisations', unitId);
    if (org.kind !== 'user_unit') throw validationError('directory.not_a_unit', 'Information systems belong to user units (使用单位)', [{ field, rule: 'user_unit', message: 'Not a user unit', value: unitId }]);
    if (!canWrite(ctx, org.path)) throw forbidden('directory.unit_read_only', 'You may not register systems for this unit');
    if (!org.code) throw validationError('directory.unit_code_required', 'The unit has no code (使用单位编号); system numbers start with it', [{ field, rule: 'unit_code', message: 'The unit needs a code first', value: unitId }]);
    return { id: org.id, code: org.code };
  }

  private async unitByCode(trx: Tx, ctx: RequestContext, code: string): Promise<UnitRow | null> {
    const org = await trx.selectFrom('organisations').select(['id', 'kind', 'code', 'path']).where('code', '=', code).executeTakeFirst();
    if (!org || org.kind !== 'user_unit' || !org.code || !canWrite(ctx, org.path)) return null;
    return { id: org.id, code: org.code };
  }
}

interface UnitRow {
  id: string;
  code: string;
}

/** May the caller edit systems of a unit with this ancestor path? `system:write` and the unit inside their scope. */
export function canWrite(ctx: RequestContext, unitPath: string[] | null): boolean {
  const { actor } = ctx;
  if (!unitPath || !actor.businessAccess || !hasPermission(actor, 'system:write')) return false;
  if (actor.scope.all) return true;
  const roots = actor.scope.roots;
  return unitPath.some((id) => roots.includes(id));
}

function normaliseAll(input: Fields): Fields {
  const out: Fields = {};
  for (const f of FIELD_ORDER) out[f] = normalise(f, input[f]);
  return out;
}

function maskAll(f: Fields): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const k of FIELD_ORDER) out[k] = isPersonal(k) ? maskField(k, f[k] ?? null) : (f[k] ?? null);
  return out;
}

function diff(current: Fields, next: Fields): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const f of FIELD_ORDER) {
    const a = current[f] ?? null;
    const b = next[f] ?? null;
    if (a === b) continue;
    before[f] = isPersonal(f) ? maskField(f, a) : a;
    after[f] = isPersonal(f) ? maskField(f, b) : b;
  }
  return { before, after };
}

async function placementIssues(trx: Tx, nodeId: string, roomId: string | null, prefix: string): Promise<FieldIssue[]> {
  const node = await trx.selectFrom('cloudNodes').select(['id', 'status']).where('id', '=', nodeId).executeTakeFirst();
  if (!node || node.status !== 'active') return [{ field: `${prefix}nodeId`, rule: 'unknown_node', message: 'No active cloud node with this ID', value: nodeId }];
  if (roomId) {
    const room = await trx.selectFrom('machineRooms').select('nodeId').where('id', '=', roomId).executeTakeFirst();
    if (!room || room.nodeId !== nodeId) return [{ field: `${prefix}machineRoomId`, rule: 'room_of_node', message: 'The machine room is not one of the node', value: roomId }];
  }
  return [];
}

/** The systems the actor may see, filtered here as well as by RLS: the unit in scope, or the provider of the node. */
function filtered(trx: Tx, ctx: RequestContext, f: SystemFilter) {
  let q = trx
    .selectFrom('informationSystems as s')
    .innerJoin('cloudNodes as n', 'n.id', 's.nodeId')
    .leftJoin('organisations as u', 'u.id', 's.unitId');
  const { actor } = ctx;
  if (!actor.businessAccess) q = q.where(sql<boolean>`false`);
  else if (!actor.scope.all) {
    const roots = sql.join(actor.scope.roots.length ? actor.scope.roots.map((r) => sql`${r}::uuid`) : [sql`null::uuid`]);
    q = q.where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('organisations as vu').select('vu.id').whereRef('vu.id', '=', 's.unitId').where(sql<boolean>`vu.path && array[${roots}]`)),
        eb.exists(eb.selectFrom('organisations as vp').select('vp.id').whereRef('vp.id', '=', 'n.providerOrgId').where(sql<boolean>`vp.path && array[${roots}]`)),
      ]),
    );
  }
  if (f.unitId) q = q.where('s.unitId', '=', f.unitId);
  if (f.nodeId) q = q.where('s.nodeId', '=', f.nodeId);
  if (f.status) q = q.where('s.status', '=', f.status);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('s.name', 'ilike', like), eb('s.systemNo', 'ilike', like), eb('s.appVendor', 'ilike', like)]));
  }
  return q;
}

function selectRows(q: ReturnType<typeof filtered>) {
  return q
    .leftJoin('organisations as p', 'p.id', 'n.providerOrgId')
    .leftJoin('machineRooms as r', 'r.id', 's.machineRoomId')
    .selectAll('s')
    .select(['u.name as unitName', 'u.code as unitCode', 'u.path as unitPath', 'n.code as nodeCode', 'n.name as nodeName', 'p.id as providerId', 'p.name as providerName', 'r.code as roomCode', 'r.name as roomName']);
}

type SystemRow = Awaited<ReturnType<ReturnType<typeof selectRows>['executeTakeFirstOrThrow']>>;

async function loadRow(trx: Tx, ctx: RequestContext, id: string): Promise<SystemRow> {
  const row = await selectRows(filtered(trx, ctx, {})).where('s.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('information_systems', id);
  return row;
}
