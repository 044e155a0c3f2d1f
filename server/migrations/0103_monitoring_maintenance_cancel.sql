-- Monitoring: a maintenance window can be changed and cancelled (停用); a cancelled window suppresses nothing.
alter table monitoring_maintenance add column cancelled_at timestamptz;
alter table monitoring_maintenance add column cancelled_by uuid references users(id);
alter table monitoring_maintenance add column updated_at timestamptz not null default now();
