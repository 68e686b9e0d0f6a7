package store

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/require"
)

// Turns are granted in arrival order: each waiter is parked before the next arrives, and one
// turn makes the order of admission the order of the appends.
func TestTurnsFirstInFirstOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		tr := newTurns(1)
		held, err := tr.wait(ctx)
		require.NoError(t, err)
		var mu sync.Mutex
		var order []int
		for i := range 8 {
			go func() {
				release, err := tr.wait(ctx)
				if err != nil {
					return
				}
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
				release()
			}()
			synctest.Wait() // i waits before i+1 arrives
		}
		held()
		synctest.Wait()
		require.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7}, order)
	})
}

func TestTurnsWaitEndsWithContext(t *testing.T) {
	tr := newTurns(1)
	_, err := tr.wait(context.Background())
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = tr.wait(ctx)
	require.ErrorIs(t, err, context.Canceled)
	release, err := newTurns(0).wait(ctx)
	require.NoError(t, err, "an unlimited pool has no turns to wait for")
	release()
}
