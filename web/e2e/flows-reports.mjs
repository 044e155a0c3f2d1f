// Browser flow of 报表管理 (custom tabular reports): management staff define a report over the inventory dataset
// (three columns, a name filter), preview it — the pushed E2E hosts and only the chosen columns — save it and download
// its signed .xlsx. Runs after the inventory flow (the hosts are applied by then).
import fs from 'node:fs';
import { signInAgain } from './flows.mjs';

const TIMEOUT = 20_000;

async function defineReportFlow({ page, baseUrl, data, shots }) {
  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  await page.getByTestId('menu-reports').click();
  const name = `E2E 主机清单 ${Date.now()}`;
  await page.getByTestId('reports-name').fill(name);
  await page.getByTestId('reports-dataset').click();
  const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="资源清单"]');
  await option.click({ timeout: TIMEOUT });
  // All columns come checked: clear them and keep three.
  await page.getByTestId('reports-columns-all').click();
  const columns = page.getByTestId('reports-columns');
  for (const label of ['名称', '类型', '云服务商']) await columns.getByText(label, { exact: true }).click();
  await page.getByTestId('reports-filter-q').fill('e2e-host');
  await page.getByTestId('reports-preview').click();

  const table = page.getByTestId('reports-preview-table');
  for (const host of data.hosts) await table.getByText(host, { exact: true }).waitFor({ timeout: TIMEOUT });
  const headers = (await table.locator('thead th').allInnerTexts()).map((s) => s.trim()).filter(Boolean);
  if (headers.join('|') !== '名称|类型|云服务商') throw new Error(`the preview shows the columns ${headers.join(', ')}, expected 名称, 类型, 云服务商`);
  const rows = await table.locator('tbody tr.ant-table-row').count();
  if (rows !== data.hosts.length) throw new Error(`the preview shows ${rows} rows, expected the ${data.hosts.length} E2E hosts`);
  await shots?.('reports-preview', page);

  await page.getByTestId('reports-save').click();
  const saved = page.getByTestId('reports-definitions').locator('tr.ant-table-row', { hasText: name });
  await saved.waitFor({ timeout: TIMEOUT });

  const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.getByTestId('reports-download').click()]);
  const file = download.suggestedFilename();
  if (!/\.xlsx$/.test(file)) throw new Error(`the report downloads as "${file}", not *.xlsx`);
  const bytes = fs.readFileSync(await download.path());
  if (bytes.length < 1000 || bytes.subarray(0, 2).toString('latin1') !== 'PK') throw new Error(`the download ${file} is not an .xlsx file (${bytes.length} bytes)`);
}

export const REPORTS_FLOWS = [
  { name: '报表管理：定义（资源清单，三列，名称筛选）→ 预览 → 保存 → 下载 .xlsx (define, preview, save, download)', run: defineReportFlow },
];
