package webhook

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/redact"
)

// effect is what processing one event does. outside runs first, outside any transaction
// (queueing a poll, handing a recording over: each idempotent on its own) and may return a
// note; inTx runs in the transaction that marks the row processed, so a database effect
// happens exactly once.
type effect struct {
	outside func(ctx context.Context) (note string, err error)
	inTx    func(ctx context.Context, tx Store) error
	note    string // kept as last_error on success: why the event had no effect
	// meeting, when known, gets the applied event on its timeline, in the same transaction.
	meeting uuid.UUID
	// stopped, with a meeting, also puts the recording's stop on its timeline.
	stopped *platform.RecordingStopped
}

// Process applies one stored event. A processed row is left alone, so a duplicate task, a
// redelivery or a crash between effect and commit changes nothing. Each run is counted on the
// row before it starts; a failure records its error and is returned, for the task to retry,
// until the row has had MaxAttempts runs: it is then dead-lettered and ErrDead is returned.
func (s *Service) Process(ctx context.Context, id int64) error {
	ev, err := s.cfg.Store.WebhookEventByID(ctx, id)
	if err != nil {
		return fmt.Errorf("webhook.Process %d: %w", id, err)
	}
	if ev.ProcessedAt != nil || ev.DeadAt != nil {
		return nil
	}
	dead, err := s.cfg.Store.WebhookEventStart(ctx, id, s.cfg.MaxAttempts, s.cfg.Now().UTC())
	if err != nil {
		return fmt.Errorf("webhook.Process %d: %w", id, err)
	}
	if dead {
		s.buried(ev, "runs never finished")
		return fmt.Errorf("webhook.Process %d %s %s: %w", id, ev.Provider, ev.Type, ErrDead)
	}
	if err := s.process(ctx, ev); err != nil {
		return s.failed(ctx, ev, err)
	}
	return nil
}

// failed records a failed run, on a context of its own so that a run cut by its deadline is
// still counted, and dead-letters the row when it used up its attempts.
func (s *Service) failed(ctx context.Context, ev Event, runErr error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	dead, err := s.cfg.Store.WebhookEventFailed(ctx, ev.ID, runErr.Error(), s.cfg.MaxAttempts, s.cfg.Now().UTC())
	if err != nil {
		s.cfg.Log.Warn("record webhook failure", zap.Int64("id", ev.ID), zap.Error(err))
	}
	if dead {
		s.buried(ev, redact.Text(runErr.Error()))
		return fmt.Errorf("webhook.Process %d %s %s: %w: %w", ev.ID, ev.Provider, ev.Type, runErr, ErrDead)
	}
	return fmt.Errorf("webhook.Process %d %s %s: %w", ev.ID, ev.Provider, ev.Type, runErr)
}

func (s *Service) buried(ev Event, why string) {
	s.cfg.Log.Error("webhook event dead-lettered; replay it with reflectorctl webhooks replay",
		zap.Int64("id", ev.ID), zap.String("provider", ev.Provider), zap.String("type", ev.Type),
		zap.Int("max_attempts", s.cfg.MaxAttempts), zap.String("last_error", why))
}

func (s *Service) process(ctx context.Context, ev Event) error {
	eff, err := s.effectOf(ctx, ev)
	if err != nil {
		return err
	}
	if eff.outside != nil {
		note, err := eff.outside(ctx)
		if err != nil {
			return err
		}
		eff.note = note
	}
	return s.cfg.Store.InTx(ctx, func(tx Store) error {
		row, err := tx.WebhookEventLock(ctx, ev.ID)
		if err != nil || row.ProcessedAt != nil || row.DeadAt != nil {
			return err // a concurrent run finished (or buried) it first
		}
		if eff.inTx != nil {
			if err := eff.inTx(ctx, tx); err != nil {
				return err
			}
		}
		var note *string
		if eff.note != "" {
			note = &eff.note
		}
		now := s.cfg.Now().UTC()
		if err := tx.TimelineAppend(ctx, appliedEvents(ev, eff, now)...); err != nil {
			return err
		}
		return tx.WebhookEventDone(ctx, ev.ID, now, note)
	})
}

// effectOf decides what an event does; its provider decodes it (platform.WebhookReader). A
// payload that cannot be decoded gets no effect and a note: retrying cannot fix it.
func (s *Service) effectOf(ctx context.Context, ev Event) (effect, error) {
	r, _, err := s.reader(ev.Provider)
	if err != nil {
		return effect{note: "unknown provider"}, nil //nolint:nilerr // a provider no longer configured: nothing to retry
	}
	we, err := r.WebhookEvent(ev.Body)
	if err != nil {
		return effect{note: err.Error()}, nil //nolint:nilerr // retrying cannot fix it
	}
	var eff effect
	switch {
	case we.Count != nil:
		eff, err = s.countEffect(ctx, ev, we)
	case we.PresenceChanged != nil:
		return s.pollMeeting(ctx, ev.Provider, we.PresenceChanged.RoomName)
	case we.RecordingReady != nil:
		eff = s.recordingReady(we.RecordingReady)
	case we.RecordingStarted != nil:
		eff = s.recordingStarted(ev.Provider, we.RecordingStarted.RoomName, startedAt(ev, we.RecordingStarted))
	case we.RecordingStopped == nil:
		return effect{note: "stored only: " + ev.Type}, nil
	}
	if err != nil {
		return eff, err
	}
	return s.recordingMeeting(ctx, ev.Provider, we, eff)
}

// pollMeeting queues a presence poll of the meeting in a provider room: participant events
// that carry no count are hints, presence is read from the provider.
func (s *Service) pollMeeting(ctx context.Context, provider, roomName string) (effect, error) {
	if roomName == "" {
		return effect{note: "participant event without a room name"}, nil
	}
	m, err := s.cfg.Store.MeetingByProviderRoom(ctx, provider, roomName, "")
	if errors.Is(err, ErrMeetingNotFound) {
		return effect{note: "no meeting for room " + roomName}, nil
	}
	if err != nil {
		return effect{}, err
	}
	return effect{meeting: m.ID, outside: func(ctx context.Context) (string, error) {
		return "", s.cfg.Jobs.PollPresence(ctx, m.ID, s.cfg.PresencePollDelay)
	}}, nil
}

// recordingReady hands a finished recording to the recording ingestion. A permanent failure
// there (no bucket configured, unknown recording type) is noted, not retried.
func (s *Service) recordingReady(p *platform.RecordingReady) effect {
	if s.cfg.Recordings == nil {
		return effect{note: "stored only: no recording handler configured"}
	}
	ready := recording.DailyReady{Type: p.Type, RecordingID: p.RecordingID, RoomName: p.RoomName,
		StartTS: p.StartTS, Duration: p.Duration, S3Key: p.S3Key}
	for _, t := range p.Tracks {
		ready.Tracks = append(ready.Tracks, recording.DailyTrack{Type: t.Type, S3Key: t.S3Key, Size: t.Size})
	}
	return effect{outside: func(ctx context.Context) (string, error) {
		err := s.cfg.Recordings.HandleDailyReady(ctx, ready)
		if errors.Is(err, recording.ErrPermanent) {
			s.cfg.Log.Warn("daily recording not ingested", zap.String("recording_id", p.RecordingID), zap.Error(err))
			return err.Error(), nil
		}
		return "", err
	}}
}

// startedAt is a recording start's own time, or else the event's.
func startedAt(ev Event, r *platform.RecordingStarted) time.Time {
	if r.At.IsZero() {
		return eventTime(ev)
	}
	return r.At
}

// recordingStarted tells the recording ingestion a provider started recording a room.
func (s *Service) recordingStarted(provider, roomName string, at time.Time) effect {
	switch {
	case s.cfg.Recordings == nil:
		return effect{note: "stored only: no recording handler configured"}
	case roomName == "":
		return effect{note: "recording event without a room name"}
	}
	return effect{outside: func(ctx context.Context) (string, error) {
		return "", s.cfg.Recordings.RecordingStarted(ctx, provider, roomName, at)
	}}
}
