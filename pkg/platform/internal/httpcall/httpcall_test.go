package httpcall

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
)

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"2", 2 * time.Second},
		{" 1.5 ", 1500 * time.Millisecond},
		{"0", 0},
		{"-3", 0},
		{"soon", 0},
		{now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, parseRetryAfter(tt.in, now), tt.in)
	}
}

func TestBreaker(t *testing.T) {
	t.Parallel()
	now := time.Unix(0, 0)
	b := NewBreaker(2, 10*time.Second, func() time.Time { return now })
	require.True(t, b.Allow())
	b.record(outcomeFailure)
	b.record(outcomeSuccess) // a success resets the count
	b.record(outcomeFailure)
	require.True(t, b.Allow())
	b.record(outcomeFailure)
	require.False(t, b.Allow(), "open after two failures in a row")

	now = now.Add(10 * time.Second)
	require.True(t, b.Allow(), "one probe when the cooldown is over")
	require.False(t, b.Allow(), "only one probe at a time")
	b.record(outcomeFailure)
	require.False(t, b.Allow(), "a failed probe reopens")

	now = now.Add(10 * time.Second)
	require.True(t, b.Allow())
	b.record(outcomeNeutral)
	require.True(t, b.Allow(), "a neutral probe frees the slot")
	b.record(outcomeSuccess)
	require.True(t, b.Allow())
	require.True(t, b.Allow(), "closed again")
}

type testBundle struct {
	calls  *atomic.Int32
	caller *Caller
}

// setup serves status (with headers) for every request and returns a Caller for it.
func setup(t *testing.T, status int, header http.Header, delay time.Duration) testBundle {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		for k, v := range header {
			w.Header()[k] = v
		}
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	c := New(Config{Provider: "test", BaseURL: srv.URL, Timeout: 200 * time.Millisecond,
		MaxRetries: 2, BaseBackoff: time.Millisecond, MaxBackoff: time.Second})
	return testBundle{calls: &calls, caller: c}
}

func TestDoRetries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("GetIsRetriedOn5xx", func(t *testing.T) {
		t.Parallel()
		b := setup(t, 502, nil, 0)
		err := b.caller.Do(ctx, Request{Op: "Get", Method: http.MethodGet, Path: "/x"}, nil)
		require.ErrorIs(t, err, platform.ErrUnavailable)
		require.EqualValues(t, 3, b.calls.Load())
	})
	t.Run("PostIsNotRetriedOn5xx", func(t *testing.T) {
		t.Parallel()
		b := setup(t, 500, nil, 0)
		err := b.caller.Do(ctx, Request{Op: "Post", Method: http.MethodPost, Path: "/x", Body: map[string]int{"a": 1}}, nil)
		require.ErrorIs(t, err, platform.ErrUnavailable)
		require.EqualValues(t, 1, b.calls.Load())
	})
	t.Run("LongRetryAfterIsNotWaitedFor", func(t *testing.T) {
		t.Parallel()
		b := setup(t, 429, http.Header{"Retry-After": {"120"}}, 0)
		err := b.caller.Do(ctx, Request{Op: "Get", Method: http.MethodGet, Path: "/x"}, nil)
		require.ErrorIs(t, err, platform.ErrRateLimited)
		var pe *platform.Error
		require.ErrorAs(t, err, &pe)
		require.Equal(t, 2*time.Minute, pe.RetryAfter)
		require.EqualValues(t, 1, b.calls.Load())
	})
	t.Run("AttemptTimeoutIsUnavailable", func(t *testing.T) {
		t.Parallel()
		b := setup(t, 200, nil, time.Second)
		err := b.caller.Do(ctx, Request{Op: "Get", Method: http.MethodGet, Path: "/x"}, nil)
		require.ErrorIs(t, err, platform.ErrUnavailable)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.EqualValues(t, 3, b.calls.Load())
	})
	t.Run("CallerCancellationIsNotUnavailable", func(t *testing.T) {
		t.Parallel()
		b := setup(t, 200, nil, time.Second)
		// Only a cancel ends this call (no deadline racing it under load); the server holds 1 s.
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		time.AfterFunc(20*time.Millisecond, cancel)
		err := b.caller.Do(cctx, Request{Op: "Get", Method: http.MethodGet, Path: "/x"}, nil)
		require.ErrorIs(t, err, context.Canceled)
		require.NotErrorIs(t, err, platform.ErrUnavailable)
		require.True(t, b.caller.breaker("Get").Allow())
	})
	t.Run("DecodesTheBody", func(t *testing.T) {
		t.Parallel()
		b := setup(t, 200, nil, 0)
		var out struct{ OK bool }
		require.NoError(t, b.caller.Do(ctx, Request{Op: "Get", Method: http.MethodGet, Path: "/x"}, &out))
		require.True(t, out.OK)
	})
}
