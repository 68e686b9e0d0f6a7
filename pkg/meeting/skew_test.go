package meeting_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/internal/testkit"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/tasks/taskstest"
)

// lateWorker is a process whose provider call outlasts its naming window on its own clock,
// and right after whose next transaction another process (then) acts.
type lateWorker struct {
	clock *testkit.Clock
	armed atomic.Bool
	then  func()
}

// skewedClocks returns two clocks set one minute into the same naming epoch.
func skewedClocks() (*testkit.Clock, *testkit.Clock) {
	q := int64(margin / 4)
	t0 := time.Unix(0, time.Now().UnixNano()/q*q).Add(time.Minute).UTC()
	return testkit.NewClock(t0), testkit.NewClock(t0)
}

// service builds w's meeting service: its provider calls take margin/2 on its clock, and
// then runs after the first transaction that follows one.
func (w *lateWorker) service(a *apptest.App, jobs meeting.Jobs) *meeting.Service {
	deps := setup.LifecycleDeps{DB: a.DB, Platforms: latePlatforms{Platforms: a.Platforms, w: w}, Jobs: jobs, Log: a.Log}
	return setup.MeetingService(a.Config, deps, func(c *meeting.Config) {
		c.Store, c.Now = afterTxStore{MeetingStore: store.NewMeetingStore(a.DB), w: w}, w.clock.Now
	})
}

type latePlatforms struct {
	meeting.Platforms
	w *lateWorker
}

func (p latePlatforms) Get(name string) (platform.Client, error) {
	c, err := p.Platforms.Get(name)
	if err != nil {
		return nil, err
	}
	return lateClient{Client: c, w: p.w}, nil
}

type lateClient struct {
	platform.Client
	w *lateWorker
}

func (c lateClient) CreateMeeting(ctx context.Context, req platform.CreateRequest) (platform.Meeting, error) {
	m, err := c.Client.CreateMeeting(ctx, req)
	c.w.clock.Advance(margin / 2)
	c.w.armed.Store(true)
	return m, err
}

type afterTxStore struct {
	store.MeetingStore
	w *lateWorker
}

func (s afterTxStore) InTx(ctx context.Context, fn func(meeting.Store) error) error {
	err := s.MeetingStore.InTx(ctx, fn)
	if s.w.armed.CompareAndSwap(true, false) {
		s.w.then()
	}
	return err
}

// TestCalendarLateCreatorLeavesTheRoomToTheSweep: worker A's provider call outlasts the naming
// window on A's clock, so A gives its room up; worker B, whose clock runs behind A's, names
// the same room (same slot and epoch), adopts it and commits its meeting right after. A must
// not delete that room: nothing is queued, and the kept meeting's room stays.
func TestCalendarLateCreatorLeavesTheRoomToTheSweep(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	s := newSlot(t, a, "skew")
	clkA, clkB := skewedClocks()
	b := setup.MeetingService(a.Config, setup.LifecycleDeps{DB: a.DB, Platforms: a.Platforms, Jobs: tasks.Jobs{Q: a.Queue},
		Log: a.Log}, func(c *meeting.Config) { c.Now = clkB.Now })
	var (
		idB  uuid.UUID
		errB error
	)
	w := &lateWorker{clock: clkA, then: func() { // in A's flight goroutine
		idB, errB = b.CreateCalendar(context.Background(), s.roomID, s.eventID, s.start, s.end, nil)
	}}

	idA, err := w.service(a, tasks.Jobs{Q: a.Queue}).CreateCalendar(context.Background(), s.roomID, s.eventID, s.start, s.end, nil)
	require.NoError(t, err)
	require.NoError(t, errB)
	require.Equal(t, idB, idA, "A found B's meeting")
	m, err := store.NewMeetingStore(a.DB).MeetingByID(context.Background(), idA)
	require.NoError(t, err)
	requireInsertedAt(t, a, idA, clkB.Now())
	require.Empty(t, taskstest.Queued(t, a.Redis, tasks.QueueDefault, tasks.TypeRoomDelete), "A queued no delete")
	runRoomDeletes(t, a)
	require.Equal(t, []string{m.RoomName}, a.Daily.Rooms(), "one provider room, the kept meeting's")
	require.Empty(t, a.Daily.Deleted())
}

// TestAdhocLateCreatorLeavesTheRoomToTheSweep is the same race for a first join: api A's
// provider call outlasts its naming window, api B (clock behind) adopts the same room and
// commits; A's give-up must not delete the room everyone is handed.
func TestAdhocLateCreatorLeavesTheRoomToTheSweep(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "skew")
	clkA, clkB := skewedClocks()
	b := newReplica(a, clkB, store.NewMeetingStore(a.DB))
	var (
		hB   meeting.Handout
		errB error
	)
	w := &lateWorker{clock: clkA, then: func() { hB, errB = b.GetOrCreate(context.Background(), "skew", "", "", false) }}

	hA, err := w.service(a, simJobs{platforms: a.Platforms}).GetOrCreate(context.Background(), "skew", "", "", false)
	require.NoError(t, err)
	require.NoError(t, errB)
	require.Equal(t, hB.Meeting.ID, hA.Meeting.ID, "A is handed B's meeting")
	requireInsertedAt(t, a, hA.Meeting.ID, clkB.Now())
	require.Equal(t, []string{hA.Meeting.RoomName}, a.Daily.Rooms(), "the handed-out room is not deleted")
	require.Empty(t, a.Daily.Deleted())
}

// requireInsertedAt checks the meeting was inserted at the given time of its creator's clock
// (its "created" timeline row): B's, since A never hands out a room the sweep may take.
func requireInsertedAt(t *testing.T, a *apptest.App, id uuid.UUID, at time.Time) {
	t.Helper()
	var got time.Time
	require.NoError(t, a.DB.Get(&got, `SELECT at FROM meeting_event WHERE meeting_id = $1 AND kind = 'created'`, id))
	require.True(t, got.Equal(at), "inserted at %s, want %s (B's clock): A inserted it", got, at)
}
