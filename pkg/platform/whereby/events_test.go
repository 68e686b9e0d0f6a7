package whereby_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/whereby"
)

const (
	leftBody     = `{"id":"e1","apiVersion":"1.0","createdAt":"2021-01-21T16:35:00.000Z","type":"room.client.left","data":{"meetingId":"134","roomName":"/r-1","subdomain":"s","roleName":"recorder","numClients":0,"roomSessionId":"rs-1"}}`
	sessionBody  = `{"id":"e2","apiVersion":"1.0","createdAt":"2021-01-21T16:35:00.000Z","type":"room.session.ended","data":{"meetingId":"134","roomName":"/r-1","subdomain":"s"}}`
	recordedBody = `{"id":"e3","apiVersion":"1.0","createdAt":"2021-01-21T16:35:00.000Z","type":"recording.finished","data":{"filename":"r-1-2021-01-21T16:30:00Z.mp4","recordingId":"rec-1","roomName":"/r-1","status":"completed"}}`
)

func TestParseEvent(t *testing.T) {
	t.Parallel()
	t.Run("ClientJoined", func(t *testing.T) {
		t.Parallel()
		ev, err := whereby.ParseEvent([]byte(vecBody))
		require.NoError(t, err)
		require.Equal(t, whereby.EventClientJoined, ev.Type)
		require.Equal(t, 2021, ev.CreatedAt.Year())
		d := ev.Data.(*whereby.ClientPayload)
		require.Equal(t, 8, d.NumClients)
		require.Equal(t, "134", d.MeetingID)
		require.Equal(t, "/af0b7b66-c738-4981-887a-ad416754f32d", d.RoomName)
		require.Equal(t, "<custom-metadata>", d.Metadata)
		require.Equal(t, map[string]int{"host": 1, "visitor": 7}, d.NumClientsByRoleName)
	})
	t.Run("ClientLeft", func(t *testing.T) {
		t.Parallel()
		ev, err := whereby.ParseEvent([]byte(leftBody))
		require.NoError(t, err)
		d := ev.Data.(*whereby.ClientPayload)
		require.Zero(t, d.NumClients)
		require.Equal(t, "recorder", d.RoleName)
	})
	t.Run("SessionAndRecording", func(t *testing.T) {
		t.Parallel()
		ev, err := whereby.ParseEvent([]byte(sessionBody))
		require.NoError(t, err)
		require.Equal(t, "/r-1", ev.Data.(*whereby.SessionPayload).RoomName)
		ev, err = whereby.ParseEvent([]byte(recordedBody))
		require.NoError(t, err)
		require.Equal(t, "rec-1", ev.Data.(*whereby.RecordingFinishedPayload).RecordingID)
	})
	t.Run("UnknownTypeIsGeneric", func(t *testing.T) {
		t.Parallel()
		ev, err := whereby.ParseEvent([]byte(`{"id":"x","apiVersion":"1.0","createdAt":"2021-01-21T16:35:00Z","type":"assistant.requested","data":{"q":1}}`))
		require.NoError(t, err)
		require.Nil(t, ev.Data)
		require.JSONEq(t, `{"q":1}`, string(ev.RawData))
	})
	t.Run("MalformedIsAnError", func(t *testing.T) {
		t.Parallel()
		for _, body := range []string{``, `{`, `{"type":""}`, `{"type":"room.client.joined","createdAt":"yesterday"}`,
			`{"type":"room.client.joined","data":{"numClients":"eight"}}`} {
			_, err := whereby.ParseEvent([]byte(body))
			require.ErrorIs(t, err, platform.ErrMalformed, body)
		}
	})
}

func FuzzParseEvent(f *testing.F) {
	for _, s := range []string{vecBody, leftBody, sessionBody, recordedBody, `{`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := whereby.ParseEvent(body)
		if err != nil {
			require.ErrorIs(t, err, platform.ErrMalformed)
			return
		}
		require.NotEmpty(t, ev.Type)
	})
}
