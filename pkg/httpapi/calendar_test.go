package httpapi_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
)

type calendarBundle struct {
	app  *apptest.App
	feed *apptest.ICSFeed
	now  time.Time
}

// setupCalendar starts the stack with room "cal" (owned by apptest.Owner) on a feed holding
// a call in 30 minutes and a review in 5 hours, and room "plain" without a calendar.
func setupCalendar(t *testing.T) *calendarBundle {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	b := &calendarBundle{app: apptest.New(t, apptest.Options{}), now: now}
	b.feed = apptest.NewICSFeed(t, apptest.ICS(
		apptest.ICSEvent{UID: "call", Room: "cal", Title: "Call", Description: "secret agenda",
			Attendees: []string{"ann@example.com"}, Start: now.Add(30 * time.Minute), End: now.Add(60 * time.Minute)},
		apptest.ICSEvent{UID: "review", Room: "cal", Title: "Review", Start: now.Add(5 * time.Hour), End: now.Add(6 * time.Hour)},
		apptest.ICSEvent{UID: "elsewhere", Room: "calendar", Title: "Not ours", Start: now.Add(time.Hour), End: now.Add(2 * time.Hour)},
	))
	b.app.CreateICSRoom(t, "cal", b.feed.URL+"/feed.ics")
	b.app.CreateRoom(t, "plain")
	return b
}

func (b *calendarBundle) sync(t *testing.T) map[string]any {
	t.Helper()
	res := b.app.Do(t, http.MethodPost, "/v1/rooms/cal/ics/sync", nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	return res.JSON(t)
}

func TestICSSync(t *testing.T) {
	t.Parallel()
	b := setupCalendar(t)

	first := b.sync(t)
	require.Equal(t, "success", first["status"])
	require.EqualValues(t, 2, first["events_found"], "only the events naming the room")
	require.EqualValues(t, 3, first["total_events"])
	require.EqualValues(t, 2, first["events_created"])
	require.NotEmpty(t, first["hash"])

	t.Run("a manual sync is not throttled by the fetch interval", func(t *testing.T) {
		again := b.sync(t)
		require.Equal(t, "unchanged", again["status"], "fetched again, found unchanged (not skipped)")
	})
	t.Run("a failing feed answers 200 with status error and keeps the events", func(t *testing.T) {
		b.feed.Fail(http.StatusInternalServerError)
		res := b.sync(t)
		require.Equal(t, "error", res["status"])
		require.NotEmpty(t, res["error"])
		require.Equal(t, 2, b.app.Count(t, "SELECT count(*) FROM calendar_event WHERE NOT is_deleted"))
	})
	t.Run("non-owners are refused", func(t *testing.T) {
		for _, user := range []string{"someone-else", ""} {
			res := b.app.As(t, user).Do(t, http.MethodPost, "/v1/rooms/cal/ics/sync", nil)
			require.Equal(t, http.StatusForbidden, res.Status)
			require.Equal(t, "Only room owner can trigger ICS sync", res.JSON(t)["detail"])
		}
	})
	t.Run("a room without a calendar is 400", func(t *testing.T) {
		res := b.app.Do(t, http.MethodPost, "/v1/rooms/plain/ics/sync", nil)
		require.Equal(t, http.StatusBadRequest, res.Status)
		require.Equal(t, "ICS not configured for this room", res.JSON(t)["detail"])
	})
	t.Run("an unknown room is 404", func(t *testing.T) {
		res := b.app.Do(t, http.MethodPost, "/v1/rooms/nope/ics/sync", nil)
		require.Equal(t, http.StatusNotFound, res.Status)
		require.Equal(t, "Room not found", res.JSON(t)["detail"])
	})
}

func TestICSStatus(t *testing.T) {
	t.Parallel()
	b := setupCalendar(t)

	before := b.app.Do(t, http.MethodGet, "/v1/rooms/cal/ics/status", nil)
	require.Equal(t, http.StatusOK, before.Status, string(before.Body))
	require.Equal(t, map[string]any{"status": "enabled", "last_sync": nil, "next_sync": nil, "last_etag": nil,
		"events_count": float64(0)}, before.JSON(t))

	hash := b.sync(t)["hash"]
	st := b.app.Do(t, http.MethodGet, "/v1/rooms/cal/ics/status", nil).JSON(t)
	require.EqualValues(t, 2, st["events_count"])
	require.Equal(t, hash, st["last_etag"], "last_etag is the content hash, as the original's")
	last, err := time.Parse(time.RFC3339Nano, st["last_sync"].(string))
	require.NoError(t, err)
	next, err := time.Parse(time.RFC3339Nano, st["next_sync"].(string))
	require.NoError(t, err)
	require.True(t, next.After(last) && !next.After(time.Now().Add(300*time.Second)),
		"next sync is the room's next slot boundary, within one fetch interval: %s after %s", next, last)

	t.Run("a room without a calendar is disabled", func(t *testing.T) {
		res := b.app.Do(t, http.MethodGet, "/v1/rooms/plain/ics/status", nil)
		require.Equal(t, http.StatusOK, res.Status)
		require.Equal(t, "disabled", res.JSON(t)["status"])
	})
	t.Run("non-owners are refused", func(t *testing.T) {
		res := b.app.As(t, "someone-else").Do(t, http.MethodGet, "/v1/rooms/cal/ics/status", nil)
		require.Equal(t, http.StatusForbidden, res.Status)
		require.Equal(t, "Only room owner can view ICS status", res.JSON(t)["detail"])
	})
	t.Run("an unknown room is 404", func(t *testing.T) {
		require.Equal(t, http.StatusNotFound, b.app.Do(t, http.MethodGet, "/v1/rooms/nope/ics/status", nil).Status)
	})
}

// listEvents returns the decoded list answered by path.
func listEvents(t *testing.T, a *apptest.App, path string) []map[string]any {
	t.Helper()
	var out []map[string]any
	res := a.Do(t, http.MethodGet, path, nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	require.NoError(t, json.Unmarshal(res.Body, &out))
	return out
}

func TestRoomCalendarEvents(t *testing.T) {
	t.Parallel()
	b := setupCalendar(t)
	require.Empty(t, listEvents(t, b.app, "/v1/rooms/cal/meetings"), "an empty list, not null")
	b.sync(t)

	t.Run("the owner sees every field", func(t *testing.T) {
		events := listEvents(t, b.app, "/v1/rooms/cal/meetings")
		require.Len(t, events, 2)
		require.Equal(t, "call", events[0]["ics_uid"], "ordered by start")
		require.Equal(t, "review", events[1]["ics_uid"])
		require.Equal(t, "secret agenda", events[0]["description"])
		require.Equal(t, []any{map[string]any{"email": "ann@example.com", "status": "ACCEPTED"}}, events[0]["attendees"])
		require.Equal(t, apptest.UIBaseURL+"/cal", events[0]["location"])
		for _, k := range []string{"id", "room_id", "title", "start_time", "end_time", "last_synced", "created_at", "updated_at"} {
			require.Contains(t, events[0], k)
		}
	})
	t.Run("others see no description nor attendees", func(t *testing.T) {
		for _, user := range []string{"someone-else", ""} {
			events := listEvents(t, b.app.As(t, user), "/v1/rooms/cal/meetings")
			require.Len(t, events, 2)
			require.Nil(t, events[0]["description"])
			require.Nil(t, events[0]["attendees"])
			require.Equal(t, "Call", events[0]["title"])
		}
	})
	t.Run("an unknown room is 404", func(t *testing.T) {
		require.Equal(t, http.StatusNotFound, b.app.Do(t, http.MethodGet, "/v1/rooms/nope/meetings", nil).Status)
	})
}

func TestRoomUpcomingEvents(t *testing.T) {
	t.Parallel()
	b := setupCalendar(t)
	b.sync(t)

	t.Run("two hours ahead by default", func(t *testing.T) {
		events := listEvents(t, b.app, "/v1/rooms/cal/meetings/upcoming")
		require.Len(t, events, 1)
		require.Equal(t, "call", events[0]["ics_uid"])
	})
	t.Run("minutes_ahead widens the window", func(t *testing.T) {
		require.Len(t, listEvents(t, b.app, "/v1/rooms/cal/meetings/upcoming?minutes_ahead=600"), 2)
		require.Empty(t, listEvents(t, b.app, "/v1/rooms/cal/meetings/upcoming?minutes_ahead=10"))
	})
	t.Run("others get the redacted events", func(t *testing.T) {
		events := listEvents(t, b.app.As(t, "someone-else"), "/v1/rooms/cal/meetings/upcoming")
		require.Len(t, events, 1)
		require.Nil(t, events[0]["description"])
		require.Nil(t, events[0]["attendees"])
	})
	t.Run("a bad minutes_ahead is 422", func(t *testing.T) {
		for _, q := range []string{"abc", "-5", "100000", "1.5"} {
			res := b.app.Do(t, http.MethodGet, "/v1/rooms/cal/meetings/upcoming?minutes_ahead="+q, nil)
			require.Equal(t, http.StatusUnprocessableEntity, res.Status, q)
			require.Contains(t, string(res.Body), "minutes_ahead")
		}
	})
	t.Run("an unknown room is 404", func(t *testing.T) {
		require.Equal(t, http.StatusNotFound, b.app.Do(t, http.MethodGet, "/v1/rooms/nope/meetings/upcoming", nil).Status)
	})
}

// TestMeetingsRoutePriority: the static segments active and upcoming win over :meeting_id,
// which still serves meeting ids.
func TestMeetingsRoutePriority(t *testing.T) {
	t.Parallel()
	b := setupCalendar(t)
	b.sync(t)
	require.Len(t, listEvents(t, b.app, "/v1/rooms/cal/meetings/upcoming"), 1, "not read as a meeting id (that would be 422)")
	require.Empty(t, listEvents(t, b.app, "/v1/rooms/cal/meetings/active"))
	res := b.app.Do(t, http.MethodGet, "/v1/rooms/cal/meetings/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e", nil)
	require.Equal(t, http.StatusNotFound, res.Status)
	require.Equal(t, "Meeting not found", res.JSON(t)["detail"])
	require.Equal(t, http.StatusNotFound, b.app.Do(t, http.MethodGet, "/v1/rooms/cal/meetings/upcomingx", nil).Status, "not a meeting id: not found, as the original")
}

// TestICSURLChangeResetsSyncState: a new feed URL is fetched in full, not compared with the
// old feed's validators and hash.
func TestICSURLChangeResetsSyncState(t *testing.T) {
	t.Parallel()
	b := setupCalendar(t)
	b.sync(t)
	id := b.app.Do(t, http.MethodGet, "/v1/rooms/name/cal", nil).JSON(t)["id"].(string)
	require.Equal(t, 1, b.app.Count(t, "SELECT count(*) FROM room WHERE id = $1 AND ics_last_hash IS NOT NULL", id))

	t.Run("another setting keeps the state", func(t *testing.T) {
		res := b.app.Do(t, http.MethodPatch, "/v1/rooms/"+id, map[string]any{"ics_fetch_interval": 600})
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		require.NotNil(t, res.JSON(t)["ics_last_sync"])
		require.Equal(t, 1, b.app.Count(t, "SELECT count(*) FROM room WHERE id = $1 AND ics_last_hash IS NOT NULL", id))
	})
	t.Run("a new URL clears it", func(t *testing.T) {
		res := b.app.Do(t, http.MethodPatch, "/v1/rooms/"+id, map[string]any{"ics_url": b.feed.URL + "/other.ics"})
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		require.Nil(t, res.JSON(t)["ics_last_sync"])
		require.Equal(t, 1, b.app.Count(t, `SELECT count(*) FROM room WHERE id = $1 AND ics_last_hash IS NULL
			AND ics_last_etag IS NULL AND ics_last_modified IS NULL AND ics_last_applied IS NULL AND ics_last_sync IS NULL`, id))
		require.Equal(t, "success", b.sync(t)["status"], "the new feed is applied in full")
	})
}
