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

/** The previous month in Beijing time (the evaluation page's default month), YYYY-MM. */
function previousMonth() {
  const [y, m] = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date()).split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * The follow-up flows need a published month of the seed-004 evaluation. The provider evaluation flow publishes one
 * through the page; when it did not run (E2E_ONLY), the set-up runs, reviews and publishes it through the API with the
 * management staff's API session of data-setup.mjs.
 */
async function ensurePublishedRun(data) {
  const month = previousMonth();
  const runs = await data.mgmtApi.request('GET', `/api/evaluation/runs?month=${month}`);
  const published = runs.items.find((r) => r.setCode === 'seed004' && r.status === 'published');
  if (published) return published;
  const sets = await data.mgmtApi.request('GET', '/api/evaluation/indicator-sets');
  const set = sets.items.find((x) => x.code === 'seed004' && x.latest);
  if (!set) throw new Error('no seed004 indicator system');
  const run = await data.mgmtApi.request('POST', '/api/evaluation/runs', { setId: set.id, month });
  await data.mgmtApi.request('POST', `/api/evaluation/runs/${run.id}/review`, {});
  return data.mgmtApi.request('POST', `/api/evaluation/runs/${run.id}/publish`);
}

/** The open Ant Design modal (one at a time in these flows). */
const openModal = (page) => page.locator('.ant-modal-wrap:not([style*="display: none"]) .ant-modal-content');
/** Clicks the option `text` (or the first one) of the select `testId` in its visible dropdown. */
async function choose(page, testId, text) {
  await page.getByTestId(testId).click();
  const popup = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  const option = text ? popup.locator('.ant-select-item-option', { hasText: text }) : popup.locator('.ant-select-item-option');
  await option.first().click({ timeout: TIMEOUT });
  await popup.waitFor({ state: 'hidden', timeout: TIMEOUT }).catch(() => undefined);
}
/** Presses the modal's OK button and waits until the modal has closed (the save succeeded). */
async function submitModal(page) {
  const modal = openModal(page);
  await modal.locator('.ant-modal-footer .ant-btn-primary').click();
  await modal.waitFor({ state: 'hidden', timeout: TIMEOUT });
}
/** Fills an Ant Design TextArea / Input identified by its data-testid. */
const fill = (page, testId, text) => page.getByTestId(testId).fill(text);

/**
 * 整改跟踪: management staff raise a reviewer's task (评审提出) on an indicator of the E2E provider's published score;
 * the provider's administrator replies with its rectification; the staff verify it (验证). Each step changes the row's status.
 */
async function rectificationFlow({ page, baseUrl, data, shots }) {
  await ensurePublishedRun(data);
  const requirement = `E2E 整改要求 ${Date.now()}：补齐巡检记录`;
  await signInWriter(page, baseUrl, data.reportAccounts.reportwriter);
  await page.goto(`${baseUrl}/evaluation-followup/rectifications`);
  await page.getByTestId('rect-raise').click();
  await openModal(page).waitFor({ timeout: TIMEOUT });
  await choose(page, 'rect-raise-run');
  await choose(page, 'rect-raise-provider', data.provider.name);
  await choose(page, 'rect-raise-indicator');
  await fill(page, 'rect-raise-requirement', requirement);
  await submitModal(page);
  const row = () => page.getByTestId('rectifications-table').locator('tr.ant-table-row', { hasText: requirement });
  await row().getByText('待整改').waitFor({ timeout: TIMEOUT });
  await row().getByText('评审提出').waitFor({ timeout: TIMEOUT });
  await shots?.('evaluation-rectification-raised', page);

  await signInAgain(page, baseUrl, data.accounts.provideradmin);
  await page.goto(`${baseUrl}/evaluation-followup/rectifications`);
  await row().getByTestId('rect-reply').click();
  await openModal(page).waitFor({ timeout: TIMEOUT });
  await fill(page, 'rect-action-text', '已补齐 11 月巡检记录并上传');
  await submitModal(page);
  await row().getByText('已反馈').waitFor({ timeout: TIMEOUT });
  if ((await row().getByTestId('rect-verify').count()) > 0) throw new Error('the provider is offered to verify its own rectification');

  await signInWriter(page, baseUrl, data.reportAccounts.reportwriter);
  await page.goto(`${baseUrl}/evaluation-followup/rectifications`);
  await row().getByTestId('rect-verify').click();
  await openModal(page).waitFor({ timeout: TIMEOUT });
  await fill(page, 'rect-action-text', '现场核实，整改到位');
  await submitModal(page);
  await row().getByText('已验证').waitFor({ timeout: TIMEOUT });
  await row().getByText('现场核实，整改到位').waitFor({ timeout: TIMEOUT });
  await shots?.('evaluation-rectification-verified', page);
}

/**
 * 年度评级: management staff compute the year's rating of the seed-004 system from the published months (the months not
 * published are listed, not counted as 0), review and publish it; the provider then sees the published rating with only
 * its own row.
 */
async function annualRatingFlow({ page, baseUrl, data, shots }) {
  const run = await ensurePublishedRun(data);
  const year = run.month.slice(0, 4);
  await signInWriter(page, baseUrl, data.reportAccounts.reportwriter);
  await page.goto(`${baseUrl}/evaluation-followup/annual`);
  const compute = page.getByTestId('annual-compute');
  await compute.waitFor({ timeout: TIMEOUT });
  const yearInput = page.locator('.ant-card-extra .ant-input-number-input').first();
  await yearInput.fill(year);
  await yearInput.press('Tab');
  await compute.click();
  const detail = page.getByTestId('annual-detail');
  await detail.locator('.ant-card-head-title', { hasText: year }).waitFor({ timeout: TIMEOUT });
  await detail.locator('.ant-tag', { hasText: '草稿' }).waitFor({ timeout: TIMEOUT });
  const own = detail.getByTestId('annual-table').locator('tr.ant-table-row', { hasText: data.provider.name });
  await own.waitFor({ timeout: TIMEOUT });
  // The published month is counted; the months without a published run are listed as not counted (never 0).
  await own.getByText(`${run.month.slice(5)}:`).waitFor({ timeout: TIMEOUT });
  const ownText = await own.innerText();
  if (!ownText.includes('未计入')) throw new Error(`the months without a published run should say 未计入: ${ownText}`);
  await page.getByTestId('annual-review').click();
  await detail.locator('.ant-tag', { hasText: '已审核' }).waitFor({ timeout: TIMEOUT });
  await page.getByTestId('annual-publish').click();
  await detail.locator('.ant-tag', { hasText: '已发布' }).waitFor({ timeout: TIMEOUT });
  await shots?.('evaluation-annual-published', page);
  await annualReports(page, ['docx', 'pdf']);

  await signInAgain(page, baseUrl, data.accounts.provideradmin);
  await page.goto(`${baseUrl}/evaluation-followup/annual`);
  const listed = page.locator('tr.ant-table-row', { hasText: '已发布' }).filter({ hasText: 'seed004' }).first();
  await listed.waitFor({ timeout: TIMEOUT });
  await listed.click();
  const rows = page.getByTestId('annual-detail').getByTestId('annual-table').locator('tr.ant-table-row');
  await rows.first().waitFor({ timeout: TIMEOUT });
  const texts = await rows.allInnerTexts();
  if (texts.length !== 1 || !texts[0].includes(data.provider.name)) throw new Error(`the provider should see only its own row: ${JSON.stringify(texts)}`);
  if ((await page.getByTestId('annual-compute').count()) > 0) throw new Error('the provider is offered to compute the annual rating');
  // The provider downloads its part of the published rating's report.
  await annualReports(page, ['pdf']);
}

/** The annual rating card's report buttons: each answers 200 and downloads a non-empty 年度评级 .docx / PDF. */
async function annualReports(page, formats) {
  for (const format of formats) {
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().includes(`/report?format=${format}`), { timeout: TIMEOUT }),
      downloaded(page, page.getByTestId(`annual-report-${format}`), new RegExp(`年度评级.*\\.${format}$`)),
    ]);
    if (res.status() !== 200) throw new Error(`the annual report (${format}) answered ${res.status()}`);
  }
}

/** YYYY-MM-DD + n calendar months, clamped to the month's last day (the server's addMonths). */
function plusMonths(day, n) {
  const [y, m, d] = day.split('-').map(Number);
  const total = (m - 1) + n;
  const yy = y + Math.floor(total / 12);
  const mm = (total % 12) + 1;
  const last = new Date(Date.UTC(yy, mm, 0)).getUTCDate();
  return `${yy}-${String(mm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * 建设期考核: management staff record a failed 初期 assessment of the E2E provider (one item not met → 1 month to
 * rectify); the provider submits its rectification report; the second assessment (二次考核) passes. A failed 中期
 * assessment gets the chosen 4 months.
 */
async function assessmentFlow({ page, baseUrl, data, shots }) {
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const tag = Date.now();
  const summary = `E2E 初期考核 ${tag}：机房管理制度未建立`;
  await signInWriter(page, baseUrl, data.reportAccounts.reportwriter);
  await page.goto(`${baseUrl}/evaluation-followup/assessments`);
  await page.getByTestId('assessment-record').click();
  await openModal(page).waitFor({ timeout: TIMEOUT });
  await choose(page, 'assessment-provider', data.provider.name);
  const firstItem = openModal(page).locator('[data-testid^="assessment-item-"]').first();
  await firstItem.waitFor({ timeout: TIMEOUT });
  const itemCode = (await firstItem.getAttribute('data-testid')).replace('assessment-item-', '');
  await firstItem.click(); // not met
  await fill(page, `assessment-note-${itemCode}`, '缺少机房管理制度');
  await fill(page, 'assessment-summary', summary);
  await submitModal(page);
  const table = page.getByTestId('assessments-table');
  const row = () => table.locator('tr.ant-table-row', { hasText: summary });
  await row().getByText('不通过').waitFor({ timeout: TIMEOUT });
  await row().getByText('整改中').waitFor({ timeout: TIMEOUT });
  const due = plusMonths(today, 1);
  await row().getByText(due).waitFor({ timeout: TIMEOUT });
  await row().getByText('1 个月').waitFor({ timeout: TIMEOUT });
  await shots?.('evaluation-assessment-failed', page);

  await signInAgain(page, baseUrl, data.accounts.provideradmin);
  await page.goto(`${baseUrl}/evaluation-followup/assessments`);
  await row().getByTestId('assessment-report').click();
  await openModal(page).waitFor({ timeout: TIMEOUT });
  await fill(page, 'assessment-report-text', '已制定并印发机房管理制度');
  await submitModal(page);
  await row().getByText('已提交整改报告').waitFor({ timeout: TIMEOUT });

  await signInWriter(page, baseUrl, data.reportAccounts.reportwriter);
  await page.goto(`${baseUrl}/evaluation-followup/assessments`);
  await row().getByTestId('assessment-reassess').click();
  await openModal(page).waitFor({ timeout: TIMEOUT });
  const second = `E2E 二次考核 ${tag}：整改到位`;
  await fill(page, 'assessment-summary', second);
  await submitModal(page);
  const secondRow = table.locator('tr.ant-table-row', { hasText: second });
  await secondRow.getByText('（二次考核）').waitFor({ timeout: TIMEOUT });
  await secondRow.getByText('通过').first().waitFor({ timeout: TIMEOUT });
  await row().getByText('已二次考核').waitFor({ timeout: TIMEOUT });

  // 中期 failed: the period is the 3–6 months chosen (here 4).
  const mid = `E2E 中期考核 ${tag}：监控平台未对接`;
  await page.getByTestId('assessment-record').click();
  await openModal(page).waitFor({ timeout: TIMEOUT });
  await choose(page, 'assessment-provider', data.provider.name);
  await openModal(page).getByText('中期建设考核').click();
  await page.getByTestId('assessment-months').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('assessment-months').fill('4');
  const midItem = openModal(page).locator('[data-testid^="assessment-item-"]').last();
  const midCode = (await midItem.getAttribute('data-testid')).replace('assessment-item-', '');
  await midItem.click();
  await fill(page, `assessment-note-${midCode}`, '监控数据未接入');
  await fill(page, 'assessment-summary', mid);
  await submitModal(page);
  const midRow = table.locator('tr.ant-table-row', { hasText: mid });
  await midRow.getByText('4 个月').waitFor({ timeout: TIMEOUT });
  await midRow.getByText(plusMonths(today, 4)).waitFor({ timeout: TIMEOUT });
  await shots?.('evaluation-assessments', page);
}

export const EVALUATION_FLOWS = [
  { name: '云服务商评估：运行 → 依据（本月无数据，不计 0）→ 审核 → 发布 → 单位不见服务商得分 (run, evidence, review, publish)', run: providerEvaluationFlow },
  { name: '评估异议：服务商提出 → 管理单位采纳并修订指标 → 修订版草稿 (objection, accept, draft revision)', run: objectionFlow },
  { name: '评估报告：季评生成存档 → 下载链接 (.docx / 签名 PDF)', run: quarterlyFilingFlow },
  { name: '评估报告：月报模板关闭章节 → 生成 → 章节不含 → 提交 → 发布', run: monthlyTemplateFlow },
  { name: '评估跟踪：整改任务（评审提出）→ 服务商反馈 → 验证 (rectification)', run: rectificationFlow },
  { name: '评估跟踪：年度评级 计算 → 审核 → 发布 → 服务商仅见本单位 (annual rating)', run: annualRatingFlow },
  { name: '评估跟踪：建设期考核 初期不通过 → 整改报告 → 二次考核；中期 4 个月 (assessments)', run: assessmentFlow },
];
