package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/monadical/reflector-go/pkg/recording"
)

// RecordingsStalled implements recording.Store.
func (s RecordingStore) RecordingsStalled(ctx context.Context, before time.Time, limit int) ([]recording.Recording, error) {
	return s.recordingList(ctx, `WHERE status IN ('pending', 'downloading', 'stored') AND updated_at < $1 AND dead_at IS NULL
		AND (status <> 'stored' OR (meeting_id IS NOT NULL AND kind <> 'cloud'
			AND NOT EXISTS (SELECT 1 FROM transcript t WHERE t.recording_id = recording.id)))
		ORDER BY updated_at LIMIT $2`, before, limit)
}

// RecordingTouch implements recording.Store.
func (s RecordingStore) RecordingTouch(ctx context.Context, id uuid.UUID, now time.Time) error {
	_, err := s.q.ExecContext(ctx, `UPDATE recording SET updated_at = $2 WHERE id = $1 AND status IN ('pending', 'downloading')`, id, now)
	if err != nil {
		return fmt.Errorf("renew recording lease: %w", err)
	}
	return nil
}
