-- 单位变更记录: the change history of each organisation (created, changed fields, disabled/enabled), readable by whoever
-- sees the organisation. The audit log keeps the same facts for the audit administrator; this is the business view.
create table organisation_changes (
  id bigserial primary key,
  org_id uuid not null references organisations(id),
  action text not null check (action in ('create','update','disable','enable')),
  before jsonb not null default '{}',
  after jsonb not null default '{}',
  changed_by uuid references users(id),
  changed_by_name text,
  changed_at timestamptz not null default now()
);
create index organisation_changes_org_idx on organisation_changes (org_id, id);
alter table organisation_changes enable row level security;
alter table organisation_changes force row level security;
create policy organisation_changes_scope on organisation_changes
  using (exists (select 1 from organisations o where o.id = organisation_changes.org_id))
  with check (exists (select 1 from organisations o where o.id = organisation_changes.org_id));
revoke update, delete on organisation_changes from zhengyun_app;
