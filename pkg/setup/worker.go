package setup

import (
	"context"
	"errors"
	"time"

	"github.com/hibiken/asynq"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/redact"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// asynq's recovery timing (v0.26, not configurable): a running task holds a 30 s lease that
// its worker extends while alive. A killed worker's tasks stay "active" until the recoverer,
// which runs once a minute, finds leases expired more than 30 s ago and moves them to retry:
// 60 to 120 s after the kill. By default the retry then waits its back-off (15 s and up); we
// make a lease-expired retry immediate, so a crashed worker's task runs again 60-120 s after
// the kill. Work that cannot wait that long does not depend on it: process-meetings runs on
// every tick whatever happened to the previous one, presence polls are re-queued by the
// next /joined, webhook or tick, and the sweeps re-queue what Postgres says is waiting.

// WorkerServer is the worker's asynq server. shutdown is WORKER_SHUTDOWN_TIMEOUT, the time
// from SIGTERM to exit. asynq's own ShutdownTimeout is not that: its clock starts only once
// the processor loop has stopped, which can take a task-check interval (1 s) when the queues
// are idle, and after it asynq still re-queues the unfinished tasks and closes its
// connections. That is how a 5 s timeout took 7.9 s. So asynq gets the timeout less
// shutdownMargin.
func WorkerServer(opt asynq.RedisConnOpt, concurrency int, shutdown time.Duration, log *zap.Logger) *asynq.Server {
	return asynq.NewServer(opt, asynq.Config{
		Concurrency:     concurrency,
		Queues:          tasks.Queues(),
		ShutdownTimeout: shutdown - shutdownMargin(shutdown),
		RetryDelayFunc:  retryDelay,
		ErrorHandler:    logTaskError(log),
		Logger:          log.Sugar(),
	})
}

// logTaskError logs a failed task run: at warn while asynq will retry it, at error (which
// the error reporter sends to Sentry) once it failed for good, retries exhausted or skipped.
// asynq itself logs nothing about handler errors.
func logTaskError(log *zap.Logger) asynq.ErrorHandler {
	return asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
		retried, _ := asynq.GetRetryCount(ctx)
		maxRetry, _ := asynq.GetMaxRetry(ctx)
		id, _ := asynq.GetTaskID(ctx)
		fields := []zap.Field{zap.String("task", t.Type()), zap.String("task_id", id), zap.Int("retried", retried),
			zap.String("error", redact.Text(err.Error()))}
		if retried >= maxRetry || errors.Is(err, asynq.SkipRetry) {
			log.Error("task failed", fields...)
			return
		}
		log.Warn("task attempt failed", fields...)
	})
}

// shutdownMargin is the part of the shutdown timeout kept for the processor to stop (up to
// the 1 s task-check interval) and for asynq's teardown: 2 s, or half of a short timeout.
func shutdownMargin(shutdown time.Duration) time.Duration { return min(2*time.Second, shutdown/2) }

// retryDelay retries a task whose worker died at once (its lease already cost a minute or
// two) and everything else with asynq's exponential back-off.
func retryDelay(n int, err error, t *asynq.Task) time.Duration {
	if errors.Is(err, asynq.ErrLeaseExpired) {
		return 0
	}
	return asynq.DefaultRetryDelayFunc(n, err, t)
}

// StopWorker shuts srv down and returns within shutdown even if asynq's teardown does not:
// the tasks it could not re-queue in time are recovered by their lease and the sweeps.
func StopWorker(srv *asynq.Server, shutdown time.Duration, log *zap.Logger) {
	done := make(chan struct{})
	go func() { srv.Shutdown(); close(done) }()
	select {
	case <-done:
	case <-time.After(shutdown):
		log.Warn("worker shutdown timeout reached; exiting", zap.Duration("timeout", shutdown))
	}
}
