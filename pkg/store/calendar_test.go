package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/calendar"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/store/storetest"
)

func calendarRoom(t *testing.T, db *sqlx.DB, name string, enabled bool, url *string, lastSync *time.Time) uuid.UUID {
	t.Helper()
	return slotRoom(t, db, name, enabled, url, lastSync, 300, nil)
}

// slotRoom inserts a room with the given fetch interval (seconds) and last status.
func slotRoom(t *testing.T, db *sqlx.DB, name string, enabled bool, url *string, lastSync *time.Time, interval int, status *string) uuid.UUID {
	t.Helper()
	id := uuid.New()
	_, err := db.Exec(`INSERT INTO room (id, name, user_id, platform, ics_url, ics_enabled, ics_fetch_interval, ics_last_sync, ics_last_status)
		VALUES ($1, $2, 'owner', 'daily', $3, $4, $5, $6, $7)`, id, name, url, enabled, interval, lastSync, status)
	require.NoError(t, err)
	return id
}

func TestCalendarStoreRooms(t *testing.T) {
	t.Parallel()
	db := storetest.NewDB(t)
	s := store.NewCalendarStore(db)
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	url := "https://calendar.example.com/feed.ics"
	ago := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	failed := "error"

	never := calendarRoom(t, db, "never", true, &url, nil)
	retry := slotRoom(t, db, "failed", true, &url, ago(time.Second), 300, &failed)
	synced := calendarRoom(t, db, "synced", true, &url, ago(time.Second))
	calendarRoom(t, db, "disabled", false, &url, nil)
	calendarRoom(t, db, "no-url", true, nil, nil)
	due := calendar.NextSlot(synced, 300*time.Second, now) // the synced room's next slot boundary
	tick := due.Truncate(time.Minute).Add(time.Minute)     // the first tick past it...
	if due.Truncate(time.Minute).Equal(due) {
		tick = due // ...or the tick on it
	}

	for _, tc := range []struct {
		name string
		tick time.Time
		want []uuid.UUID
	}{
		{"never synced and failed rooms are due at every tick", tick.Add(-time.Minute), []uuid.UUID{never, retry}},
		{"a synced room is due at the tick of its slot boundary", tick, []uuid.UUID{never, retry, synced}},
		{"and not at the next tick", tick.Add(time.Minute), []uuid.UUID{never, retry}},
		{"nor one interval minus a tick later", tick.Add(4 * time.Minute), []uuid.UUID{never, retry}},
		{"but one interval later", tick.Add(5 * time.Minute), []uuid.UUID{never, retry, synced}},
	} {
		ids, err := s.RoomsICSDue(ctx, tc.tick, time.Minute)
		require.NoError(t, err)
		require.ElementsMatch(t, tc.want, ids, tc.name)
		require.Equal(t, never, ids[0], "never synced first")
	}

	t.Run("sync bookkeeping", func(t *testing.T) {
		mark := calendar.SyncMark{At: now, ETag: `"e1"`, LastModified: "Mon, 02 Mar 2026 10:00:00 GMT",
			Hash: "h1", Status: calendar.SyncSuccess, Applied: true}
		require.NoError(t, s.RoomICSSynced(ctx, never, mark))
		r, err := s.RoomICS(ctx, never)
		require.NoError(t, err)
		require.True(t, now.Equal(*r.LastSync))
		require.True(t, now.Equal(*r.LastApplied))
		require.Equal(t, 300*time.Second, r.FetchInterval)
		require.Equal(t, []string{`"e1"`, "Mon, 02 Mar 2026 10:00:00 GMT", "h1", "success", ""},
			[]string{r.LastETag, r.LastModified, r.LastHash, r.LastStatus, r.LastError})

		require.NoError(t, s.RoomICSFailed(ctx, never, "feed is truncated"))
		later := calendar.SyncMark{At: now.Add(time.Minute), Hash: "h1", Status: calendar.SyncUnchanged}
		r, err = s.RoomICS(ctx, never)
		require.NoError(t, err)
		require.Equal(t, "error", r.LastStatus)
		require.Equal(t, "feed is truncated", r.LastError)
		require.True(t, now.Equal(*r.LastSync), "a failure keeps the last sync")

		require.NoError(t, s.RoomICSSynced(ctx, never, later))
		r, err = s.RoomICS(ctx, never)
		require.NoError(t, err)
		require.Empty(t, r.LastError)
		require.True(t, now.Equal(*r.LastApplied), "an unchanged sync keeps the last apply")
	})
	t.Run("unknown rooms", func(t *testing.T) {
		_, err := s.RoomICS(ctx, uuid.New())
		require.ErrorIs(t, err, calendar.ErrRoomNotFound)
		require.ErrorIs(t, s.RoomICSFailed(ctx, uuid.New(), "x"), calendar.ErrRoomNotFound)
	})
	t.Run("nested transactions are refused", func(t *testing.T) {
		err := s.InTx(ctx, func(tx calendar.Store) error {
			if _, err := tx.RoomICSLock(ctx, synced); err != nil {
				return err
			}
			return tx.InTx(ctx, func(calendar.Store) error { return nil })
		})
		require.ErrorIs(t, err, store.ErrNestedTx)
	})
}

// TestRoomsICSDueAgreesWithSlotDue: the SQL of RoomsICSDue and calendar.SlotDue (which
// NextSlot, the status's next_sync, follows) pick the same rooms at every tick, for intervals
// that are and are not multiples of the tick, and each room is due once per slot.
func TestRoomsICSDueAgreesWithSlotDue(t *testing.T) {
	t.Parallel()
	db := storetest.NewDB(t)
	s := store.NewCalendarStore(db)
	ctx := context.Background()
	url := "https://calendar.example.com/feed.ics"
	synced := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	intervals := map[uuid.UUID]time.Duration{}
	for i := range 60 {
		iv := []int{60, 300, 301, 900, 3600, 7}[i%6]
		id := slotRoom(t, db, fmt.Sprintf("room-%d", i), true, &url, &synced, iv, nil)
		intervals[id] = time.Duration(iv) * time.Second
	}
	const tickLen = time.Minute
	start := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	dueCount := map[uuid.UUID]int{}
	for i := range 60 { // one hour of ticks
		tick := start.Add(time.Duration(i) * tickLen)
		ids, err := s.RoomsICSDue(ctx, tick, tickLen)
		require.NoError(t, err)
		var want []uuid.UUID
		for id, iv := range intervals {
			d := calendar.SlotDue(id, iv, tick, tickLen)
			require.Equal(t, d, !calendar.NextSlot(id, iv, tick.Add(-tickLen)).After(tick), "NextSlot agrees with SlotDue")
			if d {
				want = append(want, id)
				dueCount[id]++
			}
		}
		require.ElementsMatch(t, want, ids, "tick %s", tick)
	}
	for id, iv := range intervals {
		switch {
		case iv <= tickLen:
			require.Equal(t, 60, dueCount[id], "an interval within a tick: due at every tick")
		case iv == time.Hour:
			require.Equal(t, 1, dueCount[id], "once per slot")
		case iv == 5*time.Minute:
			require.Equal(t, 12, dueCount[id], "once per slot")
		}
	}
}

func TestCalendarStoreEvents(t *testing.T) {
	t.Parallel()
	db := storetest.NewDB(t)
	s := store.NewCalendarStore(db)
	ctx := context.Background()
	url := "https://calendar.example.com/feed.ics"
	roomID := calendarRoom(t, db, "max", true, &url, nil)
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	start := now.Add(time.Hour)
	ev := calendar.CalendarEvent{ID: uuid.New(), RoomID: roomID, Event: calendar.Event{
		UID: "a@example.com", Title: "bad \x00 text \xff", Start: start, End: start.Add(30 * time.Minute),
		Attendees: []calendar.Attendee{{Email: "a@example.com", Name: "A", Role: "ORGANIZER"}},
	}}
	require.NoError(t, s.CalendarEventsUpsert(ctx, roomID, []calendar.CalendarEvent{ev}, now))

	got, err := s.CalendarEventsByRoom(ctx, roomID)
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, "bad  text \uFFFD", got[0].Title, "NUL dropped, invalid UTF-8 replaced")
	require.Equal(t, ev.Attendees, got[0].Attendees)
	require.Empty(t, got[0].Description)
	require.Nil(t, got[0].MeetingID)

	meetingID := uuid.New()
	_, err = db.Exec(`INSERT INTO meeting (id, room_id, kind, platform, start_date, end_date, is_locked, room_mode,
		recording_type, recording_trigger) VALUES ($1, $2, 'calendar', 'daily', $3, $4, false, 'normal', 'cloud', 'none')`,
		meetingID, roomID, ev.Start, ev.End)
	require.NoError(t, err)

	t.Run("linking requires the slot to still match", func(t *testing.T) {
		n, err := s.CalendarEventsLinkMeeting(ctx, []uuid.UUID{ev.ID}, meetingID, ev.Start.Add(time.Minute), ev.End)
		require.NoError(t, err)
		require.Zero(t, n)
		n, err = s.CalendarEventsLinkMeeting(ctx, []uuid.UUID{ev.ID}, meetingID, ev.Start, ev.End)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		pending, err := s.CalendarEventsNeedingMeeting(ctx, now, now.Add(2*time.Hour), now)
		require.NoError(t, err)
		require.Empty(t, pending)
	})
	t.Run("an update in place keeps the meeting, a move clears it", func(t *testing.T) {
		same := ev
		same.Title = "renamed"
		require.NoError(t, s.CalendarEventsUpsert(ctx, roomID, []calendar.CalendarEvent{same}, now))
		got, err := s.CalendarEventsByRoom(ctx, roomID)
		require.NoError(t, err)
		require.Equal(t, &meetingID, got[0].MeetingID)
		require.Equal(t, ev.ID, got[0].ID)

		moved := same
		moved.ID = uuid.New() // ignored on conflict: the row keeps its id
		moved.Start, moved.End = ev.Start.Add(time.Hour), ev.End.Add(time.Hour)
		require.NoError(t, s.CalendarEventsUpsert(ctx, roomID, []calendar.CalendarEvent{moved}, now))
		got, err = s.CalendarEventsByRoom(ctx, roomID)
		require.NoError(t, err)
		require.Nil(t, got[0].MeetingID)
		require.Equal(t, ev.ID, got[0].ID)
	})
	t.Run("soft delete hides from lists but not from sync", func(t *testing.T) {
		require.NoError(t, s.CalendarEventsSoftDelete(ctx, []uuid.UUID{ev.ID}, now))
		n, err := s.CalendarEventsCountByRoom(ctx, roomID)
		require.NoError(t, err)
		require.Zero(t, n)
		forSync, err := s.CalendarEventsForSync(ctx, roomID, now.Add(24*time.Hour), []string{"a@example.com"})
		require.NoError(t, err)
		require.Len(t, forSync, 1)
		require.True(t, forSync[0].IsDeleted)
	})
}
