-- Monitoring: TopN window summaries for the standard periods (24 h, 7 d, 30 d). Per period × metric × series the
-- closed part of the window ([closed_to - period, closed_to), closed_to = the start of the hour the summary was
-- refreshed in: whole Beijing days from the daily rollups, edge hours from the hourly ones, as the on-the-fly TopN)
-- and the whole window including the open hour (n, sum, max, p95 = closed part merged with the open hour's hourly
-- rollup). Refreshed by the job monitoring.rollup after the dirty buckets were recomputed: the closed part again
-- when the hour changed or for the series whose closed hours were corrected, the open hour every run. A TopN over a
-- standard period reads the first N entries of an index (scoped: until N series in scope; ≤ 5,000 rows at the issue's size) and answers with its as_of.
create table monitoring_window (
  period text not null check (period in ('24h', '7d', '30d')),
  metric smallint not null,
  series_id bigint not null references monitoring_series(id) on delete cascade,
  c_n bigint not null,
  c_s double precision not null,
  c_max double precision,
  c_p95 double precision,
  n bigint not null,
  s double precision not null,
  max double precision,
  p95 double precision,
  -- The ranking keys (average s / n and p95 rounded to 8 decimals, as the on-the-fly TopN ranks): a TopN reads the
  -- first N index entries of its period × metric.
  avg_r numeric not null,
  p95_r numeric,
  primary key (period, metric, series_id)
);
create index monitoring_window_avg_idx on monitoring_window (period, metric, avg_r desc, series_id);
create index monitoring_window_p95_idx on monitoring_window (period, metric, p95_r desc nulls last, series_id);

create table monitoring_window_state (
  period text primary key check (period in ('24h', '7d', '30d')),
  closed_to timestamptz not null,
  as_of timestamptz not null
);

alter table monitoring_window enable row level security;
alter table monitoring_window force row level security;
create policy monitoring_window_scope on monitoring_window
  using (current_setting('zhengyun.business_access', true) = 'on'
         and (current_setting('zhengyun.scope_all', true) = 'on' or exists (select 1 from monitoring_series s where s.id = monitoring_window.series_id)))
  with check (current_setting('zhengyun.business_access', true) = 'on' and current_setting('zhengyun.scope_all', true) = 'on');

alter table monitoring_window_state enable row level security;
alter table monitoring_window_state force row level security;
create policy monitoring_window_state_scope on monitoring_window_state
  using (current_setting('zhengyun.business_access', true) = 'on')
  with check (current_setting('zhengyun.business_access', true) = 'on' and current_setting('zhengyun.scope_all', true) = 'on');
