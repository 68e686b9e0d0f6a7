package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/store/storetest"
)

// TestBinaryProxiesToUpstream runs the api process as main runs it, from the environment, and
// checks that UPSTREAM_API_URL reaches the HTTP layer: a path no route serves is answered by
// the upstream back end, and a route of ours is not. (The linter once found the binary never
// passed the setting on; only the test harness did.)
func TestBinaryProxiesToUpstream(t *testing.T) {
	t.Parallel()
	seen := make(chan string, 4)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Method + " " + r.URL.RequestURI()
		_, _ = io.WriteString(w, `{"from":"upstream"}`)
	}))
	t.Cleanup(up.Close)
	daily, stop := emulator.NewDaily(emulator.DailyOptions{APIKey: "k"}).Start()
	t.Cleanup(stop)
	_, dbURL := storetest.NewDBURL(t)
	redis := apptest.RedisDB(t)
	env := map[string]string{"DATABASE_URL": dbURL, "REDIS_URL": fmt.Sprintf("redis://%s/%d", redis.Addr, redis.DB),
		"DAILY_API_KEY": "k", "DAILY_API_URL": daily, "UPSTREAM_API_URL": up.URL}
	cfg, err := config.Load(func(k string) string { return env[k] })
	require.NoError(t, err)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, zaptest.NewLogger(t), func() (net.Listener, error) { return ln, nil }) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	require.Eventually(t, func() bool {
		res, err := http.Get(base + "/healthz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}, time.Minute, 50*time.Millisecond, "the api serves")

	res, err := http.Get(base + "/v1/transcripts?page=2")
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode, "%s", body)
	require.JSONEq(t, `{"from":"upstream"}`, string(body))
	require.Equal(t, "GET /v1/transcripts?page=2", <-seen)

	res, err = http.Get(base + "/v1/rooms")
	require.NoError(t, err)
	res.Body.Close()
	require.NotEqual(t, http.StatusBadGateway, res.StatusCode)
	require.Empty(t, seen, "our own routes are not proxied")
}
