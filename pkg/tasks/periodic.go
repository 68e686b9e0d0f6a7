package tasks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
	"go.uber.org/zap"
)

// Periodic is one entry of the scheduler's table.
type Periodic struct {
	Type     string
	Every    time.Duration
	Queue    string
	Timeout  time.Duration
	MaxRetry int
	// Offset shifts the ticks from multiples of Every (e.g. Every 24h, Offset 5h: 05:00 UTC).
	Offset time.Duration
}

// tickTask makes the task of one tick. Its id names the tick, so a second scheduler (or a
// restarted one) emitting the same tick is refused by Redis: one emission per tick.
func (p Periodic) tickTask(tick time.Time) *asynq.Task {
	unix := tick.Unix()
	payload := fmt.Appendf(nil, `{"tick":%d}`, unix)
	return asynq.NewTask(p.Type, payload,
		asynq.TaskID(fmt.Sprintf("%s:%d", p.Type, unix)),
		asynq.Retention(2*p.Every+time.Minute),
		asynq.Queue(p.Queue), asynq.Timeout(p.Timeout), asynq.MaxRetry(p.MaxRetry))
}

// Run emits every periodic entry on its own ticker until ctx ends. Ticks are aligned to
// multiples of Every, so schedulers started at different moments compute the same tick ids.
func Run(ctx context.Context, q Enqueuer, table []Periodic, now func() time.Time, log *zap.Logger) {
	done := make(chan struct{})
	for _, p := range table {
		go func() {
			defer func() { done <- struct{}{} }()
			runPeriodic(ctx, q, p, now, log)
		}()
	}
	for range table {
		<-done
	}
	<-ctx.Done() // an empty table still runs until shutdown
}

func runPeriodic(ctx context.Context, q Enqueuer, p Periodic, now func() time.Time, log *zap.Logger) {
	for {
		next := p.NextTick(now())
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(next)):
		}
		EmitTick(ctx, q, p, next, log)
	}
}

// EmitTick enqueues one tick of p; a tick already emitted by another scheduler is skipped.
func EmitTick(ctx context.Context, q Enqueuer, p Periodic, tick time.Time, log *zap.Logger) {
	_, err := q.EnqueueContext(ctx, p.tickTask(tick))
	switch {
	case errors.Is(err, asynq.ErrTaskIDConflict):
		log.Debug("tick already emitted", zap.String("task", p.Type), zap.Time("tick", tick))
	case err != nil:
		log.Warn("emit periodic task", zap.String("task", p.Type), zap.Error(err))
	default:
		log.Debug("emitted periodic task", zap.String("task", p.Type), zap.Time("tick", tick))
	}
}

// Intervals are the periods of the scheduled jobs.
type Intervals struct {
	ProcessMeetings time.Duration
	// ICSSync (ICS_SYNC_TICK) and ICSCreateUpcoming pace the calendar jobs; zero leaves
	// the job out of the table.
	ICSSync           time.Duration
	ICSCreateUpcoming time.Duration
	// RecordingSQSPoll (SQS_POLLING_INTERVAL) paces the SQS poll; zero (no queue) leaves it out.
	// RecordingDailyPoll adds the Daily recordings poll; Recordings the recording sweeps.
	RecordingSQSPoll   time.Duration
	RecordingDailyPoll bool
	Recordings         bool
	// WebhookSweep paces the re-enqueue of unprocessed webhook rows; WebhookHealth
	// (WEBHOOK_HEALTH_INTERVAL, zero without Daily) the Daily webhook check. Zero leaves out.
	WebhookSweep  time.Duration
	WebhookHealth time.Duration
	// PresenceReconcile (PRESENCE_RECONCILE_INTERVAL, zero without Daily) paces presence:reconcile.
	PresenceReconcile time.Duration
	// RoomOrphanSweep (PROVIDER_ROOM_SWEEP_INTERVAL) paces the orphan provider room sweep.
	RoomOrphanSweep time.Duration
	// HealthcheckPing (HealthcheckEvery with HEALTHCHECK_URL, else zero) paces healthcheck:ping.
	HealthcheckPing time.Duration
}

// Schedule is the periodic table.
func Schedule(iv Intervals) []Periodic {
	out := append([]Periodic{
		{Type: TypeProcessMeetings, Every: iv.ProcessMeetings, Queue: QueueCritical, Timeout: 2 * time.Minute, MaxRetry: 0},
	}, append(append(append(calendarPeriodic(iv), recordingPeriodic(iv)...), webhookPeriodic(iv)...), presencePeriodic(iv)...)...)
	return append(append(out, roomPeriodic(iv)...), healthcheckPeriodic(iv)...)
}
