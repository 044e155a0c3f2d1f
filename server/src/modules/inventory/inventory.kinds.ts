/**
 * Pure rules of the inventory: which interface table feeds which resource kind, how a record is identified (natural
 * key), named, dated and measured, how two versions of a resource differ, and how a provider's 业务系统数据 differs
 * from the directory registration. No I/O here.
 */
import { Dec } from '../../platform/money.js';
import { beijingDate as beijingDay } from '../../platform/time.js';

export const RESOURCE_KINDS = [
  'physical_device',
  'cloud_host',
  'internet_bandwidth',
  'load_balancer',
  'vpn_account',
  'remote_access_account',
  'waf',
  'leased_line',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export const KIND_CN: Record<ResourceKind, string> = {
  physical_device: '物理设备',
  cloud_host: '云主机',
  internet_bandwidth: '互联网 IP 及带宽',
  load_balancer: '负载均衡',
  vpn_account: 'VPN 账号',
  remote_access_account: '远程接入账号',
  waf: 'WAF 防护',
  leased_line: '专线',
};

/** Quantities kept per resource, as decimal strings: cores, GB, Mbps. */
export const QUANTITY_KEYS = [
  'cpuCores',
  'memoryGb',
  'standardStorageGb',
  'highPerfStorageGb',
  'staticStorageGb',
  'localVideoStorageGb',
  'offsiteStorageGb',
  'bandwidthMbps',
] as const;
export type QuantityKey = (typeof QUANTITY_KEYS)[number];

export const QUANTITY_CN: Record<QuantityKey, string> = {
  cpuCores: 'CPU 核数',
  memoryGb: '内存 (GB)',
  standardStorageGb: '普通存储 (GB)',
  highPerfStorageGb: '高性能存储 (GB)',
  staticStorageGb: '静态存储 (GB)',
  localVideoStorageGb: '本地视频存储 (GB)',
  offsiteStorageGb: '异地存储 (GB)',
  bandwidthMbps: '带宽 (Mbps)',
};

export type ReportedRecord = Readonly<Record<string, string | null | undefined>>;

export interface KindMapping {
  table: string;
  kind: ResourceKind;
  /** Identifies the resource within provider and kind; null when the record lacks the identifying fields. */
  key(r: ReportedRecord): string | null;
  name(r: ReportedRecord): string;
  systemNo(r: ReportedRecord): string | null;
  createdDate(r: ReportedRecord): string | null;
  /** 删除日期 / 撤出日期 / 关闭日期 / 截止日期 / 结束时间. */
  deletedDate(r: ReportedRecord): string | null;
  quantities(r: ReportedRecord): Partial<Record<QuantityKey, string>>;
}

const v = (r: ReportedRecord, f: string): string | null => {
  const x = r[f];
  if (x === undefined || x === null) return null;
  const t = String(x).trim();
  return t === '' ? null : t;
};
const joined = (r: ReportedRecord, fields: string[], sep = '|'): string | null => {
  const parts = fields.map((f) => v(r, f));
  return parts.some((p) => p === null) ? null : parts.join(sep);
};
/** Canonical decimal text (16.00 → 16, 0.50 → 0.5), or null when absent or not a decimal. */
export function decimalText(x: string | null): string | null {
  if (x === null || !/^-?\d+(\.\d+)?$/.test(x)) return null;
  return new Dec(x).toFixed();
}
const quantities = (r: ReportedRecord, map: Partial<Record<QuantityKey, string>>): Partial<Record<QuantityKey, string>> => {
  const out: Partial<Record<QuantityKey, string>> = {};
  for (const [k, field] of Object.entries(map) as Array<[QuantityKey, string]>) {
    const d = decimalText(v(r, field));
    if (d !== null) out[k] = d;
  }
  return out;
};

export const KIND_MAPPINGS: readonly KindMapping[] = [
  {
    table: 'assets',
    kind: 'physical_device',
    key: (r) => v(r, 'serialNumber'),
    name: (r) => v(r, 'deviceName') ?? v(r, 'serialNumber') ?? '',
    // 资产数据 names the business system (业务系统名称) but carries no 信息系统编号.
    systemNo: () => null,
    createdDate: (r) => v(r, 'commissionDate'),
    deletedDate: (r) => v(r, 'decommissionDate'),
    quantities: () => ({}),
  },
  {
    table: 'cloudHostSpec',
    kind: 'cloud_host',
    key: (r) => v(r, 'cloudHostId'),
    name: (r) => v(r, 'cloudHostName') ?? v(r, 'cloudHostId') ?? '',
    systemNo: (r) => v(r, 'systemId'),
    createdDate: (r) => v(r, 'createdDate'),
    deletedDate: (r) => v(r, 'deletedDate'),
    quantities: (r) =>
      quantities(r, {
        cpuCores: 'cpuCores',
        memoryGb: 'memoryAllocated',
        standardStorageGb: 'standardStorageAllocated',
        highPerfStorageGb: 'highPerfStorageAllocated',
        staticStorageGb: 'staticStorageAllocated',
        localVideoStorageGb: 'localVideoStorageAllocated',
        offsiteStorageGb: 'offsiteStorageAllocated',
      }),
  },
  {
    table: 'internetBandwidthService',
    kind: 'internet_bandwidth',
    key: (r) => joined(r, ['systemId', 'internetIp']),
    name: (r) => v(r, 'internetIp') ?? '',
    systemNo: (r) => v(r, 'systemId'),
    createdDate: (r) => v(r, 'startDate'),
    deletedDate: (r) => v(r, 'endDate'),
    quantities: (r) => quantities(r, { bandwidthMbps: 'bandwidth' }),
  },
  {
    table: 'loadBalancerService',
    kind: 'load_balancer',
    key: (r) => joined(r, ['systemId', 'loadBalancerIp', 'openPort', 'internalIp']),
    name: (r) => `${v(r, 'loadBalancerIp') ?? ''}:${v(r, 'openPort') ?? ''}`,
    systemNo: (r) => v(r, 'systemId'),
    createdDate: (r) => v(r, 'openedDate'),
    deletedDate: (r) => v(r, 'closedDate'),
    quantities: () => ({}),
  },
  {
    table: 'vpnService',
    kind: 'vpn_account',
    key: (r) => joined(r, ['systemId', 'account']),
    name: (r) => v(r, 'account') ?? '',
    systemNo: (r) => v(r, 'systemId'),
    createdDate: (r) => v(r, 'openedDate'),
    deletedDate: (r) => v(r, 'closedDate'),
    quantities: () => ({}),
  },
  {
    table: 'remoteAccessService',
    kind: 'remote_access_account',
    key: (r) => joined(r, ['systemId', 'account']),
    name: (r) => v(r, 'account') ?? '',
    systemNo: (r) => v(r, 'systemId'),
    createdDate: (r) => v(r, 'openedDate'),
    deletedDate: (r) => v(r, 'closedDate'),
    quantities: () => ({}),
  },
  {
    table: 'wafService',
    kind: 'waf',
    key: (r) => joined(r, ['systemId', 'ipAddress', 'port']),
    name: (r) => `${v(r, 'ipAddress') ?? ''}:${v(r, 'port') ?? ''}`,
    systemNo: (r) => v(r, 'systemId'),
    createdDate: (r) => v(r, 'openedDate'),
    deletedDate: (r) => v(r, 'closedDate'),
    quantities: () => ({}),
  },
  {
    table: 'leasedLineService',
    kind: 'leased_line',
    key: (r) => joined(r, ['systemId', 'localEndAddress', 'remoteEndAddress']),
    name: (r) => `${v(r, 'carrier') ?? ''} ${v(r, 'localEndAddress') ?? ''} → ${v(r, 'remoteEndAddress') ?? ''}`.trim(),
    systemNo: (r) => v(r, 'systemId'),
    createdDate: (r) => v(r, 'startTime'),
    deletedDate: (r) => v(r, 'endTime'),
    quantities: () => ({}),
  },
];

export const MAPPING_BY_TABLE = new Map(KIND_MAPPINGS.map((m) => [m.table, m]));
export const BUSINESS_SYSTEM_TABLE = 'businessSystem';
export const PLATFORM_SPEC_TABLE = 'platformSpec';
/** Every interface table the inventory job reads. */
export const INVENTORY_TABLES: readonly string[] = [...KIND_MAPPINGS.map((m) => m.table), BUSINESS_SYSTEM_TABLE, PLATFORM_SPEC_TABLE];

/** The resource as the inventory stores it, derived from one reported record. */
export interface ResourceVersion {
  kind: ResourceKind;
  naturalKey: string;
  name: string;
  systemNo: string | null;
  attributes: Record<string, string | null>;
  quantities: Partial<Record<QuantityKey, string>>;
  createdDate: string | null;
  deletedDate: string | null;
  status: 'active' | 'deleted';
}

/**
 * The resource a record describes; `today` is the Beijing date (YYYY-MM-DD): a resource whose end date has come is
 * deleted, one whose end date is still ahead stays active until that day.
 */
export function resourceFromRecord(m: KindMapping, r: ReportedRecord, today: string): ResourceVersion | null {
  const naturalKey = m.key(r);
  if (naturalKey === null) return null;
  const attributes: Record<string, string | null> = {};
  for (const [k, x] of Object.entries(r)) attributes[k] = x === undefined || x === null || String(x).trim() === '' ? null : String(x);
  const deletedDate = m.deletedDate(r);
  return {
    kind: m.kind,
    naturalKey,
    name: m.name(r).slice(0, 300),
    systemNo: m.systemNo(r),
    attributes,
    quantities: m.quantities(r),
    createdDate: m.createdDate(r),
    deletedDate,
    status: deletedDate !== null && deletedDate <= today ? 'deleted' : 'active',
  };
}

export interface StoredVersion {
  nodeId: string;
  attributes: Record<string, string | null>;
  status: 'active' | 'deleted';
}

/**
 * Changed fields between the stored and the newly reported version: reported fields by name, plus `status` and
 * `nodeId` when those change. Empty when nothing changed.
 */
export function diffResource(
  before: StoredVersion,
  after: StoredVersion,
): { before: Record<string, string | null>; after: Record<string, string | null> } {
  const b: Record<string, string | null> = {};
  const a: Record<string, string | null> = {};
  const keys = new Set([...Object.keys(before.attributes), ...Object.keys(after.attributes)]);
  for (const k of [...keys].sort()) {
    const x = before.attributes[k] ?? null;
    const y = after.attributes[k] ?? null;
    if (!sameValue(x, y)) {
      b[k] = x;
      a[k] = y;
    }
  }
  if (before.status !== after.status) {
    b.status = before.status;
    a.status = after.status;
  }
  if (before.nodeId !== after.nodeId) {
    b.nodeId = before.nodeId;
    a.nodeId = after.nodeId;
  }
  return { before: b, after: a };
}

/** Equal as text, or as decimals (16 and 16.00 are the same quantity). */
function sameValue(x: string | null, y: string | null): boolean {
  if (x === y) return true;
  const dx = decimalText(x);
  const dy = decimalText(y);
  return dx !== null && dx === dy;
}

/** The directory's registration of an information system, as the comparison needs it. */
export interface RegisteredSystem {
  systemNo: string;
  name: string;
  nodeId: string;
  nodeCode: string;
  nodeName: string;
  unitCode: string | null;
  machineRoomCode: string | null;
  gradingLevel: string;
  networkNature: string;
}

export interface SystemMismatch {
  field: string;
  reported: string | null;
  registered: string | null;
}

/**
 * Where a provider's 业务系统数据 record differs from the unit's registration: name, deployment node (the node named
 * in 部署节点 and the node the provider pushed for), grading level, network nature, unit number, machine room.
 * Blank spaces are ignored in the comparison (7*24 小时 = 7*24小时).
 */
export function compareSystem(reported: ReportedRecord, pushedNodeId: string, reg: RegisteredSystem): SystemMismatch[] {
  const out: SystemMismatch[] = [];
  const norm = (x: string | null | undefined) => (x ?? '').replace(/\s+/g, '');
  const check = (field: string, rep: string | null | undefined, registered: string | null, equal = norm(rep) === norm(registered)) => {
    if (!equal) out.push({ field, reported: rep ?? null, registered });
  };
  check('systemName', reported.systemName, reg.name);
  const dn = norm(reported.deploymentNode);
  check('deploymentNode', reported.deploymentNode, reg.nodeCode, dn === norm(reg.nodeCode) || dn === norm(reg.nodeName));
  if (pushedNodeId !== reg.nodeId) out.push({ field: 'nodeId', reported: pushedNodeId, registered: reg.nodeId });
  check('securityGradingLevel', reported.securityGradingLevel, reg.gradingLevel);
  check('networkNature', reported.networkNature, reg.networkNature);
  if (reg.unitCode !== null) check('userUnitId', reported.userUnitId, reg.unitCode);
  if (reg.machineRoomCode !== null) check('machineRoom', reported.machineRoom, reg.machineRoomCode);
  return out;
}

/** Today's date in Beijing time, YYYY-MM-DD. */
export function beijingDate(at: Date = new Date()): string {
  return beijingDay(at);
}
