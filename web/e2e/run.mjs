#!/usr/bin/env node
// Browser flows in Debian's Chromium (playwright-core, no browser download): builds server and web (skip with
// E2E_SKIP_BUILD=1 when they were just built), starts the real server with `--no-demo` on a temporary data directory
// (embedded PostgreSQL) and free ports, creates the accounts with the `zhengyun` CLI and the API, sets up a cloud provider
// that pushes two signed batches through the real push API (data-setup.mjs), runs the flows, prints
// each result and a closing "N passed, N failed" line. Failures leave a screenshot and the server log under
// web/e2e/artifacts/. `--screenshots <dir>` also saves screenshots of the pages the flows pass (for the README).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { Platform, repoRoot } from './harness.mjs';
import { FLOWS as ALL_FLOWS } from './flows.mjs';
import { dataFixture, setupDataInterface } from './data-setup.mjs';

const artifacts = path.join(import.meta.dirname, 'artifacts');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const argv = process.argv.slice(2);
const shotsDir = argv.includes('--screenshots') ? path.resolve(argv[argv.indexOf('--screenshots') + 1] ?? 'docs/screenshots') : null;
const t0 = Date.now();
// E2E_ONLY=<text>: run only the flows whose name contains it (while working on one flow; CI runs them all); several
// alternatives separated by "|" (e.g. the flows whose sign-ins a flow depends on, and that flow).
const ONLY = process.env.E2E_ONLY ? process.env.E2E_ONLY.split('|').filter((s) => s !== '') : null;
const FLOWS = ONLY ? ALL_FLOWS.filter((f) => ONLY.some((s) => f.name.includes(s))) : ALL_FLOWS;
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);

fs.rmSync(artifacts, { recursive: true, force: true });
fs.mkdirSync(artifacts, { recursive: true });

if (!fs.existsSync(chromiumPath)) {
  console.error(`Chromium not found at ${chromiumPath}: apt-get install chromium (or set CHROMIUM_PATH)`);
  console.log(`0 passed, ${FLOWS.length} failed`);
  process.exit(1);
}

if (process.env.E2E_SKIP_BUILD !== '1') {
  console.log('building server and web …');
  const b = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (b.status !== 0) {
    console.log(`0 passed, ${FLOWS.length} failed`);
    process.exit(1);
  }
}

const platform = await new Platform({ logFile: path.join(artifacts, 'server.log') }).init();
const password = (tag) => `Zy!${tag}-e2e-Pw9`;
const accounts = {
  sysadmin: { username: 'e2e_sysadmin', displayName: '系统管理员 E2E', role: 'system_admin', newPassword: password('Sys') },
  setup: { username: 'e2e_setup', displayName: '准备账号 E2E', role: 'system_admin', newPassword: password('Setup') },
  auditadmin: { username: 'e2e_auditor', displayName: '审计管理员 E2E', role: 'audit_admin', newPassword: password('Audit') },
  unitadmin: { username: 'e2e_unitadmin', displayName: '单位管理员 E2E', role: 'unit_admin', newPassword: password('Unit') },
};
const unit = { name: '市测试委员会（E2E）', code: 'E2E-UNIT' };
const created = { username: 'e2e_staff', displayName: '单位业务人员 E2E', email: 'staff@e2e.example.cn' };
// The data-interface flows: a provider with a node, its credential and two pushed batches (data-setup.mjs).
const data = dataFixture(password);

let browser;
const results = [];
let exitCode = 0;
try {
  // Accounts of the management unit come from the CLI before the server starts (it creates the management unit too).
  for (const key of ['setup', 'sysadmin', 'auditadmin']) accounts[key].password = platform.createAccount(accounts[key]);
  await platform.start();
  console.log(`server up at ${platform.baseUrl} (+${secs()}s)`);

  // The user unit is created through the API by a separate system administrator; its administrator by the CLI
  // (assigning unit_admin needs role:assign, which the system administrator does not hold — three-admin separation).
  const api = platform.api();
  await api.signIn(accounts.setup.username, accounts.setup.password, accounts.setup.newPassword);
  const org = await api.request('POST', '/api/organisations', { kind: 'user_unit', name: unit.name, code: unit.code });
  unit.id = org.id ?? org.organisation?.id;
  accounts.unitadmin.password = platform.createAccount({ ...accounts.unitadmin, org: unit.code });
  console.log(`accounts ready (+${secs()}s)`);
  await setupDataInterface({ platform, api, data });
  console.log(`data interface ready: batches ${data.pushes.spec.batchId} and ${data.pushes.monitoring.batchId} pushed (+${secs()}s)`);

  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  const shots = shotsDir
    ? async (name, page) => {
        fs.mkdirSync(shotsDir, { recursive: true });
        await page.waitForTimeout(400); // let Ant Design's transitions settle
        await page.screenshot({ path: path.join(shotsDir, `${name}.png`) });
      }
    : null;
  for (const [i, flow] of FLOWS.entries()) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 820 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    const started = Date.now();
    try {
      await flow.run({ page, baseUrl: platform.baseUrl, accounts, unit, created, data, shots });
      results.push({ name: flow.name, ok: true, ms: Date.now() - started });
      console.log(`  ✓ ${i + 1}. ${flow.name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    } catch (e) {
      const shot = path.join(artifacts, `flow-${i + 1}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
      results.push({ name: flow.name, ok: false, ms: Date.now() - started, error: e });
      console.log(`  ✗ ${i + 1}. ${flow.name} (${((Date.now() - started) / 1000).toFixed(1)}s)\n      ${String(e?.message ?? e).split('\n').join('\n      ')}`);
      if (consoleErrors.length) console.log(`      page errors: ${consoleErrors.join(' | ')}`);
      console.log(`      screenshot: ${path.relative(repoRoot, shot)}; page URL: ${page.url()}`);
    } finally {
      await context.close();
    }
  }
} catch (e) {
  console.error(`setup failed: ${e?.stack ?? e}`);
  console.error(`server log: ${path.relative(repoRoot, path.join(artifacts, 'server.log'))}`);
  exitCode = 1;
} finally {
  await browser?.close().catch(() => undefined);
  await platform.stop();
  platform.cleanup();
}

const passed = results.filter((r) => r.ok).length;
const failed = FLOWS.length - passed;
if (failed > 0) {
  exitCode = 1;
  const log = path.join(artifacts, 'server.log');
  if (fs.existsSync(log)) console.log(`server log: ${path.relative(repoRoot, log)}`);
} else {
  fs.rmSync(artifacts, { recursive: true, force: true });
}
console.log(`browser flows finished in ${secs()}s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode);
