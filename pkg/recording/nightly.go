package recording

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"go.uber.org/zap"
)

// NightlyReport counts what ReprocessFailed did.
type NightlyReport struct {
	Retried, Reattached, Requeued, Errors int
}

// nightlyBatch bounds each nightly query.
const nightlyBatch = 500

// ReprocessFailed is the nightly retry (05:00 UTC) for the configured providers only: failed
// recordings tried fewer than MaxAttempts times start again from the step that failed;
// orphans of the last week are matched again; and Whereby objects that never got a
// recording row (a lost notification) are queued. Errors on one recording are logged and
// counted; the run goes on.
func (s *Service) ReprocessFailed(ctx context.Context) (NightlyReport, error) {
	var rep NightlyReport
	failed, err := s.st.RecordingsFailed(ctx, s.cfg.Platforms, s.cfg.MaxAttempts, nightlyBatch)
	if err != nil {
		return rep, fmt.Errorf("recording.ReprocessFailed: %w", err)
	}
	for _, rec := range failed {
		s.count(&rep.Retried, &rep.Errors, rec, s.retry(ctx, rec))
	}
	orphans, err := s.st.RecordingsOrphaned(ctx, s.cfg.Platforms, s.now().Add(-7*24*time.Hour), nightlyBatch)
	if err != nil {
		return rep, fmt.Errorf("recording.ReprocessFailed: %w", err)
	}
	for _, rec := range orphans {
		s.count(&rep.Reattached, &rep.Errors, rec, s.reattach(ctx, rec))
	}
	if err := s.sweepWhereby(ctx, &rep); err != nil {
		return rep, fmt.Errorf("recording.ReprocessFailed: %w", err)
	}
	s.log.Info("nightly recording retry", zap.Int("retried", rep.Retried), zap.Int("reattached", rep.Reattached),
		zap.Int("requeued", rep.Requeued), zap.Int("errors", rep.Errors))
	return rep, nil
}

func (s *Service) count(ok, bad *int, rec Recording, err error) {
	switch {
	case err == nil:
		*ok++
	case errors.Is(err, errSkip):
	default:
		*bad++
		s.log.Error("nightly retry", rec.LogFields(zap.Error(err))...)
	}
}

// errSkip marks a recording the nightly pass leaves alone.
var errSkip = errors.New("skip")

// retry restarts a failed recording at the step that failed.
func (s *Service) retry(ctx context.Context, rec Recording) error {
	switch {
	case rec.StoredAt == nil && rec.SourceURL != "" && s.cfg.Downloads != nil:
		if err := s.move(ctx, s.st, &rec, StatusPending, ""); err != nil {
			return err
		}
		return s.cfg.Downloads.EnqueueDownload(ctx, rec.ID)
	case rec.StoredAt == nil:
		return errSkip // rejected by the audio check: another try cannot add audio
	}
	t, err := s.st.TranscriptForRecording(ctx, rec.ID)
	if errors.Is(err, ErrNotFound) {
		if err := s.move(ctx, s.st, &rec, StatusStored, ""); err != nil {
			return err
		}
		return s.handOff(ctx, rec.ID)
	}
	if err != nil {
		return err
	}
	_, err = s.Reprocess(ctx, t.ID, false)
	return err
}

// reattach matches an orphan again (the meeting row may have landed after the recording).
func (s *Service) reattach(ctx context.Context, rec Recording) error {
	if rec.ProviderRoomName == "" {
		return errSkip
	}
	s.matchMeeting(ctx, &rec)
	if rec.MeetingID == nil {
		return errSkip
	}
	if err := s.st.RecordingAttach(ctx, rec.ID, *rec.MeetingID, s.now()); err != nil {
		return err
	}
	if rec.Status == StatusPending || rec.Status == StatusStored {
		return s.handOff(ctx, rec.ID)
	}
	return nil
}

// sweepWhereby queues the Whereby media files that have no recording row.
func (s *Service) sweepWhereby(ctx context.Context, rep *NightlyReport) error {
	if !s.platformEnabled(PlatformWhereby) || s.cfg.WherebyBucket == "" || s.cfg.S3Jobs == nil {
		return nil
	}
	bucket := s.cfg.WherebyBucket
	return s.cfg.Objects.List(ctx, bucket, "", func(key string) error {
		switch strings.ToLower(path.Ext(key)) {
		case ".mp4", ".mkv", ".webm":
		default:
			return nil
		}
		_, err := s.st.RecordingByObject(ctx, bucket, key)
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		rep.Requeued++
		return s.cfg.S3Jobs.EnqueueProcessS3(ctx, bucket, key)
	})
}
