// Package readiness runs the dependency checks behind every process's /readyz.
package readiness

import (
	"context"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Check is one dependency (database, redis): nil when usable. It should honour its context;
// one that does not is abandoned at the deadline.
type Check = func(ctx context.Context) error

// Deadline bounds a readiness probe (/readyz of every process): the checks run at once
// and each gets this long, so a frozen dependency (a SIGSTOPped Redis, a database that
// accepts and never answers) answers 503 in under a second instead of holding the probe.
const Deadline = 800 * time.Millisecond

// All runs every check concurrently under Deadline and reports each as "ok" or
// "unavailable"; ok is false when any failed or did not answer in time.
func All(ctx context.Context, checks map[string]Check, log *zap.Logger) (map[string]string, bool) {
	ctx, cancel := context.WithTimeout(ctx, Deadline)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	out, ok := map[string]string{}, true
	for name, check := range checks {
		wg.Go(func() {
			err := runCheck(ctx, check)
			mu.Lock()
			defer mu.Unlock()
			out[name] = "ok"
			if err != nil {
				out[name], ok = "unavailable", false
				log.Warn("readiness check failed", zap.String("dependency", name), zap.Error(err))
			}
		})
	}
	wg.Wait()
	return out, ok
}

// runCheck returns when check does or when ctx ends, whichever is first: a check that
// ignores its context cannot hold the probe.
func runCheck(ctx context.Context, check Check) error {
	errc := make(chan error, 1)
	go func() { errc <- check(ctx) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
