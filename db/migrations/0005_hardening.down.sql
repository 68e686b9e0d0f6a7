ALTER TABLE webhook_event DROP COLUMN dead_at;
DROP INDEX IF EXISTS idx_participant_session_connection;
ALTER TABLE participant_session DROP COLUMN confirmed;
ALTER TABLE participant_session DROP COLUMN connection_id;
