package setup_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/calendar"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
)

type upcomingBundle struct {
	app    *apptest.App
	feed   *apptest.ICSFeed
	roomID uuid.UUID
	start  time.Time
}

// setupUpcoming serves an aggregated feed listing one booking of room "max" twice, under two
// UIDs (the incident of seed 002), starting in 5 minutes, and syncs it.
func setupUpcoming(t *testing.T) *upcomingBundle {
	t.Helper()
	start := time.Now().UTC().Add(5 * time.Minute).Truncate(time.Minute)
	b := &upcomingBundle{app: apptest.New(t, apptest.Options{}), start: start}
	b.feed = apptest.NewICSFeed(t, apptest.ICS(
		apptest.ICSEvent{UID: "booking@cal.com", Room: "max", Title: "Intro call", Description: "via Cal.com",
			Attendees: []string{"jlee@example.com"}, Start: start, End: start.Add(30 * time.Minute)},
		apptest.ICSEvent{UID: "7f1c9a52@google.com", Room: "max", Title: "Intro call", Description: "Google copy",
			Start: start, End: start.Add(30 * time.Minute)},
	))
	b.roomID = b.app.CreateICSRoom(t, "max", b.feed.URL).ID
	res, err := b.app.Calendar.SyncRoom(context.Background(), b.roomID, true)
	require.NoError(t, err)
	require.Equal(t, calendar.SyncSuccess, res.Status, res.Error)
	require.Equal(t, 2, res.EventsCreated)
	return b
}

// linked reads the meeting ids linked from the room's events, by event UID.
func (b *upcomingBundle) linked(t *testing.T) map[string]*uuid.UUID {
	t.Helper()
	var rows []struct {
		UID       string     `db:"ics_uid"`
		MeetingID *uuid.UUID `db:"meeting_id"`
	}
	require.NoError(t, b.app.DB.Select(&rows, `SELECT ics_uid, meeting_id FROM calendar_event WHERE room_id = $1 AND NOT is_deleted`, b.roomID))
	out := map[string]*uuid.UUID{}
	for _, r := range rows {
		out[r.UID] = r.MeetingID
	}
	return out
}

// TestCreateUpcomingDuplicatedUIDs: two workers creating upcoming meetings at once from a feed
// that lists one booking under two UIDs make one meeting and one provider room, and both
// events are linked to it.
func TestCreateUpcomingDuplicatedUIDs(t *testing.T) {
	t.Parallel()
	b := setupUpcoming(t)
	b.app.Daily.SetLatency(30 * time.Millisecond)

	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() { errs[i] = b.app.Calendar.CreateUpcoming(context.Background()) })
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])

	require.Equal(t, 1, b.app.Count(t, "SELECT count(*) FROM meeting WHERE room_id = $1", b.roomID))
	require.Len(t, b.app.Daily.Rooms(), 1, "one provider room")
	links := b.linked(t)
	require.Len(t, links, 2)
	require.NotNil(t, links["booking@cal.com"])
	require.Equal(t, links["booking@cal.com"], links["7f1c9a52@google.com"], "every event of the slot keeps its provenance")

	m, err := store.NewMeetingStore(b.app.DB).MeetingByID(context.Background(), *links["booking@cal.com"])
	require.NoError(t, err)
	require.Equal(t, meeting.KindCalendar, m.Kind)
	require.True(t, m.StartDate.Equal(b.start))
	require.True(t, m.EndDate.Equal(b.start.Add(30*time.Minute)))
	var meta calendar.CalendarMetadata
	require.NoError(t, json.Unmarshal(m.CalendarMetadata, &meta))
	require.Equal(t, "Intro call", *meta.Title)
	require.NotNil(t, meta.Description)

	t.Run("a later tick changes nothing", func(t *testing.T) {
		require.NoError(t, b.app.Calendar.CreateUpcoming(context.Background()))
		require.Equal(t, 1, b.app.Count(t, "SELECT count(*) FROM meeting"))
		require.Len(t, b.app.Daily.Rooms(), 1)
	})
}

// TestCreateUpcomingMovedEvent: an event moved to another time gets a meeting of its new slot;
// the old slot's meeting is not reused.
func TestCreateUpcomingMovedEvent(t *testing.T) {
	t.Parallel()
	b := setupUpcoming(t)
	ctx := context.Background()
	require.NoError(t, b.app.Calendar.CreateUpcoming(ctx))
	old := *b.linked(t)["booking@cal.com"]

	moved := b.start.Add(time.Minute)
	b.feed.Set(apptest.ICS(apptest.ICSEvent{UID: "booking@cal.com", Room: "max", Title: "Intro call",
		Start: moved, End: moved.Add(30 * time.Minute)}))
	_, err := b.app.Calendar.SyncRoom(ctx, b.roomID, true)
	require.NoError(t, err)
	require.NoError(t, b.app.Calendar.CreateUpcoming(ctx))

	now := b.linked(t)["booking@cal.com"]
	require.NotNil(t, now)
	require.NotEqual(t, old, *now)
	require.Equal(t, 2, b.app.Count(t, "SELECT count(*) FROM meeting WHERE kind = 'calendar'"))
}

// TestCalendarMeetingsAdapter: the adapter hands the request to the meeting service with the
// metadata as JSON.
func TestCalendarMeetingsAdapter(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	r := a.CreateRoom(t, "adapter")
	eventID := uuid.New()
	_, err := a.DB.Exec(`INSERT INTO calendar_event (id, room_id, ics_uid, start_time, end_time)
		VALUES ($1, $2, 'u', now(), now() + interval '1 hour')`, eventID, r.ID)
	require.NoError(t, err)
	title := "Weekly"
	start := time.Now().UTC().Truncate(time.Second)
	id, err := setup.CalendarMeetings{Meetings: a.Meetings}.CreateCalendarMeeting(context.Background(), calendar.CalendarMeetingRequest{
		RoomID: r.ID, CalendarEventID: eventID, Start: start, End: start.Add(time.Hour),
		Metadata: calendar.CalendarMetadata{Title: &title, Attendees: []calendar.Attendee{{Email: "a@example.com"}}},
	})
	require.NoError(t, err)
	m, err := store.NewMeetingStore(a.DB).MeetingByID(context.Background(), id)
	require.NoError(t, err)
	require.JSONEq(t, `{"title":"Weekly","description":null,"attendees":[{"email":"a@example.com"}]}`, string(m.CalendarMetadata))
}
