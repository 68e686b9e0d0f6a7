package ratelimit

import "time"

// SetNow sets the clock the leases are timed by (Redis keeps its own).
func (s *Shared) SetNow(now func() time.Time) { s.now = now }

// Leases is how many keys hold a lease entry.
func (s *Shared) Leases() int {
	s.leases.mu.Lock()
	defer s.leases.mu.Unlock()
	return len(s.leases.byKey)
}

// LeaseSize is how many tokens one Redis call of b asks for.
func (b Bucket) LeaseSize() int { return b.lease }

// WithLease is b asking Redis for n tokens at once.
func (b Bucket) WithLease(n int) Bucket {
	b.lease = n
	return b
}

// Waiting is how many checks wait for a lease request in flight.
func (s *Shared) Waiting() int {
	s.leases.mu.Lock()
	defer s.leases.mu.Unlock()
	n := 0
	for _, l := range s.leases.byKey {
		if l.flight != nil {
			n += l.flight.waiting
		}
	}
	return n
}
