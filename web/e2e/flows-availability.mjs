// Browser flow of availability monitoring (可用性监测): management staff add a TCP probe of the platform's own port on
// the status board; the platform's job worker probes it within a minute or so (pg-boss cron + the scheduler loop);
// the probe detail then shows it up with its result, and the SLA table of the month answers with its signed export.
import { enqueueJob } from './data-setup.mjs';
import { inputOf, signInAgain } from './flows.mjs';
import { sleep } from './harness.mjs';

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

// Management staff set an SLA objective (服务目标) for the provider in the objectives form: the provider is picked in
// the form's search select, the target typed. The SLA table of the month then shows the provider's hosts (their ICMP
// probes, made by the inventory sync) with the measured availability (SLI) and the error budget left; the objective is
// deleted again and leaves both lists.
async function slaObjectiveFlow({ page, baseUrl, data, shots }) {
  const provider = data.provider.name;
  // The inventory's hosts (applied by flow 5) get ICMP probes from `availability.sync`; `availability.sweep` starts the
  // scheduler. Enqueue both as their every-minute crons would, and wait until the provider's probes have a result.
  await enqueueJob(data.databaseUrl, 'availability.sync');
  await enqueueJob(data.databaseUrl, 'availability.sweep');
  const deadline = Date.now() + 150_000;
  for (;;) {
    const board = await data.mgmtApi.request('GET', `/api/availability/probes?keyword=${encodeURIComponent('e2e-host')}&pageSize=50`);
    const measured = board.items.filter((p) => p.state !== 'unknown');
    if (measured.length > 0) break;
    if (Date.now() > deadline) throw new Error(`no probe of the provider's hosts has a result within 150 s (${board.items.length} probes: ${board.items.map((p) => `${p.name}=${p.state}`).join(', ')})`);
    await sleep(3_000);
  }

  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  await page.goto(`${baseUrl}/availability/sla`);
  await page.getByTestId('objectives-table').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('objective-add').click();
  const modal = page.locator('.ant-modal:visible');
  // Scope: 服务商 (cloud provider); then the provider by a search in the object select.
  await modal.getByTestId('objective-scope').click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '云服务商' }).click();
  await modal.getByTestId('objective-object').click();
  await page.keyboard.type('E2E');
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: provider }).click({ timeout: TIMEOUT }).catch(async (e) => {
    const orgs = await data.mgmtApi.request('GET', '/api/organisations?kind=cloud_provider&q=E2E&page=1&pageSize=50');
    throw new Error(`${e.message}\nthe API lists for management staff: ${JSON.stringify(orgs.items.map((o) => o.name))}`);
  });
  const target = await inputOf(page, 'objective-target');
  await target.fill('99.95');
  await page.locator('textarea[data-testid="objective-excluded"], [data-testid="objective-excluded"] textarea').first().fill('E2E：计划性维护与不可抗力');
  await page.getByTestId('objective-save').click();
  await modal.waitFor({ state: 'hidden', timeout: TIMEOUT });

  const objective = page.getByTestId(`objective-row-${provider}`);
  await objective.waitFor({ timeout: TIMEOUT });
  const objectiveText = await objective.innerText();
  if (!/99\.95/.test(objectiveText)) throw new Error(`the objective row should show the target 99.95: ${objectiveText}`);

  // The SLA table: the provider's hosts without a system, target 99.95, the availability measured, the budget left.
  const row = page.getByTestId('sla-table').locator('tr', { hasText: provider }).filter({ hasText: '99.95' }).first();
  await row.waitFor({ timeout: TIMEOUT });
  const sli = (await row.getByTestId('sla-availability').innerText()).trim();
  if (!/^\d{1,3}\.\d+%?$/.test(sli)) throw new Error(`the SLA row should show the measured availability, shows "${sli}"`);
  const budget = (await row.getByTestId('sla-budget').innerText()).trim();
  if (!/^-?\d+$/.test(budget)) throw new Error(`the SLA row should show the error budget left in minutes, shows "${budget}"`);
  await shots?.('availability-sla-objective', page);

  await page.getByTestId(`objective-delete-${provider}`).click();
  await page.getByTestId('objective-delete-confirm').click();
  await objective.waitFor({ state: 'detached', timeout: TIMEOUT });
  await page.getByTestId('sla-table').locator('tr', { hasText: provider }).filter({ hasText: '99.95' }).first().waitFor({ state: 'detached', timeout: TIMEOUT });
  const left = await data.mgmtApi.request('GET', '/api/availability/objectives');
  if (left.items.some((o) => o.scope === 'provider' && o.scopeId === data.provider.id)) throw new Error('the deleted objective is still listed by the API');
}

export const AVAILABILITY_FLOWS = [
  { name: '可用性监测：新增探测 → 工作进程探测为正常 → SLA 表导出签名 PDF (probe to SLA export)', run: availabilityFlow },
  { name: 'SLA 服务目标：表单新建 → SLA 表显示可用率与剩余预算 → 删除 (SLA objective form)', run: slaObjectiveFlow },
];
