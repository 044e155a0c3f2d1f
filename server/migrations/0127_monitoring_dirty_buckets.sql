-- Monitoring: rollup maintenance leaves the ingest transaction. A batch only marks the (series, hour) buckets it
-- touched (ON CONFLICT DO NOTHING); the job monitoring.rollup (and a chart read, for its own series) recomputes the
-- hourly rollups of the marked buckets from their raw points and merges the change into the daily rollups, outside
-- the ingest transaction. A late or re-pushed batch marks its buckets again: they are recomputed, history is never
-- rescanned. Hourly slots (0116) are no longer written.
create table monitoring_dirty (
  series_id bigint not null,
  hour timestamptz not null,
  marked_at timestamptz not null default now(),
  primary key (series_id, hour)
);

-- Series whose closed hours were recomputed since the TopN window summaries were last refreshed (0128).
create table monitoring_window_dirty (
  series_id bigint primary key
);

alter table monitoring_dirty enable row level security;
alter table monitoring_dirty force row level security;
create policy monitoring_dirty_scope on monitoring_dirty
  using (current_setting('zhengyun.business_access', true) = 'on' and current_setting('zhengyun.scope_all', true) = 'on')
  with check (current_setting('zhengyun.business_access', true) = 'on' and current_setting('zhengyun.scope_all', true) = 'on');

alter table monitoring_window_dirty enable row level security;
alter table monitoring_window_dirty force row level security;
create policy monitoring_window_dirty_scope on monitoring_window_dirty
  using (current_setting('zhengyun.business_access', true) = 'on' and current_setting('zhengyun.scope_all', true) = 'on')
  with check (current_setting('zhengyun.business_access', true) = 'on' and current_setting('zhengyun.scope_all', true) = 'on');

-- The rollup rows are rewritten in place many times while their hour (day) fills: room on each page for HOT updates
-- (no indexed column changes), so an update writes no index entries.
alter table monitoring_hourly set (fillfactor = 70);
alter table monitoring_daily set (fillfactor = 70);

-- The flush looks rollup rows up by (series, metric, hour|day); with series_id in the (metric, hour|day) index too,
-- either index finds one row (the planner picked (metric, hour) and read every series' row of that hour).
create index monitoring_hourly_metric_hour_series_idx on monitoring_hourly (metric, hour, series_id);
drop index monitoring_hourly_metric_hour_idx;
create index monitoring_daily_metric_day_series_idx on monitoring_daily (metric, day, series_id);
drop index monitoring_daily_metric_day_idx;
