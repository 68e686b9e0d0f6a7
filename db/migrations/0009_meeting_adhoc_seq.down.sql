DROP INDEX IF EXISTS uq_meeting_adhoc_seq;
ALTER TABLE meeting DROP COLUMN IF EXISTS adhoc_seq;
