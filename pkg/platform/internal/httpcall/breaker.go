package httpcall

import (
	"sync"
	"time"
)

// outcome is how a finished call counts for the breaker.
type outcome int

const (
	outcomeSuccess outcome = iota // the provider answered (any 2xx–4xx)
	outcomeFailure                // 5xx, timeout, unreachable
	outcomeNeutral                // the caller gave up; says nothing about the provider
)

// Breaker is a consecutive-failure circuit breaker. After Threshold failed calls in a row it
// opens for Cooldown and refuses calls; then it lets one probe through (half-open): a
// success closes it, a failure opens it again. Small on purpose: gobreaker's generations and
// counts buy nothing for one provider client.
type Breaker struct {
	threshold int
	cooldown  time.Duration
	now       func() time.Time

	mu        sync.Mutex
	failures  int
	openUntil time.Time
	probing   bool
}

// NewBreaker returns a closed breaker.
func NewBreaker(threshold int, cooldown time.Duration, now func() time.Time) *Breaker {
	return &Breaker{threshold: threshold, cooldown: cooldown, now: now}
}

// Allow reports whether a call may go out now.
func (b *Breaker) Allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.threshold <= 0 || b.failures < b.threshold {
		return true
	}
	if b.now().Before(b.openUntil) || b.probing {
		return false
	}
	b.probing = true
	return true
}

// record counts the outcome of a call that Allow let through and reports whether the
// breaker is open now.
func (b *Breaker) record(o outcome) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.probing = false
	switch o {
	case outcomeSuccess:
		b.failures = 0
	case outcomeFailure:
		b.failures++
		if b.threshold > 0 && b.failures >= b.threshold {
			b.openUntil = b.now().Add(b.cooldown)
		}
	}
	return b.threshold > 0 && b.failures >= b.threshold
}
