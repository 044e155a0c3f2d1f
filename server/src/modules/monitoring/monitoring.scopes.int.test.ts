import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { withTx } from '../../platform/db/database.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';

// The scope pickers (GET /api/monitoring/scopes) list only what the caller may see, and the server refuses a rule
// or a maintenance window naming anything else.
let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let provB: TestOrg;
let unitA: TestOrg;
let unitB: TestOrg;
let mgmt: Session;
let provAAdmin: Session;
let unitAAdmin: Session;
const ids = { nodeA: '', nodeB: '', sysA: '', sysB: '', hostA: '', hostB: '' };
const tag = unique('SC');
const ipA = `10.${Math.floor(Math.random() * 200) + 10}.7.11`;

const inject = (s: Session, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
const scopes = async (s: Session, query: string) => {
  const r = await inject(s, 'GET', `/api/monitoring/scopes?${query}`);
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { items: Array<{ id: string; label: string; detail: string | null }> }).items;
};
const ruleWith = (s: Session, scopeKind: string, scopeId: string) =>
  inject(s, 'POST', '/api/monitoring/rules', { name: unique('范围规则'), kind: 'threshold', metric: 'cpu', threshold: 90, recovery: 80, severity: 'minor', scopeKind, scopeId, enabled: false });

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('范围服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('范围服务商乙') });
  unitA = await createOrg(t, { kind: 'user_unit', name: unique('范围单位甲'), code: unique('SUA') });
  unitB = await createOrg(t, { kind: 'user_unit', name: unique('范围单位乙'), code: unique('SUB') });
  const ctx = systemContext();
  ids.nodeA = await t.container.directory.ensureCloudNode(ctx, { code: unique('SA').slice(0, 20), name: `${tag}甲节点`, cloudType: 'service', providerOrgId: provA.id });
  ids.nodeB = await t.container.directory.ensureCloudNode(ctx, { code: unique('SB').slice(0, 20), name: `${tag}乙节点`, cloudType: 'service', providerOrgId: provB.id });
  await withTx(t.deps.db, ctx, async (trx) => {
    for (const [key, unit, node, name] of [['sysA', unitA, ids.nodeA, `${tag}甲系统`], ['sysB', unitB, ids.nodeB, `${tag}乙系统`]] as const) {
      const r = await sql<{ id: string }>`insert into information_systems (unit_id, seq, system_no, node_id, name, system_type, grading_level, operating_hours, network_nature, contact_name, contact_mobile_enc, contact_email_enc)
        values (${unit.id}, 1, ${unique('SYS')}, ${node}, ${name}, '其他', '二级', '5*8小时', '政务外网', '张三', 'x', 'x') returning id`.execute(trx);
      ids[key] = r.rows[0]!.id;
    }
  });
  let batch = Math.floor(Math.random() * 1e9);
  for (const [key, prov, node, unit, sys, name, ip] of [
    ['hostA', provA, ids.nodeA, unitA, ids.sysA, `${tag}-web-甲`, ipA],
    ['hostB', provB, ids.nodeB, unitB, ids.sysB, `${tag}-web-乙`, '10.9.9.9'],
  ] as const) {
    const r = await owner.query<{ id: string }>(
      `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, system_id, unit_org_id, name, attributes, quantities, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
       values ('cloud_host', $1, $2, $3, $4, $5, $6, $7, '{}'::jsonb, 'active', now(), now(), now(), $8) returning id`,
      [prov.id, node, unique('vm-'), sys, unit.id, name, JSON.stringify({ internalIp: ip }), batch++],
    );
    ids[key] = r.rows[0]!.id;
  }
  const m = await createOrg(t, { kind: 'management_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  provAAdmin = (await signedInUser(t, { orgId: provA.id, roles: ['provider_admin'], mfa: false })).session;
  unitAAdmin = (await signedInUser(t, { orgId: unitA.id, roles: ['unit_admin'] })).session;
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('scope pickers', () => {
  it('a unit sees its own systems\' hosts only, never another unit\'s (not even by id)', async () => {
    const hosts = await scopes(unitAAdmin, `kind=host&keyword=${encodeURIComponent(tag)}`);
    expect(hosts.map((h) => h.id)).toEqual([ids.hostA]);
    expect(hosts[0]).toMatchObject({ label: `${tag}-web-甲 ${ipA}`, detail: `${tag}甲系统 · ${unitA.name}` });
    expect(await scopes(unitAAdmin, `kind=host&ids=${ids.hostB}`)).toEqual([]);
    expect((await scopes(unitAAdmin, `kind=system&keyword=${encodeURIComponent(tag)}`)).map((s) => s.id)).toEqual([ids.sysA]);
    expect((await scopes(unitAAdmin, `kind=unit&ids=${unitA.id},${unitB.id}`)).map((s) => s.id)).toEqual([unitA.id]);
  });

  it('finds a host by its IP; a provider sees the hosts, systems and nodes it runs', async () => {
    expect((await scopes(mgmt, `kind=host&keyword=${ipA}`)).map((h) => h.id)).toEqual([ids.hostA]);
    expect((await scopes(provAAdmin, `kind=host&keyword=${encodeURIComponent(tag)}`)).map((h) => h.id)).toEqual([ids.hostA]);
    expect((await scopes(provAAdmin, `kind=system&keyword=${encodeURIComponent(tag)}`)).map((s) => s.id)).toEqual([ids.sysA]);
    expect(await scopes(provAAdmin, `kind=node&keyword=${encodeURIComponent(tag)}`)).toEqual([{ kind: 'node', id: ids.nodeA, label: `${tag}甲节点`, detail: provA.name }]);
    expect((await scopes(provAAdmin, `kind=provider&ids=${provA.id},${provB.id}`)).map((s) => s.id)).toEqual([provA.id]);
    expect(await scopes(provAAdmin, `kind=unit&ids=${unitB.id}`)).toEqual([]);
  });

  it('management and supervision see everything', async () => {
    expect((await scopes(mgmt, `kind=host&keyword=${encodeURIComponent(tag)}`)).map((h) => h.id).sort()).toEqual([ids.hostA, ids.hostB].sort());
    expect((await scopes(mgmt, `kind=node&keyword=${encodeURIComponent(tag)}`)).map((n) => n.id).sort()).toEqual([ids.nodeA, ids.nodeB].sort());
    expect((await scopes(mgmt, `kind=unit&ids=${unitA.id},${unitB.id}`)).length).toBe(2);
  });

  it('refuses a bad kind or id list naming the field', async () => {
    const r = await inject(mgmt, 'GET', '/api/monitoring/scopes?kind=planet');
    expect(r.statusCode).toBe(400);
    expect(JSON.stringify(r.json())).toContain('kind');
    expect((await inject(mgmt, 'GET', '/api/monitoring/scopes?kind=host&ids=nope')).statusCode).toBe(400);
  });
});

describe('the server refuses a scope the author may not see', () => {
  it('a provider admin may name its own node, system and host, not another provider\'s, nor a unit it does not see', async () => {
    for (const [kind, id] of [['node', ids.nodeA], ['system', ids.sysA], ['host', ids.hostA], ['provider', provA.id]] as const) {
      expect((await ruleWith(provAAdmin, kind, id)).statusCode, `${kind} own`).toBe(201);
    }
    for (const [kind, id] of [['node', ids.nodeB], ['system', ids.sysB], ['host', ids.hostB], ['provider', provB.id], ['unit', unitB.id]] as const) {
      const r = await ruleWith(provAAdmin, kind, id);
      expect(r.statusCode, `${kind} other`).toBe(400);
      expect(r.json()).toMatchObject({ code: 'monitoring.scope_not_visible' });
    }
    const w = await inject(provAAdmin, 'POST', '/api/monitoring/maintenance', { scopeKind: 'node', scopeId: ids.nodeB, startsAt: new Date(Date.now() + 3_600_000).toISOString(), endsAt: new Date(Date.now() + 7_200_000).toISOString(), reason: '越权窗口' });
    expect(w.json()).toMatchObject({ code: 'monitoring.scope_not_visible' });
  });
});
