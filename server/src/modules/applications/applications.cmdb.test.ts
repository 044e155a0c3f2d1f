import { describe, expect, it } from 'vitest';
import { deliveredResources, type DeliveredLine } from './applications.cmdb.js';

const line = (lineNo: number, itemCode: string, billingUnitText: string, quantity: string, hosts: DeliveredLine['delivery']): DeliveredLine => ({ lineNo, itemCode, billingUnitText, quantity, delivery: hosts });

describe('deliveredResources: accepted delivery → CMDB resources', () => {
  it('cloud hosts: quantities converted to cores / GB and split over the hosts of the line; IPs with bandwidth; the rest not mapped', () => {
    const { items, notMapped } = deliveredResources('SYS-1', [
      line(1, '1001', '1 CPU', '16', { hosts: [{ hostName: 'app-01', ip: '10.0.0.1' }, { hostName: 'app-02', ip: '10.0.0.2' }] }),
      line(2, '1002', '1 GB', '64', { hosts: [{ hostName: 'app-01' }, { hostName: 'app-02' }] }),
      line(3, '1011', '100 GB', '5', { hosts: [{ hostName: 'app-01' }] }),
      line(4, '1016', '1 Mb', '30', { hosts: [{ hostName: 'eip', ip: '203.0.113.7' }, { hostName: 'eip2', ip: '203.0.113.8' }] }),
      line(5, '1017', '1 IP', '2', { hosts: [{ hostName: 'eip', ip: '203.0.113.7' }, { hostName: 'eip2', ip: '203.0.113.8' }] }),
      line(6, '1023', '1 套', '1', { hosts: [{ hostName: 'waf' }] }),
      line(7, '1015', '1 套', '1', null),
      line(8, '1012', '100 GB', '1', { hosts: [] }),
    ]);
    expect(items).toEqual([
      { kind: 'cloud_host', naturalKey: 'app-01', name: 'app-01', quantities: { cpuCores: '8', memoryGb: '32', standardStorageGb: '500' }, attributes: { cloudHostId: 'app-01', cloudHostName: 'app-01', systemId: 'SYS-1', ip: '10.0.0.1' } },
      { kind: 'cloud_host', naturalKey: 'app-02', name: 'app-02', quantities: { cpuCores: '8', memoryGb: '32' }, attributes: { cloudHostId: 'app-02', cloudHostName: 'app-02', systemId: 'SYS-1', ip: '10.0.0.2' } },
      { kind: 'internet_bandwidth', naturalKey: 'SYS-1|203.0.113.7', name: '203.0.113.7', quantities: { bandwidthMbps: '15' }, attributes: { systemId: 'SYS-1', internetIp: '203.0.113.7' } },
      { kind: 'internet_bandwidth', naturalKey: 'SYS-1|203.0.113.8', name: '203.0.113.8', quantities: { bandwidthMbps: '15' }, attributes: { systemId: 'SYS-1', internetIp: '203.0.113.8' } },
    ]);
    expect(notMapped.map((n) => [n.lineNo, n.itemCode])).toEqual([[6, '1023'], [7, '1015'], [8, '1012']]);
    expect(notMapped[2]!.reason).toBe('no host recorded on the line');
  });
});
