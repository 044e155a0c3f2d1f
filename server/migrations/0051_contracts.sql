-- Contracts and budgets (合同与预算, issue 5 part 4): contracts between a user unit (使用单位) and a cloud provider with
-- amount, service period, linked information systems, fiscal years and payment milestones (付款节点, percentages adding
-- up to exactly 100); fiscal-year budgets per unit (optionally per information system); the billed amounts consumed
-- (fed by the billing module through ContractsService.recordConsumption); warnings computed by the daily job
-- `contracts.warnings` (80% / 100% consumed, milestones due within 30 days or overdue).
-- Visibility: the unit sees its contracts and budgets, the provider the contracts it is party to, the management unit
-- all (scope all); the three administrators (business_access off) none. See docs/contracts.md.

create table contracts (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid not null references organisations(id),
  provider_id uuid not null references organisations(id),
  -- The parties' names as signed (each party may not see the other's organisation record).
  unit_name text not null,
  provider_name text not null,
  contract_no text not null check (char_length(contract_no) between 1 and 50),
  name text not null check (char_length(name) between 1 and 200),
  amount numeric(16,2) not null check (amount >= 0),
  service_start date not null,
  service_end date not null,
  signed_date date,
  fiscal_years integer[] not null default '{}',
  status text not null default 'draft' check (status in ('draft','active','closed')),
  notes text check (char_length(notes) <= 2000),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (service_end >= service_start),
  unique (unit_id, contract_no)
);
create index contracts_provider_idx on contracts (provider_id);

create table contract_systems (
  contract_id uuid not null references contracts(id) on delete cascade,
  system_id uuid not null references information_systems(id),
  -- Name and number as linked (the provider may not see the registration).
  system_no text not null,
  system_name text not null,
  primary key (contract_id, system_id)
);
create index contract_systems_system_idx on contract_systems (system_id);

create table contract_milestones (
  contract_id uuid not null references contracts(id) on delete cascade,
  seq integer not null check (seq > 0),
  name text not null check (char_length(name) between 1 and 100),
  -- 付款条件 as written in the contract (合同签订后20个工作日内 …).
  condition text check (char_length(condition) <= 500),
  percent numeric(9,4) not null check (percent > 0 and percent <= 100),
  due_date date,
  paid_date date,
  primary key (contract_id, seq)
);

create table budgets (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid not null references organisations(id),
  unit_name text not null,
  system_id uuid references information_systems(id),
  system_name text,
  fiscal_year integer not null check (fiscal_year between 2000 and 2100),
  amount numeric(16,2) not null check (amount >= 0),
  notes text check (char_length(notes) <= 2000),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index budgets_key on budgets (unit_id, fiscal_year, coalesce(system_id, '00000000-0000-0000-0000-000000000000'::uuid));

-- Billed amounts per unit × provider × (system) × month: what contracts and budgets consume. Written by
-- recordConsumption (the billing module, when a bill is confirmed); the latest figure of a key replaces the earlier one.
create table contract_consumption (
  unit_id uuid not null references organisations(id),
  provider_id uuid not null references organisations(id),
  system_id uuid references information_systems(id),
  month date not null check (extract(day from month) = 1),
  amount numeric(16,2) not null,
  recorded_at timestamptz not null default now()
);
create unique index contract_consumption_key on contract_consumption (unit_id, provider_id, coalesce(system_id, '00000000-0000-0000-0000-000000000000'::uuid), month);

-- Current and past warnings; the job upserts the current ones and resolves those no longer true (idempotent).
create table contract_warnings (
  id bigserial primary key,
  subject_type text not null check (subject_type in ('contract','budget')),
  subject_id uuid not null,
  unit_id uuid not null references organisations(id),
  provider_id uuid references organisations(id),
  kind text not null check (kind in ('consumption_80','consumption_100','milestone_due','milestone_overdue')),
  -- The milestone's seq, 0 for consumption warnings.
  milestone_seq integer not null default 0,
  details jsonb not null default '{}',
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  resolved_at timestamptz,
  unique (subject_type, subject_id, kind, milestone_seq)
);
create index contract_warnings_unit_idx on contract_warnings (unit_id) where resolved_at is null;

alter table contracts enable row level security;
alter table contracts force row level security;
create policy contracts_scope on contracts
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (exists (select 1 from organisations o where o.id = contracts.unit_id)
              or exists (select 1 from organisations o where o.id = contracts.provider_id)))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and exists (select 1 from organisations o where o.id = contracts.unit_id));

alter table contract_systems enable row level security;
alter table contract_systems force row level security;
create policy contract_systems_scope on contract_systems
  using (exists (select 1 from contracts c where c.id = contract_systems.contract_id))
  with check (exists (select 1 from contracts c where c.id = contract_systems.contract_id));

alter table contract_milestones enable row level security;
alter table contract_milestones force row level security;
create policy contract_milestones_scope on contract_milestones
  using (exists (select 1 from contracts c where c.id = contract_milestones.contract_id))
  with check (exists (select 1 from contracts c where c.id = contract_milestones.contract_id));

alter table budgets enable row level security;
alter table budgets force row level security;
create policy budgets_scope on budgets
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = budgets.unit_id))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and exists (select 1 from organisations o where o.id = budgets.unit_id));

alter table contract_consumption enable row level security;
alter table contract_consumption force row level security;
create policy contract_consumption_scope on contract_consumption
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = contract_consumption.unit_id)
              or exists (select 1 from organisations o where o.id = contract_consumption.provider_id)))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
                   or exists (select 1 from organisations o where o.id = contract_consumption.provider_id)));

alter table contract_warnings enable row level security;
alter table contract_warnings force row level security;
create policy contract_warnings_scope on contract_warnings
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = contract_warnings.unit_id)
              or (contract_warnings.provider_id is not null
                  and exists (select 1 from organisations o where o.id = contract_warnings.provider_id))))
  with check (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');

insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'contract:read'), ('mgmt_staff', 'contract:write'), ('mgmt_staff', 'budget:read'), ('mgmt_staff', 'budget:write'),
  ('unit_admin', 'contract:read'), ('unit_admin', 'contract:write'), ('unit_admin', 'budget:read'), ('unit_admin', 'budget:write'),
  ('unit_staff', 'contract:read'), ('unit_staff', 'budget:read'),
  ('provider_admin', 'contract:read'),
  ('provider_staff', 'contract:read')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
