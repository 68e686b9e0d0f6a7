// Package httpapi is the HTTP transport: echo routes, authentication, request validation and
// the one error-to-status table. Handlers are thin: they decode, call a service, encode.
package httpapi

import (
	"context"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/calendar"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/roomhook"
)

// Deps are the services the API calls.
type Deps struct {
	Rooms    *room.Service
	Meetings *meeting.Service
	// Calendar serves the ICS endpoints; without it they answer 503.
	Calendar *calendar.Service
	// Webhooks is the provider webhook inbox; without it webhooks answer 401.
	Webhooks WebhookReceiver
	Auth     Authenticator
	// Identities maps token subjects to internal user ids and authenticates X-API-Key; without
	// it the token's sub is the user id and API keys are ignored.
	Identities Identities
	Log        *zap.Logger
	// Ready checks the dependencies /readyz reports on (database, redis), by name.
	Ready map[string]func(ctx context.Context) error
	// Metrics records every request and is served on /metrics (nil: neither).
	Metrics Metrics
	// Limits bound each client's writes and headers (zero: defaults).
	Limits Limits
	// Extra registers routes owned by other transports (webhooks, lifecycle, calendar) in
	// the same table, so /openapi.json describes them too.
	Extra []Route
	// RoomHooks sends rooms' outgoing webhooks (the test route); without it that route is 503.
	RoomHooks *roomhook.Service
	// Upstream, when set, is the original back end that paths no route matches are proxied to
	// (UPSTREAM_API_URL); without it they answer 404.
	Upstream *url.URL
	// CORS configures cross-origin access (zero value: any origin, no credentials).
	CORS CORS
}

type server struct {
	d       Deps
	creates limiter // extra meetings per client
}

// New returns the API's echo instance with every route registered.
func New(d Deps) *echo.Echo {
	if d.Log == nil {
		d.Log = zap.NewNop()
	}
	d.Limits = d.Limits.withDefaults()
	s := &server{d: d, creates: d.Limits.limiter("extra-meetings", d.Limits.CreatesPerMinute, 3)}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(d.Log)
	e.Pre(corsMiddleware(d.CORS))
	e.IPExtractor = ipExtractor(d.Limits.TrustProxy)
	routes := append(s.routes(), d.Extra...)
	signed := signedRoutes(routes)
	if d.Upstream != nil {
		registerUpstream(e, d.Upstream, signed, d.Log)
	}
	e.Use(middleware.RequestID(), access(d.Log.Named("access"), d.Metrics), recoverer(d.Log), headerLimit(d.Limits.MaxHeaderBytes),
		writeLimit(d.Limits.limiter("writes", d.Limits.WritesPerMinute, d.Limits.WritesBurst), signed),
		edgeMiddleware(jsonRoutes(routes)), authMiddleware(d.Auth, signed), identityMiddleware(d.Identities, signed))
	for _, r := range routes {
		h := r.Handler
		if r.Auth == AuthRequired {
			h = requireUser(h)
		}
		e.Add(r.Method, r.Path, h)
	}
	doc := openAPI(routes)
	e.GET("/openapi.json", func(c echo.Context) error { return c.JSONBlob(http.StatusOK, doc) })
	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", s.ready)
	if d.Metrics != nil {
		e.GET("/metrics", echo.WrapHandler(d.Metrics.Handler()))
	}
	return e
}

// recoverer turns a handler panic into a logged 500 instead of a dropped connection.
func recoverer(log *zap.Logger) echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		DisablePrintStack: true,
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			log.Error("panic in handler", zap.String("path", c.Path()), zap.Error(err), zap.ByteString("stack", stack))
			return err
		},
	})
}

func (s *server) ready(c echo.Context) error {
	out, ok := s.checkReady(c.Request().Context())
	status := http.StatusOK
	if !ok {
		status = http.StatusServiceUnavailable
	}
	return c.JSON(status, out)
}
