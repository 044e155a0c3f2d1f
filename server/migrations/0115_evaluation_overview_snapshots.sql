-- 政务云概况 snapshot: the management overview's figures per month and part, recomputed by the job
-- `evaluation.overview-snapshot` and after each efficiency computation, publication and advice decision, so the
-- management overview reads a handful of rows instead of the month's statistics of five modules on every call.
-- Each part carries the time it was computed (shown on the page). Only whole-city readers (zy_scope_all) use it:
-- a unit's or a provider's overview is computed live within its scope.
create table eval_overview_snapshots (
  month date not null,
  part text not null check (part in ('efficiency','advice','ranking','tickets','findings')),
  data jsonb not null,
  computed_at timestamptz not null default now(),
  primary key (month, part)
);

alter table eval_overview_snapshots enable row level security;
alter table eval_overview_snapshots force row level security;
create policy eval_overview_snapshots_scope on eval_overview_snapshots
  using (zy_business_access() and zy_scope_all()) with check (zy_business_access() and zy_scope_all());
