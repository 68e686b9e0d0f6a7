package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/httpapi"
	"github.com/monadical/reflector-go/pkg/ratelimit"
)

// TestWriteLimitsHoldAcrossReplicas (issue 12 item 8, the API stateless behind any number of
// replicas): two API replicas on one Redis give a client one write budget between them, so
// a load balancer spreading its requests does not double it.
func TestWriteLimitsHoldAcrossReplicas(t *testing.T) {
	t.Parallel()
	opt := apptest.RedisDB(t)
	rdb := redis.NewClient(&redis.Options{Addr: opt.Addr, DB: opt.DB})
	t.Cleanup(func() { _ = rdb.Close() })
	limits := &httpapi.Limits{WritesPerMinute: 1, WritesBurst: 4, CreatesPerMinute: 1 << 20, Shared: ratelimit.New(rdb, zap.NewNop())}
	replicas := []*apptest.App{apptest.New(t, apptest.Options{Limits: limits}), apptest.New(t, apptest.Options{Limits: limits})}
	statuses := map[int]int{}
	for i := range 8 {
		res := replicas[i%2].Do(t, http.MethodPost, "/v1/rooms/nowhere/meeting", nil)
		statuses[res.Status]++
	}
	require.Equal(t, map[int]int{http.StatusNotFound: 4, http.StatusTooManyRequests: 4}, statuses,
		"4 writes (the burst) reach a handler across both replicas, then 429")
}
