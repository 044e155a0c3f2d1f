// Browser flow of the provider evaluation (云服务商综合评估): management staff run the month's evaluation with the
// seed-004 indicator system, see the E2E provider's row with its evidence (an indicator without figures for the month
// says 本月无数据 — or 暂无数据来源 where its module is not wired — never 0), review and publish it; a unit then sees the
// published month without any provider's scores.
import { signInAgain } from './flows.mjs';

const TIMEOUT = 20_000;

async function providerEvaluationFlow({ page, baseUrl, accounts, data, shots }) {
  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  await page.goto(`${baseUrl}/evaluation/providers`);
  const run = page.getByTestId('evaluation-run');
  await run.waitFor({ timeout: TIMEOUT });
  await run.click();
  const ranking = page.getByTestId('evaluation-ranking');
  const row = ranking.locator('tr.ant-table-row', { hasText: data.provider.name });
  await row.waitFor({ timeout: TIMEOUT });
  await row.locator('.ant-table-row-expand-icon').click();
  // The E2E provider has no SLA objective: availability is wired but has no figures for it this month.
  await ranking.getByText('本月无数据（可用性/SLA）').first().waitFor({ timeout: TIMEOUT });
  await shots?.('evaluation-ranking', page);
  await page.getByTestId('evaluation-review').click();
  await page.getByTestId('evaluation-publish').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('evaluation-publish').click();
  await page.locator('.ant-card-head-title', { hasText: '已发布' }).waitFor({ timeout: TIMEOUT });

  // A unit sees that the month is published, but no provider's scores (RLS: a provider sees only its own row).
  await signInAgain(page, baseUrl, accounts.unitadmin);
  await page.goto(`${baseUrl}/evaluation/providers`);
  await page.locator('.ant-card-head-title', { hasText: '已发布' }).waitFor({ timeout: TIMEOUT });
  await page.getByTestId('evaluation-ranking').locator('.ant-empty').waitFor({ timeout: TIMEOUT });
  const rows = await page.getByTestId('evaluation-ranking').locator('tr.ant-table-row').count();
  if (rows !== 0) throw new Error(`a unit should see no provider scores, saw ${rows} rows`);
  await shots?.('evaluation-unit-view', page);
}

/**
 * After the publication above: the E2E provider's administrator objects to its published month (评估异议) in the
 * follow-up page; management staff accept it with a revised indicator score, which makes a draft revision of the
 * month (the published one is kept until the revision is reviewed and published).
 */
async function objectionFlow({ page, baseUrl, data, shots }) {
  await signInAgain(page, baseUrl, data.accounts.provideradmin);
  await page.goto(`${baseUrl}/evaluation-followup/objections`);
  await page.getByTestId('objection-file').click();
  const modal = page.locator('.ant-modal-content');
  await modal.waitFor({ timeout: TIMEOUT });
  await modal.locator('.ant-select').first().click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
  await page.getByTestId('objection-reason').fill('本月巡检已全部完成，记录见附件');
  await modal.locator('.ant-modal-footer .ant-btn-primary').click();
  const table = page.getByTestId('objections-table');
  await table.locator('tr.ant-table-row', { hasText: '待处理' }).first().waitFor({ timeout: TIMEOUT });
  await shots?.('evaluation-objection-filed', page);

  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  await page.goto(`${baseUrl}/evaluation-followup/objections`);
  const row = page.getByTestId('objections-table').locator('tr.ant-table-row', { hasText: data.provider.name }).filter({ hasText: '待处理' }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.getByTestId('objection-accept').click();
  const decide = page.locator('.ant-modal-content');
  await decide.waitFor({ timeout: TIMEOUT });
  await decide.locator('.ant-select').first().click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
  await decide.locator('.ant-input-number-input').fill('100');
  await decide.locator('input.ant-input').last().fill('巡检记录核实');
  await decide.locator('.ant-modal-footer .ant-btn-primary').click();
  await page.getByTestId('objections-table').locator('tr.ant-table-row', { hasText: '修订版：草稿' }).first().waitFor({ timeout: TIMEOUT });
  await shots?.('evaluation-objection-accepted', page);
}

export const EVALUATION_FLOWS = [
  { name: '云服务商评估：运行 → 依据（本月无数据，不计 0）→ 审核 → 发布 → 单位不见服务商得分 (run, evidence, review, publish)', run: providerEvaluationFlow },
  { name: '云服务商评估异议：服务商提出 → 管理单位受理 → 生成修订版草稿 (objection, accepted into a new revision)', run: objectionFlow },
];
