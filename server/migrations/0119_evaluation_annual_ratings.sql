-- Annual provider rating (年度评级): the mean of a provider's published monthly totals of a year with one indicator
-- system (missing months listed, never counted as 0), graded on a versioned grade scale, reviewed and published by the
-- management unit like the monthly runs (a recomputation of a published year makes a new revision; the old one is kept).

create table eval_annual_grade_scales (
  version integer primary key check (version >= 1),
  -- [{ grade, min }] best first
  grades jsonb not null,
  note text check (char_length(note) <= 500),
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);

create table eval_annual_ratings (
  id uuid primary key default gen_random_uuid(),
  set_code text not null,
  year integer not null check (year between 2000 and 2100),
  revision integer not null,
  status text not null default 'draft' check (status in ('draft', 'reviewed', 'published', 'superseded')),
  grade_scale_version integer not null references eval_annual_grade_scales(version),
  -- [{ month, runId, revision }] of the published monthly runs counted
  months jsonb not null,
  computed_at timestamptz not null default now(),
  computed_by uuid references users(id),
  reviewed_by uuid references users(id),
  reviewed_at timestamptz,
  review_comment text check (char_length(review_comment) <= 2000),
  published_by uuid references users(id),
  published_at timestamptz,
  unique (set_code, year, revision)
);

create table eval_annual_scores (
  rating_id uuid not null references eval_annual_ratings(id) on delete cascade,
  provider_org_id uuid not null references organisations(id),
  total numeric(6,2),
  grade text,
  rank integer,
  -- [{ month, total, grade }] for all 12 months (total null: not published or not scored)
  months jsonb not null,
  months_counted integer not null,
  primary key (rating_id, provider_org_id)
);

alter table eval_annual_grade_scales enable row level security;
alter table eval_annual_grade_scales force row level security;
create policy eval_annual_grade_scales_scope on eval_annual_grade_scales
  using (zy_business_access()) with check (zy_business_access() and zy_scope_all());

alter table eval_annual_ratings enable row level security;
alter table eval_annual_ratings force row level security;
create policy eval_annual_ratings_scope on eval_annual_ratings
  using (zy_business_access() and (zy_scope_all() or status = 'published')) with check (zy_business_access() and zy_scope_all());

alter table eval_annual_scores enable row level security;
alter table eval_annual_scores force row level security;
create policy eval_annual_scores_scope on eval_annual_scores
  using (zy_business_access() and (zy_scope_all()
         or (exists (select 1 from eval_annual_ratings r where r.id = eval_annual_scores.rating_id and r.status = 'published')
             and exists (select 1 from organisations o where o.id = eval_annual_scores.provider_org_id and o.kind = 'cloud_provider'))))
  with check (zy_business_access() and zy_scope_all());

insert into eval_annual_grade_scales (version, grades, note) values
  (1, '[{"grade":"优秀","min":90},{"grade":"良好","min":80},{"grade":"合格","min":60},{"grade":"不合格","min":0}]', '初始等级（与月度评估相同）');
