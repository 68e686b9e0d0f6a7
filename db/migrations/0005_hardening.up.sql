-- Hardening (issue 13).
-- A client's /joined opens a participant session for its connection; one connection holds at
-- most one open session. confirmed: presence (the provider) has reported the session; a
-- session only a client claimed is dropped when presence does not show it.
ALTER TABLE participant_session ADD COLUMN connection_id text;
ALTER TABLE participant_session ADD COLUMN confirmed boolean NOT NULL DEFAULT true;
CREATE INDEX idx_participant_session_connection ON participant_session (meeting_id, connection_id)
	WHERE left_at IS NULL AND connection_id IS NOT NULL;

-- Poison webhook events: after a bounded number of failed attempts an event is parked
-- (dead_at set); sweeps skip it until an engineer replays it (reflectorctl webhooks replay).
ALTER TABLE webhook_event ADD COLUMN dead_at timestamptz;
