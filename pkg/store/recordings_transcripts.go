package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/recording"
)

const transcriptCols = `id, COALESCE(recording_id, '00000000-0000-0000-0000-000000000000') AS recording_id,
	COALESCE(meeting_id, '00000000-0000-0000-0000-000000000000') AS meeting_id,
	COALESCE(room_id, '00000000-0000-0000-0000-000000000000') AS room_id, COALESCE(user_id, '') AS user_id,
	title, source_kind, share_mode, status, generation, COALESCE(duration, 0) AS duration, participants,
	segments, audio_deleted, COALESCE(error, '') AS error, created_at, updated_at`

// TranscriptForRecording implements recording.Store.
func (s RecordingStore) TranscriptForRecording(ctx context.Context, recordingID uuid.UUID) (recording.Transcript, error) {
	return s.transcriptGet(ctx, `WHERE recording_id = $1`, recordingID)
}

// TranscriptLock implements recording.Store.
func (s RecordingStore) TranscriptLock(ctx context.Context, id uuid.UUID) (recording.Transcript, error) {
	return s.transcriptGet(ctx, `WHERE id = $1 FOR UPDATE`, id)
}

func (s RecordingStore) transcriptGet(ctx context.Context, where string, arg any) (recording.Transcript, error) {
	var t recording.Transcript
	if err := sqlx.GetContext(ctx, s.q, &t, `SELECT `+transcriptCols+` FROM transcript `+where, arg); err != nil {
		if isNoRows(err) {
			return t, recording.ErrNotFound
		}
		return t, fmt.Errorf("select transcript: %w", err)
	}
	return t, nil
}

// TranscriptInsert implements recording.Store.
func (s RecordingStore) TranscriptInsert(ctx context.Context, t recording.Transcript) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO transcript (id, recording_id, meeting_id, room_id, user_id, title,
		source_kind, share_mode, status, generation, participants, segments, created_at, updated_at)
	VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6, $7, $8, $9, $10, $11, $12, COALESCE($13, now()), COALESCE($13, now()))`,
		t.ID, t.RecordingID, t.MeetingID, t.RoomID, t.UserID, t.Title, t.SourceKind, t.ShareMode, t.Status,
		t.Generation, t.Participants, t.Segments, nullTime(t.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert transcript: %w", err)
	}
	return nil
}

// TranscriptSetStatus implements recording.Store.
func (s RecordingStore) TranscriptSetStatus(ctx context.Context, id uuid.UUID, status recording.TranscriptStatus, errText string, now time.Time) error {
	return s.transcriptExec(ctx, `UPDATE transcript SET status = $2, error = NULLIF($3, ''), updated_at = $4
		WHERE id = $1`, id, status, errText, now)
}

// TranscriptSaveResult implements recording.Store.
func (s RecordingStore) TranscriptSaveResult(ctx context.Context, t recording.Transcript, now time.Time) error {
	// The timeline's transcript_done row is written by the same statement.
	return s.transcriptExec(ctx, `WITH u AS (UPDATE transcript SET segments = $2, participants = $3,
			duration = NULLIF($4::float8, 0), status = 'ended', error = NULL, updated_at = $5 WHERE id = $1
			RETURNING id, meeting_id, recording_id, generation, duration),
		t AS (`+transcriptDoneEvent+`)
		SELECT 1 FROM u`, t.ID, t.Segments, t.Participants, t.Duration, now)
}

// TranscriptBumpGeneration implements recording.Store.
func (s RecordingStore) TranscriptBumpGeneration(ctx context.Context, id uuid.UUID, now time.Time) (int, error) {
	var gen int
	err := sqlx.GetContext(ctx, s.q, &gen, `UPDATE transcript SET generation = generation + 1, status = 'uploaded',
		error = NULL, updated_at = $2, requeues = 0, dead_at = NULL WHERE id = $1 RETURNING generation`, id, now)
	if err != nil {
		if isNoRows(err) {
			return 0, recording.ErrNotFound
		}
		return 0, fmt.Errorf("bump transcript generation: %w", err)
	}
	return gen, nil
}

// TranscriptSetAudioDeleted implements recording.Store.
func (s RecordingStore) TranscriptSetAudioDeleted(ctx context.Context, id uuid.UUID, now time.Time) error {
	return s.transcriptExec(ctx, `UPDATE transcript SET audio_deleted = true, updated_at = $2 WHERE id = $1`, id, now)
}

// TranscriptsStalled implements recording.Store.
func (s RecordingStore) TranscriptsStalled(ctx context.Context, before time.Time, limit int) ([]recording.Transcript, error) {
	var ts []recording.Transcript
	err := sqlx.SelectContext(ctx, s.q, &ts, `SELECT `+transcriptCols+` FROM transcript
		WHERE status IN ('uploaded', 'processing') AND updated_at < $1 AND dead_at IS NULL ORDER BY updated_at LIMIT $2`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("select stalled transcripts: %w", err)
	}
	return ts, nil
}

// TranscriptTouch implements recording.Store.
func (s RecordingStore) TranscriptTouch(ctx context.Context, id uuid.UUID, now time.Time) error {
	_, err := s.q.ExecContext(ctx, `UPDATE transcript SET updated_at = $2 WHERE id = $1 AND status = 'processing'`, id, now)
	if err != nil {
		return fmt.Errorf("renew transcript lease: %w", err)
	}
	return nil
}

func (s RecordingStore) transcriptExec(ctx context.Context, q string, args ...any) error {
	res, err := s.q.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("update transcript: %w", err)
	}
	return oneRow(res, recording.ErrNotFound)
}
