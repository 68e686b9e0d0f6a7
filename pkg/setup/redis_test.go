package setup

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/tasks"
)

// frozenRedis accepts connections and never answers, like a SIGSTOPped Redis.
func frozenRedis(t *testing.T) asynq.RedisClientOpt {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var held []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				break
			}
			held = append(held, c)
		}
		for _, c := range held {
			_ = c.Close()
		}
	}()
	t.Cleanup(func() { _ = ln.Close(); <-done })
	return asynq.RedisClientOpt{Addr: ln.Addr().String()}
}

// TestFrozenRedis: an enqueue on a request path and the readiness ping give up on a frozen
// Redis by their own deadline (about a second) instead of go-redis' 3 s reads times retries.
// The bound checked is five times the deadline, so a loaded machine does not fail it.
func TestFrozenRedis(t *testing.T) {
	t.Parallel()
	rc := fastRedis(frozenRedis(t))
	t.Cleanup(func() { _ = rc.Close() })
	q := asynq.NewClientFromRedisClient(rc)
	jobs := tasks.Jobs{Q: q}

	for name, call := range map[string]func() error{
		"enqueue": func() error { return jobs.PollPresence(context.Background(), uuid.New(), time.Second) },
		"ping":    func() error { return rc.Ping(context.Background()).Err() },
	} {
		start := time.Now()
		require.Error(t, call(), name)
		require.Less(t, time.Since(start), 5*redisDeadline, "%s waited past its deadline", name)
	}
}
