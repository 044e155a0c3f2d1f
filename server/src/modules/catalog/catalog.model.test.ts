import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Dec } from '../../platform/money.js';
import { itemsFromCatalogJson, publishIssues, weightedPrice, weightFromText } from './catalog.model.js';

const json: unknown = JSON.parse(fs.readFileSync(new URL('./data/catalog.json', import.meta.url), 'utf8'));
const items = itemsFromCatalogJson(json);

describe('catalog.json (seed 004 §3.1)', () => {
  it('has 23 basic, 17 baseline and 31 extension items with unique codes', () => {
    expect(items.filter((i) => i.kind === 'basic').map((i) => i.code)).toEqual(Array.from({ length: 23 }, (_, i) => String(1001 + i)));
    expect(items.filter((i) => i.kind === 'baseline').map((i) => i.code)).toEqual(Array.from({ length: 17 }, (_, i) => String(2001 + i)));
    expect(items.filter((i) => i.kind === 'extension')).toHaveLength(31);
    expect(new Set(items.map((i) => i.code)).size).toBe(items.length);
  });
  it('reads caps from the printed text and weights from the percentages', () => {
    const memory = items.find((i) => i.code === '1002')!;
    expect(memory.maxUnitPrice).toBe('41.15');
    expect(memory.weight).toBe('0.16');
    expect(items.find((i) => i.code === '1009')!.maxUnitPrice).toBe('45.00');
  });
  it('weighted price at the maximum prices is exactly 79.0430 元/月', () => {
    expect(weightedPrice(items).toFixed(4)).toBe('79.0430');
    expect(weightedPrice(items).equals(new Dec('79.043'))).toBe(true);
  });
  it('passes the publish checks', () => {
    expect(publishIssues(items)).toEqual([]);
  });
  it('publish checks find duplicate codes, weights not adding up and missing caps', () => {
    const broken = items.map((i) => ({ ...i }));
    broken[1]!.code = '1001';
    broken[2]!.maxUnitPrice = null;
    broken[3]!.weight = '0.03';
    const rules = publishIssues(broken).map((i) => i.rule);
    expect(rules).toEqual(expect.arrayContaining(['duplicate_code', 'missing_cap', 'weights_sum']));
  });
  it('weights are plain percentages', () => {
    expect(weightFromText('16%')).toBe('0.16');
    expect(weightFromText('2.5 %')).toBe('0.025');
    expect(() => weightFromText('0.16')).toThrow();
  });
});
