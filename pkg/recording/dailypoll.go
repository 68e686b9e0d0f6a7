package recording

import (
	"context"
	"encoding/json"
	"fmt"

	"go.uber.org/zap"
)

// Daily polling settings.
const (
	dailyCursorName = "daily:recordings"
	dailyPageSize   = 100
	dailyMaxPages   = 20
)

// dailyCursor is the poll cursor: every recording that started before Watermark has been
// seen finished (or was given up on). It is kept below the oldest recording still in progress.
type dailyCursor struct {
	Watermark int64 `json:"watermark"` // unix seconds
}

// PollDaily is the fallback for lost ready-to-download webhooks: it walks Daily's recordings
// list (newest first) back to where the last poll stopped, handles every finished recording
// (HandleDailyReady is idempotent) and moves the cursor. The first poll reads one page, as
// the original does. It returns how many recordings it handled.
func (s *Service) PollDaily(ctx context.Context) (int, error) {
	if s.cfg.Daily == nil {
		return 0, nil
	}
	cur, err := s.loadCursor(ctx)
	if err != nil {
		return 0, fmt.Errorf("recording.PollDaily: %w", err)
	}
	w := dailyWalk{first: cur.Watermark == 0, watermark: cur.Watermark}
	if err := s.walkDaily(ctx, &w); err != nil {
		return w.handled, fmt.Errorf("recording.PollDaily: %w", err)
	}
	next, _ := json.Marshal(dailyCursor{Watermark: w.nextWatermark()})
	if err := s.st.PollCursorSet(ctx, dailyCursorName, string(next), s.now()); err != nil {
		return w.handled, fmt.Errorf("recording.PollDaily: %w", err)
	}
	return w.handled, nil
}

func (s *Service) loadCursor(ctx context.Context) (dailyCursor, error) {
	var cur dailyCursor
	raw, err := s.st.PollCursorGet(ctx, dailyCursorName)
	if err != nil || raw == "" {
		return cur, err
	}
	if err := json.Unmarshal([]byte(raw), &cur); err != nil {
		s.log.Warn("resetting unreadable Daily poll cursor", zap.String("value", raw))
	}
	return cur, nil
}

// dailyWalk is the state of one walk down the list.
type dailyWalk struct {
	first               bool
	watermark           int64
	newest, oldestOpen  int64 // start of the newest item seen, of the oldest in progress
	handled             int
	reachedMark, capped bool
}

// nextWatermark is the newest start the next poll may stop at.
func (w *dailyWalk) nextWatermark() int64 {
	switch {
	case w.oldestOpen != 0:
		return w.oldestOpen
	case w.newest != 0:
		return max(w.newest, w.watermark)
	default:
		return w.watermark
	}
}

func (s *Service) walkDaily(ctx context.Context, w *dailyWalk) error {
	after := ""
	for page := 0; ; page++ {
		if page == dailyMaxPages || (w.first && page == 1) {
			w.capped = !w.first
			break
		}
		items, err := s.cfg.Daily.ListRecordings(ctx, "", after, dailyPageSize)
		if err != nil {
			return fmt.Errorf("list recordings: %w", err)
		}
		for _, it := range items {
			s.visitDaily(ctx, w, it)
		}
		if w.reachedMark || len(items) < dailyPageSize {
			break
		}
		after = items[len(items)-1].ID
	}
	if w.capped {
		s.log.Error("Daily recordings poll stopped at its page limit; older recordings are left to the ledger",
			zap.Int("pages", dailyMaxPages), zap.Int64("watermark", w.watermark))
	}
	return nil
}

// visitDaily handles one list item; errors are logged so one bad recording does not stop
// the walk (a permanent one is already marked failed).
func (s *Service) visitDaily(ctx context.Context, w *dailyWalk, it DailyRecording) {
	if it.StartTS < w.watermark {
		w.reachedMark = true
		return
	}
	w.newest = max(w.newest, it.StartTS)
	if it.Status != "finished" || it.Duration == nil {
		if it.Status == "in-progress" && (w.oldestOpen == 0 || it.StartTS < w.oldestOpen) {
			w.oldestOpen = it.StartTS
		}
		return
	}
	ev, ok := dailyReadyFromList(it)
	if !ok {
		return
	}
	if err := s.HandleDailyReady(ctx, ev); err != nil {
		s.log.Error("polled Daily recording", zap.String("provider_recording_id", it.ID), zap.String("room_name", it.RoomName), zap.Error(err))
	}
	w.handled++
}

// dailyReadyFromList infers the type as the original does: explicit type, else tracks mean
// raw-tracks, else an s3 key means cloud.
func dailyReadyFromList(it DailyRecording) (DailyReady, bool) {
	ev := DailyReady{
		Type: it.Type, RecordingID: it.ID, RoomName: it.RoomName, StartTS: it.StartTS,
		Duration: *it.Duration, S3Key: it.S3Key, Tracks: it.Tracks,
	}
	switch {
	case ev.Type != "":
	case len(it.Tracks) > 0:
		ev.Type = DailyRawTracks
	case it.S3Key != "":
		ev.Type = DailyCloud
	default:
		return DailyReady{}, false
	}
	return ev, true
}
