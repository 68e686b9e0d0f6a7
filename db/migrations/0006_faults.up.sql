-- Nothing lost, nothing twice (issue 16).
-- transcript_track: one speech-to-text request per audio track of a transcript generation.
-- The attempt is recorded before the request and the result once after it, so a worker crash
-- between the two repeats at most that one request, and a stored result is never asked for
-- again: a retried or re-enqueued transcription only transcribes the tracks still missing.
CREATE TABLE transcript_track (
	transcript_id uuid NOT NULL REFERENCES transcript (id) ON DELETE CASCADE,
	generation    integer NOT NULL,
	track_key     text NOT NULL,
	attempts      integer NOT NULL DEFAULT 0,
	attempted_at  timestamptz NOT NULL,
	result        jsonb,
	done_at       timestamptz,
	PRIMARY KEY (transcript_id, generation, track_key)
);

-- The lease sweep reads recordings waiting on a task by status and age (updated_at is the
-- lease: a running download or transcription renews it).
CREATE INDEX idx_recording_waiting ON recording (updated_at) WHERE status IN ('pending', 'downloading', 'stored');
CREATE INDEX idx_transcript_waiting ON transcript (updated_at) WHERE status IN ('uploaded', 'processing');
