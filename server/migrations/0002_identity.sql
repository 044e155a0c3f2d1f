-- Identity and access: MFA requirement per role, the reason a password must be changed, the built-in roles of
-- docs/api-contract.md with their permissions (three-admin separation 三员分立: system, security and audit
-- administrators), and indexes the sign-in flow needs.

alter table roles add column requires_mfa boolean not null default false;

-- Why the next sign-in must change the password: 'initial' (account created) or 'reset' (reset by an administrator).
alter table users add column must_change_reason text check (must_change_reason in ('initial','reset'));
update users set must_change_reason = 'initial' where must_change_password;

create index auth_challenges_user_idx on auth_challenges (user_id, kind);
create index auth_challenges_expiry_idx on auth_challenges (expires_at);
create index sessions_expiry_idx on sessions (expires_at);
create index roles_org_idx on roles (org_id);

insert into roles (code, name, name_en, description, builtin, admin_kind, org_kinds, requires_mfa) values
  ('system_admin',     '系统管理员',       'System administrator',         '管理账号和系统配置（三员之一）',           true, 'system',   '{management_unit}', true),
  ('security_admin',   '安全管理员',       'Security administrator',       '管理角色、权限和安全策略（三员之一）',     true, 'security', '{management_unit}', true),
  ('audit_admin',      '审计管理员',       'Audit administrator',          '只读审计日志并导出（三员之一）',           true, 'audit',    '{management_unit}', true),
  ('mgmt_staff',       '管理单位业务人员', 'Management unit staff',        '管理单位的业务人员',                       true, null,       '{management_unit}', false),
  ('supervisor_staff', '监管服务商人员',   'Supervision provider staff',   '监管服务商的业务人员',                     true, null,       '{supervision_provider}', false),
  ('provider_admin',   '云服务商管理员',   'Cloud provider administrator', '管理本云服务商的账号、角色授权和接口令牌', true, null,       '{cloud_provider}', true),
  ('provider_staff',   '云服务商业务人员', 'Cloud provider staff',         '云服务商的业务人员',                       true, null,       '{cloud_provider}', false),
  ('unit_admin',       '使用单位管理员',   'User unit administrator',      '管理本单位及下级单位的组织、账号和角色',   true, null,       '{user_unit}', true),
  ('unit_staff',       '使用单位业务人员', 'User unit staff',              '使用单位的业务人员',                       true, null,       '{user_unit}', false),
  ('data_user',        '外部数据用户',     'External data user',           '外部数据使用方（数据共享权限后续提供）',   true, null,       '{external_data_user}', false);

insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('system_admin', 'org:read'), ('system_admin', 'org:write'), ('system_admin', 'user:read'), ('system_admin', 'user:write'),
  ('system_admin', 'token:read'), ('system_admin', 'token:write'), ('system_admin', 'settings:read'), ('system_admin', 'settings:write'),
  ('security_admin', 'role:read'), ('security_admin', 'role:write'), ('security_admin', 'role:assign'),
  ('security_admin', 'policy:read'), ('security_admin', 'policy:write'), ('security_admin', 'user:read'), ('security_admin', 'org:read'),
  ('audit_admin', 'audit:read'), ('audit_admin', 'audit:export'),
  ('mgmt_staff', 'org:read'),
  ('supervisor_staff', 'org:read'),
  ('provider_admin', 'org:read'), ('provider_admin', 'user:read'), ('provider_admin', 'user:write'), ('provider_admin', 'role:read'),
  ('provider_admin', 'role:assign'), ('provider_admin', 'token:read'), ('provider_admin', 'token:write'),
  ('provider_staff', 'org:read'),
  ('unit_admin', 'org:read'), ('unit_admin', 'org:write'), ('unit_admin', 'user:read'), ('unit_admin', 'user:write'),
  ('unit_admin', 'role:read'), ('unit_admin', 'role:write'), ('unit_admin', 'role:assign'),
  ('unit_staff', 'org:read')
) as p(code, permission) on p.code = r.code;
