package setup_test

import (
	"context"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// TestWorkerShutdown: with a task that never finishes (it ignores its context), SIGTERM's
// shutdown returns within WORKER_SHUTDOWN_TIMEOUT and the task is back in the queue for
// another worker. The bound checked is the timeout plus a second of slack for a loaded machine.
func TestWorkerShutdown(t *testing.T) {
	t.Parallel()
	opt := apptest.RedisDB(t)
	const timeout = 5 * time.Second
	srv := setup.WorkerServer(opt, 2, timeout, zaptest.NewLogger(t))
	started := make(chan struct{})
	mux := asynq.NewServeMux()
	mux.HandleFunc("stuck", func(context.Context, *asynq.Task) error {
		close(started)
		select {} // a handler that never returns
	})
	require.NoError(t, srv.Start(mux))
	q := asynq.NewClient(opt)
	t.Cleanup(func() { _ = q.Close() })
	_, err := q.Enqueue(asynq.NewTask("stuck", nil), asynq.TaskID("stuck-1"), asynq.Queue(tasks.QueueDefault))
	require.NoError(t, err)
	<-started

	start := time.Now()
	setup.StopWorker(srv, timeout, zaptest.NewLogger(t))
	require.Less(t, time.Since(start), timeout+time.Second)
	insp := asynq.NewInspector(opt)
	t.Cleanup(func() { _ = insp.Close() })
	info, err := insp.GetTaskInfo(tasks.QueueDefault, "stuck-1")
	require.NoError(t, err)
	require.Equal(t, asynq.TaskStatePending, info.State, "re-queued for another worker")
}
