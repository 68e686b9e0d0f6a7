package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/tasks/taskstest"
)

// TestDeactivateMeeting is the owner's "End meeting": the meeting ends now even with someone
// in the handshake (a live join intent), through process-meetings' end path (ended_reason,
// provider room deletion queued after commit); only the room owner may do it, and ending an
// ended meeting is a no-op success.
func TestDeactivateMeeting(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "endme")
	m := a.As(t, "guest").Do(t, http.MethodPost, "/v1/rooms/endme/meeting", nil).JSON(t)
	id := m["id"].(string)
	path := "/v1/meetings/" + id + "/deactivate"

	res := a.As(t, "guest").Do(t, http.MethodPatch, path, nil)
	require.Equal(t, http.StatusForbidden, res.Status)
	require.Equal(t, "Only the room owner can deactivate meetings", res.JSON(t)["detail"])
	require.Equal(t, http.StatusUnauthorized, a.As(t, "").Do(t, http.MethodPatch, path, nil).Status)
	require.Equal(t, http.StatusNotFound, a.Do(t, http.MethodPatch, "/v1/meetings/nope/deactivate", nil).Status, "not a meeting id: not found, as the original")
	require.Equal(t, http.StatusNotFound, a.Do(t, http.MethodPatch, "/v1/meetings/"+uuid.NewString()+"/deactivate", nil).Status)
	require.Equal(t, true, a.Scalar(t, "SELECT is_active FROM meeting WHERE id = $1", id), "refusals change nothing")

	res = a.Do(t, http.MethodPatch, path, nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	require.Equal(t, map[string]any{"status": "success", "meeting_id": id}, res.JSON(t))
	require.Equal(t, false, a.Scalar(t, "SELECT is_active FROM meeting WHERE id = $1", id))
	require.Equal(t, "ended by owner", a.Scalar(t, "SELECT ended_reason FROM meeting WHERE id = $1", id))
	require.Len(t, taskstest.Queued(t, a.Redis, tasks.QueueDefault, tasks.TypeRoomDelete), 1, "provider room deletion queued")

	res = a.Do(t, http.MethodPatch, path, nil)
	require.Equal(t, http.StatusOK, res.Status, "idempotent")
	require.Len(t, taskstest.Queued(t, a.Redis, tasks.QueueDefault, tasks.TypeRoomDelete), 1)

	next := a.Do(t, http.MethodPost, "/v1/rooms/endme/meeting", nil).JSON(t)
	require.NotEqual(t, id, next["id"], "the room gets a new meeting")
}
