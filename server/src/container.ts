import type { PlatformDeps } from './platform/deps.js';
import type { AnonymousContext, App, Authenticator, ErrorObserver } from './platform/http/server.js';
import { anonymousContext } from './platform/context.js';
import { DirectoryService, InformationSystemService, registerDirectoryRoutes } from './modules/directory/index.js';
import { SettingsService, registerSettingsRoutes, createLdapPasswordCheck } from './modules/settings/index.js';
import { OrganisationService, registerOrganisationRoutes } from './modules/organisations/index.js';
import { AccessService, registerAccessRoutes } from './modules/access/index.js';
import { AuthService, registerAuthJobs, registerAuthRoutes, type LdapVerifier } from './modules/auth/index.js';
import { DemoService } from './modules/demo/index.js';
import { CatalogService, registerCatalogRoutes } from './modules/catalog/index.js';
import { EstimatesService, registerEstimateRoutes } from './modules/estimates/index.js';
import { AuditService, registerAuditJobs, registerAuditRoutes } from './modules/audit/index.js';

/** Module services wired explicitly; each module is reached only through its index.ts. */
export interface Container {
  deps: PlatformDeps;
  auth: { authenticate: Authenticator; anonymous: AnonymousContext; observeError: ErrorObserver };
  routes: Array<(app: App) => Promise<void> | void>;
  directory: DirectoryService;
  settings: SettingsService;
  organisations: OrganisationService;
  access: AccessService;
  authService: AuthService;
  /** Loads the demo city into an empty database (embedded default, first start). */
  demo: DemoService;
  catalog: CatalogService;
  estimates: EstimatesService;
  systems: InformationSystemService;
  audit: AuditService;
}

export function createContainer(deps: PlatformDeps): Container {
  const anonymous: AnonymousContext = (request) =>
    anonymousContext(request.id, request.ip, typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null);
  const directory = new DirectoryService(deps.db);
  const settings = new SettingsService({ db: deps.db, cipher: deps.cipher, logger: deps.logger });
  const organisations = new OrganisationService(deps.db);
  const access = new AccessService(deps.db, deps.cipher, organisations);
  // LDAP hook point: accounts with auth_source = 'ldap' are verified by the settings module's directory check.
  const ldapVerifier: LdapVerifier = createLdapPasswordCheck({ settings });
  const authService = new AuthService(deps.db, deps.cipher, deps.config, deps.logger, access, organisations, { ldapVerifier });
  registerAuthJobs(deps.jobs, authService);
  const audit = new AuditService(deps.db, async (trx, ctx, id) => (await organisations.lookup(trx, ctx, id))?.name);
  registerAuditJobs(deps.jobs, audit);
  const catalog = new CatalogService(deps.db);
  const estimates = new EstimatesService(deps.db, catalog);
  const systems = new InformationSystemService(deps.db, deps.cipher);
  const demo = new DemoService(deps.db, organisations, access, directory, systems, catalog, estimates, deps.logger);
  return {
    deps,
    demo,
    audit,
    catalog,
    estimates,
    systems,
    directory,
    settings,
    organisations,
    access,
    authService,
    auth: { authenticate: authService.authenticate, anonymous, observeError: authService.observeError },
    routes: [
      (app) => registerDirectoryRoutes(app, directory, systems),
      (app) => registerSettingsRoutes(app, settings),
      (app) => registerOrganisationRoutes(app, organisations),
      (app) => registerAccessRoutes(app, access),
      (app) => registerAuthRoutes(app, authService),
      (app) => registerCatalogRoutes(app, catalog),
      (app) => registerEstimateRoutes(app, estimates),
      (app) => registerAuditRoutes(app, audit),
    ],
  };
}
