-- Row-level security policies evaluate the actor's switches once per query, not once per row.
--
-- The policies test `zy_business_access()` and `zy_scope_all()` (plpgsql, so never inlined: one function call per row
-- checked) or the same test written out, `[coalesce(]current_setting('zhengyun.business_access', true)[, '')] = 'on'`
-- (which the planner estimates as an equality of unknown selectivity, 0.5 %: a provider's 20,000 open tickets were
-- planned as 76 rows, so the queue page sorted them all instead of reading its index in order). Wrapped in a scalar
-- subquery, `(select zy_business_access())`, each becomes an InitPlan: evaluated once per statement, planned as a
-- parameter. Same meaning, same rows: only the evaluation changes (the queue's capped count: 58 → 30 ms per call).
--
-- zy_rls_initplan_policies() rewrites every policy that still has a per-row form and returns how many it changed; the
-- migrator calls it after each run, so a policy added by any later (or out-of-order) migration gets the same form.
-- Idempotent: a policy already in the wrapped form is left alone.

create or replace function zy_rls_initplan_policies() returns integer
language plpgsql
set search_path = public, pg_temp
as $$
declare
  p record;
  q text;
  c text;
  changed integer := 0;
begin
  for p in
    select pol.polname, n.nspname, cl.relname,
           pg_get_expr(pol.polqual, pol.polrelid) as qual,
           pg_get_expr(pol.polwithcheck, pol.polrelid) as withcheck
      from pg_policy pol
      join pg_class cl on cl.oid = pol.polrelid
      join pg_namespace n on n.oid = cl.relnamespace
     where n.nspname = 'public'
  loop
    q := zy_rls_initplan_expr(p.qual);
    c := zy_rls_initplan_expr(p.withcheck);
    if q is distinct from p.qual or c is distinct from p.withcheck then
      execute format('alter policy %I on %I.%I', p.polname, p.nspname, p.relname)
        || case when q is not null then format(' using (%s)', q) else '' end
        || case when c is not null then format(' with check (%s)', c) else '' end;
      changed := changed + 1;
    end if;
  end loop;
  return changed;
end $$;

-- The wrapped form of one deparsed policy expression (null stays null). Only the two switches change.
create or replace function zy_rls_initplan_expr(e text) returns text
language sql immutable
as $$
  select regexp_replace(
           regexp_replace(
             regexp_replace(
               regexp_replace(e,
                 '\((COALESCE\()?current_setting\(''zhengyun\.business_access''::text, true\)(, ''''::text\))? = ''on''::text\)',
                 '(SELECT zy_business_access())', 'g'),
               '\((COALESCE\()?current_setting\(''zhengyun\.scope_all''::text, true\)(, ''''::text\))? = ''on''::text\)',
               '(SELECT zy_scope_all())', 'g'),
             '(?<!SELECT )zy_business_access\(\)', '(SELECT zy_business_access())', 'g'),
           '(?<!SELECT )zy_scope_all\(\)', '(SELECT zy_scope_all())', 'g')
$$;

select zy_rls_initplan_policies();
