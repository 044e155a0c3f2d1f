import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

async function workbook(rows: Array<Array<string | null>>): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('单位');
  ws.addRow(['单位编号', '单位名称', '简称', '单位类型', '上级单位编号', '说明']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

describe('units (单位) as .xlsx', () => {
  let t: TestApp;
  let mgmt: TestOrg;
  let sys: Session;
  const tag = unique('X').toUpperCase();
  beforeAll(async () => {
    t = await createTestApp();
    mgmt = await createOrg(t, { kind: 'management_unit' });
    sys = (await signedInUser(t, { orgId: mgmt.id, roles: ['system_admin'] })).session;
  });
  afterAll(async () => t.close());

  const rows = (): Array<Array<string | null>> => [
    [`${tag}-A`, `导入测试局${tag}`, '测试局', '使用单位', null, null],
    [`${tag}-A1`, '信息中心', null, '使用单位', `${tag}-A`, '下属单位'],
    [`${tag}-B`, `错误类型单位${tag}`, null, '某种单位', null, null],
    [`${tag}-C`, '无上级', null, '使用单位', `${tag}-NONE`, null],
  ];

  it('refuses a file with bad rows, naming row, column and rule, and saves nothing', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/organisations/import', headers: sys.headers, payload: { file: await workbook(rows()) } });
    expect(res.statusCode).toBe(400);
    const issues = res.json().details.issues as Array<{ field: string; rule: string }>;
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'rows[4].单位类型', rule: 'one_of' }),
        expect.objectContaining({ field: 'rows[5].上级单位编号', rule: 'not_found' }),
      ]),
    );
    const list = await t.app.inject({ url: `/api/organisations?q=${encodeURIComponent(`导入测试局${tag}`)}`, headers: sys.headers });
    expect(list.json().total).toBe(0);
  });

  it('with validRowsOnly saves the valid rows (a child under a parent from the same file) and reports the others', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/organisations/import', headers: sys.headers, payload: { file: await workbook(rows()), validRowsOnly: true } });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { created: Array<{ row: number; code: string }>; skipped: Array<{ field: string }> };
    expect(body.created.map((c) => c.code)).toEqual([`${tag}-A`, `${tag}-A1`]);
    expect(body.skipped).toHaveLength(2);
  });

  it('exports the visible units with their parent codes, readable back', async () => {
    const res = await t.app.inject({ url: '/api/organisations/export', headers: sys.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toEqual([undefined, '单位编号', '单位名称', '简称', '单位类型', '上级单位编号', '说明', '状态']);
    const child = ws.getSheetValues().find((r) => Array.isArray(r) && r[1] === `${tag}-A1`) as unknown[];
    expect(child.slice(1, 6)).toEqual([`${tag}-A1`, '信息中心', null, '使用单位', `${tag}-A`].map((v) => v ?? undefined));
  });

  it('isolation: another unit’s administrator neither sees these units in the export nor imports under them', async () => {
    const other = await createOrg(t, { kind: 'user_unit' });
    const admin = (await signedInUser(t, { orgId: other.id, roles: ['unit_admin'] })).session;
    const res = await t.app.inject({ url: '/api/organisations/export', headers: admin.headers });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const codes = wb.worksheets[0]!.getSheetValues().map((r) => (Array.isArray(r) ? r[1] : undefined));
    expect(codes).not.toContain(`${tag}-A`);
    const imp = await t.app.inject({
      method: 'POST',
      url: '/api/organisations/import',
      headers: admin.headers,
      payload: { file: await workbook([[`${tag}-Z`, '越权', null, '使用单位', `${tag}-A`, null]]) },
    });
    expect(imp.statusCode).toBe(400);
    expect(imp.json().details.issues[0]).toMatchObject({ field: 'rows[2].上级单位编号', rule: 'not_found' });
  });

  it('keeps a change history of each unit that its viewers can read, and others get 404', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/organisations', headers: sys.headers, payload: { kind: 'user_unit', name: `历史测试局${tag}`, code: `${tag}-H` } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    await t.app.inject({ method: 'PATCH', url: `/api/organisations/${id}`, headers: sys.headers, payload: { shortName: '历史局' } });
    await t.app.inject({ method: 'PATCH', url: `/api/organisations/${id}`, headers: sys.headers, payload: { status: 'disabled' } });
    const res = await t.app.inject({ url: `/api/organisations/${id}/history`, headers: sys.headers });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ action: string; before: Record<string, unknown>; after: Record<string, unknown>; changedBy: string }>;
    expect(items.map((i) => i.action)).toEqual(['create', 'update', 'disable']);
    expect(items[1]).toMatchObject({ before: { shortName: null }, after: { shortName: '历史局' } });
    expect(items[2]).toMatchObject({ before: { status: 'active' }, after: { status: 'disabled' } });
    const other = await createOrg(t, { kind: 'user_unit' });
    const stranger = (await signedInUser(t, { orgId: other.id, roles: ['unit_admin'] })).session;
    expect((await t.app.inject({ url: `/api/organisations/${id}/history`, headers: stranger.headers })).statusCode).toBe(404);
  });
});
