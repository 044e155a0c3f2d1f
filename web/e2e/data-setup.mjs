// Setup of the data-interface flows: a cloud provider with a cloud node and a machine room, its administrator and two
// management-unit staff accounts, an ingestion credential, the provider's cloudProvider code, and two batches pushed
// through the real signed push API (POST /api/ingest/v1/{table}) — signed and built with the built server's own code.
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './harness.mjs';

const dist = (p) => import(pathToFileURL(path.join(repoRoot, 'server/dist', p)).href);

/** What the data flows need to know: accounts (filled by the runner), the provider, the node and the pushed batches. */
export function dataFixture(password) {
  return {
    accounts: {
      provideradmin: { username: 'e2e_csp_admin', displayName: '云服务商管理员 E2E', role: 'provider_admin', org: 'E2E-CSP', newPassword: password('Csp') },
      // Configures the code table and computes data quality through the API; `mgmtstaff` signs in for the first time in the browser.
      mgmtsetup: { username: 'e2e_mgmt_setup', displayName: '管理单位配置 E2E', role: 'mgmt_staff', newPassword: password('MgmtSetup') },
      mgmtstaff: { username: 'e2e_mgmt_staff', displayName: '管理单位业务人员 E2E', role: 'mgmt_staff', newPassword: password('Mgmt') },
      // The provider's operations engineer (provider_staff, no second factor): the operations flow signs in for the first time.
      providerops: { username: 'e2e_csp_ops', displayName: '云服务商运维人员 E2E', role: 'provider_staff', org: 'E2E-CSP', newPassword: password('CspOps') },
    },
    provider: { name: '云服务商（E2E）', code: 'E2E-CSP', cloudProviderCode: 'E2EC' },
    node: { code: 'E2E-NODE', name: 'E2E 服务云节点' },
    room: { code: 'E2R1', name: 'E2E 一号机房' },
    hosts: ['e2e-host-alpha', 'e2e-host-bravo', 'e2e-host-charlie'],
    pushes: {},
    // Writes the 月报 / 季评 (report templates, generated reports): the evaluation report flows sign in with it. Created
    // last (after the API calls of the setup: a CLI call blocks this process while the server may close idle sockets).
    reportAccounts: {
      reportwriter: { username: 'e2e_mgmt_reports', displayName: '管理单位报告编制 E2E', role: 'mgmt_staff', newPassword: password('MgmtReports') },
    },
  };
}

/**
 * Cloud nodes have no create endpoint (the demo loader creates them through DirectoryService.ensureCloudNode), so the
 * node is inserted into the running embedded PostgreSQL directly, as that loader would.
 */
async function insertCloudNode(databaseUrl, node, providerOrgId) {
  const require = createRequire(path.join(repoRoot, 'server/package.json'));
  const pg = require('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `insert into cloud_nodes (code, name, cloud_type, site, provider_org_id) values ($1, $2, 'service', 'E2E', $3)
       on conflict (code) do update set provider_org_id = excluded.provider_org_id returning id`,
      [node.code, node.name, providerOrgId],
    );
    return rows[0].id;
  } finally {
    await client.end();
  }
}

/**
 * Enqueues a job of the running server's queue (pg-boss, schema `pgboss`) as its cron schedule would; the server's
 * worker runs it. This client neither supervises, schedules nor migrates.
 */
export async function enqueueJob(databaseUrl, name, payload = {}) {
  const require = createRequire(path.join(repoRoot, 'server/package.json'));
  const PgBoss = require('pg-boss');
  const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', max: 1, supervise: false, schedule: false, migrate: false });
  boss.on('error', () => undefined);
  await boss.start();
  try {
    const id = await boss.send(name, payload);
    if (!id) throw new Error(`pg-boss refused to enqueue ${name}`);
    return id;
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/** Pushes `records` to `table` with the credential, signed like a provider's client would; returns the answer. */
export async function push(baseUrl, credential, table, records, { node, mode = 'partial' }) {
  const { signedHeaders } = await dist('modules/ingestion/signature.js');
  const pathWithQuery = `/api/ingest/v1/${table}?node=${encodeURIComponent(node)}&mode=${mode}`;
  const body = Buffer.from(JSON.stringify(records), 'utf8');
  const headers = { ...signedHeaders(credential, { method: 'POST', pathWithQuery, body }), 'content-type': 'application/json; charset=utf-8' };
  const res = await fetch(baseUrl + pathWithQuery, { method: 'POST', headers, body });
  const answer = await res.json();
  return { ...answer, httpStatus: res.status };
}

/** Runs after the runner's own setup (server up, `setup` signed in as a system administrator). */
export async function setupDataInterface({ platform, api, data }) {
  const { accounts, provider, node, room } = data;
  // 1. The provider organisation (system administrator), its node (database) and a machine room of the node (API).
  const org = await api.request('POST', '/api/organisations', { kind: 'cloud_provider', name: provider.name, code: provider.code });
  provider.id = org.id ?? org.organisation?.id;
  node.id = await insertCloudNode(platform.runningDatabaseUrl(), node, provider.id);
  await api.request('POST', `/api/cloud-nodes/${node.id}/rooms`, { code: room.code, name: room.name });

  // 2. Accounts by the CLI: the provider's administrator, two management-unit staff.
  for (const a of Object.values(accounts)) a.password = platform.createAccount(a);

  // 3. The management unit gives the provider its 4-character cloudProvider code (码表).
  const mgmt = platform.api();
  await mgmt.signIn(accounts.mgmtsetup.username, accounts.mgmtsetup.password, accounts.mgmtsetup.newPassword);
  await mgmt.request('PUT', `/api/ingest/code-tables/cloudProvider/${provider.cloudProviderCode}`, { labelZh: provider.name, orgId: provider.id });

  // 4. The provider's administrator issues an ingestion credential (token + signing secret, shown once).
  const csp = platform.api();
  await csp.signIn(accounts.provideradmin.username, accounts.provideradmin.password, accounts.provideradmin.newPassword);
  // The administrator enrolled a second factor on that sign-in: a browser sign-in later (signInAgain) needs it.
  accounts.provideradmin.totpSecret = csp.totpSecret;
  accounts.provideradmin.usedSteps = csp.usedSteps;
  const issued = await csp.request('POST', '/api/ingest/credentials', { name: 'E2E 推送' });
  const credential = { token: issued.token, signingSecret: issued.signingSecret };
  if (!/^zyi_/.test(credential.token ?? '') || !credential.signingSecret) throw new Error(`credential issue answered ${JSON.stringify(issued)}`);

  // 5. Two batches through the signed push API: valid host specifications, and monitoring with one faulty record.
  const { INTERFACE_TABLES } = await dist('modules/ingestion/interface-tables.js');
  const { sampleRecord } = await dist('modules/ingestion/validator.js');
  const tableOf = (name) => INTERFACE_TABLES.find((t) => t.name === name);
  const codes = { cloudProvider: provider.cloudProviderCode, machineRoom: room.code };
  const hostId = (i) => `e2e-vm-${String(i + 1).padStart(3, '0')}`;
  // sampleRecord fills every field: the optional deletedDate (today) would make the hosts deleted ones, so it goes.
  const specs = data.hosts.map((name, i) => {
    const { deletedDate: _deleted, ...rec } = sampleRecord(tableOf('cloudHostSpec'), { codes, seq: i + 1 });
    return { ...rec, cloudHostName: name, cloudHostId: hostId(i), systemId: 'E2E-SYS-001', cpuCores: String(4 * (i + 1)), memoryAllocated: String(8 * (i + 1)) };
  });
  const spec = await push(platform.baseUrl, credential, 'cloudHostSpec', specs, { node: node.code });
  if (spec.httpStatus !== 200 || spec.status !== 'accepted' || spec.accepted !== specs.length) throw new Error(`cloudHostSpec push: ${JSON.stringify(spec)}`);
  const monitoring = data.hosts.map((_, i) => ({ ...sampleRecord(tableOf('cloudHostMonitoring'), { codes, seq: i + 1 }), cloudHostId: hostId(i) }));
  monitoring[1].cpuUsage = 'abc';
  const mon = await push(platform.baseUrl, credential, 'cloudHostMonitoring', monitoring, { node: node.code, mode: 'partial' });
  if (mon.httpStatus !== 200 || mon.status !== 'partial' || mon.accepted !== monitoring.length - 1 || mon.rejected !== 1) throw new Error(`cloudHostMonitoring push: ${JSON.stringify(mon)}`);
  const error = mon.errors.find((e) => e.field === 'cpuUsage');
  if (!error) throw new Error(`the faulty record was not reported on cpuUsage: ${JSON.stringify(mon.errors)}`);
  data.pushes = { spec: { batchId: spec.batchId }, monitoring: { batchId: mon.batchId, error } };
  data.credential = credential; // flows that push their own set-up (flows-monitoring.mjs: 临时扩容)
  data.mgmtApi = mgmt;
  data.databaseUrl = platform.runningDatabaseUrl();
  for (const a of Object.values(data.reportAccounts)) a.password = platform.createAccount(a);
  return data;
}
