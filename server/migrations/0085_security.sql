-- Security supervision (安全监管): vulnerability findings from pushed 安全漏洞扫描数据 and uploaded scanner reports,
-- deduplicated across scans, linked to the inventory host, system, unit and responsible provider; rectification with
-- deadlines per severity, notices (已通报), provider replies, verification by re-scan, risk acceptance.

-- One scan: a pushed batch of 安全漏洞扫描数据, or an uploaded report (OpenVAS/Greenbone XML, Nessus, .xlsx/.csv).
create table security_scans (
  id uuid primary key default gen_random_uuid(),
  source text not null check (source in ('push','openvas','nessus','xlsx','csv')),
  provider_org_id uuid references organisations(id),
  node_id uuid references cloud_nodes(id),
  batch_id bigint,
  file_name text check (char_length(file_name) <= 300),
  file_sm3 text check (file_sm3 ~ '^[0-9a-f]{64}$'),
  scanned_at timestamptz not null,
  -- What the scan covered (host references: cloud host IDs or IP addresses): only findings in scope are closed by it.
  scope text[] not null default '{}',
  findings integer not null default 0,
  new_findings integer not null default 0,
  closed_findings integer not null default 0,
  reopened_findings integer not null default 0,
  -- Host references found in the report that match no inventory host (listed, never dropped).
  unmatched text[] not null default '{}',
  row_errors jsonb not null default '[]',
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create unique index security_scans_file_key on security_scans (file_sm3) where file_sm3 is not null;
create unique index security_scans_batch_key on security_scans (batch_id) where batch_id is not null;

create table security_findings (
  id uuid primary key default gen_random_uuid(),
  -- host reference | port | vulnerability id (CVE, plugin / NVT OID, or the name when the source has no id)
  dedup_key text not null unique,
  -- The family of the scans that report it (push, openvas, nessus, table): only a scan of the same family can close it,
  -- since scanners name the same weakness differently.
  source_kind text not null check (source_kind in ('push','openvas','nessus','table')),
  host_ref text not null,
  ip text,
  port text not null default '',
  vuln_id text not null,
  name text not null check (char_length(name) between 1 and 500),
  vuln_type text,
  cve text[] not null default '{}',
  severity text not null check (severity in ('critical','high','medium','low')),
  -- Most severe first in every list: 0 critical … 3 low.
  severity_rank smallint generated always as (case severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end) stored,
  description text,
  solution text,
  resource_id uuid references inventory_resources(id),
  provider_org_id uuid references organisations(id),
  node_id uuid references cloud_nodes(id),
  unit_org_id uuid references organisations(id),
  system_id uuid references information_systems(id),
  status text not null default 'open' check (status in ('open','notified','replied','fixed','accepted')),
  first_seen_at timestamptz not null,
  last_seen_at timestamptz not null,
  first_scan_id uuid not null references security_scans(id),
  last_scan_id uuid not null references security_scans(id),
  deadline date not null,
  notified_at timestamptz,
  reply text,
  replied_at timestamptz,
  fixed_at timestamptz,
  fixed_scan_id uuid references security_scans(id),
  reopened_count integer not null default 0,
  accepted_reason text,
  accepted_by uuid references users(id),
  accepted_until date,
  ticket_id uuid,
  updated_at timestamptz not null default now()
);
create index security_findings_provider_idx on security_findings (provider_org_id, status);
create index security_findings_host_idx on security_findings (host_ref);
create index security_findings_unit_idx on security_findings (unit_org_id);
create index security_findings_open_idx on security_findings (severity_rank, first_seen_at desc, id) where status in ('open','notified','replied');
create index security_findings_open_provider_idx on security_findings (provider_org_id, severity_rank, first_seen_at desc, id) where status in ('open','notified','replied');
create index security_findings_rank_idx on security_findings (severity_rank, first_seen_at desc, id);

-- Append-only history of each finding: found, notified, replied, verified fixed, reopened, accepted.
create table security_finding_events (
  id bigserial primary key,
  finding_id uuid not null references security_findings(id) on delete cascade,
  at timestamptz not null default now(),
  action text not null check (action in ('found','seen','notified','replied','fixed','reopened','accepted','acceptance_expired')),
  scan_id uuid references security_scans(id),
  actor_user_id uuid references users(id),
  note text
);
create index security_finding_events_finding_idx on security_finding_events (finding_id, at);

-- Rectification deadlines per severity (整改时限): natural or working days from the first sighting.
create table security_deadline_rules (
  severity text primary key check (severity in ('critical','high','medium','low')),
  days integer not null check (days between 1 and 365),
  day_kind text not null check (day_kind in ('natural','working'))
);
insert into security_deadline_rules values ('critical', 3, 'natural'), ('high', 7, 'natural'), ('medium', 30, 'natural'), ('low', 90, 'natural');

-- The import job's position in ingest_batches for the pushed 安全漏洞扫描数据.
create table security_ingest_cursor (
  table_name text primary key,
  last_batch_id bigint not null
);

-- Visibility: management unit and supervision provider (scope_all) everything; a provider its own findings; a unit
-- those of its systems. Unmatched findings (no provider) only with scope_all. No business access (三员), nothing.
alter table security_findings enable row level security;
alter table security_findings force row level security;
create policy security_findings_scope on security_findings
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or (provider_org_id is not null and exists (select 1 from organisations o where o.id = security_findings.provider_org_id))
              or (unit_org_id is not null and exists (select 1 from organisations o where o.id = security_findings.unit_org_id))))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
                   or (provider_org_id is not null and exists (select 1 from organisations o where o.id = security_findings.provider_org_id))));

alter table security_finding_events enable row level security;
alter table security_finding_events force row level security;
create policy security_finding_events_scope on security_finding_events
  using (exists (select 1 from security_findings f where f.id = security_finding_events.finding_id))
  with check (exists (select 1 from security_findings f where f.id = security_finding_events.finding_id));

alter table security_scans enable row level security;
alter table security_scans force row level security;
create policy security_scans_scope on security_scans
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or (provider_org_id is not null and exists (select 1 from organisations o where o.id = security_scans.provider_org_id))))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');

alter table security_ingest_cursor enable row level security;
alter table security_ingest_cursor force row level security;
create policy security_ingest_cursor_scope on security_ingest_cursor
  using (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on')
  with check (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');


insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'security:read'), ('mgmt_staff', 'security:manage'),
  ('supervisor_staff', 'security:read'), ('supervisor_staff', 'security:manage'),
  ('provider_admin', 'security:read'), ('provider_admin', 'security:reply'),
  ('provider_staff', 'security:read'), ('provider_staff', 'security:reply'),
  ('unit_admin', 'security:read'),
  ('unit_staff', 'security:read')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
