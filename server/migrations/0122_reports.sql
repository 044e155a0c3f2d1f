-- 报表管理 (custom tabular reports): a person's saved report definitions over the datasets other modules expose
-- (columns, filters, an optional weekly / monthly schedule) and their runs (the .xlsx of scheduled runs kept for
-- download from the notification). A definition is its owner's: nobody else reads it; a run reads the datasets with
-- the owner's own visibility at run time (the modules' scoping and row-level security apply as for the person).
create table report_definitions (
  id uuid primary key default gen_random_uuid(),
  owner_user_id uuid not null references users(id),
  owner_org_id uuid not null references organisations(id),
  name text not null check (char_length(name) between 1 and 100),
  dataset text not null check (char_length(dataset) <= 64),
  columns jsonb not null,
  filters jsonb not null default '{}',
  schedule text not null default 'none' check (schedule in ('none','weekly','monthly')),
  last_scheduled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index report_definitions_owner on report_definitions (owner_user_id, created_at desc);
create index report_definitions_scheduled on report_definitions (schedule) where schedule <> 'none';

create table report_runs (
  id uuid primary key default gen_random_uuid(),
  definition_id uuid not null references report_definitions(id) on delete cascade,
  owner_user_id uuid not null references users(id),
  origin text not null check (origin in ('manual','scheduled')),
  row_count integer not null,
  truncated boolean not null default false,
  filename text not null,
  file bytea not null,
  ran_at timestamptz not null default now()
);
create index report_runs_definition on report_runs (definition_id, ran_at desc);

-- The owner only; the platform's own jobs (no acting user, whole scope) run the schedules.
alter table report_definitions enable row level security;
alter table report_definitions force row level security;
create policy report_definitions_owner on report_definitions
  using (zy_business_access() and (owner_user_id::text = coalesce(current_setting('zhengyun.actor_user_id', true), '')
         or (coalesce(current_setting('zhengyun.actor_user_id', true), '') = '' and zy_scope_all())))
  with check (zy_business_access() and (owner_user_id::text = coalesce(current_setting('zhengyun.actor_user_id', true), '')
         or (coalesce(current_setting('zhengyun.actor_user_id', true), '') = '' and zy_scope_all())));

alter table report_runs enable row level security;
alter table report_runs force row level security;
create policy report_runs_owner on report_runs
  using (zy_business_access() and (owner_user_id::text = coalesce(current_setting('zhengyun.actor_user_id', true), '')
         or (coalesce(current_setting('zhengyun.actor_user_id', true), '') = '' and zy_scope_all())))
  with check (zy_business_access() and (owner_user_id::text = coalesce(current_setting('zhengyun.actor_user_id', true), '')
         or (coalesce(current_setting('zhengyun.actor_user_id', true), '') = '' and zy_scope_all())));
