package platform

import (
	"context"
	"errors"
	"time"
)

// CallObserver records provider calls for metrics (metrics.Metrics implements it). The
// clients call it for every logical call, whatever its outcome.
type CallObserver interface {
	ProviderCall(provider, endpoint, outcome string, d time.Duration)
	RateWait(provider, endpoint string, d time.Duration)
	BreakerState(provider, endpoint string, open bool)
}

// Outcome names a call's result for metrics: ok, not_found, rate_limited, unavailable,
// canceled or error.
func Outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrNotFound):
		return "not_found"
	case errors.Is(err, ErrRateLimited):
		return "rate_limited"
	case errors.Is(err, ErrUnavailable):
		return "unavailable"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "canceled"
	}
	return "error"
}
