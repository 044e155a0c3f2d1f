// Browser flow of operations supervision (运维监管): the provider's operations engineer creates a machine-room
// inspection plan (4 a day) for its node, records the current slot's inspection with an abnormal item, and closes the
// rectification item that the abnormal item became (its service-desk ticket is cleared) — through the pages only.
import { inputOf, signInAgain, signInFirstTime } from './flows.mjs';

const TIMEOUT = 20_000;

/** Picks an option of an Ant Design select and checks that it took (a click during the open animation can be lost). */
async function pickOption(page, testId, text) {
  for (let attempt = 1; ; attempt++) {
    await page.getByTestId(testId).click();
    const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first();
    await option.waitFor({ timeout: TIMEOUT });
    await option.click();
    try {
      await page.getByTestId(testId).locator('.ant-select-selection-item', { hasText: text }).waitFor({ timeout: 3_000 });
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

async function inspectionFlow({ page, baseUrl, data, shots }) {
  const tag = Date.now().toString(36);
  const planName = `E2E 机房巡检 ${tag}`;
  const note = `E2E 2 号机柜温度 31℃ ${tag}`;
  await signInOps(page, baseUrl, data.accounts.providerops);

  // 1. The plan: the provider's node, the machine-room checklist, 4 times a day.
  await page.goto(`${baseUrl}/operations/inspections`);
  await page.getByTestId('ops-new-plan').click();
  await pickOption(page, 'ops-plan-node', data.node.name);
  await pickOption(page, 'ops-plan-template', '机房巡检');
  await page.getByTestId('ops-plan-name').fill(planName);
  const times = await inputOf(page, 'ops-plan-times');
  await times.fill('4');
  await page.getByTestId('ops-plan-submit').click();
  const row = page.getByTestId('ops-plans').locator('tr', { hasText: planName });
  await row.waitFor({ timeout: TIMEOUT });
  if (!/每日 × 4/.test(await row.innerText())) throw new Error(`the plan should be daily × 4: ${await row.innerText()}`);

  // 2. The record of the current slot: temperature abnormal with a note, the rest normal.
  await row.getByTestId('ops-record').click();
  const drawer = page.getByTestId('ops-record-drawer');
  await drawer.getByTestId('ops-result-temperature').waitFor({ timeout: TIMEOUT });
  await drawer.getByTestId('ops-record-inspector').fill('E2E 巡检员');
  await drawer.getByTestId('ops-result-temperature').getByText('异常').click();
  await drawer.getByTestId('ops-note-temperature').fill(note);
  await shots?.('operations-inspection-record', page);
  await drawer.getByTestId('ops-record-submit').click();
  await page.locator('.ant-message', { hasText: '异常项 1 项已生成整改' }).waitFor({ timeout: TIMEOUT });
  await page.getByTestId('ops-records').locator('tr', { hasText: planName }).waitFor({ timeout: TIMEOUT });

  // 3. The rectification item (with its ticket) is closed with what was done.
  await page.goto(`${baseUrl}/operations/rectifications`);
  const rect = page.getByTestId('ops-rectifications').locator('tr', { hasText: note });
  await rect.waitFor({ timeout: TIMEOUT });
  await rect.getByTestId('ops-rect-status').filter({ hasText: '整改中' }).waitFor({ timeout: TIMEOUT });
  if (!(await rect.innerText()).includes('工单')) throw new Error(`the rectification item has no ticket: ${await rect.innerText()}`);
  await rect.getByTestId('ops-rect-close').click();
  await page.getByTestId('ops-rect-resolution').fill('已调整空调设定，复测 24℃');
  await page.getByTestId('ops-rect-close-ok').click();
  await rect.getByTestId('ops-rect-status').filter({ hasText: '已完成' }).waitFor({ timeout: TIMEOUT });
  await shots?.('operations-rectification', page);
}

/** The provider's operations engineer: first sign-in (password change) once per run, afterwards the new password. */
async function signInOps(page, baseUrl, account) {
  if (account.passwordChanged) await signInAgain(page, baseUrl, account);
  else {
    await signInFirstTime(page, baseUrl, account);
    account.passwordChanged = true;
  }
}

/** Uploads a small PDF through the row's upload button (the browser's file chooser). */
async function uploadDocument(drawer, page, key) {
  const chooser = page.waitForEvent('filechooser', { timeout: TIMEOUT });
  await drawer.getByTestId(`entry-upload-${key}`).click();
  await (await chooser).setFiles({ name: `${key}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4 E2E ${key}`) });
  await drawer.getByTestId(`entry-doc-${key}`).filter({ hasText: '待审核' }).waitFor({ timeout: TIMEOUT });
}

const ENTRY_KEYS = ['service_level_spec', 'migration_guide', 'usage_process', 'system_emergency_guide', 'ops_plan', 'security_plan', 'platform_emergency_plan', 'annual_work_plan'];

/**
 * Provider entry (进驻): the provider applies for its node, uploads six of the eight initial-assessment documents, is
 * refused the submission with the two missing documents named, uploads them and submits (材料审核).
 */
async function entryFlow({ page, baseUrl, data, shots }) {
  await signInOps(page, baseUrl, data.accounts.providerops);
  await page.goto(`${baseUrl}/operations/entries`);
  await page.getByTestId('entry-apply').click();
  await pickOption(page, 'entry-node', data.node.name);
  await page.getByTestId('entry-apply-ok').click();
  const drawer = page.getByTestId('entry-detail');
  await drawer.getByTestId('entry-state').filter({ hasText: '申请' }).waitFor({ timeout: TIMEOUT });
  await drawer.getByTestId('entry-missing').filter({ hasText: '缺少 8 项材料' }).waitFor({ timeout: TIMEOUT });
  for (const key of ENTRY_KEYS.slice(0, 6)) await uploadDocument(drawer, page, key);
  await drawer.getByTestId('entry-submit').click();
  const refusal = drawer.getByTestId('entry-error');
  await refusal.waitFor({ timeout: TIMEOUT });
  const text = await refusal.innerText();
  if (!text.includes('云平台应急预案') || !text.includes('云年度工作计划书')) throw new Error(`the refusal should name the two missing documents: ${text}`);
  await shots?.('operations-entry-missing', page);
  for (const key of ENTRY_KEYS.slice(6)) await uploadDocument(drawer, page, key);
  await drawer.getByTestId('entry-submit').click();
  await drawer.getByTestId('entry-state').filter({ hasText: '材料审核' }).waitFor({ timeout: TIMEOUT });
  await page.getByTestId('entry-list').locator('tr', { hasText: data.node.name }).filter({ hasText: '材料审核' }).waitFor({ timeout: TIMEOUT });
}

/**
 * Provider work report (服务商工作汇报, 会议与沟通): the provider's operations engineer files this month's report through
 * the form, sees it in the list, and a second report for the same month is refused with the reason shown in the form.
 */
async function workReportFlow({ page, baseUrl, data, shots }) {
  const tag = Date.now().toString(36);
  const month = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 7);
  const title = `E2E 月度工作汇报 ${tag}`;
  await signInOps(page, baseUrl, data.accounts.providerops);
  await page.goto(`${baseUrl}/operations/meetings`);
  await page.getByTestId('ops-new-work-report').click();
  const form = page.getByTestId('ops-report-form');
  await form.waitFor({ timeout: TIMEOUT });
  await page.getByTestId('ops-report-form-period').fill(month);
  await page.getByTestId('ops-report-form-title').fill(title);
  await page.getByTestId('ops-report-form-minutes').fill('本月完成机房巡检 120 次，整改 2 项。');
  await shots?.('operations-work-report', page);
  await page.getByTestId('ops-report-form-ok').click();
  const row = page.getByTestId('ops-meetings').locator('tr', { hasText: title });
  await row.waitFor({ timeout: TIMEOUT });
  if (!(await row.innerText()).includes(`服务商工作汇报 ${month}`)) throw new Error(`the row should show the kind and month: ${await row.innerText()}`);

  // the same month again: refused, the reason shown above the form, nothing added
  await page.getByTestId('ops-new-work-report').click();
  await page.getByTestId('ops-report-form').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('ops-report-form-period').fill(month);
  await page.getByTestId('ops-report-form-title').fill(`${title} 重复`);
  await page.getByTestId('ops-report-form-ok').click();
  const refusal = page.getByTestId('ops-report-form-error');
  await refusal.waitFor({ timeout: TIMEOUT });
  if (!(await refusal.innerText()).includes('该月工作汇报已登记')) throw new Error(`the refusal should say the month is filed: ${await refusal.innerText()}`);
}

export const OPERATIONS_FLOWS = [{ name: '运维监管：巡检计划 → 巡检记录（异常项）→ 整改完成 (inspection from plan to rectification)', run: inspectionFlow },
  { name: '运维监管：云服务商申请进驻 → 缺材料被拒（列出缺失材料）→ 补齐后提交材料审核 (provider entry)', run: entryFlow },
  { name: '运维监管：服务商登记月度工作汇报 → 列表可见 → 同月重复登记被拒 (work report)', run: workReportFlow }];
