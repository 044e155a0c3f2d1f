-- Data quality (数据质量, issue 4 part 7): per cloud provider × node × interface table × day, how complete, timely and
-- valid the pushed data was, scored against the 95% completeness target (保障按时提供数据、数据完整性达到 95%).
-- Definitions: docs/data-quality.md. Rows are recomputed (replaced) by the quality.compute job every 15 minutes for
-- today and yesterday; a provider reads only its own rows, the management unit and the supervision provider all,
-- the three administrators none.

-- Which interface tables a provider must deliver (per node, or for every node with node_id null). Without a row, every
-- one of the 35 tables is mandatory for every node the provider has an ingestion credential for or pushed data from;
-- a row with mandatory = false takes a table out of that set, one with mandatory = true adds it (also for a node with
-- no data yet). A node-specific row wins over the provider-wide one.
create table quality_expectations (
  id uuid primary key default gen_random_uuid(),
  provider_org_id uuid not null references organisations(id),
  node_id uuid references cloud_nodes(id),
  table_name text not null references ingest_tables(name),
  mandatory boolean not null,
  note text check (char_length(note) <= 200),
  updated_at timestamptz not null default now(),
  updated_by uuid references users(id)
);
create unique index quality_expectations_key
  on quality_expectations (provider_org_id, coalesce(node_id, '00000000-0000-0000-0000-000000000000'::uuid), table_name);
alter table quality_expectations enable row level security;
alter table quality_expectations force row level security;
create policy quality_expectations_scope on quality_expectations
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = quality_expectations.provider_org_id))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = quality_expectations.provider_org_id));

-- One row per provider × node × table × period. Period 'day' for the 5-minute and daily tables (day = the Beijing-time
-- calendar day), 'week' for the weekly tables (day = Monday of the ISO week). Ratios are exact fractions rounded
-- half-up to 4 decimals; null when their denominator is 0 (completeness: nothing due yet; timeliness / validity: no
-- batch arrived). score = 100 × (0.6 × completeness + 0.2 × timeliness + 0.2 × validity), a missing ratio counting 0,
-- computed from the exact fractions and rounded half-up to 2 decimals.
create table data_quality_daily (
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  table_name text not null references ingest_tables(name),
  day date not null,
  period text not null check (period in ('day','week')),
  -- How completeness was counted: host_samples | device_samples | event_slots | daily | weekly.
  method text not null check (method in ('host_samples','device_samples','event_slots','daily','weekly')),
  mandatory boolean not null,
  expected bigint not null check (expected >= 0),
  received bigint not null check (received >= 0),
  on_time bigint not null default 0 check (on_time >= 0),
  accepted bigint not null default 0 check (accepted >= 0),
  rejected bigint not null default 0 check (rejected >= 0),
  completeness numeric(5,4) check (completeness between 0 and 1),
  timeliness numeric(5,4) check (timeliness between 0 and 1),
  validity numeric(5,4) check (validity between 0 and 1),
  score numeric(5,2) check (score between 0 and 100),
  meets_target boolean,
  computed_at timestamptz not null default now(),
  primary key (provider_org_id, node_id, table_name, day),
  check ((period = 'week') = (method = 'weekly')),
  check (period = 'day' or extract(isodow from day) = 1)
);
create index data_quality_daily_day_idx on data_quality_daily (day);
alter table data_quality_daily enable row level security;
alter table data_quality_daily force row level security;
create policy data_quality_daily_scope on data_quality_daily
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = data_quality_daily.provider_org_id))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = data_quality_daily.provider_org_id));
