package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/transcribe"
)

// TrackResult implements recording.Store.
func (s RecordingStore) TrackResult(ctx context.Context, k recording.TrackRef) (transcribe.Result, bool, error) {
	var raw []byte
	err := sqlx.GetContext(ctx, s.q, &raw, `SELECT result FROM transcript_track
		WHERE transcript_id = $1 AND generation = $2 AND track_key = $3 AND result IS NOT NULL`,
		k.TranscriptID, k.Generation, k.Key)
	if isNoRows(err) {
		return transcribe.Result{}, false, nil
	}
	if err != nil {
		return transcribe.Result{}, false, fmt.Errorf("select track result: %w", err)
	}
	var res transcribe.Result
	if err := json.Unmarshal(raw, &res); err != nil {
		return res, false, fmt.Errorf("decode track result %s: %w", k.Key, err)
	}
	return res, true, nil
}

// TrackAttempt implements recording.Store.
func (s RecordingStore) TrackAttempt(ctx context.Context, k recording.TrackRef, now time.Time) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO transcript_track (transcript_id, generation, track_key, attempts, attempted_at)
		VALUES ($1, $2, $3, 1, $4)
		ON CONFLICT (transcript_id, generation, track_key)
		DO UPDATE SET attempts = transcript_track.attempts + 1, attempted_at = $4`,
		k.TranscriptID, k.Generation, k.Key, now)
	if err != nil {
		return fmt.Errorf("record track attempt: %w", err)
	}
	return nil
}

// TrackSaveResult implements recording.Store: the first result stored wins.
func (s RecordingStore) TrackSaveResult(ctx context.Context, k recording.TrackRef, res transcribe.Result, now time.Time) (bool, error) {
	raw, err := json.Marshal(res)
	if err != nil {
		return false, fmt.Errorf("encode track result: %w", err)
	}
	r, err := s.q.ExecContext(ctx, `UPDATE transcript_track SET result = $4, done_at = $5
		WHERE transcript_id = $1 AND generation = $2 AND track_key = $3 AND result IS NULL`,
		k.TranscriptID, k.Generation, k.Key, raw, now)
	if err != nil {
		return false, fmt.Errorf("store track result: %w", err)
	}
	n, err := r.RowsAffected()
	return n == 1, err
}
