-- Availability probes (可用性监测, issue 11; requirements §b.7, §c.1, §c.2; seed 003 (三)2): probes run by Zhengyun
-- itself (ICMP, TCP, HTTP(S), DNS), their results, time-weighted state intervals (up / down / unknown / maintenance),
-- outages (中断记录) with confirmation (立即核实), maintenance windows of this module, and SLA objectives.
-- Visibility: a probe belongs to the unit (user unit) and provider of the host or system it watches; scope-all
-- actors (management unit, supervision provider, system tasks) see and write everything. The three administrators
-- see nothing.

create table availability_probes (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  kind text not null check (kind in ('icmp','tcp','http','dns')),
  -- Host name, address or URL (http). Loopback targets in tests and the demo; see docs/availability.md.
  target text not null check (char_length(target) between 1 and 500),
  port integer check (port between 1 and 65535),
  -- Kind-specific settings: http {expectStatus, keyword, keywordAbsent, followRedirects, maxRedirects, maxBodyBytes},
  -- dns {recordType, expected, server}.
  config jsonb not null default '{}' check (jsonb_typeof(config) = 'object'),
  interval_seconds integer not null default 60 check (interval_seconds between 10 and 86400),
  timeout_ms integer not null default 5000 check (timeout_ms between 100 and 60000),
  -- Failed re-checks (立即核实) before an outage opens.
  retries smallint not null default 1 check (retries between 0 and 5),
  origin text not null default 'manual' check (origin in ('manual','inventory_host','inventory_ip','system_url','demo')),
  resource_id uuid,
  system_id uuid references information_systems(id),
  unit_org_id uuid references organisations(id),
  provider_org_id uuid references organisations(id),
  node_id uuid references cloud_nodes(id),
  -- Set when this instance cannot reach the target (demo city's fictional addresses): not probed, shown as unknown.
  unreachable_note text check (char_length(unreachable_note) <= 500),
  enabled boolean not null default true,
  next_run_at timestamptz not null default now(),
  claimed_by text,
  state text not null default 'unknown' check (state in ('up','down','unknown','maintenance')),
  state_since timestamptz not null default now(),
  failures smallint not null default 0,
  last_checked_at timestamptz,
  last_rtt_ms double precision,
  last_detail text,
  tls_expires_at timestamptz,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (kind <> 'tcp' or port is not null)
);
create unique index availability_probes_origin_uidx on availability_probes (origin, resource_id, target) where resource_id is not null;
create index availability_probes_due_idx on availability_probes (next_run_at) where enabled;
create index availability_probes_state_idx on availability_probes (state, name);
create index availability_probes_unit_idx on availability_probes (unit_org_id);
create index availability_probes_provider_idx on availability_probes (provider_org_id);
create index availability_probes_system_idx on availability_probes (system_id);

-- One result per probe and slot: the unique pair makes a slot run at most once even if two workers raced.
create table availability_results (
  id bigserial primary key,
  probe_id uuid not null references availability_probes(id) on delete cascade,
  slot timestamptz not null,
  checked_at timestamptz not null default now(),
  ok boolean not null,
  -- 0 for the slot's probe, 1.. for the 立即核实 re-checks that follow a failure.
  attempt smallint not null default 0 check (attempt between 0 and 5),
  rtt_ms double precision,
  loss_pct double precision,
  http_status integer,
  detail text check (char_length(detail) <= 1000),
  worker text,
  unique (probe_id, slot, attempt)
);
create index availability_results_probe_idx on availability_results (probe_id, checked_at desc);

-- Time-weighted state: consecutive intervals per probe; the open one has ended_at null.
create table availability_intervals (
  id bigserial primary key,
  probe_id uuid not null references availability_probes(id) on delete cascade,
  state text not null check (state in ('up','down','unknown','maintenance')),
  started_at timestamptz not null,
  ended_at timestamptz,
  -- Intervals written from the demo simulator's schedule rather than measured here.
  simulated boolean not null default false,
  check (ended_at is null or ended_at >= started_at)
);
create unique index availability_intervals_open_uidx on availability_intervals (probe_id) where ended_at is null;
create index availability_intervals_probe_idx on availability_intervals (probe_id, started_at);

create table availability_outages (
  id uuid primary key default gen_random_uuid(),
  probe_id uuid not null references availability_probes(id) on delete cascade,
  started_at timestamptz not null,
  confirmed_at timestamptz not null,
  ended_at timestamptz,
  cause_note text check (char_length(cause_note) <= 2000),
  acknowledged_at timestamptz,
  acknowledged_by uuid references users(id),
  escalated_at timestamptz,
  ticket_id uuid,
  -- What the ticket hook last accepted: null (not yet), 'open', 'cleared'.
  ticket_state text check (ticket_state in ('open','cleared')),
  simulated boolean not null default false,
  created_at timestamptz not null default now()
);
create unique index availability_outages_open_uidx on availability_outages (probe_id) where ended_at is null;
create index availability_outages_started_idx on availability_outages (started_at desc);

-- This module's own maintenance windows (计划性维护); operations' approved windows come through a hook as well.
create table availability_maintenance (
  id uuid primary key default gen_random_uuid(),
  title text not null check (char_length(title) between 1 and 200),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  probe_id uuid references availability_probes(id) on delete cascade,
  system_id uuid references information_systems(id),
  node_id uuid references cloud_nodes(id),
  provider_org_id uuid references organisations(id),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  check (ends_at > starts_at)
);
create index availability_maintenance_time_idx on availability_maintenance (starts_at, ends_at);

create table availability_objectives (
  id uuid primary key default gen_random_uuid(),
  scope text not null check (scope in ('system','unit','provider','service')),
  -- information system, organisation (unit / provider) or catalog service id.
  scope_id uuid not null,
  scope_name text not null check (char_length(scope_name) between 1 and 200),
  -- For visibility: the provider and unit the objective concerns (null: not limited).
  provider_org_id uuid references organisations(id),
  unit_org_id uuid references organisations(id),
  target numeric(7,5) not null check (target > 0 and target < 1),
  period text not null default 'year' check (period in ('month','quarter','year')),
  schedule text not null default '24x7' check (schedule in ('24x7','working')),
  max_interruption_minutes integer default 240 check (max_interruption_minutes > 0),
  max_yearly_fault_minutes integer check (max_yearly_fault_minutes > 0),
  excluded text check (char_length(excluded) <= 500),
  source text check (char_length(source) <= 200),
  created_at timestamptz not null default now(),
  unique (scope, scope_id)
);

-- RLS
alter table availability_probes enable row level security;
alter table availability_probes force row level security;
create policy availability_probes_read on availability_probes for select
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = availability_probes.unit_org_id)
              or exists (select 1 from organisations o where o.id = availability_probes.provider_org_id)));
create policy availability_probes_write on availability_probes for all
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and coalesce(current_setting('zhengyun.scope_all', true), '') = 'on')
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');

alter table availability_results enable row level security;
alter table availability_results force row level security;
create policy availability_results_scope on availability_results
  using (exists (select 1 from availability_probes p where p.id = availability_results.probe_id))
  with check (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');

alter table availability_intervals enable row level security;
alter table availability_intervals force row level security;
create policy availability_intervals_scope on availability_intervals
  using (exists (select 1 from availability_probes p where p.id = availability_intervals.probe_id))
  with check (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');

alter table availability_outages enable row level security;
alter table availability_outages force row level security;
create policy availability_outages_read on availability_outages for select
  using (exists (select 1 from availability_probes p where p.id = availability_outages.probe_id));
-- Providers acknowledge and note the cause of their own outages.
create policy availability_outages_update on availability_outages for update
  using (exists (select 1 from availability_probes p where p.id = availability_outages.probe_id))
  with check (exists (select 1 from availability_probes p where p.id = availability_outages.probe_id));
create policy availability_outages_insert on availability_outages for insert
  with check (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');
create policy availability_outages_delete on availability_outages for delete
  using (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');

alter table availability_maintenance enable row level security;
alter table availability_maintenance force row level security;
create policy availability_maintenance_read on availability_maintenance for select
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on');
create policy availability_maintenance_write on availability_maintenance for all
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and coalesce(current_setting('zhengyun.scope_all', true), '') = 'on')
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');

alter table availability_objectives enable row level security;
alter table availability_objectives force row level security;
create policy availability_objectives_read on availability_objectives for select
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = availability_objectives.unit_org_id)
              or exists (select 1 from organisations o where o.id = availability_objectives.provider_org_id)));
create policy availability_objectives_write on availability_objectives for all
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and coalesce(current_setting('zhengyun.scope_all', true), '') = 'on')
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');

insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'availability:read'), ('mgmt_staff', 'availability:manage'),
  ('supervisor_staff', 'availability:read'), ('supervisor_staff', 'availability:manage'),
  ('provider_admin', 'availability:read'), ('provider_admin', 'availability:acknowledge'),
  ('provider_staff', 'availability:read'), ('provider_staff', 'availability:acknowledge'),
  ('unit_admin', 'availability:read'),
  ('unit_staff', 'availability:read')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
