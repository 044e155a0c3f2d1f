// The browser flows: what a person does in the UI, located by the data-testid attributes of web/src.
import { SECURITY_FLOWS } from './flows-security.mjs';
import { EVALUATION_FLOWS } from './flows-evaluation.mjs';
import { SERVICEDESK_FLOWS } from './flows-servicedesk.mjs';
import { MONITORING_FLOWS } from './flows-monitoring.mjs';
import { OPERATIONS_FLOWS } from './flows-operations.mjs';
import { AVAILABILITY_FLOWS } from './flows-availability.mjs';
import { REPORTS_FLOWS } from './flows-reports.mjs';
import { RIGHTSIZING_FLOWS } from './flows-rightsizing.mjs';
import fs from 'node:fs';
import { freshTotp, sleep } from './harness.mjs';
import { enqueueJob } from './data-setup.mjs';

const TIMEOUT = 20_000;

/**
 * Signs in through the login page: credentials, forced password change, and TOTP enrolment (secret read off the page)
 * when the server asks for it (administrators always; other roles when the security policy says so).
 */
export async function signInFirstTime(page, baseUrl, account) {
  const { username, password, newPassword } = account;
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();

  await page.getByTestId('login-step-password_change_required').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('new-password').fill(newPassword);
  await page.getByTestId('confirm-password').fill(newPassword);
  await page.getByTestId('password-submit').click();

  const enrolment = page.getByTestId('login-step-mfa_enrolment_required');
  await enrolment.or(page.getByTestId('main-menu')).first().waitFor({ timeout: TIMEOUT });
  if (!(await enrolment.isVisible())) {
    if (new URL(page.url()).pathname.startsWith('/login')) throw new Error('still on the login page after the password change');
    return null; // signed in without a second factor
  }
  await page.getByTestId('totp-qr').waitFor({ timeout: TIMEOUT });
  const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
  if (!/^[A-Z2-7]{16,}$/.test(secret)) throw new Error(`the page shows no TOTP secret (got "${secret}")`);
  // The account remembers its secret and the TOTP steps it used, for a later sign-in (signInAgain).
  account.totpSecret = secret;
  account.usedSteps ??= new Set();
  await page.getByTestId('totp-code').fill(await freshTotp(secret, account.usedSteps));
  await page.getByTestId('totp-submit').click();

  // Signed in: the layout with its menu replaces the login page.
  await page.getByTestId('main-menu').waitFor({ timeout: TIMEOUT });
  if (new URL(page.url()).pathname.startsWith('/login')) throw new Error('still on the login page after enrolment');
  return secret;
}

/** Opens a page of the left menu (inside its group when the menu has groups). */
export async function openMenu(page, group, leaf) {
  const item = page.getByTestId(`menu-${leaf}`);
  if (!(await item.isVisible())) await page.getByTestId('main-menu').getByText(group, { exact: true }).click();
  await item.click();
}

/** Picks `title` in an Ant Design TreeSelect / Select identified by its data-testid. */
async function pick(page, testId, title, kind) {
  await page.getByTestId(testId).click();
  const popup = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  const option = kind === 'tree' ? popup.locator('.ant-select-tree-title', { hasText: title }) : popup.locator(`.ant-select-item-option[title="${title}"]`);
  await option.first().click({ timeout: TIMEOUT });
}

/** Flow 1: an administrator signs in for the first time — changes the initial password and enrols TOTP. */
export async function adminFirstSignIn({ page, baseUrl, accounts, shots }) {
  const a = accounts.sysadmin;
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-form').waitFor({ timeout: TIMEOUT });
  await shots?.('login', page);
  await signInFirstTime(page, baseUrl, a);
  // The menu is filtered by permission: the system administrator sees users, not the audit log.
  await page.getByTestId('menu-users').waitFor({ timeout: TIMEOUT });
  if ((await page.getByTestId('menu-audit-logs').count()) > 0) throw new Error('the system administrator is shown the audit log menu');
  const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
  if (me.username !== a.username || me.mfaEnabled !== true) throw new Error(`/api/auth/me after enrolment: ${JSON.stringify(me)}`);
  await shots?.('home', page);
}

/** Flow 2: a unit administrator signs in and creates a user of the unit; the initial password is shown once. */
export async function unitAdminCreatesUser({ page, baseUrl, accounts, unit, created, shots }) {
  await signInFirstTime(page, baseUrl, accounts.unitadmin);
  await openMenu(page, '系统管理', 'users');
  await page.getByTestId('users-table').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('users-create').click();
  await page.getByTestId('user-form').waitFor({ timeout: TIMEOUT });
  await pick(page, 'user-form-org', unit.name, 'tree');
  await page.getByTestId('user-form-username').fill(created.username);
  await page.getByTestId('user-form-display-name').fill(created.displayName);
  await page.getByTestId('user-form-email').fill(created.email);
  // A role is optional for a new user; the flow grants 使用单位业务人员 when the form offers it and says so when not.
  await page.getByTestId('user-form-roles').click();
  const role = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="使用单位业务人员"]');
  if (await role.first().waitFor({ timeout: 5_000 }).then(() => true, () => false)) await role.first().click();
  else console.log('      note: the role list of the new-user form offers no role for the unit (GET /api/roles?orgId=… answers no built-in role)');
  await page.keyboard.press('Escape'); // close the select's popup
  await shots?.('user-create', page);
  await page.getByTestId('user-form-submit').click();
  const initial = page.getByTestId('initial-password');
  await initial.waitFor({ timeout: TIMEOUT });
  const password = (await initial.innerText()).trim();
  if (password.length < 8) throw new Error(`no initial password shown (got "${password}")`);
  await page.getByTestId('initial-password-close').click();
  await page.getByTestId(`user-row-${created.username}`).waitFor({ timeout: TIMEOUT });
  await shots?.('users', page);
  created.initialPassword = password;
}

/** Flow 3: the audit administrator finds the record of that creation in the audit log. */
export async function auditAdminSeesCreation({ page, baseUrl, accounts, created, shots }) {
  if (!created.initialPassword) throw new Error('flow 2 created no user to look for');
  await signInFirstTime(page, baseUrl, accounts.auditadmin);
  await openMenu(page, '审计管理', 'audit-logs');
  await page.getByTestId('audit-table').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('audit-filter-action').fill('users.create');
  await page.getByTestId('audit-filter-actor').fill(accounts.unitadmin.username);
  await page.getByTestId('audit-search').click();
  const row = page.getByTestId('audit-table').locator('tbody tr', { hasText: 'users.create' }).filter({ hasText: accounts.unitadmin.username });
  await row.first().waitFor({ timeout: TIMEOUT });
  await shots?.('audit-log', page);
  await row.first().click();
  const drawer = page.getByTestId('audit-drawer');
  await drawer.getByText(created.username).first().waitFor({ timeout: TIMEOUT });
  // The audit administrator reads the log only: no user administration in the menu.
  if ((await page.getByTestId('menu-users').count()) > 0) throw new Error('the audit administrator is shown the users menu');
  await shots?.('audit-record', page);
}

/** Signs in an account that has changed its password (in signInFirstTime) before; TOTP if it enrolled then. */
export async function signInAgain(page, baseUrl, account) {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(account.username);
  await page.getByTestId('login-password').fill(account.newPassword);
  await page.getByTestId('login-submit').click();
  if (account.totpSecret) {
    await page.getByTestId('login-step-mfa_required').waitFor({ timeout: TIMEOUT });
    await page.getByTestId('totp-code').fill(await freshTotp(account.totpSecret, account.usedSteps));
    await page.getByTestId('totp-submit').click();
  }
  await page.getByTestId('main-menu').waitFor({ timeout: TIMEOUT });
}

/** The <input> of an Ant Design input or picker identified by its data-testid (on the input itself or on its wrapper). */
export async function inputOf(page, testId) {
  const el = page.getByTestId(testId);
  return (await el.evaluate((e) => e.tagName)) === 'INPUT' ? el : el.locator('input').first();
}

/** Today in Beijing time, YYYY-MM-DD. */
const beijingToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** The Chinese wording of a record error's rule as the batch drawer shows it (web/src/features/ingestion/i18n.ts). */
const RULE_ZH = { format: '不符合格式', type: '类型不对', digits: '整数位数超出', decimals: '小数位数超出', length: '长度不符合', required: '必填' };

/**
 * Flow 4: management-unit staff sign in for the first time and look at what the provider pushed: the partly accepted
 * batch with its per-record error in 接入批次, the hosts in 接入数据查询, and their .xlsx export.
 */
export async function mgmtSeesPushedData({ page, baseUrl, data, shots }) {
  const { batchId, error } = data.pushes.monitoring;
  await signInFirstTime(page, baseUrl, data.accounts.mgmtstaff);

  // 接入批次: the monitoring batch is listed; its drawer shows the faulty record's field, value and translated rule.
  await openMenu(page, '数据接入', 'ingest-batches');
  const row = page.getByTestId(`batch-row-${batchId}`);
  await row.waitFor({ timeout: TIMEOUT });
  const rowText = await row.innerText();
  for (const want of ['云主机监控数据', data.provider.name, data.node.name, '部分接收']) {
    if (!rowText.includes(want)) throw new Error(`batch ${batchId} row lacks "${want}": ${rowText}`);
  }
  await shots?.('ingest-batches', page);
  await row.click();
  const drawer = page.getByTestId('batch-drawer');
  await drawer.waitFor({ timeout: TIMEOUT });
  const errorRow = drawer.getByTestId(`batch-error-${error.index}-cpuUsage`);
  await errorRow.waitFor({ timeout: TIMEOUT });
  const errorText = await errorRow.innerText();
  const wording = RULE_ZH[error.rule];
  for (const want of ['CPU 使用率', 'abc', error.rule, 'CPU 使用率（cpuUsage）', ...(wording ? [wording] : [])]) {
    if (!errorText.includes(want)) throw new Error(`the error row of batch ${batchId} lacks "${want}": ${errorText}`);
  }
  // Exactly one faulty record was pushed: the drawer lists no error of the other records.
  const errorRows = await drawer.getByTestId('batch-errors').locator('[data-testid^="batch-error-"]').count();
  if (errorRows !== 1) throw new Error(`the drawer lists ${errorRows} errors, expected 1`);
  await shots?.('ingest-batch-errors', page);
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden', timeout: TIMEOUT });

  // 接入数据查询: pick 服务数据 › 云主机规格数据; the pushed hosts are listed.
  await openMenu(page, '数据接入', 'ingest-data');
  await page.getByTestId('ingest-table').click();
  await page.getByTestId('ingest-table-option-serviceData').click({ timeout: TIMEOUT });
  await page.getByTestId('ingest-table-option-cloudHostSpec').click({ timeout: TIMEOUT });
  const records = page.getByTestId('ingest-records');
  for (const host of data.hosts) await records.getByText(host, { exact: true }).waitFor({ timeout: TIMEOUT });
  if (!new URL(page.url()).search.includes('table=cloudHostSpec')) throw new Error(`the table choice is not in the URL: ${page.url()}`);
  await shots?.('ingest-data', page);

  // Export .xlsx: a download named *.xlsx whose content is a non-empty zip (an .xlsx file is one).
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.getByTestId('ingest-export-xlsx').click()]);
  const name = download.suggestedFilename();
  if (!/\.xlsx$/.test(name)) throw new Error(`the export is named "${name}", not *.xlsx`);
  const file = await download.path();
  const bytes = fs.readFileSync(file);
  if (bytes.length < 100 || bytes.subarray(0, 2).toString('latin1') !== 'PK') throw new Error(`the export ${name} is not an .xlsx file (${bytes.length} bytes)`);
}

/**
 * Flow 5: the same staff see the provider's data-quality scorecard for today (computed through POST
 * /api/data-quality/compute, as the 15-minute job would) and the pushed hosts in 资源清单 (applied by the
 * `inventory.apply` job, which the flow enqueues as its every-minute cron would; it waits at most 75 s for it).
 */
export async function mgmtSeesQualityAndInventory({ page, baseUrl, data, shots }) {
  const staff = data.accounts.mgmtstaff;
  const day = beijingToday();
  await data.mgmtApi.request('POST', '/api/data-quality/compute', { day });
  // No endpoint applies batches on demand: enqueue `inventory.apply` as its every-minute cron does; the server's worker
  // runs it within seconds (and the cron itself would within a minute or two).
  await enqueueJob(data.databaseUrl, 'inventory.apply');
  const deadline = Date.now() + 75_000;
  for (;;) {
    const list = await data.mgmtApi.request('GET', `/api/inventory/resources?q=e2e-host&status=active&page=1&pageSize=20`);
    if (list.items.length >= data.hosts.length) break;
    if (Date.now() > deadline) throw new Error(`the inventory job applied ${list.items.length} of ${data.hosts.length} hosts within 75 s`);
    await sleep(1_000);
  }
  await signInAgain(page, baseUrl, staff);

  // 数据质量: the only provider is shown straight away; pick the day (today) instead of the default week.
  await openMenu(page, '数据接入', 'data-quality');
  await page.getByTestId('quality-period-kind').getByText('日', { exact: true }).click();
  const date = await inputOf(page, 'quality-period-date');
  await date.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(day);
  await page.keyboard.press('Enter');
  const card = page.getByTestId('quality-provider-card');
  await card.getByText(data.provider.name).waitFor({ timeout: TIMEOUT });
  await page.getByTestId('quality-table-cloudHostMonitoring').waitFor({ timeout: TIMEOUT });
  const accepted = page.getByTestId('quality-accepted-cloudHostMonitoring');
  const rejected = page.getByTestId('quality-rejected-cloudHostMonitoring');
  await page.waitForFunction(
    ([a, r]) => document.querySelector(`[data-testid="${a}"]`)?.textContent === '2' && document.querySelector(`[data-testid="${r}"]`)?.textContent === '1',
    ['quality-accepted-cloudHostMonitoring', 'quality-rejected-cloudHostMonitoring'],
    { timeout: TIMEOUT },
  ).catch(async () => {
    throw new Error(`cloudHostMonitoring on ${day}: accepted "${await accepted.innerText()}", rejected "${await rejected.innerText()}" (expected 2 and 1)`);
  });
  const specAccepted = await page.getByTestId('quality-accepted-cloudHostSpec').innerText();
  if (specAccepted !== String(data.hosts.length)) throw new Error(`cloudHostSpec accepted ${specAccepted}, expected ${data.hosts.length}`);
  await shots?.('data-quality', page);

  // 资源清单 › 资源: the pushed hosts, by name.
  await openMenu(page, '资源清单', 'inventory');
  await page.getByTestId('inventory-tab-resources').click();
  await (await inputOf(page, 'inventory-search')).fill('e2e-host');
  await page.keyboard.press('Enter');
  const resources = page.getByTestId('inventory-resources');
  for (const host of data.hosts) await resources.getByText(host, { exact: true }).waitFor({ timeout: TIMEOUT });
  await shots?.('inventory-resources', page);
}

export const FLOWS = [
  { name: 'administrator signs in: initial password change and TOTP enrolment', run: adminFirstSignIn },
  { name: 'unit administrator creates a unit user', run: unitAdminCreatesUser },
  { name: 'audit administrator sees the audit record of that creation', run: auditAdminSeesCreation },
  { name: '管理单位查看服务商推送的数据 (batches with record errors, pushed records, .xlsx export)', run: mgmtSeesPushedData },
  { name: '资源清单与数据质量 (the provider\'s scorecard and its hosts in the inventory)', run: mgmtSeesQualityAndInventory },
  ...SECURITY_FLOWS,
  ...SERVICEDESK_FLOWS,
  ...MONITORING_FLOWS,
  ...OPERATIONS_FLOWS,
  ...EVALUATION_FLOWS,
  ...AVAILABILITY_FLOWS,
  ...REPORTS_FLOWS,
  ...RIGHTSIZING_FLOWS,
];
