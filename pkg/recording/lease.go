package recording

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"
)

// Leases. Postgres holds the state of every recording and transcript; Redis only carries the
// task that moves it on, and a Redis restart, a lost enqueue or a killed worker can drop that
// task. So every status that waits on a task (a recording pending, downloading or stored
// without a transcript; a transcript uploaded or processing) has a lease: its updated_at,
// which running work renews every Lease/3. RequeueStalled re-enqueues what outlived its
// lease under the task's usual id: a task still queued, retrying or running keeps its id and
// the enqueue is refused, so a duplicate is harmless.

// stallMaxRuns bounds how often the sweep restarts one recording: a recording that keeps
// killing its worker is left to the nightly retry and the operators.
const stallMaxRuns = 10

// RequeueStalled re-enqueues the work of every recording and transcript that waited longer
// than olderThan (the configured Lease when zero) and returns how many it handed on.
func (s *Service) RequeueStalled(ctx context.Context, olderThan time.Duration) (int, error) {
	if olderThan <= 0 {
		olderThan = s.cfg.Lease
	}
	before := s.now().Add(-olderThan)
	n, err := s.requeueTranscripts(ctx, before)
	if err != nil {
		return n, fmt.Errorf("recording.RequeueStalled: %w", err)
	}
	recs, err := s.st.RecordingsStalled(ctx, before, stallMaxRuns, 500)
	if err != nil {
		return n, fmt.Errorf("recording.RequeueStalled: %w", err)
	}
	for _, rec := range recs {
		if err := s.resume(ctx, rec); err != nil {
			s.log.Warn("resume stalled recording", zap.Stringer("recording_id", rec.ID), zap.Error(err))
			continue
		}
		n++
	}
	return n, nil
}

func (s *Service) requeueTranscripts(ctx context.Context, before time.Time) (int, error) {
	ts, err := s.st.TranscriptsStalled(ctx, before, 500)
	if err != nil {
		return 0, err
	}
	for i, t := range ts {
		if err := s.cfg.Transcripts.EnqueueTranscript(ctx, t.ID, t.Generation); err != nil {
			return i, fmt.Errorf("transcript %s: %w", t.ID, err)
		}
	}
	return len(ts), nil
}

// resume hands a stalled recording to the step it waits for.
func (s *Service) resume(ctx context.Context, rec Recording) error {
	switch {
	case rec.Status == StatusStored:
		return s.handOff(ctx, rec.ID)
	case rec.SourceURL != "" && s.cfg.Downloads != nil:
		return s.cfg.Downloads.EnqueueDownload(ctx, rec.ID)
	case rec.Platform == PlatformWhereby && s.cfg.S3Jobs != nil:
		return s.cfg.S3Jobs.EnqueueProcessS3(ctx, rec.Bucket, rec.ObjectKey)
	case rec.Kind == KindCloud:
		if err := s.move(ctx, s.st, &rec, StatusStored, ""); err != nil {
			return err
		}
		return s.move(ctx, s.st, &rec, StatusCompleted, "")
	case rec.Status == StatusPending && rec.SourceURL == "":
		// Objects already in a bucket (Daily's raw tracks): check them here and hand off.
		if err := s.storeProvided(ctx, &rec); err != nil {
			return err
		}
		return s.handOff(ctx, rec.ID)
	}
	return errors.New("no way to resume " + string(rec.Status))
}

// renewLease keeps the lease of running work until the returned stop is called.
func (s *Service) renewLease(ctx context.Context, touch func(context.Context, uuid.UUID, time.Time) error, id uuid.UUID) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(max(s.cfg.Lease/3, time.Millisecond))
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if err := touch(ctx, id, s.now()); err != nil && ctx.Err() == nil {
					s.log.Warn("renew lease", zap.Stringer("id", id), zap.Error(err))
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}
