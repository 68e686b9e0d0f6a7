package httpapi

import (
	"context"
	"sync"
	"time"

	"go.uber.org/zap"
)

// readyDeadline bounds /readyz: the checks run at once and each gets this long, so a frozen
// dependency (a SIGSTOPped Redis, a database that accepts and never answers) answers 503 in
// under a second instead of holding the probe.
const readyDeadline = 800 * time.Millisecond

// checkReady runs every readiness check concurrently under readyDeadline.
func (s *server) checkReady(ctx context.Context) (map[string]string, bool) {
	ctx, cancel := context.WithTimeout(ctx, readyDeadline)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	out, ok := map[string]string{}, true
	for name, check := range s.d.Ready {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := runCheck(ctx, check)
			mu.Lock()
			defer mu.Unlock()
			out[name] = "ok"
			if err != nil {
				out[name], ok = "unavailable", false
				s.d.Log.Warn("readiness check failed", zap.String("dependency", name), zap.Error(err))
			}
		}()
	}
	wg.Wait()
	return out, ok
}

// runCheck returns when check does or when ctx ends, whichever is first: a check that
// ignores its context cannot hold the probe.
func runCheck(ctx context.Context, check func(context.Context) error) error {
	errc := make(chan error, 1)
	go func() { errc <- check(ctx) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
