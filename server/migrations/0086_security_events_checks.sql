-- Security events (安全事件) and security checks / penetration tests (安全检查、渗透测试), issue 13 §4–§5; requirements
-- §b.6.3, §c.4; seed 003 (三)1.(2): monthly vulnerability scans of every provider's platform (≥ 12 a period), quarterly
-- penetration tests each covering at least two providers (≥ 4 a period), the four kinds of security check.
-- Visibility as the findings of 0085: management unit and supervision provider everything; a provider the events of its
-- own nodes and the checks that cover it; a unit the events of its systems; the three administrators nothing.

create sequence security_event_no_seq;

create table security_events (
  id uuid primary key default gen_random_uuid(),
  -- SE-YYYYMMDD-NNNN, readable on the phone.
  event_no text not null unique,
  title text not null check (char_length(title) between 1 and 200),
  -- GB/Z 20986: I 特别重大, II 重大, III 较大, IV 一般.
  grade text not null check (grade in ('I','II','III','IV')),
  category text not null check (category in ('malware','attack','data','content','device','disaster','other')),
  status text not null default 'open' check (status in ('open','handling','closed')),
  source text not null default 'manual' check (source in ('manual','attack_threshold')),
  occurred_at timestamptz not null,
  detected_at timestamptz not null default now(),
  -- 同步上报: when the provider and the management unit were told (at creation).
  reported_at timestamptz,
  provider_org_id uuid references organisations(id),
  node_id uuid references cloud_nodes(id),
  unit_org_id uuid references organisations(id),
  system_ids uuid[] not null default '{}',
  description text check (char_length(description) <= 4000),
  -- 溯源: what tracing found; the handling report (处置报告) closes the event.
  tracing_note text check (char_length(tracing_note) <= 8000),
  handling_report text check (char_length(handling_report) <= 8000),
  closed_at timestamptz,
  ticket_id uuid,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  check ((status = 'closed') = (closed_at is not null)),
  check (status <> 'closed' or handling_report is not null)
);
create index security_events_occurred_idx on security_events (occurred_at desc);
create index security_events_provider_idx on security_events (provider_org_id, occurred_at desc);

-- The event's timeline: notes, tracing steps, evidence (documents), status changes.
create table security_event_entries (
  id bigint generated always as identity primary key,
  event_id uuid not null references security_events(id) on delete cascade,
  at timestamptz not null default now(),
  kind text not null check (kind in ('created','note','tracing','evidence','status','report')),
  text text not null check (char_length(text) between 1 and 8000),
  document_id uuid,
  actor_user_id uuid references users(id)
);
create index security_event_entries_event_idx on security_event_entries (event_id, at);

create table security_checks (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('vuln_scan','pentest','cloud_basic','compliance','vuln_mgmt','routine')),
  title text not null check (char_length(title) between 1 and 200),
  planned_date date not null,
  status text not null default 'planned' check (status in ('planned','done','cancelled')),
  done_date date,
  -- The providers the check covers; a penetration test covers at least two (seed 003).
  provider_org_ids uuid[] not null check (cardinality(provider_org_ids) >= 1),
  result_summary text check (char_length(result_summary) <= 8000),
  findings_count integer check (findings_count >= 0),
  report_document_id uuid,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  check (kind <> 'pentest' or cardinality(provider_org_ids) >= 2),
  check ((status = 'done') = (done_date is not null))
);
create index security_checks_planned_idx on security_checks (planned_date);

alter table security_events enable row level security;
alter table security_events force row level security;
create policy security_events_scope on security_events
  using (zy_business_access()
         and (zy_scope_all()
              or (provider_org_id is not null and exists (select 1 from organisations o where o.id = security_events.provider_org_id))
              or (unit_org_id is not null and exists (select 1 from organisations o where o.id = security_events.unit_org_id))))
  with check (zy_business_access()
              and (zy_scope_all()
                   or (provider_org_id is not null and exists (select 1 from organisations o where o.id = security_events.provider_org_id))));

alter table security_event_entries enable row level security;
alter table security_event_entries force row level security;
create policy security_event_entries_scope on security_event_entries
  using (exists (select 1 from security_events e where e.id = security_event_entries.event_id))
  with check (exists (select 1 from security_events e where e.id = security_event_entries.event_id));

alter table security_checks enable row level security;
alter table security_checks force row level security;
create policy security_checks_scope on security_checks
  using (zy_business_access()
         and (zy_scope_all() or exists (select 1 from organisations o where o.id = any (security_checks.provider_org_ids))))
  with check (zy_business_access() and zy_scope_all());

-- Reporting and handling security events: management, supervision and the providers (their own nodes).
insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'security:event'), ('supervisor_staff', 'security:event'),
  ('provider_admin', 'security:event'), ('provider_staff', 'security:event')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
