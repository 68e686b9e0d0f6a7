package httpapi

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// CORS configures cross-origin access, as the original's CORSMiddleware: every method and
// request header is allowed for the listed origins.
type CORS struct {
	Origins          []string // nil: "*"
	AllowCredentials bool
}

// corsMiddleware runs before routing (echo.Pre), so preflights and CORS headers reach every
// path: 404s, 405s, webhooks and errors included. With credentials allowed and the wildcard
// origin it echoes the caller's origin, as Starlette does (browsers refuse "*" with
// credentials).
func corsMiddleware(c CORS) echo.MiddlewareFunc {
	origins := c.Origins
	if len(origins) == 0 {
		origins = []string{"*"}
	}
	return middleware.CORSWithConfig(middleware.CORSConfig{
		AllowOrigins: origins,
		AllowMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
			http.MethodPatch, http.MethodDelete, http.MethodOptions},
		AllowCredentials:                         c.AllowCredentials,
		UnsafeWildcardOriginWithAllowCredentials: c.AllowCredentials && slices.Contains(origins, "*"),
		MaxAge:                                   600,
	})
}
