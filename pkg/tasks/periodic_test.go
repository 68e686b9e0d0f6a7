package tasks_test

import (
	"context"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/tasks/taskstest"
)

// TestTwoSchedulersEmitOneTaskPerTick: the tick's task id makes a second scheduler's emission
// (or a restarted scheduler's) a no-op.
func TestTwoSchedulersEmitOneTaskPerTick(t *testing.T) {
	t.Parallel()
	redis := apptest.RedisDB(t)
	q := asynq.NewClient(redis)
	defer q.Close()
	p := tasks.Schedule(tasks.Intervals{ProcessMeetings: 15 * time.Second})[0]
	tick := time.Unix(1_800_000_000, 0)
	for range 2 { // two schedulers
		tasks.EmitTick(context.Background(), q, p, tick, zap.NewNop())
	}
	require.Len(t, taskstest.Queued(t, redis, p.Queue, p.Type), 1)
	tasks.EmitTick(context.Background(), q, p, tick.Add(15*time.Second), zap.NewNop())
	require.Len(t, taskstest.Queued(t, redis, p.Queue, p.Type), 2, "the next tick is a new task")
}

// TestSchedulerRunsUntilShutdown: Run emits aligned ticks and returns when its context ends.
func TestSchedulerRunsUntilShutdown(t *testing.T) {
	t.Parallel()
	redis := apptest.RedisDB(t)
	q := asynq.NewClient(redis)
	defer q.Close()
	table := []tasks.Periodic{{Type: tasks.TypeProcessMeetings, Every: time.Second, Queue: tasks.QueueCritical, Timeout: time.Second}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { tasks.Run(ctx, q, table, time.Now, zap.NewNop()); close(done) }()
	require.Eventually(t, func() bool {
		return len(taskstest.Queued(t, redis, tasks.QueueCritical, tasks.TypeProcessMeetings)) >= 2
	}, 5*time.Second, 50*time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("scheduler did not stop on shutdown")
	}
}

// TestEnqueueIsIdempotent: a room delete queued twice for one meeting is one task.
func TestEnqueueIsIdempotent(t *testing.T) {
	t.Parallel()
	redis := apptest.RedisDB(t)
	q := asynq.NewClient(redis)
	defer q.Close()
	jobs := tasks.Jobs{Q: q}
	id := [16]byte{1}
	require.NoError(t, jobs.DeleteProviderRoom(context.Background(), id, "daily", "r1"))
	require.NoError(t, jobs.DeleteProviderRoom(context.Background(), id, "daily", "r1"))
	require.Len(t, taskstest.Queued(t, redis, tasks.QueueDefault, tasks.TypeRoomDelete), 1)
}
