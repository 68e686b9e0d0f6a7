package httpapi_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/room"
)

func TestGetOrCreateMeeting(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "team")

	first := a.Do(t, http.MethodPost, "/v1/rooms/team/meeting", map[string]any{"connection_id": "tab-1"})
	require.Equal(t, http.StatusOK, first.Status, string(first.Body))
	m := first.JSON(t)
	require.Equal(t, "tab-1", m["connection_id"])
	require.Equal(t, true, m["is_active"])
	require.Contains(t, m["room_url"], m["room_name"])
	require.True(t, a.Daily.RoomExists(m["room_name"].(string)))

	t.Run("second caller gets the same meeting", func(t *testing.T) {
		again := a.Do(t, http.MethodPost, "/v1/rooms/team/meeting", nil).JSON(t)
		require.Equal(t, m["id"], again["id"])
		require.NotEmpty(t, again["connection_id"], "a connection id is generated when the client sends none")
	})
	t.Run("each handout registers a join intent", func(t *testing.T) {
		require.Equal(t, 2, a.Count(t, "SELECT count(*) FROM join_intent WHERE meeting_id = $1", m["id"]))
	})
	t.Run("allow_duplicated makes an extra meeting", func(t *testing.T) {
		dup := a.Do(t, http.MethodPost, "/v1/rooms/team/meeting", map[string]any{"allow_duplicated": true}).JSON(t)
		require.NotEqual(t, m["id"], dup["id"])
		active := a.Do(t, http.MethodGet, "/v1/rooms/team/meetings/active", nil)
		require.Equal(t, http.StatusOK, active.Status)
		require.Contains(t, string(active.Body), dup["id"])
		require.Contains(t, string(active.Body), m["id"])
	})
	t.Run("unknown room is 404", func(t *testing.T) {
		res := a.Do(t, http.MethodPost, "/v1/rooms/nope/meeting", nil)
		require.Equal(t, http.StatusNotFound, res.Status)
		require.Equal(t, "Room not found", res.JSON(t)["detail"])
	})
	t.Run("get one meeting", func(t *testing.T) {
		res := a.Do(t, http.MethodGet, "/v1/rooms/team/meetings/"+m["id"].(string), nil)
		require.Equal(t, http.StatusOK, res.Status)
		require.Equal(t, http.StatusNotFound, a.Do(t, http.MethodGet, "/v1/rooms/team/meetings/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e", nil).Status)
	})
}

// TestGetOrCreateConcurrentFirstJoiners fires 50 first joiners at a room with no meeting: the
// room row lock must make exactly one meeting and one provider room.
func TestGetOrCreateConcurrentFirstJoiners(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "rush")
	a.Daily.SetLatency(20e6) // 20 ms per provider call widens the race window

	const n = 50
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := a.Do(t, http.MethodPost, "/v1/rooms/rush/meeting", nil)
			if res.Status == http.StatusOK {
				ids[i] = res.JSON(t)["id"].(string)
			}
		}()
	}
	wg.Wait()
	for i := range n {
		require.Equal(t, ids[0], ids[i], "joiner %d got another meeting", i)
	}
	require.Equal(t, 1, a.Count(t, "SELECT count(*) FROM meeting"))
	require.Len(t, a.Daily.Rooms(), 1, "exactly one provider room")
	require.Equal(t, n, a.Count(t, "SELECT count(*) FROM join_intent"))
}

func TestJoinMeeting(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	r := a.CreateRoom(t, "joinable")
	m := a.Do(t, http.MethodPost, "/v1/rooms/joinable/meeting", nil).JSON(t)
	id := m["id"].(string)

	t.Run("logged-in user gets a token in the room url", func(t *testing.T) {
		res := a.Do(t, http.MethodPost, "/v1/rooms/joinable/meetings/"+id+"/join", map[string]any{"connection_id": "c1"})
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		require.Contains(t, res.JSON(t)["room_url"], "?t=")
	})
	t.Run("anonymous user gets the bare url", func(t *testing.T) {
		res := a.As(t, "").Do(t, http.MethodPost, "/v1/rooms/joinable/meetings/"+id+"/join", nil)
		require.Equal(t, http.StatusOK, res.Status)
		require.NotContains(t, res.JSON(t)["room_url"], "?t=")
	})
	t.Run("inactive meeting is 400 naming the active one", func(t *testing.T) {
		_, err := a.DB.Exec("UPDATE meeting SET is_active = false WHERE id = $1", id)
		require.NoError(t, err)
		fresh := a.Do(t, http.MethodPost, "/v1/rooms/joinable/meeting", nil).JSON(t)
		before := a.Count(t, "SELECT count(*) FROM join_intent WHERE meeting_id = $1", id)
		res := a.Do(t, http.MethodPost, "/v1/rooms/joinable/meetings/"+id+"/join", nil)
		require.Equal(t, http.StatusBadRequest, res.Status)
		body := res.JSON(t)
		require.Equal(t, "Meeting is not active", body["detail"])
		require.Equal(t, fresh["id"], body["active_meeting_id"])
		require.Equal(t, before, a.Count(t, "SELECT count(*) FROM join_intent WHERE meeting_id = $1", id),
			"no intent is registered on a meeting that cannot be joined")
	})
	t.Run("ended meeting is 400", func(t *testing.T) {
		extra := a.Do(t, http.MethodPost, "/v1/rooms/joinable/meeting", map[string]any{"allow_duplicated": true}).JSON(t)
		_, err := a.DB.Exec("UPDATE meeting SET end_date = now() - interval '1 minute' WHERE id = $1", extra["id"])
		require.NoError(t, err)
		res := a.Do(t, http.MethodPost, "/v1/rooms/joinable/meetings/"+extra["id"].(string)+"/join", nil)
		require.Equal(t, http.StatusBadRequest, res.Status)
		require.Equal(t, "Meeting has ended", res.JSON(t)["detail"])
	})
	t.Run("meeting of another room is 404", func(t *testing.T) {
		a.CreateRoom(t, "elsewhere")
		res := a.Do(t, http.MethodPost, "/v1/rooms/elsewhere/meetings/"+id+"/join", nil)
		require.Equal(t, http.StatusNotFound, res.Status)
	})
	_ = r
}

func TestExpiredAdhocMeetingIsReplaced(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "old")
	first := a.Do(t, http.MethodPost, "/v1/rooms/old/meeting", nil).JSON(t)
	_, err := a.DB.Exec("UPDATE meeting SET end_date = now() - interval '1 second'")
	require.NoError(t, err)
	second := a.Do(t, http.MethodPost, "/v1/rooms/old/meeting", nil).JSON(t)
	require.NotEqual(t, first["id"], second["id"])
	require.Equal(t, 1, a.Count(t, "SELECT count(*) FROM meeting WHERE is_active"))
	require.Equal(t, "expired", a.Scalar(t, "SELECT ended_reason FROM meeting WHERE id = $1", first["id"]))
}

func TestMeetingConsent(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "consent", func(in *room.Input) { in.RecordingType = "cloud" })
	m := a.Do(t, http.MethodPost, "/v1/rooms/consent/meeting", nil).JSON(t)
	path := "/v1/meetings/" + m["id"].(string) + "/consent"

	require.Equal(t, http.StatusOK, a.Do(t, http.MethodPost, path, map[string]any{"consent_given": true}).Status)
	res := a.Do(t, http.MethodPost, path, map[string]any{"consent_given": false})
	require.Equal(t, http.StatusOK, res.Status)
	require.Equal(t, "success", res.JSON(t)["status"])
	require.Equal(t, 1, a.Count(t, "SELECT count(*) FROM meeting_consent"), "a user's answer replaces the earlier one")
	require.Equal(t, 1, a.Count(t, "SELECT count(*) FROM meeting_consent WHERE NOT consent_given"))
	anon := a.As(t, "")
	anon.Do(t, http.MethodPost, path, map[string]any{"consent_given": true})
	anon.Do(t, http.MethodPost, path, map[string]any{"consent_given": true})
	require.Equal(t, 3, a.Count(t, "SELECT count(*) FROM meeting_consent"), "anonymous answers are each kept")
	require.Equal(t, http.StatusNotFound, a.Do(t, http.MethodPost, "/v1/meetings/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e/consent", map[string]any{"consent_given": true}).Status)
}
