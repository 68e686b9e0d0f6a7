-- Dead letters for the lease sweeps (issue 13, F12). A sweep that finds a waiting state past
-- its lease restarts it and counts the restart (requeues); once the count reached
-- SWEEP_MAX_REQUEUES the next expiry parks the row instead: dead_at is set, a recording is
-- marked failed and a transcript error, so it shows instead of looping forever.
ALTER TABLE recording ADD COLUMN requeues integer NOT NULL DEFAULT 0;
ALTER TABLE recording ADD COLUMN dead_at timestamptz;
ALTER TABLE transcript ADD COLUMN requeues integer NOT NULL DEFAULT 0;
ALTER TABLE transcript ADD COLUMN dead_at timestamptz;
-- Provider room deletes of ended meetings: restarted at most once per lease
-- (room_delete_requeued_at), parked with room_delete_dead_at.
ALTER TABLE meeting ADD COLUMN room_delete_requeues integer NOT NULL DEFAULT 0;
ALTER TABLE meeting ADD COLUMN room_delete_requeued_at timestamptz;
ALTER TABLE meeting ADD COLUMN room_delete_dead_at timestamptz;
