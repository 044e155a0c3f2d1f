/** The permission catalog (权限目录): every `module:action`, grouped by the menu it opens. */
export interface PermissionInfo {
  code: string;
  group: string;
  groupZh: string;
  groupEn: string;
  nameZh: string;
  nameEn: string;
}

const groups: Record<string, [string, string]> = {
  organisations: ['组织机构', 'Organisations'],
  users: ['用户管理', 'Users'],
  roles: ['角色权限', 'Roles and permissions'],
  security_policy: ['安全策略', 'Security policy'],
  api_tokens: ['接口令牌', 'API tokens'],
  settings: ['系统配置', 'Settings'],
  audit: ['审计日志', 'Audit log'],
  catalog: ['服务目录', 'Service catalog'],
  prices: ['服务商报价', 'Provider price lists'],
  estimates: ['预算测算', 'Budget estimates'],
  directory: ['资源目录', 'Directory'],
  systems: ['信息系统', 'Information systems'],
  ingestion: ['数据接入', 'Data interface'],
  inventory: ['资源清单', 'Resource inventory'],
  quality: ['数据质量', 'Data quality'],
  calendar: ['营业日历', 'Business calendar'],
  workflow: ['审批流程', 'Approval workflows'],
  applications: ['申请与工单', 'Applications and work orders'],
  keyperiods: ['重保期', 'Key-guarantee periods'],
  contracts: ['合同管理', 'Contracts'],
  budgets: ['预算管理', 'Budgets'],
  billing: ['费用账单', 'Billing'],
  ipam: ['IP 地址管理', 'IP address management'],
  servicedesk: ['统一工单', 'Service desk'],
  security: ['安全监管', 'Security supervision'],
  availability: ['可用性监测', 'Availability monitoring'],
  monitoring: ['监控告警与容量', 'Monitoring, alerts and capacity'],
};

const entries: Array<[string, string, string, string]> = [
  ['org:read', 'organisations', '查看组织机构', 'View organisations'],
  ['org:write', 'organisations', '管理组织机构', 'Manage organisations'],
  ['user:read', 'users', '查看用户', 'View users'],
  ['user:write', 'users', '管理用户账号', 'Manage user accounts'],
  ['role:read', 'roles', '查看角色', 'View roles'],
  ['role:write', 'roles', '管理角色', 'Manage roles'],
  ['role:assign', 'roles', '分配角色', 'Assign roles'],
  ['policy:read', 'security_policy', '查看安全策略', 'View the security policy'],
  ['policy:write', 'security_policy', '修改安全策略', 'Change the security policy'],
  ['token:read', 'api_tokens', '查看接口令牌', 'View API tokens'],
  ['token:write', 'api_tokens', '管理接口令牌', 'Manage API tokens'],
  ['settings:read', 'settings', '查看系统配置', 'View settings'],
  ['settings:write', 'settings', '修改系统配置', 'Change settings'],
  ['audit:read', 'audit', '查看审计日志', 'Read the audit log'],
  ['audit:export', 'audit', '导出审计日志', 'Export the audit log'],
  ['catalog:read', 'catalog', '查看服务目录', 'View the service catalog'],
  ['catalog:write', 'catalog', '编辑和发布服务目录', 'Edit and publish the service catalog'],
  ['price:read', 'prices', '查看报价', 'View price lists'],
  ['price:write', 'prices', '编制本服务商报价', "Edit the provider's own price lists"],
  ['price:approve', 'prices', '审核报价', 'Approve price lists'],
  ['estimate:read', 'estimates', '查看预算测算', 'View budget estimates'],
  ['estimate:write', 'estimates', '编制预算测算', 'Make budget estimates'],
  ['directory:read', 'directory', '查看云节点、机房和网络区域', 'View cloud nodes, machine rooms and network zones'],
  ['directory:write', 'directory', '管理云节点、机房和网络区域', 'Manage cloud nodes, machine rooms and network zones'],
  ['system:read', 'systems', '查看信息系统', 'View information systems'],
  ['system:write', 'systems', '登记和维护本单位信息系统', "Register and maintain the unit's information systems"],
  ['ingest:read', 'ingestion', '查询接入数据和批次', 'Search pushed interface data and batches'],
  ['ingest:config', 'ingestion', '配置码表、Syslog 来源、保存期限和查询接口', 'Configure code tables, syslog sources, retention and query endpoints'],
  ['ingest:credential', 'ingestion', '管理本服务商接入凭证', "Manage the provider's own ingestion credentials"],
  ['inventory:read', 'inventory', '查看资源清单（CMDB）', 'View the resource inventory (CMDB)'],
  ['quality:read', 'quality', '查看数据质量', 'View data quality'],
  ['calendar:read', 'calendar', '查看营业日历和办理时限', 'View the business calendar and deadlines'],
  ['calendar:write', 'calendar', '维护节假日和调休上班日', 'Maintain holidays and make-up working days'],
  ['workflow:read', 'workflow', '查看和办理审批流程', 'View and act on approval workflows'],
  ['workflow:write', 'workflow', '配置和发布审批流程', 'Configure and publish approval workflows'],
  ['application:read', 'applications', '查看申请和工单', 'View applications and work orders'],
  ['application:write', 'applications', '提交入云、变更、退云申请和验收', 'Make applications (onboarding, change, exit) and accept deliveries'],
  ['workorder:fulfil', 'applications', '办理工单、登记交付', 'Fulfil work orders and record deliveries'],
  ['application:manage', 'applications', '管理申请和单位配额', 'Manage applications and unit quotas'],
  ['keyperiod:read', 'keyperiods', '查看重保期', 'View key-guarantee periods'],
  ['keyperiod:write', 'keyperiods', '宣布和维护重保期', 'Declare and maintain key-guarantee periods'],
  ['contract:read', 'contracts', '查看合同、付款计划和预警', 'View contracts, payment schedules and warnings'],
  ['contract:write', 'contracts', '登记和维护本单位合同', "Register and maintain the unit's contracts"],
  ['budget:read', 'budgets', '查看年度预算和执行情况', 'View fiscal-year budgets and their consumption'],
  ['budget:write', 'budgets', '编制和维护本单位年度预算', "Set and maintain the unit's fiscal-year budgets"],
  ['billing:read', 'billing', '查看账单、用量和对账', 'View bills, usage and reconciliation'],
  ['billing:confirm', 'billing', '确认账单和提出异议（服务商、使用单位）', 'Confirm bills and raise disputes (provider, unit)'],
  ['billing:manage', 'billing', '计量、出账、锁定和调整账单', 'Meter usage, run, lock and adjust bills'],
  ['ipam:read', 'ipam', '查看地址池、地址申请和分配', 'View address pools, requests and allocations'],
  ['ipam:request', 'ipam', '申请和释放 IP 地址', 'Request and release IP addresses'],
  ['ipam:manage', 'ipam', '规划地址池、审核申请和分配地址', 'Plan pools, review requests and allocate addresses'],
  ['ticket:read', 'servicedesk', '查看工单', 'View tickets'],
  ['ticket:create', 'servicedesk', '提交工单和评价', 'Report tickets and rate them'],
  ['ticket:handle', 'servicedesk', '认领和处理本服务商的工单', "Claim and handle the provider's tickets"],
  ['ticket:manage', 'servicedesk', '派单、转派和督办所有工单', 'Dispatch, transfer and supervise all tickets'],
  ['kb:read', 'servicedesk', '查看知识库', 'Read the knowledge base'],
  ['kb:write', 'servicedesk', '编写知识库文章', 'Write knowledge-base articles'],
  ['announcement:write', 'servicedesk', '发布公告', 'Publish announcements'],
  ['security:read', 'security', '查看漏洞、整改和安全态势', 'View vulnerabilities, rectification and security posture'],
  ['security:manage', 'security', '导入扫描报告、通报、验证和风险接受', 'Import scan reports, notify, verify and accept risks'],
  ['security:reply', 'security', '反馈漏洞整改（云服务商）', 'Reply to rectification notices (cloud provider)'],
  ['security:event', 'security', '上报和处置安全事件', 'Report and handle security events'],
  ['availability:read', 'availability', '查看可用性监测、中断记录和 SLA 达标情况', 'View availability probes, outages and SLA compliance'],
  ['availability:acknowledge', 'availability', '确认本单位负责的中断并填写原因', 'Acknowledge outages one is responsible for and note the cause'],
  ['availability:manage', 'availability', '维护监测项、维护窗口和 SLA 目标', 'Maintain probes, maintenance windows and SLA objectives'],
  ['monitoring:read', 'monitoring', '查看监控指标、告警和容量', 'View metrics, alerts and capacity'],
  ['monitoring:ack', 'monitoring', '确认告警', 'Acknowledge alerts'],
  ['monitoring:manage', 'monitoring', '维护告警规则和维护窗口', 'Maintain alert rules and maintenance windows'],
];

export const PERMISSIONS: readonly PermissionInfo[] = entries.map(([code, group, nameZh, nameEn]) => ({
  code,
  group,
  groupZh: groups[group]![0],
  groupEn: groups[group]![1],
  nameZh,
  nameEn,
}));

export const PERMISSION_CODES: readonly string[] = PERMISSIONS.map((p) => p.code);

/** Reserved to the built-in audit administrator (三员分立): no custom role or token may carry them. */
export const AUDIT_PERMISSIONS: readonly string[] = ['audit:read', 'audit:export'];

/**
 * Permissions only the built-in three administrators hold (三员分立): reading the audit log (audit administrator),
 * changing the security policy (security administrator) and the system configuration (system administrator). No
 * custom role or API token may carry them, so nobody gets two administrators' powers through a custom role.
 */
export const RESERVED_PERMISSIONS: readonly string[] = [...AUDIT_PERMISSIONS, 'policy:write', 'settings:write'];

/** Permissions that make a role an administrator role: such custom roles always require TOTP. */
export const ADMIN_PERMISSIONS: readonly string[] = ['org:write', 'user:write', 'role:write', 'role:assign', 'policy:write', 'settings:write', 'token:write', 'ingest:credential'];
