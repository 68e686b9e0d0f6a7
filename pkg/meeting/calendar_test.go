package meeting_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/tasks/taskstest"
)

type calendarSlot struct {
	roomID, eventID uuid.UUID
	start, end      time.Time
}

func newSlot(t *testing.T, a *apptest.App, name string) calendarSlot {
	t.Helper()
	r := a.CreateRoom(t, name, func(in *room.Input) { in.IsLocked, in.RecordingType = true, "cloud" })
	eventID := uuid.New()
	_, err := a.DB.Exec(`INSERT INTO calendar_event (id, room_id, ics_uid, start_time, end_time)
		VALUES ($1, $2, 'uid-1', now(), now() + interval '1 hour')`, eventID, r.ID)
	require.NoError(t, err)
	start := time.Now().UTC().Add(5 * time.Minute).Truncate(time.Second)
	return calendarSlot{roomID: r.ID, eventID: eventID, start: start, end: start.Add(time.Hour)}
}

// createConcurrently runs n creators of the slot at once, spread over svcs, and returns the
// ids they got.
func createConcurrently(t *testing.T, svcs []*meeting.Service, s calendarSlot, n int) []uuid.UUID {
	t.Helper()
	ids := make([]uuid.UUID, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ids[i], errs[i] = svcs[i%len(svcs)].CreateCalendar(context.Background(), s.roomID, s.eventID, s.start, s.end, meeting.RawJSON(`{"title":"Standup"}`))
		})
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i])
		require.Equal(t, ids[0], ids[i], "creator %d got another meeting", i)
	}
	return ids
}

func TestCreateCalendar(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	s := newSlot(t, a, "standup")
	ctx := context.Background()

	id, err := a.Meetings.CreateCalendar(ctx, s.roomID, s.eventID, s.start, s.end, meeting.RawJSON(`{"title":"Standup"}`))
	require.NoError(t, err)
	m, err := store.NewMeetingStore(a.DB).MeetingByID(ctx, id)
	require.NoError(t, err)

	t.Run("the meeting is the slot's, with the room's settings", func(t *testing.T) {
		require.Equal(t, meeting.KindCalendar, m.Kind)
		require.True(t, m.StartDate.Equal(s.start))
		require.True(t, m.EndDate.Equal(s.end))
		require.Equal(t, &s.eventID, m.CalendarEventID)
		require.JSONEq(t, `{"title":"Standup"}`, string(m.CalendarMetadata))
		require.True(t, m.IsActive)
		require.True(t, m.IsLocked)
		require.Equal(t, "cloud", m.RecordingType)
		require.Equal(t, []string{m.RoomName}, a.Daily.Rooms(), "one provider room, named for the meeting")
	})
	t.Run("asking again returns it without a provider call", func(t *testing.T) {
		again, err := a.Meetings.CreateCalendar(ctx, s.roomID, uuid.New(), s.start, s.end, nil)
		require.NoError(t, err)
		require.Equal(t, id, again)
		require.Len(t, a.Daily.Rooms(), 1)
	})
	t.Run("an ended meeting still holds its slot", func(t *testing.T) {
		_, err := a.DB.Exec(`UPDATE meeting SET is_active = false WHERE id = $1`, id)
		require.NoError(t, err)
		again, err := a.Meetings.CreateCalendar(ctx, s.roomID, s.eventID, s.start, s.end, nil)
		require.NoError(t, err)
		require.Equal(t, id, again)
	})
	t.Run("another slot gets another meeting", func(t *testing.T) {
		moved, err := a.Meetings.CreateCalendar(ctx, s.roomID, s.eventID, s.start.Add(time.Hour), s.end.Add(time.Hour), nil)
		require.NoError(t, err)
		require.NotEqual(t, id, moved)
		require.Len(t, a.Daily.Rooms(), 2)
	})
	t.Run("an unknown room is room.ErrNotFound", func(t *testing.T) {
		_, err := a.Meetings.CreateCalendar(ctx, uuid.New(), s.eventID, s.start, s.end, nil)
		require.ErrorIs(t, err, room.ErrNotFound)
	})
}

// TestCreateCalendarConcurrent: creators of one slot racing each other, in two processes,
// make one meeting and one provider room: they name the same provider room and settle under
// the room row lock.
func TestCreateCalendarConcurrent(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	s := newSlot(t, a, "rush")
	a.Daily.SetLatency(30 * time.Millisecond) // widens the race window
	warmPool(t, a, 8)

	other := setup.MeetingService(a.Config, setup.LifecycleDeps{DB: a.DB, Platforms: a.Platforms, Jobs: tasks.Jobs{Q: a.Queue}, Log: a.Log})
	createConcurrently(t, []*meeting.Service{a.Meetings, other}, s, 8)
	require.Equal(t, 1, a.Count(t, "SELECT count(*) FROM meeting"))
	require.Len(t, a.Daily.Rooms(), 1, "exactly one provider room")
	require.Empty(t, a.Daily.Deleted(), "no provider room made in vain")
}

// TestCreateCalendarUniqueIndexBackstop: with the room lock off, creators racing in separate
// processes (no shared flight) each call the provider, but they name the same provider room
// (CalendarKey), so all adopt one; the unique index keeps one meeting, and no creator deletes
// the room the kept meeting uses.
func TestCreateCalendarUniqueIndexBackstop(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	s := newSlot(t, a, "backstop")
	a.Daily.SetLatency(100 * time.Millisecond)
	warmPool(t, a, 8) // connection set-up would otherwise space the creators out
	var replicas []*meeting.Service
	for range 8 {
		replicas = append(replicas, setup.MeetingService(a.Config, setup.LifecycleDeps{DB: a.DB, Platforms: a.Platforms,
			Jobs: tasks.Jobs{Q: a.Queue}, Log: a.Log}, func(c *meeting.Config) { c.SafeguardsOff = true }))
	}

	ids := createConcurrently(t, replicas, s, 8)
	require.Equal(t, 1, a.Count(t, "SELECT count(*) FROM meeting"))
	t.Logf("%d creates by 8 racing creators", a.Daily.CallCount(emulator.DailyCreateRoom))
	runRoomDeletes(t, a)
	m, err := store.NewMeetingStore(a.DB).MeetingByID(context.Background(), ids[0])
	require.NoError(t, err)
	require.Equal(t, []string{m.RoomName}, a.Daily.Rooms(), "one provider room, the kept meeting's")
	require.Empty(t, a.Daily.Deleted())
}

// warmPool opens n database connections at once, so that n racing creators start together.
func warmPool(t *testing.T, a *apptest.App, n int) {
	t.Helper()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { _, _ = a.DB.Exec(`SELECT pg_sleep(0.05)`) })
	}
	wg.Wait()
}

// runRoomDeletes runs every queued room:delete task through the real handler.
func runRoomDeletes(t *testing.T, a *apptest.App) {
	t.Helper()
	h := tasks.RoomDeleteHandler{Platforms: a.Platforms, Store: store.NewMeetingStore(a.DB), Log: a.Log}
	for _, info := range taskstest.Queued(t, a.Redis, tasks.QueueDefault, tasks.TypeRoomDelete) {
		require.NoError(t, h.ProcessTask(context.Background(), asynq.NewTask(info.Type, info.Payload)))
	}
}
