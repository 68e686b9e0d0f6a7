package httpcall

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/monadical/reflector-go/pkg/platform"
)

// retryDelay decides whether a failed attempt is retried and after how long. 429 is always
// retried (the provider did not act on the request) within MaxBackoff; 5xx and timeouts only
// for idempotent requests, because a retried POST could create a second object.
func (c *Caller) retryDelay(ctx context.Context, req Request, err error, attempt int) (time.Duration, bool) {
	if err == nil || attempt >= c.cfg.MaxRetries || ctx.Err() != nil {
		return 0, false
	}
	var pe *platform.Error
	if !errors.As(err, &pe) {
		return 0, false
	}
	switch {
	case errors.Is(err, platform.ErrRateLimited):
		if pe.RetryAfter > 0 {
			return pe.RetryAfter, pe.RetryAfter <= c.cfg.MaxBackoff
		}
		return c.backoff(attempt), true
	case errors.Is(err, platform.ErrUnavailable) && idempotent(req):
		return c.backoff(attempt), true
	}
	return 0, false
}

func idempotent(req Request) bool {
	return req.Idempotent || req.Method == http.MethodGet || req.Method == http.MethodDelete
}

// backoff is exponential with full jitter in its upper half, capped at MaxBackoff.
func (c *Caller) backoff(attempt int) time.Duration {
	d := c.cfg.BaseBackoff << min(attempt, 20)
	d = min(d, c.cfg.MaxBackoff)
	return d/2 + rand.N(d/2+1)
}

// parseRetryAfter reads Retry-After as delay seconds or an HTTP date; 0 when absent or bad.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
