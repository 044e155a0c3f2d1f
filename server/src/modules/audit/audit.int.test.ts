import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { withTx } from '../../platform/db/database.js';
import { auditRecords, createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { EXPORT_COLUMNS } from './audit.export.js';
import { AuditService, recordAudit } from './audit.service.js';

let t: TestApp;
let mgmt: TestOrg;
let auditor: { user: { username: string }; session: Session };
let sysAdmin: { session: Session };
let secAdmin: { session: Session };
let unitAdmin: { session: Session };
const marker = unique('mk');

beforeAll(async () => {
  t = await createTestApp();
  mgmt = await createOrg(t, { kind: 'management_unit' });
  const unit = await createOrg(t, { kind: 'user_unit' });
  auditor = await signedInUser(t, { orgId: mgmt.id, roles: ['audit_admin'] });
  sysAdmin = await signedInUser(t, { orgId: mgmt.id, roles: ['system_admin'] });
  secAdmin = await signedInUser(t, { orgId: mgmt.id, roles: ['security_admin'] });
  unitAdmin = await signedInUser(t, { orgId: unit.id, roles: ['unit_admin'] });
  const ctx = systemContext(`req-${marker}`, '192.0.2.7');
  for (let i = 0; i < 3; i++) {
    await withTx(t.deps.db, ctx, (trx) =>
      recordAudit(trx, ctx, { action: `test.${marker}.${i}`, targetType: 'widget', targetId: `${marker}-${i}`, outcome: i === 2 ? 'failure' : 'success', before: { v: i }, after: { v: i + 1, 名称: '测试' }, details: { note: `${marker} detail ${i}`, error_code: 'x_y', list_of: [{ org_kinds: ['user_unit'] }] } }),
    );
  }
});

afterAll(async () => {
  await t?.close();
});

const get = (session: Session, url: string) => t.app.inject({ method: 'GET', url, headers: session.headers });

describe('GET /api/audit-logs', () => {
  it('lets the audit administrator search, newest first, with the filters', async () => {
    const res = await get(auditor.session, `/api/audit-logs?q=${marker}&targetType=widget`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: Array<Record<string, unknown>>; total: number; page: number; pageSize: number };
    expect(body.total).toBe(3);
    expect(body.items.map((i) => i.targetId)).toEqual([`${marker}-2`, `${marker}-1`, `${marker}-0`]);
    expect(body.items[0]).toMatchObject({ action: `test.${marker}.2`, outcome: 'failure', sourceIp: '192.0.2.7', after: { v: 3, 名称: '测试' }, actorUsername: 'system' });
    expect(body.items[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.items[0]!.details).toEqual({ note: `${marker} detail 2`, error_code: 'x_y', list_of: [{ org_kinds: ['user_unit'] }] });

    const byAction = (await get(auditor.session, `/api/audit-logs?action=test.${marker}.&outcome=success&pageSize=1&page=2`)).json() as typeof body;
    expect(byAction).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(byAction.items.map((i) => i.targetId)).toEqual([`${marker}-0`]);

    const past = (await get(auditor.session, `/api/audit-logs?q=${marker}&to=2020-01-01T00:00:00Z`)).json() as typeof body;
    expect(past.total).toBe(0);
    const recent = (await get(auditor.session, `/api/audit-logs?q=${marker}&targetType=widget&from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`)).json() as typeof body;
    expect(recent.total).toBe(3);
  });

  it("shows the actor's organisation and matches the user name", async () => {
    const res = await get(auditor.session, `/api/audit-logs?actor=${auditor.user.username}&action=auth.sign_in`);
    const body = res.json() as { items: Array<Record<string, unknown>>; total: number };
    expect(body.total).toBeGreaterThanOrEqual(1);
    expect(body.items[0]).toMatchObject({ actorUsername: auditor.user.username, actorOrgId: mgmt.id, actorOrgName: mgmt.name });
  });

  it('treats LIKE wildcards in filters as plain text', async () => {
    const body = (await get(auditor.session, `/api/audit-logs?q=${encodeURIComponent('%_%')}&action=${encodeURIComponent('test.%')}`)).json() as { total: number };
    expect(body.total).toBe(0);
  });

  it('records the search itself', async () => {
    const q = unique('search');
    await get(auditor.session, `/api/audit-logs?q=${q}`);
    const recs = await auditRecords(t, { action: 'audit.search', actorUsername: auditor.user.username });
    expect(recs.some((r) => (r.details as { filter: { q?: string } }).filter.q === q)).toBe(true);
  });

  it('validates the query strictly', async () => {
    for (const url of ['/api/audit-logs?pageSize=500', '/api/audit-logs?page=0', '/api/audit-logs?from=yesterday', '/api/audit-logs?outcome=maybe', '/api/audit-logs?bogus=1']) {
      const res = await get(auditor.session, url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation.failed' });
    }
  });

  it('refuses everybody without audit:read, including the other two administrators', async () => {
    for (const s of [sysAdmin.session, secAdmin.session, unitAdmin.session]) {
      expect((await get(s, '/api/audit-logs')).statusCode).toBe(403);
      expect((await get(s, '/api/audit-logs/export')).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'POST', url: '/api/audit-logs/verify', headers: s.headers })).statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/audit-logs' })).statusCode).toBe(401);
  });
});

describe('GET /api/audit-logs/export', () => {
  it('exports a real .xlsx with Chinese headers, a title and the filter summary, and records the export', async () => {
    const res = await get(auditor.session, `/api/audit-logs/export?q=${marker}&targetType=widget`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-log-\d{8}-\d{6}\.xlsx"; filename\*=UTF-8''/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('审计日志')!;
    expect(ws.getRow(1).getCell(1).value).toBe('政云 审计日志导出');
    expect(String(ws.getRow(2).getCell(1).value)).toContain(`关键字「${marker}」`);
    expect(String(ws.getRow(2).getCell(1).value)).toContain('共 3 条');
    const headers = (ws.getRow(3).values as unknown[]).slice(1);
    expect(headers).toEqual(['序号', '时间', '操作人', '所属单位', '操作', '对象类型', '对象', '结果', '来源IP', '请求ID', '变更前', '变更后', '哈希']);
    expect(headers).toEqual(EXPORT_COLUMNS.map((c) => c.header));
    const row = (ws.getRow(4).values as unknown[]).slice(1);
    expect(row[2]).toBe('system');
    expect(row[4]).toBe(`test.${marker}.2`);
    expect(row[6]).toBe(`${marker}-2`);
    expect(row[7]).toBe('失败');
    expect(row[8]).toBe('192.0.2.7');
    expect(JSON.parse(row[11] as string)).toEqual({ v: 3, 名称: '测试' });
    expect(row[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(row[12]).toMatch(/^[0-9a-f]{64}$/);
    expect(ws.getColumn(13).width).toBeGreaterThan(60);
    expect(ws.rowCount).toBe(6);
    const recs = await auditRecords(t, { action: 'audit.export', actorUsername: auditor.user.username });
    expect(recs[0]).toMatchObject({ details: { total: 3, format: 'xlsx', filter: { q: marker, targetType: 'widget' } } });
  });

  it('holds exactly the records counted when the export began, not its own record', async () => {
    const read = async () => {
      const res = await get(auditor.session, `/api/audit-logs/export?actor=${auditor.user.username}&action=audit.export`);
      expect(res.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      return wb.getWorksheet('审计日志')!;
    };
    const before = (await auditRecords(t, { action: 'audit.export', actorUsername: auditor.user.username })).length;
    const first = await read();
    expect(first.rowCount).toBe(3 + before);
    expect(String(first.getRow(2).getCell(1).value)).toContain(`共 ${before} 条`);
    const second = await read();
    expect(second.rowCount).toBe(4 + before);
    expect(second.getRow(4).getCell(5).value).toBe('audit.export');
  });

  it('refuses an export larger than the cap with a clear 400', async () => {
    const small = new AuditService(t.deps.db, undefined, 2);
    await expect(small.prepareExport(systemContext(), { q: marker, targetType: 'widget' })).rejects.toMatchObject({ code: 'audit.export_too_large', kind: 'validation', details: { total: 3, max: 2 } });
    await expect(small.prepareExport(systemContext(), { q: marker, targetType: 'widget' }).catch((e: Error) => e.message)).resolves.toContain('Narrow');
  });
});

describe('POST /api/audit-logs/verify', () => {
  it('verifies the chain and records the verification', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/audit-logs/verify', headers: auditor.session.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { ok: boolean; checked: number; firstSeq: string; lastSeq: string; problems: unknown[] };
    expect(body).toMatchObject({ ok: true, problems: [] });
    expect(body.checked).toBeGreaterThan(3);
    const recs = await auditRecords(t, { action: 'audit.verify', actorUsername: auditor.user.username });
    expect(recs[0]).toMatchObject({ details: { ok: true, checked: body.checked } });
  });
});

describe('OpenAPI', () => {
  it('documents the audit routes under the audit tag', () => {
    const doc = t.app.swagger() as { paths: Record<string, Record<string, { tags?: string[]; parameters?: Array<{ name: string }> }>> };
    expect(doc.paths['/api/audit-logs']?.get?.tags).toEqual(['audit']);
    expect(doc.paths['/api/audit-logs']?.get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['from', 'to', 'actor', 'action', 'outcome', 'targetType', 'q', 'page', 'pageSize']));
    expect(doc.paths['/api/audit-logs/export']?.get?.tags).toEqual(['audit']);
    expect(doc.paths['/api/audit-logs/verify']?.post?.tags).toEqual(['audit']);
  });
});

describe('retention job', () => {
  it('is registered to run daily', () => {
    expect(t.deps.jobs.state().queues).toContain('audit.prune');
  });
});

describe('append-only for the application role', () => {
  it('cannot UPDATE, DELETE or TRUNCATE audit_log or audit_anchor', async () => {
    const ctx = systemContext();
    await expect(withTx(t.database.db, ctx, (trx) => sql`update audit_log set action = 'forged' where seq = (select max(seq) from audit_log)`.execute(trx))).rejects.toThrow(/permission denied/);
    await expect(withTx(t.database.db, ctx, (trx) => sql`delete from audit_log where seq = (select max(seq) from audit_log)`.execute(trx))).rejects.toThrow(/permission denied/);
    await expect(withTx(t.database.db, ctx, (trx) => sql`truncate audit_log`.execute(trx))).rejects.toThrow(/permission denied/);
    await expect(withTx(t.database.db, ctx, (trx) => sql`update audit_anchor set first_seq = 1`.execute(trx))).rejects.toThrow(/permission denied/);
    await expect(withTx(t.database.db, ctx, (trx) => sql`select audit_prune(30)`.execute(trx))).rejects.toThrow(/at least 180 days/);
  });
});
