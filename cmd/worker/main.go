// Command worker executes asynq tasks. Every handler is idempotent, so replicas can be scaled
// freely and a task interrupted by a crash is simply run again.
package main

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/metrics"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
)

func main() { setup.Main("worker", run) }

func run(ctx context.Context, cfg *config.Config, log *zap.Logger) error {
	log.Info("starting worker", zap.Any("config", cfg.Redacted()))
	m := metrics.New()
	conn, err := setup.Connect(ctx, cfg, cfg.DatabaseConns, m)
	if err != nil {
		return err
	}
	defer conn.Close()
	d, closeDeps, err := workerDeps(ctx, cfg, conn, log, m)
	if err != nil {
		return err
	}
	defer closeDeps()
	db, redisOpt := conn.DB, conn.Redis
	mux := tasks.NewMux(d)
	mux.Use(m.Tasks)
	m.WatchQueues(conn.Inspector, tasks.QueueNames(), log)
	m.WatchDatabase(store.NewOpsStore(db), log)
	ops := m.OpsHandler(map[string]metrics.Check{"database": db.PingContext,
		"redis": func(context.Context) error { _, err := conn.Inspector.Queues(); return err }}, log)
	if err := metrics.ServeOps(ctx, cfg.OpsAddr, ops, log); err != nil {
		return err
	}
	srv := setup.WorkerServer(redisOpt, cfg.Worker.Concurrency, cfg.Worker.ShutdownTimeout, log)
	if err := srv.Start(mux); err != nil {
		return fmt.Errorf("start asynq server: %w", err)
	}
	log.Info("worker running", zap.Int("concurrency", cfg.Worker.Concurrency))
	<-ctx.Done()
	log.Info("worker draining")
	setup.StopWorker(srv, cfg.Worker.ShutdownTimeout, log) // running tasks finish or are re-queued
	return nil
}

// workerDeps builds every handler dependency of the worker's mux. The returned func releases
// what the recording pipeline holds.
func workerDeps(ctx context.Context, cfg *config.Config, conn *setup.Conn, log *zap.Logger, m *metrics.Metrics) (tasks.Deps, func(), error) {
	db, redisOpt, queue, platforms := conn.DB, conn.Redis, conn.Queue, conn.Platforms
	lc := setup.LifecycleDeps{DB: db, Platforms: platforms, Jobs: tasks.Jobs{Q: queue}, Log: log, Metrics: m}
	proc := setup.Processor(cfg, lc)
	lifecycle := setup.MeetingService(cfg, lc)
	cal, err := setup.Calendar(cfg, db, lifecycle, setup.CalendarOptions{Log: log})
	if err != nil {
		return tasks.Deps{}, nil, err
	}
	recordings, sqsPoller, closeRecordings, err := recordingDeps(ctx, cfg, db, platforms, queue, redisOpt, log)
	if err != nil {
		return tasks.Deps{}, nil, err
	}
	return tasks.Deps{Platforms: platforms, Meetings: store.NewMeetingStore(db), Processor: proc, Presence: setup.PresencePoller(lc), Log: log,
		Calendar: m.Calendar(cal), Queue: queue, Recordings: m.Recordings(recordings), SQS: sqsPoller,
		Webhooks:      m.Inbox(setup.Webhooks(db, platforms, queue, recordings, log, cfg.DeadLetter.WebhookMaxAttempts)),
		WebhookHealth: m.WebhookHealth(setup.WebhookHealth(platforms, log)),
		RoomHooks:     setup.RoomHooks(cfg, db, log, 30*time.Second), Reconciler: setup.Reconciler(lc),
		Healthcheck: setup.Heartbeat(cfg),
		Orphans:     setup.OrphanSweeper(cfg, lc, platforms)}, closeRecordings, nil
}
