-- Availability (issue 11), second step: the status board and the scheduler's claims.
-- The board lists down first, then unknown, maintenance, up (then by name): a stored rank makes that order an index
-- scan, so page 1 of 10,000 probes is read from the index rather than sorted.
alter table availability_probes
  add column state_rank smallint generated always as (case state when 'down' then 0 when 'unknown' then 1 when 'maintenance' then 2 else 3 end) stored,
  -- The slot a claim is for (the probe's next_run_at when claimed); next_run_at then holds the claim's expiry, so a
  -- worker killed mid-cycle leaves the probe claimable again once the claim expires.
  add column claimed_slot timestamptz;
create index availability_probes_board_idx on availability_probes (state_rank, name, id);
create index availability_probes_due_open_idx on availability_probes (next_run_at) where enabled and unreachable_note is null;
drop index if exists availability_probes_due_idx;
-- Outage lists by probe (probe detail) and open outages (escalation).
create index availability_outages_probe_idx on availability_outages (probe_id, started_at desc);
create index availability_outages_open_idx on availability_outages (confirmed_at) where ended_at is null;
create index availability_maintenance_probe_idx on availability_maintenance (probe_id) where probe_id is not null;
