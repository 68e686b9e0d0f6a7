-- The database of an original Reflector (Python back end) install at v0.34.0, alembic head
-- 623af934249a: the final state of its 61 Alembic migrations (server/migrations/versions),
-- written out as plain DDL, then seeded with the rows a small team leaves after a few weeks.
-- Types, nullability, defaults, foreign keys and indexes follow the migrations, not the
-- SQLAlchemy models where the two differ (e.g. meeting.room_id is nullable since def1b5867d4c,
-- room.ics_fetch_interval nullable since d8e204bbf615, no unique (meeting_id, user_id) on
-- meeting_consent, recording.meeting_id without a foreign key). The full-text search columns
-- and indexes of transcript (116b2f287eab, 0ab2d7ffaa16) are left out: the importer never
-- reads transcripts, it only counts them.

CREATE TABLE alembic_version (
	version_num varchar(32) NOT NULL,
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO alembic_version VALUES ('623af934249a');

-- bbafedfa510c
CREATE TABLE "user" (
	id            varchar NOT NULL PRIMARY KEY,
	email         varchar NOT NULL,
	authentik_uid varchar NOT NULL,
	created_at    timestamptz NOT NULL,
	updated_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX idx_user_authentik_uid ON "user" (authentik_uid);
CREATE INDEX idx_user_email ON "user" (email);

-- 9e3f7b2a4c8e; key_hash is hex(HMAC-SHA256(SECRET_KEY, plaintext)).
CREATE TABLE user_api_key (
	id         varchar NOT NULL PRIMARY KEY,
	user_id    varchar NOT NULL,
	key_hash   varchar NOT NULL,
	name       varchar,
	created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX idx_user_api_key_hash ON user_api_key (key_hash);
CREATE INDEX idx_user_api_key_user_id ON user_api_key (user_id);

-- 62dea3db63a5, 0925da921477, a7122bc0b2ca, 9f5c78d352d6, 0194f65cd6d3, d8e204bbf615,
-- 1e49625677e4, 5d6b9df9b045, 20251217000000 (use_hatchet/use_celery came and went).
CREATE TABLE room (
	id                 varchar NOT NULL PRIMARY KEY,
	name               varchar NOT NULL,
	user_id            varchar NOT NULL,
	created_at         timestamptz NOT NULL,
	zulip_auto_post    boolean DEFAULT false NOT NULL,
	zulip_stream       varchar,
	zulip_topic        varchar,
	is_locked          boolean DEFAULT false NOT NULL,
	room_mode          varchar DEFAULT 'normal' NOT NULL,
	recording_type     varchar DEFAULT 'cloud' NOT NULL,
	recording_trigger  varchar DEFAULT 'automatic-2nd-participant' NOT NULL,
	is_shared          boolean DEFAULT false NOT NULL,
	webhook_url        varchar,
	webhook_secret     varchar,
	ics_url            text,
	ics_fetch_interval integer DEFAULT 300,
	ics_enabled        boolean DEFAULT false NOT NULL,
	ics_last_sync      timestamptz,
	ics_last_etag      text,
	platform           varchar NOT NULL,
	skip_consent       boolean DEFAULT false NOT NULL,
	CONSTRAINT uq_room_name UNIQUE (name)
);
CREATE INDEX idx_room_is_shared ON room (is_shared);
CREATE INDEX idx_room_ics_enabled ON room (ics_enabled);

-- d8e204bbf615
CREATE TABLE calendar_event (
	id           varchar NOT NULL PRIMARY KEY,
	room_id      varchar NOT NULL,
	ics_uid      text NOT NULL,
	title        text,
	description  text,
	start_time   timestamptz NOT NULL,
	end_time     timestamptz NOT NULL,
	attendees    jsonb,
	location     text,
	ics_raw_data text,
	last_synced  timestamptz NOT NULL,
	is_deleted   boolean DEFAULT false NOT NULL,
	created_at   timestamptz NOT NULL,
	updated_at   timestamptz NOT NULL,
	CONSTRAINT fk_calendar_event_room_id FOREIGN KEY (room_id) REFERENCES room (id) ON DELETE CASCADE,
	CONSTRAINT uq_room_calendar_event UNIQUE (room_id, ics_uid)
);
CREATE INDEX idx_calendar_event_room_start ON calendar_event (room_id, start_time);
CREATE INDEX idx_calendar_event_deleted ON calendar_event (is_deleted) WHERE NOT is_deleted;

-- 62dea3db63a5, b469348df210, 6ea59639f30e, b0e5f7876032, 9f5c78d352d6, 6dec9fb5b46c,
-- 0ce521cda2ee, def1b5867d4c, 6025e9b2bef2 (one-active index dropped), d4a1c446458c and
-- dc035ff72fd5 (grace fields came and went), d8e204bbf615, 1e49625677e4, 1b1e6a6fc465.
CREATE TABLE meeting (
	id                            varchar NOT NULL PRIMARY KEY,
	room_name                     varchar,
	room_url                      varchar,
	host_room_url                 varchar,
	start_date                    timestamptz,
	end_date                      timestamptz,
	room_id                       varchar,
	is_locked                     boolean DEFAULT false NOT NULL,
	room_mode                     varchar DEFAULT 'normal' NOT NULL,
	recording_type                varchar DEFAULT 'cloud' NOT NULL,
	recording_trigger             varchar DEFAULT 'automatic-2nd-participant' NOT NULL,
	num_clients                   integer DEFAULT 0 NOT NULL,
	is_active                     boolean DEFAULT true NOT NULL,
	calendar_event_id             varchar,
	calendar_metadata             jsonb,
	platform                      varchar DEFAULT 'whereby' NOT NULL,
	daily_composed_video_s3_key   varchar,
	daily_composed_video_duration integer,
	CONSTRAINT meeting_room_id_fkey FOREIGN KEY (room_id) REFERENCES room (id) ON DELETE CASCADE,
	CONSTRAINT fk_meeting_calendar_event_id FOREIGN KEY (calendar_event_id) REFERENCES calendar_event (id) ON DELETE SET NULL
);
CREATE INDEX idx_meeting_room_id ON meeting (room_id);
CREATE INDEX idx_meeting_calendar_event ON meeting (calendar_event_id);

-- 20250617140003, 9f5c78d352d6, 5a8907fd1d78
CREATE TABLE meeting_consent (
	id                varchar NOT NULL PRIMARY KEY,
	meeting_id        varchar NOT NULL,
	user_id           varchar,
	consent_given     boolean NOT NULL,
	consent_timestamp timestamptz NOT NULL,
	CONSTRAINT meeting_consent_meeting_id_fkey FOREIGN KEY (meeting_id) REFERENCES meeting (id) ON DELETE CASCADE
);

-- d3ff3a39297f, 9f5c78d352d6, ccd68dc784ff, f8294b31f022
CREATE TABLE recording (
	id          varchar NOT NULL PRIMARY KEY,
	bucket_name varchar NOT NULL,
	object_key  varchar NOT NULL,
	recorded_at timestamptz NOT NULL,
	status      varchar DEFAULT 'pending' NOT NULL,
	meeting_id  varchar,
	track_keys  json
);
CREATE INDEX idx_recording_meeting_id ON recording (meeting_id);

-- 2b92a1b03caa (its trigger keeps left_at from changing once set)
CREATE TABLE daily_participant_session (
	id         varchar NOT NULL PRIMARY KEY,
	meeting_id varchar NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
	room_id    varchar NOT NULL REFERENCES room (id) ON DELETE CASCADE,
	session_id varchar NOT NULL,
	user_id    varchar,
	user_name  varchar NOT NULL,
	joined_at  timestamptz NOT NULL,
	left_at    timestamptz
);
CREATE INDEX idx_daily_session_meeting_left ON daily_participant_session (meeting_id, left_at);
CREATE INDEX idx_daily_session_room ON daily_participant_session (room_id);

-- b3df9681cae9 and its many successors, without the search columns.
CREATE TYPE sourcekind AS ENUM ('room', 'live', 'file');
CREATE SEQUENCE transcript_change_seq;
CREATE TABLE transcript (
	id               varchar NOT NULL PRIMARY KEY,
	name             varchar,
	status           varchar,
	locked           boolean,
	duration         double precision,
	created_at       timestamptz,
	title            varchar,
	short_summary    varchar,
	long_summary     varchar,
	action_items     json,
	topics           json,
	events           json,
	participants     json,
	source_language  varchar,
	target_language  varchar,
	reviewed         boolean DEFAULT false NOT NULL,
	audio_location   varchar DEFAULT 'local' NOT NULL,
	user_id          varchar,
	share_mode       varchar DEFAULT 'private' NOT NULL,
	meeting_id       varchar,
	recording_id     varchar,
	zulip_message_id integer,
	source_kind      sourcekind NOT NULL,
	audio_deleted    boolean,
	room_id          varchar,
	webvtt           text,
	workflow_run_id  varchar,
	change_seq       bigint DEFAULT nextval('transcript_change_seq')
);
CREATE INDEX idx_transcript_recording_id ON transcript (recording_id);
CREATE INDEX idx_transcript_user_id ON transcript (user_id);
CREATE INDEX idx_transcript_room_id_created_at ON transcript (room_id, created_at);

-- Seed: two users (Alice and Bob, signed in through Authentik), after scripts/migrate_user_ids.py
-- moved ownership from Authentik uids to internal ids.
INSERT INTO "user" VALUES
	('a11ce000-0000-4000-8000-000000000001', 'alice@example.com', 'ak-7f3c2a91d4e8alice', '2025-06-02 09:14:03.512+00', '2025-11-19 21:30:00+00'),
	('b0b00000-0000-4000-8000-000000000002', 'bob@example.com', 'ak-0d9e44b1c2f7bob', '2025-06-05 15:40:12.001+00', '2025-11-19 21:30:00+00');

-- Plaintext keys: rfk_alice_live_key_7Qm2 and rfk_bob_ci_key_9Zx4, SECRET_KEY fixture-original-secret-key.
INSERT INTO user_api_key VALUES
	('c0ffee00-0000-4000-8000-000000000001', 'a11ce000-0000-4000-8000-000000000001', '82e485d58dc9ff64119e3d8dcf6d1341a970096c3c19d939b5b48dde1cb31a31', 'zapier', '2025-11-21 08:00:00+00'),
	('c0ffee00-0000-4000-8000-000000000002', 'b0b00000-0000-4000-8000-000000000002', '6dca094acfd0f8ad342b13e042f3cbc07cb20211018fc4b5ccbc0ff156a9d7cd', NULL, '2025-11-22 17:45:31+00');

INSERT INTO room (id, name, user_id, created_at, zulip_auto_post, zulip_stream, zulip_topic, is_locked, room_mode,
	recording_type, recording_trigger, is_shared, webhook_url, webhook_secret, ics_url, ics_fetch_interval,
	ics_enabled, ics_last_sync, ics_last_etag, platform, skip_consent) VALUES
	-- Alice's private stand-up room on Whereby, posting to Zulip and to her webhook.
	('10000000-0000-4000-8000-000000000001', 'alice-standup', 'a11ce000-0000-4000-8000-000000000001', '2025-06-02 09:20:00+00',
	 true, 'engineering', 'standups', false, 'normal', 'cloud', 'automatic-2nd-participant', false,
	 'https://hooks.example.com/reflector/alice', 'whsec_4f1d0c9a7e', NULL, 300, false, NULL, NULL, 'whereby', false),
	-- Bob's shared weekly room on Daily, group mode, recording on prompt.
	('10000000-0000-4000-8000-000000000002', 'team-weekly', 'b0b00000-0000-4000-8000-000000000002', '2025-06-05 16:00:00+00',
	 false, '', '', false, 'group', 'cloud', 'prompt', true,
	 NULL, NULL, NULL, 300, false, NULL, NULL, 'daily', false),
	-- Alice's calendar room: synced from an ICS feed every 10 minutes.
	('10000000-0000-4000-8000-000000000003', 'alice-calendar', 'a11ce000-0000-4000-8000-000000000001', '2025-09-15 12:00:00+00',
	 false, '', '', true, 'normal', 'cloud', 'automatic', false,
	 NULL, NULL, 'https://calendar.example.com/private-9a8b7c/basic.ics', 600, true, '2025-12-01 09:50:00+00',
	 '"5d41402abc4b2a76b9719d911017c592"', 'daily', true),
	-- Bob's old one-on-one room from before the Zulip fields got defaults, never recorded.
	('10000000-0000-4000-8000-000000000004', 'bob-1on1', 'b0b00000-0000-4000-8000-000000000002', '2024-10-01 07:30:00+00',
	 false, NULL, NULL, true, 'normal', 'none', 'none', false,
	 NULL, NULL, NULL, NULL, false, NULL, NULL, 'whereby', false);

INSERT INTO calendar_event VALUES
	('20000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000003', 'evt-roadmap-review@calendar.example.com',
	 'Roadmap review', 'Q1 priorities', '2025-11-28 14:00:00+00', '2025-11-28 15:00:00+00',
	 '[{"email": "alice@example.com", "status": "ACCEPTED"}, {"email": "carol@example.org", "status": "NEEDS-ACTION"}]',
	 'https://reflector.example.com/alice-calendar', 'BEGIN:VEVENT\nUID:evt-roadmap-review@calendar.example.com\nEND:VEVENT',
	 '2025-12-01 09:50:00+00', false, '2025-11-20 10:00:00+00', '2025-12-01 09:50:00+00'),
	('20000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000003', 'evt-design-sync@calendar.example.com',
	 'Design sync', NULL, '2025-12-01 10:00:00+00', '2025-12-01 11:00:00+00', NULL,
	 NULL, NULL, '2025-12-01 09:50:00+00', false, '2025-11-25 10:00:00+00', '2025-12-01 09:50:00+00'),
	('20000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000003', 'evt-cancelled@calendar.example.com',
	 'Cancelled offsite', NULL, '2025-12-03 09:00:00+00', '2025-12-03 17:00:00+00', NULL,
	 NULL, NULL, '2025-12-01 09:50:00+00', true, '2025-11-10 10:00:00+00', '2025-11-30 18:00:00+00');

INSERT INTO meeting (id, room_name, room_url, host_room_url, start_date, end_date, room_id, is_locked, room_mode,
	recording_type, recording_trigger, num_clients, is_active, calendar_event_id, calendar_metadata, platform,
	daily_composed_video_s3_key, daily_composed_video_duration) VALUES
	-- alice-standup: last week's meeting (ended) and today's (active); Whereby's meeting ids are numbers.
	('104318277', '/a1b2c3d4-alice-standup', 'https://example.whereby.com/a1b2c3d4-alice-standup',
	 'https://example.whereby.com/a1b2c3d4-alice-standup?roomKey=hk1', '2025-11-24 09:00:00+00', '2025-11-25 09:00:00+00',
	 '10000000-0000-4000-8000-000000000001', false, 'normal', 'cloud', 'automatic-2nd-participant', 0, false, NULL, NULL, 'whereby', NULL, NULL),
	('104352910', '/e5f6a7b8-alice-standup', 'https://example.whereby.com/e5f6a7b8-alice-standup',
	 'https://example.whereby.com/e5f6a7b8-alice-standup?roomKey=hk2', '2025-12-01 08:55:00+00', '2025-12-02 08:55:00+00',
	 '10000000-0000-4000-8000-000000000001', false, 'normal', 'cloud', 'automatic-2nd-participant', 1, true, NULL, NULL, 'whereby', NULL, NULL),
	-- team-weekly: two active meetings (the original allows several since 6025e9b2bef2).
	('30000000-0000-4000-8000-000000000003', 'team-weekly-20251201100000', 'https://example.daily.co/team-weekly-20251201100000',
	 'https://example.daily.co/team-weekly-20251201100000', '2025-12-01 10:00:00+00', '2025-12-01 18:00:00+00',
	 '10000000-0000-4000-8000-000000000002', false, 'group', 'cloud', 'prompt', 2, true, NULL, NULL, 'daily', NULL, NULL),
	('30000000-0000-4000-8000-000000000006', 'team-weekly-20251201093000', 'https://example.daily.co/team-weekly-20251201093000',
	 'https://example.daily.co/team-weekly-20251201093000', '2025-12-01 09:30:00+00', '2025-12-01 17:30:00+00',
	 '10000000-0000-4000-8000-000000000002', false, 'group', 'cloud', 'prompt', 0, true, NULL, NULL, 'daily', NULL, NULL),
	-- alice-calendar: the ended roadmap review (composed video stored) and the design sync going on now.
	('30000000-0000-4000-8000-000000000004', 'alice-calendar-20251128135500', 'https://example.daily.co/alice-calendar-20251128135500',
	 'https://example.daily.co/alice-calendar-20251128135500', '2025-11-28 14:00:00+00', '2025-11-28 15:00:00+00',
	 '10000000-0000-4000-8000-000000000003', true, 'normal', 'cloud', 'automatic', 0, false, '20000000-0000-4000-8000-000000000001',
	 '{"title": "Roadmap review", "description": "Q1 priorities", "attendees": [{"email": "alice@example.com"}]}', 'daily',
	 'daily/alice-calendar-20251128135500/composed.mp4', 3412),
	('30000000-0000-4000-8000-000000000005', 'alice-calendar-20251201095500', 'https://example.daily.co/alice-calendar-20251201095500',
	 'https://example.daily.co/alice-calendar-20251201095500', '2025-12-01 10:00:00+00', '2025-12-01 11:00:00+00',
	 '10000000-0000-4000-8000-000000000003', true, 'normal', 'cloud', 'automatic', 0, true, '20000000-0000-4000-8000-000000000002',
	 '{"title": "Design sync"}', 'daily', NULL, NULL),
	-- bob-1on1: a meeting from 2024, before the room/host URLs were always stored.
	('98765432', '/0a0b0c0d-bob-1on1', 'https://example.whereby.com/0a0b0c0d-bob-1on1', NULL,
	 '2024-10-02 07:00:00+00', '2024-10-03 07:00:00+00', '10000000-0000-4000-8000-000000000004', true, 'normal', 'none', 'none',
	 0, false, NULL, NULL, 'whereby', NULL, NULL);

INSERT INTO meeting_consent VALUES
	('40000000-0000-4000-8000-000000000001', '104318277', 'a11ce000-0000-4000-8000-000000000001', true, '2025-11-24 09:01:10+00'),
	('40000000-0000-4000-8000-000000000002', '104318277', NULL, false, '2025-11-24 09:03:44+00'),
	('40000000-0000-4000-8000-000000000003', '30000000-0000-4000-8000-000000000003', 'b0b00000-0000-4000-8000-000000000002', true, '2025-12-01 10:05:00+00'),
	-- Bob first declined, then accepted: the original keeps both rows.
	('40000000-0000-4000-8000-000000000004', '30000000-0000-4000-8000-000000000003', 'b0b00000-0000-4000-8000-000000000002', false, '2025-12-01 10:02:00+00');

INSERT INTO recording VALUES
	('50000000-0000-4000-8000-000000000001', 'reflector-whereby-recordings', 'a1b2c3d4-alice-standup/2025-11-24T09-00-12Z.mp4',
	 '2025-11-24 09:00:12+00', 'completed', '104318277', NULL),
	('50000000-0000-4000-8000-000000000002', 'reflector-daily-recordings', 'daily/team-weekly-20251201100000',
	 '2025-12-01 10:01:00+00', 'processing', '30000000-0000-4000-8000-000000000003',
	 '["daily/team-weekly-20251201100000/1764583260000-4b1c-cam-audio.webm", "daily/team-weekly-20251201100000/1764583275000-9e2d-cam-audio.webm"]'),
	('50000000-0000-4000-8000-000000000003', 'reflector-daily-recordings', 'daily/alice-calendar-20251128135500',
	 '2025-11-28 14:00:30+00', 'completed', '30000000-0000-4000-8000-000000000004',
	 '["daily/alice-calendar-20251128135500/1764338430000-77aa-cam-audio.webm"]'),
	-- A Whereby upload whose meeting was never found.
	('50000000-0000-4000-8000-000000000004', 'reflector-whereby-recordings', 'ffffffff-unknown-room/2025-11-30T16-00-00Z.mp4',
	 '2025-11-30 16:00:00+00', 'pending', NULL, NULL);

INSERT INTO daily_participant_session VALUES
	('30000000-0000-4000-8000-000000000003:sess-4b1c', '30000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000002',
	 'sess-4b1c', 'b0b00000-0000-4000-8000-000000000002', 'Bob', '2025-12-01 10:01:00+00', NULL),
	('30000000-0000-4000-8000-000000000003:sess-9e2d', '30000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000002',
	 'sess-9e2d', NULL, 'Guest', '2025-12-01 10:01:15+00', NULL),
	('30000000-0000-4000-8000-000000000004:sess-77aa', '30000000-0000-4000-8000-000000000004', '10000000-0000-4000-8000-000000000003',
	 'sess-77aa', 'a11ce000-0000-4000-8000-000000000001', 'Alice', '2025-11-28 14:00:20+00', '2025-11-28 14:58:00+00');

INSERT INTO transcript (id, name, status, locked, duration, created_at, title, user_id, share_mode, meeting_id,
	recording_id, source_kind, room_id, audio_location) VALUES
	('60000000-0000-4000-8000-000000000001', 'alice-standup 2025-11-24', 'ended', false, 1712.4, '2025-11-24 09:31:00+00',
	 'Stand-up: release freeze', 'a11ce000-0000-4000-8000-000000000001', 'private', '104318277',
	 '50000000-0000-4000-8000-000000000001', 'room', '10000000-0000-4000-8000-000000000001', 'storage'),
	('60000000-0000-4000-8000-000000000002', 'alice-calendar 2025-11-28', 'ended', false, 3412.0, '2025-11-28 15:05:00+00',
	 'Roadmap review', 'a11ce000-0000-4000-8000-000000000001', 'semi-private', '30000000-0000-4000-8000-000000000004',
	 '50000000-0000-4000-8000-000000000003', 'room', '10000000-0000-4000-8000-000000000003', 'storage');
