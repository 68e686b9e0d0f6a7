// Command api serves the HTTP API and receives provider webhooks. It is stateless: run as many
// replicas as the load needs.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/jmoiron/sqlx"
	"go.uber.org/zap"

	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/httpapi"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/metrics"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/user"
)

func main() { setup.Main("api", run) }

func run(ctx context.Context, cfg *config.Config, log *zap.Logger) error {
	return serve(ctx, cfg, log, func() (net.Listener, error) { return net.Listen("tcp", cfg.HTTPAddr) })
}

// serve is the api process once its configuration is loaded; listen opens its socket (a
// test passes a listener of its own, so the binary's wiring is what it tests).
func serve(ctx context.Context, cfg *config.Config, log *zap.Logger, listen func() (net.Listener, error)) error {
	log.Info("starting api", zap.Any("config", cfg.Redacted()))
	m := metrics.New()
	conn, err := setup.Connect(ctx, cfg, cfg.DatabaseConns, m)
	if err != nil {
		return err
	}
	defer conn.Close()
	d, closeInbox, err := apiDeps(cfg, conn, log, m)
	if err != nil {
		return err
	}
	defer closeInbox()
	e := httpapi.New(d)
	srv := httpapi.NewServer(cfg.HTTPAddr, e, httpapi.ServerLimits{ReadHeaderTimeout: cfg.HTTP.ReadHeaderTimeout,
		ReadTimeout: cfg.HTTP.ReadTimeout, WriteTimeout: cfg.HTTP.WriteTimeout, IdleTimeout: cfg.HTTP.IdleTimeout,
		MaxConns: cfg.HTTP.MaxConns})
	ln, err := listen()
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.HTTPAddr, err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(httpapi.Listen(ln, cfg.HTTP.MaxConns)) }()
	log.Info("api listening", zap.String("addr", ln.Addr().String()))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("api draining")
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// apiDeps builds every service the HTTP layer calls. The returned func stops the webhook
// inbox's flushers; call it after the server has drained.
func apiDeps(cfg *config.Config, conn *setup.Conn, log *zap.Logger, m *metrics.Metrics) (httpapi.Deps, func(), error) {
	db, queue, platforms := conn.DB, conn.Queue, conn.Platforms
	auth, err := authenticator(cfg)
	if err != nil {
		return httpapi.Deps{}, nil, err
	}
	rooms := setup.Rooms(cfg, db, platforms, nil)
	shared := conn.RateLimits(log) // per-client limits in Redis: one budget for every replica
	meetings := setup.MeetingService(cfg, setup.LifecycleDeps{DB: db, Platforms: platforms, Jobs: tasks.Jobs{Q: queue}, Log: log, Metrics: m},
		func(c *meeting.Config) {
			c.CreateLimiter = httpapi.NewCreateLimiter(shared, cfg.HTTP.CreatesPerMinute, 3)
		})
	cal, err := setup.Calendar(cfg, db, meetings, setup.CalendarOptions{Log: log})
	if err != nil {
		return httpapi.Deps{}, nil, err
	}
	inbox, closeInbox := setup.WebhookReceiver(db, platforms, queue, log)
	return httpapi.Deps{Rooms: rooms, Meetings: meetings, Calendar: cal, Webhooks: m.Receiver(inbox), Auth: auth,
		Log: log, Metrics: m, Identities: identities(cfg, db), Upstream: upstream(cfg),
		// The test route's timeout is the original's 10 s.
		RoomHooks: setup.RoomHooks(cfg, db, log, 10*time.Second),
		CORS:      httpapi.CORS{Origins: cfg.Web.CORSOrigins, AllowCredentials: cfg.Web.CORSAllowCredentials},
		Ready: map[string]func(context.Context) error{
			"database": db.PingContext,
			"redis":    conn.PingRedis,
		},
		Limits: httpapi.Limits{WritesPerMinute: cfg.HTTP.WritesPerMinute, WritesBurst: cfg.HTTP.WritesBurst,
			CreatesPerMinute: cfg.HTTP.CreatesPerMinute, TrustProxy: cfg.HTTP.TrustProxy, Shared: shared}}, closeInbox, nil
}

// identities maps token subjects to user ids and checks API keys; the none backend has one
// user and no keys.
func identities(cfg *config.Config, db *sqlx.DB) httpapi.Identities {
	if cfg.Auth.Backend == "none" {
		return nil
	}
	return user.NewService(user.Config{Store: store.NewUserStore(db), Secret: cfg.Auth.APIKeySecret})
}

func authenticator(cfg *config.Config) (httpapi.Authenticator, error) {
	if cfg.Auth.Backend == "none" {
		return httpapi.LocalAuth{User: httpapi.User{ID: cfg.Auth.LocalUserID, Email: cfg.Auth.LocalEmail}}, nil
	}
	pem, err := cfg.Auth.PEM()
	if err != nil {
		return nil, err
	}
	return httpapi.NewJWTAuth(pem, cfg.Auth.JWTAudience, httpapi.JWTOptions{Issuer: cfg.Auth.JWTIssuer, Leeway: cfg.Auth.JWTLeeway})
}

// upstream is the original back end unmatched paths are proxied to (config validated the URL).
func upstream(cfg *config.Config) *url.URL {
	if cfg.Web.UpstreamAPIURL == "" {
		return nil
	}
	u, _ := url.Parse(cfg.Web.UpstreamAPIURL)
	return u
}
