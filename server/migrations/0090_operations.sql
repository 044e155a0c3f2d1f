-- Operations supervision (运维监管, issue 15): inspections (巡检) with checklist templates, plans, records, per-item
-- results and rectification items; personnel and certificates; provider qualifications (资质) whose lapse suspends
-- new onboarding applications; emergency plans and drills; duty rosters, shifts and the duty log; platform change
-- requests (云平台变更管理) with approval and maintenance windows.

-- Checklist templates (巡检模板): configuration, no tenant data. items: [{ "key": "cpu", "label": "CPU 使用率" }, …].
create table ops_checklist_templates (
  id uuid primary key default gen_random_uuid(),
  category text not null check (category in ('servers','os','platform_software','storage','network','database','machine_room','leased_line')),
  name text not null check (char_length(name) between 1 and 100),
  items jsonb not null check (jsonb_typeof(items) = 'array' and jsonb_array_length(items) between 1 and 200),
  created_at timestamptz not null default now()
);

insert into ops_checklist_templates (category, name, items) values
  ('servers', '服务器巡检', '[{"key":"power","label":"电源及指示灯状态"},{"key":"cpu","label":"CPU 使用率"},{"key":"memory","label":"内存使用率"},{"key":"disk","label":"硬盘状态"},{"key":"fan","label":"风扇及温度"}]'),
  ('os', '操作系统巡检', '[{"key":"load","label":"系统负载"},{"key":"fs","label":"文件系统使用率"},{"key":"logs","label":"系统日志异常"},{"key":"patch","label":"补丁版本"},{"key":"accounts","label":"账号与口令策略"}]'),
  ('platform_software', '云平台软件巡检', '[{"key":"services","label":"平台服务进程状态"},{"key":"api","label":"管理接口可用性"},{"key":"alarms","label":"平台告警"},{"key":"license","label":"授权有效期"}]'),
  ('storage', '存储巡检', '[{"key":"pool","label":"存储池容量"},{"key":"raid","label":"阵列及磁盘状态"},{"key":"iops","label":"IOPS 与时延"},{"key":"replica","label":"副本/快照状态"}]'),
  ('network', '网络巡检', '[{"key":"links","label":"链路状态"},{"key":"ports","label":"端口错包"},{"key":"cpu","label":"设备 CPU/内存"},{"key":"policy","label":"安全策略变更"}]'),
  ('database', '数据库巡检', '[{"key":"instance","label":"实例状态"},{"key":"space","label":"表空间使用率"},{"key":"backup","label":"备份完成情况"},{"key":"slow","label":"慢查询"}]'),
  ('machine_room', '机房巡检', '[{"key":"temperature","label":"温度"},{"key":"humidity","label":"湿度"},{"key":"ups","label":"UPS 状态"},{"key":"aircon","label":"空调运行"},{"key":"fire","label":"消防设施"},{"key":"access","label":"门禁与出入登记"}]'),
  ('leased_line', '专线巡检', '[{"key":"status","label":"专线连通性"},{"key":"latency","label":"时延与丢包"},{"key":"bandwidth","label":"带宽利用率"}]');

-- Inspection plans per provider and node: daily (times_per_day equal slots from 00:00 Asia/Shanghai) or weekly (one
-- slot per ISO week, Monday 00:00). valid_from/valid_to bound the expected slots.
create table ops_inspection_plans (
  id uuid primary key default gen_random_uuid(),
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  template_id uuid not null references ops_checklist_templates(id),
  name text not null check (char_length(name) between 1 and 100),
  frequency text not null check (frequency in ('daily','weekly')),
  times_per_day integer not null default 1 check (times_per_day between 1 and 24),
  valid_from timestamptz not null,
  valid_to timestamptz,
  active boolean not null default true,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  check (frequency = 'daily' or times_per_day = 1),
  check (valid_to is null or valid_to > valid_from)
);
create index ops_inspection_plans_provider_idx on ops_inspection_plans (provider_org_id, node_id);

-- One execution of a plan in one expected slot (slot_start); at most one record per slot.
create table ops_inspection_records (
  id uuid primary key default gen_random_uuid(),
  plan_id uuid not null references ops_inspection_plans(id) on delete cascade,
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  slot_start timestamptz not null,
  performed_at timestamptz not null,
  performed_by uuid references users(id),
  inspector_name text not null check (char_length(inspector_name) between 1 and 100),
  abnormal_count integer not null default 0,
  note text check (char_length(note) <= 2000),
  created_at timestamptz not null default now(),
  unique (plan_id, slot_start)
);
create index ops_inspection_records_provider_idx on ops_inspection_records (provider_org_id, performed_at);
create index ops_inspection_records_performed_brin on ops_inspection_records using brin (performed_at);

create table ops_inspection_results (
  record_id uuid not null references ops_inspection_records(id) on delete cascade,
  item_key text not null,
  label text not null,
  result text not null check (result in ('normal','abnormal')),
  note text check (char_length(note) <= 1000),
  document_id uuid,
  primary key (record_id, item_key)
);

-- Rectification items (整改项) from abnormal results; a service-desk ticket when the desk is wired.
create table ops_rectifications (
  id uuid primary key default gen_random_uuid(),
  record_id uuid not null references ops_inspection_records(id) on delete cascade,
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  item_key text not null,
  label text not null,
  description text not null,
  status text not null default 'open' check (status in ('open','done')),
  ticket_id uuid,
  resolution text,
  created_at timestamptz not null default now(),
  closed_at timestamptz,
  unique (record_id, item_key)
);
create index ops_rectifications_provider_idx on ops_rectifications (provider_org_id, status);

-- Personnel of providers and of the supervision provider, with posts and certificates.
create table ops_staff (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations(id),
  node_id uuid references cloud_nodes(id),
  name text not null check (char_length(name) between 1 and 50),
  post text not null check (post in ('project_manager','technical_lead','ops_engineer','network_engineer','security_engineer','security_auditor','dba','machine_room','service_desk','supervisor')),
  placement text not null check (placement in ('onsite','second_line')),
  core boolean not null default false,
  active boolean not null default true,
  created_at timestamptz not null default now()
);
create index ops_staff_org_idx on ops_staff (org_id, node_id);

create table ops_certificates (
  id uuid primary key default gen_random_uuid(),
  staff_id uuid not null references ops_staff(id) on delete cascade,
  name text not null check (char_length(name) between 1 and 100),
  number text check (char_length(number) <= 100),
  valid_to date not null
);
create index ops_certificates_staff_idx on ops_certificates (staff_id);

-- Provider qualification records (资质): a record is current from valid_from to valid_to unless revoked (a failed
-- yearly review) from revoked_on. A provider with records of which none is current is lapsed: new onboarding
-- applications to it are refused.
create table ops_qualifications (
  id uuid primary key default gen_random_uuid(),
  provider_org_id uuid not null references organisations(id),
  name text not null check (char_length(name) between 1 and 200),
  valid_from date not null,
  valid_to date not null,
  last_review_on date,
  revoked_on date,
  note text check (char_length(note) <= 2000),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  check (valid_to >= valid_from)
);
create index ops_qualifications_provider_idx on ops_qualifications (provider_org_id);

-- Emergency plans (应急预案) as versions, and drills (演练) planned and held.
create table ops_emergency_plans (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations(id),
  code text not null check (char_length(code) between 1 and 50),
  version integer not null check (version >= 1),
  title text not null check (char_length(title) between 1 and 200),
  content text not null check (char_length(content) <= 20000),
  document_id uuid,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  unique (org_id, code, version)
);

create table ops_drills (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations(id),
  -- provider 服务商演练, management 管理单位组织, platform 平台级
  level text not null check (level in ('provider','management','platform')),
  plan_id uuid references ops_emergency_plans(id),
  kind text not null check (kind in ('desktop','live')),
  scenario text not null check (char_length(scenario) between 1 and 500),
  planned_on date not null,
  held_on date,
  participants text[] not null default '{}',
  findings text check (char_length(findings) <= 5000),
  report text check (char_length(report) <= 20000),
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index ops_drills_org_idx on ops_drills (org_id, held_on);

-- Duty (值班): shifts per organisation (a person from starts_at to ends_at), the duty log (events, handovers).
create table ops_duty_shifts (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations(id),
  person text not null check (char_length(person) between 1 and 50),
  phone text check (char_length(phone) <= 30),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  check (ends_at > starts_at)
);
create index ops_duty_shifts_org_idx on ops_duty_shifts (org_id, starts_at);

create table ops_duty_log (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations(id),
  at timestamptz not null,
  kind text not null check (kind in ('event','handover','check')),
  person text not null check (char_length(person) between 1 and 50),
  body text not null check (char_length(body) between 1 and 5000),
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index ops_duty_log_org_idx on ops_duty_log (org_id, at);

-- Platform change requests (云平台变更管理).
create table ops_changes (
  id uuid primary key default gen_random_uuid(),
  provider_org_id uuid not null references organisations(id),
  node_id uuid references cloud_nodes(id),
  change_type text not null check (change_type in ('resource','device','network_policy','kernel','memory','bandwidth')),
  title text not null check (char_length(title) between 1 and 200),
  description text not null check (char_length(description) <= 5000),
  business_impact boolean not null,
  impacted_resource_ids uuid[] not null default '{}',
  impacted_system_ids uuid[] not null default '{}',
  window_start timestamptz not null,
  window_end timestamptz not null,
  status text not null default 'draft' check (status in ('draft','in_approval','approved','rejected','implemented')),
  workflow_instance_id uuid,
  implemented_from timestamptz,
  implemented_to timestamptz,
  result text check (result in ('success','failed','rolled_back')),
  result_note text check (char_length(result_note) <= 5000),
  outside_window boolean not null default false,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  check (window_end > window_start)
);
create index ops_changes_provider_idx on ops_changes (provider_org_id, window_start);

-- The approval of business-impacting platform changes: the management unit reviews.
insert into workflow_definitions (code, name, version, status, applies_to, definition, published_at)
select 'operations_platform_change', '云平台变更审批', 1, 'published', 'operations.platform_change', jsonb_build_object(
  'start', 'review',
  'steps', jsonb_build_array(
    jsonb_build_object('key', 'review', 'name', '管理单位审核', 'kind', 'approval',
      'assignee', jsonb_build_object('role', 'mgmt_staff'), 'deadline', jsonb_build_object('workingDays', 2), 'next', 'end'))), now()
where not exists (select 1 from workflow_definitions w where w.code = 'operations_platform_change');

-- Visibility: management unit and supervision provider (scope_all) everything; a provider its own rows (the
-- organisation subtree it sees); the three administrators (no business access) nothing.
do $$
declare
  t text;
begin
  foreach t in array array['ops_inspection_plans','ops_inspection_records','ops_rectifications','ops_qualifications','ops_changes'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format($p$create policy %I on %I
      using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = %I.provider_org_id)))
      with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = %I.provider_org_id)))$p$,
      t || '_scope', t, t, t);
  end loop;
  foreach t in array array['ops_staff','ops_emergency_plans','ops_drills','ops_duty_shifts','ops_duty_log'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format($p$create policy %I on %I
      using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = %I.org_id)))
      with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = %I.org_id)))$p$,
      t || '_scope', t, t, t);
  end loop;
end $$;

alter table ops_inspection_results enable row level security;
alter table ops_inspection_results force row level security;
create policy ops_inspection_results_scope on ops_inspection_results
  using (exists (select 1 from ops_inspection_records r where r.id = ops_inspection_results.record_id))
  with check (exists (select 1 from ops_inspection_records r where r.id = ops_inspection_results.record_id));

alter table ops_certificates enable row level security;
alter table ops_certificates force row level security;
create policy ops_certificates_scope on ops_certificates
  using (exists (select 1 from ops_staff s where s.id = ops_certificates.staff_id))
  with check (exists (select 1 from ops_staff s where s.id = ops_certificates.staff_id));

insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'operations:read'), ('mgmt_staff', 'operations:write'), ('mgmt_staff', 'operations:manage'),
  ('supervisor_staff', 'operations:read'), ('supervisor_staff', 'operations:write'), ('supervisor_staff', 'operations:manage'),
  ('provider_admin', 'operations:read'), ('provider_admin', 'operations:write'),
  ('provider_staff', 'operations:read'), ('provider_staff', 'operations:write')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
