package metrics_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/recording"
	"github.com/monadical/reflector-go/pkg/setup"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// ledger is the recording ledger part of tasks.Recordings: two meetings miss a recording.
type ledger struct{ tasks.Recordings }

func (ledger) MissingRecordings(context.Context, time.Time) ([]recording.MissingRecording, error) {
	return make([]recording.MissingRecording, 2), nil
}

// TestWorkerFamiliesMove (issue 12 item 1) covers the families TestMetricsMoveAfterAFlow
// does not: what the worker records through its decorators (inbox rows processed, calendar
// syncs, the Daily webhook health, the recording ledger), presence reconciliation, the
// latency histograms of requests and tasks, and the queue latency and paused gauges. Each is
// fed the way cmd/worker wires it.
func TestWorkerFamiliesMove(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	ctx := context.Background()
	log := zaptest.NewLogger(t)
	r := a.CreateRoom(t, "workers")
	require.Equal(t, http.StatusOK, a.Do(t, http.MethodPost, "/v1/rooms/workers/meeting", map[string]any{}).Status)

	// A stored webhook processed through the worker's inbox.
	resp, err := a.Daily.SendWebhook(ctx, a.URL+"/v1/daily/webhook", map[string]any{"type": "meeting.started",
		"id": "ev-w", "event_ts": float64(time.Now().Unix()), "payload": map[string]any{"room": "nope"}})
	require.NoError(t, err)
	resp.Body.Close()
	var id int64
	require.NoError(t, a.DB.Get(&id, `SELECT id FROM webhook_event WHERE event_id = 'ev-w'`))
	require.NoError(t, a.Metrics.Inbox(setup.Webhooks(a.DB, a.Platforms, a.Queue, nil, log, 0)).Process(ctx, id))

	// An ICS sync of a room without a feed, the webhook health check, the ledger, a reconcile.
	cal, err := setup.Calendar(a.Config, a.DB, a.Meetings, setup.CalendarOptions{Log: log})
	require.NoError(t, err)
	_, err = a.Metrics.Calendar(cal).SyncRoom(ctx, r.ID, true)
	require.Error(t, err, "the room has no feed: an error outcome")
	_, err = a.Metrics.WebhookHealth(setup.WebhookHealth(a.Platforms, log)).Check(ctx)
	require.NoError(t, err)
	_, err = a.Metrics.Recordings(ledger{}).MissingRecordings(ctx, time.Now())
	require.NoError(t, err)
	_, err = setup.Reconciler(setup.LifecycleDeps{DB: a.DB, Platforms: a.Platforms, Log: log, Metrics: a.Metrics}).Reconcile(ctx)
	require.NoError(t, err)
	require.NoError(t, a.Metrics.Tasks(asynq.HandlerFunc(func(context.Context, *asynq.Task) error { return nil })).
		ProcessTask(ctx, asynq.NewTask("demo:timed", nil)))
	a.Metrics.WatchQueues(asynq.NewInspector(a.Redis), tasks.QueueNames(), log)
	a.Metrics.WatchDatabase(store.NewOpsStore(a.DB), log)

	text := scrape(t, a)
	for series, want := range map[string]float64{
		`reflector_webhooks_processed_total{outcome="ok"}`:                                                  1,
		`reflector_calendar_syncs_total{outcome="error"}`:                                                   1,
		`reflector_daily_webhooks_failed`:                                                                   0,
		`reflector_recordings_missing`:                                                                      2,
		`reflector_presence_reconciliations_total{outcome="synced"}`:                                        1,
		`reflector_task_duration_seconds_count{type="demo:timed"}`:                                          1,
		`reflector_http_request_duration_seconds_count{method="POST",route="/v1/rooms/:room_name/meeting"}`: 1,
		`reflector_queue_paused{queue="default"}`:                                                           0,
	} {
		require.Equal(t, want, value(text, series), series)
	}
	require.Contains(t, text, `reflector_queue_latency_seconds{queue="default"}`)
}
