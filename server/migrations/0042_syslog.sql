-- Syslog sources (issue 4): which sending address (an IP or a CIDR block) belongs to which cloud provider, node and
-- device. The syslog receiver maps every message by the longest matching prefix and stores it in the security-device
-- log (安全设备日志) or the host log (主机日志) interface table with the device fields kept here.
-- A provider reads its own sources; the management unit (ingest:config) maintains them all.
create table syslog_sources (
  id uuid primary key default gen_random_uuid(),
  -- Host bits must be zero (10.1.0.0/16, 10.1.2.3/32, 2001:db8::/32); a single address is stored as /32 or /128.
  network cidr not null unique,
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  kind text not null check (kind in ('security_device','host')),
  -- Security devices: the three required device fields of securityDeviceLog.
  device_name text check (char_length(device_name) between 1 and 100),
  serial_number text check (char_length(serial_number) between 1 and 100),
  device_type text check (char_length(device_type) between 1 and 100),
  -- Hosts: cloudHostId and osType are required by hostLog; hostName falls back to the message's HOSTNAME.
  cloud_host_id text check (char_length(cloud_host_id) between 1 and 50),
  host_name text check (char_length(host_name) between 1 and 100),
  os_type text check (char_length(os_type) between 1 and 40),
  description text check (char_length(description) <= 200),
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (kind <> 'security_device' or (device_name is not null and serial_number is not null and device_type is not null)),
  check (kind <> 'host' or (cloud_host_id is not null and os_type is not null))
);
create index syslog_sources_provider_idx on syslog_sources (provider_org_id);
create index syslog_sources_node_idx on syslog_sources (node_id);

alter table syslog_sources enable row level security;
alter table syslog_sources force row level security;
create policy syslog_sources_scope on syslog_sources
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = syslog_sources.provider_org_id))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and exists (select 1 from organisations o where o.id = syslog_sources.provider_org_id));
