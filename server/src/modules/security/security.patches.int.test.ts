import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { localDate } from '../calendar/index.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let provB: TestOrg;
let nodeA: string;
let mgmt: Session;
let provAStaff: Session;
let provBStaff: Session;
let sysAdmin: Session;
const hostKnown = unique('vm-p');
const hostUnknown = unique('vm-x');

const inject = (s: Session, url: string) => t.app.inject({ method: 'GET', url, headers: s.headers });
const daysAgo = (n: number) => localDate(new Date(Date.now() - n * 86_400_000));

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('补丁服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('补丁服务商乙') });
  nodeA = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('PA').slice(0, 20), name: '补丁甲节点', cloudType: 'service', providerOrgId: provA.id });
  const m = await createOrg(t, { kind: 'management_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
  provAStaff = (await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] })).session;
  provBStaff = (await signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] })).session;
  await owner.query(
    `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, name, attributes, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
     values ('cloud_host', $1, $2, $3, $3, $4, 'active', now(), now(), now(), $5)`,
    [provA.id, nodeA, hostKnown, JSON.stringify({ cloudHostId: hostKnown }), Math.floor(Math.random() * 1e9)],
  );
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('patch compliance from 安全补丁安装数据', () => {
  it('imports the pushed records (unknown hosts kept), judges them against the window, and a later report updates a patch', async () => {
    const rec = (host: string, name: string, released: string, installed: string) => ({ patchName: name, cloudHostId: host, patchType: 'Linux 补丁', patchReleasedAt: released, patchInstalledAt: installed, checkedBy: '运维员' });
    const first = await t.container.pushWriter.writeBatch({
      providerOrgId: provA.id, nodeId: nodeA, table: 'patchInstallation', source: 'api', mode: 'partial',
      records: [
        rec(hostKnown, 'KB-ONTIME', daysAgo(40), daysAgo(20)),
        rec(hostKnown, 'KB-LATE', daysAgo(60), daysAgo(5)),
        rec(hostKnown, 'KB-MISSING', daysAgo(45), '未安装'),
        rec(hostKnown, 'KB-PENDING', daysAgo(3), '未安装'),
        rec(hostUnknown, 'KB-UNKNOWN', '待定', '未安装'),
      ],
    });
    expect(first.accepted).toBe(5);
    await t.container.securityPatches.importPending();
    const res = await inject(mgmt, `/api/security/patches/compliance`);
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json().items.find((r: { providerId: string }) => r.providerId === provA.id);
    expect(a).toMatchObject({ hosts: 2, patches: 5, onTime: 1, late: 1, missing: 1, pending: 1, unknown: 1, complianceRate: '0.3333' });

    const list = (await inject(provAStaff, `/api/security/patches?providerId=${provA.id}`)).json();
    expect(list.items.map((r: { patchName: string }) => r.patchName)).toEqual(['KB-MISSING', 'KB-LATE', 'KB-PENDING', 'KB-UNKNOWN', 'KB-ONTIME']);
    const missing = list.items[0];
    expect(missing).toMatchObject({ status: 'missing', daysOverdue: 15, resourceId: expect.any(String) });
    expect(list.items.find((r: { patchName: string }) => r.patchName === 'KB-UNKNOWN')).toMatchObject({ resourceId: null, releasedText: '待定', releasedOn: null });

    // A wider window turns the late one on time; a bad window names the field.
    const wide = (await inject(mgmt, `/api/security/patches/compliance?windowDays=60`)).json().items.find((r: { providerId: string }) => r.providerId === provA.id);
    expect(wide).toMatchObject({ onTime: 2, late: 0, missing: 0, pending: 2 });
    expect((await inject(mgmt, `/api/security/patches/compliance?windowDays=0`)).statusCode).toBe(400);

    // The provider installs the missing one and reports again: the same host × patch is updated, not duplicated.
    await t.container.pushWriter.writeBatch({ providerOrgId: provA.id, nodeId: nodeA, table: 'patchInstallation', source: 'api', mode: 'partial', records: [rec(hostKnown, 'KB-MISSING', daysAgo(45), daysAgo(0))] });
    await t.container.securityPatches.importPending();
    const after = (await inject(mgmt, `/api/security/patches/compliance`)).json().items.find((r: { providerId: string }) => r.providerId === provA.id);
    expect(after).toMatchObject({ patches: 5, missing: 0, late: 2 });
  });

  it('visibility: the other provider and the system administrator see none of it', async () => {
    const b = (await inject(provBStaff, `/api/security/patches/compliance`)).json().items;
    expect(b.find((r: { providerId: string }) => r.providerId === provA.id)).toBeUndefined();
    expect((await inject(provBStaff, `/api/security/patches?providerId=${provA.id}`)).json().items).toEqual([]);
    expect([403, 404]).toContain((await inject(sysAdmin, `/api/security/patches/compliance`)).statusCode);
  });
});
