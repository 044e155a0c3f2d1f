-- Business calendar (营业日历) and workflow engine (审批流程), issue 6.
--
-- business_calendar_days: the exceptions to "Monday–Friday work, Saturday–Sunday off", maintained as data by the
-- management unit: 'holiday' = a statutory holiday or a rest day of a holiday arrangement (法定节假日/调休休息日),
-- 'workday' = a weekend day worked (调休上班日). Public reference data: no row-level security.
create table business_calendar_days (
  day date primary key,
  kind text not null check (kind in ('holiday','workday')),
  name text not null check (char_length(name) between 1 and 50),
  updated_by uuid references users(id),
  updated_at timestamptz not null default now(),
  -- A make-up working day is a Saturday or Sunday; a weekday is a working day already.
  constraint business_calendar_days_workday_weekend check (kind <> 'workday' or extract(isodow from day) in (6, 7))
);

-- 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12) and
-- 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04). Every day of each holiday period is listed (weekend days
-- inside a period too), so the calendar names the holiday a day belongs to.
insert into business_calendar_days (day, kind, name)
select d::date, 'holiday', h.name
from (values
  ('2025-01-01', '2025-01-01', '元旦'),
  ('2025-01-28', '2025-02-04', '春节'),
  ('2025-04-04', '2025-04-06', '清明节'),
  ('2025-05-01', '2025-05-05', '劳动节'),
  ('2025-05-31', '2025-06-02', '端午节'),
  ('2025-10-01', '2025-10-08', '国庆节、中秋节'),
  ('2026-01-01', '2026-01-03', '元旦'),
  ('2026-02-15', '2026-02-23', '春节'),
  ('2026-04-04', '2026-04-06', '清明节'),
  ('2026-05-01', '2026-05-05', '劳动节'),
  ('2026-06-19', '2026-06-21', '端午节'),
  ('2026-09-25', '2026-09-27', '中秋节'),
  ('2026-10-01', '2026-10-07', '国庆节')
) as h(first_day, last_day, name)
cross join lateral generate_series(h.first_day::date, h.last_day::date, interval '1 day') as d;

insert into business_calendar_days (day, kind, name) values
  ('2025-01-26', 'workday', '春节调休上班'),
  ('2025-02-08', 'workday', '春节调休上班'),
  ('2025-04-27', 'workday', '劳动节调休上班'),
  ('2025-09-28', 'workday', '国庆节、中秋节调休上班'),
  ('2025-10-11', 'workday', '国庆节、中秋节调休上班'),
  ('2026-01-04', 'workday', '元旦调休上班'),
  ('2026-02-14', 'workday', '春节调休上班'),
  ('2026-02-28', 'workday', '春节调休上班'),
  ('2026-05-09', 'workday', '劳动节调休上班'),
  ('2026-09-20', 'workday', '国庆节调休上班'),
  ('2026-10-10', 'workday', '国庆节调休上班');

-- Workflow definitions the management unit configures: configuration, readable by every holder of workflow:read
-- (no tenant data, no row-level security). A published version is immutable; editing means a new draft version.
create table workflow_definitions (
  id uuid primary key default gen_random_uuid(),
  code text not null check (code ~ '^[a-z][a-z0-9_.-]{1,63}$'),
  name text not null check (char_length(name) between 1 and 100),
  version integer not null check (version >= 1),
  status text not null default 'draft' check (status in ('draft','published','retired')),
  applies_to text not null check (char_length(applies_to) between 1 and 64),
  definition jsonb not null,
  -- The organisation of every person the definition names as an assignee, captured when it is saved (by the
  -- management unit, which sees every user): starting a task for a person then needs no read of users.
  user_orgs jsonb not null default '{}',
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_by uuid references users(id),
  published_at timestamptz,
  unique (code, version)
);
-- At most one published version per code: starting a workflow by code is unambiguous.
create unique index workflow_definitions_published_key on workflow_definitions (code) where status = 'published';
create index workflow_definitions_applies_idx on workflow_definitions (applies_to, status);

-- One run of a definition for a subject (an application later; 'test' in tests). owner_org_id is the applicant's
-- unit; participant_org_ids collects every organisation a task was assigned to (the chosen provider …).
create table workflow_instances (
  id uuid primary key default gen_random_uuid(),
  definition_id uuid not null references workflow_definitions(id),
  subject_type text not null check (char_length(subject_type) between 1 and 64),
  subject_id text not null check (char_length(subject_id) between 1 and 100),
  title text check (char_length(title) <= 200),
  owner_org_id uuid not null references organisations(id),
  provider_org_id uuid references organisations(id),
  participant_org_ids uuid[] not null default '{}',
  facts jsonb not null default '{}',
  -- Engine state: arrivals at parallel joins, the step a return sent back from.
  state jsonb not null default '{}',
  status text not null default 'running' check (status in ('running','approved','rejected','returned','terminated')),
  started_by uuid references users(id),
  started_at timestamptz not null default now(),
  ended_at timestamptz
);
create index workflow_instances_subject_idx on workflow_instances (subject_type, subject_id);
create index workflow_instances_owner_idx on workflow_instances (owner_org_id, started_at desc);
create index workflow_instances_participants_gin on workflow_instances using gin (participant_org_ids);

-- A step waiting for someone. The assignee is resolved when the task is created: a person (assignee_user_id), or
-- a role held in an organisation (assignee_role + assignee_org_id), or a role held in any organisation of a kind
-- (assignee_role + assignee_org_kind: the management unit's staff as a pool).
create table workflow_tasks (
  id uuid primary key default gen_random_uuid(),
  instance_id uuid not null references workflow_instances(id) on delete cascade,
  step_key text not null,
  step_name text not null,
  assignee_role text,
  assignee_org_id uuid references organisations(id),
  assignee_org_kind text check (assignee_org_kind in ('management_unit','supervision_provider','cloud_provider','user_unit','external_data_user')),
  assignee_user_id uuid references users(id),
  status text not null default 'pending' check (status in ('pending','approved','rejected','returned','delegated','skipped','expired','cancelled')),
  created_at timestamptz not null default now(),
  due_at timestamptz,
  -- How due_at was computed, e.g. {"workingDays":3} or {"clockHours":4}.
  deadline jsonb,
  overdue boolean not null default false,
  overdue_at timestamptz,
  delegated_from uuid references workflow_tasks(id),
  acted_by uuid references users(id),
  acted_at timestamptz,
  comment text check (char_length(comment) <= 2000),
  constraint workflow_tasks_has_assignee check (assignee_user_id is not null or assignee_role is not null or assignee_org_id is not null)
);
create index workflow_tasks_instance_idx on workflow_tasks (instance_id, created_at);
create index workflow_tasks_pending_user_idx on workflow_tasks (assignee_user_id) where status = 'pending';
create index workflow_tasks_pending_org_idx on workflow_tasks (assignee_org_id, assignee_role) where status = 'pending';
create index workflow_tasks_pending_due_idx on workflow_tasks (due_at) where status = 'pending';

-- The timeline (流转记录) of an instance.
create table workflow_events (
  id bigserial primary key,
  instance_id uuid not null references workflow_instances(id) on delete cascade,
  task_id uuid references workflow_tasks(id),
  step_key text,
  action text not null,
  actor_user_id uuid references users(id),
  actor_name text,
  comment text check (char_length(comment) <= 2000),
  attachments jsonb not null default '[]',
  details jsonb not null default '{}',
  at timestamptz not null default now()
);
create index workflow_events_instance_idx on workflow_events (instance_id, id);

-- Visible to the applicant's unit (and the units above it), to every organisation a task went to, and to the
-- management unit and supervision provider (scope_all). The three administrators (business_access off) see none.
alter table workflow_instances enable row level security;
alter table workflow_instances force row level security;
create policy workflow_instances_scope on workflow_instances
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o
                     where o.id = workflow_instances.owner_org_id or o.id = any (workflow_instances.participant_org_ids)))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and exists (select 1 from organisations o
                          where o.id = workflow_instances.owner_org_id or o.id = any (workflow_instances.participant_org_ids)));

alter table workflow_tasks enable row level security;
alter table workflow_tasks force row level security;
create policy workflow_tasks_scope on workflow_tasks
  using (exists (select 1 from workflow_instances i where i.id = workflow_tasks.instance_id))
  with check (exists (select 1 from workflow_instances i where i.id = workflow_tasks.instance_id));

alter table workflow_events enable row level security;
alter table workflow_events force row level security;
create policy workflow_events_scope on workflow_events
  using (exists (select 1 from workflow_instances i where i.id = workflow_events.instance_id))
  with check (exists (select 1 from workflow_instances i where i.id = workflow_events.instance_id));

insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'calendar:read'), ('mgmt_staff', 'calendar:write'), ('mgmt_staff', 'workflow:read'), ('mgmt_staff', 'workflow:write'),
  ('supervisor_staff', 'calendar:read'), ('supervisor_staff', 'workflow:read'),
  ('provider_admin', 'calendar:read'), ('provider_admin', 'workflow:read'),
  ('provider_staff', 'calendar:read'), ('provider_staff', 'workflow:read'),
  ('unit_admin', 'calendar:read'), ('unit_admin', 'workflow:read'),
  ('unit_staff', 'calendar:read'), ('unit_staff', 'workflow:read')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
