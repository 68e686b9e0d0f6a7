DROP INDEX IF EXISTS idx_transcript_status_updated;
DROP INDEX IF EXISTS idx_recording_orphan;
ALTER TABLE meeting DROP COLUMN IF EXISTS recording_started_at;
