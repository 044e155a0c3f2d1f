import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../../test/harness.js';
import { auditRecords, createOrg, signedInUser, type Session } from '../../test/fixtures.js';
import { sm3Hex } from '../../platform/crypto/index.js';
import { systemContext } from '../../platform/context.js';
import { linesFromOrderTable, type OrderRow } from '../estimates/index.js';

let t: TestApp;
let unitA: Session;
let unitB: Session;
let estimateId: string;
let contractId: string;
let provider: Session;
let otherProvider: Session;

interface OrderDoc {
  seed: string;
  package?: number;
  title: string;
  budgetYuan: number | null;
  maxPriceYuan: number | null;
  payment: { milestones: Array<{ percent: number }> };
  tables: Array<{ rows: OrderRow[] }>;
}
const orders = (JSON.parse(fs.readFileSync(new URL('../estimates/data/orders.json', import.meta.url), 'utf8')) as { documents: OrderDoc[] }).documents;
const pkg3 = orders.find((d) => d.seed === '002' && d.package === 3)!;

beforeAll(async () => {
  t = await createTestApp();
  const a = await createOrg(t, { kind: 'user_unit' });
  const b = await createOrg(t, { kind: 'user_unit' });
  unitA = (await signedInUser(t, { orgId: a.id, roles: ['unit_staff'] })).session;
  unitB = (await signedInUser(t, { orgId: b.id, roles: ['unit_staff'] })).session;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/estimates',
    headers: unitA.headers,
    payload: {
      title: pkg3.title,
      budget: pkg3.budgetYuan!.toFixed(2),
      ceiling: pkg3.maxPriceYuan!.toFixed(2),
      milestonePercents: pkg3.payment.milestones.map((m) => String(m.percent)),
      lines: pkg3.tables.flatMap((tb) => linesFromOrderTable(tb)),
    },
  });
  expect(res.statusCode).toBe(201);
  estimateId = (res.json() as { id: string }).id;

  const p = await createOrg(t, { kind: 'cloud_provider', name: unique('文档服务商') });
  const q = await createOrg(t, { kind: 'cloud_provider' });
  provider = (await signedInUser(t, { orgId: p.id, roles: ['provider_staff'] })).session;
  otherProvider = (await signedInUser(t, { orgId: q.id, roles: ['provider_staff'] })).session;
  const adminA = (await signedInUser(t, { orgId: a.id, roles: ['unit_admin'] })).session;
  const c = await t.app.inject({
    method: 'POST',
    url: '/api/contracts',
    headers: adminA.headers,
    payload: {
      providerId: p.id,
      contractNo: unique('HT'),
      name: '政务云资源租用服务合同',
      amount: '1000000.01',
      serviceStart: '2026-01-01',
      serviceEnd: '2026-12-31',
      fiscalYears: [2026],
      milestones: [
        { name: '首款', condition: '合同签订后20个工作日内', percent: '50', dueDate: '2026-01-31' },
        { name: '中期款', percent: '16.67', dueDate: '2026-06-30' },
        { name: '尾款', condition: '最终验收后', percent: '33.33', dueDate: '2026-12-31' },
      ],
    },
  });
  expect(c.statusCode, c.body).toBe(201);
  contractId = (c.json() as { id: string }).id;
});
afterAll(async () => t.close());

const verify = (body: Buffer, headers: Record<string, string> = unitA.headers) =>
  t.app.inject({ method: 'POST', url: '/api/documents/verify', headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: body });

describe('signing key', () => {
  it('is published with its SM3 fingerprint, stays the same, and is stored with the private key SM4-encrypted', async () => {
    const r1 = await t.app.inject({ method: 'GET', url: '/api/documents/signing-key' });
    expect(r1.statusCode).toBe(200);
    const k = r1.json() as { publicKey: string; fingerprint: string; distinguishingId: string; publicKeyPem: string };
    expect(k.publicKey).toMatch(/^04[0-9a-f]{128}$/);
    expect(k.fingerprint).toBe(sm3Hex(Buffer.from(k.publicKey, 'hex')));
    expect(k.distinguishingId).toBe('1234567812345678');
    expect(k.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    const r2 = await t.app.inject({ method: 'GET', url: '/api/documents/signing-key' });
    expect((r2.json() as { publicKey: string }).publicKey).toBe(k.publicKey);
    const client = new pg.Client({ connectionString: t.ownerUrl });
    await client.connect();
    try {
      const rows = (await client.query<{ private_key_enc: string }>('select private_key_enc from document_signing_keys where retired_at is null')).rows;
      expect(rows).toHaveLength(1);
      expect(rows[0]!.private_key_enc).toMatch(/^sm4:v1:/);
    } finally {
      await client.end();
    }
  });
});

describe('signed estimate documents', () => {
  it('renders the estimate as a signed PDF with Chinese text, totals and uppercase amount; the API verifies it', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/documents/estimates/${estimateId}?format=pdf`, headers: unitA.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('预算测算-'));
    const pdf = res.rawPayload;
    const { text } = await extractText(new Uint8Array(pdf), { mergePages: true });
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('预算测算');
    expect(flat).toContain('282,294.44');
    expect(flat).toContain('贰拾捌万贰仟贰佰玖拾肆元肆角肆分');
    // Every page names the signature and the key's fingerprint for a human reader.
    const keyInfo = (await t.app.inject({ method: 'GET', url: '/api/documents/signing-key' })).json() as { fingerprint: string };
    expect(flat).toContain(`SM2数字签名（密钥指纹${keyInfo.fingerprint.slice(0, 16)}…）`);

    const ok = await verify(pdf);
    expect(ok.statusCode).toBe(200);
    const key = (await t.app.inject({ method: 'GET', url: '/api/documents/signing-key' })).json() as { fingerprint: string };
    expect(ok.json()).toMatchObject({ valid: true, reason: null, format: 'pdf', docType: 'estimate', issuedBy: unitA.me.username, keyFingerprint: key.fingerprint });

    // The export is in the audit log with the SM3 of the very file handed out.
    const audit = await auditRecords(t, { action: 'documents.sign', targetId: estimateId });
    expect(audit.map((a) => (a.details as { sm3: string }).sm3)).toContain(sm3Hex(pdf));
    expect(audit[0]).toMatchObject({ target_type: 'estimate', actor_username: unitA.me.username });

    const bad = Buffer.from(pdf);
    bad[Math.floor(bad.length / 3)] = bad[Math.floor(bad.length / 3)]! ^ 0x04;
    const no = await verify(bad);
    expect(no.statusCode).toBe(200);
    expect(no.json()).toMatchObject({ valid: false, reason: expect.stringContaining('altered') });
  });

  it('renders the estimate as a signed .xlsx with merged headers and totals', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/documents/estimates/${estimateId}?format=xlsx`, headers: unitA.headers });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell('A1').value)).toContain('预算测算');
    const values: string[] = [];
    ws.eachRow((row) => row.eachCell((c) => values.push(String(c.value))));
    expect(values).toContain('金额（元）');
    expect(values).toContain('合计');
    expect(values).toContain('282294.44');
    expect(values.some((v) => v.includes('贰拾捌万贰仟贰佰玖拾肆元肆角肆分'))).toBe(true);
    expect((await verify(res.rawPayload)).json()).toMatchObject({ valid: true, format: 'xlsx' });
  });

  it("another unit cannot export the estimate; verifying needs a session and a file", async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/documents/estimates/${estimateId}?format=pdf`, headers: unitB.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/documents/estimates/${estimateId}?format=doc`, headers: unitA.headers })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/documents/verify', headers: { 'content-type': 'application/pdf' }, payload: Buffer.from('%PDF-1.3') })).statusCode).toBe(401);
    const empty = await verify(Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'documents.file_missing' });
    expect((await verify(Buffer.from('not a document'))).json()).toMatchObject({ valid: false, reason: 'not a PDF or XLSX file' });
  });
});

describe('signed contract documents', () => {
  it('renders the contract summary and payment schedule as a signed PDF with exact amounts that verifies', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/documents/contracts/${contractId}?format=pdf`, headers: unitA.headers });
    expect(res.statusCode, res.body).toBe(200);
    const flat = (await extractText(new Uint8Array(res.rawPayload), { mergePages: true })).text.replace(/\s+/g, '');
    expect(flat).toContain('合同概要及付款计划');
    expect(flat).toContain('付款条件');
    // 50% / 16.67% / 33.33% of 1,000,000.01: the parts add up to the amount exactly.
    expect(flat).toContain('500,000.01');
    expect(flat).toContain('166,700.00');
    expect(flat).toContain('333,300.00');
    expect(flat).toContain('1,000,000.01');
    expect(flat).toContain('壹佰万元零壹分');
    expect((await verify(res.rawPayload)).json()).toMatchObject({ valid: true, format: 'pdf', docType: 'contract' });
  });

  it('as .xlsx for the provider of the contract; not for another provider', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/documents/contracts/${contractId}?format=xlsx`, headers: provider.headers });
    expect(res.statusCode, res.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const values: string[] = [];
    ws.eachRow((row) => row.eachCell((c) => values.push(String(c.value))));
    expect(values).toContain('付款金额');
    expect(values).toContain('1000000.01');
    expect((await verify(res.rawPayload, provider.headers)).json()).toMatchObject({ valid: true, format: 'xlsx', docType: 'contract' });
    expect((await t.app.inject({ method: 'GET', url: `/api/documents/contracts/${contractId}?format=xlsx`, headers: otherProvider.headers })).statusCode).toBe(404);
  });
});

describe('zhengyun verify-signature with the platform keys from the database', () => {
  it('exits 0 for an exported document and 1 for a tampered copy', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/documents/estimates/${estimateId}?format=xlsx`, headers: unitA.headers });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-verify-'));
    try {
      const good = path.join(dir, 'estimate.xlsx');
      const bad = path.join(dir, 'tampered.xlsx');
      fs.writeFileSync(good, res.rawPayload);
      const t2 = Buffer.from(res.rawPayload);
      t2[300] = t2[300]! ^ 0x10;
      fs.writeFileSync(bad, t2);
      const main = path.resolve(import.meta.dirname, '../../main.ts');
      const env = { ...process.env, DATABASE_URL: t.ownerUrl, ZHENGYUN_LOG_LEVEL: 'silent' };
      const run = (file: string) => spawnSync(process.execPath, ['--import', 'tsx', main, 'verify-signature', file], { encoding: 'utf8', env, timeout: 60_000 });
      const ok = run(good);
      expect(ok.stdout, ok.stderr).toMatch(/Signature:\s+VALID/);
      expect(ok.stdout).toContain(`exported by ${unitA.me.username}`);
      expect(ok.status).toBe(0);
      const no = run(bad);
      expect(no.stdout).toMatch(/Signature:\s+INVALID/);
      expect(no.status).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('signed bill documents', () => {
  it('renders a monthly bill from the billing module as a signed PDF and .xlsx; other units cannot', async () => {
    const Y = 2100 + Math.floor(Math.random() * 800);
    const M = `${Y}-04`;
    const owner = new pg.Client({ connectionString: t.ownerUrl });
    await owner.connect();
    try {
      const prov = await createOrg(t, { kind: 'cloud_provider', name: unique('账单文档服务商') });
      const unit = await createOrg(t, { kind: 'user_unit', name: unique('账单文档单位'), code: unique('DU') });
      const mgmtOrg = await createOrg(t, { kind: 'management_unit' });
      const mgmt = (await signedInUser(t, { orgId: mgmtOrg.id, roles: ['mgmt_staff'] })).session;
      const unitUser = (await signedInUser(t, { orgId: unit.id, roles: ['unit_staff'] })).session;
      const node = await t.container.directory.ensureCloudNode(systemContext(), { code: unique('DB').slice(0, 20), name: '文档节点', cloudType: 'service', providerOrgId: prov.id });
      // A registered 信息系统编号: inventory.applyPending() in other test files relinks resources by it.
      const registered = await t.app.inject({
        method: 'POST',
        url: '/api/information-systems',
        headers: unitUser.headers,
        payload: { nodeId: node, name: unique('账单文档系统'), systemType: '公众服务', gradingLevel: '三级', operatingHours: '7*24 小时', networkNature: '政务外网', contactName: '张三', contactMobile: '13812348000', contactEmail: 'abc@x.cn',
          serviceAudience: '公众', serviceScope: '全市', interconnection: '无', functionDescription: '办事', preApprovalStatus: '已审批', accessUrl: 'https://x.gov.cn', appVendor: '某公司' },
      });
      expect(registered.statusCode, registered.body).toBe(201);
      const systemNo = (registered.json() as { systemNo: string }).systemNo;
      await owner.query(
        `insert into inventory_resources (kind, provider_org_id, node_id, natural_key, system_no, unit_org_id, name, attributes, quantities, created_date, status, first_seen_at, last_seen_at, changed_at, last_batch_id, system_id, system_node_id)
         select 'cloud_host', $1, $2, $3, $4, $5, '文档云主机', '{}', $6, $7, 'active', now(), now(), now(), 0, s.id, s.node_id
           from information_systems s where s.system_no = $4`,
        [prov.id, node, unique('R'), systemNo, unit.id, JSON.stringify({ cpuCores: '8', memoryGb: '16' }), `${Y}-01-01`],
      );
      const v = await owner.query<{ id: string }>(`select id from catalog_versions where version_no = 1`);
      const pl = await owner.query<{ id: string }>(
        `insert into price_lists (provider_id, provider_name, catalog_version_id, version_no, effective_from, effective_to, status) values ($1, $2, $3, 1, $4, null, 'approved') returning id`,
        [prov.id, prov.name, v.rows[0]!.id, `${Y}-01-01`],
      );
      for (const [code, price] of [['1001', '14.02'], ['1002', '41.15']] as const) {
        const u = await owner.query<{ billing_unit_text: string }>(`select billing_unit_text from catalog_items where version_id = $1 and code = $2`, [v.rows[0]!.id, code]);
        await owner.query(`insert into price_list_items (price_list_id, item_code, unit_price, billing_unit_text, billing_period) values ($1, $2, $3, $4, 'month')`, [pl.rows[0]!.id, code, price, u.rows[0]!.billing_unit_text]);
      }
      await t.container.billing.meterMonth(M);
      const run = await t.app.inject({ method: 'POST', url: '/api/billing/runs', headers: mgmt.headers, payload: { month: M } });
      expect(run.statusCode, run.body).toBe(200);
      const list = await t.app.inject({ method: 'GET', url: `/api/billing/bills?month=${M}&unitOrgId=${unit.id}&providerOrgId=${prov.id}`, headers: unitUser.headers });
      const bill = (list.json() as { items: Array<{ id: string; total: string; totalUppercase: string }> }).items[0]!;
      expect(bill).toBeDefined();

      const pdf = await t.app.inject({ method: 'GET', url: `/api/documents/bills/${bill.id}?format=pdf`, headers: unitUser.headers });
      expect(pdf.statusCode, pdf.body).toBe(200);
      const flat = (await extractText(new Uint8Array(pdf.rawPayload), { mergePages: true })).text.replace(/\s+/g, '');
      expect(flat).toContain(`${Y}年4月政务云服务费用账单`);
      expect(flat).toContain(prov.name);
      expect(flat).toContain(Number(bill.total).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
      expect(flat).toContain(bill.totalUppercase);
      expect((await verify(pdf.rawPayload, unitUser.headers)).json()).toMatchObject({ valid: true, docType: 'bill' });

      const xlsx = await t.app.inject({ method: 'GET', url: `/api/documents/bills/${bill.id}?format=xlsx`, headers: unitUser.headers });
      expect(xlsx.statusCode).toBe(200);
      expect((await verify(xlsx.rawPayload, unitUser.headers)).json()).toMatchObject({ valid: true, format: 'xlsx', docType: 'bill' });
      expect((await t.app.inject({ method: 'GET', url: `/api/documents/bills/${bill.id}?format=pdf`, headers: unitB.headers })).statusCode).toBe(404);
    } finally {
      await owner.end();
    }
  }, 60_000);
});
