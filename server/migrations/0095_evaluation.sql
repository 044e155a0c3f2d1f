-- Evaluation (评估评价): monthly cloud efficiency of units and systems (单位云效率 / 信息系统云效率) with a versioned
-- score formula and rightsizing advice in catalog items and 元; provider evaluation (云服务商综合评估) with versioned
-- indicator systems, manual scores, runs reviewed and published by the management unit (revisions kept).

-- Versions of the efficiency score formula; a month keeps the version it was first computed with.
create table eval_formulas (
  version integer primary key check (version >= 1),
  -- { cpu, memory, idle, oversized } in percent, adding up to 100
  weights jsonb not null,
  -- { cpuTargetP95, memTargetP95, idleCpuP95, oversizeCpuP95, oversizeMemP95, minHoursShare }
  thresholds jsonb not null,
  note text check (char_length(note) <= 500),
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);

create table eval_efficiency_months (
  month date primary key check (extract(day from month) = 1),
  formula_version integer not null references eval_formulas(version),
  utilisation_source boolean not null,
  computed_at timestamptz not null default now()
);

-- One row per unit (system_id null) and per system of the month.
create table eval_efficiency_scores (
  id uuid primary key default gen_random_uuid(),
  month date not null references eval_efficiency_months(month) on delete cascade,
  level text not null check (level in ('unit','system')),
  unit_org_id uuid not null references organisations(id),
  system_id uuid references information_systems(id),
  provider_org_id uuid references organisations(id),
  -- Names as of the computation: a unit may read its rows without seeing the provider's organisation.
  unit_name text not null,
  system_name text,
  provider_name text,
  hosts integer not null,
  vcpu numeric not null,
  memory_gb numeric not null,
  storage_gb numeric not null,
  cost numeric(16,2),
  cpu_p95 numeric,
  cpu_avg numeric,
  mem_p95 numeric,
  mem_avg numeric,
  idle_hosts integer,
  oversized_hosts integer,
  potential_saving numeric(16,2),
  score numeric(6,2),
  components jsonb not null default '{}',
  formula_version integer not null references eval_formulas(version)
);
create unique index eval_efficiency_scores_key on eval_efficiency_scores (month, level, unit_org_id, coalesce(system_id, '00000000-0000-0000-0000-000000000000'::uuid));
create index eval_efficiency_scores_unit_idx on eval_efficiency_scores (unit_org_id, month);

-- Rightsizing advice (资源优化建议) per host of a month; accepted → a prefilled 变更 application.
create table eval_advice (
  id uuid primary key default gen_random_uuid(),
  month date not null,
  resource_id uuid not null references inventory_resources(id),
  resource_name text not null,
  system_id uuid references information_systems(id),
  unit_org_id uuid not null references organisations(id),
  provider_org_id uuid not null references organisations(id),
  unit_name text not null,
  system_name text,
  provider_name text not null,
  kind text not null check (kind in ('idle','oversized')),
  current_vcpu numeric not null,
  proposed_vcpu numeric not null,
  current_memory_gb numeric not null,
  proposed_memory_gb numeric not null,
  vcpu_price numeric(16,2),
  memory_price numeric(16,2),
  saving numeric(16,2),
  price_list_id uuid,
  explanation text not null,
  evidence jsonb not null,
  status text not null default 'open' check (status in ('open','accepted','dismissed')),
  reason text check (char_length(reason) <= 1000),
  application_id uuid,
  decided_by uuid references users(id),
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  unique (month, resource_id)
);
create index eval_advice_unit_idx on eval_advice (unit_org_id, month, status);

-- Indicator systems (指标体系): dimensions → indicators → weights → scoring rule, as one versioned document.
create table eval_indicator_sets (
  id uuid primary key default gen_random_uuid(),
  code text not null check (code ~ '^[a-z0-9_-]{1,40}$'),
  version integer not null check (version >= 1),
  name text not null check (char_length(name) between 1 and 200),
  dimensions jsonb not null,
  -- [{ grade, min }] best first
  grades jsonb not null,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  unique (code, version)
);

-- Manual indicator scores (人工评分) by supervision staff, with evidence, per set version × month × provider.
create table eval_manual_scores (
  set_id uuid not null references eval_indicator_sets(id),
  month date not null,
  provider_org_id uuid not null references organisations(id),
  indicator_code text not null,
  score numeric(6,2) not null,
  evidence text not null check (char_length(evidence) between 1 and 2000),
  scored_by uuid references users(id),
  scored_at timestamptz not null default now(),
  primary key (set_id, month, provider_org_id, indicator_code)
);

-- A monthly run of one indicator set; re-running a published month makes a new revision, the old one is kept.
create table eval_provider_runs (
  id uuid primary key default gen_random_uuid(),
  set_id uuid not null references eval_indicator_sets(id),
  month date not null,
  revision integer not null,
  status text not null default 'draft' check (status in ('draft','reviewed','published','superseded')),
  computed_at timestamptz not null default now(),
  computed_by uuid references users(id),
  reviewed_by uuid references users(id),
  reviewed_at timestamptz,
  review_comment text,
  published_by uuid references users(id),
  published_at timestamptz,
  unique (set_id, month, revision)
);

create table eval_provider_scores (
  run_id uuid not null references eval_provider_runs(id) on delete cascade,
  provider_org_id uuid not null references organisations(id),
  total numeric(6,2),
  grade text,
  rank integer,
  -- per indicator: { code, dimension, weight, value, score, status: 'ok'|'no_data_source'|'no_data'|'not_scored', evidence }
  indicators jsonb not null,
  primary key (run_id, provider_org_id)
);

-- Visibility: management unit and supervision provider everything; a unit its own rows; a provider its own scores
-- (published ones only — the service filters by status as well). The three administrators nothing.
alter table eval_efficiency_scores enable row level security;
alter table eval_efficiency_scores force row level security;
create policy eval_efficiency_scores_scope on eval_efficiency_scores
  using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = eval_efficiency_scores.unit_org_id)))
  with check (zy_business_access() and zy_scope_all());

alter table eval_advice enable row level security;
alter table eval_advice force row level security;
create policy eval_advice_scope on eval_advice
  using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = eval_advice.unit_org_id)))
  with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = eval_advice.unit_org_id)));

alter table eval_efficiency_months enable row level security;
alter table eval_efficiency_months force row level security;
create policy eval_efficiency_months_scope on eval_efficiency_months
  using (zy_business_access()) with check (zy_business_access() and zy_scope_all());

alter table eval_formulas enable row level security;
alter table eval_formulas force row level security;
create policy eval_formulas_scope on eval_formulas
  using (zy_business_access()) with check (zy_business_access() and zy_scope_all());

alter table eval_indicator_sets enable row level security;
alter table eval_indicator_sets force row level security;
create policy eval_indicator_sets_scope on eval_indicator_sets
  using (zy_business_access()) with check (zy_business_access() and zy_scope_all());

alter table eval_manual_scores enable row level security;
alter table eval_manual_scores force row level security;
create policy eval_manual_scores_scope on eval_manual_scores
  using (zy_business_access() and zy_scope_all()) with check (zy_business_access() and zy_scope_all());

alter table eval_provider_runs enable row level security;
alter table eval_provider_runs force row level security;
create policy eval_provider_runs_scope on eval_provider_runs
  using (zy_business_access() and (zy_scope_all() or status = 'published')) with check (zy_business_access() and zy_scope_all());

alter table eval_provider_scores enable row level security;
alter table eval_provider_scores force row level security;
create policy eval_provider_scores_scope on eval_provider_scores
  using (zy_business_access() and (zy_scope_all()
         or (exists (select 1 from eval_provider_runs r where r.id = eval_provider_scores.run_id and r.status = 'published')
             and exists (select 1 from organisations o where o.id = eval_provider_scores.provider_org_id))))
  with check (zy_business_access() and zy_scope_all());

-- The first formula (docs/evaluation.md): CPU 35, memory 35, idle hosts 15, oversized hosts 15.
insert into eval_formulas (version, weights, thresholds, note) values
  (1, '{"cpu":35,"memory":35,"idle":15,"oversized":15}',
      '{"cpuTargetP95":60,"memTargetP95":70,"idleCpuP95":5,"oversizeCpuP95":30,"oversizeMemP95":40,"minHoursShare":0.8}',
      '初始公式');

insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'evaluation:read'), ('mgmt_staff', 'evaluation:manage'), ('mgmt_staff', 'evaluation:score'),
  ('supervisor_staff', 'evaluation:read'), ('supervisor_staff', 'evaluation:score'),
  ('provider_admin', 'evaluation:read'),
  ('provider_staff', 'evaluation:read'),
  ('unit_admin', 'evaluation:read'), ('unit_admin', 'evaluation:advice'),
  ('unit_staff', 'evaluation:read'), ('unit_staff', 'evaluation:advice')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
