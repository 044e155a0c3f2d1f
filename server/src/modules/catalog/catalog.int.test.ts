import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemsFromCatalogJson } from './catalog.model.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session } from '../../test/fixtures.js';

let t: TestApp;
let mgmt: Session;
let providerA: Session;
let providerB: Session;
let unit: Session;
let providerAId: string;
let versionId: string;

const basicPrices = (override: Record<string, string> = {}) =>
  [
    ['1001', '14.02'], ['1002', '41.15'], ['1003', '354.23'], ['1004', '374.52'], ['1005', '200.60'], ['1006', '122.68'],
    ['1007', '102.83'], ['1008', '191.73'], ['1009', '45.00'], ['1010', '8.00'], ['1011', '28.60'], ['1012', '64.25'],
    ['1013', '72.75'], ['1014', '88.45'], ['1015', '138.90'], ['1016', '49.55'], ['1017', '76.05'], ['1018', '66.47'],
    ['1019', '356.37'], ['1020', '257.72'], ['1021', '127.78'], ['1022', '313.69'], ['1023', '98.86'],
  ].map(([itemCode, unitPrice]) => ({ itemCode: itemCode!, unitPrice: override[itemCode!] ?? unitPrice! }));

beforeAll(async () => {
  t = await createTestApp();
  const m = await createOrg(t, { kind: 'management_unit' });
  const pa = await createOrg(t, { kind: 'cloud_provider' });
  const pb = await createOrg(t, { kind: 'cloud_provider' });
  const u = await createOrg(t, { kind: 'user_unit' });
  providerAId = pa.id;
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  providerA = (await signedInUser(t, { orgId: pa.id, roles: ['provider_staff'] })).session;
  providerB = (await signedInUser(t, { orgId: pb.id, roles: ['provider_staff'] })).session;
  unit = (await signedInUser(t, { orgId: u.id, roles: ['unit_staff'] })).session;
  const res = await t.app.inject({ method: 'GET', url: '/api/catalog/versions', headers: unit.headers });
  versionId = (res.json() as { items: Array<{ id: string; versionNo: number }> }).items.find((v) => v.versionNo === 1)!.id;
});
afterAll(async () => t.close());

describe('catalog version 1 (seed 004)', () => {
  it('is published with 23 basic, 17 baseline and 31 extension items; weighted maximum price 79.0430', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/catalog/versions/${versionId}`, headers: unit.headers });
    expect(res.statusCode).toBe(200);
    const v = res.json() as { status: string; weightedMaxPrice: string; items: Array<{ code: string; kind: string; maxUnitPrice: string | null; weight: string | null; billingUnit: unknown }>; abilities: { edit: boolean } };
    expect(v.status).toBe('published');
    expect(v.weightedMaxPrice).toBe('79.0430');
    expect(v.items.filter((i) => i.kind === 'basic')).toHaveLength(23);
    expect(v.items.filter((i) => i.kind === 'baseline')).toHaveLength(17);
    expect(v.items.filter((i) => i.kind === 'extension')).toHaveLength(31);
    expect(v.items.find((i) => i.code === '1011')).toMatchObject({ maxUnitPrice: '28.60', weight: '0.08', billingUnit: { factor: '100', symbol: 'GB', dimension: 'data' } });
    expect(v.items.find((i) => i.code === '1021')).toMatchObject({ billingUnit: { factor: '1', symbol: 'Mb', dimension: 'bandwidth' } });
    expect(v.abilities.edit).toBe(false);
  });
  it('holds exactly what catalog.json says (the migration is not edited by hand)', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/catalog/versions/${versionId}`, headers: unit.headers });
    const db = (res.json() as { items: Array<Record<string, unknown>> }).items;
    const expected = itemsFromCatalogJson(JSON.parse(fs.readFileSync(new URL('./data/catalog.json', import.meta.url), 'utf8')));
    expect(db.map((i) => [i.code, i.kind, i.category, i.subcategory, i.item, i.billingUnitText, i.billingPeriod, i.maxUnitPrice, i.weight, i.aliases])).toEqual(
      expected.map((i) => [i.code, i.kind, i.category, i.subcategory, i.item, i.billingUnitText, i.billingPeriod, i.maxUnitPrice, i.weight, i.aliases]),
    );
  });
  it('only catalog:write may copy it', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/catalog/versions', headers: unit.headers, payload: { basedOnId: versionId, name: 'x' } });
    expect(res.statusCode).toBe(403);
  });
});

describe('editing in a draft version', () => {
  it('copies, edits, refuses to publish with weights not adding up, then publishes', async () => {
    let res = await t.app.inject({ method: 'POST', url: '/api/catalog/versions', headers: mgmt.headers, payload: { basedOnId: versionId, name: '测试草稿', effectiveFrom: '2099-01-01' } });
    expect(res.statusCode).toBe(201);
    const draft = res.json() as { id: string; status: string; items: unknown[] };
    expect(draft.status).toBe('draft');
    expect(draft.items).toHaveLength(71);
    const item = { kind: 'basic', category: '计算服务', item: '内存', billingUnitText: '1 GB', billingPeriod: 'month', maxUnitPrice: '40.00', weightPercent: '17' };
    res = await t.app.inject({ method: 'PUT', url: `/api/catalog/versions/${draft.id}/items/1002`, headers: mgmt.headers, payload: item });
    expect(res.statusCode).toBe(200);
    res = await t.app.inject({ method: 'POST', url: `/api/catalog/versions/${draft.id}/publish`, headers: mgmt.headers });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'catalog.cannot_publish', details: { issues: [{ rule: 'weights_sum' }] } });
    res = await t.app.inject({ method: 'PUT', url: `/api/catalog/versions/${draft.id}/items/1002`, headers: mgmt.headers, payload: { ...item, weightPercent: '16' } });
    expect(res.statusCode).toBe(200);
    res = await t.app.inject({ method: 'POST', url: `/api/catalog/versions/${draft.id}/publish`, headers: mgmt.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'published', weightedMaxPrice: '78.8590' });
    res = await t.app.inject({ method: 'PUT', url: `/api/catalog/versions/${draft.id}/items/1002`, headers: mgmt.headers, payload: item });
    expect(res.statusCode).toBe(409);
  });
  it('retires an item of a draft; retired items leave the weights (publish refuses until fixed)', async () => {
    const d = (await t.app.inject({ method: 'POST', url: '/api/catalog/versions', headers: mgmt.headers, payload: { basedOnId: versionId, name: '草稿3' } })).json() as { id: string };
    let res = await t.app.inject({ method: 'POST', url: `/api/catalog/versions/${d.id}/items/1023/retire`, headers: mgmt.headers });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { items: Array<{ code: string; status: string }>; weightedMaxPrice: string }).items.find((i) => i.code === '1023')!.status).toBe('retired');
    res = await t.app.inject({ method: 'POST', url: `/api/catalog/versions/${d.id}/publish`, headers: mgmt.headers });
    expect(res.json()).toMatchObject({ code: 'catalog.cannot_publish', details: { issues: [{ rule: 'weights_sum', value: '96' }] } });
    res = await t.app.inject({ method: 'POST', url: `/api/catalog/versions/${d.id}/items/9999/retire`, headers: mgmt.headers });
    expect(res.statusCode).toBe(404);
  });
  it('changes the effective dates of a draft; end before start is refused', async () => {
    const d = (await t.app.inject({ method: 'POST', url: '/api/catalog/versions', headers: mgmt.headers, payload: { basedOnId: versionId, name: '草稿4' } })).json() as { id: string };
    let res = await t.app.inject({ method: 'PATCH', url: `/api/catalog/versions/${d.id}`, headers: mgmt.headers, payload: { effectiveFrom: '2027-01-01', effectiveTo: '2026-12-31' } });
    expect(res.json()).toMatchObject({ code: 'catalog.invalid_dates', details: { issues: [{ rule: 'after_start' }] } });
    res = await t.app.inject({ method: 'PATCH', url: `/api/catalog/versions/${d.id}`, headers: mgmt.headers, payload: { effectiveFrom: '2027-01-01', effectiveTo: '2028-12-31', frameworkPeriod: '两年' } });
    expect(res.json()).toMatchObject({ effectiveFrom: '2027-01-01', effectiveTo: '2028-12-31', frameworkPeriod: '两年', status: 'draft' });
  });
  it('rejects an unknown unit and three decimals on an item', async () => {
    const res0 = await t.app.inject({ method: 'POST', url: '/api/catalog/versions', headers: mgmt.headers, payload: { basedOnId: versionId, name: '草稿2' } });
    const id = (res0.json() as { id: string }).id;
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/catalog/versions/${id}/items/1099`,
      headers: mgmt.headers,
      payload: { kind: 'basic', category: 'x', item: 'y', billingUnitText: 'furlong', billingPeriod: 'month', maxUnitPrice: '1.234', weightPercent: '0' },
    });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { details: { issues: Array<{ rule: string }> } }).details.issues.map((i) => i.rule)).toEqual(['unknown_unit', 'max_decimals']);
  });
});

describe('provider price lists', () => {
  let listId: string;
  it('rejects a basic price above the cap naming item and cap, and three decimals; nothing saved', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/price-lists',
      headers: providerA.headers,
      payload: { catalogVersionId: versionId, effectiveFrom: '2026-01-01', effectiveTo: '2026-12-31', items: basicPrices({ '1002': '41.16', '1001': '13.999' }) },
    });
    expect(res.statusCode).toBe(400);
    const issues = (res.json() as { details: { issues: Array<{ field: string; rule: string; message: string }> } }).details.issues;
    expect(issues).toEqual([
      expect.objectContaining({ field: 'body.items[0].unitPrice', rule: 'max_decimals' }),
      expect.objectContaining({ field: 'body.items[1].unitPrice', rule: 'above_cap' }),
    ]);
    expect(issues[1]!.message).toContain('1002');
    expect(issues[1]!.message).toContain('41.15');
    const list = await t.app.inject({ method: 'GET', url: '/api/price-lists', headers: providerA.headers });
    expect((list.json() as { items: unknown[] }).items).toHaveLength(0);
  });
  it('creates a list at the caps (weighted 79.0430) with an extension item, submits, approves', async () => {
    let res = await t.app.inject({
      method: 'POST',
      url: '/api/price-lists',
      headers: providerA.headers,
      payload: {
        catalogVersionId: versionId,
        effectiveFrom: '2026-01-01',
        effectiveTo: '2026-12-31',
        items: [...basicPrices(), { itemCode: '3022', unitPrice: '600.00', billingUnitText: '1 台', billingPeriod: 'year' }],
      },
    });
    expect(res.statusCode).toBe(201);
    const detail = res.json() as { id: string; status: string; weightedPrice: string; abilities: { submit: boolean } };
    expect(detail).toMatchObject({ status: 'draft', weightedPrice: '79.0430', abilities: { submit: true } });
    listId = detail.id;
    res = await t.app.inject({ method: 'POST', url: `/api/price-lists/${listId}/approve`, headers: mgmt.headers, payload: {} });
    expect(res.statusCode).toBe(409);
    res = await t.app.inject({ method: 'POST', url: `/api/price-lists/${listId}/submit`, headers: providerA.headers });
    expect(res.json()).toMatchObject({ status: 'submitted' });
    res = await t.app.inject({ method: 'POST', url: `/api/price-lists/${listId}/approve`, headers: providerA.headers, payload: {} });
    expect(res.statusCode).toBe(403);
    res = await t.app.inject({ method: 'POST', url: `/api/price-lists/${listId}/approve`, headers: mgmt.headers, payload: { comment: '同意' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved', decisionComment: '同意' });
  });
  it('refuses overlapping effective dates of the same provider', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/price-lists',
      headers: providerA.headers,
      payload: { catalogVersionId: versionId, effectiveFrom: '2026-06-01', items: basicPrices() },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'prices.overlapping_dates', details: { issues: [{ rule: 'no_overlap', field: 'body.effectiveFrom' }] } });
  });
  it('isolation: another provider neither lists nor reads it (404); agencies read approved lists', async () => {
    const listB = await t.app.inject({ method: 'GET', url: '/api/price-lists', headers: providerB.headers });
    expect((listB.json() as { items: Array<{ id: string }> }).items.map((i) => i.id)).not.toContain(listId);
    expect((await t.app.inject({ method: 'GET', url: `/api/price-lists/${listId}`, headers: providerB.headers })).statusCode).toBe(404);
    const asUnit = await t.app.inject({ method: 'GET', url: `/api/price-lists/${listId}`, headers: unit.headers });
    expect(asUnit.statusCode).toBe(200);
    expect(asUnit.json()).toMatchObject({ provider: { id: providerAId }, weightedPrice: '79.0430' });
  });
  it('approving a later list closes the earlier open-ended approved list', async () => {
    const p = await createOrg(t, { kind: 'cloud_provider' });
    const s = (await signedInUser(t, { orgId: p.id, roles: ['provider_staff'] })).session;
    const make = async (from: string) => {
      const r = await t.app.inject({ method: 'POST', url: '/api/price-lists', headers: s.headers, payload: { catalogVersionId: versionId, effectiveFrom: from, items: basicPrices() } });
      expect(r.statusCode).toBe(201);
      const id = (r.json() as { id: string }).id;
      await t.app.inject({ method: 'POST', url: `/api/price-lists/${id}/submit`, headers: s.headers });
      return id;
    };
    const first = await make('2026-01-01');
    await t.app.inject({ method: 'POST', url: `/api/price-lists/${first}/approve`, headers: mgmt.headers, payload: {} });
    const second = await make('2027-01-01');
    // A draft overlapping the pending second list is refused.
    const clash = await t.app.inject({ method: 'POST', url: '/api/price-lists', headers: s.headers, payload: { catalogVersionId: versionId, effectiveFrom: '2027-06-01', items: basicPrices() } });
    expect(clash.json()).toMatchObject({ code: 'prices.overlapping_dates' });
    await t.app.inject({ method: 'POST', url: `/api/price-lists/${second}/approve`, headers: mgmt.headers, payload: {} });
    const res = await t.app.inject({ method: 'GET', url: `/api/price-lists/${first}`, headers: s.headers });
    expect(res.json()).toMatchObject({ effectiveFrom: '2026-01-01', effectiveTo: '2026-12-31', status: 'approved' });
  });
  it('submitting needs every basic item priced', async () => {
    const p = await createOrg(t, { kind: 'cloud_provider' });
    const s = (await signedInUser(t, { orgId: p.id, roles: ['provider_admin'] })).session;
    const r = await t.app.inject({ method: 'POST', url: '/api/price-lists', headers: s.headers, payload: { catalogVersionId: versionId, effectiveFrom: '2026-01-01', items: basicPrices().slice(0, 22) } });
    expect(r.json()).toMatchObject({ weightedPrice: null });
    const sub = await t.app.inject({ method: 'POST', url: `/api/price-lists/${(r.json() as { id: string }).id}/submit`, headers: s.headers });
    expect(sub.statusCode).toBe(400);
    expect(sub.json()).toMatchObject({ code: 'prices.incomplete', details: { issues: [{ field: 'items.1023', rule: 'required' }] } });
  });
  it('a draft list is edited (all rows checked) and deleted by its provider only', async () => {
    const p = await createOrg(t, { kind: 'cloud_provider' });
    const s = (await signedInUser(t, { orgId: p.id, roles: ['provider_staff'] })).session;
    const r = await t.app.inject({ method: 'POST', url: '/api/price-lists', headers: s.headers, payload: { catalogVersionId: versionId, effectiveFrom: '2026-01-01', items: basicPrices() } });
    const id = (r.json() as { id: string }).id;
    let res = await t.app.inject({ method: 'PUT', url: `/api/price-lists/${id}`, headers: s.headers, payload: { effectiveFrom: '2026-02-01', items: basicPrices({ '1001': '15.00' }) } });
    expect(res.statusCode).toBe(400);
    res = await t.app.inject({ method: 'GET', url: `/api/price-lists/${id}`, headers: s.headers });
    expect(res.json()).toMatchObject({ effectiveFrom: '2026-01-01', items: expect.arrayContaining([{ itemCode: '1001', unitPrice: '14.02', billingUnitText: '1 CPU', billingPeriod: 'month' }]) });
    res = await t.app.inject({ method: 'PUT', url: `/api/price-lists/${id}`, headers: s.headers, payload: { effectiveFrom: '2026-02-01', items: basicPrices({ '1001': '10.00' }) } });
    expect(res.statusCode).toBe(200);
    // 79.0430 − (14.02 − 10.00) × 10% = 78.6410
    expect(res.json()).toMatchObject({ effectiveFrom: '2026-02-01', weightedPrice: '78.6410' });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/price-lists/${id}`, headers: providerB.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/price-lists/${id}`, headers: s.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/price-lists/${id}`, headers: s.headers })).statusCode).toBe(404);
  });
  it('providers cannot price for another provider', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/price-lists', headers: providerB.headers, payload: { providerId: providerAId, catalogVersionId: versionId, effectiveFrom: '2030-01-01', items: basicPrices() } });
    expect(res.statusCode).toBe(404);
  });
  it('strict schemas: numbers for prices and unknown fields are 400', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/price-lists', headers: providerA.headers, payload: { catalogVersionId: versionId, effectiveFrom: '2031-01-01', items: [{ itemCode: '1001', unitPrice: 14.02 }], extra: 1 } });
    expect(res.statusCode).toBe(400);
  });
});
