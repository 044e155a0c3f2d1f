-- Objections (异议) on published provider scores and rectification follow-up (整改) on published scores.
-- An accepted objection revises the score as a NEW revision of the month's run (the published one is kept and stays
-- readable; the revision is reviewed and published by the management unit like any other run).

create table eval_objections (
  id uuid primary key default gen_random_uuid(),
  -- the published run the objection was filed against
  run_id uuid not null references eval_provider_runs(id),
  set_id uuid not null references eval_indicator_sets(id),
  month date not null,
  provider_org_id uuid not null references organisations(id),
  -- null: the month's score as a whole
  indicator_code text,
  reason text not null check (char_length(reason) between 1 and 2000),
  evidence_name text,
  evidence_type text,
  evidence_size integer,
  evidence_sm3 text check (evidence_sm3 ~ '^[0-9a-f]{64}$'),
  evidence bytea,
  -- last day to file: the 5th working day after publication (business calendar)
  deadline date not null,
  status text not null default 'submitted' check (status in ('submitted', 'accepted', 'rejected')),
  filed_by uuid references users(id),
  filed_at timestamptz not null default now(),
  decision_comment text check (char_length(decision_comment) <= 2000),
  -- [{ indicatorCode, before, after, evidence }]
  revisions jsonb,
  revision_run_id uuid references eval_provider_runs(id),
  decided_by uuid references users(id),
  decided_at timestamptz,
  check ((status = 'submitted') = (decided_at is null))
);
create index eval_objections_provider_idx on eval_objections (provider_org_id, filed_at desc);
create index eval_objections_month_idx on eval_objections (set_id, month, status);

-- Rectification tasks (整改任务) on a provider's published score: an indicator below a threshold or raised by a reviewer.
create table eval_rectifications (
  id uuid primary key default gen_random_uuid(),
  run_id uuid not null references eval_provider_runs(id),
  month date not null,
  provider_org_id uuid not null references organisations(id),
  indicator_code text not null,
  indicator_name text not null,
  origin text not null check (origin in ('threshold', 'reviewer')),
  score numeric(6,2),
  requirement text not null check (char_length(requirement) between 1 and 2000),
  deadline date not null,
  status text not null default 'open' check (status in ('open', 'replied', 'verified', 'returned')),
  reply text check (char_length(reply) <= 2000),
  evidence_name text,
  evidence_type text,
  evidence_size integer,
  evidence_sm3 text check (evidence_sm3 ~ '^[0-9a-f]{64}$'),
  evidence bytea,
  replied_by uuid references users(id),
  replied_at timestamptz,
  verify_comment text check (char_length(verify_comment) <= 2000),
  verified_by uuid references users(id),
  verified_at timestamptz,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  unique (run_id, provider_org_id, indicator_code)
);
create index eval_rectifications_provider_idx on eval_rectifications (provider_org_id, status, deadline);

-- Visibility: management unit and supervision everything; a provider its own rows (files its objections, replies to
-- its rectifications — the service checks the rest); units and the three administrators nothing.
alter table eval_objections enable row level security;
alter table eval_objections force row level security;
create policy eval_objections_scope on eval_objections
  using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = eval_objections.provider_org_id and o.kind = 'cloud_provider')))
  with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = eval_objections.provider_org_id and o.kind = 'cloud_provider')));

alter table eval_rectifications enable row level security;
alter table eval_rectifications force row level security;
create policy eval_rectifications_scope on eval_rectifications
  using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = eval_rectifications.provider_org_id and o.kind = 'cloud_provider')))
  with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = eval_rectifications.provider_org_id and o.kind = 'cloud_provider')));
