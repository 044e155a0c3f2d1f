-- Operations supervision (issue 15), part 6: the qualification update window after a policy change (seed 004
-- §4.3.2.1): a policy change (政策调整) the management unit records names the providers it affects; each must update
-- its operating qualification (运营资质) within 3 months — until then new business is suspended (入云 refused) — and
-- one that has not after 6 months reaches the exit threshold (按照退出机制处理).
create table ops_policy_changes (
  id uuid primary key default gen_random_uuid(),
  title text not null check (char_length(title) between 1 and 200),
  description text not null check (char_length(description) between 1 and 5000),
  announced_on date not null,
  provider_org_ids uuid[] not null check (cardinality(provider_org_ids) between 1 and 200),
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);

create table ops_policy_updates (
  id uuid primary key default gen_random_uuid(),
  policy_change_id uuid not null references ops_policy_changes(id) on delete cascade,
  provider_org_id uuid not null references organisations(id),
  updated_on date not null,
  note text not null check (char_length(note) between 1 and 2000),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  unique (policy_change_id, provider_org_id)
);

-- Policy changes are public to business users (every provider must know them); writes are checked in the service
-- (operations:manage). Updates belong to their provider.
alter table ops_policy_changes enable row level security;
alter table ops_policy_changes force row level security;
create policy ops_policy_changes_scope on ops_policy_changes using (zy_business_access()) with check (zy_business_access() and zy_scope_all());
alter table ops_policy_updates enable row level security;
alter table ops_policy_updates force row level security;
create policy ops_policy_updates_scope on ops_policy_updates
  using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_policy_updates.provider_org_id)))
  with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_policy_updates.provider_org_id)));
