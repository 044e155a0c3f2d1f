import pg from 'pg';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session } from '../../test/fixtures.js';

let t: TestApp;
let unitA: Session;
let unitB: Session;
let parentA: Session;
let mgmt: Session;
let provider: Session;
let otherProvider: Session;
let sysAdmin: Session;
let secAdmin: Session;
let auditAdmin: Session;
let sysAdminDir: Session;
let nodeId: string;
let codeA: string;
let unitAId: string;
let unitBId: string;

const body = (over: Record<string, unknown> = {}) => ({
  nodeId,
  name: '政务服务网上办事大厅',
  systemType: '公众服务',
  gradingLevel: '三级',
  operatingHours: '7*24 小时',
  serviceAudience: '社会公众',
  serviceScope: '全市',
  networkNature: '政务外网及互联网',
  interconnection: '与本单位其他系统连接',
  functionDescription: '网上办事',
  preApprovalStatus: '已审批',
  goLiveDate: '2024-02-29',
  accessUrl: 'https://banshi.example.gov.cn/',
  appVendor: '某软件公司',
  contactName: '张三',
  contactMobile: '13812348000',
  contactEmail: 'abc@x.cn',
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  const p = await createOrg(t, { kind: 'cloud_provider' });
  const p2 = await createOrg(t, { kind: 'cloud_provider' });
  nodeId = await t.container.directory.ensureCloudNode(systemContext('test'), { code: unique('N').slice(0, 30), name: unique('节点'), cloudType: 'service', providerOrgId: p.id });
  const parent = await createOrg(t, { kind: 'user_unit', code: unique('P') });
  codeA = unique('A');
  const a = await createOrg(t, { kind: 'user_unit', parentId: parent.id, code: codeA });
  const b = await createOrg(t, { kind: 'user_unit', code: unique('B') });
  const m = await createOrg(t, { kind: 'management_unit' });
  unitAId = a.id;
  unitBId = b.id;
  unitA = (await signedInUser(t, { orgId: a.id, roles: ['unit_staff'] })).session;
  parentA = (await signedInUser(t, { orgId: parent.id, roles: ['unit_staff'] })).session;
  unitB = (await signedInUser(t, { orgId: b.id, roles: ['unit_staff'] })).session;
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  provider = (await signedInUser(t, { orgId: p.id, roles: ['provider_staff'] })).session;
  otherProvider = (await signedInUser(t, { orgId: p2.id, roles: ['provider_staff'] })).session;
  sysAdmin = sysAdminDir = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
  secAdmin = (await signedInUser(t, { orgId: m.id, roles: ['security_admin'] })).session;
  auditAdmin = (await signedInUser(t, { orgId: m.id, roles: ['audit_admin'] })).session;
});
afterAll(async () => t.close());

type Sys = { id: string; systemNo: string; contactMobile: string; contactEmail: string; contactsMasked: boolean; operatingHours: string; status: string; abilities: { update: boolean } };

describe('machine rooms and network zones', () => {
  it('the system administrator adds rooms and zones; staff only read them', async () => {
    let res = await t.app.inject({ method: 'POST', url: `/api/cloud-nodes/${nodeId}/rooms`, headers: sysAdminDir.headers, payload: { code: 'TZ01', name: '通州一号机房', address: '北京市通州区' } });
    expect(res.statusCode).toBe(201);
    const room = res.json() as { id: string; code: string };
    res = await t.app.inject({ method: 'POST', url: `/api/cloud-nodes/${nodeId}/rooms`, headers: sysAdminDir.headers, payload: { code: 'TZ01', name: '重复' } });
    expect(res.statusCode).toBe(409);
    res = await t.app.inject({ method: 'POST', url: `/api/cloud-nodes/${nodeId}/rooms`, headers: sysAdminDir.headers, payload: { code: 'TZ001', name: 'x' } });
    expect(res.statusCode).toBe(400);
    res = await t.app.inject({ method: 'POST', url: `/api/cloud-nodes/${nodeId}/rooms`, headers: mgmt.headers, payload: { code: 'TZ02', name: 'x' } });
    expect(res.statusCode).toBe(403);
    res = await t.app.inject({ method: 'PATCH', url: `/api/cloud-nodes/${nodeId}/rooms/${room.id}`, headers: sysAdminDir.headers, payload: { name: '通州机房A' } });
    expect(res.statusCode).toBe(200);
    res = await t.app.inject({ method: 'GET', url: `/api/cloud-nodes/${nodeId}/rooms`, headers: mgmt.headers });
    expect((res.json() as { items: Array<{ name: string }> }).items.map((r) => r.name)).toEqual(['通州机房A']);

    for (const [zoneType, name] of [['gov_extranet', '电子政务外网区'], ['internet', '互联网区'], ['exchange', '安全数据交换区']]) {
      res = await t.app.inject({ method: 'POST', url: `/api/cloud-nodes/${nodeId}/zones`, headers: sysAdminDir.headers, payload: { zoneType, name, cidrs: ['10.1.0.0/16'] } });
      expect(res.statusCode).toBe(201);
    }
    res = await t.app.inject({ method: 'POST', url: `/api/cloud-nodes/${nodeId}/zones`, headers: sysAdminDir.headers, payload: { zoneType: 'intranet', name: 'x' } });
    expect(res.statusCode).toBe(400);
    res = await t.app.inject({ method: 'GET', url: `/api/cloud-nodes/${nodeId}/zones`, headers: unitA.headers });
    expect((res.json() as { items: unknown[] }).items).toHaveLength(3);
    res = await t.app.inject({ method: 'GET', url: `/api/cloud-nodes/00000000-0000-4000-8000-000000000000/zones`, headers: unitA.headers });
    expect(res.statusCode).toBe(404);
  });
});

describe('information systems', () => {
  let first: Sys;

  it('numbers systems per unit from 001, and concurrent creates get different numbers', async () => {
    let res = await t.app.inject({ method: 'POST', url: '/api/information-systems', headers: unitA.headers, payload: body() });
    expect(res.statusCode).toBe(201);
    first = res.json() as Sys;
    expect(first.systemNo).toBe(`${codeA}001`);
    expect(first.operatingHours).toBe('7*24小时');
    const both = await Promise.all([1, 2].map(() => t.app.inject({ method: 'POST', url: '/api/information-systems', headers: unitA.headers, payload: body({ name: unique('并发') }) })));
    expect(both.map((r) => r.statusCode)).toEqual([201, 201]);
    expect(both.map((r) => (r.json() as Sys).systemNo).sort()).toEqual([`${codeA}002`, `${codeA}003`]);
    res = await t.app.inject({ method: 'POST', url: '/api/information-systems', headers: unitB.headers, payload: body() });
    expect((res.json() as Sys).systemNo).toMatch(/001$/);
  });

  it('finds systems by number in one call, only those the caller may see', async () => {
    const nos = [first.systemNo, `${codeA}002`, unique('NOPE')];
    const all = await t.container.systems.findByNumbers(systemContext('test'), nos);
    expect([...all.keys()].sort()).toEqual([first.systemNo, `${codeA}002`].sort());
    expect(all.get(first.systemNo)).toEqual({ id: first.id, unitOrgId: unitAId, name: '政务服务网上办事大厅' });
    const base = systemContext('test').actor;
    const asB = { actor: { ...base, kind: 'user' as const, orgId: unitBId, orgKind: 'user_unit' as const, scope: { all: false, roots: [unitBId] }, businessAccess: true }, requestId: 't', ip: null, userAgent: null };
    expect((await t.container.systems.findByNumbers(asB, nos)).size).toBe(0);
    expect((await t.container.systems.findByNumbers(systemContext('test'), [])).size).toBe(0);
  });

  it('rejects bad fields naming field and rule, and saves nothing', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/information-systems', headers: unitA.headers, payload: body({ name: '政'.repeat(201), goLiveDate: '2024-02-30', contactMobile: '123', gradingLevel: '六级' }) });
    expect(res.statusCode).toBe(400);
    const issues = (res.json() as { details: { issues: Array<{ field: string; rule: string }> } }).details.issues.map((i) => `${i.field}:${i.rule}`);
    expect(issues).toEqual(['body.name:max_length', 'body.gradingLevel:one_of', 'body.goLiveDate:date', 'body.contactMobile:mobile']);
    const unknown = await t.app.inject({ method: 'POST', url: '/api/information-systems', headers: unitA.headers, payload: body({ colour: 'red' }) });
    expect(unknown.statusCode).toBe(400);
    const list = await t.app.inject({ method: 'GET', url: `/api/information-systems?unitId=${unitAId}`, headers: unitA.headers });
    expect((list.json() as { total: number }).total).toBe(3);
  });

  it('shows contacts to the unit, masked to the management unit and the provider', async () => {
    expect(first.contactMobile).toBe('13812348000');
    expect(first.contactsMasked).toBe(false);
    for (const s of [mgmt, provider]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/information-systems/${first.id}`, headers: s.headers });
      expect(res.statusCode).toBe(200);
      const got = res.json() as Sys;
      expect([got.contactMobile, got.contactEmail, got.contactsMasked, got.abilities.update]).toEqual(['138****8000', 'a***@x.cn', true, false]);
    }
    const parent = (await t.app.inject({ method: 'GET', url: `/api/information-systems/${first.id}`, headers: parentA.headers })).json() as Sys;
    expect(parent.contactsMasked).toBe(false);
  });

  it('stores contact phones and e-mails SM4-encrypted', async () => {
    const owner = new pg.Client({ connectionString: t.ownerUrl });
    await owner.connect();
    try {
      const { rows } = await owner.query('select * from information_systems where id = $1', [first.id]);
      const raw = JSON.stringify(rows[0]);
      expect(raw).not.toContain('13812348000');
      expect(raw).not.toContain('abc@x.cn');
      expect(t.deps.cipher.decrypt(rows[0].contact_mobile_enc)).toBe('13812348000');
      const changes = await owner.query('select before::text || after::text as t from information_system_changes where system_id = $1', [first.id]);
      expect(changes.rows.map((r) => r.t).join()).not.toContain('13812348000');
    } finally {
      await owner.end();
    }
  });

  it('isolates units: B gets 404 for A’s system; other providers and the three administrators see nothing', async () => {
    for (const url of [`/api/information-systems/${first.id}`, `/api/information-systems/${first.id}/history`]) {
      expect((await t.app.inject({ method: 'GET', url, headers: unitB.headers })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url, headers: otherProvider.headers })).statusCode).toBe(404);
    }
    let res = await t.app.inject({ method: 'PATCH', url: `/api/information-systems/${first.id}`, headers: unitB.headers, payload: { name: '改' } });
    expect(res.statusCode).toBe(404);
    res = await t.app.inject({ method: 'POST', url: '/api/information-systems', headers: unitB.headers, payload: body({ unitId: unitAId }) });
    expect(res.statusCode).toBe(404);
    const listB = (await t.app.inject({ method: 'GET', url: '/api/information-systems', headers: unitB.headers })).json() as { items: Sys[] };
    expect(listB.items.map((s) => s.id)).not.toContain(first.id);
    expect(listB.items.every((s) => s.systemNo.endsWith('001'))).toBe(true);
    for (const s of [sysAdmin, secAdmin, auditAdmin]) {
      expect((await t.app.inject({ method: 'GET', url: `/api/information-systems/${first.id}`, headers: s.headers })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: '/api/information-systems', headers: s.headers })).statusCode).toBe(403);
    }
    res = await t.app.inject({ method: 'PATCH', url: `/api/information-systems/${first.id}`, headers: provider.headers, payload: { name: '改' } });
    expect(res.statusCode).toBe(403);
    const listP = (await t.app.inject({ method: 'GET', url: `/api/information-systems?nodeId=${nodeId}`, headers: provider.headers })).json() as { total: number };
    expect(listP.total).toBe(4);
    expect(unitBId).toBeTruthy();
  });

  it('RLS alone hides A’s system from B’s scope and from the administrators (no business access)', async () => {
    const owner = new pg.Client({ connectionString: t.ownerUrl });
    await owner.connect();
    try {
      const count = async (roots: string, business: 'on' | 'off') => {
        await owner.query('begin');
        await owner.query('set local role zhengyun_app');
        await owner.query(`select set_config('zhengyun.scope_all', 'off', true), set_config('zhengyun.scope_roots', $1, true), set_config('zhengyun.business_access', $2, true)`, [roots, business]);
        const { rows } = await owner.query('select count(*)::int as n from information_systems where id = $1', [first.id]);
        await owner.query('rollback');
        return rows[0].n as number;
      };
      expect(await count(unitBId, 'on')).toBe(0);
      expect(await count(unitAId, 'on')).toBe(1);
      expect(await count(unitAId, 'off')).toBe(0);
    } finally {
      await owner.end();
    }
  });

  it('places a system in a machine room of its node only', async () => {
    const rooms = (await t.app.inject({ method: 'GET', url: `/api/cloud-nodes/${nodeId}/rooms`, headers: unitA.headers })).json() as { items: Array<{ id: string; code: string }> };
    const room = rooms.items[0]!;
    let res = await t.app.inject({ method: 'POST', url: '/api/information-systems', headers: unitA.headers, payload: body({ machineRoomId: '00000000-0000-4000-8000-000000000000', nodeId: '00000000-0000-4000-8000-000000000001' }) });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { details: { issues: Array<{ field: string; rule: string }> } }).details.issues[0]).toMatchObject({ field: 'body.nodeId', rule: 'unknown_node' });
    res = await t.app.inject({ method: 'PATCH', url: `/api/information-systems/${first.id}`, headers: unitA.headers, payload: { machineRoomId: '00000000-0000-4000-8000-000000000000' } });
    expect((res.json() as { details: { issues: Array<{ rule: string }> } }).details.issues[0]!.rule).toBe('room_of_node');
    res = await t.app.inject({ method: 'PATCH', url: `/api/information-systems/${first.id}`, headers: unitA.headers, payload: { machineRoomId: room.id } });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { machineRoom: { code: string } }).machineRoom.code).toBe(room.code);
  });

  it('filters and pages', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/information-systems?unitId=${unitAId}&q=${encodeURIComponent('并发')}&page=1&pageSize=1`, headers: mgmt.headers });
    expect(res.statusCode).toBe(200);
    const page = res.json() as { items: Sys[]; total: number; pageSize: number };
    expect([page.items.length, page.total, page.pageSize]).toEqual([1, 2, 1]);
    expect((await t.app.inject({ method: 'GET', url: '/api/information-systems?pageSize=abc', headers: mgmt.headers })).statusCode).toBe(400);
  });

  it('records the history of changes and retires a system', async () => {
    let res = await t.app.inject({ method: 'PATCH', url: `/api/information-systems/${first.id}`, headers: unitA.headers, payload: { name: '网上办事大厅', contactMobile: '13900001111' } });
    expect(res.statusCode).toBe(200);
    res = await t.app.inject({ method: 'PATCH', url: `/api/information-systems/${first.id}`, headers: unitA.headers, payload: { exitDate: '2024-01-01', exitReason: '测试' } });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { details: { issues: Array<{ rule: string }> } }).details.issues[0]!.rule).toBe('exit_before_go_live');
    res = await t.app.inject({ method: 'POST', url: `/api/information-systems/${first.id}/retire`, headers: unitA.headers, payload: { exitDate: '2025-06-30', exitReason: '系统整合' } });
    expect(res.statusCode).toBe(200);
    expect((res.json() as Sys).status).toBe('retired');
    res = await t.app.inject({ method: 'PATCH', url: `/api/information-systems/${first.id}`, headers: unitA.headers, payload: { name: 'x' } });
    expect(res.statusCode).toBe(409);
    res = await t.app.inject({ method: 'GET', url: `/api/information-systems/${first.id}/history`, headers: mgmt.headers });
    const items = (res.json() as { items: Array<{ action: string; before: Record<string, unknown>; after: Record<string, unknown> }> }).items;
    expect(items.map((i) => i.action)).toEqual(['create', 'update', 'update', 'retire']);
    expect(items[1]!.after).toMatchObject({ machineRoomId: expect.any(String) });
    expect(items[2]!.before).toEqual({ name: '政务服务网上办事大厅', contactMobile: '138****8000' });
    expect(items[2]!.after).toEqual({ name: '网上办事大厅', contactMobile: '139****1111' });
    expect(items[3]!.after).toMatchObject({ status: 'retired', exitDate: '2025-06-30' });
    const owner = new pg.Client({ connectionString: t.ownerUrl });
    await owner.connect();
    try {
      const audit = await owner.query(`select action from audit_log where target_id = $1 order by seq`, [first.id]);
      expect(audit.rows.map((r) => r.action)).toEqual(['information_systems.create', 'information_systems.update', 'information_systems.update', 'information_systems.retire']);
    } finally {
      await owner.end();
    }
  });

  it('exports .xlsx with the 业务系统数据 headers and imports it back', async () => {
    let res = await t.app.inject({ method: 'GET', url: `/api/information-systems/export?unitId=${unitAId}&status=active`, headers: unitA.headers });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 6)).toEqual(['使用单位编号', '云平台', '部署节点', '机房', '信息系统编号', '信息系统名称']);
    expect(ws.rowCount).toBe(3);
    expect(ws.getRow(2).getCell(9).value).toBe('13812348000');

    // Re-importing the export unchanged registers nothing twice: the numbered rows are already registered.
    const exported = Buffer.from(res.rawPayload).toString('base64');
    res = await t.app.inject({ method: 'POST', url: '/api/information-systems/import', headers: unitA.headers, payload: { file: exported } });
    expect(res.statusCode).toBe(400);
    const again = (res.json() as { details: { issues: Array<{ column: string; rule: string }> } }).details.issues;
    expect(again).toEqual([
      expect.objectContaining({ column: '信息系统编号', rule: 'already_registered' }),
      expect.objectContaining({ column: '信息系统编号', rule: 'already_registered' }),
    ]);

    // The same rows without numbers are new systems: the server numbers them.
    ws.getRow(2).getCell(5).value = null;
    ws.getRow(3).getCell(5).value = null;
    const file = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    res = await t.app.inject({ method: 'POST', url: '/api/information-systems/import', headers: unitA.headers, payload: { file } });
    expect(res.statusCode).toBe(200);
    const created = (res.json() as { created: Array<{ systemNo: string }> }).created.map((c) => c.systemNo).sort();
    expect(created).toEqual([`${codeA}004`, `${codeA}005`]);

    // A bad row: nothing saved, the row, column and rule reported; then the valid rows only.
    ws.getRow(3).getCell(17).value = '六级';
    ws.getRow(2).getCell(6).value = `改-${unique()}`;
    const bad = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    res = await t.app.inject({ method: 'POST', url: '/api/information-systems/import', headers: unitA.headers, payload: { file: bad } });
    expect(res.statusCode).toBe(400);
    const issues = (res.json() as { details: { issues: Array<{ row: number; column: string; rule: string }> } }).details.issues;
    expect(issues).toEqual([expect.objectContaining({ row: 3, column: '信息系统定级情况', rule: 'one_of' })]);
    let list = (await t.app.inject({ method: 'GET', url: `/api/information-systems?unitId=${unitAId}`, headers: unitA.headers })).json() as { total: number };
    expect(list.total).toBe(5);
    res = await t.app.inject({ method: 'POST', url: '/api/information-systems/import', headers: unitA.headers, payload: { file: bad, validRowsOnly: true } });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { created: unknown[]; skipped: Array<{ row: number }> }).created).toHaveLength(1);
    list = (await t.app.inject({ method: 'GET', url: `/api/information-systems?unitId=${unitAId}`, headers: unitA.headers })).json() as { total: number };
    expect(list.total).toBe(6);

    // Unit B cannot import into unit A (unknown unit code for B); a non-xlsx file is rejected.
    res = await t.app.inject({ method: 'POST', url: '/api/information-systems/import', headers: unitB.headers, payload: { file } });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { details: { issues: Array<{ rule: string }> } }).details.issues[0]!.rule).toBe('unknown_unit');
    res = await t.app.inject({ method: 'POST', url: '/api/information-systems/import', headers: unitA.headers, payload: { file: Buffer.from('not a workbook').toString('base64') } });
    expect(res.statusCode).toBe(400);
  });
});
