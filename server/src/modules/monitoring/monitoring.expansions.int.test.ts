import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { Dec } from '../../platform/money.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';
import { peakInForce } from './monitoring.expansions.js';

// 临时扩容: free short-term expansions of at most 20 % of a unit's original resources at a provider.
let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let provB: TestOrg;
let unitA: TestOrg;
let unitB: TestOrg;
let mgmt: Session;
let provAAdmin: Session;
let provAStaff: Session;
let provBAdmin: Session;
let unitAAdmin: Session;
let unitBAdmin: Session;

const DAY = 86_400_000;
const inject = (s: Session, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const body = (x: Record<string, unknown> = {}) => ({ unitOrgId: unitA.id, resourceKey: 'cpuCores', amount: '4', startsAt: at(1), endsAt: at(15), reason: '业务高峰临时扩容', ...x });

beforeAll(async () => {
  t = await createTestApp();
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('扩容服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('扩容服务商乙') });
  unitA = await createOrg(t, { kind: 'user_unit', code: unique('EUA') });
  unitB = await createOrg(t, { kind: 'user_unit', code: unique('EUB') });
  const node = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('EX').slice(0, 20), name: '扩容甲节点', cloudType: 'service', providerOrgId: provA.id });
  const m = await createOrg(t, { kind: 'management_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  provAAdmin = (await signedInUser(t, { orgId: provA.id, roles: ['provider_admin'], mfa: false })).session;
  provAStaff = (await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] })).session;
  provBAdmin = (await signedInUser(t, { orgId: provB.id, roles: ['provider_admin'], mfa: false })).session;
  unitAAdmin = (await signedInUser(t, { orgId: unitA.id, roles: ['unit_admin'] })).session;
  unitBAdmin = (await signedInUser(t, { orgId: unitB.id, roles: ['unit_admin'] })).session;
  // Unit A's original resources at provider A: two hosts of 8 + 12 cores, 16 + 32 GB (and a deleted host, not counted).
  let batch = Math.floor(Math.random() * 1e9);
  for (const [cores, mem, status] of [[8, 16, 'active'], [12, 32, 'active'], [64, 256, 'deleted']] as const) {
    const id = unique('xvm-');
    await owner.query(
      `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, unit_org_id, name, attributes, quantities, status, first_seen_at, last_seen_at, changed_at, last_batch_id)
       values ('cloud_host', $1, $2, $3, $4, $3, '{}'::jsonb, $5, $6, now(), now(), now(), $7)`,
      [provA.id, node, id, unitA.id, JSON.stringify({ cpuCores: String(cores), memoryGb: String(mem) }), status, batch++],
    );
  }
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('peakInForce', () => {
  it('is the largest sum in force at one moment (an end frees before a start at the same instant takes)', () => {
    const d = (x: number) => new Dec(x);
    const list = [{ startsAt: 0, endsAt: 10, amount: d(2) }, { startsAt: 5, endsAt: 15, amount: d(3) }, { startsAt: 10, endsAt: 20, amount: d(1) }];
    expect(peakInForce(list, 0, 20).toNumber()).toBe(5);
    expect(peakInForce(list, 10, 20).toNumber()).toBe(4);
    expect(peakInForce(list, 15, 20).toNumber()).toBe(1);
    expect(peakInForce([{ startsAt: 0, endsAt: 10, amount: d(2) }, { startsAt: 10, endsAt: 20, amount: d(2) }], 0, 20).toNumber()).toBe(2);
    expect(peakInForce(list, 30, 40).toNumber()).toBe(0);
  });
});

describe('临时扩容 (temporary expansions)', () => {
  it('records an expansion up to 20 % of the original resource, refuses beyond it naming field and rule, and audits', async () => {
    // Original cpu = 8 + 12 = 20 cores (the deleted host is not counted): at most 4 cores in force at once.
    const allowance = await inject(provAAdmin, 'GET', `/api/monitoring/expansions/allowance?unitOrgId=${unitA.id}`);
    expect(allowance.statusCode, allowance.body).toBe(200);
    expect(allowance.json().items.find((x: { resourceKey: string }) => x.resourceKey === 'cpuCores')).toMatchObject({ original: '20.00', limit: '4.00', inForce: '0.00', remaining: '4.00' });
    const first = await inject(provAAdmin, 'POST', '/api/monitoring/expansions', body({ amount: '3' }));
    expect(first.statusCode, first.body).toBe(201);
    const e = first.json();
    expect(e).toMatchObject({ unitOrgId: unitA.id, providerOrgId: provA.id, resourceKey: 'cpuCores', amount: '3.00', originalAmount: '20.00', percent: '15.00', state: 'planned', abilities: { cancel: true } });
    // 3 + 2 = 5 > 4 in the overlapping period.
    const over = await inject(provAAdmin, 'POST', '/api/monitoring/expansions', body({ amount: '2', startsAt: at(10), endsAt: at(20) }));
    expect(over.statusCode).toBe(400);
    expect(over.json()).toMatchObject({ code: 'monitoring.invalid_expansion', details: { issues: [{ field: 'body.amount', rule: 'max_20_percent' }] } });
    expect(over.json().details.issues[0].message).toContain('1.00 is left');
    // After the first ends the full 4 is free again; 1 fits alongside the first.
    expect((await inject(provAAdmin, 'POST', '/api/monitoring/expansions', body({ amount: '4', startsAt: at(15), endsAt: at(30) }))).statusCode).toBe(201);
    expect((await inject(provAAdmin, 'POST', '/api/monitoring/expansions', body({ amount: '1', startsAt: at(2), endsAt: at(14) }))).statusCode).toBe(201);
    expect((await inject(provAAdmin, 'POST', '/api/monitoring/expansions', body({ amount: '0.01', startsAt: at(2), endsAt: at(3) }))).statusCode).toBe(400);
    // Memory is capped on its own original (48 GB → 9.6 GB).
    expect((await inject(mgmt, 'POST', '/api/monitoring/expansions', body({ resourceKey: 'memoryGb', amount: '9.61', providerOrgId: provA.id }))).json().details.issues[0]).toMatchObject({ field: 'body.amount', rule: 'max_20_percent' });
    expect((await inject(mgmt, 'POST', '/api/monitoring/expansions', body({ resourceKey: 'memoryGb', amount: '9.60', providerOrgId: provA.id }))).statusCode).toBe(201);
    const audit = await owner.query(`select action from audit_log where target_type = 'monitoring_expansion' and target_id = $1`, [e.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['monitoring.expansion_create']);
  });

  it('refuses bad input with the field and the rule', async () => {
    const issue = async (s: Session, x: Record<string, unknown>) => {
      const r = await inject(s, 'POST', '/api/monitoring/expansions', body(x));
      expect(r.statusCode, r.body).toBe(400);
      return r.json().details.issues[0];
    };
    expect(await issue(provAAdmin, { startsAt: at(5), endsAt: at(4) })).toMatchObject({ field: 'body.endsAt', rule: 'after_start' });
    expect(await issue(provAAdmin, { startsAt: at(-5), endsAt: at(-1) })).toMatchObject({ field: 'body.endsAt', rule: 'not_past' });
    expect(await issue(provAAdmin, { startsAt: at(1), endsAt: at(120) })).toMatchObject({ field: 'body.endsAt', rule: 'short_term' });
    expect(await issue(provAAdmin, { amount: '1.234' })).toMatchObject({ field: 'body.amount', rule: 'decimal_2' });
    expect(await issue(provAAdmin, { amount: '0' })).toMatchObject({ field: 'body.amount', rule: 'positive' });
    // Nothing of that resource (bandwidth) in the inventory, or another unit with none at this provider.
    expect(await issue(provAAdmin, { resourceKey: 'bandwidthMbps' })).toMatchObject({ field: 'body.resourceKey', rule: 'has_original' });
    expect(await issue(provAAdmin, { unitOrgId: unitB.id })).toMatchObject({ field: 'body.resourceKey', rule: 'has_original' });
    // A provider records its own only; management names the provider.
    expect(await issue(provAAdmin, { providerOrgId: provB.id })).toMatchObject({ field: 'body.providerOrgId', rule: 'own_provider' });
    expect(await issue(mgmt, {})).toMatchObject({ field: 'body.providerOrgId', rule: 'required' });
    // Provider B sees none of unit A's resources at provider A.
    expect(await issue(provBAdmin, {})).toMatchObject({ field: 'body.resourceKey', rule: 'has_original' });
    // Unknown fields and a non-decimal resource key are refused by the schema.
    expect((await inject(provAAdmin, 'POST', '/api/monitoring/expansions', body({ resourceKey: 'gpus' }))).statusCode).toBe(400);
    expect((await inject(provAAdmin, 'POST', '/api/monitoring/expansions', body({ extra: 1 }))).statusCode).toBe(400);
  });

  it('needs monitoring:manage to record or cancel; each party sees only its own', async () => {
    expect((await inject(provAStaff, 'POST', '/api/monitoring/expansions', body({ amount: '0.5' }))).statusCode).toBe(403);
    expect((await inject(unitAAdmin, 'POST', '/api/monitoring/expansions', body({ amount: '0.5', providerOrgId: provA.id }))).statusCode).toBe(403);
    const mine = (s: Session) => inject(s, 'GET', `/api/monitoring/expansions?unitId=${unitA.id}`).then((r) => r.json().items as Array<{ id: string; providerOrgId: string; abilities: { cancel: boolean } }>);
    const ofA = await mine(provAAdmin);
    expect(ofA.length).toBeGreaterThanOrEqual(4);
    expect(ofA.every((x) => x.providerOrgId === provA.id)).toBe(true);
    // The unit sees its expansions (read only), unit B and provider B none of them.
    const unitView = await mine(unitAAdmin);
    expect(unitView.map((x) => x.id).sort()).toEqual(ofA.map((x) => x.id).sort());
    expect(unitView.every((x) => !x.abilities.cancel)).toBe(true);
    expect(await mine(unitBAdmin)).toEqual([]);
    expect(await mine(provBAdmin)).toEqual([]);
    // Another tenant's id answers 404.
    expect((await inject(provBAdmin, 'POST', `/api/monitoring/expansions/${ofA[0]!.id}/cancel`)).statusCode).toBe(404);
  });

  it('cancels a planned expansion (audited): it no longer counts, and is not cancelled twice', async () => {
    const r = await inject(provAAdmin, 'POST', '/api/monitoring/expansions', body({ resourceKey: 'memoryGb', amount: '0.01', startsAt: at(40), endsAt: at(50) }));
    expect(r.statusCode, r.body).toBe(201);
    // The memory limit is used up from the first test where the periods overlap; here (days 40–50) only this one.
    const full = await inject(provAAdmin, 'POST', '/api/monitoring/expansions', body({ resourceKey: 'memoryGb', amount: '9.60', startsAt: at(41), endsAt: at(49) }));
    expect(full.json().details.issues[0]).toMatchObject({ rule: 'max_20_percent' });
    const id = r.json().id as string;
    const c = await inject(provAAdmin, 'POST', `/api/monitoring/expansions/${id}/cancel`);
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toMatchObject({ state: 'cancelled', abilities: { cancel: false } });
    expect((await inject(provAAdmin, 'POST', `/api/monitoring/expansions/${id}/cancel`)).json()).toMatchObject({ code: 'monitoring.expansion_cancelled' });
    expect((await inject(provAAdmin, 'POST', '/api/monitoring/expansions', body({ resourceKey: 'memoryGb', amount: '9.60', startsAt: at(41), endsAt: at(49) }))).statusCode).toBe(201);
    const audit = await owner.query(`select action from audit_log where target_type = 'monitoring_expansion' and target_id = $1 order by seq`, [id]);
    expect(audit.rows.map((x) => x.action)).toEqual(['monitoring.expansion_create', 'monitoring.expansion_cancel']);
    expect((await inject(provAAdmin, 'GET', `/api/monitoring/expansions?unitId=${unitA.id}&state=cancelled`)).json().items.map((x: { id: string }) => x.id)).toEqual([id]);
  });
});
