package daily_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
	"github.com/monadical/reflector-go/pkg/platform/emulator"
)

// TestWebhookReader: what the inbox learns from a Daily delivery, read by the provider itself
// (platform.WebhookReader): the headers kept, the handshake, the envelope and each event's
// meaning.
func TestWebhookReader(t *testing.T) {
	t.Parallel()
	c := daily.New(daily.Config{BaseURL: "http://daily.invalid", APIKey: "k"})
	require.Equal(t, "daily", c.Name())
	require.Equal(t, []string{daily.HeaderSignature, daily.HeaderTimestamp}, c.WebhookHeaders())
	require.True(t, c.WebhookHandshake([]byte(" {\"test\":\"test\"}\n")), "Daily's reachability check")
	require.False(t, c.WebhookHandshake([]byte(vecBody)))

	t.Run("envelope", func(t *testing.T) {
		t.Parallel()
		env, err := c.WebhookEnvelope([]byte(vecBody))
		require.NoError(t, err)
		require.Equal(t, "ptcpt-join-6497c79b-f326-4942-aef8-c36a29140ad1-1708972279961", env.ID)
		require.Equal(t, daily.EventParticipantJoined, env.Type)
		require.Equal(t, time.UnixMilli(1708972279961).UTC(), env.At, "float seconds, to the millisecond")
		for _, body := range []string{`{"id":"a","type":"x"}`, `{"id":"a","type":"x","event_ts":0}`,
			`{"id":"a","type":"x","event_ts":"soon"}`, `{"id":"a","type":"x","event_ts":-5}`} {
			env, err := c.WebhookEnvelope([]byte(body))
			require.NoError(t, err, body)
			require.Equal(t, platform.WebhookEnvelope{ID: "a", Type: "x"}, env, "no usable time: %s", body)
		}
		_, err = c.WebhookEnvelope([]byte(`{"id":`))
		require.ErrorIs(t, err, platform.ErrMalformed)
	})
	t.Run("participant events ask for a presence read of their room", func(t *testing.T) {
		t.Parallel()
		for _, body := range []string{vecBody, leftBody} {
			ev, err := c.WebhookEvent([]byte(body))
			require.NoError(t, err)
			require.Equal(t, platform.WebhookEvent{PresenceChanged: &platform.RoomRef{RoomName: "test"}}, ev)
		}
	})
	t.Run("recording.started", func(t *testing.T) {
		t.Parallel()
		ev, err := c.WebhookEvent([]byte(`{"type":"recording.started","payload":{"room_name":"r1","start_ts":1692124183.5}}`))
		require.NoError(t, err)
		require.Equal(t, platform.WebhookEvent{RecordingStarted: &platform.RecordingStarted{
			RoomName: "r1", At: time.UnixMilli(1692124183500)}}, ev)
	})
	t.Run("recording.ready-to-download carries the recording and its tracks", func(t *testing.T) {
		t.Parallel()
		ev, err := c.WebhookEvent([]byte(readyBody))
		require.NoError(t, err)
		require.Equal(t, platform.WebhookEvent{RecordingReady: &platform.RecordingReady{
			Type: "raw-tracks", RecordingID: "08fa0b24-9220-44c5-846c-3f116cf8e738", RoomName: "Xcm97xRZ08b2dePKb78g",
			StartTS: 1692124183, Duration: 9, S3Key: "api-test/Xcm97xRZ08b2dePKb78g/1692124183028",
			Tracks: []platform.RecordingTrack{{Type: "audio", Size: 123,
				S3Key: "api-test/x/1692124183028-890c0eae-e186-4534-a7bd-7c794b7d6d7f-cam-audio-1692124184000"}},
		}, RecordingStopped: &platform.RecordingStopped{RoomName: "Xcm97xRZ08b2dePKb78g",
			RecordingID: "08fa0b24-9220-44c5-846c-3f116cf8e738", At: daily.Time(1692124183 + 9)}}, ev,
			"a finished recording also says when it stopped: its start plus its duration")
	})
	t.Run("recording.error stops the recording with the provider's message", func(t *testing.T) {
		t.Parallel()
		ev, err := c.WebhookEvent([]byte(errorBody))
		require.NoError(t, err)
		require.Equal(t, platform.WebhookEvent{RecordingStopped: &platform.RecordingStopped{RoomName: "r",
			At: daily.Time(1692124190), Error: "boom"}}, ev)
	})
	t.Run("other types are stored only", func(t *testing.T) {
		t.Parallel()
		for _, body := range []string{`{"type":"meeting.ended","payload":{"room":"r"}}`, `{"type":"brand.new","payload":{}}`} {
			ev, err := c.WebhookEvent([]byte(body))
			require.NoError(t, err, body)
			require.Equal(t, platform.WebhookEvent{}, ev, body)
		}
	})
	t.Run("malformed deliveries are ErrMalformed", func(t *testing.T) {
		t.Parallel()
		for _, body := range []string{`not json`, `{"payload":{}}`, `{"type":"participant.joined","payload":[1]}`} {
			_, err := c.WebhookEvent([]byte(body))
			require.ErrorIs(t, err, platform.ErrMalformed, body)
		}
	})
}

// TestWebhookAdmin: the domain's webhooks as platform.WebhookAdmin sees them (FAILED is
// failed), a revive makes a failed one active, and the create/update/delete calls reach Daily.
func TestWebhookAdmin(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	var pings atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { pings.Add(1) }))
	t.Cleanup(target.Close)

	states, err := b.client.WebhookStates(ctx)
	require.NoError(t, err)
	require.Empty(t, states)

	hook, err := b.client.CreateWebhook(ctx, daily.WebhookRequest{URL: target.URL, EventTypes: []string{daily.EventParticipantJoined}})
	require.NoError(t, err)
	require.Equal(t, int32(1), pings.Load(), "Daily pings the URL before it answers")
	require.Equal(t, "ACTIVE", hook.State)
	_, err = b.client.CreateWebhook(ctx, daily.WebhookRequest{URL: target.URL})
	require.Error(t, err, "one webhook per domain")

	hook, err = b.client.UpdateWebhook(ctx, hook.UUID, daily.WebhookRequest{URL: target.URL + "/v2",
		EventTypes: []string{daily.EventParticipantLeft}})
	require.NoError(t, err)
	require.Equal(t, target.URL+"/v2", hook.URL)
	require.Equal(t, []string{daily.EventParticipantLeft}, b.emu.Webhooks()[0].EventTypes)
	require.NoError(t, b.client.DeleteWebhook(ctx, hook.UUID))
	require.Empty(t, b.emu.Webhooks())
	require.ErrorIs(t, b.client.DeleteWebhook(ctx, hook.UUID), platform.ErrNotFound)

	failed := b.emu.AddWebhook(emulator.DailyWebhook{URL: target.URL, State: "FAILED", FailedCount: 3})
	states, err = b.client.WebhookStates(ctx)
	require.NoError(t, err)
	require.Equal(t, []platform.WebhookState{{ID: failed.UUID, URL: target.URL, Failed: true, FailedCount: 3}}, states)
	require.NoError(t, b.client.ReviveWebhook(ctx, failed.UUID))
	states, err = b.client.WebhookStates(ctx)
	require.NoError(t, err)
	require.False(t, states[0].Failed, "revived")
	require.ErrorIs(t, b.client.ReviveWebhook(ctx, "no-such-uuid"), platform.ErrNotFound)

	b.emu.FailNext(emulator.DailyListWebhooks, 1, emulator.Fault{Status: http.StatusUnauthorized})
	_, err = b.client.WebhookStates(ctx)
	require.Error(t, err, "a failed list is an error, not an empty list")
}
