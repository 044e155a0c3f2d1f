// Browser flow of security supervision (安全监管): management staff upload a scan report (CSV of a Chinese scanner's
// export) that finds two weaknesses on one of the provider's hosts, notify the provider of one, then upload a re-scan
// that no longer finds it: the finding is verified fixed, with the scan as the evidence in its history.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { enqueueJob, push } from './data-setup.mjs';
import { inputOf, signInAgain } from './flows.mjs';
import { repoRoot, sleep } from './harness.mjs';
import { pathToFileURL } from 'node:url';

const TIMEOUT = 20_000;

async function uploadReport(page, file) {
  await page.goto(page.url().replace(/\/security.*$/, '/security/scans'));
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByTestId('security-upload-result').waitFor({ timeout: TIMEOUT });
}

async function securityFlow({ page, baseUrl, data, shots }) {
  // The host the inventory holds for the provider (applied by the previous flow), and its internal IP.
  const list = await data.mgmtApi.request('GET', `/api/inventory/resources?q=e2e-host-alpha&status=active&page=1&pageSize=5`);
  const host = list.items.find((r) => r.name === 'e2e-host-alpha');
  if (!host) throw new Error('the inventory has no e2e-host-alpha');
  const detail = await data.mgmtApi.request('GET', `/api/inventory/resources/${host.id}`);
  const ip = detail.attributes.internalIp;
  if (!ip) throw new Error(`e2e-host-alpha has no internal IP: ${JSON.stringify(detail.attributes)}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-e2e-scan-'));
  const header = 'IP地址,端口,漏洞名称,风险等级,漏洞编号,解决办法';
  const first = path.join(dir, 'rsas-2026-12.csv');
  const second = path.join(dir, 'rsas-2026-12-recheck.csv');
  fs.writeFileSync(first, `\ufeff${header}\r\n${ip},3306,E2E 数据库弱口令,高危,E2E-V1,修改口令\r\n${ip},22,E2E SSH 弱加密算法,中危,E2E-V2,禁用弱算法\r\n`);
  fs.writeFileSync(second, `\ufeff${header}\r\n${ip},22,E2E SSH 弱加密算法,中危,E2E-V2,禁用弱算法\r\n`);

  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  await page.goto(`${baseUrl}/security/scans`);
  await page.getByTestId('security-upload').waitFor({ timeout: TIMEOUT });
  await uploadReport(page, first);
  const result = await page.getByTestId('security-upload-result').innerText();
  if (!/新发现\s*2/.test(result)) throw new Error(`the first scan should find 2 new: ${result}`);
  await shots?.('security-scan-import', page);

  await page.goto(`${baseUrl}/security/findings`);
  const input = await inputOf(page, 'security-keyword');
  await input.fill('E2E 数据库弱口令');
  await input.press('Enter');
  const row = page.getByTestId('security-findings').locator('tr', { hasText: 'E2E 数据库弱口令' });
  await row.waitFor({ timeout: TIMEOUT });
  await row.click();
  const drawer = page.getByTestId('security-finding-drawer');
  await drawer.getByTestId('security-finding-status').waitFor({ timeout: TIMEOUT });
  await drawer.getByTestId('security-notify').click();
  await drawer.getByTestId('security-finding-status').filter({ hasText: '已通报' }).waitFor({ timeout: TIMEOUT });
  await shots?.('security-finding', page);

  await uploadReport(page, second);
  const again = await page.getByTestId('security-upload-result').innerText();
  if (!/验证修复\s*1/.test(again)) throw new Error(`the re-scan should verify 1 fix: ${again}`);
  await page.goto(`${baseUrl}/security/findings`);
  await page.getByTestId('security-status-filter').click();
  await page.locator('.ant-select-item-option', { hasText: '已修复' }).click();
  const fixed = page.getByTestId('security-findings').locator('tr', { hasText: 'E2E 数据库弱口令' });
  await fixed.waitFor({ timeout: TIMEOUT });
  await fixed.click();
  await drawer.getByTestId('security-finding-status').filter({ hasText: '已修复' }).waitFor({ timeout: TIMEOUT });
  await drawer.getByText('复测未发现，验证已修复').waitFor({ timeout: TIMEOUT });
  fs.rmSync(dir, { recursive: true, force: true });
}

// The provider's administrator reports a security event (同步上报); management staff record the tracing and close it
// with the handling report.
async function securityEventFlow({ page, baseUrl, data, shots }) {
  const title = `E2E 网页篡改 ${Date.now()}`;
  await signInAgain(page, baseUrl, data.accounts.provideradmin);
  await page.goto(`${baseUrl}/security/events`);
  await page.getByTestId('security-event-new').click();
  await (await inputOf(page, 'security-event-title')).fill(title);
  await page.locator('.ant-modal-footer .ant-btn-primary').click();
  const drawer = page.getByTestId('security-event-drawer');
  await drawer.getByTestId('security-event-status').filter({ hasText: '待处置' }).waitFor({ timeout: TIMEOUT });

  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  await page.goto(`${baseUrl}/security/events`);
  const row = page.getByTestId('security-events').locator('tr', { hasText: title });
  await row.waitFor({ timeout: TIMEOUT });
  await row.click();
  await drawer.getByTestId('security-event-text').fill('攻击源 203.0.113.9，利用上传漏洞');
  await drawer.getByRole('button', { name: '记录溯源' }).click();
  await drawer.getByTestId('security-event-status').filter({ hasText: '处置中' }).waitFor({ timeout: TIMEOUT });
  await drawer.getByTestId('security-event-text').fill('已恢复页面并修补上传漏洞');
  await drawer.getByTestId('security-event-close').click();
  await drawer.getByTestId('security-event-status').filter({ hasText: '已关闭' }).waitFor({ timeout: TIMEOUT });
  await shots?.('security-event', page);
}

// 安全预警: the provider pushes a 安全预警监测数据 record naming the internal IP of one of its hosts (through the real
// signed push API, with a credential its administrator issues in the browser session); the platform stores it, matches
// the host from the inventory and notifies the provider. In the 安全预警 tab the provider's administrator sees the notice
// with the matched host, replies 已处置 with an evidence file, and the notice shows 已反馈; management staff see the same.
async function securityWarningFlow({ page, baseUrl, data, shots }) {
  const list = await data.mgmtApi.request('GET', `/api/inventory/resources?q=e2e-host-alpha&status=active&page=1&pageSize=5`);
  const host = list.items.find((r) => r.name === 'e2e-host-alpha');
  if (!host) throw new Error('the inventory has no e2e-host-alpha');
  const ip = (await data.mgmtApi.request('GET', `/api/inventory/resources/${host.id}`)).attributes.internalIp;
  if (!ip) throw new Error('e2e-host-alpha has no internal IP');
  const tag = Date.now().toString(36);
  // 监测内容 is an1..50 in the interface standard: at most 50 characters.
  const content = `E2E ${tag} 主机 ${ip} OpenSSH 远程代码执行漏洞预警`;

  await signInAgain(page, baseUrl, data.accounts.provideradmin);
  const headers = { 'x-requested-with': 'zhengyun' };
  const issued = await (await page.request.post(`${baseUrl}/api/ingest/credentials`, { headers, data: { name: `E2E 预警推送 ${tag}` } })).json();
  if (!issued.token || !issued.signingSecret) throw new Error(`credential issue answered ${JSON.stringify(issued)}`);
  const { INTERFACE_TABLES } = await import(pathToFileURL(path.join(repoRoot, 'server/dist/modules/ingestion/interface-tables.js')).href);
  const { sampleRecord } = await import(pathToFileURL(path.join(repoRoot, 'server/dist/modules/ingestion/validator.js')).href);
  const table = INTERFACE_TABLES.find((t) => t.name === 'securityWarning');
  const record = { ...sampleRecord(table, { codes: { cloudProvider: data.provider.cloudProviderCode, machineRoom: data.room.code }, seq: 1 }), monitorType: '漏洞发布', monitorContent: content };
  const pushed = await push(baseUrl, { token: issued.token, signingSecret: issued.signingSecret }, 'securityWarning', [record], { node: data.node.code, mode: 'partial' });
  if (pushed.httpStatus !== 200 || pushed.accepted !== 1) throw new Error(`securityWarning push: ${JSON.stringify(pushed)}`);

  // The push wakes `security.warnings`, which enqueues the match; enqueue both as their crons would, in case.
  const deadline = Date.now() + 75_000;
  for (let i = 0; ; i++) {
    if (i % 5 === 0) {
      await enqueueJob(data.databaseUrl, 'security.warnings');
      await enqueueJob(data.databaseUrl, 'security.warning_match');
    }
    const notices = await data.mgmtApi.request('GET', `/api/security/warning-notices?keyword=${encodeURIComponent(tag)}`);
    if (notices.items.length > 0) break;
    if (Date.now() > deadline) throw new Error('no warning notice within 75 s of the push');
    await sleep(1_500);
  }

  await page.goto(`${baseUrl}/security/warnings`);
  const search = await inputOf(page, 'security-warning-keyword');
  await search.fill(tag);
  await search.press('Enter');
  const row = page.getByTestId('security-warning-notices').locator('tr', { hasText: tag });
  await row.waitFor({ timeout: TIMEOUT });
  const rowText = await row.innerText();
  if (!/待反馈/.test(rowText) || !rowText.includes(data.provider.name)) throw new Error(`the notice should await the provider's reply: ${rowText}`);
  await row.click();
  const drawer = page.getByTestId('security-warning-drawer');
  await drawer.getByTestId('security-warning-state').filter({ hasText: '待反馈' }).waitFor({ timeout: TIMEOUT });
  const matched = drawer.getByTestId('security-warning-hosts').locator('tr', { hasText: ip });
  await matched.waitFor({ timeout: TIMEOUT });
  const matchedText = await matched.innerText();
  if (!/IP 地址/.test(matchedText) || !/e2e-vm-001/.test(matchedText)) throw new Error(`the matched host should be e2e-vm-001 by its IP: ${matchedText}`);
  await shots?.('security-warning', page);

  // Reply 已处置 (the form's default) with an evidence file.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zy-e2e-warning-'));
  const evidence = path.join(dir, 'openssh-upgrade.txt');
  fs.writeFileSync(evidence, `E2E ${tag}: OpenSSH upgraded on ${ip}\n`);
  await drawer.getByTestId('security-warning-note').fill('已升级 OpenSSH 并重启服务');
  await drawer.locator('input[type=file]').setInputFiles(evidence);
  await drawer.getByText('openssh-upgrade.txt').waitFor({ timeout: TIMEOUT });
  await drawer.getByTestId('security-warning-reply').click();
  await drawer.getByTestId('security-warning-state').filter({ hasText: '已反馈' }).waitFor({ timeout: TIMEOUT });
  await drawer.getByTestId('security-warning-outcome-shown').filter({ hasText: '已处置' }).waitFor({ timeout: TIMEOUT });
  await drawer.getByTestId('security-warning-outcome-shown').getByText('openssh-upgrade.txt').waitFor({ timeout: TIMEOUT });
  if ((await drawer.getByTestId('security-warning-reply').count()) > 0) throw new Error('the reply form is still offered after the reply');
  await shots?.('security-warning-replied', page);
  fs.rmSync(dir, { recursive: true, force: true });

  // Management staff see the notice as replied (已反馈, 已处置).
  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  await page.goto(`${baseUrl}/security/warnings`);
  const mgmtSearch = await inputOf(page, 'security-warning-keyword');
  await mgmtSearch.fill(tag);
  await mgmtSearch.press('Enter');
  await page.getByTestId('security-warning-notices').locator('tr', { hasText: tag }).filter({ hasText: '已反馈' }).filter({ hasText: '已处置' }).waitFor({ timeout: TIMEOUT });
}

export const SECURITY_FLOWS = [
  { name: '安全监管：上传扫描报告 → 通报 → 复测验证修复 (scan upload to a verified fix)', run: securityFlow },
  { name: '安全事件：服务商上报 → 监管溯源 → 以处置报告关闭 (a security event from report to closure)', run: securityEventFlow },
  { name: '安全预警：服务商推送预警 → 匹配主机 → 服务商反馈已处置 (a security warning from push to reply)', run: securityWarningFlow },
];
