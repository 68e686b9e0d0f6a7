package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
)

// TestPostgresOutage: while the database is unreachable every route answers 503 with a
// {"detail"} body and Retry-After (webhooks included, which the providers then retry), never
// 500; the API recovers without a restart once it is back.
func TestPostgresOutage(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{PostgresProxy: true})
	a.CreateRoom(t, "outage")
	require.Equal(t, http.StatusOK, a.Do(t, http.MethodPost, "/v1/rooms/outage/meeting", nil).Status)
	hook, hookHeaders, err := a.Daily.SignWebhook(emulator.DailyParticipantJoined("outage-room", "s1", "u1", "Ann", time.Now()))
	require.NoError(t, err)

	a.PG.Down()
	for _, r := range []struct {
		method, path string
		body         []byte
		h            http.Header
	}{
		{http.MethodPost, "/v1/rooms/outage/meeting", []byte(`{}`), http.Header{"Content-Type": {"application/json"}}},
		{http.MethodGet, "/v1/rooms/name/outage", nil, nil},
		{http.MethodGet, "/v1/rooms", nil, nil},
		{http.MethodPost, "/v1/daily/webhook", hook, hookHeaders},
	} {
		resp, body := raw(t, r.method, a.URL+r.path, r.body, r.h)
		require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "%s %s: %s", r.method, r.path, body)
		var d struct{ Detail string }
		require.NoError(t, json.Unmarshal(body, &d))
		require.NotEmpty(t, d.Detail)
		require.Equal(t, "5", resp.Header.Get("Retry-After"))
	}
	require.Equal(t, http.StatusServiceUnavailable, a.Do(t, http.MethodGet, "/readyz", nil).Status)

	a.PG.Up()
	require.Eventually(t, func() bool {
		return a.Do(t, http.MethodPost, "/v1/rooms/outage/meeting", nil).Status == http.StatusOK
	}, 10*time.Second, 50*time.Millisecond)
}

func raw(t *testing.T, method, url string, body []byte, h http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	require.NoError(t, err)
	if h != nil {
		req.Header = h.Clone()
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}
