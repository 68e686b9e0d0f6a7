package ratelimit_test

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/ratelimit"
)

func client(t testing.TB, addr string, db int) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr, DB: db, MaxRetries: -1})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// TestReplicasShareOneBudget: two api replicas (two Shared on one Redis) give a client one
// burst between them, and other clients and other limits keep their own.
func TestReplicasShareOneBudget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	opt := apptest.RedisDB(t)
	a := ratelimit.New(client(t, opt.Addr, opt.DB), zap.NewNop()).Bucket("writes", 1, 4)
	b := ratelimit.New(client(t, opt.Addr, opt.DB), zap.NewNop()).Bucket("writes", 1, 4)
	allowed := 0
	for i := range 10 {
		replica := a
		if i%2 == 1 {
			replica = b
		}
		ok, err := replica.AllowContext(ctx, "10.0.0.1")
		require.NoError(t, err)
		if ok {
			allowed++
		}
	}
	require.Equal(t, 4, allowed, "one burst for the client across both replicas")
	ok, err := b.AllowContext(ctx, "10.0.0.2")
	require.NoError(t, err)
	require.True(t, ok, "another client has its own budget")
	other := ratelimit.New(client(t, opt.Addr, opt.DB), zap.NewNop()).Bucket("creates", 1, 1)
	ok, err = other.Allow("10.0.0.1")
	require.NoError(t, err)
	require.True(t, ok, "another limit has its own budget")
}

// TestRedisDownFailsOpen: when Redis does not answer, every check allows and returns the
// error, with or without leases; the outage is logged once, not per request.
func TestRedisDownFailsOpen(t *testing.T) {
	t.Parallel()
	core, logs := observer.New(zapcore.InfoLevel)
	shared := ratelimit.New(client(t, "127.0.0.1:18299", 0), zap.New(core)) // nothing listens there
	for _, down := range []ratelimit.Bucket{shared.Bucket("writes", 1, 1), shared.Bucket("leased", 100_000_000, 1000)} {
		for range 5 {
			ok, err := down.AllowContext(context.Background(), "10.0.0.1")
			require.Error(t, err)
			require.True(t, ok, "a Redis outage must not refuse requests")
		}
	}
	require.Equal(t, 1, logs.FilterMessageSnippet("fail open").Len())
}
