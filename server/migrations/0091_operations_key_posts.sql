-- Key-post changes (关键岗位人员变更, issue 15): a provider announces a change at least one month ahead, the supervision
-- provider at least 5 working days ahead; the management unit approves it through the workflow engine.
create table ops_key_post_changes (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations(id),
  staff_id uuid not null references ops_staff(id) on delete cascade,
  post text not null,
  successor_name text not null check (char_length(successor_name) between 1 and 50),
  effective_on date not null,
  reason text not null check (char_length(reason) between 1 and 2000),
  status text not null default 'in_approval' check (status in ('in_approval','approved','rejected')),
  workflow_instance_id uuid,
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index ops_key_post_changes_org_idx on ops_key_post_changes (org_id, created_at desc);

alter table ops_key_post_changes enable row level security;
alter table ops_key_post_changes force row level security;
create policy ops_key_post_changes_scope on ops_key_post_changes
  using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_key_post_changes.org_id)))
  with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_key_post_changes.org_id)));

insert into workflow_definitions (code, name, version, status, applies_to, definition, published_at)
select 'operations_key_post_change', '关键岗位人员变更审批', 1, 'published', 'operations.key_post_change', jsonb_build_object(
  'start', 'review',
  'steps', jsonb_build_array(
    jsonb_build_object('key', 'review', 'name', '管理单位审核', 'kind', 'approval',
      'assignee', jsonb_build_object('role', 'mgmt_staff'), 'deadline', jsonb_build_object('workingDays', 3), 'next', 'end'))), now()
where not exists (select 1 from workflow_definitions w where w.code = 'operations_key_post_change');
