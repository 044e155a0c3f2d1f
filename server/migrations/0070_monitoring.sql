-- Monitoring (监控告警与容量): the metric store built from the pushed 5-minute monitoring tables, hourly and daily
-- rollups, alert rules and alerts, maintenance windows, capacity warnings with 7-natural-day expansion deadlines.
--
-- A series is one measured object (a cloud host, a system's network egress, a machine room sensor) of one provider
-- and node, linked to the inventory resource, system and unit it belongs to (refreshed on each batch). Raw points are
-- partitioned per Beijing day of their own instant (created on demand by zy_monitoring_ensure_partition, dropped
-- whole after the retention); rollups are plain tables keyed by series × metric × bucket, recomputed per touched
-- bucket from its raw points when a batch lands (never by rescanning history).

-- The RLS helpers of 0081 (same definitions; this migration runs before it).
create or replace function zy_business_access() returns boolean
language plpgsql stable as $$
begin
  return coalesce(current_setting('zhengyun.business_access', true), '') = 'on';
end $$;

create or replace function zy_scope_all() returns boolean
language plpgsql stable as $$
begin
  return coalesce(current_setting('zhengyun.scope_all', true), '') = 'on';
end $$;

create table monitoring_series (
  id bigserial primary key,
  kind text not null check (kind in ('host','system','env')),
  object_key text not null check (char_length(object_key) between 1 and 300),
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  resource_id uuid references inventory_resources(id) on delete set null,
  system_id uuid references information_systems(id) on delete set null,
  unit_org_id uuid references organisations(id),
  label text not null,
  first_at timestamptz not null,
  last_at timestamptz not null,
  updated_at timestamptz not null default now(),
  unique (provider_org_id, kind, object_key)
);
create index monitoring_series_resource_idx on monitoring_series (resource_id) where resource_id is not null;
create index monitoring_series_unit_idx on monitoring_series (unit_org_id, kind);
create index monitoring_series_node_idx on monitoring_series (node_id, kind);

create table monitoring_points (
  series_id bigint not null,
  metric smallint not null,
  at timestamptz not null,
  value double precision not null,
  batch_id bigint not null,
  primary key (series_id, metric, at)
) partition by range (at);

create table monitoring_hourly (
  series_id bigint not null references monitoring_series(id) on delete cascade,
  metric smallint not null,
  hour timestamptz not null,
  n integer not null,
  min double precision not null,
  avg double precision not null,
  max double precision not null,
  p95 double precision not null,
  primary key (series_id, metric, hour)
);
create index monitoring_hourly_metric_hour_idx on monitoring_hourly (metric, hour);

create table monitoring_daily (
  series_id bigint not null references monitoring_series(id) on delete cascade,
  metric smallint not null,
  day date not null,
  n integer not null,
  min double precision not null,
  avg double precision not null,
  max double precision not null,
  p95 double precision not null,
  primary key (series_id, metric, day)
);
create index monitoring_daily_metric_day_idx on monitoring_daily (metric, day);

-- One row per processed batch (idempotency of the ingest job), with what was refused and why.
create table monitoring_batches (
  batch_id bigint primary key,
  table_name text not null,
  provider_org_id uuid not null references organisations(id),
  processed_at timestamptz not null default now(),
  points integer not null,
  refused integer not null,
  refusals jsonb not null default '[]'
);

create table monitoring_settings (
  id boolean primary key default true check (id),
  raw_retention_days integer not null default 30 check (raw_retention_days between 2 and 400),
  hourly_retention_days integer not null default 396 check (hourly_retention_days between 30 and 1200),
  daily_retention_days integer not null default 1096 check (daily_retention_days between 365 and 4000),
  -- The sweep (job monitoring.sweep) catches up on batches whose wake-up was lost; it starts after this batch id.
  sweep_cursor bigint not null default 0
);
insert into monitoring_settings default values;

create table monitoring_rules (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  kind text not null check (kind in ('threshold','no_data','forecast','rate')),
  metric text not null,
  op text not null default 'gt' check (op in ('gt','lt')),
  threshold double precision,
  recovery double precision,
  window_minutes integer not null default 15 check (window_minutes between 5 and 10080),
  horizon_hours integer check (horizon_hours between 1 and 2160),
  severity text not null check (severity in ('info','minor','major','critical')),
  scope_kind text not null check (scope_kind in ('all','host','system','unit','provider','node')),
  scope_id uuid,
  key_period_only boolean not null default false,
  escalate_after_minutes integer check (escalate_after_minutes between 5 and 10080),
  enabled boolean not null default true,
  is_global boolean not null default false,
  owner_org_id uuid references organisations(id),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((scope_kind = 'all') = (scope_id is null))
);

create table monitoring_alerts (
  id uuid primary key default gen_random_uuid(),
  rule_id uuid not null references monitoring_rules(id) on delete cascade,
  series_id bigint not null references monitoring_series(id) on delete cascade,
  severity text not null,
  status text not null check (status in ('firing','acknowledged','resolved')),
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  unit_org_id uuid references organisations(id),
  system_id uuid references information_systems(id) on delete set null,
  resource_id uuid references inventory_resources(id) on delete set null,
  object_label text not null,
  value double precision,
  message text not null,
  started_at timestamptz not null,
  last_evaluated_at timestamptz not null,
  acknowledged_at timestamptz,
  acknowledged_by uuid references users(id),
  ack_comment text,
  escalated_at timestamptz,
  resolved_at timestamptz,
  duration_seconds integer
);
-- Deduplication: one open alert per rule × object.
create unique index monitoring_alerts_open_key on monitoring_alerts (rule_id, series_id) where status <> 'resolved';
create index monitoring_alerts_status_idx on monitoring_alerts (status, severity, started_at desc);
create index monitoring_alerts_unit_idx on monitoring_alerts (unit_org_id, started_at desc);
create index monitoring_alerts_provider_idx on monitoring_alerts (provider_org_id, started_at desc);

create table monitoring_alert_events (
  id bigserial primary key,
  alert_id uuid not null references monitoring_alerts(id) on delete cascade,
  at timestamptz not null default now(),
  action text not null check (action in ('fired','acknowledged','escalated','resolved')),
  actor_user_id uuid references users(id),
  value double precision,
  note text
);
create index monitoring_alert_events_alert_idx on monitoring_alert_events (alert_id, at);

create table monitoring_maintenance (
  id uuid primary key default gen_random_uuid(),
  scope_kind text not null check (scope_kind in ('all','host','system','unit','provider','node')),
  scope_id uuid,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  reason text not null check (char_length(reason) between 1 and 500),
  owner_org_id uuid references organisations(id),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  check (ends_at > starts_at),
  check ((scope_kind = 'all') = (scope_id is null))
);
create index monitoring_maintenance_time_idx on monitoring_maintenance (ends_at, starts_at);

-- Capacity per node and resource (cpuCores, memoryGb, …): a daily snapshot (for the forecast) and the warnings.
create table monitoring_capacity_snapshots (
  node_id uuid not null references cloud_nodes(id),
  provider_org_id uuid not null references organisations(id),
  resource text not null,
  day date not null,
  total numeric not null,
  allocated numeric not null,
  primary key (node_id, resource, day)
);

create table monitoring_capacity_warnings (
  id uuid primary key default gen_random_uuid(),
  node_id uuid not null references cloud_nodes(id),
  provider_org_id uuid not null references organisations(id),
  resource text not null,
  status text not null check (status in ('open','expanded','released')),
  opened_on date not null,
  deadline date not null,
  total_at_open numeric not null,
  allocated_at_open numeric not null,
  ratio_at_open numeric not null,
  closed_on date,
  total_at_close numeric,
  closed_in_time boolean,
  created_at timestamptz not null default now()
);
create unique index monitoring_capacity_open_key on monitoring_capacity_warnings (node_id, resource) where status = 'open';
create index monitoring_capacity_provider_idx on monitoring_capacity_warnings (provider_org_id, opened_on);

-- Partitions of monitoring_points per Beijing day, created on demand (the app role does not own the parent).
create function zy_monitoring_ensure_partition(p_at timestamptz) returns text
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  local_start timestamp;
  part text;
begin
  local_start := date_trunc('day', p_at at time zone 'Asia/Shanghai');
  part := 'monitoring_points_p' || to_char(local_start, 'YYYYMMDD');
  if to_regclass(part) is null then
    perform pg_advisory_xact_lock(hashtext('zy_monitoring_partition'), hashtext(part));
    if to_regclass(part) is null then
      execute format('create table %I partition of monitoring_points for values from (%L) to (%L)', part,
                     local_start at time zone 'Asia/Shanghai', (local_start + interval '1 day') at time zone 'Asia/Shanghai');
    end if;
  end if;
  return part;
end $$;
revoke all on function zy_monitoring_ensure_partition(timestamptz) from public;
grant execute on function zy_monitoring_ensure_partition(timestamptz) to zhengyun_app;

-- Drops the raw partitions that end before the cutoff; returns their names.
create function zy_monitoring_drop_partitions(p_cutoff timestamptz) returns setof text
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  r record;
begin
  for r in
    select c.relname, pg_get_expr(c.relpartbound, c.oid) as bound
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'monitoring_points'::regclass
  loop
    if (regexp_match(r.bound, $re$TO \('([^']+)'\)$re$))[1]::timestamptz <= p_cutoff then
      execute format('drop table %I', r.relname);
      return next r.relname;
    end if;
  end loop;
end $$;
revoke all on function zy_monitoring_drop_partitions(timestamptz) from public;
grant execute on function zy_monitoring_drop_partitions(timestamptz) to zhengyun_app;

-- Row-level security: a provider sees its own nodes' series and alerts, a unit its own systems', management and
-- supervision everything, the three administrators nothing. Rollups and points follow their series; their checks are
-- inline current_setting() calls rather than the plpgsql helpers, which are called once per row written or read.
alter table monitoring_series enable row level security;
alter table monitoring_series force row level security;
create policy monitoring_series_scope on monitoring_series
  using (zy_business_access()
         and (zy_scope_all()
              or exists (select 1 from organisations o where o.id = monitoring_series.provider_org_id)
              or (unit_org_id is not null and exists (select 1 from organisations o where o.id = monitoring_series.unit_org_id))))
  with check (zy_business_access() and zy_scope_all());

alter table monitoring_points enable row level security;
alter table monitoring_points force row level security;
create policy monitoring_points_scope on monitoring_points
  using (current_setting('zhengyun.business_access', true) = 'on'
         and (current_setting('zhengyun.scope_all', true) = 'on' or exists (select 1 from monitoring_series s where s.id = monitoring_points.series_id)))
  with check (current_setting('zhengyun.business_access', true) = 'on' and current_setting('zhengyun.scope_all', true) = 'on');

alter table monitoring_hourly enable row level security;
alter table monitoring_hourly force row level security;
create policy monitoring_hourly_scope on monitoring_hourly
  using (current_setting('zhengyun.business_access', true) = 'on'
         and (current_setting('zhengyun.scope_all', true) = 'on' or exists (select 1 from monitoring_series s where s.id = monitoring_hourly.series_id)))
  with check (current_setting('zhengyun.business_access', true) = 'on' and current_setting('zhengyun.scope_all', true) = 'on');

alter table monitoring_daily enable row level security;
alter table monitoring_daily force row level security;
create policy monitoring_daily_scope on monitoring_daily
  using (current_setting('zhengyun.business_access', true) = 'on'
         and (current_setting('zhengyun.scope_all', true) = 'on' or exists (select 1 from monitoring_series s where s.id = monitoring_daily.series_id)))
  with check (current_setting('zhengyun.business_access', true) = 'on' and current_setting('zhengyun.scope_all', true) = 'on');

alter table monitoring_batches enable row level security;
alter table monitoring_batches force row level security;
create policy monitoring_batches_scope on monitoring_batches
  using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = monitoring_batches.provider_org_id)))
  with check (zy_business_access() and zy_scope_all());

alter table monitoring_settings enable row level security;
alter table monitoring_settings force row level security;
create policy monitoring_settings_scope on monitoring_settings using (zy_business_access()) with check (zy_business_access() and zy_scope_all());

alter table monitoring_rules enable row level security;
alter table monitoring_rules force row level security;
create policy monitoring_rules_scope on monitoring_rules
  using (zy_business_access() and (zy_scope_all() or is_global or (owner_org_id is not null and exists (select 1 from organisations o where o.id = monitoring_rules.owner_org_id))))
  with check (zy_business_access() and (zy_scope_all() or (not is_global and owner_org_id is not null and exists (select 1 from organisations o where o.id = monitoring_rules.owner_org_id))));

alter table monitoring_alerts enable row level security;
alter table monitoring_alerts force row level security;
create policy monitoring_alerts_scope on monitoring_alerts
  using (zy_business_access()
         and (zy_scope_all()
              or exists (select 1 from organisations o where o.id = monitoring_alerts.provider_org_id)
              or (unit_org_id is not null and exists (select 1 from organisations o where o.id = monitoring_alerts.unit_org_id))))
  with check (zy_business_access()
              and (zy_scope_all()
                   or exists (select 1 from organisations o where o.id = monitoring_alerts.provider_org_id)
                   or (unit_org_id is not null and exists (select 1 from organisations o where o.id = monitoring_alerts.unit_org_id))));

alter table monitoring_alert_events enable row level security;
alter table monitoring_alert_events force row level security;
create policy monitoring_alert_events_scope on monitoring_alert_events
  using (exists (select 1 from monitoring_alerts a where a.id = monitoring_alert_events.alert_id))
  with check (exists (select 1 from monitoring_alerts a where a.id = monitoring_alert_events.alert_id));

alter table monitoring_maintenance enable row level security;
alter table monitoring_maintenance force row level security;
create policy monitoring_maintenance_scope on monitoring_maintenance
  using (zy_business_access() and (zy_scope_all() or (owner_org_id is not null and exists (select 1 from organisations o where o.id = monitoring_maintenance.owner_org_id))))
  with check (zy_business_access() and (zy_scope_all() or (owner_org_id is not null and exists (select 1 from organisations o where o.id = monitoring_maintenance.owner_org_id))));

alter table monitoring_capacity_snapshots enable row level security;
alter table monitoring_capacity_snapshots force row level security;
create policy monitoring_capacity_snapshots_scope on monitoring_capacity_snapshots
  using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = monitoring_capacity_snapshots.provider_org_id)))
  with check (zy_business_access() and zy_scope_all());

alter table monitoring_capacity_warnings enable row level security;
alter table monitoring_capacity_warnings force row level security;
create policy monitoring_capacity_warnings_scope on monitoring_capacity_warnings
  using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = monitoring_capacity_warnings.provider_org_id)))
  with check (zy_business_access() and zy_scope_all());

insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'monitoring:read'), ('mgmt_staff', 'monitoring:manage'), ('mgmt_staff', 'monitoring:ack'),
  ('supervisor_staff', 'monitoring:read'), ('supervisor_staff', 'monitoring:manage'), ('supervisor_staff', 'monitoring:ack'),
  ('provider_admin', 'monitoring:read'), ('provider_admin', 'monitoring:manage'), ('provider_admin', 'monitoring:ack'),
  ('provider_staff', 'monitoring:read'), ('provider_staff', 'monitoring:ack'),
  ('unit_admin', 'monitoring:read'), ('unit_admin', 'monitoring:ack'),
  ('unit_staff', 'monitoring:read')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
