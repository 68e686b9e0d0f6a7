package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/tasks/taskstest"
)

// polls returns the meeting ids of the queued presence polls and their states.
func polls(t *testing.T, a *apptest.App) map[string]asynq.TaskState {
	t.Helper()
	out := map[string]asynq.TaskState{}
	for _, ti := range taskstest.Queued(t, a.Redis, tasks.QueueCritical, tasks.TypePresencePoll) {
		var p tasks.PresencePollPayload
		require.NoError(t, json.Unmarshal(ti.Payload, &p))
		out[p.MeetingID.String()] = ti.State
	}
	return out
}

// TestJoinedAndLeaveQueueAPresencePoll: /joined and /leave each queue a poll of the meeting's
// presence, so num_clients follows the provider even when the client's own report is wrong.
func TestJoinedAndLeaveQueueAPresencePoll(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "joined-poll")
	a.CreateRoom(t, "leave-poll")
	joined := a.Do(t, http.MethodPost, "/v1/rooms/joined-poll/meeting", map[string]any{"connection_id": "c"}).JSON(t)["id"].(string)
	left := a.Do(t, http.MethodPost, "/v1/rooms/leave-poll/meeting", map[string]any{"connection_id": "c"}).JSON(t)["id"].(string)
	require.Empty(t, polls(t, a), "handing a meeting out polls nothing")

	res := a.Do(t, http.MethodPost, "/v1/rooms/joined-poll/meetings/"+joined+"/joined", map[string]any{"connection_id": "c"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	require.Equal(t, map[string]asynq.TaskState{joined: asynq.TaskStateScheduled}, polls(t, a))

	res = a.Do(t, http.MethodPost, "/v1/rooms/leave-poll/meetings/"+left+"/leave?delay_seconds=5", `{"connection_id":"c"}`)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	require.Equal(t, map[string]asynq.TaskState{joined: asynq.TaskStateScheduled, left: asynq.TaskStateScheduled}, polls(t, a))
}

// TestJoinMintsADailyToken: a logged-in caller's /join room URL carries a Daily meeting token
// naming the provider room and the user; only the owner's says is_owner, and the recording UI
// is on for local recording.
func TestJoinMintsADailyToken(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "tokens", func(in *room.Input) { in.RecordingType = "local" })
	m := a.Do(t, http.MethodPost, "/v1/rooms/tokens/meeting", map[string]any{"connection_id": "c"}).JSON(t)
	join := "/v1/rooms/tokens/meetings/" + m["id"].(string) + "/join"

	for i, user := range []string{apptest.Owner, "guest-1"} {
		res := a.As(t, user).Do(t, http.MethodPost, join, map[string]any{"connection_id": "c-" + user})
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		u, err := url.Parse(res.JSON(t)["room_url"].(string))
		require.NoError(t, err)
		require.NotEmpty(t, u.Query().Get("t"), "the room URL carries the token")
		got := a.Daily.TokenRequests()
		require.Len(t, got, i+1)
		require.Equal(t, map[string]any{"room_name": m["room_name"], "user_id": user, "is_owner": user == apptest.Owner,
			"enable_recording_ui": true, "eject_at_token_exp": false}, got[i])
	}

	res := a.As(t, "").Do(t, http.MethodPost, join, map[string]any{"connection_id": "anon"})
	require.Equal(t, http.StatusOK, res.Status)
	require.NotContains(t, res.JSON(t)["room_url"], "t=", "anonymous callers get no token")
	require.Len(t, a.Daily.TokenRequests(), 2)
}
