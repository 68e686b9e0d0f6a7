package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/monadical/reflector-go/pkg/recording"
)

// RecordingsRecent lists recordings newest first, only those with the given status unless
// status is empty (reflectorctl recordings list).
func (s RecordingStore) RecordingsRecent(ctx context.Context, status recording.Status, limit int) ([]recording.Recording, error) {
	var out []recording.Recording
	q := `SELECT ` + recordingCols + ` FROM recording WHERE ($1 = '' OR status = $1)
		ORDER BY created_at DESC, id LIMIT $2`
	if err := sqlx.SelectContext(ctx, s.q, &out, q, string(status), limit); err != nil {
		return nil, fmt.Errorf("select recent recordings: %w", err)
	}
	return out, nil
}
