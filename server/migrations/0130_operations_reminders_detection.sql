-- Operations supervision (issue 15), part 12: reminders for special tasks (专项任务) due soon / overdue / escalated,
-- and major changes (重大变更) detected from the pushed 云平台规格数据 (platformSpec).

-- Settings of the two jobs (one row): reminder N working days before the due day, escalation to the management unit
-- M working days after it, and the relative change of a platform total (vCPU, memory, storage, bandwidth) that counts
-- as a major change.
create table ops_automation_settings (
  id boolean primary key default true check (id),
  task_due_soon_working_days integer not null default 3 check (task_due_soon_working_days between 1 and 20),
  task_escalate_after_working_days integer not null default 3 check (task_escalate_after_working_days between 1 and 60),
  spec_change_threshold_pct numeric(5,2) not null default 10 check (spec_change_threshold_pct > 0 and spec_change_threshold_pct <= 1000),
  updated_by uuid references users(id),
  updated_at timestamptz not null default now()
);
insert into ops_automation_settings (id) values (true);

-- One row per task and reminder kind: the sent-marker that makes the reminder job idempotent.
create table ops_task_reminders (
  task_id uuid not null references ops_special_tasks(id) on delete cascade,
  kind text not null check (kind in ('due_soon','overdue','escalated')),
  sent_at timestamptz not null default now(),
  recipients integer not null default 0,
  primary key (task_id, kind)
);

-- Detection: the position in ingest_batches per interface table, and the last platform totals seen per node and machine room.
create table ops_detection_cursor (
  table_name text primary key,
  last_batch_id bigint not null
);
create table ops_spec_snapshots (
  node_id uuid not null references cloud_nodes(id) on delete cascade,
  machine_room text not null,
  provider_org_id uuid not null references organisations(id),
  figures jsonb not null,
  batch_id bigint not null,
  reported_at timestamptz not null,
  primary key (node_id, machine_room)
);

-- A detected change is recorded once (its key: table, batch, machine room); the evidence holds the before/after figures.
alter table ops_major_changes add column detection_key text unique check (char_length(detection_key) <= 200);
alter table ops_major_changes add column evidence jsonb;

alter table ops_automation_settings enable row level security;
alter table ops_automation_settings force row level security;
create policy ops_automation_settings_scope on ops_automation_settings
  using (zy_business_access())
  with check (zy_business_access() and zy_scope_all());
alter table ops_task_reminders enable row level security;
alter table ops_task_reminders force row level security;
create policy ops_task_reminders_scope on ops_task_reminders
  using (zy_business_access() and exists (select 1 from ops_special_tasks t where t.id = ops_task_reminders.task_id))
  with check (zy_business_access() and zy_scope_all());
alter table ops_detection_cursor enable row level security;
alter table ops_detection_cursor force row level security;
create policy ops_detection_cursor_scope on ops_detection_cursor
  using (zy_scope_all())
  with check (zy_scope_all());
alter table ops_spec_snapshots enable row level security;
alter table ops_spec_snapshots force row level security;
create policy ops_spec_snapshots_scope on ops_spec_snapshots
  using (zy_business_access() and zy_scope_all())
  with check (zy_business_access() and zy_scope_all());
