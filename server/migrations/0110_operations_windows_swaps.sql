-- Operations supervision (issue 15), part 3: the planned-work contract and duty swaps.
--
-- Planned maintenance windows (计划性变更窗口) for monitoring and availability: a change records which of its impacted
-- inventory resources are hosts (cloud hosts, physical devices), so consumers can exclude those hosts' probes.
alter table ops_changes add column impacted_host_ids uuid[] not null default '{}';
-- Backfill from the inventory (read only): the impacted resources that are hosts.
update ops_changes c set impacted_host_ids = array(
  select r.id from inventory_resources r where r.id = any(c.impacted_resource_ids) and r.kind in ('cloud_host', 'physical_device'))
where cardinality(c.impacted_resource_ids) > 0;
create index ops_changes_window_idx on ops_changes (window_start, window_end) where status in ('approved', 'implemented');

-- Duty swaps (换班): the requester gives up a shift; the counterpart takes it (and, for a swap, gives one back);
-- the counterpart accepts, the duty manager (operations:manage, or the organisation's admin) approves, then the
-- shifts are exchanged — only if the organisation's 7×24 coverage and the no-overlap rule still hold.
create table ops_duty_swaps (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations(id),
  shift_id uuid not null references ops_duty_shifts(id) on delete cascade,
  -- the shift the counterpart gives back (a swap), or null (the counterpart only takes the shift: 代班)
  counter_shift_id uuid references ops_duty_shifts(id) on delete cascade,
  requester text not null check (char_length(requester) between 1 and 50),
  counterpart text not null check (char_length(counterpart) between 1 and 50),
  counterpart_phone text check (char_length(counterpart_phone) <= 30),
  -- the part of the shift the counterpart covers (部分代班); null: the whole shift. The requester is released from all of it.
  cover_from timestamptz,
  cover_to timestamptz,
  reason text not null check (char_length(reason) between 1 and 1000),
  status text not null default 'requested' check (status in ('requested','accepted','approved','declined','rejected','cancelled')),
  accepted_at timestamptz,
  decided_at timestamptz,
  decided_by uuid references users(id),
  decision_note text check (char_length(decision_note) <= 1000),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  check (counter_shift_id is null or counter_shift_id <> shift_id),
  check ((cover_from is null) = (cover_to is null) and (cover_to is null or cover_to > cover_from))
);
create index ops_duty_swaps_org_idx on ops_duty_swaps (org_id, status);

alter table ops_duty_swaps enable row level security;
alter table ops_duty_swaps force row level security;
create policy ops_duty_swaps_scope on ops_duty_swaps
  using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_duty_swaps.org_id)))
  with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_duty_swaps.org_id)));

-- Approving duty swaps: the duty manager of the organisation (a provider's admin; management and supervision staff).
insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values ('mgmt_staff', 'operations:duty_approve'), ('supervisor_staff', 'operations:duty_approve'), ('provider_admin', 'operations:duty_approve')) as p(code, permission) on p.code = r.code
on conflict do nothing;
