import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { auditRecords, createOrg, signedInUser, type Session } from '../../test/fixtures.js';
import { codeTableCatalog } from './index.js';
import { systemContext } from '../../platform/context.js';

let t: TestApp;
let mgmt: Session;
let providerAdmin: Session;
let unitStaff: Session;
let sysAdmin: Session;
let provider: { id: string };
let provider2: { id: string };
let unit: { id: string };

const put = (s: Session, table: string, code: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'PUT', url: `/api/ingest/code-tables/${table}/${encodeURIComponent(code)}`, headers: s.headers, payload });
const tables = async (s: Session) => {
  const res = await t.app.inject({ url: '/api/ingest/code-tables', headers: s.headers });
  expect(res.statusCode).toBe(200);
  return res.json() as { tables: Array<{ name: string; codeLength: { min: number; max: number }; usedBy: unknown[]; values: Array<{ code: string; active: boolean; labelZh: string; org: { id: string } | null }> }>; abilities: { edit: boolean } };
};

beforeAll(async () => {
  t = await createTestApp();
  const m = await createOrg(t, { kind: 'management_unit' });
  provider = await createOrg(t, { kind: 'cloud_provider' });
  provider2 = await createOrg(t, { kind: 'cloud_provider' });
  unit = await createOrg(t, { kind: 'user_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  providerAdmin = (await signedInUser(t, { orgId: provider.id, roles: ['provider_admin'] })).session;
  unitStaff = (await signedInUser(t, { orgId: unit.id, roles: ['unit_staff'] })).session;
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
});

afterAll(async () => {
  await t?.close();
});

describe('code tables (码表)', () => {
  it('lists every code table the interface tables use, with the fields using it and the seeded values', async () => {
    const { tables: list, abilities } = await tables(mgmt);
    expect(abilities.edit).toBe(true);
    const names = list.map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining([...codeTableCatalog().keys()]));
    expect(names).not.toContain('machineRoom');
    const run = list.find((x) => x.name === 'runStatus')!;
    expect(run.codeLength).toEqual({ min: 4, max: 4 });
    expect(run.usedBy.length).toBeGreaterThan(0);
    expect(run.values.map((v) => v.code)).toEqual(expect.arrayContaining(['RUNN', 'STOP']));
    expect(list.find((x) => x.name === 'cloudProvider')!.codeLength).toEqual({ min: 4, max: 4 });
  });

  it('is readable with ingest:read or inventory:read, not by the three administrators', async () => {
    expect((await tables(providerAdmin)).abilities.edit).toBe(false);
    expect((await tables(unitStaff)).abilities.edit).toBe(false);
    expect((await t.app.inject({ url: '/api/ingest/code-tables', headers: sysAdmin.headers })).statusCode).toBe(403);
  });

  it('management staff add, change and deactivate codes, audited; others cannot', async () => {
    const created = await put(mgmt, 'networkType', 'ZWYN', { labelZh: '政务云内网', labelEn: 'Gov cloud intranet', sortOrder: 9 });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toMatchObject({ code: 'ZWYN', labelZh: '政务云内网', active: true, sortOrder: 9, org: null });
    const changed = await put(mgmt, 'networkType', 'ZWYN', { labelZh: '政务云内部网络' });
    expect(changed.json()).toMatchObject({ labelZh: '政务云内部网络', sortOrder: 9, labelEn: null });
    const off = await t.app.inject({ method: 'DELETE', url: '/api/ingest/code-tables/networkType/ZWYN', headers: mgmt.headers });
    expect(off.json()).toMatchObject({ active: false });
    const nt = (await tables(unitStaff)).tables.find((x) => x.name === 'networkType')!;
    expect(nt.values.find((v) => v.code === 'ZWYN')).toMatchObject({ active: false });
    const audit = await auditRecords(t, { targetId: 'networkType/ZWYN' });
    expect(audit.map((a) => a.action)).toEqual(['ingest_code_values.deactivate', 'ingest_code_values.update', 'ingest_code_values.create']);

    expect((await put(providerAdmin, 'networkType', 'ABCD', { labelZh: 'x' })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/ingest/code-tables/networkType/GWWW', headers: unitStaff.headers })).statusCode).toBe(403);
  });

  it('checks table, code length, labels and the organisation of cloudProvider codes', async () => {
    expect((await put(mgmt, 'noSuchTable', 'ABCD', { labelZh: 'x' })).json().code).toBe('ingest.unknown_code_table');
    expect((await put(mgmt, 'machineRoom', 'ABCD', { labelZh: 'x' })).statusCode).toBe(404);
    const short = await put(mgmt, 'networkType', 'ABC', { labelZh: 'x' });
    expect(short.json()).toMatchObject({ code: 'ingest.code_length', details: { issues: [{ field: 'params.code', rule: 'length' }] } });
    expect((await put(mgmt, 'networkType', 'ABCDE', { labelZh: 'x' })).statusCode).toBe(400);
    expect((await put(mgmt, 'yesNo', '可能', { labelZh: '可能' })).json().code).toBe('ingest.code_length');
    expect((await put(mgmt, 'networkType', 'A CD', { labelZh: 'x' })).json().code).toBe('ingest.code_format');
    expect((await put(mgmt, 'networkType', 'ABCD', { labelZh: '' })).statusCode).toBe(400);
    expect((await put(mgmt, 'networkType', 'ABCD', { labelZh: 'x', orgId: provider.id })).json().code).toBe('ingest.code_org_not_allowed');

    expect((await put(mgmt, 'cloudProvider', 'PRVA', { labelZh: '服务商A' })).json().code).toBe('ingest.code_org_required');
    expect((await put(mgmt, 'cloudProvider', 'PRVA', { labelZh: '单位', orgId: unit.id })).json().code).toBe('ingest.not_a_provider');
    expect((await put(mgmt, 'cloudProvider', 'PRV', { labelZh: '服务商A', orgId: provider.id })).json().code).toBe('ingest.code_length');
    const ok = await put(mgmt, 'cloudProvider', 'PRVA', { labelZh: '服务商A', orgId: provider.id });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().org.id).toBe(provider.id);
    const second = await put(mgmt, 'cloudProvider', 'PRVB', { labelZh: '服务商A 另一个', orgId: provider.id });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('ingest.provider_code_exists');
    expect((await put(mgmt, 'cloudProvider', 'PRVB', { labelZh: '服务商B', orgId: provider2.id })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/ingest/code-tables/networkType/QQQQ', headers: mgmt.headers })).statusCode).toBe(404);
  });

  it('the push validator sees a new or deactivated code at once (its cache is dropped on change)', async () => {
    const node = (await t.container.directory.listCloudNodes(systemContext('t')))[0]?.id ?? '00000000-0000-0000-0000-000000000000';
    const codes = async () => (await t.container.pushWriter.codes.context(provider.id, node)).codeTables.get('managementType') ?? new Set<string>();
    expect((await codes()).has('JOIN')).toBe(false);
    await put(mgmt, 'managementType', 'JOIN', { labelZh: '联合运维' });
    expect((await codes()).has('JOIN')).toBe(true);
    await t.app.inject({ method: 'DELETE', url: '/api/ingest/code-tables/managementType/JOIN', headers: mgmt.headers });
    expect((await codes()).has('JOIN')).toBe(false);
    // cloudProvider codes: the provider's own code is known to the validator at once too.
    expect((await t.container.pushWriter.codes.context(provider.id, node)).ownProviderCode).toBe('PRVA');
  });

  it('tells listeners (e.g. the push validator’s cache) about every change', async () => {
    let calls = 0;
    t.container.codeTables.onChange(() => calls++);
    await put(mgmt, 'cloudHostType', 'ARMA', { labelZh: 'ARM 型' });
    await t.app.inject({ method: 'DELETE', url: '/api/ingest/code-tables/cloudHostType/ARMA', headers: mgmt.headers });
    expect(calls).toBe(2);
  });
});
