// Browser flow of monitoring (监控告警): management staff see an alert fired on the provider's pushed host metrics in
// the alarm view, acknowledge it with a comment (its history shows who and why), then open the host's chart: the
// 24-hour range is read from the raw 5-minute points and its numbers are listed in the table under the chart.
import { enqueueJob } from './data-setup.mjs';
import { inputOf, signInAgain } from './flows.mjs';
import { sleep } from './harness.mjs';

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
  await (await inputOf(page, 'monitoring-window-scope-id')).fill(data.provider.id);
  const reason = `E2E 机房割接-${Date.now().toString(36)}`;
  await page.getByTestId('monitoring-window-reason').fill(reason);
  await shots?.('monitoring-window-form', page);
  await page.getByTestId('monitoring-window-save').click();
  const row = page.getByTestId('monitoring-windows').locator('tr', { hasText: reason }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.getByText('未开始').waitFor({ timeout: TIMEOUT });
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

export const MONITORING_FLOWS = [
  { name: '监控告警：告警视图 → 确认 → 主机监控曲线 (alarm view, acknowledge, host chart)', run: monitoringFlow },
  { name: '监控告警：新建维护窗口 → 取消 (maintenance window create, cancel)', run: maintenanceWindowFlow },
  { name: '监控告警：临时扩容登记 → 超出原有资源被拒 (temporary expansion refused without original resources)', run: expansionFlow },
];
