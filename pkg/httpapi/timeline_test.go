package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
)

type timelineBody struct {
	MeetingID   string  `json:"meeting_id"`
	IsActive    bool    `json:"is_active"`
	EndedReason *string `json:"ended_reason"`
	Events      []struct {
		Kind   string         `json:"kind"`
		Actor  string         `json:"actor"`
		Detail map[string]any `json:"detail"`
	} `json:"events"`
}

// timeline reads a meeting's timeline as the room owner.
func timeline(t *testing.T, a *apptest.App, id string) timelineBody {
	t.Helper()
	r := a.Do(t, http.MethodGet, "/v1/meetings/"+id+"/timeline", nil)
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	var b timelineBody
	require.NoError(t, json.Unmarshal(r.Body, &b))
	return b
}

func kinds(b timelineBody) []string {
	out := make([]string, len(b.Events))
	for i, e := range b.Events {
		out[i] = e.Kind
	}
	return out
}

// meetingOf creates the room's meeting through the API and returns its id and provider room.
func meetingOf(t *testing.T, a *apptest.App, roomName string) (id, providerRoom string) {
	t.Helper()
	r := a.Do(t, http.MethodPost, "/v1/rooms/"+roomName+"/meeting", map[string]any{})
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	m := r.JSON(t)
	return m["id"].(string), m["room_name"].(string)
}

func processMeetings(t *testing.T, a *apptest.App) {
	t.Helper()
	_, err := a.Processor.Run(context.Background())
	require.NoError(t, err)
}

func exec(t *testing.T, a *apptest.App, q string, args ...any) {
	t.Helper()
	_, err := a.DB.Exec(q, args...)
	require.NoError(t, err)
}

// TestTimelineEndedAtEndDate: a meeting past its end date is ended by process-meetings with
// reason "ended"; the timeline says who created it, the decision and the end.
func TestTimelineEndedAtEndDate(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "tl-ended")
	id, _ := meetingOf(t, a, "tl-ended")
	exec(t, a, `UPDATE meeting SET end_date = now() - interval '1 minute' WHERE id = $1`, id)
	processMeetings(t, a)

	b := timeline(t, a, id)
	require.Equal(t, []string{"created", "provider_room_created", "handout", "decision", "ended"}, kinds(b))
	require.Equal(t, apptest.Owner, b.Events[0].Actor)
	require.Equal(t, "get-or-create", b.Events[0].Detail["path"])
	require.Equal(t, "deactivate", b.Events[3].Detail["action"])
	require.Equal(t, "ended", b.Events[4].Detail["reason"])
	require.Equal(t, "process-meetings", b.Events[4].Actor)
	require.Equal(t, "ended", *b.EndedReason)
	require.False(t, b.IsActive)
}

// TestTimelineGracePeriodExpired: joined, left, grace started, grace over, ended; and the
// provider room deletion lands on the timeline too.
func TestTimelineGracePeriodExpired(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "tl-grace")
	id, providerRoom := meetingOf(t, a, "tl-grace")
	exec(t, a, `UPDATE join_intent SET expires_at = now() - interval '1 minute'`)
	a.Daily.Join(providerRoom, "s1", "u1", "Ann")
	processMeetings(t, a) // in use: first presence
	a.Daily.Leave(providerRoom, "s1")
	processMeetings(t, a) // everyone left: grace starts
	exec(t, a, `UPDATE meeting SET last_participant_left_at = now() - interval '1 hour' WHERE id = $1`, id)
	processMeetings(t, a) // grace over, confirmed empty: ended

	b := timeline(t, a, id)
	require.Equal(t, []string{"created", "provider_room_created", "handout", "decision", "first_presence",
		"decision", "grace_started", "decision", "ended"}, kinds(b))
	require.Equal(t, float64(1), b.Events[3].Detail["presence"])
	require.Equal(t, "last participant left", b.Events[5].Detail["reason"])
	require.Equal(t, "grace period expired", b.Events[8].Detail["reason"])
	require.Equal(t, "grace period expired", *b.EndedReason)
}

// TestTimelineExpiredOnJoin: a joiner finding the room's meeting past its end date ends it
// (reason "expired", by the joiner) and gets a new one.
func TestTimelineExpiredOnJoin(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "tl-expired")
	old, _ := meetingOf(t, a, "tl-expired")
	exec(t, a, `UPDATE meeting SET end_date = now() - interval '1 minute' WHERE id = $1`, old)
	fresh, _ := meetingOf(t, a.As(t, "guest"), "tl-expired")
	require.NotEqual(t, old, fresh)

	b := timeline(t, a, old)
	require.Equal(t, []string{"created", "provider_room_created", "handout", "ended"}, kinds(b))
	require.Equal(t, "guest", b.Events[3].Actor)
	require.Equal(t, "expired", b.Events[3].Detail["reason"])
	require.Equal(t, "expired", *b.EndedReason)
	nb := timeline(t, a, fresh)
	require.Equal(t, "guest", nb.Events[0].Actor)
}

// TestTimelineOwnerOnly: only the room's owner reads a timeline.
func TestTimelineOwnerOnly(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "tl-owner")
	id, _ := meetingOf(t, a, "tl-owner")
	require.Equal(t, http.StatusForbidden, a.As(t, "stranger").Do(t, http.MethodGet, "/v1/meetings/"+id+"/timeline", nil).Status)
	require.Equal(t, http.StatusUnauthorized, a.As(t, "").Do(t, http.MethodGet, "/v1/meetings/"+id+"/timeline", nil).Status)
	require.Equal(t, http.StatusNotFound, a.Do(t, http.MethodGet, "/v1/meetings/"+"00000000-0000-4000-8000-000000000000/timeline", nil).Status)
	require.Equal(t, http.StatusNotFound, a.Do(t, http.MethodGet, "/v1/meetings/nope/timeline", nil).Status, "not a meeting id: not found, as the original")
}
