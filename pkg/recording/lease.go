package recording

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/lease"
)

// Leases. Postgres holds the state of every recording and transcript; Redis only carries the
// task that moves it on, and a Redis restart, a lost enqueue or a killed worker can drop that
// task. So every status that waits on a task (a recording pending, downloading or stored
// without a transcript; a transcript uploaded or processing) has a lease: its updated_at,
// which running work renews every Lease/3. RequeueStalled re-enqueues what outlived its
// lease under the task's usual id: a task still queued, retrying or running keeps its id and
// the enqueue is refused, so a duplicate is harmless.

// stallMaxRuns bounds the runs of one recording the sweep restarts: a recording that keeps
// killing its worker is parked (failed, dead) like one restarted MaxRequeues times.
const stallMaxRuns = 10

// RequeueStalled re-enqueues the work of every recording and transcript that waited longer
// than olderThan (the configured Lease when zero) and returns how many it handed on. Each
// restart is counted and renews the lease, so a row is restarted at most once per lease;
// a row that had MaxRequeues restarts is parked instead (failed or error, dead_at set).
func (s *Service) RequeueStalled(ctx context.Context, olderThan time.Duration) (int, error) {
	if olderThan <= 0 {
		olderThan = s.cfg.Lease
	}
	c := Claim{Before: s.now().Add(-olderThan), Now: s.now(), MaxRequeues: s.cfg.MaxRequeues, MaxRuns: stallMaxRuns,
		Reason: fmt.Sprintf("dead-lettered: its work was restarted %d times after its lease (%s) expired and never finished",
			s.cfg.MaxRequeues, olderThan)}
	n, err := s.requeueTranscripts(ctx, c)
	if err != nil {
		return n, fmt.Errorf("recording.RequeueStalled: %w", err)
	}
	recs, err := s.st.RecordingsStalled(ctx, c.Before, 500)
	if err != nil {
		return n, fmt.Errorf("recording.RequeueStalled: %w", err)
	}
	for _, rec := range recs {
		out, err := s.st.RecordingRequeue(ctx, rec, c)
		if !s.claimed("recording", out, err, rec.LogFields()) {
			continue
		}
		if err := s.resume(ctx, rec); err != nil {
			s.log.Warn("resume stalled recording", rec.LogFields(zap.Error(err))...)
			continue
		}
		n++
	}
	return n, nil
}

func (s *Service) requeueTranscripts(ctx context.Context, c Claim) (int, error) {
	ts, err := s.st.TranscriptsStalled(ctx, c.Before, 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range ts {
		out, err := s.st.TranscriptRequeue(ctx, t, c)
		if !s.claimed("transcript", out, err, t.LogFields()) {
			continue
		}
		if err := s.cfg.Transcripts.EnqueueTranscript(ctx, t.ID, t.Generation); err != nil {
			return n, fmt.Errorf("transcript %s: %w", t.ID, err)
		}
		n++
	}
	return n, nil
}

// claimed reports whether a claim says to restart the row, logging a parked one.
func (s *Service) claimed(kind string, out lease.Outcome, err error, ids []zap.Field) bool {
	switch {
	case err != nil:
		s.log.Warn("claim stalled "+kind, append(ids, zap.Error(err))...)
		return false
	case out == lease.Dead:
		s.log.Error(kind+" dead-lettered by the lease sweep", append(ids, zap.Int("max_requeues", s.cfg.MaxRequeues))...)
		return false
	case out == lease.Restart:
		s.log.Info(kind+" restarted by the lease sweep", ids...)
	}
	return out == lease.Restart
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

// renewLease keeps the lease of running work until the returned stop is called; ids are the
// work's log fields.
func (s *Service) renewLease(ctx context.Context, touch func(context.Context, uuid.UUID, time.Time) error, id uuid.UUID,
	ids []zap.Field,
) (stop func()) {
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
					s.log.Warn("renew lease", append(ids, zap.Error(err))...)
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}
