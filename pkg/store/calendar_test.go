package store_test

import (
	"context"
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
	id := uuid.New()
	_, err := db.Exec(`INSERT INTO room (id, name, user_id, platform, ics_url, ics_enabled, ics_fetch_interval, ics_last_sync)
		VALUES ($1, $2, 'owner', 'daily', $3, $4, 300, $5)`, id, name, url, enabled, lastSync)
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

	never := calendarRoom(t, db, "never", true, &url, nil)
	due := calendarRoom(t, db, "due", true, &url, ago(300*time.Second))
	calendarRoom(t, db, "recent", true, &url, ago(299*time.Second))
	calendarRoom(t, db, "disabled", false, &url, nil)
	calendarRoom(t, db, "no-url", true, nil, nil)

	ids, err := s.RoomsICSDue(ctx, now)
	require.NoError(t, err)
	require.Equal(t, []uuid.UUID{never, due}, ids, "never synced first; the interval is inclusive")

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
			if _, err := tx.RoomICSLock(ctx, due); err != nil {
				return err
			}
			return tx.InTx(ctx, func(calendar.Store) error { return nil })
		})
		require.ErrorIs(t, err, store.ErrNestedTx)
	})
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
