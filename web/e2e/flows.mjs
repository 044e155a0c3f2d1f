// The browser flows: what a person does in the UI, located by the data-testid attributes of web/src.
import { freshTotp } from './harness.mjs';

const TIMEOUT = 20_000;

/** Signs in through the login page: credentials, forced password change, TOTP enrolment (secret read off the page). */
export async function signInFirstTime(page, baseUrl, { username, password, newPassword }) {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();

  await page.getByTestId('login-step-password_change_required').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('new-password').fill(newPassword);
  await page.getByTestId('confirm-password').fill(newPassword);
  await page.getByTestId('password-submit').click();

  await page.getByTestId('login-step-mfa_enrolment_required').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('totp-qr').waitFor({ timeout: TIMEOUT });
  const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
  if (!/^[A-Z2-7]{16,}$/.test(secret)) throw new Error(`the page shows no TOTP secret (got "${secret}")`);
  await page.getByTestId('totp-code').fill(await freshTotp(secret));
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

export const FLOWS = [
  { name: 'administrator signs in: initial password change and TOTP enrolment', run: adminFirstSignIn },
  { name: 'unit administrator creates a unit user', run: unitAdminCreatesUser },
  { name: 'audit administrator sees the audit record of that creation', run: auditAdminSeesCreation },
];
