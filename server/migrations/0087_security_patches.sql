-- Patch compliance (补丁合规, issue 13 §3) from the pushed 安全补丁安装数据 (weekly): one row per host × patch as the
-- provider last reported it, linked to the inventory host (and so its system and unit). The release and installation
-- times are free text in the interface standard (an1..50): kept as sent, parsed where they are dates.
create table security_patches (
  id uuid primary key default gen_random_uuid(),
  provider_org_id uuid not null references organisations(id),
  node_id uuid references cloud_nodes(id),
  cloud_host_id text not null,
  resource_id uuid,
  unit_org_id uuid references organisations(id),
  system_id uuid references information_systems(id),
  patch_name text not null,
  patch_type text,
  released_text text,
  released_on date,
  installed_text text,
  installed_on date,
  checked_by text,
  first_reported_at timestamptz not null,
  last_reported_at timestamptz not null,
  last_batch_id bigint not null,
  unique (provider_org_id, cloud_host_id, patch_name)
);
create index security_patches_open_idx on security_patches (provider_org_id, released_on) where installed_on is null;

alter table security_patches enable row level security;
alter table security_patches force row level security;
create policy security_patches_scope on security_patches
  using (zy_business_access()
         and (zy_scope_all()
              or exists (select 1 from organisations o where o.id = security_patches.provider_org_id)
              or (unit_org_id is not null and exists (select 1 from organisations o where o.id = security_patches.unit_org_id))))
  with check (zy_business_access() and zy_scope_all());
