package store

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/meeting"
)

// A batch that panics answers its joiners with an error and the next batch still runs: the
// batches run on their own goroutine, where a panic would otherwise end the process.
func TestJoinBatchPanicIsTheJoinersError(t *testing.T) {
	calls := 0
	b := newJoinBatches(nil, func(context.Context, string, []*joinReq) joinRes {
		if calls++; calls == 1 {
			panic("boom")
		}
		return joinRes{m: &meeting.Meeting{Kind: "adhoc"}}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, err := b.join(ctx, "room", meeting.Intent{ConnectionID: "c1"}, meeting.Event{}, time.Now())
	require.ErrorContains(t, err, "panicked: boom")
	_, m, err := b.join(ctx, "room", meeting.Intent{ConnectionID: "c2"}, meeting.Event{}, time.Now())
	require.NoError(t, err)
	require.Equal(t, "adhoc", m.Kind)
}
