package setup_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// TestHealthcheckURLPinged: with HEALTHCHECK_URL the schedule has healthcheck:ping every 10
// minutes, and a tick of it, run by a worker, GETs the URL. Without it there is no such job.
func TestHealthcheckURLPinged(t *testing.T) {
	t.Parallel()
	pings := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { pings <- r.URL.Path }))
	defer srv.Close()
	env := map[string]string{"HEALTHCHECK_URL": srv.URL + "/ping/check-uuid"}
	cfg, err := config.LoadFor(func(k string) string { return env[k] }, config.NeedNothing)
	require.NoError(t, err)

	ping, ok := tasks.Find(setup.Schedule(cfg), tasks.TypeHealthcheckPing)
	require.True(t, ok, "healthcheck:ping is scheduled")
	require.Equal(t, 10*time.Minute, ping.Every)

	redis := apptest.RedisDB(t)
	q := asynq.NewClient(redis)
	defer q.Close()
	tasks.EmitTick(context.Background(), q, ping, time.Now().Truncate(ping.Every), zap.NewNop())
	worker := setup.WorkerServer(redis, 1, 3*time.Second, zap.NewNop())
	require.NoError(t, worker.Start(tasks.NewMux(tasks.Deps{Healthcheck: setup.Heartbeat(cfg), Log: zap.NewNop()})))
	defer worker.Shutdown()
	select {
	case path := <-pings:
		require.Equal(t, "/ping/check-uuid", path)
	case <-time.After(30 * time.Second):
		t.Fatal("the worker did not ping HEALTHCHECK_URL")
	}

	none, err := config.LoadFor(func(string) string { return "" }, config.NeedNothing)
	require.NoError(t, err)
	require.Nil(t, setup.Heartbeat(none))
	_, ok = tasks.Find(setup.Schedule(none), tasks.TypeHealthcheckPing)
	require.False(t, ok, "no HEALTHCHECK_URL, no ping")
}
