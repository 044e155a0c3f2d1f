-- Report templates (报告模板) and generated reports (报告) of evaluation: the 综合监管月报 and the 季评.
-- A template belongs to the management unit that edits it; each save is a new version (sections on/off and their
-- order, the intro and conclusion text blocks, whether the month's draft is generated on schedule and for whom).
-- A generated report stores its content (frozen: a published report never changes) and the template version used.
create table eval_report_templates (
  id uuid primary key default gen_random_uuid(),
  owner_org_id uuid not null references organisations(id),
  kind text not null check (kind in ('monthly','quarterly')),
  version integer not null check (version >= 1),
  -- [{ "key": "efficiency", "enabled": true }, …] in the order of the report
  sections jsonb not null,
  intro text not null default '' check (char_length(intro) <= 4000),
  conclusion text not null default '' check (char_length(conclusion) <= 4000),
  auto_draft boolean not null default false,
  author_user_id uuid references users(id),
  note text check (char_length(note) <= 500),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  unique (owner_org_id, kind, version)
);

create table eval_reports (
  id uuid primary key default gen_random_uuid(),
  owner_org_id uuid not null references organisations(id),
  kind text not null check (kind in ('monthly','quarterly')),
  -- YYYY-MM (monthly) or YYYY-Qn (quarterly)
  period text not null check (period ~ '^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$'),
  revision integer not null default 1 check (revision >= 1),
  status text not null check (status in ('draft','submitted','published','superseded')),
  -- 0 = the built-in default template (no saved version yet)
  template_version integer not null check (template_version >= 0),
  set_code text,
  title text not null,
  due_date date,
  origin text not null check (origin in ('manual','scheduled')),
  content jsonb not null,
  author_user_id uuid references users(id),
  generated_at timestamptz not null default now(),
  submitted_at timestamptz,
  submitted_by uuid references users(id),
  reviewed_by uuid references users(id),
  review_comment text check (char_length(review_comment) <= 1000),
  published_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index eval_reports_revision on eval_reports (owner_org_id, kind, period, coalesce(set_code, ''), revision);
create index eval_reports_open on eval_reports (status, due_date) where status in ('draft','submitted');

-- Whole-city readers only (management unit, supervision); the service narrows to the caller's organisation.
alter table eval_report_templates enable row level security;
alter table eval_report_templates force row level security;
create policy eval_report_templates_scope on eval_report_templates
  using (zy_business_access() and zy_scope_all()) with check (zy_business_access() and zy_scope_all());

alter table eval_reports enable row level security;
alter table eval_reports force row level security;
create policy eval_reports_scope on eval_reports
  using (zy_business_access() and zy_scope_all()) with check (zy_business_access() and zy_scope_all());
