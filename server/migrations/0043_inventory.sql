-- CMDB inventory (资源清单, issue 4 part 6): the resources built from the pushed service data (服务数据) and asset data
-- (资产数据) — physical devices, cloud hosts, internet IPs with their bandwidth, load balancers, VPN and remote-access
-- accounts, WAF protections, leased lines — with their full change history, the latest 业务系统数据 each provider
-- reported (compared with the directory registration), the latest platform capacity (云平台规格数据) and a daily
-- snapshot for trends. Written only by the inventory job (system context); read by the provider that reported a row,
-- by the user unit owning the row's information system, and by the management unit / supervision provider (scope all).
-- The three administrators (business_access off) read none. Quantities are decimal strings in jsonb: GB and Mbps
-- (docs/inventory.md).

create table inventory_resources (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('physical_device','cloud_host','internet_bandwidth','load_balancer','vpn_account',
                                     'remote_access_account','waf','leased_line')),
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  -- What identifies the resource within its provider and kind (serial number, cloud host ID, system + IP …).
  natural_key text not null check (char_length(natural_key) between 1 and 1000),
  -- 信息系统编号 as reported, and the registered system it matches (null: none, 无主).
  system_no text,
  system_id uuid references information_systems(id),
  -- The registered system's unit and node, copied when the link is made (flags need them without the directory's RLS).
  unit_org_id uuid references organisations(id),
  system_node_id uuid references cloud_nodes(id),
  name text not null,
  -- Every reported field, by the interface field name, as the text the provider sent.
  attributes jsonb not null,
  quantities jsonb not null default '{}',
  created_date date,
  deleted_date date,
  status text not null check (status in ('active','deleted')),
  -- Stored flags ('unowned', 'node_mismatch'); 'stale' depends on the clock and is computed when read.
  flags text[] not null default '{}',
  first_seen_at timestamptz not null,
  last_seen_at timestamptz not null,
  changed_at timestamptz not null,
  last_batch_id bigint not null,
  unique (provider_org_id, kind, natural_key)
) with (fillfactor = 80);
-- No index on last_seen_at: the daily "seen again" update of every resource stays a HOT update (no index touched).
create index inventory_resources_node_idx on inventory_resources (node_id, kind);
create index inventory_resources_unit_idx on inventory_resources (unit_org_id);
create index inventory_resources_system_no_idx on inventory_resources (system_no);

-- Append-only history: created / changed / deleted with the changed fields before and after.
create table inventory_changes (
  id bigserial primary key,
  resource_id uuid not null references inventory_resources(id),
  changed_at timestamptz not null,
  action text not null check (action in ('created','changed','deleted')),
  before jsonb not null default '{}',
  after jsonb not null default '{}',
  batch_id bigint not null
);
create index inventory_changes_resource_idx on inventory_changes (resource_id, id);

create function zy_inventory_changes_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'inventory_changes is append-only' using errcode = '42501';
end $$;
create trigger inventory_changes_append_only before update or delete on inventory_changes
  for each row execute function zy_inventory_changes_append_only();

-- Watermark: every stored batch with id <= last_batch_id has been applied. Batches above it that were applied already
-- are listed in inventory_applied_batches (a batch with a lower id may commit after a higher one; the watermark
-- only passes batches older than a safety window, see inventory.service.ts).
create table inventory_cursor (
  id integer primary key check (id = 1),
  last_batch_id bigint not null default 0,
  updated_at timestamptz not null default now()
);
insert into inventory_cursor (id) values (1);

create table inventory_applied_batches (
  batch_id bigint primary key,
  received_at timestamptz not null,
  applied_at timestamptz not null default now()
);

-- The latest 业务系统数据 record per provider and 信息系统编号, with the differences from the directory registration.
create table inventory_reported_systems (
  provider_org_id uuid not null references organisations(id),
  system_no text not null,
  node_id uuid not null references cloud_nodes(id),
  attributes jsonb not null,
  system_id uuid references information_systems(id),
  unit_org_id uuid references organisations(id),
  -- [{field, reported, registered}] for name, node, grading level, network nature, unit, machine room.
  mismatches jsonb not null default '[]',
  first_seen_at timestamptz not null,
  last_seen_at timestamptz not null,
  last_batch_id bigint not null,
  primary key (provider_org_id, system_no)
);
create index inventory_reported_systems_unit_idx on inventory_reported_systems (unit_org_id);

-- The latest 云平台规格数据 per provider, node and machine room.
create table inventory_capacity (
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  machine_room text not null,
  attributes jsonb not null,
  reported_at timestamptz not null,
  last_batch_id bigint not null,
  primary key (provider_org_id, node_id, machine_room)
);

-- Daily snapshot of the active resources: day × provider × node × unit × kind.
create table inventory_daily (
  day date not null,
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  unit_org_id uuid references organisations(id),
  kind text not null,
  resource_count integer not null,
  quantities jsonb not null default '{}'
);
create unique index inventory_daily_key on inventory_daily (day, provider_org_id, node_id, coalesce(unit_org_id, '00000000-0000-0000-0000-000000000000'::uuid), kind);

-- Policies: scope-all readers (management unit, supervision provider, the inventory job) pass on the setting alone,
-- without a per-row lookup of organisations (the job rewrites tens of thousands of rows; measured 5-10x faster);
-- everybody else by the provider or the unit of the row being visible.
alter table inventory_resources enable row level security;
alter table inventory_resources force row level security;
create policy inventory_resources_scope on inventory_resources
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = inventory_resources.provider_org_id)
              or exists (select 1 from organisations o where o.id = inventory_resources.unit_org_id)))
  with check (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = inventory_resources.provider_org_id));

alter table inventory_changes enable row level security;
alter table inventory_changes force row level security;
create policy inventory_changes_scope on inventory_changes
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from inventory_resources r where r.id = inventory_changes.resource_id)))
  with check (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from inventory_resources r where r.id = inventory_changes.resource_id));

alter table inventory_reported_systems enable row level security;
alter table inventory_reported_systems force row level security;
create policy inventory_reported_systems_scope on inventory_reported_systems
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = inventory_reported_systems.provider_org_id)
              or exists (select 1 from organisations o where o.id = inventory_reported_systems.unit_org_id)))
  with check (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = inventory_reported_systems.provider_org_id));

-- Capacity is the provider's own figure: the provider and scope-all readers see it, user units do not.
alter table inventory_capacity enable row level security;
alter table inventory_capacity force row level security;
create policy inventory_capacity_scope on inventory_capacity
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = inventory_capacity.provider_org_id)))
  with check (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = inventory_capacity.provider_org_id));

alter table inventory_daily enable row level security;
alter table inventory_daily force row level security;
create policy inventory_daily_scope on inventory_daily
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = inventory_daily.provider_org_id)
              or exists (select 1 from organisations o where o.id = inventory_daily.unit_org_id)))
  with check (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = inventory_daily.provider_org_id));
