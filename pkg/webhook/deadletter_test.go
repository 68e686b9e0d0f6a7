package webhook_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/webhook"
)

// TestDeadLetter: an event that keeps failing runs MaxAttempts times, is then parked (dead_at)
// and never swept again; listing shows it; a replay gives it a fresh budget and it is processed.
// Runs that never finish (a crash, a deadline) count as well.
func TestDeadLetter(t *testing.T) {
	t.Parallel()

	t.Run("a failing event is dead-lettered after its attempts and replayed", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(c *webhook.Config) { c.MaxAttempts = 3 })
		id := b.receive(t, platform.Daily, emulator.DailyRecordingReadyCloud("room-d", "rec-d", "k.mp4", b.clock.Now(), time.Minute))
		b.rec.err = errors.New("s3 down")
		handler := tasks.WebhookProcessHandler{Inbox: b.svc}
		task, err := tasks.NewWebhookProcessTask(id)
		require.NoError(t, err)
		for range 2 {
			err := handler.ProcessTask(b.ctx, task)
			require.Error(t, err)
			require.NotErrorIs(t, err, asynq.SkipRetry, "attempts left: the task retries")
		}
		err = handler.ProcessTask(b.ctx, task)
		require.ErrorIs(t, err, asynq.SkipRetry, "the third failure dead-letters the event")
		ev := b.event(t, id)
		require.NotNil(t, ev.DeadAt)
		require.Nil(t, ev.ProcessedAt)
		require.Equal(t, 3, ev.Attempts)
		require.Contains(t, *ev.LastError, "s3 down")

		require.NoError(t, b.svc.Process(b.ctx, id), "a dead row is left alone")
		require.Len(t, b.rec.ready, 3, "and not run again")
		b.clock.Set(b.clock.Now().Add(time.Hour))
		n, err := b.svc.Sweep(b.ctx)
		require.NoError(t, err)
		require.Zero(t, n, "the sweep skips dead rows")

		dead, err := b.svc.List(b.ctx, webhook.ListFilter{Dead: true})
		require.NoError(t, err)
		require.Len(t, dead, 1)
		require.Equal(t, id, dead[0].ID)

		require.NoError(t, b.svc.Replay(b.ctx, id))
		ev = b.event(t, id)
		require.Nil(t, ev.DeadAt)
		require.Zero(t, ev.Attempts)
		b.rec.err = nil
		require.NoError(t, b.svc.Process(b.ctx, id))
		require.NotNil(t, b.event(t, id).ProcessedAt)
		dead, err = b.svc.List(b.ctx, webhook.ListFilter{Dead: true})
		require.NoError(t, err)
		require.Empty(t, dead)
	})

	t.Run("runs that never finish count", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(c *webhook.Config) { c.MaxAttempts = 2 })
		id := b.receive(t, platform.Daily, emulator.DailyRecordingReadyCloud("room-c", "rec-c", "k.mp4", b.clock.Now(), time.Minute))
		// Two runs started and died with their worker: counted, never finished.
		_, err := b.db.Exec(`UPDATE webhook_event SET attempts = 2 WHERE id = $1`, id)
		require.NoError(t, err)
		require.ErrorIs(t, b.svc.Process(b.ctx, id), webhook.ErrDead)
		require.Empty(t, b.rec.ready, "a dead event's effect does not run")
		require.NotNil(t, b.event(t, id).DeadAt)
	})

	t.Run("a run cut by its deadline is counted", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(c *webhook.Config) { c.MaxAttempts = 1 })
		id := b.receive(t, platform.Daily, emulator.DailyRecordingReadyCloud("room-t", "rec-t", "k.mp4", b.clock.Now(), time.Minute))
		b.rec.err = context.DeadlineExceeded
		ctx, cancel := context.WithCancel(b.ctx)
		b.rec.onCall = cancel // the task's context ends while the effect runs
		require.ErrorIs(t, b.svc.Process(ctx, id), webhook.ErrDead)
		ev := b.event(t, id)
		require.NotNil(t, ev.DeadAt)
		require.Equal(t, 1, ev.Attempts)
	})
}

// event reads one inbox row by id, dead_at included.
func (b *testBundle) event(t *testing.T, id int64) webhook.Event {
	t.Helper()
	var ev webhook.Event
	require.NoError(t, b.db.Get(&ev, `SELECT id, attempts, processed_at, last_error, dead_at FROM webhook_event WHERE id = $1`, id))
	return ev
}
