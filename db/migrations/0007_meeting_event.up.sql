-- meeting_event: the per-meeting timeline, append-only. Each row is written in the same
-- transaction (or statement) as the change it records, so the timeline never claims a change
-- that rolled back nor misses one that committed. Observations that change nothing (a
-- process-meetings decision to keep a meeting, with the presence it read) are appended too.
CREATE TABLE meeting_event (
	id         bigserial PRIMARY KEY,
	meeting_id uuid NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
	at         timestamptz NOT NULL DEFAULT now(),
	-- kind: created, provider_room_created, handout, decision, grace_started, grace_cleared,
	-- ended, provider_room_deleted, webhook, ...
	kind       text NOT NULL,
	-- actor: who or what made the change (a user id, anonymous, process-meetings, a webhook).
	actor      text NOT NULL DEFAULT '',
	detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX idx_meeting_event_meeting ON meeting_event (meeting_id, id);
