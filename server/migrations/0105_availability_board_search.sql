-- Availability (issue 11): the status board's keyword search.
-- The board searches name or target for a substring (`%kw%`): a B-tree cannot answer that, so every keyword request
-- scanned all probes. One stored, lower-cased search column (name and target) with a trigram GIN index answers it from
-- the index (pg_trgm is a trusted extension: the database owner may create it). Keywords shorter than three
-- characters have no trigram and are still answered, by a scan.
create extension if not exists pg_trgm;
alter table availability_probes
  add column search_text text generated always as (lower(name || ' ' || target)) stored;
create index availability_probes_search_idx on availability_probes using gin (search_text gin_trgm_ops);
-- The state counts of a scope (provider, unit) read these instead of the whole table.
create index availability_probes_provider_state_idx on availability_probes (provider_org_id, state) where provider_org_id is not null;
create index availability_probes_unit_state_idx on availability_probes (unit_org_id, state) where unit_org_id is not null;
