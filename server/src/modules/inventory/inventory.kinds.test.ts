import { describe, expect, it } from 'vitest';
import { MAPPING_BY_TABLE, beijingDate, compareSystem, decimalText, diffResource, resourceFromRecord, type RegisteredSystem } from './inventory.kinds.js';

const today = '2026-06-15';

describe('resource from a reported record', () => {
  const host = MAPPING_BY_TABLE.get('cloudHostSpec')!;
  const rec = { systemId: 'S001', cloudHostName: '主机', cloudHostId: 'vm-1', cpuCores: '8', memoryAllocated: '16.00', offsiteStorageAllocated: '0.50', deletedDate: null as string | null };

  it('keys, names and measures a cloud host (GB, decimal text)', () => {
    const r = resourceFromRecord(host, rec, today)!;
    expect([r.kind, r.naturalKey, r.name, r.systemNo, r.status]).toEqual(['cloud_host', 'vm-1', '主机', 'S001', 'active']);
    expect(r.quantities).toEqual({ cpuCores: '8', memoryGb: '16', offsiteStorageGb: '0.5' });
  });

  it('is deleted once its end date has come, active while it is ahead', () => {
    expect(resourceFromRecord(host, { ...rec, deletedDate: today }, today)!.status).toBe('deleted');
    expect(resourceFromRecord(host, { ...rec, deletedDate: '2026-06-16' }, today)!.status).toBe('active');
  });

  it('refuses a record without its identifying fields', () => {
    expect(resourceFromRecord(host, { ...rec, cloudHostId: '  ' }, today)).toBeNull();
    const lb = MAPPING_BY_TABLE.get('loadBalancerService')!;
    expect(resourceFromRecord(lb, { systemId: 'S1', loadBalancerIp: '1.1.1.1', openPort: '443', internalIp: null }, today)).toBeNull();
    expect(resourceFromRecord(lb, { systemId: 'S1', loadBalancerIp: '1.1.1.1', openPort: '443', internalIp: '10.0.0.1' }, today)!.naturalKey).toBe('S1|1.1.1.1|443|10.0.0.1');
  });

  it('an internet IP carries its bandwidth in Mbps', () => {
    const ip = resourceFromRecord(MAPPING_BY_TABLE.get('internetBandwidthService')!, { systemId: 'S1', internetIp: '203.0.113.1', bandwidth: '100.00', endDate: '2020-01-01' }, today)!;
    expect([ip.kind, ip.naturalKey, ip.quantities.bandwidthMbps, ip.status]).toEqual(['internet_bandwidth', 'S1|203.0.113.1', '100', 'deleted']);
  });
});

describe('diff', () => {
  const base = { nodeId: 'n1', status: 'active' as const, attributes: { a: '1', b: 'x', m: '16.00' } };
  it('lists only changed fields, status and node', () => {
    expect(diffResource(base, { ...base, attributes: { a: '1', b: 'y', m: '16' } })).toEqual({ before: { b: 'x' }, after: { b: 'y' } });
    expect(diffResource(base, { nodeId: 'n2', status: 'deleted', attributes: { ...base.attributes, c: 'new' } })).toEqual({
      before: { c: null, status: 'active', nodeId: 'n1' },
      after: { c: 'new', status: 'deleted', nodeId: 'n2' },
    });
    expect(diffResource(base, base)).toEqual({ before: {}, after: {} });
  });
  it('decimal text is canonical', () => {
    expect([decimalText('16.00'), decimalText('0.50'), decimalText('abc'), decimalText(null)]).toEqual(['16', '0.5', null, null]);
  });
});

describe('reported system vs registration', () => {
  const reg: RegisteredSystem = { systemNo: 'U001', name: '办事大厅', nodeId: 'n1', nodeCode: 'TZ', nodeName: '通州节点', unitCode: 'U', machineRoomCode: 'RM01', gradingLevel: '三级', networkNature: '政务外网' };
  const rep = { systemName: '办事 大厅', deploymentNode: '通州节点', securityGradingLevel: '三级', networkNature: '政务外网', userUnitId: 'U', machineRoom: 'RM01' };
  it('matches ignoring blanks; the node by code or name', () => {
    expect(compareSystem(rep, 'n1', reg)).toEqual([]);
    expect(compareSystem({ ...rep, deploymentNode: 'TZ' }, 'n1', reg)).toEqual([]);
  });
  it('names every differing field', () => {
    expect(compareSystem({ ...rep, securityGradingLevel: '二级', deploymentNode: 'XX', networkNature: '互联网', machineRoom: 'RM02' }, 'n2', reg).map((m) => m.field)).toEqual([
      'deploymentNode',
      'nodeId',
      'securityGradingLevel',
      'networkNature',
      'machineRoom',
    ]);
  });
});

it('Beijing date rolls over at 16:00 UTC', () => {
  expect(beijingDate(new Date('2026-06-15T15:59:59Z'))).toBe('2026-06-15');
  expect(beijingDate(new Date('2026-06-15T16:00:00Z'))).toBe('2026-06-16');
});
