-- Monitoring: (1) the hourly rollup keeps its twelve 5-minute values (slots[1..12], null = no point) so a batch
-- merges its points into the bucket without reading raw points back; null slots = the bucket holds a point off the
-- 5-minute grid (recomputed from raw points, as before). (2) The 20 % free short-term expansion (临时扩容).

alter table monitoring_hourly add column slots double precision[];

-- Buckets whose raw points are still kept and all lie on the 5-minute grid get their slots now.
update monitoring_hourly h set slots = x.slots
from (
  select y.series_id, y.metric, y.hour, array_agg(y.v order by y.g) as slots
  from (
    select b.series_id, b.metric, b.hour, g, p.value as v
    from (select series_id, metric, date_trunc('hour', at) as hour from monitoring_points
          group by 1, 2, 3 having bool_and(extract(epoch from at) % 300 = 0)) b
    cross join generate_series(0, 11) g
    left join monitoring_points p on p.series_id = b.series_id and p.metric = b.metric and p.at = b.hour + make_interval(mins => 5 * g)
  ) y
  group by 1, 2, 3
) x
where h.series_id = x.series_id and h.metric = x.metric and h.hour = x.hour;

-- 临时扩容 (seed 004: free short-term expansion of cloud resources of at most 20 % of the unit's original
-- resources): recorded by the provider or the management unit, never billed.
create table monitoring_expansions (
  id uuid primary key default gen_random_uuid(),
  unit_org_id uuid not null references organisations(id),
  provider_org_id uuid not null references organisations(id),
  system_id uuid references information_systems(id),
  resource_id uuid references inventory_resources(id),
  resource_key text not null check (resource_key in ('cpuCores','memoryGb','standardStorageGb','highPerfStorageGb','staticStorageGb','localVideoStorageGb','offsiteStorageGb','bandwidthMbps')),
  amount numeric(18, 2) not null check (amount > 0),
  original_amount numeric(18, 2) not null check (original_amount >= 0),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  reason text not null check (char_length(reason) between 1 and 500),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  cancelled_at timestamptz,
  cancelled_by uuid references users(id),
  check (ends_at > starts_at)
);
create index monitoring_expansions_unit_idx on monitoring_expansions (unit_org_id, provider_org_id, resource_key, ends_at);

alter table monitoring_expansions enable row level security;
alter table monitoring_expansions force row level security;
create policy monitoring_expansions_scope on monitoring_expansions
  using (zy_business_access()
         and (zy_scope_all()
              or exists (select 1 from organisations o where o.id = monitoring_expansions.provider_org_id)
              or exists (select 1 from organisations o where o.id = monitoring_expansions.unit_org_id)))
  with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = monitoring_expansions.provider_org_id)));
