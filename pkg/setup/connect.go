package setup

import (
	"context"
	"errors"

	"github.com/hibiken/asynq"
	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/ratelimit"
	"github.com/monadical/reflector-go/pkg/store"
)

// Conn is what every process connects to: Postgres, Redis (as the asynq client, inspector and
// options) and the configured providers. Queue and Inspector share one Redis client whose
// calls give up after a second (fastRedis).
type Conn struct {
	DB        *sqlx.DB
	Redis     asynq.RedisConnOpt
	Queue     *asynq.Client
	Inspector *asynq.Inspector
	Platforms *platform.Registry
	redis     redis.UniversalClient
}

// PingRedis checks Redis within ctx's deadline (and at most a second): readiness probes.
func (c *Conn) PingRedis(ctx context.Context) error { return c.redis.Ping(ctx).Err() }

// RateLimits are the api's per-client limits, kept in this Redis for every replica.
func (c *Conn) RateLimits(log *zap.Logger) *ratelimit.Shared { return ratelimit.New(c.redis, log) }

// Connect opens every connection with at most dbConns database connections; Close releases
// them. On error nothing is left open.
// obs (optional) records the provider calls for metrics.
func Connect(ctx context.Context, cfg *config.Config, dbConns int, obs ...platform.CallObserver) (*Conn, error) {
	redisOpt, err := RedisOpt(cfg.RedisURL)
	if err != nil {
		return nil, err
	}
	platforms, err := Platforms(cfg, obs...)
	if err != nil {
		return nil, err
	}
	db, err := store.OpenWith(ctx, cfg.DatabaseURL, dbConns, cfg.DatabasePrepared)
	if err != nil {
		return nil, err
	}
	rc := fastRedis(redisOpt)
	return &Conn{DB: db, Redis: redisOpt, Queue: asynq.NewClientFromRedisClient(rc),
		Inspector: asynq.NewInspectorFromRedisClient(rc), Platforms: platforms, redis: rc}, nil
}

// Close releases every connection.
func (c *Conn) Close() error {
	return errors.Join(c.Inspector.Close(), c.Queue.Close(), c.redis.Close(), c.DB.Close())
}
