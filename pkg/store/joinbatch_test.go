package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
)

// Joiners of a room who arrive while its handout statement runs share the next statement.
// Each still gets the meeting, its own intent and its own handout event; a repeated
// connection id waits for the batch after (one upsert per row and statement); a joiner who
// gave up before its batch left registers nothing.
func TestJoinBatchCoalescesARoomsJoiners(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.NewDB(t)
	ms := store.NewMeetingStore(db)
	var (
		mu    sync.Mutex
		sizes []int
	)
	ms.ObserveJoinBatches(func(n int) { mu.Lock(); sizes = append(sizes, n); mu.Unlock() })
	now := time.Now().UTC()
	// A transaction holds the meeting row: the first joiner's statement waits on it.
	meetingID, hold := heldMeeting(t, db, "busy-room", now)

	type result struct {
		conn string
		m    *meeting.Meeting
		err  error
	}
	results := make(chan result, 16)
	join := func(ctx context.Context, conn string) {
		in := meeting.Intent{ConnectionID: conn, State: meeting.IntentJoining, ExpiresAt: now.Add(time.Minute)}
		ev := meeting.NewEvent(uuid.Nil, now, meeting.EventHandout, "anonymous", map[string]any{"connection_id": conn})
		_, m, err := ms.MeetingForJoin(ctx, "busy-room", in, ev, now)
		results <- result{conn, m, err}
	}
	go join(ctx, "c0")
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(sizes) == 1
	}, 10*time.Second, 5*time.Millisecond, "the first joiner's batch is sent")

	// Ten more joiners queue behind it: c1..c9, c1 again, and one who gives up.
	gaveUp, cancel := context.WithCancel(ctx)
	for i := 1; i <= 9; i++ {
		go join(ctx, fmt.Sprintf("c%d", i))
	}
	go join(ctx, "c1")
	go join(gaveUp, "c10")
	require.Eventually(t, func() bool { return ms.QueuedJoins("busy-room") == 11 }, 10*time.Second, 5*time.Millisecond)
	cancel()
	r := <-results
	require.Equal(t, "c10", r.conn)
	require.ErrorIs(t, r.err, context.Canceled)

	require.NoError(t, hold.Rollback())
	for range 11 {
		r := <-results
		require.NoError(t, r.err, r.conn)
		require.NotNil(t, r.m, r.conn)
		require.Equal(t, meetingID, r.m.ID, r.conn)
	}
	mu.Lock()
	require.Equal(t, []int{1, 9, 1}, sizes, "c0 alone, then c1..c9 in one statement, then c1's second handout")
	mu.Unlock()

	var intents []string
	require.NoError(t, db.Select(&intents, `SELECT connection_id FROM join_intent WHERE meeting_id = $1 ORDER BY connection_id`, meetingID))
	require.Equal(t, []string{"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"}, intents, "one intent per connection, none for c10")
	var handouts int
	require.NoError(t, db.Get(&handouts, `SELECT count(*) FROM meeting_event WHERE meeting_id = $1 AND kind = 'handout'`, meetingID))
	require.Equal(t, 11, handouts, "a handout event per handout")
}
