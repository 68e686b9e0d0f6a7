package meeting_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/internal/testkit"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/tasks/taskstest"
)

type procBundle struct {
	a     *apptest.App
	clock *testkit.Clock
	proc  *meeting.Processor
	id    string
	prov  string
}

// setupProc makes a room with a 10-minute grace period and hands out its meeting; the
// processor and every service share one fake clock.
func setupProc(t *testing.T) *procBundle {
	t.Helper()
	clk := testkit.NewClock(time.Now().UTC().Truncate(time.Millisecond)) // Postgres keeps microseconds
	a := apptest.New(t, apptest.Options{Now: clk.Now})
	ten := 10
	a.CreateRoom(t, "proc", func(in *room.Input) { in.GracePeriodMinutes = &ten })
	m := a.Do(t, http.MethodPost, "/v1/rooms/proc/meeting", map[string]any{"connection_id": "c"}).JSON(t)
	return &procBundle{a: a, clock: clk, proc: a.Processor, id: m["id"].(string), prov: m["room_name"].(string)}
}

func (b *procBundle) run(t *testing.T) meeting.RunResult {
	t.Helper()
	res, err := b.proc.Run(context.Background())
	require.NoError(t, err)
	return res
}

func (b *procBundle) active(t *testing.T) bool {
	t.Helper()
	return b.a.Count(t, "SELECT count(*) FROM meeting WHERE id = $1 AND is_active", b.id) == 1
}

// joinAndLeave has one participant connect, then leave; the intent is closed by /leave.
func (b *procBundle) joinAndLeave(t *testing.T) {
	t.Helper()
	base := "/v1/rooms/proc/meetings/" + b.id
	b.a.Daily.Join(b.prov, "s1", "", "Ann")
	b.a.Do(t, http.MethodPost, base+"/joined", map[string]any{"connection_id": "c", "session_id": "s1"})
	b.run(t)
	b.a.Daily.Leave(b.prov, "s1")
	b.a.Do(t, http.MethodPost, base+"/leave", `{"connection_id":"c","session_id":"s1"}`)
}

func TestProcessGracePeriod(t *testing.T) {
	t.Parallel()
	b := setupProc(t)
	b.joinAndLeave(t)

	require.Equal(t, 1, b.run(t).GraceStarted, "the last participant left: grace starts")
	require.NotNil(t, b.a.Scalar(t, "SELECT last_participant_left_at FROM meeting"))
	b.clock.Advance(9 * time.Minute)
	b.run(t)
	require.True(t, b.active(t), "within the grace period the meeting stays")

	b.clock.Advance(2 * time.Minute)
	require.Equal(t, 1, b.run(t).Ended)
	require.False(t, b.active(t), "grace expired: deactivated")
	require.Equal(t, "grace period expired", b.a.Scalar(t, "SELECT ended_reason FROM meeting"))
	require.NotEmpty(t, taskstest.Queued(t, b.a.Redis, tasks.QueueDefault, tasks.TypeRoomDelete))
}

func TestProcessRejoinDuringGraceClearsIt(t *testing.T) {
	t.Parallel()
	b := setupProc(t)
	b.joinAndLeave(t)
	b.run(t)
	b.clock.Advance(5 * time.Minute)
	b.a.Daily.Join(b.prov, "s2", "", "Bob")
	b.run(t)
	require.Nil(t, b.a.Scalar(t, "SELECT last_participant_left_at FROM meeting"), "a rejoin clears the grace period")
	b.clock.Advance(30 * time.Minute)
	b.run(t)
	require.True(t, b.active(t), "occupied again: never deactivated")
}

func TestProcessKeepsMeetingWhenPresenceUnavailable(t *testing.T) {
	t.Parallel()
	b := setupProc(t)
	b.joinAndLeave(t)
	b.run(t)
	b.clock.Advance(time.Hour)
	b.a.Daily.FailNext(emulator.DailyPresence, 10, emulator.Fault{Status: http.StatusServiceUnavailable})
	res := b.run(t)
	require.Equal(t, 1, res.PresenceUnknown)
	require.True(t, b.active(t), "never deactivate on unknown presence, never fall back to stale sessions")
}

func TestProcessLiveIntentBlocksDeactivation(t *testing.T) {
	t.Parallel()
	b := setupProc(t)
	b.joinAndLeave(t)
	b.run(t)
	b.clock.Advance(time.Hour)
	// A second user is handed the meeting and is in the handshake, invisible to presence.
	b.a.Do(t, http.MethodPost, "/v1/rooms/proc/meeting", map[string]any{"connection_id": "late"})
	b.run(t)
	require.True(t, b.active(t), "a live intent keeps the meeting")
	b.clock.Advance(31 * time.Second) // the intent expires: the client never connected
	b.run(t)
	require.False(t, b.active(t))
}

func TestMeetingsEndRechecksIntentsUnderLock(t *testing.T) {
	t.Parallel()
	b := setupProc(t)
	ms := store.NewMeetingStore(b.a.DB)
	id := uuid.MustParse(b.id)
	now := b.clock.Now()
	// The decision was taken without the intent; the intent registered since must still win.
	ended, err := ms.MeetingsEnd(context.Background(), []meeting.End{{ID: id, Reason: meeting.EndGraceExpired}}, now)
	require.NoError(t, err)
	require.Empty(t, ended, "the handout's intent is live")
	ended, err = ms.MeetingsEnd(context.Background(), []meeting.End{{ID: id, Reason: meeting.EndPastEnd, Forced: true}}, now)
	require.NoError(t, err)
	require.Len(t, ended, 1, "a forced end does not wait for intents")
}

// TestJoinAndDeactivateSerialise races handouts against deactivation: every handout is of a
// meeting that was active when its intent was written, so no client is sent to an ended one.
func TestJoinAndDeactivateSerialise(t *testing.T) {
	t.Parallel()
	b := setupProc(t)
	ms := store.NewMeetingStore(b.a.DB)
	_, err := b.a.DB.Exec("DELETE FROM join_intent")
	require.NoError(t, err)
	id := uuid.MustParse(b.id)
	var wg sync.WaitGroup
	got := make(chan string, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := b.a.Do(t, http.MethodPost, "/v1/rooms/proc/meeting", map[string]any{"connection_id": uuid.NewString()})
			if res.Status == http.StatusOK {
				got <- res.JSON(t)["id"].(string)
			}
			_ = i
		}()
	}
	ended, err := ms.MeetingsEnd(context.Background(), []meeting.End{{ID: id, Reason: meeting.EndGraceExpired}}, b.clock.Now())
	require.NoError(t, err)
	wg.Wait()
	close(got)
	for mid := range got {
		if mid == b.id && len(ended) == 1 {
			// Handed the old meeting: its intent must have committed before the end, which
			// the end would then have refused. Both cannot be true.
			t.Fatalf("a client was handed meeting %s that was then ended", mid)
		}
	}
}

func TestCalendarMeetingForceClosed(t *testing.T) {
	t.Parallel()
	b := setupProc(t)
	_, err := b.a.DB.Exec("UPDATE meeting SET kind = 'calendar', end_date = $1", b.clock.Now().Add(10*time.Minute))
	require.NoError(t, err)
	b.a.Daily.Join(b.prov, "s1", "", "Ann")
	b.clock.Advance(39 * time.Minute)
	b.run(t)
	require.True(t, b.active(t), "29 minutes after its end, with people in it, it stays")
	b.clock.Advance(time.Minute)
	res := b.run(t)
	require.False(t, b.active(t), "30 minutes after its scheduled end it is force-closed: %+v", res)
}

// TestRoomDeleteLostToQueueOutageIsSwept: the meeting ends while Redis is unreachable, so the
// provider room delete cannot be queued; a later tick re-queues it.
func TestRoomDeleteLostToQueueOutageIsSwept(t *testing.T) {
	t.Parallel()
	b := setupProc(t)
	flaky := &taskstest.Flaky{Q: b.a.Queue}
	b.proc = setup.Processor(b.a.Config, setup.LifecycleDeps{DB: b.a.DB, Platforms: b.a.Platforms, Jobs: tasks.Jobs{Q: flaky},
		Log: b.a.Log}, func(c *meeting.ProcessorConfig) { c.Now = b.clock.Now })
	b.joinAndLeave(t)
	b.run(t)
	b.clock.Advance(11 * time.Minute)
	flaky.Down()
	require.Equal(t, 1, b.run(t).Ended, "the end commits even though the queue is down")
	require.Empty(t, taskstest.Queued(t, b.a.Redis, tasks.QueueDefault, tasks.TypeRoomDelete))
	flaky.Up()
	b.clock.Advance(2 * time.Minute)
	b.run(t)
	require.Len(t, taskstest.Queued(t, b.a.Redis, tasks.QueueDefault, tasks.TypeRoomDelete), 1, "the sweep re-queued the delete")
	b.run(t)
	require.Len(t, taskstest.Queued(t, b.a.Redis, tasks.QueueDefault, tasks.TypeRoomDelete), 1, "and only once")
}

// TestRoomDeleteDeadLetter: a provider room delete that never gets done is restarted
// MaxRequeues times, once per lease, then parked with a timeline event and left alone.
func TestRoomDeleteDeadLetter(t *testing.T) {
	t.Parallel()
	b := setupProc(t)
	flaky := &taskstest.Flaky{Q: b.a.Queue}
	core, logs := observer.New(zapcore.WarnLevel)
	b.proc = setup.Processor(b.a.Config, setup.LifecycleDeps{DB: b.a.DB, Platforms: b.a.Platforms, Jobs: tasks.Jobs{Q: flaky},
		Log: zap.New(core)}, func(c *meeting.ProcessorConfig) {
		c.Now, c.MaxRequeues, c.RoomDeleteLease = b.clock.Now, 2, 3*time.Minute
	})
	b.joinAndLeave(t)
	b.run(t)
	b.clock.Advance(11 * time.Minute)
	flaky.Down() // every queued delete is lost
	require.Equal(t, 1, b.run(t).Ended)
	restarts := func() (n int, dead bool) {
		require.NoError(t, b.a.DB.QueryRow(`SELECT room_delete_requeues, room_delete_dead_at IS NOT NULL FROM meeting
			WHERE id = $1`, b.id).Scan(&n, &dead))
		return n, dead
	}
	for i, want := range []int{1, 1, 2, 2} {
		b.clock.Advance(2 * time.Minute)
		b.run(t)
		n, dead := restarts()
		require.Equal(t, want, n, "tick %d: one restart per lease", i+1)
		require.False(t, dead)
	}
	b.clock.Advance(2 * time.Minute)
	b.run(t)
	_, dead := restarts()
	require.True(t, dead, "the third expiry parks the delete")
	var events int
	require.NoError(t, b.a.DB.Get(&events, `SELECT count(*) FROM meeting_event WHERE meeting_id = $1
		AND kind = 'provider_room_delete_dead'`, b.id))
	require.Equal(t, 1, events)
	parked := logs.FilterMessageSnippet("dead-lettered by the sweep").All()
	require.Len(t, parked, 1)
	require.Equal(t, b.id, parked[0].ContextMap()["meeting_id"])
	require.Equal(t, b.a.Scalar(t, "SELECT room_id::text FROM meeting WHERE id = $1", b.id), parked[0].ContextMap()["room_id"],
		"the parked delete's line names the room too")

	flaky.Up()
	b.clock.Advance(10 * time.Minute)
	b.run(t)
	require.Empty(t, taskstest.Queued(t, b.a.Redis, tasks.QueueDefault, tasks.TypeRoomDelete), "a parked delete is not restarted")
}
