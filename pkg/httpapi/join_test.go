package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
)

func TestJoinProtocol(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "proto")
	m := a.Do(t, http.MethodPost, "/v1/rooms/proto/meeting", map[string]any{"connection_id": "tab"}).JSON(t)
	base := "/v1/rooms/proto/meetings/" + m["id"].(string)

	require.Equal(t, http.StatusOK, a.Do(t, http.MethodPost, base+"/joining", map[string]any{"connection_id": "tab"}).Status)
	res := a.Do(t, http.MethodPost, base+"/joined", map[string]any{"connection_id": "tab", "session_id": "s1", "user_name": "Ann"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	require.Equal(t, "connected", a.Scalar(t, "SELECT state FROM join_intent WHERE connection_id = 'tab'"))
	require.EqualValues(t, 1, a.Scalar(t, "SELECT num_clients FROM meeting"))
	require.Equal(t, true, a.Scalar(t, "SELECT ever_joined FROM meeting"), "provisionally, until presence says otherwise")

	// sendBeacon posts text/plain; a body that does not parse is ignored.
	require.Equal(t, http.StatusOK, a.Do(t, http.MethodPost, base+"/leave?delay_seconds=0", "not json").Status)
	res = a.Do(t, http.MethodPost, base+"/leave", `{"connection_id":"tab","session_id":"s1"}`, "Content-Type", "text/plain")
	require.Equal(t, http.StatusOK, res.Status)
	require.EqualValues(t, 0, a.Scalar(t, "SELECT num_clients FROM meeting"))
	require.Zero(t, a.Count(t, "SELECT count(*) FROM join_intent WHERE connection_id = 'tab'"))

	t.Run("joining an ended meeting names the current one", func(t *testing.T) {
		_, err := a.DB.Exec("UPDATE meeting SET is_active = false")
		require.NoError(t, err)
		res := a.Do(t, http.MethodPost, base+"/joining", map[string]any{"connection_id": "tab"})
		require.Equal(t, http.StatusBadRequest, res.Status)
		body := res.JSON(t)
		require.Equal(t, "Meeting is not active", body["detail"])
		require.Nil(t, body["active_meeting_id"], "no active meeting: the client must create one")
		require.Equal(t, http.StatusBadRequest, a.Do(t, http.MethodPost, base+"/joined", map[string]any{"connection_id": "tab"}).Status)
	})
}
