#!/usr/bin/env node
import { Command, Option } from 'commander';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { openDatabase, openRuntime } from './platform/runtime.js';
import { migrate } from './platform/db/migrate.js';
import { buildApp } from './app.js';
import { createContainer } from './container.js';
import { createAdminAccount } from './modules/access/index.js';

/** The `zhengyun` command line: start, migrate, admin, audit. */
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
    if (cfg.demo && deps.embedded) await container.demo.loadIfEmpty();
    if (cfg.role !== 'worker') await app.listen({ host: cfg.host, port: cfg.port });
    const mem = process.memoryUsage();
    logger.info(
      { role: cfg.role, url: cfg.role !== 'worker' ? `http://${cfg.host === '0.0.0.0' ? 'localhost' : cfg.host}:${cfg.port}/` : undefined, startupMs: Math.round(performance.now() - t0), rssMiB: Math.round(mem.rss / 2 ** 20) },
      'Zhengyun started',
    );
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      await app.close().catch(() => undefined);
      await runtime.close();
      process.exit(0);
    };
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

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof ConfigError) console.error(e.message);
  else console.error(`zhengyun: ${(e as Error).message}`);
  process.exit(1);
});
