package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/setup"
)

// eventsOf returns the (kind, actor, detail) of a timeline's events of the given kinds.
func eventsOf(b timelineBody, want ...string) []string {
	var out []string
	for _, e := range b.Events {
		for _, k := range want {
			if e.Kind == k {
				sid, _ := e.Detail["session_id"].(string)
				src, _ := e.Detail["source"].(string)
				typ, _ := e.Detail["type"].(string)
				out = append(out, e.Kind+" "+e.Actor+" "+sid+src+typ)
			}
		}
	}
	return out
}

// TestTimelineJoinsLeavesAndWebhooks: a client's /joined and /leave, what presence reads show
// and a Daily webhook applied to the meeting each leave a row on its timeline.
func TestTimelineJoinsLeavesAndWebhooks(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	ctx := context.Background()
	a.CreateRoom(t, "tl-sessions")
	id, prov := meetingOf(t, a, "tl-sessions")
	base := "/v1/rooms/tl-sessions/meetings/" + id
	poller := setup.PresencePoller(setup.LifecycleDeps{DB: a.DB, Platforms: a.Platforms, Log: a.Log})

	r := a.Do(t, http.MethodPost, base+"/joined", map[string]any{"connection_id": "c1", "session_id": "s1"})
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	a.Daily.Join(prov, "s1", "u1", "Ann")
	a.Daily.Join(prov, "s2", "u2", "Bob")
	resp, err := a.Daily.SendWebhook(ctx, a.URL+"/v1/daily/webhook", emulator.DailyParticipantJoined(prov, "s2", "u2", "Bob", time.Now()))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var row int64
	require.NoError(t, a.DB.Get(&row, `SELECT id FROM webhook_event`))
	require.NoError(t, a.Webhooks.Process(ctx, row))
	require.NoError(t, poller.Poll(ctx, uuid.MustParse(id)))

	r = a.Do(t, http.MethodPost, base+"/leave", map[string]any{"connection_id": "c1", "session_id": "s1"})
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	a.Daily.Leave(prov, "s1")
	a.Daily.Leave(prov, "s2")
	require.NoError(t, poller.Poll(ctx, uuid.MustParse(id)))

	require.Equal(t, []string{
		"joined " + apptest.Owner + " s1client",
		"webhook daily participant.joined",
		"joined presence s2presence",
		"left client s1client",
		"left presence s2presence",
	}, eventsOf(timeline(t, a, id), "joined", "left", "webhook"))
}
