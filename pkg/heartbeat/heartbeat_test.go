package heartbeat_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/heartbeat"
)

// TestPing: a 2xx answer is a ping; a 5xx and a closed port are errors that do not quote the
// check's secret path.
func TestPing(t *testing.T) {
	t.Parallel()
	var status atomic.Int32
	status.Store(http.StatusOK)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(int(status.Load()))
	}))
	defer srv.Close()
	p := heartbeat.Pinger{URL: srv.URL + "/ping/check-secret-uuid"}
	require.NoError(t, p.Ping(context.Background()))
	status.Store(http.StatusServiceUnavailable)
	err := p.Ping(context.Background())
	require.ErrorContains(t, err, "503")
	require.NotContains(t, err.Error(), "check-secret-uuid")
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	err = heartbeat.Pinger{URL: closed.URL + "/ping/check-secret-uuid"}.Ping(context.Background())
	require.Error(t, err)
	require.NotContains(t, err.Error(), "check-secret-uuid")
}
