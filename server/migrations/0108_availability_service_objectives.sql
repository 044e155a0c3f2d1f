-- Availability (issue 11): SLA objectives per catalog service (服务目录中的服务, e.g. 平台云主机服务 ≥ 99.99%,
-- 互联网链路服务 ≥ 99.99%). A service objective names the catalog item by its code (scope_id holds the code, so
-- scope_id becomes text; the other scopes keep their uuid as text) and the probes that measure it (probe_origins:
-- cloud hosts' ICMP probes, internet IPs' probes). Its compliance is per provider offering the service, averaged over
-- every probed object (entity time), not merged into one timeline.
alter table availability_objectives alter column scope_id type text using scope_id::text;
alter table availability_objectives
  add column probe_origins text[] check (probe_origins is null or (cardinality(probe_origins) > 0 and probe_origins <@ array['inventory_host','inventory_ip','system_url']::text[]));
alter table availability_objectives
  add constraint availability_objectives_service_origins check ((scope = 'service') = (probe_origins is not null));
