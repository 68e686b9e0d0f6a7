package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
)

// A join handout takes one of the pool's turns (in arrival order) before it takes a
// connection: with every turn held it waits, and runs once one is released.
func TestJoinHandoutWaitsForATurn(t *testing.T) {
	t.Parallel()
	_, url := storetest.NewDBURL(t)
	ctx := context.Background()
	db, err := store.OpenWith(ctx, url, 2, true)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	ms := store.NewMeetingStore(db)
	var held []func()
	for range 2 {
		release, err := ms.TakeJoinTurn(ctx)
		require.NoError(t, err)
		held = append(held, release)
	}
	now := time.Now()
	in := meeting.Intent{ConnectionID: "c1", State: meeting.IntentJoining, ExpiresAt: now.Add(time.Minute)}
	ev := meeting.NewEvent(meeting.Event{}.MeetingID, now, meeting.EventHandout, "anonymous", nil)
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, _, err = ms.MeetingForJoin(short, "no-such-room", in, ev, now)
	require.ErrorIs(t, err, context.DeadlineExceeded, "no turn free: the handout waits")
	held[0]()
	_, _, err = ms.MeetingForJoin(ctx, "no-such-room", in, ev, now)
	require.ErrorIs(t, err, room.ErrNotFound, "a turn is free: the handout runs")
	held[1]()
}
