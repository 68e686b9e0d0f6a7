package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
)

// TestWebAppRoomDialog sends what the original web app's room dialog sends: its sync interval
// choices (1 to 60, which the original stores as seconds), empty webhook and ICS strings, ICS
// switched on before a URL is typed, and names its slug function produces.
func TestWebAppRoomDialog(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	body := map[string]any{"name": "-team-sync", "zulip_auto_post": false, "zulip_stream": "", "zulip_topic": "",
		"is_locked": false, "room_mode": "group", "recording_type": "cloud", "recording_trigger": "automatic-2nd-participant",
		"is_shared": false, "webhook_url": "", "webhook_secret": "", "ics_url": "", "ics_enabled": true,
		"ics_fetch_interval": 5, "platform": "daily", "skip_consent": false}
	res := a.Do(t, http.MethodPost, "/v1/rooms", body)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	created := res.JSON(t)
	require.EqualValues(t, 5, created["ics_fetch_interval"])
	require.Nil(t, created["ics_url"])
	id := created["id"].(string)
	for _, iv := range []int{1, 10, 30, 60} {
		res := a.Do(t, http.MethodPatch, "/v1/rooms/"+id, map[string]any{"ics_fetch_interval": iv, "ics_url": "https://cal.example.com/x.ics"})
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		require.EqualValues(t, iv, res.JSON(t)["ics_fetch_interval"])
	}
	for _, iv := range []int{0, -5, 7*24*3600 + 1} {
		res := a.Do(t, http.MethodPatch, "/v1/rooms/"+id, map[string]any{"ics_fetch_interval": iv})
		require.Equal(t, http.StatusUnprocessableEntity, res.Status, "interval %d: %s", iv, res.Body)
	}
}
