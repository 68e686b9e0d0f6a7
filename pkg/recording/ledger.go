package recording

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"
)

// MissingRecordings is the completeness ledger: meetings that should have produced a
// recording (recording type cloud, since local recordings stay in the browser and never
// reach our buckets; and a recording started or at least two participant sessions) that
// ended more than MissingAfter before now, within MissingLookback, with no recording landed (stored, processing or completed, or a composed video). Each is logged;
// the count is logged once.
func (s *Service) MissingRecordings(ctx context.Context, now time.Time) ([]MissingRecording, error) {
	missing, err := missingIn(ctx, s.st, now, s.cfg.MissingAfter, s.cfg.MissingLookback)
	if err != nil {
		return nil, fmt.Errorf("recording.MissingRecordings: %w", err)
	}
	for _, m := range missing {
		s.log.Warn("meeting has no recording", zap.Stringer("meeting_id", m.MeetingID), zap.Stringer("room_id", m.RoomID),
			zap.String("platform", m.Platform), zap.String("room_name", m.RoomName),
			zap.Time("ended_at", m.EndedAt), zap.Int("sessions", m.Sessions),
			zap.Bool("recording_started", m.Started), zap.String("failed_reason", m.FailedReason))
	}
	s.log.Info("recording completeness ledger", zap.Int("missing", len(missing)))
	return missing, nil
}

// LedgerStore is the query behind the ledger (pkg/store's RecordingStore implements it).
type LedgerStore interface {
	MeetingsMissingRecording(ctx context.Context, endedAfter, endedBefore time.Time) ([]MissingRecording, error)
}

// Missing is the ledger as MissingRecordings computes it with the default window, read
// without a Service: reflectorctl needs only the database for it.
func Missing(ctx context.Context, st LedgerStore, now time.Time) ([]MissingRecording, error) {
	missing, err := missingIn(ctx, st, now, defaultMissingAfter, defaultMissingLookback)
	if err != nil {
		return nil, fmt.Errorf("recording.Missing: %w", err)
	}
	return missing, nil
}

func missingIn(ctx context.Context, st LedgerStore, now time.Time, after, lookback time.Duration) ([]MissingRecording, error) {
	before := now.Add(-after)
	return st.MeetingsMissingRecording(ctx, before.Add(-lookback), before)
}
