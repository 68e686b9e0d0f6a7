package main

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/metrics"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store/storetest"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// TestWorkerHandlesEveryScheduledJob builds the worker's mux as main does, with the optional
// features configured (recordings, the healthcheck ping), and checks that every job the
// scheduler emits for that configuration has a handler (a job without one would be archived
// unrun), and that no tasks.Deps field is left empty but SQS (no queue configured).
func TestWorkerHandlesEveryScheduledJob(t *testing.T) {
	t.Parallel()
	daily, stop := emulator.NewDaily(emulator.DailyOptions{APIKey: "k"}).Start()
	t.Cleanup(stop)
	_, dbURL := storetest.NewDBURL(t)
	redis := apptest.RedisDB(t)
	env := map[string]string{"DATABASE_URL": dbURL, "REDIS_URL": fmt.Sprintf("redis://%s/%d", redis.Addr, redis.DB),
		"DAILY_API_KEY": "k", "DAILY_API_URL": daily, "TRANSCRIPTION_URL": "http://stt.test/v1",
		"HEALTHCHECK_URL": "http://ping.test/x"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	require.NoError(t, err)
	ctx := context.Background()
	conn, err := setup.Connect(ctx, cfg, 2)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	d, closeDeps, err := workerDeps(ctx, cfg, conn, zap.NewNop(), metrics.New())
	require.NoError(t, err)
	t.Cleanup(closeDeps)

	v := reflect.ValueOf(d)
	for i := range v.NumField() {
		if name := v.Type().Field(i).Name; name != "SQS" {
			require.False(t, v.Field(i).IsZero(), "tasks.Deps.%s is not wired by cmd/worker", name)
		}
	}
	mux := tasks.NewMux(d)
	table := setup.Schedule(cfg)
	require.Greater(t, len(table), 8, "the optional jobs are in the table")
	for _, p := range table {
		_, pattern := mux.Handler(asynq.NewTask(p.Type, nil))
		require.NotEmpty(t, pattern, "the scheduler emits %s but the worker has no handler for it", p.Type)
	}
}
