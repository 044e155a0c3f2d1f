-- Operations supervision (issue 15), part 8: provider entry and exit (云服务商进驻和退出, seed 003 (三)1).
-- Entry: applied (申请) → material_review (材料审核) → initial_assessment (初期评估, seed 004 §4.3.2.2.1 初期建设考核:
-- the eight 业务支撑文档) → entered (已进驻); a failed assessment gets 1 month to rectify and a second assessment, two
-- failures end in `rejected` (按照退出机制处理). Exit: exit_applied (申请退出, with the 服务退出规范 documents) →
-- migrating (迁移/数据清退) → exited (已退出) once the clearance checklist is done.
create table ops_provider_entries (
  id uuid primary key default gen_random_uuid(),
  provider_org_id uuid not null references organisations(id),
  node_id uuid references cloud_nodes(id),
  state text not null default 'applied' check (state in ('applied','material_review','initial_assessment','entered','rejected','exit_applied','migrating','exited')),
  applied_on date not null,
  assessment_attempts integer not null default 0 check (assessment_attempts between 0 and 2),
  rectify_by date,
  entered_on date,
  exit_reason text check (char_length(exit_reason) <= 1000),
  exited_on date,
  note text check (char_length(note) <= 2000),
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
-- one open entry per provider and node (a provider may re-enter after it exited or was rejected)
create unique index ops_provider_entries_open_idx on ops_provider_entries (provider_org_id, coalesce(node_id, '00000000-0000-0000-0000-000000000000'::uuid))
  where state not in ('exited','rejected');

create table ops_provider_entry_documents (
  id uuid primary key default gen_random_uuid(),
  entry_id uuid not null references ops_provider_entries(id) on delete cascade,
  provider_org_id uuid not null references organisations(id),
  doc_key text not null check (char_length(doc_key) between 1 and 60),
  file_name text not null check (char_length(file_name) between 1 and 200),
  content_type text not null check (char_length(content_type) between 1 and 100),
  content bytea not null,
  size_bytes integer not null check (size_bytes between 1 and 1048576),
  sm3 text not null,
  status text not null default 'submitted' check (status in ('submitted','accepted','rejected')),
  review_note text check (char_length(review_note) <= 1000),
  submitted_by uuid references users(id),
  submitted_at timestamptz not null default now(),
  reviewed_by uuid references users(id),
  reviewed_at timestamptz,
  unique (entry_id, doc_key)
);

create table ops_provider_entry_checks (
  entry_id uuid not null references ops_provider_entries(id) on delete cascade,
  provider_org_id uuid not null references organisations(id),
  item_key text not null check (char_length(item_key) between 1 and 60),
  note text check (char_length(note) <= 1000),
  done_by uuid references users(id),
  done_at timestamptz not null default now(),
  primary key (entry_id, item_key)
);

create table ops_provider_entry_transitions (
  id uuid primary key default gen_random_uuid(),
  entry_id uuid not null references ops_provider_entries(id) on delete cascade,
  provider_org_id uuid not null references organisations(id),
  from_state text,
  to_state text not null,
  note text check (char_length(note) <= 2000),
  actor_id uuid references users(id),
  at timestamptz not null default now()
);
create index ops_provider_entry_transitions_idx on ops_provider_entry_transitions (entry_id, at);

do $$
declare
  t text;
begin
  foreach t in array array['ops_provider_entries','ops_provider_entry_documents','ops_provider_entry_checks','ops_provider_entry_transitions'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format($p$create policy %I on %I
      using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = %I.provider_org_id)))
      with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = %I.provider_org_id)))$p$,
      t || '_scope', t, t, t);
  end loop;
end $$;
