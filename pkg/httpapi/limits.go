package httpapi

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/monadical/reflector-go/pkg/ratelimit"
)

// Limits bound what one client can spend of the API. The zero value applies the defaults.
type Limits struct {
	// WritesPerMinute and WritesBurst limit each client's writes (every non-GET route but the
	// signed webhooks, which a provider would disable after a 429).
	WritesPerMinute int
	WritesBurst     int
	// CreatesPerMinute limits each client's requests for an extra meeting (allow_duplicated).
	CreatesPerMinute int
	// TrustProxy keys clients on X-Forwarded-For (set by a proxy on a private network)
	// instead of the peer address.
	TrustProxy bool
	// MaxHeaderBytes bounds the request headers; a larger set is answered 431 {"detail"}.
	MaxHeaderBytes int
	// Shared, when set, keeps the per-client limits in Redis for every replica (the api
	// binary sets it); without it each replica limits in memory on its own.
	Shared *ratelimit.Shared
}

func (l Limits) withDefaults() Limits {
	if l.WritesPerMinute <= 0 {
		l.WritesPerMinute = 300
	}
	if l.WritesBurst <= 0 {
		l.WritesBurst = 60
	}
	if l.CreatesPerMinute <= 0 {
		l.CreatesPerMinute = 10
	}
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = 32 << 10
	}
	return l
}

// limiter is a per-key limit, in Redis (Limits.Shared) or in memory, and the Retry-After
// its refusals carry.
type limiter struct {
	check      func(ctx context.Context, key string) (bool, error)
	retryAfter string
}

// limiter makes the named limit: shared by the replicas when Limits.Shared is set.
func (l Limits) limiter(name string, perMinute, burst int) limiter {
	retryAfter := strconv.Itoa(int(math.Ceil(60 / float64(perMinute))))
	if l.Shared == nil {
		st := memoryStore(perMinute, burst)
		return limiter{check: func(_ context.Context, key string) (bool, error) { return st.Allow(key) }, retryAfter: retryAfter}
	}
	// A Redis that fails makes the check allow (ratelimit fails open); the error is logged there.
	return limiter{check: l.Shared.Bucket(name, perMinute, burst).AllowContext, retryAfter: retryAfter}
}

// memoryStore is a per-key token bucket in this process (echo's store over golang.org/x/time/rate).
func memoryStore(perMinute, burst int) *middleware.RateLimiterMemoryStore {
	r := rate.Limit(float64(perMinute) / 60)
	// Keep a visitor's bucket long enough to refill, so a pause does not reset it early.
	expires := time.Duration(float64(burst)/float64(r)*float64(time.Second)) + time.Minute
	return middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: r, Burst: burst, ExpiresIn: expires,
	})
}

var errTooManyRequests = &statusError{http.StatusTooManyRequests, "Too many requests, please retry later"}

// allow refuses key with 429 and Retry-After once its bucket is empty.
func (l limiter) allow(c echo.Context, key string) error {
	if ok, _ := l.check(c.Request().Context(), key); ok {
		return nil
	}
	c.Response().Header().Set("Retry-After", l.retryAfter)
	return errTooManyRequests
}

// writeLimit rate-limits each client's writes.
func writeLimit(l limiter, signed map[string]bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			m := c.Request().Method
			if m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions || signed[m+" "+c.Path()] {
				return next(c)
			}
			if err := l.allow(c, c.RealIP()); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// headerLimit answers an oversized header set with 431 {"detail"}: net/http's own limit
// (set higher, see NewServer) would answer text/plain.
func headerLimit(max int) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			n := len(c.Request().RequestURI)
			for k, vs := range c.Request().Header {
				for _, v := range vs {
					n += len(k) + len(v) + 4
				}
			}
			if n > max {
				return &statusError{http.StatusRequestHeaderFieldsTooLarge, "Request header fields too large"}
			}
			return next(c)
		}
	}
}

// ipExtractor picks the client address rate limits key on.
func ipExtractor(trustProxy bool) echo.IPExtractor {
	if trustProxy {
		return echo.ExtractIPFromXFFHeader()
	}
	return echo.ExtractIPDirect()
}

// NewCreateLimiter returns the per-room limiter of meeting creations the meeting service
// takes (meeting.Config.CreateLimiter): perMinute creations, bursts of burst, kept in
// shared (Redis, every replica) when it is not nil.
func NewCreateLimiter(shared *ratelimit.Shared, perMinute, burst int) interface {
	Allow(key string) (bool, error)
} {
	if shared != nil {
		return shared.Bucket("room-creates", perMinute, burst)
	}
	return memoryStore(perMinute, burst)
}
