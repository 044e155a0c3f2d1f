-- Monitoring: the bandwidth of each provider's network access links (云平台网络接入 IP 数据, daily full list), kept by
-- the metric store to turn 应用系统网络出口使用数据 peaks into link usage (%). A batch replaces the provider's rows.
create table monitoring_links (
  provider_org_id uuid not null references organisations(id),
  network_type text not null,
  machine_room text not null default '',
  carrier text not null default '',
  primary_mbps numeric not null check (primary_mbps >= 0),
  backup_mbps numeric check (backup_mbps >= 0),
  batch_id bigint not null,
  reported_at timestamptz not null,
  primary key (provider_org_id, network_type, machine_room, carrier)
);

alter table monitoring_links enable row level security;
alter table monitoring_links force row level security;
create policy monitoring_links_scope on monitoring_links
  using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = monitoring_links.provider_org_id)))
  with check (zy_business_access() and zy_scope_all());
