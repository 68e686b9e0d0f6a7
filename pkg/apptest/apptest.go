// Package apptest assembles the real API stack for tests: a cloned Postgres database, the
// Daily emulator behind the real Daily client, the services, and the echo server on an
// httptest listener. Nothing of our own is mocked.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jmoiron/sqlx"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/monadical/reflector-go/pkg/calendar"
	"github.com/monadical/reflector-go/pkg/config"
	"github.com/monadical/reflector-go/pkg/httpapi"
	"github.com/monadical/reflector-go/pkg/meeting"
	"github.com/monadical/reflector-go/pkg/metrics"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/roomhook"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store/storetest"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/tasks/taskstest"
	"github.com/monadical/reflector-go/pkg/webhook"
)

// Owner is the user the `none` auth backend acts as in tests.
const Owner = "owner-1"

// Options adjust the stack.
type Options struct {
	Auth        httpapi.Authenticator // default: LocalAuth as Owner
	Now         func() time.Time
	PresenceLag time.Duration // the Daily emulator's: how late joins and leaves show
	Jobs        meeting.Jobs  // default: a Redis-backed queue on a private DB
	// Meeting and Processor change the lifecycle settings the binaries take from the
	// configuration (its defaults), on the very structs the services are built from.
	Meeting   func(*meeting.Config)
	Processor func(*meeting.ProcessorConfig)
	Extra     func(a *App) []httpapi.Route
	// Limits of the API (default: limits no test reaches); Server, when set, serves the API
	// through httpapi.NewServer and its connection cap instead of a bare httptest server.
	Limits *httpapi.Limits
	Server *httpapi.ServerLimits
	// Identities, when set, maps token subjects to user ids and checks X-API-Key.
	Identities func(a *App) httpapi.Identities
	CORS       httpapi.CORS
	Upstream   *url.URL // the original back end unmatched paths are proxied to
	// PostgresProxy puts the API's database behind App.PG, a proxy a test can take down.
	PostgresProxy bool
	// Whereby serves the Whereby emulator (App.Whereby) and registers a Whereby client.
	Whereby bool
}

// App is a running API stack.
type App struct {
	DB        *sqlx.DB
	DBURL     string
	Daily     *emulator.Daily
	DailyURL  string
	Platforms *platform.Registry
	Rooms     *room.Service
	Meetings  *meeting.Service
	Processor *meeting.Processor // process-meetings, built as the worker builds it
	Config    *config.Config     // the defaults, with the test's database and the Daily emulator
	Calendar  *calendar.Service  // feeds fetched with private addresses allowed
	Redis     asynq.RedisClientOpt
	Queue     *asynq.Client
	URL       string
	Log       *zap.Logger
	HTTP      *http.Client
	Metrics   *metrics.Metrics // every family, recorded by the stack and served on /metrics
	authz     string           // Authorization header of requests (see TestAuth)

	// Webhooks is the inbox behind the webhook routes; Whereby signs Whereby webhooks for it,
	// WebhookQueue is its queue (take it Down to fail enqueues).
	Webhooks *webhook.Service
	// RoomHooks sends rooms' outgoing webhooks (loopback receivers allowed).
	RoomHooks    *roomhook.Service
	Whereby      *emulator.Whereby
	WebhookQueue *taskstest.Flaky
	// PG cuts the API off Postgres on demand (Options.PostgresProxy).
	PG *storetest.Proxy
}

// TestAuth acts as Owner for requests without credentials, like the `none` backend, and as
// the user named by "Test <id>" otherwise ("Test -" is anonymous).
type TestAuth struct{}

// Authenticate implements httpapi.Authenticator.
func (TestAuth) Authenticate(h string) (httpapi.User, error) {
	if h == "" {
		return httpapi.User{ID: Owner, Email: Owner + "@example.com"}, nil
	}
	id := strings.TrimPrefix(h, "Test ")
	if id == "-" {
		return httpapi.User{}, nil
	}
	return httpapi.User{ID: id, Email: id + "@example.com"}, nil
}

// As returns a view of the app whose requests act as user ("" is anonymous).
func (a *App) As(t testing.TB, user string) *App {
	t.Helper()
	c := *a
	if user == "" {
		user = "-"
	}
	c.authz = "Test " + user
	return &c
}

// New starts the stack; everything stops when the test ends.
func New(t testing.TB, o Options) *App {
	t.Helper()
	a := &App{Log: zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel)), HTTP: &http.Client{Timeout: 30 * time.Second},
		Metrics: metrics.New()}
	a.DB, a.DBURL = storetest.NewDBURL(t)
	if o.PostgresProxy {
		a.DB = a.viaProxy(t)
	}
	a.Daily = emulator.NewDaily(emulator.DailyOptions{APIKey: "test-key", PresenceLag: o.PresenceLag, Now: o.Now})
	var stop func()
	a.DailyURL, stop = a.Daily.Start()
	t.Cleanup(stop)
	a.Platforms = platform.NewRegistry(append(a.wherebyClient(t, o), daily.New(daily.Config{BaseURL: a.DailyURL,
		APIKey: "test-key", WebhookSecret: a.Daily.WebhookSecret(), RatePerSecond: 1000, DeleteRatePerSecond: 1000,
		Now: o.Now, Observer: a.Metrics}))...)
	a.Redis = RedisDB(t)
	a.Queue = asynq.NewClient(a.Redis)
	t.Cleanup(func() { _ = a.Queue.Close() })
	jobs := o.Jobs
	if jobs == nil {
		jobs = tasks.Jobs{Q: a.Queue}
	}
	a.lifecycle(t, o, jobs)
	a.Rooms = setup.Rooms(a.Config, a.DB, a.Platforms, o.Now)
	a.Calendar = a.newCalendar(t, o)
	a.Webhooks = a.newWebhooks(t, o)
	auth := o.Auth
	if auth == nil {
		auth = TestAuth{}
	}
	a.RoomHooks = setup.RoomHooks(a.Config, a.DB, a.Log, 10*time.Second)
	d := httpapi.Deps{Rooms: a.Rooms, Meetings: a.Meetings, Calendar: a.Calendar, Webhooks: a.Metrics.Receiver(a.Webhooks),
		Auth: auth, Log: a.Log, Metrics: a.Metrics,
		Ready: map[string]func(context.Context) error{"database": a.DB.PingContext}, CORS: o.CORS, RoomHooks: a.RoomHooks, Upstream: o.Upstream}
	if o.Extra != nil {
		d.Extra = o.Extra(a)
	}
	if o.Identities != nil {
		d.Identities = o.Identities(a)
	}
	d.Limits = httpapi.Limits{WritesPerMinute: 1 << 30, WritesBurst: 1 << 30, CreatesPerMinute: 1 << 30}
	if o.Limits != nil {
		d.Limits = *o.Limits
	}
	a.URL = serve(t, httpapi.New(d), o.Server)
	return a
}

// lifecycle builds the meeting service and process-meetings the way the binaries do.
func (a *App) lifecycle(t testing.TB, o Options, jobs meeting.Jobs) {
	t.Helper()
	cfg := Config()
	cfg.DatabaseURL, cfg.RedisURL, cfg.Daily.APIURL = a.DBURL, "redis://"+a.Redis.Addr, a.DailyURL
	// Test receivers (feeds, room webhooks) listen on loopback.
	cfg.UIBaseURL, cfg.Calendar.AllowPrivateIPs, cfg.Web.RoomWebhookAllowPrivate = UIBaseURL, true, true
	a.Config = cfg
	d := setup.LifecycleDeps{DB: a.DB, Platforms: a.Platforms, Jobs: jobs, Log: a.Log, Metrics: a.Metrics}
	a.Meetings = setup.MeetingService(cfg, d, func(c *meeting.Config) {
		c.Now = o.Now
		if o.Meeting != nil {
			o.Meeting(c)
		}
	})
	a.Processor = setup.Processor(cfg, d, func(c *meeting.ProcessorConfig) {
		c.Now = o.Now
		if o.Processor != nil {
			o.Processor(c)
		}
	})
}

// Config is the configuration a process started with only the required variables gets:
// every setting at its default.
func Config() *config.Config {
	env := map[string]string{"DATABASE_URL": "postgres://test", "REDIS_URL": "redis://test", "DAILY_API_KEY": "test-key"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		panic("apptest: the default configuration is invalid: " + err.Error())
	}
	return cfg
}

// serve starts the API on a loopback listener, through the production server settings when
// limits are given.
func serve(t testing.TB, h http.Handler, limits *httpapi.ServerLimits) string {
	srv := httptest.NewUnstartedServer(h)
	if limits != nil {
		srv.Config = httpapi.NewServer("", h, *limits)
		srv.Listener = httpapi.Listen(srv.Listener, limits.MaxConns)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// Response is a decoded API answer.
type Response struct {
	Status int
	Body   []byte
	Header http.Header
}

// JSON decodes the body into a map (or fails the test).
func (r Response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
	return m
}

// Do sends a request; body is JSON-encoded unless it is a string or []byte, sent as is.
func (a *App) Do(t testing.TB, method, path string, body any, headers ...string) Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, a.URL+path, rd)
	if err != nil {
		t.Fatalf("request: %v", err)
		return Response{}
	}
	req.Header.Set("Content-Type", "application/json")
	if a.authz != "" {
		req.Header.Set("Authorization", a.authz)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := a.HTTP.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
		return Response{} // for callers whose Fatalf does not stop the goroutine
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Body: b, Header: resp.Header}
}

// CreateRoom makes a room through the service and returns it.
func (a *App) CreateRoom(t testing.TB, name string, mods ...func(*room.Input)) room.Room {
	t.Helper()
	in := room.Input{Name: name, Platform: platform.Daily, RecordingType: "none"}
	for _, m := range mods {
		m(&in)
	}
	r, err := a.Rooms.Create(context.Background(), Owner, in)
	if err != nil {
		t.Fatalf("create room %s: %v", name, err)
	}
	return r
}

// Count runs a count(*) query.
func (a *App) Count(t testing.TB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := a.DB.Get(&n, query, args...); err != nil {
		t.Fatalf("count %q: %v", query, err)
	}
	return n
}

// Scalar runs a query returning one value.
func (a *App) Scalar(t testing.TB, query string, args ...any) any {
	t.Helper()
	var v any
	if err := a.DB.QueryRow(query, args...).Scan(&v); err != nil {
		t.Fatalf("scalar %q: %v", query, err)
	}
	return v
}

func (a *App) viaProxy(t testing.TB) *sqlx.DB {
	t.Helper()
	var u string
	a.PG, u = storetest.NewProxy(t, a.DBURL)
	db, err := sqlx.Open("postgres", u)
	if err != nil {
		t.Fatalf("apptest: %v", err)
	}
	db.SetMaxOpenConns(8)
	t.Cleanup(func() { _ = db.Close() })
	return db
}
