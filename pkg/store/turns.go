package store

import "context"

// turns admits callers to the connection pool in arrival order. database/sql hands a freed
// connection to a random waiter (connRequestSet.TakeRandom since Go 1.23), so under a
// saturated pool a request can wait many hand-offs while later ones pass it: the p99 of
// joins grows to several times their median. Blocked channel senders are woken first in,
// first out, so a caller that holds one of the pool's MaxOpenConns turns finds a connection
// free unless other paths hold them.
type turns chan struct{}

// newTurns returns n turns; none (nil, no waiting) for an unlimited pool.
func newTurns(n int) turns {
	if n <= 0 {
		return nil
	}
	return make(turns, n)
}

// wait takes a turn, in arrival order, and returns its release.
func (t turns) wait(ctx context.Context) (func(), error) {
	if t == nil {
		return func() {}, nil
	}
	select {
	case t <- struct{}{}:
		return func() { <-t }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
