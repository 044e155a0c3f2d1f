-- Construction-phase assessments (建设期考核, seed 004 §4.3.2.2.1): 初期 (initial) and 中期 (mid-term) assessments of a
-- cloud provider, with findings per assessment item; a failed one sets the rectification deadline (初期: 1 month; 中期:
-- 3–6 months) and is followed by a second assessment; failing twice → the exit mechanism (退出机制).

create table eval_construction_assessments (
  id uuid primary key default gen_random_uuid(),
  provider_org_id uuid not null references organisations(id),
  phase text not null check (phase in ('initial', 'mid')),
  attempt integer not null check (attempt in (1, 2)),
  previous_id uuid references eval_construction_assessments(id),
  assessed_on date not null,
  result text not null check (result in ('pass', 'fail')),
  summary text not null check (char_length(summary) between 1 and 4000),
  -- [{ item, passed, note }] over the phase's assessment items
  findings jsonb not null,
  rectify_months integer check (rectify_months between 1 and 6),
  rectify_by date,
  status text not null check (status in ('passed', 'rectifying', 'rectification_submitted', 'reassessed', 'exit')),
  reply text check (char_length(reply) <= 4000),
  evidence_name text,
  evidence_type text,
  evidence_size integer,
  evidence_sm3 text check (evidence_sm3 ~ '^[0-9a-f]{64}$'),
  evidence bytea,
  replied_by uuid references users(id),
  replied_at timestamptz,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  check ((result = 'fail') = (rectify_by is not null) or attempt = 2),
  unique (previous_id)
);
create index eval_construction_assessments_provider_idx on eval_construction_assessments (provider_org_id, phase, assessed_on desc);

alter table eval_construction_assessments enable row level security;
alter table eval_construction_assessments force row level security;
create policy eval_construction_assessments_scope on eval_construction_assessments
  using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = eval_construction_assessments.provider_org_id and o.kind = 'cloud_provider')))
  with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = eval_construction_assessments.provider_org_id and o.kind = 'cloud_provider')));
