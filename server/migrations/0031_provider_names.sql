-- The name of a cloud provider (云服务商) is public directory information: every signed-in user may see which provider
-- runs a cloud node, also when RLS hides the provider's organisation record itself. Nothing else is exposed.
create or replace function zy_provider_name(org uuid) returns text
language sql stable security definer set search_path = public as $$
  select name from organisations where id = org and kind = 'cloud_provider'
$$;
revoke all on function zy_provider_name(uuid) from public;
grant execute on function zy_provider_name(uuid) to zhengyun_app;
