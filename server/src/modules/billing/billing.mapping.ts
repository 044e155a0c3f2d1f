import { convert, type CatalogItemData } from '../catalog/index.js';
import type { ResourceKind } from '../inventory/index.js';
import { parseDecimal, roundYuan, type Dec } from '../../platform/money.js';

/**
 * How an inventory resource's quantities become catalog items (计量规则). Pure: the caller passes the catalog items.
 * Each rule names the inventory quantity (or `count`: one per resource), the unit the inventory states it in
 * (docs/inventory.md: GB, Mbps, cores), and the catalog item — or null with the reason the catalog has no item for it.
 * Conversion into the item's billing unit goes through catalog/units.ts (`100 GB` divides by 100, `1 TB` by 1024).
 */
export interface MeterRule {
  kind: ResourceKind;
  sourceKey: string;
  sourceUnit: string;
  itemCode: string | null;
  reason?: string;
}

export const METER_RULES: readonly MeterRule[] = [
  { kind: 'cloud_host', sourceKey: 'cpuCores', sourceUnit: '核', itemCode: '1001' },
  { kind: 'cloud_host', sourceKey: 'memoryGb', sourceUnit: 'GB', itemCode: '1002' },
  { kind: 'cloud_host', sourceKey: 'standardStorageGb', sourceUnit: 'GB', itemCode: '1011' },
  { kind: 'cloud_host', sourceKey: 'highPerfStorageGb', sourceUnit: 'GB', itemCode: '1012' },
  { kind: 'cloud_host', sourceKey: 'staticStorageGb', sourceUnit: 'GB', itemCode: '1013' },
  { kind: 'cloud_host', sourceKey: 'localVideoStorageGb', sourceUnit: 'GB', itemCode: null, reason: '服务目录没有本地视频存储的计价项' },
  {
    kind: 'cloud_host',
    sourceKey: 'offsiteStorageGb',
    sourceUnit: 'GB',
    itemCode: null,
    reason: '异地存储容量在服务目录中没有对应项（1015 异地备份服务按备份服务计价，不含存储空间）',
  },
  // Security baseline (基础安全保障): 云主机监控 per host, at zero price.
  { kind: 'cloud_host', sourceKey: 'count', sourceUnit: '主机', itemCode: '2014' },
  { kind: 'internet_bandwidth', sourceKey: 'bandwidthMbps', sourceUnit: 'Mbps', itemCode: '1016' },
  { kind: 'internet_bandwidth', sourceKey: 'count', sourceUnit: 'IP（互联网）', itemCode: '1017' },
  { kind: 'load_balancer', sourceKey: 'count', sourceUnit: 'IP（内网）', itemCode: '1018' },
  { kind: 'remote_access_account', sourceKey: 'count', sourceUnit: '账号', itemCode: '1019' },
  {
    kind: 'vpn_account',
    sourceKey: 'count',
    sourceUnit: '账号',
    itemCode: null,
    reason: 'VPN 账号不能换算：服务目录按“套”（SSL VPN，每套 10 个并发用户，1020）或 IPSec 带宽（1021）计价',
  },
  { kind: 'waf', sourceKey: 'count', sourceUnit: '套', itemCode: '1023' },
  { kind: 'leased_line', sourceKey: 'count', sourceUnit: '条', itemCode: null, reason: '服务目录没有专线的计价项' },
];

/** Physical devices (资产数据) are the provider's own equipment, not a rented service: not metered. */
export const NOT_METERED_KINDS: readonly ResourceKind[] = ['physical_device'];

export interface UsageLine {
  sourceKey: string;
  sourceQuantity: string;
  itemCode: string | null;
  itemKind: string | null;
  quantity: string;
  billingUnit: string | null;
  unmappedReason: string | null;
}

/**
 * The usage lines of one resource for one day. Zero and absent quantities give no line; a quantity that is not a
 * decimal, an item missing from the catalog version or a unit that does not convert give an unmapped line.
 */
export function meterResource(kind: ResourceKind, quantities: Record<string, unknown>, items: ReadonlyMap<string, CatalogItemData>): UsageLine[] {
  const out: UsageLine[] = [];
  for (const rule of METER_RULES) {
    if (rule.kind !== kind) continue;
    let q: Dec;
    if (rule.sourceKey === 'count') q = parseDecimal('1');
    else {
      const raw = quantities[rule.sourceKey];
      if (raw === undefined || raw === null || raw === '') continue;
      try {
        q = parseDecimal(String(raw));
      } catch {
        out.push(unmapped(rule, String(raw), `数量“${String(raw)}”不是十进制数`));
        continue;
      }
      if (q.isZero()) continue;
      if (q.isNegative()) {
        out.push(unmapped(rule, q.toString(), '数量为负数'));
        continue;
      }
    }
    if (rule.itemCode === null) {
      out.push(unmapped(rule, q.toString(), rule.reason!));
      continue;
    }
    const item = items.get(rule.itemCode);
    if (!item) {
      out.push(unmapped(rule, q.toString(), `服务目录当前版本没有 ${rule.itemCode} 项`));
      continue;
    }
    if (item.kind === 'baseline') {
      out.push({ sourceKey: rule.sourceKey, sourceQuantity: q.toString(), itemCode: item.code, itemKind: 'baseline', quantity: q.toString(), billingUnit: rule.sourceUnit, unmappedReason: null });
      continue;
    }
    if (!item.billingUnitText) {
      out.push(unmapped(rule, q.toString(), `${item.code} 没有计价单位`));
      continue;
    }
    const c = ratioOf(rule.sourceUnit, item.billingUnitText);
    if (!c.ok) {
      out.push(unmapped(rule, q.toString(), c.message));
      continue;
    }
    out.push({
      sourceKey: rule.sourceKey,
      sourceQuantity: q.toString(),
      itemCode: item.code,
      itemKind: item.kind,
      quantity: q.times(c.ratio).toDecimalPlaces(6).toString(),
      billingUnit: item.billingUnitText,
      unmappedReason: null,
    });
  }
  return out;
}

/** Conversion ratios by source unit and billing unit (units.ts parses both texts; metering asks the same few pairs). */
const ratios = new Map<string, { ok: true; ratio: Dec } | { ok: false; message: string }>();
function ratioOf(from: string, to: string): { ok: true; ratio: Dec } | { ok: false; message: string } {
  const key = `${from}\u0000${to}`;
  let r = ratios.get(key);
  if (!r) {
    const c = convert(parseDecimal('1'), from, to);
    r = c.ok ? { ok: true, ratio: c.ratio } : { ok: false, message: c.message };
    ratios.set(key, r);
  }
  return r;
}

function unmapped(rule: MeterRule, sourceQuantity: string, reason: string): UsageLine {
  return { sourceKey: rule.sourceKey, sourceQuantity, itemCode: null, itemKind: null, quantity: '0', billingUnit: null, unmappedReason: reason };
}

/** Days in a month given as `YYYY-MM-01`. */
export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * Amount of a line: Σ daily quantity × unit price / days in month for monthly prices (a month's price per unit, paid
 * for the days in force), / 12 more for yearly prices; half-up to 0.01 元. Other periods (per occurrence, message …)
 * are not metered from the inventory: null (period_unsupported).
 */
export function lineAmount(quantityDays: Dec, unitPrice: Dec, period: string, days: number): Dec | null {
  if (period === 'month') return roundYuan(quantityDays.times(unitPrice).dividedBy(days));
  if (period === 'year') return roundYuan(quantityDays.times(unitPrice).dividedBy(12).dividedBy(days));
  return null;
}
