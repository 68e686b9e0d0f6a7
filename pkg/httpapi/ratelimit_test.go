package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/httpapi"
	"github.com/monadical/reflector-go/pkg/meeting"
)

// TestExtraMeetingsAreBounded: 20 anonymous allow_duplicated requests make at most the room's
// cap of extra meetings (and provider rooms); the rest are 429 {"detail"} with Retry-After.
func TestExtraMeetingsAreBounded(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{Meeting: func(c *meeting.Config) { c.MaxExtraMeetings = 3 }})
	a.CreateRoom(t, "dups")
	anon := a.As(t, "")
	refused := 0
	for range 20 {
		res := anon.Do(t, http.MethodPost, "/v1/rooms/dups/meeting", map[string]any{"allow_duplicated": true})
		if res.Status == http.StatusTooManyRequests {
			refused++
			require.Contains(t, res.JSON(t), "detail")
			require.NotEmpty(t, res.Header.Get("Retry-After"))
			continue
		}
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	}
	require.Equal(t, 17, refused)
	require.Equal(t, 3, a.Count(t, "SELECT count(*) FROM meeting WHERE kind = 'extra' AND is_active"))
}

// TestWriteRateLimits: a client beyond its write budget, or its budget of extra meetings, is
// answered 429 {"detail"} with Retry-After; reads and other clients are unaffected.
func TestWriteRateLimits(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{Limits: &httpapi.Limits{WritesPerMinute: 1, WritesBurst: 5, CreatesPerMinute: 1}})
	a.CreateRoom(t, "busy")
	statuses := map[int]int{}
	for range 8 {
		statuses[a.Do(t, http.MethodPost, "/v1/rooms/busy/meeting", map[string]any{"allow_duplicated": true}).Status]++
	}
	require.Equal(t, map[int]int{http.StatusOK: 3, http.StatusTooManyRequests: 5}, statuses,
		"3 extra meetings (the per-client creation burst), then 429s from the creation and write limits")
	res := a.Do(t, http.MethodPost, "/v1/rooms/busy/meeting", nil)
	require.Equal(t, http.StatusTooManyRequests, res.Status)
	require.Contains(t, res.JSON(t), "detail")
	require.NotEmpty(t, res.Header.Get("Retry-After"))
	require.Equal(t, http.StatusOK, a.Do(t, http.MethodGet, "/v1/rooms/busy/meetings/active", nil).Status, "reads are not limited")
}
