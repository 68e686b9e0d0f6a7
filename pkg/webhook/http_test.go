package webhook_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
	"github.com/monadical/reflector-go/pkg/platform/whereby"
	"github.com/monadical/reflector-go/pkg/presence"
	"github.com/monadical/reflector-go/pkg/store"
	"github.com/monadical/reflector-go/pkg/tasks"
	"github.com/monadical/reflector-go/pkg/tasks/taskstest"
	"github.com/monadical/reflector-go/pkg/webhook"
)

const (
	dailyPath   = "/v1/daily/webhook"
	wherebyPath = "/v1/whereby"
)

// post sends raw bytes with headers and returns the status and body.
func post(t *testing.T, url string, body []byte, h http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header = h.Clone()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// sender is an emulator that signs and sends webhooks.
type sender interface {
	SendWebhook(ctx context.Context, url string, event any) (*http.Response, error)
}

func send(t *testing.T, s sender, url string, event any) (int, string) {
	t.Helper()
	resp, err := s.SendWebhook(context.Background(), url, event)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// startWorker runs the worker's mux (webhook processing and presence polls) on the app's Redis.
func startWorker(t *testing.T, a *apptest.App) {
	t.Helper()
	poller := presence.Poller{Store: store.NewSessionStore(a.DB), Platforms: a.Platforms, Log: a.Log, Now: time.Now}
	srv := asynq.NewServer(a.Redis, asynq.Config{Concurrency: 4, Queues: tasks.Queues(), LogLevel: asynq.ErrorLevel})
	require.NoError(t, srv.Start(tasks.NewMux(tasks.Deps{Presence: poller, Webhooks: a.Webhooks, Log: a.Log})))
	t.Cleanup(srv.Shutdown)
}

func TestHTTPDailyWebhook(t *testing.T) {
	t.Parallel()

	t.Run("a signed participant.joined is stored, processed, and presence is polled", func(t *testing.T) {
		t.Parallel()
		a := apptest.New(t, apptest.Options{})
		startWorker(t, a)
		a.CreateRoom(t, "hooked")
		res := a.Do(t, http.MethodPost, "/v1/rooms/hooked/meeting", map[string]any{})
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		roomName := res.JSON(t)["room_name"].(string)
		a.Daily.Join(roomName, "s1", "u1", "Ann")
		status, body := send(t, a.Daily, a.URL+dailyPath,
			emulator.DailyParticipantJoined(roomName, "s1", "u1", "Ann", time.Now()))
		require.Equal(t, http.StatusOK, status)
		require.JSONEq(t, `{"status":"ok"}`, body)
		require.Eventually(t, func() bool {
			return a.Count(t, `SELECT count(*) FROM webhook_event WHERE processed_at IS NOT NULL`) == 1 &&
				a.Count(t, `SELECT num_clients FROM meeting WHERE room_name = $1`, roomName) == 1
		}, 10*time.Second, 20*time.Millisecond)
	})

	t.Run("handshake, unknown type and duplicates are acknowledged", func(t *testing.T) {
		t.Parallel()
		a := apptest.New(t, apptest.Options{})
		status, body := send(t, a.Daily, a.URL+dailyPath, map[string]string{"test": "test"})
		require.Equal(t, http.StatusOK, status)
		require.JSONEq(t, `{"status":"ok"}`, body)
		require.Zero(t, a.Count(t, `SELECT count(*) FROM webhook_event`))

		unknown := emulator.DailyEvent{Version: "1.0.0", Type: "transcription.started", ID: "tr-1", Payload: map[string]any{}, EventTS: 1}
		for range 2 {
			status, _ = send(t, a.Daily, a.URL+dailyPath, unknown)
			require.Equal(t, http.StatusOK, status)
		}
		require.Equal(t, 1, a.Count(t, `SELECT count(*) FROM webhook_event WHERE event_type = 'transcription.started'`))
	})

	t.Run("bad signatures are 401 and store nothing", func(t *testing.T) {
		t.Parallel()
		a := apptest.New(t, apptest.Options{})
		ev := emulator.DailyParticipantJoined("r", "s1", "u1", "Ann", time.Now())
		body, h, err := a.Daily.SignWebhook(ev)
		require.NoError(t, err)
		tampered := bytes.Replace(body, []byte(`"Ann"`), []byte(`"Eve"`), 1)
		noHeaders := http.Header{"Content-Type": {"application/json"}}
		for name, req := range map[string]struct {
			body []byte
			h    http.Header
		}{"tampered": {tampered, h}, "missing headers": {body, noHeaders}} {
			status, resp := post(t, a.URL+dailyPath, req.body, req.h)
			require.Equal(t, http.StatusUnauthorized, status, name)
			require.JSONEq(t, `{"detail":"Invalid webhook signature"}`, resp, name)
		}
		a.Daily.Advance(-6 * time.Minute) // the emulator signs in the past: stale
		status, _ := send(t, a.Daily, a.URL+dailyPath, ev)
		require.Equal(t, http.StatusUnauthorized, status)
		a.Daily.Advance(12 * time.Minute) // and in the future
		status, _ = send(t, a.Daily, a.URL+dailyPath, ev)
		require.Equal(t, http.StatusUnauthorized, status)
		require.Zero(t, a.Count(t, `SELECT count(*) FROM webhook_event`))
	})

	t.Run("malformed JSON is 400, an oversized body 413", func(t *testing.T) {
		t.Parallel()
		a := apptest.New(t, apptest.Options{})
		key := mustB64(t, a.Daily.WebhookSecret())
		ts := itoa(time.Now().Unix())
		body := []byte(`{"type": "participant.joined", `)
		status, resp := post(t, a.URL+dailyPath, body, dailyHeader(daily.Sign(key, ts, body), ts))
		require.Equal(t, http.StatusBadRequest, status)
		require.JSONEq(t, `{"detail":"Invalid JSON"}`, resp)
		big := []byte(`{"type":"x","pad":"` + strings.Repeat("a", 1<<20) + `"}`)
		status, _ = post(t, a.URL+dailyPath, big, dailyHeader(daily.Sign(key, ts, big), ts))
		require.Equal(t, http.StatusRequestEntityTooLarge, status)
		require.Zero(t, a.Count(t, `SELECT count(*) FROM webhook_event`))
	})

	t.Run("a provider Authorization header does not meet the user auth", func(t *testing.T) {
		t.Parallel()
		a := apptest.New(t, apptest.Options{Auth: apptest.NewJWT(t).Auth})
		body, h, err := a.Daily.SignWebhook(emulator.DailyParticipantJoined("r", "s1", "u1", "Ann", time.Now()))
		require.NoError(t, err)
		h.Set("Authorization", "Basic dXNlcjpwYXNz")
		status, _ := post(t, a.URL+dailyPath, body, h)
		require.Equal(t, http.StatusOK, status)
		status, _ = post(t, a.URL+"/v1/rooms", []byte(`{}`), h)
		require.Equal(t, http.StatusUnauthorized, status, "other routes still refuse the header")
	})

	t.Run("an enqueue failure after the insert is still 200", func(t *testing.T) {
		t.Parallel()
		a := apptest.New(t, apptest.Options{})
		a.WebhookQueue.Down()
		status, _ := send(t, a.Daily, a.URL+dailyPath,
			emulator.DailyParticipantJoined("r", "s1", "u1", "Ann", time.Now()))
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, 1, a.Count(t, `SELECT count(*) FROM webhook_event WHERE processed_at IS NULL`))
	})
}

func TestHTTPWherebyWebhook(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	startWorker(t, a)
	ev := emulator.WherebyClientJoined("wb-9", "room-w", "p1", "Ann", 1, time.Now())
	status, body := send(t, a.Whereby, a.URL+wherebyPath, ev)
	require.Equal(t, http.StatusOK, status)
	require.JSONEq(t, `{"status":"ok"}`, body)
	status, _ = send(t, a.Whereby, a.URL+wherebyPath, ev)
	require.Equal(t, http.StatusOK, status, "a redelivery is acknowledged")
	require.Eventually(t, func() bool {
		return a.Count(t, `SELECT count(*) FROM webhook_event WHERE provider = 'whereby' AND processed_at IS NOT NULL`) == 1
	}, 10*time.Second, 20*time.Millisecond)

	raw, h, err := a.Whereby.SignWebhook(ev)
	require.NoError(t, err)
	status, resp := post(t, a.URL+wherebyPath, append(raw, ' '), h)
	require.Equal(t, http.StatusUnauthorized, status)
	require.JSONEq(t, `{"detail":"Invalid webhook signature"}`, resp)
	status, _ = post(t, a.URL+wherebyPath, raw, http.Header{})
	require.Equal(t, http.StatusUnauthorized, status, "a missing header is 401, not the original's 500")
}

func TestDailyWebhookHealth(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	failed := a.Daily.AddWebhook(emulator.DailyWebhook{URL: a.URL + dailyPath, State: "FAILED", FailedCount: 3,
		EventTypes: []string{"participant.joined"}})
	a.Daily.AddWebhook(emulator.DailyWebhook{URL: a.URL + dailyPath})
	h := &webhook.Health{Platforms: a.Platforms, Log: a.Log} // Whereby has no webhook admin: skipped
	res, err := h.Check(context.Background())
	require.NoError(t, err)
	require.Equal(t, webhook.HealthResult{Checked: 2, Failed: 1, Reactivated: 1}, res)
	for _, w := range a.Daily.Webhooks() {
		require.Equal(t, "ACTIVE", w.State, w.UUID)
		if w.UUID == failed.UUID {
			require.Zero(t, w.FailedCount)
		}
	}
	res, err = h.Check(context.Background())
	require.NoError(t, err)
	require.Zero(t, res.Reactivated)

	t.Run("a webhook whose ping fails stays FAILED and is reported", func(t *testing.T) {
		t.Parallel()
		a.Daily.AddWebhook(emulator.DailyWebhook{URL: a.URL + "/nowhere", State: "FAILED"})
		res, err := h.Check(context.Background())
		require.Error(t, err)
		require.Equal(t, 1, res.Failed)
	})

	t.Run("without a provider that has webhook admin the check does nothing", func(t *testing.T) {
		t.Parallel()
		res, err := (&webhook.Health{}).Check(context.Background())
		require.NoError(t, err)
		require.Zero(t, res)
		wb := platform.NewRegistry(whereby.New(whereby.Config{APIKey: "k"}))
		res, err = (&webhook.Health{Platforms: wb}).Check(context.Background())
		require.NoError(t, err)
		require.Zero(t, res)
	})
}

func TestHTTPConcurrentDuplicates(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	body, h, err := a.Daily.SignWebhook(emulator.DailyParticipantJoined("r", "s1", "u1", "Ann", time.Now()))
	require.NoError(t, err)
	var wg sync.WaitGroup
	statuses := make([]int, 20)
	for i := range statuses {
		wg.Go(func() { statuses[i], _ = post(t, a.URL+dailyPath, body, h) })
	}
	wg.Wait()
	for _, s := range statuses {
		require.Equal(t, http.StatusOK, s)
	}
	require.Equal(t, 1, a.Count(t, `SELECT count(*) FROM webhook_event`))
	require.Len(t, taskstest.Queued(t, a.Redis, tasks.QueueCritical, tasks.TypeWebhookProcess), 1)
}
