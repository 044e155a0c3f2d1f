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
