import pg from 'pg';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';
import type { FigureSources, HostUtilisation } from './index.js';

let t: TestApp;
let owner: pg.Client;
let provA: TestOrg;
let provB: TestOrg;
let nodeA: string;
let mgmt: Session;
let supervisor: Session;
let sysAdmin: Session;
let provAStaff: Session;
let provBStaff: Session;
let unitA: Session;
let unitB: Session;
let unitAId: string;
let systemA: { id: string; systemNo: string };
const hosts: Record<string, string> = {};
// Months of this file only (other files never compute efficiency).
const M1 = '2026-08';
const M2 = '2026-09';

const inject = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

/**
 * Monitoring has not landed in this branch: the host utilisation it will publish (MonitoringService.hostUtilisation)
 * is given here by an object of exactly that shape over this file's hosts — a real in-process peer of the interface,
 * the same seam the integrator wires in container.ts.
 */
const monitoring: NonNullable<FigureSources['monitoring']> = {
  async hostUtilisation(_ctx, q) {
    expect(q.to.getTime()).toBeGreaterThan(q.from.getTime());
    const u = (key: string, cpuP95: number, memP95: number, hoursWithData = 720): HostUtilisation => ({
      resourceId: hosts[key]!, systemId: systemA.id, unitOrgId: unitAId, providerOrgId: provA.id, nodeId: nodeA, cpuP95, cpuAvg: cpuP95 / 2, memP95, memAvg: memP95 / 2, hoursWithData, hoursInWindow: 720,
    });
    return [u('h1', 24, 30), u('h2', 3, 50), u('h3', 66, 84)];
  },
};

beforeAll(async () => {
  t = await createTestApp();
  // This file checks the figures evaluation computes itself and how an absent source shows ("no data source yet"):
  // the optional sources the container wires (monitoring, availability, operations) are detached here.
  t.container.evaluation.setFigureSources({ monitoring: undefined, availability: undefined, operations: undefined });
  owner = new pg.Client({ connectionString: t.ownerUrl });
  await owner.connect();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('评估服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('评估服务商乙') });
  nodeA = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('EV').slice(0, 20), name: '评估甲节点', cloudType: 'service', providerOrgId: provA.id });
  const a = await createOrg(t, { kind: 'user_unit', code: unique('EVA') });
  const b = await createOrg(t, { kind: 'user_unit', code: unique('EVB') });
  unitAId = a.id;
  const m = await createOrg(t, { kind: 'management_unit' });
  const sup = await createOrg(t, { kind: 'supervision_provider' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  sysAdmin = (await signedInUser(t, { orgId: m.id, roles: ['system_admin'] })).session;
  supervisor = (await signedInUser(t, { orgId: sup.id, roles: ['supervisor_staff'] })).session;
  provAStaff = (await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] })).session;
  provBStaff = (await signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] })).session;
  unitA = (await signedInUser(t, { orgId: a.id, roles: ['unit_staff'] })).session;
  unitB = (await signedInUser(t, { orgId: b.id, roles: ['unit_staff'] })).session;
  const reg = await inject(unitA, 'POST', '/api/information-systems', {
    nodeId: nodeA, name: '甲单位政务门户', systemType: '公众服务', gradingLevel: '三级', operatingHours: '7*24小时', networkNature: '政务外网', contactName: '张三', contactMobile: '13812348000', contactEmail: 'abc@x.cn',
    serviceAudience: '公众', serviceScope: '全市', interconnection: '无', functionDescription: '办事', preApprovalStatus: '已审批', accessUrl: 'https://x.gov.cn', appVendor: '某公司',
  });
  expect(reg.statusCode, reg.body).toBe(201);
  systemA = reg.json();
  // Provider A's approved price list at the catalog's caps: 1001 vCPU 14.02, 1002 memory 41.15 元/月.
  const sys = systemContext();
  const version = await t.container.catalog.getCurrent(sys);
  const basic = version.items.filter((i) => i.kind === 'basic' && i.maxUnitPrice !== null);
  const list = await t.container.catalog.createPriceList(sys, { providerId: provA.id, catalogVersionId: version.id, effectiveFrom: '2026-01-01', note: 'test', items: basic.map((i) => ({ itemCode: i.code, unitPrice: i.maxUnitPrice! })) });
  await t.container.catalog.submitPriceList(sys, list.id);
  await t.container.catalog.decidePriceList(sys, list.id, 'approved', null);
  let batch = Math.floor(Math.random() * 1e9);
  const host = async (key: string, cpu: number, mem: number) => {
    const id = unique(`ev-${key}-`);
    hosts[key] = (
      await owner.query(
        `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, system_no, system_id, unit_org_id, system_node_id, name, attributes, quantities,
                                          status, first_seen_at, last_seen_at, changed_at, last_batch_id)
         values ('cloud_host', $1, $2, $3, $4, $5, $6, $2, $3, $7, $8, 'active', now(), now(), now(), $9) returning id`,
        [provA.id, nodeA, id, systemA.systemNo, systemA.id, unitAId, JSON.stringify({ systemId: systemA.systemNo, cloudHostId: id }), JSON.stringify({ cpuCores: String(cpu), memoryGb: String(mem), standardStorageGb: '100' }), batch++],
      )
    ).rows[0].id as string;
  };
  await host('h1', 4, 16);
  await host('h2', 2, 4);
  await host('h3', 8, 32);
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await t?.close();
});

describe('efficiency formula and months', () => {
  it('refuses weights that do not add up to 100 with a clear message; only the management unit changes the formula', async () => {
    const bad = await inject(mgmt, 'POST', '/api/evaluation/formulas', { weights: { cpu: 40, memory: 40, idle: 15, oversized: 15 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'evaluation.weights_sum' });
    expect(bad.json().message).toContain('110');
    expect((await inject(unitA, 'POST', '/api/evaluation/formulas', { weights: { cpu: 25, memory: 25, idle: 25, oversized: 25 } })).statusCode).toBe(403);
    expect((await inject(supervisor, 'POST', '/api/evaluation/formulas', { weights: { cpu: 25, memory: 25, idle: 25, oversized: 25 } })).statusCode).toBe(403);
  });

  it('without a utilisation source the month shows "no data source yet", never a zero score', async () => {
    const r = await inject(mgmt, 'POST', '/api/evaluation/efficiency/compute', { month: M1 });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ month: M1, formulaVersion: 1, utilisationSource: false });
    const list = await inject(unitA, 'GET', `/api/evaluation/efficiency?month=${M1}`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().formula).toMatchObject({ version: 1, weights: { cpu: 35, memory: 35, idle: 15, oversized: 15 } });
    expect(list.json().formula.text).toContain('效率得分');
    const row = list.json().items.find((i: { unit: { id: string } }) => i.unit.id === unitAId);
    expect(row).toMatchObject({ hosts: 3, vcpu: '14', memoryGb: '52', storageGb: '300', score: null, cpuP95: null, missing: 'no_data_source' });
    // No egress source either; traffic and visits have no interface table at all: 暂无数据来源, never 0.
    expect(row).toMatchObject({ network: { upPeakMbps: null, linkUsagePeak: null, missing: 'no_data_source' }, traffic: { value: null, missing: 'no_data_source' }, visits: { value: null, missing: 'no_data_source' } });
    expect((await inject(unitA, 'GET', `/api/evaluation/advice?month=${M1}`)).json().items).toEqual([]);
  });

  it('with the source: scores on the hand-computed case; a new formula applies to new months, past months keep theirs', async () => {
    t.container.evaluation.setFigureSources({ monitoring });
    const v2 = await inject(mgmt, 'POST', '/api/evaluation/formulas', { weights: { cpu: 40, memory: 30, idle: 15, oversized: 15 }, note: '侧重 CPU' });
    expect(v2.statusCode, v2.body).toBe(201);
    expect(v2.json()).toMatchObject({ version: 2 });
    expect((await inject(mgmt, 'POST', '/api/evaluation/efficiency/compute', { month: M2 })).json()).toMatchObject({ formulaVersion: 2, utilisationSource: true, advice: 2 });
    // M1 was first computed with version 1: recomputing keeps it.
    expect((await inject(mgmt, 'POST', '/api/evaluation/efficiency/compute', { month: M1 })).json()).toMatchObject({ formulaVersion: 1 });
    const unitRow = async (month: string) => (await inject(unitA, 'GET', `/api/evaluation/efficiency?month=${month}`)).json().items.find((i: { unit: { id: string } }) => i.unit.id === unitAId);
    // components: CPU 75, memory 92.527…, idle 66.67, oversized 66.67 (see the rules test)
    // v1: .35×75 + .35×92.527 + .15×66.667 + .15×66.667 = 78.63; v2: .40×75 + .30×92.527 + .15×66.667×2 = 77.76
    expect(await unitRow(M1)).toMatchObject({ score: '78.63', formulaVersion: 1, cpuP95: '45.00', idleHosts: 1, oversizedHosts: 1, missing: null, potentialSaving: '371.26' });
    expect(await unitRow(M2)).toMatchObject({ score: '77.76', formulaVersion: 2 });
    const systems = (await inject(mgmt, 'GET', `/api/evaluation/efficiency?month=${M2}&level=system`)).json().items;
    expect(systems.find((s: { system: { id: string } | null }) => s.system?.id === systemA.id)).toMatchObject({ hosts: 3, score: '77.76', provider: { id: provA.id } });
    const months = (await inject(unitA, 'GET', '/api/evaluation/efficiency/months')).json().items;
    expect(months.filter((m: { month: string }) => m.month === M1 || m.month === M2).map((m: { formulaVersion: number }) => m.formulaVersion)).toEqual([2, 1]);
  });

  it('egress bandwidth and link usage per system from the egress source; a unit sums its systems’ peaks; no series → no data, not 0', async () => {
    const M0 = '2026-07';
    const seen: Array<{ from: string; to: string }> = [];
    const otherSystem = '00000000-0000-4000-8000-000000000001';
    t.container.evaluation.setFigureSources({
      monitoring: {
        hostUtilisation: monitoring.hostUtilisation,
        async systemEgress(_ctx, q) {
          seen.push({ from: q.from.toISOString(), to: q.to.toISOString() });
          return [
            { systemId: systemA.id, unitOrgId: unitAId, upPeakMbps: 85.456, downPeakMbps: 120, linkUsagePeak: 60.004, daysWithData: 31 },
            { systemId: otherSystem, unitOrgId: null, upPeakMbps: 999, downPeakMbps: 999, linkUsagePeak: 99, daysWithData: 31 },
          ];
        },
      },
    });
    try {
      expect((await inject(mgmt, 'POST', '/api/evaluation/efficiency/compute', { month: M0 })).statusCode).toBe(200);
      // The window is the Beijing calendar month.
      expect(seen).toEqual([{ from: '2026-06-30T16:00:00.000Z', to: '2026-07-31T16:00:00.000Z' }]);
      const sysRow = (await inject(unitA, 'GET', `/api/evaluation/efficiency?month=${M0}&level=system`)).json().items.find((s: { system: { id: string } | null }) => s.system?.id === systemA.id);
      expect(sysRow.network).toEqual({ upPeakMbps: '85.46', downPeakMbps: '120.00', linkUsagePeak: '60.00', daysWithData: 31, missing: null });
      expect(sysRow.traffic).toEqual({ value: null, missing: 'no_data_source' });
      const unitRow = (await inject(unitA, 'GET', `/api/evaluation/efficiency?month=${M0}`)).json().items.find((i: { unit: { id: string } }) => i.unit.id === unitAId);
      // Unit A has one system: its sums are that system's peaks (the other system's 999 is not counted).
      expect(unitRow.network).toEqual({ upPeakMbps: '85.46', downPeakMbps: '120.00', linkUsagePeak: '60.00', daysWithData: 31, missing: null });
      const xlsx = await inject(mgmt, 'GET', `/api/evaluation/efficiency/export?month=${M0}&level=system`);
      expect(xlsx.statusCode, xlsx.body).toBe(200);

      // Wired, but the system has no egress series this month: 本月无数据 (no_data), never 0.
      t.container.evaluation.setFigureSources({ monitoring: { hostUtilisation: monitoring.hostUtilisation, systemEgress: async () => [] } });
      await inject(mgmt, 'POST', '/api/evaluation/efficiency/compute', { month: M0 });
      const again = (await inject(unitA, 'GET', `/api/evaluation/efficiency?month=${M0}&level=system`)).json().items.find((s: { system: { id: string } | null }) => s.system?.id === systemA.id);
      expect(again.network).toEqual({ upPeakMbps: null, downPeakMbps: null, linkUsagePeak: null, daysWithData: 0, missing: 'no_data' });
    } finally {
      t.container.evaluation.setFigureSources({ monitoring });
    }
  });

  it('unit B cannot read unit A’s efficiency; the three administrators see nothing', async () => {
    const b = (await inject(unitB, 'GET', `/api/evaluation/efficiency?month=${M2}`)).json().items;
    expect(b.find((i: { unit: { id: string } }) => i.unit.id === unitAId)).toBeUndefined();
    expect((await inject(unitB, 'GET', `/api/evaluation/efficiency?month=${M2}&unitId=${unitAId}`)).json().items).toEqual([]);
    expect((await inject(sysAdmin, 'GET', `/api/evaluation/efficiency?month=${M2}`)).statusCode).toBe(403);
    const x = await inject(mgmt, 'GET', `/api/evaluation/efficiency/export?month=${M2}`);
    expect(x.statusCode).toBe(200);
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});

describe('rightsizing advice', () => {
  it('advises per host in catalog items and 元 at the provider’s prices, with the evidence window', async () => {
    const items = (await inject(unitA, 'GET', `/api/evaluation/advice?month=${M2}`)).json().items;
    expect(items).toHaveLength(2);
    const h1 = items.find((a: { resourceId: string }) => a.resourceId === hosts.h1);
    expect(h1).toMatchObject({
      kind: 'oversized', currentVcpu: '4', proposedVcpu: '2', currentMemoryGb: '16', proposedMemoryGb: '8', vcpuPrice: '14.02', memoryPrice: '41.15', saving: '357.24',
      explanation: '4 vCPU → 2 vCPU，16 GB → 8 GB，每月节省 2 × 14.02 + 8 × 41.15 = 357.24 元', status: 'open', abilities: { accept: true, dismiss: true },
      evidence: { from: `${M2}-01`, to: `${M2}-30`, cpuP95: 24, memP95: 30, hoursWithData: 720, hoursInWindow: 720 },
      unit: { id: unitAId }, provider: { id: provA.id }, system: { id: systemA.id },
    });
    const h2 = items.find((a: { resourceId: string }) => a.resourceId === hosts.h2);
    expect(h2).toMatchObject({ kind: 'idle', proposedVcpu: '1', proposedMemoryGb: '4', saving: '14.02', explanation: '2 vCPU → 1 vCPU，每月节省 1 × 14.02 = 14.02 元' });
    // Management sees them without the unit's abilities.
    const m = (await inject(mgmt, 'GET', `/api/evaluation/advice/${h1.id}`)).json();
    expect(m.abilities).toEqual({ accept: false, dismiss: false });
  });

  it('unit B cannot read or decide unit A’s advice (404)', async () => {
    const id = (await inject(unitA, 'GET', `/api/evaluation/advice?month=${M2}`)).json().items[0].id;
    expect((await inject(unitB, 'GET', `/api/evaluation/advice?month=${M2}`)).json().items).toEqual([]);
    expect((await inject(unitB, 'GET', `/api/evaluation/advice/${id}`)).statusCode).toBe(404);
    expect((await inject(unitB, 'POST', `/api/evaluation/advice/${id}/accept`)).statusCode).toBe(404);
    expect((await inject(unitB, 'POST', `/api/evaluation/advice/${id}/dismiss`, { reason: 'x' })).statusCode).toBe(404);
    expect((await inject(provAStaff, 'POST', `/api/evaluation/advice/${id}/accept`)).statusCode).toBe(403);
  });

  it('accepting makes a prefilled 变更 (shrink) application; the advice is then decided', async () => {
    const h1 = (await inject(unitA, 'GET', `/api/evaluation/advice?month=${M2}`)).json().items.find((a: { resourceId: string }) => a.resourceId === hosts.h1);
    const r = await inject(unitA, 'POST', `/api/evaluation/advice/${h1.id}/accept`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().advice).toMatchObject({ status: 'accepted', applicationId: r.json().applicationId, abilities: { accept: false, dismiss: false } });
    const app = await inject(unitA, 'GET', `/api/applications/${r.json().applicationId}`);
    expect(app.statusCode, app.body).toBe(200);
    expect(app.json()).toMatchObject({ kind: 'change', changeType: 'shrink', status: 'draft', systemId: systemA.id });
    const lines = app.json().lines.map((l: { itemCode: string; quantity: string; delta: string }) => ({ itemCode: l.itemCode, quantity: l.quantity, delta: l.delta }));
    expect(lines).toEqual([{ itemCode: '1001', quantity: '2', delta: '-2' }, { itemCode: '1002', quantity: '8', delta: '-8' }]);
    expect(app.json().reason).toContain('357.24');
    const again = await inject(unitA, 'POST', `/api/evaluation/advice/${h1.id}/accept`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('evaluation.advice_decided');
    // Recomputing the month keeps the decision.
    await inject(mgmt, 'POST', '/api/evaluation/efficiency/compute', { month: M2 });
    expect((await inject(unitA, 'GET', `/api/evaluation/advice/${h1.id}`)).json()).toMatchObject({ status: 'accepted', applicationId: r.json().applicationId });
  });

  it('dismissing needs a reason', async () => {
    const h2 = (await inject(unitA, 'GET', `/api/evaluation/advice?month=${M2}`)).json().items.find((a: { resourceId: string }) => a.resourceId === hosts.h2);
    expect((await inject(unitA, 'POST', `/api/evaluation/advice/${h2.id}/dismiss`, { reason: '' })).statusCode).toBe(400);
    const d = await inject(unitA, 'POST', `/api/evaluation/advice/${h2.id}/dismiss`, { reason: '年底业务高峰需保留' });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({ status: 'dismissed', reason: '年底业务高峰需保留' });
    expect((await inject(unitA, 'GET', `/api/evaluation/advice?month=${M2}&status=open`)).json().items).toEqual([]);
  });

  it('two accepts of one advice at once make one draft application; the other is told it was decided', async () => {
    const M3 = '2026-10';
    t.container.evaluation.setFigureSources({ monitoring });
    expect((await inject(mgmt, 'POST', '/api/evaluation/efficiency/compute', { month: M3 })).statusCode).toBe(200);
    const h1 = (await inject(unitA, 'GET', `/api/evaluation/advice?month=${M3}`)).json().items.find((a: { resourceId: string }) => a.resourceId === hosts.h1);
    const title = `资源优化：${h1.resourceName} 缩容（${M3} 效率评估建议）`;
    const drafts = async () => Number((await owner.query('select count(*) as n from applications where system_id = $1 and title = $2', [systemA.id, title])).rows[0].n);
    expect(await drafts()).toBe(0);
    const answers = await Promise.all([0, 1, 2].map(() => inject(unitA, 'POST', `/api/evaluation/advice/${h1.id}/accept`)));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const ok = answers.find((r) => r.statusCode === 200)!.json();
    for (const r of answers.filter((x) => x.statusCode === 409)) expect(r.json()).toMatchObject({ code: 'evaluation.advice_decided', details: { status: 'accepted', applicationId: ok.applicationId } });
    expect(await drafts()).toBe(1);
  });
});

describe('provider evaluation', () => {
  let setId: string;
  let runId: string;

  it('has both seeded dimension sets, versioned; a set whose weights do not add up is refused', async () => {
    const sets = (await inject(supervisor, 'GET', '/api/evaluation/indicator-sets')).json().items;
    const s004 = sets.find((s: { code: string; version: number }) => s.code === 'seed004' && s.version === 1);
    const s003 = sets.find((s: { code: string; version: number }) => s.code === 'seed003' && s.version === 1);
    expect(s004.dimensions.map((d: { name: string }) => d.name)).toEqual(['技术更新度', '平台安全度', '运维规范度', '业务专业度', '客户满意度']);
    expect(s003.dimensions.map((d: { name: string }) => d.name)).toEqual(['基础服务能力', '安全保障能力', '运维管理能力', '数据支撑能力', '用户服务能力']);
    setId = s004.id;
    const broken = structuredClone(s003.dimensions);
    broken[0].indicators[0].weight = 30;
    const bad = await inject(mgmt, 'POST', '/api/evaluation/indicator-sets', { code: 'seed003', name: '改', dimensions: broken });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('evaluation.weights_sum');
    broken[0].indicators[0].weight = 10;
    broken[0].indicators[1].weight = 15;
    const ok = await inject(mgmt, 'POST', '/api/evaluation/indicator-sets', { code: 'seed003', name: '运行期综合评估（修订）', dimensions: broken });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ code: 'seed003', version: 2, latest: true });
  });

  it('manual scores: supervision staff with evidence; out of range is refused clearly', async () => {
    const out = await inject(supervisor, 'PUT', '/api/evaluation/manual-scores', { setId, month: M2, providerId: provA.id, indicatorCode: 'tech_intensive', score: 120, evidence: '检查' });
    expect(out.statusCode).toBe(400);
    expect(out.json()).toMatchObject({ code: 'evaluation.score_out_of_range' });
    const computed = await inject(supervisor, 'PUT', '/api/evaluation/manual-scores', { setId, month: M2, providerId: provA.id, indicatorCode: 'ops_quality', score: 90, evidence: '检查' });
    expect(computed.json().code).toBe('evaluation.not_manual');
    expect((await inject(provAStaff, 'PUT', '/api/evaluation/manual-scores', { setId, month: M2, providerId: provA.id, indicatorCode: 'tech_intensive', score: 90, evidence: '自评' })).statusCode).toBe(403);
    for (const [code, score] of [['tech_intensive', 90], ['sec_protection', 80], ['sec_password', 70], ['ops_info', 100], ['pro_risk', 60], ['sat_complaints', 100]] as const) {
      const r = await inject(supervisor, 'PUT', '/api/evaluation/manual-scores', { setId, month: M2, providerId: provA.id, indicatorCode: code, score, evidence: `2026-09 现场检查记录 ${code}` });
      expect(r.statusCode, r.body).toBe(200);
    }
  });

  it('runs the month: missing sources are "no data source yet", manual scores count, the total rescales to the covered weight', async () => {
    const r = await inject(supervisor, 'POST', '/api/evaluation/runs', { setId, month: M2 });
    expect(r.statusCode, r.body).toBe(200);
    runId = r.json().id;
    expect(r.json()).toMatchObject({ status: 'draft', revision: 1, abilities: { review: false, publish: false } });
    const a = r.json().scores.find((s: { provider: { id: string } }) => s.provider.id === provA.id);
    const by = (code: string) => a.indicators.find((i: { code: string }) => i.code === code);
    expect(by('tech_sla')).toMatchObject({ status: 'no_data_source', score: null, evidence: '暂无数据来源（可用性/SLA）' });
    expect(by('pro_drills')).toMatchObject({ status: 'no_data_source', score: null });
    expect(by('tech_intensive')).toMatchObject({ status: 'ok', score: '90.00', evidence: '2026-09 现场检查记录 tech_intensive' });
    // Only the manual indicators have data for provider A this month (no tickets, findings or pushed data):
    // 5×90 + 5×80 + 5×70 + 5×100 + 5×60 + 5×100 = 2500 → 25 points over 30 covered → 83.33, 良好.
    expect(by('ops_quality').status).toBe('no_data');
    expect(a).toMatchObject({ total: '83.33', coverage: '30', grade: null });
    const b = r.json().scores.find((s: { provider: { id: string } }) => s.provider.id === provB.id);
    expect(b).toMatchObject({ total: null, rank: null });
  });

  it('providers see nothing before publication; review by management, then publication', async () => {
    expect((await inject(provAStaff, 'GET', `/api/evaluation/runs/${runId}`)).statusCode).toBe(404);
    expect((await inject(provAStaff, 'GET', `/api/evaluation/runs?month=${M2}`)).json().items).toEqual([]);
    expect((await inject(supervisor, 'POST', `/api/evaluation/runs/${runId}/review`, {})).statusCode).toBe(403);
    const early = await inject(mgmt, 'POST', `/api/evaluation/runs/${runId}/publish`);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('evaluation.not_reviewed');
    expect((await inject(mgmt, 'POST', `/api/evaluation/runs/${runId}/review`, { comment: '同意' })).json()).toMatchObject({ status: 'reviewed', reviewComment: '同意' });
    expect((await inject(mgmt, 'POST', `/api/evaluation/runs/${runId}/publish`)).json()).toMatchObject({ status: 'published' });
    const seenA = await inject(provAStaff, 'GET', `/api/evaluation/runs/${runId}`);
    expect(seenA.statusCode).toBe(200);
    expect(seenA.json().scores.map((s: { provider: { id: string } }) => s.provider.id)).toEqual([provA.id]);
    expect(seenA.json().scores[0].indicators.find((i: { code: string }) => i.code === 'tech_intensive').evidence).toBe('2026-09 现场检查记录 tech_intensive');
    const seenB = await inject(provBStaff, 'GET', `/api/evaluation/runs/${runId}`);
    expect(seenB.json().scores.map((s: { provider: { id: string } }) => s.provider.id)).toEqual([provB.id]);
    expect((await inject(unitA, 'GET', `/api/evaluation/runs/${runId}`)).json().scores).toEqual([]);
  });

  it('re-running a published month makes a new revision; the published one is kept unchanged until the new one is published', async () => {
    await inject(supervisor, 'PUT', '/api/evaluation/manual-scores', { setId, month: M2, providerId: provA.id, indicatorCode: 'pro_risk', score: 100, evidence: '复查：已补充风险排查记录' });
    const r2 = await inject(supervisor, 'POST', '/api/evaluation/runs', { setId, month: M2 });
    expect(r2.json()).toMatchObject({ revision: 2, status: 'draft' });
    expect(r2.json().id).not.toBe(runId);
    const first = (await inject(provAStaff, 'GET', `/api/evaluation/runs/${runId}`)).json();
    expect(first).toMatchObject({ status: 'published', revision: 1 });
    expect(first.scores[0].total).toBe('83.33');
    expect(r2.json().scores.find((s: { provider: { id: string } }) => s.provider.id === provA.id).total).toBe('90.00');
    await inject(mgmt, 'POST', `/api/evaluation/runs/${r2.json().id}/review`, {});
    await inject(mgmt, 'POST', `/api/evaluation/runs/${r2.json().id}/publish`);
    expect((await inject(mgmt, 'GET', `/api/evaluation/runs/${runId}`)).json()).toMatchObject({ status: 'superseded' });
    expect((await inject(mgmt, 'GET', `/api/evaluation/runs/${runId}`)).json().scores.find((s: { provider: { id: string } }) => s.provider.id === provA.id).total).toBe('83.33');
    expect((await inject(provAStaff, 'GET', `/api/evaluation/runs/${runId}`)).statusCode).toBe(404);
    const x = await inject(mgmt, 'GET', `/api/evaluation/runs/${r2.json().id}/export`);
    expect(x.statusCode).toBe(200);
  });
});

describe('overview and the monthly report', () => {
  it('overview per role: management everything, a unit its own, the administrators nothing', async () => {
    const m = (await inject(mgmt, 'GET', `/api/evaluation/overview?month=${M2}`)).json();
    expect(m.efficiency.units).toBeGreaterThanOrEqual(1);
    expect(m.ranking.run).toMatchObject({ status: 'published', revision: 2 });
    const u = await inject(unitA, 'GET', `/api/evaluation/overview?month=${M2}`);
    expect(u.statusCode, u.body).toBe(200);
    expect(u.json().efficiency).toMatchObject({ units: 1, hosts: 3, averageScore: '77.76' });
    expect(u.json().advice).toMatchObject({ accepted: 1, dismissed: 1, open: 0 });
    expect(u.json().ranking.items).toEqual([]);
    const b = (await inject(unitB, 'GET', `/api/evaluation/overview?month=${M2}`)).json();
    expect(b.efficiency).toMatchObject({ units: 0, hosts: 0 });
    const p = (await inject(provAStaff, 'GET', `/api/evaluation/overview?month=${M2}`)).json();
    expect(p.ranking.items.map((i: { provider: { id: string } }) => i.provider.id)).toEqual([provA.id]);
    expect((await inject(sysAdmin, 'GET', `/api/evaluation/overview?month=${M2}`)).statusCode).toBe(403);
  });

  it('management reads the snapshot (with computed-at times), equal to the live figures; a unit’s overview is live', async () => {
    const m = (await inject(mgmt, 'GET', `/api/evaluation/overview?month=${M2}`)).json();
    expect(Object.keys(m.snapshot).sort()).toEqual(['advice', 'efficiency', 'findings', 'ranking', 'tickets']);
    for (const v of Object.values(m.snapshot)) expect(new Date(v as string).getTime()).toBeGreaterThan(Date.now() - 600_000);
    const live = await t.container.evaluation.overview(systemContext(), { month: M2 }, { live: true });
    expect(live.snapshot).toBeNull();
    expect({ efficiency: m.efficiency, advice: m.advice, ranking: m.ranking }).toEqual(JSON.parse(JSON.stringify({ efficiency: live.efficiency, advice: live.advice, ranking: live.ranking })));
    expect((await inject(unitA, 'GET', `/api/evaluation/overview?month=${M2}`)).json().snapshot).toBeNull();
    // The management page reads the stored part: a part changed behind evaluation's back shows until the next refresh.
    await owner.query(`update eval_overview_snapshots set data = jsonb_set(data, '{total}', '-1') where month = $1 and part = 'tickets'`, [`${M2}-01`]);
    expect((await inject(mgmt, 'GET', `/api/evaluation/overview?month=${M2}`)).json().tickets.total).toBe(-1);
    expect((await inject(unitA, 'GET', `/api/evaluation/overview?month=${M2}`)).json().tickets.total).toBeGreaterThanOrEqual(0);
    await t.container.evaluation.refreshOverviewSnapshot(M2, ['tickets']);
    expect((await inject(mgmt, 'GET', `/api/evaluation/overview?month=${M2}`)).json().tickets.total).toBeGreaterThanOrEqual(0);
    // A missing part is computed live on read and stored.
    await owner.query(`delete from eval_overview_snapshots where month = $1 and part = 'ranking'`, [`${M2}-01`]);
    expect((await inject(mgmt, 'GET', `/api/evaluation/overview?month=${M2}`)).json().ranking.run).toMatchObject({ status: 'published', revision: 2 });
    expect((await owner.query(`select count(*)::int n from eval_overview_snapshots where month = $1 and part = 'ranking'`, [`${M2}-01`])).rows[0].n).toBe(1);
  });

  it('an advice decision refreshes the snapshot’s advice part at once', async () => {
    const before = (await inject(mgmt, 'GET', `/api/evaluation/overview?month=${M1}`)).json();
    expect(before.advice).toMatchObject({ open: 2, dismissed: 0 });
    const one = (await inject(unitA, 'GET', `/api/evaluation/advice?month=${M1}`)).json().items[0];
    expect((await inject(unitA, 'POST', `/api/evaluation/advice/${one.id}/dismiss`, { reason: '保留' })).statusCode).toBe(200);
    const after = (await inject(mgmt, 'GET', `/api/evaluation/overview?month=${M1}`)).json();
    expect(after.advice).toMatchObject({ open: 1, dismissed: 1 });
    expect(after.snapshot.advice > before.snapshot.advice).toBe(true);
    expect(after.snapshot.efficiency).toBe(before.snapshot.efficiency);
  });

  it('the 月报 as .docx and as signed PDF; due on the 5th working day of the next month', async () => {
    const due = (await inject(mgmt, 'GET', `/api/evaluation/reports/due?month=${M2}`)).json();
    // October 2026: 1–7 are the National Day holiday, 10 October (Saturday) a make-up working day → 9, 10, 12, 13, 14.
    expect(due.dueDate).toMatch(/^2026-10-\d\d$/);
    expect(due.dueDate > '2026-10-07').toBe(true);
    const docx = await inject(mgmt, 'GET', `/api/evaluation/reports/monthly?month=${M2}&format=docx`);
    expect(docx.statusCode, docx.body.slice(0, 300)).toBe(200);
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect(docx.rawPayload.includes(Buffer.from('word/media/'))).toBe(true);
    const pdf = await inject(mgmt, 'GET', `/api/evaluation/reports/monthly?month=${M2}&format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await t.container.documents.verify(pdf.rawPayload)).toMatchObject({ valid: true });
    const { text } = await extractText(new Uint8Array(pdf.rawPayload), { mergePages: true });
    const flat = text.replace(/\s+/g, '');
    for (const s of [`政务云综合监管月报（${M2}）`, '二、单位云效率', '效率得分', '2×14.02+8×41.15=357.24', '本月尚无账单', '四、云服务商月度评估', '五、安全监测', `报送期限：${due.dueDate}`]) expect(flat).toContain(s.replace(/\s+/g, ''));
    // Totals cover every unit of the (shared) test database: their form, not a number.
    expect(flat).toMatch(/云主机\d+台，vCPU\d+核，内存\d+GB/);
    // The chart is an embedded image in both files.
    expect(pdf.rawPayload.includes(Buffer.from('/Subtype /Image'))).toBe(true);
    expect((await inject(unitA, 'GET', `/api/evaluation/reports/monthly?month=${M2}&format=pdf`)).statusCode).toBe(403);
  });
});
