#!/usr/bin/env node
import { Command, Option } from 'commander';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { openDatabase, openRuntime } from './platform/runtime.js';
import { migrate } from './platform/db/migrate.js';
import { buildApp } from './app.js';

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
    if (container.demo && cfg.demo && deps.embedded) await container.demo.loadIfEmpty();
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

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof ConfigError) console.error(e.message);
  else console.error(`zhengyun: ${(e as Error).message}`);
  process.exit(1);
});
