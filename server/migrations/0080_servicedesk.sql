-- Unified service desk (统一工单, issue 12; requirements §a.3, §a.4, §b.6, §b.7): tickets of every kind with a
-- lifecycle, dispatch to the provider running the resource, claim with optimistic concurrency, SLA clocks computed from
-- the ticket's history and the business calendar, idempotent escalation steps, satisfaction; knowledge base with Chinese
-- full-text search (jieba segmentation done in TypeScript into a 'simple' tsvector); announcements with read receipts.

create sequence sd_tickets_no_seq;

create table sd_tickets (
  id uuid primary key default gen_random_uuid(),
  ticket_no text not null unique default ('GD' || to_char(now() at time zone 'Asia/Shanghai', 'YYYYMM') || lpad(nextval('sd_tickets_no_seq')::text, 7, '0')),
  -- fault 故障, event 事件, service_request 服务请求, resource_change 资源变更, security_policy 安全策略,
  -- consultation 入云咨询, complaint 投诉, rectification 整改通知, hazard 安全隐患通知单.
  kind text not null check (kind in ('fault','event','service_request','resource_change','security_policy','consultation',
                                     'complaint','rectification','hazard')),
  title text not null check (char_length(title) between 1 and 200),
  description text not null default '' check (char_length(description) <= 10000),
  status text not null default 'new' check (status in ('new','assigned','in_progress','pending','resolved','closed','cancelled')),
  -- 1 紧急 … 4 低, from impact × urgency (each 1 high … 3 low).
  impact smallint not null check (impact between 1 and 3),
  urgency smallint not null check (urgency between 1 and 3),
  priority smallint not null check (priority between 1 and 4),
  -- 事件定级 (events only): a level code of sd_event_grades.
  event_level text,
  escalated boolean not null default false,
  reopen_count integer not null default 0,
  channel text not null check (channel in ('portal','phone','email','alert','outage','api')),
  -- Producer of an automatic ticket (SourceTicketHook) and its record id: one open ticket per (source, source_id).
  source text check (source in ('alert','outage','capacity','vulnerability','security_event','inspection','platform_change')),
  source_id text,
  severity text check (severity in ('info','minor','major','critical')),
  reporter_user_id uuid references users(id),
  reporter_name text,
  reporter_phone text,
  unit_id uuid references organisations(id),
  system_id uuid references information_systems(id),
  provider_id uuid references organisations(id),
  node_id uuid references cloud_nodes(id),
  resource_ids uuid[] not null default '{}',
  assignee_user_id uuid references users(id),
  -- An application's work order (module applications; no foreign key: another module's table).
  work_order_id uuid,
  application_id uuid,
  merged_into_id uuid references sd_tickets(id),
  related_ids uuid[] not null default '{}',
  kb_article_id uuid,
  -- The SLA targets fixed when the ticket was opened (minutes, the shortest applicable target), and how time counts.
  targets jsonb not null,
  schedule text not null default 'clock' check (schedule in ('clock','office')),
  key_period boolean not null default false,
  opened_at timestamptz not null,
  responded_at timestamptz,
  onsite_at timestamptz,
  restored_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  -- Pauses while pending: [{"from": iso, "to": iso|null}], appended by the transitions (mirrors the history).
  pauses jsonb not null default '[]',
  rating smallint check (rating between 1 and 5),
  rating_comment text check (char_length(rating_comment) <= 1000),
  rated_at timestamptz,
  fault_report jsonb,
  fault_report_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((source is null) = (source_id is null))
);
-- The dedup key of automatic tickets while they are open: a repeat from the same source record updates the ticket.
create unique index sd_tickets_source_open_uq on sd_tickets (source, source_id)
  where source is not null and status not in ('resolved','closed','cancelled');
create index sd_tickets_open_provider_idx on sd_tickets (provider_id, opened_at) where status not in ('resolved','closed','cancelled');
-- The provider queue's order (priority, then oldest first): page 1 is an index range, no sort.
create index sd_tickets_queue_idx on sd_tickets (provider_id, priority, opened_at, id) where status in ('new','assigned','in_progress','pending');
create index sd_tickets_unit_idx on sd_tickets (unit_id, opened_at desc);
create index sd_tickets_provider_idx on sd_tickets (provider_id, opened_at desc);
create index sd_tickets_reporter_idx on sd_tickets (reporter_user_id, opened_at desc);
create index sd_tickets_opened_idx on sd_tickets (opened_at);
create index sd_tickets_status_idx on sd_tickets (status, opened_at desc);

create table sd_ticket_events (
  id bigserial primary key,
  ticket_id uuid not null references sd_tickets(id),
  at timestamptz not null default now(),
  kind text not null check (kind in ('created','assigned','claimed','transferred','status','comment','escalated','merged',
                                     'source_update','source_cleared','rated','fault_report','attachment','linked','sla')),
  from_status text,
  to_status text,
  actor_user_id uuid references users(id),
  actor_name text,
  visibility text not null default 'public' check (visibility in ('public','internal')),
  body text check (char_length(body) <= 10000),
  data jsonb not null default '{}'
);
create index sd_ticket_events_ticket_idx on sd_ticket_events (ticket_id, id);

-- SLA targets (服务时限) per kind × priority, optionally per contract or provider; the shortest applicable wins.
create table sd_sla_targets (
  id uuid primary key default gen_random_uuid(),
  kind text not null,
  priority smallint not null check (priority between 1 and 4),
  contract_id uuid references contracts(id),
  provider_id uuid references organisations(id),
  clock text not null check (clock in ('response','onsite','restore','resolution')),
  minutes integer not null check (minutes between 1 and 525600),
  schedule text not null default 'clock' check (schedule in ('clock','office')),
  note text,
  unique nulls not distinct (kind, priority, contract_id, provider_id, clock)
);

-- Escalation steps fired, once each per ticket × clock × stage (a restart never fires one twice nor loses one).
create table sd_escalations (
  ticket_id uuid not null references sd_tickets(id),
  clock text not null check (clock in ('response','onsite','restore','resolution')),
  stage text not null check (stage in ('warning','breach','manager','management')),
  due_at timestamptz not null,
  fired_at timestamptz not null default now(),
  primary key (ticket_id, clock, stage)
);

-- 事件定级: levels by impact scope and duration (configurable rows; the highest level whose thresholds are met wins).
create table sd_event_grades (
  code text primary key,
  name text not null,
  rank smallint not null unique,
  min_systems integer not null default 0,
  min_duration_minutes integer not null default 0,
  priority smallint not null check (priority between 1 and 4)
);

create table sd_attachments (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid references sd_tickets(id),
  article_id uuid,
  file_name text not null check (char_length(file_name) between 1 and 255),
  content_type text not null,
  size integer not null check (size between 0 and 20971520),
  sha256 text not null,
  content bytea not null,
  uploaded_by uuid references users(id),
  uploaded_at timestamptz not null default now(),
  check ((ticket_id is null) <> (article_id is null))
);
create index sd_attachments_ticket_idx on sd_attachments (ticket_id);

create table sd_kb_articles (
  id uuid primary key default gen_random_uuid(),
  category text not null check (char_length(category) between 1 and 50),
  title text not null check (char_length(title) between 1 and 200),
  body text not null check (char_length(body) <= 100000),
  -- public 所有单位 / providers 仅服务商 / internal 仅管理单位和监管方.
  visibility text not null check (visibility in ('public','providers','internal')),
  version integer not null default 1,
  status text not null default 'published' check (status in ('draft','published','archived')),
  -- jieba cut-for-search tokens joined by spaces, parsed with the 'simple' configuration; title weighted A, body B.
  tsv tsvector not null,
  author_org_id uuid references organisations(id),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sd_kb_articles_tsv_idx on sd_kb_articles using gin (tsv);

create table sd_kb_versions (
  article_id uuid not null references sd_kb_articles(id),
  version integer not null,
  title text not null,
  body text not null,
  edited_by uuid references users(id),
  edited_at timestamptz not null default now(),
  primary key (article_id, version)
);

create table sd_announcements (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('maintenance','policy','notice')),
  title text not null check (char_length(title) between 1 and 200),
  body text not null check (char_length(body) <= 20000),
  -- Organisation kinds addressed (empty: everyone signed in).
  audience text[] not null default '{}',
  valid_from timestamptz not null,
  valid_to timestamptz,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  check (valid_to is null or valid_to > valid_from)
);

create table sd_announcement_reads (
  announcement_id uuid not null references sd_announcements(id),
  user_id uuid not null references users(id),
  read_at timestamptz not null default now(),
  primary key (announcement_id, user_id)
);

-- Defaults from the seeds: fault response 15 min and on site 2 h (004 §4.1.1), emergency response 5 min (000/001),
-- outage response 5 min / on site 1 h / restore 4 h (001), in-cloud system fault response 30 min (000).
insert into sd_sla_targets (kind, priority, clock, minutes, schedule, note) values
  ('fault', 1, 'response', 5, 'clock', '001 §2.2.6 紧急故障 5 分钟响应'),
  ('fault', 1, 'onsite', 60, 'clock', '001 §2.2.6 1 小时到场'),
  ('fault', 1, 'restore', 240, 'clock', '000/001 4 小时恢复'),
  ('fault', 1, 'resolution', 480, 'clock', null),
  ('fault', 2, 'response', 10, 'clock', '000 重要系统 10 分钟'),
  ('fault', 2, 'onsite', 120, 'clock', '004 §4.1.1 2 小时到场'),
  ('fault', 2, 'restore', 240, 'clock', '000 4 小时恢复'),
  ('fault', 2, 'resolution', 1440, 'clock', null),
  ('fault', 3, 'response', 15, 'clock', '004 §4.1.1 15 分钟响应'),
  ('fault', 3, 'onsite', 120, 'clock', '004 §4.1.1 2 小时到场'),
  ('fault', 3, 'restore', 480, 'clock', null),
  ('fault', 3, 'resolution', 2880, 'clock', null),
  ('fault', 4, 'response', 30, 'clock', '000 入云系统故障 30 分钟响应'),
  ('fault', 4, 'restore', 1440, 'clock', null),
  ('fault', 4, 'resolution', 4320, 'clock', null),
  ('event', 1, 'response', 1, 'clock', '000/001 重大事件 1 分钟响应'),
  ('event', 1, 'restore', 240, 'clock', null),
  ('event', 2, 'response', 5, 'clock', '000/001 应急响应 5 分钟'),
  ('event', 2, 'restore', 240, 'clock', null),
  ('event', 3, 'response', 15, 'clock', null),
  ('event', 4, 'response', 30, 'clock', null),
  ('service_request', 1, 'response', 30, 'office', null), ('service_request', 1, 'resolution', 960, 'office', '2 个工作日'),
  ('service_request', 2, 'response', 60, 'office', null), ('service_request', 2, 'resolution', 1440, 'office', '3 个工作日'),
  ('service_request', 3, 'response', 120, 'office', null), ('service_request', 3, 'resolution', 2400, 'office', '5 个工作日'),
  ('service_request', 4, 'response', 240, 'office', null), ('service_request', 4, 'resolution', 2400, 'office', '5 个工作日'),
  ('resource_change', 3, 'response', 120, 'office', null), ('resource_change', 3, 'resolution', 2400, 'office', '5 个工作日'),
  ('security_policy', 3, 'response', 120, 'office', null), ('security_policy', 3, 'resolution', 1440, 'office', '3 个工作日'),
  ('consultation', 3, 'response', 240, 'office', null), ('consultation', 3, 'resolution', 1440, 'office', '3 个工作日'),
  ('complaint', 3, 'response', 120, 'office', null), ('complaint', 3, 'resolution', 2400, 'office', '5 个工作日'),
  ('rectification', 3, 'response', 480, 'office', '1 个工作日内回复'), ('rectification', 3, 'resolution', 4800, 'office', '10 个工作日整改'),
  ('hazard', 3, 'response', 480, 'office', '1 个工作日内回复'), ('hazard', 3, 'resolution', 2400, 'office', '5 个工作日整改');

insert into sd_event_grades (code, name, rank, min_systems, min_duration_minutes, priority) values
  ('general', '一般事件', 1, 0, 0, 3),
  ('larger', '较大事件', 2, 2, 60, 2),
  ('major', '重大事件', 3, 5, 240, 1),
  ('extraordinary', '特别重大事件', 4, 20, 720, 1);

-- Tickets: the unit's subtree (reporter side), the provider it is dispatched to, scope-all readers (management unit,
-- supervision provider). The three administrators see none.
alter table sd_tickets enable row level security;
alter table sd_tickets force row level security;
create policy sd_tickets_scope on sd_tickets
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
              or exists (select 1 from organisations o where o.id = sd_tickets.unit_id)
              or exists (select 1 from organisations o where o.id = sd_tickets.provider_id)))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
                   or exists (select 1 from organisations o where o.id = sd_tickets.unit_id)
                   or exists (select 1 from organisations o where o.id = sd_tickets.provider_id)));

alter table sd_ticket_events enable row level security;
alter table sd_ticket_events force row level security;
create policy sd_ticket_events_scope on sd_ticket_events
  using (exists (select 1 from sd_tickets t where t.id = sd_ticket_events.ticket_id))
  with check (exists (select 1 from sd_tickets t where t.id = sd_ticket_events.ticket_id));

alter table sd_escalations enable row level security;
alter table sd_escalations force row level security;
create policy sd_escalations_scope on sd_escalations
  using (exists (select 1 from sd_tickets t where t.id = sd_escalations.ticket_id))
  with check (exists (select 1 from sd_tickets t where t.id = sd_escalations.ticket_id));

alter table sd_attachments enable row level security;
alter table sd_attachments force row level security;
create policy sd_attachments_scope on sd_attachments
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
         and (ticket_id is null or exists (select 1 from sd_tickets t where t.id = sd_attachments.ticket_id)))
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on'
              and (ticket_id is null or exists (select 1 from sd_tickets t where t.id = sd_attachments.ticket_id)));

-- Reference data every business role reads; scope-all actors write it.
alter table sd_sla_targets enable row level security;
alter table sd_sla_targets force row level security;
create policy sd_sla_targets_read on sd_sla_targets for select
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on');
create policy sd_sla_targets_write on sd_sla_targets for all
  using (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on')
  with check (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');

alter table sd_event_grades enable row level security;
alter table sd_event_grades force row level security;
create policy sd_event_grades_read on sd_event_grades for select
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on');
create policy sd_event_grades_write on sd_event_grades for all
  using (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on')
  with check (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');

-- Articles: visibility is decided in the service per organisation kind; RLS keeps administrators out.
alter table sd_kb_articles enable row level security;
alter table sd_kb_articles force row level security;
create policy sd_kb_articles_scope on sd_kb_articles
  using (coalesce(current_setting('zhengyun.business_access', true), '') = 'on')
  with check (coalesce(current_setting('zhengyun.business_access', true), '') = 'on');
alter table sd_kb_versions enable row level security;
alter table sd_kb_versions force row level security;
create policy sd_kb_versions_scope on sd_kb_versions
  using (exists (select 1 from sd_kb_articles a where a.id = sd_kb_versions.article_id))
  with check (exists (select 1 from sd_kb_articles a where a.id = sd_kb_versions.article_id));

-- Announcements are public notices to everyone signed in; read receipts are each person's own (scope-all actors see all).
alter table sd_announcement_reads enable row level security;
alter table sd_announcement_reads force row level security;
create policy sd_announcement_reads_scope on sd_announcement_reads
  using (coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
         or user_id::text = coalesce(current_setting('zhengyun.actor_user_id', true), ''))
  with check (user_id::text = coalesce(current_setting('zhengyun.actor_user_id', true), '')
              or coalesce(current_setting('zhengyun.scope_all', true), '') = 'on');

insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'ticket:read'), ('mgmt_staff', 'ticket:create'), ('mgmt_staff', 'ticket:manage'),
  ('mgmt_staff', 'kb:read'), ('mgmt_staff', 'kb:write'), ('mgmt_staff', 'announcement:write'),
  ('supervisor_staff', 'ticket:read'), ('supervisor_staff', 'ticket:create'), ('supervisor_staff', 'kb:read'), ('supervisor_staff', 'kb:write'),
  ('provider_admin', 'ticket:read'), ('provider_admin', 'ticket:handle'), ('provider_admin', 'ticket:create'), ('provider_admin', 'kb:read'), ('provider_admin', 'kb:write'),
  ('provider_staff', 'ticket:read'), ('provider_staff', 'ticket:handle'), ('provider_staff', 'kb:read'),
  ('unit_admin', 'ticket:read'), ('unit_admin', 'ticket:create'), ('unit_admin', 'kb:read'),
  ('unit_staff', 'ticket:read'), ('unit_staff', 'ticket:create'), ('unit_staff', 'kb:read')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
