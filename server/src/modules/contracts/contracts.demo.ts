import { sql } from 'kysely';
import { systemContext } from '../../platform/context.js';
import { withTx, type Db } from '../../platform/db/database.js';
import type { ContractInput } from './contracts.schemas.js';
import type { ContractsService } from './contracts.service.js';

/**
 * The demo city's contracts and budgets, from the real orders of the seeds (orders.json): seed 001 (市医保局大数据中心,
 * 431.3088 万元, 70% after the contract takes effect, 30% after acceptance) and seed 002 packages 2 and 3 (市公共资源交易中心,
 * ceilings 79.2898 and 44.4816 万元, 50% / 16.67% / 33.33% by 2026-06-30, 2026-12-31, 2027-06-30). Providers are the
 * demo's fictional ones. Each contract links the unit's systems on the provider's nodes. Budgets: the seeds' 预算金额.
 *
 * Called by the demo loader with the organisation IDs by demo key (healthData, trading, providerA/B/C), after the
 * systems exist; skips a contract whose unit or provider is missing. Idempotent enough for a fresh demo: a second call
 * fails on the contract numbers (contracts.number_taken) and should not be made.
 */
export async function loadDemoContracts(db: Db, contracts: ContractsService, orgIds: ReadonlyMap<string, string>): Promise<number> {
  const ctx = systemContext('demo-loader');
  const systemsOf = (unitId: string, providerId: string) =>
    withTx(db, ctx, async (trx) =>
      (await sql<{ id: string }>`select s.id from information_systems s join cloud_nodes n on n.id = s.node_id join organisations o on o.id = s.unit_id
        where ${unitId}::uuid = any(o.path) and n.provider_org_id = ${providerId}::uuid order by s.system_no`.execute(trx)).rows.map((r) => r.id));
  const wanted: Array<{ unit: string; provider: string; input: Omit<ContractInput, 'unitId' | 'providerId' | 'systemIds'> }> = [
    {
      unit: 'healthData',
      provider: 'providerC',
      input: {
        contractNo: 'YB-DSJ-2025-001',
        name: '北京市医疗保障局大数据中心2025年基于医疗数据的应用场景分析系统政务云服务合同',
        amount: '4313088.00',
        serviceStart: '2025-12-25',
        serviceEnd: '2026-12-24',
        signedDate: '2025-12-20',
        fiscalYears: [2025, 2026],
        status: 'active',
        milestones: [
          { name: '首款', condition: '项目合同生效后，采购人按支付流程支付合同金额的70%', percent: '70', dueDate: '2026-01-31', paidDate: '2026-01-26' },
          { name: '尾款', condition: '项目验收完成后，支付合同金额的30%', percent: '30', dueDate: '2026-12-24' },
        ],
      },
    },
    {
      unit: 'trading',
      provider: 'providerA',
      input: {
        contractNo: 'GGZY-2026-02',
        name: '北京市公共资源交易中心政务云资源租用服务项目（2026年度）第二包',
        amount: '792898.00',
        serviceStart: '2026-02-01',
        serviceEnd: '2026-12-31',
        signedDate: '2026-01-20',
        fiscalYears: [2026],
        status: 'active',
        milestones: [
          { name: '首款', condition: '合同签署生效且财政资金拨付到位后，于2026年6月30日前支付合同额50%', percent: '50', dueDate: '2026-06-30', paidDate: '2026-06-18' },
          { name: '中期款', condition: '阶段性验收通过后15个工作日内（2026年12月31日前）支付合同额16.67%', percent: '16.67', dueDate: '2026-12-31' },
          { name: '尾款', condition: '项目通过最终验收后，于2027年6月30日前支付合同尾款（合同额33.33%）', percent: '33.33', dueDate: '2027-06-30' },
        ],
      },
    },
    {
      unit: 'trading',
      provider: 'providerB',
      input: {
        contractNo: 'GGZY-2026-03',
        name: '北京市公共资源交易中心政务云资源租用服务项目（2026年度）第三包',
        amount: '444816.00',
        serviceStart: '2026-02-01',
        serviceEnd: '2026-12-31',
        signedDate: '2026-01-20',
        fiscalYears: [2026],
        status: 'active',
        milestones: [
          { name: '首款', condition: '2026年6月30日前支付合同额50%', percent: '50', dueDate: '2026-06-30' },
          { name: '中期款', condition: '阶段性验收通过后15个工作日内（2026年12月31日前）', percent: '16.67', dueDate: '2026-12-31' },
          { name: '尾款', condition: '最终验收后，2027年6月30日前', percent: '33.33', dueDate: '2027-06-30' },
        ],
      },
    },
  ];
  let created = 0;
  for (const w of wanted) {
    const unitId = orgIds.get(w.unit);
    const providerId = orgIds.get(w.provider);
    if (!unitId || !providerId) continue;
    await contracts.createContract(ctx, { ...w.input, unitId, providerId, systemIds: await systemsOf(unitId, providerId) });
    created++;
  }
  const budgets: Array<{ unit: string; fiscalYear: number; amount: string; notes: string }> = [
    { unit: 'healthData', fiscalYear: 2026, amount: '4313088.00', notes: '项目预算金额：431.3088万元（种子 001）' },
    { unit: 'trading', fiscalYear: 2026, amount: '1350234.06', notes: '第二包 86.498 万元 + 第三包 48.525406 万元（种子 002）' },
  ];
  for (const b of budgets) {
    const unitId = orgIds.get(b.unit);
    if (unitId) await contracts.createBudget(ctx, { unitId, fiscalYear: b.fiscalYear, amount: b.amount, notes: b.notes });
  }
  await contracts.runWarnings();
  return created;
}
