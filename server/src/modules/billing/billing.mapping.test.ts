import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itemsFromCatalogJson } from '../catalog/index.js';
import { Dec } from '../../platform/money.js';
import { daysInMonth, lineAmount, meterResource } from './billing.mapping.js';

const catalogJson: unknown = JSON.parse(fs.readFileSync(new URL('../catalog/data/catalog.json', import.meta.url), 'utf8'));
const items = new Map(itemsFromCatalogJson(catalogJson).map((i) => [i.code, i]));

describe('meterResource', () => {
  it('maps a cloud host to vCPU, memory, storage per 100 GB and static storage per TB, baseline monitoring free', () => {
    const lines = meterResource('cloud_host', { cpuCores: '8', memoryGb: '16.00', standardStorageGb: '8505', highPerfStorageGb: '0', staticStorageGb: '512' }, items);
    const by = Object.fromEntries(lines.map((l) => [l.sourceKey, l]));
    expect(by.cpuCores).toMatchObject({ itemCode: '1001', quantity: '8' });
    expect(by.memoryGb).toMatchObject({ itemCode: '1002', quantity: '16' });
    expect(by.standardStorageGb).toMatchObject({ itemCode: '1011', quantity: '85.05' });
    expect(by.highPerfStorageGb).toBeUndefined(); // zero: no line
    expect(by.staticStorageGb).toMatchObject({ itemCode: '1013', quantity: '0.5' }); // 512 GB = 0.5 TB (1024)
    expect(by.count).toMatchObject({ itemCode: '2014', itemKind: 'baseline' });
  });
  it('records what the catalog cannot price as unmapped with the reason, never guessed', () => {
    expect(meterResource('vpn_account', {}, items)[0]).toMatchObject({ itemCode: null, unmappedReason: expect.stringContaining('VPN') });
    expect(meterResource('leased_line', {}, items)[0]).toMatchObject({ itemCode: null, unmappedReason: expect.stringContaining('专线') });
    expect(meterResource('cloud_host', { cpuCores: 'abc' }, items).find((l) => l.sourceKey === 'cpuCores')).toMatchObject({ itemCode: null, unmappedReason: expect.stringContaining('abc') });
    expect(meterResource('physical_device', {}, items)).toEqual([]);
  });
  it('maps internet IPs with their bandwidth, load balancers, remote access accounts and WAF', () => {
    expect(meterResource('internet_bandwidth', { bandwidthMbps: '20' }, items).map((l) => [l.itemCode, l.quantity])).toEqual([['1016', '20'], ['1017', '1']]);
    expect(meterResource('load_balancer', {}, items)[0]).toMatchObject({ itemCode: '1018', quantity: '1' });
    expect(meterResource('remote_access_account', {}, items)[0]).toMatchObject({ itemCode: '1019' });
    expect(meterResource('waf', {}, items)[0]).toMatchObject({ itemCode: '1023' });
  });
});

describe('lineAmount', () => {
  it('prorates monthly prices by days, rounds half-up per line', () => {
    expect(daysInMonth('2028-02-01')).toBe(29);
    expect(lineAmount(new Dec(15), new Dec('76.05'), 'month', 30)!.toFixed(2)).toBe('38.03'); // 38.025
    expect(lineAmount(new Dec(10), new Dec('0.01'), 'month', 31)!.toFixed(2)).toBe('0.00');
    expect(lineAmount(new Dec(31), new Dec('120.00'), 'year', 31)!.toFixed(2)).toBe('10.00');
    expect(lineAmount(new Dec(1), new Dec('5'), 'occurrence', 30)).toBeNull();
  });
});
