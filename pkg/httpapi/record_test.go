package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/room"
)

// TestStartRecording drives POST /v1/meetings/{id}/recordings/start as the web app does: a
// cloud and a raw-tracks recording with different instance ids, from every participant, so
// the second caller's start is "already active", not an error.
func TestStartRecording(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "rec", func(in *room.Input) { in.RecordingType = "cloud" })
	m := a.Do(t, http.MethodPost, "/v1/rooms/rec/meeting", nil).JSON(t)
	path := "/v1/meetings/" + m["id"].(string) + "/recordings/start"
	cloud, raw := m["id"].(string), uuid.NewString()

	res := a.As(t, "").Do(t, http.MethodPost, path, map[string]any{"type": "cloud", "instanceId": cloud})
	require.Equal(t, http.StatusOK, res.Status, "anonymous participants start recordings too: %s", res.Body)
	require.Equal(t, map[string]any{"status": "ok", "result": map[string]any{"status": "sent"}}, res.JSON(t))
	res = a.Do(t, http.MethodPost, path, map[string]any{"type": "raw-tracks", "instanceId": raw})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	active := a.Daily.ActiveRecordings()
	require.Len(t, active, 2)
	require.Equal(t, m["room_name"], active[0].RoomName)
	require.Equal(t, []string{cloud, raw}, []string{active[0].InstanceID, active[1].InstanceID})
	require.Equal(t, []string{"cloud", "raw-tracks"}, []string{active[0].Type, active[1].Type})

	t.Run("a second participant's start is already_active", func(t *testing.T) {
		res := a.As(t, "guest").Do(t, http.MethodPost, path, map[string]any{"type": "cloud", "instanceId": cloud})
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		require.Equal(t, map[string]any{"status": "already_active", "instanceId": cloud}, res.JSON(t))
		require.Len(t, a.Daily.ActiveRecordings(), 2)
	})
	t.Run("a provider refusal passes the provider's text on", func(t *testing.T) {
		a.Daily.FailNext(emulator.DailyStartRecording, 1, emulator.Fault{Status: http.StatusBadRequest,
			Body: `{"error":"invalid-request-error","info":"room does not seem to be hosting a call currently"}`})
		res := a.Do(t, http.MethodPost, path, map[string]any{"type": "cloud", "instanceId": uuid.NewString()})
		require.Equal(t, http.StatusBadGateway, res.Status)
		require.Equal(t, "Failed to start recording: room does not seem to be hosting a call currently", res.JSON(t)["detail"])
	})
	t.Run("provider down", func(t *testing.T) {
		a.Daily.FailNext(emulator.DailyStartRecording, 1, emulator.Fault{Status: http.StatusServiceUnavailable})
		res := a.Do(t, http.MethodPost, path, map[string]any{"type": "cloud", "instanceId": uuid.NewString()})
		require.Equal(t, http.StatusBadGateway, res.Status)
		require.True(t, strings.HasPrefix(res.JSON(t)["detail"].(string), "Failed to start recording: "))
	})
	t.Run("bad input", func(t *testing.T) {
		for _, tc := range []struct {
			name, path string
			body       any
			status     int
		}{
			{"unknown meeting", "/v1/meetings/" + uuid.NewString() + "/recordings/start", map[string]any{"type": "cloud", "instanceId": cloud}, 404},
			{"bad meeting id", "/v1/meetings/nope/recordings/start", map[string]any{"type": "cloud", "instanceId": cloud}, 404}, // as the original: not found
			{"missing fields", path, `{}`, 422},
			{"unknown type", path, map[string]any{"type": "local", "instanceId": cloud}, 422},
			{"bad instance id", path, map[string]any{"type": "cloud", "instanceId": "x"}, 422},
			{"wrong type", path, map[string]any{"type": 5, "instanceId": cloud}, 422},
			{"malformed", path, `{"type":`, 422},
		} {
			res := a.Do(t, http.MethodPost, tc.path, tc.body)
			require.Equal(t, tc.status, res.Status, "%s: %s", tc.name, res.Body)
			require.Contains(t, res.JSON(t), "detail", tc.name)
		}
		require.Len(t, a.Daily.ActiveRecordings(), 2, "nothing was started by bad input")
	})
}

// TestAutoRecordingToken: a room whose recording starts automatically hands out meeting tokens
// carrying start_cloud_recording (with enable_recording "cloud"), and joining with such a
// token starts the cloud recording; other triggers do not.
func TestAutoRecordingToken(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	join := func(name, trigger string) string {
		a.CreateRoom(t, name, func(in *room.Input) { in.RecordingType, in.RecordingTrigger = "cloud", trigger })
		m := a.Do(t, http.MethodPost, "/v1/rooms/"+name+"/meeting", nil).JSON(t)
		res := a.Do(t, http.MethodPost, "/v1/rooms/"+name+"/meetings/"+m["id"].(string)+"/join", nil)
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		tok := strings.SplitN(res.JSON(t)["room_url"].(string), "?t=", 2)[1]
		require.True(t, a.Daily.JoinWithToken(tok, "s-"+name))
		return m["room_name"].(string)
	}
	auto := join("auto", "automatic")
	props := a.Daily.TokenRequests()[0]
	require.Equal(t, true, props["start_cloud_recording"])
	require.Equal(t, "cloud", props["enable_recording"])
	require.Len(t, a.Daily.ActiveRecordings(), 1)
	require.Equal(t, auto, a.Daily.ActiveRecordings()[0].RoomName)

	join("second", "automatic-2nd-participant")
	require.NotContains(t, a.Daily.TokenRequests()[1], "start_cloud_recording")
	require.Len(t, a.Daily.ActiveRecordings(), 1, "only the automatic room records on join")
}

// TestMe answers the verified caller as the original's GET /v1/me; null when anonymous.
func TestMe(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	res := a.As(t, "alice").Do(t, http.MethodGet, "/v1/me", nil)
	require.Equal(t, http.StatusOK, res.Status)
	require.Equal(t, map[string]any{"sub": "alice", "email": "alice@example.com"}, res.JSON(t))
	res = a.As(t, "").Do(t, http.MethodGet, "/v1/me", nil)
	require.Equal(t, http.StatusOK, res.Status)
	require.Equal(t, "null", strings.TrimSpace(string(res.Body)))

	keys := apptest.NewJWT(t)
	j := apptest.New(t, apptest.Options{Auth: keys.Auth})
	res = j.Do(t, http.MethodGet, "/v1/me", nil, "Authorization", "Bearer not-a-token")
	require.Equal(t, http.StatusUnauthorized, res.Status, "a token that does not verify is refused, not anonymous")
	res = j.Do(t, http.MethodGet, "/v1/me", nil, "Authorization", "Bearer "+keys.Token(t, "bob", "bob@example.com"))
	require.Equal(t, map[string]any{"sub": "bob", "email": "bob@example.com"}, res.JSON(t))
}
