-- Operations supervision (issue 15), part 5: emergency events (应急事件) tracked end to end — reported, responded,
-- recovered, reviewed (复盘) with the handling report (应急事件处置报告) — and training records (培训记录) with the
-- providers' two-monthly emergency-response training obligation (seed 004 §4.1.2.6(3): 每 2 个月开展一次应急响应培训).
-- Numbers EE-YYYYMMDD-NNNNNN: the suffix from one sequence (unique across providers, whose rows RLS hides from each other).
create sequence ops_emergency_event_seq;

create table ops_emergency_events (
  id uuid primary key default gen_random_uuid(),
  number text not null unique,
  provider_org_id uuid not null references organisations(id),
  node_id uuid references cloud_nodes(id),
  title text not null check (char_length(title) between 1 and 200),
  -- 特别重大 / 重大 / 较大 / 一般
  severity text not null check (severity in ('I','II','III','IV')),
  description text not null check (char_length(description) between 1 and 5000),
  status text not null default 'reported' check (status in ('reported','responding','recovered','reviewed')),
  occurred_at timestamptz not null,
  reported_at timestamptz not null default now(),
  responded_at timestamptz,
  response_note text check (char_length(response_note) <= 5000),
  recovered_at timestamptz,
  recovery_note text check (char_length(recovery_note) <= 5000),
  reviewed_at timestamptz,
  root_cause text check (char_length(root_cause) <= 10000),
  measures text check (char_length(measures) <= 10000),
  lessons text check (char_length(lessons) <= 10000),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  check (responded_at is null or responded_at >= occurred_at),
  check (recovered_at is null or (responded_at is not null and recovered_at >= responded_at))
);
create index ops_emergency_events_provider_idx on ops_emergency_events (provider_org_id, occurred_at desc);

create table ops_trainings (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations(id),
  -- 应急响应培训 / 业务培训 / 保密培训 / 安全培训 / 用户培训
  kind text not null check (kind in ('emergency_response','business','confidentiality','security','user')),
  topic text not null check (char_length(topic) between 1 and 200),
  held_on date not null,
  trainer text check (char_length(trainer) <= 100),
  participants integer not null check (participants between 1 and 100000),
  hours numeric(5,1) not null check (hours > 0 and hours <= 100),
  content text check (char_length(content) <= 5000),
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index ops_trainings_org_idx on ops_trainings (org_id, held_on);

do $$
declare
  t text;
begin
  execute 'alter table ops_emergency_events enable row level security';
  execute 'alter table ops_emergency_events force row level security';
  execute $p$create policy ops_emergency_events_scope on ops_emergency_events
    using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_emergency_events.provider_org_id)))
    with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_emergency_events.provider_org_id)))$p$;
  execute 'alter table ops_trainings enable row level security';
  execute 'alter table ops_trainings force row level security';
  execute $p$create policy ops_trainings_scope on ops_trainings
    using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_trainings.org_id)))
    with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_trainings.org_id)))$p$;
end $$;
