package daily_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
)

// inbox receives webhooks and keeps what the Daily client verified.
type inbox struct {
	mu     sync.Mutex
	events []daily.Event
	bad    int
}

func (in *inbox) handler(c *daily.Client) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		in.mu.Lock()
		defer in.mu.Unlock()
		if err := c.VerifyWebhook(r.Header, body, time.Now()); err != nil {
			in.bad++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		ev, err := daily.ParseEvent(body)
		if err != nil {
			in.bad++
		}
		in.events = append(in.events, ev)
	}
}

// TestStopRecordingMakesAReadyRecording: stopping an emulated cloud recording lists it as
// finished, sends a recording.ready-to-download signed like Daily's, and its access link
// serves a short audio file ffprobe accepts, to that signed link only.
func TestStopRecordingMakesAReadyRecording(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	var in inbox
	srv := httptest.NewServer(in.handler(b.client))
	t.Cleanup(srv.Close)
	b.emu.AddWebhook(emulator.DailyWebhook{URL: srv.URL, EventTypes: []string{"recording.ready-to-download"}})
	m, err := b.client.CreateMeeting(ctx, platform.CreateRequest{MeetingID: "m1",
		Room: platform.RoomSettings{Name: "rec", RecordingType: "cloud"}, EndDate: time.Now().Add(time.Hour)})
	require.NoError(t, err)
	stop := func() *http.Response {
		req, _ := http.NewRequest(http.MethodPost, b.url+"/rooms/"+m.RoomName+"/recordings/stop", nil)
		req.Header.Set("Authorization", "Bearer test-key")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}

	require.Equal(t, http.StatusBadRequest, stop().StatusCode, "nothing is recording yet")
	_, err = b.client.StartRecording(ctx, platform.RecordingStartRequest{RoomName: m.RoomName, Type: "cloud"})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, stop().StatusCode)
	b.emu.WaitDeliveries()
	require.Empty(t, b.emu.ActiveRecordings())

	in.mu.Lock()
	require.Zero(t, in.bad, "every delivery verifies with the webhook secret")
	require.Len(t, in.events, 1)
	ready, ok := in.events[0].Payload.(*daily.RecordingReadyPayload)
	in.mu.Unlock()
	require.True(t, ok, "payload %T", in.events[0].Payload)
	require.Equal(t, "cloud", ready.Type)
	require.Equal(t, m.RoomName, ready.RoomName)

	list, err := b.client.ListRecordings(ctx, daily.ListRecordingsParams{RoomName: m.RoomName})
	require.NoError(t, err)
	require.Len(t, list.Data, 1)
	require.Equal(t, ready.RecordingID, list.Data[0].ID)
	require.Equal(t, "finished", list.Data[0].Status)

	link, _, err := b.client.RecordingAccessLink(ctx, ready.RecordingID)
	require.NoError(t, err)
	audio := get(t, link, http.StatusOK)
	probeAudio(t, audio)
	get(t, link+"0", http.StatusForbidden)                                 // signature tampered with
	get(t, b.url+"/media/"+ready.RecordingID+".wav", http.StatusForbidden) // unsigned
}

func get(t *testing.T, url string, want int) []byte {
	t.Helper()
	resp, err := http.Get(url) //nolint:noctx // test
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	require.Equal(t, want, resp.StatusCode, string(body))
	return body
}

func probeAudio(t *testing.T, audio []byte) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "a.wav")
	require.NoError(t, os.WriteFile(f, audio, 0o600))
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", f).CombinedOutput()
	require.NoError(t, err, "ffprobe: %s", out)
	require.Contains(t, string(out), "audio")
}
