package roomhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/apptest"
	"github.com/monadical/reflector-go/pkg/room"
	"github.com/monadical/reflector-go/pkg/roomhook"
	"github.com/monadical/reflector-go/pkg/store"
)

const secret = "s3cret"

// receiver is a webhook endpoint answering status and keeping what it got.
type receiver struct {
	mu     sync.Mutex
	status int
	got    []*http.Request
	bodies [][]byte
	URL    string
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{status: http.StatusOK}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.got, r.bodies = append(r.got, req), append(r.bodies, b)
		w.WriteHeader(r.status)
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	r.URL = srv.URL + "/hook"
	return r
}

func (r *receiver) last(t *testing.T) (http.Header, map[string]any, []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	require.NotEmpty(t, r.got)
	var m map[string]any
	b := r.bodies[len(r.bodies)-1]
	require.NoError(t, json.Unmarshal(b, &m))
	return r.got[len(r.got)-1].Header, m, b
}

// verify checks the original's signature header over the raw body.
func verify(t *testing.T, h http.Header, body []byte) {
	t.Helper()
	parts := strings.Split(h.Get("X-Webhook-Signature"), ",")
	require.Len(t, parts, 2)
	ts, sig := strings.TrimPrefix(parts[0], "t="), strings.TrimPrefix(parts[1], "v1=")
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(body)))
	require.Equal(t, hex.EncodeToString(mac.Sum(nil)), sig)
}

func TestWebhookTestRoute(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	rcv := newReceiver(t)
	r := a.CreateRoom(t, "hooked", func(in *room.Input) { in.WebhookURL, in.WebhookSecret = rcv.URL, secret })
	a.CreateRoom(t, "bare")
	path := "/v1/rooms/" + r.ID.String() + "/webhook/test"

	res := a.Do(t, http.MethodPost, path, nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	require.Equal(t, map[string]any{"success": true, "message": "Webhook test successful", "error": "",
		"status_code": float64(200), "response_preview": `{"ok":true}`}, res.JSON(t))
	h, body, raw := rcv.last(t)
	require.Equal(t, "test", h.Get("X-Webhook-Event"))
	require.Equal(t, "0", h.Get("X-Webhook-Retry"))
	require.Equal(t, "Reflector-Webhook/1.0", h.Get("User-Agent"))
	verify(t, h, raw)
	require.Equal(t, "test", body["event"])
	require.Equal(t, "This is a test webhook from Reflector", body["message"])
	require.Equal(t, map[string]any{"id": r.ID.String(), "name": "hooked"}, body["room"])
	require.Len(t, body["event_id"], 32)

	rcv.status = http.StatusInternalServerError
	res = a.Do(t, http.MethodPost, path, nil)
	require.Equal(t, false, res.JSON(t)["success"])
	require.EqualValues(t, 500, res.JSON(t)["status_code"])

	require.Equal(t, http.StatusForbidden, a.As(t, "guest").Do(t, http.MethodPost, path, nil).Status)
	require.Equal(t, http.StatusUnauthorized, a.As(t, "").Do(t, http.MethodPost, path, nil).Status)
	require.Equal(t, http.StatusNotFound, a.Do(t, http.MethodPost, "/v1/rooms/"+uuid.NewString()+"/webhook/test", nil).Status)
	require.Equal(t, http.StatusUnprocessableEntity, a.Do(t, http.MethodPost, "/v1/rooms/x/webhook/test", nil).Status)
	bare := a.Do(t, http.MethodGet, "/v1/rooms/name/bare", nil).JSON(t)["id"].(string)
	res = a.Do(t, http.MethodPost, "/v1/rooms/"+bare+"/webhook/test", nil)
	require.Equal(t, map[string]any{"success": false, "message": "", "error": "No webhook URL configured",
		"status_code": nil, "response_preview": nil}, res.JSON(t))
}

// TestPrivateAddressRefused: with the guard on (production), a webhook URL on loopback is
// never contacted.
func TestPrivateAddressRefused(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	rcv := newReceiver(t)
	r := a.CreateRoom(t, "inside", func(in *room.Input) { in.WebhookURL, in.WebhookSecret = rcv.URL, secret })
	svc := roomhook.NewService(roomhook.Config{Store: store.NewRoomHookStore(a.DB), Sender: roomhook.NewSender(5*time.Second, false)})
	res, err := svc.Test(context.Background(), apptest.Owner, r.ID)
	require.NoError(t, err)
	require.False(t, res.Success)
	require.Contains(t, res.Error, "address not allowed")
	require.Empty(t, rcv.got, "the receiver was never contacted")
}

// TestDeliverTranscriptCompleted sends the original's transcript.completed payload; a 5xx is
// an error (the task retries), a 4xx is final.
func TestDeliverTranscriptCompleted(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.Options{})
	rcv := newReceiver(t)
	r := a.CreateRoom(t, "done", func(in *room.Input) { in.WebhookURL, in.WebhookSecret = rcv.URL, secret })
	tid := uuid.New()
	_, err := a.DB.Exec(`INSERT INTO transcript (id, room_id, title, status, duration, participants)
		VALUES ($1, $2, 'Standup', 'ended', 61000, '[{"speaker":0,"name":"Ann","session_id":"s-1"}]')`, tid, r.ID)
	require.NoError(t, err)

	require.NoError(t, a.RoomHooks.Deliver(context.Background(), tid, "ev1", 2))
	h, body, raw := rcv.last(t)
	verify(t, h, raw)
	require.Equal(t, "transcript.completed", h.Get("X-Webhook-Event"))
	require.Equal(t, "2", h.Get("X-Webhook-Retry"))
	require.Equal(t, "transcript.completed", body["event"])
	require.Equal(t, "ev1", body["event_id"])
	tr := body["transcript"].(map[string]any)
	require.Equal(t, tid.String(), tr["id"])
	require.Equal(t, r.ID.String(), tr["room_id"])
	require.Equal(t, "Standup", tr["title"])
	require.EqualValues(t, 61000, tr["duration"])
	require.Equal(t, "ended", tr["status"])
	require.Equal(t, apptest.UIBaseURL+"/transcripts/"+tid.String(), tr["frontend_url"])
	require.Equal(t, []any{map[string]any{"id": "s-1", "name": "Ann", "speaker": float64(0)}}, tr["participants"])
	require.Equal(t, []any{}, tr["topics"])
	for _, k := range []string{"short_summary", "long_summary", "webvtt", "action_items"} {
		require.Contains(t, tr, k)
		require.Nil(t, tr[k], k)
	}
	require.Equal(t, map[string]any{"id": r.ID.String(), "name": "done"}, body["room"])
	require.Contains(t, body, "calendar_event")

	rcv.status = http.StatusBadGateway
	require.Error(t, a.RoomHooks.Deliver(context.Background(), tid, "ev1", 3), "a 5xx is retried")
	rcv.status = http.StatusGone
	require.NoError(t, a.RoomHooks.Deliver(context.Background(), tid, "ev1", 4), "a 4xx is final")
	require.NoError(t, a.RoomHooks.Deliver(context.Background(), uuid.New(), "ev2", 0), "an unknown transcript is dropped")
}
