import { sql } from 'kysely';
import { hasPermission, systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound, validationError } from '../../platform/errors.js';
import { Dec, sum } from '../../platform/money.js';
import { recordAudit } from '../audit/index.js';
import type { ApplicationsService } from '../applications/index.js';
import type { BillingService } from '../billing/index.js';
import { nthWorkingDayAfter, type CalendarService } from '../calendar/index.js';
import type { CatalogService } from '../catalog/index.js';
import type { InventoryService, Resource } from '../inventory/index.js';
import type { QualityService } from '../quality/index.js';
import type { SecurityService } from '../security/index.js';
import type { ServiceDeskService, StatisticsRow } from '../servicedesk/index.js';
import { DEFAULT_GRADES, SET_003, SET_004 } from './evaluation.indicators.js';
import {
  efficiencyOf,
  formulaText,
  judgeHost,
  savingOf,
  scoreIndicator,
  totalOf,
  validateFormula,
  validateIndicatorSet,
  type DimensionDef,
  type Formula,
  type GradeDef,
  type GroupHost,
  type HostSpec,
  type IndicatorDef,
  type IndicatorResult,
  type IndicatorSource,
  type Thresholds,
  type Weights,
} from './evaluation.rules.js';
import type { FigureSources, HostUtilisation, SystemEgressRow } from './evaluation.sources.js';
import { acceptedObjectionOverrides, applyOverrides } from './evaluation.overrides.js';

/** Efficiency of a unit or a system in a month (stored when the month is computed). */
export interface EfficiencyRow {
  month: string;
  level: 'unit' | 'system';
  unit: { id: string; name: string };
  system: { id: string; name: string } | null;
  provider: { id: string; name: string } | null;
  hosts: number;
  vcpu: string;
  memoryGb: string;
  storageGb: string;
  /** Billed amount of the month (元), null when no bill exists. */
  cost: string | null;
  cpuP95: string | null;
  cpuAvg: string | null;
  memP95: string | null;
  memAvg: string | null;
  idleHosts: number | null;
  oversizedHosts: number | null;
  potentialSaving: string | null;
  score: string | null;
  /** Why `score` is null: no_data_source (暂无数据来源) or no_data (样本不足). */
  missing: 'no_data_source' | 'no_data' | null;
  components: Record<string, string | null>;
  formulaVersion: number;
  /**
   * Egress of the month (应用系统网络出口使用数据): highest daily peaks up / down in Mbps and of link usage in %; a unit
   * row sums its systems' peaks (an upper bound: peaks need not coincide) and takes the highest link usage.
   * `missing`: no_data_source (monitoring's egress not wired when the month was computed) or no_data (no egress series).
   */
  network: { upPeakMbps: string | null; downPeakMbps: string | null; linkUsagePeak: string | null; daysWithData: number; missing: 'no_data_source' | 'no_data' | null };
  /** Traffic volume and visits: no interface table carries them yet — always 暂无数据来源, never 0. */
  traffic: { value: string | null; missing: 'no_data_source' | 'no_data' | null };
  visits: { value: string | null; missing: 'no_data_source' | 'no_data' | null };
}

type StoredNetwork = { upPeakMbps: number | null; downPeakMbps: number | null; linkUsagePeak: number | null; daysWithData: number } | null;

/** The month's egress figures of one efficiency row (system: its own; unit: its systems'), as stored in `components.network`. */
export function networkOf(rows: SystemEgressRow[]): StoredNetwork {
  if (rows.length === 0) return null;
  const add = (k: 'upPeakMbps' | 'downPeakMbps') => (rows.some((r) => r[k] !== null) ? rows.reduce((a, r) => a.plus(r[k] ?? 0), new Dec(0)).toDecimalPlaces(2).toNumber() : null);
  const usage = rows.map((r) => r.linkUsagePeak).filter((x): x is number => x !== null);
  return { upPeakMbps: add('upPeakMbps'), downPeakMbps: add('downPeakMbps'), linkUsagePeak: usage.length ? new Dec(Math.max(...usage)).toDecimalPlaces(2).toNumber() : null, daysWithData: Math.max(...rows.map((r) => r.daysWithData)) };
}

export interface Advice {
  id: string;
  month: string;
  resourceId: string;
  resourceName: string;
  system: { id: string; name: string } | null;
  unit: { id: string; name: string };
  provider: { id: string; name: string };
  kind: 'idle' | 'oversized';
  currentVcpu: string;
  proposedVcpu: string;
  currentMemoryGb: string;
  proposedMemoryGb: string;
  vcpuPrice: string | null;
  memoryPrice: string | null;
  saving: string | null;
  explanation: string;
  evidence: { from: string; to: string; cpuP95: number | null; cpuAvg: number | null; memP95: number | null; memAvg: number | null; hoursWithData: number; hoursInWindow: number };
  status: 'open' | 'accepted' | 'dismissed';
  reason: string | null;
  applicationId: string | null;
  decidedAt: string | null;
  abilities: { accept: boolean; dismiss: boolean };
}

export interface IndicatorSet {
  id: string;
  code: string;
  version: number;
  name: string;
  dimensions: DimensionDef[];
  grades: GradeDef[];
  createdAt: string;
  latest: boolean;
}

export interface ProviderRun {
  id: string;
  setId: string;
  setCode: string;
  setVersion: number;
  setName: string;
  month: string;
  revision: number;
  status: 'draft' | 'reviewed' | 'published' | 'superseded';
  computedAt: string;
  reviewedAt: string | null;
  reviewComment: string | null;
  publishedAt: string | null;
}

export interface ProviderScore {
  provider: { id: string; name: string };
  total: string | null;
  coverage: string;
  grade: string | null;
  rank: number | null;
  indicators: IndicatorResult[];
}

export interface ProviderRunDetail extends ProviderRun {
  scores: ProviderScore[];
  abilities: { review: boolean; publish: boolean; rerun: boolean };
}

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;
export function monthWindow(month: string, field = 'month'): { from: Date; to: Date; first: string; last: string } {
  if (!MONTH_RE.test(month)) throw validationError('evaluation.invalid_month', 'The month is YYYY-MM', [{ field, rule: 'month', message: 'YYYY-MM', value: month }]);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = new Date(Date.UTC(y, m - 1, 1) - 8 * 3_600_000);
  const to = new Date(Date.UTC(y, m, 1) - 8 * 3_600_000);
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return { from, to, first: `${month}-01`, last };
}
const monthText = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 7) : new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 7));
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const num = (v: string | undefined | null) => {
  if (v === undefined || v === null || v === '') return 0;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : 0;
};
const STORAGE_KEYS = ['standardStorageGb', 'highPerfStorageGb', 'staticStorageGb', 'localVideoStorageGb', 'offsiteStorageGb'];
const SOURCE_CN: Record<IndicatorSource, string> = {
  data_quality: '数据质量', sla: '可用性/SLA', ticket_response: '服务台', ticket_recovery: '服务台', satisfaction: '服务台', vuln_on_time: '安全监管',
  capacity_on_time: '监控容量预警', drills: '运维管理（应急演练）', qualifications: '运维管理（资质）', inspections: '运维管理（巡检）', manual: '人工评分',
};

/**
 * Evaluation (评估评价): monthly unit / system cloud efficiency with a versioned score formula and rightsizing advice
 * priced at the provider's price list, provider evaluation with versioned indicator systems, the 月报 and overview.
 * Reads other modules only through their index.ts services (billing, inventory, catalog, quality, service desk,
 * security) and the optional FigureSources (monitoring, availability, operations).
 */
export class EvaluationService {
  private sources: FigureSources = {};

  constructor(
    private readonly db: Db,
    private readonly deps: {
      inventory: InventoryService;
      billing: BillingService;
      catalog: CatalogService;
      quality: QualityService;
      serviceDesk: ServiceDeskService;
      security: SecurityService;
      applications: ApplicationsService;
      calendar: CalendarService;
    },
    sources: FigureSources = {},
  ) {
    this.sources = sources;
  }

  /** Wires the figures of modules built after this one (monitoring, availability, operations); absent → 暂无数据来源. */
  setFigureSources(sources: FigureSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** Which figure sources are wired (shown on the pages). */
  sourceStatus(): Record<'utilisation' | 'capacity' | 'sla' | 'drills' | 'qualifications' | 'inspections', boolean> {
    const s = this.sources;
    return {
      utilisation: !!s.monitoring?.hostUtilisation,
      capacity: !!s.monitoring?.capacityWarningsSummary,
      sla: !!s.availability?.slaCompliance,
      drills: !!s.operations?.drillCounts,
      qualifications: !!s.operations?.qualificationStatus,
      inspections: !!s.operations?.inspectionCounts,
    };
  }

  // ---- formula ----------------------------------------------------------------------------------------------------

  async formulas(ctx: RequestContext): Promise<Array<Formula & { text: string }>> {
    return withTx(this.db, ctx, async (trx) => (await this.formulaRows(trx)).map((f) => ({ ...f, text: formulaText(f) })));
  }

  private async formulaRows(trx: Tx): Promise<Formula[]> {
    const rows = await trx.selectFrom('evalFormulas').selectAll().orderBy('version', 'desc').execute();
    return rows.map((r) => ({ version: r.version, weights: r.weights as Weights, thresholds: r.thresholds as unknown as Thresholds, note: r.note, createdAt: iso(r.createdAt)! }));
  }

  /** A new formula version (the management unit); months computed before keep theirs. Weights must add up to 100. */
  async createFormula(ctx: RequestContext, input: { weights: Weights; thresholds?: Partial<Thresholds>; note?: string | null }): Promise<Formula & { text: string }> {
    return withTx(this.db, ctx, async (trx) => {
      const [current] = await this.formulaRows(trx);
      const thresholds = { ...current!.thresholds, ...(input.thresholds ?? {}) } as Thresholds;
      validateFormula(input.weights, thresholds);
      await sql`select pg_advisory_xact_lock(hashtext('eval_formulas'))`.execute(trx);
      const version = (current?.version ?? 0) + 1;
      await trx.insertInto('evalFormulas').values({ version, weights: JSON.stringify(input.weights), thresholds: JSON.stringify(thresholds), note: input.note ?? null, createdBy: ctx.actor.userId }).execute();
      await recordAudit(trx, ctx, { action: 'evaluation.formula', targetType: 'eval_formula', targetId: String(version), after: { weights: input.weights, thresholds } });
      const f = (await this.formulaRows(trx))[0]!;
      return { ...f, text: formulaText(f) };
    });
  }

  // ---- efficiency -------------------------------------------------------------------------------------------------

  /**
   * Computes a month's efficiency per unit and system and its rightsizing advice. The month keeps the formula version
   * it was first computed with (a recomputation uses it again, unless `formulaVersion` is given); decided advice
   * (accepted / dismissed) is kept as it was.
   */
  async computeEfficiency(ctx: RequestContext, input: { month: string; formulaVersion?: number }): Promise<{ month: string; formulaVersion: number; units: number; systems: number; hosts: number; advice: number; utilisationSource: boolean }> {
    const w = monthWindow(input.month, 'body.month');
    const sys = systemContext('evaluation.efficiency');
    const hosts = await this.activeHosts(sys);
    const utilSource = this.sources.monitoring?.hostUtilisation;
    const util = new Map<string, HostUtilisation>();
    if (utilSource) for (const u of await utilSource.call(this.sources.monitoring, sys, { from: w.from, to: w.to })) util.set(u.resourceId, u);
    const egressSource = this.sources.monitoring?.systemEgress;
    const egress = new Map<string, SystemEgressRow>();
    if (egressSource) for (const e of await egressSource.call(this.sources.monitoring, sys, { from: w.from, to: w.to })) egress.set(e.systemId, e);
    const costByUnit = new Map<string, string>();
    const costBySystemNo = new Map<string, string>();
    for (const r of (await this.deps.billing.overview(sys, { from: input.month, to: input.month, groupBy: 'unit' })).rows) costByUnit.set(r.key, r.total);
    for (const r of (await this.deps.billing.overview(sys, { from: input.month, to: input.month, groupBy: 'system' })).rows) if (r.key) costBySystemNo.set(r.key, r.total);
    const prices = await this.providerPrices(sys, w.last);
    const result = await withTx(this.db, sys, async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('eval_efficiency'), ${Number(input.month.replace('-', ''))})`.execute(trx);
      const pinned = await trx.selectFrom('evalEfficiencyMonths').select('formulaVersion').where('month', '=', w.first).executeTakeFirst();
      const formulas = await this.formulaRows(trx);
      const version = input.formulaVersion ?? pinned?.formulaVersion ?? formulas[0]!.version;
      const formula = formulas.find((f) => f.version === version);
      if (!formula) throw validationError('evaluation.unknown_formula', 'No such formula version', [{ field: 'body.formulaVersion', rule: 'exists', message: 'an existing formula version', value: version }]);
      const groups = new Map<string, { level: 'unit' | 'system'; unitId: string; unitName: string; systemName: string | null; providerName: string | null; systemId: string | null; systemNo: string | null; providerId: string | null; members: GroupHost[]; res: Resource[]; systems: Set<string> }>();
      const judged: Array<{ r: Resource; g: GroupHost }> = [];
      for (const r of hosts) {
        if (!r.unit) continue;
        const spec: HostSpec = { resourceId: r.id, name: r.name, vcpu: num(r.quantities.cpuCores), memoryGb: num(r.quantities.memoryGb) };
        const u = util.get(r.id);
        const g: GroupHost = { spec, u, verdict: judgeHost(spec, u, formula.thresholds) };
        judged.push({ r, g });
        const keys: Array<[string, 'unit' | 'system', string | null]> = [[`u|${r.unit.id}`, 'unit', null]];
        if (r.system) keys.push([`s|${r.system.id}`, 'system', r.system.id]);
        for (const [k, level, systemId] of keys) {
          let grp = groups.get(k);
          if (!grp) groups.set(k, (grp = { level, unitId: r.unit.id, unitName: r.unit.name ?? '', systemName: level === 'system' ? r.system?.name ?? null : null, providerName: level === 'system' ? r.provider.name : null, systemId, systemNo: level === 'system' ? r.systemNo : null, providerId: level === 'system' ? r.provider.id : null, members: [], res: [], systems: new Set() }));
          grp.members.push(g);
          if (r.system) grp.systems.add(r.system.id);
          grp.res.push(r);
        }
      }
      // Advice first: its savings add up to the groups' potential savings.
      const savingByResource = new Map<string, Dec>();
      let adviceCount = 0;
      const adviceRows: Array<Record<string, unknown> & { month: string; resourceId: string }> = [];
      for (const { r, g } of judged) {
        const v = g.verdict;
        if ((v.kind !== 'idle' && v.kind !== 'oversized') || !g.u) continue;
        if (v.proposedVcpu >= g.spec.vcpu && v.proposedMemoryGb >= g.spec.memoryGb) continue;
        const p = prices.get(r.provider.id) ?? { vcpu: null, memoryGb: null, listId: null };
        const s = savingOf(g.spec, v.proposedVcpu, v.proposedMemoryGb, p);
        if (s.amount !== null) savingByResource.set(r.id, new Dec(s.amount));
        const evidence = { from: w.first, to: w.last, cpuP95: g.u.cpuP95, cpuAvg: g.u.cpuAvg, memP95: g.u.memP95, memAvg: g.u.memAvg, hoursWithData: g.u.hoursWithData, hoursInWindow: g.u.hoursInWindow };
        const values = {
          month: w.first, resourceId: r.id, resourceName: r.name, systemId: r.system?.id ?? null, unitOrgId: r.unit!.id, providerOrgId: r.provider.id, kind: v.kind,
          unitName: r.unit!.name ?? '', systemName: r.system?.name ?? null, providerName: r.provider.name ?? '',
          currentVcpu: String(g.spec.vcpu), proposedVcpu: String(v.proposedVcpu), currentMemoryGb: String(g.spec.memoryGb), proposedMemoryGb: String(v.proposedMemoryGb),
          vcpuPrice: p.vcpu, memoryPrice: p.memoryGb, saving: s.amount, priceListId: p.listId, explanation: s.explanation, evidence: JSON.stringify(evidence),
        };
        adviceRows.push(values);
        adviceCount++;
      }
      // Open advice is replaced by this computation's (a host no longer oversized loses it); decided advice
      // (accepted / dismissed) stays as it was and is not advised again for the month.
      await trx.deleteFrom('evalAdvice').where('month', '=', w.first).where('status', '=', 'open').execute();
      for (let i = 0; i < adviceRows.length; i += 500) {
        await trx.insertInto('evalAdvice').values(adviceRows.slice(i, i + 500) as never).onConflict((oc) => oc.columns(['month', 'resourceId']).doNothing()).execute();
      }
      await trx.deleteFrom('evalEfficiencyScores').where('month', '=', w.first).execute();
      await trx.insertInto('evalEfficiencyMonths').values({ month: w.first, formulaVersion: version, utilisationSource: !!utilSource })
        .onConflict((oc) => oc.column('month').doUpdateSet({ formulaVersion: version, utilisationSource: !!utilSource, computedAt: new Date() })).execute();
      let units = 0;
      let systems = 0;
      const rows = [];
      for (const grp of groups.values()) {
        const f = efficiencyOf(grp.members, formula, !!utilSource);
        const savings = grp.res.map((r) => savingByResource.get(r.id)).filter((x): x is Dec => !!x);
        const cost = grp.level === 'unit' ? costByUnit.get(grp.unitId) ?? null : grp.systemNo ? costBySystemNo.get(grp.systemNo) ?? null : null;
        if (grp.level === 'unit') units++;
        else systems++;
        rows.push({
          month: w.first, level: grp.level, unitOrgId: grp.unitId, systemId: grp.systemId, providerOrgId: grp.providerId, unitName: grp.unitName, systemName: grp.systemName, providerName: grp.providerName, hosts: grp.members.length,
          vcpu: String(grp.members.reduce((a, m) => a + m.spec.vcpu, 0)), memoryGb: String(grp.members.reduce((a, m) => a + m.spec.memoryGb, 0)),
          storageGb: String(grp.res.reduce((a, r) => a + STORAGE_KEYS.reduce((b, k) => b + num(r.quantities[k]), 0), 0)),
          cost, cpuP95: f.cpuP95, cpuAvg: f.cpuAvg, memP95: f.memP95, memAvg: f.memAvg, idleHosts: f.idleHosts, oversizedHosts: f.oversizedHosts,
          potentialSaving: utilSource ? sum(savings).toFixed(2) : null, score: f.score, components: JSON.stringify({ ...f.components, missing: f.missing, judged: f.judged, ...(egressSource ? { network: networkOf([...grp.systems].map((id) => egress.get(id)).filter((x): x is SystemEgressRow => !!x)) } : {}) }), formulaVersion: version,
        });
      }
      for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('evalEfficiencyScores').values(rows.slice(i, i + 1000)).execute();
      if (ctx.actor.kind !== 'system') await recordAudit(trx, ctx, { action: 'evaluation.efficiency', targetType: 'eval_month', targetId: input.month, after: { formulaVersion: version, units, systems, advice: adviceCount } });
      return { month: input.month, formulaVersion: version, units, systems, hosts: judged.length, advice: adviceCount, utilisationSource: !!utilSource };
    });
    await this.afterChange(input.month, ['efficiency', 'advice']);
    return result;
  }

  private async activeHosts(ctx: RequestContext): Promise<Resource[]> {
    const out: Resource[] = [];
    for (let page = 1; ; page++) {
      const r = await this.deps.inventory.list(ctx, { kind: 'cloud_host', status: 'active', page, pageSize: 200 });
      out.push(...r.items);
      if (r.items.length < 200) break;
    }
    return out;
  }

  /** vCPU (1001) and memory (1002) monthly prices of each provider's approved price list in force on `day`. */
  private async providerPrices(ctx: RequestContext, day: string): Promise<Map<string, { vcpu: string | null; memoryGb: string | null; listId: string | null }>> {
    const lists = (await this.deps.catalog.listPriceLists(ctx)).filter((l) => l.status === 'approved' && l.effectiveFrom <= day && (l.effectiveTo === null || l.effectiveTo >= day));
    lists.sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
    const out = new Map<string, { vcpu: string | null; memoryGb: string | null; listId: string | null }>();
    await withTx(this.db, ctx, async (trx) => {
      for (const l of lists) {
        if (out.has(l.provider.id)) continue;
        const p = await this.deps.catalog.approvedPricesIn(trx, ctx, l.id);
        const monthly = (code: string) => {
          const x = p?.prices.get(code);
          return x && x.billingPeriod === 'month' ? new Dec(x.unitPrice).toFixed(2) : null;
        };
        out.set(l.provider.id, { vcpu: monthly('1001'), memoryGb: monthly('1002'), listId: l.id });
      }
    });
    return out;
  }

  /** Months computed, newest first, with their formula version. */
  async efficiencyMonths(ctx: RequestContext): Promise<Array<{ month: string; formulaVersion: number; utilisationSource: boolean; computedAt: string }>> {
    return withTx(this.db, ctx, async (trx) =>
      (await trx.selectFrom('evalEfficiencyMonths').selectAll().orderBy('month', 'desc').execute()).map((r) => ({ month: monthText(r.month), formulaVersion: r.formulaVersion, utilisationSource: r.utilisationSource, computedAt: iso(r.computedAt)! })),
    );
  }

  /** A month's efficiency rows the caller may see (a unit: its own), lowest score first; with the month's formula. */
  async efficiency(ctx: RequestContext, q: { month: string; level?: 'unit' | 'system'; unitId?: string }): Promise<{ month: string; formula: (Formula & { text: string }) | null; utilisationSource: boolean; items: EfficiencyRow[] }> {
    const w = monthWindow(q.month, 'query.month');
    return withTx(this.db, ctx, async (trx) => {
      const m = await trx.selectFrom('evalEfficiencyMonths').selectAll().where('month', '=', w.first).executeTakeFirst();
      const formula = m ? (await this.formulaRows(trx)).find((f) => f.version === m.formulaVersion) ?? null : null;
      let query = trx
        .selectFrom('evalEfficiencyScores as e')
        .selectAll('e')
        .where('e.month', '=', w.first)
        .where('e.level', '=', q.level ?? 'unit');
      if (q.unitId) query = query.where('e.unitOrgId', '=', q.unitId);
      const rows = await query.orderBy(sql`e.score asc nulls last`).orderBy('e.unitName').execute();
      return {
        month: q.month,
        formula: formula ? { ...formula, text: formulaText(formula) } : null,
        utilisationSource: m?.utilisationSource ?? false,
        items: rows.map((r) => {
          const c = r.components as Record<string, string | null> & { missing?: EfficiencyRow['missing']; network?: StoredNetwork };
          const { missing, network, ...components } = c;
          const n = (v: number | null | undefined) => (v === null || v === undefined ? null : new Dec(v).toFixed(2));
          return {
            month: q.month, level: r.level as 'unit' | 'system', unit: { id: r.unitOrgId, name: r.unitName }, system: r.systemId ? { id: r.systemId, name: r.systemName ?? '' } : null,
            provider: r.providerOrgId ? { id: r.providerOrgId, name: r.providerName ?? '' } : null, hosts: r.hosts, vcpu: String(r.vcpu), memoryGb: String(r.memoryGb), storageGb: String(r.storageGb),
            cost: r.cost === null ? null : new Dec(r.cost).toFixed(2), cpuP95: r.cpuP95 === null ? null : String(r.cpuP95), cpuAvg: r.cpuAvg === null ? null : String(r.cpuAvg),
            memP95: r.memP95 === null ? null : String(r.memP95), memAvg: r.memAvg === null ? null : String(r.memAvg), idleHosts: r.idleHosts, oversizedHosts: r.oversizedHosts,
            potentialSaving: r.potentialSaving === null ? null : new Dec(r.potentialSaving).toFixed(2), score: r.score === null ? null : new Dec(r.score).toFixed(2), missing: missing ?? null,
            components: { cpu: components.cpu ?? null, memory: components.memory ?? null, idle: components.idle ?? null, oversized: components.oversized ?? null }, formulaVersion: r.formulaVersion,
            network: network === undefined
              ? { upPeakMbps: null, downPeakMbps: null, linkUsagePeak: null, daysWithData: 0, missing: 'no_data_source' as const }
              : network === null
                ? { upPeakMbps: null, downPeakMbps: null, linkUsagePeak: null, daysWithData: 0, missing: 'no_data' as const }
                : { upPeakMbps: n(network.upPeakMbps), downPeakMbps: n(network.downPeakMbps), linkUsagePeak: n(network.linkUsagePeak), daysWithData: network.daysWithData, missing: null },
            traffic: { value: null, missing: 'no_data_source' as const },
            visits: { value: null, missing: 'no_data_source' as const },
          };
        }),
      };
    });
  }

  // ---- advice -----------------------------------------------------------------------------------------------------

  private adviceQuery(trx: Tx) {
    return trx
      .selectFrom('evalAdvice as a')
      .selectAll('a');
  }

  private toAdvice(ctx: RequestContext, r: Awaited<ReturnType<ReturnType<EvaluationService['adviceQuery']>['executeTakeFirstOrThrow']>>): Advice {
    const mine = ctx.actor.orgKind === 'user_unit' && hasPermission(ctx.actor, 'evaluation:advice');
    const open = r.status === 'open';
    const d = (v: string | number | null) => (v === null ? null : new Dec(v).toFixed(2));
    return {
      id: r.id, month: monthText(r.month), resourceId: r.resourceId, resourceName: r.resourceName, system: r.systemId ? { id: r.systemId, name: r.systemName ?? '' } : null,
      unit: { id: r.unitOrgId, name: r.unitName }, provider: { id: r.providerOrgId, name: r.providerName }, kind: r.kind as Advice['kind'],
      currentVcpu: new Dec(r.currentVcpu).toString(), proposedVcpu: new Dec(r.proposedVcpu).toString(), currentMemoryGb: new Dec(r.currentMemoryGb).toString(), proposedMemoryGb: new Dec(r.proposedMemoryGb).toString(),
      vcpuPrice: d(r.vcpuPrice), memoryPrice: d(r.memoryPrice), saving: d(r.saving), explanation: r.explanation, evidence: r.evidence as Advice['evidence'],
      status: r.status as Advice['status'], reason: r.reason, applicationId: r.applicationId, decidedAt: iso(r.decidedAt),
      abilities: { accept: mine && open && r.systemId !== null, dismiss: mine && open },
    };
  }

  /** Counts of the month's advice by status and the open advice's monthly saving (元), within the caller's scope. */
  async adviceSummary(ctx: RequestContext, month: string): Promise<{ open: number; accepted: number; dismissed: number; openSaving: string }> {
    const w = monthWindow(month, 'query.month');
    return withTx(this.db, ctx, async (trx) => {
      const rows = await trx.selectFrom('evalAdvice').select((eb) => ['status', eb.fn.countAll<string>().as('n'), eb.fn.sum<string | null>('saving').as('saving')]).where('month', '=', w.first).groupBy('status').execute();
      const by = new Map(rows.map((r) => [r.status, r]));
      return { open: Number(by.get('open')?.n ?? 0), accepted: Number(by.get('accepted')?.n ?? 0), dismissed: Number(by.get('dismissed')?.n ?? 0), openSaving: new Dec(by.get('open')?.saving ?? 0).toFixed(2) };
    });
  }

  /** Rightsizing advice the caller may see (a unit: its own), largest saving first. */
  async listAdvice(ctx: RequestContext, q: { month?: string; status?: Advice['status']; unitId?: string; systemId?: string }): Promise<Advice[]> {
    return withTx(this.db, ctx, async (trx) => {
      let query = this.adviceQuery(trx);
      if (q.month) query = query.where('a.month', '=', monthWindow(q.month, 'query.month').first);
      if (q.status) query = query.where('a.status', '=', q.status);
      if (q.unitId) query = query.where('a.unitOrgId', '=', q.unitId);
      if (q.systemId) query = query.where('a.systemId', '=', q.systemId);
      const rows = await query.orderBy(sql`a.saving desc nulls last`).orderBy('a.resourceName').limit(5000).execute();
      return rows.map((r) => this.toAdvice(ctx, r));
    });
  }

  async getAdvice(ctx: RequestContext, id: string): Promise<Advice> {
    return withTx(this.db, ctx, async (trx) => {
      const r = await this.adviceQuery(trx).where('a.id', '=', id).executeTakeFirst();
      if (!r) throw notFound('evaluation.advice', id);
      return this.toAdvice(ctx, r);
    });
  }

  private async openAdvice(trx: Tx, ctx: RequestContext, id: string) {
    const r = await trx.selectFrom('evalAdvice').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!r) throw notFound('evaluation.advice', id);
    if (ctx.actor.orgKind !== 'user_unit') throw new AppError('forbidden', 'evaluation.advice_unit_only', 'Only the unit that holds the host decides on its advice');
    if (r.status !== 'open') throw new AppError('conflict', 'evaluation.advice_decided', `This advice was already ${r.status}`, { status: r.status, applicationId: r.applicationId });
    return r;
  }

  /**
   * Accepts an advice: a draft 变更 (shrink) application of the host's system, prefilled with the vCPU (1001) and
   * memory (1002) lines of the resize (quantity after, signed delta), for the unit to review and submit.
   *
   * The advice row stays locked (FOR UPDATE) while the application is made, so a second accept of the same advice waits
   * and then gets 409 `evaluation.advice_decided` instead of making a second draft; should marking the advice fail after
   * the application was made, that draft is deleted again.
   */
  async acceptAdvice(ctx: RequestContext, id: string): Promise<{ advice: Advice; applicationId: string }> {
    const { month, applicationId } = await withTx(this.db, ctx, async (trx) => {
      const a = await this.openAdvice(trx, ctx, id);
      if (!a.systemId) throw validationError('evaluation.advice_no_system', 'The host is linked to no registered information system; a change application needs one', [{ field: 'id', rule: 'system_linked', message: 'host without a registered system', value: id }]);
      const lines = [];
      const cv = new Dec(a.currentVcpu);
      const pv = new Dec(a.proposedVcpu);
      const cm = new Dec(a.currentMemoryGb);
      const pm = new Dec(a.proposedMemoryGb);
      if (pv.lessThan(cv)) lines.push({ itemCode: '1001', quantity: pv.toString(), delta: pv.minus(cv).toString() });
      if (pm.lessThan(cm)) lines.push({ itemCode: '1002', quantity: pm.toString(), delta: pm.minus(cm).toString() });
      // The application is made in its own transaction (applications' own rules and audit) while this one holds the lock.
      const app = await this.deps.applications.create(ctx, {
        systemId: a.systemId, kind: 'change', changeType: 'shrink',
        title: `资源优化：${a.resourceName} 缩容（${monthText(a.month)} 效率评估建议）`.slice(0, 200),
        reason: `${a.explanation}。依据：${monthText(a.month)} 利用率（CPU p95 ${(a.evidence as Advice['evidence']).cpuP95 ?? '—'}%，内存 p95 ${(a.evidence as Advice['evidence']).memP95 ?? '—'}%）。`.slice(0, 2000),
        lines,
      });
      try {
        await trx.updateTable('evalAdvice').set({ status: 'accepted', applicationId: app.id, decidedBy: ctx.actor.userId, decidedAt: new Date() }).where('id', '=', id).execute();
        await recordAudit(trx, ctx, { action: 'evaluation.advice_accept', targetType: 'eval_advice', targetId: id, after: { applicationId: app.id } });
      } catch (e) {
        await this.deps.applications.delete(ctx, app.id).catch(() => undefined);
        throw e;
      }
      return { month: monthText(a.month), applicationId: app.id };
    });
    await this.afterChange(month, ['advice']);
    return { advice: await this.getAdvice(ctx, id), applicationId };
  }

  async dismissAdvice(ctx: RequestContext, id: string, reason: string): Promise<Advice> {
    await withTx(this.db, ctx, async (trx) => {
      await this.openAdvice(trx, ctx, id);
      await trx.updateTable('evalAdvice').set({ status: 'dismissed', reason, decidedBy: ctx.actor.userId, decidedAt: new Date() }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'evaluation.advice_dismiss', targetType: 'eval_advice', targetId: id, after: { reason } });
    });
    const advice = await this.getAdvice(ctx, id);
    await this.afterChange(advice.month, ['advice']);
    return advice;
  }

  // ---- indicator sets ---------------------------------------------------------------------------------------------

  /** Loads the seeds' two indicator systems as version 1 when absent (idempotent). */
  async ensureIndicatorSets(): Promise<void> {
    await withTx(this.db, systemContext('evaluation.sets'), async (trx) => {
      for (const s of [SET_004, SET_003]) {
        await trx.insertInto('evalIndicatorSets').values({ code: s.code, version: 1, name: s.name, dimensions: JSON.stringify(s.dimensions), grades: JSON.stringify(DEFAULT_GRADES) })
          .onConflict((oc) => oc.columns(['code', 'version']).doNothing()).execute();
      }
    });
  }

  async indicatorSets(ctx: RequestContext): Promise<IndicatorSet[]> {
    await this.ensureIndicatorSets();
    return withTx(this.db, ctx, async (trx) => {
      const rows = await trx.selectFrom('evalIndicatorSets').selectAll().orderBy('code').orderBy('version', 'desc').execute();
      const latest = new Map<string, number>();
      for (const r of rows) latest.set(r.code, Math.max(latest.get(r.code) ?? 0, r.version));
      return rows.map((r) => ({ id: r.id, code: r.code, version: r.version, name: r.name, dimensions: r.dimensions as unknown as DimensionDef[], grades: r.grades as unknown as GradeDef[], createdAt: iso(r.createdAt)!, latest: latest.get(r.code) === r.version }));
    });
  }

  /** A new version of an indicator system (runs of earlier months keep the version they were run with). */
  async createIndicatorSet(ctx: RequestContext, input: { code: string; name: string; dimensions: DimensionDef[]; grades?: GradeDef[] }): Promise<IndicatorSet> {
    const grades = input.grades ?? DEFAULT_GRADES;
    validateIndicatorSet(input.dimensions, grades);
    await this.ensureIndicatorSets();
    const id = await withTx(this.db, ctx, async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('eval_sets'))`.execute(trx);
      const prev = await trx.selectFrom('evalIndicatorSets').select((eb) => eb.fn.max('version').as('v')).where('code', '=', input.code).executeTakeFirst();
      const row = await trx.insertInto('evalIndicatorSets').values({ code: input.code, version: Number(prev?.v ?? 0) + 1, name: input.name, dimensions: JSON.stringify(input.dimensions), grades: JSON.stringify(grades), createdBy: ctx.actor.userId }).returning('id').executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'evaluation.indicator_set', targetType: 'eval_indicator_set', targetId: row.id, after: { code: input.code } });
      return row.id;
    });
    return (await this.indicatorSets(ctx)).find((s) => s.id === id)!;
  }

  private async setById(trx: Tx, id: string): Promise<IndicatorSet> {
    const r = await trx.selectFrom('evalIndicatorSets').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('evaluation.indicator_set', id);
    return { id: r.id, code: r.code, version: r.version, name: r.name, dimensions: r.dimensions as unknown as DimensionDef[], grades: r.grades as unknown as GradeDef[], createdAt: iso(r.createdAt)!, latest: false };
  }

  /** A supervision officer's score of a manual indicator, with its evidence; outside 0…max → evaluation.score_out_of_range. */
  async setManualScore(ctx: RequestContext, input: { setId: string; month: string; providerId: string; indicatorCode: string; score: number; evidence: string }): Promise<{ ok: true }> {
    const w = monthWindow(input.month, 'body.month');
    await withTx(this.db, ctx, async (trx) => {
      const set = await this.setById(trx, input.setId);
      const ind = set.dimensions.flatMap((d) => d.indicators).find((i) => i.code === input.indicatorCode);
      if (!ind) throw validationError('evaluation.unknown_indicator', 'No such indicator in this set', [{ field: 'body.indicatorCode', rule: 'exists', message: 'an indicator code of the set', value: input.indicatorCode }]);
      if (ind.rule.type !== 'manual') throw validationError('evaluation.not_manual', 'This indicator is computed from the platform’s data', [{ field: 'body.indicatorCode', rule: 'manual', message: `computed from ${SOURCE_CN[ind.source]}`, value: input.indicatorCode }]);
      if (!(input.score >= 0 && input.score <= ind.rule.max)) {
        throw validationError('evaluation.score_out_of_range', `The score must be from 0 to ${ind.rule.max}`, [{ field: 'body.score', rule: `range_0_${ind.rule.max}`, message: `from 0 to ${ind.rule.max}`, value: input.score }]);
      }
      const p = await trx.selectFrom('organisations').select(['id', 'kind']).where('id', '=', input.providerId).executeTakeFirst();
      if (!p || p.kind !== 'cloud_provider') throw validationError('evaluation.not_provider', 'Not a cloud provider', [{ field: 'body.providerId', rule: 'cloud_provider', message: 'a cloud provider', value: input.providerId }]);
      const values = { setId: input.setId, month: w.first, providerOrgId: input.providerId, indicatorCode: input.indicatorCode, score: String(input.score), evidence: input.evidence, scoredBy: ctx.actor.userId, scoredAt: new Date() };
      await trx.insertInto('evalManualScores').values(values).onConflict((oc) => oc.columns(['setId', 'month', 'providerOrgId', 'indicatorCode']).doUpdateSet(values)).execute();
      await recordAudit(trx, ctx, { action: 'evaluation.manual_score', targetType: 'eval_manual_score', targetId: `${input.setId}:${input.month}:${input.providerId}:${input.indicatorCode}`, after: { score: input.score } });
    });
    return { ok: true };
  }

  // ---- provider runs ----------------------------------------------------------------------------------------------

  /** The data-driven figure of each source per provider for a month: value + evidence, or why there is none. */
  private async providerFigures(month: string): Promise<Map<IndicatorSource, { wired: boolean; byProvider: Map<string, { value: number | boolean; evidence: string } | null> }>> {
    const sys = systemContext('evaluation.providers');
    const w = monthWindow(month);
    const out = new Map<IndicatorSource, { wired: boolean; byProvider: Map<string, { value: number | boolean; evidence: string } | null> }>();
    const put = (src: IndicatorSource, wired: boolean, entries: Array<[string, { value: number | boolean; evidence: string } | null]> = []) => out.set(src, { wired, byProvider: new Map(entries) });

    const quality = await this.deps.quality.summary(sys, { from: w.first, to: w.last });
    put('data_quality', true, quality.providers.map((p) => [p.providerOrgId, p.completeness === null ? null : { value: Number(p.completeness), evidence: `${w.first} 至 ${w.last} 数据完整率 ${(Number(p.completeness) * 100).toFixed(2)}%（目标 95%），${p.tablesCounted} 张表，低于目标 ${p.tablesBelowTarget.length} 张` }]));

    const stats = await this.deps.serviceDesk.ticketStatistics(sys, { month });
    const byProv = new Map<string, StatisticsRow[]>();
    for (const r of stats) if (r.providerId) byProv.set(r.providerId, [...(byProv.get(r.providerId) ?? []), r]);
    const wavg = (rows: StatisticsRow[], v: (r: StatisticsRow) => number | string | null, wt: (r: StatisticsRow) => number) => {
      let n = 0;
      let d = 0;
      for (const r of rows) {
        const x = v(r);
        if (x === null || wt(r) <= 0) continue;
        n += Number(x) * wt(r);
        d += wt(r);
      }
      return d === 0 ? null : { value: n / d, weight: d };
    };
    const resp: Array<[string, { value: number; evidence: string } | null]> = [];
    const rec: Array<[string, { value: number; evidence: string } | null]> = [];
    const sat: Array<[string, { value: number; evidence: string } | null]> = [];
    for (const [p, rows] of byProv) {
      const a = wavg(rows, (r) => r.avgResponseMinutes, (r) => r.responded);
      resp.push([p, a && { value: a.value, evidence: `${month} 已响应工单 ${a.weight} 张，平均响应 ${a.value.toFixed(1)} 分钟（目标 15 分钟）` }]);
      const b = wavg(rows, (r) => r.avgRecoveryMinutes, (r) => (r.avgRecoveryMinutes === null ? 0 : r.resolved || r.tickets));
      rec.push([p, b && { value: b.value, evidence: `${month} 平均恢复 ${b.value.toFixed(1)} 分钟（目标 30 分钟）` }]);
      const c = wavg(rows, (r) => r.satisfactionAvg, (r) => r.tickets);
      sat.push([p, c && { value: c.value, evidence: `${month} 工单满意度平均 ${c.value.toFixed(2)} 分（5 分制）` }]);
    }
    put('ticket_response', true, resp);
    put('ticket_recovery', true, rec);
    put('satisfaction', true, sat);

    const vul = await this.deps.security.vulnerabilityHandling(sys, { month });
    put('vuln_on_time', true, vul.map((v) => [v.providerId, v.dueInMonth === 0 ? null : { value: v.fixedOnTime / v.dueInMonth, evidence: `${month} 到期漏洞 ${v.dueInMonth} 个，按期整改 ${v.fixedOnTime} 个，逾期 ${v.overdue} 个` }]));

    const mon = this.sources.monitoring;
    if (mon?.capacityWarningsSummary) {
      const rows = await mon.capacityWarningsSummary.call(mon, sys, { from: w.from, to: w.to });
      put('capacity_on_time', true, rows.map((r) => [r.providerOrgId, r.opened === 0 ? null : { value: r.closedInTime / r.opened, evidence: `${month} 容量预警 ${r.opened} 条，按期处置 ${r.closedInTime} 条，逾期 ${r.overdue} 条` }]));
    } else put('capacity_on_time', false);
    const av = this.sources.availability;
    if (av?.slaCompliance) {
      const rows = await av.slaCompliance.call(av, sys, { from: w.from, to: w.to });
      const g = new Map<string, { met: number; judged: number }>();
      for (const r of rows) {
        if (r.met === null || r.providerOrgId === null) continue;
        const e = g.get(r.providerOrgId) ?? { met: 0, judged: 0 };
        e.judged++;
        if (r.met) e.met++;
        g.set(r.providerOrgId, e);
      }
      put('sla', true, [...g].map(([p, e]) => [p, { value: e.met / e.judged, evidence: `${month} ${e.judged} 个信息系统中 ${e.met} 个达到 SLA 可用性目标` }]));
    } else put('sla', false);
    const ops = this.sources.operations;
    if (ops?.drillCounts) {
      const rows = await ops.drillCounts.call(ops, sys, { from: w.from, to: w.to });
      put('drills', true, rows.map((r) => [r.providerOrgId, r.required === 0 ? null : { value: r.held / r.required, evidence: `应急演练应开展 ${r.required} 次，已开展 ${r.held} 次` }]));
    } else put('drills', false);
    if (ops?.qualificationStatus) {
      const rows = await ops.qualificationStatus.call(ops, sys, { at: w.to });
      put('qualifications', true, rows.map((r) => [r.providerOrgId, { value: r.current, evidence: r.current ? `运营资质有效${r.validTo ? `（至 ${r.validTo}）` : ''}` : `运营资质已失效${r.validTo ? `（${r.validTo} 到期）` : ''}` }]));
    } else put('qualifications', false);
    if (ops?.inspectionCounts) {
      const rows = await ops.inspectionCounts.call(ops, sys, { from: w.from, to: w.to });
      put('inspections', true, rows.map((r) => [r.providerOrgId, r.expected === 0 ? null : { value: r.done / r.expected, evidence: `应巡检 ${r.expected} 次，完成 ${r.done} 次，漏检 ${r.missed} 次，异常 ${r.abnormal} 次` }]));
    } else put('inspections', false);
    return out;
  }

  /**
   * Runs a month's provider evaluation with one indicator set. A draft or reviewed run of the month is replaced
   * (back to draft); when the month is published, a new revision is made and the published one stays as it is until
   * the new one is published.
   */
  async runProviders(ctx: RequestContext, input: { setId: string; month: string }): Promise<ProviderRunDetail> {
    const w = monthWindow(input.month, 'body.month');
    await this.ensureIndicatorSets();
    const figures = await this.providerFigures(input.month);
    const runId = await withTx(this.db, ctx, async (trx) => {
      const set = await this.setById(trx, input.setId);
      await sql`select pg_advisory_xact_lock(hashtext('eval_runs'), hashtext(${input.setId + input.month}))`.execute(trx);
      const latest = await trx.selectFrom('evalProviderRuns').selectAll().where('setId', '=', input.setId).where('month', '=', w.first).orderBy('revision', 'desc').executeTakeFirst();
      let id: string;
      if (latest && (latest.status === 'draft' || latest.status === 'reviewed')) {
        id = latest.id;
        await trx.deleteFrom('evalProviderScores').where('runId', '=', id).execute();
        await trx.updateTable('evalProviderRuns').set({ status: 'draft', computedAt: new Date(), computedBy: ctx.actor.userId, reviewedAt: null, reviewedBy: null, reviewComment: null }).where('id', '=', id).execute();
      } else {
        id = (await trx.insertInto('evalProviderRuns').values({ setId: input.setId, month: w.first, revision: (latest?.revision ?? 0) + 1, computedBy: ctx.actor.userId }).returning('id').executeTakeFirstOrThrow()).id;
      }
      const providers = await trx.selectFrom('organisations').select(['id', 'name']).where('kind', '=', 'cloud_provider').where('status', '=', 'active').execute();
      const manual = await trx.selectFrom('evalManualScores').selectAll().where('setId', '=', input.setId).where('month', '=', w.first).execute();
      const manualBy = new Map(manual.map((m) => [`${m.providerOrgId}|${m.indicatorCode}`, m]));
      const overrides = await acceptedObjectionOverrides(trx, input.setId, w.first);
      const scored = providers.map((p) => {
        const results: IndicatorResult[] = [];
        for (const d of set.dimensions) for (const ind of d.indicators) results.push(indicatorResult(ind, d, p.id, figures, manualBy));
        applyOverrides(results, overrides.get(p.id));
        return { provider: p, results, ...totalOf(results, set.grades) };
      });
      const ranked = scored.filter((s) => s.total !== null).sort((a, b) => new Dec(b.total!).comparedTo(a.total!));
      const rank = new Map(ranked.map((s, i) => [s.provider.id, i + 1]));
      if (scored.length) {
        await trx.insertInto('evalProviderScores').values(scored.map((s) => ({
          runId: id, providerOrgId: s.provider.id, total: s.total, grade: s.grade, rank: rank.get(s.provider.id) ?? null, indicators: JSON.stringify({ coverage: s.coverage, results: s.results }),
        }))).execute();
      }
      await recordAudit(trx, ctx, { action: 'evaluation.run', targetType: 'eval_provider_run', targetId: id, after: { setId: input.setId, month: input.month, providers: scored.length } });
      return id;
    });
    return this.getRun(ctx, runId);
  }

  private runsQuery(trx: Tx) {
    return trx.selectFrom('evalProviderRuns as r').innerJoin('evalIndicatorSets as s', 's.id', 'r.setId').selectAll('r').select(['s.code as setCode', 's.version as setVersion', 's.name as setName']);
  }

  private toRun(r: Awaited<ReturnType<ReturnType<EvaluationService['runsQuery']>['executeTakeFirstOrThrow']>>): ProviderRun {
    return {
      id: r.id, setId: r.setId, setCode: r.setCode, setVersion: r.setVersion, setName: r.setName, month: monthText(r.month), revision: r.revision, status: r.status as ProviderRun['status'],
      computedAt: iso(r.computedAt)!, reviewedAt: iso(r.reviewedAt), reviewComment: r.reviewComment, publishedAt: iso(r.publishedAt),
    };
  }

  /** Runs the caller may see (a provider: published ones only), newest first. */
  async listRuns(ctx: RequestContext, q: { month?: string; setId?: string }): Promise<ProviderRun[]> {
    return withTx(this.db, ctx, async (trx) => {
      let query = this.runsQuery(trx);
      if (!ctx.actor.scope.all) query = query.where('r.status', '=', 'published');
      if (q.month) query = query.where('r.month', '=', monthWindow(q.month, 'query.month').first);
      if (q.setId) query = query.where('r.setId', '=', q.setId);
      return (await query.orderBy('r.month', 'desc').orderBy('s.code').orderBy('r.revision', 'desc').limit(500).execute()).map((r) => this.toRun(r));
    });
  }

  /** A run with its scores (a provider: its own row of a published run, with the evidence; others: 404). */
  async getRun(ctx: RequestContext, id: string): Promise<ProviderRunDetail> {
    return withTx(this.db, ctx, async (trx) => {
      let query = this.runsQuery(trx).where('r.id', '=', id);
      if (!ctx.actor.scope.all) query = query.where('r.status', '=', 'published');
      const r = await query.executeTakeFirst();
      if (!r) throw notFound('evaluation.run', id);
      const rows = await trx.selectFrom('evalProviderScores as e').innerJoin('organisations as o', 'o.id', 'e.providerOrgId').selectAll('e').select('o.name').where('e.runId', '=', id).orderBy(sql`e.rank asc nulls last`).orderBy('o.name').execute();
      const manage = hasPermission(ctx.actor, 'evaluation:manage');
      const score = hasPermission(ctx.actor, 'evaluation:score');
      return {
        ...this.toRun(r),
        scores: rows.map((s) => {
          const ind = s.indicators as unknown as { coverage: string; results: IndicatorResult[] };
          return { provider: { id: s.providerOrgId, name: s.name }, total: s.total === null ? null : new Dec(s.total).toFixed(2), coverage: ind.coverage, grade: s.grade, rank: s.rank, indicators: ind.results };
        }),
        abilities: { review: manage && r.status === 'draft', publish: manage && r.status === 'reviewed', rerun: score && r.status !== 'superseded' },
      };
    });
  }

  /** Review by the management unit (审核) before publication; a draft only. */
  async reviewRun(ctx: RequestContext, id: string, comment: string | null): Promise<ProviderRunDetail> {
    await withTx(this.db, ctx, async (trx) => {
      const r = await trx.selectFrom('evalProviderRuns').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!r) throw notFound('evaluation.run', id);
      if (r.status !== 'draft') throw new AppError('conflict', 'evaluation.not_draft', `The run is ${r.status}; only a draft is reviewed`, { status: r.status });
      await trx.updateTable('evalProviderRuns').set({ status: 'reviewed', reviewedBy: ctx.actor.userId, reviewedAt: new Date(), reviewComment: comment }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'evaluation.review', targetType: 'eval_provider_run', targetId: id, after: { comment } });
    });
    return this.getRun(ctx, id);
  }

  /** Publishes a reviewed run; the month's previously published revision becomes superseded (kept, not changed). */
  async publishRun(ctx: RequestContext, id: string): Promise<ProviderRunDetail> {
    const month = await withTx(this.db, ctx, async (trx) => {
      const r = await trx.selectFrom('evalProviderRuns').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!r) throw notFound('evaluation.run', id);
      if (r.status !== 'reviewed') throw new AppError('conflict', 'evaluation.not_reviewed', `The run is ${r.status}; a run is reviewed before it is published`, { status: r.status });
      await trx.updateTable('evalProviderRuns').set({ status: 'superseded' }).where('setId', '=', r.setId).where('month', '=', r.month).where('status', '=', 'published').execute();
      await trx.updateTable('evalProviderRuns').set({ status: 'published', publishedBy: ctx.actor.userId, publishedAt: new Date() }).where('id', '=', id).execute();
      await recordAudit(trx, ctx, { action: 'evaluation.publish', targetType: 'eval_provider_run', targetId: id, after: { month: monthText(r.month), revision: r.revision } });
      return monthText(r.month);
    });
    await this.afterChange(month, ['ranking']);
    return this.getRun(ctx, id);
  }

  // ---- 季评 (quarterly evaluation) ------------------------------------------------------------------------------------

  /**
   * The quarterly evaluation (季评) of the providers with one indicator system: per provider the published monthly
   * totals of the quarter's months, the quarter's score = their arithmetic mean (a month not published does not
   * count and is listed in `missingMonths`), the mean of each dimension, the grade on the set's grades, the ranking.
   * A provider sees its own row only; a unit none. docs/evaluation.md.
   */
  async quarterly(ctx: RequestContext, q: { quarter: string; setCode?: string }): Promise<QuarterEvaluation> {
    const qw = quarterWindow(q.quarter, 'query.quarter');
    const setCode = q.setCode ?? SET_004.code;
    const provider = ctx.actor.orgKind === 'cloud_provider' ? ctx.actor.orgId : null;
    if (!ctx.actor.scope.all && !provider) return { quarter: q.quarter, from: qw.first, to: qw.last, set: null, months: qw.months.map((m) => ({ month: m, runId: null, revision: null, setVersion: null })), missingMonths: qw.months, items: [] };
    return withTx(this.db, ctx, async (trx) => {
      const runs = await this.runsQuery(trx).where('r.status', '=', 'published').where('s.code', '=', setCode).where('r.month', '>=', `${qw.months[0]}-01`).where('r.month', '<=', `${qw.months[2]}-01`).orderBy('r.month').execute();
      const byMonth = new Map(runs.map((r) => [monthText(r.month), r]));
      const lastRun = runs[runs.length - 1];
      const set = lastRun ? await this.setById(trx, lastRun.setId) : null;
      let scoreQ = trx.selectFrom('evalProviderScores as e').innerJoin('organisations as o', 'o.id', 'e.providerOrgId').select(['e.runId', 'e.providerOrgId', 'e.total', 'e.grade', 'e.indicators', 'o.name']);
      scoreQ = runs.length ? scoreQ.where('e.runId', 'in', runs.map((r) => r.id)) : scoreQ.where(sql<boolean>`false`);
      if (provider) scoreQ = scoreQ.where('e.providerOrgId', '=', provider);
      const scores = await scoreQ.execute();
      const monthOfRun = new Map(runs.map((r) => [r.id, monthText(r.month)]));
      const per = new Map<string, { provider: { id: string; name: string }; months: Map<string, { total: string | null; grade: string | null; dims: Map<string, Dec | null> }> }>();
      for (const sc of scores) {
        const e = per.get(sc.providerOrgId) ?? { provider: { id: sc.providerOrgId, name: sc.name }, months: new Map() };
        const results = (sc.indicators as unknown as { results: IndicatorResult[] }).results;
        e.months.set(monthOfRun.get(sc.runId)!, { total: sc.total === null ? null : new Dec(sc.total).toFixed(2), grade: sc.grade, dims: dimensionScores(results) });
        per.set(sc.providerOrgId, e);
      }
      const dimNames = set ? set.dimensions.map((d) => d.name) : [];
      const grades = set?.grades ?? DEFAULT_GRADES;
      const items: QuarterEvaluation['items'] = [...per.values()].map((e) => {
        const totals = [...e.months.values()].map((m) => m.total).filter((x): x is string => x !== null);
        const total = totals.length ? sum(totals.map((x) => new Dec(x))).dividedBy(totals.length).toDecimalPlaces(2) : null;
        const graded = [...e.months.values()].some((m) => m.grade !== null);
        return {
          provider: e.provider,
          months: qw.months.map((m) => ({ month: m, total: e.months.get(m)?.total ?? null, grade: e.months.get(m)?.grade ?? null })),
          total: total === null ? null : total.toFixed(2),
          grade: total !== null && graded ? (grades.find((g) => total.greaterThanOrEqualTo(g.min))?.grade ?? null) : null,
          rank: null as number | null,
          dimensions: dimNames.map((name) => {
            const xs = [...e.months.values()].map((m) => m.dims.get(name) ?? null).filter((x): x is Dec => x !== null);
            return { name, score: xs.length ? sum(xs).dividedBy(xs.length).toFixed(2) : null };
          }),
        };
      });
      // Ranks over every provider of the published months (a provider's own rank among all, though it sees its row only).
      const allTotals = provider ? await this.quarterTotals(trx, runs.map((r) => r.id)) : new Map(items.map((i) => [i.provider.id, i.total]));
      const ordered = [...allTotals].filter(([, v]) => v !== null).sort((a, b) => new Dec(b[1]!).comparedTo(a[1]!));
      const rank = new Map(ordered.map(([id], i) => [id, i + 1]));
      for (const i of items) i.rank = rank.get(i.provider.id) ?? null;
      items.sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.provider.name.localeCompare(b.provider.name, 'zh-CN'));
      return {
        quarter: q.quarter, from: qw.first, to: qw.last,
        set: set ? { code: set.code, name: set.name, version: set.version } : null,
        months: qw.months.map((m) => ({ month: m, runId: byMonth.get(m)?.id ?? null, revision: byMonth.get(m)?.revision ?? null, setVersion: byMonth.get(m)?.setVersion ?? null })),
        missingMonths: qw.months.filter((m) => !byMonth.has(m)),
        items,
      };
    });
  }

  /** Every provider's quarter total over the runs (for a provider's rank; read as the system, only totals leave). */
  private async quarterTotals(_trx: Tx, runIds: string[]): Promise<Map<string, string | null>> {
    if (!runIds.length) return new Map();
    return withTx(this.db, systemContext('evaluation.quarter-rank'), async (trx) => {
      const rows = await trx.selectFrom('evalProviderScores').select(['providerOrgId', 'total']).where('runId', 'in', runIds).execute();
      const by = new Map<string, Dec[]>();
      for (const r of rows) if (r.total !== null) by.set(r.providerOrgId, [...(by.get(r.providerOrgId) ?? []), new Dec(r.total)]);
      return new Map([...by].map(([id, xs]) => [id, sum(xs).dividedBy(xs.length).toDecimalPlaces(2).toFixed(2)]));
    });
  }

  // ---- 月报 figures from other modules ------------------------------------------------------------------------------

  /**
   * The figures of the 综合监管月报's sections that other modules own: operations (巡检, 应急演练), SLA attainment
   * (可用性), security posture (安全态势) and service-desk statistics (服务台). A section whose source is not wired
   * has `wired: false` and no figures (shown as 暂无数据来源, never 0).
   */
  async monthlyFigures(ctx: RequestContext, month: string): Promise<MonthlyFigures> {
    const w = monthWindow(month, 'query.month');
    const ops = this.sources.operations;
    const av = this.sources.availability;
    const sec = this.deps.security as Partial<SecurityService> | undefined;
    const sd = this.deps.serviceDesk as Partial<ServiceDeskService> | undefined;
    const [inspections, drills, sla, posture, tickets] = await Promise.all([
      ops?.inspectionCounts ? ops.inspectionCounts.call(ops, ctx, { from: w.from, to: w.to }) : null,
      ops?.drillCounts ? ops.drillCounts.call(ops, ctx, { from: w.from, to: w.to }) : null,
      av?.slaCompliance ? av.slaCompliance.call(av, ctx, { from: w.from, to: w.to }) : null,
      typeof sec?.postureSummary === 'function' ? sec.postureSummary.call(this.deps.security, ctx, { month }) : null,
      typeof sd?.ticketStatistics === 'function' ? sd.ticketStatistics.call(this.deps.serviceDesk, ctx, { month }) : null,
    ]);
    const ids = new Set<string>();
    for (const r of inspections ?? []) ids.add(r.providerOrgId);
    for (const r of drills ?? []) ids.add(r.providerOrgId);
    for (const r of sla ?? []) if (r.providerOrgId) ids.add(r.providerOrgId);
    for (const r of tickets ?? []) if (r.providerId) ids.add(r.providerId);
    const names = new Map<string, string>();
    if (ids.size) await withTx(this.db, ctx, async (trx) => { for (const o of await trx.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...ids]).execute()) names.set(o.id, o.name); });
    const named = (id: string) => ({ id, name: names.get(id) ?? id });
    const byName = <T extends { provider: { name: string } }>(xs: T[]) => xs.sort((a, b) => a.provider.name.localeCompare(b.provider.name, 'zh-CN'));

    const slaBy = new Map<string, { systems: number; judged: number; met: number; minAvailability: number | null }>();
    for (const r of sla ?? []) {
      if (!r.providerOrgId) continue;
      const e = slaBy.get(r.providerOrgId) ?? { systems: 0, judged: 0, met: 0, minAvailability: null };
      e.systems++;
      if (r.met !== null) e.judged++;
      if (r.met) e.met++;
      if (r.availabilityPercent !== null) e.minAvailability = e.minAvailability === null ? r.availabilityPercent : Math.min(e.minAvailability, r.availabilityPercent);
      slaBy.set(r.providerOrgId, e);
    }
    const rate = (n: number, d: number) => (d === 0 ? null : new Dec(n).times(100).dividedBy(d).toFixed(2));
    const tBy = new Map<string, { tickets: number; responded: number; respondedInTarget: number; resolved: number; breaches: number; satSum: Dec; satN: number }>();
    for (const r of tickets ?? []) {
      if (!r.providerId) continue;
      const e = tBy.get(r.providerId) ?? { tickets: 0, responded: 0, respondedInTarget: 0, resolved: 0, breaches: 0, satSum: new Dec(0), satN: 0 };
      e.tickets += r.tickets; e.responded += r.responded; e.respondedInTarget += r.respondedInTarget; e.resolved += r.resolved; e.breaches += r.breaches;
      if (r.satisfactionAvg !== null && r.tickets > 0) { e.satSum = e.satSum.plus(new Dec(r.satisfactionAvg).times(r.tickets)); e.satN += r.tickets; }
      tBy.set(r.providerId, e);
    }
    const tt = tickets ?? [];
    return {
      month,
      inspections: inspections === null ? { wired: false, rows: [] } : { wired: true, rows: byName(inspections.map((r) => ({ provider: named(r.providerOrgId), expected: r.expected, done: r.done, missed: r.missed, abnormal: r.abnormal, doneRate: rate(r.done, r.expected) }))) },
      drills: drills === null ? { wired: false, rows: [] } : { wired: true, rows: byName(drills.map((r) => ({ provider: named(r.providerOrgId), held: r.held, required: r.required }))) },
      sla: sla === null ? { wired: false, judged: 0, met: 0, rate: null, rows: [] } : {
        wired: true,
        judged: [...slaBy.values()].reduce((a, e) => a + e.judged, 0),
        met: [...slaBy.values()].reduce((a, e) => a + e.met, 0),
        rate: rate([...slaBy.values()].reduce((a, e) => a + e.met, 0), [...slaBy.values()].reduce((a, e) => a + e.judged, 0)),
        rows: byName([...slaBy].map(([id, e]) => ({ provider: named(id), systems: e.systems, judged: e.judged, met: e.met, rate: rate(e.met, e.judged), minAvailability: e.minAvailability === null ? null : new Dec(e.minAvailability).toFixed(3) }))),
      },
      posture: posture === null ? { wired: false, data: null } : { wired: true, data: posture },
      serviceDesk: tickets === null ? { wired: false, total: null, rows: [] } : {
        wired: true,
        total: { tickets: tt.reduce((a, r) => a + r.tickets, 0), resolved: tt.reduce((a, r) => a + r.resolved, 0), breaches: tt.reduce((a, r) => a + r.breaches, 0), responseRate: rate(tt.reduce((a, r) => a + r.respondedInTarget, 0), tt.reduce((a, r) => a + r.responded, 0)) },
        rows: byName([...tBy].map(([id, e]) => ({ provider: named(id), tickets: e.tickets, resolved: e.resolved, breaches: e.breaches, responseRate: rate(e.respondedInTarget, e.responded), satisfaction: e.satN ? e.satSum.dividedBy(e.satN).toFixed(2) : null }))),
      },
    };
  }

  // ---- overview and report data -----------------------------------------------------------------------------------

  /** The month's report due date: the 5th working day of the next month on the business calendar. */
  async reportDueDate(month: string): Promise<string> {
    const w = monthWindow(month);
    return withTx(this.db, systemContext('evaluation.due'), async (trx) => nthWorkingDayAfter(await this.deps.calendar.days(trx), w.last, 5));
  }

  /**
   * 政务云概况 for the caller. A whole-city reader (management unit, supervision) reads the month's snapshot
   * (`eval_overview_snapshots`, one row per part with its computed-at time); a part not in the snapshot is computed
   * live and stored. A unit or a provider gets its overview computed live within its scope. `live` forces the live
   * path (the benchmark compares both).
   */
  async overview(ctx: RequestContext, q: { month: string }, opts: { live?: boolean } = {}): Promise<Overview> {
    const w = monthWindow(q.month, 'query.month');
    const parts: Partial<OverviewParts> = {};
    const snapshot: Partial<Record<OverviewPart, string>> = {};
    const useSnapshot = ctx.actor.scope.all && !opts.live;
    if (useSnapshot) {
      const rows = await withTx(this.db, ctx, (trx) => trx.selectFrom('evalOverviewSnapshots').select(['part', 'data', 'computedAt']).where('month', '=', w.first).execute());
      for (const r of rows) {
        (parts as Record<string, unknown>)[r.part] = r.data;
        snapshot[r.part as OverviewPart] = iso(r.computedAt)!;
      }
      const missing = OVERVIEW_PARTS.filter((p) => !(p in parts));
      if (missing.length) Object.assign(snapshot, await this.refreshOverviewSnapshot(q.month, missing, parts));
    } else {
      await Promise.all(OVERVIEW_PARTS.map(async (p) => { (parts as Record<string, unknown>)[p] = await this.overviewPart(ctx, p, q.month); }));
    }
    const full = parts as OverviewParts;
    return { month: q.month, role: ctx.actor.orgKind, sources: this.sourceStatus(), ...full, snapshot: useSnapshot ? snapshot : null };
  }

  /**
   * Recomputes parts of the month's management overview snapshot (all parts when none given) and stores them with
   * the time; returns the computed-at times. Called by the job, after an efficiency computation, a publication and an
   * advice decision (only the parts that changed), and by the read path for a missing part.
   */
  async refreshOverviewSnapshot(month: string, parts: readonly OverviewPart[] = OVERVIEW_PARTS, into: Partial<OverviewParts> = {}): Promise<Partial<Record<OverviewPart, string>>> {
    const w = monthWindow(month);
    const sys = systemContext('evaluation.overview');
    const values = await Promise.all(parts.map(async (part) => ({ month: w.first, part, data: JSON.stringify((into as Record<string, unknown>)[part] = await this.overviewPart(sys, part, month)), computedAt: new Date() })));
    if (!values.length) return {};
    await withTx(this.db, sys, (trx) =>
      trx.insertInto('evalOverviewSnapshots').values(values).onConflict((oc) => oc.columns(['month', 'part']).doUpdateSet((eb) => ({ data: eb.ref('excluded.data'), computedAt: eb.ref('excluded.computedAt') }))).execute(),
    );
    return Object.fromEntries(values.map((v) => [v.part, v.computedAt.toISOString()]));
  }

  /** After a change of evaluation's own figures: the changed parts of the snapshot, best effort (a failure drops them, the read path recomputes). */
  private async afterChange(month: string, parts: readonly OverviewPart[]): Promise<void> {
    try {
      await this.refreshOverviewSnapshot(month, parts);
    } catch {
      const w = monthWindow(month);
      await withTx(this.db, systemContext('evaluation.overview'), (trx) => trx.deleteFrom('evalOverviewSnapshots').where('month', '=', w.first).where('part', 'in', [...parts]).execute()).catch(() => undefined);
    }
  }

  /** One part of the overview within the caller's scope. */
  private async overviewPart<P extends OverviewPart>(ctx: RequestContext, part: P, month: string): Promise<OverviewParts[P]> {
    const out = await (async (): Promise<OverviewParts[OverviewPart]> => {
      switch (part) {
        case 'efficiency': {
          const eff = await this.efficiency(ctx, { month, level: 'unit' });
          const scored = eff.items.filter((i) => i.score !== null);
          const d = (xs: Array<string | null>) => sum(xs.filter((x): x is string => x !== null).map((x) => new Dec(x))).toFixed(2);
          return {
            computed: eff.formula !== null,
            formulaVersion: eff.formula?.version ?? null,
            units: eff.items.length,
            hosts: eff.items.reduce((a, i) => a + i.hosts, 0),
            vcpu: sum(eff.items.map((i) => new Dec(i.vcpu))).toString(),
            memoryGb: sum(eff.items.map((i) => new Dec(i.memoryGb))).toString(),
            // No bill for any unit of the month: no figure (not 0).
            cost: eff.items.some((i) => i.cost !== null) ? d(eff.items.map((i) => i.cost)) : null,
            averageScore: scored.length ? sum(scored.map((i) => new Dec(i.score!))).dividedBy(scored.length).toFixed(2) : null,
            missing: eff.items.length && !scored.length ? (eff.items[0]!.missing ?? 'no_data') : null,
            lowest: scored.slice(0, 10).map((i) => ({ unit: i.unit, score: i.score, cost: i.cost })),
            units_: eff.items.map((i) => ({ unit: i.unit, score: i.score, cost: i.cost, hosts: i.hosts })),
          };
        }
        case 'advice':
          return this.adviceSummary(ctx, month);
        case 'ranking': {
          const published = (await this.listRuns(ctx, { month })).find((r) => r.status === 'published') ?? null;
          const items = published ? (await this.getRun(ctx, published.id)).scores.map((s) => ({ provider: s.provider, total: s.total, grade: s.grade, rank: s.rank })) : [];
          return { run: published, items };
        }
        case 'tickets': {
          const tickets = await this.deps.serviceDesk.ticketStatistics(ctx, { month });
          return { total: tickets.reduce((a, t) => a + t.tickets, 0), resolved: tickets.reduce((a, t) => a + t.resolved, 0), breaches: tickets.reduce((a, t) => a + t.breaches, 0) };
        }
        case 'findings': {
          const vulns = await this.deps.security.vulnerabilityHandling(ctx, { month });
          return {
            open: vulns.reduce((a, v) => a + v.openBySeverity.critical + v.openBySeverity.high + v.openBySeverity.medium + v.openBySeverity.low, 0),
            critical: vulns.reduce((a, v) => a + v.openBySeverity.critical, 0),
            high: vulns.reduce((a, v) => a + v.openBySeverity.high, 0),
            overdue: vulns.reduce((a, v) => a + v.overdue, 0),
          };
        }
      }
      throw new Error(`unknown overview part ${String(part)}`);
    })();
    return out as OverviewParts[P];
  }
}

/** The 季评 of one indicator system. */
export interface QuarterEvaluation {
  quarter: string;
  from: string;
  to: string;
  set: { code: string; name: string; version: number } | null;
  months: Array<{ month: string; runId: string | null; revision: number | null; setVersion: number | null }>;
  missingMonths: string[];
  items: Array<{
    provider: { id: string; name: string };
    months: Array<{ month: string; total: string | null; grade: string | null }>;
    total: string | null;
    grade: string | null;
    rank: number | null;
    dimensions: Array<{ name: string; score: string | null }>;
  }>;
}

const QUARTER_RE = /^(\d{4})-Q([1-4])$/;
/** A quarter YYYY-Qn: its three months and first / last day. */
export function quarterWindow(quarter: string, field = 'quarter'): { months: [string, string, string]; first: string; last: string } {
  const m = QUARTER_RE.exec(quarter);
  if (!m) throw validationError('evaluation.invalid_quarter', 'The quarter is YYYY-Qn (n = 1…4)', [{ field, rule: 'quarter', message: 'YYYY-Qn', value: quarter }]);
  const y = Number(m[1]);
  const q = Number(m[2]);
  const months = [0, 1, 2].map((i) => `${y}-${String((q - 1) * 3 + 1 + i).padStart(2, '0')}`) as [string, string, string];
  return { months, first: `${months[0]}-01`, last: monthWindow(months[2]).last };
}

/** Score of each dimension of one month: Σ weight × score ÷ Σ weight over its indicators with a score (null: none). */
export function dimensionScores(results: IndicatorResult[]): Map<string, Dec | null> {
  const acc = new Map<string, { w: Dec; s: Dec }>();
  const out = new Map<string, Dec | null>();
  for (const r of results) {
    if (!out.has(r.dimension)) out.set(r.dimension, null);
    if (r.score === null) continue;
    const e = acc.get(r.dimension) ?? { w: new Dec(0), s: new Dec(0) };
    e.w = e.w.plus(String(r.weight));
    e.s = e.s.plus(new Dec(String(r.weight)).times(r.score));
    acc.set(r.dimension, e);
  }
  for (const [d, e] of acc) out.set(d, e.w.isZero() ? null : e.s.dividedBy(e.w).toDecimalPlaces(2));
  return out;
}

type Named = { id: string; name: string };
/** The 月报's sections from other modules; `wired: false` → 暂无数据来源. */
export interface MonthlyFigures {
  month: string;
  inspections: { wired: boolean; rows: Array<{ provider: Named; expected: number; done: number; missed: number; abnormal: number; doneRate: string | null }> };
  drills: { wired: boolean; rows: Array<{ provider: Named; held: number; required: number }> };
  sla: { wired: boolean; judged: number; met: number; rate: string | null; rows: Array<{ provider: Named; systems: number; judged: number; met: number; rate: string | null; minAvailability: string | null }> };
  posture: { wired: boolean; data: Awaited<ReturnType<SecurityService['postureSummary']>> | null };
  serviceDesk: { wired: boolean; total: { tickets: number; resolved: number; breaches: number; responseRate: string | null } | null; rows: Array<{ provider: Named; tickets: number; resolved: number; breaches: number; responseRate: string | null; satisfaction: string | null }> };
}

/** The parts of the management overview snapshot, each recomputed on its own trigger. */
export const OVERVIEW_PARTS = ['efficiency', 'advice', 'ranking', 'tickets', 'findings'] as const;
export type OverviewPart = (typeof OVERVIEW_PARTS)[number];
type OverviewParts = Pick<Overview, OverviewPart>;

export interface Overview {
  month: string;
  role: string | null;
  sources: Record<string, boolean>;
  efficiency: {
    computed: boolean; formulaVersion: number | null; units: number; hosts: number; vcpu: string; memoryGb: string; cost: string | null; averageScore: string | null; missing: string | null;
    lowest: Array<{ unit: { id: string; name: string }; score: string | null; cost: string | null }>;
    units_: Array<{ unit: { id: string; name: string }; score: string | null; cost: string | null; hosts: number }>;
  };
  advice: { open: number; accepted: number; dismissed: number; openSaving: string };
  ranking: { run: ProviderRun | null; items: Array<{ provider: { id: string; name: string }; total: string | null; grade: string | null; rank: number | null }> };
  tickets: { total: number; resolved: number; breaches: number };
  findings: { open: number; critical: number; high: number; overdue: number };
  /** Computed-at time of each part read from the snapshot (management); null when computed live for the caller. */
  snapshot: Partial<Record<OverviewPart, string>> | null;
}

function indicatorResult(
  ind: IndicatorDef,
  d: DimensionDef,
  providerId: string,
  figures: Map<IndicatorSource, { wired: boolean; byProvider: Map<string, { value: number | boolean; evidence: string } | null> }>,
  manual: Map<string, { score: string; evidence: string }>,
): IndicatorResult {
  const base = { code: ind.code, name: ind.name, dimension: d.name, weight: ind.weight, source: ind.source };
  if (ind.source === 'manual') {
    const m = manual.get(`${providerId}|${ind.code}`);
    if (!m) return { ...base, status: 'not_scored', value: null, score: null, evidence: '未评分' };
    return { ...base, status: 'ok', value: new Dec(m.score).toString(), score: scoreIndicator(ind.rule, Number(m.score)), evidence: m.evidence };
  }
  const f = figures.get(ind.source);
  if (!f || !f.wired) return { ...base, status: 'no_data_source', value: null, score: null, evidence: `暂无数据来源（${SOURCE_CN[ind.source]}）` };
  const v = f.byProvider.get(providerId);
  if (!v) return { ...base, status: 'no_data', value: null, score: null, evidence: `本月无数据（${SOURCE_CN[ind.source]}）` };
  const value = typeof v.value === 'boolean' ? String(v.value) : new Dec(String(v.value)).toDecimalPlaces(4).toString();
  return { ...base, status: 'ok', value, score: scoreIndicator(ind.rule, v.value), evidence: v.evidence };
}
