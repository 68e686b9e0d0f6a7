package httpapi

import (
	"net/http"
	"net/http/httputil"
	"net/url"

	"github.com/labstack/echo/v4"
	"go.uber.org/zap"
)

// upstreamPath is the catch-all the proxy is registered under: only paths no route matches.
const upstreamPath = "/*"

// registerUpstream reverse-proxies every path this API does not serve (transcripts, Zulip,
// API keys, the /v1/events websocket...) to the original back end, so an operator can put
// this API in front of it and move over route by route. The upstream authenticates the
// request itself, so the caller's headers pass untouched and our auth is skipped for them.
// Websocket upgrades are proxied by httputil.ReverseProxy.
func registerUpstream(e *echo.Echo, upstream *url.URL, signed map[string]bool, log *zap.Logger) {
	p := httputil.NewSingleHostReverseProxy(upstream)
	p.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		log.Warn("upstream unreachable", zap.String("path", r.URL.Path), zap.Error(err))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(`{"detail":"Upstream API unavailable"}`))
	}
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions} {
		signed[m+" "+upstreamPath] = true
	}
	e.RouteNotFound(upstreamPath, echo.WrapHandler(p)) // every method
}
