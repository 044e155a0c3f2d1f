import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { Flex, Spin } from 'antd';
import { AppLayout } from './Layout';
import { RequirePermission, NotFound } from './Guard';

const LoginPage = lazy(() => import('../features/auth/pages/LoginPage'));
const HomePage = lazy(() => import('../features/home/pages/HomePage'));
const OrganisationsPage = lazy(() => import('../features/organisations/pages/OrganisationsPage'));
const UsersPage = lazy(() => import('../features/users/pages/UsersPage'));
const RolesPage = lazy(() => import('../features/roles/pages/RolesPage'));
const ApiTokensPage = lazy(() => import('../features/api-tokens/pages/ApiTokensPage'));
const SecurityPolicyPage = lazy(() => import('../features/security-policy/pages/SecurityPolicyPage'));
const LdapSettingsPage = lazy(() => import('../features/settings/pages/LdapSettingsPage'));
const AuditLogPage = lazy(() => import('../features/audit/pages/AuditLogPage'));
const CatalogPage = lazy(() => import('../features/catalog/pages/CatalogPage'));
const PriceListsPage = lazy(() => import('../features/prices/pages/PriceListsPage'));
const EstimatesPage = lazy(() => import('../features/estimates/pages/EstimatesPage'));
const CloudNodesPage = lazy(() => import('../features/directory/pages/CloudNodesPage'));
const SystemsPage = lazy(() => import('../features/systems/pages/SystemsPage'));
const IngestDataPage = lazy(() => import('../features/ingestion/pages/IngestDataPage'));
const IngestBatchesPage = lazy(() => import('../features/ingestion/pages/IngestBatchesPage'));
const RetentionPage = lazy(() => import('../features/ingestion/pages/RetentionPage'));
const CredentialsPage = lazy(() => import('../features/ingest-credentials/pages/CredentialsPage'));
const CodeTablesPage = lazy(() => import('../features/ingest-credentials/pages/CodeTablesPage'));
const ProviderEventsPage = lazy(() => import('../features/ingest-credentials/pages/ProviderEventsPage'));
const SyslogSourcesPage = lazy(() => import('../features/syslog/pages/SyslogSourcesPage'));
const InventoryPage = lazy(() => import('../features/inventory/pages/InventoryPage'));
const IpamPage = lazy(() => import('../features/ipam/pages/IpamPage'));
const ServiceDeskPage = lazy(() => import('../features/servicedesk/pages/ServiceDeskPage'));
const SecurityPage = lazy(() => import('../features/security/pages/SecurityPage'));
const MonitoringPage = lazy(() => import('../features/monitoring/pages/MonitoringPage'));
const OperationsPage = lazy(() => import('../features/operations/pages/OperationsPage'));
const EvaluationPage = lazy(() => import('../features/evaluation/pages/EvaluationPage'));
const BigScreenPage = lazy(() => import('../features/evaluation/pages/BigScreenPage'));
const EvaluationFollowUpPage = lazy(() => import('../features/evaluation/pages/FollowUpPage'));
const AvailabilityPage = lazy(() => import('../features/availability/pages/AvailabilityPage'));
const ProbeDetailPage = lazy(() => import('../features/availability/pages/ProbeDetailPage'));
const ContractsPage = lazy(() => import('../features/contracts/pages/ContractsPage'));
const CostOverviewPage = lazy(() => import('../features/billing/pages/CostOverviewPage'));
const BillsPage = lazy(() => import('../features/billing/pages/BillsPage'));
const BudgetsPage = lazy(() => import('../features/contracts/pages/BudgetsPage'));
const DataQualityPage = lazy(() => import('../features/data-quality/pages/DataQualityPage'));
const ProfilePage = lazy(() => import('../features/profile/pages/ProfilePage'));
const VerifyDocumentPage = lazy(() => import('../features/documents/pages/VerifyDocumentPage'));
const TodoPage = lazy(() => import('../features/workflow/pages/TodoPage'));
const ApplicationsPage = lazy(() => import('../features/applications/pages/ApplicationsPage'));
const WorkflowDefinitionsPage = lazy(() => import('../features/workflow/pages/WorkflowDefinitionsPage'));
const CalendarPage = lazy(() => import('../features/calendar/pages/CalendarPage'));
const KeyPeriodsPage = lazy(() => import('../features/notifications/pages/KeyPeriodsPage'));
const ReportsPage = lazy(() => import('../features/reports/pages/ReportsPage'));
const NotificationSettingsPage = lazy(() => import('../features/notifications/pages/NotificationSettingsPage'));

const guard = (permission: string, page: ReactNode) => <RequirePermission permission={permission}>{page}</RequirePermission>;

export const router = createBrowserRouter([
  {
    path: '/login',
    element: (
      <Suspense fallback={<Flex style={{ height: '100vh' }} align="center" justify="center"><Spin size="large" /></Flex>}>
        <LoginPage />
      </Suspense>
    ),
  },
  {
    path: '/big-screen',
    element: <Suspense fallback={<Flex style={{ height: '100vh', background: '#050d1f' }} align="center" justify="center"><Spin size="large" /></Flex>}>{guard('evaluation:read', <BigScreenPage />)}</Suspense>,
  },
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'organisations', element: guard('org:read', <OrganisationsPage />) },
      { path: 'users', element: guard('user:read', <UsersPage />) },
      { path: 'api-tokens', element: guard('token:read', <ApiTokensPage />) },
      { path: 'settings/ldap', element: guard('settings:read', <LdapSettingsPage />) },
      { path: 'roles', element: guard('role:read', <RolesPage />) },
      { path: 'security-policy', element: guard('policy:read', <SecurityPolicyPage />) },
      { path: 'audit-logs', element: guard('audit:read', <AuditLogPage />) },
      { path: 'catalog', element: guard('catalog:read', <CatalogPage />) },
      { path: 'price-lists', element: guard('price:read', <PriceListsPage />) },
      { path: 'estimates', element: guard('estimate:read', <EstimatesPage />) },
      { path: 'cloud-nodes', element: guard('directory:read', <CloudNodesPage />) },
      { path: 'information-systems', element: guard('system:read', <SystemsPage />) },
      { path: 'ingest/data', element: guard('ingest:read', <IngestDataPage />) },
      { path: 'ingest/batches', element: guard('ingest:read', <IngestBatchesPage />) },
      { path: 'ingest/retention', element: guard('ingest:read', <RetentionPage />) },
      { path: 'ingest/credentials', element: guard('ingest:read', <CredentialsPage />) },
      { path: 'ingest/code-tables', element: guard('ingest:read', <CodeTablesPage />) },
      { path: 'ingest/events', element: guard('ingest:read', <ProviderEventsPage />) },
      { path: 'ingest/syslog-sources', element: guard('ingest:read', <SyslogSourcesPage />) },
      { path: 'inventory', element: guard('inventory:read', <InventoryPage />) },
      { path: 'ipam', element: guard('ipam:read', <IpamPage />) },
      { path: 'ipam/:tab', element: guard('ipam:read', <IpamPage />) },
      { path: 'tickets', element: guard('ticket:read', <ServiceDeskPage />) },
      { path: 'tickets/:tab', element: guard('ticket:read', <ServiceDeskPage />) },
      { path: 'security', element: guard('security:read', <SecurityPage />) },
      { path: 'security/:tab', element: guard('security:read', <SecurityPage />) },
      { path: 'monitoring', element: guard('monitoring:read', <MonitoringPage />) },
      { path: 'monitoring/:tab', element: guard('monitoring:read', <MonitoringPage />) },
      { path: 'operations', element: guard('operations:read', <OperationsPage />) },
      { path: 'operations/:tab', element: guard('operations:read', <OperationsPage />) },
      { path: 'evaluation', element: guard('evaluation:read', <EvaluationPage />) },
      { path: 'evaluation/:tab', element: guard('evaluation:read', <EvaluationPage />) },
      { path: 'evaluation-followup', element: guard('evaluation:read', <EvaluationFollowUpPage />) },
      { path: 'evaluation-followup/:tab', element: guard('evaluation:read', <EvaluationFollowUpPage />) },
      { path: 'availability', element: guard('availability:read', <AvailabilityPage />) },
      { path: 'availability/probes/:id', element: guard('availability:read', <ProbeDetailPage />) },
      { path: 'availability/:tab', element: guard('availability:read', <AvailabilityPage />) },
      { path: 'cost-overview', element: guard('billing:read', <CostOverviewPage />) },
      { path: 'bills', element: guard('billing:read', <BillsPage />) },
      { path: 'contracts', element: guard('contract:read', <ContractsPage />) },
      { path: 'budgets', element: guard('budget:read', <BudgetsPage />) },
      { path: 'data-quality', element: guard('quality:read', <DataQualityPage />) },
      { path: 'todo', element: guard('workflow:read', <TodoPage />) },
      { path: 'applications', element: guard('application:read', <ApplicationsPage />) },
      { path: 'workflow-definitions', element: guard('workflow:write', <WorkflowDefinitionsPage />) },
      { path: 'calendar', element: guard('calendar:read', <CalendarPage />) },
      { path: 'key-periods', element: guard('keyperiod:read', <KeyPeriodsPage />) },
      { path: 'notifications/settings', element: <NotificationSettingsPage /> },
      { path: 'reports', element: <ReportsPage /> },
      { path: 'profile', element: <ProfilePage /> },
      { path: 'verify-document', element: <VerifyDocumentPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
