import type { PlatformDeps } from './platform/deps.js';
import type { AnonymousContext, App, Authenticator, ErrorObserver } from './platform/http/server.js';
import { anonymousContext } from './platform/context.js';
import { AppError } from './platform/errors.js';

/** Module services wired explicitly; each module is reached only through its index.ts. */
export interface Container {
  deps: PlatformDeps;
  auth: { authenticate: Authenticator; anonymous: AnonymousContext; observeError: ErrorObserver };
  routes: Array<(app: App) => Promise<void> | void>;
  /** Loads the demo city into an empty database (embedded default, first start). */
  demo?: { loadIfEmpty(): Promise<void> };
}

export function createContainer(deps: PlatformDeps): Container {
  const anonymous: AnonymousContext = (request) =>
    anonymousContext(request.id, request.ip, typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null);
  return {
    deps,
    auth: {
      authenticate: async () => {
        throw new AppError('unauthenticated', 'auth.required', 'Sign in first');
      },
      anonymous,
      observeError: async () => undefined,
    },
    routes: [],
  };
}
