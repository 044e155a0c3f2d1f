// Browser flow of the rightsizing advice (单位云效率 → 资源优化建议 → 变更申请). Set-up through the real APIs and the
// signed push API: the E2E unit registers an information system at the E2E provider's node; the provider pushes two
// hosts of it (云主机规格数据) and a whole month of low hourly utilisation (云主机监控数据) for them, and has an approved
// price list at the catalog's caps (1001 vCPU 14.02, 1002 memory 41.15 元/月); management staff compute the month's
// efficiency. Then the unit's administrator sees the advice with its saving in 元 and the calculation, accepts one
// (→ the prefilled draft 变更 application with the reduced vCPU and memory) and dismisses the other with a reason.
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ApiSession, repoRoot, sleep } from './harness.mjs';
import { enqueueJob, push } from './data-setup.mjs';
import { signInAgain } from './flows.mjs';

const TIMEOUT = 20_000;
const dist = (p) => import(pathToFileURL(path.join(repoRoot, 'server/dist', p)).href);

/** The previous month in Beijing time (the evaluation page's default month), YYYY-MM. */
function previousMonth() {
  const [y, m] = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date()).split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Every whole hour of the month `YYYY-MM` in Beijing time, as the interface's `YYYY-MM-DD HH:MM:SS` (an19). */
function hoursOf(month) {
  const [y, m] = month.split('-').map(Number);
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const out = [];
  for (let d = 1; d <= days; d++) for (let h = 0; h < 24; h++) out.push(`${month}-${String(d).padStart(2, '0')} ${String(h).padStart(2, '0')}:00:00`);
  return out;
}

/**
 * An API session of `account`, which may or may not have changed its initial password yet (the sign-in flows run before
 * this one only when selected): tries the changed password first, else the initial one (changed here, TOTP enrolled
 * when asked). The account then remembers its second factor for the browser sign-in (signInAgain).
 */
async function apiSession(baseUrl, account) {
  const s = new ApiSession(baseUrl);
  account.usedSteps ??= new Set();
  s.usedSteps = account.usedSteps;
  s.totpSecret = account.totpSecret ?? null;
  try {
    await s.signIn(account.username, account.newPassword, account.newPassword);
  } catch (e) {
    if (!/→ 401/.test(String(e?.message))) throw e;
    await s.signIn(account.username, account.password, account.newPassword);
  }
  if (s.totpSecret) account.totpSecret = s.totpSecret;
  return s;
}

/** Runs `sql` with `params` on the running server's database (the set-up's only direct write: the raw retention). */
async function query(databaseUrl, text, params = []) {
  const require = createRequire(path.join(repoRoot, 'server/package.json'));
  const pg = require('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Polls `probe` (every `every` ms, after `kick`) until it answers truthy or `ms` pass; throws `what` then. */
async function until(probe, { ms = 90_000, every = 2_000, kick, what }) {
  const deadline = Date.now() + ms;
  for (;;) {
    await kick?.();
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what} within ${ms / 1000} s`);
    await sleep(every);
  }
}

/** The hosts of the flow: a 4 vCPU / 16 GB host at CPU 24 %, memory 30 % (oversized) and a 2 / 4 one at 3 %, 50 % (idle). */
const HOSTS = [
  { id: 'e2e-rs-001', name: 'e2e-rs-large', vcpu: 4, gb: 16, cpu: '24', mem: '30' },
  { id: 'e2e-rs-002', name: 'e2e-rs-small', vcpu: 2, gb: 4, cpu: '3', mem: '50' },
];

/**
 * The set-up: the unit's system, the provider's hosts of it in the inventory, its approved price list, a month of hourly
 * utilisation in the monitoring store and the month's efficiency computed. Returns the month and the system.
 */
async function setupRightsizing({ baseUrl, accounts, data }) {
  const month = previousMonth();
  const unitApi = await apiSession(baseUrl, accounts.unitadmin);
  const cspApi = await apiSession(baseUrl, data.accounts.provideradmin);

  // 1. The unit registers an information system at the E2E provider's node (the server numbers it).
  const system = await unitApi.request('POST', '/api/information-systems', {
    nodeId: data.node.id, name: 'E2E 资源优化测试系统', systemType: '业务生产系统', gradingLevel: '二级', operatingHours: '7*24小时', networkNature: '政务外网',
    contactName: '李四', contactMobile: '13812348001', contactEmail: 'rs@e2e.example.cn', serviceAudience: '公众', serviceScope: '全市', interconnection: '无',
    functionDescription: '资源优化建议的端到端测试', preApprovalStatus: '已审批', accessUrl: 'https://rs.e2e.example.cn', appVendor: 'E2E 公司',
  });

  // 2. The provider pushes the two hosts of that system (signed push API); the inventory job applies them.
  const issued = await cspApi.request('POST', '/api/ingest/credentials', { name: 'E2E 资源优化推送' });
  const credential = { token: issued.token, signingSecret: issued.signingSecret };
  const { INTERFACE_TABLES } = await dist('modules/ingestion/interface-tables.js');
  const { sampleRecord } = await dist('modules/ingestion/validator.js');
  const tableOf = (name) => INTERFACE_TABLES.find((t) => t.name === name);
  const codes = { cloudProvider: data.provider.cloudProviderCode, machineRoom: data.room.code };
  const specs = HOSTS.map((h, i) => {
    const { deletedDate: _deleted, ...rec } = sampleRecord(tableOf('cloudHostSpec'), { codes, seq: 100 + i });
    return { ...rec, cloudHostName: h.name, cloudHostId: h.id, systemId: system.systemNo, cpuCores: String(h.vcpu), memoryAllocated: String(h.gb) };
  });
  const spec = await push(baseUrl, credential, 'cloudHostSpec', specs, { node: data.node.code });
  if (spec.httpStatus !== 200 || spec.accepted !== specs.length) throw new Error(`cloudHostSpec push: ${JSON.stringify(spec)}`);
  let kicked = 0;
  await until(async () => {
    const list = await data.mgmtApi.request('GET', '/api/inventory/resources?q=e2e-rs-&status=active&page=1&pageSize=20');
    return list.items.filter((r) => r.system?.id === system.id).length === HOSTS.length;
  }, { kick: () => (kicked++ % 5 === 0 ? enqueueJob(data.databaseUrl, 'inventory.apply') : undefined), what: 'the inventory job linked the two hosts to the system' });

  // 3. The provider's price list at the catalog's caps from the month's first day, submitted and approved.
  const catalog = await cspApi.request('GET', '/api/catalog/current');
  const items = catalog.items.filter((i) => i.kind === 'basic' && i.maxUnitPrice !== null).map((i) => ({ itemCode: i.code, unitPrice: i.maxUnitPrice }));
  const list = await cspApi.request('POST', '/api/price-lists', { catalogVersionId: catalog.id, effectiveFrom: `${month}-01`, note: 'E2E 资源优化', items });
  await cspApi.request('POST', `/api/price-lists/${list.id}/submit`);
  await data.mgmtApi.request('POST', `/api/price-lists/${list.id}/approve`, { comment: 'E2E' });

  // 4. A month of hourly utilisation. Raw points are kept 30 days (older ones are refused, `within_retention`) and the
  // evidence window is the whole previous month: the set-up keeps raw points long enough to push it, then restores.
  const [{ d: retention }] = await query(data.databaseUrl, 'select raw_retention_days as d from monitoring_settings');
  await query(data.databaseUrl, 'update monitoring_settings set raw_retention_days = greatest(raw_retention_days, 70)');
  try {
    const hours = hoursOf(month);
    const records = HOSTS.flatMap((h, i) => hours.map((at, k) => ({
      ...sampleRecord(tableOf('cloudHostMonitoring'), { codes, seq: 1000 * (i + 1) + k }), cloudHostId: h.id, monitoredAt: at, cpuUsage: h.cpu, memoryUsage: h.mem,
    })));
    const mon = await push(baseUrl, credential, 'cloudHostMonitoring', records, { node: data.node.code });
    if (mon.httpStatus !== 200 || mon.accepted !== records.length) throw new Error(`cloudHostMonitoring push: ${JSON.stringify({ ...mon, errors: mon.errors?.slice(0, 3) })}`);

    // 5. The month's efficiency (as the monthly job would), until the monitoring store has the rollups of both hosts.
    return await until(async () => {
      await data.mgmtApi.request('POST', '/api/evaluation/efficiency/compute', { month });
      const advice = await unitApi.request('GET', `/api/evaluation/advice?month=${month}`);
      const ours = advice.items.filter((a) => HOSTS.some((h) => h.name === a.resourceName));
      return ours.length === HOSTS.length ? { month, system, advice: ours } : null;
    }, { every: 3_000, kick: () => enqueueJob(data.databaseUrl, 'monitoring.sweep'), what: 'the efficiency computation advised on both hosts' });
  } finally {
    await query(data.databaseUrl, 'update monitoring_settings set raw_retention_days = $1', [retention]);
  }
}

async function rightsizingFlow({ page, baseUrl, accounts, data, shots }) {
  const { month, system } = await setupRightsizing({ baseUrl, accounts, data });
  const [y, m] = month.split('-').map(Number);
  const last = `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;

  await signInAgain(page, baseUrl, accounts.unitadmin);
  await page.goto(`${baseUrl}/evaluation/advice`);
  const table = page.getByTestId('evaluation-advice-table');
  const row = (name) => table.locator('tr.ant-table-row', { hasText: name });
  await row('e2e-rs-large').waitFor({ timeout: TIMEOUT });
  // The calculation in catalog terms at this provider's prices, the saving in 元, the evidence window of the month.
  const large = await row('e2e-rs-large').innerText();
  for (const want of ['配置过高', system.name, '4 vCPU → 2 vCPU，16 GB → 8 GB，每月节省 2 × 14.02 + 8 × 41.15 = 357.24 元', '357.24', `${month}-01 ~ ${last}`, 'CPU p95 24%', 'MEM p95 30%', '待处理']) {
    if (!large.includes(want)) throw new Error(`the advice row of e2e-rs-large lacks "${want}": ${large}`);
  }
  const small = await row('e2e-rs-small').innerText();
  for (const want of ['闲置', '2 vCPU → 1 vCPU，每月节省 1 × 14.02 = 14.02 元', 'CPU p95 3%']) {
    if (!small.includes(want)) throw new Error(`the advice row of e2e-rs-small lacks "${want}": ${small}`);
  }
  await shots?.('evaluation-advice', page);

  // Accept → the draft 变更 (缩容) application, prefilled with the reduced vCPU and memory.
  await page.getByTestId('advice-accept-e2e-rs-large').click();
  const done = page.locator('.ant-modal-confirm', { hasText: '已生成变更申请草稿' });
  await done.waitFor({ timeout: TIMEOUT });
  await done.getByRole('button', { name: '查看变更申请' }).click();
  await page.waitForURL(/\/applications\?id=/, { timeout: TIMEOUT });
  const drawer = page.getByTestId('application-drawer');
  await drawer.getByText('资源优化：e2e-rs-large 缩容').first().waitFor({ timeout: TIMEOUT });
  const facts = await drawer.locator('.ant-descriptions').innerText();
  for (const want of ['变更', '缩容', '草稿', system.name, '357.24']) {
    if (!facts.includes(want)) throw new Error(`the application lacks "${want}": ${facts}`);
  }
  const lines = drawer.getByTestId('application-lines');
  const vcpu = await lines.locator('tr.ant-table-row', { hasText: '1001' }).innerText();
  const mem = await lines.locator('tr.ant-table-row', { hasText: '1002' }).innerText();
  if (!/\b2\b/.test(vcpu) || !vcpu.includes('-2')) throw new Error(`the vCPU line should be 2 (delta -2): ${vcpu}`);
  if (!/\b8\b/.test(mem) || !mem.includes('-8')) throw new Error(`the memory line should be 8 GB (delta -8): ${mem}`);
  await shots?.('evaluation-advice-application', page);

  // Back on the advice: the accepted one links its application; the idle one is dismissed with a reason.
  await page.goto(`${baseUrl}/evaluation/advice`);
  await row('e2e-rs-large').getByText('已接受').waitFor({ timeout: TIMEOUT });
  await row('e2e-rs-large').getByRole('button', { name: '查看变更申请' }).waitFor({ timeout: TIMEOUT });
  if ((await page.getByTestId('advice-accept-e2e-rs-large').count()) > 0) throw new Error('the accepted advice is offered for acceptance again');
  await page.getByTestId('advice-dismiss-e2e-rs-small').click();
  const reason = `年底业务高峰需保留 ${Date.now().toString(36)}`;
  await page.getByTestId('advice-dismiss-reason').fill(reason);
  await page.locator('.ant-modal-wrap:not([style*="display: none"]) .ant-modal-footer .ant-btn-primary').click();
  await row('e2e-rs-small').getByText('已驳回').waitFor({ timeout: TIMEOUT });
  await row('e2e-rs-small').getByText(reason).waitFor({ timeout: TIMEOUT });
  if ((await page.getByTestId('advice-dismiss-e2e-rs-small').count()) > 0) throw new Error('the dismissed advice is offered for dismissal again');
  await shots?.('evaluation-advice-dismissed', page);
}

export const RIGHTSIZING_FLOWS = [
  { name: '资源优化建议：单位查看节省（元）与计算 → 接受 → 变更申请草稿（规格缩小）→ 另一条驳回 (rightsizing advice)', run: rightsizingFlow },
];
