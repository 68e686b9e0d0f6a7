package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/monadical/reflector-go/pkg/httpapi"
)

// TestAccessLog: one line per request with its request id (also returned in a header), route,
// status and latency; the query string (which can hold tokens) is not logged.
func TestAccessLog(t *testing.T) {
	t.Parallel()
	core, logs := observer.New(zap.DebugLevel)
	e := httpapi.New(httpapi.Deps{Log: zap.New(core), Auth: httpapi.LocalAuth{User: httpapi.User{ID: "u"}}})
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.json?token=s3cret", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	id := rec.Header().Get(echo.HeaderXRequestID)
	require.NotEmpty(t, id)

	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/no/such/route", nil))
	require.Equal(t, http.StatusNotFound, rec.Code)

	lines := logs.FilterMessage("http request").AllUntimed()
	require.Len(t, lines, 2)
	f := lines[0].ContextMap()
	require.Equal(t, id, f["request_id"])
	require.Equal(t, "/openapi.json", f["route"])
	require.Equal(t, int64(http.StatusOK), f["status"])
	require.Contains(t, f, "latency_ms")
	require.Equal(t, "unmatched", lines[1].ContextMap()["route"])
	require.Equal(t, int64(http.StatusNotFound), lines[1].ContextMap()["status"])
	for _, l := range logs.AllUntimed() {
		for _, v := range l.ContextMap() {
			if s, ok := v.(string); ok {
				require.NotContains(t, s, "s3cret")
			}
		}
	}
}
