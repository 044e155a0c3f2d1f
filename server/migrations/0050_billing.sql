-- Metering (计量), monthly bills (账单) and reconciliation (对账) — issue 5, docs/billing.md.
-- Usage is written by the daily metering job (system context) from the inventory; bills by the management unit's
-- bill run. Read by the provider (its receivables), the user unit (its own bills) and scope-all readers (management
-- unit, supervision provider). The three administrators (business_access off) read none.

-- One row per resource × catalog item × day, in the item's billing unit. A quantity the catalog has no item for is
-- kept as an unmapped row (item_code null, reason set): recorded, never priced, never guessed.
-- Derived data, rewritten per day: no foreign keys (five key checks per row made metering 50,000 resources take
-- seconds more; the rows are written only by the metering job from rows it has just read).
create table billing_usage (
  day date not null,
  month date not null check (month = date_trunc('month', day)::date),
  resource_id uuid not null,
  -- The inventory quantity the row comes from (cpuCores, memoryGb, …, or 'count' for one-per-resource items).
  source_key text not null check (char_length(source_key) between 1 and 40),
  resource_kind text not null,
  provider_org_id uuid not null,
  node_id uuid not null,
  unit_org_id uuid,
  system_id uuid,
  system_no text,
  item_code text,
  item_kind text check (item_kind in ('basic','baseline','extension')),
  -- Quantity in the item's billing unit (8505 GB for `100 GB` → 85.05); the source quantity as reported.
  quantity numeric(20,6) not null check (quantity >= 0),
  source_quantity numeric(20,6) not null,
  billing_unit text,
  unmapped_reason text check (char_length(unmapped_reason) <= 300),
  check ((item_code is null) = (unmapped_reason is not null)),
  primary key (month, resource_id, source_key, day)
);
create index billing_usage_bill_idx on billing_usage (month, unit_org_id, provider_org_id);

-- Monthly bill per user unit (agency) × provider.
create table billing_bills (
  id uuid primary key default gen_random_uuid(),
  month date not null check (extract(day from month) = 1),
  unit_org_id uuid not null references organisations(id),
  provider_org_id uuid not null references organisations(id),
  -- Names when computed: a provider reads its bills without seeing the unit's organisation row, and vice versa.
  unit_name text not null,
  provider_name text not null,
  status text not null default 'draft' check (status in ('draft','provider_confirmed','unit_confirmed','locked')),
  total numeric(16,2) not null default 0,
  -- Lines whose price is missing (no approved price list / item not priced on a day in force): not in the total.
  price_missing_count integer not null default 0,
  computed_at timestamptz not null default now(),
  provider_confirmed_at timestamptz,
  provider_confirmed_by uuid references users(id),
  unit_confirmed_at timestamptz,
  unit_confirmed_by uuid references users(id),
  locked_at timestamptz,
  locked_by uuid references users(id),
  unique (month, unit_org_id, provider_org_id)
);
create index billing_bills_provider_idx on billing_bills (provider_org_id, month);
create index billing_bills_unit_idx on billing_bills (unit_org_id, month);

-- Lines: system × item × price segment (the price list in force and its unit price), or an adjustment.
create table billing_bill_lines (
  id uuid primary key default gen_random_uuid(),
  bill_id uuid not null references billing_bills(id) on delete cascade,
  line_type text not null check (line_type in ('usage','adjustment')),
  node_id uuid,
  system_id uuid,
  system_no text,
  system_name text,
  item_code text,
  item_name text,
  item_kind text,
  billing_unit text,
  price_list_id uuid,
  price_list_version integer,
  unit_price numeric(14,2),
  billing_period text,
  -- Σ daily quantity (quantity-days) and the number of resource-days; average quantity = quantity_days / days in month.
  quantity_days numeric(24,6),
  resource_days integer,
  amount numeric(16,2),
  -- 'ok' | 'price_missing' | 'period_unsupported'
  price_status text not null default 'ok' check (price_status in ('ok','price_missing','period_unsupported')),
  adjustment_id uuid,
  reason text
);
create unique index billing_bill_lines_key on billing_bill_lines (bill_id, line_type, coalesce(node_id, '00000000-0000-0000-0000-000000000000'::uuid), coalesce(system_no, ''),
  coalesce(system_id, '00000000-0000-0000-0000-000000000000'::uuid), coalesce(billing_unit, ''), coalesce(item_code, ''),
  coalesce(price_list_id, '00000000-0000-0000-0000-000000000000'::uuid), coalesce(unit_price, -1), coalesce(adjustment_id, '00000000-0000-0000-0000-000000000000'::uuid));

-- Corrections of a locked bill, carried as adjustment lines on the same unit × provider's bill of a later month.
create table billing_adjustments (
  id uuid primary key default gen_random_uuid(),
  locked_bill_id uuid not null references billing_bills(id),
  target_month date not null check (extract(day from target_month) = 1),
  unit_org_id uuid not null references organisations(id),
  provider_org_id uuid not null references organisations(id),
  system_no text,
  item_code text,
  amount numeric(16,2) not null check (amount <> 0),
  reason text not null check (char_length(reason) between 1 and 500),
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index billing_adjustments_target_idx on billing_adjustments (target_month, unit_org_id, provider_org_id);

-- Disputes (异议) with comments; attachments stored with their SM3 digest (≤ 5 MB each).
create table billing_disputes (
  id uuid primary key default gen_random_uuid(),
  bill_id uuid not null references billing_bills(id),
  author_id uuid references users(id),
  author_org_id uuid references organisations(id),
  comment text not null check (char_length(comment) between 1 and 2000),
  status text not null default 'open' check (status in ('open','resolved')),
  resolved_by uuid references users(id),
  resolved_at timestamptz,
  resolution text check (char_length(resolution) <= 2000),
  created_at timestamptz not null default now()
);
create index billing_disputes_bill_idx on billing_disputes (bill_id, created_at);

create table billing_attachments (
  id uuid primary key default gen_random_uuid(),
  dispute_id uuid not null references billing_disputes(id),
  file_name text not null check (char_length(file_name) between 1 and 200),
  sm3 text not null check (sm3 ~ '^[0-9a-f]{64}$'),
  size_bytes integer not null check (size_bytes between 0 and 5242880),
  content bytea not null,
  created_at timestamptz not null default now()
);
create index billing_attachments_dispute_idx on billing_attachments (dispute_id);

-- Row-level security: scope-all readers on the setting alone; others by the provider or unit of the bill.
alter table billing_usage enable row level security;
alter table billing_usage force row level security;
create policy billing_usage_scope on billing_usage
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = billing_usage.provider_org_id)
              or exists (select 1 from organisations o where o.id = billing_usage.unit_org_id)))
  with check (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');

alter table billing_bills enable row level security;
alter table billing_bills force row level security;
create policy billing_bills_scope on billing_bills
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = billing_bills.provider_org_id)
              or exists (select 1 from organisations o where o.id = billing_bills.unit_org_id)))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
                   or exists (select 1 from organisations o where o.id = billing_bills.provider_org_id)
                   or exists (select 1 from organisations o where o.id = billing_bills.unit_org_id)));

alter table billing_bill_lines enable row level security;
alter table billing_bill_lines force row level security;
create policy billing_bill_lines_scope on billing_bill_lines
  using (exists (select 1 from billing_bills b where b.id = billing_bill_lines.bill_id))
  with check (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');

alter table billing_adjustments enable row level security;
alter table billing_adjustments force row level security;
create policy billing_adjustments_scope on billing_adjustments
  using (exists (select 1 from billing_bills b where b.id = billing_adjustments.locked_bill_id))
  with check (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');

alter table billing_disputes enable row level security;
alter table billing_disputes force row level security;
create policy billing_disputes_scope on billing_disputes
  using (exists (select 1 from billing_bills b where b.id = billing_disputes.bill_id))
  with check (exists (select 1 from billing_bills b where b.id = billing_disputes.bill_id));

alter table billing_attachments enable row level security;
alter table billing_attachments force row level security;
create policy billing_attachments_scope on billing_attachments
  using (exists (select 1 from billing_disputes d where d.id = billing_attachments.dispute_id))
  with check (exists (select 1 from billing_disputes d where d.id = billing_attachments.dispute_id));

-- A locked bill never changes: neither its row (but for nothing) nor its lines.
create function zy_billing_locked_guard() returns trigger language plpgsql as $$
declare
  st text;
begin
  if tg_table_name = 'billing_bills' then
    if old.status = 'locked' then
      raise exception 'billing.bill_locked: bill % is locked', old.id using errcode = '42501';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  if tg_op = 'INSERT' then
    select status into st from billing_bills where id = new.bill_id;
  else
    select status into st from billing_bills where id = old.bill_id;
  end if;
  if st = 'locked' then
    raise exception 'billing.bill_locked: lines of a locked bill never change' using errcode = '42501';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger billing_bills_locked before update or delete on billing_bills
  for each row execute function zy_billing_locked_guard();
create trigger billing_bill_lines_locked before insert or update or delete on billing_bill_lines
  for each row execute function zy_billing_locked_guard();

insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'billing:read'), ('mgmt_staff', 'billing:manage'),
  ('supervisor_staff', 'billing:read'),
  ('provider_admin', 'billing:read'), ('provider_admin', 'billing:confirm'),
  ('provider_staff', 'billing:read'), ('provider_staff', 'billing:confirm'),
  ('unit_admin', 'billing:read'), ('unit_admin', 'billing:confirm'),
  ('unit_staff', 'billing:read'), ('unit_staff', 'billing:confirm')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
