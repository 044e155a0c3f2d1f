// Browser flow of security supervision (安全监管): management staff upload a scan report (CSV of a Chinese scanner's
// export) that finds two weaknesses on one of the provider's hosts, notify the provider of one, then upload a re-scan
// that no longer finds it: the finding is verified fixed, with the scan as the evidence in its history.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inputOf, signInAgain } from './flows.mjs';

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

export const SECURITY_FLOWS = [
  { name: '安全监管：上传扫描报告 → 通报 → 复测验证修复 (scan upload to a verified fix)', run: securityFlow },
  { name: '安全事件：服务商上报 → 监管溯源 → 以处置报告关闭 (a security event from report to closure)', run: securityEventFlow },
];
