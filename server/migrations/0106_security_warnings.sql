-- Security warnings (安全预警, issue 13 §3) from the pushed 安全预警监测数据 (监测类型 漏洞发布 / 补丁发布, 监测内容,
-- 是否已通知相关单位, 监测时间, 监测人): stored as pushed, matched to the inventory's hosts by what the content names
-- (IP addresses, cloud host IDs, CVE numbers against the open findings, patch numbers against the patches not
-- installed, product + version against findings and patches), one notice per provider running a matched host, the
-- provider's reply (已处置 handled / 不受影响 not affected) with an evidence file, a deadline and the overdue state.

create table security_warnings (
  id uuid primary key default gen_random_uuid(),
  batch_id bigint not null,
  record_index integer not null,
  -- The organisation that pushed it (supervision provider or a cloud provider).
  reported_by_org_id uuid references organisations(id),
  monitor_type text not null check (monitor_type in ('vulnerability', 'patch', 'other')),
  monitor_type_text text,
  content text not null check (char_length(content) between 1 and 4000),
  notified_related_units boolean,
  monitored_text text,
  monitored_at timestamptz,
  monitored_by text,
  received_at timestamptz not null,
  -- Set by the matching job (security.warning_match); null = not matched yet.
  matched_at timestamptz,
  unique (batch_id, record_index)
);
create index security_warnings_received_idx on security_warnings (received_at desc, id);
create index security_warnings_unmatched_idx on security_warnings (received_at) where matched_at is null;

-- One notice per warning × provider running a matched host.
create table security_warning_notices (
  id uuid primary key default gen_random_uuid(),
  warning_id uuid not null references security_warnings(id) on delete cascade,
  provider_org_id uuid not null references organisations(id),
  notified_at timestamptz not null default now(),
  deadline date not null,
  status text not null default 'notified' check (status in ('notified', 'replied')),
  outcome text check (outcome in ('handled', 'not_affected')),
  reply_note text,
  replied_at timestamptz,
  replied_by uuid references users(id),
  evidence_name text,
  evidence_type text,
  evidence_size integer,
  evidence_sm3 text check (evidence_sm3 ~ '^[0-9a-f]{64}$'),
  evidence bytea,
  check ((status = 'replied') = (outcome is not null and replied_at is not null)),
  unique (warning_id, provider_org_id)
);
create index security_warning_notices_provider_idx on security_warning_notices (provider_org_id, status, deadline);

-- The hosts a warning was matched to, with the basis of each match.
create table security_warning_hosts (
  id bigserial primary key,
  warning_id uuid not null references security_warnings(id) on delete cascade,
  notice_id uuid not null references security_warning_notices(id) on delete cascade,
  resource_id uuid not null,
  cloud_host_id text not null,
  ip text,
  provider_org_id uuid not null references organisations(id),
  unit_org_id uuid references organisations(id),
  system_id uuid references information_systems(id),
  basis text not null check (basis in ('ip', 'host_id', 'cve', 'patch', 'software')),
  matched_value text not null,
  unique (warning_id, resource_id)
);
create index security_warning_hosts_notice_idx on security_warning_hosts (notice_id);
create index security_warning_hosts_unit_idx on security_warning_hosts (unit_org_id);

-- Visibility: management unit and supervision provider (scope_all) everything; a provider its own notices and their
-- hosts; a unit the hosts of its systems and the notices that name them; a warning is seen through a notice one
-- sees (scope_all sees the unmatched ones too). No business access (三员), nothing.
alter table security_warning_hosts enable row level security;
alter table security_warning_hosts force row level security;
create policy security_warning_hosts_scope on security_warning_hosts
  using (zy_business_access()
         and (zy_scope_all()
              or exists (select 1 from organisations o where o.id = security_warning_hosts.provider_org_id)
              or (unit_org_id is not null and exists (select 1 from organisations o where o.id = security_warning_hosts.unit_org_id))))
  with check (zy_business_access() and zy_scope_all());

alter table security_warning_notices enable row level security;
alter table security_warning_notices force row level security;
create policy security_warning_notices_scope on security_warning_notices
  using (zy_business_access()
         and (zy_scope_all()
              or exists (select 1 from organisations o where o.id = security_warning_notices.provider_org_id)
              or exists (select 1 from security_warning_hosts h where h.notice_id = security_warning_notices.id)))
  with check (zy_business_access()
              and (zy_scope_all() or exists (select 1 from organisations o where o.id = security_warning_notices.provider_org_id)));

alter table security_warnings enable row level security;
alter table security_warnings force row level security;
create policy security_warnings_scope on security_warnings
  using (zy_business_access()
         and (zy_scope_all() or exists (select 1 from security_warning_notices n where n.warning_id = security_warnings.id)))
  with check (zy_business_access() and zy_scope_all());
