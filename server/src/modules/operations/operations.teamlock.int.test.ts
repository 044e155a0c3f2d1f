import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

let t: TestApp;
let owner: pg.Client;
let prov: TestOrg;
let node: string;
let provStaff: Session;
let mgmt: Session;
const sys = systemContext('test');
const inject = (s: Session, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
const day = (n: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + n * 86_400_000));

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  prov = await createOrg(t, { kind: 'cloud_provider', name: unique('锁定期服务商') });
  node = await t.container.directory.ensureCloudNode(sys, { code: unique('TL').slice(0, 20), name: '锁定期节点', cloudType: 'service', providerOrgId: prov.id });
  provStaff = (await signedInUser(t, { orgId: prov.id, roles: ['provider_admin'] })).session;
  const m = await createOrg(t, { kind: 'management_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  // the provider entered the node 20 days ago: its on-site team is locked until entered_on + 3 months
  await owner.query(`insert into ops_provider_entries (provider_org_id, node_id, state, applied_on, entered_on, assessment_attempts) values ($1, $2, 'entered', $3, $4, 1)`, [prov.id, node, day(-60), day(-20)]);
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('seed 003: 驻场运维团队进驻后三个月内不得有人员更换', () => {
  it('refuses an on-site key-post change within 3 months of the entry, naming the rule; later ones and second-line staff pass', async () => {
    const pm = (await inject(provStaff, 'POST', '/api/operations/staff', { nodeId: node, name: '驻场项目经理', post: 'project_manager', placement: 'onsite' })).json();
    const lockedUntil = (await owner.query<{ d: string }>(`select to_char(entered_on + interval '3 months', 'YYYY-MM-DD') as d from ops_provider_entries where provider_org_id = $1`, [prov.id])).rows[0]!.d;
    let res = await inject(provStaff, 'POST', '/api/operations/key-post-changes', { staffId: pm.id, successorName: '新经理', effectiveOn: day(40), reason: '离职' });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ code: 'operations.team_locked', details: { rule: 'no_change_within_3_months_of_entry', lockedUntil, enteredOn: day(-20), issues: [{ field: 'body.effectiveOn' }] } });
    expect(res.json().message).toContain('驻场运维团队进驻后三个月内不得有人员更换');
    expect(res.json().message).toContain(lockedUntil);
    // the provider cannot grant itself the exception
    expect((await inject(provStaff, 'POST', '/api/operations/key-post-changes', { staffId: pm.id, successorName: '新经理', effectiveOn: day(40), reason: '离职', lockExceptionReason: '个人原因' })).json().code).toBe('operations.lock_exception_management_only');
    // from the unlock day on it is an ordinary key-post change
    res = await inject(provStaff, 'POST', '/api/operations/key-post-changes', { staffId: pm.id, successorName: '新经理', effectiveOn: lockedUntil, reason: '离职' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'in_approval', lockExceptionReason: null });
    // second-line staff are not the on-site team
    const lead = (await inject(provStaff, 'POST', '/api/operations/staff', { nodeId: node, name: '二线技术负责人', post: 'technical_lead', placement: 'second_line' })).json();
    expect((await inject(provStaff, 'POST', '/api/operations/key-post-changes', { staffId: lead.id, successorName: '新负责人', effectiveOn: day(40), reason: '调岗' })).statusCode).toBe(201);
  });

  it('lets the management unit grant an exception with its reason, kept and audited', async () => {
    const auditor = (await inject(provStaff, 'POST', '/api/operations/staff', { nodeId: node, name: '驻场安全审计员', post: 'security_auditor', placement: 'onsite' })).json();
    const res = await inject(mgmt, 'POST', '/api/operations/key-post-changes', { staffId: auditor.id, successorName: '替补审计员', effectiveOn: day(35), reason: '重病', lockExceptionReason: '原审计员重病无法履职，管理单位特批' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().lockExceptionReason).toBe('原审计员重病无法履职，管理单位特批');
    const audited = (await owner.query<{ action: string }>("select action from audit_log where target_type = 'ops_key_post_change' and target_id = $1", [res.json().id])).rows.map((r) => r.action);
    expect(audited).toContain('operations.team_lock_exception');
  });
});
