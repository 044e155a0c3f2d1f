-- Notifications (消息通知), deadline warnings and escalation, key-guarantee periods (重保), issue 6.
--
-- notifications: one in-app message per recipient. A person reads only their own (RLS on zhengyun.actor_user_id);
-- the platform's own jobs (delivery, deadline warnings) set zhengyun.notify_system = 'on' in their transactions.
-- Any transaction may create a notification for anyone: business modules notify other organisations' people.
create table notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users(id) on delete cascade,
  kind text not null check (kind ~ '^[a-z][a-z0-9_.]{1,63}$'),
  severity text not null default 'info' check (severity in ('info','warning','critical')),
  title text not null check (char_length(title) between 1 and 200),
  body text not null default '' check (char_length(body) <= 4000),
  link text check (char_length(link) <= 500),
  -- false when the person turned the in-app channel off for this kind: the row still carries the e-mail / webhook text.
  in_app boolean not null default true,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notifications_user_idx on notifications (user_id, created_at desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null and in_app;

alter table notifications enable row level security;
alter table notifications force row level security;
create policy notifications_read on notifications for select
  using (user_id::text = coalesce(current_setting('zhengyun.actor_user_id', true), '')
         or coalesce(current_setting('zhengyun.notify_system', true), '') = 'on');
create policy notifications_insert on notifications for insert with check (true);
create policy notifications_delete on notifications for delete
  using (coalesce(current_setting('zhengyun.notify_system', true), '') = 'on');
create policy notifications_update on notifications for update
  using (user_id::text = coalesce(current_setting('zhengyun.actor_user_id', true), ''))
  with check (user_id::text = coalesce(current_setting('zhengyun.actor_user_id', true), ''));

-- Channels per person and kind of notification. No row = the defaults (in-app and e-mail on, webhook off).
-- kind '*' holds the person's defaults for every kind without its own row.
create table notification_preferences (
  user_id uuid not null references users(id) on delete cascade,
  kind text not null check (kind = '*' or kind ~ '^[a-z][a-z0-9_.]{1,63}$'),
  in_app boolean not null default true,
  email boolean not null default true,
  webhook boolean not null default false,
  updated_at timestamptz not null default now(),
  primary key (user_id, kind)
);
alter table notification_preferences enable row level security;
alter table notification_preferences force row level security;
create policy notification_preferences_own on notification_preferences
  using (user_id::text = coalesce(current_setting('zhengyun.actor_user_id', true), '')
         or coalesce(current_setting('zhengyun.notify_system', true), '') = 'on')
  with check (user_id::text = coalesce(current_setting('zhengyun.actor_user_id', true), ''));

-- Instant-messaging robots (企业微信 / 钉钉 / 飞书 or a plain JSON receiver): a person's own, or their organisation's
-- (used for people of that organisation without one of their own). secret_enc: SM4-encrypted HMAC-SM3 key.
create table notification_webhooks (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references users(id) on delete cascade,
  org_id uuid references organisations(id) on delete cascade,
  url text not null check (url ~ '^https?://' and char_length(url) <= 500),
  format text not null default 'generic' check (format in ('generic','wecom','dingtalk','feishu')),
  secret_enc text,
  updated_by uuid references users(id),
  updated_at timestamptz not null default now(),
  constraint notification_webhooks_owner check ((user_id is null) <> (org_id is null))
);
create unique index notification_webhooks_user_key on notification_webhooks (user_id) where user_id is not null;
create unique index notification_webhooks_org_key on notification_webhooks (org_id) where org_id is not null;
alter table notification_webhooks enable row level security;
alter table notification_webhooks force row level security;
create policy notification_webhooks_scope on notification_webhooks
  using (coalesce(current_setting('zhengyun.notify_system', true), '') = 'on'
         or (user_id is not null and user_id::text = coalesce(current_setting('zhengyun.actor_user_id', true), ''))
         or (org_id is not null and exists (select 1 from organisations o where o.id = notification_webhooks.org_id)))
  with check ((user_id is not null and user_id::text = coalesce(current_setting('zhengyun.actor_user_id', true), ''))
              or (org_id is not null and exists (select 1 from organisations o where o.id = notification_webhooks.org_id)));

-- The outbox of external deliveries (e-mail, webhook), worked by the job notifications.deliver: pending → sent, or
-- retry with backoff (next_attempt_at) until max attempts → failed. One row per notification and channel.
create table notification_deliveries (
  id uuid primary key default gen_random_uuid(),
  notification_id uuid not null references notifications(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  channel text not null check (channel in ('email','webhook')),
  status text not null default 'pending' check (status in ('pending','sending','sent','failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  locked_until timestamptz,
  last_error text,
  target text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (notification_id, channel)
);
create index notification_deliveries_due_idx on notification_deliveries (next_attempt_at) where status in ('pending','sending');
alter table notification_deliveries enable row level security;
alter table notification_deliveries force row level security;
create policy notification_deliveries_scope on notification_deliveries
  using (user_id::text = coalesce(current_setting('zhengyun.actor_user_id', true), '')
         or coalesce(current_setting('zhengyun.notify_system', true), '') = 'on')
  with check (true);

-- Deadline warnings sent (once per subject, stage and due time: an extended deadline warns again).
create table notification_deadline_marks (
  subject_type text not null check (char_length(subject_type) between 1 and 64),
  subject_id text not null check (char_length(subject_id) between 1 and 100),
  stage text not null check (stage in ('warning','due','escalation')),
  due_at timestamptz not null,
  sent_at timestamptz not null default now(),
  recipients integer not null default 0,
  primary key (subject_type, subject_id, stage, due_at)
);

-- Where overdue workflow tasks escalate (升级): per step of a definition, per definition, or globally (both null).
-- org: 'management_unit' (the management unit's pool), 'supervision_provider', or 'task_org' (the task's organisation).
create table notification_escalation_rules (
  id uuid primary key default gen_random_uuid(),
  definition_code text,
  step_key text,
  role_code text not null,
  org text not null default 'management_unit' check (org in ('management_unit','supervision_provider','task_org')),
  updated_at timestamptz not null default now(),
  constraint notification_escalation_rules_step_needs_definition check (step_key is null or definition_code is not null)
);
create unique index notification_escalation_rules_key on notification_escalation_rules (coalesce(definition_code, ''), coalesce(step_key, ''));
insert into notification_escalation_rules (definition_code, step_key, role_code, org) values (null, null, 'mgmt_staff', 'management_unit');

-- 重保期: periods the management unit declares during which resource adjustments are due within 2 h instead of 4 h.
-- Public to every signed-in person (no tenant data, no RLS). scope 'all' = every node, 'nodes' = node_ids.
create table key_guarantee_periods (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 100),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  scope text not null default 'all' check (scope in ('all','nodes')),
  node_ids uuid[] not null default '{}',
  description text check (char_length(description) <= 1000),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_by uuid references users(id),
  updated_at timestamptz not null default now(),
  constraint key_guarantee_periods_order check (ends_at > starts_at),
  constraint key_guarantee_periods_nodes check ((scope = 'all') = (cardinality(node_ids) = 0))
);
create index key_guarantee_periods_time_idx on key_guarantee_periods (starts_at, ends_at);

-- The people a notification goes to, resolved across organisations (the caller's transaction may not see the
-- recipients' organisations): the named users, plus the active users of the given organisations (or organisation
-- kinds) holding one of the roles; roles without organisations: holders anywhere; organisations without roles: all.
create or replace function zy_notification_recipients(p_user_ids uuid[], p_role_codes text[], p_org_ids uuid[], p_org_kinds text[])
returns setof uuid
language sql stable security definer set search_path = public as $$
  select u.id from users u where u.status = 'active' and u.id = any (coalesce(p_user_ids, '{}'))
  union
  select u.id
  from users u join organisations o on o.id = u.org_id
  where u.status = 'active'
    and (cardinality(coalesce(p_role_codes, '{}')) > 0 or cardinality(coalesce(p_org_ids, '{}')) > 0 or cardinality(coalesce(p_org_kinds, '{}')) > 0)
    and (cardinality(coalesce(p_org_ids, '{}')) = 0 or u.org_id = any (p_org_ids))
    and (cardinality(coalesce(p_org_kinds, '{}')) = 0 or o.kind = any (p_org_kinds))
    and (cardinality(coalesce(p_role_codes, '{}')) = 0
         or exists (select 1 from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id and r.code = any (p_role_codes)))
$$;
revoke all on function zy_notification_recipients(uuid[], text[], uuid[], text[]) from public;
grant execute on function zy_notification_recipients(uuid[], text[], uuid[], text[]) to zhengyun_app;

-- The organisation of each recipient (for the organisation's robot), also where the caller cannot see them.
create or replace function zy_notification_user_orgs(p_user_ids uuid[])
returns table (user_id uuid, org_id uuid)
language sql stable security definer set search_path = public as $$
  select u.id, u.org_id from users u where u.id = any (coalesce(p_user_ids, '{}'))
$$;
revoke all on function zy_notification_user_orgs(uuid[]) from public;
grant execute on function zy_notification_user_orgs(uuid[]) to zhengyun_app;

insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'keyperiod:read'), ('mgmt_staff', 'keyperiod:write'),
  ('supervisor_staff', 'keyperiod:read'),
  ('provider_admin', 'keyperiod:read'), ('provider_staff', 'keyperiod:read'),
  ('unit_admin', 'keyperiod:read'), ('unit_staff', 'keyperiod:read'),
  ('data_user', 'keyperiod:read')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
