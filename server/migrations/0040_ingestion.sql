-- Standard data interface (数据接口标准, issue 4), part 1: the 35 interface tables of seed 004 §2.2.5, the batches that
-- delivered them, and the code tables (码表) the an4 fields are checked against.
--
-- Every interface table is partitioned by arrival time (received_at): per day for the 5-minute tables, per month for the
-- daily and weekly ones. Partitions are created on demand by zy_ingest_ensure_partition() (the app role does not own the
-- parents) and dropped whole by zy_ingest_drop_partitions() when older than the table's retention. Rows are written
-- with COPY straight into the day's partition. A provider reads only its own rows; the three administrators none.

-- One row per interface table: where it lives, how it is partitioned, how long it is kept (days, configurable).
create table ingest_tables (
  name text primary key,
  sql_table text not null unique,
  category text not null,
  partition_unit text not null check (partition_unit in ('day','month')),
  retention_days integer not null check (retention_days between 1 and 3660),
  -- Minimum retention the rules require (traffic-derived ≥ 1 month, host logs ≥ 6 months); the setting may not go below.
  min_retention_days integer not null default 1
);

-- Each push (or syslog flush) is a batch; its per-record errors are kept (the first 1,000) for the provider to read.
create table ingest_batches (
  id bigserial primary key,
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  table_name text not null references ingest_tables(name),
  source text not null check (source in ('api','syslog','manual')),
  credential_id uuid,
  idempotency_key text check (char_length(idempotency_key) between 1 and 200),
  body_sm3 text,
  content_type text,
  mode text not null default 'partial' check (mode in ('partial','atomic')),
  received_at timestamptz not null default now(),
  record_count integer not null default 0,
  accepted_count integer not null default 0,
  rejected_count integer not null default 0,
  -- Accepted records that arrived within their table's update period after their own time (timeliness, 及时性).
  on_time_count integer not null default 0,
  status text not null check (status in ('accepted','partial','rejected')),
  errors jsonb not null default '[]',
  unique (provider_org_id, idempotency_key)
);
create index ingest_batches_provider_idx on ingest_batches (provider_org_id, table_name, received_at);
create index ingest_batches_received_idx on ingest_batches (received_at);
alter table ingest_batches enable row level security;
alter table ingest_batches force row level security;
create policy ingest_batches_scope on ingest_batches
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_batches.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_batches.provider_org_id));

-- Code tables (码表) for the an4 / an1 code fields. The seed gives none, so the values are data the management unit
-- maintains. cloudProvider codes name a provider organisation; machineRoom codes are the machine rooms of the directory
-- and are not listed here.
create table ingest_code_values (
  code_table text not null check (code_table ~ '^[a-zA-Z]{2,40}$'),
  code text not null check (char_length(code) between 1 and 4),
  label_zh text not null check (char_length(label_zh) between 1 and 50),
  label_en text check (char_length(label_en) <= 100),
  org_id uuid references organisations(id),
  active boolean not null default true,
  sort_order integer not null default 0,
  updated_at timestamptz not null default now(),
  primary key (code_table, code),
  check ((code_table = 'cloudProvider') = (org_id is not null))
);
create unique index ingest_code_values_provider_key on ingest_code_values (org_id) where code_table = 'cloudProvider';

insert into ingest_code_values (code_table, code, label_zh, label_en, sort_order) values
  ('assetCategory', 'SERV', '服务器', 'Server', 1),
  ('assetCategory', 'STOR', '存储设备', 'Storage device', 2),
  ('assetCategory', 'NETW', '网络设备', 'Network device', 3),
  ('assetCategory', 'SECU', '安全设备', 'Security device', 4),
  ('assetCategory', 'ENVI', '动力环境设备', 'Power and environment device', 5),
  ('assetCategory', 'OTHR', '其他设备', 'Other device', 6),
  ('networkType', 'GWWW', '政务外网', 'Government extranet', 1),
  ('networkType', 'INET', '互联网', 'Internet', 2),
  ('networkType', 'GWIN', '政务外网及互联网', 'Extranet and Internet', 3),
  ('networkType', 'ZXWL', '专线', 'Leased line', 4),
  ('runStatus', 'RUNN', '运行', 'Running', 1),
  ('runStatus', 'STOP', '停机', 'Stopped', 2),
  ('runStatus', 'MAIN', '维护', 'Maintenance', 3),
  ('runStatus', 'FALT', '故障', 'Fault', 4),
  ('runStatus', 'RETI', '已撤出', 'Retired', 5),
  ('powerSupplyType', 'SING', '单路交流', 'Single AC', 1),
  ('powerSupplyType', 'DUAL', '双路交流', 'Dual AC', 2),
  ('powerSupplyType', 'HVDC', '高压直流', 'HVDC', 3),
  ('managementType', 'SELF', '服务商自管', 'Managed by the provider', 1),
  ('managementType', 'HOST', '托管', 'Hosted', 2),
  ('managementType', 'UNIT', '使用单位自管', 'Managed by the user unit', 3),
  ('cloudHostType', 'GENE', '通用型', 'General purpose', 1),
  ('cloudHostType', 'COMP', '计算型', 'Compute optimised', 2),
  ('cloudHostType', 'MEMO', '内存型', 'Memory optimised', 3),
  ('cloudHostType', 'GPUA', 'GPU 型', 'GPU', 4),
  ('cloudHostType', 'BARE', '裸金属', 'Bare metal', 5),
  ('riskLevel', '高', '高', 'High', 1),
  ('riskLevel', '中', '中', 'Medium', 2),
  ('riskLevel', '低', '低', 'Low', 3),
  ('yesNo', '是', '是', 'Yes', 1),
  ('yesNo', '否', '否', 'No', 2),
  ('remediationStatus', '完成整改', '完成整改', 'Remediated', 1),
  ('remediationStatus', '部分整改', '部分整改', 'Partly remediated', 2),
  ('remediationStatus', '未整改', '未整改', 'Not remediated', 3);

-- Code tables are public reference data for every signed-in user (no RLS); only the management unit's staff edit them
-- (ingest:config, checked by the API).

-- assets 资产数据 (P1W)
create table ingest_assets (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  asset_category text,
  device_name text,
  serial_number text,
  device_brand text,
  device_model text,
  host_spec text,
  internal_ip text,
  cloud_provider text,
  network_type text,
  run_status text,
  commission_date date,
  decommission_date date,
  machine_room text,
  rack_number text,
  rack_unit_position text,
  power_rating numeric,
  power_supply_type text,
  management_type text,
  managing_unit text,
  manager_name text,
  business_system_name text,
  manager_phone text,
  remarks text
) partition by range (received_at);
create index ingest_assets_received_brin on ingest_assets using brin (received_at);
create index ingest_assets_batch_idx on ingest_assets (batch_id);
alter table ingest_assets enable row level security;
alter table ingest_assets force row level security;
create policy ingest_assets_scope on ingest_assets
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_assets.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_assets.provider_org_id));

-- temperatureHumiditySensor 温湿度传感器 (PT5M)
create table ingest_temperature_humidity_sensor (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  machine_room text,
  location text,
  temperature numeric,
  humidity numeric
) partition by range (received_at);
create index ingest_temperature_humidity_sensor_received_brin on ingest_temperature_humidity_sensor using brin (received_at);
alter table ingest_temperature_humidity_sensor enable row level security;
alter table ingest_temperature_humidity_sensor force row level security;
create policy ingest_temperature_humidity_sensor_scope on ingest_temperature_humidity_sensor
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_temperature_humidity_sensor.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_temperature_humidity_sensor.provider_org_id));

-- generator 发电机 (PT5M)
create table ingest_generator (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  generator_id text,
  location text,
  fault_status text,
  fuel_level numeric,
  run_status text
) partition by range (received_at);
create index ingest_generator_received_brin on ingest_generator using brin (received_at);
alter table ingest_generator enable row level security;
alter table ingest_generator force row level security;
create policy ingest_generator_scope on ingest_generator
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_generator.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_generator.provider_org_id));

-- aduBatteryMonitor ADU 电池监控模块 (PT5M)
create table ingest_adu_battery_monitor (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  device_id text,
  machine_room text,
  location text,
  current numeric,
  total_voltage numeric,
  backup_time numeric
) partition by range (received_at);
create index ingest_adu_battery_monitor_received_brin on ingest_adu_battery_monitor using brin (received_at);
alter table ingest_adu_battery_monitor enable row level security;
alter table ingest_adu_battery_monitor force row level security;
create policy ingest_adu_battery_monitor_scope on ingest_adu_battery_monitor
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_adu_battery_monitor.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_adu_battery_monitor.provider_org_id));

-- ups UPS (PT5M)
create table ingest_ups (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  machine_room text,
  location text,
  input_frequency numeric,
  ambient_temperature numeric,
  ambient_humidity numeric,
  output_frequency numeric,
  battery_total_voltage numeric,
  battery_total_current numeric,
  battery_temperature numeric,
  battery_backup_time numeric,
  battery_remaining_capacity numeric,
  battery_total_current2 numeric,
  ups_power_supply_status text,
  ups_run_status text,
  battery_run_status text,
  mains_input_alarm_status text,
  battery_alarm_status text
) partition by range (received_at);
create index ingest_ups_received_brin on ingest_ups using brin (received_at);
alter table ingest_ups enable row level security;
alter table ingest_ups force row level security;
create policy ingest_ups_scope on ingest_ups
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_ups.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_ups.provider_org_id));

-- collector 采集器 (PT5M)
create table ingest_collector (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  machine_room text,
  location text,
  water_leak_status text,
  infrared_status text,
  relay_output text
) partition by range (received_at);
create index ingest_collector_received_brin on ingest_collector using brin (received_at);
alter table ingest_collector enable row level security;
alter table ingest_collector force row level security;
create policy ingest_collector_scope on ingest_collector
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_collector.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_collector.provider_org_id));

-- rowPowerCabinet 列头柜 (PT5M)
create table ingest_row_power_cabinet (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  machine_room text,
  rack_number text,
  phase_avoltage numeric,
  phase_bvoltage numeric,
  phase_cvoltage numeric,
  phase_acurrent numeric,
  phase_bcurrent numeric,
  phase_ccurrent numeric,
  phase_aload_rate numeric,
  phase_bload_rate numeric,
  phase_cload_rate numeric
) partition by range (received_at);
create index ingest_row_power_cabinet_received_brin on ingest_row_power_cabinet using brin (received_at);
alter table ingest_row_power_cabinet enable row level security;
alter table ingest_row_power_cabinet force row level security;
create policy ingest_row_power_cabinet_scope on ingest_row_power_cabinet
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_row_power_cabinet.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_row_power_cabinet.provider_org_id));

-- powerMeter 电量仪 (PT5M)
create table ingest_power_meter (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  machine_room text,
  location text,
  total_active_energy numeric,
  total_reactive_energy numeric
) partition by range (received_at);
create index ingest_power_meter_received_brin on ingest_power_meter using brin (received_at);
alter table ingest_power_meter enable row level security;
alter table ingest_power_meter force row level security;
create policy ingest_power_meter_scope on ingest_power_meter
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_power_meter.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_power_meter.provider_org_id));

-- tcp tcp (PT5M)
create table ingest_tcp (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  timestamp timestamptz,
  ingest_time timestamptz,
  collection_engine text,
  node_name text,
  node_type text,
  src_ip text,
  src_port integer,
  dst_ip text,
  dst_port integer,
  connection_established integer,
  connection_count bigint,
  session_total_length bigint,
  application_protocol text
) partition by range (received_at);
create index ingest_tcp_received_brin on ingest_tcp using brin (received_at);
alter table ingest_tcp enable row level security;
alter table ingest_tcp force row level security;
create policy ingest_tcp_scope on ingest_tcp
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_tcp.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_tcp.provider_org_id));

-- http HTTP/HTTPS (PT5M)
create table ingest_http (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  timestamp timestamptz,
  ingest_time timestamptz,
  proxy_ip text,
  node_name text,
  node_type text,
  src_ip text,
  src_port integer,
  dst_ip text,
  dst_port integer,
  host text,
  request_full_path text,
  status_code text,
  real_ip text,
  cookie text,
  request_method text,
  http_type integer,
  request_headers text,
  response_headers text,
  referer text,
  response_server text,
  request_body text,
  response_body text,
  inbound_bytes bigint,
  outbound_bytes bigint
) partition by range (received_at);
create index ingest_http_received_brin on ingest_http using brin (received_at);
alter table ingest_http enable row level security;
alter table ingest_http force row level security;
create policy ingest_http_scope on ingest_http
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_http.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_http.provider_org_id));

-- dns DNS (PT5M)
create table ingest_dns (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  timestamp timestamptz,
  ingest_time timestamptz,
  proxy_ip text,
  node_name text,
  node_type text,
  src_ip text,
  src_port integer,
  dst_ip text,
  dst_port integer,
  query_domain text,
  dns_type integer,
  query_type text,
  request_type integer,
  return_code integer,
  request_record_class text,
  response text,
  record_ttl_seconds bigint,
  domain_level integer,
  response_data text,
  response_data_length bigint,
  domain_length integer,
  answer_record_count integer,
  query_domain_count integer,
  top_level_domain text,
  additional_record_count integer,
  authority_record_count integer,
  response_ip_count integer
) partition by range (received_at);
create index ingest_dns_received_brin on ingest_dns using brin (received_at);
alter table ingest_dns enable row level security;
alter table ingest_dns force row level security;
create policy ingest_dns_scope on ingest_dns
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_dns.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_dns.provider_org_id));

-- smtp smtp (PT5M)
create table ingest_smtp (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  timestamp timestamptz,
  ingest_time timestamptz,
  proxy_ip text,
  node_name text,
  node_type text,
  src_ip text,
  src_port integer,
  dst_ip text,
  dst_port integer,
  mail_type integer,
  mail_user text,
  encrypted integer
) partition by range (received_at);
create index ingest_smtp_received_brin on ingest_smtp using brin (received_at);
alter table ingest_smtp enable row level security;
alter table ingest_smtp force row level security;
create policy ingest_smtp_scope on ingest_smtp
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_smtp.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_smtp.provider_org_id));

-- pop3 pop3 (PT5M)
create table ingest_pop3 (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  timestamp timestamptz,
  ingest_time timestamptz,
  proxy_ip text,
  node_name text,
  node_type text,
  src_ip text,
  src_port integer,
  dst_ip text,
  dst_port integer,
  mail_user text,
  mail_type integer,
  encrypted integer
) partition by range (received_at);
create index ingest_pop3_received_brin on ingest_pop3 using brin (received_at);
alter table ingest_pop3 enable row level security;
alter table ingest_pop3 force row level security;
create policy ingest_pop3_scope on ingest_pop3
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_pop3.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_pop3.provider_org_id));

-- imap imap (PT5M)
create table ingest_imap (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  timestamp timestamptz,
  ingest_time timestamptz,
  proxy_ip text,
  node_name text,
  node_type text,
  src_ip text,
  src_port integer,
  dst_ip text,
  dst_port integer,
  mail_user text,
  encrypted integer
) partition by range (received_at);
create index ingest_imap_received_brin on ingest_imap using brin (received_at);
alter table ingest_imap enable row level security;
alter table ingest_imap force row level security;
create policy ingest_imap_scope on ingest_imap
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_imap.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_imap.provider_org_id));

-- ftp FTP (PT5M)
create table ingest_ftp (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  timestamp timestamptz,
  src_ip text,
  src_port integer,
  dst_ip text,
  dst_port integer,
  transfer_mode text,
  file_name text,
  file_md5 text
) partition by range (received_at);
create index ingest_ftp_received_brin on ingest_ftp using brin (received_at);
alter table ingest_ftp enable row level security;
alter table ingest_ftp force row level security;
create policy ingest_ftp_scope on ingest_ftp
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_ftp.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_ftp.provider_org_id));

-- securityDeviceLog 安全设备日志 (PT5M)
create table ingest_security_device_log (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  occurred_at timestamptz,
  alarm_name text,
  reporting_device_ip text,
  proxy_ip text,
  device_name text,
  serial_number text,
  device_type text,
  src_ip text,
  src_port integer,
  dst_ip text,
  dst_port integer,
  log_level text,
  alarm_type text,
  log_content text
) partition by range (received_at);
create index ingest_security_device_log_received_brin on ingest_security_device_log using brin (received_at);
alter table ingest_security_device_log enable row level security;
alter table ingest_security_device_log force row level security;
create policy ingest_security_device_log_scope on ingest_security_device_log
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_security_device_log.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_security_device_log.provider_org_id));

-- hostLog 主机日志 (PT5M)
create table ingest_host_log (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  occurred_at timestamptz,
  cloud_host_id text,
  host_name text,
  host_ip text,
  os_type text,
  log_name text,
  log_type text,
  log_body text
) partition by range (received_at);
create index ingest_host_log_received_brin on ingest_host_log using brin (received_at);
alter table ingest_host_log enable row level security;
alter table ingest_host_log force row level security;
create policy ingest_host_log_scope on ingest_host_log
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_host_log.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_host_log.provider_org_id));

-- platformSpec 云平台规格数据 (P1D)
create table ingest_platform_spec (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  cloud_provider text,
  machine_room text,
  platform_vendor text,
  platform_network_type text,
  cpu_total bigint,
  cpu_allocated bigint,
  memory_total numeric,
  memory_allocated numeric,
  standard_storage_total numeric,
  standard_storage_allocated numeric,
  high_perf_storage_total numeric,
  high_perf_storage_allocated numeric,
  static_storage_total numeric,
  static_storage_allocated numeric,
  internet_bandwidth_total numeric,
  internet_bandwidth_allocated numeric
) partition by range (received_at);
create index ingest_platform_spec_received_brin on ingest_platform_spec using brin (received_at);
create index ingest_platform_spec_batch_idx on ingest_platform_spec (batch_id);
alter table ingest_platform_spec enable row level security;
alter table ingest_platform_spec force row level security;
create policy ingest_platform_spec_scope on ingest_platform_spec
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_platform_spec.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_platform_spec.provider_org_id));

-- platformNetworkAccessIp 云平台网络接入 IP 数据 (P1D)
create table ingest_platform_network_access_ip (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  network_type text,
  cloud_provider text,
  machine_room text,
  carrier text,
  ip_address_or_range text,
  primary_link_bandwidth numeric,
  backup_link_bandwidth numeric
) partition by range (received_at);
create index ingest_platform_network_access_ip_received_brin on ingest_platform_network_access_ip using brin (received_at);
create index ingest_platform_network_access_ip_batch_idx on ingest_platform_network_access_ip (batch_id);
alter table ingest_platform_network_access_ip enable row level security;
alter table ingest_platform_network_access_ip force row level security;
create policy ingest_platform_network_access_ip_scope on ingest_platform_network_access_ip
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_platform_network_access_ip.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_platform_network_access_ip.provider_org_id));

-- businessSystem 业务系统数据 (P1D)
create table ingest_business_system (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  user_unit_id text,
  unit_postcode text,
  cloud_platform text,
  deployment_node text,
  machine_room text,
  system_id text,
  system_name text,
  cloud_test_date date,
  contact_name text,
  contact_mobile text,
  contact_email text,
  contact_landline text,
  tech_contact_name text,
  tech_contact_mobile text,
  pre_approval_status text,
  function_description text,
  system_type text,
  security_grading_level text,
  operating_hours text,
  service_audience text,
  service_scope text,
  network_nature text,
  interconnection text,
  other_notes text,
  go_live_date date,
  exit_date date,
  exit_reason text,
  access_url text,
  app_vendor text
) partition by range (received_at);
create index ingest_business_system_received_brin on ingest_business_system using brin (received_at);
create index ingest_business_system_batch_idx on ingest_business_system (batch_id);
alter table ingest_business_system enable row level security;
alter table ingest_business_system force row level security;
create policy ingest_business_system_scope on ingest_business_system
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_business_system.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_business_system.provider_org_id));

-- cloudHostSpec 云主机规格数据 (P1D)
create table ingest_cloud_host_spec (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  system_id text,
  cloud_host_name text,
  cloud_host_id text,
  internal_ip text,
  cloud_host_type text,
  run_status text,
  cloud_platform text,
  region_code text,
  network_type text,
  created_date date,
  deleted_date date,
  cpu_cores bigint,
  memory_allocated numeric,
  standard_storage_allocated numeric,
  high_perf_storage_allocated numeric,
  static_storage_allocated numeric,
  local_video_storage_allocated numeric,
  offsite_storage_allocated numeric
) partition by range (received_at);
create index ingest_cloud_host_spec_received_brin on ingest_cloud_host_spec using brin (received_at);
create index ingest_cloud_host_spec_batch_idx on ingest_cloud_host_spec (batch_id);
alter table ingest_cloud_host_spec enable row level security;
alter table ingest_cloud_host_spec force row level security;
create policy ingest_cloud_host_spec_scope on ingest_cloud_host_spec
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_cloud_host_spec.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_cloud_host_spec.provider_org_id));

-- internetBandwidthService 互联网链路带宽服务数据 (P1D)
create table ingest_internet_bandwidth_service (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  system_id text,
  internet_ip text,
  system_domain text,
  bandwidth numeric,
  start_date date,
  end_date date
) partition by range (received_at);
create index ingest_internet_bandwidth_service_received_brin on ingest_internet_bandwidth_service using brin (received_at);
create index ingest_internet_bandwidth_service_batch_idx on ingest_internet_bandwidth_service (batch_id);
alter table ingest_internet_bandwidth_service enable row level security;
alter table ingest_internet_bandwidth_service force row level security;
create policy ingest_internet_bandwidth_service_scope on ingest_internet_bandwidth_service
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_internet_bandwidth_service.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_internet_bandwidth_service.provider_org_id));

-- loadBalancerService 主机负载均衡服务数据 (P1D)
create table ingest_load_balancer_service (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  system_id text,
  internal_ip text,
  external_ip text,
  load_balancer_ip text,
  open_port integer,
  opened_date date,
  closed_date date
) partition by range (received_at);
create index ingest_load_balancer_service_received_brin on ingest_load_balancer_service using brin (received_at);
create index ingest_load_balancer_service_batch_idx on ingest_load_balancer_service (batch_id);
alter table ingest_load_balancer_service enable row level security;
alter table ingest_load_balancer_service force row level security;
create policy ingest_load_balancer_service_scope on ingest_load_balancer_service
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_load_balancer_service.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_load_balancer_service.provider_org_id));

-- vpnService VPN 服务数据 (P1D)
create table ingest_vpn_service (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  system_id text,
  vpn_type text,
  account text,
  accessible_range text,
  opened_date date,
  closed_date date
) partition by range (received_at);
create index ingest_vpn_service_received_brin on ingest_vpn_service using brin (received_at);
create index ingest_vpn_service_batch_idx on ingest_vpn_service (batch_id);
alter table ingest_vpn_service enable row level security;
alter table ingest_vpn_service force row level security;
create policy ingest_vpn_service_scope on ingest_vpn_service
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_vpn_service.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_vpn_service.provider_org_id));

-- wafService WAF 防护服务数据 (P1D)
create table ingest_waf_service (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  system_id text,
  ip_address text,
  port integer,
  protection_type text,
  opened_date date,
  closed_date date
) partition by range (received_at);
create index ingest_waf_service_received_brin on ingest_waf_service using brin (received_at);
create index ingest_waf_service_batch_idx on ingest_waf_service (batch_id);
alter table ingest_waf_service enable row level security;
alter table ingest_waf_service force row level security;
create policy ingest_waf_service_scope on ingest_waf_service
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_waf_service.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_waf_service.provider_org_id));

-- remoteAccessService 远程接入服务数据 (P1D)
create table ingest_remote_access_service (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  system_id text,
  account text,
  accessible_range text,
  opened_date date,
  closed_date date
) partition by range (received_at);
create index ingest_remote_access_service_received_brin on ingest_remote_access_service using brin (received_at);
create index ingest_remote_access_service_batch_idx on ingest_remote_access_service (batch_id);
alter table ingest_remote_access_service enable row level security;
alter table ingest_remote_access_service force row level security;
create policy ingest_remote_access_service_scope on ingest_remote_access_service
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_remote_access_service.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_remote_access_service.provider_org_id));

-- leasedLineService 云机房专线接入服务数据 (P1D)
create table ingest_leased_line_service (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  system_id text,
  carrier text,
  leased_line_purpose text,
  start_time date,
  end_time date,
  local_end_address text,
  remote_end_address text,
  patch_cabinet_number text,
  cloud_rack_number text,
  access_device_name text,
  access_device_port integer
) partition by range (received_at);
create index ingest_leased_line_service_received_brin on ingest_leased_line_service using brin (received_at);
create index ingest_leased_line_service_batch_idx on ingest_leased_line_service (batch_id);
alter table ingest_leased_line_service enable row level security;
alter table ingest_leased_line_service force row level security;
create policy ingest_leased_line_service_scope on ingest_leased_line_service
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_leased_line_service.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_leased_line_service.provider_org_id));

-- cloudHostMonitoring 云主机监控数据 (PT5M)
create table ingest_cloud_host_monitoring (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  cloud_host_id text,
  monitored_at timestamptz,
  internal_ip text,
  cpu_usage numeric,
  memory_usage numeric,
  standard_storage_usage numeric,
  high_perf_storage_usage numeric,
  static_storage_usage numeric,
  local_video_storage_usage numeric,
  offsite_video_usage numeric,
  disk_write_peak numeric,
  disk_read_peak numeric,
  bandwidth_up_peak numeric,
  bandwidth_down_peak numeric
) partition by range (received_at);
create index ingest_cloud_host_monitoring_received_brin on ingest_cloud_host_monitoring using brin (received_at);
alter table ingest_cloud_host_monitoring enable row level security;
alter table ingest_cloud_host_monitoring force row level security;
create policy ingest_cloud_host_monitoring_scope on ingest_cloud_host_monitoring
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_cloud_host_monitoring.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_cloud_host_monitoring.provider_org_id));

-- appNetworkEgress 应用系统网络出口使用数据 (PT5M)
create table ingest_app_network_egress (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  system_id text,
  network_type text,
  monitored_at timestamptz,
  bandwidth_up_peak numeric,
  bandwidth_down_peak numeric
) partition by range (received_at);
create index ingest_app_network_egress_received_brin on ingest_app_network_egress using brin (received_at);
alter table ingest_app_network_egress enable row level security;
alter table ingest_app_network_egress force row level security;
create policy ingest_app_network_egress_scope on ingest_app_network_egress
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_app_network_egress.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_app_network_egress.provider_org_id));

-- vpnRemoteLogin VPN/远程接入登录数据 (PT5M)
create table ingest_vpn_remote_login (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  system_id text,
  network_type text,
  monitored_at timestamptz,
  access_type text,
  account text,
  session_id text,
  login_time timestamptz,
  logout_time timestamptz
) partition by range (received_at);
create index ingest_vpn_remote_login_received_brin on ingest_vpn_remote_login using brin (received_at);
alter table ingest_vpn_remote_login enable row level security;
alter table ingest_vpn_remote_login force row level security;
create policy ingest_vpn_remote_login_scope on ingest_vpn_remote_login
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_vpn_remote_login.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_vpn_remote_login.provider_org_id));

-- opsMonitoring 运维监测数据 (PT5M)
create table ingest_ops_monitoring (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  check_type text,
  check_content text,
  is_normal text,
  checked_at timestamptz,
  checked_by text
) partition by range (received_at);
create index ingest_ops_monitoring_received_brin on ingest_ops_monitoring using brin (received_at);
alter table ingest_ops_monitoring enable row level security;
alter table ingest_ops_monitoring force row level security;
create policy ingest_ops_monitoring_scope on ingest_ops_monitoring
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_ops_monitoring.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_ops_monitoring.provider_org_id));

-- vulnerabilityScan 安全漏洞扫描数据 (P1W)
create table ingest_vulnerability_scan (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  vulnerability_name text,
  vulnerability_type text,
  risk_level text,
  cloud_host_id text,
  system_id text,
  scanned_at text,
  notified_related_units text,
  remediation_status text,
  remediated_at text
) partition by range (received_at);
create index ingest_vulnerability_scan_received_brin on ingest_vulnerability_scan using brin (received_at);
alter table ingest_vulnerability_scan enable row level security;
alter table ingest_vulnerability_scan force row level security;
create policy ingest_vulnerability_scan_scope on ingest_vulnerability_scan
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_vulnerability_scan.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_vulnerability_scan.provider_org_id));

-- patchInstallation 安全补丁安装数据 (P1W)
create table ingest_patch_installation (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  patch_name text,
  cloud_host_id text,
  patch_type text,
  patch_released_at text,
  patch_installed_at text,
  checked_by text
) partition by range (received_at);
create index ingest_patch_installation_received_brin on ingest_patch_installation using brin (received_at);
alter table ingest_patch_installation enable row level security;
alter table ingest_patch_installation force row level security;
create policy ingest_patch_installation_scope on ingest_patch_installation
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_patch_installation.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_patch_installation.provider_org_id));

-- securityWarning 安全预警监测数据 (P1W)
create table ingest_security_warning (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  monitor_type text,
  monitor_content text,
  notified_related_units text,
  monitored_at timestamptz,
  monitored_by text
) partition by range (received_at);
create index ingest_security_warning_received_brin on ingest_security_warning using brin (received_at);
alter table ingest_security_warning enable row level security;
alter table ingest_security_warning force row level security;
create policy ingest_security_warning_scope on ingest_security_warning
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_security_warning.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_security_warning.provider_org_id));

-- securityAttack 安全攻击监测数据 (P1W)
create table ingest_security_attack (
  provider_org_id uuid not null,
  node_id uuid not null,
  batch_id bigint not null,
  received_at timestamptz not null,
  record_time timestamptz,
  attack_name text,
  cloud_host_id text,
  system_id text,
  notified_related_units text,
  monitored_at timestamptz,
  monitored_by text
) partition by range (received_at);
create index ingest_security_attack_received_brin on ingest_security_attack using brin (received_at);
alter table ingest_security_attack enable row level security;
alter table ingest_security_attack force row level security;
create policy ingest_security_attack_scope on ingest_security_attack
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = ingest_security_attack.provider_org_id))
  with check (exists (select 1 from organisations o where o.id = ingest_security_attack.provider_org_id));

create index ingest_cloud_host_monitoring_host_idx on ingest_cloud_host_monitoring (cloud_host_id, record_time);

insert into ingest_tables (name, sql_table, category, partition_unit, retention_days) values
  ('assets', 'ingest_assets', 'assetData', 'month', 400),
  ('temperatureHumiditySensor', 'ingest_temperature_humidity_sensor', 'environmentControlData', 'day', 400),
  ('generator', 'ingest_generator', 'environmentControlData', 'day', 400),
  ('aduBatteryMonitor', 'ingest_adu_battery_monitor', 'environmentControlData', 'day', 400),
  ('ups', 'ingest_ups', 'environmentControlData', 'day', 400),
  ('collector', 'ingest_collector', 'environmentControlData', 'day', 400),
  ('rowPowerCabinet', 'ingest_row_power_cabinet', 'environmentControlData', 'day', 400),
  ('powerMeter', 'ingest_power_meter', 'environmentControlData', 'day', 400),
  ('tcp', 'ingest_tcp', 'networkProtocolData', 'day', 35),
  ('http', 'ingest_http', 'networkProtocolData', 'day', 35),
  ('dns', 'ingest_dns', 'networkProtocolData', 'day', 35),
  ('smtp', 'ingest_smtp', 'networkProtocolData', 'day', 35),
  ('pop3', 'ingest_pop3', 'networkProtocolData', 'day', 35),
  ('imap', 'ingest_imap', 'networkProtocolData', 'day', 35),
  ('ftp', 'ingest_ftp', 'networkProtocolData', 'day', 35),
  ('securityDeviceLog', 'ingest_security_device_log', 'logData', 'day', 190),
  ('hostLog', 'ingest_host_log', 'logData', 'day', 190),
  ('platformSpec', 'ingest_platform_spec', 'cloudPlatformData', 'month', 400),
  ('platformNetworkAccessIp', 'ingest_platform_network_access_ip', 'cloudPlatformData', 'month', 400),
  ('businessSystem', 'ingest_business_system', 'serviceData', 'month', 400),
  ('cloudHostSpec', 'ingest_cloud_host_spec', 'serviceData', 'month', 400),
  ('internetBandwidthService', 'ingest_internet_bandwidth_service', 'serviceData', 'month', 400),
  ('loadBalancerService', 'ingest_load_balancer_service', 'serviceData', 'month', 400),
  ('vpnService', 'ingest_vpn_service', 'serviceData', 'month', 400),
  ('wafService', 'ingest_waf_service', 'serviceData', 'month', 400),
  ('remoteAccessService', 'ingest_remote_access_service', 'serviceData', 'month', 400),
  ('leasedLineService', 'ingest_leased_line_service', 'serviceData', 'month', 400),
  ('cloudHostMonitoring', 'ingest_cloud_host_monitoring', 'monitoringData', 'day', 400),
  ('appNetworkEgress', 'ingest_app_network_egress', 'monitoringData', 'day', 400),
  ('vpnRemoteLogin', 'ingest_vpn_remote_login', 'monitoringData', 'day', 400),
  ('opsMonitoring', 'ingest_ops_monitoring', 'monitoringData', 'day', 400),
  ('vulnerabilityScan', 'ingest_vulnerability_scan', 'monitoringData', 'month', 400),
  ('patchInstallation', 'ingest_patch_installation', 'monitoringData', 'month', 400),
  ('securityWarning', 'ingest_security_warning', 'monitoringData', 'month', 400),
  ('securityAttack', 'ingest_security_attack', 'monitoringData', 'month', 400);
update ingest_tables set min_retention_days = 31 where category = 'networkProtocolData';
update ingest_tables set min_retention_days = 183 where category = 'logData';

-- Creates (if missing) the partition of an interface table that holds `at`, and returns its name. Security definer:
-- partitions belong to the owner of the parent table; the app role may only call this.
create function zy_ingest_ensure_partition(p_table text, p_at timestamptz) returns text
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  t ingest_tables%rowtype;
  local_start timestamp;
  lower_bound timestamptz;
  upper_bound timestamptz;
  part text;
begin
  select * into t from ingest_tables where name = p_table;
  if not found then
    raise exception 'unknown interface table %', p_table using errcode = '22023';
  end if;
  local_start := date_trunc(t.partition_unit, p_at at time zone 'Asia/Shanghai');
  lower_bound := local_start at time zone 'Asia/Shanghai';
  upper_bound := (local_start + case when t.partition_unit = 'day' then interval '1 day' else interval '1 month' end) at time zone 'Asia/Shanghai';
  part := t.sql_table || '_p' || to_char(local_start, case when t.partition_unit = 'day' then 'YYYYMMDD' else 'YYYYMM' end);
  if to_regclass(part) is null then
    perform pg_advisory_xact_lock(hashtext('zy_ingest_partition'), hashtext(part));
    if to_regclass(part) is null then
      execute format('create table %I partition of %I for values from (%L) to (%L)', part, t.sql_table, lower_bound, upper_bound);
    end if;
  end if;
  return part;
end $$;
revoke all on function zy_ingest_ensure_partition(text, timestamptz) from public;
grant execute on function zy_ingest_ensure_partition(text, timestamptz) to zhengyun_app;

-- Drops the partitions of an interface table that end before now - retention_days; returns the names dropped.
create function zy_ingest_drop_partitions(p_table text) returns setof text
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  t ingest_tables%rowtype;
  r record;
  cutoff timestamptz;
begin
  select * into t from ingest_tables where name = p_table;
  if not found then
    raise exception 'unknown interface table %', p_table using errcode = '22023';
  end if;
  cutoff := now() - make_interval(days => greatest(t.retention_days, t.min_retention_days));
  for r in
    select c.relname, pg_get_expr(c.relpartbound, c.oid) as bound
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = t.sql_table::regclass
  loop
    if (regexp_match(r.bound, $re$TO \('([^']+)'\)$re$))[1]::timestamptz <= cutoff then
      execute format('drop table %I', r.relname);
      return next r.relname;
    end if;
  end loop;
end $$;
revoke all on function zy_ingest_drop_partitions(text) from public;
grant execute on function zy_ingest_drop_partitions(text) to zhengyun_app;

insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'ingest:read'), ('mgmt_staff', 'ingest:config'), ('mgmt_staff', 'inventory:read'), ('mgmt_staff', 'quality:read'),
  ('supervisor_staff', 'ingest:read'), ('supervisor_staff', 'inventory:read'), ('supervisor_staff', 'quality:read'),
  ('provider_admin', 'ingest:read'), ('provider_admin', 'ingest:credential'), ('provider_admin', 'inventory:read'), ('provider_admin', 'quality:read'),
  ('provider_staff', 'ingest:read'), ('provider_staff', 'inventory:read'), ('provider_staff', 'quality:read'),
  ('unit_admin', 'inventory:read'),
  ('unit_staff', 'inventory:read')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
