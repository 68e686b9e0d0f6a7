package httpapi

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"
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

// limiter is a per-key token bucket (echo's store over golang.org/x/time/rate) and the
// Retry-After its refusals carry.
type limiter struct {
	store      *middleware.RateLimiterMemoryStore
	retryAfter string
}

func newLimiter(perMinute, burst int) limiter {
	r := rate.Limit(float64(perMinute) / 60)
	// Keep a visitor's bucket long enough to refill, so a pause does not reset it early.
	expires := time.Duration(float64(burst)/float64(r)*float64(time.Second)) + time.Minute
	return limiter{
		store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: r, Burst: burst, ExpiresIn: expires,
		}),
		retryAfter: strconv.Itoa(int(math.Ceil(1 / float64(r)))),
	}
}

var errTooManyRequests = &statusError{http.StatusTooManyRequests, "Too many requests, please retry later"}

// allow refuses key with 429 and Retry-After once its bucket is empty.
func (l limiter) allow(c echo.Context, key string) error {
	if ok, _ := l.store.Allow(key); ok {
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
// takes (meeting.Config.CreateLimiter): perMinute creations, bursts of burst.
func NewCreateLimiter(perMinute, burst int) interface {
	Allow(key string) (bool, error)
} {
	return newLimiter(perMinute, burst).store
}
