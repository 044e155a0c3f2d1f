-- Permissions of the service catalog, price lists and estimates (issue 3), granted to the built-in roles:
-- management unit staff edit the catalog and approve price lists; cloud providers keep their own price lists;
-- user units read the catalog and approved prices and make estimates for their own units.
insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
  ('mgmt_staff', 'catalog:read'), ('mgmt_staff', 'catalog:write'), ('mgmt_staff', 'price:read'), ('mgmt_staff', 'price:approve'),
  ('supervisor_staff', 'catalog:read'), ('supervisor_staff', 'price:read'),
  ('provider_admin', 'catalog:read'), ('provider_admin', 'price:read'), ('provider_admin', 'price:write'),
  ('provider_staff', 'catalog:read'), ('provider_staff', 'price:read'), ('provider_staff', 'price:write'),
  ('unit_admin', 'catalog:read'), ('unit_admin', 'price:read'), ('unit_admin', 'estimate:read'), ('unit_admin', 'estimate:write'),
  ('unit_staff', 'catalog:read'), ('unit_staff', 'price:read'), ('unit_staff', 'estimate:read'), ('unit_staff', 'estimate:write')
) as p(code, permission) on p.code = r.code
on conflict do nothing;
