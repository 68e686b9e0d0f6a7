package webhook

import (
	"context"
	"fmt"

	"go.uber.org/zap"
)

// Sweep re-enqueues unprocessed rows older than SweepAge: deliveries whose enqueue failed
// after the insert (Redis down) or whose task was lost. Task ids are derived from row ids,
// so a row whose task is still queued, running or archived is not queued twice. It returns
// the number of rows handed to the queue.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	ids, err := s.cfg.Store.WebhookEventsUnprocessed(ctx, s.cfg.Now().Add(-s.cfg.SweepAge), s.cfg.SweepBatch)
	if err != nil {
		return 0, fmt.Errorf("webhook.Sweep: %w", err)
	}
	n := 0
	for _, id := range ids {
		if err := s.cfg.Jobs.ProcessWebhook(ctx, id); err != nil {
			return n, fmt.Errorf("webhook.Sweep %d: %w", id, err)
		}
		n++
	}
	if n > 0 {
		s.cfg.Log.Info("webhook sweep re-enqueued unprocessed events", zap.Int("count", n))
	}
	return n, nil
}

// List returns inbox rows, newest first.
func (s *Service) List(ctx context.Context, f ListFilter) ([]Event, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	evs, err := s.cfg.Store.WebhookEventList(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("webhook.List: %w", err)
	}
	return evs, nil
}

// Replay processes a stored event again: the row is made unprocessed and a fresh task is
// queued (a new task id, so an archived task does not block it). Effects are idempotent, and
// an older Whereby count is still ignored, so a replay never moves state backwards.
func (s *Service) Replay(ctx context.Context, id int64) error {
	if err := s.cfg.Store.WebhookEventReset(ctx, id); err != nil {
		return fmt.Errorf("webhook.Replay %d: %w", id, err)
	}
	if err := s.cfg.Jobs.ReplayWebhook(ctx, id); err != nil {
		return fmt.Errorf("webhook.Replay %d: %w", id, err)
	}
	return nil
}

// ReplayUnprocessed queues a fresh task for every unprocessed row (up to limit), whatever
// its age and the state of its previous task. It returns the number queued.
func (s *Service) ReplayUnprocessed(ctx context.Context, limit int) (int, error) {
	ids, err := s.cfg.Store.WebhookEventsUnprocessed(ctx, s.cfg.Now(), limit)
	if err != nil {
		return 0, fmt.Errorf("webhook.ReplayUnprocessed: %w", err)
	}
	for i, id := range ids {
		if err := s.cfg.Jobs.ReplayWebhook(ctx, id); err != nil {
			return i, fmt.Errorf("webhook.ReplayUnprocessed %d: %w", id, err)
		}
	}
	return len(ids), nil
}
