package daily_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
)

func TestRecordings(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	dur := 80
	for i, id := range []string{"rec-1", "rec-2", "rec-3"} {
		b.emu.AddRecording(emulator.DailyRecording{ID: id, RoomName: "r", StartTS: int64(1768018896 + i),
			Status: "finished", Duration: &dur, S3Key: "dom/r/1768018896877", MtgSessionID: "mtg-1",
			Tracks: []emulator.DailyTrack{{Type: "audio", S3Key: "dom/r/1768018896877-x-cam-audio-1", Size: 12}}})
	}

	rec, err := b.client.Recording(ctx, "rec-1")
	require.NoError(t, err)
	require.Equal(t, "dom/r/1768018896877", rec.S3Key)
	require.Equal(t, "mtg-1", rec.MtgSessionID)
	require.Equal(t, "dom/r/1768018896877-x-cam-audio-1", rec.Tracks[0].S3Key)
	require.InDelta(t, 80, *rec.Duration, 0)

	page, err := b.client.ListRecordings(ctx, daily.ListRecordingsParams{RoomName: "r", Limit: 2})
	require.NoError(t, err)
	require.Equal(t, 3, page.TotalCount)
	require.Equal(t, []string{"rec-3", "rec-2"}, []string{page.Data[0].ID, page.Data[1].ID})
	next, err := b.client.ListRecordings(ctx, daily.ListRecordingsParams{RoomName: "r", StartingAfter: "rec-2"})
	require.NoError(t, err)
	require.Len(t, next.Data, 1)
	require.Equal(t, "rec-1", next.Data[0].ID)

	link, exp, err := b.client.RecordingAccessLink(ctx, "rec-1")
	require.NoError(t, err)
	require.Contains(t, link, "https://")
	require.WithinDuration(t, time.Now().Add(time.Hour), exp, time.Minute)

	_, err = b.client.Recording(ctx, "nope")
	require.ErrorIs(t, err, platform.ErrNotFound)
}

func TestRecordingAccessLinkErrorText(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.emu.FailNext(emulator.DailyRecordingLink, 1, emulator.Fault{Status: 200, Body: `{"download_link":"recording not ready","expires":0}`})
	_, _, err := b.client.RecordingAccessLink(context.Background(), "rec-1")
	require.ErrorIs(t, err, platform.ErrMalformed)
}

func TestReactivateWebhook(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	pinged := make(chan error, 1)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, 64)
		n, _ := r.Body.Read(body)
		pinged <- b.client.VerifyWebhook(r.Header, body[:n], time.Now())
	}))
	t.Cleanup(target.Close)
	hook := b.emu.AddWebhook(emulator.DailyWebhook{URL: target.URL, State: "FAILED", FailedCount: 3,
		EventTypes: []string{"participant.joined", "recording.ready-to-download"}})

	hooks, err := b.client.Webhooks(ctx)
	require.NoError(t, err)
	require.Len(t, hooks, 1)
	require.Equal(t, "FAILED", hooks[0].State)
	require.Equal(t, 3, hooks[0].FailedCount)
	require.Equal(t, hook.EventTypes, hooks[0].EventTypes)

	got, err := b.client.ReactivateWebhook(ctx, hook.UUID)
	require.NoError(t, err)
	require.NoError(t, <-pinged, "the test ping is signed with the webhook's key")
	require.Equal(t, "ACTIVE", got.State)
	require.Zero(t, got.FailedCount)
	require.Equal(t, "ACTIVE", b.emu.Webhooks()[0].State)

	_, err = b.client.ReactivateWebhook(ctx, "no-such-uuid")
	require.ErrorIs(t, err, platform.ErrNotFound)
}
