-- Calendar sync (pkg/calendar).
-- ics_last_applied: when the feed was last parsed and applied. An unchanged feed (304 or same
-- hash) is not re-applied, but the sync window slides with time, so the feed is applied again
-- at least every fifth of the lookahead to let new occurrences in.
ALTER TABLE room ADD COLUMN ics_last_applied timestamptz;

-- all_day events are listed but never get a meeting.
ALTER TABLE calendar_event ADD COLUMN all_day boolean NOT NULL DEFAULT false;

-- The upcoming-meetings scan (every 30 s, across rooms): events still waiting for a meeting.
CREATE INDEX idx_calendar_event_needs_meeting ON calendar_event (start_time)
	WHERE NOT is_deleted AND meeting_id IS NULL AND NOT all_day;
