package apptest

import (
	"context"
	"net/url"
	"os"
	"strconv"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// EnvRedisURL names the variable holding the test Redis URL; `make test` sets it.
const EnvRedisURL = "TEST_REDIS_URL"

// RedisDB checks out a logical Redis database of its own for a test (the server runs with
// 64 databases; DB 0 holds the counter), flushed before use, so asynq tests run in parallel.
func RedisDB(t testing.TB) asynq.RedisClientOpt {
	t.Helper()
	raw := os.Getenv(EnvRedisURL)
	if raw == "" {
		t.Fatalf("%s is not set: run the tests with `make test`, which starts Redis", EnvRedisURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s: %v", EnvRedisURL, err)
	}
	ctx := context.Background()
	admin := redis.NewClient(&redis.Options{Addr: u.Host})
	defer admin.Close()
	n, err := admin.Incr(ctx, "apptest:db-counter").Result()
	if err != nil {
		t.Fatalf("redis: %v", err)
	}
	db := int(n%63) + 1
	c := redis.NewClient(&redis.Options{Addr: u.Host, DB: db})
	defer c.Close()
	if err := c.FlushDB(ctx).Err(); err != nil {
		t.Fatalf("redis flush db %d: %v", db, err)
	}
	t.Logf("redis db %s", strconv.Itoa(db))
	return asynq.RedisClientOpt{Addr: u.Host, DB: db}
}
