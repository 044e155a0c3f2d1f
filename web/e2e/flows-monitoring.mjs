// Browser flow of monitoring (监控告警): management staff see an alert fired on the provider's pushed host metrics in
// the alarm view, acknowledge it with a comment (its history shows who and why), then open the host's chart: the
// 24-hour range is read from the raw 5-minute points and its numbers are listed in the table under the chart.
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { enqueueJob, push } from './data-setup.mjs';
import { inputOf, signInAgain } from './flows.mjs';
import { repoRoot, sleep } from './harness.mjs';

const TIMEOUT = 20_000;

async function monitoringFlow({ page, baseUrl, data, shots }) {
  // The data setup pushed 云主机监控数据 for e2e-vm-001…003 (one faulty record refused); make sure the store has it.
  await enqueueJob(data.databaseUrl, 'monitoring.sweep');
  // A rule of the management unit on the provider's hosts that the pushed samples (CPU 1.25 % …) satisfy.
  const name = `E2E CPU 低于 100%-${Date.now().toString(36)}`;
  const rule = await data.mgmtApi.request('POST', '/api/monitoring/rules', { name, kind: 'threshold', metric: 'cpu', op: 'lt', threshold: 100, recovery: 100, windowMinutes: 10080, severity: 'major', scopeKind: 'provider', scopeId: data.provider.id });
  if (!rule.id) throw new Error(`rule creation answered ${JSON.stringify(rule)}`);
  // Enqueue an evaluation cycle as the every-minute cron does; wait for the alert.
  const deadline = Date.now() + 75_000;
  for (;;) {
    await enqueueJob(data.databaseUrl, 'monitoring.evaluate');
    await sleep(2_000);
    const list = await data.mgmtApi.request('GET', `/api/monitoring/alerts?ruleId=${rule.id}`);
    if (list.items.length >= 1) break;
    if (Date.now() > deadline) throw new Error('no alert fired within 75 s');
  }

  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  await page.goto(`${baseUrl}/monitoring/alerts`);
  await page.getByTestId('monitoring-severity-chart').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('monitoring-by-provider').getByText(data.provider.name).first().waitFor({ timeout: TIMEOUT });
  const row = page.getByTestId('monitoring-alerts').locator('tr', { hasText: name }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await shots?.('monitoring-alarm-view', page);
  await row.click();
  const drawer = page.getByTestId('monitoring-alert-detail');
  await drawer.getByTestId('monitoring-alert-status').filter({ hasText: '告警中' }).waitFor({ timeout: TIMEOUT });
  await drawer.getByTestId('monitoring-ack-comment').fill('E2E 已知，正在处理');
  await drawer.getByTestId('monitoring-ack').click();
  await drawer.getByTestId('monitoring-alert-status').filter({ hasText: '已确认' }).waitFor({ timeout: TIMEOUT });
  await drawer.getByText('E2E 已知，正在处理').first().waitFor({ timeout: TIMEOUT });
  await shots?.('monitoring-alert-acknowledged', page);

  // The host chart: search the pushed host, pick it, 24 h from raw points, the numbers in the table.
  await page.goto(`${baseUrl}/monitoring/hosts`);
  const search = await inputOf(page, 'monitoring-host-search');
  await search.fill('e2e-vm-001');
  await search.press('Enter');
  const host = page.getByTestId('monitoring-hosts').locator('tr', { hasText: /e2e-(vm-001|host-alpha)/ }).first();
  await host.waitFor({ timeout: TIMEOUT });
  await host.click();
  await page.getByTestId('monitoring-host-chart').waitFor({ timeout: TIMEOUT });
  await page.getByText('5 分钟原始点').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('monitoring-chart-table').locator('td', { hasText: 'CPU 使用率' }).first().waitFor({ timeout: TIMEOUT });
  await shots?.('monitoring-host-chart', page);
}

/** Types `keyword` into the scope picker `testId` (a searchable select asking the server) and picks the option `label`. */
async function pickScope(page, testId, keyword, label) {
  await page.getByTestId(testId).click();
  await (await inputOf(page, testId)).fill(keyword);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).first().click({ timeout: TIMEOUT });
}

/** Polls `check` (an async function answering a truthy value when done) until it does or `ms` pass. */
async function waitUntil(what, check, ms = 75_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await sleep(1_000);
  }
}

// Management staff create an alert rule on one host picked by name in the scope picker (it asks the server, which
// lists only what the caller may see), see the host's name — not an ID — in the list and when editing, then disable
// the rule. The visibility of the picker per role is covered by monitoring.scopes.int.test.ts.
async function ruleScopePickerFlow({ page, baseUrl, data, shots }) {
  await enqueueJob(data.databaseUrl, 'inventory.apply');
  const host = await waitUntil('the inventory has e2e-host-alpha', async () =>
    (await data.mgmtApi.request('GET', '/api/inventory/resources?q=e2e-host-alpha&status=active&page=1&pageSize=5')).items?.find((r) => r.name === 'e2e-host-alpha'));
  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  await page.goto(`${baseUrl}/monitoring/rules`);
  await page.getByTestId('monitoring-rules').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('monitoring-rule-new').click();
  await page.getByTestId('monitoring-rule-form').waitFor({ timeout: TIMEOUT });
  const name = `E2E 单主机 CPU-${Date.now().toString(36)}`;
  await page.getByTestId('monitoring-rule-name').fill(name);
  await page.getByTestId('monitoring-rule-scope-kind').click();
  await page.locator('.ant-select-dropdown:visible').getByText('主机', { exact: true }).click();
  await pickScope(page, 'monitoring-rule-scope-id', 'alpha', 'e2e-host-alpha');
  await shots?.('monitoring-rule-scope-picker', page);
  await page.getByTestId('monitoring-rule-save').click();
  const row = page.getByTestId('monitoring-rules').locator('tr', { hasText: name }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.getByText(/主机 · e2e-host-alpha/).waitFor({ timeout: TIMEOUT });
  const rule = (await data.mgmtApi.request('GET', '/api/monitoring/rules')).items.find((r) => r.name === name);
  if (!rule || rule.scopeKind !== 'host' || rule.scopeId !== host.id) throw new Error(`rule not stored on the picked host ${host.id}: ${JSON.stringify(rule)}`);
  // Editing shows the host's name in the picker, not its ID.
  await row.getByTestId('monitoring-rule-edit').click();
  const picked = page.getByTestId('monitoring-rule-form').locator('.ant-select-selection-item', { hasText: 'e2e-host-alpha' });
  await picked.waitFor({ timeout: TIMEOUT });
  if ((await page.getByTestId('monitoring-rule-form').innerText()).includes(host.id)) throw new Error('the edit form shows the host ID');
  await page.locator('.ant-modal:visible').getByRole('button', { name: /取\s*消/ }).click();
  await row.getByTestId('monitoring-rule-toggle').click();
  await row.getByText('否').waitFor({ timeout: TIMEOUT });
}

// Management staff open 维护窗口, create a window on the provider's objects starting in ten minutes (the form's
// default), see it listed as not started, then cancel it (已取消) — nothing active, so other flows' alerts are unaffected.
async function maintenanceWindowFlow({ page, baseUrl, data, shots }) {
  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  await page.goto(`${baseUrl}/monitoring/maintenance`);
  await page.getByTestId('monitoring-window-new').click();
  const form = page.getByTestId('monitoring-window-form');
  await form.waitFor({ timeout: TIMEOUT });
  await page.getByTestId('monitoring-window-scope-kind').click();
  await page.locator('.ant-select-dropdown:visible').getByText('云服务商', { exact: true }).click();
  await pickScope(page, 'monitoring-window-scope-id', 'E2E', data.provider.name);
  const reason = `E2E 机房割接-${Date.now().toString(36)}`;
  await page.getByTestId('monitoring-window-reason').fill(reason);
  await shots?.('monitoring-window-form', page);
  await page.getByTestId('monitoring-window-save').click();
  const row = page.getByTestId('monitoring-windows').locator('tr', { hasText: reason }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.getByText('未开始').waitFor({ timeout: TIMEOUT });
  await row.getByText(`云服务商 · ${data.provider.name}`).waitFor({ timeout: TIMEOUT });
  const listed = await data.mgmtApi.request('GET', '/api/monitoring/maintenance');
  const w = listed.items.find((x) => x.reason === reason);
  if (!w || w.scopeKind !== 'provider' || w.scopeId !== data.provider.id) throw new Error(`window not stored as entered: ${JSON.stringify(w)}`);
  await row.getByTestId('monitoring-window-cancel').click();
  await page.locator('.ant-popconfirm:visible').getByRole('button', { name: '是' }).click();
  await row.getByText('已取消').waitFor({ timeout: TIMEOUT });
  await shots?.('monitoring-window-cancelled', page);
}

// Management staff open 临时扩容 and record an expansion for a unit that has no resources at the provider: the form
// shows the allowance for the period (nothing to expand) and the refusal names the rule in words (has_original); the
// list stays without it. The cap itself (≤ 20 % in force at once) is covered by monitoring.expansions.int.test.ts.
async function expansionFlow({ page, baseUrl, data, shots }) {
  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  await page.goto(`${baseUrl}/monitoring/expansions`);
  await page.getByTestId('monitoring-expansions').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('monitoring-expansion-new').click();
  await page.getByTestId('monitoring-expansion-form').waitFor({ timeout: TIMEOUT });
  const unit = '00000000-0000-4000-8000-00000000e2e1';
  await (await inputOf(page, 'monitoring-expansion-unit')).fill(unit);
  await (await inputOf(page, 'monitoring-expansion-provider')).fill(data.provider.id);
  await (await inputOf(page, 'monitoring-expansion-amount')).fill('2');
  await page.getByTestId('monitoring-expansion-reason').fill('E2E 业务高峰临时扩容');
  await page.getByTestId('monitoring-expansion-allowance').waitFor({ timeout: TIMEOUT });
  await shots?.('monitoring-expansion-form', page);
  await page.getByTestId('monitoring-expansion-save').click();
  await page.getByText('该单位在该服务商没有此类原有资源').first().waitFor({ timeout: TIMEOUT });
  const listed = await data.mgmtApi.request('GET', `/api/monitoring/expansions?unitId=${unit}`);
  if (listed.items.length !== 0) throw new Error(`a refused expansion was stored: ${JSON.stringify(listed.items)}`);
}

/**
 * Set-up of the 临时扩容 success path: the runner's user unit gets resources at the E2E provider — a registered
 * information system on the E2E node and a cloud host of 10 cores / 20 GB reported for it through the real signed push
 * API (云主机规格数据), applied by the inventory job. The system row is inserted directly (as data-setup.mjs inserts the
 * node): management staff may not register systems (no system:write) and the unit's accounts are signed in by other
 * flows. Idempotent: a second run finds both. Answers the unit's original CPU cores at the provider.
 */
async function unitWithResourcesAtProvider(baseUrl, data, unit) {
  const systemNo = 'E2E-XP-SYS';
  const require = createRequire(path.join(repoRoot, 'server/package.json'));
  const pg = require('pg');
  const client = new pg.Client({ connectionString: data.databaseUrl });
  await client.connect();
  try {
    await client.query(
      `insert into information_systems (unit_id, seq, system_no, node_id, name, system_type, grading_level, operating_hours, network_nature, contact_name, contact_mobile_enc, contact_email_enc)
       values ($1, 900, $2, $3, 'E2E 扩容测试系统', '其他', '二级', '5*8小时', '政务外网', '测试联系人', 'x', 'x') on conflict (system_no) do nothing`,
      [unit.id, systemNo, data.node.id],
    );
  } finally {
    await client.end();
  }
  const dist = (p) => import(pathToFileURL(path.join(repoRoot, 'server/dist', p)).href);
  const { INTERFACE_TABLES } = await dist('modules/ingestion/interface-tables.js');
  const { sampleRecord } = await dist('modules/ingestion/validator.js');
  const table = INTERFACE_TABLES.find((t) => t.name === 'cloudHostSpec');
  // sampleRecord fills every field: without its deletedDate (today) the host is an active one.
  const rec = sampleRecord(table, { codes: { cloudProvider: data.provider.cloudProviderCode, machineRoom: data.room.code }, seq: 90 });
  delete rec.deletedDate;
  const spec = { ...rec, cloudHostName: 'e2e-xpand-01', cloudHostId: 'e2e-xp-001', systemId: systemNo, cpuCores: '10', memoryAllocated: '20' };
  const answer = await push(baseUrl, data.credential, 'cloudHostSpec', [spec], { node: data.node.code });
  if (answer.httpStatus !== 200 || answer.accepted !== 1) throw new Error(`cloudHostSpec push: ${JSON.stringify(answer)}`);
  await enqueueJob(data.databaseUrl, 'inventory.apply');
  return waitUntil('the unit has original CPU at the provider', async () => {
    const a = await data.mgmtApi.request('GET', `/api/monitoring/expansions/allowance?unitOrgId=${unit.id}&providerOrgId=${data.provider.id}`);
    const cpu = a.items?.find((x) => x.resourceKey === 'cpuCores');
    return cpu && Number(cpu.original) >= 10 ? cpu : null;
  });
}

const allowanceRow = (page) => page.getByTestId('monitoring-expansion-allowance').locator('tr', { hasText: 'CPU' }).first();

/** Opens the 临时扩容 form for the unit at the E2E provider (default period: in 10 minutes for 14 days). */
async function openExpansionForm(page, unit, data) {
  await page.getByTestId('monitoring-expansion-new').click();
  await page.getByTestId('monitoring-expansion-form').waitFor({ timeout: TIMEOUT });
  await (await inputOf(page, 'monitoring-expansion-unit')).fill(unit.id);
  await (await inputOf(page, 'monitoring-expansion-provider')).fill(data.provider.id);
  await allowanceRow(page).waitFor({ timeout: TIMEOUT });
}

/** The 可扩容 (remaining) cell of the CPU row of the form's allowance table. */
async function remainingCpu(page) {
  const cells = allowanceRow(page).locator('td');
  return (await cells.nth(4).innerText()).trim();
}

/** Waits until the form's CPU 可扩容 shows `expected` (the form may show the cached figure while it asks again). */
async function remainingIs(page, expected) {
  let last = '';
  try {
    await waitUntil(`the allowance shows ${expected} CPU cores left`, async () => (last = await remainingCpu(page)) === expected, TIMEOUT);
  } catch {
    throw new Error(`the allowance shows ${last} CPU cores left, expected ${expected}`);
  }
}

// Management staff record a 临时扩容 for a unit with resources at the provider: the form shows the allowance (20 % of
// the original cores), the whole allowance is recorded for 14 days (≤ 90), the 临时扩容 tab lists it with 20.00 %
// of the original, the form then shows nothing left for that period; cancelling it restores the allowance.
async function expansionSuccessFlow({ page, baseUrl, unit, data, shots }) {
  const cpu = await unitWithResourcesAtProvider(baseUrl, data, unit);
  // Earlier runs against the same database may have left expansions in force: the limit is what is left now.
  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  await page.goto(`${baseUrl}/monitoring/expansions`);
  await page.getByTestId('monitoring-expansions').waitFor({ timeout: TIMEOUT });
  await openExpansionForm(page, unit, data);
  const limit = (Math.floor(Number(cpu.original) * 20) / 100).toFixed(2);
  const before = await remainingCpu(page);
  if (before !== limit) throw new Error(`the allowance shows ${before} CPU cores left, expected 20 % of ${cpu.original} = ${limit}`);
  await (await inputOf(page, 'monitoring-expansion-amount')).fill(limit);
  const reason = `E2E 业务高峰临时扩容-${Date.now().toString(36)}`;
  await page.getByTestId('monitoring-expansion-reason').fill(reason);
  await shots?.('monitoring-expansion-allowance', page);
  await page.getByTestId('monitoring-expansion-save').click();
  const row = page.getByTestId('monitoring-expansions').locator('tr', { hasText: reason }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.getByText('未开始').waitFor({ timeout: TIMEOUT });
  await row.getByText(unit.name).waitFor({ timeout: TIMEOUT });
  await row.getByText('20.00%').waitFor({ timeout: TIMEOUT });
  await shots?.('monitoring-expansion-recorded', page);
  const stored = (await data.mgmtApi.request('GET', `/api/monitoring/expansions?unitId=${unit.id}`)).items.find((x) => x.reason === reason);
  if (!stored || stored.amount !== limit || stored.resourceKey !== 'cpuCores' || stored.state !== 'planned') throw new Error(`expansion not stored as entered: ${JSON.stringify(stored)}`);

  // Nothing left for the same period while it is in force.
  await openExpansionForm(page, unit, data);
  await remainingIs(page, '0.00');
  await page.locator('.ant-modal:visible').getByRole('button', { name: /取\s*消/ }).click();

  // Cancelling frees it: the row says 已取消 and the allowance is whole again.
  await row.getByTestId('monitoring-expansion-cancel').click();
  await page.locator('.ant-popconfirm:visible').getByRole('button', { name: '是' }).click();
  await row.getByText('已取消').waitFor({ timeout: TIMEOUT });
  await openExpansionForm(page, unit, data);
  await remainingIs(page, limit);
  await shots?.('monitoring-expansion-cancelled', page);
}

export const MONITORING_FLOWS = [
  { name: '监控告警：告警视图 → 确认 → 主机监控曲线 (alarm view, acknowledge, host chart)', run: monitoringFlow },
  { name: '监控告警：新建维护窗口 → 取消 (maintenance window create, cancel)', run: maintenanceWindowFlow },
  { name: '监控告警：临时扩容登记 → 超出原有资源被拒 (temporary expansion refused without original resources)', run: expansionFlow },
  { name: '监控告警：临时扩容登记（20% 以内）→ 额度 → 取消恢复 (temporary expansion within the allowance, cancel restores it)', run: expansionSuccessFlow },
  { name: '监控告警：告警规则按名称选择主机范围 (rule scope picked by name)', run: ruleScopePickerFlow },
];
