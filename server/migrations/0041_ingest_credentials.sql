-- Standard data interface (数据接口标准, issue 4), part 2: how providers authenticate (接入凭证), the nonces that stop
-- replays, the trigger mode (触发器: major changes and alarms pushed by providers) and the query-response mode
-- (查询-响应: the platform polls a provider's own query endpoint).

-- 接入凭证: a bearer token that names the provider (only its SM3 is stored) plus an HMAC-SM3 signing secret (SM4 at rest,
-- the server needs it to verify signatures). A provider reads its own; the management unit reads all; the three
-- administrators none.
create table ingest_credentials (
  id uuid primary key default gen_random_uuid(),
  provider_org_id uuid not null references organisations(id),
  name text not null check (char_length(name) between 1 and 50),
  token_prefix text not null,
  token_hash text not null unique,
  signing_secret_enc text not null,
  -- Cloud nodes the credential may push for; null = every node the provider runs.
  node_ids uuid[],
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references users(id),
  last_used_at timestamptz,
  last_used_ip text
);
create index ingest_credentials_provider_idx on ingest_credentials (provider_org_id);
alter table ingest_credentials enable row level security;
alter table ingest_credentials force row level security;
create policy ingest_credentials_scope on ingest_credentials
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_credentials.provider_org_id))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_credentials.provider_org_id));

-- Nonces seen per credential while their request's timestamp is still inside the clock-skew window: a second use of
-- the same nonce is a replay. Random strings with no tenant data, written on every signed request (one autocommit insert,
-- no RLS so verification needs no transaction); the ingest.nonces.purge job deletes the expired ones.
create table ingest_nonces (
  credential_id uuid not null references ingest_credentials(id) on delete cascade,
  nonce text not null check (char_length(nonce) between 16 and 64),
  expires_at timestamptz not null,
  primary key (credential_id, nonce)
);
create index ingest_nonces_expires_idx on ingest_nonces (expires_at);

-- 触发器: major changes (重大变更) and alarms (告警) a provider pushes as they happen. Idempotent per provider and its own id.
create table provider_events (
  id uuid primary key default gen_random_uuid(),
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  credential_id uuid references ingest_credentials(id) on delete set null,
  external_id text not null check (char_length(external_id) between 1 and 100),
  kind text not null check (kind in ('major_change','alarm')),
  category text not null check (char_length(category) between 1 and 50),
  severity text not null check (severity in ('critical','major','minor','info')),
  occurred_at timestamptz not null,
  title text not null check (char_length(title) between 1 and 200),
  detail text not null default '' check (char_length(detail) <= 8000),
  -- [{cloudHostId?, systemId?}] as pushed.
  resources jsonb not null default '[]',
  received_at timestamptz not null default now(),
  acknowledged_at timestamptz,
  acknowledged_by uuid references users(id),
  ack_note text check (char_length(ack_note) <= 500),
  unique (provider_org_id, external_id)
);
create index provider_events_time_idx on provider_events (occurred_at desc);
create index provider_events_node_idx on provider_events (node_id, occurred_at desc);
alter table provider_events enable row level security;
alter table provider_events force row level security;
create policy provider_events_scope on provider_events
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = provider_events.provider_org_id))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = provider_events.provider_org_id));

-- 查询-响应: a provider's query endpoint for one cloud node. The platform signs its GETs with the endpoint's own secret
-- (generated here, shown once to whoever configures it, SM4 at rest).
create table provider_query_endpoints (
  id uuid primary key default gen_random_uuid(),
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  base_url text not null check (base_url ~ '^https?://[^\s]+$' and char_length(base_url) <= 500),
  signing_secret_enc text not null,
  enabled boolean not null default true,
  interval_minutes integer not null default 5 check (interval_minutes between 1 and 1440),
  next_poll_at timestamptz not null default now(),
  last_polled_at timestamptz,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (node_id)
);
create index provider_query_endpoints_due_idx on provider_query_endpoints (next_poll_at) where enabled;
alter table provider_query_endpoints enable row level security;
alter table provider_query_endpoints force row level security;
create policy provider_query_endpoints_scope on provider_query_endpoints
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = provider_query_endpoints.provider_org_id))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = provider_query_endpoints.provider_org_id));

-- One row per GET the poller made: outcome, timing and the validated answer (or why it was refused). Kept 30 days.
create table provider_poll_results (
  id bigserial primary key,
  endpoint_id uuid not null references provider_query_endpoints(id) on delete cascade,
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  resource text not null check (resource in ('platform-status','quotas','vm-states')),
  polled_at timestamptz not null default now(),
  ok boolean not null,
  http_status integer,
  duration_ms integer not null,
  payload jsonb,
  error text check (char_length(error) <= 2000)
);
create index provider_poll_results_time_idx on provider_poll_results (provider_org_id, polled_at desc);
create index provider_poll_results_endpoint_idx on provider_poll_results (endpoint_id, resource, polled_at desc);
alter table provider_poll_results enable row level security;
alter table provider_poll_results force row level security;
create policy provider_poll_results_scope on provider_poll_results
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = provider_poll_results.provider_org_id))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = provider_poll_results.provider_org_id));
