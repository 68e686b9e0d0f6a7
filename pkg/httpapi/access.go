package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"go.uber.org/zap"
)

// HTTPObserver records served requests (metrics.Metrics implements it).
type HTTPObserver interface {
	HTTPRequest(route, method string, status int, d time.Duration)
}

// Metrics records every request and serves /metrics (metrics.Metrics implements it).
type Metrics interface {
	HTTPObserver
	Handler() http.Handler
}

// access logs one line per request (request id, method, route, path, status, latency) and
// records it for metrics. It handles the error itself (c.Error runs the error table), so the
// status it reports is the one the client got. The query string is never logged: it can carry
// tokens.
func access(log *zap.Logger, obs HTTPObserver) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			if err := next(c); err != nil {
				c.Error(err)
			}
			d := time.Since(start)
			route := c.Path()
			if route == "" {
				route = "unmatched"
			}
			status := c.Response().Status
			req := c.Request()
			if obs != nil {
				obs.HTTPRequest(route, req.Method, status, d)
			}
			level := zap.InfoLevel
			if probe(route) {
				level = zap.DebugLevel // probes and scrapes every few seconds would drown the log
			}
			log.Log(level, "http request", zap.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
				zap.String("method", req.Method), zap.String("route", route), zap.String("path", req.URL.Path),
				zap.Int("status", status), zap.Float64("latency_ms", float64(d.Microseconds())/1000),
				zap.Int64("bytes", c.Response().Size))
			return nil
		}
	}
}

// probe reports the routes of health checks and scrapes.
func probe(route string) bool {
	return route == "/healthz" || route == "/readyz" || route == "/metrics"
}
