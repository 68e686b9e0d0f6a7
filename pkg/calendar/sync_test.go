package calendar_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/calendar"
)

func TestSyncAggregatedFeed(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{fixture: "aggregated.ics", now: "2026-03-02T14:25:00Z"})
	ctx := context.Background()

	res := b.sync(t, false)
	require.Equal(t, calendar.SyncSuccess, res.Status)
	require.Equal(t, 2, res.EventsFound, "two UIDs of one booking; the maxwell room's event is not ours")
	require.Equal(t, 4, res.TotalEvents)
	require.Equal(t, 2, res.EventsCreated)
	require.Len(t, res.Hash, 64)

	require.NoError(t, b.svc.CreateUpcoming(ctx))
	meetings := b.meetingIDs(t)
	require.Len(t, meetings, 1, "one meeting per slot whatever the number of UIDs")
	for _, e := range b.events(t) {
		require.Equal(t, &meetings[0], e.MeetingID, e.UID)
	}
	var meta string
	require.NoError(t, b.db.Get(&meta, `SELECT calendar_metadata::text FROM meeting WHERE id = $1`, meetings[0]))
	require.Contains(t, meta, `"title": "Intro call with JLee"`)
	require.Contains(t, meta, `"email": "jlee@example.com"`)

	t.Run("later ticks create nothing more", func(t *testing.T) {
		calls := b.meetings.calls.Load()
		b.clock.Set(at("2026-03-02T14:31:00Z"))
		require.NoError(t, b.svc.CreateUpcoming(ctx))
		require.Equal(t, calls, b.meetings.calls.Load(), "linked events are not looked at again")
		require.Len(t, b.meetingIDs(t), 1)
	})
}

func TestSyncUnchangedFeedWritesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{fixture: "aggregated.ics", now: "2026-03-02T14:00:00Z"})
	ctx := context.Background()
	require.Equal(t, calendar.SyncSuccess, b.sync(t, false).Status)
	before := b.events(t)
	require.Len(t, before, 2)
	requests := b.feed.requests.Load()

	t.Run("a synced room is due only at the tick of its slot boundary", func(t *testing.T) {
		tick := b.dueTick(b.clock.Now())
		for _, tc := range []struct {
			tick time.Time
			due  bool
		}{
			{tick.Add(-time.Minute), false}, {tick, true}, {tick.Add(time.Minute), false},
			{tick.Add(4 * time.Minute), false}, {tick.Add(5 * time.Minute), true},
		} {
			ids, err := b.svc.DueRooms(ctx, tc.tick)
			require.NoError(t, err)
			require.Equal(t, tc.due, len(ids) == 1, "tick %s (slot boundary %s)", tc.tick, tick)
		}
		require.Equal(t, requests, b.feed.requests.Load(), "due-ness costs no request")
	})
	t.Run("a manual sync is not throttled; 304 with the same validators writes nothing", func(t *testing.T) {
		room := b.roomXmin(t)
		b.clock.Set(at("2026-03-02T14:01:00Z"))
		res := b.sync(t, true)
		require.Equal(t, calendar.SyncUnchanged, res.Status)
		require.Equal(t, requests+1, b.feed.requests.Load())
		require.Equal(t, before, b.events(t), "same rows, same xmin: nothing rewritten")
		require.Equal(t, room, b.roomXmin(t), "the room row is not written either")
	})
	t.Run("a server without validators: same hash, no event write, new validators recorded", func(t *testing.T) {
		_, err := b.db.Exec(`UPDATE room SET ics_last_etag = NULL WHERE id = $1`, b.roomID)
		require.NoError(t, err)
		room := b.roomXmin(t)
		b.clock.Set(b.dueTick(at("2026-03-02T14:05:00Z")))
		ids, err := b.svc.DueRooms(ctx, b.clock.Now())
		require.NoError(t, err)
		require.Equal(t, []uuid.UUID{b.roomID}, ids)
		require.Equal(t, calendar.SyncUnchanged, b.sync(t, false).Status)
		require.Equal(t, before, b.events(t))
		require.NotEqual(t, room, b.roomXmin(t), "the ETag now served is recorded")
		status, lastErr := b.roomStatus(t)
		require.Equal(t, "unchanged", status)
		require.Empty(t, lastErr)

		room = b.roomXmin(t)
		b.clock.Set(b.clock.Now().Add(5 * time.Minute)) // the next slot
		require.Equal(t, calendar.SyncUnchanged, b.sync(t, false).Status)
		require.Equal(t, room, b.roomXmin(t), "then a 304 with the same validators writes nothing")
	})
	t.Run("once the window has slid, the unchanged feed is applied again", func(t *testing.T) {
		b.clock.Set(at("2026-03-02T19:00:00Z")) // 5 h later: past a fifth of the 24 h lookahead
		res := b.sync(t, false)
		require.Equal(t, calendar.SyncSuccess, res.Status)
		require.Zero(t, res.EventsCreated+res.EventsUpdated+res.EventsDeleted)
		require.Equal(t, before, b.events(t), "re-applying an identical feed rewrites no event")
	})
}

func TestSyncWeeklyRecurringAcrossDST(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{fixture: "weekly.ics", now: "2026-03-02T16:25:00Z"})
	ctx := context.Background()

	res := b.sync(t, false)
	require.Equal(t, 1, res.EventsFound, "Mar 2 is the moved exception (11:30 New York)")
	require.NoError(t, b.svc.CreateUpcoming(ctx))
	events := b.events(t)
	require.Len(t, events, 1)
	require.Equal(t, "20260302T150000Z", events[0].RecurrenceID)
	require.True(t, at("2026-03-02T16:30:00Z").Equal(events[0].Start))
	require.NotNil(t, events[0].MeetingID)

	b.clock.Set(at("2026-03-09T13:55:00Z")) // Mar 9 is cancelled
	res = b.sync(t, false)
	require.Equal(t, calendar.SyncSuccess, res.Status)
	require.Zero(t, res.EventsFound)
	require.Zero(t, res.EventsDeleted, "the Mar 2 occurrence is history, not deleted")

	b.clock.Set(at("2026-03-23T13:55:00Z")) // after US DST: 10:00 New York is 14:00Z
	res = b.sync(t, false)
	require.Equal(t, 1, res.EventsFound)
	require.NoError(t, b.svc.CreateUpcoming(ctx))
	var start time.Time
	require.NoError(t, b.db.Get(&start, `SELECT start_date FROM meeting WHERE room_id = $1 ORDER BY start_date DESC LIMIT 1`, b.roomID))
	require.True(t, at("2026-03-23T14:00:00Z").Equal(start), start)
	require.Len(t, b.meetingIDs(t), 2)
}

func TestSyncOutlookTimeZoneAcrossDST(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{fixture: "outlook_dst.ics", now: "2026-03-29T06:55:00Z"})
	res := b.sync(t, false)
	require.Equal(t, calendar.SyncSuccess, res.Status)
	require.Equal(t, 1, res.EventsFound, "Mar 29, 09:00 Berlin summer time; Mar 30 is past the window")
	require.NoError(t, b.svc.CreateUpcoming(context.Background()))
	var start time.Time
	require.NoError(t, b.db.Get(&start, `SELECT start_date FROM meeting WHERE room_id = $1`, b.roomID))
	require.True(t, at("2026-03-29T07:00:00Z").Equal(start), start)
}

func TestAllDayEventsGetNoMeeting(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{fixture: "allday.ics", now: "2026-03-02T00:01:00Z"})
	require.Equal(t, 2, b.sync(t, false).EventsFound)
	require.NoError(t, b.svc.CreateUpcoming(context.Background()))
	events := b.events(t)
	require.Equal(t, "offsite@example.com", events[0].UID)
	require.Nil(t, events[0].MeetingID)
	require.Equal(t, "kickoff@example.com", events[1].UID)
	require.NotNil(t, events[1].MeetingID)
	require.Len(t, b.meetingIDs(t), 1)
}

func TestMovedEventGetsItsOwnMeeting(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{fixture: "moved_before.ics", now: "2026-03-02T14:25:00Z"})
	ctx := context.Background()
	b.sync(t, false)
	require.NoError(t, b.svc.CreateUpcoming(ctx))
	first := b.meetingIDs(t)
	require.Len(t, first, 1)

	b.feed.Set(readFixture(t, "moved_after.ics"))
	b.clock.Set(at("2026-03-02T14:28:00Z"))
	res := b.sync(t, true)
	require.Equal(t, 1, res.EventsUpdated)
	events := b.events(t)
	require.Nil(t, events[0].MeetingID, "the moved event leaves the old slot's meeting")
	require.NoError(t, b.svc.CreateUpcoming(ctx))
	require.Len(t, b.meetingIDs(t), 1, "15:30 is not upcoming yet")

	b.clock.Set(at("2026-03-02T15:25:00Z"))
	require.NoError(t, b.svc.CreateUpcoming(ctx))
	meetings := b.meetingIDs(t)
	require.Len(t, meetings, 2)
	require.Equal(t, first[0], meetings[0])
	require.Equal(t, &meetings[1], b.events(t)[0].MeetingID, "the new slot's meeting, not the old one")
}

func TestConcurrentSyncsAndWorkers(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{fixture: "aggregated.ics", now: "2026-03-02T14:25:00Z"})
	ctx := context.Background()
	const n = 4
	results := make(chan calendar.SyncResult, n)
	errs := make(chan error, n)
	start := make(chan struct{})
	for range n {
		go func() {
			<-start
			res, err := b.svc.SyncRoom(ctx, b.roomID, true)
			results <- res
			errs <- err
		}()
	}
	close(start)
	created := 0
	for range n {
		require.NoError(t, <-errs)
		res := <-results
		require.Contains(t, []calendar.SyncStatus{calendar.SyncSuccess, calendar.SyncUnchanged}, res.Status)
		created += res.EventsCreated
	}
	require.Equal(t, 2, created, "each event created once")
	require.Len(t, b.events(t), 2)

	done := make(chan error, n)
	for range n {
		go func() { done <- b.svc.CreateUpcoming(ctx) }()
	}
	for range n {
		require.NoError(t, <-done)
	}
	meetings := b.meetingIDs(t)
	require.Len(t, meetings, 1, "two workers at once never make a second meeting")
	for _, e := range b.events(t) {
		require.Equal(t, &meetings[0], e.MeetingID)
	}
}

func TestDeletedEventsComeBack(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{fixture: "aggregated.ics", now: "2026-03-02T12:00:00Z"})
	full := readFixture(t, "aggregated.ics")
	b.sync(t, false)

	// Drop the Google copy from the feed.
	i := strings.Index(string(full), "BEGIN:VEVENT\r\nUID:7f1c9a52")
	j := i + strings.Index(string(full[i:]), "END:VEVENT\r\n") + len("END:VEVENT\r\n")
	b.feed.Set(append(append([]byte{}, full[:i]...), full[j:]...))
	res := b.sync(t, true)
	require.Equal(t, 1, res.EventsDeleted)
	require.True(t, b.events(t)[0].IsDeleted)

	b.feed.Set(full)
	res = b.sync(t, true)
	require.Equal(t, 1, res.EventsUpdated, "revived")
	for _, e := range b.events(t) {
		require.False(t, e.IsDeleted, e.UID)
	}
}

func TestBadFeedsKeepEvents(t *testing.T) {
	t.Parallel()
	huge := make([]byte, 10<<20)
	copy(huge, "BEGIN:VCALENDAR\r\n")
	for _, tc := range []struct {
		name   string
		body   []byte
		block  bool
		status int
		reason string
	}{
		{name: "html", body: readFixture(t, "html.ics"), reason: "feed is not an iCalendar file"},
		{name: "truncated", body: readFixture(t, "truncated.ics"), reason: "feed is truncated"},
		{name: "invalid date", body: readFixture(t, "baddate.ics"), reason: `DTSTART: invalid date-time "20261345T250000Z"`},
		{name: "10 MB", body: huge, reason: "feed too large: over 5242880 bytes"},
		{name: "timeout", block: true, reason: "the calendar host did not answer in time"},
		{name: "server error", status: 503, reason: "feed server answered 503 Service Unavailable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			timeout := 30 * time.Second
			if tc.block {
				timeout = 300 * time.Millisecond
			}
			b := setup(t, setupOpts{fixture: "aggregated.ics", now: "2026-03-02T12:00:00Z", timeout: timeout})
			require.Equal(t, calendar.SyncSuccess, b.sync(t, false).Status)

			b.clock.Set(at("2026-03-02T12:10:00Z"))
			if tc.body != nil {
				b.feed.Set(tc.body)
			}
			b.feed.Misbehave(tc.block, tc.status)
			res := b.sync(t, false)
			require.Equal(t, calendar.SyncError, res.Status)
			require.Contains(t, res.Error, tc.reason)
			require.NotContains(t, res.Error, "secret", "the feed URL's token stays out of the reason")
			status, lastErr := b.roomStatus(t)
			require.Equal(t, "error", status)
			require.Equal(t, res.Error, lastErr)
			require.Len(t, b.events(t), 2, "previous events kept")

			b.clock.Set(at("2026-03-02T12:11:00Z")) // the next tick
			ids, err := b.svc.DueRooms(context.Background(), b.clock.Now())
			require.NoError(t, err)
			require.Equal(t, []uuid.UUID{b.roomID}, ids, "a failed room stays due")
			b.feed.Set(readFixture(t, "aggregated.ics"))
			require.Contains(t, []calendar.SyncStatus{calendar.SyncSuccess, calendar.SyncUnchanged}, b.sync(t, false).Status)
			status, lastErr = b.roomStatus(t)
			require.NotEqual(t, "error", status)
			require.Empty(t, lastErr)
		})
	}
}

func TestSyncSkipsAndErrors(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{fixture: "aggregated.ics", now: "2026-03-02T12:00:00Z"})
	ctx := context.Background()
	_, err := b.db.Exec(`UPDATE room SET ics_enabled = false WHERE id = $1`, b.roomID)
	require.NoError(t, err)

	res, err := b.svc.SyncRoom(ctx, b.roomID, false)
	require.NoError(t, err)
	require.Equal(t, calendar.SyncResult{Status: calendar.SyncSkipped, Reason: "ICS not configured"}, res)
	_, err = b.svc.SyncRoom(ctx, b.roomID, true)
	require.True(t, errors.Is(err, calendar.ErrNotConfigured), err)
	_, err = b.svc.SyncRoom(ctx, uuid.New(), true)
	require.ErrorIs(t, err, calendar.ErrRoomNotFound)
	ids, err := b.svc.DueRooms(ctx, b.clock.Now())
	require.NoError(t, err)
	require.Empty(t, ids)
	require.Zero(t, b.feed.requests.Load())
}

// TestUnreachableFeedReason: a feed host that refuses the connection is shown to the owner as
// such, without the address the worker dialled.
func TestUnreachableFeedReason(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{fixture: "aggregated.ics", now: "2026-03-02T12:00:00Z"})
	addr := b.feed.Listener.Addr().String()
	b.feed.Close() // the port now refuses connections
	res := b.sync(t, false)
	require.Equal(t, calendar.SyncError, res.Status)
	require.Equal(t, "could not connect to the calendar host", res.Error)
	_, lastErr := b.roomStatus(t)
	require.Equal(t, res.Error, lastErr)
	require.NotContains(t, lastErr, addr)
}
