package httpcall

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/monadical/reflector-go/pkg/platform"
)

// recorder is a platform.CallObserver that keeps what it was told.
type recorder struct {
	mu       sync.Mutex
	outcomes []string
	waits    int
	breaker  []bool
}

func (r *recorder) ProviderCall(_, _, outcome string, _ time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outcomes = append(r.outcomes, outcome)
}

func (r *recorder) RateWait(string, string, time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waits++
}

func (r *recorder) BreakerState(_, _ string, open bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.breaker = append(r.breaker, open)
}

// sequence serves the statuses in order (the last one repeats) with a JSON body, and hands
// every request to seen.
func sequence(t *testing.T, seen func(*http.Request), statuses ...int) (*atomic.Int32, string) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(calls.Add(1))
		if seen != nil {
			seen(r)
		}
		w.WriteHeader(statuses[min(n, len(statuses))-1])
		_, _ = w.Write([]byte(`{"ok":true,"error":"busy","info":"try later"}`))
	}))
	t.Cleanup(srv.Close)
	return &calls, srv.URL
}

func TestBreakerOpensPerOperationAndShortCircuits(t *testing.T) {
	t.Parallel()
	calls, base := sequence(t, nil, 502)
	obs := &recorder{}
	c := New(Config{Provider: "test", BaseURL: base, MaxRetries: -1, BreakerThreshold: 2, Observer: obs})
	get := Request{Op: "Get", Method: http.MethodGet, Path: "/x"}
	for range 2 {
		require.ErrorIs(t, c.Do(context.Background(), get, nil), platform.ErrUnavailable)
	}
	err := c.Do(context.Background(), get, nil)
	require.ErrorIs(t, err, platform.ErrUnavailable)
	require.ErrorContains(t, err, "circuit open")
	require.EqualValues(t, 2, calls.Load(), "an open breaker makes no call")

	// Another operation has its own breaker: it still reaches the provider.
	require.ErrorIs(t, c.Do(context.Background(), Request{Op: "List", Method: http.MethodGet, Path: "/y"}, nil),
		platform.ErrUnavailable)
	require.EqualValues(t, 3, calls.Load())
	require.Equal(t, []string{"unavailable", "unavailable", "unavailable", "unavailable"}, obs.outcomes)
	require.Equal(t, []bool{false, true, true, false}, obs.breaker)
}

func TestRateLimiter(t *testing.T) {
	t.Parallel()
	calls, base := sequence(t, nil, 200)
	obs := &recorder{}
	shared := rate.NewLimiter(rate.Every(time.Hour), 1) // one token, then none for an hour
	c := New(Config{Provider: "test", BaseURL: base, Limiter: shared, Observer: obs})
	get := Request{Op: "Get", Method: http.MethodGet, Path: "/x"}
	require.NoError(t, c.Do(context.Background(), get, nil))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := c.Do(ctx, get, nil)
	require.ErrorIs(t, err, context.Canceled, "waiting for the budget ends with the caller")
	require.NotErrorIs(t, err, platform.ErrUnavailable)
	require.EqualValues(t, 1, calls.Load())

	// A request's own limiter replaces the shared budget (per-endpoint budgets).
	own := get
	own.Limiter = rate.NewLimiter(rate.Inf, 1)
	// With a deadline, waiting for the exhausted shared budget instead would fail at once.
	dctx, dcancel := context.WithTimeout(context.Background(), time.Minute)
	defer dcancel()
	require.NoError(t, c.Do(dctx, own, nil))
	require.EqualValues(t, 2, calls.Load())
	require.Equal(t, 3, obs.waits)
	require.Equal(t, []string{"ok", "canceled", "ok"}, obs.outcomes)
}

func TestRateLimitedPostIsRetriedAndDecoded(t *testing.T) {
	t.Parallel()
	var auth, ctype []string
	var query url.Values
	var mu sync.Mutex
	calls, base := sequence(t, func(r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		auth = append(auth, r.Header.Get("Authorization"))
		ctype = append(ctype, r.Header.Get("Content-Type"))
		query = r.URL.Query()
	}, 429, 200)
	c := New(Config{Provider: "test", BaseURL: base, APIKey: "k", BaseBackoff: time.Millisecond})
	var out struct{ OK bool }
	err := c.Do(context.Background(), Request{Op: "Create", Method: http.MethodPost, Path: "/rooms",
		Query: url.Values{"a": {"b c"}}, Body: map[string]string{"name": "r"}}, &out)
	require.NoError(t, err)
	require.True(t, out.OK)
	require.EqualValues(t, 2, calls.Load(), "a 429 is retried even for a POST: the provider did not act")
	require.Equal(t, []string{"Bearer k", "Bearer k"}, auth)
	require.Equal(t, []string{"application/json", "application/json"}, ctype)
	require.Equal(t, "b c", query.Get("a"))
}

func TestProviderErrorBody(t *testing.T) {
	t.Parallel()
	_, base := sequence(t, nil, 400)
	decode := func(b []byte) (string, string, time.Duration) {
		var e struct{ Error, Info string }
		_ = json.Unmarshal(b, &e)
		return e.Error, e.Info, 3 * time.Second
	}
	c := New(Config{Provider: "daily", BaseURL: base, DecodeError: decode})
	err := c.Do(context.Background(), Request{Op: "Create", Method: http.MethodPost, Path: "/x"}, nil)
	var pe *platform.Error
	require.ErrorAs(t, err, &pe)
	require.Equal(t, platform.Error{Provider: "daily", Op: "Create", Status: 400, Type: "busy",
		Message: "try later", RetryAfter: 3 * time.Second}, *pe)
}

func TestMalformedAndEmptyBodies(t *testing.T) {
	t.Parallel()
	_, base := sequence(t, nil, 200)
	obs := &recorder{}
	// Threshold 1: were the bad body counted as a provider failure, the breaker would open.
	c := New(Config{Provider: "test", BaseURL: base, Observer: obs, BreakerThreshold: 1})
	var wrongShape []int
	err := c.Do(context.Background(), Request{Op: "Get", Method: http.MethodGet, Path: "/x"}, &wrongShape)
	require.ErrorIs(t, err, platform.ErrMalformed)
	require.NotErrorIs(t, err, platform.ErrUnavailable, "a bad body is not the provider being down")
	require.Equal(t, []bool{false}, obs.breaker)

	empty := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(empty.Close)
	out := map[string]int{"kept": 1}
	require.NoError(t, New(Config{BaseURL: empty.URL}).Do(context.Background(),
		Request{Op: "Delete", Method: http.MethodDelete, Path: "/x"}, &out))
	require.Equal(t, map[string]int{"kept": 1}, out, "an empty 2xx body leaves out as it is")
}

func TestRequestsThatCannotBeSent(t *testing.T) {
	t.Parallel()
	calls, base := sequence(t, nil, 200)
	c := New(Config{Provider: "test", BaseURL: base})
	err := c.Do(context.Background(), Request{Op: "Create", Method: http.MethodPost, Path: "/x", Body: make(chan int)}, nil)
	require.ErrorContains(t, err, "encode request")
	require.NotErrorIs(t, err, platform.ErrUnavailable)

	err = New(Config{Provider: "test", BaseURL: base}).Do(context.Background(),
		Request{Op: "Get", Method: "BAD METHOD", Path: "/x"}, nil)
	require.ErrorContains(t, err, "build request")
	require.NotErrorIs(t, err, platform.ErrUnavailable)
	require.EqualValues(t, 0, calls.Load())
}

func TestCancelDuringBackoffReturnsTheLastFailure(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls, base := sequence(t, func(*http.Request) { time.AfterFunc(10*time.Millisecond, cancel) }, 503)
	// The backoff is an hour: only the cancel can end the wait.
	c := New(Config{Provider: "test", BaseURL: base, BaseBackoff: time.Hour, MaxBackoff: 2 * time.Hour})
	err := c.Do(ctx, Request{Op: "Get", Method: http.MethodGet, Path: "/x"}, nil)
	var pe *platform.Error
	require.ErrorAs(t, err, &pe)
	require.Equal(t, 503, pe.Status)
	require.EqualValues(t, 1, calls.Load())
}
