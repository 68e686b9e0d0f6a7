// Command scheduler emits the periodic jobs. Exactly one should run; a second one does not
// double the work, because every tick's task id is derived from the tick.
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/metrics"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/tasks"
)

func main() { setup.Main("scheduler", run) }

func run(ctx context.Context, cfg *config.Config, log *zap.Logger) error {
	redisOpt, err := setup.RedisOpt(cfg.RedisURL)
	if err != nil {
		return err
	}
	queue := asynq.NewClient(redisOpt)
	defer queue.Close()
	if err := queue.Ping(); err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	m := metrics.New()
	inspector := asynq.NewInspector(redisOpt)
	defer inspector.Close()
	m.WatchQueues(inspector, tasks.QueueNames(), log)
	ops := m.OpsHandler(map[string]metrics.Check{"redis": func(context.Context) error { return queue.Ping() }}, log)
	if err := metrics.ServeOps(ctx, cfg.OpsAddr, ops, log); err != nil {
		return err
	}
	table := setup.Schedule(cfg)
	for _, p := range table {
		log.Info("periodic task", zap.String("task", p.Type), zap.Duration("every", p.Every))
	}
	tasks.Run(ctx, queue, table, time.Now, log)
	log.Info("scheduler stopped")
	return nil
}
