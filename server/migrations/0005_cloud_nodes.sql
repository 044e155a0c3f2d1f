-- 云节点: the cloud nodes of the municipal government cloud (requirements §0.1), each run by one cloud provider.
-- The directory issue extends this with machine rooms and network zones.
create table cloud_nodes (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[A-Za-z0-9_-]{2,30}$'),
  name text not null check (char_length(name) between 1 and 50),
  cloud_type text not null check (cloud_type in ('service','office','backup','health','education')),
  site text check (char_length(site) <= 50),
  provider_org_id uuid references organisations(id),
  description text check (char_length(description) <= 500),
  status text not null default 'active' check (status in ('active','retired')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index cloud_nodes_provider_idx on cloud_nodes (provider_org_id);
