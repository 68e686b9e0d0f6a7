package tasks_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/tasks/taskstest"
)

// emissions counts a scheduler's enqueue attempts and those Redis refused as duplicates.
type emissions struct {
	q              tasks.Enqueuer
	mu             sync.Mutex
	tried, refused int
}

func (e *emissions) EnqueueContext(ctx context.Context, t *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error) {
	info, err := e.q.EnqueueContext(ctx, t, opts...)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.tried++
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		e.refused++
	}
	return info, err
}

func (e *emissions) counts() (int, int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.tried, e.refused
}

// TestTwoRunningSchedulersEmitEachTickOnce: two schedulers run side by side on one Redis, the
// second with a clock 300 ms ahead (clock skew between hosts). Both emit every tick; Redis
// keeps one task per tick of each periodic job, because the task id names the tick.
func TestTwoRunningSchedulersEmitEachTickOnce(t *testing.T) {
	t.Parallel()
	redis := apptest.RedisDB(t)
	q := asynq.NewClient(redis)
	defer q.Close()
	table := []tasks.Periodic{
		{Type: tasks.TypeProcessMeetings, Every: time.Second, Queue: tasks.QueueCritical, Timeout: time.Second},
		{Type: tasks.TypeWebhookSweep, Every: time.Second, Queue: tasks.QueueLow, Timeout: time.Second},
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	schedulers := []*emissions{{q: q}, {q: q}}
	clocks := []func() time.Time{time.Now, func() time.Time { return time.Now().Add(300 * time.Millisecond) }}
	for i, e := range schedulers {
		wg.Add(1)
		go func() { defer wg.Done(); tasks.Run(ctx, e, table, clocks[i], zap.NewNop()) }()
	}
	require.Eventually(t, func() bool {
		a, _ := schedulers[0].counts()
		b, _ := schedulers[1].counts()
		return a+b >= 12 // three ticks of both jobs from both schedulers
	}, 20*time.Second, 50*time.Millisecond)
	cancel()
	wg.Wait()

	tried, refused := 0, 0
	for _, e := range schedulers {
		n, r := e.counts()
		tried, refused = tried+n, refused+r
	}
	queued := 0
	for _, p := range table {
		seen := map[string]bool{}
		for _, ti := range taskstest.Queued(t, redis, p.Queue, p.Type) {
			require.False(t, seen[string(ti.Payload)], "%s tick %s emitted twice", p.Type, ti.Payload)
			seen[string(ti.Payload)] = true
			queued++
		}
	}
	require.Positive(t, refused, "the second emission of a tick is refused")
	require.Equal(t, tried-refused, queued, "every accepted emission is a distinct tick")
}
