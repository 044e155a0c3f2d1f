import type { RequestContext } from '../../platform/context.js';
import type { BillingService } from '../billing/index.js';
import type { CellValue, ColumnKind } from '../documents/index.js';
import type { InventoryService } from '../inventory/index.js';
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

export interface DatasetDeps { inventory: InventoryService; billing: BillingService; serviceDesk: ServiceDeskService; security: SecurityService }

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

const KINDS_CN = { cloud_host: '云主机', physical_device: '物理设备', internet_bandwidth: '互联网带宽' } as Record<string, string>;

export function datasets(d: DatasetDeps): Dataset[] {
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
