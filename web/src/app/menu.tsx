import type { ReactNode } from 'react';
import {
  HomeOutlined, ApartmentOutlined, TeamOutlined, KeyOutlined, CloudServerOutlined, SafetyCertificateOutlined,
  SettingOutlined, LockOutlined, AuditOutlined, FileSearchOutlined, AppstoreOutlined, BookOutlined, DollarOutlined, CalculatorOutlined,
  DatabaseOutlined, ClusterOutlined, ProfileOutlined, CloudUploadOutlined, TableOutlined, InboxOutlined, FieldTimeOutlined,
  AlertOutlined, TagsOutlined, WifiOutlined, DashboardOutlined, HddOutlined, CarryOutOutlined, NodeIndexOutlined, CalendarOutlined,
  AccountBookOutlined, FileDoneOutlined, FundOutlined, SolutionOutlined, BugOutlined } from '@ant-design/icons';

export interface MenuLeaf {
  key: string;
  path: string;
  label: string;
  icon: ReactNode;
  permission?: string;
}
export interface MenuGroup {
  key: string;
  label: string;
  icon: ReactNode;
  children: MenuLeaf[];
}

/** The left menu; a leaf shows when the user holds its permission, a group when any leaf shows. */
export const MENU: (MenuLeaf | MenuGroup)[] = [
  { key: 'home', path: '/', label: 'menu.home', icon: <HomeOutlined /> },
  {
    key: 'catalog-group', label: 'menu.catalogGroup', icon: <AppstoreOutlined />,
    children: [
      { key: 'catalog', path: '/catalog', label: 'menu.catalog', icon: <BookOutlined />, permission: 'catalog:read' },
      { key: 'price-lists', path: '/price-lists', label: 'menu.prices', icon: <DollarOutlined />, permission: 'price:read' },
      { key: 'estimates', path: '/estimates', label: 'menu.estimates', icon: <CalculatorOutlined />, permission: 'estimate:read' },
    ],
  },
  {
    key: 'cost-group', label: 'menu.costGroup', icon: <AccountBookOutlined />,
    children: [
      { key: 'cost-overview', path: '/cost-overview', label: 'menu.costOverview', icon: <FundOutlined />, permission: 'billing:read' },
      { key: 'bills', path: '/bills', label: 'menu.bills', icon: <AccountBookOutlined />, permission: 'billing:read' },
      { key: 'contracts', path: '/contracts', label: 'menu.contracts', icon: <FileDoneOutlined />, permission: 'contract:read' },
      { key: 'budgets', path: '/budgets', label: 'menu.budgets', icon: <FundOutlined />, permission: 'budget:read' },
      { key: 'verify-document', path: '/verify-document', label: 'menu.verifyDocument', icon: <SafetyCertificateOutlined /> },
    ],
  },
  {
    key: 'workflow-group', label: 'menu.workflowGroup', icon: <CarryOutOutlined />,
    children: [
      { key: 'todo', path: '/todo', label: 'menu.todo', icon: <CarryOutOutlined />, permission: 'workflow:read' },
      { key: 'applications', path: '/applications', label: 'menu.applications', icon: <SolutionOutlined />, permission: 'application:read' },
      { key: 'tickets', path: '/tickets', label: 'menu.serviceDesk', icon: <SolutionOutlined />, permission: 'ticket:read' },
      { key: 'workflow-definitions', path: '/workflow-definitions', label: 'menu.workflowDefinitions', icon: <NodeIndexOutlined />, permission: 'workflow:write' },
      { key: 'calendar', path: '/calendar', label: 'menu.calendar', icon: <CalendarOutlined />, permission: 'calendar:read' },
      { key: 'key-periods', path: '/key-periods', label: 'menu.keyPeriods', icon: <CalendarOutlined />, permission: 'keyperiod:read' },
    ],
  },
  {
    key: 'directory-group', label: 'menu.directoryGroup', icon: <DatabaseOutlined />,
    children: [
      { key: 'cloud-nodes', path: '/cloud-nodes', label: 'menu.cloudNodes', icon: <ClusterOutlined />, permission: 'directory:read' },
      { key: 'information-systems', path: '/information-systems', label: 'menu.systems', icon: <ProfileOutlined />, permission: 'system:read' },
      { key: 'ipam', path: '/ipam', label: 'menu.ipam', icon: <ClusterOutlined />, permission: 'ipam:read' },
    ],
  },
  {
    key: 'security-group', label: 'menu.securityGroup', icon: <SafetyCertificateOutlined />,
    children: [{ key: 'security', path: '/security', label: 'menu.securityFindings', icon: <BugOutlined />, permission: 'security:read' }],
  },
  { key: 'reports', path: '/reports', label: 'menu.reports', icon: <TableOutlined /> },
  { key: 'availability', path: '/availability', label: 'menu.availability', icon: <DashboardOutlined />, permission: 'availability:read' },
  {
    key: 'monitoring-group', label: 'menu.monitoringGroup', icon: <AlertOutlined />,
    children: [{ key: 'monitoring', path: '/monitoring', label: 'menu.monitoring', icon: <DashboardOutlined />, permission: 'monitoring:read' }],
  },
  {
    key: 'operations-group', label: 'menu.operationsGroup', icon: <CarryOutOutlined />,
    children: [{ key: 'operations', path: '/operations', label: 'menu.operations', icon: <CarryOutOutlined />, permission: 'operations:read' }],
  },
  {
    key: 'evaluation-group', label: 'menu.evaluationGroup', icon: <FundOutlined />,
    children: [
      { key: 'evaluation', path: '/evaluation', label: 'menu.evaluation', icon: <FundOutlined />, permission: 'evaluation:read' },
      { key: 'evaluation-followup', path: '/evaluation-followup', label: 'menu.evaluationFollowUp', icon: <FundOutlined />, permission: 'evaluation:read' },
      { key: 'big-screen', path: '/big-screen', label: 'menu.bigScreen', icon: <DashboardOutlined />, permission: 'evaluation:read' },
    ],
  },
  {
    key: 'inventory-group', label: 'menu.inventoryGroup', icon: <HddOutlined />,
    children: [{ key: 'inventory', path: '/inventory', label: 'menu.inventory', icon: <HddOutlined />, permission: 'inventory:read' }],
  },
  {
    key: 'ingest-group', label: 'menu.ingestGroup', icon: <CloudUploadOutlined />,
    children: [
      { key: 'ingest-data', path: '/ingest/data', label: 'menu.ingestData', icon: <TableOutlined />, permission: 'ingest:read' },
      { key: 'ingest-batches', path: '/ingest/batches', label: 'menu.ingestBatches', icon: <InboxOutlined />, permission: 'ingest:read' },
      { key: 'data-quality', path: '/data-quality', label: 'menu.dataQuality', icon: <DashboardOutlined />, permission: 'quality:read' },
      { key: 'ingest-events', path: '/ingest/events', label: 'menu.ingestEvents', icon: <AlertOutlined />, permission: 'ingest:read' },
      { key: 'ingest-credentials', path: '/ingest/credentials', label: 'menu.ingestCredentials', icon: <KeyOutlined />, permission: 'ingest:read' },
      { key: 'code-tables', path: '/ingest/code-tables', label: 'menu.codeTables', icon: <TagsOutlined />, permission: 'ingest:read' },
      { key: 'syslog-sources', path: '/ingest/syslog-sources', label: 'menu.syslogSources', icon: <WifiOutlined />, permission: 'ingest:read' },
      { key: 'retention', path: '/ingest/retention', label: 'menu.retention', icon: <FieldTimeOutlined />, permission: 'ingest:read' },
    ],
  },
  {
    key: 'system', label: 'menu.system', icon: <SettingOutlined />,
    children: [
      { key: 'organisations', path: '/organisations', label: 'menu.organisations', icon: <ApartmentOutlined />, permission: 'org:read' },
      { key: 'users', path: '/users', label: 'menu.users', icon: <TeamOutlined />, permission: 'user:read' },
      { key: 'api-tokens', path: '/api-tokens', label: 'menu.apiTokens', icon: <KeyOutlined />, permission: 'token:read' },
      { key: 'ldap', path: '/settings/ldap', label: 'menu.ldap', icon: <CloudServerOutlined />, permission: 'settings:read' },
    ],
  },
  {
    key: 'security', label: 'menu.security', icon: <SafetyCertificateOutlined />,
    children: [
      { key: 'roles', path: '/roles', label: 'menu.roles', icon: <LockOutlined />, permission: 'role:read' },
      { key: 'security-policy', path: '/security-policy', label: 'menu.securityPolicy', icon: <SafetyCertificateOutlined />, permission: 'policy:read' },
    ],
  },
  {
    key: 'audit', label: 'menu.audit', icon: <AuditOutlined />,
    children: [{ key: 'audit-logs', path: '/audit-logs', label: 'menu.auditLogs', icon: <FileSearchOutlined />, permission: 'audit:read' }],
  },
];

export function visibleMenu(permissions: readonly string[]): (MenuLeaf | MenuGroup)[] {
  const allowed = (l: MenuLeaf) => !l.permission || permissions.includes(l.permission);
  return MENU.flatMap((item): (MenuLeaf | MenuGroup)[] => {
    if (!('children' in item)) return allowed(item) ? [item] : [];
    const children = item.children.filter(allowed);
    return children.length ? [{ ...item, children }] : [];
  });
}

export const LEAVES: MenuLeaf[] = MENU.flatMap((i) => ('children' in i ? i.children : [i]));
