-- Operations supervision (issue 15), part 7: machine-room filing (机房信息备案) of providers and the access records
-- (机房出入记录: identity, time, work) kept at least 365 days (the retention job deletes only older rows).
create table ops_machine_rooms (
  id uuid primary key default gen_random_uuid(),
  provider_org_id uuid not null references organisations(id),
  node_id uuid not null references cloud_nodes(id),
  name text not null check (char_length(name) between 1 and 100),
  address text not null check (char_length(address) between 1 and 300),
  racks integer not null check (racks between 0 and 100000),
  power_kw integer not null check (power_kw between 0 and 1000000),
  -- the monitoring object whose temperature / humidity / UPS series belong to this room (environment-data link)
  environment_object text check (char_length(environment_object) <= 200),
  filed_on date not null,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  unique (provider_org_id, name)
);

create table ops_room_access (
  id uuid primary key default gen_random_uuid(),
  room_id uuid not null references ops_machine_rooms(id) on delete cascade,
  provider_org_id uuid not null references organisations(id),
  person text not null check (char_length(person) between 1 and 50),
  company text not null check (char_length(company) between 1 and 100),
  work text not null check (char_length(work) between 1 and 1000),
  entered_at timestamptz not null,
  left_at timestamptz,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  check (left_at is null or left_at >= entered_at)
);
create index ops_room_access_room_idx on ops_room_access (room_id, entered_at desc);
create index ops_room_access_entered_brin on ops_room_access using brin (entered_at);

do $$
declare
  t text;
begin
  foreach t in array array['ops_machine_rooms','ops_room_access'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format($p$create policy %I on %I
      using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = %I.provider_org_id)))
      with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = %I.provider_org_id)))$p$,
      t || '_scope', t, t, t);
  end loop;
end $$;
