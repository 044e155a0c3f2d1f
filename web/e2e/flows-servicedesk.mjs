// Browser flow of the service desk (统一工单): the unit administrator reports an onboarding consultation through the
// portal, management staff claim and resolve it (the resolution text in the timeline), and the reporter rates it —
// each side in its own session, through the pages only.
import { inputOf, signInAgain } from './flows.mjs';

const TIMEOUT = 20_000;

/** The ticket's row of a list (searched by title) opened into the drawer; returns the drawer. */
async function openTicket(page, baseUrl, view, title) {
  await page.goto(`${baseUrl}/tickets/${view}`);
  const input = await inputOf(page, 'sd-search');
  await input.fill(title);
  await input.press('Enter');
  const row = page.getByTestId(`sd-table-${view}`).locator('tr', { hasText: title });
  await row.first().waitFor({ timeout: TIMEOUT });
  await row.first().click();
  const drawer = page.getByTestId('sd-drawer');
  await drawer.getByTestId('sd-status-value').waitFor({ timeout: TIMEOUT });
  return drawer;
}

const statusIs = (drawer, status) => drawer.locator(`[data-testid="sd-status-value"][data-status="${status}"]`).waitFor({ timeout: TIMEOUT });

async function serviceDeskFlow({ page, baseUrl, accounts, data, shots }) {
  const title = `E2E 入云咨询 ${Date.now().toString(36)}：如何申请数据库审计`;

  // 1. The unit reports it (portal channel, no system: a consultation before onboarding).
  await signInAgain(page, baseUrl, accounts.unitadmin);
  await page.goto(`${baseUrl}/tickets/mine`);
  await page.getByTestId('sd-new').click();
  await page.getByTestId('sd-kind').click();
  await page.locator('.ant-select-item-option', { hasText: '入云咨询' }).click();
  await page.getByTestId('sd-title').fill(title);
  await page.getByTestId('sd-description').fill('我单位新系统拟入云，需要数据库审计服务，请说明申请流程。');
  await page.getByTestId('sd-submit').click();
  await page.locator('.ant-message', { hasText: /./ }).first().waitFor({ timeout: TIMEOUT });
  let drawer = await openTicket(page, baseUrl, 'mine', title);
  await statusIs(drawer, 'new');

  // 2. Management staff claim it (in progress) and resolve it with a resolution text.
  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  drawer = await openTicket(page, baseUrl, 'all', title);
  await drawer.getByTestId('sd-act-claim').click();
  await statusIs(drawer, 'in_progress');
  await drawer.getByTestId('sd-act-resolve').click();
  await page.getByTestId('sd-prompt-text').fill('已电话答复：在入云申请中勾选数据库审计服务，按目录单价计费。');
  await page.getByTestId('sd-prompt-ok').click();
  await statusIs(drawer, 'resolved');
  await drawer.getByTestId('sd-timeline').getByText('已电话答复', { exact: false }).waitFor({ timeout: TIMEOUT });
  await shots?.('servicedesk-resolved', page);

  // 3. The reporter sees it resolved and rates it five stars; the rating form goes away and the timeline shows it.
  await signInAgain(page, baseUrl, accounts.unitadmin);
  drawer = await openTicket(page, baseUrl, 'mine', title);
  await statusIs(drawer, 'resolved');
  const rate = drawer.getByTestId('sd-rate');
  await rate.waitFor({ timeout: TIMEOUT });
  // The drawer may still be sliding in when the first click lands; a click that did not check the star is repeated.
  const fifth = rate.locator('.ant-rate-star [role="radio"]').nth(4);
  await fifth.click();
  await rate.locator('.ant-rate-star [role="radio"][aria-checked="true"]').nth(4).waitFor({ timeout: 3_000 }).catch(async () => {
    await fifth.click({ force: true });
  });
  await drawer.getByTestId('sd-rate-submit').click();
  await rate.waitFor({ state: 'detached', timeout: TIMEOUT });
  await drawer.getByTestId('sd-timeline').getByText('评价', { exact: false }).first().waitFor({ timeout: TIMEOUT });
}

export const SERVICEDESK_FLOWS = [{ name: '统一工单：单位报告 → 管理单位认领并解决 → 报告人评价 (report, resolve, rate)', run: serviceDeskFlow }];
