-- Operations supervision (issue 15), part 9: major-change events (重大变更, the data interface's trigger mode) matched to
-- approved platform changes (云平台变更). An event comes from a provider's push (source 'pushed', imported from the
-- ingestion module's events by id), from detection on pushed data ('detected') or is entered by supervision
-- ('manual'). At recording it is matched to an approved (or implemented) change of the same provider, on the same node
-- (or a platform-wide change), whose approved window contains the moment; impacted hosts, when both sides name them,
-- must intersect. No such change: 'unapproved' (未经审批变更), supervision is notified; a reviewer closes it with a note.
create table ops_major_changes (
  id uuid primary key default gen_random_uuid(),
  provider_org_id uuid not null references organisations(id),
  node_id uuid references cloud_nodes(id),
  source text not null check (source in ('pushed','detected','manual')),
  source_event_id uuid unique,
  external_id text check (char_length(external_id) <= 100),
  category text not null check (char_length(category) between 1 and 50),
  title text not null check (char_length(title) between 1 and 200),
  detail text not null default '' check (char_length(detail) <= 8000),
  host_ids uuid[] not null default '{}',
  occurred_at timestamptz not null,
  status text not null check (status in ('matched','unapproved')),
  matched_change_id uuid references ops_changes(id),
  reviewed_at timestamptz,
  reviewed_by uuid references users(id),
  review_note text check (char_length(review_note) <= 2000),
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create index ops_major_changes_time_idx on ops_major_changes (occurred_at desc);
create index ops_major_changes_provider_idx on ops_major_changes (provider_org_id, status, occurred_at desc);

alter table ops_major_changes enable row level security;
alter table ops_major_changes force row level security;
create policy ops_major_changes_scope on ops_major_changes
  using (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_major_changes.provider_org_id)))
  with check (zy_business_access() and (zy_scope_all() or exists (select 1 from organisations o where o.id = ops_major_changes.provider_org_id)));
