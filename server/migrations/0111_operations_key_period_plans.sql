-- Operations supervision (issue 15), part 4: key-period (重保) work plans of providers, their daily reports and the
-- final summary. The key period itself belongs to the notifications module (key_guarantee_periods); here only its id.
create table ops_keyperiod_plans (
  id uuid primary key default gen_random_uuid(),
  provider_org_id uuid not null references organisations(id),
  key_period_id uuid not null references key_guarantee_periods(id) on delete cascade,
  node_id uuid not null references cloud_nodes(id),
  -- 重保期现场人员 (≥ 30), the duty arrangement (值守安排) and the contacts ([{ "name", "role", "phone" }])
  onsite_staff integer not null check (onsite_staff >= 30),
  duty_arrangement text not null check (char_length(duty_arrangement) between 1 and 5000),
  contacts jsonb not null check (jsonb_typeof(contacts) = 'array' and jsonb_array_length(contacts) between 1 and 50),
  measures text check (char_length(measures) <= 10000),
  summary text check (char_length(summary) <= 20000),
  summary_at timestamptz,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  unique (provider_org_id, key_period_id, node_id)
);

create table ops_keyperiod_reports (
  id uuid primary key default gen_random_uuid(),
  plan_id uuid not null references ops_keyperiod_plans(id) on delete cascade,
  provider_org_id uuid not null references organisations(id),
  day date not null,
  onsite_staff integer not null check (onsite_staff >= 0),
  incidents integer not null default 0 check (incidents >= 0),
  body text not null check (char_length(body) between 1 and 5000),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  unique (plan_id, day)
);

do $$
declare
  t text;
begin
  foreach t in array array['ops_keyperiod_plans','ops_keyperiod_reports'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format($p$create policy %I on %I
      using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = %I.provider_org_id)))
      with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = %I.provider_org_id)))$p$,
      t || '_scope', t, t, t);
  end loop;
end $$;
