-- Applications (申请: 入云 onboarding / 变更 change / 退云 exit) of a user unit for one of its information systems,
-- approved through a workflow (workflow module), fulfilled by the provider as a work order (工单) with a deadline,
-- and accepted (验收) by the unit. Metering starts from the acceptance date kept on each line (accepted_at).

create sequence applications_no_seq;

create table applications (
  id uuid primary key default gen_random_uuid(),
  -- 申请编号, e.g. SQ2026000042.
  app_no text not null unique default ('SQ' || to_char(now() at time zone 'Asia/Shanghai', 'YYYY') || lpad(nextval('applications_no_seq')::text, 6, '0')),
  unit_id uuid not null references organisations(id),
  system_id uuid not null references information_systems(id),
  -- The provider running the system's node when the application was made, and that node.
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  kind text not null check (kind in ('onboarding','change','exit')),
  change_type text check (change_type in ('expand','shrink','add_service','stop_service')),
  exit_data_handling text check (exit_data_handling in ('migrate','destroy','archive')),
  exit_date date,
  title text not null check (char_length(title) between 1 and 200),
  reason text check (char_length(reason) <= 2000),
  -- Copied from when the application was made from a budget estimate (估算转申请).
  estimate_id uuid references estimates(id) on delete set null,
  catalog_version_id uuid references catalog_versions(id),
  price_list_id uuid references price_lists(id),
  -- Names kept with the application: readers need not see the organisation or system rows.
  unit_name text not null,
  provider_name text not null,
  system_name text not null,
  -- 等保级别 of the system (1–3; null = 未定级) when submitted: a fact for workflow conditions.
  protection_level integer check (protection_level between 1 and 5),
  monthly_total numeric(16,2) not null default 0,
  total numeric(16,2) not null default 0,
  status text not null default 'draft' check (status in ('draft','in_approval','returned','rejected','terminated','fulfilling','delivered','accepted')),
  workflow_instance_id uuid references workflow_instances(id),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  submitted_at timestamptz,
  approved_at timestamptz,
  accepted_at timestamptz,
  check (kind <> 'change' or change_type is not null),
  check (kind <> 'exit' or (exit_data_handling is not null and exit_date is not null))
);
create index applications_unit_idx on applications (unit_id, created_at desc);
create index applications_provider_idx on applications (provider_org_id, created_at desc);
create index applications_status_idx on applications (status);

create table application_lines (
  application_id uuid not null references applications(id) on delete cascade,
  line_no integer not null check (line_no > 0),
  item_code text not null check (char_length(item_code) <= 20),
  item_text text not null check (char_length(item_text) <= 500),
  category text check (char_length(category) <= 100),
  billing_unit_text text not null check (char_length(billing_unit_text) <= 30),
  billing_period text not null check (billing_period in ('month','year','occurrence','message','certificate_year','one_off')),
  -- Quantity in the item's billing unit: the total after the application; for a change, delta is the signed change.
  quantity numeric(20,4) not null check (quantity >= 0),
  delta numeric(20,4),
  months integer check (months between 0 and 120),
  unit_price numeric(14,2) not null check (unit_price >= 0),
  monthly_amount numeric(16,2),
  amount numeric(16,2) not null,
  -- What the provider delivered for this line: {hosts:[{hostName, ip, size}], note}.
  delivery jsonb,
  -- Metering starts here (the unit's acceptance); the billing module reads it.
  accepted_at timestamptz,
  primary key (application_id, line_no)
);

-- 工单: one per approved application.
create table work_orders (
  id uuid primary key default gen_random_uuid(),
  application_id uuid not null unique references applications(id) on delete cascade,
  unit_id uuid not null references organisations(id),
  provider_org_id uuid not null references organisations(id),
  kind text not null check (kind in ('initial_resources','resource_adjustment','exit')),
  -- How due_at was computed: {"workingDays":3} or {"clockHours":4}; key_period = a key-guarantee period (重保) was on.
  deadline jsonb not null,
  key_period boolean not null default false,
  status text not null default 'open' check (status in ('open','delivered','accepted')),
  opened_at timestamptz not null,
  due_at timestamptz not null,
  delivered_at timestamptz,
  delivered_by uuid references users(id),
  delivery_note text check (char_length(delivery_note) <= 2000),
  -- Reference to data pushed through the data interface (batch id …) instead of, or besides, the lines' delivery.
  pushed_ref text check (char_length(pushed_ref) <= 200),
  accepted_at timestamptz,
  accepted_by uuid references users(id),
  rejections integer not null default 0,
  last_rejection_reason text check (char_length(last_rejection_reason) <= 2000)
);
create index work_orders_provider_idx on work_orders (provider_org_id, status, due_at);

-- The application's own trail (created, submitted, work order opened, delivered, accepted, rejected …); the approval
-- steps are in workflow_events, and the two are merged into the timeline.
create table application_events (
  id bigserial primary key,
  application_id uuid not null references applications(id) on delete cascade,
  action text not null check (char_length(action) <= 40),
  actor_user_id uuid references users(id),
  actor_name text,
  comment text check (char_length(comment) <= 2000),
  details jsonb not null default '{}',
  at timestamptz not null default now()
);
create index application_events_app_idx on application_events (application_id, id);

-- Per-unit quota (配额): optional caps on the unit's total monthly amount and on quantities per catalog item, counted
-- over the unit's applications in approval, in fulfilment and accepted (changes by their delta).
create table application_quotas (
  unit_id uuid primary key references organisations(id),
  max_monthly_amount numeric(16,2) check (max_monthly_amount >= 0),
  -- {"1001": "200", …}: item code → maximum quantity in the item's billing unit.
  item_caps jsonb not null default '{}',
  updated_by uuid references users(id),
  updated_at timestamptz not null default now()
);

-- Visible to the unit (and the units above it) and the management unit / supervision (scope all); the provider sees
-- what is addressed to it once submitted (not drafts). The three administrators (business_access off) see none.
alter table applications enable row level security;
alter table applications force row level security;
create policy applications_scope on applications
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (exists (select 1 from organisations o where o.id = applications.unit_id)
              or (applications.status <> 'draft' and exists (select 1 from organisations o where o.id = applications.provider_org_id))))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and (exists (select 1 from organisations o where o.id = applications.unit_id)
                   or (applications.status <> 'draft' and exists (select 1 from organisations o where o.id = applications.provider_org_id))));

alter table application_lines enable row level security;
alter table application_lines force row level security;
create policy application_lines_scope on application_lines
  using (exists (select 1 from applications a where a.id = application_lines.application_id))
  with check (exists (select 1 from applications a where a.id = application_lines.application_id));

alter table work_orders enable row level security;
alter table work_orders force row level security;
create policy work_orders_scope on work_orders
  using (exists (select 1 from applications a where a.id = work_orders.application_id))
  with check (exists (select 1 from applications a where a.id = work_orders.application_id));

alter table application_events enable row level security;
alter table application_events force row level security;
create policy application_events_scope on application_events
  using (exists (select 1 from applications a where a.id = application_events.application_id))
  with check (exists (select 1 from applications a where a.id = application_events.application_id));

alter table application_quotas enable row level security;
alter table application_quotas force row level security;
create policy application_quotas_scope on application_quotas
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = application_quotas.unit_id))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and exists (select 1 from organisations o where o.id = application_quotas.unit_id));

-- The default approval of each kind of application (the management unit replaces it with a new version in 审批流程配置):
-- unit leader → management unit review → above 100,000 元 the director → done.
insert into workflow_definitions (code, name, version, status, applies_to, definition, published_at)
select d.code, d.name, 1, 'published', d.applies_to, jsonb_build_object(
  'start', 'leader',
  'steps', jsonb_build_array(
    jsonb_build_object('key', 'leader', 'name', '单位领导审核', 'kind', 'approval',
      'assignee', jsonb_build_object('role', 'unit_admin', 'org', 'applicant_unit'), 'deadline', jsonb_build_object('workingDays', 1), 'next', 'review'),
    jsonb_build_object('key', 'review', 'name', '管理单位审核', 'kind', 'approval',
      'assignee', jsonb_build_object('role', 'mgmt_staff'), 'deadline', jsonb_build_object('workingDays', 3), 'next', 'amount'),
    jsonb_build_object('key', 'amount', 'name', '金额判断', 'kind', 'condition',
      'branches', jsonb_build_array(jsonb_build_object('when', jsonb_build_object('field', 'amount', 'op', 'gt', 'value', '100000'), 'next', 'director')),
      'otherwise', 'end'),
    jsonb_build_object('key', 'director', 'name', '分管领导审批', 'kind', 'approval',
      'assignee', jsonb_build_object('role', 'mgmt_staff', 'org', 'management_unit'), 'deadline', jsonb_build_object('workingDays', 2), 'next', 'end'))), now()
from (values
  ('application_onboarding', '入云申请审批', 'application.onboarding'),
  ('application_change', '资源变更申请审批', 'application.change'),
  ('application_exit', '退云申请审批', 'application.exit')
) as d(code, name, applies_to)
where not exists (select 1 from workflow_definitions w where w.code = d.code);

insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'application:read'), ('mgmt_staff', 'application:manage'),
  ('supervisor_staff', 'application:read'),
  ('provider_admin', 'application:read'), ('provider_admin', 'workorder:fulfil'),
  ('provider_staff', 'application:read'), ('provider_staff', 'workorder:fulfil'),
  ('unit_admin', 'application:read'), ('unit_admin', 'application:write'),
  ('unit_staff', 'application:read'), ('unit_staff', 'application:write')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
