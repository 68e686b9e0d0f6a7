DROP INDEX IF EXISTS idx_calendar_event_needs_meeting;
ALTER TABLE calendar_event DROP COLUMN IF EXISTS all_day;
ALTER TABLE room DROP COLUMN IF EXISTS ics_last_applied;
