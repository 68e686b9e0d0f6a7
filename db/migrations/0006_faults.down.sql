DROP INDEX IF EXISTS idx_transcript_waiting;
DROP INDEX IF EXISTS idx_recording_waiting;
DROP TABLE IF EXISTS transcript_track;
