package metrics_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/metrics"
)

// TestOpsReadyzFrozenDependency: the worker's and the scheduler's /readyz stay under a second
// whatever a dependency does. A check that never returns and ignores its context (a frozen
// Redis behind a call without a deadline) cannot hold the probe: it answers 503 naming it,
// while the other check, run at the same time, answers ok. Each check gets a deadline under a
// second.
func TestOpsReadyzFrozenDependency(t *testing.T) {
	t.Parallel()
	frozen := make(chan struct{})
	defer close(frozen)
	budget := make(chan time.Duration, 1)
	h := (*metrics.Metrics)(nil).OpsHandler(map[string]metrics.Check{
		"database": func(ctx context.Context) error {
			dl, ok := ctx.Deadline()
			require.True(t, ok, "a check without a deadline")
			budget <- time.Until(dl)
			return nil
		},
		"redis": func(context.Context) error { <-frozen; return nil },
	}, zap.NewNop())
	rec := httptest.NewRecorder()
	answered := make(chan struct{})
	go func() {
		defer close(answered)
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	}()
	select {
	case <-answered:
	case <-time.After(30 * time.Second): // a hang detector, not a latency bound
		t.Fatal("/readyz is held by a frozen check")
	}
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	require.JSONEq(t, `{"database": "ok", "redis": "unavailable"}`, rec.Body.String())
	require.LessOrEqual(t, <-budget, time.Second)
}
