package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/redact"
)

// RecordingStore implements recording.Store.
type RecordingStore struct{ base }

var _ recording.Store = RecordingStore{}

// NewRecordingStore returns the recording adapter on db.
func NewRecordingStore(db *sqlx.DB) RecordingStore { return RecordingStore{newBase(db)} }

// InTx runs fn with a copy of the store bound to one transaction.
func (s RecordingStore) InTx(ctx context.Context, fn func(recording.Store) error) error {
	return s.inTx(ctx, func(b base) error { return fn(RecordingStore{b}) })
}

// recordingCols reads a recording row, nullable text and numbers as their zero values, and
// the room of its meeting (for log lines).
const recordingCols = `id, platform, COALESCE(provider_recording_id, '') AS provider_recording_id, kind,
	bucket_name, object_key, COALESCE(source_url, '') AS source_url, recorded_at, status, meeting_id,
	COALESCE(provider_room_name, '') AS provider_room_name, COALESCE(orphan_reason, '') AS orphan_reason,
	track_keys, COALESCE(duration, 0) AS duration, COALESCE(size_bytes, 0) AS size_bytes, attempts,
	COALESCE(last_error, '') AS last_error, created_at, updated_at, stored_at, completed_at, failed_at,
	(SELECT m.room_id FROM meeting m WHERE m.id = recording.meeting_id) AS room_id`

// RecordingInsert implements recording.Store: a conflict on either unique key returns the
// existing row.
func (s RecordingStore) RecordingInsert(ctx context.Context, r recording.Recording) (recording.Recording, bool, error) {
	// The timeline's recording_ready row of a meeting's recording is written by the same statement.
	q := `WITH ins AS (INSERT INTO recording (id, platform, provider_recording_id, kind, bucket_name, object_key, source_url,
		recorded_at, status, meeting_id, provider_room_name, orphan_reason, track_keys, duration, size_bytes,
		created_at, updated_at)
	VALUES ($1, $2, NULLIF($3, ''), $4, $5, $6, NULLIF($7, ''), $8, $9, $10, NULLIF($11, ''), NULLIF($12, ''),
		$13, NULLIF($14::float8, 0), NULLIF($15::bigint, 0), COALESCE($16, now()), COALESCE($16, now()))
	ON CONFLICT DO NOTHING RETURNING ` + recordingCols + `),
	t AS (` + recordingReadyEvent + `)
	SELECT * FROM ins`
	var got recording.Recording
	err := sqlx.GetContext(ctx, s.q, &got, q, r.ID, r.Platform, r.ProviderRecordingID, r.Kind, r.Bucket,
		r.ObjectKey, r.SourceURL, r.RecordedAt, r.Status, r.MeetingID, r.ProviderRoomName, r.OrphanReason,
		r.TrackKeys, r.Duration, r.SizeBytes, nullTime(r.CreatedAt))
	if err == nil {
		return got, true, nil
	}
	if !isNoRows(err) {
		return got, false, fmt.Errorf("insert recording: %w", err)
	}
	got, err = s.recordingExisting(ctx, r)
	return got, false, err
}

// recordingExisting finds the row an insert conflicted with.
func (s RecordingStore) recordingExisting(ctx context.Context, r recording.Recording) (recording.Recording, error) {
	if r.ProviderRecordingID != "" {
		got, err := s.recordingGet(ctx, `WHERE platform = $1 AND provider_recording_id = $2`, r.Platform, r.ProviderRecordingID)
		if err == nil || !isNotFound(err) {
			return got, err
		}
	}
	return s.RecordingByObject(ctx, r.Bucket, r.ObjectKey)
}

// RecordingByID implements recording.Store.
func (s RecordingStore) RecordingByID(ctx context.Context, id uuid.UUID) (recording.Recording, error) {
	return s.recordingGet(ctx, `WHERE id = $1`, id)
}

// RecordingLock implements recording.Store.
func (s RecordingStore) RecordingLock(ctx context.Context, id uuid.UUID) (recording.Recording, error) {
	return s.recordingGet(ctx, `WHERE id = $1 FOR UPDATE`, id)
}

// RecordingByObject implements recording.Store.
func (s RecordingStore) RecordingByObject(ctx context.Context, bucket, key string) (recording.Recording, error) {
	return s.recordingGet(ctx, `WHERE bucket_name = $1 AND object_key = $2`, bucket, key)
}

func (s RecordingStore) recordingGet(ctx context.Context, where string, args ...any) (recording.Recording, error) {
	var r recording.Recording
	if err := sqlx.GetContext(ctx, s.q, &r, `SELECT `+recordingCols+` FROM recording `+where, args...); err != nil {
		if isNoRows(err) {
			return r, recording.ErrNotFound
		}
		return r, fmt.Errorf("select recording: %w", err)
	}
	return r, nil
}

// RecordingSetStatus implements recording.Store as a compare-and-set on the status.
func (s RecordingStore) RecordingSetStatus(ctx context.Context, id uuid.UUID, ch recording.StatusChange) error {
	// The timeline row of an ingested or failed recording is written by the same statement.
	q := `WITH u AS (UPDATE recording SET status = $3, updated_at = $4,
		stored_at = CASE WHEN $3 = 'stored' THEN $4 ELSE stored_at END,
		completed_at = CASE WHEN $3 = 'completed' THEN $4 ELSE completed_at END,
		failed_at = CASE WHEN $3 = 'failed' THEN $4 ELSE failed_at END,
		dead_at = CASE WHEN $3 = 'failed' THEN dead_at END,
		attempts = attempts + CASE WHEN $3 IN ('downloading', 'processing') THEN 1 ELSE 0 END,
		last_error = COALESCE(NULLIF($5, ''), last_error),
		size_bytes = COALESCE(NULLIF($6::bigint, 0), size_bytes),
		duration = COALESCE(NULLIF($7::float8, 0), duration)
	WHERE id = $1 AND status = $2 RETURNING id, meeting_id, platform, status, last_error, size_bytes, duration),
	t AS (` + recordingStatusEvent + `)
	SELECT 1 FROM u`
	res, err := s.q.ExecContext(ctx, q, id, ch.From, ch.To, ch.At, redact.Text(ch.Error), ch.SizeBytes, ch.Duration)
	if err != nil {
		return fmt.Errorf("set recording status: %w", err)
	}
	if err := oneRow(res, recording.ErrStatusConflict); err != nil {
		if _, gerr := s.RecordingByID(ctx, id); isNotFound(gerr) {
			return recording.ErrNotFound
		}
		return err
	}
	return nil
}

// RecordingAttach implements recording.Store.
func (s RecordingStore) RecordingAttach(ctx context.Context, id, meetingID uuid.UUID, now time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE recording SET meeting_id = $2, orphan_reason = NULL, updated_at = $3
		WHERE id = $1`, id, meetingID, now)
	if err != nil {
		return fmt.Errorf("attach recording: %w", err)
	}
	return oneRow(res, recording.ErrNotFound)
}

// RecordingsFailed implements recording.Store.
func (s RecordingStore) RecordingsFailed(ctx context.Context, platforms []string, maxAttempts, limit int) ([]recording.Recording, error) {
	return s.recordingList(ctx, `WHERE status = 'failed' AND platform = ANY($1) AND attempts < $2
		ORDER BY failed_at LIMIT $3`, pq.Array(platforms), maxAttempts, limit)
}

// RecordingsOrphaned implements recording.Store.
func (s RecordingStore) RecordingsOrphaned(ctx context.Context, platforms []string, since time.Time, limit int) ([]recording.Recording, error) {
	return s.recordingList(ctx, `WHERE meeting_id IS NULL AND platform = ANY($1) AND created_at > $2
		AND status <> 'failed' ORDER BY created_at LIMIT $3`, pq.Array(platforms), since, limit)
}

func (s RecordingStore) recordingList(ctx context.Context, where string, args ...any) ([]recording.Recording, error) {
	var rs []recording.Recording
	if err := sqlx.SelectContext(ctx, s.q, &rs, `SELECT `+recordingCols+` FROM recording `+where, args...); err != nil {
		return nil, fmt.Errorf("list recordings: %w", err)
	}
	return rs, nil
}

// PollCursorGet implements recording.Store.
func (s RecordingStore) PollCursorGet(ctx context.Context, name string) (string, error) {
	var v string
	err := sqlx.GetContext(ctx, s.q, &v, `SELECT value FROM poll_cursor WHERE name = $1`, name)
	if err != nil && !isNoRows(err) {
		return "", fmt.Errorf("select poll cursor: %w", err)
	}
	return v, nil
}

// PollCursorSet implements recording.Store.
func (s RecordingStore) PollCursorSet(ctx context.Context, name, value string, now time.Time) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO poll_cursor (name, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`, name, value, now)
	if err != nil {
		return fmt.Errorf("set poll cursor: %w", err)
	}
	return nil
}

func isNotFound(err error) bool { return err == recording.ErrNotFound } //nolint:errorlint // our own sentinel, unwrapped

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
