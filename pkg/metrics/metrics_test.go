package metrics_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zaptest"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
)

// scrape reads the API's /metrics.
func scrape(t *testing.T, a *apptest.App) string {
	t.Helper()
	resp, err := a.HTTP.Get(a.URL + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// value returns the sample of a series (name and exact label set as exposed), or -1.
func value(text, series string) float64 {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(text)
	if m == nil {
		return -1
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// TestMetricsMoveAfterAFlow scripts a meeting's life through the API, the Daily webhook
// endpoint, process-meetings and a task, then scrapes /metrics and checks each family moved.
func TestMetricsMoveAfterAFlow(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	ctx := context.Background()
	a.CreateRoom(t, "metrics")

	// Created once, handed out twice.
	first := a.Do(t, http.MethodPost, "/v1/rooms/metrics/meeting", map[string]any{})
	require.Equal(t, http.StatusOK, first.Status, string(first.Body))
	require.Equal(t, http.StatusOK, a.Do(t, http.MethodPost, "/v1/rooms/metrics/meeting", map[string]any{}).Status)
	require.Equal(t, http.StatusNotFound, a.Do(t, http.MethodGet, "/v1/rooms/name/nope", nil).Status)

	// A signed webhook is stored; a forged one is rejected.
	resp, err := a.Daily.SendWebhook(ctx, a.URL+"/v1/daily/webhook", map[string]any{"type": "meeting.started",
		"id": "ev-1", "event_ts": float64(time.Now().Unix()), "payload": map[string]any{"room": "nope"}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, http.StatusUnauthorized, a.Do(t, http.MethodPost, "/v1/daily/webhook", `{"type":"x"}`).Status)

	// process-meetings reads presence; a meeting past its end date ends.
	_, err = a.DB.Exec(`UPDATE meeting SET end_date = now() - interval '1 minute'`)
	require.NoError(t, err)
	res, err := a.Processor.Run(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, res.Ended)

	// A task through the middleware, one that fails and one that succeeds.
	h := a.Metrics.Tasks(asynq.HandlerFunc(func(_ context.Context, t *asynq.Task) error {
		if string(t.Payload()) == "fail" {
			return errors.New("boom")
		}
		return nil
	}))
	require.NoError(t, h.ProcessTask(ctx, asynq.NewTask("demo:task", nil)))
	require.Error(t, h.ProcessTask(ctx, asynq.NewTask("demo:task", []byte("fail"))))

	// A dead-lettered inbox row counts as a dead letter, not as unprocessed inbox lag.
	_, err = a.DB.Exec(`INSERT INTO webhook_event (provider, event_id, event_type, body, attempts, dead_at)
		VALUES ('daily', 'ev-dead', 'x', '\x7b7d', 10, now())`)
	require.NoError(t, err)

	// Scrape-time gauges: the queues and the database.
	a.Metrics.WatchQueues(asynq.NewInspector(a.Redis), tasks.QueueNames(), zaptest.NewLogger(t))
	a.Metrics.WatchDatabase(store.NewOpsStore(a.DB), zaptest.NewLogger(t))

	text := scrape(t, a)
	for series, want := range map[string]float64{
		`reflector_meetings_created_total{kind="adhoc",platform="daily"}`:                                1,
		`reflector_meeting_handouts_total{path="created"}`:                                               1,
		`reflector_meeting_handouts_total{path="existing"}`:                                              1,
		`reflector_join_batch_size_count`:                                                                3, // no meeting, the created one, the existing one
		`reflector_meetings_ended_total{reason="ended"}`:                                                 1,
		`reflector_http_requests_total{method="POST",route="/v1/rooms/:room_name/meeting",status="200"}`: 2,
		`reflector_http_requests_total{method="GET",route="/v1/rooms/name/:room_name",status="404"}`:     1,
		`reflector_webhooks_received_total{outcome="stored",provider="daily"}`:                           1,
		`reflector_webhooks_rejected_total{provider="daily",reason="signature"}`:                         1,
		`reflector_presence_reads_total{outcome="ok",platform="daily"}`:                                  1,
		`reflector_provider_calls_total{endpoint="CreateMeeting",outcome="ok",provider="daily"}`:         1,
		`reflector_task_runs_total{outcome="ok",type="demo:task"}`:                                       1,
		`reflector_task_runs_total{outcome="error",type="demo:task"}`:                                    1,
		`reflector_webhook_inbox_unprocessed`:                                                            1,
		`reflector_join_intents_live`:                                                                    2,
		`reflector_recordings{status="failed"}`:                                                          0,
		`reflector_dead_letters{kind="webhook"}`:                                                         1,
		`reflector_dead_letters{kind="room_delete"}`:                                                     0,
		`reflector_recording_ledger_meetings{kind="expected"}`:                                           0,
	} {
		require.Equal(t, want, value(text, series), series)
	}
	require.Contains(t, text, `reflector_queue_depth{queue="default",state="pending"}`)
	require.Contains(t, text, `reflector_provider_call_duration_seconds_count{endpoint="CreateMeeting",provider="daily"}`)
	require.Contains(t, text, `reflector_provider_rate_wait_seconds_count{endpoint="CreateMeeting",provider="daily"}`)
	require.Contains(t, text, `reflector_provider_breaker_open{endpoint="CreateMeeting",provider="daily"} 0`)
	require.Greater(t, value(text, `reflector_webhook_inbox_lag_seconds`), 0.0)
}
