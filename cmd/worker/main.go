// Command worker executes asynq tasks. Every handler is idempotent, so replicas can be scaled
// freely and a task interrupted by a crash is simply run again.
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/presence"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
)

func main() { setup.Main("worker", run) }

func run(ctx context.Context, cfg *config.Config, log *zap.Logger) error {
	log.Info("starting worker", zap.Any("config", cfg.Redacted()))
	conn, err := setup.Connect(ctx, cfg, cfg.DatabaseConns)
	if err != nil {
		return err
	}
	defer conn.Close()
	db, redisOpt, queue, platforms := conn.DB, conn.Redis, conn.Queue, conn.Platforms
	meetings := store.NewMeetingStore(db)
	proc := &meeting.Processor{Store: meetings, Jobs: tasks.Jobs{Q: queue}, Log: log, Now: time.Now,
		Presence:           presence.Reader{Platforms: platforms, Log: log, Concurrency: cfg.Lifecycle.PresenceConcurrency},
		CalendarForceClose: cfg.Lifecycle.CalendarForceClose}
	poller := presence.Poller{Store: store.NewSessionStore(db), Platforms: platforms, Log: log, Now: time.Now}
	lifecycle := meeting.NewService(meeting.Config{Store: meetings, Sessions: store.NewSessionStore(db),
		Platforms: platforms, Jobs: tasks.Jobs{Q: queue}, Log: log, MeetingDuration: cfg.Lifecycle.MeetingDuration})
	cal, err := setup.Calendar(cfg, db, lifecycle, setup.CalendarOptions{Log: log})
	if err != nil {
		return err
	}
	recordings, sqsPoller, closeRecordings, err := recordingDeps(ctx, cfg, db, platforms, queue, redisOpt, log)
	if err != nil {
		return err
	}
	defer closeRecordings()
	mux := tasks.NewMux(tasks.Deps{Platforms: platforms, Meetings: meetings, Processor: proc, Presence: poller, Log: log,
		Calendar: cal, Queue: queue, Recordings: recordings, SQS: sqsPoller,
		Webhooks:      setup.Webhooks(db, platforms, queue, recordings, log),
		WebhookHealth: setup.WebhookHealth(platforms, log)})
	srv := asynq.NewServer(redisOpt, asynq.Config{
		Concurrency:     cfg.Worker.Concurrency,
		Queues:          tasks.Queues(),
		ShutdownTimeout: cfg.Worker.ShutdownTimeout,
		Logger:          log.Sugar(),
	})
	if err := srv.Start(mux); err != nil {
		return fmt.Errorf("start asynq server: %w", err)
	}
	log.Info("worker running", zap.Int("concurrency", cfg.Worker.Concurrency))
	<-ctx.Done()
	log.Info("worker draining")
	srv.Shutdown() // waits up to ShutdownTimeout for running tasks, re-queues the rest
	return nil
}
