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

// fastRedis is a client on opt's server (one server, a Sentinel-managed master, or a
// cluster) whose calls end at the context's deadline or after redisDeadline, whichever
// comes first.
func fastRedis(opt asynq.RedisConnOpt) redis.UniversalClient {
	const noRetry = -1
	switch o := opt.(type) {
	case asynq.RedisFailoverClientOpt:
		return redis.NewFailoverClient(&redis.FailoverOptions{
			MasterName: o.MasterName, SentinelAddrs: o.SentinelAddrs,
			SentinelUsername: o.SentinelUsername, SentinelPassword: o.SentinelPassword,
			Username: o.Username, Password: o.Password, DB: o.DB, TLSConfig: o.TLSConfig, PoolSize: o.PoolSize,
			DialTimeout: redisDeadline, ReadTimeout: redisDeadline, WriteTimeout: redisDeadline, PoolTimeout: redisDeadline,
			ContextTimeoutEnabled: true, MaxRetries: noRetry,
		})
	case asynq.RedisClusterClientOpt:
		return redis.NewClusterClient(&redis.ClusterOptions{
			Addrs: o.Addrs, Username: o.Username, Password: o.Password, TLSConfig: o.TLSConfig, MaxRedirects: o.MaxRedirects,
			DialTimeout: redisDeadline, ReadTimeout: redisDeadline, WriteTimeout: redisDeadline, PoolTimeout: redisDeadline,
			ContextTimeoutEnabled: true, MaxRetries: noRetry,
		})
	}
	o, _ := opt.(asynq.RedisClientOpt) // RedisOpt makes only these three kinds
	return redis.NewClient(&redis.Options{
		Network: o.Network, Addr: o.Addr, Username: o.Username, Password: o.Password, DB: o.DB,
		TLSConfig: o.TLSConfig, PoolSize: o.PoolSize,
		DialTimeout: redisDeadline, ReadTimeout: redisDeadline, WriteTimeout: redisDeadline, PoolTimeout: redisDeadline,
		ContextTimeoutEnabled: true, MaxRetries: noRetry,
	})
}
