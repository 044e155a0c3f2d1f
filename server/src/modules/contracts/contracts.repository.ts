import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.js';
import type { ConsumptionRecord, ContractListQuery } from './contracts.schemas.js';

export interface ContractRow {
  id: string;
  unitId: string;
  unitName: string;
  providerId: string;
  providerName: string;
  contractNo: string;
  name: string;
  amount: string;
  serviceStart: string;
  serviceEnd: string;
  signedDate: string | null;
  fiscalYears: number[];
  status: string;
  notes: string | null;
  updatedAt: Date;
  consumed: string;
  activeWarnings: number;
}

/**
 * Billed months counted against a contract: same unit and provider, months overlapping the service period, and —
 * when the contract names information systems — only those systems' amounts.
 */
const contractConsumptionWhere = sql`cc.unit_id = c.unit_id and cc.provider_id = c.provider_id
  and cc.month >= date_trunc('month', c.service_start)::date and cc.month <= c.service_end
  and (not exists (select 1 from contract_systems s where s.contract_id = c.id)
       or cc.system_id in (select s.system_id from contract_systems s where s.contract_id = c.id))`;

/** Billed months counted against a budget: the unit's (or the one system's) amounts of the fiscal (calendar) year. */
const budgetConsumptionWhere = sql`cc.unit_id = b.unit_id and extract(year from cc.month) = b.fiscal_year
  and (b.system_id is null or cc.system_id = b.system_id)`;

export async function listContracts(trx: Tx, q: ContractListQuery & { id?: string }): Promise<ContractRow[]> {
  const filters = [sql`true`];
  if (q.id) filters.push(sql`c.id = ${q.id}`);
  if (q.unitId) filters.push(sql`c.unit_id = ${q.unitId}`);
  if (q.providerId) filters.push(sql`c.provider_id = ${q.providerId}`);
  if (q.status) filters.push(sql`c.status = ${q.status}`);
  if (q.fiscalYear) filters.push(sql`${q.fiscalYear}::int = any(c.fiscal_years)`);
  if (q.q) filters.push(sql`(c.name ilike ${`%${q.q}%`} or c.contract_no ilike ${`%${q.q}%`})`);
  const r = await sql<ContractRow>`
    select c.id, c.unit_id, c.unit_name, c.provider_id, c.provider_name, c.contract_no, c.name, c.amount::text as amount,
           c.service_start, c.service_end, c.signed_date, c.fiscal_years, c.status, c.notes, c.updated_at,
           coalesce((select sum(cc.amount) from contract_consumption cc where ${contractConsumptionWhere}), 0)::text as consumed,
           (select count(*) from contract_warnings w where w.subject_type = 'contract' and w.subject_id = c.id and w.resolved_at is null)::int as active_warnings
    from contracts c
    where ${sql.join(filters, sql` and `)}
    order by c.service_start desc, c.contract_no
    limit 1000`.execute(trx);
  return r.rows;
}

export async function contractMonths(trx: Tx, contractId: string): Promise<Array<{ month: string; amount: string }>> {
  const r = await sql<{ month: string; amount: string }>`
    select to_char(cc.month, 'YYYY-MM') as month, sum(cc.amount)::text as amount
    from contracts c join contract_consumption cc on ${contractConsumptionWhere}
    where c.id = ${contractId}
    group by 1 order by 1`.execute(trx);
  return r.rows;
}

export interface BudgetRow {
  id: string;
  unitId: string;
  unitName: string;
  systemId: string | null;
  systemName: string | null;
  fiscalYear: number;
  amount: string;
  notes: string | null;
  updatedAt: Date;
  consumed: string;
  activeWarnings: number;
}

export async function listBudgets(trx: Tx, q: { unitId?: string; fiscalYear?: number; id?: string }): Promise<BudgetRow[]> {
  const filters = [sql`true`];
  if (q.id) filters.push(sql`b.id = ${q.id}`);
  if (q.unitId) filters.push(sql`b.unit_id = ${q.unitId}`);
  if (q.fiscalYear) filters.push(sql`b.fiscal_year = ${q.fiscalYear}`);
  const r = await sql<BudgetRow>`
    select b.id, b.unit_id, b.unit_name, b.system_id, b.system_name, b.fiscal_year, b.amount::text as amount, b.notes, b.updated_at,
           coalesce((select sum(cc.amount) from contract_consumption cc where ${budgetConsumptionWhere}), 0)::text as consumed,
           (select count(*) from contract_warnings w where w.subject_type = 'budget' and w.subject_id = b.id and w.resolved_at is null)::int as active_warnings
    from budgets b
    where ${sql.join(filters, sql` and `)}
    order by b.fiscal_year desc, b.unit_name, b.system_name nulls first
    limit 1000`.execute(trx);
  return r.rows;
}

export async function budgetMonths(trx: Tx, budgetId: string): Promise<Array<{ month: string; amount: string }>> {
  const r = await sql<{ month: string; amount: string }>`
    select to_char(cc.month, 'YYYY-MM') as month, sum(cc.amount)::text as amount
    from budgets b join contract_consumption cc on ${budgetConsumptionWhere}
    where b.id = ${budgetId}
    group by 1 order by 1`.execute(trx);
  return r.rows;
}

/** Upserts the billed amount of one unit × provider × system × month (the latest figure replaces the earlier one). */
export async function upsertConsumption(trx: Tx, rec: Required<Omit<ConsumptionRecord, 'systemId'>> & { systemId: string | null }): Promise<void> {
  await sql`
    insert into contract_consumption (unit_id, provider_id, system_id, month, amount, recorded_at)
    values (${rec.unitId}, ${rec.providerId}, ${rec.systemId}, ${rec.month}::date, ${rec.amount}::numeric, now())
    on conflict (unit_id, provider_id, coalesce(system_id, '00000000-0000-0000-0000-000000000000'::uuid), month)
    do update set amount = excluded.amount, recorded_at = excluded.recorded_at`.execute(trx);
}

export interface CurrentWarning {
  subjectType: 'contract' | 'budget';
  subjectId: string;
  unitId: string;
  providerId: string | null;
  kind: string;
  milestoneSeq: number;
  details: Record<string, string | number | null>;
}

/**
 * Makes the stored warnings equal to `current`: upserts each (first_seen_at kept, reopened if it was resolved) and
 * resolves the open ones not in the list. Returns how many were newly raised and resolved.
 */
export async function syncWarnings(trx: Tx, current: CurrentWarning[]): Promise<{ raised: number; resolved: number }> {
  let raised = 0;
  for (const w of current) {
    const r = await sql<{ inserted: boolean; reopened: boolean }>`
      insert into contract_warnings as cw (subject_type, subject_id, unit_id, provider_id, kind, milestone_seq, details)
      values (${w.subjectType}, ${w.subjectId}, ${w.unitId}, ${w.providerId}, ${w.kind}, ${w.milestoneSeq}, ${JSON.stringify(w.details)}::jsonb)
      on conflict (subject_type, subject_id, kind, milestone_seq)
      do update set details = excluded.details, last_seen_at = now(), resolved_at = null,
                    first_seen_at = case when cw.resolved_at is not null then now() else cw.first_seen_at end
      returning (xmax = 0) as inserted, false as reopened`.execute(trx);
    if (r.rows[0]?.inserted) raised++;
  }
  const keys = current.map((w) => `${w.subjectType}|${w.subjectId}|${w.kind}|${w.milestoneSeq}`);
  const resolved = await sql`
    update contract_warnings set resolved_at = now()
    where resolved_at is null
      and not (subject_type || '|' || subject_id || '|' || kind || '|' || milestone_seq = any(${keys}::text[]))`.execute(trx);
  return { raised, resolved: Number(resolved.numAffectedRows ?? 0) };
}
