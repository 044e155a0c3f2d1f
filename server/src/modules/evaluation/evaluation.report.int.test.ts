import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';
import type { FigureSources } from './index.js';
import { zipEntry } from './test/zip.js';

/**
 * The 月报's sections that other modules own (operations: 巡检 / 应急演练; availability: SLA; security posture; the
 * service desk), with their sources wired and unwired. Wired here: in-process peers of exactly the shapes the
 * modules publish (operations.inspectionCounts / drillCounts, availability.slaCompliance) over this file's provider,
 * so the figures are known; security and the service desk are the real services (constructor dependencies).
 */
let t: TestApp;
let prov: TestOrg;
let mgmt: Session;
let unit: Session;
let supervisor: Session;
let provStaff: Session;
let otherProvStaff: Session;
let other: TestOrg;
const M = '2026-05';

const operations: NonNullable<FigureSources['operations']> = {
  async inspectionCounts(_ctx, q) {
    expect(q.to.getTime()).toBeGreaterThan(q.from.getTime());
    return [{ providerOrgId: prov.id, expected: 62, done: 60, missed: 2, abnormal: 3 }];
  },
  async drillCounts() {
    return [{ providerOrgId: prov.id, held: 1, required: 2 }];
  },
};
const availability: NonNullable<FigureSources['availability']> = {
  async slaCompliance() {
    const row = (met: boolean | null, availabilityPercent: number | null) => ({
      providerOrgId: prov.id, systemId: null, unitOrgId: null, targetPercent: '99.9', availabilityPercent, measuredSeconds: 2_678_400, downSeconds: 0, unknownSeconds: 0, maintenanceSeconds: 0, longestOutageSeconds: 0, met,
    });
    return [row(true, 99.95), row(true, 100), row(false, 99.5), row(null, null)];
  },
};

const pdfText = async (s: Session) => {
  const pdf = await t.app.inject({ method: 'GET', url: `/api/evaluation/reports/monthly?month=${M}&format=pdf`, headers: s.headers });
  expect(pdf.statusCode, pdf.body.slice(0, 300)).toBe(200);
  expect(await t.container.documents.verify(pdf.rawPayload)).toMatchObject({ valid: true });
  return (await extractText(new Uint8Array(pdf.rawPayload), { mergePages: true })).text.replace(/\s+/g, '');
};
const docxXml = async (s: Session) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/evaluation/reports/monthly?month=${M}&format=docx`, headers: s.headers });
  expect(res.statusCode).toBe(200);
  return zipEntry(res.rawPayload, 'word/document.xml').replace(/<[^>]+>/g, '');
};

const figures = async (s: Session) => t.app.inject({ method: 'GET', url: `/api/evaluation/reports/monthly/figures?month=${M}`, headers: s.headers });

beforeAll(async () => {
  t = await createTestApp();
  prov = await createOrg(t, { kind: 'cloud_provider', name: unique('月报服务商') });
  const m = await createOrg(t, { kind: 'management_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  other = await createOrg(t, { kind: 'cloud_provider', name: unique('季评服务商乙') });
  supervisor = (await signedInUser(t, { orgId: (await createOrg(t, { kind: 'supervision_provider' })).id, roles: ['supervisor_staff'] })).session;
  provStaff = (await signedInUser(t, { orgId: prov.id, roles: ['provider_staff'] })).session;
  otherProvStaff = (await signedInUser(t, { orgId: other.id, roles: ['provider_staff'] })).session;
  unit = (await signedInUser(t, { orgId: (await createOrg(t, { kind: 'user_unit' })).id, roles: ['unit_staff'] })).session;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('月报 sections from other modules', () => {
  it('unwired operations and availability: the sections say 暂无数据来源, never 0, on the page, in the .docx and the signed PDF', async () => {
    t.container.evaluation.setFigureSources({ operations: undefined, availability: undefined });
    const res = await figures(mgmt);
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json();
    expect(f.inspections).toEqual({ wired: false, rows: [] });
    expect(f.drills).toEqual({ wired: false, rows: [] });
    expect(f.sla).toMatchObject({ wired: false, rate: null, rows: [] });
    // Security and the service desk are constructor dependencies: always wired.
    expect(f.posture.wired).toBe(true);
    expect(f.serviceDesk.wired).toBe(true);
    const text = await pdfText(mgmt);
    for (const s of ['六、日常运维管理', '巡检：暂无数据来源（运维管理未接入）', '应急演练：暂无数据来源', '七、SLA达标情况', 'SLA达标率：暂无数据来源（可用性监测未接入）', '八、服务台统计', '安全态势：本月攻击']) expect(text).toContain(s);
    expect(text).not.toContain('应巡检0次');
    const xml = await docxXml(mgmt);
    expect(xml).toContain('巡检：暂无数据来源（运维管理未接入）。');
    expect(xml).toContain('SLA 达标率：暂无数据来源（可用性监测未接入）。');
  });

  it('wired: inspections, drills and SLA attainment per provider with the figures of the sources', async () => {
    t.container.evaluation.setFigureSources({ operations, availability });
    const f = (await figures(mgmt)).json();
    expect(f.inspections.wired).toBe(true);
    expect(f.inspections.rows).toEqual([{ provider: { id: prov.id, name: prov.name }, expected: 62, done: 60, missed: 2, abnormal: 3, doneRate: '96.77' }]);
    expect(f.drills.rows).toEqual([{ provider: { id: prov.id, name: prov.name }, held: 1, required: 2 }]);
    // 4 systems, one not judged (no measurement): 2 of 3 met = 66.67 %; the lowest availability 99.500.
    expect(f.sla).toMatchObject({ wired: true, judged: 3, met: 2, rate: '66.67' });
    expect(f.sla.rows).toEqual([{ provider: { id: prov.id, name: prov.name }, systems: 4, judged: 3, met: 2, rate: '66.67', minAvailability: '99.500' }]);
    const text = await pdfText(mgmt);
    for (const s of ['巡检：应巡检62次，完成60次，漏检2次，发现异常3次', '应急演练：应开展2次，已开展1次', '达标2个，达标率66.67%', '96.77%', '1/2', '99.500%']) expect(text).toContain(s);
    expect(text).not.toContain('巡检：暂无数据来源');
    const xml = await docxXml(mgmt);
    expect(xml).toContain('本月纳入 SLA 考核的信息系统 3 个，达标 2 个，达标率 66.67%。');
    expect(xml).toContain(prov.name);
  });

  it('only the management unit reads the figures and the report', async () => {
    expect((await figures(unit)).statusCode).toBe(403);
  });
});

describe('季评 (quarterly evaluation)', () => {
  const inj = (sess: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => t.app.inject({ method, url, headers: sess.headers, ...(payload ? { payload } : {}) });
  it('quarter = mean of the published months’ totals, unpublished months listed; ranking, grades; .docx and signed PDF; a provider sees its own row', async () => {
    // Manual indicators only (the data-driven sources detached): a month's total is the manual scores' weighted mean.
    t.container.evaluation.setFigureSources({ operations: undefined, availability: undefined, monitoring: undefined });
    const set = (await inj(mgmt, 'GET', '/api/evaluation/indicator-sets')).json().items.find((x: { code: string; latest: boolean }) => x.code === 'seed004' && x.latest);
    const manual: string[] = set.dimensions.flatMap((d: { indicators: Array<{ code: string; source: string }> }) => d.indicators.filter((i) => i.source === 'manual').map((i) => i.code));
    expect(manual.length).toBeGreaterThan(0);
    const month = async (m: string, a: number, b: number) => {
      for (const code of manual) {
        for (const [p, score] of [[prov.id, a], [other.id, b]] as const) expect((await inj(supervisor, 'PUT', '/api/evaluation/manual-scores', { setId: set.id, month: m, providerId: p, indicatorCode: code, score, evidence: '季评测试' })).statusCode).toBe(200);
      }
      const run = (await inj(supervisor, 'POST', '/api/evaluation/runs', { setId: set.id, month: m })).json();
      expect((await inj(mgmt, 'POST', `/api/evaluation/runs/${run.id}/review`, { comment: null })).statusCode).toBe(200);
      expect((await inj(mgmt, 'POST', `/api/evaluation/runs/${run.id}/publish`)).statusCode).toBe(200);
    };
    await month('2026-01', 80, 70);
    await month('2026-02', 91, 60);
    // March is scored and run but not published: it does not count.
    for (const code of manual) await inj(supervisor, 'PUT', '/api/evaluation/manual-scores', { setId: set.id, month: '2026-03', providerId: prov.id, indicatorCode: code, score: 10, evidence: '未发布' });
    await inj(supervisor, 'POST', '/api/evaluation/runs', { setId: set.id, month: '2026-03' });

    const bad = await inj(mgmt, 'GET', '/api/evaluation/quarters?quarter=2026-Q5');
    expect(bad.statusCode).toBe(400);
    const res = await inj(mgmt, 'GET', '/api/evaluation/quarters?quarter=2026-Q1&setCode=seed004');
    expect(res.statusCode, res.body).toBe(200);
    const q = res.json();
    expect(q).toMatchObject({ quarter: '2026-Q1', from: '2026-01-01', to: '2026-03-31', missingMonths: ['2026-03'], set: { code: 'seed004' } });
    const mine = q.items.find((i: { provider: { id: string } }) => i.provider.id === prov.id);
    const theirs = q.items.find((i: { provider: { id: string } }) => i.provider.id === other.id);
    // The manual indicators cover less than 50 of 100 weight points: no month is graded, so neither is the quarter.
    expect(mine.months).toEqual([{ month: '2026-01', total: '80.00', grade: null }, { month: '2026-02', total: '91.00', grade: null }, { month: '2026-03', total: null, grade: null }]);
    // (80 + 91) / 2 = 85.50; (70 + 60) / 2 = 65.00.
    expect(mine).toMatchObject({ total: '85.50', grade: null });
    expect(theirs).toMatchObject({ total: '65.00', grade: null });
    expect(mine.rank).toBeLessThan(theirs.rank);
    expect(mine.dimensions.length).toBe(set.dimensions.length);

    // A provider: its own row only, with its rank among all; a unit nothing.
    const own = (await inj(provStaff, 'GET', '/api/evaluation/quarters?quarter=2026-Q1&setCode=seed004')).json();
    expect(own.items.map((i: { provider: { id: string } }) => i.provider.id)).toEqual([prov.id]);
    expect(own.items[0]).toMatchObject({ total: '85.50', rank: mine.rank });
    const theirsOwn = (await inj(otherProvStaff, 'GET', '/api/evaluation/quarters?quarter=2026-Q1&setCode=seed004')).json();
    expect(theirsOwn.items.map((i: { provider: { id: string } }) => i.provider.id)).toEqual([other.id]);
    expect((await inj(unit, 'GET', '/api/evaluation/quarters?quarter=2026-Q1&setCode=seed004')).json().items).toEqual([]);

    const pdf = await inj(mgmt, 'GET', '/api/evaluation/reports/quarterly?quarter=2026-Q1&setCode=seed004&format=pdf');
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200);
    expect(await t.container.documents.verify(pdf.rawPayload)).toMatchObject({ valid: true });
    const text = (await extractText(new Uint8Array(pdf.rawPayload), { mergePages: true })).text.replace(/\s+/g, '');
    for (const x of ['云服务商季度评估（季评，2026-Q1）', '二、季度排名', '未发布月份：2026-03', '85.50', '65.00', '三、分维度得分']) expect(text).toContain(x);
    expect(pdf.rawPayload.includes(Buffer.from('/Subtype /Image'))).toBe(true);
    const docx = await inj(mgmt, 'GET', '/api/evaluation/reports/quarterly?quarter=2026-Q1&setCode=seed004&format=docx');
    expect(docx.statusCode).toBe(200);
    const xml = zipEntry(docx.rawPayload, 'word/document.xml').replace(/<[^>]+>/g, '');
    expect(xml).toContain('85.50');
    expect(xml).toContain(prov.name);
    expect((await inj(provStaff, 'GET', '/api/evaluation/reports/quarterly?quarter=2026-Q1&format=pdf')).statusCode).toBe(403);
  }, 180_000); // a quarter of runs and two documents rendered: slow on a loaded machine
});
