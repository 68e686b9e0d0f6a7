// Package ratelimit keeps per-client rate limits in Redis, so that every api replica spends
// one budget: N replicas behind a load balancer allow what one would, without sticky
// sessions. The algorithm is GCRA (github.com/go-redis/redis_rate), one key per client and
// limit, timed by the Redis server's clock.
//
// A busy client does not cost a Redis call per request: a check that finds no local token
// asks Redis for a lease of up to L tokens at once (AllowAtMost), spends one and keeps the
// rest for the key's next checks in this replica, for LeaseWindow (50 ms) at most. L is what
// the limit accrues in LeaseWindow, at least 1 and at most 64: with the api's default 300
// writes a minute it is 1, one call per request as before; limits from 2,400 a minute up
// lease. Every token is still granted by the one GCRA in Redis, so over any interval the
// replicas together allow at most the limit plus the tokens they held leased at its start:
// L-1 per replica and never more than the limit accrues in LeaseWindow. One lease request per
// key and replica is in flight at a time: checks of the key meanwhile wait for it and get its
// first tokens; when it brings fewer than asked they are refused (Redis has no more), when
// it fails they are let through, as it is.
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
	leases   leases
	now      func() time.Time // times leases; Redis times the limits
}

// New returns limits kept in rdb; log hears when checks start and stop failing open.
func New(rdb redis.UniversalClient, log *zap.Logger) *Shared {
	return &Shared{lim: redis_rate.NewLimiter(rdb), log: log, deadline: Deadline, now: time.Now}
}

// Bucket is one named limit: perMinute events per client, bursts of burst.
func (s *Shared) Bucket(name string, perMinute, burst int) Bucket {
	limit := redis_rate.Limit{Rate: perMinute, Burst: burst, Period: time.Minute}
	return Bucket{s: s, name: keyPrefix + name + ":", limit: limit, lease: leaseSize(limit)}
}

// Bucket is a limit shared by every replica; its zero value is not usable.
type Bucket struct {
	s     *Shared
	name  string
	limit redis_rate.Limit
	lease int // tokens one Redis call asks for
}

// AllowContext reports whether key may spend one event, from this replica's lease or from
// Redis. When Redis fails or is slower than Deadline it reports true with the error.
func (b Bucket) AllowContext(ctx context.Context, key string) (bool, error) {
	if b.lease == 1 {
		ctx, cancel := context.WithTimeout(ctx, b.s.deadline)
		defer cancel()
		return allowed(b.ask(ctx, key, 1))
	}
	now := b.s.now()
	ok, f, mine := b.s.leases.take(b.name+key, now)
	if ok {
		return true, nil // no timer for a leased token
	}
	ctx, cancel := context.WithTimeout(ctx, b.s.deadline)
	defer cancel()
	for {
		if mine {
			granted, err := b.ask(ctx, key, b.lease)
			b.s.leases.store(b.name+key, f, now, granted, err)
			return allowed(granted, err)
		}
		if done, ok, err := b.wait(ctx, f); done {
			return ok, err
		}
		now = b.s.now()
		if ok, f, mine = b.s.leases.take(b.name+key, now); ok {
			return true, nil
		}
	}
}

// wait waits for lease request f and answers with it when it can (done): the check spends a
// token f kept for its waiters, is refused when Redis granted f less than asked (the key had
// no more) or is let through when f failed. Otherwise the check starts over: more checks
// waited than f brought tokens.
func (b Bucket) wait(ctx context.Context, f *flight) (done, ok bool, err error) {
	select {
	case <-f.done:
	case <-ctx.Done():
		return true, true, fmt.Errorf("ratelimit %s: waiting for a lease: %w", b.name, ctx.Err())
	}
	switch {
	case f.err != nil:
		return true, true, f.err
	case b.s.leases.claim(f):
		return true, true, nil
	case f.granted < b.lease:
		return true, false, nil
	}
	return false, false, nil
}

// allowed is a check's answer for granted tokens: failing open on err.
func allowed(granted int, err error) (bool, error) { return granted > 0 || err != nil, err }

// ask asks Redis for up to n tokens of key and returns how many it granted.
func (b Bucket) ask(ctx context.Context, key string, n int) (int, error) {
	var res *redis_rate.Result
	var err error
	if n == 1 {
		res, err = b.s.lim.Allow(ctx, b.name+key, b.limit)
	} else {
		res, err = b.s.lim.AllowAtMost(ctx, b.name+key, b.limit, n)
	}
	b.s.note(err)
	if err != nil {
		return 0, fmt.Errorf("ratelimit %s: %w", b.name, err)
	}
	return res.Allowed, nil
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
