package daily_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/platform"
	"github.com/monadical/reflector-go/pkg/platform/daily"
)

// Documented payloads (contract §1.7.4), compact.
const (
	leftBody    = `{"version":"1.0.0","type":"participant.left","id":"ptcpt-left-16168c97-f973-4eae-9642-020fe3fda5db-1708972302986","payload":{"room":"test","user_id":"16168c97-f973-4eae-9642-020fe3fda5db","user_name":"bipol","session_id":"0c0d2dda-f21d-4cf9-ab56-86bf3c407ffa","joined_at":1708972291.567,"will_eject_at":null,"owner":false,"permissions":{"hasPresence":true,"canSend":true,"canReceive":{"base":true},"canAdmin":false},"duration":11.419000148773193},"event_ts":1708972302.986}`
	startedBody = `{"version":"1.0.0","type":"recording.started","id":"rec-sta-c3df927c-f738-4471-a2b7-066fa7e95a6b-1692124183","payload":{"action":"start-cloud-recording","recording_id":"08fa0b24-9220-44c5-846c-3f116cf8e738","layout":{"preset":"active-participant"},"started_by":"0a20567c-9e95-4fa7-aaa3-fb62f5be0449","instance_id":"c3df927c-f738-4471-a2b7-066fa7e95a6b","start_ts":1692124183},"event_ts":1692124183}`
	readyBody   = `{"version":"1.0.0","type":"recording.ready-to-download","id":"rec-rtd-c3df927c-1692124192","payload":{"type":"raw-tracks","recording_id":"08fa0b24-9220-44c5-846c-3f116cf8e738","room_name":"Xcm97xRZ08b2dePKb78g","start_ts":1692124183,"status":"finished","max_participants":1,"duration":9,"share_token":"ntDCL5k98Ulq","s3_key":"api-test/Xcm97xRZ08b2dePKb78g/1692124183028","tracks":[{"type":"audio","s3Key":"api-test/x/1692124183028-890c0eae-e186-4534-a7bd-7c794b7d6d7f-cam-audio-1692124184000","size":123}]},"event_ts":1692124192}`
	errorBody   = `{"version":"1.0.0","type":"recording.error","id":"rec-err-1","payload":{"action":"clourd-recording-err","error_msg":"boom","instance_id":"i-1","room_name":"r","timestamp":1692124190},"event_ts":1692124190}`
)

func TestParseEvent(t *testing.T) {
	t.Parallel()
	t.Run("ParticipantJoined", func(t *testing.T) {
		t.Parallel()
		ev, err := daily.ParseEvent([]byte(vecBody))
		require.NoError(t, err)
		require.Equal(t, daily.EventParticipantJoined, ev.Type)
		require.InDelta(t, 1708972279.961, ev.EventTS, 1e-6)
		p := ev.Payload.(*daily.ParticipantPayload)
		require.Equal(t, "test", p.Room)
		require.Equal(t, "0c0d2dda-f21d-4cf9-ab56-86bf3c407ffa", p.SessionID)
		require.Equal(t, "6497c79b-f326-4942-aef8-c36a29140ad1", p.UserID)
		require.NotNil(t, p.WillEjectAt)
		require.Equal(t, int64(1708972279960), daily.Time(p.JoinedAt).UnixMilli())
	})
	t.Run("ParticipantLeftWithRoomName", func(t *testing.T) {
		t.Parallel()
		ev, err := daily.ParseEvent([]byte(leftBody))
		require.NoError(t, err)
		p := ev.Payload.(*daily.ParticipantPayload)
		require.InDelta(t, 11.419, *p.Duration, 1e-3)
		require.Nil(t, p.WillEjectAt)

		ev, err = daily.ParseEvent([]byte(`{"type":"participant.left","payload":{"room_name":"legacy","session_id":"s"}}`))
		require.NoError(t, err)
		require.Equal(t, "legacy", ev.Payload.(*daily.ParticipantPayload).Room)
	})
	t.Run("RecordingStarted", func(t *testing.T) {
		t.Parallel()
		ev, err := daily.ParseEvent([]byte(startedBody))
		require.NoError(t, err)
		p := ev.Payload.(*daily.RecordingStartedPayload)
		require.Equal(t, "08fa0b24-9220-44c5-846c-3f116cf8e738", p.RecordingID)
		require.Empty(t, p.RoomName)
	})
	t.Run("RecordingReadyRawTracks", func(t *testing.T) {
		t.Parallel()
		ev, err := daily.ParseEvent([]byte(readyBody))
		require.NoError(t, err)
		p := ev.Payload.(*daily.RecordingReadyPayload)
		require.Equal(t, "raw-tracks", p.Type)
		require.Equal(t, "api-test/Xcm97xRZ08b2dePKb78g/1692124183028", p.S3Key)
		require.Len(t, p.Tracks, 1)
		require.Contains(t, p.Tracks[0].S3Key, "cam-audio")
	})
	t.Run("RecordingError", func(t *testing.T) {
		t.Parallel()
		ev, err := daily.ParseEvent([]byte(errorBody))
		require.NoError(t, err)
		require.Equal(t, "boom", ev.Payload.(*daily.RecordingErrorPayload).ErrorMsg)
	})
	t.Run("UnknownTypeIsGeneric", func(t *testing.T) {
		t.Parallel()
		ev, err := daily.ParseEvent([]byte(`{"version":"1.0.0","type":"transcript.started","id":"x","payload":{"a":1},"event_ts":1}`))
		require.NoError(t, err)
		require.Nil(t, ev.Payload)
		require.JSONEq(t, `{"a":1}`, string(ev.RawPayload))
	})
	t.Run("MalformedIsAnError", func(t *testing.T) {
		t.Parallel()
		for _, body := range []string{``, `{`, `[]`, `{"type":""}`, `{"type":"participant.joined","payload":{"joined_at":"soon"}}`} {
			_, err := daily.ParseEvent([]byte(body))
			require.ErrorIs(t, err, platform.ErrMalformed, body)
		}
	})
	t.Run("Handshake", func(t *testing.T) {
		t.Parallel()
		require.True(t, daily.IsHandshake([]byte(`{"test":"test"}`)))
		require.False(t, daily.IsHandshake([]byte(vecBody)))
	})
}

func FuzzParseEvent(f *testing.F) {
	for _, s := range []string{vecBody, leftBody, startedBody, readyBody, errorBody, escBody, `{"test":"test"}`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := daily.ParseEvent(body)
		if err != nil {
			require.ErrorIs(t, err, platform.ErrMalformed)
			return
		}
		require.NotEmpty(t, ev.Type)
	})
}
