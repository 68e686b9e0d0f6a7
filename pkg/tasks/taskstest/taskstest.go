// Package taskstest holds test helpers for the queue: an enqueuer that can be taken down and
// brought back, and assertions over what is queued.
package taskstest

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/hibiken/asynq"
)

// ErrDown is what a downed Flaky enqueuer returns.
var ErrDown = errors.New("taskstest: queue is down")

// Flaky wraps a real enqueuer; while down, every enqueue fails as if Redis were unreachable.
type Flaky struct {
	Q interface {
		EnqueueContext(ctx context.Context, t *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error)
	}
	down atomic.Bool
}

// Down makes enqueues fail until Up.
func (f *Flaky) Down() { f.down.Store(true) }

// Up restores enqueues.
func (f *Flaky) Up() { f.down.Store(false) }

// EnqueueContext implements tasks.Enqueuer.
func (f *Flaky) EnqueueContext(ctx context.Context, t *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error) {
	if f.down.Load() {
		return nil, ErrDown
	}
	return f.Q.EnqueueContext(ctx, t, opts...)
}

// Queued lists the tasks of a type waiting in a queue (pending or scheduled).
func Queued(t testing.TB, redis asynq.RedisClientOpt, queue, typ string) []*asynq.TaskInfo {
	t.Helper()
	insp := asynq.NewInspector(redis)
	defer insp.Close()
	var out []*asynq.TaskInfo
	for _, list := range []func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error){insp.ListPendingTasks, insp.ListScheduledTasks} {
		ts, err := list(queue)
		if errors.Is(err, asynq.ErrQueueNotFound) {
			return nil // nothing was ever queued there
		}
		if err != nil {
			t.Fatalf("inspect %s: %v", queue, err)
		}
		for _, ti := range ts {
			if ti.Type == typ {
				out = append(out, ti)
			}
		}
	}
	return out
}
