-- Monitoring: alert → service-desk ticket (重要/紧急 alerts), flap suppression beyond hysteresis.

-- The ticket an alert opened through the service desk's SourceTicketHook, and the state last handed to it: 'open'
-- while the alert lasts, 'cleared' once its resolution was passed on. A hook call that failed (desk down, crash
-- between commit and call) is retried by the next evaluation: alerts whose state differs from what the desk was told.
alter table monitoring_alerts add column ticket_id uuid;
alter table monitoring_alerts add column ticket_state text check (ticket_state in ('open','cleared'));
-- Fired while its object was flapping: notifications and the ticket are held back until the object is stable.
alter table monitoring_alerts add column flapping boolean not null default false;
create index monitoring_alerts_ticket_idx on monitoring_alerts (rule_id) where severity in ('major','critical') and (ticket_state is distinct from 'cleared');

alter table monitoring_alert_events drop constraint monitoring_alert_events_action_check;
alter table monitoring_alert_events add constraint monitoring_alert_events_action_check
  check (action in ('fired','acknowledged','escalated','resolved','flapping','stable'));

-- Flap suppression: more than flap_threshold transitions (fired or resolved) of one rule × object within
-- flap_window_minutes marks the object flapping; it is stable again at ⌊flap_threshold / 2⌋ transitions or fewer.
alter table monitoring_settings add column flap_threshold integer not null default 4 check (flap_threshold between 2 and 100);
alter table monitoring_settings add column flap_window_minutes integer not null default 60 check (flap_window_minutes between 10 and 1440);

-- One row per rule × object while it is flapping (ended_at null) and afterwards for the record.
create table monitoring_flapping (
  id bigserial primary key,
  rule_id uuid not null references monitoring_rules(id) on delete cascade,
  series_id bigint not null references monitoring_series(id) on delete cascade,
  started_at timestamptz not null,
  transitions integer not null,
  ended_at timestamptz,
  check (ended_at is null or ended_at >= started_at)
);
create unique index monitoring_flapping_open_key on monitoring_flapping (rule_id, series_id) where ended_at is null;
create index monitoring_flapping_series_idx on monitoring_flapping (series_id, started_at desc);

-- Follows its series, as the points and rollups do; written by the evaluation (system context) only.
alter table monitoring_flapping enable row level security;
alter table monitoring_flapping force row level security;
create policy monitoring_flapping_scope on monitoring_flapping
  using (current_setting('zhengyun.business_access', true) = 'on'
         and (current_setting('zhengyun.scope_all', true) = 'on' or exists (select 1 from monitoring_series s where s.id = monitoring_flapping.series_id)))
  with check (current_setting('zhengyun.business_access', true) = 'on' and current_setting('zhengyun.scope_all', true) = 'on');
