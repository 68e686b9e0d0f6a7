-- The original's tables, with the hazards its notes list designed out: foreign keys everywhere,
-- a unique room name, platform on room and meeting, at most one active ad-hoc meeting per room,
-- one meeting per calendar slot, unique provider recording ids, one transcript per recording.

CREATE TABLE room (
	id                   uuid PRIMARY KEY,
	name                 text NOT NULL,
	user_id              text NOT NULL,
	created_at           timestamptz NOT NULL DEFAULT now(),
	zulip_auto_post      boolean NOT NULL DEFAULT false,
	zulip_stream         text NOT NULL DEFAULT '',
	zulip_topic          text NOT NULL DEFAULT '',
	is_locked            boolean NOT NULL DEFAULT false,
	room_mode            text NOT NULL DEFAULT 'normal' CHECK (room_mode IN ('normal', 'group')),
	recording_type       text NOT NULL DEFAULT 'cloud' CHECK (recording_type IN ('none', 'local', 'cloud')),
	recording_trigger    text NOT NULL DEFAULT 'automatic-2nd-participant'
		CHECK (recording_trigger IN ('none', 'prompt', 'automatic', 'automatic-2nd-participant')),
	is_shared            boolean NOT NULL DEFAULT false,
	webhook_url          text,
	webhook_secret       text,
	ics_url              text,
	ics_fetch_interval   integer NOT NULL DEFAULT 300 CHECK (ics_fetch_interval > 0),
	ics_enabled          boolean NOT NULL DEFAULT false,
	ics_last_sync        timestamptz,
	ics_last_etag        text,
	ics_last_modified    text,
	ics_last_hash        text,
	ics_last_status      text,
	ics_last_error       text,
	platform             text NOT NULL,
	skip_consent         boolean NOT NULL DEFAULT false,
	grace_period_minutes integer NOT NULL DEFAULT 15 CHECK (grace_period_minutes >= 0),
	CONSTRAINT uq_room_name UNIQUE (name)
);
CREATE INDEX idx_room_user_created ON room (user_id, created_at DESC);
CREATE INDEX idx_room_shared_created ON room (created_at DESC) WHERE is_shared;
CREATE INDEX idx_room_ics_enabled ON room (ics_last_sync) WHERE ics_enabled;

CREATE TABLE calendar_event (
	id            uuid PRIMARY KEY,
	room_id       uuid NOT NULL REFERENCES room (id) ON DELETE CASCADE,
	ics_uid       text NOT NULL,
	-- recurrence_id identifies one occurrence of a recurring event ('' for a single event).
	recurrence_id text NOT NULL DEFAULT '',
	title         text,
	description   text,
	location      text,
	ics_raw_data  text,
	start_time    timestamptz NOT NULL,
	end_time      timestamptz NOT NULL,
	attendees     jsonb,
	last_synced   timestamptz NOT NULL DEFAULT now(),
	is_deleted    boolean NOT NULL DEFAULT false,
	meeting_id    uuid,
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT uq_room_calendar_event UNIQUE (room_id, ics_uid, recurrence_id)
);
CREATE INDEX idx_calendar_event_room_start ON calendar_event (room_id, start_time) WHERE NOT is_deleted;

CREATE TABLE meeting (
	id                            uuid PRIMARY KEY,
	room_id                       uuid NOT NULL REFERENCES room (id) ON DELETE CASCADE,
	-- kind: 'adhoc' is the room's own meeting (at most one active), 'extra' an ad-hoc meeting
	-- made on purpose beside it (allow_duplicated), 'calendar' one per calendar slot.
	kind                          text NOT NULL DEFAULT 'adhoc' CHECK (kind IN ('adhoc', 'extra', 'calendar')),
	platform                      text NOT NULL,
	provider_meeting_id           text NOT NULL DEFAULT '',
	room_name                     text NOT NULL DEFAULT '',
	room_url                      text NOT NULL DEFAULT '',
	host_room_url                 text NOT NULL DEFAULT '',
	start_date                    timestamptz NOT NULL,
	end_date                      timestamptz NOT NULL,
	is_locked                     boolean NOT NULL,
	room_mode                     text NOT NULL,
	recording_type                text NOT NULL,
	recording_trigger             text NOT NULL,
	num_clients                   integer NOT NULL DEFAULT 0 CHECK (num_clients >= 0),
	is_active                     boolean NOT NULL DEFAULT true,
	calendar_event_id             uuid REFERENCES calendar_event (id) ON DELETE SET NULL,
	calendar_metadata             jsonb,
	daily_composed_video_s3_key   text,
	daily_composed_video_duration integer,
	last_participant_left_at      timestamptz,
	ever_joined                   boolean NOT NULL DEFAULT false,
	ended_at                      timestamptz,
	ended_reason                  text,
	provider_room_deleted_at      timestamptz,
	created_at                    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_meeting_room_id ON meeting (room_id, end_date DESC);
CREATE INDEX idx_meeting_active ON meeting (end_date) WHERE is_active;
CREATE INDEX idx_meeting_room_delete_pending ON meeting (ended_at) WHERE NOT is_active AND provider_room_deleted_at IS NULL;
CREATE INDEX idx_meeting_room_name ON meeting (room_name);
CREATE INDEX idx_meeting_calendar_event ON meeting (calendar_event_id);
-- The backstop of get-or-create: two first joiners can never both make the room's meeting.
CREATE UNIQUE INDEX uq_meeting_one_active_adhoc ON meeting (room_id) WHERE is_active AND kind = 'adhoc';
-- One meeting per calendar slot, whatever the number of UIDs that describe it.
CREATE UNIQUE INDEX uq_meeting_calendar_slot ON meeting (room_id, start_date, end_date) WHERE kind = 'calendar';

ALTER TABLE calendar_event
	ADD CONSTRAINT fk_calendar_event_meeting FOREIGN KEY (meeting_id) REFERENCES meeting (id) ON DELETE SET NULL;

CREATE TABLE meeting_consent (
	id                uuid PRIMARY KEY,
	meeting_id        uuid NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
	user_id           text,
	consent_given     boolean NOT NULL,
	consent_timestamp timestamptz NOT NULL
);
CREATE UNIQUE INDEX uq_meeting_consent_user ON meeting_consent (meeting_id, user_id) WHERE user_id IS NOT NULL;

-- join_intent: a browser tab that was handed a meeting and has not left. Live intents keep the
-- meeting from being deactivated; they expire on their own if the tab never connects.
CREATE TABLE join_intent (
	meeting_id    uuid NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
	connection_id text NOT NULL,
	user_id       text,
	state         text NOT NULL DEFAULT 'joining' CHECK (state IN ('joining', 'connected')),
	created_at    timestamptz NOT NULL,
	updated_at    timestamptz NOT NULL,
	expires_at    timestamptz NOT NULL,
	PRIMARY KEY (meeting_id, connection_id)
);
CREATE INDEX idx_join_intent_expires ON join_intent (expires_at);

CREATE TABLE participant_session (
	id         text PRIMARY KEY, -- "<meeting id>:<provider session id>"
	meeting_id uuid NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
	room_id    uuid NOT NULL REFERENCES room (id) ON DELETE CASCADE,
	session_id text NOT NULL,
	user_id    text,
	user_name  text NOT NULL DEFAULT 'Anonymous',
	joined_at  timestamptz NOT NULL,
	left_at    timestamptz
);
CREATE INDEX idx_participant_session_meeting_left ON participant_session (meeting_id, left_at);
CREATE INDEX idx_participant_session_room ON participant_session (room_id);

CREATE TABLE recording (
	id                    uuid PRIMARY KEY,
	platform              text NOT NULL,
	provider_recording_id text,
	kind                  text NOT NULL DEFAULT 'file' CHECK (kind IN ('file', 'cloud', 'raw-tracks')),
	bucket_name           text NOT NULL,
	object_key            text NOT NULL,
	source_url            text,
	recorded_at           timestamptz NOT NULL,
	status                text NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'downloading', 'stored', 'processing', 'completed', 'failed')),
	meeting_id            uuid REFERENCES meeting (id) ON DELETE SET NULL,
	provider_room_name    text,
	orphan_reason         text,
	track_keys            jsonb,
	duration              double precision,
	size_bytes            bigint,
	attempts              integer NOT NULL DEFAULT 0,
	last_error            text,
	created_at            timestamptz NOT NULL DEFAULT now(),
	updated_at            timestamptz NOT NULL DEFAULT now(),
	stored_at             timestamptz,
	completed_at          timestamptz,
	failed_at             timestamptz
);
CREATE UNIQUE INDEX uq_recording_provider_id ON recording (platform, provider_recording_id)
	WHERE provider_recording_id IS NOT NULL;
CREATE UNIQUE INDEX uq_recording_object ON recording (bucket_name, object_key);
CREATE INDEX idx_recording_meeting_id ON recording (meeting_id);
CREATE INDEX idx_recording_status ON recording (status, updated_at);

CREATE TABLE transcript (
	id              uuid PRIMARY KEY,
	recording_id    uuid REFERENCES recording (id) ON DELETE SET NULL,
	meeting_id      uuid REFERENCES meeting (id) ON DELETE SET NULL,
	room_id         uuid REFERENCES room (id) ON DELETE SET NULL,
	user_id         text,
	title           text NOT NULL DEFAULT '',
	source_kind     text NOT NULL DEFAULT 'room' CHECK (source_kind IN ('room', 'live', 'file')),
	share_mode      text NOT NULL DEFAULT 'private',
	status          text NOT NULL DEFAULT 'idle' CHECK (status IN ('idle', 'uploaded', 'processing', 'ended', 'error')),
	generation      integer NOT NULL DEFAULT 1,
	duration        double precision,
	participants    jsonb NOT NULL DEFAULT '[]',
	segments        jsonb NOT NULL DEFAULT '[]',
	audio_location  text NOT NULL DEFAULT 'storage',
	audio_deleted   boolean NOT NULL DEFAULT false,
	error           text,
	created_at      timestamptz NOT NULL DEFAULT now(),
	updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX uq_transcript_recording ON transcript (recording_id) WHERE recording_id IS NOT NULL;
CREATE INDEX idx_transcript_room_created ON transcript (room_id, created_at);

-- webhook_event is the durable inbox: a verified delivery is stored, acknowledged, then
-- processed by a task, once per provider event id.
CREATE TABLE webhook_event (
	id           bigserial PRIMARY KEY,
	provider     text NOT NULL,
	event_id     text NOT NULL,
	event_type   text NOT NULL,
	event_ts     timestamptz,
	body         bytea NOT NULL,
	headers      jsonb NOT NULL DEFAULT '{}',
	received_at  timestamptz NOT NULL DEFAULT now(),
	processed_at timestamptz,
	attempts     integer NOT NULL DEFAULT 0,
	last_error   text,
	CONSTRAINT uq_webhook_event UNIQUE (provider, event_id)
);
CREATE INDEX idx_webhook_event_unprocessed ON webhook_event (received_at) WHERE processed_at IS NULL;

-- poll_cursor remembers where a polling fallback stopped (e.g. Daily's recordings list).
CREATE TABLE poll_cursor (
	name       text PRIMARY KEY,
	value      text NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);
