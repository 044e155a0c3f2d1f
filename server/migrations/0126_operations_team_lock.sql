-- Operations supervision (issue 15), part 11: seed 003 — 驻场运维团队进驻后三个月内不得有人员更换. A key-post change
-- of an on-site staff member taking effect within 3 months of the provider's entry (ops_provider_entries.entered_on,
-- migration 0123) is refused; only the management unit may let it through as an exception, with its reason kept here.
alter table ops_key_post_changes add column lock_exception_reason text check (char_length(lock_exception_reason) <= 2000);
