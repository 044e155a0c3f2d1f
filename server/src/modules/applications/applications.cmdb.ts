/**
 * What an accepted delivery puts into the CMDB inventory (pure, no I/O): the catalog item of each line gives the
 * resource kind and quantity (billing's METER_RULES read backwards), the hosts the provider recorded on the line give
 * the resources. Cloud hosts (1001 vCPU, 1002 memory, 1011/1012/1013 storage): one resource per host name (its
 * natural key = the cloud host ID the data interface will push), the line's quantity converted to cores / GB and
 * split evenly over the hosts listed on the line. Internet IPs and bandwidth (1016 bandwidth, 1017 IP): one resource
 * per recorded IP (natural key 信息系统编号|IP, as the data interface builds it), bandwidth split evenly over them.
 * Everything else is reported as not mapped (with the reason): load balancers, WAF, VPN and remote-access accounts
 * need ports or account names the delivery record does not carry; items without a metered resource (backup,
 * security services …) are not inventory resources.
 */
import { convert } from '../catalog/index.js';
import { METER_RULES } from '../billing/index.js';
import type { DeliveredResources, QuantityKey } from '../inventory/index.js';
import { Dec } from '../../platform/money.js';

export interface DeliveredLine {
  lineNo: number;
  itemCode: string;
  billingUnitText: string;
  quantity: string;
  delivery: { hosts: Array<{ hostName: string; ip?: string | null | undefined; size?: string | null | undefined }> } | null;
}

export type DeliveredItem = DeliveredResources['items'][number];

export function deliveredResources(systemNo: string, lines: readonly DeliveredLine[]): { items: DeliveredItem[]; notMapped: Array<{ lineNo: number; itemCode: string; reason: string }> } {
  const items = new Map<string, DeliveredItem>();
  const notMapped: Array<{ lineNo: number; itemCode: string; reason: string }> = [];
  const item = (kind: DeliveredItem['kind'], naturalKey: string, name: string, attributes: Record<string, string | null>): DeliveredItem => {
    const k = `${kind}\u0000${naturalKey}`;
    let it = items.get(k);
    if (!it) items.set(k, (it = { kind, naturalKey, name, quantities: {}, attributes: {} }));
    Object.assign(it.attributes, attributes);
    return it;
  };
  const add = (it: DeliveredItem, key: QuantityKey, q: Dec) => {
    it.quantities[key] = new Dec(it.quantities[key] ?? '0').plus(q).toDecimalPlaces(4).toFixed();
  };
  for (const l of lines) {
    const rule = METER_RULES.find((r) => r.itemCode === l.itemCode);
    const hosts = l.delivery?.hosts ?? [];
    if (!rule || (rule.kind !== 'cloud_host' && rule.kind !== 'internet_bandwidth')) {
      notMapped.push({ lineNo: l.lineNo, itemCode: l.itemCode, reason: rule ? `${rule.kind}: the delivery record carries no natural key for it` : 'no inventory resource for this item' });
      continue;
    }
    let total: Dec | null = null;
    if (rule.sourceKey !== 'count') {
      const c = convert(new Dec(l.quantity), l.billingUnitText, rule.sourceUnit);
      if (!c.ok) {
        notMapped.push({ lineNo: l.lineNo, itemCode: l.itemCode, reason: c.message });
        continue;
      }
      total = c.quantity;
    }
    if (rule.kind === 'cloud_host') {
      if (hosts.length === 0) {
        notMapped.push({ lineNo: l.lineNo, itemCode: l.itemCode, reason: 'no host recorded on the line' });
        continue;
      }
      for (const h of hosts) {
        const it = item('cloud_host', h.hostName, h.hostName, { cloudHostId: h.hostName, cloudHostName: h.hostName, systemId: systemNo, ...(h.ip ? { ip: h.ip } : {}) });
        if (total !== null) add(it, rule.sourceKey as QuantityKey, total.dividedBy(hosts.length));
      }
      continue;
    }
    const ips = [...new Set(hosts.map((h) => h.ip ?? '').filter((ip) => ip !== ''))];
    if (ips.length === 0) {
      notMapped.push({ lineNo: l.lineNo, itemCode: l.itemCode, reason: 'no internet IP recorded on the line' });
      continue;
    }
    for (const ip of ips) {
      const it = item('internet_bandwidth', `${systemNo}|${ip}`, ip, { systemId: systemNo, internetIp: ip });
      if (total !== null) add(it, rule.sourceKey as QuantityKey, total.dividedBy(ips.length));
    }
  }
  return { items: [...items.values()], notMapped };
}
