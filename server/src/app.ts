import { createHttpServer, type App } from './platform/http/server.js';
import { registerHealthRoutes } from './platform/http/health.js';
import { registerWebAssets } from './platform/http/web.js';
import type { PlatformDeps } from './platform/deps.js';
import { createContainer, type Container } from './container.js';

export interface BuiltApp {
  app: App;
  container: Container;
}

/** Builds the HTTP application: platform routes, every module's routes, the web UI. Does not listen. */
export async function buildApp(deps: PlatformDeps, opts: { serveWeb?: boolean } = {}): Promise<BuiltApp> {
  const container = createContainer(deps);
  const app = await createHttpServer({
    logger: deps.logger,
    trustProxy: deps.config.trustProxy,
    authenticate: container.auth.authenticate,
    anonymous: container.auth.anonymous,
    onError: container.auth.observeError,
  });
  registerHealthRoutes(app, deps);
  for (const register of container.routes) await register(app);
  if (opts.serveWeb ?? true) await registerWebAssets(app, deps.config.webDir);
  await app.ready();
  return { app, container };
}
