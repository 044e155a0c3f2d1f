import type { PlatformDeps } from './platform/deps.js';
import type { AnonymousContext, App, Authenticator, ErrorObserver } from './platform/http/server.js';
import { anonymousContext } from './platform/context.js';
import { AppError } from './platform/errors.js';
import { DirectoryService, registerDirectoryRoutes } from './modules/directory/index.js';
import { SettingsService, registerSettingsRoutes } from './modules/settings/index.js';

/** Module services wired explicitly; each module is reached only through its index.ts. */
export interface Container {
  deps: PlatformDeps;
  auth: { authenticate: Authenticator; anonymous: AnonymousContext; observeError: ErrorObserver };
  routes: Array<(app: App) => Promise<void> | void>;
  directory: DirectoryService;
  settings: SettingsService;
  /** Loads the demo city into an empty database (embedded default, first start). */
  demo?: { loadIfEmpty(): Promise<void> };
}

export function createContainer(deps: PlatformDeps): Container {
  const anonymous: AnonymousContext = (request) =>
    anonymousContext(request.id, request.ip, typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null);
  const directory = new DirectoryService(deps.db);
  const settings = new SettingsService({ db: deps.db, cipher: deps.cipher, logger: deps.logger });
  return {
    deps,
    directory,
    settings,
    auth: {
      authenticate: async () => {
        throw new AppError('unauthenticated', 'auth.required', 'Sign in first');
      },
      anonymous,
      observeError: async () => undefined,
    },
    routes: [(app) => registerDirectoryRoutes(app, directory), (app) => registerSettingsRoutes(app, settings)],
  };
}
