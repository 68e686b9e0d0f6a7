package setup

import (
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// redisDeadline bounds every Redis call of the queue client and the inspector: a frozen
// Redis (SIGSTOP, a network partition) answers nothing, and go-redis' defaults (3 s reads,
// three retries) held requests for 10 s. With the context deadline honoured and no retry, an
// enqueue on a request path gives up after tasks.EnqueueDeadline and the sweeps take over.
const redisDeadline = time.Second

// fastRedis is a client on opt's server whose calls end at the context's deadline or after
// redisDeadline, whichever comes first.
func fastRedis(opt asynq.RedisClientOpt) *redis.Client {
	return redis.NewClient(&redis.Options{
		Network: opt.Network, Addr: opt.Addr, Username: opt.Username, Password: opt.Password, DB: opt.DB,
		TLSConfig: opt.TLSConfig, PoolSize: opt.PoolSize,
		DialTimeout: redisDeadline, ReadTimeout: redisDeadline, WriteTimeout: redisDeadline, PoolTimeout: redisDeadline,
		ContextTimeoutEnabled: true, MaxRetries: -1, // -1: no retry // -1: no retry
	})
}
