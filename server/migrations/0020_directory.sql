-- Directory (issue 3, part 1): machine rooms (机房) and network zones (网络区域) of each cloud node, and the user units'
-- information systems (信息系统) with the attribute set of 业务系统数据 (interfaces.json), their per-unit numbering and
-- their change history. Rooms and zones are public directory information (no RLS, like cloud_nodes); systems belong
-- to a user unit (unit_id) and are visible when the unit is, or to the provider that runs the system's node.

create table machine_rooms (
  id uuid primary key default gen_random_uuid(),
  node_id uuid not null references cloud_nodes(id),
  -- 机房 is an4 in the interface tables: a 4-character code.
  code text not null check (code ~ '^[A-Za-z0-9]{4}$'),
  name text not null check (char_length(name) between 1 and 50),
  address text check (char_length(address) <= 200),
  status text not null default 'active' check (status in ('active','retired')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (node_id, code)
);

-- 网络区域: 电子政务外网区, 互联网区 and the 安全数据交换区 between them (requirements §0.2).
create table network_zones (
  id uuid primary key default gen_random_uuid(),
  node_id uuid not null references cloud_nodes(id),
  zone_type text not null check (zone_type in ('gov_extranet','internet','exchange')),
  name text not null check (char_length(name) between 1 and 50),
  cidrs text[] not null default '{}',
  description text check (char_length(description) <= 500),
  status text not null default 'active' check (status in ('active','retired')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (node_id, name)
);

-- Next system sequence number per unit: one row per unit, bumped with insert … on conflict do update (row lock),
-- so two concurrent creates get different numbers.
create table information_system_sequences (
  unit_id uuid primary key references organisations(id),
  last_seq integer not null check (last_seq > 0)
);

create table information_systems (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid not null references organisations(id),
  seq integer not null check (seq > 0),
  system_no text not null unique check (char_length(system_no) between 1 and 50),
  node_id uuid not null references cloud_nodes(id),
  machine_room_id uuid references machine_rooms(id),
  name text not null check (char_length(name) between 1 and 200),
  system_type text not null check (system_type in ('业务生产系统','内部办公','公众服务','门户网站','移动APP','视频系统','其他')),
  grading_level text not null check (grading_level in ('一级','二级','三级','未定级')),
  operating_hours text not null check (char_length(operating_hours) between 1 and 50),
  service_audience text check (char_length(service_audience) <= 200),
  service_scope text check (char_length(service_scope) <= 200),
  network_nature text not null check (network_nature in ('政务外网','互联网','政务外网及互联网','专线')),
  interconnection text check (char_length(interconnection) <= 50),
  function_description text check (char_length(function_description) <= 8000),
  pre_approval_status text check (char_length(pre_approval_status) <= 200),
  other_notes text check (char_length(other_notes) <= 200),
  cloud_test_date date,
  go_live_date date,
  exit_date date,
  exit_reason text check (char_length(exit_reason) <= 200),
  access_url text check (char_length(access_url) <= 200),
  app_vendor text check (char_length(app_vendor) <= 200),
  contact_name text not null check (char_length(contact_name) between 1 and 50),
  -- Personal data, SM4-encrypted by the application (FieldCipher).
  contact_mobile_enc text not null,
  contact_email_enc text not null,
  contact_landline_enc text,
  tech_contact_name text check (char_length(tech_contact_name) <= 50),
  tech_contact_mobile_enc text,
  status text not null default 'active' check (status in ('active','retired')),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (unit_id, seq),
  check (exit_date is null or go_live_date is null or exit_date >= go_live_date)
);
create index information_systems_node_idx on information_systems (node_id);

create table information_system_changes (
  id bigserial primary key,
  system_id uuid not null references information_systems(id),
  action text not null check (action in ('create','update','retire')),
  -- Changed fields only; personal fields are recorded masked.
  before jsonb not null default '{}',
  after jsonb not null default '{}',
  changed_by uuid references users(id),
  changed_by_name text,
  changed_at timestamptz not null default now()
);
create index information_system_changes_system_idx on information_system_changes (system_id, id);

alter table information_system_sequences enable row level security;
alter table information_system_sequences force row level security;
create policy information_system_sequences_scope on information_system_sequences
  using (exists (select 1 from organisations o where o.id = information_system_sequences.unit_id))
  with check (exists (select 1 from organisations o where o.id = information_system_sequences.unit_id));

-- Readable by whoever sees the unit, and by the provider running the node; written only within the unit's scope.
-- The three administrators (business_access off) see none.
alter table information_systems enable row level security;
alter table information_systems force row level security;
create policy information_systems_read on information_systems for select
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (exists (select 1 from organisations o where o.id = information_systems.unit_id)
              or exists (select 1 from cloud_nodes n join organisations p on p.id = n.provider_org_id
                         where n.id = information_systems.node_id)));
create policy information_systems_insert on information_systems for insert
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and exists (select 1 from organisations o where o.id = information_systems.unit_id));
create policy information_systems_update on information_systems for update
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and exists (select 1 from organisations o where o.id = information_systems.unit_id))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and exists (select 1 from organisations o where o.id = information_systems.unit_id));

alter table information_system_changes enable row level security;
alter table information_system_changes force row level security;
create policy information_system_changes_scope on information_system_changes
  using (exists (select 1 from information_systems s where s.id = information_system_changes.system_id))
  with check (exists (select 1 from information_systems s where s.id = information_system_changes.system_id));

insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'directory:read'), ('mgmt_staff', 'system:read'),
  ('supervisor_staff', 'directory:read'), ('supervisor_staff', 'system:read'),
  ('system_admin', 'directory:read'), ('system_admin', 'directory:write'),
  ('provider_admin', 'directory:read'), ('provider_admin', 'system:read'),
  ('provider_staff', 'directory:read'), ('provider_staff', 'system:read'),
  ('unit_admin', 'directory:read'), ('unit_admin', 'system:read'), ('unit_admin', 'system:write'),
  ('unit_staff', 'directory:read'), ('unit_staff', 'system:read'), ('unit_staff', 'system:write')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
