import { sql } from 'kysely';
import { hasPermission, systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound, validationError } from '../../platform/errors.js';
import { Dec, formatYuan, parseDecimal, toChineseUppercase } from '../../platform/money.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './contracts.repository.js';
import { burnDown, checkContract, consumptionOf, consumptionWarning, daysBetween, DUE_WITHIN_DAYS, normaliseMonth, paymentSchedule } from './contracts.rules.js';
import type {
  Budget,
  BudgetInput,
  BudgetListQuery,
  ConsumptionRecord,
  Contract,
  ContractDetail,
  ContractInput,
  ContractListQuery,
  Warning,
  WarningRun,
} from './contracts.schemas.js';
import { buildContractWorkbook } from './contracts.xlsx.js';
import { beijingDate } from '../../platform/time.js';

/** Today in Beijing (YYYY-MM-DD). */
export function beijingToday(now = new Date()): string {
  return beijingDate(now);
}
const beijingTime = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/**
 * What this module reads of the billing module (BillingService satisfies it): the bills of a month and each bill's
 * lines. Set by the container with `setBillReader`.
 */
export interface BillReader {
  list(ctx: RequestContext, q: { month?: string }): Promise<{ items: Array<{ id: string; month: string }> }>;
  get(ctx: RequestContext, id: string): Promise<{ id: string; month: string; unit: { id: string }; provider: { id: string }; lines: Array<{ systemId: string | null; amount: string | null }> }>;
}

/**
 * 合同与预算: contracts between a user unit and a cloud provider with their payment schedule, fiscal-year budgets, the
 * billed consumption counted against both, and the warnings of the daily job. Visibility by RLS (0051): the unit sees
 * its own, the provider the contracts it is party to, the management unit all; another party's contract is a 404.
 */
export class ContractsService {
  private bills: BillReader | null = null;

  constructor(private readonly db: Db) {}

  /** Links the billing module: `syncFromBilling` (and the daily job) then read the bills through it. */
  setBillReader(reader: BillReader): void {
    this.bills = reader;
  }

  // ---- contracts ----------------------------------------------------------------------------------------------

  listContracts(ctx: RequestContext, q: ContractListQuery): Promise<Contract[]> {
    return withTx(this.db, ctx, async (trx) => (await repo.listContracts(trx, q)).map(toContract));
  }

  getContract(ctx: RequestContext, id: string, today = beijingToday()): Promise<ContractDetail> {
    return withTx(this.db, ctx, (trx) => this.detail(trx, ctx, id, today));
  }

  createContract(ctx: RequestContext, input: ContractInput): Promise<ContractDetail> {
    checkContract(input);
    return withTx(this.db, ctx, async (trx) => {
      const unit = await this.ownerUnit(trx, ctx, input.unitId);
      const providerName = await this.providerName(trx, input.providerId);
      const systems = await this.systems(trx, unit.id, input.systemIds ?? []);
      const dup = await trx.selectFrom('contracts').select('id').where('unitId', '=', unit.id).where('contractNo', '=', input.contractNo).executeTakeFirst();
      if (dup) throw new AppError('conflict', 'contracts.number_taken', `Contract number ${input.contractNo} is already registered for this unit`, { field: 'body.contractNo', value: input.contractNo });
      const row = await trx
        .insertInto('contracts')
        .values({ ...contractColumns(input), unitId: unit.id, unitName: unit.name, providerId: input.providerId, providerName, createdBy: ctx.actor.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      await writeChildren(trx, row.id, input, systems);
      await recordAudit(trx, ctx, { action: 'contracts.create', targetType: 'contract', targetId: row.id, after: { contractNo: input.contractNo, amount: input.amount, unitId: unit.id, providerId: input.providerId } });
      return this.detail(trx, ctx, row.id, beijingToday());
    });
  }

  /** Replaces a contract's particulars, systems and milestones. A closed contract only reopens by status. */
  updateContract(ctx: RequestContext, id: string, input: ContractInput): Promise<ContractDetail> {
    checkContract(input);
    return withTx(this.db, ctx, async (trx) => {
      const existing = await trx.selectFrom('contracts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!existing || !(await this.canWrite(trx, ctx, existing.unitId))) throw notFound('contract', id);
      if (input.unitId && input.unitId !== existing.unitId) {
        throw validationError('contracts.unit_fixed', 'A contract stays with its unit', [{ field: 'body.unitId', rule: 'immutable', message: 'Cannot move a contract to another unit', value: input.unitId }]);
      }
      if (existing.status === 'closed' && (input.status ?? 'closed') === 'closed') {
        throw new AppError('conflict', 'contracts.closed', 'A closed contract cannot be changed; reopen it (status active) first', { status: existing.status });
      }
      const providerName = input.providerId === existing.providerId ? existing.providerName : await this.providerName(trx, input.providerId);
      const systems = await this.systems(trx, existing.unitId, input.systemIds ?? []);
      if (input.contractNo !== existing.contractNo) {
        const dup = await trx.selectFrom('contracts').select('id').where('unitId', '=', existing.unitId).where('contractNo', '=', input.contractNo).executeTakeFirst();
        if (dup) throw new AppError('conflict', 'contracts.number_taken', `Contract number ${input.contractNo} is already registered for this unit`, { field: 'body.contractNo', value: input.contractNo });
      }
      await trx
        .updateTable('contracts')
        .set({ ...contractColumns(input), status: input.status ?? existing.status, providerId: input.providerId, providerName, updatedAt: new Date() })
        .where('id', '=', id)
        .execute();
      await trx.deleteFrom('contractSystems').where('contractId', '=', id).execute();
      await trx.deleteFrom('contractMilestones').where('contractId', '=', id).execute();
      await writeChildren(trx, id, input, systems);
      await recordAudit(trx, ctx, {
        action: 'contracts.update',
        targetType: 'contract',
        targetId: id,
        before: { contractNo: existing.contractNo, amount: existing.amount, status: existing.status },
        after: { contractNo: input.contractNo, amount: input.amount, status: input.status ?? existing.status },
      });
      return this.detail(trx, ctx, id, beijingToday());
    });
  }

  /** Deletes a draft contract (an active or closed one is kept for the record: close it instead). */
  deleteContract(ctx: RequestContext, id: string): Promise<void> {
    return withTx(this.db, ctx, async (trx) => {
      const existing = await trx.selectFrom('contracts').select(['id', 'unitId', 'status', 'contractNo']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!existing || !(await this.canWrite(trx, ctx, existing.unitId))) throw notFound('contract', id);
      if (existing.status !== 'draft') throw new AppError('conflict', 'contracts.not_draft', 'Only a draft contract can be deleted; close an active one', { status: existing.status });
      await trx.deleteFrom('contractWarnings').where('subjectType', '=', 'contract').where('subjectId', '=', id).execute();
      await trx.deleteFrom('contracts').where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'contracts.delete', targetType: 'contract', targetId: id, before: { contractNo: existing.contractNo } });
    });
  }

  /** Contract summary and payment schedule as .xlsx. */
  async exportContract(ctx: RequestContext, id: string): Promise<{ contract: ContractDetail; data: Buffer }> {
    const contract = await this.getContract(ctx, id);
    return { contract, data: await buildContractWorkbook({ contract, generatedAt: beijingTime(new Date()) }) };
  }

  private async detail(trx: Tx, ctx: RequestContext, id: string, today: string): Promise<ContractDetail> {
    const row = (await repo.listContracts(trx, { id }))[0];
    if (!row) throw notFound('contract', id);
    const milestones = await trx.selectFrom('contractMilestones').selectAll().where('contractId', '=', id).orderBy('seq').execute();
    const systems = await trx.selectFrom('contractSystems').select(['systemId', 'systemNo', 'systemName']).where('contractId', '=', id).orderBy('systemNo').execute();
    const months = await repo.contractMonths(trx, id);
    const warnings = await trx.selectFrom('contractWarnings').selectAll().where('subjectType', '=', 'contract').where('subjectId', '=', id).where('resolvedAt', 'is', null).orderBy('id').execute();
    const writable = hasPermission(ctx.actor, 'contract:write') && (await this.canWrite(trx, ctx, row.unitId));
    return {
      ...toContract(row),
      notes: row.notes,
      systems: systems.map((s) => ({ id: s.systemId, systemNo: s.systemNo, name: s.systemName })),
      schedule: paymentSchedule(row.amount, milestones.map((m) => ({ seq: m.seq, name: m.name, condition: m.condition, percent: m.percent, dueDate: m.dueDate, paidDate: m.paidDate })), today),
      burnDown: burnDown(row.amount, months),
      warnings: warnings.map((w) => toWarning(w, row.name)),
      abilities: { edit: writable, delete: writable && row.status === 'draft' },
    };
  }

  /** Writes are for the contract's own unit (or its parent units) and the management unit; a provider never writes. */
  private async canWrite(trx: Tx, ctx: RequestContext, unitId: string): Promise<boolean> {
    if (ctx.actor.kind === 'system' || ctx.actor.scope.all) return ctx.actor.orgKind !== 'supervision_provider';
    if (ctx.actor.orgKind !== 'user_unit') return false;
    return !!(await trx.selectFrom('organisations').select('id').where('id', '=', unitId).executeTakeFirst());
  }

  /** The user unit that owns a new contract or budget: the caller's own unit or one of its sub-units (404 otherwise). */
  private async ownerUnit(trx: Tx, ctx: RequestContext, unitId: string | undefined): Promise<{ id: string; name: string }> {
    if (ctx.actor.orgKind === 'cloud_provider' || ctx.actor.orgKind === 'supervision_provider') throw new AppError('forbidden', 'contracts.not_owner', 'Contracts and budgets are registered by the user unit or the management unit');
    const id = unitId ?? (ctx.actor.orgKind === 'user_unit' ? ctx.actor.orgId : null);
    if (!id) throw validationError('contracts.unit_required', 'Name the user unit', [{ field: 'body.unitId', rule: 'required', message: 'Required' }]);
    const org = await trx.selectFrom('organisations').select(['id', 'kind', 'name']).where('id', '=', id).executeTakeFirst();
    if (!org) throw notFound('organisation', id);
    if (org.kind !== 'user_unit') throw validationError('contracts.not_a_unit', 'Contracts and budgets belong to user units (使用单位)', [{ field: 'body.unitId', rule: 'user_unit', message: 'Not a user unit', value: id }]);
    return { id: org.id, name: org.name };
  }

  /** The provider's name (public directory information, zy_provider_name); refuses anything but a cloud provider. */
  private async providerName(trx: Tx, providerId: string): Promise<string> {
    const r = await sql<{ name: string | null }>`select zy_provider_name(${providerId}::uuid) as name`.execute(trx);
    const name = r.rows[0]?.name;
    if (!name) throw validationError('contracts.not_a_provider', 'The other party must be a cloud provider (云服务商)', [{ field: 'body.providerId', rule: 'cloud_provider', message: 'Not a cloud provider', value: providerId }]);
    return name;
  }

  /** The linked information systems: registered systems of the contract's unit (or its sub-units). */
  private async systems(trx: Tx, unitId: string, ids: readonly string[]): Promise<Array<{ id: string; systemNo: string; name: string }>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return [];
    const rows = await sql<{ id: string; systemNo: string; name: string }>`
      select s.id, s.system_no, s.name from information_systems s join organisations o on o.id = s.unit_id
      where s.id = any(${unique}::uuid[]) and ${unitId}::uuid = any(o.path)`.execute(trx);
    const found = new Set(rows.rows.map((r) => r.id));
    const missing = unique.filter((id) => !found.has(id));
    if (missing.length) {
      throw validationError('contracts.unknown_system', 'Linked systems must be registered systems of the unit', missing.map((id) => ({ field: `body.systemIds[${ids.indexOf(id)}]`, rule: 'unit_system', message: 'Not an information system of this unit', value: id })));
    }
    return rows.rows;
  }

  // ---- budgets ------------------------------------------------------------------------------------------------

  listBudgets(ctx: RequestContext, q: BudgetListQuery): Promise<Budget[]> {
    return withTx(this.db, ctx, async (trx) => {
      const rows = await repo.listBudgets(trx, q);
      // One query at a time on the transaction's client.
      const out: Budget[] = [];
      for (const r of rows) out.push(toBudget(r, await repo.budgetMonths(trx, r.id)));
      return out;
    });
  }

  createBudget(ctx: RequestContext, input: BudgetInput): Promise<Budget> {
    return withTx(this.db, ctx, async (trx) => {
      const unit = await this.ownerUnit(trx, ctx, input.unitId);
      const system = input.systemId ? (await this.systems(trx, unit.id, [input.systemId]))[0]! : null;
      await this.checkBudgetUnique(trx, unit.id, input.fiscalYear, system?.id ?? null, null);
      const row = await trx
        .insertInto('budgets')
        .values({ unitId: unit.id, unitName: unit.name, systemId: system?.id ?? null, systemName: system?.name ?? null, fiscalYear: input.fiscalYear, amount: parseDecimal(input.amount).toFixed(2), notes: input.notes ?? null, createdBy: ctx.actor.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'budgets.create', targetType: 'budget', targetId: row.id, after: { unitId: unit.id, fiscalYear: input.fiscalYear, amount: input.amount, systemId: system?.id ?? null } });
      return this.budget(trx, row.id);
    });
  }

  updateBudget(ctx: RequestContext, id: string, input: BudgetInput): Promise<Budget> {
    return withTx(this.db, ctx, async (trx) => {
      const existing = await trx.selectFrom('budgets').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!existing || !(await this.canWrite(trx, ctx, existing.unitId))) throw notFound('budget', id);
      if (input.unitId && input.unitId !== existing.unitId) {
        throw validationError('contracts.unit_fixed', 'A budget stays with its unit', [{ field: 'body.unitId', rule: 'immutable', message: 'Cannot move a budget to another unit', value: input.unitId }]);
      }
      const system = input.systemId ? (await this.systems(trx, existing.unitId, [input.systemId]))[0]! : null;
      await this.checkBudgetUnique(trx, existing.unitId, input.fiscalYear, system?.id ?? null, id);
      await trx
        .updateTable('budgets')
        .set({ systemId: system?.id ?? null, systemName: system?.name ?? null, fiscalYear: input.fiscalYear, amount: parseDecimal(input.amount).toFixed(2), notes: input.notes ?? null, updatedAt: new Date() })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, ctx, { action: 'budgets.update', targetType: 'budget', targetId: id, before: { fiscalYear: existing.fiscalYear, amount: existing.amount }, after: { fiscalYear: input.fiscalYear, amount: input.amount } });
      return this.budget(trx, id);
    });
  }

  deleteBudget(ctx: RequestContext, id: string): Promise<void> {
    return withTx(this.db, ctx, async (trx) => {
      const existing = await trx.selectFrom('budgets').select(['id', 'unitId', 'fiscalYear', 'amount']).where('id', '=', id).executeTakeFirst();
      if (!existing || !(await this.canWrite(trx, ctx, existing.unitId))) throw notFound('budget', id);
      await trx.deleteFrom('budgets').where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'budgets.delete', targetType: 'budget', targetId: id, before: { fiscalYear: existing.fiscalYear, amount: existing.amount } });
    });
  }

  private async checkBudgetUnique(trx: Tx, unitId: string, fiscalYear: number, systemId: string | null, exceptId: string | null): Promise<void> {
    let q = trx.selectFrom('budgets').select('id').where('unitId', '=', unitId).where('fiscalYear', '=', fiscalYear);
    q = systemId ? q.where('systemId', '=', systemId) : q.where('systemId', 'is', null);
    if (exceptId) q = q.where('id', '<>', exceptId);
    if (await q.executeTakeFirst()) {
      throw new AppError('conflict', 'budgets.duplicate', `A ${fiscalYear} budget already exists for this unit${systemId ? ' and system' : ''}`, { fiscalYear, systemId });
    }
  }

  private async budget(trx: Tx, id: string): Promise<Budget> {
    const row = (await repo.listBudgets(trx, { id }))[0];
    if (!row) throw notFound('budget', id);
    return toBudget(row, await repo.budgetMonths(trx, id));
  }

  // ---- consumption and warnings -------------------------------------------------------------------------------

  /**
   * Records the billed amount of one unit × provider × (system) × month, inside the caller's transaction (the billing
   * module calls it when a bill's totals are known). The latest figure of a key replaces the earlier one, so
   * recording a recomputed bill again never double-counts.
   */
  async recordConsumption(trx: Tx, rec: ConsumptionRecord): Promise<void> {
    const month = normaliseMonth(rec.month);
    let amount: Dec;
    try {
      amount = parseDecimal(rec.amount, { maxDecimals: 2 });
    } catch (e) {
      throw validationError('contracts.invalid_amount', 'A billed amount is a decimal with at most 2 decimals', [{ field: 'amount', rule: 'decimal', message: (e as Error).message, value: rec.amount }]);
    }
    await repo.upsertConsumption(trx, { unitId: rec.unitId, providerId: rec.providerId, systemId: rec.systemId ?? null, month, amount: amount.toFixed(2) });
  }

  /** recordConsumption in a transaction of its own, as the platform (tests, demo, manual corrections by the system). */
  recordConsumptionAsSystem(records: readonly ConsumptionRecord[]): Promise<void> {
    const ctx = systemContext('contracts.consumption');
    return withTx(this.db, ctx, async (trx) => {
      for (const r of records) await this.recordConsumption(trx, r);
    });
  }

  /**
   * Copies the billed amounts of the given months (default: every month that has bills) from the billing module into
   * contract_consumption: per bill, the sum of its priced lines by information system (lines without a system, e.g.
   * adjustments, under none). Each month is replaced as a whole in one transaction, so a rerun, a recomputed bill or
   * a removed bill leaves no stale figure. Bills of every status count (a draft is what has been billed so far).
   */
  async syncFromBilling(months?: readonly string[]): Promise<{ months: number; bills: number; rows: number }> {
    if (!this.bills) return { months: 0, bills: 0, rows: 0 };
    const ctx = systemContext('contracts.sync');
    const wanted = months?.length ? [...new Set(months.map((m) => normaliseMonth(m).slice(0, 7)))] : [...new Set((await this.bills.list(ctx, {})).items.map((b) => b.month.slice(0, 7)))];
    let billCount = 0;
    let rowCount = 0;
    for (const month of wanted) {
      const listed = await this.bills.list(ctx, { month });
      const totals = new Map<string, ConsumptionRecord & { sum: Dec }>();
      for (const b of listed.items) {
        const bill = await this.bills.get(ctx, b.id);
        billCount++;
        for (const l of bill.lines) {
          if (l.amount === null) continue;
          const key = `${bill.unit.id}|${bill.provider.id}|${l.systemId ?? ''}`;
          const t = totals.get(key) ?? { unitId: bill.unit.id, providerId: bill.provider.id, systemId: l.systemId, month, amount: '0', sum: new Dec(0) };
          t.sum = t.sum.plus(l.amount);
          totals.set(key, t);
        }
      }
      await withTx(this.db, ctx, async (trx) => {
        await trx.deleteFrom('contractConsumption').where('month', '=', `${month}-01`).execute();
        for (const t of totals.values()) await this.recordConsumption(trx, { unitId: t.unitId, providerId: t.providerId, systemId: t.systemId ?? null, month, amount: t.sum.toFixed(2) });
      });
      rowCount += totals.size;
    }
    return { months: wanted.length, bills: billCount, rows: rowCount };
  }

  /**
   * What the daily job does, on demand of the management unit (e.g. right after a bill run): copies the bills'
   * amounts, then recomputes the warnings. Others get 403.
   */
  async refresh(ctx: RequestContext): Promise<WarningRun & { synced: { months: number; bills: number; rows: number } }> {
    if (!(ctx.actor.kind === 'system' || (ctx.actor.scope.all && ctx.actor.orgKind === 'management_unit'))) {
      throw new AppError('forbidden', 'contracts.refresh_management_only', 'Only the management unit refreshes the consumption and warnings of all contracts');
    }
    const synced = await this.syncFromBilling();
    return { ...(await this.runWarnings()), synced };
  }

  listWarnings(ctx: RequestContext, all = false): Promise<Warning[]> {
    return withTx(this.db, ctx, async (trx) => {
      let q = trx
        .selectFrom('contractWarnings as w')
        .leftJoin('contracts as c', (j) => j.onRef('c.id', '=', 'w.subjectId').on('w.subjectType', '=', 'contract'))
        .leftJoin('budgets as b', (j) => j.onRef('b.id', '=', 'w.subjectId').on('w.subjectType', '=', 'budget'))
        .selectAll('w')
        .select(['c.name as contractName', 'b.fiscalYear as budgetYear', 'b.unitName as budgetUnit', 'b.systemName as budgetSystem'])
        // A provider sees the warnings of contracts it is party to, never a unit's budget warnings.
        .where((eb) => eb.or([eb('c.id', 'is not', null), eb('b.id', 'is not', null)]));
      if (!all) q = q.where('w.resolvedAt', 'is', null);
      const rows = await q.orderBy('w.id', 'desc').limit(1000).execute();
      return rows.map((r) => toWarning(r, r.contractName ?? (r.budgetYear ? `${r.budgetYear}年度预算 ${r.budgetSystem ?? r.budgetUnit ?? ''}`.trim() : null)));
    });
  }

  /**
   * The daily warning run (job `contracts.warnings`): for every active contract and every budget, the consumption
   * warning reached (80% or 100%), and for every unpaid milestone of an active contract, `milestone_overdue` (due date
   * passed) or `milestone_due` (due within 30 days). Stored warnings are made equal to this set: idempotent.
   */
  runWarnings(today = beijingToday()): Promise<WarningRun> {
    const ctx = systemContext('contracts.warnings');
    return withTx(this.db, ctx, async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('contracts.warnings'))`.execute(trx);
      const current: repo.CurrentWarning[] = [];
      const contracts = await repo.listContracts(trx, { status: 'active' });
      for (const c of contracts) {
        const consumed = new Dec(c.consumed);
        const kind = consumptionWarning(c.amount, consumed);
        if (kind) current.push({ subjectType: 'contract', subjectId: c.id, unitId: c.unitId, providerId: c.providerId, kind, milestoneSeq: 0, details: { amount: c.amount, consumed: formatYuan(consumed), percent: consumptionOf(c.amount, consumed).percent } });
      }
      if (contracts.length) {
        const milestones = await trx.selectFrom('contractMilestones').selectAll().where('contractId', 'in', contracts.map((c) => c.id)).where('paidDate', 'is', null).where('dueDate', 'is not', null).execute();
        const byId = new Map(contracts.map((c) => [c.id, c]));
        const byContract = new Map<string, typeof milestones>();
        for (const m of milestones) byContract.set(m.contractId, [...(byContract.get(m.contractId) ?? []), m]);
        for (const [contractId, ms] of byContract) {
          const c = byId.get(contractId)!;
          const all = await trx.selectFrom('contractMilestones').select(['seq', 'name', 'condition', 'percent', 'dueDate', 'paidDate']).where('contractId', '=', contractId).orderBy('seq').execute();
          const schedule = paymentSchedule(c.amount, all, today);
          for (const m of ms) {
            const due = m.dueDate!;
            const days = daysBetween(today, due);
            if (days > DUE_WITHIN_DAYS) continue;
            const line = schedule.find((s) => s.seq === m.seq)!;
            current.push({
              subjectType: 'contract',
              subjectId: contractId,
              unitId: c.unitId,
              providerId: c.providerId,
              kind: days < 0 ? 'milestone_overdue' : 'milestone_due',
              milestoneSeq: m.seq,
              details: { name: m.name, dueDate: due, amount: line.amount, days },
            });
          }
        }
      }
      for (const b of await repo.listBudgets(trx, {})) {
        const consumed = new Dec(b.consumed);
        const kind = consumptionWarning(b.amount, consumed);
        if (kind) current.push({ subjectType: 'budget', subjectId: b.id, unitId: b.unitId, providerId: null, kind, milestoneSeq: 0, details: { amount: b.amount, consumed: formatYuan(consumed), percent: consumptionOf(b.amount, consumed).percent, fiscalYear: b.fiscalYear } });
      }
      const { raised, resolved } = await repo.syncWarnings(trx, current);
      return { active: current.length, raised, resolved };
    });
  }
}

function contractColumns(input: ContractInput) {
  return {
    contractNo: input.contractNo,
    name: input.name,
    amount: parseDecimal(input.amount).toFixed(2),
    serviceStart: input.serviceStart,
    serviceEnd: input.serviceEnd,
    signedDate: input.signedDate ?? null,
    fiscalYears: [...new Set(input.fiscalYears ?? [])].sort(),
    status: input.status ?? 'draft',
    notes: input.notes ?? null,
  };
}

async function writeChildren(trx: Tx, contractId: string, input: ContractInput, systems: Array<{ id: string; systemNo: string; name: string }>): Promise<void> {
  if (systems.length) await trx.insertInto('contractSystems').values(systems.map((s) => ({ contractId, systemId: s.id, systemNo: s.systemNo, systemName: s.name }))).execute();
  await trx
    .insertInto('contractMilestones')
    .values(input.milestones.map((m, i) => ({ contractId, seq: i + 1, name: m.name, condition: m.condition ?? null, percent: parseDecimal(m.percent).toString(), dueDate: m.dueDate ?? null, paidDate: m.paidDate ?? null })))
    .execute();
}

function toContract(r: repo.ContractRow): Contract {
  return {
    id: r.id,
    unit: { id: r.unitId, name: r.unitName },
    provider: { id: r.providerId, name: r.providerName },
    contractNo: r.contractNo,
    name: r.name,
    amount: formatYuan(new Dec(r.amount)),
    amountUppercase: toChineseUppercase(new Dec(r.amount)),
    serviceStart: r.serviceStart,
    serviceEnd: r.serviceEnd,
    signedDate: r.signedDate,
    fiscalYears: r.fiscalYears,
    status: r.status as Contract['status'],
    consumption: consumptionOf(r.amount, new Dec(r.consumed)),
    activeWarnings: r.activeWarnings,
    updatedAt: iso(r.updatedAt),
  };
}

function toBudget(r: repo.BudgetRow, months: Array<{ month: string; amount: string }>): Budget {
  return {
    id: r.id,
    unit: { id: r.unitId, name: r.unitName },
    system: r.systemId ? { id: r.systemId, name: r.systemName ?? '' } : null,
    fiscalYear: r.fiscalYear,
    amount: formatYuan(new Dec(r.amount)),
    amountUppercase: toChineseUppercase(new Dec(r.amount)),
    notes: r.notes,
    consumption: consumptionOf(r.amount, new Dec(r.consumed)),
    burnDown: burnDown(r.amount, months),
    activeWarnings: r.activeWarnings,
    updatedAt: iso(r.updatedAt),
  };
}

interface WarningRowLike {
  id: string;
  subjectType: string;
  subjectId: string;
  unitId: string;
  providerId: string | null;
  kind: string;
  milestoneSeq: number;
  details: unknown;
  firstSeenAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
}

function toWarning(w: WarningRowLike, subjectName: string | null): Warning {
  return {
    id: String(w.id),
    subjectType: w.subjectType as Warning['subjectType'],
    subjectId: w.subjectId,
    subjectName,
    unitId: w.unitId,
    providerId: w.providerId,
    kind: w.kind as Warning['kind'],
    milestoneSeq: w.milestoneSeq,
    details: (w.details ?? {}) as Warning['details'],
    firstSeenAt: iso(w.firstSeenAt),
    lastSeenAt: iso(w.lastSeenAt),
    resolvedAt: w.resolvedAt ? iso(w.resolvedAt) : null,
  };
}
