package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/recording"
)

const recordingMeetingCols = `m.id, m.room_id, r.user_id AS room_owner, m.platform, m.room_name, m.start_date,
	m.end_date, m.ended_at, m.daily_composed_video_s3_key`

// MeetingsByProviderRoomName implements recording.Store.
func (s RecordingStore) MeetingsByProviderRoomName(ctx context.Context, platform, roomName string) ([]recording.Meeting, error) {
	var ms []recording.Meeting
	q := `SELECT ` + recordingMeetingCols + ` FROM meeting m JOIN room r ON r.id = m.room_id
		WHERE m.room_name = $2 AND m.platform = $1 ORDER BY m.start_date DESC, m.id`
	if err := sqlx.SelectContext(ctx, s.q, &ms, q, platform, roomName); err != nil {
		return nil, fmt.Errorf("select meetings by room name: %w", err)
	}
	return ms, nil
}

// MeetingByID implements recording.Store.
func (s RecordingStore) MeetingByID(ctx context.Context, id uuid.UUID) (recording.Meeting, error) {
	var m recording.Meeting
	q := `SELECT ` + recordingMeetingCols + ` FROM meeting m JOIN room r ON r.id = m.room_id WHERE m.id = $1`
	if err := sqlx.GetContext(ctx, s.q, &m, q, id); err != nil {
		if isNoRows(err) {
			return m, recording.ErrNotFound
		}
		return m, fmt.Errorf("select meeting: %w", err)
	}
	return m, nil
}

// MeetingSetComposedVideo implements recording.Store; the first composed video wins, in one
// statement so two deliveries cannot both believe they set it.
func (s RecordingStore) MeetingSetComposedVideo(ctx context.Context, meetingID uuid.UUID, key string, durationSec int) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE meeting SET daily_composed_video_s3_key = $2,
		daily_composed_video_duration = $3 WHERE id = $1 AND daily_composed_video_s3_key IS NULL`,
		meetingID, key, durationSec)
	if err != nil {
		return false, fmt.Errorf("set composed video: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// MeetingSetRecordingStarted implements recording.Store (the first start is kept).
func (s RecordingStore) MeetingSetRecordingStarted(ctx context.Context, meetingID uuid.UUID, at time.Time) error {
	_, err := s.q.ExecContext(ctx, `WITH u AS (UPDATE meeting SET recording_started_at = $2
			WHERE id = $1 AND recording_started_at IS NULL RETURNING id, platform)
		INSERT INTO meeting_event (meeting_id, at, kind, actor) SELECT id, $2, 'recording_started', platform FROM u`,
		meetingID, at)
	if err != nil {
		return fmt.Errorf("set recording started: %w", err)
	}
	return nil
}

// MeetingsMissingRecording implements recording.Store.
func (s RecordingStore) MeetingsMissingRecording(ctx context.Context, endedAfter, endedBefore time.Time) ([]recording.MissingRecording, error) {
	q := `WITH c AS (
		SELECT m.*, COALESCE(m.ended_at, m.end_date) AS ended,
			(SELECT count(*) FROM participant_session ps WHERE ps.meeting_id = m.id) AS sessions
		FROM meeting m
		WHERE NOT m.is_active AND m.recording_type NOT IN ('none', 'local') AND m.daily_composed_video_s3_key IS NULL
			AND COALESCE(m.ended_at, m.end_date) >= $1 AND COALESCE(m.ended_at, m.end_date) < $2)
	SELECT c.id AS meeting_id, c.room_id, c.platform, c.room_name, c.ended AS ended_at, c.sessions,
		c.recording_started_at IS NOT NULL AS recording_started,
		COALESCE((SELECT rc.last_error FROM recording rc WHERE rc.meeting_id = c.id AND rc.status = 'failed'
			ORDER BY rc.updated_at DESC LIMIT 1), '') AS failed_reason
	FROM c
	WHERE (c.recording_started_at IS NOT NULL OR c.sessions >= 2)
		AND NOT EXISTS (SELECT 1 FROM recording rc WHERE rc.meeting_id = c.id
			AND rc.status IN ('stored', 'processing', 'completed'))
	ORDER BY c.ended, c.id`
	var out []recording.MissingRecording
	if err := sqlx.SelectContext(ctx, s.q, &out, q, endedAfter, endedBefore); err != nil {
		return nil, fmt.Errorf("select meetings missing a recording: %w", err)
	}
	return out, nil
}

// MeetingConsentDenied implements recording.Store.
func (s RecordingStore) MeetingConsentDenied(ctx context.Context, meetingID uuid.UUID) (bool, error) {
	var denied bool
	err := sqlx.GetContext(ctx, s.q, &denied,
		`SELECT EXISTS (SELECT 1 FROM meeting_consent WHERE meeting_id = $1 AND NOT consent_given)`, meetingID)
	if err != nil {
		return false, fmt.Errorf("select consent: %w", err)
	}
	return denied, nil
}

// ParticipantSessionsForMeeting implements recording.Store.
func (s RecordingStore) ParticipantSessionsForMeeting(ctx context.Context, meetingID uuid.UUID) ([]recording.ParticipantSession, error) {
	var ps []recording.ParticipantSession
	err := sqlx.SelectContext(ctx, s.q, &ps, `SELECT session_id, COALESCE(user_id, '') AS user_id, user_name,
		joined_at, left_at FROM participant_session WHERE meeting_id = $1 ORDER BY joined_at, session_id`, meetingID)
	if err != nil {
		return nil, fmt.Errorf("select participant sessions: %w", err)
	}
	return ps, nil
}
