package meeting_test

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
	"github.com/monadical/reflector-go/pkg/internal/testkit"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
)

var errCrash = errors.New("simulated crash before commit")

// crashingStore fails the next `crashes` meeting inserts, rolling their transaction back:
// what the database sees of an api killed between the provider call and the commit.
type crashingStore struct {
	meeting.Store
	mu      sync.Mutex
	crashes int
}

func (s *crashingStore) InTx(ctx context.Context, fn func(meeting.Store) error) error {
	return s.Store.InTx(ctx, func(tx meeting.Store) error { return fn(crashingTx{Store: tx, s: s}) })
}

func (s *crashingStore) crash() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.crashes == 0 {
		return false
	}
	s.crashes--
	return true
}

// crashingTx is a transaction of crashingStore.
type crashingTx struct {
	meeting.Store
	s *crashingStore
}

func (t crashingTx) MeetingInsert(ctx context.Context, m meeting.Meeting) error {
	if t.s.crash() {
		return errCrash
	}
	return t.Store.MeetingInsert(ctx, m)
}

type orphanBundle struct {
	a       *apptest.App
	clock   *testkit.Clock
	st      *crashingStore
	svc     *meeting.Service
	sweeper meeting.OrphanSweeper
}

const margin = meeting.DefaultRoomMargin // PROVIDER_ROOM_SWEEP_MARGIN's default, as apptest's config has

func setupOrphans(t *testing.T) *orphanBundle {
	t.Helper()
	clk := testkit.NewClock(time.Now().UTC().Truncate(time.Millisecond))
	a := apptest.New(t, apptest.Options{Now: clk.Now})
	a.CreateRoom(t, "crashy")
	ms := store.NewMeetingStore(a.DB)
	st := &crashingStore{Store: ms}
	svc := newReplica(a, clk, st)
	sw := setup.OrphanSweeper(a.Config, setup.LifecycleDeps{DB: a.DB, Log: zap.NewNop()}, a.Platforms)
	sw.Now = clk.Now
	return &orphanBundle{a: a, clock: clk, st: st, svc: svc, sweeper: sw}
}

// newReplica is a meeting service as an API process builds it, on st, deleting discarded
// provider rooms at once as a worker would.
func newReplica(a *apptest.App, clk *testkit.Clock, st meeting.Store, more ...func(*meeting.Config)) *meeting.Service {
	deps := setup.LifecycleDeps{DB: a.DB, Platforms: a.Platforms, Jobs: simJobs{platforms: a.Platforms}, Log: zap.NewNop()}
	return setup.MeetingService(a.Config, deps, append(more, func(c *meeting.Config) { c.Store, c.Now = st, clk.Now })...)
}

func (b *orphanBundle) join(t *testing.T) (meeting.Handout, error) {
	t.Helper()
	return b.svc.GetOrCreate(context.Background(), "crashy", "", "", false)
}

func (b *orphanBundle) sweep(t *testing.T) int {
	t.Helper()
	n, err := b.sweeper.Sweep(context.Background())
	require.NoError(t, err)
	return n
}

// crashOnce is a first join whose api dies before its commit: one provider room, no meeting.
func (b *orphanBundle) crashOnce(t *testing.T) []string {
	t.Helper()
	b.st.crashes = 1
	_, err := b.join(t)
	require.ErrorIs(t, err, errCrash)
	rooms := b.a.Daily.Rooms()
	require.Len(t, rooms, 1, "the provider room was made before the crash")
	require.Zero(t, b.a.Count(t, "SELECT count(*) FROM meeting"))
	return rooms
}

// A crash between the provider call and the commit leaves one provider room and no meeting;
// the next joiner adopts that room (Daily answers "already exists") instead of making another.
func TestCrashMidCreateNextJoinerAdoptsRoom(t *testing.T) {
	t.Parallel()
	b := setupOrphans(t)
	b.crashOnce(t)
	h, err := b.join(t)
	require.NoError(t, err)
	require.Equal(t, []string{h.Meeting.RoomName}, b.a.Daily.Rooms(), "adopted, not a second room")
	require.Equal(t, 2, b.a.Daily.CallCount(emulator.DailyCreateRoom))
	require.Zero(t, b.sweep(t), "the adopted room is owned")
}

// An orphan nobody adopts (the crash was followed by no joiner in its naming window) is
// deleted by the sweep once older than the margin, and not before; owned rooms never are.
func TestSweepDeletesOrphanPastMargin(t *testing.T) {
	t.Parallel()
	b := setupOrphans(t)
	orphan := b.crashOnce(t)
	require.Zero(t, b.sweep(t), "younger than the margin: a creator may still hand it out")

	b.clock.Advance(margin + time.Minute)
	h, err := b.join(t)
	require.NoError(t, err)
	require.NotEqual(t, orphan[0], h.Meeting.RoomName, "a stale room is never handed out")
	require.Len(t, b.a.Daily.Rooms(), 2)

	require.Equal(t, 1, b.sweep(t))
	require.Equal(t, []string{h.Meeting.RoomName}, b.a.Daily.Rooms(), "the orphan is gone, the meeting's room stays")
	b.clock.Advance(2 * margin)
	require.Zero(t, b.sweep(t), "an active meeting's room is never swept")
	require.Equal(t, []string{h.Meeting.RoomName}, b.a.Daily.Rooms())
}

// First joiners arriving together, on two API processes, get one meeting in one provider
// room; each process makes at most one provider call for it.
func TestHerdOfFirstJoinersMakesOneProviderRoom(t *testing.T) {
	t.Parallel()
	b := setupOrphans(t)
	b.a.Daily.SetLatency(50 * time.Millisecond)
	other := newReplica(b.a, b.clock, store.NewMeetingStore(b.a.DB))
	const n = 40
	ids := make(chan string, n)
	var wg sync.WaitGroup
	for i := range n {
		svc := b.svc
		if i%2 == 1 {
			svc = other
		}
		wg.Go(func() {
			h, err := svc.GetOrCreate(context.Background(), "crashy", "", "", false)
			if err != nil {
				ids <- err.Error()
				return
			}
			ids <- h.Meeting.ID.String() + " " + h.Meeting.RoomName
		})
	}
	wg.Wait()
	close(ids)
	seen := map[string]int{}
	for id := range ids {
		seen[id]++
	}
	require.Len(t, seen, 1, "everyone is handed the same meeting and provider room: %v", seen)
	require.Len(t, b.a.Daily.Rooms(), 1)
	require.LessOrEqual(t, b.a.Daily.CallCount(emulator.DailyCreateRoom), 2, "one create per process")
	require.Equal(t, n, b.a.Count(t, "SELECT count(*) FROM join_intent"))
}

// Extra meetings requested at once all pass the count taken before the (slow) provider call;
// the count taken again under the room lock keeps the room at its cap, and the provider rooms
// made for the refused ones are deleted.
func TestConcurrentExtraMeetingsKeepTheCap(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "dups")
	a.Daily.SetLatency(100 * time.Millisecond)
	svc := newReplica(a, testkit.NewClock(time.Now()), store.NewMeetingStore(a.DB), func(c *meeting.Config) { c.MaxExtraMeetings = 3 })
	const n = 12
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			_, err := svc.GetOrCreate(context.Background(), "dups", "", "", true)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	refused := 0
	for err := range errs {
		if errors.Is(err, meeting.ErrTooManyMeetings) {
			refused++
			continue
		}
		require.NoError(t, err)
	}
	require.Equal(t, n-3, refused)
	require.Equal(t, 3, a.Count(t, "SELECT count(*) FROM meeting WHERE kind = 'extra' AND is_active"))
	require.Len(t, a.Daily.Rooms(), 3, "the provider rooms of refused meetings are deleted")
}

// TestOrphanSweepIsScheduledAndHandled: room:sweep-orphans is in the scheduler's table every
// PROVIDER_ROOM_SWEEP_INTERVAL (0 turns it off), and the worker's mux runs it.
func TestOrphanSweepIsScheduledAndHandled(t *testing.T) {
	t.Parallel()
	find := func(env map[string]string) (tasks.Periodic, bool) {
		return apptest.Scheduled(t, env, tasks.TypeRoomSweepOrphans)
	}
	p, ok := find(nil)
	require.True(t, ok)
	require.Equal(t, 10*time.Minute, p.Every)
	_, ok = find(map[string]string{"PROVIDER_ROOM_SWEEP_INTERVAL": "0"})
	require.False(t, ok)

	b := setupOrphans(t)
	orphan := b.crashOnce(t)
	b.clock.Advance(margin + time.Minute)
	mux := tasks.NewMux(tasks.Deps{Orphans: b.sweeper, Log: zap.NewNop()})
	require.NoError(t, mux.ProcessTask(context.Background(), asynq.NewTask(p.Type, nil)))
	require.NotContains(t, b.a.Daily.Rooms(), orphan[0])
}
