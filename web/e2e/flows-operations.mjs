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

/** Beijing day `n` days from today, YYYY-MM-DD. */
const beijingDay = (n = 0) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + n * 86_400_000));

/** Types a day into an Ant Design date picker (its input, or the n-th input of a range picker) and confirms it. */
async function typeDate(page, testId, day, nth = 0) {
  // a range picker puts the data-testid on both of its inputs; a date picker on its input or its wrapper
  const els = page.getByTestId(testId);
  const target = (await els.count()) > 1 ? els.nth(nth) : await inputOf(page, testId);
  await target.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(day);
  await page.keyboard.press('Enter');
}

/**
 * Personnel (人员): the provider's operations engineer adds a staff member with a certificate expiring in 20 days
 * through the form; the staff list flags the certificate (即将到期, amber) and the expiring-certificates list has it.
 */
async function staffFlow({ page, baseUrl, data, shots }) {
  const tag = Date.now().toString(36);
  const name = `E2E 张工 ${tag}`;
  const certificate = `CISP-${tag}`;
  const validTo = beijingDay(20);
  await signInOps(page, baseUrl, data.accounts.providerops);
  await page.goto(`${baseUrl}/operations/personnel`);
  await page.getByTestId('ops-new-staff').click();
  await page.getByTestId('ops-staff-form').waitFor({ timeout: TIMEOUT });
  await pickOption(page, 'ops-staff-form-nodeId', data.node.name);
  await page.getByTestId('ops-staff-form-name').fill(name);
  await pickOption(page, 'ops-staff-form-post', '运维工程师');
  await page.getByTestId('ops-staff-form-core').check();
  // the certificate without its expiry is refused by the form, naming the field
  await page.getByTestId('ops-staff-add-cert').click();
  await page.getByTestId('ops-staff-cert-0-name').fill(certificate);
  await page.getByTestId('ops-staff-cert-0-number').fill(`NO-${tag}`);
  await page.getByTestId('ops-staff-form-ok').click();
  await page.getByTestId('ops-staff-cert-0').getByText('请填写有效期至').waitFor({ timeout: TIMEOUT });
  await typeDate(page, 'ops-staff-cert-0-validTo', validTo);
  await shots?.('operations-staff-form', page);
  await page.getByTestId('ops-staff-form-ok').click();
  const row = page.getByTestId('ops-staff').locator('tr', { hasText: name });
  await row.waitFor({ timeout: TIMEOUT });
  const flag = row.getByTestId('ops-cert-expiring');
  await flag.waitFor({ timeout: TIMEOUT });
  const text = await flag.innerText();
  if (!text.includes(certificate) || !text.includes(validTo) || !text.includes('即将到期')) throw new Error(`the certificate should be flagged as expiring on ${validTo}: ${text}`);
  if (!(await flag.getAttribute('class')).includes('ant-tag-orange')) throw new Error('the expiring certificate is not highlighted (amber)');
  if (!/运维工程师/.test(await row.innerText())) throw new Error(`the row should show the post: ${await row.innerText()}`);
  await page.getByTestId('ops-expiring').locator('tr', { hasText: name }).filter({ hasText: validTo }).waitFor({ timeout: TIMEOUT });
  await shots?.('operations-staff', page);
}

/** Drills (应急演练): the provider plans a desktop drill, then records it as held with participants, findings, report. */
async function drillFlow({ page, baseUrl, data, shots }) {
  const tag = Date.now().toString(36);
  const scenario = `E2E 核心交换机宕机桌面推演 ${tag}`;
  await signInOps(page, baseUrl, data.accounts.providerops);
  await page.goto(`${baseUrl}/operations/drills`);
  await page.getByTestId('ops-new-drill').click();
  await page.getByTestId('ops-drill-form').waitFor({ timeout: TIMEOUT });
  await pickOption(page, 'ops-drill-form-kind', '桌面推演');
  await page.getByTestId('ops-drill-form-scenario').fill(scenario);
  await page.getByTestId('ops-drill-form-ok').click();
  const row = page.getByTestId('ops-drills').locator('tr', { hasText: scenario });
  await row.getByTestId('ops-drill-status').filter({ hasText: '计划中' }).waitFor({ timeout: TIMEOUT });

  await row.getByTestId('ops-drill-hold').click();
  await page.getByTestId('ops-hold-form').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('ops-hold-form-participants').fill('E2E 王工、E2E 李工');
  await page.getByTestId('ops-hold-form-findings').fill('备用链路切换用时 9 分钟，超出预案 5 分钟要求');
  await page.getByTestId('ops-hold-form-report').fill(`演练报告 ${tag}：按预案切换至备用交换机，业务恢复。`);
  await shots?.('operations-drill-hold', page);
  await page.getByTestId('ops-hold-form-ok').click();
  await row.getByTestId('ops-drill-status').filter({ hasText: '已实施' }).waitFor({ timeout: TIMEOUT });
  const text = await row.innerText();
  if (!text.includes(beijingDay(0)) || !text.includes('E2E 王工、E2E 李工') || !text.includes('备用链路切换用时')) throw new Error(`the held drill should show the day, participants and findings: ${text}`);
  await row.locator('.ant-table-row-expand-icon').click();
  await page.getByTestId('ops-drill-report').filter({ hasText: `演练报告 ${tag}` }).waitFor({ timeout: TIMEOUT });
}

/**
 * Duty roster (排班): the provider rosters one day in 8-hour shifts; a person on two overlapping shifts is refused with
 * the row named; without the 08:00–16:00 shift the server reports the 7×24 gap and saves nothing; saved accepting
 * the gap, the page shows the gap the server returned.
 */
async function rosterFlow({ page, baseUrl, data, shots }) {
  const day = beijingDay(30 + (Date.now() % 300)); // a future day of its own (a save replaces that day's shifts)
  await signInOps(page, baseUrl, data.accounts.providerops);
  await page.goto(`${baseUrl}/operations/duty`);
  await page.getByTestId('ops-new-roster').click();
  await page.getByTestId('ops-roster-form').waitFor({ timeout: TIMEOUT });
  await typeDate(page, 'ops-roster-period', day, 0);
  await typeDate(page, 'ops-roster-period', day, 1);
  await page.getByTestId('ops-roster-people').fill('E2E 值班甲、E2E 值班乙');
  await page.getByTestId('ops-roster-generate').click();
  await page.getByTestId('ops-roster-count').filter({ hasText: '共 3 个班次' }).waitFor({ timeout: TIMEOUT });

  // overlap: 值班甲 00–08 and 07–24
  await page.getByTestId('ops-roster-shift-2-startsAt').fill(`${day} 07:00`);
  await page.getByTestId('ops-roster-save').click();
  await page.getByTestId('ops-roster-error').filter({ hasText: '同一人值班时段重叠' }).waitFor({ timeout: TIMEOUT });
  await page.getByTestId('ops-roster-shift-2').getByText('与第 1 个班次是同一人且时间重叠').waitFor({ timeout: TIMEOUT });

  // a gap: 08–16 removed
  await page.getByTestId('ops-roster-shift-2-startsAt').fill(`${day} 16:00`);
  await page.getByTestId('ops-roster-shift-1-remove').click();
  await page.getByTestId('ops-roster-save').click();
  const gaps = page.getByTestId('ops-roster-gaps');
  await gaps.waitFor({ timeout: TIMEOUT });
  const gapText = await gaps.innerText();
  if (!gapText.includes('1 个时段无人值班') || !gapText.includes(`${day} 08:00 – ${day} 16:00`)) throw new Error(`the refusal should name the gap ${day} 08:00–16:00: ${gapText}`);
  await shots?.('operations-roster-gap', page);
  await page.getByTestId('ops-roster-accept-gaps').click();
  const result = page.getByTestId('ops-roster-result');
  await result.waitFor({ timeout: TIMEOUT });
  const resultText = await result.innerText();
  if (!resultText.includes('共 2 个班次') || !resultText.includes('仍有 1 个时段无人值班') || !resultText.includes(`${day} 08:00 – ${day} 16:00`)) throw new Error(`the saved roster should report its gap: ${resultText}`);
  // the day's duty summary (the page moved to it) lists the two shifts left (both 值班甲's) and the gap
  await page.getByText(`未覆盖时段：${day} 08:00:00 – ${day} 16:00:00`).waitFor({ timeout: TIMEOUT });
  await page.getByRole('cell', { name: `${day} 16:00:00` }).waitFor({ timeout: TIMEOUT });
  const onDuty = await page.getByRole('cell', { name: 'E2E 值班甲', exact: true }).count();
  if (onDuty !== 2 || (await page.getByRole('cell', { name: 'E2E 值班乙', exact: true }).count()) !== 0) throw new Error(`the day should have 值班甲's two shifts only (got ${onDuty})`);
}

/**
 * Qualifications (资质): management-unit staff record the E2E provider's qualification (有效, green), review it as failed
 * (已失效, red); a second, current record is added so that the provider is not left suspended for other flows.
 */
async function qualificationFlow({ page, baseUrl, data, shots }) {
  const tag = Date.now().toString(36);
  const name = `E2E 云服务运营资质 ${tag}`;
  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  await page.goto(`${baseUrl}/operations/personnel`);
  const record = async (title) => {
    await page.getByTestId('ops-new-qualification').click();
    await page.getByTestId('ops-qual-form').waitFor({ timeout: TIMEOUT });
    await pickOption(page, 'ops-qual-form-providerOrgId', data.provider.name);
    await page.getByTestId('ops-qual-form-name').fill(title);
    await page.getByTestId('ops-qual-form-ok').click();
    const row = page.getByTestId('ops-qualifications').locator('tr', { hasText: title });
    await row.getByTestId('ops-qual-state').filter({ hasText: '有效' }).waitFor({ timeout: TIMEOUT });
    return row;
  };
  const row = await record(name);
  if (!(await row.innerText()).includes(data.provider.name)) throw new Error(`the row should name the provider: ${await row.innerText()}`);
  await row.getByTestId('ops-qual-review').click();
  await page.getByTestId('ops-review-form').waitFor({ timeout: TIMEOUT });
  await pickOption(page, 'ops-review-form-passed', '不通过');
  await page.getByTestId('ops-review-form-note').fill('年度复核：安全管理制度不满足要求');
  await page.getByTestId('ops-review-form-ok').click();
  const state = row.getByTestId('ops-qual-state').filter({ hasText: '已失效' });
  await state.waitFor({ timeout: TIMEOUT });
  if (!(await state.getAttribute('class')).includes('ant-tag-red')) throw new Error('the lapsed qualification is not shown red');
  if (!(await row.innerText()).includes(beijingDay(0))) throw new Error(`the row should show the review day: ${await row.innerText()}`);
  await shots?.('operations-qualification-lapsed', page);
  await record(`${name} 换证`);
}

export const OPERATIONS_FLOWS = [{ name: '运维监管：巡检计划 → 巡检记录（异常项）→ 整改完成 (inspection from plan to rectification)', run: inspectionFlow },
  { name: '运维监管：云服务商申请进驻 → 缺材料被拒（列出缺失材料）→ 补齐后提交材料审核 (provider entry)', run: entryFlow },
  { name: '运维监管：服务商登记月度工作汇报 → 列表可见 → 同月重复登记被拒 (work report)', run: workReportFlow },
  { name: '运维监管：新增人员（30 天内到期证书）→ 证书标记即将到期 (staff certificate)', run: staffFlow },
  { name: '运维监管：计划桌面演练 → 记录实施（参加人员、发现问题、报告）(drill)', run: drillFlow },
  { name: '运维监管：排班 → 重叠班次被拒 → 未覆盖时段由服务端报告 → 接受后保存 (duty roster)', run: rosterFlow },
  { name: '运维监管：管理单位记录资质 → 年度复核不通过 → 已失效标红 (qualification)', run: qualificationFlow }];
