-- Recordings (pkg/recording).
-- recording_started_at: a provider said it started recording the meeting (Daily's
-- recording.started, Whereby's recorder joining). The completeness ledger expects a recording
-- from such a meeting even with fewer than two participant sessions.
ALTER TABLE meeting ADD COLUMN recording_started_at timestamptz;

-- The nightly pass re-matches recent orphans.
CREATE INDEX idx_recording_orphan ON recording (created_at) WHERE meeting_id IS NULL;

-- The stalled hand-off sweep: transcripts handed off and never started.
CREATE INDEX idx_transcript_status_updated ON transcript (status, updated_at);
