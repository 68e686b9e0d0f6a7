package tasks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/calendar"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/tasks/taskstest"
)

type icsBundle struct {
	app  *apptest.App
	feed *apptest.ICSFeed
	mux  *asynq.ServeMux
}

func setupICS(t *testing.T) *icsBundle {
	t.Helper()
	a := apptest.New(t, apptest.Options{})
	start := time.Now().UTC().Add(5 * time.Minute).Truncate(time.Minute)
	feed := apptest.NewICSFeed(t, apptest.ICS(
		apptest.ICSEvent{UID: "standup", Room: "due-1", Title: "Standup", Start: start, End: start.Add(15 * time.Minute)}))
	mux := tasks.NewMux(tasks.Deps{Platforms: a.Platforms, Log: zap.NewNop(), Calendar: a.Calendar, Queue: a.Queue})
	return &icsBundle{app: a, feed: feed, mux: mux}
}

func tickTask(typ string, tick int64) *asynq.Task {
	return asynq.NewTask(typ, fmt.Appendf(nil, `{"tick":%d}`, tick))
}

// queuedRooms lists the rooms of the queued ics:sync_room tasks, checking each task's id.
func queuedRooms(t *testing.T, a *apptest.App) map[uuid.UUID]int {
	t.Helper()
	out := map[uuid.UUID]int{}
	for _, ti := range taskstest.Queued(t, a.Redis, tasks.QueueDefault, tasks.TypeICSSyncRoom) {
		var p tasks.ICSSyncRoomPayload
		require.NoError(t, json.Unmarshal(ti.Payload, &p))
		require.Equal(t, fmt.Sprintf("ics:sync_room:%s:%d", p.RoomID, p.Tick), ti.ID)
		out[p.RoomID]++
	}
	return out
}

// dueTick is the first tick (whole minutes) at or after the room's next slot boundary after
// after, for the default 300 s fetch interval: the tick at which the synced room is due.
func dueTick(id uuid.UUID, after time.Time) int64 {
	next := calendar.NextSlot(id, 300*time.Second, after).Unix()
	return (next + 59) / 60 * 60
}

// TestICSSyncDueFansOut: the periodic sync queues one task per due room, named by room and
// tick, so running the same tick twice queues nothing more; rooms without a calendar are left
// alone, and a synced room is queued only at the tick of its slot boundary.
func TestICSSyncDueFansOut(t *testing.T) {
	t.Parallel()
	b := setupICS(t)
	ctx := context.Background()
	due1 := b.app.CreateICSRoom(t, "due-1", b.feed.URL)
	due2 := b.app.CreateICSRoom(t, "due-2", b.feed.URL)
	fresh := b.app.CreateICSRoom(t, "fresh", b.feed.URL)
	_, err := b.app.Calendar.SyncRoom(ctx, fresh.ID, true)
	require.NoError(t, err)
	b.app.CreateRoom(t, "no-calendar")
	b.app.CreateRoom(t, "disabled", func(in *room.Input) { u := b.feed.URL; in.ICSURL = &u })
	slot := dueTick(fresh.ID, time.Unix(1_800_000_000, 0)) // fresh's due tick
	tick := slot + 60                                      // a tick inside fresh's slot

	require.NoError(t, b.mux.ProcessTask(ctx, tickTask(tasks.TypeICSSyncDue, tick)))
	require.Equal(t, map[uuid.UUID]int{due1.ID: 1, due2.ID: 1}, queuedRooms(t, b.app))

	t.Run("the same tick again queues nothing more", func(t *testing.T) {
		require.NoError(t, b.mux.ProcessTask(ctx, tickTask(tasks.TypeICSSyncDue, tick)))
		require.Equal(t, map[uuid.UUID]int{due1.ID: 1, due2.ID: 1}, queuedRooms(t, b.app))
	})
	t.Run("the next tick queues the rooms still due", func(t *testing.T) {
		require.NoError(t, b.mux.ProcessTask(ctx, tickTask(tasks.TypeICSSyncDue, tick+60)))
		require.Equal(t, map[uuid.UUID]int{due1.ID: 2, due2.ID: 2}, queuedRooms(t, b.app))
	})
	t.Run("the tick of a new slot queues the synced room", func(t *testing.T) {
		require.NoError(t, b.mux.ProcessTask(ctx, tickTask(tasks.TypeICSSyncDue, slot+300)))
		require.Equal(t, map[uuid.UUID]int{due1.ID: 3, due2.ID: 3, fresh.ID: 1}, queuedRooms(t, b.app))
	})
}

// TestICSSyncDueTickEmittedOnce: two schedulers emitting the same ics:sync_due tick make one
// task.
func TestICSSyncDueTickEmittedOnce(t *testing.T) {
	t.Parallel()
	redis := apptest.RedisDB(t)
	q := asynq.NewClient(redis)
	defer q.Close()
	table := tasks.Schedule(tasks.Intervals{ProcessMeetings: 15 * time.Second, ICSSync: time.Minute,
		ICSCreateUpcoming: tasks.ICSCreateUpcomingEvery})
	types := map[string]tasks.Periodic{}
	for _, p := range table {
		types[p.Type] = p
	}
	require.Len(t, types, 3)
	require.Equal(t, 30*time.Second, types[tasks.TypeICSCreateUpcoming].Every)
	p := types[tasks.TypeICSSyncDue]
	tick := time.Unix(1_800_000_000, 0)
	for range 2 {
		tasks.EmitTick(context.Background(), q, p, tick, zap.NewNop())
	}
	require.Len(t, taskstest.Queued(t, redis, p.Queue, p.Type), 1, "the second emission is refused")

	t.Run("zero intervals leave the calendar jobs out", func(t *testing.T) {
		require.Len(t, tasks.Schedule(tasks.Intervals{ProcessMeetings: time.Minute}), 1)
	})
}

// TestICSSyncRoomHandler: the room task syncs the room's feed whenever it runs (the fan-out
// decided the room was due), skips a room without a calendar, and treats a deleted room as
// done.
func TestICSSyncRoomHandler(t *testing.T) {
	t.Parallel()
	b := setupICS(t)
	ctx := context.Background()
	r := b.app.CreateICSRoom(t, "due-1", b.feed.URL)
	task := func(id uuid.UUID) *asynq.Task {
		tk, err := tasks.NewICSSyncRoomTask(tasks.ICSSyncRoomPayload{RoomID: id, Tick: 1})
		require.NoError(t, err)
		return tk
	}

	require.NoError(t, b.mux.ProcessTask(ctx, task(r.ID)))
	require.Equal(t, 1, b.app.Count(t, "SELECT count(*) FROM calendar_event WHERE room_id = $1", r.ID))
	require.Equal(t, 1, b.app.Count(t, "SELECT count(*) FROM room WHERE id = $1 AND ics_last_status = 'success'", r.ID))

	t.Run("a room with its calendar turned off is skipped", func(t *testing.T) {
		_, err := b.app.DB.Exec(`UPDATE room SET ics_enabled = false WHERE id = $1`, r.ID)
		require.NoError(t, err)
		b.feed.Set(apptest.ICS())
		require.NoError(t, b.mux.ProcessTask(ctx, task(r.ID)))
		require.Equal(t, 1, b.app.Count(t, "SELECT count(*) FROM calendar_event WHERE room_id = $1 AND NOT is_deleted", r.ID))
	})
	t.Run("a synced room is synced again: the fan-out decided it was due", func(t *testing.T) {
		_, err := b.app.DB.Exec(`UPDATE room SET ics_enabled = true WHERE id = $1`, r.ID)
		require.NoError(t, err)
		require.NoError(t, b.mux.ProcessTask(ctx, task(r.ID)))
		require.Zero(t, b.app.Count(t, "SELECT count(*) FROM calendar_event WHERE room_id = $1 AND NOT is_deleted", r.ID),
			"the emptied feed was applied")
	})
	t.Run("a deleted room is done", func(t *testing.T) {
		require.NoError(t, b.mux.ProcessTask(ctx, task(uuid.New())))
	})
	t.Run("a bad payload is not retried", func(t *testing.T) {
		err := b.mux.ProcessTask(ctx, asynq.NewTask(tasks.TypeICSSyncRoom, []byte(`{`)))
		require.ErrorIs(t, err, asynq.SkipRetry)
	})
}

// TestICSCreateUpcomingHandler: the periodic task creates the meetings of events about to
// start.
func TestICSCreateUpcomingHandler(t *testing.T) {
	t.Parallel()
	b := setupICS(t)
	ctx := context.Background()
	r := b.app.CreateICSRoom(t, "due-1", b.feed.URL)
	_, err := b.app.Calendar.SyncRoom(ctx, r.ID, true)
	require.NoError(t, err)

	require.NoError(t, b.mux.ProcessTask(ctx, tickTask(tasks.TypeICSCreateUpcoming, 1)))
	require.Equal(t, 1, b.app.Count(t, "SELECT count(*) FROM meeting WHERE room_id = $1 AND kind = 'calendar'", r.ID))
	require.Len(t, b.app.Daily.Rooms(), 1)
}

// TestMuxWithoutCalendar: a worker without a calendar service registers no calendar handler.
func TestMuxWithoutCalendar(t *testing.T) {
	t.Parallel()
	mux := tasks.NewMux(tasks.Deps{Log: zap.NewNop()})
	_, pattern := mux.Handler(tickTask(tasks.TypeICSSyncDue, 1))
	require.Empty(t, pattern)
}
