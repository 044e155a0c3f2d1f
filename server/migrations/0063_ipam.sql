-- IP address management (内部地址规划与分发, issue 6 part 5; requirements §b.6 网络资源管理): address pools per cloud node
-- and network zone (IPv4 and IPv6), requests by user units and cloud providers reviewed by the management unit within
-- 3 working days, allocations (subnets or runs of addresses) that never overlap, and the deadline warnings.
-- Overlaps are checked in the service first (to name the conflicting pool or allocation) and backed by exclusion
-- constraints here: pools on the cidr's && (GiST inet_ops), allocations on an inet range type.

-- An inclusive range of addresses of one family (allocations are runs of addresses, not always CIDR blocks).
create type zy_inetrange as range (subtype = inet);

create table ipam_pools (
  id uuid primary key default gen_random_uuid(),
  node_id uuid not null references cloud_nodes(id),
  zone_id uuid not null references network_zones(id),
  name text not null check (char_length(name) between 1 and 100),
  cidr cidr not null,
  family smallint generated always as (family(cidr)) stored,
  -- business 业务, management 管理, storage 存储, internet 互联网 (public addresses).
  purpose text not null check (purpose in ('business','management','storage','internet')),
  gateway inet,
  -- [{"from": "10.0.0.1", "to": "10.0.0.9", "note": "…"}]: addresses never allocated (devices, VIPs, future use).
  reserved jsonb not null default '[]' check (jsonb_typeof(reserved) = 'array'),
  description text check (char_length(description) <= 500),
  status text not null default 'active' check (status in ('active','retired')),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (gateway is null or (family(gateway) = family(cidr) and gateway << cidr)),
  unique (node_id, name),
  constraint ipam_pools_no_overlap exclude using gist (cidr inet_ops with &&) where (status = 'active')
);
create index ipam_pools_zone_idx on ipam_pools (zone_id);

create table ipam_requests (
  id uuid primary key default gen_random_uuid(),
  -- The requesting user unit or cloud provider.
  requester_org_id uuid not null references organisations(id),
  requester_kind text not null check (requester_kind in ('unit','provider')),
  -- A unit requests for one of its information systems; a provider may name one.
  system_id uuid references information_systems(id),
  -- The application (入云/变更 申请) it belongs to: module applications; no foreign key (that table is another module's).
  application_id uuid,
  node_id uuid not null references cloud_nodes(id),
  zone_id uuid references network_zones(id),
  pool_id uuid references ipam_pools(id),
  family smallint not null check (family in (4, 6)),
  purpose text not null check (purpose in ('business','management','storage','internet')),
  -- Either a number of addresses or a subnet of a prefix length.
  address_count integer check (address_count between 1 and 65536),
  prefix_length smallint check (prefix_length between 8 and 128),
  reason text not null check (char_length(reason) between 1 and 1000),
  status text not null default 'pending' check (status in ('pending','approved','rejected','cancelled')),
  submitted_at timestamptz not null default now(),
  due_at timestamptz not null,
  decided_at timestamptz,
  decided_by uuid references users(id),
  decision_reason text check (char_length(decision_reason) <= 1000),
  due_soon_warned_at timestamptz,
  overdue_warned_at timestamptz,
  created_by uuid references users(id),
  check ((address_count is null) <> (prefix_length is null)),
  check (requester_kind = 'provider' or system_id is not null)
);
create index ipam_requests_requester_idx on ipam_requests (requester_org_id, submitted_at desc);
create index ipam_requests_pending_due_idx on ipam_requests (due_at) where status = 'pending';
create index ipam_requests_node_idx on ipam_requests (node_id);

create table ipam_allocations (
  id uuid primary key default gen_random_uuid(),
  pool_id uuid not null references ipam_pools(id),
  request_id uuid references ipam_requests(id),
  holder_org_id uuid not null references organisations(id),
  system_id uuid references information_systems(id),
  application_id uuid,
  node_id uuid not null references cloud_nodes(id),
  kind text not null check (kind in ('subnet','addresses')),
  first_address inet not null,
  last_address inet not null,
  addresses zy_inetrange generated always as (zy_inetrange(first_address, last_address, '[]')) stored,
  note text check (char_length(note) <= 500),
  status text not null default 'active' check (status in ('active','released')),
  allocated_at timestamptz not null default now(),
  allocated_by uuid references users(id),
  released_at timestamptz,
  released_by uuid references users(id),
  check (family(first_address) = family(last_address) and first_address <= last_address
         and masklen(first_address) = case family(first_address) when 4 then 32 else 128 end
         and masklen(last_address) = masklen(first_address)),
  constraint ipam_allocations_no_overlap exclude using gist (addresses with &&) where (status = 'active')
);
create index ipam_allocations_pool_idx on ipam_allocations (pool_id) where status = 'active';
create index ipam_allocations_holder_idx on ipam_allocations (holder_org_id);
create index ipam_allocations_request_idx on ipam_allocations (request_id);

-- The deadline warnings the job records (due soon: ≤ 1 working day left; overdue), once each per request.
create table ipam_request_events (
  id bigserial primary key,
  request_id uuid not null references ipam_requests(id),
  kind text not null check (kind in ('submitted','due_soon','overdue','approved','rejected','cancelled','released')),
  at timestamptz not null default now(),
  actor_user_id uuid references users(id),
  note text,
  unique (request_id, kind)
);

-- Pools are planning data of the platform: every business role reads them (the three administrators do not);
-- only scope-all actors (the management unit, system tasks) write them.
alter table ipam_pools enable row level security;
alter table ipam_pools force row level security;
create policy ipam_pools_read on ipam_pools for select
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on');
create policy ipam_pools_write on ipam_pools for all
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and coalesce(current_setting('zhengyun.scope_all', true), '') = 'on')
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');

-- Requests and allocations: the requester / holder organisation's subtree, the provider running the node, and
-- scope-all readers (management unit, supervision provider). The three administrators see none.
alter table ipam_requests enable row level security;
alter table ipam_requests force row level security;
create policy ipam_requests_read on ipam_requests for select
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = ipam_requests.requester_org_id)
              or exists (select 1 from cloud_nodes n join organisations p on p.id = n.provider_org_id where n.id = ipam_requests.node_id)));
create policy ipam_requests_insert on ipam_requests for insert
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and exists (select 1 from organisations o where o.id = ipam_requests.requester_org_id));
create policy ipam_requests_update on ipam_requests for update
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = ipam_requests.requester_org_id)))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
                   or exists (select 1 from organisations o where o.id = ipam_requests.requester_org_id)));

alter table ipam_allocations enable row level security;
alter table ipam_allocations force row level security;
create policy ipam_allocations_read on ipam_allocations for select
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = ipam_allocations.holder_org_id)
              or exists (select 1 from cloud_nodes n join organisations p on p.id = n.provider_org_id where n.id = ipam_allocations.node_id)));
create policy ipam_allocations_insert on ipam_allocations for insert
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');
create policy ipam_allocations_update on ipam_allocations for update
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = ipam_allocations.holder_org_id)))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
                   or exists (select 1 from organisations o where o.id = ipam_allocations.holder_org_id)));

alter table ipam_request_events enable row level security;
alter table ipam_request_events force row level security;
create policy ipam_request_events_scope on ipam_request_events
  using (exists (select 1 from ipam_requests r where r.id = ipam_request_events.request_id))
  with check (exists (select 1 from ipam_requests r where r.id = ipam_request_events.request_id));

insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'ipam:read'), ('mgmt_staff', 'ipam:manage'),
  ('supervisor_staff', 'ipam:read'),
  ('provider_admin', 'ipam:read'), ('provider_admin', 'ipam:request'),
  ('provider_staff', 'ipam:read'), ('provider_staff', 'ipam:request'),
  ('unit_admin', 'ipam:read'), ('unit_admin', 'ipam:request'),
  ('unit_staff', 'ipam:read'), ('unit_staff', 'ipam:request')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
