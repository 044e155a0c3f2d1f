import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session } from '../../test/fixtures.js';
import type { OrderRow } from './orders.import.js';

let t: TestApp;
let unit: Session;
let other: Session;

interface OrderDoc {
  seed: string;
  title: string;
  payment: { milestones: Array<{ percent: number }> };
  tables: Array<{ rows: OrderRow[] }>;
}
const orders = (JSON.parse(fs.readFileSync(new URL('./data/orders.json', import.meta.url), 'utf8')) as { documents: OrderDoc[] }).documents;
const seed000 = orders.find((d) => d.seed === '000')!;

/** The order of seed 000 as its procurement table (服务类别 服务子类 服务项 计价单位 报价单位 数量 期限). */
async function workbook000(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('1.政务云基础服务');
  ws.addRow(['2.2.2 技术参数要求']);
  ws.addRow(['服务类别', '服务子类', '服务项', '计价单位', '报价单位', '数量', '期限']);
  for (const r of seed000.tables.flatMap((tb) => tb.rows)) {
    ws.addRow([r.serviceCategory ?? '', r.subcategory ?? '', r.item, r.unitOfMeasure ?? '', '元/月', r.quantity, r.months ?? '-']);
  }
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

beforeAll(async () => {
  t = await createTestApp();
  const a = await createOrg(t, { kind: 'user_unit' });
  const b = await createOrg(t, { kind: 'user_unit' });
  unit = (await signedInUser(t, { orgId: a.id, roles: ['unit_staff'] })).session;
  other = (await signedInUser(t, { orgId: b.id, roles: ['unit_staff'] })).session;
});
afterAll(async () => t.close());

describe('estimates as .xlsx', () => {
  let id: string;
  it('imports the procurement table of seed 000 and prices it at the maximum prices', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/estimates/import', headers: unit.headers, payload: { title: seed000.title, milestonePercents: ['80', '20'], file: await workbook000() } });
    expect(res.statusCode).toBe(201);
    const e = res.json() as { id: string; lines: unknown[]; result: { total: string; unpricedCount: number; milestones: Array<{ amount: string }> } };
    id = e.id;
    expect(e.lines).toHaveLength(22);
    expect(e.result.total).toBe('7440051.96');
    expect(e.result.unpricedCount).toBe(9);
    expect(e.result.milestones.map((m) => m.amount)).toEqual(['5952041.57', '1488010.39']);
  });
  it('exports it in the procurement layout; the export imports back to the same total', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/estimates/${id}/export`, headers: unit.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(2).values).toEqual([undefined, '序号', '服务类别', '服务子类', '服务项', '计价单位', '报价单位', '数量', '期限', '单价', '金额', '目录编号', '对应目录项', '换算', '说明']);
    // Row 8 = line 6: 普通存储 184000 GB → 1840 × 100 GB at 28.60, 12 months = 631488.00
    expect(ws.getRow(8).getCell(10).value).toBe('631488.00');
    expect(ws.getRow(8).getCell(12).value).toBe('1011（按服务项）');
    expect(ws.getRow(8).getCell(13).value).toBe('184000 GB = 1840 × 100 GB');
    const back = await t.app.inject({ method: 'POST', url: '/api/estimates/import', headers: unit.headers, payload: { title: 'round trip', file: res.rawPayload.toString('base64') } });
    expect(back.statusCode).toBe(201);
    expect((back.json() as { result: { total: string } }).result.total).toBe('7440051.96');
    expect((await t.app.inject({ method: 'GET', url: `/api/estimates/${id}/export`, headers: other.headers })).statusCode).toBe(404);
  });
  it('a malformed file is rejected with row and column; nothing saved', async () => {
    const before = ((await t.app.inject({ method: 'GET', url: '/api/estimates', headers: unit.headers })).json() as { items: unknown[] }).items.length;
    let res = await t.app.inject({ method: 'POST', url: '/api/estimates/import', headers: unit.headers, payload: { title: 'x', file: Buffer.from('not a workbook').toString('base64') } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'estimates.invalid_xlsx', details: { issues: [{ rule: 'xlsx' }] } });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(['服务项', '计价单位', '数量', '期限']);
    ws.addRow(['内存', 'GB', '-5', 12]);
    ws.addRow(['vCPU', '核', 'ten', 'a year']);
    res = await t.app.inject({ method: 'POST', url: '/api/estimates/import', headers: unit.headers, payload: { title: 'x', file: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') } });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { details: { issues: Array<{ field: string; rule: string }> } }).details.issues.map((i) => [i.field, i.rule])).toEqual([
      ['rows[2].数量', 'non_negative_number'],
      ['rows[3].数量', 'non_negative_number'],
      ['rows[3].期限', 'months'],
    ]);
    ws.addRow(['内存', 'GB', '166', 11]);
    const partial = await t.app.inject({ method: 'POST', url: '/api/estimates/import', headers: unit.headers, payload: { title: 'partial', validRowsOnly: true, file: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') } });
    expect(partial.statusCode).toBe(201);
    expect(partial.json()).toMatchObject({ result: { total: '75139.90' }, skipped: [{ field: 'rows[2].数量' }, { field: 'rows[3].数量' }, { field: 'rows[3].期限' }] });
    await t.app.inject({ method: 'DELETE', url: `/api/estimates/${(partial.json() as { id: string }).id}`, headers: unit.headers });
    const noHeader = new ExcelJS.Workbook();
    noHeader.addWorksheet('s').addRow(['a', 'b']);
    res = await t.app.inject({ method: 'POST', url: '/api/estimates/import', headers: unit.headers, payload: { title: 'x', file: Buffer.from(await noHeader.xlsx.writeBuffer()).toString('base64') } });
    expect(res.json()).toMatchObject({ details: { issues: [{ rule: 'header' }] } });
    const after = ((await t.app.inject({ method: 'GET', url: '/api/estimates', headers: unit.headers })).json() as { items: unknown[] }).items.length;
    expect(after).toBe(before);
  });
});
