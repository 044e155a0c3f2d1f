import type { RequestContext } from '../../platform/context.js';
import type { BillingService } from '../billing/index.js';
import type { CellValue, ColumnKind } from '../documents/index.js';
import type { AvailabilityService } from '../availability/index.js';
import type { InventoryService } from '../inventory/index.js';
import type { MonitoringService } from '../monitoring/index.js';
import type { OperationsReads, OperationsService } from '../operations/index.js';
import type { SecurityService } from '../security/index.js';
import type { ServiceDeskService } from '../servicedesk/index.js';

/** Rows a run reads at most (a larger result is cut, and the run says so). */
export const MAX_ROWS = 5000;
const PAGE = 200;

export interface DatasetColumn { key: string; label: string; kind?: ColumnKind }
export interface DatasetFilter { key: string; label: string; type: 'enum' | 'uuid' | 'text' | 'month'; options?: ReadonlyArray<{ value: string; label: string }> }
export type Row = Record<string, CellValue>;

/**
 * A dataset of another module, read through its public service with the caller's context: the module's own scoping
 * (a unit its own rows, a provider its own …) and row-level security apply exactly as on its pages.
 */
export interface Dataset {
  code: string;
  name: string;
  /** The module permission needed to read it (the same as its page). */
  permission: string;
  columns: readonly DatasetColumn[];
  filters: readonly DatasetFilter[];
  fetch(ctx: RequestContext, filters: Record<string, string>, max: number): Promise<{ rows: Row[]; truncated: boolean }>;
}

export interface DatasetDeps {
  inventory: InventoryService; billing: BillingService; serviceDesk: ServiceDeskService; security: SecurityService;
  /** Optional: without them the alerts / availability datasets are not offered. */
  monitoring?: MonitoringService; availability?: AvailabilityService;
  /** Optional: without it the operations datasets (inspections, drills, duty log, platform changes) are not offered. */
  operations?: { service: Pick<OperationsService, 'listRecords' | 'missedInspections' | 'listDrills' | 'listChanges'>; reads: OperationsReads };
}

const opts = (pairs: Record<string, string>) => Object.entries(pairs).map(([value, label]) => ({ value, label }));

/** Pages through a list function until `max` rows or the end. */
async function paged<T>(max: number, page: (n: number, size: number) => Promise<{ items: T[]; total?: number }>, row: (x: T) => Row): Promise<{ rows: Row[]; truncated: boolean }> {
  const rows: Row[] = [];
  for (let n = 1; ; n++) {
    const { items } = await page(n, PAGE);
    for (const it of items) {
      if (rows.length >= max) return { rows, truncated: true };
      rows.push(row(it));
    }
    if (items.length < PAGE) return { rows, truncated: false };
  }
}

/** A month YYYY-MM as [start, end) in Asia/Shanghai; without one, the current month there. */
export function monthRange(month: string | undefined, now: Date = new Date()): { from: Date; to: Date } {
  const m = month ?? new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(now).slice(0, 7);
  const [y, mm] = m.split('-').map(Number) as [number, number];
  const next = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
  return { from: new Date(`${m}-01T00:00:00+08:00`), to: new Date(`${next}-01T00:00:00+08:00`) };
}

/** Seconds as minutes with one decimal (a duration, not money). */
const minutes = (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? null : Math.round(seconds / 6) / 10);

const ALERT_STATUS_CN: Record<string, string> = { firing: '告警中', acknowledged: '已确认', resolved: '已恢复' };
const ALERT_SEVERITY_CN: Record<string, string> = { critical: '紧急', major: '重要', minor: '一般', info: '提示' };
const SLA_SCOPE_CN: Record<string, string> = { system: '信息系统', unit: '使用单位', provider: '云服务商', service: '云服务' };

/** Datasets of monitoring (alerts) and availability (outages, SLA attainment), when those services are wired. */
function monitoringDatasets(d: DatasetDeps): Dataset[] {
  const out: Dataset[] = [];
  const monitoring = d.monitoring;
  if (monitoring) {
    out.push({
      code: 'monitoring.alerts',
      name: '监控告警',
      permission: 'monitoring:read',
      columns: [
        { key: 'severity', label: '级别' }, { key: 'status', label: '状态' }, { key: 'ruleName', label: '告警规则' }, { key: 'metric', label: '指标' }, { key: 'objectLabel', label: '对象' },
        { key: 'message', label: '告警内容' }, { key: 'value', label: '触发值', kind: 'quantity' }, { key: 'provider', label: '云服务商' }, { key: 'node', label: '云节点' }, { key: 'unit', label: '使用单位' },
        { key: 'system', label: '信息系统' }, { key: 'startedAt', label: '开始时间' }, { key: 'acknowledgedAt', label: '确认时间' }, { key: 'resolvedAt', label: '恢复时间' },
      ],
      filters: [
        { key: 'status', label: '状态', type: 'enum', options: opts({ open: '未恢复', firing: '告警中', acknowledged: '已确认', resolved: '已恢复' }) },
        { key: 'severity', label: '级别', type: 'enum', options: opts(ALERT_SEVERITY_CN) },
        { key: 'providerId', label: '云服务商', type: 'uuid' }, { key: 'unitId', label: '使用单位', type: 'uuid' }, { key: 'systemId', label: '信息系统', type: 'uuid' },
      ],
      fetch: (ctx, f, max) => paged(max, (page, pageSize) => monitoring.listAlerts(ctx, { ...(f as object), page, pageSize }), (a) => ({
        severity: ALERT_SEVERITY_CN[a.severity] ?? a.severity, status: ALERT_STATUS_CN[a.status] ?? a.status, ruleName: a.ruleName, metric: a.metric, objectLabel: a.objectLabel, message: a.message,
        value: a.value, provider: a.providerName, node: a.nodeName, unit: a.unitName, system: a.systemName, startedAt: a.startedAt, acknowledgedAt: a.acknowledgedAt, resolvedAt: a.resolvedAt,
      })),
    });
  }
  const availability = d.availability;
  if (availability) {
    out.push({
      code: 'availability.outages',
      name: '可用性中断记录',
      permission: 'availability:read',
      columns: [
        { key: 'probe', label: '探测' }, { key: 'target', label: '目标' }, { key: 'system', label: '信息系统' }, { key: 'unit', label: '使用单位' }, { key: 'provider', label: '云服务商' },
        { key: 'startedAt', label: '开始时间' }, { key: 'confirmedAt', label: '确认时间' }, { key: 'endedAt', label: '恢复时间' }, { key: 'durationMinutes', label: '时长（分钟）', kind: 'quantity' },
        { key: 'cause', label: '原因' }, { key: 'simulated', label: '演练' },
      ],
      filters: [
        { key: 'month', label: '月份（该月内发生或持续）', type: 'month' }, { key: 'open', label: '状态', type: 'enum', options: opts({ true: '未恢复', false: '已恢复' }) },
        { key: 'providerId', label: '云服务商', type: 'uuid' }, { key: 'systemId', label: '信息系统', type: 'uuid' },
      ],
      fetch: (ctx, f, max) => {
        const { month, open, ...rest } = f;
        const range = month ? monthRange(month) : null;
        return paged(max, (page, pageSize) => availability.listOutages(ctx, { ...rest, ...(range ?? {}), ...(open ? { open: open === 'true' } : {}), page, pageSize }), (o) => ({
          probe: o.probeName, target: o.target, system: o.system?.name ?? null, unit: o.unit?.name ?? null, provider: o.provider?.name ?? null, startedAt: o.startedAt, confirmedAt: o.confirmedAt,
          endedAt: o.endedAt, durationMinutes: minutes(o.durationSeconds), cause: o.causeNote, simulated: o.simulated ? '是' : '否',
        }));
      },
    });
    out.push({
      code: 'availability.sla',
      name: 'SLA 达标（按月）',
      permission: 'availability:read',
      columns: [
        { key: 'scope', label: '对象类型' }, { key: 'scopeName', label: '对象' }, { key: 'provider', label: '云服务商' }, { key: 'unit', label: '使用单位' }, { key: 'system', label: '信息系统' },
        { key: 'targetPercent', label: '目标（%）' }, { key: 'availabilityPercent', label: '可用率（%）', kind: 'quantity' }, { key: 'met', label: '达标' }, { key: 'interruptions', label: '中断次数', kind: 'integer' },
        { key: 'downMinutes', label: '中断时长（分钟）', kind: 'quantity' }, { key: 'longestOutageMinutes', label: '最长中断（分钟）', kind: 'quantity' }, { key: 'maintenanceMinutes', label: '计划维护（分钟）', kind: 'quantity' },
        { key: 'unknownMinutes', label: '无结果（分钟）', kind: 'quantity' }, { key: 'reasons', label: '未达标原因' },
      ],
      filters: [{ key: 'month', label: '月份（默认本月）', type: 'month' }, { key: 'met', label: '达标', type: 'enum', options: opts({ yes: '达标', no: '未达标', unmeasured: '无测量' }) }],
      fetch: async (ctx, f, max) => {
        const rows = (await availability.complianceDetails(ctx, monthRange(f.month)))
          .filter((r) => !f.met || (f.met === 'yes' ? r.met === true : f.met === 'no' ? r.met === false : r.met === null));
        return {
          rows: rows.slice(0, max).map((r) => ({
            scope: SLA_SCOPE_CN[r.scope] ?? r.scope, scopeName: r.scopeName, provider: r.providerName, unit: r.unitName, system: r.systemName, targetPercent: r.targetPercent,
            availabilityPercent: r.availabilityPercent === null ? null : Math.round(r.availabilityPercent * 1000) / 1000, met: r.met === null ? '无测量' : r.met ? '是' : '否', interruptions: r.interruptions,
            downMinutes: minutes(r.downSeconds), longestOutageMinutes: minutes(r.longestOutageSeconds), maintenanceMinutes: minutes(r.maintenanceSeconds), unknownMinutes: minutes(r.unknownSeconds), reasons: r.reasons.join('；') || null,
          })),
          truncated: rows.length > max,
        };
      },
    });
  }
  return out;
}

const KINDS_CN = { cloud_host: '云主机', physical_device: '物理设备', internet_bandwidth: '互联网带宽' } as Record<string, string>;

export function datasets(d: DatasetDeps): Dataset[] {
  return [...moduleDatasets(d), ...monitoringDatasets(d), ...operationsDatasets(d)];
}

const DRILL_LEVEL_CN: Record<string, string> = { provider: '云服务商', management: '管理单位', platform: '云平台' };
const DRILL_KIND_CN: Record<string, string> = { desktop: '桌面推演', live: '实战演练' };
const DRILL_STATUS_CN: Record<string, string> = { planned: '计划中', held: '已开展', overdue: '逾期未开展' };
const DUTY_KIND_CN: Record<string, string> = { event: '事件', handover: '交接班', check: '检查' };
const CHANGE_TYPE_CN: Record<string, string> = { resource: '资源变更', device: '设备变更', network_policy: '网络策略变更', kernel: '内核变更', memory: '内存变更', bandwidth: '带宽变更' };
const CHANGE_STATUS_CN: Record<string, string> = { draft: '草稿', in_approval: '审批中', approved: '已批准', rejected: '已驳回', implemented: '已实施' };
const CHANGE_RESULT_CN: Record<string, string> = { success: '成功', failed: '失败', rolled_back: '已回退' };
/** The operations service returns at most this many inspection records per query (a full answer may be cut). */
const RECORDS_CAP = 500;
const yesNo = (b: boolean) => (b ? '是' : '否');
const dayIn = (day: string | null, r: { from: Date; to: Date }) => day !== null && new Date(`${day}T00:00:00+08:00`) >= r.from && new Date(`${day}T00:00:00+08:00`) < r.to;
const uniq = (xs: Array<string | null | undefined>) => [...new Set(xs.filter((x): x is string => !!x))];

/**
 * Datasets of operations supervision (运维监管), read only through the operations module's public functions
 * (`OperationsService.listRecords` / `missedInspections` / `listDrills` / `listChanges`, `operationsReads`) with the
 * caller's context, so a provider sees its own rows, management and supervision all. Names of organisations and
 * nodes come from `operationsReads.names` (ids the caller may not see stay blank).
 */
function operationsDatasets(d: DatasetDeps): Dataset[] {
  const ops = d.operations;
  if (!ops) return [];
  const names = (ctx: RequestContext, orgIds: Array<string | null | undefined>, nodeIds: Array<string | null | undefined> = []) => ops.reads.names(ctx, { orgIds: uniq(orgIds), nodeIds: uniq(nodeIds) });
  return [
    {
      code: 'operations.inspections',
      name: '巡检记录（含漏检）',
      permission: 'operations:read',
      columns: [
        { key: 'slotStart', label: '应巡检时段开始' }, { key: 'slotEnd', label: '时段结束' }, { key: 'plan', label: '巡检计划' }, { key: 'provider', label: '云服务商' }, { key: 'node', label: '云节点' },
        { key: 'result', label: '结果' }, { key: 'abnormalCount', label: '异常项数', kind: 'integer' }, { key: 'abnormalItems', label: '异常项' }, { key: 'performedAt', label: '巡检时间' },
        { key: 'inspector', label: '巡检人' }, { key: 'late', label: '补录' }, { key: 'openRectifications', label: '未关闭整改项', kind: 'integer' }, { key: 'note', label: '备注' },
      ],
      filters: [
        { key: 'month', label: '月份（默认本月）', type: 'month' }, { key: 'result', label: '结果', type: 'enum', options: opts({ normal: '正常', abnormal: '异常', missed: '漏检' }) },
        { key: 'providerOrgId', label: '云服务商', type: 'uuid' },
      ],
      fetch: async (ctx, f, max) => {
        const range = monthRange(f.month);
        const provider = f.providerOrgId ? { providerOrgId: f.providerOrgId } : {};
        const records = f.result === 'missed' ? [] : await ops.service.listRecords(ctx, { from: range.from.toISOString(), to: range.to.toISOString(), ...provider });
        const missed = f.result && f.result !== 'missed' ? [] : await ops.service.missedInspections(ctx, { ...range, ...provider });
        const n = await names(ctx, [...records.map((r) => r.providerOrgId), ...missed.map((m) => m.providerOrgId)], [...records.map((r) => r.nodeId), ...missed.map((m) => m.nodeId)]);
        const done: Row[] = records
          .filter((r) => !f.result || (f.result === 'abnormal' ? r.abnormalCount > 0 : f.result === 'normal' ? r.abnormalCount === 0 : false))
          .map((r) => ({
            slotStart: r.slotStart, slotEnd: r.slotEnd, plan: r.planName, provider: n.orgs.get(r.providerOrgId) ?? null, node: n.nodes.get(r.nodeId) ?? null, result: r.abnormalCount > 0 ? '异常' : '正常',
            abnormalCount: r.abnormalCount, abnormalItems: r.results.filter((x) => x.result === 'abnormal').map((x) => (x.note ? `${x.label}（${x.note}）` : x.label)).join('；') || null,
            performedAt: r.performedAt, inspector: r.inspectorName, late: yesNo(r.late), openRectifications: r.rectifications.filter((x) => x.status === 'open').length, note: r.note,
          }));
        const gone: Row[] = missed.map((m) => ({
          slotStart: m.slotStart, slotEnd: m.slotEnd, plan: m.planName, provider: n.orgs.get(m.providerOrgId) ?? null, node: n.nodes.get(m.nodeId) ?? null, result: '漏检',
          abnormalCount: null, abnormalItems: null, performedAt: null, inspector: null, late: null, openRectifications: null, note: null,
        }));
        const rows = [...done, ...gone].sort((a, b) => String(b.slotStart).localeCompare(String(a.slotStart)));
        return { rows: rows.slice(0, max), truncated: rows.length > max || records.length >= RECORDS_CAP };
      },
    },
    {
      code: 'operations.drills',
      name: '应急演练',
      permission: 'operations:read',
      columns: [
        { key: 'org', label: '组织' }, { key: 'level', label: '层级' }, { key: 'kind', label: '形式' }, { key: 'scenario', label: '演练场景' }, { key: 'plannedOn', label: '计划日期' },
        { key: 'heldOn', label: '开展日期' }, { key: 'status', label: '状态' }, { key: 'participants', label: '参与人数', kind: 'integer' }, { key: 'findings', label: '发现问题' },
      ],
      filters: [
        { key: 'month', label: '月份（计划或开展于该月）', type: 'month' }, { key: 'status', label: '状态', type: 'enum', options: opts(DRILL_STATUS_CN) },
        { key: 'level', label: '层级', type: 'enum', options: opts(DRILL_LEVEL_CN) }, { key: 'orgId', label: '组织', type: 'uuid' },
      ],
      fetch: async (ctx, f, max) => {
        const range = f.month ? monthRange(f.month) : null;
        const list = (await ops.service.listDrills(ctx)).filter((x) => (!f.status || x.status === f.status) && (!f.level || x.level === f.level) && (!f.orgId || x.orgId === f.orgId) && (!range || dayIn(x.plannedOn, range) || dayIn(x.heldOn, range)));
        const n = await names(ctx, list.map((x) => x.orgId));
        return {
          rows: list.slice(0, max).map((x) => ({
            org: n.orgs.get(x.orgId) ?? null, level: DRILL_LEVEL_CN[x.level] ?? x.level, kind: DRILL_KIND_CN[x.kind] ?? x.kind, scenario: x.scenario, plannedOn: x.plannedOn, heldOn: x.heldOn,
            status: DRILL_STATUS_CN[x.status] ?? x.status, participants: x.participants.length, findings: x.findings,
          })),
          truncated: list.length > max,
        };
      },
    },
    {
      code: 'operations.duty_log',
      name: '值班日志',
      permission: 'operations:read',
      columns: [{ key: 'at', label: '时间' }, { key: 'org', label: '组织' }, { key: 'kind', label: '类型' }, { key: 'person', label: '值班人' }, { key: 'body', label: '内容' }],
      filters: [{ key: 'month', label: '月份（默认本月）', type: 'month' }, { key: 'kind', label: '类型', type: 'enum', options: opts(DUTY_KIND_CN) }, { key: 'orgId', label: '组织', type: 'uuid' }],
      fetch: async (ctx, f, max) => {
        const list = await ops.reads.dutyLog(ctx, { ...monthRange(f.month), ...(f.orgId ? { orgId: f.orgId } : {}), ...(f.kind ? { kind: f.kind as 'event' | 'handover' | 'check' } : {}), limit: max + 1 });
        return { rows: list.slice(0, max).map((x) => ({ at: x.at, org: x.orgName, kind: DUTY_KIND_CN[x.kind] ?? x.kind, person: x.person, body: x.body })), truncated: list.length > max };
      },
    },
    {
      code: 'operations.changes',
      name: '云平台变更',
      permission: 'operations:read',
      columns: [
        { key: 'title', label: '变更标题' }, { key: 'provider', label: '云服务商' }, { key: 'node', label: '云节点' }, { key: 'changeType', label: '变更类型' }, { key: 'businessImpact', label: '影响业务' },
        { key: 'windowStart', label: '窗口开始' }, { key: 'windowEnd', label: '窗口结束' }, { key: 'status', label: '状态' }, { key: 'implementedFrom', label: '实施开始' }, { key: 'implementedTo', label: '实施结束' },
        { key: 'result', label: '实施结果' }, { key: 'outsideWindow', label: '窗口外实施' }, { key: 'impactedSystems', label: '影响信息系统数', kind: 'integer' },
      ],
      filters: [
        { key: 'month', label: '月份（窗口与该月重叠）', type: 'month' }, { key: 'status', label: '状态', type: 'enum', options: opts(CHANGE_STATUS_CN) },
        { key: 'outsideWindow', label: '窗口外实施', type: 'enum', options: opts({ true: '是', false: '否' }) }, { key: 'providerOrgId', label: '云服务商', type: 'uuid' },
      ],
      fetch: async (ctx, f, max) => {
        const range = f.month ? monthRange(f.month) : null;
        const list = (await ops.service.listChanges(ctx)).filter((c) => (!f.status || c.status === f.status) && (!f.providerOrgId || c.providerOrgId === f.providerOrgId)
          && (!f.outsideWindow || c.outsideWindow === (f.outsideWindow === 'true')) && (!range || (new Date(c.windowStart) < range.to && new Date(c.windowEnd) > range.from)));
        const n = await names(ctx, list.map((c) => c.providerOrgId), list.map((c) => c.nodeId));
        return {
          rows: list.slice(0, max).map((c) => ({
            title: c.title, provider: n.orgs.get(c.providerOrgId) ?? null, node: c.nodeId ? (n.nodes.get(c.nodeId) ?? null) : null, changeType: CHANGE_TYPE_CN[c.changeType] ?? c.changeType, businessImpact: yesNo(c.businessImpact),
            windowStart: c.windowStart, windowEnd: c.windowEnd, status: CHANGE_STATUS_CN[c.status] ?? c.status, implementedFrom: c.implementedFrom, implementedTo: c.implementedTo,
            result: c.result ? (CHANGE_RESULT_CN[c.result] ?? c.result) : null, outsideWindow: yesNo(c.outsideWindow), impactedSystems: c.impactedSystemIds.length,
          })),
          truncated: list.length > max,
        };
      },
    },
  ];
}

function moduleDatasets(d: DatasetDeps): Dataset[] {
  return [
    {
      code: 'inventory.resources',
      name: '资源清单',
      permission: 'inventory:read',
      columns: [
        { key: 'name', label: '名称' }, { key: 'kind', label: '类型' }, { key: 'naturalKey', label: '标识' }, { key: 'provider', label: '云服务商' }, { key: 'node', label: '云节点' },
        { key: 'unit', label: '使用单位' }, { key: 'systemNo', label: '信息系统编号' }, { key: 'system', label: '信息系统' }, { key: 'cpuCores', label: 'vCPU（核）', kind: 'quantity' },
        { key: 'memoryGb', label: '内存（GB）', kind: 'quantity' }, { key: 'storageGb', label: '存储（GB）', kind: 'quantity' }, { key: 'status', label: '状态' }, { key: 'createdDate', label: '开通日期' }, { key: 'lastSeenAt', label: '最近上报' },
      ],
      filters: [
        { key: 'kind', label: '类型', type: 'enum', options: opts({ cloud_host: '云主机', physical_device: '物理设备', internet_bandwidth: '互联网带宽' }) },
        { key: 'status', label: '状态', type: 'enum', options: opts({ active: '在用', deleted: '已删除' }) },
        { key: 'providerOrgId', label: '云服务商', type: 'uuid' }, { key: 'unitOrgId', label: '使用单位', type: 'uuid' }, { key: 'q', label: '名称/标识包含', type: 'text' },
      ],
      fetch: (ctx, f, max) => paged(max, (page, pageSize) => d.inventory.list(ctx, { ...(f as object), page, pageSize }), (r) => ({
        name: r.name, kind: KINDS_CN[r.kind] ?? r.kind, naturalKey: r.naturalKey, provider: r.provider.name, node: r.node.name, unit: r.unit?.name ?? null, systemNo: r.systemNo,
        system: r.system?.name ?? null, cpuCores: r.quantities.cpuCores ?? null, memoryGb: r.quantities.memoryGb ?? null, storageGb: r.quantities.standardStorageGb ?? null,
        status: r.status === 'active' ? '在用' : '已删除', createdDate: r.createdDate, lastSeenAt: r.lastSeenAt,
      })),
    },
    {
      code: 'billing.bills',
      name: '账单（单位 × 月）',
      permission: 'billing:read',
      columns: [
        { key: 'month', label: '月份' }, { key: 'unit', label: '使用单位' }, { key: 'provider', label: '云服务商' }, { key: 'status', label: '状态' },
        { key: 'total', label: '金额（元）', kind: 'money' }, { key: 'priceMissing', label: '缺价项', kind: 'integer' }, { key: 'openDisputes', label: '未决异议', kind: 'integer' },
      ],
      filters: [
        { key: 'month', label: '月份', type: 'month' }, { key: 'unitOrgId', label: '使用单位', type: 'uuid' }, { key: 'providerOrgId', label: '云服务商', type: 'uuid' },
        { key: 'status', label: '状态', type: 'enum', options: opts({ draft: '草稿', provider_confirmed: '服务商已确认', unit_confirmed: '单位已确认', locked: '已锁定' }) },
      ],
      fetch: async (ctx, f, max) => {
        const { items } = await d.billing.list(ctx, f as never);
        const STATUS: Record<string, string> = { draft: '草稿', provider_confirmed: '服务商已确认', unit_confirmed: '单位已确认', locked: '已锁定' };
        return { rows: items.slice(0, max).map((b) => ({ month: b.month, unit: b.unit.name, provider: b.provider.name, status: STATUS[b.status] ?? b.status, total: b.total, priceMissing: b.priceMissingCount, openDisputes: b.openDisputes })), truncated: items.length > max };
      },
    },
    {
      code: 'servicedesk.tickets',
      name: '服务台工单',
      permission: 'ticket:read',
      columns: [
        { key: 'ticketNo', label: '工单号' }, { key: 'title', label: '标题' }, { key: 'kind', label: '类型' }, { key: 'status', label: '状态' }, { key: 'priority', label: '优先级', kind: 'integer' },
        { key: 'unit', label: '使用单位' }, { key: 'system', label: '信息系统' }, { key: 'provider', label: '云服务商' }, { key: 'openedAt', label: '受理时间' }, { key: 'resolvedAt', label: '解决时间' }, { key: 'rating', label: '满意度', kind: 'integer' },
      ],
      filters: [
        { key: 'status', label: '状态', type: 'enum', options: opts({ open: '未关闭', new: '新建', assigned: '已分派', in_progress: '处理中', resolved: '已解决', closed: '已关闭' }) },
        { key: 'providerId', label: '云服务商', type: 'uuid' }, { key: 'unitId', label: '使用单位', type: 'uuid' }, { key: 'q', label: '关键词', type: 'text' },
      ],
      fetch: (ctx, f, max) => paged(max, (page, pageSize) => d.serviceDesk.listTickets(ctx, { view: 'all', sort: '-openedAt', ...(f as object), page, pageSize } as never), (t) => ({
        ticketNo: t.ticketNo, title: t.title, kind: t.kind, status: t.status, priority: t.priority, unit: t.unitName, system: t.systemName, provider: t.providerName, openedAt: t.openedAt, resolvedAt: t.resolvedAt, rating: t.rating,
      })),
    },
    {
      code: 'security.findings',
      name: '漏洞（安全扫描发现）',
      permission: 'security:read',
      columns: [
        { key: 'name', label: '漏洞名称' }, { key: 'severity', label: '等级' }, { key: 'status', label: '状态' }, { key: 'hostRef', label: '主机' }, { key: 'ip', label: 'IP' }, { key: 'port', label: '端口' },
        { key: 'cve', label: 'CVE' }, { key: 'provider', label: '云服务商' }, { key: 'unit', label: '使用单位' }, { key: 'system', label: '信息系统' }, { key: 'deadline', label: '整改期限' }, { key: 'overdue', label: '逾期' },
      ],
      filters: [
        { key: 'severity', label: '等级', type: 'enum', options: opts({ critical: '紧急', high: '高危', medium: '中危', low: '低危' }) },
        { key: 'status', label: '状态', type: 'enum', options: opts({ open: '待通知', notified: '已通知', replied: '已回复', fixed: '已修复', accepted: '已接受风险', unfixed: '未修复' }) },
        { key: 'providerId', label: '云服务商', type: 'uuid' }, { key: 'unitId', label: '使用单位', type: 'uuid' }, { key: 'keyword', label: '关键词', type: 'text' },
      ],
      fetch: (ctx, f, max) => {
        const SEV: Record<string, string> = { critical: '紧急', high: '高危', medium: '中危', low: '低危' };
        return paged(max, (page, pageSize) => d.security.listFindings(ctx, { ...(f as object), page, pageSize }), (x) => ({
          name: x.name, severity: SEV[x.severity] ?? x.severity, status: x.status, hostRef: x.hostRef, ip: x.ip, port: x.port, cve: x.cve.join(', '), provider: x.providerName, unit: x.unitName, system: x.systemName, deadline: x.deadline, overdue: x.overdue ? '是' : '否',
        }));
      },
    },
  ];
}
