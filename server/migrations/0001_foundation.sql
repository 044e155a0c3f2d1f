-- Foundation: organisations, identity and access, sessions, API tokens, security policy, settings, audit log.
-- Row-level security is the backstop behind the scoped repositories: the application connects and switches to the
-- role zhengyun_app (no BYPASSRLS); each transaction sets zhengyun.scope_all / zhengyun.scope_roots (see withTx).

do $$ begin
  if not exists (select 1 from pg_roles where rolname = 'zhengyun_app') then
    create role zhengyun_app nologin;
  end if;
end $$;
do $$ begin
  execute format('grant zhengyun_app to %I', current_user);
exception when others then null; -- already a member, or a superuser
end $$;

grant usage on schema public to zhengyun_app;
alter default privileges in schema public grant select, insert, update, delete on tables to zhengyun_app;
alter default privileges in schema public grant usage, select on sequences to zhengyun_app;

-- Is an organisation (given its ancestor path) visible in the current transaction's scope?
create or replace function zy_org_visible(org_path uuid[]) returns boolean
language sql stable as $$
  select coalesce(current_setting('zhengyun.scope_all', true), '') = 'on'
      or (coalesce(current_setting('zhengyun.scope_roots', true), '') <> ''
          and org_path && string_to_array(current_setting('zhengyun.scope_roots', true), ',')::uuid[])
$$;

-- 组织机构: management unit 管理单位, supervision provider 监管服务商, cloud provider 云服务商, user unit 使用单位,
-- external data user 外部数据用户. path = ancestors from the root down to and including the organisation itself.
create table organisations (
  id uuid primary key default gen_random_uuid(),
  parent_id uuid references organisations(id),
  path uuid[] not null,
  kind text not null check (kind in ('management_unit','supervision_provider','cloud_provider','user_unit','external_data_user')),
  name text not null check (char_length(name) between 1 and 100),
  short_name text check (char_length(short_name) <= 30),
  code text check (char_length(code) <= 50),
  description text check (char_length(description) <= 500),
  status text not null default 'active' check (status in ('active','disabled')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index organisations_code_key on organisations (code) where code is not null;
create unique index organisations_sibling_name_key on organisations (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name);
create index organisations_path_gin on organisations using gin (path);
alter table organisations enable row level security;
alter table organisations force row level security;
create policy organisations_scope on organisations using (zy_org_visible(path)) with check (zy_org_visible(path));

-- 用户
create table users (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations(id),
  username text not null check (username ~ '^[A-Za-z0-9_.@-]{3,64}$'),
  display_name text not null check (char_length(display_name) between 1 and 50),
  email_enc text,
  phone_enc text,
  auth_source text not null default 'local' check (auth_source in ('local','ldap')),
  password_hash text,
  password_changed_at timestamptz,
  must_change_password boolean not null default true,
  totp_secret_enc text,
  totp_enabled boolean not null default false,
  totp_last_step bigint,
  failed_attempts integer not null default 0,
  locked_until timestamptz,
  status text not null default 'active' check (status in ('active','disabled')),
  created_by uuid references users(id),
  last_login_at timestamptz,
  last_login_ip text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_username_key on users (lower(username));
create index users_org_idx on users (org_id);
alter table users enable row level security;
alter table users force row level security;
create policy users_scope on users
  using (exists (select 1 from organisations o where o.id = users.org_id))
  with check (exists (select 1 from organisations o where o.id = users.org_id));

create table password_history (
  id bigserial primary key,
  user_id uuid not null references users(id) on delete cascade,
  password_hash text not null,
  created_at timestamptz not null default now()
);
create index password_history_user_idx on password_history (user_id, created_at desc);

-- 角色 and 权限: built-in roles have org_id null; custom roles belong to the organisation that made them.
create table roles (
  id uuid primary key default gen_random_uuid(),
  code text,
  org_id uuid references organisations(id),
  name text not null check (char_length(name) between 1 and 50),
  name_en text check (char_length(name_en) <= 80),
  description text check (char_length(description) <= 300),
  builtin boolean not null default false,
  admin_kind text check (admin_kind in ('system','security','audit')),
  org_kinds text[] not null default '{}',
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index roles_code_key on roles (code) where code is not null;
create unique index roles_org_name_key on roles (coalesce(org_id, '00000000-0000-0000-0000-000000000000'::uuid), name);

create table role_permissions (
  role_id uuid not null references roles(id) on delete cascade,
  permission text not null,
  primary key (role_id, permission)
);

create table user_roles (
  user_id uuid not null references users(id) on delete cascade,
  role_id uuid not null references roles(id) on delete cascade,
  granted_by uuid references users(id),
  granted_at timestamptz not null default now(),
  primary key (user_id, role_id)
);
create index user_roles_role_idx on user_roles (role_id);

-- Sessions and sign-in challenges (IDs stored as SM3 hashes of the bearer secrets).
create table sessions (
  id_hash text primary key,
  user_id uuid not null references users(id) on delete cascade,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text,
  revoked_at timestamptz
);
create index sessions_user_idx on sessions (user_id);

create table auth_challenges (
  id_hash text primary key,
  user_id uuid not null references users(id) on delete cascade,
  kind text not null check (kind in ('password_change','mfa','mfa_enrol')),
  pending_totp_secret_enc text,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);

-- API tokens for machine clients (cloud providers push data with them).
create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references organisations(id),
  name text not null check (char_length(name) between 1 and 50),
  token_prefix text not null,
  token_hash text not null unique,
  permissions text[] not null default '{}',
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  last_used_ip text,
  revoked_at timestamptz
);
create index api_tokens_org_idx on api_tokens (org_id);
alter table api_tokens enable row level security;
alter table api_tokens force row level security;
create policy api_tokens_scope on api_tokens
  using (exists (select 1 from organisations o where o.id = api_tokens.org_id))
  with check (exists (select 1 from organisations o where o.id = api_tokens.org_id));

-- 安全策略: one row, edited by the security administrator.
create table security_policy (
  id integer primary key default 1 check (id = 1),
  password_min_length integer not null default 10 check (password_min_length between 8 and 64),
  password_min_classes integer not null default 3 check (password_min_classes between 1 and 4),
  password_expiry_days integer not null default 90 check (password_expiry_days between 0 and 3650),
  password_history_count integer not null default 5 check (password_history_count between 0 and 24),
  lockout_threshold integer not null default 5 check (lockout_threshold between 3 and 20),
  lockout_minutes integer not null default 30 check (lockout_minutes between 1 and 1440),
  idle_timeout_minutes integer not null default 30 check (idle_timeout_minutes between 5 and 120),
  session_max_hours integer not null default 12 check (session_max_hours between 1 and 72),
  audit_retention_days integer not null default 180 check (audit_retention_days >= 180),
  updated_at timestamptz not null default now(),
  updated_by uuid references users(id)
);
insert into security_policy (id) values (1);

-- 系统配置: key/value settings edited by the system administrator (LDAP, notifications …). Secrets inside are SM4-encrypted.
create table system_settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now(),
  updated_by uuid references users(id)
);

-- 审计日志: append-only, chained with SM3 (hash = SM3(prev_hash || canonical record)). The application role may only
-- insert and read; a trigger refuses UPDATE and DELETE for everybody; old months leave only through audit_prune().
create table audit_log (
  seq bigint primary key,
  occurred_at timestamptz not null default now(),
  actor_user_id uuid,
  actor_username text not null,
  actor_org_id uuid,
  actor_kind text not null,
  action text not null,
  target_type text,
  target_id text,
  outcome text not null check (outcome in ('success','failure')),
  before jsonb,
  after jsonb,
  details jsonb,
  source_ip text,
  request_id text,
  prev_hash text not null,
  hash text not null
);
create index audit_log_time_idx on audit_log using brin (occurred_at);
create index audit_log_actor_idx on audit_log (actor_user_id, seq);
create index audit_log_action_idx on audit_log (action, seq);

-- When old records are pruned, the hash the first kept record chains from is kept here, so verification still starts
-- from a known point.
create table audit_anchor (
  id integer primary key default 1 check (id = 1),
  first_seq bigint not null,
  prev_hash text not null,
  pruned_at timestamptz not null default now()
);

create or replace function audit_log_immutable() returns trigger language plpgsql as $$
begin
  if current_setting('zhengyun.audit_prune', true) = 'on' and tg_op = 'DELETE' then
    return old;
  end if;
  raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = '42501';
end $$;
create trigger audit_log_no_update before update or delete on audit_log for each row execute function audit_log_immutable();
create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_immutable();

revoke update, delete, truncate on audit_log from zhengyun_app;
revoke update, delete, truncate on audit_anchor from zhengyun_app;
revoke all on zhengyun_migrations from zhengyun_app;

-- Retention: removes records older than the retention period (never less than 180 days, MLPS level 3) and records
-- the anchor the first kept record chains from. Runs with the owner's rights; the application role may only call it.
create or replace function audit_prune(retention_days integer) returns bigint
language plpgsql security definer set search_path = public as $$
declare
  cutoff timestamptz;
  first_kept record;
  removed bigint;
begin
  if retention_days < 180 then
    raise exception 'audit retention must be at least 180 days, got %', retention_days;
  end if;
  cutoff := now() - make_interval(days => retention_days);
  perform pg_advisory_xact_lock(784201002);
  select seq, prev_hash into first_kept from audit_log where occurred_at >= cutoff order by seq limit 1;
  if first_kept is null then
    return 0;
  end if;
  perform set_config('zhengyun.audit_prune', 'on', true);
  delete from audit_log where seq < first_kept.seq;
  get diagnostics removed = row_count;
  perform set_config('zhengyun.audit_prune', 'off', true);
  if removed > 0 then
    insert into audit_anchor (id, first_seq, prev_hash, pruned_at) values (1, first_kept.seq, first_kept.prev_hash, now())
      on conflict (id) do update set first_seq = excluded.first_seq, prev_hash = excluded.prev_hash, pruned_at = excluded.pruned_at;
  end if;
  return removed;
end $$;
revoke all on function audit_prune(integer) from public;
grant execute on function audit_prune(integer) to zhengyun_app;
