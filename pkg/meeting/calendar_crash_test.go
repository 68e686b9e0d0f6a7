package meeting_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/internal/testkit"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
)

// crashingCalendarStore fails the next `crashes` calendar meeting inserts, rolling their
// transaction back: what the database sees of a worker killed between the provider call and
// the commit.
type crashingCalendarStore struct {
	store.MeetingStore
	crashes atomic.Int32
}

func (s *crashingCalendarStore) InTx(ctx context.Context, fn func(meeting.Store) error) error {
	return s.MeetingStore.InTx(ctx, func(tx meeting.Store) error {
		return fn(crashingCalendarTx{MeetingStore: tx.(store.MeetingStore), s: s})
	})
}

type crashingCalendarTx struct {
	store.MeetingStore
	s *crashingCalendarStore
}

func (t crashingCalendarTx) MeetingCalendarInsert(ctx context.Context, m meeting.Meeting) (bool, error) {
	if t.s.crashes.Add(-1) >= 0 {
		return false, errCrash
	}
	return t.MeetingStore.MeetingCalendarInsert(ctx, m)
}

type calendarCrash struct {
	a       *apptest.App
	clock   *testkit.Clock
	st      *crashingCalendarStore
	svc     *meeting.Service
	sweeper meeting.OrphanSweeper
	slot    calendarSlot
}

func setupCalendarCrash(t *testing.T) *calendarCrash {
	t.Helper()
	clk := testkit.NewClock(time.Now().UTC().Truncate(time.Millisecond))
	a := apptest.New(t, apptest.Options{Now: clk.Now})
	st := &crashingCalendarStore{MeetingStore: store.NewMeetingStore(a.DB)}
	sw := setup.OrphanSweeper(a.Config, setup.LifecycleDeps{DB: a.DB, Log: zap.NewNop()}, a.Platforms)
	sw.Now = clk.Now
	return &calendarCrash{a: a, clock: clk, st: st, svc: newReplica(a, clk, st), sweeper: sw, slot: newSlot(t, a, "cal-crash")}
}

func (c *calendarCrash) create() (meeting.Meeting, error) {
	ctx := context.Background()
	id, err := c.svc.CreateCalendar(ctx, c.slot.roomID, c.slot.eventID, c.slot.start, c.slot.end, nil)
	if err != nil {
		return meeting.Meeting{}, err
	}
	return store.NewMeetingStore(c.a.DB).MeetingByID(ctx, id)
}

// crashOnce is a calendar creation whose worker dies before its commit: one provider room,
// no meeting.
func (c *calendarCrash) crashOnce(t *testing.T) string {
	t.Helper()
	c.st.crashes.Store(1)
	_, err := c.create()
	require.ErrorIs(t, err, errCrash)
	rooms := c.a.Daily.Rooms()
	require.Len(t, rooms, 1, "the provider room was made before the crash")
	require.Zero(t, c.a.Count(t, "SELECT count(*) FROM meeting"))
	return rooms[0]
}

func (c *calendarCrash) sweep(t *testing.T) int {
	t.Helper()
	n, err := c.sweeper.Sweep(context.Background())
	require.NoError(t, err)
	return n
}

// The provider room of a calendar meeting is made outside the transaction, under a name
// derived from the slot: a worker that dies before its commit leaves a room that the next run
// of the same slot adopts instead of making another.
func TestCalendarCrashBeforeCommitNextRunAdopts(t *testing.T) {
	t.Parallel()
	c := setupCalendarCrash(t)
	orphan := c.crashOnce(t)
	require.Zero(t, c.sweep(t), "younger than the margin: a creator may still adopt it")
	m, err := c.create()
	require.NoError(t, err)
	require.Equal(t, orphan, m.RoomName, "adopted, not a second room")
	require.Equal(t, []string{orphan}, c.a.Daily.Rooms())
	require.Equal(t, 2, c.a.Daily.CallCount(emulator.DailyCreateRoom), "the second create met 'already exists'")
	require.Zero(t, c.sweep(t), "the adopted room is owned")
}

// A room nobody adopts (the next run came in a later naming window) is deleted by the orphan
// sweep once older than the margin; the meeting's own room stays.
func TestCalendarCrashBeforeCommitSweepDeletes(t *testing.T) {
	t.Parallel()
	c := setupCalendarCrash(t)
	orphan := c.crashOnce(t)
	c.clock.Advance(margin + time.Minute)
	m, err := c.create()
	require.NoError(t, err)
	require.NotEqual(t, orphan, m.RoomName, "a room that may look orphaned is never handed out")
	require.Equal(t, 1, c.sweep(t))
	require.Equal(t, []string{m.RoomName}, c.a.Daily.Rooms(), "the orphan is gone, the meeting's room stays")
	c.clock.Advance(2 * margin)
	require.Zero(t, c.sweep(t), "a meeting's room is never swept")
}
