import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerLayout, type DocumentModel } from './documents.model.js';
import { buildPdf } from './documents.pdf.js';
import { buildXlsx } from './documents.xlsx.js';
import { MAX_TRAILER_BYTES, generateSigningKey, parseSignedDocument, publicKeyPem, signatureToDer, signDocument, verifySignedDocument, type SignedFormat } from './documents.signature.js';
import { parsePublicKey, verifySignatureFile } from './documents.cli.js';
import { billDocument, type BillDocumentData } from './documents.bill.js';

const rows = Array.from({ length: 70 }, (_, i) => ({
  item: `云主机 vCPU 第${i + 1}项`,
  unit: '核·月',
  qty: String(8 + i),
  price: '45.00',
  amount: (45 * (8 + i)).toFixed(2),
}));
const total = rows.reduce((s, r) => s + Math.round(Number(r.amount) * 100), 0) / 100;

const model: DocumentModel = {
  docType: 'bill',
  title: '海淀区政务云服务费用月度账单',
  subtitle: '2026年10月',
  meta: [{ label: '用户单位', value: '北京市海淀区教育委员会' }],
  columns: [
    { key: 'item', header: ['服务项目'] },
    { key: 'unit', header: ['计量', '计费单位'] },
    { key: 'qty', header: ['计量', '数量'], kind: 'quantity' },
    { key: 'price', header: ['费用（元）', '单价'], kind: 'money' },
    { key: 'amount', header: ['费用（元）', '金额'], kind: 'money' },
  ],
  rows,
  totals: { label: '合计', values: { amount: total.toFixed(2) } },
  amountInWords: { amount: total.toFixed(2) },
  signatures: ['出账单位（盖章）', '确认单位（盖章）'],
};
const attrs = { signer: '政云平台', issuedBy: 'tester', signedAt: '2026-11-30T08:00:00.000Z', docType: 'bill', title: model.title };

let pdf: Buffer;
let xlsx: Buffer;
const key = generateSigningKey();
let dir: string;

beforeAll(async () => {
  pdf = await buildPdf(model);
  xlsx = await buildXlsx(model);
  dir = mkdtempSync(path.join(tmpdir(), 'zy-docs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('headerLayout', () => {
  it('merges shared prefixes across columns and shorter paths down to the last header row', () => {
    const l = headerLayout(model.columns);
    expect(l.depth).toBe(2);
    expect(l.cells).toEqual([
      { text: '服务项目', row: 0, col: 0, rowSpan: 2, colSpan: 1 },
      { text: '计量', row: 0, col: 1, rowSpan: 1, colSpan: 2 },
      { text: '费用（元）', row: 0, col: 3, rowSpan: 1, colSpan: 2 },
      { text: '计费单位', row: 1, col: 1, rowSpan: 1, colSpan: 1 },
      { text: '数量', row: 1, col: 2, rowSpan: 1, colSpan: 1 },
      { text: '单价', row: 1, col: 3, rowSpan: 1, colSpan: 1 },
      { text: '金额', row: 1, col: 4, rowSpan: 1, colSpan: 1 },
    ]);
  });
  it('does not merge equal labels under different parents', () => {
    const l = headerLayout([
      { key: 'a', header: ['甲', '小计'] },
      { key: 'b', header: ['乙', '小计'] },
    ]);
    expect(l.cells.filter((c) => c.row === 1).map((c) => c.colSpan)).toEqual([1, 1]);
  });
  it('refuses money that is not a decimal, naming the row and column', async () => {
    await expect(buildXlsx({ ...model, rows: [{ ...rows[0]!, amount: '12,00' }] })).rejects.toThrow('rows[0].amount: "12,00" is not a decimal number');
  });
});

describe('xlsx', () => {
  it('has the title, merged multi-level headers, frozen header, money format, totals and uppercase amount', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('A1').value).toBe(model.title);
    // Title, subtitle, one meta line: the header starts on row 4 and spans rows 4–5.
    expect(ws.getCell('A4').value).toBe('服务项目');
    expect(ws.getCell('A5').isMerged && ws.getCell('A5').master.address).toBe('A4');
    expect(ws.getCell('B4').value).toBe('计量');
    expect(ws.getCell('C4').master.address).toBe('B4');
    expect(ws.getCell('D4').value).toBe('费用（元）');
    expect(ws.getCell('E4').master.address).toBe('D4');
    expect(ws.getCell('E5').value).toBe('金额');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 });
    expect(ws.getCell('E6').value).toBe(360);
    expect(ws.getCell('E6').numFmt).toBe('#,##0.00');
    const totalsRow = 6 + rows.length;
    expect(ws.getCell(`A${totalsRow}`).value).toBe('合计');
    expect(ws.getCell(`E${totalsRow}`).value).toBe(total);
    expect(String(ws.getCell(`A${totalsRow + 1}`).value)).toMatch(/^合计金额（大写）：.+元/);
    expect(ws.getColumn(5).width).toBeGreaterThanOrEqual(14);
  });
});

describe('pdf', () => {
  it('embeds a font subset and gives the Chinese text back, with repeated headers and page numbers', async () => {
    expect(pdf.length).toBeLessThan(200_000); // subset, not the 10 MB font
    const { totalPages, text } = await extractText(new Uint8Array(pdf), { mergePages: false });
    expect(totalPages).toBeGreaterThanOrEqual(2);
    const all = text.join('\n').replace(/\s+/g, '');
    expect(all).toContain('海淀区政务云服务费用月度账单');
    expect(all).toContain('北京市海淀区教育委员会');
    expect(all).toContain('合计金额（大写）');
    expect(all).toContain(Number(total).toLocaleString('en-US', { minimumFractionDigits: 2 }));
    for (let p = 0; p < totalPages; p++) {
      const page = text[p]!.replace(/\s+/g, '');
      expect(page).toContain('服务项目');
      expect(page).toContain('费用（元）');
      expect(page).toContain(`第${p + 1}页/共${totalPages}页`);
    }
  });
  it('gives the same text with pdftotext when poppler is installed', () => {
    const probe = spawnSync('pdftotext', ['-v']);
    if (probe.error) return; // poppler-utils not installed: the unpdf test above covers extraction
    const file = path.join(dir, 'plain.pdf');
    writeFileSync(file, pdf);
    const out = execFileSync('pdftotext', [file, '-']).toString('utf8').replace(/\s+/g, '');
    expect(out).toContain('海淀区政务云服务费用月度账单');
    expect(out).toContain('合计金额（大写）');
  });
});

describe('SM2 signatures', () => {
  const cases: Array<[SignedFormat, () => Buffer]> = [
    ['pdf', () => pdf],
    ['xlsx', () => xlsx],
  ];
  for (const [format, unsigned] of cases) {
    it(`${format}: signs, verifies, and any altered byte makes it INVALID`, () => {
      const signed = signDocument(unsigned(), format, key, attrs);
      const ok = verifySignedDocument(signed, [key.publicKey]);
      expect(ok).toMatchObject({ valid: true, reason: null, format, attributes: { signer: '政云平台', issuedBy: 'tester', title: model.title } });
      // A byte in the content, in the signature attributes, in the marker, in the signature value: each one invalid.
      const parsed = parseSignedDocument(signed);
      if (!parsed.ok) throw new Error(parsed.reason);
      const attrPos = signed.lastIndexOf('%ZYSIG1 ') + 20;
      for (const pos of [0, 100, Math.floor(signed.length / 2), unsigned().length - 3, attrPos, signed.length - 140, signed.length - 10]) {
        const bad = Buffer.from(signed);
        bad[pos] = bad[pos]! ^ 0x01;
        expect(verifySignedDocument(bad, [key.publicKey]).valid, `byte ${pos}`).toBe(false);
      }
      expect(verifySignedDocument(Buffer.concat([signed, Buffer.from('x')]), [key.publicKey]).valid).toBe(false);
      expect(verifySignedDocument(signed.subarray(0, signed.length - 1), [key.publicKey]).valid).toBe(false);
      expect(verifySignedDocument(unsigned(), [key.publicKey])).toMatchObject({ valid: false, reason: 'no Zhengyun signature at the end of the file' });
      // A correct signature by a key the platform does not know is not the platform's.
      const other = generateSigningKey();
      expect(verifySignedDocument(signDocument(unsigned(), format, other, attrs), [key.publicKey])).toMatchObject({ valid: false, reason: expect.stringContaining('not the platform') });
    });
  }

  it('keeps the trailer within 480 bytes (LibreOffice, %%EOF in the last 1 KiB), shortening a long title', () => {
    const title = '北京市公共资源交易中心政务云资源租用服务项目（2026年度）第三包'.repeat(3);
    const signed = signDocument(pdf, 'pdf', key, { ...attrs, title, issuedBy: 'u'.repeat(200) });
    expect(signed.length - pdf.length).toBeLessThanOrEqual(MAX_TRAILER_BYTES);
    expect(signed.subarray(-1024).toString('latin1')).toContain('%%EOF');
    const a = verifySignedDocument(signed, [key.publicKey]);
    expect(a.valid).toBe(true);
    expect(a.attributes?.title).toMatch(/…$/);
    expect(title.startsWith(a.attributes!.title.slice(0, -1))).toBe(true);
    expect(a.attributes?.issuedBy).toHaveLength(32);
    // A title that imitates the marker cannot confuse the verifier.
    expect(verifySignedDocument(signDocument(pdf, 'pdf', key, { ...attrs, title: 'x\n%ZYSIG1 {}' }), [key.publicKey]).valid).toBe(true);
  });

  it('LibreOffice opens the signed workbook, when it is installed', () => {
    const probe = spawnSync('soffice', ['--version']);
    if (probe.error) return; // no LibreOffice on this machine
    const file = path.join(dir, 'signed-lo.xlsx');
    writeFileSync(file, signDocument(xlsx, 'xlsx', key, { ...attrs, title: '政务云'.repeat(40) }));
    const out = path.join(dir, 'lo');
    const r = spawnSync('soffice', [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'csv', '--outdir', out, file], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout + r.stderr).not.toContain('could not be loaded');
    expect(readFileSync(path.join(out, 'signed-lo.csv'), 'latin1')).toContain('360');
  }, 150_000);

  it('the signed workbook still opens (signature in the ZIP comment)', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(signDocument(xlsx, 'xlsx', key, attrs) as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getCell('A1').value).toBe(model.title);
  });

  it('the signed PDF still reads', async () => {
    const { text } = await extractText(new Uint8Array(signDocument(pdf, 'pdf', key, attrs)), { mergePages: true });
    expect(text.replace(/\s+/g, '')).toContain('海淀区政务云服务费用月度账单');
  });

  it('verifies with openssl (SM2, SM3, distid 1234567812345678) when openssl supports SM2', () => {
    const algs = spawnSync('openssl', ['list', '-public-key-algorithms']);
    if (algs.error || !/SM2/i.test(algs.stdout.toString())) return; // no openssl with SM2 on this machine
    const signed = signDocument(pdf, 'pdf', key, attrs);
    const parsed = parseSignedDocument(signed);
    if (!parsed.ok) throw new Error(parsed.reason);
    const msg = path.join(dir, 'msg.bin');
    const sig = path.join(dir, 'sig.der');
    const pub = path.join(dir, 'pub.pem');
    writeFileSync(msg, parsed.parsed.message);
    writeFileSync(sig, signatureToDer(parsed.parsed.signature));
    writeFileSync(pub, publicKeyPem(key.publicKey));
    const verify = (m: string) =>
      spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', m, '-sigfile', sig, '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678']);
    const good = verify(msg);
    expect(good.stdout.toString()).toContain('Signature Verified Successfully');
    expect(good.status).toBe(0);
    const tampered = Buffer.from(parsed.parsed.message);
    tampered[500] = tampered[500]! ^ 1;
    writeFileSync(msg, tampered);
    expect(verify(msg).status).not.toBe(0);
  });

  it('DER encoding keeps the sign bit rule', () => {
    const der = signatureToDer('80'.padEnd(64, '0') + '00'.repeat(31) + '01');
    expect(der.toString('hex')).toBe(`3026022100${'80'.padEnd(64, '0')}020101`);
  });
});

describe('verify-signature command', () => {
  it('prints signer, time, fingerprint and VALID with exit code 0; INVALID with 1', async () => {
    const signed = path.join(dir, 'bill.pdf');
    const bad = path.join(dir, 'bad.pdf');
    const keyFile = path.join(dir, 'key.pem');
    const s = signDocument(pdf, 'pdf', key, attrs);
    writeFileSync(signed, s);
    const t = Buffer.from(s);
    t[2000] = t[2000]! ^ 0x20;
    writeFileSync(bad, t);
    writeFileSync(keyFile, publicKeyPem(key.publicKey));
    expect(parsePublicKey(publicKeyPem(key.publicKey))).toBe(key.publicKey);
    const lines: string[] = [];
    const noDb = () => Promise.reject(new Error('no database in this test'));
    expect(await verifySignatureFile(signed, { key: keyFile }, noDb, (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toMatch(/Signer:\s+政云平台 \(exported by tester\)[\s\S]*Signed at:\s+2026-11-30T08:00:00.000Z[\s\S]*Key \(SM3\):\s+[0-9a-f]{64}[\s\S]*Signature:\s+VALID/);
    lines.length = 0;
    expect(await verifySignatureFile(bad, { key: keyFile }, noDb, (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toContain('INVALID');
    expect(await verifySignatureFile(path.join(dir, 'missing.pdf'), { key: keyFile }, noDb, () => undefined)).toBe(1);
    // The platform's keys come from the database when no --key is given.
    expect(await verifySignatureFile(signed, {}, () => Promise.resolve([key.publicKey]), () => undefined)).toBe(0);
    expect(await verifySignatureFile(signed, {}, () => Promise.resolve([]), () => undefined)).toBe(1);
  });

  it('zhengyun verify-signature --key exits 0 on a signed file and 1 on a tampered one', () => {
    const signed = path.join(dir, 'bill.pdf');
    const bad = path.join(dir, 'bad.pdf');
    const keyFile = path.join(dir, 'key.pem');
    const main = path.resolve(import.meta.dirname, '../../main.ts');
    const run = (file: string) => spawnSync(process.execPath, ['--import', 'tsx', main, 'verify-signature', file, '--key', keyFile], { encoding: 'utf8', timeout: 60_000 });
    const ok = run(signed);
    expect(ok.stdout).toContain('VALID');
    expect(ok.status).toBe(0);
    const no = run(bad);
    expect(no.stdout).toContain('INVALID');
    expect(no.status).toBe(1);
  }, 120_000);
});

describe('bill document', () => {
  const line = { lineType: 'usage', systemNo: 'HD-2026-001', systemName: '区教委门户', billingPeriod: 'month', priceStatus: 'ok', reason: null };
  const bill: BillDocumentData = {
    month: '2026-10',
    unit: { name: '北京市海淀区教育委员会' },
    provider: { name: '天翼云' },
    status: 'locked',
    total: '5230.47',
    computedAt: '2026-11-01T01:00:00.000Z',
    providerConfirmedAt: '2026-11-02T02:00:00.000Z',
    unitConfirmedAt: '2026-11-03T03:00:00.000Z',
    lockedAt: '2026-11-04T04:00:00.000Z',
    priceMissingCount: 1,
    daysInMonth: 31,
    lines: [
      { ...line, itemCode: 'JS-01', itemName: 'vCPU', billingUnit: '核', unitPrice: '14.02', quantityDays: '1984', averageQuantity: '64', amount: '897.28' },
      { ...line, itemCode: 'JS-02', itemName: '内存', billingUnit: 'GB', unitPrice: '41.15', quantityDays: '3968', averageQuantity: '128', amount: '5267.20' },
      { ...line, lineType: 'adjustment', itemCode: 'JS-02', itemName: '内存', billingUnit: 'GB', unitPrice: '41.15', quantityDays: null, averageQuantity: null, amount: '-934.01' },
      { ...line, itemCode: 'CC-09', itemName: '对象存储', billingUnit: '100GB', unitPrice: null, quantityDays: '31', averageQuantity: '1', amount: null, priceStatus: 'price_missing', reason: '价格表缺少该服务项' },
    ],
  };
  it('renders lines, adjustment, missing price, 合计 and 大写 in PDF and .xlsx', async () => {
    const model = billDocument(bill);
    expect(model.title).toBe('2026年10月政务云服务费用账单');
    const text = (await extractText(new Uint8Array(await buildPdf(model)), { mergePages: true })).text.replace(/\s+/g, '');
    for (const s of ['2026年10月政务云服务费用账单', '北京市海淀区教育委员会', '锁定时间：2026-11-0412:00', '5,267.20', '-934.01', '调整', '价格表缺少该服务项', '5,230.47', '伍仟贰佰叁拾元肆角柒分', '有1行缺少有效价格']) {
      expect(text, s).toContain(s);
    }
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await buildXlsx(model)) as unknown as ArrayBuffer);
    const values: unknown[] = [];
    wb.worksheets[0]!.eachRow((row) => row.eachCell((c) => values.push(c.value)));
    expect(values).toEqual(expect.arrayContaining(['信息系统', '服务项', '计费', '数量', '资源·天', '金额（元）', 5230.47, -934.01]));
  });
});
