import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { createOrg, createOrgTree, signedInUser, type Session } from '../../test/fixtures.js';
import { linesFromOrderTable, type OrderRow } from './orders.import.js';

let t: TestApp;
let unitA: Session;
let unitB: Session;
let provider: Session;
let mgmt: Session;
let unitAId: string;

interface OrderDoc {
  seed: string;
  package?: number;
  title: string;
  budgetYuan: number | null;
  maxPriceYuan: number | null;
  payment: { milestones: Array<{ percent: number }> };
  tables: Array<{ rows: OrderRow[] }>;
}
const orders = (JSON.parse(fs.readFileSync(new URL('./data/orders.json', import.meta.url), 'utf8')) as { documents: OrderDoc[] }).documents;
const pkg3 = orders.find((d) => d.seed === '002' && d.package === 3)!;

const body002 = () => ({
  title: pkg3.title,
  budget: pkg3.budgetYuan!.toFixed(2),
  ceiling: pkg3.maxPriceYuan!.toFixed(2),
  milestonePercents: pkg3.payment.milestones.map((m) => String(m.percent)),
  lines: pkg3.tables.flatMap((tb) => linesFromOrderTable(tb)),
});

beforeAll(async () => {
  t = await createTestApp();
  const a = await createOrg(t, { kind: 'user_unit' });
  const b = await createOrg(t, { kind: 'user_unit' });
  const p = await createOrg(t, { kind: 'cloud_provider' });
  const m = await createOrg(t, { kind: 'management_unit' });
  unitAId = a.id;
  unitA = (await signedInUser(t, { orgId: a.id, roles: ['unit_staff'] })).session;
  unitB = (await signedInUser(t, { orgId: b.id, roles: ['unit_staff'] })).session;
  provider = (await signedInUser(t, { orgId: p.id, roles: ['provider_staff'] })).session;
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
});
afterAll(async () => t.close());

describe('estimates', () => {
  let id: string;
  it('imports the order of seed 002 package 3 and prices it at the maximum prices', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/estimates', headers: unitA.headers, payload: body002() });
    expect(res.statusCode).toBe(201);
    const e = res.json() as { id: string; unitId: string; result: { total: string; pricedCount: number; unpricedCount: number; ceiling: { overrun: boolean }; milestones: Array<{ amount: string }>; lines: Array<{ conversion: { explanation: string } | null; problem: string | null; reason: string | null }> } };
    id = e.id;
    expect(e.unitId).toBe(unitAId);
    expect(e.result.total).toBe('282294.44');
    expect(e.result.pricedCount).toBe(11);
    expect(e.result.unpricedCount).toBe(8);
    expect(e.result.ceiling.overrun).toBe(false);
    expect(e.result.milestones.map((m) => m.amount)).toEqual(['141147.22', '47058.48', '94088.74']);
    expect(e.result.lines[4]!.conversion!.explanation).toBe('8505 GB = 85.05 × 100 GB');
    expect(e.result.lines[12]).toMatchObject({ problem: 'incompatible_units' });
    const line12 = e.result.lines[12] as unknown as { reasonParams: Record<string, string> };
    expect(Object.keys(line12.reasonParams).sort()).toEqual(['from', 'to']);
    const line4 = e.result.lines[4] as unknown as { warningCodes: Array<{ code: string; params: Record<string, string> }> };
    expect(line4.warningCodes).toEqual([expect.objectContaining({ code: 'text_differs', params: expect.objectContaining({ method: 'subcategory' }) })]);
  });
  it('isolation: another unit gets 404 and does not list it', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/estimates/${id}`, headers: unitB.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PUT', url: `/api/estimates/${id}`, headers: unitB.headers, payload: body002() })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/estimates/${id}`, headers: unitB.headers })).statusCode).toBe(404);
    const list = await t.app.inject({ method: 'GET', url: '/api/estimates', headers: unitB.headers });
    expect((list.json() as { items: Array<{ id: string }> }).items.map((i) => i.id)).not.toContain(id);
    const own = await t.app.inject({ method: 'GET', url: '/api/estimates', headers: unitA.headers });
    expect((own.json() as { items: Array<{ id: string }> }).items.map((i) => i.id)).toContain(id);
    // Nor can a unit file an estimate under another unit.
    const res = await t.app.inject({ method: 'POST', url: '/api/estimates', headers: unitB.headers, payload: { ...body002(), unitId: unitAId } });
    expect(res.statusCode).toBe(404);
  });
  it('a unit sees its sub-units\' estimates; a sub-unit does not see its parent\'s', async () => {
    const tree = await createOrgTree(t, 'user_unit');
    const parent = (await signedInUser(t, { orgId: tree.root.id, roles: ['unit_staff'] })).session;
    const child = (await signedInUser(t, { orgId: tree.child.id, roles: ['unit_staff'] })).session;
    const small = { title: 's', lines: [{ itemCode: '1001', quantity: '1', months: 1 }] };
    const own = (await t.app.inject({ method: 'POST', url: '/api/estimates', headers: child.headers, payload: small })).json() as { id: string };
    const forChild = await t.app.inject({ method: 'POST', url: '/api/estimates', headers: parent.headers, payload: { ...small, unitId: tree.child.id } });
    expect(forChild.statusCode).toBe(201);
    const parents = (await t.app.inject({ method: 'POST', url: '/api/estimates', headers: parent.headers, payload: small })).json() as { id: string };
    expect((await t.app.inject({ method: 'GET', url: `/api/estimates/${own.id}`, headers: parent.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/estimates/${parents.id}`, headers: child.headers })).statusCode).toBe(404);
  });
  it('management and provider staff have no estimate permissions', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/estimates', headers: mgmt.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/estimates', headers: provider.headers })).statusCode).toBe(403);
  });
  it('rejects bad rows with row, field and rule, saving nothing', async () => {
    const before = ((await t.app.inject({ method: 'GET', url: '/api/estimates', headers: unitA.headers })).json() as { items: unknown[] }).items.length;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/estimates',
      headers: unitA.headers,
      payload: {
        title: 'bad',
        milestonePercents: ['80', '30'],
        lines: [
          { itemCode: '9999', quantity: '1', months: 1 },
          { itemCode: '1001', quantity: '-2', months: 1 },
          { itemCode: '1001', quantity: 'abc', months: 1 },
          { itemCode: '1019', quantity: '10', unit: 'GB', months: 12 },
          { itemCode: '1001', quantity: '1' },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    const issues = (res.json() as { details: { issues: Array<{ field: string; rule: string }> } }).details.issues;
    expect(issues.map((i) => [i.field, i.rule])).toEqual([
      ['body.lines[0].itemCode', 'unknown_code'],
      ['body.lines[1].quantity', 'non_negative'],
      ['body.lines[2].quantity', 'number'],
      ['body.lines[3].unit', 'incompatible_units'],
      ['body.lines[4].months', 'required'],
      ['body.milestonePercents', 'sum_100'],
    ]);
    const after = ((await t.app.inject({ method: 'GET', url: '/api/estimates', headers: unitA.headers })).json() as { items: unknown[] }).items.length;
    expect(after).toBe(before);
  });
  it('validRowsOnly saves the valid lines and reports the others', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/estimates',
      headers: unitA.headers,
      payload: { title: 'partial', validRowsOnly: true, lines: [{ itemCode: '1001', quantity: '2', months: 12 }, { itemCode: '1019', quantity: '1', unit: 'GB', months: 12 }] },
    });
    expect(res.statusCode).toBe(201);
    const e = res.json() as { lines: unknown[]; result: { total: string }; skipped: Array<{ field: string; rule: string }> };
    expect(e.lines).toHaveLength(1);
    expect(e.result.total).toBe('336.48');
    expect(e.skipped).toEqual([expect.objectContaining({ field: 'body.lines[1].unit', rule: 'incompatible_units' })]);
  });
  it('a quantity sent as a JSON number is refused (no coercion)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/estimates/preview', headers: unitA.headers, payload: { title: 'x', lines: [{ itemCode: '1001', quantity: 3, months: 1 }] } });
    expect(res.statusCode).toBe(400);
  });
  it("prices with a provider's approved list; flags the budget overrun", async () => {
    const cur = (await t.app.inject({ method: 'GET', url: '/api/catalog/current', headers: provider.headers })).json() as { id: string; items: Array<{ code: string; kind: string; maxUnitPrice: string }> };
    const items = cur.items.filter((i) => i.kind === 'basic').map((i) => ({ itemCode: i.code, unitPrice: i.code === '1001' ? '12.50' : i.maxUnitPrice }));
    let res = await t.app.inject({ method: 'POST', url: '/api/price-lists', headers: provider.headers, payload: { catalogVersionId: cur.id, effectiveFrom: '2026-01-01', items } });
    expect(res.statusCode).toBe(201);
    const listId = (res.json() as { id: string }).id;
    // Not approved yet: cannot be used.
    res = await t.app.inject({ method: 'POST', url: '/api/estimates/preview', headers: unitA.headers, payload: { title: 'x', priceListId: listId, lines: [{ itemCode: '1001', quantity: '10', unit: '核', months: 12 }] } });
    expect(res.json()).toMatchObject({ code: 'estimates.price_list' });
    await t.app.inject({ method: 'POST', url: `/api/price-lists/${listId}/submit`, headers: provider.headers });
    await t.app.inject({ method: 'POST', url: `/api/price-lists/${listId}/approve`, headers: mgmt.headers, payload: {} });
    res = await t.app.inject({ method: 'POST', url: '/api/estimates/preview', headers: unitA.headers, payload: { title: 'x', priceListId: listId, budget: '1000', lines: [{ itemCode: '1001', quantity: '10', unit: '核', months: 12 }] } });
    expect(res.statusCode).toBe(200);
    // 10 × 12.50 × 12 = 1500.00 > 1000.00
    expect(res.json()).toMatchObject({ total: '1500.00', totalUppercase: '壹仟伍佰元整', budget: { overrun: true, difference: '-500.00' } });
  });
  it('updates and deletes a draft', async () => {
    let res = await t.app.inject({ method: 'PUT', url: `/api/estimates/${id}`, headers: unitA.headers, payload: { title: '改', lines: [{ itemCode: '1002', quantity: '166', unit: 'GB', months: 11 }] } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ title: '改', result: { total: '75139.90' } });
    res = await t.app.inject({ method: 'DELETE', url: `/api/estimates/${id}`, headers: unitA.headers });
    expect(res.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/estimates/${id}`, headers: unitA.headers })).statusCode).toBe(404);
  });
});
