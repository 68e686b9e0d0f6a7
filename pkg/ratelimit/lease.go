package ratelimit

import (
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
)

// LeaseWindow is how long tokens taken from Redis ahead of use stay good in one replica.
const LeaseWindow = 50 * time.Millisecond

// maxLease caps the tokens one lease takes.
const maxLease = 64

// leaseSize is how many tokens a check of limit asks Redis for at once: those that accrue in
// LeaseWindow at its rate, at least 1 (ask per request) and at most maxLease and the burst.
func leaseSize(l redis_rate.Limit) int {
	n := int(float64(l.Rate) * LeaseWindow.Seconds() / l.Period.Seconds())
	return max(1, min(n, maxLease, l.Burst))
}

// lease is the tokens one replica holds for one key.
type lease struct {
	tokens  int
	expires time.Time
	flight  *flight // the key's lease request in flight, if any
}

// flight is a lease request to Redis; checks of the key wait for its answer and get the
// first tokens it brings, before any later check.
type flight struct {
	done    chan struct{} // closed once granted, err and shares are set
	granted int
	err     error
	waiting int // checks waiting for it
	shares  int // tokens kept for them
}

// leases holds a Shared's leases by Redis key.
type leases struct {
	mu     sync.Mutex
	byKey  map[string]*lease
	purged time.Time // when expired leases were last dropped
}

// take spends a token of key's lease when one is good at now. Otherwise it returns the key's
// lease request in flight, to wait for; or it starts one (mine), which the caller sends to
// Redis and ends with store.
func (ls *leases) take(key string, now time.Time) (ok bool, f *flight, mine bool) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	l := ls.byKey[key]
	if l != nil && l.tokens > 0 && now.Before(l.expires) {
		l.tokens--
		return true, nil, false
	}
	if l != nil && l.flight != nil {
		l.flight.waiting++
		return false, l.flight, false
	}
	ls.purge(now)
	if ls.byKey == nil {
		ls.byKey = map[string]*lease{}
	}
	f = &flight{done: make(chan struct{})}
	ls.byKey[key] = &lease{flight: f}
	return false, f, true
}

// store ends key's lease request f, sent at sent: Redis granted tokens (or failed with err),
// the caller spends one now, the checks waiting for f get the next ones and the rest stay
// good for LeaseWindow from sent.
func (ls *leases) store(key string, f *flight, sent time.Time, granted int, err error) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	f.granted, f.err = granted, err
	f.shares = min(f.waiting, max(granted-1, 0))
	close(f.done)
	left := max(granted-1, 0) - f.shares
	*ls.byKey[key] = lease{tokens: left, expires: sent.Add(LeaseWindow)} // in flight: neither purged nor replaced
}

// claim spends a token f kept for the checks that waited for it, if one is left.
func (ls *leases) claim(f *flight) bool {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if f.shares == 0 {
		return false
	}
	f.shares--
	return true
}

// purge drops expired leases at most once a LeaseWindow, so the map holds only the keys
// leased in the last two windows.
func (ls *leases) purge(now time.Time) {
	if now.Sub(ls.purged) < LeaseWindow {
		return
	}
	ls.purged = now
	for k, l := range ls.byKey {
		if l.flight == nil && !now.Before(l.expires) {
			delete(ls.byKey, k)
		}
	}
}
