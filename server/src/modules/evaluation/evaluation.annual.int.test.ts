import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { createOrg, signedInUser, type Session, type TestOrg } from '../../test/fixtures.js';
import { extractText } from 'unpdf';
import { annualTotal } from './index.js';
import { zipEntry } from './test/zip.js';

let t: TestApp;
let provA: TestOrg;
let provB: TestOrg;
let mgmt: Session;
let supervisor: Session;
let provAStaff: Session;
let provBStaff: Session;
let unitStaff: Session;
let setCode: string;
const YEAR = 2024;
const runIds = new Map<string, string>();

const inject = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
type Detail = { scores: Array<{ provider: { id: string }; total: string | null; grade: string | null; monthsCounted: number; missingMonths: string[] }> };
const rowOf = (d: Detail, id: string) => d.scores.find((s) => s.provider.id === id)!;

beforeAll(async () => {
  t = await createTestApp();
  provA = await createOrg(t, { kind: 'cloud_provider', name: unique('年度服务商甲') });
  provB = await createOrg(t, { kind: 'cloud_provider', name: unique('年度服务商乙') });
  const m = await createOrg(t, { kind: 'management_unit' });
  const sup = await createOrg(t, { kind: 'supervision_provider' });
  const u = await createOrg(t, { kind: 'user_unit' });
  mgmt = (await signedInUser(t, { orgId: m.id, roles: ['mgmt_staff'] })).session;
  supervisor = (await signedInUser(t, { orgId: sup.id, roles: ['supervisor_staff'] })).session;
  provAStaff = (await signedInUser(t, { orgId: provA.id, roles: ['provider_staff'] })).session;
  provBStaff = (await signedInUser(t, { orgId: provB.id, roles: ['provider_staff'] })).session;
  unitStaff = (await signedInUser(t, { orgId: u.id, roles: ['unit_staff'] })).session;
  setCode = unique('ann').toLowerCase().replace(/[^a-z0-9_-]/g, '').slice(0, 40);
  const set = await inject(mgmt, 'POST', '/api/evaluation/indicator-sets', {
    code: setCode, name: '年度测试指标体系',
    dimensions: [{ code: 'd1', name: '客户满意度', indicators: [{ code: 'a1', name: '用户投诉', weight: 100, source: 'manual', rule: { type: 'manual', max: 10 } }] }],
  });
  expect(set.statusCode, set.body).toBe(201);
  const setId = set.json().id;
  // A: Jan 8 → 80, Feb 9 → 90, Mar 5 → 50 (computed, never published), Apr 7.5 → 75. B: Jan 10 → 100 only.
  const months: Array<[string, Array<[string, number]>, boolean]> = [
    ['2024-01', [[provA.id, 8], [provB.id, 10]], true], ['2024-02', [[provA.id, 9]], true], ['2024-03', [[provA.id, 5]], false], ['2024-04', [[provA.id, 7.5]], true],
  ];
  for (const [month, scores, publish] of months) {
    for (const [p, score] of scores) expect((await inject(supervisor, 'PUT', '/api/evaluation/manual-scores', { setId, month, providerId: p, indicatorCode: 'a1', score, evidence: '投诉台账' })).statusCode).toBe(200);
    const run = (await inject(supervisor, 'POST', '/api/evaluation/runs', { setId, month })).json().id;
    runIds.set(month, run);
    if (!publish) continue;
    expect((await inject(mgmt, 'POST', `/api/evaluation/runs/${run}/review`, {})).statusCode).toBe(200);
    expect((await inject(mgmt, 'POST', `/api/evaluation/runs/${run}/publish`)).statusCode).toBe(200);
  }
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('annual provider rating', () => {
  let rating1: string;

  it('the mean of the available months, half-up to 0.01; no month → none', () => {
    expect(annualTotal(['80.00', '90.00', '75.00'])).toBe('81.67');
    expect(annualTotal([null, null])).toBeNull();
  });

  it('hand-computed: A (80 + 90 + 75) ÷ 3 = 81.67 良好 over 3 months, the 9 others listed missing (never 0); B 100.00 优秀 over 1', async () => {
    expect((await inject(provAStaff, 'POST', '/api/evaluation/annual', { year: YEAR, setCode })).statusCode).toBe(403);
    const bad = await inject(supervisor, 'POST', '/api/evaluation/annual', { year: YEAR, setCode: 'no-such-set-x' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().details)).toContain('body.setCode');
    const r = await inject(supervisor, 'POST', '/api/evaluation/annual', { year: YEAR, setCode, gradeScaleVersion: 1 });
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json();
    rating1 = d.id;
    expect(d).toMatchObject({ year: YEAR, revision: 1, status: 'draft', gradeScale: { version: 1 } });
    expect(d.missingMonths).toEqual(['2024-03', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12']);
    expect(rowOf(d, provA.id)).toMatchObject({ total: '81.67', grade: '良好', monthsCounted: 3, rank: 2 });
    expect(rowOf(d, provA.id).missingMonths).toHaveLength(9);
    expect(rowOf(d, provB.id)).toMatchObject({ total: '100.00', grade: '优秀', monthsCounted: 1, rank: 1 });
    expect(rowOf(d, provB.id).missingMonths).toEqual(['2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12']);
    // Not visible to the providers before publication.
    expect((await inject(provAStaff, 'GET', `/api/evaluation/annual/${rating1}`)).statusCode).toBe(404);
    expect((await inject(supervisor, 'POST', `/api/evaluation/annual/${rating1}/publish`)).statusCode).toBe(403);
    expect((await inject(mgmt, 'POST', `/api/evaluation/annual/${rating1}/publish`)).statusCode).toBe(409);
    expect((await inject(mgmt, 'POST', `/api/evaluation/annual/${rating1}/review`, { comment: '同意' })).json().status).toBe('reviewed');
    expect((await inject(mgmt, 'POST', `/api/evaluation/annual/${rating1}/publish`)).json().status).toBe('published');
  });

  it('visibility: a provider sees the published rating with its own row only; a unit nothing', async () => {
    const a = await inject(provAStaff, 'GET', `/api/evaluation/annual/${rating1}`);
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().scores.map((s: { provider: { id: string } }) => s.provider.id)).toEqual([provA.id]);
    expect(a.json().scores[0]).toMatchObject({ total: '81.67', rank: 2 });
    expect((await inject(provBStaff, 'GET', `/api/evaluation/annual/${rating1}`)).json().scores.map((s: { provider: { id: string } }) => s.provider.id)).toEqual([provB.id]);
    expect((await inject(unitStaff, 'GET', `/api/evaluation/annual/${rating1}`)).statusCode).toBe(404);
    expect((await inject(unitStaff, 'GET', `/api/evaluation/annual?setCode=${setCode}`)).json().items).toHaveLength(0);
  });

  it('the annual report: .docx and SM2-signed PDF with monthly scores, dimensions, grades, ranking chart, objections and rectification; a provider its own part, a unit nothing', async () => {
    // A files an objection on January (rejected) and gets one rectification task on it: counted in 异议与整改.
    const jan = runIds.get('2024-01')!;
    const obj = await inject(provAStaff, 'POST', '/api/evaluation/objections', { runId: jan, reason: '投诉统计口径有误' });
    expect(obj.statusCode, obj.body).toBe(201);
    expect((await inject(supervisor, 'POST', `/api/evaluation/objections/${obj.json().id}/reject`, { comment: '口径无误' })).statusCode).toBe(200);
    const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    expect((await inject(mgmt, 'POST', '/api/evaluation/rectifications', { runId: jan, providerId: provA.id, indicatorCode: 'a1', requirement: '减少用户投诉', deadline })).statusCode).toBe(201);

    const url = (f: string) => `/api/evaluation/annual/${rating1}/report?format=${f}`;
    expect((await inject(mgmt, 'GET', url('odt'))).statusCode).toBe(400);
    const docx = await inject(mgmt, 'GET', url('docx'));
    expect(docx.statusCode, docx.body.slice(0, 300)).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const xml = zipEntry(docx.rawPayload, 'word/document.xml').replace(/<[^>]+>/g, '');
    expect(xml).toContain(`云服务商年度评级报告（${YEAR} 年，${setCode}）`);
    // Ranking rows: rank, name, annual total, grade, months counted.
    expect(xml).toContain(`1${provB.name}100.00优秀1`);
    expect(xml).toContain(`2${provA.name}81.67良好3`);
    // Monthly scores Jan…Apr: 80, 90, — (March computed, never published), 75.
    expect(xml).toContain(`${provA.name}80.0090.00—75.00—`);
    // The one dimension: the mean of the months' dimension scores, (80 + 90 + 75) / 3.
    expect(xml.slice(xml.indexOf('四、分维度得分'))).toContain(`客户满意度${provB.name}100.00${provA.name}81.67`);
    // Objections filed 1, accepted 0, rejected 1, pending 0; tasks 1, open 1, replied 0, returned 0, verified 0, overdue 0.
    expect(xml).toContain(`${provA.name}1010110000`);
    expect(xml).toContain(`${provB.name}0000000000`);

    const pdf = await inject(mgmt, 'GET', url('pdf'));
    expect(pdf.statusCode, pdf.body.slice(0, 300)).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await t.container.documents.verify(pdf.rawPayload)).toMatchObject({ valid: true });
    expect(pdf.rawPayload.includes(Buffer.from('/Subtype /Image'))).toBe(true);
    const text = (await extractText(new Uint8Array(pdf.rawPayload), { mergePages: true })).text.replace(/\s+/g, '');
    for (const x of ['二、年度排名', '三、月度得分', '五、异议与整改', provA.name, provB.name, '81.67', '良好', '优秀', '提出异议1件']) expect(text).toContain(x);

    // A provider: the published rating with its own row only (its rank among all), signed as well.
    const own = await inject(provAStaff, 'GET', url('pdf'));
    expect(own.statusCode).toBe(200);
    expect(await t.container.documents.verify(own.rawPayload)).toMatchObject({ valid: true });
    const ownText = (await extractText(new Uint8Array(own.rawPayload), { mergePages: true })).text.replace(/\s+/g, '');
    expect(ownText).toContain(provA.name);
    expect(ownText).not.toContain(provB.name);
    const ownXml = zipEntry((await inject(provBStaff, 'GET', url('docx'))).rawPayload, 'word/document.xml').replace(/<[^>]+>/g, '');
    expect(ownXml).toContain(`1${provB.name}100.00优秀1`);
    expect(ownXml).not.toContain(provA.name);
    expect((await inject(unitStaff, 'GET', url('pdf'))).statusCode).toBe(404);
  }, 180_000); // five documents rendered (fonts, chart, SM2 signature): slow on a loaded machine

  it('grades are configurable and versioned; re-rating a published year makes a new revision, the old one kept', async () => {
    const bad = await inject(mgmt, 'POST', '/api/evaluation/annual/grade-scales', { grades: [{ grade: '优秀', min: 90 }, { grade: '良好', min: 95 }, { grade: '合格', min: 10 }] });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().details)).toContain('body.grades[1].min');
    expect(JSON.stringify(bad.json().details)).toContain('last_is_0');
    expect((await inject(supervisor, 'POST', '/api/evaluation/annual/grade-scales', { grades: [{ grade: 'A', min: 0 }] })).statusCode).toBe(403);
    const scale = await inject(mgmt, 'POST', '/api/evaluation/annual/grade-scales', { grades: [{ grade: '优秀', min: 95 }, { grade: '良好', min: 85 }, { grade: '合格', min: 70 }, { grade: '不合格', min: 0 }], note: '从严' });
    expect(scale.statusCode, scale.body).toBe(201);
    const r = await inject(supervisor, 'POST', '/api/evaluation/annual', { year: YEAR, setCode, gradeScaleVersion: scale.json().version });
    expect(r.json()).toMatchObject({ revision: 2, status: 'draft', gradeScale: { version: scale.json().version } });
    // The draft's report: the management unit yes, a provider not before publication.
    expect((await inject(mgmt, 'GET', `/api/evaluation/annual/${r.json().id}/report?format=docx`)).statusCode).toBe(200);
    expect((await inject(provAStaff, 'GET', `/api/evaluation/annual/${r.json().id}/report?format=pdf`)).statusCode).toBe(404);
    expect(rowOf(r.json(), provA.id)).toMatchObject({ total: '81.67', grade: '合格' });
    // The published revision is unchanged for the provider until revision 2 is published.
    const a = await inject(provAStaff, 'GET', `/api/evaluation/annual/${rating1}`);
    expect(a.json()).toMatchObject({ status: 'published', gradeScale: { version: 1 } });
    expect(a.json().scores[0]).toMatchObject({ grade: '良好' });
    await inject(mgmt, 'POST', `/api/evaluation/annual/${r.json().id}/review`, {});
    await inject(mgmt, 'POST', `/api/evaluation/annual/${r.json().id}/publish`);
    expect((await inject(mgmt, 'GET', `/api/evaluation/annual/${rating1}`)).json()).toMatchObject({ status: 'superseded' });
    const list = await inject(provAStaff, 'GET', `/api/evaluation/annual?setCode=${setCode}`);
    expect(list.json().items.map((x: { revision: number }) => x.revision)).toEqual([2]);
  }, 120_000);
});
