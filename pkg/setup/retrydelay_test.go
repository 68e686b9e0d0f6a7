package setup

import (
	"errors"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/tasks"
)

// TestRetryDelay: a task whose worker died (asynq's recoverer found its lease expired) runs
// again at once, since the lease already cost one to two minutes; a run that failed waits
// asynq's back-off.
func TestRetryDelay(t *testing.T) {
	t.Parallel()
	task := asynq.NewTask(tasks.TypeRoomDelete, nil)
	require.Zero(t, retryDelay(0, asynq.ErrLeaseExpired, task))
	require.Zero(t, retryDelay(5, asynq.ErrLeaseExpired, task))
	require.Positive(t, retryDelay(0, errors.New("provider answered 500"), task))
}
