package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// OpsStats are the database-derived gauges the worker exports on /metrics.
type OpsStats struct {
	// RecordingsByStatus counts recording rows per status.
	RecordingsByStatus map[string]int
	// LedgerExpected are meetings ended in the last LedgerWindow that should have produced a
	// recording (the completeness ledger's rule); LedgerLanded those of them that have one.
	LedgerExpected, LedgerLanded int
	// InboxLag is the age of the oldest unprocessed webhook (0 when none is waiting).
	InboxLag time.Duration
	// InboxUnprocessed counts webhook rows not processed yet (dead ones aside, as for InboxLag).
	InboxUnprocessed int
	// IntentsLive counts unexpired join intents.
	IntentsLive int
	// DeadLetters counts parked work by kind (webhook, recording, transcript, room_delete).
	DeadLetters map[string]int
}

// LedgerWindow is how far back the ledger gauges look.
const LedgerWindow = 24 * time.Hour

// OpsStore reads OpsStats.
type OpsStore struct{ db *sqlx.DB }

// NewOpsStore returns the store of the ops gauges.
func NewOpsStore(db *sqlx.DB) OpsStore { return OpsStore{db: db} }

// OpsStats reads every gauge, one statement each.
func (s OpsStore) OpsStats(ctx context.Context) (OpsStats, error) {
	st := OpsStats{RecordingsByStatus: map[string]int{}}
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := sqlx.SelectContext(ctx, s.db, &rows, `SELECT status, count(*) AS n FROM recording GROUP BY status`); err != nil {
		return st, fmt.Errorf("recordings by status: %w", err)
	}
	for _, r := range rows {
		st.RecordingsByStatus[r.Status] = r.N
	}
	err := s.db.QueryRowxContext(ctx, `WITH c AS (
		SELECT m.id, m.daily_composed_video_s3_key IS NOT NULL AS composed, m.recording_started_at IS NOT NULL AS started,
			(SELECT count(*) FROM participant_session ps WHERE ps.meeting_id = m.id) AS sessions
		FROM meeting m
		WHERE NOT m.is_active AND m.recording_type NOT IN ('none', 'local')
			AND COALESCE(m.ended_at, m.end_date) >= now() - $1::interval)
	SELECT count(*) FILTER (WHERE started OR sessions >= 2),
		count(*) FILTER (WHERE (started OR sessions >= 2) AND (composed OR EXISTS (SELECT 1 FROM recording rc
			WHERE rc.meeting_id = c.id AND rc.status IN ('stored', 'processing', 'completed'))))
	FROM c`, fmt.Sprintf("%d seconds", int(LedgerWindow.Seconds()))).Scan(&st.LedgerExpected, &st.LedgerLanded)
	if err != nil {
		return st, fmt.Errorf("recording ledger: %w", err)
	}
	var lagSeconds float64
	err = s.db.QueryRowxContext(ctx, `SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(received_at)), 0)
		FROM webhook_event WHERE processed_at IS NULL AND dead_at IS NULL`).Scan(&st.InboxUnprocessed, &lagSeconds)
	if err != nil {
		return st, fmt.Errorf("webhook inbox lag: %w", err)
	}
	st.InboxLag = time.Duration(lagSeconds * float64(time.Second))
	if err := s.db.GetContext(ctx, &st.IntentsLive, `SELECT count(*) FROM join_intent WHERE expires_at > now()`); err != nil {
		return st, fmt.Errorf("live intents: %w", err)
	}
	return st, s.deadLetters(ctx, &st)
}
