package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestHealthcheck: a 2xx answer succeeds, a 503 and a closed port fail, all without any
// configuration (the compose healthcheck runs it in a container with only the app's env).
func TestHealthcheck(t *testing.T) {
	t.Parallel()
	var ready atomic.Bool
	ready.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" || !ready.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	check := func(url string) (string, error) {
		var out bytes.Buffer
		root := cleanApp(&out).root()
		root.SetArgs([]string{"healthcheck", url})
		err := root.ExecuteContext(context.Background())
		return out.String(), err
	}
	out, err := check(srv.URL + "/readyz")
	require.NoError(t, err)
	require.Equal(t, "ok\n", out)
	ready.Store(false)
	_, err = check(srv.URL + "/readyz")
	require.ErrorContains(t, err, "503")
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	_, err = check(closed.URL + "/readyz")
	require.ErrorContains(t, err, "healthcheck ping to 127.0.0.1")
}
