package recording_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/recording"
)

// notifier records TranscriptCompleted calls; failing makes the next call fail.
type notifier struct {
	mu      sync.Mutex
	calls   []string
	failing bool
}

func (n *notifier) TranscriptCompleted(_ context.Context, id uuid.UUID, gen int) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.failing {
		n.failing = false
		return errors.New("queue down")
	}
	n.calls = append(n.calls, id.String()+"/"+string(rune('0'+gen)))
	return nil
}

// TestCompletionNotified: a finished generation tells the notifier (the room's
// transcript.completed webhook); a notification lost to a queue outage is given again by the
// task's retry, although the transcript is already ended; a stale generation tells nothing.
func TestCompletionNotified(t *testing.T) {
	t.Parallel()
	n := &notifier{failing: true}
	b := setup(t, setupOpts{tweak: func(c *recording.Config) { c.Completed = n }})
	_, tr := b.handedOff(t, "notify")
	require.Error(t, b.svc.ProcessTranscript(b.ctx, tr.ID, 1), "the lost notification fails the task")
	require.Empty(t, n.calls)
	require.NoError(t, b.svc.ProcessTranscript(b.ctx, tr.ID, 1))
	require.Equal(t, []string{tr.ID.String() + "/1"}, n.calls)
	require.Len(t, b.stt.Uploads(), 1, "the retry did not transcribe again")
	require.NoError(t, b.svc.ProcessTranscript(b.ctx, tr.ID, 0))
	require.Len(t, n.calls, 1)
}
