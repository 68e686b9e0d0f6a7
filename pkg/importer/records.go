package importer

import (
	"context"
	"time"

	"github.com/google/uuid"
)

type srcConsent struct {
	ID        string    `db:"id"`
	MeetingID *string   `db:"meeting_id"`
	UserID    *string   `db:"user_id"`
	Given     bool      `db:"consent_given"`
	Timestamp time.Time `db:"consent_timestamp"`
}

var consentTarget = newTarget("meeting_consent", //nolint:gochecknoglobals // constant
	[]string{"meeting_id", "user_id", "consent_given", "consent_timestamp"}, nil, nil)

// consents keep one answer per user and meeting, as ours does: the latest. The original keeps
// every answer; the older ones are listed as notes.
func (r *run) consents(ctx context.Context) error {
	latest := map[[2]string]string{}
	return each(ctx, r, "meeting_consent", `SELECT id, meeting_id, user_id, consent_given, consent_timestamp
		FROM meeting_consent ORDER BY meeting_id, user_id, consent_timestamp DESC, id`,
		func(ctx context.Context, c *Counts, s srcConsent) error {
			if s.UserID != nil && s.MeetingID != nil {
				key := [2]string{*s.MeetingID, *s.UserID}
				if kept, ok := latest[key]; ok {
					r.rep.note("meeting_consent", s.ID, "an older answer of the same user: superseded by %s", kept)
					return nil
				}
				latest[key] = s.ID
			}
			return r.consent(ctx, c, s)
		})
}

func (r *run) consent(ctx context.Context, c *Counts, s srcConsent) error {
	id := r.idFor("meeting_consent", s.ID)
	var ck checker
	meetingID := r.ref(&ck, "meeting", "meeting_id", s.MeetingID)
	if ck.reason == "" && s.UserID != nil {
		other, err := r.otherID(ctx, `SELECT id::text FROM meeting_consent WHERE meeting_id = $1 AND user_id = $2
			AND id <> $3`, meetingID, *s.UserID, id)
		if err != nil {
			return err
		}
		if other != "" {
			ck.fail("the user already answered here (consent %s)", other)
		}
	}
	if ck.reason != "" {
		r.rep.skip("meeting_consent", s.ID, "%s", ck.reason)
		return nil
	}
	return consentTarget.write(ctx, r.dst, c, id, meetingID, s.UserID, s.Given, s.Timestamp)
}

type srcSession struct {
	ID        string     `db:"id"`
	MeetingID *string    `db:"meeting_id"`
	RoomID    *string    `db:"room_id"`
	SessionID string     `db:"session_id"`
	UserID    *string    `db:"user_id"`
	UserName  string     `db:"user_name"`
	JoinedAt  time.Time  `db:"joined_at"`
	LeftAt    *time.Time `db:"left_at"`
}

var sessionTarget = newTarget("participant_session", //nolint:gochecknoglobals // constant
	[]string{"meeting_id", "room_id", "session_id", "user_id", "user_name", "joined_at", "left_at"}, nil, nil)

// sessions copies Daily's participant history; ids are the original's "<meeting>:<session>".
func (r *run) sessions(ctx context.Context) error {
	return each(ctx, r, "participant_session", `SELECT id, meeting_id, room_id, session_id, user_id, user_name,
		joined_at, left_at FROM daily_participant_session ORDER BY joined_at, id`, r.session)
}

func (r *run) session(ctx context.Context, c *Counts, s srcSession) error {
	var ck checker
	meetingID := r.ref(&ck, "meeting", "meeting_id", s.MeetingID)
	roomID := r.ref(&ck, "room", "room_id", s.RoomID)
	if ck.reason != "" {
		r.rep.skip("participant_session", s.ID, "%s", ck.reason)
		return nil
	}
	return sessionTarget.write(ctx, r.dst, c, s.ID, meetingID, roomID, s.SessionID, s.UserID, s.UserName,
		s.JoinedAt, s.LeftAt)
}

type srcRecording struct {
	ID         string    `db:"id"`
	BucketName string    `db:"bucket_name"`
	ObjectKey  string    `db:"object_key"`
	RecordedAt time.Time `db:"recorded_at"`
	Status     string    `db:"status"`
	MeetingID  *string   `db:"meeting_id"`
	TrackKeys  []byte    `db:"track_keys"`
	Platform   *string   `db:"meeting_platform"`
	Dangling   bool      `db:"dangling"`
}

var recordingTarget = newTarget("recording", //nolint:gochecknoglobals // constant
	[]string{"platform", "provider_recording_id", "kind", "bucket_name", "object_key", "recorded_at", "status",
		"meeting_id", "track_keys"},
	[]string{"created_at", "updated_at", "orphan_reason"}, nil)

// recordings keep their ids and object keys, so transcripts in the original and files in the
// buckets still match them.
func (r *run) recordings(ctx context.Context) error {
	return each(ctx, r, "recording", `SELECT rc.id, rc.bucket_name, rc.object_key, rc.recorded_at,
		rc.status, rc.meeting_id, rc.track_keys, m.platform AS meeting_platform,
		(rc.meeting_id IS NOT NULL AND m.id IS NULL) AS dangling
		FROM recording rc LEFT JOIN meeting m ON m.id = rc.meeting_id ORDER BY rc.recorded_at, rc.id`, r.recording)
}

func (r *run) recording(ctx context.Context, c *Counts, s srcRecording) error {
	id := r.idFor("recording", s.ID)
	var ck checker
	ck.oneOf("status", s.Status, recordingStatuses)
	var meetingID *uuid.UUID
	var orphan *string
	switch {
	case s.Dangling:
		r.rep.note("recording", s.ID, "meeting %s does not exist in the original: imported without a meeting", *s.MeetingID)
		orphan = ptr("imported: meeting " + *s.MeetingID + " not found in the original")
	case s.MeetingID != nil:
		m := r.ref(&ck, "meeting", "meeting_id", s.MeetingID)
		meetingID = &m
	}
	if ck.reason == "" {
		other, err := r.otherID(ctx, `SELECT id::text FROM recording WHERE bucket_name = $1 AND object_key = $2
			AND id <> $3`, s.BucketName, s.ObjectKey, id)
		if err != nil {
			return err
		}
		if other != "" {
			ck.fail("object %s/%s is already recording %s here", s.BucketName, s.ObjectKey, other)
		}
	}
	if ck.reason != "" {
		r.rep.skip("recording", s.ID, "%s", ck.reason)
		return nil
	}
	platform, kind, providerID := recordingSource(s)
	return recordingTarget.write(ctx, r.dst, c, id, platform, providerID, kind, s.BucketName, s.ObjectKey,
		s.RecordedAt, s.Status, meetingID, nullJSON(s.TrackKeys), s.RecordedAt, s.RecordedAt, orphan)
}

// recordingSource tells where a recording came from: the meeting's platform, else Daily for
// multitrack (only Daily records raw tracks). Daily raw-track recordings carry Daily's
// recording id as their id in the original.
func recordingSource(s srcRecording) (platform, kind string, providerID *string) {
	multitrack := len(s.TrackKeys) > 0 && string(s.TrackKeys) != "null"
	switch {
	case s.Platform != nil:
		platform = *s.Platform
	case multitrack:
		platform = "daily"
	default:
		platform = "whereby"
	}
	switch {
	case multitrack:
		return platform, "raw-tracks", &s.ID
	case platform == "daily":
		return platform, "cloud", nil
	}
	return platform, "file", nil
}

// transcripts stay in the original: they are counted, not copied.
func (r *run) transcripts(ctx context.Context) error {
	if err := r.src.GetContext(ctx, &r.rep.Transcripts, `SELECT count(*) FROM transcript`); err != nil {
		return err
	}
	return nil
}
