// Package ratelimit keeps per-client rate limits in Redis, so that every api replica spends
// one budget: N replicas behind a load balancer allow what one would, without sticky
// sessions. The algorithm is GCRA (github.com/go-redis/redis_rate), one key per client and
// limit, timed by the Redis server's clock.
//
// A check that Redis does not answer within Deadline lets the request through (fails open):
// the limits guard against abuse, and a slow or absent Redis must not block joins (issue 16:
// request paths wait on Redis briefly, then go on).
package ratelimit

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"
)

// Deadline bounds one limit check.
const Deadline = 100 * time.Millisecond

// keyPrefix namespaces the limits' keys (redis_rate adds its own "rate:").
const keyPrefix = "reflector:"

// Shared holds the limits of every replica in one Redis.
type Shared struct {
	lim      *redis_rate.Limiter
	log      *zap.Logger
	deadline time.Duration
	failing  atomic.Bool // logs the start and the end of a Redis outage once each
}

// New returns limits kept in rdb; log hears when checks start and stop failing open.
func New(rdb redis.UniversalClient, log *zap.Logger) *Shared {
	return &Shared{lim: redis_rate.NewLimiter(rdb), log: log, deadline: Deadline}
}

// Bucket is one named limit: perMinute events per client, bursts of burst.
func (s *Shared) Bucket(name string, perMinute, burst int) Bucket {
	return Bucket{s: s, name: keyPrefix + name + ":", limit: redis_rate.Limit{Rate: perMinute, Burst: burst, Period: time.Minute}}
}

// Bucket is a limit shared by every replica; its zero value is not usable.
type Bucket struct {
	s     *Shared
	name  string
	limit redis_rate.Limit
}

// AllowContext reports whether key may spend one event. When Redis fails or is slower than
// Deadline it reports true with the error.
func (b Bucket) AllowContext(ctx context.Context, key string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, b.s.deadline)
	defer cancel()
	res, err := b.s.lim.Allow(ctx, b.name+key, b.limit)
	b.s.note(err)
	if err != nil {
		return true, fmt.Errorf("ratelimit %s: %w", b.name, err)
	}
	return res.Allowed > 0, nil
}

// Allow is AllowContext without a caller's context (meeting.Config.CreateLimiter).
func (b Bucket) Allow(key string) (bool, error) { return b.AllowContext(context.Background(), key) }

// note logs a change between failing open and checking again.
func (s *Shared) note(err error) {
	if failing := err != nil; s.failing.Swap(failing) != failing {
		if failing {
			s.log.Warn("rate limits fail open: Redis does not answer; requests are not limited", zap.Error(err))
		} else {
			s.log.Info("rate limits checked in Redis again")
		}
	}
}
