// Browser flow of availability monitoring (可用性监测): management staff add a TCP probe of the platform's own port on
// the status board; the platform's job worker probes it within a minute or so (pg-boss cron + the scheduler loop);
// the probe detail then shows it up with its result, and the SLA table of the month answers with its signed export.
import { inputOf, signInAgain } from './flows.mjs';

const TIMEOUT = 20_000;

async function availabilityFlow({ page, baseUrl, data, shots }) {
  const url = new URL(baseUrl);
  const name = `E2E 平台端口 ${Date.now().toString(36)}`;
  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  await page.goto(`${baseUrl}/availability/board`);
  await page.getByTestId('availability-add').click();
  await (await inputOf(page, 'availability-new-name')).fill(name);
  await page.locator('.ant-modal .ant-select').first().click();
  await page.locator('.ant-select-item-option', { hasText: 'TCP 端口' }).click();
  await (await inputOf(page, 'availability-new-target')).fill(url.hostname === 'localhost' ? '127.0.0.1' : url.hostname);
  await (await inputOf(page, 'availability-new-port')).fill(url.port || '80');
  await page.getByTestId('availability-create').click();

  const search = await inputOf(page, 'availability-keyword');
  await search.fill(name);
  await search.press('Enter');
  const row = page.getByTestId('availability-board').locator('tr', { hasText: name });
  await row.waitFor({ timeout: TIMEOUT });
  await shots?.('availability-board', page);

  // The worker's first sweep comes at the next full minute (cron), then the scheduler claims every second.
  const list = await data.mgmtApi.request('GET', `/api/availability/probes?keyword=${encodeURIComponent(name)}`);
  const probe = list.items[0];
  if (!probe) throw new Error('the new probe is not on the board');
  const deadline = Date.now() + 150_000;
  let state = probe.state;
  while (state === 'unknown' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 3000));
    state = (await data.mgmtApi.request('GET', `/api/availability/probes/${probe.id}`)).state;
  }
  if (state !== 'up') throw new Error(`the probe of the platform's own port should be up, is ${state}`);
  await row.locator('a', { hasText: name }).click();
  await page.getByTestId('probe-state').filter({ hasText: '正常' }).waitFor({ timeout: TIMEOUT });
  await page.getByTestId('probe-results').getByText('端口').first().waitFor({ timeout: TIMEOUT });
  await shots?.('availability-probe', page);

  await page.goto(`${baseUrl}/availability/sla`);
  await page.getByTestId('sla-table').waitFor({ timeout: TIMEOUT });
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.getByTestId('sla-export-pdf').click()]);
  if (!/\.pdf$/.test(download.suggestedFilename())) throw new Error(`the SLA export should be a PDF: ${download.suggestedFilename()}`);
}

export const AVAILABILITY_FLOWS = [{ name: '可用性监测：新增探测 → 工作进程探测为正常 → SLA 表导出签名 PDF (probe to SLA export)', run: availabilityFlow }];
