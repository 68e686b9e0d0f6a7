package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/metrics"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store/storetest"
)

// binaryConfig is the configuration the api reads from an environment holding the required
// variables (on a fresh database, Redis database and Daily emulator) and extra.
func binaryConfig(t *testing.T, extra map[string]string) *config.Config {
	t.Helper()
	daily, stop := emulator.NewDaily(emulator.DailyOptions{APIKey: "k"}).Start()
	t.Cleanup(stop)
	_, dbURL := storetest.NewDBURL(t)
	redis := apptest.RedisDB(t)
	env := map[string]string{"DATABASE_URL": dbURL, "REDIS_URL": fmt.Sprintf("redis://%s/%d", redis.Addr, redis.DB),
		"DAILY_API_KEY": "k", "DAILY_API_URL": daily}
	for k, v := range extra {
		env[k] = v
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	require.NoError(t, err)
	return cfg
}

// startBinary runs the api process as main runs it on a loopback listener of the test's and
// returns its base URL once it serves; it stops when the test ends.
func startBinary(t *testing.T, cfg *config.Config) string {
	t.Helper()
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
	return base
}

// TestBinaryProxiesToUpstream checks that UPSTREAM_API_URL reaches the HTTP layer: a path no
// route serves is answered by the upstream back end, and a route of ours is not. (The linter
// once found the binary never passed the setting on; only the test harness did.)
func TestBinaryProxiesToUpstream(t *testing.T) {
	t.Parallel()
	seen := make(chan string, 4)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Method + " " + r.URL.RequestURI()
		_, _ = io.WriteString(w, `{"from":"upstream"}`)
	}))
	t.Cleanup(up.Close)
	base := startBinary(t, binaryConfig(t, map[string]string{"UPSTREAM_API_URL": up.URL}))

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

	// The room webhook test route answers from the service (an unknown room is 404), not
	// "not configured" (503): the binary once left RoomHooks out.
	res, err = http.Post(base+"/v1/rooms/"+uuid.NewString()+"/webhook/test", "application/json", nil)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusNotFound, res.StatusCode)
}

// TestBinaryWiresEveryDependency: with every optional setting given (JWT auth, an upstream),
// the api's dependencies leave no field of httpapi.Deps empty except Extra (routes of other
// transports, none in this binary). A service added to Deps but not to the binary fails here.
func TestBinaryWiresEveryDependency(t *testing.T) {
	t.Parallel()
	_, pub := apptest.RSAKey(t)
	cfg := binaryConfig(t, map[string]string{"UPSTREAM_API_URL": "http://upstream.test",
		"AUTH_BACKEND": "jwt", "AUTH_JWT_PUBLIC_KEY": string(pub)})
	conn, err := setup.Connect(context.Background(), cfg, 2)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	d, closeInbox, err := apiDeps(cfg, conn, zap.NewNop(), metrics.New())
	require.NoError(t, err)
	t.Cleanup(closeInbox)

	v := reflect.ValueOf(d)
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if name == "Extra" {
			continue
		}
		require.False(t, v.Field(i).IsZero(), "httpapi.Deps.%s is not wired by cmd/api", name)
	}
	require.ElementsMatch(t, []string{"database", "redis"}, keys(d.Ready))
	require.NotNil(t, d.Limits.Shared, "the per-client limits are kept in Redis for every replica")
}

func keys(m map[string]func(context.Context) error) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
