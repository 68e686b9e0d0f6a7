package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/objstore/objstoretest"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
	sttemulator "github.com/monadical/reflector-go/pkg/transcribe/emulator"
)

// devStack is the stack of `make dev` in one process: the API (apptest: real Postgres, the
// Daily emulator over HTTP), a worker running every task handler, the recording pipeline
// built from the configuration by setup.NewRecording (S3 and speech-to-text emulators over
// HTTP, no Daily bucket), and the emulator's webhook pointed at the API.
func devStack(t *testing.T) (*apptest.App, map[string]string) {
	t.Helper()
	a := apptest.New(t, apptest.Options{})
	s3 := objstoretest.New(t, objstoretest.Options{Buckets: []string{"reflector"}})
	stt := httptest.NewServer(sttemulator.New(sttemulator.Options{}))
	t.Cleanup(stt.Close)
	cfg := *a.Config
	cfg.Recording.TranscriptionURL, cfg.Recording.StorageBucket = stt.URL+"/v1", "reflector"
	cfg.Recording.S3EndpointURL, cfg.Recording.AWSRegion = s3.Config.Endpoint, s3.Config.Region
	cfg.Recording.AWSAccessKeyID, cfg.Recording.AWSSecretAccessKey = "test", "test"
	log := zaptest.NewLogger(t)
	rec, err := setup.NewRecording(context.Background(), &cfg, setup.RecordingDeps{DB: a.DB, Platforms: a.Platforms,
		Queue: a.Queue, Log: log, Now: time.Now})
	require.NoError(t, err)
	lc := setup.LifecycleDeps{DB: a.DB, Platforms: a.Platforms, Jobs: tasks.Jobs{Q: a.Queue}, Log: log}
	srv := asynq.NewServer(a.Redis, asynq.Config{Concurrency: 4, Queues: tasks.Queues(), LogLevel: asynq.FatalLevel})
	require.NoError(t, srv.Start(tasks.NewMux(tasks.Deps{Platforms: a.Platforms, Meetings: store.NewMeetingStore(a.DB),
		Processor: a.Processor, Presence: setup.PresencePoller(lc), Log: log, Recordings: rec.Service,
		Webhooks: setup.Webhooks(a.DB, a.Platforms, a.Queue, rec.Service, log, 0)})))
	t.Cleanup(srv.Shutdown)
	a.Daily.AddWebhook(emulator.DailyWebhook{URL: a.URL + "/v1/daily/webhook",
		EventTypes: []string{"recording.ready-to-download"}})
	return a, map[string]string{"DATABASE_URL": a.DBURL, "BASE_URL": a.URL, "DAILY_API_URL": a.DailyURL,
		"DAILY_API_KEY": "test-key"}
}

// TestDemoFlow is the flow test of the make-dev recording loop: `reflectorctl demo` goes
// room -> meeting -> join -> recording start (API) -> stop (Daily emulator) -> signed
// recording.ready-to-download -> access link -> CreateFromURL -> download -> ffprobe ->
// speech-to-text -> transcript, every hop over HTTP or through Postgres and Redis.
func TestDemoFlow(t *testing.T) {
	t.Parallel()
	a, env := devStack(t)
	var out, errw bytes.Buffer
	c := &ctl{store: store.NewRecordingStore(a.DB), out: &out, errw: &errw, now: time.Now, poll: 100 * time.Millisecond}
	cli := &app{getenv: func(k string) string { return env[k] }, out: &out, errw: &errw,
		open: func(context.Context, uses) (*ctl, func(), error) { return c, func() {}, nil }}
	root := cli.root()
	root.SetArgs([]string{"demo", "--room", "flow", "--timeout", "90s"})
	require.NoError(t, root.ExecuteContext(context.Background()), out.String())

	got := out.String()
	t.Log("\n" + got)
	for _, step := range []string{"room flow created", "platform daily", "joined: room URL with a meeting token (true)",
		"recording started through the API: ok", "stopped: the emulator sent a signed recording.ready-to-download",
		"transcript ended", "Hello from"} {
		require.Contains(t, got, step)
	}
	require.Equal(t, 1, a.Count(t, `SELECT count(*) FROM recording WHERE platform = 'daily' AND kind = 'file'
		AND status = 'completed' AND source_url <> ''`), "downloaded from the access link")
	require.Equal(t, 1, a.Count(t, `SELECT count(*) FROM webhook_event WHERE event_type = 'recording.ready-to-download' AND processed_at IS NOT NULL`),
		"the ready event came through the signed webhook")

	t.Run("recordings show does not print the signed link", func(t *testing.T) {
		id := a.Scalar(t, `SELECT id::text FROM recording WHERE platform = 'daily'`).(string)
		out.Reset()
		root.SetArgs([]string{"recordings", "show", id})
		require.NoError(t, root.ExecuteContext(context.Background()))
		require.Contains(t, out.String(), "/media/")
		require.NotContains(t, out.String(), "signature=")
	})
}
