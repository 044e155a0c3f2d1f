import type { PlatformDeps } from './platform/deps.js';
import type { AnonymousContext, App, Authenticator, ErrorObserver } from './platform/http/server.js';
import { anonymousContext, systemContext } from './platform/context.js';
import { DirectoryService, InformationSystemService, registerDirectoryRoutes } from './modules/directory/index.js';
import { SettingsService, registerSettingsRoutes, createLdapPasswordCheck } from './modules/settings/index.js';
import { OrganisationService, registerOrganisationRoutes } from './modules/organisations/index.js';
import { AccessService, registerAccessRoutes } from './modules/access/index.js';
import { AuthService, registerAuthJobs, registerAuthRoutes, type LdapVerifier } from './modules/auth/index.js';
import { DemoService } from './modules/demo/index.js';
import { CatalogService, registerCatalogRoutes } from './modules/catalog/index.js';
import { EstimatesService, registerEstimateRoutes } from './modules/estimates/index.js';
import { DocumentsService, registerDocumentRoutes } from './modules/documents/index.js';
import { AuditService, registerAuditJobs, registerAuditRoutes } from './modules/audit/index.js';
import { CalendarService, registerCalendarRoutes } from './modules/calendar/index.js';
import { WorkflowService, registerWorkflowJobs, registerWorkflowRoutes } from './modules/workflow/index.js';
import { ApplicationsService, registerApplicationJobs, registerApplicationRoutes } from './modules/applications/index.js';
import { DeadlineNotifier, KeyPeriodService, NotificationService, registerNotificationJobs, registerNotificationRoutes, workflowNoticeListener, workOrderNoticeListener } from './modules/notifications/index.js';
import { QualityService, registerQualityJobs, registerQualityRoutes } from './modules/quality/index.js';
import { PushWriter } from './modules/ingestion/index.js';
import { SyslogReceiver, SyslogSourcesService, registerSyslogRoutes } from './modules/syslog/index.js';
import { InventoryService, registerInventoryJobs, registerInventoryRoutes } from './modules/inventory/index.js';
import { IpamService, registerIpamJobs, registerIpamRoutes, seedIpamDemo } from './modules/ipam/index.js';
import { ContractsService, loadDemoContracts, registerContractJobs, registerContractRoutes } from './modules/contracts/index.js';
import { BillingService, registerBillingJobs, registerBillingRoutes } from './modules/billing/index.js';
import { KnowledgeService, ServiceDeskService, loadServiceDeskDemo, registerKnowledgeRoutes, registerServiceDeskJobs, registerServiceDeskRoutes } from './modules/servicedesk/index.js';
import { PatchComplianceService, registerSecurityJobs, registerSecurityRoutes, SecurityOversightService, SecurityService, securityWakeOnPush } from './modules/security/index.js';
import { MetricStore, MonitoringScopes, MonitoringService, loadMonitoringDemo, monitoringWakeOnPush, registerMetricsEndpoint, registerMonitoringJobs, registerMonitoringRoutes } from './modules/monitoring/index.js';
import { OperationsService, loadOperationsDemo, operationsReads, registerOperationsJobs, registerOperationsRoutes } from './modules/operations/index.js';
import { createEvaluationFollowUp, EvaluationService, loadEvaluationDemo, registerEvaluationFollowUpRoutes, registerEvaluationJobs, registerEvaluationRoutes, type FollowUpServices } from './modules/evaluation/index.js';
import { EvaluationReportsService, registerEvaluationReportJobs, registerEvaluationReportRoutes } from './modules/evaluation/index.js';
import { monitoringFigures } from './modules/evaluation/index.js';
import { ReportsService, registerReportJobs, registerReportRoutes } from './modules/reports/index.js';
import { AvailabilityService, ProbeScheduler, loadAvailabilityDemo, registerAvailabilityJobs, registerAvailabilityRoutes } from './modules/availability/index.js';
import { ProviderCredentialService, registerCredentialJobs, registerCredentialRoutes } from './modules/ingestion/index.js';
import { CodeTableService, ProviderEventService, QueryPollerService, registerCodeTableRoutes, registerPollerJobs, registerProviderInterfaceRoutes } from './modules/ingestion/index.js';
import { registerIngestionJobs, registerPushRoutes } from './modules/ingestion/index.js';
import {
  IngestBatchesService,
  IngestRecordsService,
  IngestRetentionService,
  registerIngestBatchRoutes,
  registerIngestRecordRoutes,
  registerIngestRetentionJobs,
  registerIngestRetentionRoutes,
} from './modules/ingestion/index.js';

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
  /** Signed exports (.xlsx, PDF) with the platform's SM2 key; verification. */
  documents: DocumentsService;
  systems: InformationSystemService;
  audit: AuditService;
  /** Business calendar (营业日历) and working-time deadlines. */
  calendar: CalendarService;
  /** Workflow engine (审批流程): definitions, instances, to-dos, timeline. */
  workflow: WorkflowService;
  /** Applications (入云/变更/退云) → approval → work orders → acceptance. */
  applications: ApplicationsService;
  /** Notifications (bell, e-mail, robot webhooks), deadline warnings and escalation, key-guarantee periods (重保). */
  notifications: NotificationService;
  deadlines: DeadlineNotifier;
  keyPeriods: KeyPeriodService;
  /** Data quality (数据质量) of pushed data per provider × node × table × day. */
  quality: QualityService;
  /** Syslog sources (sender address → provider, node, device) and the receiver (started by `zhengyun start`). */
  syslogSources: SyslogSourcesService;
  syslogReceiver: SyslogReceiver;
  /** CMDB inventory (资源清单) built from pushed service and asset data. */
  inventory: InventoryService;
  /** IP address management (内部地址规划与分发): pools, requests, allocations, conflicts with the inventory. */
  ipam: IpamService;
  /** Contracts and budgets (合同与预算) with payment schedules, consumption and warnings. */
  contracts: ContractsService;
  /** Metering, monthly bills and reconciliation (计量、账单、对账). */
  billing: BillingService;
  /** Security supervision (安全监管): vulnerability findings, rectification, notices, risk acceptance. */
  security: SecurityService;
  securityOversight: SecurityOversightService;
  securityPatches: PatchComplianceService;
  /** 接入凭证 of cloud providers; verifies signed data-interface requests. */
  credentials: ProviderCredentialService;
  /** Trigger mode (触发器): major changes and alarms pushed by providers. */
  providerEvents: ProviderEventService;
  /** Query-response mode (查询-响应): providers' query endpoints and the poller. */
  queryPoller: QueryPollerService;
  /** 码表 of the data interface. */
  codeTables: CodeTableService;
  /** Validates and stores pushed batches (push API, syslog receiver). */
  pushWriter: PushWriter;
  /** Search and export of pushed records, batches view, retention. */
  ingestRecords: IngestRecordsService;
  ingestBatches: IngestBatchesService;
  ingestRetention: IngestRetentionService;
  /** Unified service desk (统一工单): tickets, SLA clocks, escalation, statistics, automatic tickets from other modules. */
  serviceDesk: ServiceDeskService;
  /** Knowledge base (知识库) with Chinese search, announcements (公告), data dictionary (数据字典). */
  knowledge: KnowledgeService;
  /** Monitoring (监控告警与容量): metric store and rollups, alert rules and alerts, capacity warnings. */
  monitoring: MonitoringService;
  /** Operations supervision (运维监管): inspections, personnel, qualifications, drills, duty, platform changes. */
  operations: OperationsService;
  /** Evaluation (评估评价): unit/system cloud efficiency and rightsizing, provider evaluation, 月报, overview. */
  evaluation: EvaluationService;
  /** Follow-up on published provider scores: objections (异议) … */
  evaluationFollowUp: FollowUpServices;
  /** Evaluation's report templates and generated 月报 / 季评 (review, publication, scheduled drafts). */
  evaluationReports: EvaluationReportsService;
  /** 报表管理: saved custom reports over the modules' datasets, .xlsx, scheduled delivery. */
  reports: ReportsService;
  /** Availability monitoring (可用性监测): probes, state intervals, outages, SLA compliance; the worker's probe scheduler. */
  availability: AvailabilityService;
  probeScheduler: ProbeScheduler;
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
  const calendar = new CalendarService(deps.db);
  const workflow = new WorkflowService(deps.db, calendar);
  registerWorkflowJobs(deps.jobs, workflow);
  const notifications = new NotificationService(deps.db, deps.cipher, deps.config, deps.logger, deps.jobs);
  // New to-dos to their assignees, decisions to the applicant (in-app and the channels each person chose).
  workflow.onNotice(workflowNoticeListener(notifications, deps.logger));
  const deadlines = new DeadlineNotifier(deps.db, notifications, workflow, calendar, deps.logger);
  registerNotificationJobs(deps.jobs, notifications, deadlines);
  const keyPeriods = new KeyPeriodService(deps.db, notifications);
  const quality = new QualityService(deps.db);
  registerQualityJobs(deps.jobs, quality);
  const inventory = new InventoryService(deps.db);
  registerInventoryJobs(deps.jobs, inventory);
  const ipam = new IpamService(deps.db, calendar, inventory, (trx, notice) => notifications.notify(trx, notice));
  registerIpamJobs(deps.jobs, ipam);
  const contracts = new ContractsService(deps.db);
  registerContractJobs(deps.jobs, contracts);
  const catalog = new CatalogService(deps.db);
  const estimates = new EstimatesService(deps.db, catalog);
  const applications = new ApplicationsService(deps.db, catalog, estimates, calendar, workflow);
  applications.setInventory(inventory);
  applications.setWorkOrderListener(workOrderNoticeListener(notifications, deps.logger));
  registerApplicationJobs(deps.jobs, applications);
  // Budgets (contracts module): a submitted application must fit in what is left of the fiscal year's budget.
  applications.setBudgetLookup(async (ctx, unitId, systemId, fiscalYear) => {
    const budgets = await contracts.listBudgets(ctx, { unitId, fiscalYear });
    const b = budgets.find((x) => x.system?.id === systemId) ?? budgets.find((x) => x.system === null);
    return b ? { amount: b.amount, remaining: b.consumption.remaining } : null;
  });
  // Work-order deadlines (工单时限): warnings, due notices and escalation through the notifications module.
  deadlines.registerSource('work_order', (now) => applications.openWorkOrderDeadlines(now));
  const billing = new BillingService(deps.db, catalog);
  registerBillingJobs(deps.jobs, billing);
  // Contracts and budgets count the bills' amounts (job contracts.warnings: syncFromBilling, then the warnings).
  contracts.setBillReader(billing);
  const documents = new DocumentsService(deps.db, deps.cipher);
  const systems = new InformationSystemService(deps.db, deps.cipher);
  const credentials = new ProviderCredentialService(deps.db, deps.cipher, organisations);
  registerCredentialJobs(deps.jobs, credentials);
  const providerEvents = new ProviderEventService(deps.db);
  const queryPoller = new QueryPollerService(deps.db, deps.cipher, organisations, deps.logger);
  registerPollerJobs(deps.jobs, queryPoller);
  const codeTables = new CodeTableService(deps.db, organisations);
  const pushWriter = new PushWriter(deps.db, deps.pool, deps.logger);
  registerIngestionJobs(deps.jobs, pushWriter.partitions);
  // A changed or deactivated code applies to the next pushed batch of this process (others reload within the cache TTL).
  codeTables.onChange(() => pushWriter.codes.invalidate());
  const ingestRecords = new IngestRecordsService(deps.db);
  const ingestBatches = new IngestBatchesService(deps.db);
  const ingestRetention = new IngestRetentionService(deps.db, deps.logger);
  registerIngestRetentionJobs(deps.jobs, ingestRetention);
  const security = new SecurityService(deps.db, inventory, directory, calendar, deps.logger);
  const securityOversight = new SecurityOversightService(deps.db, security, inventory, notifications, deps.logger);
  securityOversight.setDocuments(documents);
  securityOversight.warnings.setDeadlineNotifier(deadlines);
  const securityPatches = new PatchComplianceService(deps.db, inventory);
  registerSecurityJobs(deps.jobs, security, securityOversight, securityPatches);
  pushWriter.onStored(securityWakeOnPush(deps.jobs, deps.logger));
  const monitoring = new MonitoringService(deps.db, new MetricStore(deps.db, deps.pool, inventory, deps.logger), inventory, notifications, deps.logger);
  registerMonitoringJobs(deps.jobs, monitoring);
  pushWriter.onStored(monitoringWakeOnPush(deps.jobs, deps.logger));
  pushWriter.onStored((b) => monitoring.metrics.observeStored(b.table, b.accepted));
  const syslogSources = new SyslogSourcesService(deps.db);
  const syslogReceiver = new SyslogReceiver({ logger: deps.logger, writer: pushWriter, sources: syslogSources });
  const serviceDesk = new ServiceDeskService(deps.db, calendar, deps.logger);
  serviceDesk.setNotifier((trx, notice) => notifications.notify(trx, notice));
  serviceDesk.setDocuments(documents);
  registerServiceDeskJobs(deps.jobs, serviceDesk);
  // Rectification notices (整改通知) become service-desk tickets; a verified fix clears them.
  security.setTicketHook((input) => serviceDesk.upsertTicketFromSource(input));
  securityOversight.setTicketHook((input) => serviceDesk.upsertTicketFromSource(input));
  const knowledge = new KnowledgeService(deps.db);
  knowledge.setCodeTableSource((ctx) => codeTables.list(ctx));
  const operations = new OperationsService(deps.db, directory, organisations, inventory, workflow, calendar, deps.logger);
  registerOperationsJobs(deps.jobs, operations);
  operations.setTicketHook((input) => serviceDesk.upsertTicketFromSource(input));
  operations.setKeyPeriodCheck((at, nodeId) => keyPeriods.isKeyPeriod(at, nodeId));
  operations.setKeyPeriodLookup((ctx, id) => keyPeriods.get(ctx, id));
  operations.setDocuments(documents);
  // Major-change events (重大变更): pushed ones (trigger mode) are imported and matched to approved changes; unapproved ones notify supervision.
  operations.majorChanges.setNotifier(notifications);
  operations.meetings.setNotifier(notifications);
  operations.majorChanges.setPushedEventSource(async (from, to) => {
    const out = [];
    for (let page = 1; page <= 20; page++) {
      const r = await providerEvents.list(systemContext('operations.major_changes'), { kind: 'major_change', from: from.toISOString(), to: to.toISOString(), page, pageSize: 100 });
      out.push(...r.items.map((e) => ({ id: e.id, providerOrgId: e.provider.id, nodeId: e.node.id, externalId: e.externalId, category: e.category, occurredAt: e.occurredAt, title: e.title, detail: e.detail })));
      if (page * r.pageSize >= r.total) break;
    }
    return out;
  });
  // Suspension rule: no new onboarding (入云) to a provider whose qualification has lapsed.
  applications.setProviderEligibilityCheck((providerOrgId, at) => operations.isProviderSuspended(providerOrgId, at));
  // Demo city: its addresses are fictional, so automatic probes of them are not run (unknown, never a fake up).
  const availability = new AvailabilityService(deps.db, { inventory, systems, notifications, calendar, documents, catalog, logger: deps.logger, unreachableNote: deps.config.demo && deps.embedded ? '演示城市的虚构地址，本实例无法到达，不探测' : null });
  const probeScheduler = new ProbeScheduler(availability, deps.logger);
  registerAvailabilityJobs(deps.jobs, availability, probeScheduler);
  // Confirmed outages become service-desk tickets (source 'outage'); the target back up clears them.
  availability.setTicketHook((input) => serviceDesk.upsertTicketFromSource(input));
  monitoring.setTicketHook((input) => serviceDesk.upsertTicketFromSource(input));
  // Approved planned changes (operations supervision) act as maintenance windows for the alert rules.
  monitoring.setPlannedWorkSource(operations);
  // …and for the availability probes (maintenance, not downtime).
  availability.setPlannedWorkSource(operations);
  // Egress series (应用系统网络出口使用数据) linked to their information system and unit by the system number.
  monitoring.store.setSystemLookup((ctx, nos) => systems.findByNumbers(ctx, nos));
  const demo = new DemoService(deps.db, organisations, access, directory, systems, catalog, estimates, deps.logger);
  // The other modules' parts of the demo city, loaded after its organisations, systems, accounts and price lists.
  demo.addExtra('contracts', (orgIds) => loadDemoContracts(deps.db, contracts, orgIds), { later: true });
  demo.addExtra('ipam', () => seedIpamDemo(deps.db, ipam), { later: true });
  demo.addExtra('key-periods', () => keyPeriods.seedDemo(systemContext('demo-loader')));
  demo.addExtra('applications', () => applications.loadDemo(), { later: true });
  demo.addExtra('servicedesk', () => loadServiceDeskDemo(deps.db, serviceDesk, knowledge), { later: true });
  demo.addExtra('monitoring', () => loadMonitoringDemo(deps.db), { later: true });
  demo.addExtra('operations', (orgIds) => loadOperationsDemo(deps.db, operations, directory, orgIds, deps.logger), { later: true });
  const evaluation = new EvaluationService(deps.db, { inventory, billing, catalog, quality, serviceDesk, security, applications, calendar });
  // Utilisation, capacity deadlines, SLA attainment, drills, qualifications and inspections for the efficiency scores
  // and the provider scorecards, read through the modules' public services.
  evaluation.setFigureSources({ monitoring: monitoringFigures(monitoring), operations, availability });
  registerEvaluationJobs(deps.jobs, evaluation, deps.logger);
  const evaluationFollowUp = createEvaluationFollowUp(deps.db, { calendar, notifications, documents });
  const evaluationReports = new EvaluationReportsService(deps.db, evaluation, documents, notifications);
  registerEvaluationReportJobs(deps.jobs, evaluationReports, deadlines, deps.logger);
  const reports = new ReportsService(deps.db, { inventory, billing, serviceDesk, security, monitoring, availability, operations: { service: operations, reads: operationsReads(deps.db) } }, documents, notifications, access);
  registerReportJobs(deps.jobs, reports, deps.logger);
  demo.addExtra('evaluation', () => loadEvaluationDemo(evaluation, deps.logger), { later: true });
  demo.addExtra('availability', () => loadAvailabilityDemo(deps.db, availability, systems, notifications, deps.logger), { later: true });
  return {
    deps,
    demo,
    audit,
    calendar,
    workflow,
    applications,
    notifications,
    ipam,
    deadlines,
    keyPeriods,
    quality,
    syslogSources,
    syslogReceiver,
    inventory,
    contracts,
    billing,
    security,
    securityOversight,
    securityPatches,
    credentials,
    providerEvents,
    queryPoller,
    codeTables,
    pushWriter,
    ingestRecords,
    ingestBatches,
    ingestRetention,
    serviceDesk,
    knowledge,
    monitoring,
    operations,
    evaluation,
    evaluationFollowUp,
    evaluationReports,
    reports,
    availability,
    probeScheduler,
    catalog,
    estimates,
    documents,
    systems,
    directory,
    settings,
    organisations,
    access,
    authService,
    auth: { authenticate: authService.authenticate, anonymous, observeError: authService.observeError },
    routes: [
      // First, so its latency hook sees every route. Token: config metricsToken (ZHENGYUN_METRICS_TOKEN; none: /metrics is off).
      (app) => registerMetricsEndpoint(app, { metrics: monitoring.metrics, pool: deps.pool, token: deps.config.metricsToken, service: monitoring, syslog: () => ({ received: syslogReceiver.counters.received, dropped: syslogReceiver.counters.dropped }) }),
      (app) => registerDirectoryRoutes(app, directory, systems),
      (app) => registerSettingsRoutes(app, settings),
      (app) => registerOrganisationRoutes(app, organisations),
      (app) => registerAccessRoutes(app, access),
      (app) => registerAuthRoutes(app, authService),
      (app) => registerCatalogRoutes(app, catalog),
      (app) => registerEstimateRoutes(app, estimates),
      (app) => registerDocumentRoutes(app, documents, { estimates, contracts, bills: billing }),
      (app) => registerAuditRoutes(app, audit),
      (app) => registerCalendarRoutes(app, calendar),
      (app) => registerWorkflowRoutes(app, workflow),
      (app) => registerApplicationRoutes(app, applications),
      (app) => registerNotificationRoutes(app, notifications, keyPeriods),
      (app) => registerIpamRoutes(app, ipam),
      (app) => registerQualityRoutes(app, quality),
      (app) => registerSyslogRoutes(app, syslogSources, syslogReceiver),
      (app) => registerInventoryRoutes(app, inventory),
      (app) => registerContractRoutes(app, contracts),
      (app) => registerBillingRoutes(app, billing),
      (app) => registerSecurityRoutes(app, { security, oversight: securityOversight, patches: securityPatches }),
      (app) => registerCredentialRoutes(app, credentials),
      (app) => registerProviderInterfaceRoutes(app, { credentials, events: providerEvents, poller: queryPoller }),
      (app) => registerCodeTableRoutes(app, codeTables),
      (app) => registerPushRoutes(app, { writer: pushWriter, verifier: credentials }),
      (app) => registerIngestRecordRoutes(app, ingestRecords),
      (app) => registerIngestBatchRoutes(app, ingestBatches),
      (app) => registerIngestRetentionRoutes(app, ingestRetention),
      (app) => registerServiceDeskRoutes(app, serviceDesk),
      (app) => registerKnowledgeRoutes(app, knowledge),
      (app) => registerMonitoringRoutes(app, monitoring, new MonitoringScopes(deps.db)),
      (app) => registerOperationsRoutes(app, operations),
      (app) => registerEvaluationRoutes(app, evaluation, documents),
      (app) => registerEvaluationFollowUpRoutes(app, evaluationFollowUp),
      (app) => registerEvaluationReportRoutes(app, evaluationReports),
      (app) => registerReportRoutes(app, reports),
      (app) => registerAvailabilityRoutes(app, availability),
    ],
  };
}
