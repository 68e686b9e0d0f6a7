package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/httpapi"
)

const webOrigin = "http://localhost:3000"

// preflight sends the OPTIONS request a browser sends before a JSON call with a bearer token.
func preflight(t *testing.T, a *apptest.App, method, path string) apptest.Response {
	t.Helper()
	return a.Do(t, http.MethodOptions, path, nil, "Origin", webOrigin,
		"Access-Control-Request-Method", method, "Access-Control-Request-Headers", "content-type,authorization")
}

// TestCORSPreflightEverywhere: the web app preflights every call (it always sends
// Content-Type: application/json), so every path answers the preflight, unknown paths and
// provider webhooks included, and every answer, errors included, names the allowed origin.
func TestCORSPreflightEverywhere(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	a.CreateRoom(t, "lobby")
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/v1/rooms/name/lobby"},
		{http.MethodPost, "/v1/rooms/lobby/meeting"},
		{http.MethodPatch, "/v1/meetings/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e/deactivate"},
		{http.MethodPost, "/v1/meetings/6f1c1f3e-8a55-4c4c-9d0e-1d2a3b4c5d6e/recordings/start"},
		{http.MethodGet, "/v1/me"},
		{http.MethodPost, "/v1/daily/webhook"},
		{http.MethodGet, "/v1/transcripts"}, // not served: still preflighted
		{http.MethodDelete, "/no/such/path"},
	} {
		res := preflight(t, a, tc.method, tc.path)
		require.Equal(t, http.StatusNoContent, res.Status, tc.path)
		require.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"), tc.path)
		require.Contains(t, res.Header.Get("Access-Control-Allow-Methods"), tc.method, tc.path)
		require.Equal(t, "content-type,authorization", res.Header.Get("Access-Control-Allow-Headers"), tc.path)
	}
	for _, path := range []string{"/v1/rooms/name/lobby", "/v1/rooms/name/nope", "/v1/nothing"} {
		res := a.Do(t, http.MethodGet, path, nil, "Origin", webOrigin)
		require.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"), path)
	}
	res := a.As(t, "").Do(t, http.MethodGet, "/v1/rooms", nil, "Origin", webOrigin)
	require.Equal(t, http.StatusUnauthorized, res.Status)
	require.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"), "a 401 is readable by the web app")
}

// TestCORSOriginsAndCredentials: listed origins only; with credentials the wildcard echoes the
// caller's origin (browsers refuse "*" with credentials), as the original's Starlette does.
func TestCORSOriginsAndCredentials(t *testing.T) {
	t.Parallel()
	listed := apptest.New(t, apptest.Options{CORS: httpapi.CORS{Origins: []string{"https://app.example.com"}}})
	res := listed.Do(t, http.MethodGet, "/healthz", nil, "Origin", "https://app.example.com")
	require.Equal(t, "https://app.example.com", res.Header.Get("Access-Control-Allow-Origin"))
	res = listed.Do(t, http.MethodGet, "/healthz", nil, "Origin", "https://evil.example.com")
	require.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))

	creds := apptest.New(t, apptest.Options{CORS: httpapi.CORS{AllowCredentials: true}})
	res = preflight(t, creds, http.MethodGet, "/v1/rooms")
	require.Equal(t, webOrigin, res.Header.Get("Access-Control-Allow-Origin"))
	require.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
}
