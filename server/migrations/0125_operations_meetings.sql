-- Operations supervision (issue 15), part 10: meetings and communications (会议与沟通): regular meetings (例会) with
-- minutes (纪要), provider work reports (服务商工作汇报, e.g. monthly) received and filed, attachments (minutes, report
-- files: stored here with their SM3, as the provider-entry documents are), and special tasks (专项任务) assigned to an
-- organisation with a due day (Asia/Shanghai) and status; overdue is computed, not stored.
create table ops_meetings (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('regular_meeting','work_report')),
  -- the organisation that holds the meeting / files the report (for a work report: the reporting provider)
  org_id uuid not null references organisations(id),
  provider_org_id uuid references organisations(id),
  title text not null check (char_length(title) between 1 and 200),
  held_on date not null,
  period text check (period ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  location text check (char_length(location) <= 200),
  attendees text[] not null default '{}',
  minutes text not null default '' check (char_length(minutes) <= 20000),
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index ops_meetings_time_idx on ops_meetings (held_on desc);
-- one work report per provider and month
create unique index ops_meetings_report_idx on ops_meetings (org_id, period) where kind = 'work_report';

create table ops_meeting_attachments (
  id uuid primary key default gen_random_uuid(),
  meeting_id uuid not null references ops_meetings(id) on delete cascade,
  org_id uuid not null references organisations(id),
  file_name text not null check (char_length(file_name) between 1 and 200),
  content_type text not null check (char_length(content_type) between 1 and 100),
  content bytea not null,
  size_bytes integer not null check (size_bytes between 1 and 1048576),
  sm3 text not null,
  uploaded_by uuid references users(id),
  uploaded_at timestamptz not null default now()
);
create index ops_meeting_attachments_idx on ops_meeting_attachments (meeting_id);

create table ops_special_tasks (
  id uuid primary key default gen_random_uuid(),
  title text not null check (char_length(title) between 1 and 200),
  description text not null default '' check (char_length(description) <= 5000),
  -- the organisation that must do it; org_id is who assigned it (RLS: both see it)
  assignee_org_id uuid not null references organisations(id),
  org_id uuid not null references organisations(id),
  meeting_id uuid references ops_meetings(id) on delete set null,
  due_on date not null,
  status text not null default 'open' check (status in ('open','in_progress','done','cancelled')),
  completed_on date,
  result_note text check (char_length(result_note) <= 5000),
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index ops_special_tasks_assignee_idx on ops_special_tasks (assignee_org_id, status, due_on);

-- a meeting is seen by its organiser and by the provider it concerns; attachments follow their meeting
alter table ops_meetings enable row level security;
alter table ops_meetings force row level security;
create policy ops_meetings_scope on ops_meetings
  using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_meetings.org_id or o.id = ops_meetings.provider_org_id)))
  with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_meetings.org_id)));
alter table ops_meeting_attachments enable row level security;
alter table ops_meeting_attachments force row level security;
create policy ops_meeting_attachments_scope on ops_meeting_attachments
  using (zy_business_access() and exists (select 1 from ops_meetings m where m.id = ops_meeting_attachments.meeting_id))
  with check (zy_business_access() and exists (select 1 from ops_meetings m where m.id = ops_meeting_attachments.meeting_id));
alter table ops_special_tasks enable row level security;
alter table ops_special_tasks force row level security;
create policy ops_special_tasks_scope on ops_special_tasks
  using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_special_tasks.assignee_org_id)))
  with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_special_tasks.assignee_org_id)));
