package whereby_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/whereby"
)

// TestWebhookReader: what the inbox learns from a Whereby delivery, read by the provider
// itself (platform.WebhookReader): the header kept, no handshake, the envelope and each event's
// meaning (an absolute participant count; the recorder joining starts a recording).
func TestWebhookReader(t *testing.T) {
	t.Parallel()
	c := whereby.New(whereby.Config{BaseURL: "http://whereby.invalid", APIKey: "k"})
	require.Equal(t, "whereby", c.Name())
	require.Equal(t, []string{whereby.HeaderSignature}, c.WebhookHeaders())
	require.False(t, c.WebhookHandshake([]byte(`{"test":"test"}`)), "Whereby sends no reachability check")

	t.Run("envelope", func(t *testing.T) {
		t.Parallel()
		env, err := c.WebhookEnvelope([]byte(leftBody))
		require.NoError(t, err)
		require.Equal(t, platform.WebhookEnvelope{ID: "e1", Type: whereby.EventClientLeft,
			At: time.Date(2021, 1, 21, 16, 35, 0, 0, time.UTC)}, env)
		for _, body := range []string{`{"id":"a","type":"x"}`, `{"id":"a","type":"x","createdAt":"yesterday"}`,
			`{"id":"a","type":"x","createdAt":"0001-01-01T00:00:00Z"}`, `{"id":"a","type":"x","createdAt":null}`} {
			env, err := c.WebhookEnvelope([]byte(body))
			require.NoError(t, err, body)
			require.Equal(t, platform.WebhookEnvelope{ID: "a", Type: "x"}, env, "no usable time: %s", body)
		}
		_, err = c.WebhookEnvelope([]byte(`[`))
		require.ErrorIs(t, err, platform.ErrMalformed)
	})
	t.Run("joined and left carry the count after the event", func(t *testing.T) {
		t.Parallel()
		ev, err := c.WebhookEvent([]byte(vecBody))
		require.NoError(t, err)
		require.Equal(t, platform.WebhookEvent{Count: &platform.ParticipantCount{
			Room: platform.RoomRef{RoomName: "/af0b7b66-c738-4981-887a-ad416754f32d", MeetingID: "134"}, N: 8}}, ev)

		ev, err = c.WebhookEvent([]byte(leftBody))
		require.NoError(t, err)
		require.Equal(t, platform.WebhookEvent{Count: &platform.ParticipantCount{
			Room: platform.RoomRef{RoomName: "/r-1", MeetingID: "134"}, N: 0},
			RecordingStopped: &platform.RecordingStopped{RoomName: "/r-1"}}, ev, "the recorder leaving stops the recording")
	})
	t.Run("the recorder joining means recording started", func(t *testing.T) {
		t.Parallel()
		ev, err := c.WebhookEvent([]byte(`{"id":"e4","type":"room.client.joined","createdAt":"2021-01-21T16:35:00Z",
			"data":{"meetingId":"134","roomName":"/r-1","roleName":"recorder","numClients":3}}`))
		require.NoError(t, err)
		require.Equal(t, platform.WebhookEvent{
			Count:            &platform.ParticipantCount{Room: platform.RoomRef{RoomName: "/r-1", MeetingID: "134"}, N: 3},
			RecordingStarted: &platform.RecordingStarted{RoomName: "/r-1"},
		}, ev)
	})
	t.Run("other types are stored only", func(t *testing.T) {
		t.Parallel()
		knocked := `{"id":"e5","type":"room.client.knocked","createdAt":"2021-01-21T16:35:00Z","data":{"roomName":"/r-1","numClients":9}}`
		for _, body := range []string{sessionBody, recordedBody, knocked,
			`{"id":"x","type":"assistant.requested","createdAt":"2021-01-21T16:35:00Z","data":{"q":1}}`} {
			ev, err := c.WebhookEvent([]byte(body))
			require.NoError(t, err, body)
			require.Equal(t, platform.WebhookEvent{}, ev, body)
		}
	})
	t.Run("malformed deliveries are ErrMalformed", func(t *testing.T) {
		t.Parallel()
		for _, body := range []string{`{`, `{"type":""}`, `{"type":"room.client.left","data":{"numClients":"none"}}`} {
			_, err := c.WebhookEvent([]byte(body))
			require.ErrorIs(t, err, platform.ErrMalformed, body)
		}
	})
}
