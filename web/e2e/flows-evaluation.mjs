// Browser flow of the provider evaluation (云服务商综合评估): management staff run the month's evaluation with the
// seed-004 indicator system, see the E2E provider's row with its evidence (an indicator without figures for the month
// says 本月无数据 — or 暂无数据来源 where its module is not wired — never 0), review and publish it; a unit then sees the
// published month without any provider's scores.
import { signInAgain, signInFirstTime } from './flows.mjs';

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
  const filing = page.locator('.ant-modal-wrap:visible .ant-modal-content');
  await filing.waitFor({ timeout: TIMEOUT });
  await pickFirst(page, filing.getByTestId('objection-run'));
  await page.getByTestId('objection-reason').fill('本月巡检已全部完成，记录见附件');
  await filing.locator('.ant-modal-footer .ant-btn-primary').click();
  await filing.waitFor({ state: 'detached', timeout: TIMEOUT });
  const table = page.getByTestId('objections-table');
  await table.locator('tr.ant-table-row', { hasText: '待处理' }).first().waitFor({ timeout: TIMEOUT });
  await shots?.('evaluation-objection-filed', page);

  await signInAgain(page, baseUrl, data.accounts.mgmtstaff);
  await page.goto(`${baseUrl}/evaluation-followup/objections`);
  const row = page.getByTestId('objections-table').locator('tr.ant-table-row', { hasText: data.provider.name }).filter({ hasText: '待处理' }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.getByTestId('objection-accept').click();
  const decide = page.locator('.ant-modal-wrap:visible .ant-modal-content');
  await decide.waitFor({ timeout: TIMEOUT });
  await pickFirst(page, decide.locator('.ant-select').first());
  await decide.locator('.ant-input-number-input').fill('100');
  await decide.locator('input.ant-input').last().fill('巡检记录核实');
  await decide.locator('.ant-modal-footer .ant-btn-primary').click();
  await decide.waitFor({ state: 'detached', timeout: TIMEOUT });
  await page.getByTestId('objections-table').locator('tr.ant-table-row', { hasText: '修订版：草稿' }).first().waitFor({ timeout: TIMEOUT });
  await shots?.('evaluation-objection-accepted', page);
}

/**
 * Opens the Ant Design Select `select` and clicks its first option in the dropdown that is open now (a closed modal's
 * dropdown can stay in the DOM, hidden), waiting until the options have loaded, then checks the Select shows a value.
 */
async function pickFirst(page, select) {
  await select.click();
  const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').first();
  await option.waitFor({ timeout: TIMEOUT });
  await option.click();
  await select.locator('.ant-select-selection-item').waitFor({ timeout: TIMEOUT });
}

/** Signs the report writer in: the first time through the password change, later again. */
async function signInWriter(page, baseUrl, account) {
  if (account.signedInOnce) return signInAgain(page, baseUrl, account);
  await signInFirstTime(page, baseUrl, account);
  account.signedInOnce = true;
}

/** A download started by clicking `locator`: its suggested file name, checked against `pattern`, and its size. */
async function downloaded(page, locator, pattern) {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), locator.click()]);
  const name = d.suggestedFilename();
  if (!pattern.test(name)) throw new Error(`unexpected download ${name}`);
  const file = await d.path();
  const { statSync } = await import('node:fs');
  if (!file || statSync(file).size < 1000) throw new Error(`the download ${name} is empty`);
  return name;
}

// 季评 tab: the management unit files the quarter's report (stored with the template version); the links of the stored
// report appear and download the editable .docx and the SM2-signed PDF.
async function quarterlyFilingFlow({ page, baseUrl, data, shots }) {
  await signInWriter(page, baseUrl, data.reportAccounts.reportwriter);
  await page.goto(`${baseUrl}/evaluation/quarterly`);
  const generate = page.getByTestId('evaluation-quarter-generate');
  await generate.waitFor({ timeout: TIMEOUT });
  await generate.click();
  const filing = page.getByTestId('evaluation-quarter-filing');
  const docx = filing.getByTestId('report-link-docx');
  await docx.waitFor({ timeout: TIMEOUT });
  await filing.getByText('版次 1').waitFor({ timeout: TIMEOUT });
  await downloaded(page, docx, /^云服务商季评-\d{4}-Q[1-4]-seed004-r1\.docx$/);
  await downloaded(page, filing.getByTestId('report-link-pdf'), /\.pdf$/);
  await shots?.('evaluation-quarter-filing', page);
}

// 报告编制: the writer switches a section of the 月报 template off and writes a conclusion, saves it (version 1), generates
// the month's report — its sections list no longer has the section and ends with 结论与建议 — submits and publishes it.
async function monthlyTemplateFlow({ page, baseUrl, data, shots }) {
  await signInWriter(page, baseUrl, data.reportAccounts.reportwriter);
  await page.goto(`${baseUrl}/evaluation/reports`);
  await page.getByTestId('template-sections').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('template-section-advice').click();
  await page.getByTestId('template-conclusion').fill('E2E 结论：下月压降闲置资源。');
  await page.getByTestId('template-save').click();
  await page.getByTestId('template-version').getByText('第 1 版').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('reports-generate').click();
  const table = page.getByTestId('evaluation-reports-table');
  const row = table.locator('tr.ant-table-row').first();
  await row.getByText('结论与建议').waitFor({ timeout: TIMEOUT });
  const sections = await row.innerText();
  if (sections.includes('资源优化建议')) throw new Error(`the section switched off is in the report: ${sections}`);
  if (!sections.includes('v1')) throw new Error(`the report should record template v1: ${sections}`);
  await downloaded(page, row.getByTestId('report-link-docx'), /^综合监管月报-\d{4}-\d{2}-r1\.docx$/);
  await row.getByRole('button', { name: '提交审核' }).click();
  await row.getByRole('button', { name: '审核发布' }).click();
  await row.getByTestId('report-status').getByText('已发布').waitFor({ timeout: TIMEOUT });
  await shots?.('evaluation-report-writing', page);
}

export const EVALUATION_FLOWS = [
  { name: '云服务商评估：运行 → 依据（本月无数据，不计 0）→ 审核 → 发布 → 单位不见服务商得分 (run, evidence, review, publish)', run: providerEvaluationFlow },
  { name: '评估异议：服务商提出 → 管理单位采纳并修订指标 → 修订版草稿 (objection, accept, draft revision)', run: objectionFlow },
  { name: '评估报告：季评生成存档 → 下载链接 (.docx / 签名 PDF)', run: quarterlyFilingFlow },
  { name: '评估报告：月报模板关闭章节 → 生成 → 章节不含 → 提交 → 发布', run: monthlyTemplateFlow },
];
